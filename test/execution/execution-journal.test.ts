import { describe, expect, it } from 'vitest';
import { createRuntime, type HistoryEvent } from '../../src/index.js';
import { diedAfter, journalTestStores, parallelOf } from './journal-stores.js';

const passes = (n: number) => ({
  StartAt: 'P1',
  States: Object.fromEntries(Array.from({ length: n }, (_, i) => [`P${i + 1}`, i + 1 < n ? { Type: 'Pass', Next: `P${i + 2}` } : { Type: 'Pass', End: true }])),
});

// The journal keeps its own list of events unless the store shows its in-memory list: both
// ways must give the same events and enforce the same history limit.
const stores = journalTestStores('stepwise-journal-');

describe.each(stores)('an execution journal on %s', (_name, open) => {
  it('shows the events the store holds, in order', async () => {
    const store = await open();
    const runtime = createRuntime({ store, clock: 'virtual' });
    const execution = runtime.startExecution({ definition: passes(3), input: { a: 1 } });
    await execution.done;
    const stored = await store.read(execution.identity.executionArn);
    expect(execution.events.map((e: HistoryEvent) => e.type)).toEqual([
      'ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'PassStateEntered', 'PassStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded',
    ]);
    expect(execution.events).toEqual(stored);
    await runtime.close();
  });

  it('fails the execution with States.Runtime once its history passes the limit, and stores no more', async () => {
    const store = await open();
    const runtime = createRuntime({ store, clock: 'virtual', limits: { historyEvents: 10 } });
    const execution = runtime.startExecution({ definition: passes(10), input: {} });
    const result = await execution.done;
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('States.Runtime');
    expect(result.cause).toBe('The execution reached the maximum number of history events (10).');
    const stored = await store.read(execution.identity.executionArn);
    expect(stored.at(-1)).toMatchObject({ type: 'ExecutionFailed', executionFailedEventDetails: { error: 'States.Runtime' } });
    expect(stored.filter((e) => e.type === 'ExecutionSucceeded')).toEqual([]);
    // It stops at the limit: what fits, then the failure threaded on the last event kept.
    expect(stored.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(stored.at(-1)!.previousEventId).toBe(9);
    expect(execution.events).toEqual(stored);
    // A replay drops what the recorded run dropped past the limit, and ends where it ended.
    expect((await runtime.replay({ executionArn: execution.identity.executionArn })).ok).toBe(true);
    await runtime.close();
  });

  it('stops a history built over many steps at the limit too, and calls no task past it', async () => {
    const store = await open();
    const runtime = createRuntime({ store, clock: 'virtual', limits: { historyEvents: 12 } });
    const calls: string[] = [];
    runtime.handle('arn:aws:lambda:*:*:function:*', ({ stateName }) => {
      calls.push(stateName);
      return {};
    });
    const task = (next?: string) => ({ Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f', ...(next ? { Next: next } : { End: true }) });
    const definition = { StartAt: 'T1', States: { T1: task('T2'), T2: task('T3'), T3: task('T4'), T4: task() } };
    const execution = runtime.startExecution({ definition, input: {} });
    const result = await execution.done;
    expect(result.status).toBe('FAILED');
    expect(result.cause).toBe('The execution reached the maximum number of history events (12).');
    const stored = await store.read(execution.identity.executionArn);
    expect(stored).toHaveLength(12);
    // T2's answer, its exit, T3's entry and scheduling are recorded in one step (events 10 to
    // 13): the two that fit are kept, T3 is never called.
    expect(stored.map((e) => e.type).slice(-3)).toEqual(['LambdaFunctionSucceeded', 'TaskStateExited', 'ExecutionFailed']);
    expect(calls).toEqual(['T1', 'T2']);
    expect((await runtime.replay({ executionArn: execution.identity.executionArn })).ok).toBe(true);
    await runtime.close();
  });

  // A Choice looping over a Pass never leaves the step that entered it (both run instantly):
  // the journal's check after each step never came, and the process ran out of memory. AWS ends
  // such a loop with event 25,000 as the ExecutionFailed (floci-io/floci#2734, measured against
  // AWS: "FAILED States.Runtime The execution reached the maximum number of history events (25000)").
  const endless = { StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericEquals: -1, Next: 'D' }], Default: 'P' }, P: { Type: 'Pass', Next: 'C' }, D: { Type: 'Succeed' } } };
  it.each([
    ['the execution', endless],
    ['an inline Map iteration', { StartAt: 'M', States: { M: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: endless, End: true } } }],
    ['a Parallel branch', { StartAt: 'B', States: { B: { Type: 'Parallel', Branches: [{ StartAt: 'S', States: { S: { Type: 'Succeed' } } }, endless], End: true } } }],
  ])('ends an endless loop of instant states in %s at the limit, and replays it', async (_where, definition) => {
    const store = await open();
    const runtime = createRuntime({ store, clock: 'virtual', limits: { historyEvents: 200 } });
    const execution = runtime.startExecution({ definition, input: { n: 1, items: [{ n: 1 }] } });
    const result = await execution.done;
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: 'The execution reached the maximum number of history events (200).' });
    const stored = await store.read(execution.identity.executionArn);
    expect(stored.map((e) => e.id)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(stored.at(-1)).toMatchObject({ type: 'ExecutionFailed', previousEventId: 199 });
    expect(stored.filter((e) => e.type === 'ChoiceStateEntered').length).toBeGreaterThan(40);
    expect((await runtime.replay({ executionArn: execution.identity.executionArn })).ok).toBe(true);
    await runtime.close();
  });

  // Branches and iterations of instant states only run in place, within the step that enters
  // their Parallel or Map: the limit cuts them midway, and the Parallel or Map never finishes.
  // State names are unique across the whole definition.
  const branch = (prefix: string) => JSON.parse(JSON.stringify(passes(5)).replace(/"P(\d)"/g, `"${prefix}$1"`));
  it.each([
    ['a Parallel', { Type: 'Parallel', Branches: [branch('X'), branch('Y'), branch('Z')], Next: 'After' }],
    ['an inline Map', { Type: 'Map', ItemsPath: '$.items', MaxConcurrency: 2, ItemProcessor: branch('X'), Next: 'After' }],
  ])('stops %s whose children run in place at the limit, and replays it', async (_what, state) => {
    const store = await open();
    const runtime = createRuntime({ store, clock: 'virtual', limits: { historyEvents: 15 } });
    const definition = { StartAt: 'B', States: { B: state, After: { Type: 'Pass', End: true } } };
    const execution = runtime.startExecution({ definition, input: { items: [1, 2, 3] } });
    const result = await execution.done;
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: 'The execution reached the maximum number of history events (15).' });
    const stored = await store.read(execution.identity.executionArn);
    expect(stored.map((e) => e.id)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(stored.at(-1)).toMatchObject({ type: 'ExecutionFailed', previousEventId: 14 });
    expect(stored.filter((e) => /State(Succeeded|Exited)$/.test(e.type) && !e.type.startsWith('Pass'))).toEqual([]);
    expect((await runtime.replay({ executionArn: execution.identity.executionArn })).ok).toBe(true);
    await runtime.close();
  });

  // With the limit lifted nothing ends such a loop but the execution's timeout or a stop, and
  // both are timers or inputs: a step that ran the loop without end never let them in.
  const counting = (to: number) => ({
    StartAt: 'C',
    States: {
      C: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThanEquals: to, Next: 'D' }], Default: 'P' },
      P: { Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd($.n, 1)' }, Next: 'C' },
      D: { Type: 'Succeed' },
    },
  });
  it('lets the event loop turn in a loop of instant states: the execution times out, as on AWS', async () => {
    const store = await open();
    const runtime = createRuntime({ store, limits: { historyEvents: Infinity } });
    const execution = runtime.startExecution({ definition: { ...endless, TimeoutSeconds: 1 }, input: { n: 1 } });
    const result = await execution.done;
    expect(result).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    const stored = await store.read(execution.identity.executionArn);
    expect(stored.at(-1)!.type).toBe('ExecutionTimedOut');
    expect(stored.filter((e) => e.type === 'ChoiceStateEntered').length).toBeGreaterThan(10_000);
    await runtime.close();
  });

  it('lets a stop end a loop of instant states', async () => {
    const store = await open();
    const runtime = createRuntime({ store, limits: { historyEvents: Infinity } });
    const execution = runtime.startExecution({ definition: endless, input: { n: 1 } });
    setTimeout(() => execution.stop('Stopped', 'by the test'), 100);
    const result = await execution.done;
    expect(result).toMatchObject({ status: 'ABORTED' });
    await runtime.close();
  });

  it.each([
    ['the execution', counting(15_000)],
    ['an inline Map iteration', { StartAt: 'M', States: { M: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: counting(15_000), End: true } } }],
    ['a Parallel branch', { StartAt: 'B', States: { B: { Type: 'Parallel', Branches: [{ StartAt: 'S', States: { S: { Type: 'Succeed' } } }, counting(15_000)], End: true } } }],
  ])('runs a loop of 30,000 instant states in %s to its end across turns, and replays it', async (_where, definition) => {
    const store = await open();
    const runtime = createRuntime({ store, clock: 'virtual', limits: { historyEvents: Infinity } });
    const execution = runtime.startExecution({ definition, input: { n: 0, items: [{ n: 0 }] } });
    const result = await execution.done;
    expect(result.status).toBe('SUCCEEDED');
    expect(JSON.stringify(result.output)).toContain('"n":15000');
    expect((await runtime.replay({ executionArn: execution.identity.executionArn })).ok).toBe(true);
    await runtime.close();
  });

  it('runs the same definition to success when the limit is lifted', async () => {
    const store = await open();
    const runtime = createRuntime({ store, clock: 'virtual', limits: { historyEvents: Infinity } });
    const result = await runtime.run({ definition: passes(10), input: {} });
    expect(result.status).toBe('SUCCEEDED');
    await runtime.close();
  });

  // Virtual time used to jump while a batch was being appended (nothing held the clock): the
  // execution's timeout, the only timer left, fired between a step and the task it scheduled.
  it('keeps virtual time still while it appends: an execution timeout fires only when it is due', async () => {
    const store = await open();
    const runtime = createRuntime({ store, clock: 'virtual' });
    runtime.handle('arn:aws:lambda:*:*:function:*', ({ input }) => input);
    const task = (i: number) => ({ Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f', ...(i < 9 ? { Next: `T${i + 1}` } : { End: true }) });
    const States = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`T${i}`, task(i)]));
    for (const options of [{ definition: { StartAt: 'T0', States, TimeoutSeconds: 300 } }, { definition: { StartAt: 'T0', States }, type: 'EXPRESS' as const }]) {
      const result = await runtime.run({ ...options, input: {} });
      expect(result).toMatchObject({ status: 'SUCCEEDED' });
      expect(result.stopDate - result.startDate).toBe(0);
    }
    await runtime.close();
  });

  it('ignores a stop that comes once the execution\'s end is recorded: it has one end', async () => {
    const store = await open();
    const runtime = createRuntime({ store, clock: 'virtual' });
    const execution = runtime.startExecution({ definition: passes(1), input: {} });
    // Its steps ran at the start; their events, ExecutionSucceeded last, are being appended.
    execution.stop('Late.Stop');
    expect((await execution.done).status).toBe('SUCCEEDED');
    const stored = (await store.read(execution.identity.executionArn)).map((e) => e.type);
    expect(stored).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
    await runtime.close();
  });
});

// Two Map iterations' tasks answering while one's JSONata Output is still being evaluated: the
// second answer was recorded between the first's result and its TaskStateExited, an order a
// replay (which runs pending evaluations before the next recorded answer) cannot reproduce,
// so the resume of a crash after it failed ('The history diverges at event 13').
describe.each(stores)('JSONata evaluations and answers arriving together on %s', (_name, open) => {
  const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:double';
  const definition = {
    QueryLanguage: 'JSONata', StartAt: 'Fan',
    States: {
      Fan: {
        Type: 'Map', Items: '{% $states.input %}', MaxConcurrency: 2, End: true,
        ItemProcessor: { StartAt: 'Sq', States: { Sq: { Type: 'Task', Resource: LAMBDA, Arguments: { v: '{% $states.input %}' }, Output: '{% $states.result.v %}', End: true } } },
      },
    },
  };

  it('records a history that replays, and that a resume from any of its events finishes alike', async () => {
    const store = await open();
    const runtime = createRuntime({ store, clock: 'virtual' });
    // Both in-flight tasks answer in the same turn.
    let release!: () => void;
    const together = new Promise<void>((r) => (release = r));
    let calls = 0;
    runtime.handle(LAMBDA, async ({ input }) => {
      if (++calls === 2) setTimeout(release, 5);
      await together;
      return { v: (input as { v: number }).v * 2 };
    });
    const execution = runtime.startExecution({ definition, input: [1, 2, 3], name: 'together' });
    expect(await execution.done).toMatchObject({ status: 'SUCCEEDED', output: [2, 4, 6] });
    const recorded = await store.read(execution.identity.executionArn);
    expect(await runtime.replay({ executionArn: execution.identity.executionArn })).toEqual({ ok: true, replayedEvents: recorded.length });

    // A process that died after any event: the next one resumes from there to the same end.
    for (let k = 1; k < recorded.length; k++) {
      const resumer = createRuntime({ store: await diedAfter(store, execution.identity.executionArn, k), clock: 'virtual' });
      resumer.handle(LAMBDA, ({ input }) => ({ v: (input as { v: number }).v * 2 }));
      const [resumed] = await resumer.start();
      expect(await resumed!.done, `resumed after event ${k}`).toMatchObject({ status: 'SUCCEEDED', output: [2, 4, 6] });
    }
  });

  it('resumes two tasks in flight at a crash that answer together', async () => {
    const store = await open();
    const first = createRuntime({ store, clock: 'virtual' });
    let inFlight = 0;
    first.handle(LAMBDA, () => {
      inFlight++;
      return new Promise(() => {}); // the process dies with both in flight
    });
    const execution = first.startExecution({ definition, input: [1, 2, 3], name: 'crashy' });
    for (let i = 0; i < 100 && inFlight < 2; i++) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 20));

    const second = createRuntime({ store, clock: 'virtual' });
    second.handle(LAMBDA, ({ input }) => new Promise((r) => setTimeout(() => r({ v: (input as { v: number }).v * 2 }), 5)));
    const [resumed] = await second.start();
    expect(await resumed!.done).toMatchObject({ status: 'SUCCEEDED', output: [2, 4, 6] });
    const all = await store.read(execution.identity.executionArn);
    expect(await second.replay({ executionArn: execution.identity.executionArn })).toEqual({ ok: true, replayedEvents: all.length });
    execution.stop();
  });
});

describe.each(stores)('a Distributed Map beside other work on %s', (_name, open) => {
  const SLOW = 'arn:aws:lambda:us-east-1:123456789012:function:slow';
  const FAST = 'arn:aws:lambda:us-east-1:123456789012:function:fast';
  // The Map's child executions answer after the other branch's Task has: the parent records that
  // Task's events while the Map Run is still under way, and nothing of the children until it ends.
  const definition = parallelOf(
    { StartAt: 'Fan', States: { Fan: { Type: 'Map', End: true, ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Slow', States: { Slow: { Type: 'Task', Resource: SLOW, End: true } } } } } },
    { StartAt: 'Quick', States: { Quick: { Type: 'Task', Resource: FAST, End: true } } },
  );
  const handlers = (runtime: ReturnType<typeof createRuntime>) => {
    runtime.handle(SLOW, ({ input }) => new Promise((r) => setTimeout(() => r({ slow: input }), 30)));
    runtime.handle(FAST, () => ({ fast: true }));
  };
  const output = [[{ slow: 1 }, { slow: 2 }], { fast: true }];

  it('records a history that replays, and that a resume from any of its events finishes alike', async () => {
    const store = await open();
    const runtime = createRuntime({ store, clock: 'virtual' });
    handlers(runtime);
    const execution = runtime.startExecution({ definition, input: [1, 2], name: 'beside' });
    expect(await execution.done).toMatchObject({ status: 'SUCCEEDED', output });
    const arn = execution.identity.executionArn;
    const recorded = await store.read(arn);
    const types = recorded.map((e) => e.type);
    expect(types.indexOf('LambdaFunctionSucceeded')).toBeLessThan(types.indexOf('MapRunSucceeded'));
    // The replay used to wait for the children first, and diverged at the other branch's events.
    expect(await runtime.replay({ executionArn: arn })).toEqual({ ok: true, replayedEvents: recorded.length });

    for (let k = 1; k < recorded.length; k++) {
      const resumer = createRuntime({ store: await diedAfter(store, arn, k), clock: 'virtual' });
      handlers(resumer);
      const [resumed] = await resumer.start();
      expect(await resumed!.done, `resumed after event ${k}`).toMatchObject({ status: 'SUCCEEDED', output });
    }
  });
});
