import {
  EsdbFailure, type EsdbConnection, type EsdbEventData, type EsdbExpected, type EsdbReadOptions, type EsdbRecordedEvent,
  type EsdbSubscriptionHandlers, type Unsubscribe,
} from '../../../adapters/eventstoredb/esdb-connection.js';

interface FakeStream {
  events: EsdbRecordedEvent[];
  /** Soft delete: events before this revision no longer read, the revision goes on. */
  truncateBefore: number;
  tombstoned: boolean;
}

interface Live {
  stream?: string;
  prefixes?: string[];
  handlers: EsdbSubscriptionHandlers;
  after: number;
  caughtUp: boolean;
  stopped: boolean;
}

/**
 * An in-process stand-in for an EventStoreDB server, behind the adapter's narrow interface,
 * with the server's documented rules: 0-based revisions, `no_stream`, idempotent re-appends of
 * the same event ids at the same place, a MaxAppendSize, positions that are byte offsets (not
 * counts), exclusive subscription starts. Faults can be injected.
 */
export class FakeEsdb implements EsdbConnection {
  readonly streams = new Map<string, FakeStream>();
  private readonly all: EsdbRecordedEvent[] = [];
  private nextPosition = 1000;
  private readonly live = new Set<Live>();
  /** Calls to fail as if the server were unreachable, and reads per stream (to prove what list reads). */
  unavailableCalls = 0;
  /** The next append lands but its acknowledgement is lost (the client sees `unavailable`). */
  loseNextAck = false;
  readonly readsOf = new Map<string, number>();
  appendCalls = 0;
  closed = false;

  constructor(readonly maxAppendSize = 1_048_576) {}

  async append(stream: string, events: EsdbEventData[], expected: EsdbExpected): Promise<number> {
    await this.tick();
    this.appendCalls++;
    const s = this.streams.get(stream);
    if (s?.tombstoned) throw new EsdbFailure('stream-deleted', `Event stream '${stream}' is deleted.`);
    const size = events.reduce((n, e) => n + JSON.stringify(e.data).length + e.type.length + 16, 0);
    if (size > this.maxAppendSize) throw new EsdbFailure('too-large', `Maximum Append Size of ${this.maxAppendSize} Exceeded.`);
    const existing = s?.events ?? [];
    const last = existing.length - 1;
    // Idempotence: the same ids at the expected place (or, with 'any', at the end) are a no-op.
    const at = expected === 'any' ? existing.length - events.length : expected === 'no_stream' ? 0 : expected + 1;
    if (at >= 0 && at + events.length <= existing.length && events.every((e, i) => existing[at + i]!.id === e.id)) return at + events.length - 1;
    if (expected !== 'any' && (expected === 'no_stream' ? last !== -1 : expected !== last)) {
      throw new EsdbFailure('wrong-expected-version', `Wrong expected version: expected ${expected}, actual ${last}.`, last);
    }
    const target = s ?? { events: [], truncateBefore: 0, tombstoned: false };
    this.streams.set(stream, target);
    const written: EsdbRecordedEvent[] = [];
    for (const e of events) {
      const recorded: EsdbRecordedEvent = { stream, id: e.id, type: e.type, revision: target.events.length, position: this.nextPosition, data: structuredClone(e.data) };
      this.nextPosition += 37 + JSON.stringify(e.data).length;
      target.events.push(recorded);
      this.all.push(recorded);
      written.push(recorded);
    }
    queueMicrotask(() => {
      // Until a subscription has caught up, its catch-up read covers these.
      for (const l of this.live) if (l.caughtUp) for (const e of written) this.deliver(l, e);
    });
    if (this.loseNextAck) {
      this.loseNextAck = false;
      throw new EsdbFailure('unavailable', 'connection reset after the write');
    }
    return target.events.length - 1;
  }

  async read(stream: string, options: EsdbReadOptions): Promise<EsdbRecordedEvent[]> {
    await this.tick();
    this.readsOf.set(stream, (this.readsOf.get(stream) ?? 0) + 1);
    const s = this.streams.get(stream);
    if (s?.tombstoned) throw new EsdbFailure('stream-deleted', `Event stream '${stream}' is deleted.`);
    const visible = (s?.events ?? []).filter((e) => e.revision >= (s?.truncateBefore ?? 0));
    const max = options.maxCount ?? Infinity;
    if (options.direction === 'forwards') {
      const from = options.from === 'start' ? 0 : options.from === 'end' ? Infinity : options.from;
      return visible.filter((e) => e.revision >= from).slice(0, max);
    }
    const from = options.from === 'end' || options.from === 'start' ? Infinity : options.from;
    return visible.filter((e) => e.revision <= from).reverse().slice(0, max);
  }

  subscribeToStream(stream: string, after: number | 'start' | 'end', handlers: EsdbSubscriptionHandlers): Unsubscribe {
    return this.subscribe({ stream, handlers, after: -1, caughtUp: false, stopped: false }, after, (e) => e.revision, (e) => e.stream === stream);
  }

  subscribeToAll(after: number | 'start' | 'end', prefixes: string[], handlers: EsdbSubscriptionHandlers): Unsubscribe {
    return this.subscribe({ prefixes, handlers, after: -1, caughtUp: false, stopped: false }, after, (e) => e.position, (e) => prefixes.some((p) => e.stream.startsWith(p)));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const l of this.live) l.stopped = true;
    this.live.clear();
  }

  /** Drops every live subscription as a server restart would. */
  restart(): void {
    for (const l of [...this.live]) {
      l.stopped = true;
      this.live.delete(l);
      l.handlers.error(new EsdbFailure('unavailable', 'server restarting'));
    }
  }

  softDelete(stream: string): void {
    const s = this.streams.get(stream)!;
    s.truncateBefore = s.events.length;
  }

  tombstone(stream: string): void {
    this.streams.get(stream)!.tombstoned = true;
  }

  private subscribe(l: Live, after: number | 'start' | 'end', seqOf: (e: EsdbRecordedEvent) => number, accepts: (e: EsdbRecordedEvent) => boolean): Unsubscribe {
    const seq = (e: EsdbRecordedEvent) => seqOf(e);
    (l as Live & { seq: typeof seq; accepts: typeof accepts }).seq = seq;
    (l as Live & { accepts: typeof accepts }).accepts = accepts;
    l.after = after === 'start' ? -Infinity : after === 'end' ? Infinity : after;
    // As the server does: catch up asynchronously, then go live; what lands meanwhile is delivered once.
    queueMicrotask(() => {
      if (l.stopped) return;
      if (l.after === Infinity) {
        const tail = this.all.filter(accepts).at(-1);
        l.after = tail ? seq(tail) : -Infinity;
      } else {
        for (const e of this.all) if (accepts(e)) this.deliver(l, e);
      }
      l.caughtUp = true;
    });
    this.live.add(l);
    return () => {
      l.stopped = true;
      this.live.delete(l);
    };
  }

  private deliver(l: Live, e: EsdbRecordedEvent): void {
    const ext = l as Live & { seq: (e: EsdbRecordedEvent) => number; accepts: (e: EsdbRecordedEvent) => boolean };
    if (l.stopped || !ext.accepts(e)) return;
    const s = ext.seq(e);
    if (s <= l.after) return;
    l.after = s;
    l.handlers.event(e);
  }

  private async tick(): Promise<void> {
    await Promise.resolve();
    if (this.closed) throw new EsdbFailure('other', 'client disposed');
    if (this.unavailableCalls > 0) {
      this.unavailableCalls--;
      throw new EsdbFailure('unavailable', '14 UNAVAILABLE: No connection established');
    }
  }
}
