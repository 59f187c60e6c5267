import type { Subscriber } from 'rxjs';
import { Observable } from '../../src/observe/rx.js';
import type { JsonValue } from '../../src/asl/json-value.js';
import { StepwiseError } from '../../src/errors/stepwise-error.js';
import type { HistoryEvent } from '../../src/execution/history-event.js';
import {
  StoreErrorCodes,
  WrongExpectedRevisionError,
  type AppendOptions,
  type EventStore,
  type ExecutionMetadata,
  type ExecutionPage,
  type ListFilter,
  type ReadOptions,
  type StoredStreamEvent,
  type SubscribeAllOptions,
  type SubscribeOptions,
} from '../../src/store/event-store.js';
import { pageOf } from '../../src/store/list-page.js';
import { readRange } from '../../src/store/read-range.js';
import { isEsdbFailure, type EsdbConnection, type EsdbEventData, type EsdbExpected, type EsdbRecordedEvent, type Unsubscribe } from './esdb-connection.js';
import { freshEventId, stableEventId } from './event-ids.js';
import { StreamNames } from './stream-names.js';

export interface RetryPolicy {
  /** Tries per operation while the server is unreachable. Default 10 (about 15 s in all). */
  attempts?: number;
  /** First wait between tries, doubled each time up to `maxDelayMs`. Default 100 ms. */
  firstDelayMs?: number;
  maxDelayMs?: number;
}

export interface EventStoreDbStoreOptions {
  /** Prefix of every stream name (see {@link StreamNames}). Default `stepwise`. */
  streamPrefix?: string;
  /**
   * The server's MaxAppendSize in bytes (default 1,048,576, EventStoreDB's own default). A
   * batch larger than this is written in several appends; a single event larger than it is
   * refused with a `StoreAppendTooLarge` error.
   */
  maxAppendBytes?: number;
  retry?: RetryPolicy;
  /** Shown in error messages (the connection string, without credentials). */
  description?: string;
}

const DEFAULT_MAX_APPEND_BYTES = 1_048_576;
/** Room for an event's id, type and framing beside its JSON body, per event. */
const EVENT_OVERHEAD_BYTES = 256;
const META_EVENT = 'ExecutionMetadata';
const INDEX_EVENT = 'ExecutionListed';
const INDEX_PAGE = 500;

/** Codes this adapter adds; the double cast goes once StepwiseErrorCode lists them. */
export const EsdbStoreErrorCodes = {
  tooLarge: 'StoreAppendTooLarge' as StepwiseError['code'],
};

/**
 * The store contract on EventStoreDB. One stream per execution; expected revisions are the
 * server's optimistic concurrency; history events get stable ids so that a retried append is
 * recognised by the server; listing reads one index stream, incrementally; subscriptions are
 * the server's catch-up subscriptions. Transient failures (server restarting, leader change)
 * are retried with backoff; what cannot be retried becomes a typed Stepwise error.
 */
export class EventStoreDbStore implements EventStore {
  private readonly names: StreamNames;
  private readonly maxAppendBytes: number;
  private readonly retry: Required<RetryPolicy>;
  private readonly description: string;
  private readonly listed = new Map<string, ExecutionMetadata>();
  private indexNext = 0;
  private indexing: Promise<void> | undefined;
  private readonly subscribers = new Set<Subscriber<StoredStreamEvent>>();
  private closing: Promise<void> | undefined;

  constructor(
    private readonly connection: EsdbConnection,
    options: EventStoreDbStoreOptions = {},
  ) {
    this.names = new StreamNames(options.streamPrefix);
    this.maxAppendBytes = options.maxAppendBytes ?? DEFAULT_MAX_APPEND_BYTES;
    this.retry = { attempts: 10, firstDelayMs: 100, maxDelayMs: 3_000, ...options.retry };
    this.description = options.description ?? 'EventStoreDB';
  }

  get streamNames(): StreamNames {
    return this.names;
  }

  async append(streamId: string, events: readonly HistoryEvent[], options: AppendOptions): Promise<number> {
    this.refuseIfClosed();
    const expected = options.expectedRevision;
    if (expected !== 'any' && !(Number.isInteger(expected) && expected >= 0)) {
      throw new StepwiseError('InvalidArgument', `expectedRevision must be a whole number from 0 or 'any', not ${String(expected)}.`);
    }
    if (events.length === 0) {
      const actual = await this.revision(streamId);
      if (expected !== 'any' && expected !== actual) throw new WrongExpectedRevisionError(streamId, expected, actual);
      return actual;
    }
    const stream = this.names.toEsdb(streamId);
    const chunks = this.chunk(streamId, stream, events);
    let next: EsdbExpected = expected === 'any' ? 'any' : expected === 0 ? 'no_stream' : expected - 1;
    let last = -1;
    for (const chunk of chunks) {
      try {
        last = await this.withRetry(`append to '${streamId}'`, () => this.connection.append(stream, chunk, next));
      } catch (err) {
        if (isEsdbFailure(err, 'wrong-expected-version')) {
          throw new WrongExpectedRevisionError(streamId, expected, (err.actualRevision ?? -1) + 1);
        }
        throw this.translate(err, streamId);
      }
      // The rest of an oversized batch goes right after this part, or not at all.
      next = last;
    }
    return last + 1;
  }

  async read(streamId: string, options: ReadOptions = {}): Promise<HistoryEvent[]> {
    this.refuseIfClosed();
    const { first, count } = readRange(Number.MAX_SAFE_INTEGER, options);
    if (count === 0) return [];
    const backwards = options.direction === 'backwards';
    const maxCount = options.maxCount === undefined || options.maxCount === Infinity ? undefined : options.maxCount;
    const from = backwards ? (options.fromRevision ?? 'end') : first;
    const stream = this.names.toEsdb(streamId);
    const recorded = await this.readEsdb(streamId, stream, { direction: backwards ? 'backwards' : 'forwards', from, maxCount });
    if (!backwards && recorded.length > 0 && recorded[0]!.revision !== first) {
      throw new StepwiseError(
        StoreErrorCodes.corrupted,
        `Stream '${stream}' (of '${streamId}') starts at revision ${recorded[0]!.revision}, not ${first}: its earlier events were deleted in EventStoreDB behind Stepwise's back, so its history is incomplete.`,
        { stream, firstRevision: recorded[0]!.revision },
      );
    }
    return recorded.map((e) => this.historyEventOf(e));
  }

  async revision(streamId: string): Promise<number> {
    this.refuseIfClosed();
    const [last] = await this.readEsdb(streamId, this.names.toEsdb(streamId), { direction: 'backwards', from: 'end', maxCount: 1 });
    return last ? last.revision + 1 : 0;
  }

  async putMetadata(metadata: ExecutionMetadata): Promise<void> {
    this.refuseIfClosed();
    const { extra, ...base } = metadata;
    const stream = this.names.metaOf(metadata.executionArn);
    const data = extra === undefined ? { base } : { base, extra };
    const metaEvent: EsdbEventData = { id: freshEventId(), type: META_EVENT, data };
    const indexEvent: EsdbEventData = { id: freshEventId(), type: INDEX_EVENT, data: base };
    try {
      this.checkSize(metadata.executionArn, [metaEvent]);
      // The execution's own stream first: the index only ever names what getMetadata can read.
      await this.withRetry(`store metadata of '${metadata.executionArn}'`, () => this.connection.append(stream, [metaEvent], 'any'));
      await this.withRetry('update the execution index', () => this.connection.append(this.names.index, [indexEvent], 'any'));
    } catch (err) {
      throw this.translate(err, metadata.executionArn);
    }
  }

  async getMetadata(executionArn: string): Promise<ExecutionMetadata | undefined> {
    this.refuseIfClosed();
    const stream = this.names.metaOf(executionArn);
    let base: ExecutionMetadata | undefined;
    let from: number | 'end' = 'end';
    // Newest first; `extra` comes from the newest update that had one (usually the first few back).
    for (;;) {
      const page = await this.readEsdb(executionArn, stream, { direction: 'backwards', from, maxCount: 20 });
      for (const e of page) {
        const data = e.data as { base: ExecutionMetadata; extra?: JsonValue };
        base ??= data.base;
        if ('extra' in data) return { ...base, extra: data.extra };
      }
      const oldest = page.at(-1);
      if (!oldest || oldest.revision === 0 || page.length < 20) return base ? { ...base } : undefined;
      from = oldest.revision - 1;
    }
  }

  async list(filter?: ListFilter): Promise<ExecutionPage> {
    this.refuseIfClosed();
    await this.catchUpIndex();
    return pageOf(this.listed.values(), filter);
  }

  subscribe(streamId: string, options: SubscribeOptions = {}): Observable<StoredStreamEvent> {
    const from = options.fromRevision ?? 0;
    const stream = this.names.toEsdb(streamId);
    return this.catchUpSubscription(
      `stream '${streamId}'`,
      from === 'end' ? 'end' : from,
      (e) => e.revision,
      (after, handlers) => this.connection.subscribeToStream(stream, after, handlers),
    );
  }

  subscribeAll(options: SubscribeAllOptions = {}): Observable<StoredStreamEvent> {
    const from = options.fromPosition ?? 0;
    return this.catchUpSubscription(
      'all streams',
      from === 'end' ? 'end' : from,
      (e) => e.position,
      (after, handlers) => this.connection.subscribeToAll(after, this.names.allPrefixes, handlers),
    );
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const s of [...this.subscribers]) s.complete();
      this.subscribers.clear();
      await this.connection.close();
    })();
    return this.closing;
  }

  /**
   * Catch-up then live, by the server. After a dropped connection it subscribes again from
   * the last event delivered, with backoff, and skips anything at or before it: nothing is
   * lost or delivered twice.
   */
  private catchUpSubscription(
    what: string,
    from: number | 'end',
    seqOf: (e: StoredStreamEvent) => number,
    open: (after: number | 'start' | 'end', handlers: { event(e: EsdbRecordedEvent): void; error(err: unknown): void }) => Unsubscribe,
  ): Observable<StoredStreamEvent> {
    return new Observable<StoredStreamEvent>((subscriber) => {
      if (this.closing) {
        subscriber.complete();
        return undefined;
      }
      this.subscribers.add(subscriber);
      // Server subscriptions start after a given event: the one before `from`.
      let after: number | 'start' | 'end' = from === 'end' ? 'end' : from === 0 ? 'start' : from - 1;
      let next = from === 'end' ? -1 : from;
      let unsubscribe: Unsubscribe | undefined;
      let failures = 0;
      let timer: NodeJS.Timeout | undefined;
      const connect = (): void => {
        unsubscribe = open(after, {
          event: (e) => {
            const stored = this.storedOf(e);
            if (!stored) return;
            const seq = seqOf(stored);
            if (seq < next) return;
            next = seq + 1;
            after = seq;
            failures = 0;
            subscriber.next(stored);
          },
          error: (err) => {
            unsubscribe?.();
            if (subscriber.closed || this.closing) return;
            if (isEsdbFailure(err, 'unavailable') && ++failures < this.retry.attempts) {
              timer = setTimeout(connect, this.backoff(failures));
              return;
            }
            subscriber.error(this.translate(err, what));
          },
        });
      };
      connect();
      return () => {
        this.subscribers.delete(subscriber);
        if (timer) clearTimeout(timer);
        unsubscribe?.();
      };
    });
  }

  private storedOf(e: EsdbRecordedEvent): StoredStreamEvent | undefined {
    const streamId = this.names.fromEsdb(e.stream);
    if (streamId === undefined) return undefined;
    return { streamId, revision: e.revision, position: e.position, event: this.historyEventOf(e) };
  }

  private historyEventOf(e: EsdbRecordedEvent): HistoryEvent {
    const data = e.data as HistoryEvent | undefined;
    if (!data || typeof data !== 'object' || typeof data.id !== 'number' || typeof data.type !== 'string') {
      throw new StepwiseError(StoreErrorCodes.corrupted, `Event ${e.revision} of EventStoreDB stream '${e.stream}' (id ${e.id}) is not a Stepwise history event: it was written by something else.`, { stream: e.stream, revision: e.revision });
    }
    return data;
  }

  /** Reads the whole range, page by page, with retries; an absent stream reads as empty. */
  private async readEsdb(streamId: string, stream: string, options: { direction: 'forwards' | 'backwards'; from: number | 'end'; maxCount?: number }): Promise<EsdbRecordedEvent[]> {
    try {
      return await this.withRetry(`read '${streamId}'`, () => this.connection.read(stream, options));
    } catch (err) {
      throw this.translate(err, streamId);
    }
  }

  private async catchUpIndex(): Promise<void> {
    this.indexing ??= (async () => {
      try {
        for (;;) {
          const page = await this.readEsdb('the execution index', this.names.index, { direction: 'forwards', from: this.indexNext, maxCount: INDEX_PAGE });
          for (const e of page) {
            const base = e.data as ExecutionMetadata;
            this.listed.set(base.executionArn, base);
            this.indexNext = e.revision + 1;
          }
          if (page.length < INDEX_PAGE) return;
        }
      } finally {
        this.indexing = undefined;
      }
    })();
    return this.indexing;
  }

  /** Splits a batch into appends the server accepts, refusing an event that fits in none. */
  private chunk(streamId: string, stream: string, events: readonly HistoryEvent[]): EsdbEventData[][] {
    const chunks: EsdbEventData[][] = [];
    let current: EsdbEventData[] = [];
    let bytes = 0;
    for (const event of events) {
      const data: EsdbEventData = { id: stableEventId(stream, event.id, JSON.stringify(event)), type: event.type, data: event };
      const size = this.checkSize(streamId, [data]);
      if (current.length > 0 && bytes + size > this.maxAppendBytes) {
        chunks.push(current);
        current = [];
        bytes = 0;
      }
      current.push(data);
      bytes += size;
    }
    if (current.length > 0) chunks.push(current);
    return chunks;
  }

  private checkSize(streamId: string, events: EsdbEventData[]): number {
    let total = 0;
    for (const e of events) {
      const size = Buffer.byteLength(JSON.stringify(e.data), 'utf8') + Buffer.byteLength(e.type, 'utf8') + EVENT_OVERHEAD_BYTES;
      if (size > this.maxAppendBytes) {
        throw new StepwiseError(
          EsdbStoreErrorCodes.tooLarge,
          `An event of '${streamId}' is ${size} bytes, over EventStoreDB's append limit of ${this.maxAppendBytes} bytes (MaxAppendSize). ` +
            "AWS's own limits (256 KiB per state input or output) keep events well under it: lower `limits.payloadBytes`, or raise the server's MaxAppendSize and `maxAppendBytes` together.",
          { streamId, bytes: size, limit: this.maxAppendBytes },
        );
      }
      total += size;
    }
    return total;
  }

  private async withRetry<T>(what: string, operation: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      this.refuseIfClosed();
      try {
        return await operation();
      } catch (err) {
        if (!isEsdbFailure(err, 'unavailable') || attempt >= this.retry.attempts) throw err;
        await new Promise((r) => setTimeout(r, this.backoff(attempt)));
      }
    }
  }

  private backoff(attempt: number): number {
    const delay = Math.min(this.retry.firstDelayMs * 2 ** (attempt - 1), this.retry.maxDelayMs);
    // Jitter, so that runtimes reconnecting after one restart do not all knock at once.
    return delay / 2 + Math.random() * (delay / 2);
  }

  private translate(err: unknown, subject: string): unknown {
    if (!isEsdbFailure(err)) return err;
    switch (err.kind) {
      case 'unavailable':
        return new StepwiseError(
          StoreErrorCodes.unavailable,
          `${this.description} did not answer for '${subject}' after ${this.retry.attempts} tries with backoff: ${err.message}. Is the server running and reachable at that address?`,
          err,
        );
      case 'stream-deleted':
        return new StepwiseError(StoreErrorCodes.corrupted, `The stream of '${subject}' was deleted in EventStoreDB behind Stepwise's back: its history is gone and nothing more can be appended to it.`, err);
      case 'too-large':
        return new StepwiseError(EsdbStoreErrorCodes.tooLarge, `EventStoreDB refused an append to '${subject}' as too large (${err.message}); its MaxAppendSize is below \`maxAppendBytes\` (${this.maxAppendBytes}): set them alike.`, err);
      default:
        return new StepwiseError(StoreErrorCodes.unavailable, `${this.description} failed for '${subject}': ${err.message}`, err);
    }
  }

  private refuseIfClosed(): void {
    if (this.closing) throw new StepwiseError(StoreErrorCodes.unavailable, `The EventStoreDB store (${this.description}) is closed.`);
  }
}
