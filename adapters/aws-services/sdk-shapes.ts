import type { JsonValue } from '../../src/asl/json-value.js';
import { isJsonObject } from '../../src/asl/json-value.js';

/**
 * How Step Functions turns an `aws-sdk:<service>:<action>` Task's parameters into an SDK request
 * and the SDK's answer into the Task's result. Step Functions calls the AWS SDK for Java v2 and
 * writes its response as JSON; recorded against AWS (2026-09):
 *
 * - a structure's members in alphabetical order, named as the Java SDK v2 names them (a leading
 *   acronym in lower case after its first letter: `MD5OfMessageBody` is `Md5OfMessageBody`,
 *   `ETag` stays `ETag`); a map keeps the service's order and keys;
 * - a streaming body (S3 `getObject`'s `Body`) as its text, after the other members;
 *   the HTTP payload of other operations (Lambda `invoke`'s `Payload`) as its text; other blobs
 *   (an SQS binary attribute) as base64;
 * - a timestamp as Java's `Instant` prints it (`2026-09-23T22:15:03Z`, no fraction when none).
 *
 * The SDK for JavaScript v3 carries the same model as schemas (`command.schema`); an SDK module
 * without schemas (an older package, or a stand-in in a test) is answered as before, its output
 * as is.
 */

/** The part of `@smithy/core/schema`'s NormalizedSchema this file uses. */
export interface ShapeSchema {
  isStructSchema(): boolean;
  isMapSchema(): boolean;
  isListSchema(): boolean;
  isBlobSchema(): boolean;
  isTimestampSchema(): boolean;
  isBooleanSchema(): boolean;
  isStreaming(): boolean;
  getMergedTraits(): Record<string, unknown>;
  getValueSchema(): ShapeSchema;
  structIterator(): Iterable<[string, ShapeSchema]>;
}

export type SchemaOf = (schema: unknown) => ShapeSchema;

/** `MD5OfMessageBody` → `Md5OfMessageBody`, `SSEKMSKeyId` → `SsekmsKeyId`, `ETag` → `ETag` (the Java SDK v2's getter, capitalised). */
export function javaMemberName(name: string): string {
  if (name.length < 2) return name;
  let i = 0;
  let out = '';
  do {
    out += name.charAt(i++).toLowerCase();
  } while (i < name.length && isUpper(name.charAt(i)) && !(i < name.length - 1 && isLower(name.charAt(i + 1))));
  out += name.slice(i);
  return out.charAt(0).toUpperCase() + out.slice(1);
}

const isUpper = (c: string) => c !== c.toLowerCase() && c === c.toUpperCase();
const isLower = (c: string) => c !== c.toUpperCase() && c === c.toLowerCase();

/** A date as Java's `Instant.toString()` writes it: no fraction when it is zero, else milliseconds. */
export function instantText(date: Date): string {
  const iso = date.toISOString();
  return date.getUTCMilliseconds() === 0 ? iso.replace(/\.000Z$/, 'Z') : iso;
}

/** The SDK's output as Step Functions writes it (see above). Streams must have been read into `streamed`. */
export function outputToJson(value: unknown, schema: ShapeSchema, streamed: Map<string, string> = new Map()): JsonValue {
  if (value === null || value === undefined) return null;
  if (schema.isStructSchema() && typeof value === 'object' && !(value instanceof Uint8Array) && !(value instanceof Date)) {
    const record = value as Record<string, unknown>;
    const members: [string, JsonValue][] = [];
    const last: [string, JsonValue][] = [];
    for (const [name, member] of schema.structIterator()) {
      if (member.isStreaming() && streamed.has(name)) {
        last.push([javaMemberName(name), streamed.get(name)!]);
        continue;
      }
      const v = record[name];
      const payload = member.isBlobSchema() && member.getMergedTraits().httpPayload !== undefined;
      // An empty HTTP payload (Lambda's 202 to an Event invocation) is "" (recorded against AWS (2026-09)).
      if (payload) members.push([javaMemberName(name), v === undefined || v === null ? '' : blobText(v)]);
      else if (v !== undefined) members.push([javaMemberName(name), outputToJson(v, member)]);
    }
    members.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries([...members, ...last]);
  }
  if (schema.isMapSchema() && typeof value === 'object') {
    const values = schema.getValueSchema();
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (v !== undefined) out[k] = outputToJson(v, values);
    return out;
  }
  if (schema.isListSchema() && Array.isArray(value)) {
    const items = schema.getValueSchema();
    return value.map((v) => outputToJson(v, items));
  }
  if (value instanceof Date) return instantText(value);
  if (value instanceof Uint8Array) return schema.isBlobSchema() ? Buffer.from(value).toString('base64') : new TextDecoder().decode(value);
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'object') return plainJson(value);
  return value as JsonValue;
}

function blobText(v: unknown): JsonValue {
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  return typeof v === 'string' ? v : plainJson(v);
}

/** SDK values without a schema: blobs as text, dates as ISO strings, undefined members left out. */
export function plainJson(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plainJson);
  if (typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = plainJson(v);
    return out;
  }
  if (typeof value === 'bigint') return Number(value);
  return value as JsonValue;
}

/**
 * The Task's parameters as an SDK request (recorded against AWS (2026-09)):
 *
 * - Lambda `invoke`'s `Payload` (the HTTP payload): a string is sent as it is (`"{\"a\": 1}"`
 *   reaches the function as an object), null or absent sends no payload (the function gets `{}`),
 *   any other value its JSON text;
 * - a streaming body (S3 `putObject`'s `Body`): the JSON text of the value, whatever it is (the
 *   string `hello` is stored as the 7 bytes `"hello"`, null as `null`), sent as
 *   `text/plain; charset=UTF-8` unless the parameters give the operation's Content-Type member (an
 *   object put without `ContentType` has that ContentType);
 * - another blob (an SQS binary attribute's `BinaryValue`): base64 text, decoded;
 * - a boolean given as a string or number, as Jackson reads it (`"true"`, `" TRUE "` and `1` are
 *   true; `"false"`, `0`, `""` and `"null"` are false or absent);
 * - a timestamp given as text or epoch seconds: that instant.
 */
export function inputFromJson(value: JsonValue | undefined, schema: ShapeSchema): unknown {
  if (value === undefined) return undefined;
  if (schema.isStructSchema() && isJsonObject(value)) {
    const out: Record<string, unknown> = { ...value };
    let streamed = false;
    let contentType: string | undefined;
    for (const [name, member] of schema.structIterator()) {
      if (String(member.getMergedTraits().httpHeader ?? '').toLowerCase() === 'content-type') contentType = name;
      if (!(name in value)) continue;
      const v = value[name];
      const payload = member.getMergedTraits().httpPayload !== undefined;
      if (member.isStreaming()) {
        out[name] = JSON.stringify(v ?? null);
        streamed = true;
      } else if (member.isBlobSchema() && payload) {
        if (v === null || v === undefined) delete out[name];
        else out[name] = new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
      } else {
        const converted = inputFromJson(v, member);
        if (converted === undefined) delete out[name];
        else out[name] = converted;
      }
    }
    // The Java SDK sends a body made from a string as text/plain; charset=UTF-8.
    if (streamed && contentType !== undefined && !(contentType in value)) out[contentType] = 'text/plain; charset=UTF-8';
    return out;
  }
  if (value === null) return value;
  if (schema.isMapSchema() && isJsonObject(value)) {
    const values = schema.getValueSchema();
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inputFromJson(v, values)]));
  }
  if (schema.isListSchema() && Array.isArray(value)) {
    const items = schema.getValueSchema();
    return value.map((v) => inputFromJson(v, items));
  }
  if (schema.isBlobSchema() && typeof value === 'string') return new Uint8Array(Buffer.from(value, 'base64'));
  if (schema.isBooleanSchema()) return jacksonBoolean(value);
  if (schema.isTimestampSchema()) {
    if (typeof value === 'string') return new Date(value);
    if (typeof value === 'number') return new Date(value * 1000);
  }
  return value;
}

function jacksonBoolean(value: JsonValue): unknown {
  if (typeof value === 'number') return value !== 0;
  if (typeof value !== 'string') return value;
  const text = value.trim().toLowerCase();
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === '' || text === 'null') return undefined;
  return value;
}
