import type { JsonValue } from '../../asl/json-value.js';
import type { State } from '../../asl/definition.js';
import { END, type ScopeRuntime } from '../scope-runtime.js';
import { applyAssigned } from './assign.js';

/** Records `<Type>StateExited` and moves to `Next`, or ends the scope on `End`. */
export function exitState(rt: ScopeRuntime, output: JsonValue, next?: string, assigned?: Record<string, JsonValue>): void {
  const a = rt.active!;
  rt.checkPayload(output, a.name);
  recordExit(rt, output, assigned);
  applyAssigned(rt, assigned);
  rt.data = output;
  goTo(rt, a.state, output, next);
}

/** `<Type>StateExited`, with the variables the state assigned as AWS records them. */
export function recordExit(rt: ScopeRuntime, output: JsonValue, assigned?: Record<string, JsonValue>): void {
  const a = rt.active!;
  const details: Record<string, JsonValue> = {};
  if (assigned) {
    details.assignedVariables = assigned;
    details.assignedVariablesDetails = { truncated: false };
  }
  details.name = a.name;
  details.output = output;
  details.outputDetails = { truncated: false };
  rt.record(`${a.state.Type as 'Pass'}StateExited`, details);
}

export function goTo(rt: ScopeRuntime, state: State, output: JsonValue, next?: string): void {
  const target = next ?? state.Next;
  if (target !== undefined && !(state as { End?: boolean }).End) {
    rt.target = target;
  } else {
    rt.outcome = { status: 'SUCCEEDED', output };
    rt.target = END;
  }
}

/** Ends the scope as failed: nothing of the state is recorded beyond what already is. */
export function failScope(rt: ScopeRuntime, error: string | undefined, cause: string | undefined): void {
  rt.outcome = { status: 'FAILED', error, cause };
  rt.target = END;
}
