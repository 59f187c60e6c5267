import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../src/execution/history-event.js';
import { describeMapRun, mapRunAttemptEnds, mapRunsOfHistory } from '../../src/runtime/map-runs.js';
import { createMemoryEventStore } from '../../src/store/memory-store.js';
import { rememberedEvent, rememberedStreamOf } from '../../src/store/remembered-stream.js';

const RUN = (n: number) => `arn:aws:states:us-east-1:123456789012:mapRun:M/L${n}:00${n}`;
const PARENT = 'arn:aws:states:us-east-1:123456789012:execution:M:parent';
const DETAILS: Record<string, string> = {
  MapStateEntered: 'stateEnteredEventDetails', MapStateStarted: 'mapStateStartedEventDetails',
  MapRunStarted: 'mapRunStartedEventDetails', MapRunRedriven: 'mapRunRedrivenEventDetails',
};
const ev = (id: number, previousEventId: number, type: string, details?: Record<string, unknown>): HistoryEvent => {
  const e: HistoryEvent = { id, previousEventId, timestamp: 1000 + id, type: type as HistoryEvent['type'] };
  if (details) e[DETAILS[type]!] = details;
  return e;
};

describe('Map Runs whose execution ended while they ran', () => {
  it('are ABORTED at the execution\'s end (stopped, timed out, or failed in a Parallel branch beside them), and reopened by a redrive', () => {
    const events = [
      ev(1, 0, 'ExecutionStarted'), ev(2, 1, 'MapStateEntered', { name: 'Fan' }), ev(3, 2, 'MapStateStarted', { length: 2 }),
      ev(4, 3, 'MapRunStarted', { mapRunArn: RUN(1) }), ev(5, 4, 'ExecutionAborted'),
    ];
    for (const end of ['ExecutionAborted', 'ExecutionTimedOut', 'ExecutionFailed']) {
      expect(mapRunsOfHistory([...events.slice(0, 4), ev(5, 4, end)])).toEqual([
        { mapRunArn: RUN(1), stateName: 'Fan', status: 'ABORTED', startDate: 1004, stopDate: 1005, itemCount: 2, redriveCount: 0 },
      ]);
    }
    const redriven = [...events, ev(6, 5, 'ExecutionRedriven'), ev(7, 6, 'MapStateEntered', { name: 'Fan' }), ev(8, 7, 'MapStateStarted', { length: 2 }), ev(9, 8, 'MapRunRedriven', { mapRunArn: RUN(1), redriveCount: 1 })];
    expect(mapRunsOfHistory(redriven)[0]).toMatchObject({ status: 'RUNNING', redriveCount: 1 });
    expect(mapRunsOfHistory(redriven)[0]!.stopDate).toBeUndefined();
  });

  it('tells where each attempt of a Map Run ended, apart from another Map Run running beside it', () => {
    const events = [
      ev(1, 0, 'ExecutionStarted'),
      ev(2, 1, 'MapStateEntered', { name: 'Left' }), ev(3, 1, 'MapStateEntered', { name: 'Right' }),
      ev(4, 2, 'MapStateStarted', { length: 1 }), ev(5, 3, 'MapStateStarted', { length: 1 }),
      ev(6, 4, 'MapRunStarted', { mapRunArn: RUN(1) }), ev(7, 5, 'MapRunStarted', { mapRunArn: RUN(2) }),
      ev(8, 6, 'MapRunFailed'), ev(9, 8, 'ExecutionFailed'),
      ev(10, 9, 'ExecutionRedriven'), ev(11, 10, 'MapStateEntered', { name: 'Left' }), ev(12, 11, 'MapStateStarted', { length: 1 }),
      ev(13, 12, 'MapRunRedriven', { mapRunArn: RUN(1), redriveCount: 1 }),
    ];
    expect(mapRunAttemptEnds(events, RUN(1))).toEqual([8, undefined]);
    // Still running when the execution failed.
    expect(mapRunAttemptEnds(events, RUN(2))).toEqual([9]);
    expect(mapRunAttemptEnds([...events, ev(14, 13, 'MapRunSucceeded')], RUN(1))).toEqual([8, 14]);
  });
});

describe('DescribeMapRun of a Map Run whose items an ItemReader read', () => {
  it('counts the items read (its MapStateStarted, recorded before the read, says 0)', async () => {
    const store = createMemoryEventStore();
    await store.append(PARENT, [
      ev(1, 0, 'ExecutionStarted'), ev(2, 1, 'MapStateEntered', { name: 'Fan' }), ev(3, 2, 'MapStateStarted', { length: 0 }),
      ev(4, 3, 'MapRunStarted', { mapRunArn: RUN(1) }), ev(5, 4, 'MapRunFailed'),
      // Retried: the second attempt read again, under its own key.
      ev(6, 5, 'MapStateStarted', { length: 0 }), ev(7, 6, 'MapRunStarted', { mapRunArn: RUN(2) }),
    ], { expectedRevision: 0 });
    await store.append(rememberedStreamOf(PARENT), [
      rememberedEvent(1, '2/0', { items: [1, 2, 3] }, 1004),
      rememberedEvent(2, '2/1', { items: [1, 2, 3, 4, 5] }, 1007),
    ], { expectedRevision: 0 });
    await store.putMetadata({ executionArn: PARENT, stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:M', name: 'parent', status: 'RUNNING', startDate: 1001 });
    expect(await describeMapRun(store, RUN(1))).toMatchObject({ itemCount: 3, itemCounts: { total: 3, pending: 3 } });
    expect(await describeMapRun(store, RUN(2))).toMatchObject({ itemCount: 5, itemCounts: { total: 5, pending: 5 } });
  });
});
