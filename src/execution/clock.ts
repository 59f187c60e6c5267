/**
 * Time as an execution sees it. The real clock waits; the virtual clock jumps straight to the
 * next due time once nothing else is in flight, so Waits, retry intervals and timeouts finish
 * at once while the history still shows the timestamps AWS would.
 */
export interface Clock {
  readonly virtual: boolean;
  now(): number;
  /** Calls `fire` at `dueAt` (epoch ms). Returns a cancel function. */
  schedule(dueAt: number, fire: () => void): () => void;
}

export class RealClock implements Clock {
  readonly virtual = false;
  now(): number {
    return Date.now();
  }
  schedule(dueAt: number, fire: () => void): () => void {
    // setTimeout's limit is 2^31-1 ms; longer waits re-arm in steps.
    const MAX = 2_147_483_647;
    let handle: NodeJS.Timeout;
    const arm = () => {
      const delay = dueAt - Date.now();
      if (delay > MAX) handle = setTimeout(arm, MAX);
      else handle = setTimeout(fire, Math.max(0, delay));
    };
    arm();
    return () => clearTimeout(handle);
  }
}

interface PendingTimer {
  dueAt: number;
  seq: number;
  fire: () => void;
  /** Fired or cancelled: left in the queue until it comes up, then dropped. */
  done: boolean;
  /** While outside work holds the clock: the real time (epoch ms) the timer fires at. */
  realDueAt?: number;
}

export class VirtualClock implements Clock {
  readonly virtual = true;
  private current: number;
  private seq = 0;
  /** A binary min-heap by (dueAt, seq): ten thousand parked Waits must not cost a scan per jump. */
  private readonly queue: PendingTimer[] = [];
  private pending = 0;
  private busy = 0;
  private draining = false;
  /** While outside work holds the clock: the real timeout armed for the next timer. */
  private realTimeout: NodeJS.Timeout | undefined;

  constructor(start: number = Date.now()) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  schedule(dueAt: number, fire: () => void): () => void {
    const timer: PendingTimer = { dueAt, seq: this.seq++, fire, done: false };
    pushTimer(this.queue, timer);
    this.pending++;
    this.kick();
    return () => {
      if (timer.done) return;
      timer.done = true;
      timer.fire = noop; // what it would have run is free to go before the timer leaves the queue
      this.pending--;
    };
  }

  /**
   * Work outside the clock (a task handler) stops the jumps until it settles. Meanwhile each
   * timer waits its own length in real time, from when it was set or the hold began: a timer
   * never overtakes a handler that answers sooner than the timer would fire on AWS, and a
   * handler that never answers still meets its Task's TimeoutSeconds. Time itself stays where
   * it was until a timer fires, so histories keep exact, repeatable timestamps.
   */
  hold(): () => void {
    // No kick: with nothing held no timer is left waiting, and a kick already queued sees the hold.
    this.busy++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.busy === 0) for (const t of this.queue) t.realDueAt = undefined;
      this.kick();
    };
  }

  private kick(): void {
    if (this.draining) return;
    this.draining = true;
    // Let synchronous work and already-settled promises run first, so that time only moves
    // when every execution is waiting on the clock.
    setImmediate(() => {
      this.draining = false;
      this.clearRealTimeout();
      // Cancelled timers (a Task's timeout, once the Task is answered) wait for their turn to
      // be dropped; when they outnumber the live ones, they go at once.
      if (this.queue.length > 2 * this.pending + 16) compact(this.queue);
      while (this.queue.length > 0 && this.queue[0]!.done) popTimer(this.queue);
      if (this.queue.length === 0) return;
      if (this.busy === 0) return this.fire(popTimer(this.queue));
      this.armRealTimeout();
    });
  }

  /** Held: the timer due first in real time fires when that time comes (a scan; holds with many timers are rare). */
  private armRealTimeout(): void {
    const realNow = Date.now();
    let next: PendingTimer | undefined;
    for (const t of this.queue) {
      if (t.done) continue;
      t.realDueAt ??= realNow + Math.max(0, t.dueAt - this.current);
      if (next === undefined || t.realDueAt < next.realDueAt! || (t.realDueAt === next.realDueAt && t.seq < next.seq)) next = t;
    }
    const wait = next!.realDueAt! - realNow;
    if (wait <= 0) return this.fire(next!);
    // setTimeout's limit is 2^31-1 ms; a longer wait looks again after that long.
    this.realTimeout = setTimeout(() => {
      this.realTimeout = undefined;
      this.kick();
    }, Math.min(wait, 2_147_483_647));
  }

  private fire(timer: PendingTimer): void {
    timer.done = true;
    this.pending--;
    if (timer.dueAt > this.current) this.current = timer.dueAt;
    timer.fire();
    this.kick();
  }

  private clearRealTimeout(): void {
    if (this.realTimeout === undefined) return;
    clearTimeout(this.realTimeout);
    this.realTimeout = undefined;
  }
}

const noop = () => {};

const before = (a: PendingTimer, b: PendingTimer) => a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.seq < b.seq);

function pushTimer(heap: PendingTimer[], timer: PendingTimer): void {
  let i = heap.push(timer) - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i]!, heap[parent]!)) break;
    [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
    i = parent;
  }
}

function popTimer(heap: PendingTimer[]): PendingTimer {
  const top = heap[0]!;
  const last = heap.pop()!;
  if (heap.length === 0) return top;
  heap[0] = last;
  for (let i = 0; ;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let least = i;
    if (l < heap.length && before(heap[l]!, heap[least]!)) least = l;
    if (r < heap.length && before(heap[r]!, heap[least]!)) least = r;
    if (least === i) return top;
    [heap[i], heap[least]] = [heap[least]!, heap[i]!];
    i = least;
  }
}

/** Drops fired and cancelled timers; a sorted array is a heap. */
function compact(heap: PendingTimer[]): void {
  const live = heap.filter((t) => !t.done).sort((a, b) => (before(a, b) ? -1 : 1));
  heap.length = live.length;
  for (let i = 0; i < live.length; i++) heap[i] = live[i]!;
}
