import type { IncomingMessage, ServerResponse } from 'node:http';
import { filter, map } from '../../src/observe/rx.js';
import type { JsonValue } from '../../src/asl/json-value.js';
import { wholeNumber } from '../../src/cli/whole-number.js';
import { isStepwiseError, StepwiseError, type StepwiseErrorCode } from '../../src/errors/stepwise-error.js';
import type { Runtime } from '../../src/runtime/create-runtime.js';
import type { ExecutionStatus } from '../../src/store/event-store.js';
import { ApiError, readJsonBody as readRequestJson } from '../http/aws-json-protocol.js';
import { streamAsServerSentEvents } from './event-stream.js';
import { findUiAssets, serveAsset, type UiAssets } from './static-assets.js';

export interface UiHandlerOptions {
  runtime: Runtime;
  /** Where the UI is mounted, e.g. `/ui` inside `stepwise serve`. Default: the root. */
  basePath?: string;
  /** The built front end (`dist/ui`). Default: found beside this module. */
  assetsDir?: string;
  /**
   * Refuse requests whose Host is not a loopback name. Set it when the server is bound to
   * loopback: a web page then cannot reach the UI by pointing a DNS name of its own at
   * 127.0.0.1 (DNS rebinding) and act on executions.
   */
  loopbackOnly?: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Whether a host name (or a Host header, port and all) names this machine's loopback interface. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  if (LOOPBACK.has(host)) return true;
  return LOOPBACK.has(host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, ''));
}

/** Answers a request if it is the UI's (returns true), or leaves it to the caller (false). */
export type UiHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

const STATUSES = new Set<ExecutionStatus>(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE']);
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const EXECUTION_EVENTS = new Set(['ExecutionStarted', 'ExecutionSucceeded', 'ExecutionFailed', 'ExecutionTimedOut', 'ExecutionAborted', 'ExecutionRedriven']);

/** An HTTP-level failure: the status code and a typed error name the front end can show. */
class HttpProblem extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/**
 * The visual debugger as a request handler: the front end's files and a JSON API over the
 * runtime's store, with Server-Sent Events fed from the store's subscriptions. Reading never
 * changes an execution; only the POST actions (fork, redrive, replay) start anything.
 *
 * @example
 * const ui = createUiHandler({ runtime, basePath: '/ui' });
 * http.createServer(async (req, res) => { if (!(await ui(req, res))) notFound(res); });
 */
export function createUiHandler(options: UiHandlerOptions): UiHandler {
  const base = (options.basePath ?? '').replace(/\/+$/, '');
  const runtime = options.runtime;
  let assets: UiAssets | undefined;

  const routes = async (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> => {
    const method = req.method ?? 'GET';
    // These exist whatever the method: another method is refused as such, not as a missing resource.
    if ((path === '/api/executions' || path === '/api/stream') && method !== 'GET') throw methodNotAllowed(method, path);
    if (path === '/api/executions') return sendJson(res, 200, await listExecutions(runtime, query));
    if (path === '/api/stream') {
      // The list only needs executions starting and ending, not every state of every Map.
      const source = runtime.store.subscribeAll({ fromPosition: 'end' }).pipe(
        filter((s) => EXECUTION_EVENTS.has(s.event.type)),
        map((s) => ({ executionArn: s.streamId, type: s.event.type, timestamp: s.event.timestamp })),
      );
      return streamAsServerSentEvents(res, source);
    }
    const match = /^\/api\/executions\/([^/]+)(?:\/(history|state|stream|fork|redrive|replay|map-runs))?$/.exec(path);
    if (!match) throw new HttpProblem(404, 'NotFound', `No such resource: ${method} ${path}`);
    const arn = decodeArn(match[1]!);
    const action = match[2];
    const meta = await runtime.executionMetadata(arn);
    if (!meta) throw new StepwiseError('ExecutionDoesNotExist', `Execution does not exist: '${arn}'`);
    const handle = runtime.execution(arn);
    if (method === 'GET') {
      switch (action) {
        case undefined:
          return sendJson(res, 200, meta);
        case 'history':
          return sendJson(res, 200, { events: await handle.history() });
        case 'map-runs':
          return sendJson(res, 200, { mapRuns: await mapRunsOf(runtime, arn) });
        case 'state': {
          const at = query.get('at');
          // Digits only: Number() read '' as event 0 and '0x2' as event 2.
          const eventId = at === null ? undefined : wholeNumber(at);
          if (eventId !== undefined && !Number.isSafeInteger(eventId)) throw new HttpProblem(400, 'InvalidArgument', `?at= must be an event id (a whole number), not '${at}'.`);
          try {
            return sendJson(res, 200, await handle.stateAt(eventId));
          } catch (e) {
            if (e instanceof RangeError) throw new HttpProblem(400, 'InvalidArgument', e.message);
            throw e;
          }
        }
        case 'stream': {
          const from = wholeNumber(query.get('from') ?? '0');
          if (!Number.isSafeInteger(from)) throw new HttpProblem(400, 'InvalidArgument', `?from= must be a revision (an integer from 0), not '${query.get('from')}'.`);
          return streamAsServerSentEvents(res, runtime.store.subscribe(arn, { fromRevision: from }).pipe(map((s) => s.event)));
        }
      }
    }
    if (method === 'POST' && action !== undefined && ['fork', 'redrive', 'replay'].includes(action)) {
      const body = await readJsonBody(req);
      switch (action) {
        case 'fork': {
          const fromEventId = body.fromEventId;
          if (typeof fromEventId !== 'number' || !Number.isInteger(fromEventId)) throw new HttpProblem(400, 'InvalidArgument', 'fork needs "fromEventId": the id of the event to continue from.');
          const fork = await handle.fork({ fromEventId, ...('input' in body ? { input: body.input as JsonValue } : {}) });
          fork.done.catch(() => undefined);
          await runtime.listed(fork.identity.executionArn);
          return sendJson(res, 201, { executionArn: fork.identity.executionArn });
        }
        case 'redrive': {
          const redriven = await handle.redrive();
          redriven.done.catch(() => undefined);
          return sendJson(res, 200, { executionArn: redriven.identity.executionArn });
        }
        case 'replay': {
          const definition = body.definition;
          if (typeof definition !== 'string' && (typeof definition !== 'object' || definition === null || Array.isArray(definition))) {
            throw new HttpProblem(400, 'InvalidArgument', 'replay needs "definition": the state machine definition (JSON text or object).');
          }
          return sendJson(res, 200, await handle.replay(definition as never));
        }
      }
    }
    throw methodNotAllowed(method, path);
  };

  return async (req, res) => {
    const url = requestUrl(req.url ?? '/');
    let path = url.pathname;
    if (base !== '') {
      if (path !== base && !path.startsWith(`${base}/`)) return false;
      path = path.slice(base.length);
    }
    try {
      if (options.loopbackOnly && !isLoopbackHost(req.headers.host)) {
        throw new HttpProblem(403, 'Forbidden', `Host '${req.headers.host}' is not this machine's loopback address.`);
      }
      if (path === '') {
        res.writeHead(308, { location: `${base}/` }).end();
        return true;
      }
      if (!path.startsWith('/api/')) {
        if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed(req.method ?? '', path);
        assets ??= findUiAssets(options.assetsDir);
        serveAsset(res, assets, path === '/' ? '/index.html' : path);
        return true;
      }
      if (req.method === 'POST') checkSameOrigin(req);
      await routes(req, res, path, url.searchParams);
    } catch (e) {
      sendError(res, e);
    }
    return true;
  };
}

/**
 * The request's URL. Against a base URL, a path starting with '//' is read as a host and its
 * path ('//app.js/api/executions' answered as '/api/executions'), so an origin-form path is
 * appended to the origin instead; an absolute-form URL (from a proxy) is taken as it is.
 */
function requestUrl(target: string): URL {
  return target.startsWith('/') ? new URL(`http://localhost${target}`) : new URL(target, 'http://localhost');
}

function methodNotAllowed(method: string, path: string): HttpProblem {
  return new HttpProblem(405, 'MethodNotAllowed', `${method} is not allowed on ${path}.`);
}

/** An execution's Map Runs, each with its counts and its child executions (the first 1,000), failed ones first. */
async function mapRunsOf(runtime: Runtime, executionArn: string) {
  const rank = (status: string) => (status === 'SUCCEEDED' ? 2 : status === 'RUNNING' ? 1 : 0);
  return (await runtime.describeMapRuns(executionArn)).map(({ children, ...run }) => ({
    ...run,
    children: [...children]
      .sort((a, b) => rank(a.status) - rank(b.status) || a.startDate - b.startDate)
      .slice(0, 1000)
      .map(({ executionArn, name, status, startDate, stopDate }) => ({ executionArn, name, status, startDate, stopDate })),
  }));
}

async function listExecutions(runtime: Runtime, query: URLSearchParams) {
  const status = query.get('status') || undefined;
  if (status !== undefined && !STATUSES.has(status as ExecutionStatus)) throw new HttpProblem(400, 'InvalidArgument', `Unknown status '${status}': one of ${[...STATUSES].join(', ')}.`);
  const maxResults = query.get('maxResults') === null ? 1000 : wholeNumber(query.get('maxResults')!);
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 1000) throw new HttpProblem(400, 'InvalidArgument', '?maxResults= must be an integer from 1 to 1000.');
  try {
    return await runtime.store.list({
      status: status as ExecutionStatus | undefined,
      stateMachineArn: query.get('stateMachineArn') || undefined,
      nextToken: query.get('nextToken') || undefined,
      maxResults,
    });
  } catch (e) {
    if (isStepwiseError(e)) throw e;
    throw new HttpProblem(400, 'InvalidArgument', `Cannot list executions: ${(e as Error).message}`);
  }
}

function decodeArn(segment: string): string {
  let arn: string;
  try {
    arn = decodeURIComponent(segment);
  } catch {
    throw new HttpProblem(400, 'InvalidArn', `'${segment}' is not a valid URL-encoded execution ARN.`);
  }
  if (!/^arn:[^:]+:states:[^:]*:[^:]*:execution:[^:]+:[^:]+$/.test(arn)) {
    throw new HttpProblem(400, 'InvalidArn', `'${arn}' is not an execution ARN (arn:aws:states:REGION:ACCOUNT:execution:STATE_MACHINE:NAME).`);
  }
  return arn;
}

/**
 * Actions only from the UI's own pages: a JSON content type cannot be sent cross-site without
 * a CORS preflight (which this server never grants), and a foreign Origin is refused outright.
 */
function checkSameOrigin(req: IncomingMessage): void {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/json')) throw new HttpProblem(415, 'UnsupportedMediaType', 'Actions take a JSON body (Content-Type: application/json).');
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      throw new HttpProblem(403, 'Forbidden', `Malformed Origin header '${origin}'.`);
    }
    if (host !== req.headers.host) throw new HttpProblem(403, 'Forbidden', `Requests from ${origin} may not act on executions.`);
  }
}

/** The HTTP adapter's body reader, its errors named as the UI's front end expects. */
async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  try {
    return await readRequestJson(req, MAX_BODY_BYTES);
  } catch (e) {
    if (e instanceof ApiError) throw new HttpProblem(e.status, e.status === 413 ? 'PayloadTooLarge' : 'InvalidJson', e.message);
    throw e;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

const STATUS_OF: Partial<Record<StepwiseErrorCode, number>> = {
  ExecutionDoesNotExist: 404,
  ExecutionAlreadyExists: 409,
  StoreConflict: 409,
  InvalidDefinition: 400,
  InvalidInput: 400,
  InvalidArgument: 400,
  InvalidExecutionInput: 400,
  ExecutionNotRedrivable: 400,
  InvalidMockConfig: 400,
  StoreUnavailable: 503,
};

function sendError(res: ServerResponse, e: unknown): void {
  let status = 500;
  let code = 'InternalError';
  let message = e instanceof Error ? e.message : String(e);
  if (e instanceof HttpProblem) ({ status, code } = e);
  else if (isStepwiseError(e)) {
    code = e.code;
    status = STATUS_OF[e.code] ?? 500;
  }
  if (res.headersSent) {
    res.end();
    return;
  }
  if (status === 500) message = `Unexpected error: ${message}`;
  // A body refused half-read (chunked, or longer than it said) ended its request stream, and
  // the socket with it: a keep-alive client sent its next request into a socket being reset.
  if (res.req.destroyed) res.setHeader('connection', 'close');
  sendJson(res, status, { error: code, message });
}
