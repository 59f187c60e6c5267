import { afterEach, describe, expect, it, vi } from 'vitest';

// A bug in Stepwise's own step code (not an ASL error) must still end the execution, FAILED
// with Stepwise.InternalError, through the root actor's error reaching the journal.
describe('an internal error inside a step', () => {
  afterEach(() => {
    vi.doUnmock('../../src/compile/states/task-state.js');
    vi.resetModules();
  });

  it('fails the execution with Stepwise.InternalError, and the runtime runs the next one as usual', async () => {
    vi.resetModules();
    vi.doMock('../../src/compile/states/task-state.js', async (importOriginal) => {
      const original = await importOriginal<typeof import('../../src/compile/states/task-state.js')>();
      return {
        ...original,
        taskSucceeded: (...args: Parameters<typeof original.taskSucceeded>) => {
          if ((args[3] as { explode?: boolean }).explode) throw new Error('boom in a step');
          original.taskSucceeded(...args);
        },
      };
    });
    const { createRuntime } = await import('../../src/index.js');
    const runtime = createRuntime({ clock: 'virtual' });
    runtime.handle('arn:aws:lambda:*:*:function:*', ({ input }) => input);
    const definition = { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f', End: true } } };

    const broken = runtime.startExecution({ definition, input: { explode: true } });
    const failed = await broken.done;
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toBe('Stepwise.InternalError');
    expect(failed.cause).toContain('boom in a step');
    expect(broken.events.at(-1)).toMatchObject({ type: 'ExecutionFailed', executionFailedEventDetails: { error: 'Stepwise.InternalError' } });
    expect(runtime.liveExecution(broken.identity.executionArn)).toBeUndefined();

    const fine = await runtime.run({ definition, input: { explode: false } });
    expect(fine.status).toBe('SUCCEEDED');
    expect(fine.output).toEqual({ explode: false });
    await runtime.close();
  });
});
