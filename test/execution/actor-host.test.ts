import { describe, expect, it } from 'vitest';
import { createActor, createMachine, enqueueActions } from 'xstate';
import { actorHost, stopExecutionActor } from '../../src/execution/actor-host.js';

const child = createMachine({ initial: 'waiting', states: { waiting: {} } });
const root = createMachine({
  initial: 'running',
  states: {
    running: { entry: enqueueActions(({ enqueue }) => enqueue.spawnChild(child, { id: 'branch' })) },
  },
});

describe('actor host', () => {
  it('gives every root actor created under it one shared XState system', () => {
    const a = createActor(root, { parent: actorHost() }).start();
    const b = createActor(root, { parent: actorHost() }).start();
    expect(a.system).toBe(b.system);
    expect(a.system).toBe(actorHost().system);
    stopExecutionActor(a);
    stopExecutionActor(b);
  });

  it('stops a root actor and its children when asked, and nothing else', () => {
    const a = createActor(root, { parent: actorHost() }).start();
    const b = createActor(root, { parent: actorHost() }).start();
    const branch = a.getSnapshot().children.branch!;
    expect(branch.getSnapshot().status).toBe('active');
    stopExecutionActor(a);
    expect(a.getSnapshot().status).toBe('stopped');
    expect(branch.getSnapshot().status).toBe('stopped');
    expect(b.getSnapshot().status).toBe('active');
    stopExecutionActor(b);
  });
});
