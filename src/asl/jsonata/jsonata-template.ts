import type { JsonValue } from '../json-value.js';
import { undefinedResultError } from './jsonata-errors.js';
import {
  evaluatePrepared,
  isJsonataExpression,
  jsonataExpressionText,
  type JsonataBindings,
  type JsonataEvaluationOptions,
} from './evaluate-jsonata.js';

export { isJsonataExpression } from './evaluate-jsonata.js';

/**
 * Evaluates a JSONata-mode field value (Arguments, Output, Assign, Items, ItemSelector...): every
 * string that is a whole `{% expr %}` is replaced by its result, at any depth of objects and
 * arrays; everything else is literal. `field` names the field and grows with the path for causes:
 * `/key` for an object key and `[i]` for an array index (`Output/a/b[0]`).
 *
 * An expression that returns nothing fails the field with AWS's "returned nothing (undefined)"
 * error, inside an object or array as at the top (AWS does not drop the key). Expressions are
 * evaluated one after another in document order, so the first failing one is the one reported.
 */
export async function evaluateJsonataTemplate(
  value: JsonValue,
  bindings: JsonataBindings,
  field: string,
  options: JsonataEvaluationOptions = {},
): Promise<JsonValue> {
  return resolve(value, bindings, field, options);
}

async function resolve(
  value: JsonValue,
  bindings: JsonataBindings,
  field: string,
  options: JsonataEvaluationOptions,
): Promise<JsonValue> {
  if (typeof value === 'string') {
    if (!isJsonataExpression(value)) return value;
    const text = jsonataExpressionText(value);
    const result = await evaluatePrepared(text, bindings, field, options);
    if (result === undefined) throw undefinedResultError(text, field);
    return result;
  }
  if (Array.isArray(value)) {
    const items: JsonValue[] = [];
    for (let i = 0; i < value.length; i++) items.push(await resolve(value[i]!, bindings, `${field}[${i}]`, options));
    return items;
  }
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: JsonValue } = {};
    for (const key of Object.keys(value)) {
      const resolved = await resolve(value[key]!, bindings, `${field}/${key}`, options);
      if (key === '__proto__') Object.defineProperty(out, key, { value: resolved, enumerable: true, writable: true, configurable: true });
      else out[key] = resolved;
    }
    return out;
  }
  return value;
}

/** True when any string inside `value` is a `{% %}` expression (a template that is all literal needs no evaluation). */
export function containsJsonataExpression(value: JsonValue): boolean {
  if (typeof value === 'string') return isJsonataExpression(value);
  if (Array.isArray(value)) return value.some(containsJsonataExpression);
  if (value !== null && typeof value === 'object') return Object.values(value).some(containsJsonataExpression);
  return false;
}
