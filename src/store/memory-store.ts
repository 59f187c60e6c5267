import { Subject, type Observable } from 'rxjs';
import type { HistoryEvent } from '../execution/history-event.js';
import { WrongExpectedRevisionError, type AppendOptions, type EventStore, type ExecutionStatus, type StoredStreamEvent, type StreamMetadata } from './event-store.js';

/** Keeps streams in process memory: for tests and throwaway runs. */
export class MemoryEventStore implements EventStore {
  private readonly streams = new Map<string, HistoryEvent[]>();
  private readonly metadata = new Map<string, StreamMetadata>();
  private readonly appended = new Subject<StoredStreamEvent>();

  async append(streamId: string, events: readonly HistoryEvent[], options: AppendOptions): Promise<number> {
    return this.appendSync(streamId, events, options);
  }

  /** Synchronous form, so the journal's hot path need not wait on a promise. */
  appendSync(streamId: string, events: readonly HistoryEvent[], options: AppendOptions): number {
    let stream = this.streams.get(streamId);
    const actual = stream?.length ?? 0;
    if (options.expectedRevision !== 'any' && options.expectedRevision !== actual) {
      throw new WrongExpectedRevisionError(streamId, options.expectedRevision, actual);
    }
    if (!stream) this.streams.set(streamId, (stream = []));
    for (const e of events) stream.push(e);
    if (this.appended.observed) for (const event of events) this.appended.next({ streamId, event });
    return stream.length;
  }

  async read(streamId: string, fromRevision = 0): Promise<HistoryEvent[]> {
    return (this.streams.get(streamId) ?? []).slice(fromRevision);
  }

  async putMetadata(metadata: StreamMetadata): Promise<void> {
    this.metadata.set(metadata.executionArn, { ...metadata });
  }

  async getMetadata(executionArn: string): Promise<StreamMetadata | undefined> {
    return this.metadata.get(executionArn);
  }

  async list(filter: { stateMachineArn?: string; status?: ExecutionStatus } = {}): Promise<StreamMetadata[]> {
    return [...this.metadata.values()].filter(
      (m) => (!filter.stateMachineArn || m.stateMachineArn === filter.stateMachineArn) && (!filter.status || m.status === filter.status),
    );
  }

  live(): Observable<StoredStreamEvent> {
    return this.appended.asObservable();
  }
}
