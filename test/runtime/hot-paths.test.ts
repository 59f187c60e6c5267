import { describe, expect, it, vi } from 'vitest';
import { lastValueFrom, toArray } from 'rxjs';
import { createMemoryEventStore, createRuntime, type HistoryEvent, type JsonValue, type StateMachineDefinition } from '../../src/index.js';
import type { ExecutionState } from '../../src/execution/execution-state.js';

// Behaviour the performance work must keep: the synchronous journal flush, Map children reusing
// worker ids, the lazy abort signal and event stream, and the incremental live state.

const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:work';

/** A promise with its resolver, to answer tasks in an order the test chooses. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('run() on the in-memory store starts at once', () => {
  const def: StateMachineDefinition = { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: LAMBDA, Next: 'Done' }, Done: { Type: 'Succeed' } } };

  it('calls the first handler before run returns, with the execution listed and its first events stored', async () => {
    const store = createMemoryEventStore();
    const runtime = createRuntime({ store });
    const calls: { arn: string; stored: string[]; listed: boolean }[] = [];
    const answer = deferred<JsonValue>();
    runtime.handle(LAMBDA, ({ executionArn }) => {
      calls.push({ arn: executionArn, stored: store.liveEvents(executionArn).map((e) => e.type), listed: store.holdsSync(executionArn) });
      return answer.promise;
    });
    const running = runtime.run({ definition: def, input: { n: 1 } });
    // Before anything else runs: the handler has been called already.
    expect(calls).toHaveLength(1);
    expect(calls[0]!.stored).toEqual(['ExecutionStarted', 'TaskStateEntered', 'LambdaFunctionScheduled']);
    expect(calls[0]!.listed).toBe(true);
    expect((await runtime.execution(calls[0]!.arn).describe()).status).toBe('RUNNING');
    answer.resolve({ n: 1 });
    const result = await running;
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { n: 1 } });
    const stored = (await runtime.execution(calls[0]!.arn).history()).map((e) => e.id);
    expect(stored).toEqual(stored.map((_, i) => i + 1));
    expect((await runtime.execution(calls[0]!.arn).describe()).status).toBe('SUCCEEDED');
  });

  it('runs an execution of Pass states to its end before run returns, and lists it as ended', async () => {
    const store = createMemoryEventStore();
    const runtime = createRuntime({ store });
    const passes: StateMachineDefinition = { StartAt: 'A', States: { A: { Type: 'Pass', Result: 1, ResultPath: '$.a', Next: 'B' }, B: { Type: 'Pass', End: true } } };
    const running = runtime.run({ definition: passes, input: {}, name: 'passes' });
    const arn = 'arn:aws:states:us-east-1:123456789012:execution:StateMachine:passes';
    // Every event is stored before run returns.
    expect(store.liveEvents(arn).map((e) => e.type)).toEqual([
      'ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded',
    ]);
    const result = await running;
    expect(result).toMatchObject({ executionArn: arn, status: 'SUCCEEDED', output: { a: 1 } });
    expect(await runtime.execution(arn).describe()).toMatchObject({ status: 'SUCCEEDED', stopDate: result.stopDate });
    // The next execution of the same definition (stored by then) is listed as ended at once.
    const again = runtime.run({ definition: passes, input: {}, name: 'again' });
    expect((await store.list({})).items.find((i) => i.name === 'again')).toMatchObject({ status: 'SUCCEEDED' });
    await again;
  });

  it('leaves startExecution a microtask before it flushes, so a subscriber attached at once sees every event', async () => {
    const store = createMemoryEventStore();
    const runtime = createRuntime({ store });
    let called = false;
    runtime.handle(LAMBDA, ({ input }) => { called = true; return input; });
    const execution = runtime.startExecution({ definition: def, input: {} });
    expect(called).toBe(false);
    expect(store.liveEvents(execution.identity.executionArn)).toEqual([]);
    const live = lastValueFrom(execution.events$.pipe(toArray()));
    await execution.done;
    expect((await live)[0]!.type).toBe('ExecutionStarted');
    expect(called).toBe(true);
  });
});

describe('journal flush on the in-memory store', () => {
  it('stores TaskScheduled before the handler is called', async () => {
    const runtime = createRuntime();
    let seenByHandler: string[] = [];
    let arn = '';
    runtime.handle(LAMBDA, async () => {
      seenByHandler = (await runtime.execution(arn).history()).map((e) => e.type);
      return { ok: true };
    });
    const def: StateMachineDefinition = { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: LAMBDA, End: true } } };
    const execution = runtime.startExecution({ definition: def });
    arn = execution.identity.executionArn;
    expect((await execution.done).status).toBe('SUCCEEDED');
    expect(seenByHandler.slice(0, 3)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'LambdaFunctionScheduled']);
    const stored = (await runtime.execution(arn).history()).map((e) => e.id);
    expect(stored).toEqual(execution.events.map((e) => e.id));
    expect(stored).toEqual(stored.map((_, i) => i + 1));
  });

  it('gives events$ subscribed after the end a completed stream, and one subscribed at once every event', async () => {
    const runtime = createRuntime();
    runtime.handle(LAMBDA, async ({ input }) => input);
    const def: StateMachineDefinition = { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: LAMBDA, Next: 'Done' }, Done: { Type: 'Succeed' } } };
    const execution = runtime.startExecution({ definition: def, input: { a: 1 } });
    const live = lastValueFrom(execution.events$.pipe(toArray()));
    await execution.done;
    const all = await live;
    expect(all.map((e) => e.type)).toEqual(execution.events.map((e) => e.type));
    expect(all.at(-1)!.type).toBe('ExecutionSucceeded');
    await expect(lastValueFrom(execution.events$.pipe(toArray()))).resolves.toEqual([]);
  });
});

describe('listing on the in-memory store', () => {
  const def: StateMachineDefinition = { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: LAMBDA, End: true } } };

  it('lists an execution as it starts and as it ends, with nothing left under way', async () => {
    const store = createMemoryEventStore();
    const runtime = createRuntime({ store });
    const answer = deferred<unknown>();
    runtime.handle(LAMBDA, () => answer.promise);
    runtime.run({ definition: def }); // the first execution stores the definition
    answer.resolve({ ok: true });
    await new Promise((r) => setTimeout(r, 0));
    const put = vi.spyOn(store, 'putMetadata');
    const execution = runtime.startExecution({ definition: def, name: 'second' });
    const arn = execution.identity.executionArn;
    // Written in the call that starts it, not on a promise.
    expect(store.holdsSync(arn)).toBe(true);
    expect((await store.getMetadata(arn))?.status).toBe('RUNNING');
    const result = await execution.done;
    expect(result.status).toBe('SUCCEEDED');
    expect(await store.getMetadata(arn)).toMatchObject({ status: 'SUCCEEDED', startDate: result.startDate, stopDate: result.stopDate });
    await expect(runtime.listed(arn)).resolves.toBeUndefined();
    expect(put).not.toHaveBeenCalled();
    await runtime.close();
  });

  it('reports a listing the store refuses through listed(), as on any store', async () => {
    const store = createMemoryEventStore();
    const runtime = createRuntime({ store });
    runtime.handle(LAMBDA, () => ({ ok: true }));
    const refusal = new Error('disk on fire');
    vi.spyOn(store, 'putMetadataSync').mockImplementation(() => {
      throw refusal;
    });
    vi.spyOn(store, 'putMetadata').mockRejectedValue(refusal);
    const execution = runtime.startExecution({ definition: def });
    await expect(runtime.listed(execution.identity.executionArn)).rejects.toBe(refusal);
    expect((await execution.done).status).toBe('SUCCEEDED');
    await runtime.close();
  });
});

describe('Map children under a concurrency limit', () => {
  it('keeps outputs in item order when iterations end out of order and workers reuse their ids', async () => {
    const runtime = createRuntime();
    const answers = new Map<number, ReturnType<typeof deferred<unknown>>>();
    let started = 0;
    const allStarted = deferred<void>();
    runtime.handle(LAMBDA, ({ input }) => {
      const n = (input as { n: number }).n;
      const d = deferred<unknown>();
      answers.set(n, d);
      if (++started === 2) allStarted.resolve();
      return d.promise;
    });
    const def: StateMachineDefinition = {
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Map', ItemsPath: '$.items', MaxConcurrency: 2,
          ItemProcessor: { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: LAMBDA, End: true } } },
          End: true,
        },
      },
    };
    const execution = runtime.startExecution({ definition: def, input: { items: [0, 1, 2, 3, 4].map((n) => ({ n })) } });
    // Answer whatever is in flight, newest first, until all five items have run.
    await allStarted.promise;
    const answered = new Set<number>();
    while (answered.size < 5) {
      const open = [...answers.keys()].filter((n) => !answered.has(n)).sort((a, b) => b - a);
      if (open.length === 0) {
        await new Promise((r) => setImmediate(r));
        continue;
      }
      for (const n of open) {
        answered.add(n);
        answers.get(n)!.resolve({ n: n * 10 });
      }
      await new Promise((r) => setImmediate(r));
    }
    const result = await execution.done;
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual([0, 10, 20, 30, 40].map((n) => ({ n })));
    const types = execution.events.map((e) => e.type);
    expect(types.filter((t) => t === 'MapIterationSucceeded')).toHaveLength(5);
    expect(types.at(-1)).toBe('ExecutionSucceeded');
  });

  it('fails the Map when an iteration fails and stops the others', async () => {
    const runtime = createRuntime();
    runtime.handle(LAMBDA, ({ input }) => {
      const n = (input as { n: number }).n;
      if (n === 1) throw new Error('boom');
      return new Promise(() => {}); // never answers: must be stopped
    });
    const def: StateMachineDefinition = {
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Map', ItemsPath: '$.items', MaxConcurrency: 3,
          ItemProcessor: { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: LAMBDA, End: true } } },
          End: true,
        },
      },
    };
    const result = await runtime.run({ definition: def, input: { items: [0, 1, 2, 3].map((n) => ({ n })) } });
    expect(result).toMatchObject({ status: 'FAILED', error: 'Error', cause: expect.stringContaining('boom') });
  });
});

describe('task abort signal', () => {
  it('is aborted when the execution is stopped, though it is made only when a handler reads it', async () => {
    const runtime = createRuntime();
    const aborted = deferred<boolean>();
    runtime.handle(LAMBDA, ({ signal }) => new Promise((resolve) => {
      signal.addEventListener('abort', () => {
        aborted.resolve(signal.aborted);
        resolve(null);
      });
    }));
    runtime.handle({ state: 'Quiet' }, () => new Promise(() => {}));
    const def: StateMachineDefinition = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel', End: true,
          Branches: [
            { StartAt: 'Listen', States: { Listen: { Type: 'Task', Resource: LAMBDA, End: true } } },
            { StartAt: 'Quiet', States: { Quiet: { Type: 'Task', Resource: LAMBDA, End: true } } },
          ],
        },
      },
    };
    const execution = runtime.startExecution({ definition: def });
    await new Promise<void>((resolve) => execution.events$.subscribe((e) => { if (e.type === 'LambdaFunctionStarted') resolve(); }));
    execution.stop('Operator', 'stopped by test');
    expect(await aborted.promise).toBe(true);
    expect((await execution.done).status).toBe('ABORTED');
  });
});

describe('live state$', () => {
  it('emits the state after every event, ending where stateAt() ends', async () => {
    const runtime = createRuntime();
    runtime.handle(LAMBDA, async ({ input }) => input);
    const def: StateMachineDefinition = {
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Map', ItemsPath: '$.items', MaxConcurrency: 2,
          ItemProcessor: { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: LAMBDA, End: true } } },
          Next: 'Done',
        },
        Done: { Type: 'Pass', End: true },
      },
    };
    const execution = runtime.startExecution({ definition: def, input: { items: [1, 2, 3] } });
    await execution.done;
    const handle = runtime.execution(execution.identity.executionArn);
    const states: ExecutionState[] = [];
    await new Promise<void>((resolve) => handle.state$.subscribe((s) => {
      states.push(s);
      if (s.lastEventId === execution.events.length) resolve();
    }));
    expect(states).toHaveLength(execution.events.length);
    expect(states.map((s) => s.lastEventId)).toEqual(execution.events.map((e: HistoryEvent) => e.id));
    expect(states.at(-1)).toEqual(await handle.stateAt());
    expect(states.at(-1)!.status).toBe('SUCCEEDED');
    expect(states[0]!.status).toBe('RUNNING');
  });
});
