import type { JsonValue } from '../../asl/json-value.js';
import type { State } from '../../asl/definition.js';
import { END, type ScopeRuntime } from '../scope-runtime.js';

/** Records `<Type>StateExited` and moves to `Next`, or ends the scope on `End`. */
export function exitState(rt: ScopeRuntime, output: JsonValue, next?: string): void {
  const a = rt.active!;
  rt.checkPayload(output, a.name);
  rt.record(`${a.state.Type as 'Pass'}StateExited`, { name: a.name, output, outputDetails: { truncated: false } } as never);
  rt.data = output;
  goTo(rt, a.state, output, next);
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
