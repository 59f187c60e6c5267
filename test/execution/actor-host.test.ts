import { describe, expect, it } from 'vitest';
import { createActor, createMachine, enqueueActions } from '#xstate';
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

  it('lets a root actor reach its final state or fail under it, and goes on hosting others', () => {
    const finishes = createMachine({ initial: 'go', output: { ok: true }, states: { go: { on: { finish: 'end' } }, end: { type: 'final' } } });
    const fails = createMachine({ initial: 'go', states: { go: { on: { fail: { actions: () => { throw new Error('boom'); } } } } } });
    const a = createActor(finishes, { parent: actorHost() }).start();
    const b = createActor(fails, { parent: actorHost() }).start();
    // The journal reads the end from its root's snapshot after the step (ExecutionJournal.noticeRootEnd).
    a.send({ type: 'finish' });
    b.send({ type: 'fail' });
    expect(a.getSnapshot()).toMatchObject({ status: 'done', output: { ok: true } });
    expect(b.getSnapshot().status).toBe('error');
    expect((b.getSnapshot().error as Error).message).toBe('boom');
    expect(actorHost().getSnapshot().status).toBe('active');
    const c = createActor(root, { parent: actorHost() }).start();
    expect(c.getSnapshot().status).toBe('active');
    stopExecutionActor(c);
    expect(c.getSnapshot().status).toBe('stopped');
  });

  it('stops a root actor for good: a stopped actor neither completes nor fails', () => {
    const finishes = createMachine({ initial: 'go', states: { go: { on: { finish: 'end' } }, end: { type: 'final' } } });
    const a = createActor(finishes, { parent: actorHost() }).start();
    stopExecutionActor(a);
    a.send({ type: 'finish' });
    expect(a.getSnapshot().status).toBe('stopped');
  });
});
