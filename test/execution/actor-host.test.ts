import { describe, expect, it } from 'vitest';
import { createActor, createMachine, enqueueActions } from '#xstate';
import { actorHost, listenToRootActor, stopExecutionActor } from '../../src/execution/actor-host.js';

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

  it('tells a root actor\'s listener when it reaches its final state, and when it fails', () => {
    const finishes = createMachine({ initial: 'go', states: { go: { on: { finish: 'end' } }, end: { type: 'final' } } });
    const fails = createMachine({ initial: 'go', states: { go: { on: { fail: { actions: () => { throw new Error('boom'); } } } } } });
    const heard: string[] = [];
    const listener = (name: string) => ({ complete: () => heard.push(`${name} complete`), error: (e: unknown) => heard.push(`${name} error ${(e as Error).message}`) });
    const a = createActor(finishes, { parent: actorHost() });
    const b = createActor(fails, { parent: actorHost() });
    listenToRootActor(a, listener('a'));
    listenToRootActor(b, listener('b'));
    a.start();
    b.start();
    expect(heard).toEqual([]);
    a.send({ type: 'finish' });
    b.send({ type: 'fail' });
    expect(heard).toEqual(['a complete', 'b error boom']);
    expect(b.getSnapshot().status).toBe('error');
  });

  it('forgets the listener of a root actor it stops: a stopped actor neither completes nor fails', () => {
    const finishes = createMachine({ initial: 'go', states: { go: { on: { finish: 'end' } }, end: { type: 'final' } } });
    const heard: string[] = [];
    const a = createActor(finishes, { parent: actorHost() });
    listenToRootActor(a, { complete: () => heard.push('complete'), error: () => heard.push('error') });
    a.start();
    stopExecutionActor(a);
    a.send({ type: 'finish' });
    expect(a.getSnapshot().status).toBe('stopped');
    expect(heard).toEqual([]);
  });
});
