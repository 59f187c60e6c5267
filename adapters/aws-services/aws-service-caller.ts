import type { JsonValue } from '../../src/asl/json-value.js';
import { isJsonObject } from '../../src/asl/json-value.js';
import { objectBodyText } from '../../src/compile/states/item-reader.js';
import type { ServiceCaller, ServiceRequest } from '../../src/resources/service-caller.js';
import { javaHashMapOrder } from '../../src/resources/java-hash-order.js';
import { TaskFailure } from '../../src/resources/task-handlers.js';
import { badParameters, sdkActionFailure, serviceFailure } from './aws-errors.js';
import { SdkClients, type AwsServiceOptions, type SdkResponse } from './sdk-clients.js';
import { inputFromJson, outputToJson, plainJson } from './sdk-shapes.js';

/**
 * Answers Tasks with real calls through the AWS SDK for JavaScript v3
 * (`createRuntime({ services: createAwsServiceCaller({ endpoint, region }) })`):
 *
 * - Lambda: the function-ARN form and `lambda:invoke` (`@aws-sdk/client-lambda`);
 * - the optimized `sqs:sendMessage`, `sns:publish`, `dynamodb:getItem|putItem|updateItem|deleteItem`
 *   and `events:putEvents`, with the request and result shapes Step Functions uses, and
 *   `s3:putObject` (a Distributed Map's ResultWriter), `s3:getObject` and `s3:listObjectsV2` (its
 *   ItemReader: the object's body as text, or base64 for a Parquet or compressed file; every page
 *   of the listing);
 * - `aws-sdk:<service>:<action>` through `@aws-sdk/client-<service>`, loaded when first used.
 *
 * Each package is an optional peer dependency: a call whose package is not installed fails
 * with a cause that names it. `.waitForTaskToken` sends the request and then waits for the
 * token. Other integrations (e.g. `.sync` jobs) are not served, so the Task fails as
 * having no handler, mock or service.
 */
export function createAwsServiceCaller(options: AwsServiceOptions = {}): ServiceCaller {
  const sdk = new SdkClients(options);
  return {
    async call(request) {
      const t = request.target;
      if (t.kind === 'lambda-function') return invokeFunction(sdk, request, t.arn, request.input, false);
      if (t.kind !== 'integration' || t.pattern === 'sync' || t.pattern === 'sync:2') return undefined;
      const action = (t.resource ?? '').replace(/\.waitForTaskToken$/, '');
      const type = t.resourceType ?? '';
      if (type.startsWith('aws-sdk:')) return sdkAction(sdk, request, type.slice('aws-sdk:'.length), action);
      const optimized = OPTIMIZED[`${type}:${action}`];
      return optimized ? optimized(sdk, request) : undefined;
    },
  };
}

type Optimized = (sdk: SdkClients, request: ServiceRequest) => Promise<JsonValue>;

const OPTIMIZED: Record<string, Optimized> = {
  'lambda:invoke': (sdk, request) => {
    const params = objectParams(request);
    if (typeof params.FunctionName !== 'string') throw badParameters(request.resource, 'FunctionName must be a string');
    return invokeFunction(sdk, request, params.FunctionName, params.Payload, true, params);
  },
  'sqs:sendMessage': async (sdk, request) => {
    const params = objectParams(request);
    // Step Functions sends a JSON MessageBody as its text.
    const input = { ...params, MessageBody: asText(params.MessageBody) };
    return withHttpMetadata(await call(sdk, 'sqs', 'sendMessage', input, request));
  },
  'sns:publish': async (sdk, request) => {
    const params = objectParams(request);
    return withHttpMetadata(await call(sdk, 'sns', 'publish', { ...params, Message: asText(params.Message) }, request));
  },
  'dynamodb:getItem': async (sdk, request) => withHttpMetadata(await call(sdk, 'dynamodb', 'getItem', objectParams(request), request)),
  'dynamodb:putItem': async (sdk, request) => withHttpMetadata(await call(sdk, 'dynamodb', 'putItem', objectParams(request), request)),
  'dynamodb:updateItem': async (sdk, request) => withHttpMetadata(await call(sdk, 'dynamodb', 'updateItem', objectParams(request), request)),
  'dynamodb:deleteItem': async (sdk, request) => withHttpMetadata(await call(sdk, 'dynamodb', 'deleteItem', objectParams(request), request)),
  // What a Distributed Map's ResultWriter writes (result files and manifest.json): text bodies.
  's3:putObject': async (sdk, request) => {
    const params = objectParams(request);
    return withHttpMetadata(await call(sdk, 's3', 'putObject', { ...params, Body: asText(params.Body) }, request));
  },
  // What a Distributed Map's ItemReader reads (DG:input-output-itemreader). A file: its body as
  // text, which the Map parses as its ReaderConfig says (JSON, JSONL, CSV), or, for a Parquet
  // file or a GZIP/ZSTD-compressed one, the base64 of its bytes, which the reader recognises.
  's3:getObject': async (sdk, request) => {
    const response = await call(sdk, 's3', 'getObject', objectParams(request), request);
    const { Body: body, ...rest } = response.output;
    return { ...(plainJson(rest) as Record<string, JsonValue>), Body: await bodyContent(body) };
  },
  // The objects of a bucket or prefix: Step Functions lists every page, following the
  // continuation tokens itself; the Map makes one item of each object.
  's3:listObjectsV2': async (sdk, request) => {
    const params = objectParams(request);
    const contents: unknown[] = [];
    let page: Record<string, unknown> = {};
    let token: string | undefined;
    for (;;) {
      page = (await call(sdk, 's3', 'listObjectsV2', token === undefined ? params : { ...params, ContinuationToken: token }, request)).output;
      if (Array.isArray(page.Contents)) contents.push(...page.Contents);
      token = page.IsTruncated === true && typeof page.NextContinuationToken === 'string' ? page.NextContinuationToken : undefined;
      if (token === undefined) break;
    }
    const { NextContinuationToken: _next, ContinuationToken: _token, ...last } = page;
    return plainJson({ ...last, Contents: contents, KeyCount: contents.length, IsTruncated: false });
  },
  'events:putEvents': async (sdk, request) => {
    const params = objectParams(request);
    const entries = Array.isArray(params.Entries) ? params.Entries : [];
    // Detail is JSON text in the API; Step Functions takes it as a JSON object.
    const input = { ...params, Entries: entries.map((e) => (isJsonObject(e) && e.Detail !== undefined ? { ...e, Detail: asText(e.Detail) } : e)) };
    const response = await call(sdk, 'events', 'putEvents', input, request);
    const output = plainJson(response.output);
    // An entry EventBridge refused fails the task (recorded against AWS by LocalStack's
    // snapshots: a malformed Detail, a missing Source), the answer as its cause.
    if (isJsonObject(output) && typeof output.FailedEntryCount === 'number' && output.FailedEntryCount > 0) {
      throw new TaskFailure('EventBridge.FailedEntry', JSON.stringify({ Entries: output.Entries ?? [], FailedEntryCount: output.FailedEntryCount }));
    }
    return output;
  },
};

/**
 * Invokes a function. The function-ARN form sends the input's JSON text and returns the
 * function's payload; `lambda:invoke` sends its `Payload` as `aws-sdk:lambda:invoke` does (a string
 * as it is, null or absent as no payload) and returns the invoke response (`ExecutedVersion`,
 * `Payload`, `SdkHttpMetadata`, `SdkResponseMetadata`, `StatusCode`; for an `Event` invocation,
 * which answers 202 with no body, `Payload` is null and there is no `ExecutedVersion`).
 * A function error fails the task with the function's `errorType`; the cause is its payload, as
 * the function wrote it for a function ARN and as compact JSON for `lambda:invoke` (recorded
 * against AWS (2026-09)).
 */
async function invokeFunction(sdk: SdkClients, request: ServiceRequest, functionName: string, payload: JsonValue | undefined, wrapped: boolean, params: Record<string, JsonValue> = {}): Promise<JsonValue> {
  const input: Record<string, unknown> = { ...params, FunctionName: functionName };
  delete input.Payload;
  if (!wrapped) input.Payload = new TextEncoder().encode(JSON.stringify(payload ?? null));
  else if (payload !== undefined && payload !== null) input.Payload = new TextEncoder().encode(typeof payload === 'string' ? payload : JSON.stringify(payload));
  const response = await call(sdk, 'lambda', 'invoke', input, request);
  const out = response.output as { Payload?: Uint8Array; FunctionError?: string; ExecutedVersion?: string; StatusCode?: number; LogResult?: string };
  const text = out.Payload && out.Payload.length > 0 ? new TextDecoder().decode(out.Payload) : '';
  const result = parseOrText(text);
  if (out.FunctionError) {
    const shown = wrapped && text !== '' && typeof result !== 'string' ? JSON.stringify(result) : text;
    if (isJsonObject(result) && typeof result.errorType === 'string') throw new TaskFailure(result.errorType, shown);
    // No error type in the payload (a function that timed out or ran out of memory): AWS's
    // own words in front of the payload (recorded in AWS execution histories).
    throw new TaskFailure('Lambda.Unknown', `The cause could not be determined because Lambda did not return an error type. Returned payload: ${shown}`);
  }
  if (!wrapped) return result;
  const shaped: Record<string, JsonValue> = {};
  if (out.ExecutedVersion !== undefined) shaped.ExecutedVersion = out.ExecutedVersion;
  if (out.FunctionError !== undefined) shaped.FunctionError = out.FunctionError;
  if (out.LogResult !== undefined) shaped.LogResult = out.LogResult;
  shaped.Payload = text === '' ? null : result;
  Object.assign(shaped, httpMetadata(response));
  shaped.StatusCode = out.StatusCode ?? response.statusCode;
  return shaped;
}

/**
 * `arn:aws:states:::aws-sdk:<service>:<action>`: the parameters as the SDK request and the SDK's
 * output as JSON, as Step Functions converts them (see sdk-shapes.ts), without its `$metadata`.
 */
async function sdkAction(sdk: SdkClients, request: ServiceRequest, service: string, action: string): Promise<JsonValue> {
  const params = objectParams(request);
  const shapes = await sdk.shapesOf(service, action).catch(() => undefined);
  const input = shapes ? (inputFromJson(params, shapes.input) as Record<string, unknown>) : params;
  let response: SdkResponse;
  try {
    response = await sdk.send(service, action, input, request.signal);
  } catch (e) {
    if (e instanceof TaskFailure) throw e;
    const modeled = await sdk.isModeledError(service, e).catch(() => false);
    throw sdkActionFailure(await sdk.serviceIdOf(service).catch(() => service), modeled, e);
  }
  if (!shapes) return plainJson(response.output);
  const streamed = new Map<string, string>();
  for (const [name, member] of shapes.output.structIterator()) {
    if (member.isStreaming() && response.output[name] !== undefined && response.output[name] !== null) streamed.set(name, await streamText(response.output[name]));
  }
  return outputToJson(response.output, shapes.output, streamed);
}

/** A streaming body (S3's `Body`) as UTF-8 text. */
async function streamText(body: unknown): Promise<string> {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  const stream = body as { transformToString?: (encoding?: string) => Promise<string> };
  if (typeof stream.transformToString === 'function') return stream.transformToString('utf-8');
  return String(body);
}

async function call(sdk: SdkClients, service: string, action: string, input: Record<string, unknown>, request: ServiceRequest): Promise<SdkResponse> {
  try {
    return await sdk.send(service, action, input, request.signal);
  } catch (e) {
    if (e instanceof TaskFailure) throw e;
    const modeled = await sdk.isModeledError(service, e).catch(() => true);
    throw serviceFailure(await sdk.serviceIdOf(service).catch(() => service), e, modeled);
  }
}

function objectParams(request: ServiceRequest): Record<string, JsonValue> {
  if (!isJsonObject(request.input)) throw badParameters(request.resource, 'they must be a JSON object');
  return request.input;
}

function withHttpMetadata(response: SdkResponse): JsonValue {
  return { ...(plainJson(response.output) as Record<string, JsonValue>), ...httpMetadata(response) };
}

/** The Java SDK's response metadata that AWS includes in optimized integrations' results. */
function httpMetadata(response: SdkResponse): Record<string, JsonValue> {
  const headers: Record<string, string> = {};
  const all: Record<string, JsonValue> = {};
  // AllHttpHeaders is a Java HashMap: in its order (recorded against AWS (2026-09)).
  for (const k of javaHashMapOrder(Object.keys(response.headers))) all[k] = [response.headers[k]!];
  // The Java SDK's HttpHeaders is a case-insensitive TreeMap: its names in order (recorded against AWS (2026-09)).
  for (const k of Object.keys(response.headers).sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()))) headers[k] = response.headers[k]!;
  return {
    SdkHttpMetadata: { AllHttpHeaders: all, HttpHeaders: headers, HttpStatusCode: response.statusCode },
    SdkResponseMetadata: { RequestId: response.requestId },
  };
}

function asText(value: JsonValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** S3's body: a stream in SDK v3 (`transformToByteArray`, `transformToString`), bytes, or text already. */
async function bodyContent(body: unknown): Promise<string> {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return objectBodyText(body);
  const stream = body as { transformToByteArray?: () => Promise<Uint8Array>; transformToString?: (encoding?: string) => Promise<string> };
  if (typeof stream.transformToByteArray === 'function') return objectBodyText(await stream.transformToByteArray());
  if (typeof stream.transformToString === 'function') return stream.transformToString('utf-8');
  return String(body);
}

function parseOrText(text: string): JsonValue {
  if (text === '') return '';
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

