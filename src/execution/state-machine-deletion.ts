import { StatesErrors } from '../errors/error-names.js';
import { eventDetailsOf, type HistoryEvent } from './history-event.js';

/**
 * DeleteStateMachine (API:DeleteStateMachine): "On the next state transition, the state
 * machine's executions are terminated." Recorded against AWS (us-west-2, 2026-09), each ends
 * with ExecutionFailed `{"error": "States.Runtime", "cause": "State machine <name> has been
 * deleted"}` (no full stop), threaded on the last event it recorded.
 */
export function deletionFailure(stateMachineName: string): { error: string; cause: string } {
  // A Distributed Map's children run as executions of `<name>/<label>`: `<name>` is what was deleted.
  const slash = stateMachineName.indexOf('/');
  const name = slash < 0 ? stateMachineName : stateMachineName.slice(0, slash);
  return { error: StatesErrors.Runtime, cause: `State machine ${name} has been deleted` };
}

const DELETED_CAUSE = /^State machine .+ has been deleted$/s;

/**
 * Whether a recorded event is the end a deletion of the state machine gave the execution: the
 * history's record of that outside input, as ExecutionAborted is of a StopExecution.
 */
export function isDeletionFailure(event: HistoryEvent): boolean {
  if (event.type !== 'ExecutionFailed') return false;
  const d = eventDetailsOf(event) as { error?: unknown; cause?: unknown } | undefined;
  return d?.error === StatesErrors.Runtime && typeof d.cause === 'string' && DELETED_CAUSE.test(d.cause);
}
