import type { JsonValue } from '../asl/json-value.js';

/**
 * The order in which a Java `HashMap<String, ...>` lists its keys: by bucket (the key's
 * `String.hashCode()`, spread as HashMap spreads it, modulo the table size, which starts at 16 and
 * doubles whenever the map is more than three quarters full), keys of one bucket in the order they
 * were put. AWS answers with maps of this kind: the `Headers` of an HTTP Task's result and the
 * `AllHttpHeaders` of an optimized integration's `SdkHttpMetadata` (recorded against AWS (2026-09):
 * `Connection, x-amzn-RequestId, Content-Length, x-owned-response, Date, X-Amzn-Trace-Id,
 * Content-Type`, whatever order the server sent them in).
 */
export function javaHashMapOrder(keys: readonly string[]): string[] {
  let size = 16;
  while (keys.length > size * 0.75) size *= 2;
  const bucket = (key: string) => {
    let h = 0;
    for (let i = 0; i < key.length; i++) h = (Math.imul(31, h) + key.charCodeAt(i)) | 0;
    return (h ^ (h >>> 16)) & (size - 1);
  };
  return keys
    .map((key, i) => ({ key, i, b: bucket(key) }))
    .sort((x, y) => x.b - y.b || x.i - y.i)
    .map((e) => e.key);
}

/**
 * A JSON value as a Java `HashMap`-backed JSON writer prints it: compact, every object's keys in
 * `javaHashMapOrder`. AWS quotes the evaluated Parameters of an HTTP Task it cannot start this way
 * (recorded against AWS (2026-09): `ApiEndpoint, Method, Authentication, Headers, QueryParameters,
 * RequestBody, Transform` are quoted as `Authentication, Headers, ApiEndpoint, Method,
 * QueryParameters, Transform, RequestBody`).
 */
export function javaHashMapJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(javaHashMapJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = javaHashMapOrder(Object.keys(value)).map((k) => `${JSON.stringify(k)}:${javaHashMapJson(value[k]!)}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}
