import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { isStepwiseError, type StepwiseErrorCode } from '../../src/errors/stepwise-error.js';
import { nestsTooDeep, TOO_DEEP } from './json-depth.js';

/**
 * The AWS JSON 1.0 protocol as Step Functions speaks it: `POST /` with
 * `X-Amz-Target: AWSStepFunctions.<Action>`, a JSON body, and errors as HTTP 400 with
 * `{ "__type": "<namespace>#<ErrorName>", "message": ... }` (the SDKs keep the part after `#`).
 */
export const TARGET_PREFIX = 'AWSStepFunctions.';
export const CONTENT_TYPE = 'application/x-amz-json-1.0';
/** DG:service-quotas: "Maximum request size: 1 MB per request", headers and all. */
export const MAX_REQUEST_BYTES = 1024 * 1024;

const SERVICE_NAMESPACE = 'com.amazonaws.swf.service.model.v20120810';
const CORAL_NAMESPACE = 'com.amazon.coral.service';

/** An error the API returns as it is: AWS's name, HTTP status and message. */
export class ApiError extends Error {
  constructor(
    readonly errorName: string,
    message: string,
    readonly status = 400,
    readonly namespace = SERVICE_NAMESPACE,
    /** More members of the error's body, as AWS sends (a ValidationException's `reason`). */
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = errorName;
  }
}

export function validationError(message: string): ApiError {
  return new ApiError('ValidationException', message);
}

/** Engine error codes that are not Step Functions API error names. */
const CODE_TO_API: Partial<Record<StepwiseErrorCode, string>> = {
  InvalidArgument: 'ValidationException',
  InvalidInput: 'InvalidExecutionInput',
  InvalidMockConfig: 'ValidationException',
};

const SERVER_SIDE = new Set<string>(['StoreConflict', 'StoreCorrupted', 'StoreUnavailable']);

/** Any thrown value as the API error to send: typed errors keep their names, anything else is an internal failure. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (isStepwiseError(e)) {
    if (SERVER_SIDE.has(e.code)) return new ApiError('ServiceUnavailable', e.message, 503, CORAL_NAMESPACE);
    const reason = (e.details as { reason?: unknown } | undefined)?.reason;
    // API:ValidationException's `reason` (e.g. INVALID_ROUTING_CONFIGURATION), when the error gives one.
    if (e.code === 'ValidationException' && typeof reason === 'string') return new ApiError('ValidationException', e.message, 400, SERVICE_NAMESPACE, { reason });
    return new ApiError(CODE_TO_API[e.code] ?? e.code, e.message);
  }
  const message = e instanceof Error ? e.message : String(e);
  return new ApiError('InternalFailure', `Stepwise failed unexpectedly: ${message}`, 500, CORAL_NAMESPACE);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: ApiError): void {
  if (!res.headersSent && !res.destroyed) res.setHeader('x-amzn-ErrorType', error.errorName);
  sendJson(res, error.status, { __type: `${error.namespace}#${error.errorName}`, message: error.message, ...error.fields });
}

/** The request body as a JSON object; AWS's SerializationException when it is not one. */
export async function readJsonBody(req: IncomingMessage, limit = MAX_REQUEST_BYTES): Promise<Record<string, unknown>> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  // No member nests deep; a body that does would exhaust the stack of whatever walks it later.
  if (nestsTooDeep(text)) throw new ApiError('SerializationException', `The request body is not valid JSON: ${TOO_DEEP}.`, 400, CORAL_NAMESPACE);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ApiError('SerializationException', `The request body is not valid JSON: ${(e as Error).message}`, 400, CORAL_NAMESPACE);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ApiError('SerializationException', 'The request body must be a JSON object.', 400, CORAL_NAMESPACE);
  }
  return value as Record<string, unknown>;
}

function tooLarge(limit: number): ApiError {
  return new ApiError('RequestEntityTooLargeException', `The request is larger than ${limit} bytes${limit === MAX_REQUEST_BYTES ? ', the Step Functions maximum request size' : ''}.`, 413, CORAL_NAMESPACE);
}

export function unknownOperation(target: string | undefined): ApiError {
  return new ApiError('UnknownOperationException', target ? `Unknown operation '${target}'.` : `Missing X-Amz-Target header: expected ${TARGET_PREFIX}<Action>.`, 400, CORAL_NAMESPACE);
}

/** AWS JSON 1.0 timestamps are epoch seconds (fractional for milliseconds). */
export function epochSeconds(ms: number): number;
export function epochSeconds(ms: number | undefined): number | undefined;
export function epochSeconds(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : ms / 1000;
}

/** Drops undefined members so responses carry only what AWS would. */
export function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
