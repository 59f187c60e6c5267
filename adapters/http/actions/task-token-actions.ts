import type { JsonValue } from '../../../src/asl/json-value.js';
import { isIssuedTaskToken, noOpenTaskError } from '../../../src/execution/task-token.js';
import { ApiError, validationError } from '../aws-json-protocol.js';
import type { Action } from '../api-context.js';
import type { RequestFields } from '../request-fields.js';
import { nestsTooDeep, TOO_DEEP } from '../json-depth.js';

const TOKEN_MAX = 2048;

/**
 * The taskToken field. Recorded against AWS (2026-09): an empty one is refused naming its
 * value, "Value '' at 'taskToken' ...", as AWS's validation names a member that is not sensitive.
 */
function taskTokenField(f: RequestFields): string {
  const token = f.string('taskToken', { max: TOKEN_MAX });
  if (token.length === 0) throw validationError("1 validation error detected: Value '' at 'taskToken' failed to satisfy constraint: Member must have length greater than or equal to 1");
  return token;
}

/**
 * Recorded against AWS (2026-09), SendTaskSuccess checks in this order: the request's fields
 * (a missing output is a ValidationException, even with a malformed token), then whether the
 * token is one AWS could have issued (InvalidToken, even with output that is not JSON), then the
 * output (InvalidOutput, even for a token whose task is closed), then the task (TaskTimedOut).
 */
const sendTaskSuccess: Action = async (f, { runtime }) => {
  const token = taskTokenField(f);
  const text = f.optionalPayload('output', runtime.limits.payloadBytes);
  // output is a sensitive member: AWS leaves its value out of the message (recorded 2026-09).
  if (text === undefined) throw validationError("1 validation error detected: Value at 'output' failed to satisfy constraint: Member must not be null");
  if (!isIssuedTaskToken(token)) throw noOpenTaskError(token);
  // Refused here, as AWS's parser refuses it, rather than failing the execution when stored.
  if (nestsTooDeep(text)) throw new ApiError('InvalidOutput', `Invalid Output: '${TOO_DEEP}'`);
  let output: JsonValue;
  try {
    output = JSON.parse(text) as JsonValue;
  } catch {
    // Recorded against AWS (2026-09): "Invalid Output: 'not-json' is not valid JSON."
    throw new ApiError('InvalidOutput', `Invalid Output: '${text}' is not valid JSON.`);
  }
  await runtime.sendTaskSuccess(token, output);
  return {};
};

const sendTaskFailure: Action = async (f, { runtime }) => {
  const token = taskTokenField(f);
  await runtime.sendTaskFailure(token, f.optionalString('error', { max: 256 }), f.optionalString('cause', { max: 32768 }));
  return {};
};

const sendTaskHeartbeat: Action = async (f, { runtime }) => {
  await runtime.sendTaskHeartbeat(taskTokenField(f));
  return {};
};

export const taskTokenActions: Record<string, Action> = {
  SendTaskSuccess: sendTaskSuccess,
  SendTaskFailure: sendTaskFailure,
  SendTaskHeartbeat: sendTaskHeartbeat,
};
