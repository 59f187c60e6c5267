import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMemoryEventStore, createRuntime, openFileEventStore, type StateMachineDefinition } from '../../src/index.js';
import type { EventStore } from '../../src/store/event-store.js';
import type { HistoryEvent } from '../../src/execution/history-event.js';

// The shapes asserted here are AWS's (checked against AWS recordings of RedriveExecution, 2026-09,
// us-west-2): a redrive enters no state again; the first event of the state it picks up threads on
// that state's original *StateEntered, `$$.State.EnteredTime` stays the original, RetryCount starts
// again from 0, `$$.Execution` shows the new RedriveCount and RedriveTime.

const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:work';
const ASK = 'arn:aws:states:::sqs:sendMessage.waitForTaskToken';
const CONTEXT = { 'state.$': '$$.State', 'execution.$': '$$.Execution' };
/** What a fork shows the same: its `$$.Execution` has an Id and Name of its own. */
const FORKABLE_CONTEXT = { 'state.$': '$$.State', 'redriveCount.$': '$$.Execution.RedriveCount' };

/** `id<previousEventId Type[ name]`, as the recordings are transcribed. */
const shape = (events: readonly HistoryEvent[]) => events.map((e) => `${e.id}<${e.previousEventId} ${e.type}${e.stateEnteredEventDetails?.name || e.stateExitedEventDetails?.name ? ` ${e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name}` : ''}`);

const stores: [string, () => Promise<EventStore>][] = [
  ['memory', async () => createMemoryEventStore()],
  ['file', async () => openFileEventStore(fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-redrive-shape-')))],
];

type Seen = { state: { Name: string; EnteredTime: string; RetryCount: number }; execution: { RedriveCount: number; RedriveTime?: string } };

describe.each(stores)('a redriven execution as AWS records it (%s store)', (_kind, openStore) => {
  it('picks a Task with Retry up on its original entry, its retries counted again, redriven twice', async () => {
    const store = await openStore();
    const runtime = createRuntime({ store, clock: 'virtual' });
    const seen: { state: Seen['state']; redriveCount: number }[] = [];
    let fixed = false;
    runtime.handle(LAMBDA, ({ input }) => {
      seen.push(input as (typeof seen)[number]);
      if (!fixed) throw Object.assign(new Error('again'), { name: 'Probe.Retry' });
      return { fixed: true };
    });
    const definition: StateMachineDefinition = {
      StartAt: 'Before',
      States: {
        Before: { Type: 'Pass', Next: 'Work' },
        Work: { Type: 'Task', Resource: LAMBDA, Parameters: FORKABLE_CONTEXT, Retry: [{ ErrorEquals: ['Probe.Retry'], IntervalSeconds: 1, MaxAttempts: 1, BackoffRate: 1 }], ResultPath: '$.work', Next: 'Finish' },
        Finish: { Type: 'Pass', Parameters: { 'redriveCount.$': '$$.Execution.RedriveCount', 'redriveTime.$': '$$.Execution.RedriveTime' }, End: true },
      },
    };
    const execution = runtime.startExecution({ definition, name: 'sequence' });
    const arn = execution.identity.executionArn;
    expect(await execution.done).toMatchObject({ status: 'FAILED', error: 'Probe.Retry' });
    expect(await (await runtime.redrive(arn)).done).toMatchObject({ status: 'FAILED', error: 'Probe.Retry' });
    fixed = true;
    const result = await (await runtime.redrive(arn)).done;
    const events = await store.read(arn);
    expect(shape(events)).toEqual([
      '1<0 ExecutionStarted', '2<0 PassStateEntered Before', '3<2 PassStateExited Before', '4<3 TaskStateEntered Work',
      '5<4 LambdaFunctionScheduled', '6<5 LambdaFunctionStarted', '7<6 LambdaFunctionFailed',
      '8<7 LambdaFunctionScheduled', '9<8 LambdaFunctionStarted', '10<9 LambdaFunctionFailed', '11<10 ExecutionFailed',
      '12<11 ExecutionRedriven', '13<4 LambdaFunctionScheduled', '14<13 LambdaFunctionStarted', '15<14 LambdaFunctionFailed',
      '16<15 LambdaFunctionScheduled', '17<16 LambdaFunctionStarted', '18<17 LambdaFunctionFailed', '19<18 ExecutionFailed',
      '20<19 ExecutionRedriven', '21<4 LambdaFunctionScheduled', '22<21 LambdaFunctionStarted', '23<22 LambdaFunctionSucceeded',
      '24<23 TaskStateExited Work', '25<24 PassStateEntered Finish', '26<25 PassStateExited Finish', '27<26 ExecutionSucceeded',
    ]);
    const iso = (id: number) => new Date(events[id - 1]!.timestamp).toISOString();
    expect(seen.map((s) => [s.state.EnteredTime, s.state.RetryCount, s.redriveCount])).toEqual([[iso(4), 0, 0], [iso(4), 1, 0], [iso(4), 0, 1], [iso(4), 1, 1], [iso(4), 0, 2]]);
    expect(result.output).toEqual({ redriveCount: 2, redriveTime: iso(20) });
    expect(await runtime.replay({ executionArn: arn })).toEqual({ ok: true, replayedEvents: events.length });
    // Every fork of it replays, and one forked before a redrive's end ends as it did.
    for (const e of events.slice(1)) {
      const fork = await runtime.fork(arn, { fromEventId: e.id });
      await fork.done;
      expect((await runtime.replay({ executionArn: fork.identity.executionArn })).ok, `fork at ${e.id}`).toBe(true);
    }
    await runtime.close();
  });

  it('fails a Fail state again straight after ExecutionRedriven, entering nothing', async () => {
    const store = await openStore();
    const runtime = createRuntime({ store, clock: 'virtual' });
    const execution = runtime.startExecution({ definition: { StartAt: 'Broken', States: { Broken: { Type: 'Fail', Error: 'Probe.Explicit', Cause: 'same Fail state' } } } });
    const arn = execution.identity.executionArn;
    await execution.done;
    expect(await (await runtime.redrive(arn)).done).toMatchObject({ status: 'FAILED', error: 'Probe.Explicit', cause: 'same Fail state' });
    const events = await store.read(arn);
    expect(shape(events)).toEqual(['1<0 ExecutionStarted', '2<0 FailStateEntered Broken', '3<2 ExecutionFailed', '4<3 ExecutionRedriven', '5<4 ExecutionFailed']);
    expect(events[4]!.executionFailedEventDetails).toEqual(events[2]!.executionFailedEventDetails);
    expect(await runtime.replay({ executionArn: arn })).toEqual({ ok: true, replayedEvents: 5 });
    expect(await runtime.execution(arn).stateAt()).toMatchObject({ status: 'FAILED', failedState: 'Broken', redriveCount: 1 });
    await runtime.close();
  });

  it('waits a Wait its execution was aborted in for its full time again, from the redrive', async () => {
    const store = await openStore();
    // The real clock for the run that is stopped: on the virtual one the Wait would be over before the stop.
    const first = createRuntime({ store, clock: 'real' });
    const execution = first.startExecution({ definition: { StartAt: 'Pause', States: { Pause: { Type: 'Wait', Seconds: 30, Next: 'After' }, After: { Type: 'Pass', End: true } } } });
    const arn = execution.identity.executionArn;
    await new Promise((r) => setTimeout(r, 20));
    execution.stop('Probe.Abort', 'owned explicit abort');
    expect(await execution.done).toMatchObject({ status: 'ABORTED' });
    const runtime = createRuntime({ store, clock: 'virtual' });
    expect(await (await runtime.redrive(arn)).done).toMatchObject({ status: 'SUCCEEDED' });
    const events = await store.read(arn);
    expect(shape(events)).toEqual([
      '1<0 ExecutionStarted', '2<0 WaitStateEntered Pause', '3<0 ExecutionAborted', '4<3 ExecutionRedriven',
      '5<2 WaitStateExited Pause', '6<5 PassStateEntered After', '7<6 PassStateExited After', '8<7 ExecutionSucceeded',
    ]);
    expect(events[4]!.timestamp - events[3]!.timestamp).toBe(30_000);
    expect(await runtime.replay({ executionArn: arn })).toEqual({ ok: true, replayedEvents: events.length });
    await runtime.close();
  });

  // A task that waits for its token: the virtual clock runs its timeouts out at once.
  const asking = (runtime: ReturnType<typeof createRuntime>, answer: () => boolean) => {
    runtime.handle(ASK, ({ input }) => {
      const { token } = input as { token: string };
      if (answer()) void Promise.resolve().then(() => runtime.sendTaskSuccess(token, { recovered: true }));
      return null;
    });
  };

  it('reschedules a Task that timed out, its timeout counted from the new schedule', async () => {
    const store = await openStore();
    const runtime = createRuntime({ store, clock: 'virtual' });
    let answer = false;
    asking(runtime, () => answer);
    const definition: StateMachineDefinition = { StartAt: 'Slow', States: { Slow: { Type: 'Task', Resource: ASK, Parameters: { 'token.$': '$$.Task.Token' }, TimeoutSeconds: 2, End: true } } };
    const execution = runtime.startExecution({ definition });
    const arn = execution.identity.executionArn;
    expect(await execution.done).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    answer = true;
    expect(await (await runtime.redrive(arn)).done).toMatchObject({ status: 'SUCCEEDED', output: { recovered: true } });
    const events = await store.read(arn);
    expect(shape(events)).toEqual([
      '1<0 ExecutionStarted', '2<0 TaskStateEntered Slow', '3<2 TaskScheduled', '4<3 TaskStarted', '5<4 TaskTimedOut', '6<5 ExecutionFailed',
      '7<6 ExecutionRedriven', '8<2 TaskScheduled', '9<8 TaskStarted', '10<9 TaskSucceeded', '11<10 TaskStateExited Slow', '12<11 ExecutionSucceeded',
    ]);
    expect(await runtime.replay({ executionArn: arn })).toEqual({ ok: true, replayedEvents: events.length });
    await runtime.close();
  });

  it('reschedules the Task an execution timed out in, the execution timeout counted again from the redrive', async () => {
    const store = await openStore();
    const runtime = createRuntime({ store, clock: 'virtual' });
    let answer = false;
    asking(runtime, () => answer);
    const definition: StateMachineDefinition = { TimeoutSeconds: 8, StartAt: 'Deadline', States: { Deadline: { Type: 'Task', Resource: ASK, Parameters: { 'token.$': '$$.Task.Token' }, End: true } } };
    const execution = runtime.startExecution({ definition });
    const arn = execution.identity.executionArn;
    expect(await execution.done).toMatchObject({ status: 'TIMED_OUT' });
    answer = true;
    expect(await (await runtime.redrive(arn)).done).toMatchObject({ status: 'SUCCEEDED', output: { recovered: true } });
    const events = await store.read(arn);
    expect(shape(events)).toEqual([
      '1<0 ExecutionStarted', '2<0 TaskStateEntered Deadline', '3<2 TaskScheduled', '4<3 TaskStarted', '5<0 ExecutionTimedOut',
      '6<5 ExecutionRedriven', '7<2 TaskScheduled', '8<7 TaskStarted', '9<8 TaskSucceeded', '10<9 TaskStateExited Deadline', '11<10 ExecutionSucceeded',
    ]);
    // Redriven more than TimeoutSeconds after the start, it still runs to its end.
    expect(events[5]!.timestamp - events[0]!.timestamp).toBeGreaterThanOrEqual(8000);
    expect(await runtime.replay({ executionArn: arn })).toEqual({ ok: true, replayedEvents: events.length });
    await runtime.close();
  });
});

describe.each(stores)('a redriven Parallel as AWS records it (%s store)', (_kind, openStore) => {
  it('goes on in each unsuccessful branch from the state it stopped in, keeping the branches that succeeded, redriven twice', async () => {
    const store = await openStore();
    const runtime = createRuntime({ store, clock: 'virtual' });
    let phase = 0;
    const calls: string[] = [];
    runtime.handle(LAMBDA, async ({ input }) => {
      const { branch } = input as { branch: string };
      calls.push(`${phase}:${branch}`);
      if (phase === 0 && branch === 'Aborted') return new Promise(() => {});
      if (phase < 2 && branch === 'Failed') {
        await new Promise((r) => setTimeout(r, 5));
        throw Object.assign(new Error('no'), { name: 'Probe.Retry' });
      }
      return { branch, fixed: phase > 0 };
    });
    const task = (branch: string) => ({ Type: 'Task' as const, Resource: LAMBDA, Parameters: { branch }, End: true });
    const definition: StateMachineDefinition = {
      StartAt: 'Parallel',
      States: {
        Parallel: {
          Type: 'Parallel', End: true,
          Branches: [
            { StartAt: 'Succeeded', States: { Succeeded: task('Succeeded') } },
            { StartAt: 'Prepare', States: { Prepare: { Type: 'Pass', Next: 'Failed' }, Failed: task('Failed') } },
            { StartAt: 'Aborted', States: { Aborted: task('Aborted') } },
          ],
        },
      },
    };
    const execution = runtime.startExecution({ definition });
    const arn = execution.identity.executionArn;
    expect(await execution.done).toMatchObject({ status: 'FAILED', error: 'Probe.Retry' });
    phase = 1;
    expect(await (await runtime.redrive(arn)).done).toMatchObject({ status: 'FAILED', error: 'Probe.Retry' });
    phase = 2;
    const result = await (await runtime.redrive(arn)).done;
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: [{ branch: 'Succeeded', fixed: false }, { branch: 'Failed', fixed: true }, { branch: 'Aborted', fixed: true }] });
    // Succeeded ran once; Aborted once more (it succeeded in the first redrive); Failed in each redrive.
    expect(calls.filter((c) => c.endsWith('Succeeded'))).toEqual(['0:Succeeded']);
    expect(calls.filter((c) => c.endsWith('Aborted'))).toEqual(['0:Aborted', '1:Aborted']);
    expect(calls.filter((c) => c.endsWith('Failed'))).toEqual(['0:Failed', '1:Failed', '2:Failed']);
    const events = await store.read(arn);
    const idOf = (type: string, name: string) => events.find((e) => e.type === type && e.stateEnteredEventDetails?.name === name)!.id;
    const [first, second] = events.filter((e) => e.type === 'ExecutionRedriven').map((e) => e.id);
    // The first run's failure as AWS records it: the Task the failed branch failed in is aborted,
    // then the running branch's; all threaded on the failure, as ParallelStateFailed is.
    const failedAt = events.find((e) => e.type === 'LambdaFunctionFailed')!.id;
    expect(shape(events.slice(failedAt - 1, first!))).toEqual([
      `${failedAt}<${failedAt - 4} LambdaFunctionFailed`, `${failedAt + 1}<${failedAt} TaskStateAborted`, `${failedAt + 2}<${failedAt} TaskStateAborted`,
      `${failedAt + 3}<${failedAt} ParallelStateFailed`, `${failedAt + 4}<${failedAt + 3} ExecutionFailed`, `${first}<${failedAt + 4} ExecutionRedriven`,
    ]);
    // The first redrive's failure: the Aborted branch succeeded in it, so only Failed's Task is aborted.
    const failedAgain = events.find((e) => e.id > first! && e.type === 'LambdaFunctionFailed')!.id;
    expect(shape(events.slice(failedAgain, second! - 1)).map((s) => s.replace(/^\d+<\d+ /, ''))).toEqual(['TaskStateAborted', 'ParallelStateFailed', 'ExecutionFailed']);
    // No state is entered, nor the Parallel started, again.
    expect(events.filter((e) => e.type === 'ParallelStateEntered' || e.type === 'ParallelStateStarted')).toHaveLength(2);
    expect(events.filter((e) => e.type.endsWith('StateEntered'))).toHaveLength(5);
    const scheduled = (after: number) => events.filter((e) => e.id > after && e.type === 'LambdaFunctionScheduled' && events[e.previousEventId - 1]!.type === 'TaskStateEntered').map((e) => e.previousEventId);
    expect(scheduled(first!).slice(0, 2)).toEqual([idOf('TaskStateEntered', 'Failed'), idOf('TaskStateEntered', 'Aborted')]);
    expect(scheduled(second!)[0]).toBe(idOf('TaskStateEntered', 'Failed'));
    expect(events[second!]).toMatchObject({ type: 'LambdaFunctionScheduled', previousEventId: idOf('TaskStateEntered', 'Failed') });
    const [succeeded, exited, end] = events.slice(-3);
    expect([succeeded!.type, exited!.type, end!.type]).toEqual(['ParallelStateSucceeded', 'ParallelStateExited', 'ExecutionSucceeded']);
    expect(succeeded!.previousEventId).toBe(exited!.previousEventId);
    expect(events[succeeded!.previousEventId - 1]).toMatchObject({ type: 'TaskStateExited', stateExitedEventDetails: { name: 'Failed' } });
    expect(await runtime.replay({ executionArn: arn })).toEqual({ ok: true, replayedEvents: events.length });
    const state = await runtime.execution(arn).stateAt(events[second! - 1]!.id);
    expect(only(state.active).children!.map((c) => [c.index, c.status, c.active.map((a) => a.name)])).toEqual([[0, 'SUCCEEDED', []], [1, 'FAILED', []], [2, 'SUCCEEDED', []]]);
    const running = await runtime.execution(arn).stateAt(events[second!]!.id);
    expect(only(running.active).children!.map((c) => [c.index, c.status, c.active.map((a) => a.name)])).toEqual([[0, 'SUCCEEDED', []], [1, 'RUNNING', ['Failed']], [2, 'SUCCEEDED', []]]);
    for (const e of events.slice(1)) {
      const fork = await runtime.fork(arn, { fromEventId: e.id });
      fork.done.catch(() => {});
      expect((await runtime.replay({ executionArn: fork.identity.executionArn })).ok, `fork at ${e.id}`).toBe(true);
    }
    await runtime.close();
  });
});

describe.each(stores)('a redriven inline Map as AWS records it (%s store)', (_kind, openStore) => {
  it('goes on with the failed iteration in its own state, starts the ones never started, keeps those that succeeded', async () => {
    const store = await openStore();
    const runtime = createRuntime({ store, clock: 'virtual' });
    let fixed = false;
    const seen: { index: number; state: Seen['state']; redriveCount: number }[] = [];
    runtime.handle(LAMBDA, ({ input }) => {
      const i = input as (typeof seen)[number];
      seen.push(i);
      if (!fixed && i.index === 1) throw Object.assign(new Error('no'), { name: 'Probe.Retry' });
      return { index: i.index, fixed };
    });
    const definition: StateMachineDefinition = {
      StartAt: 'InlineMap',
      States: {
        InlineMap: {
          Type: 'Map', ItemsPath: '$.items', MaxConcurrency: 1, End: true,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Prepare',
            States: { Prepare: { Type: 'Pass', Next: 'MapItem' }, MapItem: { Type: 'Task', Resource: LAMBDA, Parameters: { 'index.$': '$.index', ...FORKABLE_CONTEXT }, End: true } },
          },
        },
      },
    };
    const execution = runtime.startExecution({ definition, input: { items: [{ index: 0 }, { index: 1 }, { index: 2 }] } });
    const arn = execution.identity.executionArn;
    expect(await execution.done).toMatchObject({ status: 'FAILED', error: 'Probe.Retry' });
    fixed = true;
    expect(await (await runtime.redrive(arn)).done).toMatchObject({ status: 'SUCCEEDED', output: [{ index: 0, fixed: false }, { index: 1, fixed: true }, { index: 2, fixed: true }] });
    const events = await store.read(arn);
    expect(shape(events)).toEqual([
      '1<0 ExecutionStarted', '2<0 MapStateEntered InlineMap', '3<2 MapStateStarted',
      '4<3 MapIterationStarted', '5<4 PassStateEntered Prepare', '6<5 PassStateExited Prepare', '7<6 TaskStateEntered MapItem',
      '8<7 LambdaFunctionScheduled', '9<8 LambdaFunctionStarted', '10<9 LambdaFunctionSucceeded', '11<10 TaskStateExited MapItem', '12<11 MapIterationSucceeded',
      '13<11 MapIterationStarted', '14<13 PassStateEntered Prepare', '15<14 PassStateExited Prepare', '16<15 TaskStateEntered MapItem',
      '17<16 LambdaFunctionScheduled', '18<17 LambdaFunctionStarted', '19<18 LambdaFunctionFailed', '20<19 MapIterationFailed', '21<19 TaskStateAborted', '22<19 MapStateFailed', '23<22 ExecutionFailed',
      '24<23 ExecutionRedriven', '25<16 LambdaFunctionScheduled', '26<25 LambdaFunctionStarted', '27<26 LambdaFunctionSucceeded', '28<27 TaskStateExited MapItem', '29<28 MapIterationSucceeded',
      '30<28 MapIterationStarted', '31<30 PassStateEntered Prepare', '32<31 PassStateExited Prepare', '33<32 TaskStateEntered MapItem',
      '34<33 LambdaFunctionScheduled', '35<34 LambdaFunctionStarted', '36<35 LambdaFunctionSucceeded', '37<36 TaskStateExited MapItem', '38<37 MapIterationSucceeded',
      '39<38 MapStateSucceeded', '40<38 MapStateExited InlineMap', '41<40 ExecutionSucceeded',
    ]);
    expect(events.filter((e) => e.type === 'MapIterationStarted' || e.type === 'MapIterationSucceeded').map((e) => [e.id, e.mapIterationStartedEventDetails?.index ?? e.mapIterationSucceededEventDetails?.index]))
      .toEqual([[4, 0], [12, 0], [13, 1], [29, 1], [30, 2], [38, 2]]);
    const iso = (id: number) => new Date(events[id - 1]!.timestamp).toISOString();
    // Item 1 keeps its original EnteredTime; item 2, entered after the redrive, has its own.
    expect(seen.map((s) => [s.index, s.state.EnteredTime, s.state.RetryCount, s.redriveCount])).toEqual([[0, iso(7), 0, 0], [1, iso(16), 0, 0], [1, iso(16), 0, 1], [2, iso(33), 0, 1]]);
    expect(await runtime.replay({ executionArn: arn })).toEqual({ ok: true, replayedEvents: events.length });
    const at = async (id: number) => only((await runtime.execution(arn).stateAt(id)).active).children!.map((c) => [c.index, c.status, c.active.map((a) => a.name)]);
    expect(await at(24)).toEqual([[0, 'SUCCEEDED', []], [1, 'FAILED', []]]);
    expect(await at(25)).toEqual([[0, 'SUCCEEDED', []], [1, 'RUNNING', ['MapItem']]]);
    expect(await at(30)).toEqual([[0, 'SUCCEEDED', []], [1, 'SUCCEEDED', []], [2, 'RUNNING', []]]);
    expect((await runtime.execution(arn).stateAt(25)).mapIterations[0]).toMatchObject({ length: 3, running: 1, succeeded: 1, failed: 0, closed: false });
    expect((await runtime.execution(arn).stateAt()).mapIterations[0]).toMatchObject({ length: 3, running: 0, succeeded: 3, failed: 0, closed: true });
    for (const e of events.slice(1)) {
      const fork = await runtime.fork(arn, { fromEventId: e.id });
      fork.done.catch(() => {});
      expect((await runtime.replay({ executionArn: fork.identity.executionArn })).ok, `fork at ${e.id}`).toBe(true);
    }
    await runtime.close();
  });
});

const only = <T>(items: T[]): T => {
  expect(items).toHaveLength(1);
  return items[0]!;
};

describe('a redriven execution whose process stops in the middle of it (file store)', () => {
  it('is resumed by another process with the same events, and redriven again', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-redrive-crash-'));
    const open = async (answer: () => Promise<unknown>) => {
      const runtime = createRuntime({ clock: 'virtual', store: await openFileEventStore(dir) });
      runtime.handle(LAMBDA, answer);
      return runtime;
    };
    const definition: StateMachineDefinition = { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: LAMBDA, Parameters: CONTEXT, Next: 'Rest' }, Rest: { Type: 'Wait', Seconds: 60, End: true } } };
    try {
      let runtime = await open(() => Promise.reject(Object.assign(new Error('down'), { name: 'Outage' })));
      const execution = runtime.startExecution({ definition, name: 'crash', input: { order: 7 } });
      const arn = execution.identity.executionArn;
      await execution.done;
      await runtime.close();
      runtime = await open(() => new Promise(() => {}));
      const redriven = await runtime.redrive(arn);
      redriven.done.catch(() => {});
      await new Promise((r) => setTimeout(r, 30));
      await runtime.close();
      // The process stopped with the redriven task in flight: the next one runs it on.
      const seen: Seen[] = [];
      runtime = await open(async () => ({ ok: true }));
      runtime.handle(LAMBDA, ({ input }) => {
        seen.push(input as Seen);
        return { ok: true };
      });
      await runtime.start();
      await expect.poll(async () => (await runtime.execution(arn).describe())?.status).toBe('SUCCEEDED');
      const events = await runtime.store.read(arn);
      expect(shape(events)).toEqual([
        '1<0 ExecutionStarted', '2<0 TaskStateEntered Work', '3<2 LambdaFunctionScheduled', '4<3 LambdaFunctionStarted', '5<4 LambdaFunctionFailed', '6<5 ExecutionFailed',
        '7<6 ExecutionRedriven', '8<2 LambdaFunctionScheduled', '9<8 LambdaFunctionStarted', '10<9 LambdaFunctionSucceeded', '11<10 TaskStateExited Work',
        '12<11 WaitStateEntered Rest', '13<12 WaitStateExited Rest', '14<13 ExecutionSucceeded',
      ]);
      expect(seen.map((s) => [s.state.EnteredTime, s.state.RetryCount, s.execution.RedriveCount])).toEqual([[new Date(events[1]!.timestamp).toISOString(), 0, 1]]);
      // The input the execution started with, read back from its stored ExecutionStarted.
      expect(seen[0]!.execution).toMatchObject({ Input: { order: 7 }, Name: 'crash' });
      expect(await runtime.replay({ executionArn: arn })).toEqual({ ok: true, replayedEvents: events.length });
      await runtime.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('picks up a redriven Parallel\'s branches as they stood when resumed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-redrive-crash-'));
    const open = async (answer: (branch: string) => Promise<unknown>) => {
      const runtime = createRuntime({ clock: 'virtual', store: await openFileEventStore(dir) });
      runtime.handle(LAMBDA, ({ input }) => answer((input as { branch: string }).branch));
      return runtime;
    };
    const task = (branch: string) => ({ Type: 'Task' as const, Resource: LAMBDA, Parameters: { branch }, End: true });
    const definition: StateMachineDefinition = {
      StartAt: 'Both',
      States: { Both: { Type: 'Parallel', End: true, Branches: [{ StartAt: 'A', States: { A: task('A') } }, { StartAt: 'Prep', States: { Prep: { Type: 'Pass', Next: 'B' }, B: task('B') } }] } },
    };
    try {
      let runtime = await open(async (branch) => {
        if (branch === 'B') throw Object.assign(new Error('down'), { name: 'Outage' });
        return new Promise(() => {});
      });
      const execution = runtime.startExecution({ definition, name: 'crash-parallel' });
      const arn = execution.identity.executionArn;
      await execution.done;
      await runtime.close();
      // The redrive answers A, then the process stops with B's task in flight.
      runtime = await open(async (branch) => (branch === 'A' ? { branch } : new Promise(() => {})));
      (await runtime.redrive(arn)).done.catch(() => {});
      await new Promise((r) => setTimeout(r, 30));
      await runtime.close();
      const calls: string[] = [];
      runtime = await open(async (branch) => {
        calls.push(branch);
        return { branch };
      });
      await runtime.start();
      await expect.poll(async () => (await runtime.execution(arn).describe())?.status).toBe('SUCCEEDED');
      expect(calls).toEqual(['B']);
      const events = await runtime.store.read(arn);
      const entered = (name: string) => events.find((e) => e.type === 'TaskStateEntered' && e.stateEnteredEventDetails?.name === name)!.id;
      const redriven = events.findIndex((e) => e.type === 'ExecutionRedriven');
      expect(events.slice(redriven + 1, redriven + 3).map((e) => [e.type, e.previousEventId])).toEqual([['LambdaFunctionScheduled', entered('A')], ['LambdaFunctionScheduled', entered('B')]]);
      expect(events.slice(redriven).filter((e) => e.type.endsWith('StateEntered'))).toEqual([]);
      expect(events.at(-1)!.executionSucceededEventDetails).toMatchObject({ output: [{ branch: 'A' }, { branch: 'B' }] });
      expect(await runtime.replay({ executionArn: arn })).toEqual({ ok: true, replayedEvents: events.length });
      await runtime.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
