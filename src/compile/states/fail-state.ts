import type { FailState } from '../../asl/definition.js';
import type { JsonValue } from '../../asl/json-value.js';
import { evaluatePath } from '../../asl/json-path.js';
import { evaluateIntrinsic, isIntrinsicCall } from '../../asl/intrinsics/evaluate-intrinsic.js';
import { AslError } from '../../errors/asl-error.js';
import { StatesErrors } from '../../errors/error-names.js';
import type { ScopeRuntime } from '../scope-runtime.js';
import { evaluateField } from './jsonata-io.js';
import { failScope } from './transitions.js';

/** Fail (DG:state-fail): Error/Cause, or ErrorPath/CausePath (a path or an intrinsic function); JSONata: expressions. */
export function enterFail(rt: ScopeRuntime, state: FailState): void {
  const raw = rt.active!.rawInput;
  if (rt.isJsonata(state)) {
    const both = Promise.all([
      evaluateField(rt, state.Error, { input: raw }, 'Error'),
      evaluateField(rt, state.Cause, { input: raw }, 'Cause'),
    ]);
    rt.await(both, (rt, [error, cause]) => failScope(rt, asText(error), asText(cause)));
    return;
  }
  const error = state.Error ?? (state.ErrorPath !== undefined ? readString(rt, raw, state.ErrorPath, 'ErrorPath') : undefined);
  const cause = state.Cause ?? (state.CausePath !== undefined ? readString(rt, raw, state.CausePath, 'CausePath') : undefined);
  failScope(rt, error, cause);
}

function asText(value: JsonValue | undefined): string | undefined {
  return value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
}

function readString(rt: ScopeRuntime, raw: JsonValue, path: string, field: string): string {
  const ctx = rt.pathContext(raw);
  const value = isIntrinsicCall(path) ? evaluateIntrinsic(path, ctx) : evaluatePath(path, ctx);
  if (value === undefined) {
    throw new AslError(StatesErrors.Runtime, `The JSONPath '${path}' specified for the field '${field}' could not be found in the input '${JSON.stringify(raw)}'`);
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}
