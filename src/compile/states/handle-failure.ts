import type { Catcher, Retrier } from '../../asl/definition.js';
import type { JsonValue } from '../../asl/json-value.js';
import { findCatcher, findRetrier, maxAttempts, retryDelayMs } from '../error-policy.js';
import type { ScopeRuntime } from '../scope-runtime.js';
import { applyResult } from './state-io.js';
import { failScope, recordExit } from './transitions.js';
import { applyAssigned, evaluateAssign } from './assign.js';
import { evaluateOutputAndAssign } from './jsonata-io.js';

interface WithErrorHandling {
  Retry?: Retrier[];
  Catch?: Catcher[];
  ResultPath?: string | null;
}

/** A state waiting out a retry interval remembers it here. */
export interface RetryWait {
  kind: 'retry';
  requestId: string;
}

/** Whether `handleFailure` would retry this error now (Map and Parallel record their *Failed event only when not). */
export function willRetry(rt: ScopeRuntime, error: string): boolean {
  const a = rt.active!;
  const retriers = (a.state as WithErrorHandling).Retry;
  const r = findRetrier(retriers, error);
  return r >= 0 && (a.retryCounts?.[r] ?? 0) < maxAttempts(retriers![r]!);
}

/**
 * What happens when a state fails (DG:concepts-error-handling): the first retrier whose
 * ErrorEquals matches retries after its interval while attempts remain; otherwise the first
 * matching catcher sends the error output `{ Error, Cause }` (placed by its ResultPath) to its
 * Next; otherwise the failure ends the scope. Returns 'retry' when a retry timer was armed.
 * `caughtCause` is the Cause a catcher's error output shows when the failure has none (AWS
 * shows `""` for a Task that timed out, whose TaskTimedOut event and ExecutionFailed have none).
 */
export function handleFailure(rt: ScopeRuntime, error: string | undefined, cause: string | undefined, caughtCause?: string): 'retry' | 'caught' | 'failed' {
  const a = rt.active!;
  const state = a.state as WithErrorHandling;
  const r = error === undefined ? -1 : findRetrier(state.Retry, error);
  if (r >= 0) {
    const retrier = state.Retry![r]!;
    const done = a.retryCounts?.[r] ?? 0;
    if (done < maxAttempts(retrier)) {
      (a.retryCounts ??= [])[r] = done + 1;
      a.retryCount++;
      const requestId = rt.newRequestId();
      a.work = { kind: 'retry', requestId } satisfies RetryWait;
      rt.services.command({ kind: 'timer', actor: rt.self, requestId, dueAt: rt.services.now() + retryDelayMs(retrier, done, () => rt.services.random()), anchor: rt.frame.source });
      return 'retry';
    }
  }
  const catcher = error === undefined ? undefined : findCatcher(state.Catch, error);
  if (catcher) {
    const errorOutput: Record<string, JsonValue> = { Error: error! };
    const shownCause = cause ?? caughtCause;
    if (shownCause !== undefined) errorOutput.Cause = shownCause;
    if (rt.isJsonata(a.state)) {
      a.catching = true;
      rt.await(evaluateOutputAndAssign(rt, catcher, { input: a.rawInput, errorOutput }, errorOutput), (rt, { output, assigned }) => {
        recordExit(rt, output, assigned);
        applyAssigned(rt, assigned);
        rt.data = output;
        rt.target = catcher.Next;
      });
      return 'caught';
    }
    let output: JsonValue;
    let assigned: Record<string, JsonValue> | undefined;
    try {
      assigned = evaluateAssign(rt, catcher.Assign, errorOutput);
      output = applyResult(a.rawInput, catcher.ResultPath, errorOutput);
    } catch (e) {
      const f = rt.toFailure(e);
      failScope(rt, f.error, f.cause);
      return 'failed';
    }
    recordExit(rt, output, assigned);
    applyAssigned(rt, assigned);
    rt.data = output;
    rt.target = catcher.Next;
    return 'caught';
  }
  failScope(rt, error, cause);
  return 'failed';
}
