import { eventDetailsOf, type HistoryEvent } from './history-event.js';
import { isHistoryLimitFailure } from './history-limit.js';
import { isDeletionFailure } from './state-machine-deletion.js';

/** Where a replay first produced something other than what was recorded. */
export interface Divergence {
  eventId: number;
  expected: HistoryEvent | null;
  actual: HistoryEvent | null;
  reason: string;
}

/** `strict` compares details too (our own histories); `structure` only type, ids and state names (AWS exports, whose values were normalised). */
export type ReplayComparison = 'strict' | 'structure';

const TASK_STARTED = new Set(['TaskStarted', 'LambdaFunctionStarted', 'ActivityStarted']);
const TASK_SUCCEEDED = new Set(['TaskSucceeded', 'LambdaFunctionSucceeded', 'ActivitySucceeded']);
const TASK_FAILED = new Set(['TaskFailed', 'LambdaFunctionFailed', 'TaskStartFailed', 'TaskSubmitFailed', 'LambdaFunctionStartFailed', 'LambdaFunctionScheduleFailed', 'ActivityFailed']);
const TASK_TIMED_OUT = new Set(['TaskTimedOut', 'LambdaFunctionTimedOut', 'ActivityTimedOut']);

export type RecordedInput =
  | { kind: 'task.started'; workerName?: string }
  /** A `.waitForTaskToken` send's response (TaskSubmitted): an event, not the task's answer. */
  | { kind: 'task.submitted'; output: unknown }
  | { kind: 'task.succeeded'; output: unknown }
  | { kind: 'task.failed' | 'task.timedOut'; error: string; cause?: string; phase?: 'schedule' }
  | { kind: 'execution.timedOut' | 'execution.aborted' | 'execution.failed'; error?: string; cause?: string }
  /** DeleteStateMachine: the end of the state it waited in ended it instead (see state-machine-deletion.ts). */
  | { kind: 'execution.deleted' }
  /** The history reached its limit (see history-limit.ts). */
  | { kind: 'execution.historyLimit'; error: string; cause: string }
  | { kind: 'timer' };

/** Which answer from the world the recorded event `next` is the first consequence of. */
export function recordedInputOf(next: HistoryEvent): RecordedInput {
  const d = detailsOf(next) as { output?: unknown; error?: string; cause?: string; workerName?: string } | undefined;
  if (TASK_STARTED.has(next.type)) return d?.workerName !== undefined ? { kind: 'task.started', workerName: d.workerName } : { kind: 'task.started' };
  if (next.type === 'TaskSubmitted') return { kind: 'task.submitted', output: d?.output ?? null };
  if (next.type === 'ActivityScheduleFailed') return { kind: 'task.failed', error: d?.error ?? '', cause: d?.cause, phase: 'schedule' };
  if (TASK_SUCCEEDED.has(next.type)) return { kind: 'task.succeeded', output: d?.output ?? null };
  if (TASK_FAILED.has(next.type)) return { kind: 'task.failed', error: d?.error ?? '', cause: d?.cause };
  if (TASK_TIMED_OUT.has(next.type)) return { kind: 'task.timedOut', error: d?.error ?? 'States.Timeout', cause: d?.cause };
  if (next.type === 'ExecutionTimedOut') return { kind: 'execution.timedOut', error: d?.error, cause: d?.cause };
  if (next.type === 'ExecutionAborted') return { kind: 'execution.aborted', error: d?.error, cause: d?.cause };
  if (isDeletionFailure(next)) return { kind: 'execution.deleted' };
  if (isHistoryLimitFailure(next)) return { kind: 'execution.historyLimit', error: d!.error!, cause: d!.cause! };
  return { kind: 'timer' };
}

const detailsOf = eventDetailsOf;

function nameOf(event: HistoryEvent): string | undefined {
  return (detailsOf(event) as { name?: string } | undefined)?.name;
}

/** Null when `actual` reproduces `expected`, else why not. */
export function compareEvents(expected: HistoryEvent, actual: HistoryEvent, mode: ReplayComparison): string | null {
  if (expected.type !== actual.type) return `type ${actual.type} instead of ${expected.type}`;
  if (expected.id !== actual.id) return `id ${actual.id} instead of ${expected.id}`;
  if (expected.previousEventId !== actual.previousEventId) return `previousEventId ${actual.previousEventId} instead of ${expected.previousEventId}`;
  if (nameOf(expected) !== nameOf(actual)) return `state ${nameOf(actual)} instead of ${nameOf(expected)}`;
  if (mode === 'structure') return null;
  const expectedDetails = detailsOf(expected);
  const actualDetails = detailsOf(actual);
  // Walking both values settles nearly every event without serialising either; anything it
  // cannot vouch for is judged by the canonical JSON, as before.
  if (surelySameJson(expectedDetails, actualDetails)) return null;
  const a = canonical(expectedDetails);
  const b = canonical(actualDetails);
  return a === b ? null : `details ${b} instead of ${a}`;
}

/**
 * True only when `a` and `b` certainly serialise to the same JSON up to key order: equal
 * primitives, arrays of such, plain objects with the same defined members. False means "not
 * sure" (NaN, Dates, class instances, a real difference), never "different".
 */
function surelySameJson(a: unknown, b: unknown): boolean {
  if (a === b) return a === a; // NaN serialises as null: let canonical() decide
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!surelySameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b) || !isPlainObject(a) || !isPlainObject(b)) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let defined = 0;
  for (const key in ra) {
    const v = ra[key];
    if (v === undefined) continue;
    defined++;
    if (!Object.prototype.hasOwnProperty.call(rb, key) || !surelySameJson(v, rb[key])) return false;
  }
  for (const key in rb) if (rb[key] !== undefined) defined--;
  return defined === 0;
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** JSON with sorted keys, so key order does not count. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v)) ?? 'undefined';
}

/**
 * AWS's GetExecutionHistory (and `aws stepfunctions get-execution-history`) gives input,
 * output and parameters as JSON text, assigned variables as JSON text per name, and
 * timestamps as ISO strings or epoch seconds: turn them into our event shape.
 */
export function fromAwsHistory(events: readonly Record<string, unknown>[]): HistoryEvent[] {
  return events.map((raw) => {
    const event: HistoryEvent = {
      id: Number(raw.id),
      previousEventId: Number(raw.previousEventId ?? 0),
      type: raw.type as HistoryEvent['type'],
      timestamp: toMillis(raw.timestamp),
    };
    for (const [key, value] of Object.entries(raw)) {
      if (!key.endsWith('EventDetails') || typeof value !== 'object' || value === null) continue;
      const details: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if ((k === 'input' || k === 'output' || k === 'parameters') && typeof v === 'string') details[k] = parseOrKeep(v);
        else if (k === 'assignedVariables' && v && typeof v === 'object') details[k] = Object.fromEntries(Object.entries(v).map(([n, x]) => [n, typeof x === 'string' ? parseOrKeep(x) : x]));
        else details[k] = v;
      }
      event[key] = details;
    }
    return event;
  });
}

function parseOrKeep(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function toMillis(value: unknown): number {
  if (typeof value === 'number') return value < 1e11 ? value * 1000 : value;
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? 0 : ms;
  }
  return 0;
}
