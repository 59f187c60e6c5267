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
  it('aborts the state each other iteration waits in, then the iteration, threaded on the failure as AWS records it', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    runtime.handle(FUNCTION, () => new Promise(() => {})); // never answers
    const execution = runtime.startExecution({ definition, input: { items: ['fail', 'call', 'wait'] } });
    const result = await execution.done;
    expect(result).toMatchObject({ status: 'FAILED', error: 'Item.Failed', cause: 'item 0' });
    const events = execution.events;
    const failed = events.find((e) => e.type === 'MapIterationFailed')!;
    const boom = events.find((e) => e.type === 'FailStateEntered')!;
    expect(failed.previousEventId).toBe(boom.id);
    // Once the Map handles the failure: each in-flight iteration, in index order, its waiting
    // state aborted then itself; all of them, and MapStateFailed, point at the failure's event.
    const after = events.slice(events.findIndex((e) => e.type === 'TaskStateAborted'));
    expect(events.indexOf(failed)).toBeLessThan(events.indexOf(after[0]!));
    expect(after.map((e) => e.type)).toEqual([
      'TaskStateAborted', 'MapIterationAborted', 'WaitStateAborted', 'MapIterationAborted', 'MapStateFailed', 'ExecutionFailed',
    ]);
    expect(after.slice(0, 5).map((e) => e.previousEventId)).toEqual([boom.id, boom.id, boom.id, boom.id, boom.id]);
    expect(after.filter((e) => e.type === 'MapIterationAborted').map((e) => e.mapIterationAbortedEventDetails)).toEqual([
      { index: 1, name: 'Each' }, { index: 2, name: 'Each' },
    ]);
    expect(brief(after[0]!)).toBe(`${after[0]!.id}<-${boom.id} TaskStateAborted`);
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
