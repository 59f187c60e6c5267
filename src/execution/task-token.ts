import { StepwiseError } from '../errors/stepwise-error.js';

/** The tokens Stepwise hands out for tasks: a request id, 16 hex digits from the execution's seeded random source. */
const TASK_TOKEN = /^[0-9a-f]{16}$/;

/**
 * What SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat answer for a token with no open
 * task, as AWS answers: InvalidToken for one it never issued, TaskTimedOut for one whose task
 * "has either expired or ... has already been closed" (API:SendTaskSuccess).
 */
export function noOpenTaskError(token: string): StepwiseError {
  if (!TASK_TOKEN.test(token)) return new StepwiseError('InvalidToken', `Invalid token: '${token}' is not a task token Stepwise issued.`);
  // Worded after the API reference's description of the error (no recorded AWS message to copy).
  return new StepwiseError(
    'TaskTimedOut',
    `Task Timed Out: the task token '${token}' has either expired or the task associated with it has already been closed (answered, timed out, or its execution ended).`,
  );
}
