import { StatesErrors } from '../errors/error-names.js';
import { eventDetailsOf, type HistoryEvent } from './history-event.js';

/**
 * DeleteStateMachine (API:DeleteStateMachine): "On the next state transition, the state
 * machine's executions are terminated." A state transition is a state entered, or a state
 * retried: AWS counts each retry as one (its pricing page). The execution ends with
 * ExecutionFailed, in AWS's words (re:Post knowledge-center/step-functions-stuck-deleting-status):
 * `{"Error": "States.Runtime", "Cause": "State machine testing-delete has been deleted."}`.
 */
export function deletionFailure(stateMachineName: string): { error: string; cause: string } {
  // A Distributed Map's children run as executions of `<name>/<label>`: `<name>` is what was deleted.
  const slash = stateMachineName.indexOf('/');
  const name = slash < 0 ? stateMachineName : stateMachineName.slice(0, slash);
  return { error: StatesErrors.Runtime, cause: `State machine ${name} has been deleted.` };
}

const DELETED_CAUSE = /^State machine .+ has been deleted\.$/s;

/**
 * Whether a recorded event is the end a deletion of the state machine gave the execution: the
 * history's record of that outside input, as ExecutionAborted is of a StopExecution.
 */
export function isDeletionFailure(event: HistoryEvent): boolean {
  if (event.type !== 'ExecutionFailed') return false;
  const d = eventDetailsOf(event) as { error?: unknown; cause?: unknown } | undefined;
  return d?.error === StatesErrors.Runtime && typeof d.cause === 'string' && DELETED_CAUSE.test(d.cause);
}

/**
 * Thrown by a state transition of an execution whose state machine is being deleted: the step
 * stops short of it, and the journal ends the execution with deletionFailure.
 */
export class StateMachineDeleted extends Error {
  constructor(stateMachineName: string) {
    super(deletionFailure(stateMachineName).cause);
    this.name = 'StateMachineDeleted';
  }
}
