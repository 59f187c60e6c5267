import type { JsonValue } from '../../../src/asl/json-value.js';
import { validationError } from '../aws-json-protocol.js';
import { nestsTooDeep } from '../json-depth.js';
import { responseShapeOf, type Shape } from './test-state-shapes.js';

type StateDef = Record<string, JsonValue>;

export const FIELD_VALIDATION_MODES = ['STRICT', 'PRESENT', 'NONE'] as const;
export type FieldValidationMode = (typeof FIELD_VALIDATION_MODES)[number];

/** API:MockInput as it arrives. */
export interface MockInput {
  result?: unknown;
  errorOutput?: { error?: unknown; cause?: unknown };
  fieldValidationMode?: unknown;
}

/** A checked mock: the result parsed, or the error to throw. */
export type TestStateMock =
  | { kind: 'result'; result: JsonValue; mode: FieldValidationMode }
  | { kind: 'error'; error: string; cause: string; mode: FieldValidationMode };

/** API:MockInput's `result` and API:MockErrorOutput's lengths. */
const MAX_RESULT = 262144;
const MAX_ERROR = 256;
const MAX_CAUSE = 32768;

/**
 * The members of `mock`, with AWS's wording where recorded: both `result` and `errorOutput`
 * ("A test mock should have only one of the following fields: [result, errorOutput]."), a
 * result that is not JSON ("Mocked result must be valid JSON", in every validation mode).
 */
export function readMock(mock: MockInput): TestStateMock {
  const mode = readMode(mock.fieldValidationMode);
  const hasResult = mock.result !== undefined && mock.result !== null;
  const hasError = mock.errorOutput !== undefined && mock.errorOutput !== null;
  if (hasResult && hasError) throw validationError('A test mock should have only one of the following fields: [result, errorOutput].');
  // AWS's words, recorded against AWS (2026-09).
  if (!hasResult && !hasError) throw validationError('One of the following fields is required for a test mock: [result, errorOutput].');
  if (hasResult) {
    const text = memberString(mock.result, 'mock.result', MAX_RESULT);
    // One nested deeper than a stored value may be is no result the state could give.
    if (nestsTooDeep(text)) throw validationError('Mocked result must be valid JSON');
    let result: JsonValue;
    try {
      result = JSON.parse(text) as JsonValue;
    } catch {
      throw validationError('Mocked result must be valid JSON');
    }
    return { kind: 'result', result, mode };
  }
  const out = mock.errorOutput;
  if (typeof out !== 'object' || Array.isArray(out)) throw validationError("1 validation error detected: Value at 'mock.errorOutput' failed to satisfy constraint: Member must be an object");
  // An errorOutput without its error is refused, as recorded against AWS (2026-09).
  if (out.error === undefined || out.error === null) throw validationError('An error was not specified in the mocked error output.');
  const error = memberString(out.error, 'mock.errorOutput.error', MAX_ERROR);
  const cause = out.cause === undefined || out.cause === null ? '' : memberString(out.cause, 'mock.errorOutput.cause', MAX_CAUSE);
  return { kind: 'error', error, cause, mode };
}

function readMode(value: unknown): FieldValidationMode {
  if (value === undefined || value === null) return 'STRICT';
  if (typeof value !== 'string' || !(FIELD_VALIDATION_MODES as readonly string[]).includes(value)) {
    throw validationError(`1 validation error detected: Value '${String(value)}' at 'mock.fieldValidationMode' failed to satisfy constraint: Member must satisfy enum value set: [${FIELD_VALIDATION_MODES.join(', ')}]`);
  }
  return value as FieldValidationMode;
}

function memberString(value: unknown, where: string, max: number): string {
  if (typeof value !== 'string') throw validationError(`1 validation error detected: Value at '${where}' failed to satisfy constraint: Member must be a string`);
  if (value.length > max) throw validationError(`1 validation error detected: Value at '${where}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
  return value;
}

/**
 * What AWS checks of a mocked result before running anything, in its recorded words: a Map's is
 * an array (an object with a ResultWriter, which reports where the results went), a Parallel's an
 * array of one result per branch (in every validation mode: they are the state's own result, not
 * an API's); a Task's is checked against the called API's response unless the mode is NONE.
 */
export function checkMockResult(state: StateDef, mock: TestStateMock): void {
  if (mock.kind !== 'result') return;
  const result = mock.result;
  if (state.Type === 'Map') {
    if (state.ResultWriter !== undefined) {
      if (!isObject(result)) throw validationError('Mocked result must be a JSON object.');
    } else if (!Array.isArray(result)) throw validationError('Mocked result must be an array.');
  } else if (state.Type === 'Parallel') {
    if (!Array.isArray(result)) throw validationError('Mocked result must be an array.');
    const branches = Array.isArray(state.Branches) ? state.Branches.length : 0;
    if (result.length !== branches) throw validationError('Mocked result must contain the same number of items as number of Parallel branches.');
  } else if (state.Type === 'Task' && typeof state.Resource === 'string' && mock.mode !== 'NONE') {
    const shape = responseShapeOf(state.Resource);
    if (!shape) return;
    // Every API response is an object: AWS's words for a Task's (`null`), recorded against AWS (2026-09).
    if (!isObject(result)) throw validationError('Mocked result must be a valid JSON object.');
    checkMembers(result, shape as Extract<Shape, { type: 'structure' }>, mock.mode === 'STRICT');
  }
}

const PREFIX = 'Mock result schema validation error: ';

/**
 * DG:test-state-isolation, "Mock validation modes": STRICT wants every required field and
 * checks the type, size and values of each present one; PRESENT checks only those present;
 * fields the API model does not define are not checked in either. The wording is AWS's as
 * recorded, naming the field (not its path): "Required field 'ExecutionArn' is missing",
 * "Field 'Entries' must be an array", "Field 'StorageClass' is not an expected value", "Field
 * 'CiphertextBlob' is smaller than the minimum length", "Field 'MemorySize' is less than the
 * minimum value" / "exceeds the maximum value" ("exceeds the maximum length" is not recorded and
 * follows them). A number is any JSON number, an integer field's too.
 */
function checkShape(value: JsonValue, shape: Shape, field: string, strict: boolean): void {
  const fail = (what: string): never => {
    throw validationError(`${PREFIX}Field '${field}' ${what}`);
  };
  switch (shape.type) {
    case 'structure':
      if (!isObject(value)) fail('must be an object');
      checkMembers(value as Record<string, JsonValue>, shape, strict);
      return;
    case 'list':
      if (!Array.isArray(value)) fail('must be an array');
      for (const item of value as JsonValue[]) checkShape(item, shape.member, field, strict);
      return;
    case 'map':
      if (!isObject(value)) fail('must be an object');
      for (const item of Object.values(value as Record<string, JsonValue>)) checkShape(item, shape.value, field, strict);
      return;
    case 'string':
    case 'blob':
      if (typeof value !== 'string') fail('must be a string');
      if (shape.type === 'string' && shape.enum && !shape.enum.includes(value as string)) fail('is not an expected value');
      if (shape.min !== undefined && (value as string).length < shape.min) fail('is smaller than the minimum length');
      if (shape.max !== undefined && (value as string).length > shape.max) fail('exceeds the maximum length');
      return;
    case 'timestamp':
      // A date in a Task's result is text (the Java SDK's rendering); its format is not checked.
      if (typeof value !== 'string') fail('must be a string');
      return;
    case 'integer':
    case 'double':
      if (typeof value !== 'number') fail('must be a number');
      if (shape.min !== undefined && (value as number) < shape.min) fail('is less than the minimum value');
      if (shape.max !== undefined && (value as number) > shape.max) fail('exceeds the maximum value');
      return;
    case 'boolean':
      if (typeof value !== 'boolean') fail('must be a boolean');
      return;
  }
}

function checkMembers(value: Record<string, JsonValue>, shape: Extract<Shape, { type: 'structure' }>, strict: boolean): void {
  if (strict) for (const name of shape.required ?? []) if (!Object.hasOwn(value, name)) throw validationError(`${PREFIX}Required field '${name}' is missing`);
  for (const [name, member] of Object.entries(value)) {
    if (Object.hasOwn(shape.members, name)) checkShape(member, shape.members[name]!, name, strict);
  }
}

function isObject(value: JsonValue): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
