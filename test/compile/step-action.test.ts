import { describe, expect, it } from 'vitest';
import { createActor, createMachine } from '#xstate';
import { stepAction } from '../../src/compile/step-action.js';

type Ctx = { n: number; target?: string };

describe('stepAction', () => {
  it('runs its work while XState resolves the transition: a guarded always sees its effect in the same macrostep', () => {
    const machine = createMachine({
      context: (): Ctx => ({ n: 0 }),
      initial: 'a',
      states: {
        a: {
          entry: stepAction<Ctx, unknown, unknown>((ctx) => {
            ctx.n++;
            ctx.target = 'b';
            return undefined;
          }),
          always: [{ guard: ({ context }: { context: Ctx }) => context.target === 'b', target: 'b' }],
        },
        b: { type: 'final' },
      },
    } as never);
    const actor = createActor(machine).start();
    expect(actor.getSnapshot().status).toBe('done');
    expect((actor.getSnapshot().context as Ctx).n).toBe(1);
  });

  it('hands the stops and spawns it returns to XState, stops first', () => {
    const child = createMachine({ initial: 'waiting', states: { waiting: { on: { finish: 'done' } }, done: { type: 'final' } } });
    let epoch = 0;
    const machine = createMachine({
      context: (): Ctx => ({ n: 0 }),
      initial: 'run',
      states: {
        run: {
          entry: stepAction<Ctx, unknown, unknown>(() => ({ spawns: [{ id: 'c0', logic: child, input: {} }] })),
          on: {
            again: {
              // The same id again: only possible because the stop runs before the spawn.
              actions: stepAction<Ctx, unknown, unknown>(() => ({ stops: ['c0'], spawns: [{ id: 'c0', logic: child, input: { epoch: ++epoch } }] })),
            },
          },
        },
      },
    } as never);
    const actor = createActor(machine).start();
    const first = actor.getSnapshot().children.c0;
    expect(first?.getSnapshot().status).toBe('active');
    actor.send({ type: 'again' });
    const second = actor.getSnapshot().children.c0;
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect(first?.getSnapshot().status).toBe('stopped');
    expect(second?.getSnapshot().status).toBe('active');
  });
});
