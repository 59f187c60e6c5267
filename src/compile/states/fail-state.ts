import type { FailState } from '../../asl/definition.js';
import type { JsonValue } from '../../asl/json-value.js';
import { evaluatePath } from '../../asl/json-path.js';
import { evaluateIntrinsic, isIntrinsicCall } from '../../asl/intrinsics/evaluate-intrinsic.js';
import { AslError } from '../../errors/asl-error.js';
import { StatesErrors } from '../../errors/error-names.js';
import type { ScopeRuntime } from '../scope-runtime.js';
import { failScope } from './transitions.js';

/** Fail (DG:state-fail): Error/Cause, or ErrorPath/CausePath (a path or an intrinsic function). */
export function enterFail(rt: ScopeRuntime, state: FailState): void {
  const raw = rt.active!.rawInput;
  const error = state.Error ?? (state.ErrorPath !== undefined ? readString(rt, raw, state.ErrorPath, 'ErrorPath') : undefined);
  const cause = state.Cause ?? (state.CausePath !== undefined ? readString(rt, raw, state.CausePath, 'CausePath') : undefined);
  failScope(rt, error, cause);
}

function readString(rt: ScopeRuntime, raw: JsonValue, path: string, field: string): string {
  const ctx = rt.pathContext(raw);
  const value = isIntrinsicCall(path) ? evaluateIntrinsic(path, ctx) : evaluatePath(path, ctx);
  if (value === undefined) {
    throw new AslError(StatesErrors.Runtime, `The JSONPath '${path}' specified for the field '${field}' could not be found in the input '${JSON.stringify(raw)}'`);
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}
