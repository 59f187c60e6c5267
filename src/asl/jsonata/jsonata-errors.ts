import { AslError } from '../../errors/asl-error.js';
import { StatesErrors } from '../../errors/error-names.js';

/**
 * Cause texts of States.QueryEvaluationError, worded as AWS words them. The engine puts
 * "An error occurred while executing the state 'X' (entered at the event id #N). " in front.
 */

/** A JSON type name as AWS prints it in "Expected 'array', but was 'object'". */
export type JsonataTypeName = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';

function subject(expression: string, field: string): string {
  return `The JSONata expression '${expression}' specified for the field '${field}'`;
}

export function queryEvaluationError(cause: string): AslError {
  return new AslError(StatesErrors.QueryEvaluationError, cause);
}

export function undefinedResultError(expression: string, field: string): AslError {
  return queryEvaluationError(`${subject(expression, field)} returned nothing (undefined).`);
}

/** `detail` is the library's `CODE: message` (e.g. `T1006: Attempted to invoke a non-function`). */
export function evaluationThrewError(expression: string, field: string, detail: string): AslError {
  return queryEvaluationError(`${subject(expression, field)} threw an error during evaluation. ${detail}`);
}

/**
 * What AWS's evaluator answers when an expression would build too much (a `$range` too long, a
 * `$pad` adding more than {@link PAD_MAX_ADDED} characters); worded with a colon where other
 * raised errors get a full stop, as recorded against AWS (2026-09).
 */
export const MEMORY_LIMIT_CODE = 'StepwiseMemoryLimit';
export const MEMORY_LIMIT_MESSAGE = 'Expression evaluation memory limit exceeded: Check for excessive memory usage';

export function memoryLimitError(expression: string, field: string): AslError {
  return evaluationRefused(expression, field, MEMORY_LIMIT_MESSAGE);
}

/**
 * AWS's own refusals of an expression, its memory limit and its depth and time bounds, read
 * `…during evaluation: <message>`, with a colon and no error code, where an error the library
 * raises reads `…during evaluation. CODE: message` (byte-exact AWS causes for the memory and
 * depth refusals: floci-io/floci#2737 and #2783, measured against AWS).
 */
export function evaluationRefused(expression: string, field: string, message: string): AslError {
  return queryEvaluationError(`${subject(expression, field)} threw an error during evaluation: ${message}`);
}

/** The code of the depth and time bounds (the library's own U1001). */
export const BOUND_CODE = 'U1001';
export const STACK_OVERFLOW_MESSAGE = 'Stack overflow error: Check for non-terminating recursive function. Consider rewriting as tail-recursive.';
export const TIMEOUT_MESSAGE = 'Expression evaluation timeout: Check for infinite loop';

/**
 * What AWS answers when its evaluator itself fails (floci-io/floci#2736, measured against AWS:
 * `$base64decode("!!!")` "threw an internal error during evaluation." followed by a fresh UUID,
 * so no two causes are alike).
 */
export const INTERNAL_ERROR_CODE = 'StepwiseInternalError';

export function internalEvaluationError(expression: string, field: string, errorId: string): AslError {
  return queryEvaluationError(`${subject(expression, field)} threw an internal error during evaluation. ${errorId}`);
}

/** A result JSON cannot hold, such as a function. */
export function unsupportedResultError(expression: string, field: string): AslError {
  return queryEvaluationError(`${subject(expression, field)} returned an unsupported result type.`);
}

export function unexpectedTypeError(expression: string, field: string, expected: string, actual: JsonataTypeName, value: unknown): AslError {
  return queryEvaluationError(
    `${subject(expression, field)} returned an unexpected result type. Expected '${expected}', but was '${actual}' for value: ${JSON.stringify(value)}`,
  );
}

/**
 * Errors the library raises are plain objects `{ code, message, ... }`; ours follow the same shape
 * so that the cause reads `CODE: message` whichever side raised it.
 */
export interface JsonataRaisedError {
  code?: string;
  message?: string;
}

export function describeRaisedError(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as JsonataRaisedError;
    const text = typeof message === 'string' ? message : String(error);
    return typeof code === 'string' && code !== '' ? `${code}: ${text}` : text;
  }
  return String(error);
}

/** Shape of an error raised from inside evaluation (custom functions, guards). */
export function raised(code: string, message: string): JsonataRaisedError & { stack?: string } {
  return { code, message };
}
