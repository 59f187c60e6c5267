import type { JsonValue } from '../../../src/asl/json-value.js';
import { ApiError, validationError } from '../aws-json-protocol.js';
import type { Action } from '../api-context.js';
import { nestsTooDeep, TOO_DEEP } from '../json-depth.js';

const TOKEN_MAX = 2048;

const sendTaskSuccess: Action = async (f, { runtime }) => {
  const token = f.string('taskToken', { min: 1, max: TOKEN_MAX });
  const text = f.optionalPayload('output', runtime.limits.payloadBytes);
  if (text === undefined) throw validationError("1 validation error detected: Value null at 'output' failed to satisfy constraint: Member must not be null");
  // Refused here, as AWS's parser refuses it, rather than failing the execution when stored.
  if (nestsTooDeep(text)) throw new ApiError('InvalidOutput', `Invalid Output: '${TOO_DEEP}'`);
  let output: JsonValue;
  try {
    output = JSON.parse(text) as JsonValue;
  } catch (e) {
    throw new ApiError('InvalidOutput', `Invalid Output: '${(e as Error).message}'`);
  }
  await runtime.sendTaskSuccess(token, output);
  return {};
};

const sendTaskFailure: Action = async (f, { runtime }) => {
  const token = f.string('taskToken', { min: 1, max: TOKEN_MAX });
  await runtime.sendTaskFailure(token, f.optionalString('error', { max: 256 }), f.optionalString('cause', { max: 32768 }));
  return {};
};

const sendTaskHeartbeat: Action = async (f, { runtime }) => {
  await runtime.sendTaskHeartbeat(f.string('taskToken', { min: 1, max: TOKEN_MAX }));
  return {};
};

export const taskTokenActions: Record<string, Action> = {
  SendTaskSuccess: sendTaskSuccess,
  SendTaskFailure: sendTaskFailure,
  SendTaskHeartbeat: sendTaskHeartbeat,
};
