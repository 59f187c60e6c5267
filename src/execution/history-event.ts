import type { JsonValue } from '../asl/json-value.js';
import { plainConstructor } from '../asl/plain-constructor.js';

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
  | 'MapRunStarted' | 'MapRunSucceeded' | 'MapRunFailed' | 'MapRunAborted' | 'MapRunRedriven' | 'EvaluationFailed';

/** The `*EventDetails` member name AWS uses for an event type, or null when the type has none. */
export function detailsKeyOf(type: HistoryEventType): string | null {
  return detailsSlotOf(type).key;
}

const RecordedEvent = plainConstructor(function (this: HistoryEvent, id: number, previousEventId: number, timestamp: number, type: HistoryEventType) {
  this.id = id;
  this.previousEventId = previousEventId;
  this.timestamp = timestamp;
  this.type = type;
});
/*
 * One event made with a timestamp that is not a number, before any other: V8 keeps a field that
 * has only held numbers in a box of its own per object (an epoch time is too large to be stored
 * inline), and a field that has once held something else as a reference, so the events of one
 * step, which take the same timestamp value, share one box. A history keeps one box per step
 * instead of one per event (pass-chain records its 102 events in one step): measured, 1.0 KB
 * less heap kept per task-heavy execution (15.5 of 16.5 KB), and in 8 interleaved A/B pairs
 * pass-chain +5% first round and +8% steady, task-heavy +5% steady (-2% first round, within
 * the noise), concurrent 74 bytes less per parked execution.
 */
new RecordedEvent(0, 0, null as unknown as number, 'ExecutionStarted');

/**
 * ExecutionStarted, which alone also carries the execution's random `seed` (see
 * createSeededRandom): its own constructor, with the seed's field from the start. Added to
 * events of RecordedEvent's, that sixth member made V8 size every event for six fields where
 * all others use five (8 bytes more per event: 800 per task-heavy execution).
 */
const StartedEvent = plainConstructor(function (this: HistoryEvent, id: number, previousEventId: number, timestamp: number, details: EventDetails) {
  this.id = id;
  this.previousEventId = previousEventId;
  this.timestamp = timestamp;
  this.type = 'ExecutionStarted';
  this.executionStartedEventDetails = details;
  this.seed = 0;
});
new StartedEvent(0, 0, null as unknown as number, {});

/**
 * ExecutionStarted with the execution's seed, made where the seed is known (the journal's
 * start): createHistoryEvent, called for every other event, has no case for it.
 */
export function createStartedEvent(id: number, previousEventId: number, timestamp: number, details: EventDetails, seed: number): HistoryEvent {
  const event: HistoryEvent = new StartedEvent(id, previousEventId, timestamp, details);
  event.seed = seed;
  return event;
}

/**
 * A new event with its details. The most frequent details members are set by name, each store
 * site then seeing one shape; the others take a keyed store. The journal makes ExecutionStarted
 * with createStartedEvent.
 */
export function createHistoryEvent(id: number, previousEventId: number, timestamp: number, type: HistoryEventType, details: EventDetails | undefined): HistoryEvent {
  const event: HistoryEvent = new RecordedEvent(id, previousEventId, timestamp, type);
  if (!details) return event;
  const { key, named } = detailsSlotOf(type);
  // On a number: a key built by concatenation is not an internalized string, and comparing
  // it with each case's name would compare characters, event after event.
  switch (named) {
    case -1: if (key) event[key] = details; break;
    case 0: event.stateEnteredEventDetails = details; break;
    case 1: event.stateExitedEventDetails = details; break;
    case 2: event.taskScheduledEventDetails = details; break;
    case 3: event.taskStartedEventDetails = details; break;
    case 4: event.taskSucceededEventDetails = details; break;
    case 5: event.mapIterationStartedEventDetails = details; break;
    case 6: event.mapIterationSucceededEventDetails = details; break;
    case 7: event.lambdaFunctionScheduledEventDetails = details; break;
    case 8: event.lambdaFunctionSucceededEventDetails = details; break;
    case 9: event.executionSucceededEventDetails = details; break;
    case 10: event.executionFailedEventDetails = details; break;
  }
  return event;
}

/** The details members createHistoryEvent sets by name, in the order of its cases. */
const NAMED_KEYS = [
  'stateEnteredEventDetails', 'stateExitedEventDetails', 'taskScheduledEventDetails', 'taskStartedEventDetails',
  'taskSucceededEventDetails', 'mapIterationStartedEventDetails', 'mapIterationSucceededEventDetails',
  'lambdaFunctionScheduledEventDetails', 'lambdaFunctionSucceededEventDetails', 'executionSucceededEventDetails',
  'executionFailedEventDetails',
];

interface DetailsSlot {
  key: string | null;
  /** Its case in createHistoryEvent, or -1 (a keyed store). */
  named: number;
}

// Every recorded event asks: one lookup instead of building the same string again.
const DETAILS_SLOTS = new Map<string, DetailsSlot>();

function detailsSlotOf(type: HistoryEventType): DetailsSlot {
  let slot = DETAILS_SLOTS.get(type);
  if (slot === undefined) {
    const key = computeDetailsKey(type);
    const named = key === null ? -1 : NAMED_KEYS.indexOf(key);
    DETAILS_SLOTS.set(type, (slot = { key: named >= 0 ? NAMED_KEYS[named]! : key, named }));
  }
  return slot;
}

const EXECUTION_ENDS = new Set<string>(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionTimedOut', 'ExecutionAborted']);

/** An event that ends an execution (or one run of it, before a redrive). */
export function isExecutionEnd(event: HistoryEvent): boolean {
  return EXECUTION_ENDS.has(event.type);
}

/** An event's `*EventDetails` object, found by its type's key (no scan of the event's members). */
export function eventDetailsOf(event: HistoryEvent | undefined): Record<string, unknown> | undefined {
  if (!event) return undefined;
  const key = detailsKeyOf(event.type);
  const details = key ? event[key] : undefined;
  return typeof details === 'object' && details !== null ? (details as Record<string, unknown>) : undefined;
}

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

/** `<Type>StateEntered`'s details, a plain object made by `new` (see plainConstructor): one lives in the history for every state entered. */
export const StateEnteredDetails = plainConstructor(function (this: EventDetails, name: string, input: JsonValue) {
  this.name = name;
  this.input = input;
  this.inputDetails = NOT_TRUNCATED;
});

/** The details of MapIterationStarted, -Succeeded, -Failed and -Aborted, made the same way; two live in the history for every iteration. */
export const IterationDetails = plainConstructor(function (this: EventDetails, index: number, name: string) {
  this.index = index;
  this.name = name;
});

/** `<Type>StateExited`'s details, made the same way: one for every state left. */
export const StateExitedDetails = plainConstructor(function (this: EventDetails, name: string, output: JsonValue, assigned: Record<string, JsonValue> | undefined) {
  // An empty Assign assigns nothing: AWS then records no assignedVariables.
  if (assigned && hasOwnMembers(assigned)) {
    this.assignedVariables = byName(assigned);
    this.assignedVariablesDetails = NOT_TRUNCATED;
  }
  this.name = name;
  this.output = output;
  this.outputDetails = NOT_TRUNCATED;
});

/**
 * AWS lists assigned variables by name, whatever order the Assign gave them in (recorded against
 * AWS (2026-09): `"Assign": {"x": …, "oldX": …}` records `{"oldX": …, "x": …}`).
 */
export function byName<T>(object: Record<string, T>): Record<string, T> {
  const keys = Object.keys(object);
  if (keys.length < 2) return object;
  const sorted = [...keys].sort();
  if (sorted.every((k, i) => k === keys[i])) return object;
  const out: Record<string, T> = {};
  for (const k of sorted) Object.defineProperty(out, k, { value: object[k], enumerable: true, writable: true, configurable: true });
  return out;
}

function hasOwnMembers(object: Record<string, JsonValue>): boolean {
  for (const key in object) if (Object.hasOwn(object, key)) return true;
  return false;
}

/** `{ output, outputDetails }`: LambdaFunctionSucceeded, ActivitySucceeded and ExecutionSucceeded. */
export const OutputDetails = plainConstructor(function (this: EventDetails, output: JsonValue) {
  this.output = output;
  this.outputDetails = NOT_TRUNCATED;
});

/** ExecutionStarted's details: one in every history, and kept by every parked execution. */
export const ExecutionStartedDetails = plainConstructor(function (this: EventDetails, input: JsonValue, roleArn: string) {
  this.input = input;
  this.inputDetails = NOT_TRUNCATED;
  this.roleArn = roleArn;
});

/** LambdaFunctionScheduled's details (a Task on a Lambda function ARN). */
export const LambdaScheduledDetails = plainConstructor(function (this: EventDetails, input: JsonValue, resource: string) {
  this.input = input;
  this.inputDetails = NOT_TRUNCATED;
  this.resource = resource;
});

/** TaskScheduled's details; `timeoutInSeconds` and `heartbeatInSeconds` follow when set. */
export const TaskScheduledDetails = plainConstructor(function (this: EventDetails, resourceType: string, resource: string, region: string, parameters: JsonValue) {
  this.resourceType = resourceType;
  this.resource = resource;
  this.region = region;
  this.parameters = parameters;
});

/** TaskStarted's details (TaskSucceeded's, with its output: {@link TaskSucceededDetails}). */
export const TaskResourceDetails = plainConstructor(function (this: EventDetails, resourceType: string, resource: string) {
  this.resourceType = resourceType;
  this.resource = resource;
});

export const TaskSucceededDetails = plainConstructor(function (this: EventDetails, resourceType: string | undefined, resource: string | undefined, output: JsonValue) {
  this.resourceType = resourceType;
  this.resource = resource;
  this.output = output;
  this.outputDetails = NOT_TRUNCATED;
});

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
