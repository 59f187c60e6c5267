import type { JsonValue } from '../../asl/json-value.js';
import type { State } from '../../asl/definition.js';
import { END, jsonByteLength, jsonSizeBound, type ScopeRuntime } from '../scope-runtime.js';
import { applyAssigned, evaluateAssign } from './assign.js';
import { evaluateOutputAndAssign } from './jsonata-io.js';
import { applyOutputPath, applyResult, applyResultSelector } from './state-io.js';
import { AslError } from '../../errors/asl-error.js';
import { StatesErrors } from '../../errors/error-names.js';
import { StateExitedDetails, stateEventType } from '../../execution/history-event.js';
import { checkExecutionVariables, releaseVariables } from '../variable-ledger.js';

/** Records `<Type>StateExited` and moves to `Next`, or ends the scope on `End`. */
export function exitState(rt: ScopeRuntime, output: JsonValue, next?: string, assigned?: Record<string, JsonValue>): void {
  const a = rt.active!;
  rt.checkPayload(output, a.name);
  if (assigned) {
    checkAssignedSize(rt, assigned);
    checkExecutionVariables(rt.services, (rt.ownedVariables ??= { variables: () => rt.variables, sizes: new Map() }), assigned, a.name);
  }
  recordExit(rt, output, assigned);
  applyAssigned(rt, assigned);
  rt.data = output;
  goTo(rt, a.state, output, next);
}

/**
 * AWS caps each variable one state assigns, and all of them together, at 256 KiB of JSON text
 * (DG:workflow-variables, service quotas); the same option that lifts the payload limit lifts
 * these. A value is counted as its JSON text (a string with its quotes), names are not counted,
 * and the variable that crosses the state's total is named, as recorded against AWS (2026-09).
 */
function checkAssignedSize(rt: ScopeRuntime, assigned: Record<string, JsonValue>): void {
  const limit = rt.services.limits.payloadBytes;
  if (!Number.isFinite(limit)) return;
  const entries = Object.entries(assigned);
  // Cheap upper bounds first: the exact sizes are needed only when those could exceed the limit.
  let bound = 0;
  for (const [, value] of entries) bound += jsonSizeBound(value, limit + 1);
  if (bound <= limit) return;
  const state = rt.active!.name;
  let total = 0;
  for (const [name, value] of entries) {
    const bytes = jsonByteLength(value);
    if (bytes > limit) {
      throw new AslError(StatesErrors.DataLimitExceeded, `Variable size limit exceeded. Variable '${name}' in state '${state}' was assigned ${bytes} bytes.`, true);
    }
    total += bytes;
    if (total > limit) {
      throw new AslError(
        StatesErrors.DataLimitExceeded,
        `State total variable size limit exceeded. Variable '${name}' in state '${state}' was assigned ${bytes} bytes, which caused the size of variables assigned in the state to exceed its limit by ${total - limit} bytes.`,
        true,
      );
    }
  }
}

/** `<Type>StateExited`, with the variables the state assigned as AWS records them. */
export function recordExit(rt: ScopeRuntime, output: JsonValue, assigned?: Record<string, JsonValue>): void {
  const a = rt.active!;
  rt.record(stateEventType(a.state.Type, 'Exited'), new StateExitedDetails(a.name, output, assigned));
}

/**
 * How Task, Map and Parallel leave with a result: ResultSelector, Assign, ResultPath and
 * OutputPath in JSONPath mode; Output and Assign over `$states.result` in JSONata mode.
 */
export function exitWithResult(rt: ScopeRuntime, state: ResultFields, result: JsonValue): void {
  const a = rt.active!;
  if (rt.isJsonata(a.state)) {
    rt.await(evaluateOutputAndAssign(rt, state, { input: a.rawInput, result }, result), (rt, r) => exitState(rt, r.output, undefined, r.assigned));
    return;
  }
  const selected = applyResultSelector(rt, result, state.ResultSelector);
  const assigned = evaluateAssign(rt, state.Assign, selected);
  exitState(rt, applyOutputPath(rt, applyResult(a.rawInput, state.ResultPath, selected), state.OutputPath), undefined, assigned);
}

interface ResultFields {
  ResultSelector?: JsonValue;
  ResultPath?: string | null;
  OutputPath?: string | null;
  Output?: JsonValue;
  Assign?: Record<string, JsonValue>;
}

export function goTo(rt: ScopeRuntime, state: State, output: JsonValue, next?: string): void {
  const target = next ?? state.Next;
  if (target !== undefined && !(state as { End?: boolean }).End) {
    rt.target = target;
  } else {
    rt.outcome = { status: 'SUCCEEDED', output };
    rt.target = END;
    releaseVariables(rt.services, rt.ownedVariables);
  }
}

/** Ends the scope as failed: nothing of the state is recorded beyond what already is. */
export function failScope(rt: ScopeRuntime, error: string | undefined, cause: string | undefined): void {
  rt.outcome = { status: 'FAILED', error, cause };
  rt.target = END;
  releaseVariables(rt.services, rt.ownedVariables);
}
