import type { JsonValue } from '../../src/asl/json-value.js';
import { isJsonObject } from '../../src/asl/json-value.js';
import { StatesErrors } from '../../src/errors/error-names.js';
import { TaskFailure } from '../../src/resources/task-handlers.js';
import type { Connection, ConnectionParameter } from './connections.js';
import type { HttpTaskParameters } from './task-parameters.js';
import { formEncode, queryString } from './url-encoding.js';

/** The request as it goes on the wire (Content-Length and Host are added by the sender). */
export interface OutgoingRequest {
  url: URL;
  method: string;
  /** In the order they are sent; names as written (two that differ only in case are both sent). */
  headers: [string, string][];
  body: Buffer | undefined;
}

/** `Amazon|StepFunctions|HttpInvoke|<region>`, the User-Agent Step Functions sends. */
export function userAgent(region: string): string {
  return `Amazon|StepFunctions|HttpInvoke|${region}`;
}

/** The Range header Step Functions sends with every HTTP Task request. */
export const RANGE = 'bytes=0-262144';

/**
 * Merges the task's data with the connection's, as DG:call-https-apis ("Merging EventBridge
 * connection and HTTP Task definition data") describes: the connection's header, query-string
 * and body parameters are added to the task's, and win where a key is in both; a request body
 * that is not a JSON object cannot be merged with connection body parameters (States.Runtime).
 * The body is then serialized: JSON (the default, `Content-Type: application/json;
 * charset=UTF-8` unless a Content-Type is given), or URL-encoded with `Transform`. Headers go
 * out in AWS's order: the task's, the connection's authorization, the connection's header
 * parameters, then `User-Agent` and `Range`, which Step Functions always sets.
 */
export function buildRequest(params: HttpTaskParameters, connection: Connection, authorization: [string, string], region: string, stateName: string): OutgoingRequest {
  const invocation = connection.AuthParameters.InvocationHttpParameters ?? {};

  const headers: [string, string][] = params.headers.map(([k, v]) => [k, v]);
  setHeader(headers, authorization[0], authorization[1]);
  for (const p of invocation.HeaderParameters ?? []) setParameter(headers, p.Key, p.Value);

  const query: [string, string][] = params.query.map(([k, v]) => [k, v]);
  for (const p of invocation.QueryStringParameters ?? []) setQuery(query, p.Key, p.Value);
  const url = new URL(params.endpoint.href);
  const extra = queryString(query);
  if (extra !== '') url.search = url.search.length > 1 ? `${url.search.slice(1)}&${extra}` : extra;

  const body = serializeBody(mergeBody(params.body, invocation.BodyParameters ?? []), params, stateName);
  if (body !== undefined && !headers.some(([k]) => k.toLowerCase() === 'content-type')) headers.push(['Content-Type', 'application/json; charset=UTF-8']);
  // Step Functions' own, over any value the task or connection gave, last as in AWS's examples.
  const own: [string, string][] = [['User-Agent', userAgent(region)], ['Range', RANGE]];
  const kept = headers.filter(([k]) => !own.some(([name]) => name.toLowerCase() === k.toLowerCase()));
  return { url, method: params.method, headers: [...kept, ...own], body };
}

/** A header's value, replacing one of the same name (any case) where it stands, else added at the end. */
export function setHeader(headers: [string, string][], name: string, value: string): void {
  const lower = name.toLowerCase();
  const i = headers.findIndex(([k]) => k.toLowerCase() === lower);
  if (i === -1) headers.push([name, value]);
  else headers[i] = [name, value];
}

/**
 * A connection's header parameter: it replaces the task's header of exactly that name, where it
 * stands, else is added; a task header whose name differs only in case is sent too (recorded
 * against AWS (2026-09): task headers `X-Shared: task-case-header` and `x-shared: task-header`
 * with the connection's `x-shared: connection-header` reach the server as
 * `x-shared: connection-header,task-case-header`).
 */
function setParameter(headers: [string, string][], name: string, value: string): void {
  const i = headers.findIndex(([k]) => k === name);
  if (i === -1) headers.push([name, value]);
  else headers[i] = [name, value];
}

/**
 * A connection's query-string parameter: it replaces the task's of the same name, and goes after
 * the task's others (recorded against AWS (2026-09): the task's `shared`, `taskOnly` and the
 * connection's `shared`, `connectionOnly` are sent as `taskOnly`, `shared` (the connection's),
 * `connectionOnly`).
 */
function setQuery(query: [string, string][], name: string, value: string): void {
  for (let j = query.length - 1; j >= 0; j--) if (query[j]![0] === name) query.splice(j, 1);
  query.push([name, value]);
}

function mergeBody(body: JsonValue | undefined, connectionBody: ConnectionParameter[]): JsonValue | undefined {
  if (connectionBody.length === 0) return body;
  if (body !== undefined && !isJsonObject(body)) {
    // AWS's words (recorded against AWS (2026-09), for a string RequestBody).
    throw new TaskFailure(StatesErrors.Runtime, 'Cannot merge connection body authorization parameters with request body.');
  }
  const merged: { [key: string]: JsonValue } = { ...(body ?? {}) };
  for (const p of connectionBody) merged[p.Key] = p.Value;
  return merged;
}

function serializeBody(body: JsonValue | undefined, params: HttpTaskParameters, stateName: string): Buffer | undefined {
  if (body === undefined) return undefined;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (params.urlEncoded) {
    if (!isJsonObject(body)) {
      throw new TaskFailure(StatesErrors.Runtime, `The HTTP Task '${stateName}' cannot be called: Transform.RequestBodyEncoding URL_ENCODED needs RequestBody to be a JSON object (or a string sent as it is), not ${JSON.stringify(body)}.`);
    }
    return Buffer.from(formEncode(body, params.arrayFormat), 'utf8');
  }
  return Buffer.from(JSON.stringify(body), 'utf8');
}
