import type { Observable } from 'rxjs';
import type { HistoryEvent } from '../execution/history-event.js';

/** An execution's stream: its history events in order, plus what is needed to list it. */
export interface StreamMetadata {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

export interface AppendOptions {
  /** The number of events the stream must hold before this append; `'any'` skips the check. */
  expectedRevision: number | 'any';
}

export interface StoredStreamEvent {
  streamId: string;
  event: HistoryEvent;
}

/**
 * The contract every store implements (in memory, embedded on disk, EventStoreDB).
 * Appends are atomic per call and checked against the expected revision.
 */
export interface EventStore {
  append(streamId: string, events: readonly HistoryEvent[], options: AppendOptions): Promise<number>;
  read(streamId: string, fromRevision?: number): Promise<HistoryEvent[]>;
  putMetadata(metadata: StreamMetadata): Promise<void>;
  getMetadata(executionArn: string): Promise<StreamMetadata | undefined>;
  list(filter?: { stateMachineArn?: string; status?: ExecutionStatus }): Promise<StreamMetadata[]>;
  /** Every event appended from now on, across all streams. */
  live(): Observable<StoredStreamEvent>;
}

export class WrongExpectedRevisionError extends Error {
  readonly isWrongExpectedRevision = true;
  constructor(
    readonly streamId: string,
    readonly expected: number | 'any',
    readonly actual: number,
  ) {
    super(`stream ${streamId}: expected revision ${expected}, actual ${actual}`);
    this.name = 'WrongExpectedRevisionError';
  }
}
