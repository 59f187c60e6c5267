import type { Runtime } from '../../src/runtime/create-runtime.js';
import type { RequestFields } from './request-fields.js';

/** The activity service the runtime offers (`runtime.activities`), as the HTTP actions use it. */
export interface ActivityService {
  create(input: { name: string; tags?: { key: string; value: string }[] }): Promise<{ activityArn: string; creationDate: Date }>;
  describe(activityArn: string): Promise<{ activityArn: string; name: string; creationDate: Date } | undefined>;
  delete(activityArn: string): Promise<void>;
  list(page: { maxResults?: number; nextToken?: string }): Promise<{ activities: { activityArn: string; name: string; creationDate: Date }[]; nextToken?: string }>;
  getTask(activityArn: string, options: { workerName?: string; signal?: AbortSignal }): Promise<{ taskToken: string; input: string } | null>;
}

export interface ApiContext {
  runtime: Runtime;
  /** Aborted when the client goes away (a long poll stops waiting). */
  signal: AbortSignal;
  /** Longest wait of GetActivityTask, 60 s as AWS. */
  activityPollMs: number;
}

/** One API action: the request's members in, the response's members out. */
export type Action = (fields: RequestFields, ctx: ApiContext) => Promise<Record<string, unknown>>;

/** `runtime.activities`, present once the activities module is part of the runtime. */
export function activitiesOf(runtime: Runtime): ActivityService | undefined {
  return (runtime as unknown as { activities?: ActivityService }).activities;
}
