import type { Observable } from 'rxjs';
import type { JsonValue } from '../asl/json-value.js';
import { StepwiseError, type StepwiseErrorCode } from '../errors/stepwise-error.js';
import type { HistoryEvent } from '../execution/history-event.js';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

/** What is needed to list an execution; its events live in the stream named by `executionArn`. */
export interface ExecutionMetadata {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  /**
   * Free-form JSON kept with the execution (its definition and input, say). `putMetadata`
   * without `extra` keeps the stored one, so a status update need not resend a large definition.
   * `list` leaves it out: it is read by `getMetadata` only.
   */
  extra?: JsonValue;
}

export interface AppendOptions {
  /**
   * How many events the stream must hold before this append (0: the stream must not exist);
   * `'any'` skips the check.
   */
  expectedRevision: number | 'any';
}

export interface ReadOptions {
  /** `'forwards'` (default) or `'backwards'`. */
  direction?: 'forwards' | 'backwards';
  /**
   * Index of the first event to return. Forwards the default is 0; backwards it is the last
   * event, and the events returned are this one and those before it, newest first.
   */
  fromRevision?: number;
  /** At most this many events. */
  maxCount?: number;
}

export interface ListFilter {
  stateMachineArn?: string;
  status?: ExecutionStatus;
  /** Page size, 1 to 1000. Default 100. */
  maxResults?: number;
  /** The `nextToken` of the previous page. */
  nextToken?: string;
}

/** A page of executions, newest first (by start date, then ARN). */
export interface ExecutionPage {
  items: ExecutionMetadata[];
  /** Present when more items follow; pass it back in {@link ListFilter.nextToken}. */
  nextToken?: string;
}

/** An event as a subscription delivers it. */
export interface StoredStreamEvent {
  streamId: string;
  /** The event's index in its stream: to resume after it, subscribe from `revision + 1`. */
  revision: number;
  /** The event's place in the store's global order: increasing, to resume use `position + 1`. */
  position: number;
  event: HistoryEvent;
}

export interface SubscribeOptions {
  /** Index of the first event to deliver; `'end'` delivers only events appended from now on. Default 0. */
  fromRevision?: number | 'end';
}

export interface SubscribeAllOptions {
  /** Global position of the first event to deliver; `'end'` delivers only new events. Default 0. */
  fromPosition?: number | 'end';
}

/**
 * The contract every store implements (in memory, embedded on disk, EventStoreDB). One
 * execution is one stream, keyed by its execution ARN.
 *
 * - `append` is atomic per call: all of the batch is stored or none. It checks the expected
 *   revision and throws {@link WrongExpectedRevisionError} on a mismatch. A retry of an append
 *   that succeeded (the same events, same expected revision) writes nothing and resolves to the
 *   revision the first attempt returned; with `'any'`, only a retry of the stream's latest
 *   append is recognised as such. Its promise resolves once the batch is durable, to the
 *   stream's revision after it (the number of events it then holds).
 * - `read`, `getMetadata`, `list` and subscriptions see only what is durable.
 * - Subscriptions first replay what is stored from the given point, then go on with events as
 *   they are appended, with no gap and no duplicate between the two, in append order.
 *
 * @example
 * const revision = await store.append(arn, [started], { expectedRevision: 0 });
 * store.subscribe(arn).subscribe(({ event }) => console.log(event.type));
 */
export interface EventStore {
  append(streamId: string, events: readonly HistoryEvent[], options: AppendOptions): Promise<number>;
  read(streamId: string, options?: ReadOptions): Promise<HistoryEvent[]>;
  /** The number of durable events in the stream (0 when it does not exist). */
  revision(streamId: string): Promise<number>;
  /** Creates or replaces an execution's metadata (keeping `extra` when it is left out). */
  putMetadata(metadata: ExecutionMetadata): Promise<void>;
  getMetadata(executionArn: string): Promise<ExecutionMetadata | undefined>;
  list(filter?: ListFilter): Promise<ExecutionPage>;
  /** One stream's events: those stored from `fromRevision`, then the new ones. */
  subscribe(streamId: string, options?: SubscribeOptions): Observable<StoredStreamEvent>;
  /** Every stream's events in global order: those stored from `fromPosition`, then the new ones. */
  subscribeAll(options?: SubscribeAllOptions): Observable<StoredStreamEvent>;
  /** Waits for pending appends, completes subscriptions and releases files. Idempotent. */
  close(): Promise<void>;
  /**
   * True when what is appended and put in one turn of the event loop becomes durable together,
   * or in the order it was asked for (the file store writes it as one group; the memory store
   * at once). The runtime then stores a new definition and the metadata that names it in the
   * same turn; without it, the metadata waits until the definition is stored.
   */
  readonly turnWritesInOrder?: boolean;
  /**
   * Synchronous: whether the store holds events or metadata under this id, as far as this
   * process has read it. Optional, for stores that know without I/O (the in-memory and file
   * stores). The runtime asks it before starting an execution, so that a name already used in
   * the store, by this process or an earlier one, is refused with ExecutionAlreadyExists.
   */
  holdsSync?(streamId: string): boolean;
  /**
   * Synchronous putMetadata, for stores that write without I/O (the in-memory one): the runtime
   * then lists an execution without a promise and its bookkeeping. Throws where putMetadata
   * would reject.
   */
  putMetadataSync?(metadata: ExecutionMetadata): void;
}

/**
 * Whether a stored event is the one an append sends again (a retry). Ids alone are not
 * enough: two runtimes that both believe they drive an execution number their events alike,
 * and one's events must never pass for the other's.
 */
export function isSameEvent(stored: HistoryEvent, sent: HistoryEvent): boolean {
  return stored === sent || (stored.id === sent.id && JSON.stringify(stored) === JSON.stringify(sent));
}

/** An append found the stream at another revision than it expected. */
export class WrongExpectedRevisionError extends StepwiseError {
  readonly isWrongExpectedRevision = true;
  constructor(
    readonly streamId: string,
    readonly expected: number | 'any',
    /** The stream's revision when the append was checked. */
    readonly actual: number,
  ) {
    super('StoreConflict', `Stream '${streamId}': expected revision ${expected}, but it is at revision ${actual}.`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/** True for a {@link WrongExpectedRevisionError}, even one from another copy of the package. */
export function isWrongExpectedRevisionError(value: unknown): value is WrongExpectedRevisionError {
  return typeof value === 'object' && value !== null && (value as { isWrongExpectedRevision?: unknown }).isWrongExpectedRevision === true;
}

/**
 * Codes of store failures that StepwiseErrorCode does not list yet; the double cast goes
 * once that union gains them.
 */
export const StoreErrorCodes = {
  /** The store's files fail their checks: it refuses to open rather than guess. */
  corrupted: 'StoreCorrupted' as StepwiseErrorCode,
  /** The store is closed, locked by another process, or failed a disk write. */
  unavailable: 'StoreUnavailable' as StepwiseErrorCode,
};
