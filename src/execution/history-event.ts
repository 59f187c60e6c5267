import type { JsonValue } from '../asl/json-value.js';

/**
 * One event of an execution's history, in the shape of AWS's GetExecutionHistory
 * (API:HistoryEvent): id, previousEventId, timestamp, type and at most one `*EventDetails`.
 * `timestamp` is epoch milliseconds here; the AWS-facing views render it as AWS does.
 */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: number;
  type: HistoryEventType;
  [details: string]: unknown;
}

export type HistoryEventType =
  | 'ExecutionStarted' | 'ExecutionSucceeded' | 'ExecutionFailed' | 'ExecutionAborted' | 'ExecutionTimedOut' | 'ExecutionRedriven'
  | `${'Pass' | 'Task' | 'Choice' | 'Wait' | 'Succeed' | 'Fail' | 'Parallel' | 'Map'}StateEntered`
  | `${'Pass' | 'Task' | 'Choice' | 'Wait' | 'Succeed' | 'Parallel' | 'Map'}StateExited`
  | 'TaskStateAborted' | 'WaitStateAborted' | 'ParallelStateAborted' | 'MapStateAborted'
  | 'TaskScheduled' | 'TaskStarted' | 'TaskStartFailed' | 'TaskSubmitted' | 'TaskSubmitFailed' | 'TaskSucceeded' | 'TaskFailed' | 'TaskTimedOut'
  | 'LambdaFunctionScheduled' | 'LambdaFunctionStarted' | 'LambdaFunctionSucceeded' | 'LambdaFunctionFailed'
  | 'LambdaFunctionScheduleFailed' | 'LambdaFunctionStartFailed' | 'LambdaFunctionTimedOut'
  | 'ActivityScheduled' | 'ActivityScheduleFailed' | 'ActivityStarted' | 'ActivitySucceeded' | 'ActivityFailed' | 'ActivityTimedOut'
  | 'ParallelStateStarted' | 'ParallelStateSucceeded' | 'ParallelStateFailed'
  | 'MapStateStarted' | 'MapStateSucceeded' | 'MapStateFailed'
  | 'MapIterationStarted' | 'MapIterationSucceeded' | 'MapIterationFailed' | 'MapIterationAborted'
  | 'MapRunStarted' | 'MapRunSucceeded' | 'MapRunFailed' | 'MapRunAborted' | 'EvaluationFailed';

/** The `*EventDetails` member name AWS uses for an event type, or null when the type has none. */
export function detailsKeyOf(type: HistoryEventType): string | null {
  let key = DETAILS_KEYS.get(type);
  if (key === undefined) DETAILS_KEYS.set(type, (key = computeDetailsKey(type)));
  return key;
}

/**
 * A new event with its details. The most frequent details members are written into the
 * object literal, so the event keeps them in-object with a shape of its own; a computed key in
 * the literal is twice as slow in V8 as adding the member afterwards, which the others do.
 */
export function createHistoryEvent(id: number, previousEventId: number, timestamp: number, type: HistoryEventType, details: EventDetails | undefined): HistoryEvent {
  if (!details) return { id, previousEventId, timestamp, type };
  const key = detailsKeyOf(type);
  if (!key) return { id, previousEventId, timestamp, type };
  switch (key) {
    case 'stateEnteredEventDetails':
      return { id, previousEventId, timestamp, type, stateEnteredEventDetails: details };
    case 'stateExitedEventDetails':
      return { id, previousEventId, timestamp, type, stateExitedEventDetails: details };
    case 'taskScheduledEventDetails':
      return { id, previousEventId, timestamp, type, taskScheduledEventDetails: details };
    case 'taskStartedEventDetails':
      return { id, previousEventId, timestamp, type, taskStartedEventDetails: details };
    case 'taskSucceededEventDetails':
      return { id, previousEventId, timestamp, type, taskSucceededEventDetails: details };
    case 'mapIterationStartedEventDetails':
      return { id, previousEventId, timestamp, type, mapIterationStartedEventDetails: details };
    case 'mapIterationSucceededEventDetails':
      return { id, previousEventId, timestamp, type, mapIterationSucceededEventDetails: details };
    case 'lambdaFunctionScheduledEventDetails':
      return { id, previousEventId, timestamp, type, lambdaFunctionScheduledEventDetails: details };
    case 'lambdaFunctionSucceededEventDetails':
      return { id, previousEventId, timestamp, type, lambdaFunctionSucceededEventDetails: details };
    case 'executionSucceededEventDetails':
      return { id, previousEventId, timestamp, type, executionSucceededEventDetails: details };
    case 'executionFailedEventDetails':
      return { id, previousEventId, timestamp, type, executionFailedEventDetails: details };
    default: {
      const event: HistoryEvent = { id, previousEventId, timestamp, type };
      event[key] = details;
      return event;
    }
  }
}

/** An event's `*EventDetails` object, found by its type's key (no scan of the event's members). */
export function eventDetailsOf(event: HistoryEvent | undefined): Record<string, unknown> | undefined {
  if (!event) return undefined;
  const key = detailsKeyOf(event.type);
  const details = key ? event[key] : undefined;
  return typeof details === 'object' && details !== null ? (details as Record<string, unknown>) : undefined;
}

// Every recorded event asks: one lookup instead of building the same string again.
const DETAILS_KEYS = new Map<string, string | null>();

function computeDetailsKey(type: HistoryEventType): string | null {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  if (NO_DETAILS.has(type)) return null;
  return type.charAt(0).toLowerCase() + type.slice(1) + 'EventDetails';
}

/**
 * `{ truncated: false }`, shared by every event that has input/output details: Stepwise never
 * truncates, and one frozen object saves an allocation per event.
 */
export const NOT_TRUNCATED: { readonly truncated: false } = Object.freeze({ truncated: false });

/** `PassStateEntered`, `TaskStateExited`, ...: built once per state type, not per event. */
export function stateEventType(stateType: string, edge: 'Entered' | 'Exited'): HistoryEventType {
  const table = edge === 'Entered' ? ENTERED : EXITED;
  let type = table.get(stateType);
  if (type === undefined) table.set(stateType, (type = `${stateType}State${edge}` as HistoryEventType));
  return type;
}

const ENTERED = new Map<string, HistoryEventType>();
const EXITED = new Map<string, HistoryEventType>();

const NO_DETAILS = new Set<string>([
  'TaskStateAborted', 'WaitStateAborted', 'ParallelStateAborted', 'MapStateAborted',
  'LambdaFunctionStarted', 'ParallelStateStarted', 'ParallelStateSucceeded', 'ParallelStateFailed',
  'MapStateSucceeded', 'MapStateFailed', 'MapRunSucceeded', 'MapRunAborted',
]);

/** Details of an event as recorded (input/output kept as JSON values, not strings). */
export type EventDetails = Record<string, JsonValue | undefined>;
