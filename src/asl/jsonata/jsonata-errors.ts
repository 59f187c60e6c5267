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
  return queryEvaluationError(`${subject(expression, field)} threw an error during evaluation: ${MEMORY_LIMIT_MESSAGE}`);
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
