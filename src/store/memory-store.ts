import type { Observable } from 'rxjs';
import type { JsonValue } from '../asl/json-value.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import type { HistoryEvent } from '../execution/history-event.js';
import {
  isSameEvent,
  StoreErrorCodes,
  WrongExpectedRevisionError,
  type AppendOptions,
  type EventStore,
  type ExecutionMetadata,
  type ExecutionStatus,
  type ExecutionPage,
  type ListFilter,
  type ReadOptions,
  type StoredStreamEvent,
  type SubscribeAllOptions,
  type SubscribeOptions,
} from './event-store.js';
import { pageOf } from './list-page.js';
import { lastAtOrBefore, readRange } from './read-range.js';
import { catchUpThenLive, EventFanout, storedEvents } from './subscriptions.js';

/** A stream's status until its execution is listed (a stream of events only, so far). */
const UNLISTED = undefined as unknown as ExecutionStatus;
const NOT_A_TIME = null as unknown as number;

/** The start revision and global position of each run of appends to one stream, as `index()` found them. */
interface StreamIndex {
  starts: number[];
  positions: number[];
  /** The stream's revision as far as indexed. */
  revision: number;
}

/**
 * Everything kept under one id: the stream's events and, for an execution, its listing. One
 * map entry for both: two maps of every execution cost a parked one a second entry (some 46
 * bytes) and a second hashing of its ARN on each write. The listing's members are the stream's
 * own (a record of their own cost a parked execution 32 bytes more): `status` is undefined
 * until the execution is listed, and the stream reads as its listing where a store's listing
 * is read (`list` pages copies of them, `getMetadata` gives a copy).
 */
class Stream implements ExecutionMetadata {
  /** Empty (NO_EVENTS, shared) while only the listing is kept. */
  events: HistoryEvent[];
  /** Made by `index()` when it first reaches the stream: most streams are never read by position. */
  index: StreamIndex | undefined = undefined;
  stateMachineArn = '';
  name = '';
  status: ExecutionStatus = UNLISTED;
  // Not numbers until set (NOT_A_TIME, undefined), so that V8 keeps these members as references:
  // the start then shares the number its execution's journal holds, where a member that has only
  // held numbers keeps a 16-byte box of its own per stream (see RecordedEvent in history-event.ts).
  startDate = NOT_A_TIME;
  stopDate: number | undefined = undefined;
  extra: JsonValue | undefined = undefined;

  constructor(
    readonly id: string,
    events: HistoryEvent[],
  ) {
    this.events = events;
  }

  get executionArn(): string {
    return this.id;
  }

  get listed(): boolean {
    return this.status !== UNLISTED;
  }

  /** The listing: `extra` kept unless the new one brings its own (see EventStore.putMetadata). */
  setListing(m: ExecutionMetadata): void {
    this.stateMachineArn = m.stateMachineArn;
    this.name = m.name;
    this.status = m.status;
    this.startDate = m.startDate;
    this.stopDate = m.stopDate;
    if (m.extra !== undefined) this.extra = m.extra;
  }
}

const CATCH_UP_CHUNK = 1024;
/** Streams shorter than this grow by exact copies (see appendSync). */
const EXACT_BELOW = 32;
const NO_EVENTS: readonly HistoryEvent[] = Object.freeze([]);
/** A stream's index before index() reaches it. */
const NOT_INDEXED: StreamIndex = Object.freeze(emptyIndex());

function emptyIndex(): StreamIndex {
  return { starts: [], positions: [], revision: 0 };
}

/**
 * Keeps streams in process memory: for tests and throwaway runs. Events are stored by
 * reference, not copied: treat what you append as immutable.
 */
export class MemoryEventStore implements EventStore {
  /** See {@link EventStore.turnWritesInOrder}. */
  readonly turnWritesInOrder = true;
  private readonly streams = new Map<string, Stream>();
  /**
   * The global order, one entry per run of appends to one stream: its stream and size. Only
   * that much is recorded on the hot path; positions are worked out by `index()` when a
   * subscription first asks. Consecutive appends to the same stream (an execution's steps, when
   * nothing else writes in between) share an entry: these lists grow with the store, and a push
   * per append onto lists of hundreds of thousands of entries was 3% of task-heavy's time.
   */
  private readonly order: Stream[] = [];
  private readonly counts: number[] = [];
  private indexed = 0;
  private indexedPosition = 0;
  private readonly starts: number[] = [];
  private readonly positions: number[] = [];
  private nextPosition = 0;
  private readonly fanout = new EventFanout();
  private closed = false;

  async append(streamId: string, events: readonly HistoryEvent[], options: AppendOptions): Promise<number> {
    return this.appendSync(streamId, events, options);
  }

  /** Synchronous form, so the journal's hot path need not wait on a promise. */
  appendSync(streamId: string, events: readonly HistoryEvent[], options: AppendOptions, handle?: object): number {
    if (this.closed) throw closedError();
    // The writer's handle (streamHandle) spares a lookup by id in a map of every stream.
    let stream = handle !== undefined && (handle as Stream).id === streamId ? (handle as Stream) : this.streams.get(streamId);
    const actual = stream ? stream.events.length : 0;
    const expected = options.expectedRevision;
    if (expected !== 'any' && expected !== actual) return this.retried(streamId, stream, events, expected, actual);
    if (events.length === 0) return actual;
    const position = this.nextPosition;
    if (!stream) {
      // A copy of the first batch, exactly its size: pushing would grow the list step by step,
      // leaving the garbage of each step and up to half again the room it needs.
      this.streams.set(streamId, (stream = new Stream(streamId, events.slice())));
    } else if (stream.events.length === 0) {
      // A listed stream's first events: its empty list is the shared frozen one, and a frozen
      // array's concat takes V8's slow path (0.2 µs against 0.02 for a copy, measured).
      stream.events = events.slice();
    } else if (stream.events.length < EXACT_BELOW) {
      // A short stream grows by exact copies: a push grows the list by half again plus 16
      // slots, mostly empty room kept for as long as the stream (a parked execution's five
      // events and its sixth took a list of 23 slots, 136 bytes more than it needs).
      stream.events = stream.events.concat(events);
    } else {
      for (let i = 0; i < events.length; i++) stream.events.push(events[i]!);
    }
    this.nextPosition += events.length;
    const last = this.order.length - 1;
    // Not an entry index() has read: its count is already accounted in positions.
    if (last >= this.indexed && this.order[last] === stream) this.counts[last]! += events.length;
    else {
      this.order.push(stream);
      this.counts.push(events.length);
    }
    if (this.fanout.observed) this.fanout.publish(storedEvents(streamId, events, actual, position));
    return stream.events.length;
  }

  /** The stream itself, for its writer to hand back to appendSync: opaque to it. */
  streamHandle(streamId: string): object | undefined {
    return this.streams.get(streamId);
  }

  /** A revision mismatch is fine when it is the retry of an append that went through. */
  private retried(streamId: string, stream: Stream | undefined, events: readonly HistoryEvent[], expected: number, actual: number): number {
    const end = expected + events.length;
    if (stream && events.length > 0 && Number.isInteger(expected) && expected >= 0 && end <= actual) {
      let same = true;
      for (let i = 0; i < events.length && same; i++) same = isSameEvent(stream.events[expected + i]!, events[i]!);
      if (same) return end;
    }
    throw new WrongExpectedRevisionError(streamId, expected, actual);
  }

  /** See {@link EventStore.holdsSync}. */
  holdsSync(streamId: string): boolean {
    return this.streams.has(streamId);
  }

  /**
   * The stream's events as they are kept: the live list, not a copy (the journal of an
   * execution on this store reads its events here instead of keeping them twice).
   */
  liveEvents(streamId: string): readonly HistoryEvent[] {
    return this.streams.get(streamId)?.events ?? NO_EVENTS;
  }

  /** Brings the position index up to date with the appends recorded since it last ran. */
  private index(): void {
    for (; this.indexed < this.order.length; this.indexed++) {
      const stream = this.order[this.indexed]!;
      const count = this.counts[this.indexed]!;
      const own = (stream.index ??= emptyIndex());
      this.starts.push(own.revision);
      this.positions.push(this.indexedPosition);
      own.starts.push(own.revision);
      own.positions.push(this.indexedPosition);
      own.revision += count;
      this.indexedPosition += count;
    }
  }

  async read(streamId: string, options?: ReadOptions): Promise<HistoryEvent[]> {
    if (this.closed) throw closedError();
    const events = this.streams.get(streamId)?.events ?? [];
    const { first, count, step } = readRange(events.length, options);
    if (step === 1) return events.slice(first, first + count);
    const out = new Array<HistoryEvent>(count);
    for (let i = 0; i < count; i++) out[i] = events[first - i]!;
    return out;
  }

  async revision(streamId: string): Promise<number> {
    if (this.closed) throw closedError();
    return this.streams.get(streamId)?.events.length ?? 0;
  }

  async putMetadata(metadata: ExecutionMetadata): Promise<void> {
    this.putMetadataSync(metadata);
  }

  /** See {@link EventStore.putMetadataSync}. */
  putMetadataSync(metadata: ExecutionMetadata): void {
    if (this.closed) throw closedError();
    let stream = this.streams.get(metadata.executionArn);
    if (!stream) this.streams.set(metadata.executionArn, (stream = new Stream(metadata.executionArn, NO_EVENTS as HistoryEvent[])));
    stream.setListing(metadata);
  }

  async getMetadata(executionArn: string): Promise<ExecutionMetadata | undefined> {
    if (this.closed) throw closedError();
    const stream = this.streams.get(executionArn);
    return stream?.listed ? listingOf(stream) : undefined;
  }

  async list(filter?: ListFilter): Promise<ExecutionPage> {
    if (this.closed) throw closedError();
    return pageOf(listings(this.streams.values()), filter);
  }

  subscribe(streamId: string, options: SubscribeOptions = {}): Observable<StoredStreamEvent> {
    return catchUpThenLive(this.fanout, {
      from: options.fromRevision ?? 0,
      head: () => this.streams.get(streamId)?.events.length ?? 0,
      seqOf: (e) => e.revision,
      accepts: (e) => e.streamId === streamId,
      readFrom: (next) => {
        const stream = this.streams.get(streamId);
        if (!stream) return [];
        this.index();
        const out: StoredStreamEvent[] = [];
        const { starts, positions } = stream.index ?? NOT_INDEXED;
        let k = Math.max(lastAtOrBefore(starts, next, (r) => r), 0);
        for (let revision = next; revision < stream.events.length && out.length < CATCH_UP_CHUNK; revision++) {
          while (k + 1 < starts.length && starts[k + 1]! <= revision) k++;
          const position = positions[k]! + revision - starts[k]!;
          out.push({ streamId, revision, position, event: stream.events[revision]! });
        }
        return out;
      },
    });
  }

  subscribeAll(options: SubscribeAllOptions = {}): Observable<StoredStreamEvent> {
    return catchUpThenLive(this.fanout, {
      from: options.fromPosition ?? 0,
      head: () => this.nextPosition,
      seqOf: (e) => e.position,
      accepts: () => true,
      readFrom: (next) => {
        this.index();
        const out: StoredStreamEvent[] = [];
        for (let k = Math.max(lastAtOrBefore(this.positions, next, (p) => p), 0); k < this.order.length && out.length < CATCH_UP_CHUNK; k++) {
          const stream = this.order[k]!;
          for (let i = Math.max(next - this.positions[k]!, 0); i < this.counts[k]!; i++) {
            const revision = this.starts[k]! + i;
            out.push({ streamId: stream.id, revision, position: this.positions[k]! + i, event: stream.events[revision]! });
          }
        }
        return out;
      },
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.fanout.complete();
  }
}

/** A listing as a plain object: only the members that are set, in ExecutionMetadata's order. */
function listingOf(s: Stream): ExecutionMetadata {
  const m: ExecutionMetadata = { executionArn: s.id, stateMachineArn: s.stateMachineArn, name: s.name, status: s.status, startDate: s.startDate };
  if (s.stopDate !== undefined) m.stopDate = s.stopDate;
  if (s.extra !== undefined) m.extra = s.extra;
  return m;
}

/*
 * The listing shapes made once with times that are not numbers, before any other: V8 then keeps
 * startDate and stopDate as references in every object literal of these members in this order,
 * wherever it is written (the runtime's listings are; V8 shares the shapes of literals with the
 * same members). A stream listed from such a literal then shares the number its execution's
 * journal holds, where a member that has only held numbers is read out into a new 16-byte box.
 */
// Each written out: a literal's shape depends on its member count, which a spread would not give.
const WARMED_LISTING_SHAPES: readonly ExecutionMetadata[] = [
  { executionArn: '', stateMachineArn: '', name: '', status: 'RUNNING', startDate: NOT_A_TIME },
  { executionArn: '', stateMachineArn: '', name: '', status: 'RUNNING', startDate: NOT_A_TIME, extra: null },
  { executionArn: '', stateMachineArn: '', name: '', status: 'RUNNING', startDate: NOT_A_TIME, stopDate: NOT_A_TIME },
  { executionArn: '', stateMachineArn: '', name: '', status: 'RUNNING', startDate: NOT_A_TIME, stopDate: NOT_A_TIME, extra: null },
];

function* listings(streams: Iterable<Stream>): Iterable<ExecutionMetadata> {
  for (const stream of streams) if (stream.listed) yield stream;
}

function closedError(): StepwiseError {
  return new StepwiseError(StoreErrorCodes.unavailable, 'The event store is closed.');
}

/** A store that keeps everything in process memory. */
export function createMemoryEventStore(): MemoryEventStore {
  return new MemoryEventStore();
}
