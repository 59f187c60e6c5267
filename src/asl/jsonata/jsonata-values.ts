import type { JsonValue } from '../json-value.js';

/**
 * Moving JSON between the engine and the JSONata library.
 *
 * The library reads a field as `object[key]`, so on an ordinary object `$states.input.constructor`
 * would find Object and a `__proto__` key that the input does not have would find Object.prototype.
 * Objects handed to it are therefore rebuilt without a prototype: every key is then just data,
 * including a real `__proto__` key, and inherited names read as absent.
 *
 * The rebuilt copy of each object is kept for as long as the object lives, so a large input read
 * by every iteration of a Map is copied once, not once per expression. This relies on the engine's
 * values being immutable once handed over, which is how execution data flows (a new value per
 * state, never an edit in place).
 */
const copies = new WeakMap<object, unknown>();

export function toJsonataValue(value: JsonValue): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const known = copies.get(value);
  if (known !== undefined) return known;
  let copy: unknown;
  if (Array.isArray(value)) {
    const items: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) items[i] = toJsonataValue(value[i]!);
    copy = items;
  } else {
    const record = Object.create(null) as Record<string, unknown>;
    for (const key of Object.keys(value)) record[key] = toJsonataValue(value[key]!);
    copy = record;
  }
  copies.set(value, copy);
  return copy;
}

/**
 * A private, ordinary-object copy for an expression whose transform (`| pattern | update |`)
 * reads a variable: the library updates the matched objects in place, which must not reach the
 * shared copies, and it checks matches with `isPrototypeOf`, which prototype-free objects lack.
 */
export function toMutableJsonataValue(value: JsonValue): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(toMutableJsonataValue);
  const record: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = toMutableJsonataValue(value[key]!);
    if (key === '__proto__') Object.defineProperty(record, key, { value: item, enumerable: true, writable: true, configurable: true });
    else record[key] = item;
  }
  return record;
}

/** Thrown by fromJsonataValue for a top-level result JSON cannot hold. */
export class UnsupportedResultError extends Error {}

/**
 * Turns what the library produced back into plain JSON values:
 * - its sequences (arrays carrying flags) become plain arrays;
 * - a number JSON cannot write is written as the name JavaScript gives it ("Infinity", "NaN"),
 *   which is what AWS answers for `1/0`;
 * - functions nested in a value are left out of objects and become null in arrays, as
 *   JSON.stringify does; a function as the whole result is refused;
 * - `obj['__proto__'] = v` inside the library (`$merge`, `$spread`...) sets the prototype of an
 *   ordinary object instead of adding a key; such a prototype is read back as the `__proto__` key.
 * `undefined` stays undefined so that callers can report an expression that returned nothing.
 */
export function fromJsonataValue(value: unknown): JsonValue | undefined {
  if (typeof value === 'function' || isLibraryFunction(value)) throw new UnsupportedResultError();
  return convert(value);
}

function convert(value: unknown): JsonValue | undefined {
  switch (typeof value) {
    case 'undefined':
      return undefined;
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return Number(value);
    case 'function':
    case 'symbol':
      return undefined;
    default:
      break;
  }
  if (value === null) return null;
  if (isLibraryFunction(value)) return undefined;
  if (Array.isArray(value)) {
    const items: JsonValue[] = [];
    for (const item of value as unknown[]) {
      const converted = convert(item);
      items.push(converted === undefined ? null : converted);
    }
    return items;
  }
  const source = value as Record<string, unknown>;
  const out: Record<string, JsonValue> = {};
  const proto: unknown = Object.getPrototypeOf(source);
  if (proto !== null && proto !== Object.prototype && typeof proto === 'object' && !Object.prototype.hasOwnProperty.call(source, '__proto__')) {
    const hidden = convert(proto);
    if (hidden !== undefined) defineKey(out, '__proto__', hidden);
  }
  for (const key of Object.keys(source)) {
    const converted = convert(source[key]);
    if (converted !== undefined) defineKey(out, key, converted);
  }
  return out;
}

/** Plain assignment of `__proto__` would replace the prototype instead of adding the key. */
function defineKey(target: Record<string, JsonValue>, key: string, value: JsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** The library's own function values: built-ins, registered functions and lambdas. */
export function isLibraryFunction(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const flags = value as { _jsonata_function?: unknown; _jsonata_lambda?: unknown; _jsonata_partial?: unknown };
  return flags._jsonata_function === true || flags._jsonata_lambda === true || flags._jsonata_partial === true;
}

/** JSON type name of a converted value, as AWS names it in type errors. */
export function jsonTypeOf(value: JsonValue): 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as 'boolean' | 'number' | 'string' | 'object';
}
