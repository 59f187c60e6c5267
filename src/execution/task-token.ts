import { StepwiseError } from '../errors/stepwise-error.js';

/** The tokens Stepwise hands out for tasks: a request id, 16 hex digits from the execution's seeded random source. */
const TASK_TOKEN = /^[0-9a-f]{16}$/;

/**
 * Whether a token has the form of one Stepwise issues. AWS tells a token it could never have
 * issued (InvalidToken) before it looks at SendTaskSuccess's output, and an issued one after:
 * recorded against AWS (2026-09), 'not-a-task-token' with output 'not-json' answered
 * InvalidToken, a closed task's token with that output InvalidOutput.
 */
export function isIssuedTaskToken(token: string): boolean {
  return TASK_TOKEN.test(token);
}

/**
 * What SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat answer for a token with no open
 * task, as AWS answers: InvalidToken for one it never issued, TaskTimedOut for one whose task
 * "has either expired or ... has already been closed" (API:SendTaskSuccess). `resource` is the
 * activity the task was scheduled on, when known: recorded against AWS (2026-09), AWS names it
 * ("Task Timed Out: 'arn:aws:states:us-west-2:…:activity:…'") for a token whose task was
 * answered, timed out, or whose execution was stopped or timed out.
 */
export function noOpenTaskError(token: string, resource?: string): StepwiseError {
  // Recorded against AWS (2026-09) for a malformed token, and for a live token sent to another region.
  if (!TASK_TOKEN.test(token)) return new StepwiseError('InvalidToken', "Invalid Token: 'Invalid token'");
  if (resource !== undefined) return new StepwiseError('TaskTimedOut', `Task Timed Out: '${resource}'`);
  // A callback (.waitForTaskToken) token names no activity: AWS answers "Task Timed Out: 'Provided
  // task does not exist anymore'" for one whose task was answered (AWS's answer quoted in
  // aws-samples/amazon-mwaa-examples#61) or timed out.
  return new StepwiseError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
}
