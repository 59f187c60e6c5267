import type { JsonValue } from '../../src/asl/json-value.js';
import { isJsonObject } from '../../src/asl/json-value.js';
import { StatesErrors } from '../../src/errors/error-names.js';
import { TaskFailure } from '../../src/resources/task-handlers.js';
import { isForbiddenHeader } from '../../src/resources/http-invoke-headers.js';
import { HEADER_NAME, HEADER_VALUE } from './connections.js';
import { ARRAY_FORMATS, scalarText, type ArrayFormat } from './url-encoding.js';

/**
 * An HTTP Task's `Parameters` (JSONPath) or `Arguments` (JSONata), after evaluation, as
 * DG:call-https-apis ("HTTP Task fields") defines them.
 */
export interface HttpTaskParameters {
  endpoint: URL;
  method: HttpMethod;
  connectionArn: string;
  /** `Headers`, in their order, names as written. */
  headers: [string, string][];
  /** `QueryParameters`, in their order (an array value repeats its key). */
  query: [string, string][];
  /** `RequestBody` as given (undefined: none). */
  body: JsonValue | undefined;
  /** `Transform.RequestBodyEncoding`: NONE (JSON, the default) or URL_ENCODED. */
  urlEncoded: boolean;
  /** `Transform.RequestEncodingOptions.ArrayFormat` (default INDICES). */
  arrayFormat: ArrayFormat;
}

/** The methods an HTTP Task may use ("Method (Required)"). */
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

const FIELDS = ['ApiEndpoint', 'Method', 'Authentication', 'InvocationConfig', 'Headers', 'QueryParameters', 'RequestBody', 'Transform'];

/**
 * Reads and checks the evaluated parameters. A missing or unusable field fails the task with
 * States.Runtime (as AWS fails a forbidden header), its cause naming the state and the field.
 */
export function readTaskParameters(input: JsonValue, stateName: string, options: { allowInsecureHttp: boolean }): HttpTaskParameters {
  const fail = (why: string): never => {
    throw new TaskFailure(StatesErrors.Runtime, `The HTTP Task '${stateName}' cannot be called: ${why}`);
  };
  if (!isJsonObject(input)) return fail(`its parameters must be a JSON object with ${FIELDS.slice(0, 3).join(', ')}, not ${describe(input)}.`);

  const endpointText = input.ApiEndpoint;
  if (typeof endpointText !== 'string') return fail(`ApiEndpoint is required and must be a string (the URL to call), not ${describe(endpointText)}.`);
  let endpoint: URL;
  try {
    endpoint = new URL(endpointText);
  } catch {
    return fail(`ApiEndpoint '${endpointText}' is not a URL.`);
  }
  if (endpoint.protocol !== 'https:' && !(endpoint.protocol === 'http:' && options.allowInsecureHttp)) {
    return fail(endpoint.protocol === 'http:'
      ? `ApiEndpoint '${endpointText}' is not an https:// URL; Step Functions calls HTTPS APIs only (allow plain http:// for a local test server with --http-allow-insecure or createHttpTaskCaller({ allowInsecureHttp: true })).`
      : `ApiEndpoint '${endpointText}' must be an https:// URL.`);
  }
  if (endpoint.username !== '' || endpoint.password !== '') return fail(`ApiEndpoint '${endpointText}' must not carry a user name or password; put credentials in the EventBridge connection.`);

  const method = input.Method;
  if (typeof method !== 'string' || !(HTTP_METHODS as readonly string[]).includes(method)) {
    return fail(`Method must be one of ${HTTP_METHODS.join(', ')}, not ${describe(method)}.`);
  }

  const connectionArn = connectionArnOf(input, fail);
  const headers = readHeaders(input.Headers, fail);
  const query = readQuery(input.QueryParameters, fail);

  let urlEncoded = false;
  let arrayFormat: ArrayFormat = 'INDICES';
  const transform = input.Transform;
  if (transform !== undefined) {
    if (!isJsonObject(transform)) return fail(`Transform must be an object with RequestBodyEncoding and RequestEncodingOptions, not ${describe(transform)}.`);
    const encoding = transform.RequestBodyEncoding ?? 'NONE';
    if (encoding !== 'NONE' && encoding !== 'URL_ENCODED') return fail(`Transform.RequestBodyEncoding must be NONE or URL_ENCODED, not ${describe(encoding)}.`);
    urlEncoded = encoding === 'URL_ENCODED';
    const options = transform.RequestEncodingOptions;
    if (options !== undefined) {
      if (!isJsonObject(options)) return fail(`Transform.RequestEncodingOptions must be an object with ArrayFormat, not ${describe(options)}.`);
      const format = options.ArrayFormat ?? 'INDICES';
      if (typeof format !== 'string' || !(ARRAY_FORMATS as readonly string[]).includes(format)) {
        return fail(`Transform.RequestEncodingOptions.ArrayFormat must be one of ${ARRAY_FORMATS.join(', ')}, not ${describe(format)}.`);
      }
      arrayFormat = format as ArrayFormat;
    }
  }
  return { endpoint, method: method as HttpMethod, connectionArn, headers, query, body: input.RequestBody, urlEncoded, arrayFormat };
}

/** `InvocationConfig.ConnectionArn` or (kept for backwards compatibility) `Authentication.ConnectionArn`. */
function connectionArnOf(input: { [key: string]: JsonValue }, fail: (why: string) => never): string {
  const arns: string[] = [];
  for (const field of ['InvocationConfig', 'Authentication']) {
    const value = input[field];
    if (value === undefined) continue;
    if (!isJsonObject(value) || typeof value.ConnectionArn !== 'string' || value.ConnectionArn === '') {
      fail(`${field} must be an object with a ConnectionArn string (the EventBridge connection), not ${describe(value)}.`);
    }
    arns.push((value as { ConnectionArn: string }).ConnectionArn);
  }
  if (arns.length === 0) fail('Authentication.ConnectionArn (or InvocationConfig.ConnectionArn) is required: an HTTP Task needs an EventBridge connection.');
  if (arns.length === 2 && arns[0] !== arns[1]) fail(`InvocationConfig.ConnectionArn '${arns[0]}' and Authentication.ConnectionArn '${arns[1]}' name different connections; give one of the two.`);
  return arns[0]!;
}

function readHeaders(value: JsonValue | undefined, fail: (why: string) => never): [string, string][] {
  if (value === undefined) return [];
  if (!isJsonObject(value)) return fail(`Headers must be a JSON object of header names and values, not ${describe(value)}.`);
  const out: [string, string][] = [];
  for (const [name, v] of Object.entries(value)) {
    if (!HEADER_NAME.test(name)) fail(`Headers: '${name}' is not an HTTP header name.`);
    if (isForbiddenHeader(name)) fail(`Headers: the header '${name}' may not be set in an HTTP Task (Step Functions sets it, or refuses it; see the list in the HTTP Task documentation).`);
    const text = Array.isArray(v) && v.every(isScalar) ? v.map(scalarText).join(', ') : isScalar(v) && v !== null ? scalarText(v) : fail(`Headers.${name} must be a string, number or boolean, not ${describe(v)}.`);
    if (!HEADER_VALUE.test(text)) fail(`Headers.${name} must not contain control characters such as line breaks.`);
    out.push([name, text]);
  }
  return out;
}

function readQuery(value: JsonValue | undefined, fail: (why: string) => never): [string, string][] {
  if (value === undefined) return [];
  if (!isJsonObject(value)) return fail(`QueryParameters must be a JSON object of parameter names and values, not ${describe(value)}.`);
  const out: [string, string][] = [];
  for (const [name, v] of Object.entries(value)) {
    if (Array.isArray(v) && v.every((item) => isScalar(item) && item !== null)) {
      for (const item of v) out.push([name, scalarText(item as string | number | boolean)]);
    } else if (isScalar(v) && v !== null) {
      out.push([name, scalarText(v)]);
    } else {
      fail(`QueryParameters.${name} must be a string, number, boolean or an array of them, not ${describe(v)}.`);
    }
  }
  return out;
}

function isScalar(value: JsonValue): value is string | number | boolean | null {
  return value === null || typeof value !== 'object';
}

function describe(value: JsonValue | undefined): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
