import type { Runtime } from '../../src/runtime/create-runtime.js';
import type { RequestFields } from './request-fields.js';

export interface ApiContext {
  runtime: Runtime;
  /** Aborted when the client goes away (a long poll stops waiting). */
  signal: AbortSignal;
  /** Longest wait of GetActivityTask, 60 s as AWS. */
  activityPollMs: number;
  /** The request's X-Amzn-Trace-Id HTTP header: StartExecution and StartSyncExecution take it over the body's traceHeader. */
  traceHeader?: string;
}

/** One API action: the request's members in, the response's members out. */
export type Action = (fields: RequestFields, ctx: ApiContext) => Promise<Record<string, unknown>>;
