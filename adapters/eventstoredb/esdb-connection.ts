/**
 * The narrow slice of an EventStoreDB client that the store uses. Only `official-client.ts`
 * implements it with the official package; the store and its unit tests see nothing else, so
 * the client can be swapped (for `@kurrent/kurrentdb-client`, which speaks the same gRPC
 * protocol) by writing one file.
 *
 * Revisions here are EventStoreDB's: the 0-based number of an event in its stream.
 */

/** An event to append: `id` is a UUID; appending the same ids again at the same place is a no-op. */
export interface EsdbEventData {
  id: string;
  type: string;
  data: unknown;
}

export interface EsdbRecordedEvent {
  stream: string;
  id: string;
  type: string;
  revision: number;
  /** Where the event sits in `$all` (its prepare position). */
  position: number;
  data: unknown;
}

/** What the stream's last event must be: `'no_stream'` when it must not exist yet. */
export type EsdbExpected = number | 'no_stream' | 'any';

export interface EsdbReadOptions {
  direction: 'forwards' | 'backwards';
  /** Revision to start at (inclusive), or `'start'` / `'end'`. */
  from: number | 'start' | 'end';
  maxCount?: number;
}

export interface EsdbSubscriptionHandlers {
  event(event: EsdbRecordedEvent): void;
  error(error: unknown): void;
}

export type Unsubscribe = () => void;

export interface EsdbConnection {
  /** Resolves to the stream's last revision after the append. */
  append(stream: string, events: EsdbEventData[], expected: EsdbExpected): Promise<number>;
  /** An absent stream reads as empty. */
  read(stream: string, options: EsdbReadOptions): Promise<EsdbRecordedEvent[]>;
  /** Catch-up then live, from the event after revision `after` (`'start'`: all, `'end'`: new only). */
  subscribeToStream(stream: string, after: number | 'start' | 'end', handlers: EsdbSubscriptionHandlers): Unsubscribe;
  /** Catch-up then live over `$all`, streams named with one of `prefixes` only, after position `after`. */
  subscribeToAll(after: number | 'start' | 'end', prefixes: string[], handlers: EsdbSubscriptionHandlers): Unsubscribe;
  close(): Promise<void>;
}

/** Failures the store tells apart; the connection translates the client's errors into these. */
export type EsdbFailureKind = 'wrong-expected-version' | 'stream-deleted' | 'too-large' | 'unavailable' | 'other';

export class EsdbFailure extends Error {
  constructor(
    readonly kind: EsdbFailureKind,
    message: string,
    /** For `wrong-expected-version`: the stream's last revision, or -1 when it does not exist. */
    readonly actualRevision?: number,
    readonly original?: unknown,
  ) {
    super(message);
    this.name = 'EsdbFailure';
  }
}

export function isEsdbFailure(value: unknown, kind?: EsdbFailureKind): value is EsdbFailure {
  return value instanceof EsdbFailure && (kind === undefined || value.kind === kind);
}
