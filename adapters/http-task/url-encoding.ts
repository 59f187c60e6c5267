import type { JsonValue } from '../../src/asl/json-value.js';
import { isJsonObject } from '../../src/asl/json-value.js';

/**
 * How `Transform.RequestEncodingOptions.ArrayFormat` writes an array in a URL-encoded body
 * (DG:call-https-apis, "Applying URL-encoding on request body"), for `{"array":["a","b"]}`:
 * INDICES `array[0]=a&array[1]=b` (the default), REPEAT `array=a&array=b`,
 * COMMAS `array=a%2Cb` (the comma encoded, as recorded against AWS (2026-09); AWS's documentation
 * shows `array=a,b`), BRACKETS `array[]=a&array[]=b`.
 */
export type ArrayFormat = 'INDICES' | 'REPEAT' | 'COMMAS' | 'BRACKETS';

export const ARRAY_FORMATS: readonly ArrayFormat[] = ['INDICES', 'REPEAT', 'COMMAS', 'BRACKETS'];

/**
 * Percent-encodes everything but RFC 3986's unreserved characters (`A-Z a-z 0-9 - . _ ~`):
 * a space is `%20`, brackets are `%5B`/`%5D`, as in the request AWS shows for its Stripe
 * example (`description=Monthly%20subscription&metadata%5Border_details%5D=...`).
 */
export function encodeComponent(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A scalar as it appears in a query string or form: strings as they are, numbers and booleans as JSON writes them. */
export function scalarText(value: string | number | boolean | null): string {
  return value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
}

function isScalar(value: JsonValue): value is string | number | boolean | null {
  return value === null || typeof value !== 'object';
}

/**
 * A JSON object as `application/x-www-form-urlencoded` text. Nested objects become
 * `key[member]=...` (AWS's example: `metadata[order_details]`), arrays follow `format`,
 * `null` is an empty value and an empty array or object adds nothing. Keys keep their order.
 */
export function formEncode(body: { [key: string]: JsonValue }, format: ArrayFormat): string {
  const pairs: string[] = [];
  const add = (key: string, value: JsonValue): void => {
    if (Array.isArray(value)) {
      if (format === 'COMMAS' && value.every(isScalar)) {
        // The values joined, then encoded, delimiting commas too (recorded against AWS (2026-09):
        // ["red green", "blue+gold"] is `items=red%20green%2Cblue%2Bgold`).
        if (value.length > 0) pairs.push(`${encodeComponent(key)}=${encodeComponent(value.map((v) => scalarText(v)).join(','))}`);
        return;
      }
      value.forEach((item, i) => add(format === 'INDICES' ? `${key}[${i}]` : format === 'BRACKETS' ? `${key}[]` : key, item));
    } else if (isJsonObject(value)) {
      for (const [member, v] of Object.entries(value)) add(`${key}[${member}]`, v);
    } else {
      pairs.push(`${encodeComponent(key)}=${encodeComponent(scalarText(value))}`);
    }
  };
  for (const [key, value] of Object.entries(body)) add(key, value);
  return pairs.join('&');
}

/** Name/value pairs as a query string (`a=1&b=x%20y`). */
export function queryString(pairs: readonly (readonly [string, string])[]): string {
  return pairs.map(([k, v]) => `${encodeComponent(k)}=${encodeComponent(v)}`).join('&');
}
