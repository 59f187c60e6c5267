import type { Catcher, Retrier } from '../asl/definition.js';
import { StatesErrors } from '../errors/error-names.js';

/**
 * Retry and Catch matching (DG:concepts-error-handling). `States.ALL` matches every error
 * but `States.Runtime`, which no retrier or catcher can handle; `States.TaskFailed` matches
 * every task failure except a timeout.
 */
export function errorMatches(errorEquals: readonly string[], error: string): boolean {
  if (error === StatesErrors.Runtime) return false;
  for (const name of errorEquals) {
    if (name === error) return true;
    if (name === StatesErrors.ALL) return true;
    if (name === StatesErrors.TaskFailed && error !== StatesErrors.Timeout && error !== StatesErrors.HeartbeatTimeout && !error.startsWith('States.')) return true;
  }
  return false;
}

export function findRetrier(retriers: readonly Retrier[] | undefined, error: string): number {
  if (!retriers) return -1;
  return retriers.findIndex((r) => errorMatches(r.ErrorEquals, error));
}

export function findCatcher(catchers: readonly Catcher[] | undefined, error: string): Catcher | undefined {
  return catchers?.find((c) => errorMatches(c.ErrorEquals, error));
}

/**
 * Delay before retry number `attempt` (0-based) in milliseconds: IntervalSeconds ×
 * BackoffRate^attempt, capped by MaxDelaySeconds; FULL jitter draws uniformly below it.
 */
export function retryDelayMs(retrier: Retrier, attempt: number, random: () => number): number {
  const interval = retrier.IntervalSeconds ?? 1;
  const rate = retrier.BackoffRate ?? 2;
  let seconds = interval * Math.pow(rate, attempt);
  if (retrier.MaxDelaySeconds !== undefined) seconds = Math.min(seconds, retrier.MaxDelaySeconds);
  if (retrier.JitterStrategy === 'FULL') seconds = random() * seconds;
  return Math.round(seconds * 1000);
}

export function maxAttempts(retrier: Retrier): number {
  return retrier.MaxAttempts ?? 3;
}
