import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../src/execution/history-event.js';
import { childStateMachineArnOf, countChildren, mapRunsOfHistory } from '../../src/runtime/map-runs.js';
import type { ExecutionMetadata } from '../../src/store/event-store.js';
import { createRuntime, type StateMachineDefinition } from '../../src/index.js';
import { ManualClock } from '../execution/journal-stores.js';

const RUN = (n: number) => `arn:aws:states:us-east-1:123456789012:mapRun:M/L${n}:00${n}`;
const ev = (id: number, previousEventId: number, type: string, details?: Record<string, unknown>): HistoryEvent => {
  const e: HistoryEvent = { id, previousEventId, timestamp: 1000 + id, type: type as HistoryEvent['type'] };
  if (details) e[type === 'MapStateEntered' ? 'stateEnteredEventDetails' : type === 'MapStateStarted' ? 'mapStateStartedEventDetails' : 'mapRunStartedEventDetails'] = details;
  return e;
};

describe('Map Runs read from a parent history', () => {
  it('pairs each end with its own start by following the thread back, for Maps that run side by side', () => {
    // Two Distributed Maps in two Parallel branches, their events interleaved.
    const events = [
      ev(1, 0, 'ExecutionStarted'),
      ev(2, 1, 'MapStateEntered', { name: 'Left' }), ev(3, 1, 'MapStateEntered', { name: 'Right' }),
      ev(4, 2, 'MapStateStarted', { length: 5 }), ev(5, 3, 'MapStateStarted', { length: 2 }),
      ev(6, 4, 'MapRunStarted', { mapRunArn: RUN(1) }), ev(7, 5, 'MapRunStarted', { mapRunArn: RUN(2) }),
      ev(8, 7, 'MapRunFailed'), ev(9, 6, 'MapRunSucceeded'),
    ];
    expect(mapRunsOfHistory(events)).toEqual([
      { mapRunArn: RUN(1), stateName: 'Left', status: 'SUCCEEDED', startDate: 1006, stopDate: 1009, itemCount: 5, redriveCount: 0 },
      { mapRunArn: RUN(2), stateName: 'Right', status: 'FAILED', startDate: 1007, stopDate: 1008, itemCount: 2, redriveCount: 0 },
    ]);
    expect(mapRunsOfHistory(events.slice(0, 8))[0]).toMatchObject({ status: 'RUNNING' });
  });

  it('a redrive of the parent runs the same Map Run again: MapRunRedriven reopens it, its next end closes it', () => {
    const redriven = (id: number, previousEventId: number, redriveCount: number): HistoryEvent =>
      ({ id, previousEventId, timestamp: 1000 + id, type: 'MapRunRedriven', mapRunRedrivenEventDetails: { mapRunArn: RUN(1), redriveCount } });
    const events = [
      ev(1, 0, 'ExecutionStarted'), ev(2, 1, 'MapStateEntered', { name: 'Fan' }), ev(3, 2, 'MapStateStarted', { length: 3 }),
      ev(4, 3, 'MapRunStarted', { mapRunArn: RUN(1) }), ev(5, 4, 'MapRunFailed'), ev(6, 5, 'MapStateFailed'), ev(7, 6, 'ExecutionFailed'),
      ev(8, 7, 'ExecutionRedriven'), ev(9, 8, 'MapStateEntered', { name: 'Fan' }), ev(10, 9, 'MapStateStarted', { length: 3 }),
      redriven(11, 10, 1),
    ];
    expect(mapRunsOfHistory(events)).toEqual([{ mapRunArn: RUN(1), stateName: 'Fan', status: 'RUNNING', startDate: 1004, itemCount: 3, redriveCount: 1, redriveDate: 1011 }]);
    expect(mapRunsOfHistory([...events, ev(12, 11, 'MapRunSucceeded')])).toEqual([
      { mapRunArn: RUN(1), stateName: 'Fan', status: 'SUCCEEDED', startDate: 1004, stopDate: 1012, itemCount: 3, redriveCount: 1, redriveDate: 1011 },
    ]);
  });

  it('counts children by status, the ones not started as pending', () => {
    const child = (status: ExecutionMetadata['status']): ExecutionMetadata => ({ executionArn: 'x', stateMachineArn: 'y', name: 'n', status, startDate: 1 });
    expect(countChildren([child('SUCCEEDED'), child('FAILED'), child('RUNNING'), child('ABORTED'), child('TIMED_OUT')], 7)).toEqual({
      pending: 2, running: 1, succeeded: 1, failed: 1, timedOut: 1, aborted: 1, total: 7, resultsWritten: 4, failuresNotRedrivable: 0, pendingRedrive: 0,
    });
  });

  it('names the children\'s state machine <machine>/<label>', () => {
    expect(childStateMachineArnOf(RUN(1))).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:M/L1');
  });
});

describe('a Map Run with a ResultWriter counts its results written', () => {
  it('as none while it runs, and every item, pending ones too, once it has ended (as recorded against AWS)', async () => {
    const clock = new ManualClock();
    const runtime = createRuntime({ clock });
    runtime.handle('arn:aws:states:::s3:putObject', () => ({}));
    const definition = {
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Map', Label: 'Fan', ItemsPath: '$.items', MaxConcurrency: 1, ToleratedFailureCount: 0, End: true,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Nap',
            States: { Nap: { Type: 'Wait', Seconds: 5, Next: 'Decide' }, Decide: { Type: 'Choice', Choices: [{ Variable: '$.fail', BooleanEquals: true, Next: 'Boom' }], Default: 'Ok' }, Boom: { Type: 'Fail', Error: 'Item.Failed' }, Ok: { Type: 'Pass', End: true } },
          },
          ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'b', Prefix: 'p' } },
        },
      },
    } as unknown as StateMachineDefinition;
    const parent = runtime.startExecution({ definition, input: { items: [{ fail: true }, {}, {}, {}] }, stateMachineName: 'Lifecycle' });
    await new Promise((r) => setTimeout(r, 20));
    const [running] = await runtime.describeMapRuns(parent.identity.executionArn);
    expect(running).toMatchObject({ status: 'RUNNING', itemCounts: { running: 1, pending: 3, resultsWritten: 0 } });
    clock.advance(5_000);
    expect((await parent.done).status).toBe('FAILED');
    await new Promise((r) => setTimeout(r, 20));
    const [ended] = await runtime.describeMapRuns(parent.identity.executionArn);
    expect(ended).toMatchObject({ status: 'FAILED', itemCounts: { failed: 1, pending: 3, total: 4, resultsWritten: 4 }, executionCounts: { resultsWritten: 4 } });
    await runtime.close();
  });
});
