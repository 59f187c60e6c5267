import { describe, expect, it } from 'vitest';
import { createHistoryEvent, detailsKeyOf, type HistoryEventType } from '../../src/execution/history-event.js';

describe('createHistoryEvent', () => {
  const types: HistoryEventType[] = [
    'PassStateEntered', 'TaskStateExited', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'MapIterationStarted',
    'MapIterationSucceeded', 'ExecutionStarted', 'ExecutionFailed', 'LambdaFunctionScheduled', 'MapStateStarted',
  ];

  it('puts the details under the member AWS names for the type, whichever way it is built', () => {
    for (const type of types) {
      const details = { name: 'S', output: { a: 1 } };
      const event = createHistoryEvent(7, 6, 1_700_000_000_000, type, details);
      expect(event).toEqual({ id: 7, previousEventId: 6, timestamp: 1_700_000_000_000, type, [detailsKeyOf(type)!]: details });
      expect(Object.keys(event)).toEqual(['id', 'previousEventId', 'timestamp', 'type', detailsKeyOf(type)]);
    }
  });

  it('leaves details out for types that have none, and when there are none', () => {
    expect(createHistoryEvent(3, 2, 0, 'ParallelStateStarted', { ignored: true })).toEqual({ id: 3, previousEventId: 2, timestamp: 0, type: 'ParallelStateStarted' });
    expect(createHistoryEvent(3, 2, 0, 'TaskStarted', undefined)).toEqual({ id: 3, previousEventId: 2, timestamp: 0, type: 'TaskStarted' });
  });
});
