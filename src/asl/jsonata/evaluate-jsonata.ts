import { defaultRandomSource } from '../intrinsics/evaluate-intrinsic.js';
import type { RandomSource } from '../intrinsics/intrinsic-types.js';
import type { JsonValue } from '../json-value.js';
import {
  armRegexGuard,
  compileJsonata,
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_DEPTH,
  DEFAULT_TIMEOUT_MS,
  EVALUATION_KEY,
  HIDDEN_EVAL,
  type CompiledExpression,
  type EvaluationState,
} from './compile-jsonata.js';
import {
  BOUND_CODE,
  describeRaisedError,
  evaluationRefused,
  evaluationThrewError,
  INTERNAL_ERROR_CODE,
  internalEvaluationError,
  memoryLimitError,
  MEMORY_LIMIT_CODE,
  MEMORY_LIMIT_MESSAGE,
  STACK_OVERFLOW_MESSAGE,
  type JsonataRaisedError,
  queryEvaluationError,
  undefinedResultError,
  unexpectedTypeError,
  unsupportedResultError,
} from './jsonata-errors.js';
import { fromJsonataValue, jsonTypeOf, toJsonataValue, toMutableJsonataValue, UnsupportedResultError } from './jsonata-values.js';

export type { RandomSource } from '../intrinsics/intrinsic-types.js';

/** What `$states` holds for the field being evaluated (developer guide, "Reserved variable: $states"). */
export interface JsonataStates {
  input: JsonValue;
  /** Task, Map and Parallel results, in Output and Assign only. */
  result?: JsonValue;
  /** `{ Error, Cause }`, in a catcher's Output and Assign only. */
  errorOutput?: JsonValue;
  context: JsonValue;
}

export interface JsonataBindings {
  states: JsonataStates;
  /** Workflow variables visible to the state, each reachable as `$name`. */
  variables: Readonly<Record<string, JsonValue>>;
}

export interface JsonataEvaluationOptions {
  /** Feeds unseeded `$random()` and `$uuid()`. */
  random?: RandomSource;
  /** Wall clock in epoch milliseconds, for `$now()` and `$millis()`; read once per evaluation. */
  now?: () => number;
  /** Time one expression may run. */
  timeoutMs?: number;
  /** Evaluation nesting allowed, counted as AWS counts it (AWS: 100). */
  maxDepth?: number;
  /** Bytes one value may hold, counted as AWS counts them (AWS: 6,990,256; see DEFAULT_MAX_BYTES). */
  maxBytes?: number;
}

/** `{% expr %}`: the whole string, opening and closing markers included, with nothing around them. */
export function isJsonataExpression(value: unknown): boolean {
  return typeof value === 'string' && value.length >= 4 && value.startsWith('{%') && value.endsWith('%}');
}

/** The expression text inside `{% %}`, trimmed as AWS prints it in causes; other text unchanged. */
export function jsonataExpressionText(value: string): string {
  return (isJsonataExpression(value) ? value.slice(2, -2) : value).trim();
}

/**
 * Evaluates one JSONata expression (given with or without its `{% %}` markers). Returns undefined
 * when the expression yields nothing: the caller decides whether that is an error for its field
 * (evaluateJsonataTemplate and requireJsonataValue raise AWS's "returned nothing" error).
 * Any failure is AslError('States.QueryEvaluationError') with AWS's cause text. Async because the
 * JSONata library (2.x) evaluates asynchronously.
 */
export async function evaluateJsonataExpression(
  expression: string,
  bindings: JsonataBindings,
  field: string,
  options: JsonataEvaluationOptions = {},
): Promise<JsonValue | undefined> {
  return evaluatePrepared(jsonataExpressionText(expression), bindings, field, options);
}

/** Like evaluateJsonataExpression, but an undefined result is AWS's "returned nothing" error. */
export async function requireJsonataValue(
  expression: string,
  bindings: JsonataBindings,
  field: string,
  options: JsonataEvaluationOptions = {},
): Promise<JsonValue> {
  const text = jsonataExpressionText(expression);
  const value = await evaluatePrepared(text, bindings, field, options);
  if (value === undefined) throw undefinedResultError(text, field);
  return value;
}

/** Evaluates expression text already stripped of its `{% %}` markers. */
export async function evaluatePrepared(
  text: string,
  bindings: JsonataBindings,
  field: string,
  options: JsonataEvaluationOptions,
): Promise<JsonValue | undefined> {
  const compiled = compileJsonata(text);
  if (!compiled.ok) throw evaluationThrewError(text, field, describeRaisedError(compiled.error));
  const state: EvaluationState = {
    random: options.random ?? defaultRandomSource,
    now: (options.now ?? Date.now)(),
    deadline: Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
    depth: 0,
  };
  let raw: unknown;
  try {
    armRegexGuard();
    raw = await compiled.compiled.expression.evaluate(undefined, environmentFor(compiled.compiled, bindings, state));
  } catch (error) {
    // The engine's own limits: the call stack, or a string or array longer than it can hold.
    if (error instanceof RangeError) throw evaluationRefused(text, field, /^Invalid (string|array) length/.test(error.message) ? MEMORY_LIMIT_MESSAGE : STACK_OVERFLOW_MESSAGE);
    const code = (error as JsonataRaisedError | null)?.code;
    if (code === MEMORY_LIMIT_CODE) throw memoryLimitError(text, field);
    if (code === BOUND_CODE) throw evaluationRefused(text, field, (error as JsonataRaisedError).message ?? STACK_OVERFLOW_MESSAGE);
    if (code === INTERNAL_ERROR_CODE) throw internalEvaluationError(text, field, state.random.uuid());
    throw evaluationThrewError(text, field, describeRaisedError(error));
  }
  try {
    return fromJsonataValue(raw);
  } catch (error) {
    if (error instanceof UnsupportedResultError) throw unsupportedResultError(text, field);
    if (error instanceof RangeError) throw queryEvaluationError(`The JSONata expression '${text}' specified for the field '${field}' returned a value nested too deeply.`);
    throw error;
  }
}

/** Only names the expression mentions are bound: nothing else is reachable without `$eval`. */
function environmentFor(
  compiled: CompiledExpression,
  bindings: JsonataBindings,
  state: EvaluationState,
): Record<string, unknown> {
  const env: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const convert = compiled.updatesBoundData ? toMutableJsonataValue : toJsonataValue;
  env[EVALUATION_KEY] = state;
  const variables = bindings.variables;
  for (const name of compiled.variables) {
    if (name === 'states') {
      // Reserved: a workflow variable cannot take its place.
      env['states'] = statesValue(bindings.states, convert);
      continue;
    }
    const variableName = name === HIDDEN_EVAL ? 'eval' : name;
    // The library keeps bindings on an ordinary object, where binding `__proto__` would replace
    // the frame's prototype and make every other name resolve through the variable's value.
    if (name !== '__proto__' && Object.prototype.hasOwnProperty.call(variables, variableName)) {
      env[name] = convert(variables[variableName]!);
    }
  }
  return env;
}

function statesValue(states: JsonataStates, convert: (value: JsonValue) => unknown): unknown {
  const value = Object.create(null) as Record<string, unknown>;
  value['input'] = convert(states.input);
  if (states.result !== undefined) value['result'] = convert(states.result);
  if (states.errorOutput !== undefined) value['errorOutput'] = convert(states.errorOutput);
  value['context'] = convert(states.context);
  return value;
}

export type JsonataExpectedType = 'array' | 'number' | 'integer' | 'string' | 'boolean' | 'object';

/**
 * Checks a field's evaluated value against the type the field needs, raising AWS's
 * "returned an unexpected result type" error. `expression` may carry its `{% %}` markers.
 */
export function expectType(value: JsonValue | undefined, type: 'array', expression: string, field: string): JsonValue[];
export function expectType(value: JsonValue | undefined, type: 'number' | 'integer', expression: string, field: string): number;
export function expectType(value: JsonValue | undefined, type: 'string', expression: string, field: string): string;
export function expectType(value: JsonValue | undefined, type: 'boolean', expression: string, field: string): boolean;
export function expectType(value: JsonValue | undefined, type: 'object', expression: string, field: string): { [key: string]: JsonValue };
export function expectType(value: JsonValue | undefined, type: JsonataExpectedType, expression: string, field: string): JsonValue;
export function expectType(value: JsonValue | undefined, type: JsonataExpectedType, expression: string, field: string): JsonValue {
  const text = jsonataExpressionText(expression);
  if (value === undefined) throw undefinedResultError(text, field);
  const actual = jsonTypeOf(value);
  const matches = type === 'integer' ? typeof value === 'number' && Number.isInteger(value) : actual === type;
  if (!matches) throw unexpectedTypeError(text, field, type, actual, value);
  return value;
}
