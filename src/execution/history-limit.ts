import { StatesErrors } from '../errors/error-names.js';
import { eventDetailsOf, type HistoryEvent } from './history-event.js';

/**
 * The end of an execution whose history reached its limit (DG:service-quotas, 25,000 events):
 * ExecutionFailed States.Runtime, as AWS words it.
 */
export function historyLimitFailure(limit: number): { error: string; cause: string } {
  return { error: StatesErrors.Runtime, cause: `The execution reached the maximum number of history events (${limit}).` };
}

const LIMIT_CAUSE = /^The execution reached the maximum number of history events \(\d+\)\.$/;

/**
 * Whether a recorded event is that end. A replay reproduces it where the history has it: the
 * run that recorded it dropped whatever its last step recorded past the limit (a Choice looping
 * over Pass states never ends its step), so nothing the actors record in its place is compared.
 */
export function isHistoryLimitFailure(event: HistoryEvent | undefined): boolean {
  if (event?.type !== 'ExecutionFailed') return false;
  const d = eventDetailsOf(event) as { error?: unknown; cause?: unknown } | undefined;
  return d?.error === StatesErrors.Runtime && typeof d.cause === 'string' && LIMIT_CAUSE.test(d.cause);
}
