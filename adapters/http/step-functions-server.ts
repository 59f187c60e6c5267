import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Runtime } from '../../src/runtime/create-runtime.js';
import { activityActions } from './actions/activity-actions.js';
import { executionActions } from './actions/execution-actions.js';
import { mapRunActions } from './actions/map-run-actions.js';
import { historyActions } from './actions/history-actions.js';
import { stateMachineActions } from './actions/state-machine-actions.js';
import { tagActions } from './actions/tag-actions.js';
import { taskTokenActions } from './actions/task-token-actions.js';
import { testStateActions } from './actions/test-state-actions.js';
import type { Action, ApiContext } from './api-context.js';
import { ApiError, MAX_REQUEST_BYTES, readJsonBody, sendError, sendJson, TARGET_PREFIX, toApiError, unknownOperation } from './aws-json-protocol.js';
import { RequestFields } from './request-fields.js';

/**
 * Handles requests under a mounted path prefix (a web UI under `/ui`, say); what it returns is not
 * used (a UI handler's boolean, `res.end()`'s response).
 */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

export interface StepFunctionsServerOptions {
  runtime: Runtime;
  /** Largest request body accepted. Default 1 MiB, AWS's limit. */
  maxRequestBytes?: number;
  /** Longest GetActivityTask wait. Default 60 s, as AWS. */
  activityPollMs?: number;
  /** Extra routes by path prefix, tried before the API. */
  routes?: Record<string, RouteHandler>;
}

export const DEFAULT_PORT = 8083;
export const DEFAULT_HOST = '127.0.0.1';

/** Every action this endpoint answers, by its `X-Amz-Target` name. */
export const ACTIONS: Readonly<Record<string, Action>> = {
  ...stateMachineActions,
  ...executionActions,
  ...mapRunActions,
  ...historyActions,
  ...taskTokenActions,
  ...activityActions,
  ...tagActions,
  ...testStateActions,
};

/**
 * The Step Functions API over HTTP (AWS JSON 1.0), for `@aws-sdk/client-sfn`, the aws CLI
 * (`--endpoint-url`) and AWS's other SDKs. It binds 127.0.0.1 unless told otherwise.
 *
 * @example
 * const server = createStepFunctionsServer({ runtime });
 * const { port } = await server.listen(8083);
 * server.mount('/ui', (req, res) => res.end('hello'));
 */
export class StepFunctionsServer {
  readonly server: Server;
  private readonly routes = new Map<string, RouteHandler>();
  private readonly options: StepFunctionsServerOptions;
  private readonly open = new Set<ServerResponse>();

  constructor(options: StepFunctionsServerOptions) {
    this.options = options;
    for (const [prefix, handler] of Object.entries(options.routes ?? {})) this.mount(prefix, handler);
    this.server = createServer((req, res) => {
      this.open.add(res);
      res.on('close', () => this.open.delete(res));
      this.handle(req, res).catch((e: unknown) => sendError(res, toApiError(e)));
    });
    // GetActivityTask holds a request for up to 60 s; keep Node's request timeout above that.
    this.server.requestTimeout = Math.max(this.server.requestTimeout, (options.activityPollMs ?? 60_000) + 30_000);
  }

  /** Sends requests whose path starts with `prefix` (e.g. `/ui`) to `handler` instead of the API. */
  mount(prefix: string, handler: RouteHandler): this {
    this.routes.set(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix, handler);
    return this;
  }

  /** Listens on `port` (0: any free port) and `host` (default 127.0.0.1); resolves to the address. */
  listen(port = DEFAULT_PORT, host = DEFAULT_HOST): Promise<{ port: number; host: string; url: string }> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        const address = this.server.address() as AddressInfo;
        const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        resolve({ port: address.port, host: address.address, url: `http://${shownHost}:${address.port}` });
      });
    });
  }

  /** Stops accepting connections and ends those in progress (long polls included). */
  close(): Promise<void> {
    return new Promise((resolve) => {
      for (const res of this.open) res.destroy();
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    for (const [prefix, handler] of this.routes) {
      if (path === prefix || path.startsWith(prefix + '/')) {
        await handler(req, res);
        return;
      }
    }
    if (req.method !== 'POST' || path !== '/') {
      req.resume();
      return sendError(res, new ApiError('UnknownOperationException', `Step Functions takes POST / with an X-Amz-Target header, not ${req.method} ${path}.`, 404, 'com.amazon.coral.service'));
    }
    const target = req.headers['x-amz-target'];
    const name = typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
    const action = name !== undefined && Object.hasOwn(ACTIONS, name) ? ACTIONS[name] : undefined;
    if (!action) {
      req.resume();
      return sendError(res, unknownOperation(typeof target === 'string' ? target : undefined));
    }
    const disconnected = new AbortController();
    res.on('close', () => disconnected.abort());
    try {
      const body = await readJsonBody(req, this.options.maxRequestBytes ?? MAX_REQUEST_BYTES);
      const traceHeader = req.headers['x-amzn-trace-id'];
      const ctx: ApiContext = {
        runtime: this.options.runtime, signal: disconnected.signal, activityPollMs: this.options.activityPollMs ?? 60_000,
        ...(typeof traceHeader === 'string' ? { traceHeader } : {}),
      };
      sendJson(res, 200, await action(new RequestFields(body), ctx));
    } catch (e) {
      if (e instanceof ApiError && e.status === 413) res.setHeader('Connection', 'close');
      sendError(res, toApiError(e));
    }
  }
}

export function createStepFunctionsServer(options: StepFunctionsServerOptions): StepFunctionsServer {
  return new StepFunctionsServer(options);
}
