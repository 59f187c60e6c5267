import { afterEach, describe, expect, it, vi } from 'vitest';

// A bug in Stepwise's own step code (not an ASL error) must still end the execution, FAILED
// with Stepwise.InternalError, through the root actor's error reaching the journal.
describe('an internal error inside a step', () => {
  afterEach(() => {
    vi.doUnmock('../../src/compile/states/task-state.js');
    vi.doUnmock('../../src/compile/states/pass-state.js');
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

  it('fails an execution whose very first step breaks (the root actor errs as it starts), on a sync and an async store', async () => {
    vi.resetModules();
    vi.doMock('../../src/compile/states/pass-state.js', async (importOriginal) => {
      const original = await importOriginal<typeof import('../../src/compile/states/pass-state.js')>();
      return {
        ...original,
        enterPass: (...args: Parameters<typeof original.enterPass>) => {
          if (args[1].Comment === 'explode') throw new Error('boom at the start');
          original.enterPass(...args);
        },
      };
    });
    const { createRuntime, createMemoryEventStore } = await import('../../src/index.js');
    const definition = (comment: string) => ({ StartAt: 'First', States: { First: { Type: 'Pass', Comment: comment, End: true } } });
    const sync = createRuntime();
    // An in-memory store seen only through its promise methods: the journal's asynchronous flush path.
    const memory = createMemoryEventStore();
    const asyncStore = new Proxy(memory, {
      get(target, key) {
        if (key === 'appendSync' || key === 'putMetadataSync') return undefined;
        const value = Reflect.get(target, key, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const async = createRuntime({ store: asyncStore });
    for (const runtime of [sync, async]) {
      const broken = runtime.startExecution({ definition: definition('explode') });
      const failed = await broken.done;
      expect(failed).toMatchObject({ status: 'FAILED', error: 'Stepwise.InternalError' });
      expect(failed.cause).toContain('boom at the start');
      const types = (await runtime.execution(broken.identity.executionArn).history()).map((e) => e.type);
      expect(types).toEqual(['ExecutionStarted', 'PassStateEntered', 'ExecutionFailed']);
      const fine = await runtime.run({ definition: definition('fine'), input: { a: 1 } });
      expect(fine).toMatchObject({ status: 'SUCCEEDED', output: { a: 1 } });
      await runtime.close();
    }
  });
});
