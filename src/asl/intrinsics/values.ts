import { isJsonObject, type JsonValue } from '../json-value.js';

/**
 * Value helpers shared by the intrinsic families. AWS evaluates intrinsics in Java, so
 * rounding and number printing follow Java rather than JavaScript where they differ.
 */

export function typeName(value: JsonValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  return typeof value;
}

/** A short rendering of a value for error causes, so a huge input does not flood the cause. */
export function preview(value: JsonValue | undefined): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

/** Structural equality: arrays in order, objects whatever their key order. */
export function jsonEquals(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEquals(item, b[i]!));
  }
  if (isJsonObject(a)) {
    if (!isJsonObject(b)) return false;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => Object.hasOwn(b, key) && jsonEquals(a[key]!, b[key]!));
  }
  return false;
}

/** JSON text with object keys sorted, so equal values (in the jsonEquals sense) give equal text. */
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isJsonObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key]!)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Java's Math.round: halves go up (2.5 -> 3, -2.5 -> -2), unlike banker's rounding. The
 * recorded States.MathAdd cases pin this. JavaScript's Math.round agrees; -0 is folded to 0.
 */
export function javaRound(value: number): number {
  return Math.round(value) + 0;
}

/**
 * How Java prints a number taken from JSON: integers as integers, other doubles with
 * Double.toString (plain between 1e-3 and 1e7, otherwise `1.0E-4` style).
 */
export function javaNumberString(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return String(value + 0);
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1e-3 && abs < 1e7) return String(value);
  const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
  const digits = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${digits}E${exponent.startsWith('+') ? exponent.slice(1) : exponent}`;
}

/** JSON text as Jackson writes it: compact, numbers printed the Java way. */
export function toJavaJson(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return javaNumberString(value);
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(toJavaJson).join(',')}]`;
  return `{${Object.entries(value)
    .map(([key, item]) => `${JSON.stringify(key)}:${toJavaJson(item)}`)
    .join(',')}}`;
}

/**
 * How States.Format prints a value: Java's toString of the decoded value, so strings appear
 * without quotes, arrays as `[a, b]` and objects as `{key=value, other=value}` (the recorded
 * case formatting `$$.StateMachine` shows the object form).
 */
export function toJavaString(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return javaNumberString(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(toJavaString).join(', ')}]`;
  return `{${Object.entries(value)
    .map(([key, item]) => `${key}=${toJavaString(item)}`)
    .join(', ')}}`;
}
