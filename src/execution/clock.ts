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
  cancelled: boolean;
  /** While outside work holds the clock: the real time (epoch ms) the timer fires at. */
  realDueAt?: number;
}

export class VirtualClock implements Clock {
  readonly virtual = true;
  private current: number;
  private seq = 0;
  private timers: PendingTimer[] = [];
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
    const timer: PendingTimer = { dueAt, seq: this.seq++, fire, cancelled: false };
    this.timers.push(timer);
    this.kick();
    return () => {
      timer.cancelled = true;
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
      if (--this.busy === 0) for (const t of this.timers) t.realDueAt = undefined;
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
      this.timers = this.timers.filter((t) => !t.cancelled);
      if (this.timers.length === 0) return;
      if (this.busy === 0) return this.fire(this.first((t) => t.dueAt));
      const realNow = Date.now();
      for (const t of this.timers) t.realDueAt ??= realNow + Math.max(0, t.dueAt - this.current);
      const next = this.first((t) => t.realDueAt!);
      const wait = next.realDueAt! - realNow;
      if (wait <= 0) return this.fire(next);
      // setTimeout's limit is 2^31-1 ms; a longer wait looks again after that long.
      this.realTimeout = setTimeout(() => {
        this.realTimeout = undefined;
        this.kick();
      }, Math.min(wait, 2_147_483_647));
    });
  }

  /** The timer due first by `dueAt`, the one set first among equals. */
  private first(dueAt: (t: PendingTimer) => number): PendingTimer {
    let next = this.timers[0]!;
    for (const t of this.timers) if (dueAt(t) < dueAt(next) || (dueAt(t) === dueAt(next) && t.seq < next.seq)) next = t;
    return next;
  }

  private fire(timer: PendingTimer): void {
    this.timers.splice(this.timers.indexOf(timer), 1);
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
