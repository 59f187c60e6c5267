import { describe, expect, it } from 'vitest';
import { createRuntime, type HistoryEvent, type State, type StateMachineDefinition } from '../../../src/index.js';
import { eventDetailsOf } from '../../../src/execution/history-event.js';

const FUNCTION = 'arn:aws:lambda:us-east-1:123456789012:function:slow';

/** A state machine of one Map over `$.items`, whose iterations start at `Route`. */
const mapOver = (iteration: Record<string, State>): StateMachineDefinition => ({
  StartAt: 'Each',
  States: { Each: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'Route', States: iteration }, End: true } },
});

// Item 0 fails at once; item 1 waits in a Task, item 2 in a Wait: the Map fails and aborts them.
const definition = mapOver({
  Route: { Type: 'Choice', Choices: [{ Variable: '$', StringEquals: 'fail', Next: 'Boom' }, { Variable: '$', StringEquals: 'wait', Next: 'Hold' }], Default: 'Call' },
  Boom: { Type: 'Fail', Error: 'Item.Failed', Cause: 'item 0' },
  Call: { Type: 'Task', Resource: FUNCTION, End: true },
  Hold: { Type: 'Wait', Seconds: 3600, End: true },
});

const brief = (e: HistoryEvent) => `${e.id}<-${e.previousEventId} ${e.type}`;

describe('Map: an iteration fails while others are in flight', () => {
  it('aborts each other iteration, then the state it waits in, threaded on the failure as AWS records it', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    runtime.handle(FUNCTION, () => new Promise(() => {})); // never answers
    const execution = runtime.startExecution({ definition, input: { items: ['fail', 'call', 'wait'] } });
    const result = await execution.done;
    expect(result).toMatchObject({ status: 'FAILED', error: 'Item.Failed', cause: 'item 0' });
    const events = execution.events;
    const failed = events.find((e) => e.type === 'MapIterationFailed')!;
    const boom = events.find((e) => e.type === 'FailStateEntered')!;
    expect(failed.previousEventId).toBe(boom.id);
    // Once the Map handles the failure: each in-flight iteration, in index order, aborted then
    // its waiting state (recorded against AWS, the map timeout case); all of them, and
    // MapStateFailed, point at the failure's event. A Fail state is terminal: nothing aborts it.
    const after = events.slice(events.findIndex((e) => e.type === 'MapIterationAborted'));
    expect(events.indexOf(failed)).toBeLessThan(events.indexOf(after[0]!));
    expect(after.map((e) => e.type)).toEqual([
      'MapIterationAborted', 'TaskStateAborted', 'MapIterationAborted', 'WaitStateAborted', 'MapStateFailed', 'ExecutionFailed',
    ]);
    expect(after.slice(0, 5).map((e) => e.previousEventId)).toEqual([boom.id, boom.id, boom.id, boom.id, boom.id]);
    expect(after.filter((e) => e.type === 'MapIterationAborted').map((e) => e.mapIterationAbortedEventDetails)).toEqual([
      { index: 1, name: 'Each' }, { index: 2, name: 'Each' },
    ]);
    expect(brief(after[1]!)).toBe(`${after[1]!.id}<-${boom.id} TaskStateAborted`);
    // The fold of this history reads the aborts back.
    const state = await runtime.execution(execution.identity.executionArn).stateAt();
    expect(state.active).toEqual([]);
    expect(state.mapIterations[0]).toMatchObject({ failed: 1, aborted: 2, running: 0, closed: true });
  });

  it('aborts each iteration in flight once, with the one state it waits in', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    runtime.handle(FUNCTION, () => new Promise(() => {}));
    const result = await runtime.startExecution({ definition, input: { items: ['call', 'call', 'fail'] } });
    await result.done;
    const types = result.events.map((e) => e.type);
    expect(types.filter((t) => t === 'TaskStateAborted')).toHaveLength(2);
    expect(types.filter((t) => t === 'MapIterationAborted')).toHaveLength(2);
  });
});

describe('Map: an iteration fails after others have already ended', () => {
  // Iterations of instant states (here Choice, Pass, Fail) end in the step that starts them, so
  // items 2 and 3 record MapIterationSucceeded before the Map reads item 1's failure.
  const instant = mapOver({
    Route: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 1, Next: 'Boom' }], Default: 'Keep' },
    Keep: { Type: 'Pass', End: true },
    Boom: { Type: 'Fail', Error: 'Item.Failed' },
  });

  it('does not abort an iteration that has ended', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    const execution = runtime.startExecution({ definition: instant, input: { items: [0, 1, 2, 3] } });
    expect(await execution.done).toMatchObject({ status: 'FAILED', error: 'Item.Failed' });
    const events = execution.events;
    const closing = events.filter((e) => e.type.startsWith('MapIteration') && e.type !== 'MapIterationStarted');
    expect(closing.map((e) => [e.type, (eventDetailsOf(e) as { index: number }).index])).toEqual([
      ['MapIterationSucceeded', 0], ['MapIterationFailed', 1], ['MapIterationSucceeded', 2], ['MapIterationSucceeded', 3],
    ]);
    expect(events.slice(-2).map((e) => e.type)).toEqual(['MapStateFailed', 'ExecutionFailed']);
    const state = await runtime.execution(execution.identity.executionArn).stateAt();
    expect(state.mapIterations[0]).toMatchObject({ failed: 1, aborted: 0, running: 0, closed: true });
  });
});

/** `id<previousEventId Type[ name]`, as the recordings are transcribed. */
const shape = (events: readonly HistoryEvent[]) => events.map((e) => `${e.id}<${e.previousEventId} ${e.type}${e.stateEnteredEventDetails?.name || e.stateExitedEventDetails?.name ? ` ${e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name}` : ''}`);

describe('Map: an iteration fails in a Task', () => {
  const ITEM = 'arn:aws:lambda:us-east-1:123456789012:function:item';
  const oneAtATime = { Type: 'Map' as const, ItemsPath: '$', MaxConcurrency: 1, ItemProcessor: { StartAt: 'T', States: { T: { Type: 'Task' as const, Resource: ITEM, End: true } } } };
  const failing = [
    '1<0 ExecutionStarted', '2<0 MapStateEntered M', '3<2 MapStateStarted',
    '4<3 MapIterationStarted', '5<4 TaskStateEntered T', '6<5 LambdaFunctionScheduled', '7<6 LambdaFunctionStarted', '8<7 LambdaFunctionSucceeded', '9<8 TaskStateExited T', '10<9 MapIterationSucceeded',
    '11<9 MapIterationStarted', '12<11 TaskStateEntered T', '13<12 LambdaFunctionScheduled', '14<13 LambdaFunctionStarted', '15<14 LambdaFunctionFailed',
    '16<15 MapIterationFailed', '17<15 TaskStateAborted', '18<15 MapStateFailed',
  ];
  const runtimeWithItems = () => {
    const runtime = createRuntime({ clock: 'virtual' });
    runtime.handle(ITEM, ({ input }) => (input === 1 ? Promise.reject(Object.assign(new Error('no'), { name: 'Probe.Failed' })) : 'ok'));
    return runtime;
  };

  // Recorded against AWS (2026-09), MaxConcurrency 1, item 0 succeeded, item 1's task failed, item
  // 2 never started: 17<16 ActivityFailed, 18<17 MapIterationFailed, 19<17 TaskStateAborted (the
  // failed iteration's own Task, which never exits), 20<17 MapStateFailed, 21<20 ExecutionFailed.
  it('aborts the Task the iteration failed in after its MapIterationFailed, as recorded against AWS', async () => {
    const runtime = runtimeWithItems();
    const execution = runtime.startExecution({ definition: { StartAt: 'M', States: { M: { ...oneAtATime, End: true } } }, input: [0, 1, 2] });
    expect(await execution.done).toMatchObject({ status: 'FAILED', error: 'Probe.Failed' });
    expect(shape(execution.events)).toEqual([...failing, '19<18 ExecutionFailed']);
    const arn = execution.identity.executionArn;
    expect(await runtime.replay({ executionArn: arn })).toEqual({ ok: true, replayedEvents: 19 });
    const iterations = async (at: number) => (await runtime.execution(arn).stateAt(at)).active[0]!.children!.map((c) => [c.status, c.active.map((a) => a.name)]);
    expect(await iterations(15)).toEqual([['SUCCEEDED', []], ['RUNNING', ['T']]]);
    expect(await iterations(17)).toEqual([['SUCCEEDED', []], ['FAILED', []]]);
    expect((await runtime.execution(arn).stateAt()).mapIterations[0]).toMatchObject({ succeeded: 1, failed: 1, aborted: 0, running: 0, closed: true });
    await runtime.close();
  });

  it('records the same abort before a Catch takes the failure', async () => {
    const runtime = runtimeWithItems();
    const definition: StateMachineDefinition = {
      StartAt: 'M',
      States: { M: { ...oneAtATime, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handled' }], End: true }, Handled: { Type: 'Pass', End: true } },
    };
    const execution = runtime.startExecution({ definition, input: [0, 1, 2] });
    expect(await execution.done).toMatchObject({ status: 'SUCCEEDED' });
    expect(shape(execution.events)).toEqual([...failing, '19<18 MapStateExited M', '20<19 PassStateEntered Handled', '21<20 PassStateExited Handled', '22<21 ExecutionSucceeded']);
    expect(await runtime.replay({ executionArn: execution.identity.executionArn })).toEqual({ ok: true, replayedEvents: 22 });
    await runtime.close();
  });

  // Recorded against AWS (conformance case timeouts.service_lambda_map_timeout): four iterations
  // running, iteration 0's task timed out: 24<20 MapIterationFailed, 25<20 TaskStateAborted, then
  // for each other iteration MapIterationAborted and its TaskStateAborted (26..31, all <20),
  // 32<20 MapStateFailed, 33<32 ExecutionFailed. (AWS's 21..23 are the other iterations' own
  // TaskTimedOut, racing the abort there; here only iteration 0 times out.)
  it('aborts the timed-out iteration\'s Task, then each other iteration and its Task, as recorded against AWS', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    runtime.handle({ state: 'Invoke' }, () => new Promise(() => {}));
    const definition: StateMachineDefinition = {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map', ItemsPath: '$', End: true,
          ItemProcessor: { StartAt: 'Invoke', States: { Invoke: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, TimeoutSecondsPath: '$.timeout', End: true } } },
        },
      },
    };
    const execution = runtime.startExecution({ definition, input: [{ timeout: 1 }, { timeout: 100 }, { timeout: 100 }, { timeout: 100 }] });
    expect(await execution.done).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(shape(execution.events)).toEqual([
      '1<0 ExecutionStarted', '2<0 MapStateEntered M', '3<2 MapStateStarted',
      '4<3 MapIterationStarted', '5<3 MapIterationStarted', '6<3 MapIterationStarted', '7<3 MapIterationStarted',
      '8<4 TaskStateEntered Invoke', '9<8 TaskScheduled', '10<5 TaskStateEntered Invoke', '11<10 TaskScheduled',
      '12<6 TaskStateEntered Invoke', '13<12 TaskScheduled', '14<7 TaskStateEntered Invoke', '15<14 TaskScheduled',
      '16<9 TaskStarted', '17<11 TaskStarted', '18<13 TaskStarted', '19<15 TaskStarted', '20<16 TaskTimedOut',
      '21<20 MapIterationFailed', '22<20 TaskStateAborted',
      '23<20 MapIterationAborted', '24<20 TaskStateAborted', '25<20 MapIterationAborted', '26<20 TaskStateAborted', '27<20 MapIterationAborted', '28<20 TaskStateAborted',
      '29<20 MapStateFailed', '30<29 ExecutionFailed',
    ]);
    expect(execution.events.filter((e) => e.type === 'MapIterationAborted').map((e) => e.mapIterationAbortedEventDetails!.index)).toEqual([1, 2, 3]);
    const arn = execution.identity.executionArn;
    expect(await runtime.replay({ executionArn: arn })).toEqual({ ok: true, replayedEvents: 30 });
    // The fold gives each abort the state of the iteration it follows.
    const iterations = async (at: number) => (await runtime.execution(arn).stateAt(at)).active[0]!.children!.map((c) => [c.status, c.active.length]);
    expect(await iterations(22)).toEqual([['FAILED', 0], ['RUNNING', 1], ['RUNNING', 1], ['RUNNING', 1]]);
    expect(await iterations(24)).toEqual([['FAILED', 0], ['ABORTED', 0], ['RUNNING', 1], ['RUNNING', 1]]);
    expect((await runtime.execution(arn).stateAt()).mapIterations[0]).toMatchObject({ failed: 1, aborted: 3, running: 0, closed: true });
    await runtime.close();
  });
});

describe('Map: an ItemsPath that selects no array', () => {
  // Recorded against AWS (2026-09), us-west-2: `"items": null` and `"items": {"value": 1}` both
  // fail with this cause, without the "An error occurred while executing the state …" prefix, and
  // without MapStateStarted.
  it.each([null, { value: 1 }])('fails with States.Runtime: Reference path "$.items" must point to array. (%j)', async (items) => {
    const definition = {
      StartAt: 'MapInput',
      States: { MapInput: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true } },
    } as StateMachineDefinition;
    const execution = createRuntime({ clock: 'virtual' }).startExecution({ definition, input: { case: 'MapInput', items } });
    expect(await execution.done).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: 'Reference path "$.items" must point to array.' });
    expect(execution.events.map(brief)).toEqual(['1<-0 ExecutionStarted', '2<-0 MapStateEntered', '3<-2 ExecutionFailed']);
  });
});
