import { Observable } from '../observe/rx.js';
import type { HistoryEvent } from '../execution/history-event.js';
import type { StoredStreamEvent } from './event-store.js';

interface Sink {
  push(events: readonly StoredStreamEvent[]): void;
  complete(): void;
}

/**
 * Hands committed events to the live subscriptions. Publishing queues rather than recursing,
 * so a subscriber that appends from inside `next` cannot make others see its events before
 * the ones being delivered.
 */
export class EventFanout {
  private readonly sinks = new Set<Sink>();
  private readonly queue: (readonly StoredStreamEvent[])[] = [];
  private draining = false;
  private closed = false;

  /** Whether anyone listens: stores skip building delivery objects when no one does. */
  get observed(): boolean {
    return this.sinks.size > 0;
  }

  publish(events: readonly StoredStreamEvent[]): void {
    if (this.closed || events.length === 0) return;
    this.queue.push(events);
    if (this.draining) return;
    this.draining = true;
    try {
      for (let i = 0; i < this.queue.length; i++) {
        for (const sink of this.sinks) sink.push(this.queue[i]!);
      }
    } finally {
      this.queue.length = 0;
      this.draining = false;
    }
  }

  complete(): void {
    if (this.closed) return;
    this.closed = true;
    for (const sink of [...this.sinks]) sink.complete();
    this.sinks.clear();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  add(sink: Sink): void {
    if (this.closed) sink.complete();
    else this.sinks.add(sink);
  }

  delete(sink: Sink): void {
    this.sinks.delete(sink);
  }
}

export interface CatchUpSpec {
  /** Where to start: a sequence number (revision or position) or `'end'`. */
  from: number | 'end';
  /** The sequence number the next committed event will get: where catch-up ends and `'end'` starts. */
  head(): number;
  /** The event's sequence number in this subscription's order. */
  seqOf(event: StoredStreamEvent): number;
  /** Whether a live event belongs to this subscription. */
  accepts(event: StoredStreamEvent): boolean;
  /** Some stored events from `next` on, in order; none once caught up. */
  readFrom(next: number): Promise<StoredStreamEvent[]> | StoredStreamEvent[];
}

/**
 * Catch-up then live. The live side is joined before the first read, so whatever is committed
 * while the reads run is held back; it is then delivered minus what the reads already gave,
 * by sequence number. Stores make an event readable and publish it in one synchronous step,
 * so every event is either read or held, never neither.
 */
export function catchUpThenLive(fanout: EventFanout, spec: CatchUpSpec): Observable<StoredStreamEvent> {
  return new Observable<StoredStreamEvent>((subscriber) => {
    let next = spec.from === 'end' ? spec.head() : spec.from;
    let live = false;
    let stopped = false;
    let delivering = false;
    const held: StoredStreamEvent[] = [];

    const deliver = (): void => {
      if (!live || delivering) return;
      delivering = true;
      try {
        // `held` may grow while we deliver (a subscriber appending); the loop takes those too.
        for (let i = 0; i < held.length && !stopped; i++) {
          const event = held[i]!;
          const seq = spec.seqOf(event);
          if (seq < next) continue;
          next = seq + 1;
          subscriber.next(event);
        }
      } finally {
        held.length = 0;
        delivering = false;
      }
    };

    const sink: Sink = {
      push(events) {
        for (const e of events) if (spec.accepts(e)) held.push(e);
        deliver();
      },
      complete() {
        stopped = true;
        subscriber.complete();
      },
    };
    fanout.add(sink);

    if (spec.from === 'end') {
      live = true;
    } else {
      void (async () => {
        try {
          // Up to the head, read; past it, only a store that repeats itself would answer.
          while (!stopped && next < spec.head()) {
            const chunk = await spec.readFrom(next);
            if (stopped) return;
            const before = next;
            for (const event of chunk) {
              const seq = spec.seqOf(event);
              if (seq < next) continue;
              next = seq + 1;
              subscriber.next(event);
              if (stopped) return;
            }
            // A chunk with nothing new is the end too: asking again would get it again, for ever.
            if (next === before) break;
          }
          if (stopped) return;
          live = true;
          deliver();
        } catch (err) {
          if (!stopped) subscriber.error(err);
        }
      })();
    }

    return () => {
      stopped = true;
      fanout.delete(sink);
    };
  });
}

/** The delivery form of one appended batch. */
export function storedEvents(streamId: string, events: readonly HistoryEvent[], startRevision: number, position: number): StoredStreamEvent[] {
  const out = new Array<StoredStreamEvent>(events.length);
  for (let i = 0; i < events.length; i++) out[i] = { streamId, revision: startRevision + i, position: position + i, event: events[i]! };
  return out;
}
