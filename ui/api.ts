import type { HistoryEvent } from '../src/execution/history-event.js';
import type { ExecutionMetadata, ExecutionPage } from '../src/store/event-store.js';
import type { ReplayReport } from '../src/execution/execution-journal.js';

/** An error the server answered with: its typed name and message. */
export class ApiError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

async function call<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(path, init);
  const text = await res.text();
  let body: unknown;
  try {
    body = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new ApiError('BadResponse', `The server answered ${res.status} with something that is not JSON.`);
  }
  if (!res.ok) {
    const b = body as { error?: string; message?: string };
    throw new ApiError(b.error ?? `HTTP${res.status}`, b.message ?? `HTTP ${res.status}`);
  }
  return body as T;
}

const post = <T>(path: string, body: unknown) => call<T>(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const executionPath = (arn: string) => `api/executions/${encodeURIComponent(arn)}`;

export const api = {
  list: (nextToken?: string) => call<ExecutionPage>(`api/executions?maxResults=1000${nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : ''}`),
  describe: (arn: string) => call<ExecutionMetadata>(executionPath(arn)),
  history: (arn: string) => call<{ events: HistoryEvent[] }>(`${executionPath(arn)}/history`),
  /** A Distributed Map's Map Runs in this execution, with their counts and child executions. */
  mapRuns: (arn: string) => call<{ mapRuns: MapRunView[] }>(`${executionPath(arn)}/map-runs`),
  fork: (arn: string, fromEventId: number, input?: unknown) => post<{ executionArn: string }>(`${executionPath(arn)}/fork`, input === undefined ? { fromEventId } : { fromEventId, input }),
  redrive: (arn: string) => post<{ executionArn: string }>(`${executionPath(arn)}/redrive`, {}),
  replay: (arn: string, definition: string) => post<ReplayReport>(`${executionPath(arn)}/replay`, { definition }),
  /** Live events of one execution from `revision` on; returns a function that stops listening. */
  watchExecution(arn: string, revision: number, onEvents: (events: HistoryEvent[]) => void): () => void {
    return listen(`${executionPath(arn)}/stream?from=${revision}`, onEvents);
  },
  /** Executions starting and ending, live. */
  watchAll(onEvents: (events: { executionArn: string; type: string; timestamp: number }[]) => void): () => void {
    return listen('api/stream', onEvents);
  },
};

function listen<T>(url: string, onBatch: (items: T[]) => void): () => void {
  const source = new EventSource(url);
  source.onmessage = (m) => onBatch(JSON.parse(m.data as string) as T[]);
  return () => source.close();
}

/** One Map Run as the UI server gives it (adapters/ui/ui-handler.ts mapRunsOf). */
export interface MapRunView {
  mapRunArn: string;
  stateName: string;
  status: string;
  startDate: number;
  stopDate?: number;
  /** Times a redrive of its parent redrove it. */
  redriveCount?: number;
  executionCounts?: { pending: number; running: number; succeeded: number; failed: number; timedOut: number; aborted: number; total: number };
  children: { executionArn: string; name: string; status: string; startDate: number; stopDate?: number }[];
}
