import type { WaitState } from '../../asl/definition.js';
import type { JsonValue } from '../../asl/json-value.js';
import { evaluatePath } from '../../asl/json-path.js';
import { AslError, FieldValueError } from '../../errors/asl-error.js';
import { StatesErrors } from '../../errors/error-names.js';
import type { ScopeRuntime } from '../scope-runtime.js';
import { applyInputPath, applyOutputPath } from './state-io.js';
import { exitState } from './transitions.js';
import { evaluateAssign } from './assign.js';
import { evaluateField, evaluateOutputAndAssign } from './jsonata-io.js';

interface WaitWork { kind: 'wait'; requestId: string; effective: JsonValue }

/** Wait (DG:state-wait): Seconds, SecondsPath, Timestamp or TimestampPath; the timer is a command. */
export function enterWait(rt: ScopeRuntime, state: WaitState): void {
  const a = rt.active!;
  if (rt.isJsonata(state)) {
    rt.await(jsonataDeadline(rt, state, a.rawInput), (rt, dueAt) => armWait(rt, a.rawInput, dueAt));
    return;
  }
  const effective = applyInputPath(rt, a.rawInput, state.InputPath);
  armWait(rt, effective, waitDeadline(rt, state, effective));
}

function armWait(rt: ScopeRuntime, effective: JsonValue, dueAt: number): void {
  const a = rt.active!;
  const requestId = rt.newRequestId();
  a.work = { kind: 'wait', requestId, effective } satisfies WaitWork;
  rt.services.command({ kind: 'timer', actor: rt.self, requestId, dueAt, anchor: rt.frame.source });
}

export function waitTimerFired(rt: ScopeRuntime, state: WaitState, requestId: string): void {
  const work = rt.active!.work as WaitWork | undefined;
  if (!work || work.kind !== 'wait' || work.requestId !== requestId) return;
  if (rt.isJsonata(state)) {
    const raw = rt.active!.rawInput;
    rt.await(evaluateOutputAndAssign(rt, state, { input: raw }, raw), (rt, { output, assigned }) => exitState(rt, output, undefined, assigned));
    return;
  }
  const assigned = evaluateAssign(rt, state.Assign, work.effective);
  exitState(rt, applyOutputPath(rt, work.effective, state.OutputPath), undefined, assigned);
}

async function jsonataDeadline(rt: ScopeRuntime, state: WaitState, raw: JsonValue): Promise<number> {
  const now = rt.services.now();
  if (state.Seconds !== undefined) {
    const seconds = await evaluateField(rt, state.Seconds, { input: raw }, 'Seconds');
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
      throw new AslError(StatesErrors.QueryEvaluationError, `The JSONata expression '${String(state.Seconds)}' specified for the field 'Seconds' returned an unexpected result type. Expected 'integer', but was '${typeof seconds}' for value: ${JSON.stringify(seconds)}`);
    }
    return now + seconds * 1000;
  }
  const stamp = await evaluateField(rt, state.Timestamp, { input: raw }, 'Timestamp');
  const ms = typeof stamp === 'string' ? parseTimestamp(stamp) : NaN;
  if (Number.isNaN(ms)) {
    throw new FieldValueError(`The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${shown(stamp)}`, 'Timestamp');
  }
  return Math.max(now, ms);
}

const LONG_TEXT = /^[+-]?\d{1,18}$/;

function waitDeadline(rt: ScopeRuntime, state: WaitState, effective: JsonValue): number {
  const now = rt.services.now();
  if (typeof state.Seconds === 'number') return now + state.Seconds * 1000;
  if (state.SecondsPath !== undefined) {
    const found = evaluatePath(state.SecondsPath, rt.pathContext(effective));
    // A string of digits is read as its number: "1" waits a second, in an execution and in
    // TestState alike (recorded against AWS (2026-09)).
    const value = typeof found === 'string' && LONG_TEXT.test(found) ? Number(found) : found;
    if (value === undefined) throw new AslError(StatesErrors.Runtime, `Invalid path '${state.SecondsPath}' : No results for path: ${state.SecondsPath}`);
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw new AslError(StatesErrors.Runtime, `The SecondsPath parameter cannot be parsed as a long value: ${state.SecondsPath} == ${JSON.stringify(value)}`);
    }
    if (value < 0) throw new AslError(StatesErrors.Runtime, `The SecondsPath parameter references a negative value: ${state.SecondsPath} == ${value}`);
    return now + value * 1000;
  }
  const stamp = state.Timestamp ?? (state.TimestampPath !== undefined ? evaluatePath(state.TimestampPath, rt.pathContext(effective)) : undefined);
  const field = state.Timestamp !== undefined ? 'Timestamp' : 'TimestampPath';
  const ms = typeof stamp === 'string' ? parseTimestamp(stamp) : NaN;
  if (Number.isNaN(ms)) {
    throw new AslError(StatesErrors.Runtime, `The ${field} parameter does not reference a valid ISO-8601 extended offset date-time format string: ${state.TimestampPath ?? ''} == ${shown(stamp)}`);
  }
  return Math.max(now, ms);
}

/** A value as AWS quotes it in these causes: a string as it is, anything else as JSON. */
function shown(value: JsonValue | undefined): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? null);
}

/** RFC 3339 timestamps as AWS accepts them (fractional seconds of any length). */
export function parseTimestamp(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) return NaN;
  const fraction = m[7] ? m[7].slice(0, 4).padEnd(4, '0') : '.000';
  return Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${fraction}${m[8]}`);
}
