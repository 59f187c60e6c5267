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
}

export class VirtualClock implements Clock {
  readonly virtual = true;
  private current: number;
  private seq = 0;
  private timers: PendingTimer[] = [];
  private busy = 0;
  private draining = false;

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

  /** Work outside the clock (a task handler) holds time still until it settles. */
  hold(): () => void {
    this.busy++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.busy--;
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
      if (this.busy > 0) return;
      this.timers = this.timers.filter((t) => !t.cancelled);
      if (this.timers.length === 0) return;
      let next = this.timers[0]!;
      for (const t of this.timers) if (t.dueAt < next.dueAt || (t.dueAt === next.dueAt && t.seq < next.seq)) next = t;
      this.timers.splice(this.timers.indexOf(next), 1);
      if (next.dueAt > this.current) this.current = next.dueAt;
      next.fire();
      this.kick();
    });
  }
}
