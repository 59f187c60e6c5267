import type { JsonValue } from '../../asl/json-value.js';
import { evaluateJsonataTemplate, expectType, isJsonataExpression, jsonataExpressionText, requireJsonataValue, unexpectedTypeError } from '../../asl/jsonata/index.js';
import type { JsonataEvaluationOptions, JsonataStates } from '../../asl/jsonata/evaluate-jsonata.js';
import type { ScopeRuntime } from '../scope-runtime.js';

type StatesData = Omit<JsonataStates, 'context'>;

/**
 * JSONata-mode field evaluation (DG:transforming-data). Every `{% %}` string in a field is an
 * expression over `$states` and the workflow variables; other values are literal.
 */
export function evaluateField(rt: ScopeRuntime, value: JsonValue | undefined, states: StatesData, field: string, extraContext?: Record<string, JsonValue>): Promise<JsonValue | undefined> {
  if (value === undefined) return Promise.resolve(undefined);
  return evaluateJsonataTemplate(value, rt.jsonataBindings(states, extraContext), field, jsonataOptions(rt));
}

/**
 * A number field given as an expression or a literal (TimeoutSeconds, MaxConcurrency, ...). An
 * expression must give a number of `type`, and at least `min`: AWS raises
 * States.QueryEvaluationError for a field's expression that gives the wrong type. (Fields whose
 * range the state checks later, with the error AWS gives for the literal too, pass no `min`.)
 */
export async function evaluateNumberField(rt: ScopeRuntime, value: JsonValue | undefined, states: StatesData, field: string, type: 'integer' | 'number', min = -Infinity): Promise<number | undefined> {
  if (value === undefined) return undefined;
  if (typeof value === 'number' || !isJsonataExpression(value)) return value as number;
  const result = await requireJsonataValue(value as string, rt.jsonataBindings(states), field, jsonataOptions(rt));
  const n = expectType(result, type, value as string, field);
  if (n < min) throw unexpectedTypeError(jsonataExpressionText(value as string), field, min > 0 ? `positive ${type}` : `non-negative ${type}`, 'number', n);
  return n;
}

/**
 * Output and Assign of a JSONata state, evaluated together against the variable values from
 * state entry; Output defaults to `fallback` (the input, or the result for Task/Map/Parallel).
 */
export async function evaluateOutputAndAssign(
  rt: ScopeRuntime,
  fields: { Output?: JsonValue; Assign?: Record<string, JsonValue> },
  states: StatesData,
  fallback: JsonValue,
): Promise<{ output: JsonValue; assigned: Record<string, JsonValue> | undefined }> {
  const assigned = fields.Assign === undefined ? undefined : ((await evaluateField(rt, fields.Assign, states, 'Assign')) as Record<string, JsonValue>);
  const output = fields.Output === undefined ? fallback : ((await evaluateField(rt, fields.Output, states, 'Output')) as JsonValue);
  return { output, assigned };
}

/**
 * How a state's expressions evaluate: with the execution's random source and clock (a replay
 * draws and reads the same) and the runtime's expression limits (`limits.expressionBytes` and
 * `limits.expressionDepth`, AWS's unless lifted).
 */
export function jsonataOptions(rt: ScopeRuntime): JsonataEvaluationOptions {
  const { limits } = rt.services;
  return { random: rt.services.randomSource, now: () => rt.services.now(), maxBytes: limits.expressionBytes, maxDepth: limits.expressionDepth };
}
