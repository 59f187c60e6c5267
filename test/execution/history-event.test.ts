import { deepStrictEqual } from 'node:assert';
import { describe, expect, it } from 'vitest';
import { ExecutionStartedDetails, IterationDetails, NOT_TRUNCATED, StateEnteredDetails, createHistoryEvent, createStartedEvent, detailsKeyOf, type HistoryEventType } from '../../src/execution/history-event.js';

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

  it('builds ExecutionStarted with the execution seed last, a plain object like the others', () => {
    const event = createStartedEvent(1, 0, 5, new ExecutionStartedDetails({ a: 1 }, 'arn:role'), -7);
    const literal = { id: 1, previousEventId: 0, timestamp: 5, type: 'ExecutionStarted', executionStartedEventDetails: { input: { a: 1 }, inputDetails: { truncated: false }, roleArn: 'arn:role' }, seed: -7 };
    expect(event).toStrictEqual(literal);
    expect(Object.keys(event)).toEqual(Object.keys(literal));
    expect(Object.getPrototypeOf(event)).toBe(Object.prototype);
  });

  it('builds plain objects, strictly equal to the literals and parsed JSON a user compares them with', () => {
    const event = createHistoryEvent(2, 0, 5, 'PassStateEntered', new StateEnteredDetails('P', { a: 1 }));
    const literal = { id: 2, previousEventId: 0, timestamp: 5, type: 'PassStateEntered', stateEnteredEventDetails: { name: 'P', input: { a: 1 }, inputDetails: { truncated: false } } };
    expect(Object.getPrototypeOf(event)).toBe(Object.prototype);
    expect(event).toStrictEqual(literal);
    deepStrictEqual(event, literal);
    deepStrictEqual(event, JSON.parse(JSON.stringify(event)));
    expect(event.stateEnteredEventDetails).toStrictEqual({ name: 'P', input: { a: 1 }, inputDetails: NOT_TRUNCATED });
    const iteration = createHistoryEvent(6, 5, 5, 'MapIterationStarted', new IterationDetails(3, 'M'));
    deepStrictEqual(iteration, { id: 6, previousEventId: 5, timestamp: 5, type: 'MapIterationStarted', mapIterationStartedEventDetails: { index: 3, name: 'M' } });
  });

  it('leaves details out for types that have none, and when there are none', () => {
    expect(createHistoryEvent(3, 2, 0, 'ParallelStateStarted', { ignored: true })).toEqual({ id: 3, previousEventId: 2, timestamp: 0, type: 'ParallelStateStarted' });
    expect(createHistoryEvent(3, 2, 0, 'TaskStarted', undefined)).toEqual({ id: 3, previousEventId: 2, timestamp: 0, type: 'TaskStarted' });
  });
});
