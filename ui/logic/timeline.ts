import { ExecutionStateFold, type ExecutionState, type ExecutionStateIdentity } from '../../src/execution/execution-state.js';
import type { HistoryEvent } from '../../src/execution/history-event.js';

/** How a state looks on the graph at one moment of the history. */
export type StateStatus = 'notReached' | 'running' | 'succeeded' | 'failed' | 'caught' | 'aborted';

/** A state's story up to one event, over all its entries (a state in a Map is entered once per item). */
export interface StateTally {
  status: StateStatus;
  running: number;
  entered: number;
  succeeded: number;
  caught: number;
  failed: number;
  aborted: number;
  /** Failures that were retried. */
  retries: number;
}

type Op = 'enter' | 'resume' | 'error' | 'retry' | 'exit' | 'end';
interface Delta {
  name: string;
  op: Op;
  /** The id of the event that entered this state entry. */
  entry: number;
  /** The Map iteration (`mapEnteredEventId:index`) the state entry belongs to, if any. */
  iteration?: string;
}

const FAILURES = new Set([
  'TaskFailed', 'TaskTimedOut', 'TaskStartFailed', 'TaskSubmitFailed',
  'LambdaFunctionFailed', 'LambdaFunctionTimedOut', 'LambdaFunctionScheduleFailed', 'LambdaFunctionStartFailed',
  'ParallelStateFailed', 'MapStateFailed', 'MapRunFailed', 'EvaluationFailed',
]);
const END_STATUS: Record<string, ExecutionState['status']> = {
  ExecutionSucceeded: 'SUCCEEDED', ExecutionFailed: 'FAILED', ExecutionTimedOut: 'TIMED_OUT', ExecutionAborted: 'ABORTED',
};
const RETRIES = new Set(['TaskScheduled', 'LambdaFunctionScheduled', 'ParallelStateStarted', 'MapStateStarted']);

/** Per-name tallies, plus what is known about the entries still open (a state in a Map has many at once). */
class Tracker {
  readonly tallies = new Map<string, StateTally>();
  /** Open entries that have failed so far (by entered event id). */
  private failing = new Set<number>();
  /** Attempts of open entries that have scheduled work. */
  private attempts = new Map<number, number>();

  apply(d: Delta): void {
    let t = this.tallies.get(d.name);
    if (!t) {
      t = { status: 'notReached', running: 0, entered: 0, succeeded: 0, caught: 0, failed: 0, aborted: 0, retries: 0 };
      this.tallies.set(d.name, t);
    }
    switch (d.op) {
      case 'enter':
        t.entered++;
        t.running++;
        t.status = 'running';
        return;
      case 'resume':
        // A redrive picked the entry up again (it is not entered anew): it runs, still one entry.
        t.running++;
        t.status = 'running';
        return;
      case 'error':
        this.failing.add(d.entry);
        return;
      case 'retry': {
        // The first Scheduled/Started of an entry is its first attempt, later ones are retries.
        const n = this.attempts.get(d.entry) ?? 0;
        this.attempts.set(d.entry, n + 1);
        if (n > 0) {
          t.retries++;
          this.failing.delete(d.entry);
        }
        return;
      }
      case 'exit':
      case 'end': {
        const failed = this.failing.delete(d.entry);
        this.attempts.delete(d.entry);
        t.running = Math.max(0, t.running - 1);
        const outcome = d.op === 'exit' ? (failed ? 'caught' : 'succeeded') : failed ? 'failed' : 'aborted';
        t[outcome]++;
        t.status = t.running > 0 ? 'running' : outcome;
        return;
      }
    }
  }

  copy(): Tracker {
    const c = new Tracker();
    for (const [k, v] of this.tallies) c.tallies.set(k, { ...v });
    c.failing = new Set(this.failing);
    c.attempts = new Map(this.attempts);
    return c;
  }
}

const NO_DELTAS: Delta[] = [];

/** Events between two saved trackers: scrubbing replays at most this many. */
const CHECKPOINT_EVERY = 512;

/**
 * An execution's history prepared for scrubbing. Built once in one pass (and extended as live
 * events arrive) with the runtime's own fold attributing each event to its state; from then on
 * the graph's colours at any event cost at most {@link CHECKPOINT_EVERY} steps from a saved
 * tracker, and the full state (inputs, context object, variables) is folded forwards from the
 * last position asked for, from the start only when going backwards.
 */
export class Timeline {
  readonly events: HistoryEvent[] = [];
  private readonly attribution = new ExecutionStateFold();
  private readonly deltas: Delta[][] = [];
  private readonly iterationAt: (string | undefined)[] = [];
  private readonly iterationOfEntry = new Map<number, string | undefined>();
  private readonly checkpoints: Tracker[] = [new Tracker()];
  private readonly tracker = new Tracker();
  private pending: Delta[] = [];
  private cursor: { fold: ExecutionStateFold; next: number } | undefined;
  private lastState: { upTo: number; state: ExecutionState } | undefined;

  constructor(events: readonly HistoryEvent[] = [], private readonly identity?: ExecutionStateIdentity) {
    this.attribution.onStateEnded((name, enteredEventId, exited) => {
      this.pending.push({ name, op: exited ? 'exit' : 'end', entry: enteredEventId, iteration: this.iterationOfEntry.get(enteredEventId) });
    });
    this.attribution.onStatePickedUp((name, enteredEventId) => {
      const iteration = this.iterationOfEntry.get(enteredEventId);
      this.pending.push({ name, op: 'resume', entry: enteredEventId, iteration });
      // A Fail state picked up fails again, as when it was entered.
      if (this.events[this.indexOfId(enteredEventId)]?.type === 'FailStateEntered') this.pending.push({ name, op: 'error', entry: enteredEventId, iteration });
    });
    this.append(events);
  }

  get length(): number {
    return this.events.length;
  }

  /** Adds events that follow the ones already here (a live execution); older ids are ignored. */
  append(events: readonly HistoryEvent[]): void {
    for (const e of events) {
      const last = this.events[this.events.length - 1];
      if (last && e.id <= last.id) continue;
      this.events.push(e);
      if (this.pending.length > 0) this.pending = [];
      this.attribution.apply(e);
      const name = this.attribution.stateNameOf(e.id);
      const entry = this.attribution.stateEntryOf(e.id);
      const iteration = keyOf(this.attribution.iterationOf(e.id));
      this.iterationAt.push(iteration);
      const own: Delta[] = [];
      if (name !== undefined && entry !== undefined) {
        if (e.type.endsWith('StateEntered')) {
          this.iterationOfEntry.set(e.id, iteration);
          own.push({ name, op: 'enter', entry, iteration });
          if (e.type === 'FailStateEntered') own.push({ name, op: 'error', entry, iteration });
        } else if (FAILURES.has(e.type)) own.push({ name, op: 'error', entry, iteration: this.iterationOfEntry.get(entry) });
        else if (RETRIES.has(e.type)) own.push({ name, op: 'retry', entry, iteration: this.iterationOfEntry.get(entry) });
      }
      // Entries that ended with this event (recorded by the fold's listener) come after its own step.
      const all = this.pending.length === 0 ? (own.length === 0 ? NO_DELTAS : own) : own.concat(this.pending);
      this.deltas.push(all);
      for (const d of all) this.tracker.apply(d);
      if (this.events.length % CHECKPOINT_EVERY === 0) this.checkpoints.push(this.tracker.copy());
    }
  }

  /** The execution's status after its last event, without folding. */
  get status(): ExecutionState['status'] {
    for (let i = this.events.length - 1; i >= 0; i--) {
      const type = this.events[i]!.type;
      if (type in END_STATUS) return END_STATUS[type]!;
      if (type === 'ExecutionRedriven' || type === 'ExecutionStarted') return 'RUNNING';
    }
    return 'RUNNING';
  }

  /** Index of the event with this id (ids are consecutive from 1 in a stored history). */
  indexOfId(id: number): number {
    const guess = id - (this.events[0]?.id ?? 1);
    if (this.events[guess]?.id === id) return guess;
    return this.events.findIndex((e) => e.id === id);
  }

  /** Each state's tally after the event at `index` (inclusive). */
  statusesAt(index: number): Map<string, StateTally> {
    const upTo = clampIndex(index, this.events.length);
    const base = Math.floor((upTo + 1) / CHECKPOINT_EVERY);
    const t = this.checkpoints[Math.min(base, this.checkpoints.length - 1)]!.copy();
    for (let i = Math.min(base, this.checkpoints.length - 1) * CHECKPOINT_EVERY; i <= upTo; i++) for (const d of this.deltas[i]!) t.apply(d);
    return t.tallies;
  }

  /** Like {@link statusesAt}, counting only the states of one Map iteration (`mapEnteredEventId:index`). */
  statusesInIteration(index: number, iteration: string): Map<string, StateTally> {
    const t = new Tracker();
    const upTo = clampIndex(index, this.events.length);
    for (let i = 0; i <= upTo; i++) for (const d of this.deltas[i]!) if (d.iteration === iteration) t.apply(d);
    return t.tallies;
  }

  /** The name of the state the event at `index` belongs to. */
  stateNameAt(index: number): string | undefined {
    const e = this.events[index];
    return e ? this.attribution.stateNameOf(e.id) : undefined;
  }

  /** Indexes of the events of one Map iteration, in order. */
  eventsOfIteration(iteration: string): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.iterationAt.length; i++) if (this.iterationAt[i] === iteration) out.push(i);
    return out;
  }

  /** The execution's full state after the event at `index`: the runtime's fold, moved forwards when it can be. */
  stateAt(index: number): ExecutionState {
    const upTo = clampIndex(index, this.events.length);
    if (this.lastState?.upTo === upTo) return this.lastState.state;
    if (!this.cursor || this.cursor.next > upTo + 1) this.cursor = { fold: new ExecutionStateFold(), next: 0 };
    const c = this.cursor;
    while (c.next <= upTo) c.fold.apply(this.events[c.next++]!);
    const state = c.fold.snapshot(this.identity);
    this.lastState = { upTo, state };
    return state;
  }

  /**
   * The latest entry of state `name` up to `index` (in `iteration` when given): the event that
   * entered it, the one that exited it and the last failure in between.
   */
  entryOf(name: string, index: number, iteration?: string): { entered?: HistoryEvent; exited?: HistoryEvent; failure?: HistoryEvent } {
    const upTo = clampIndex(index, this.events.length);
    const found: { entered?: HistoryEvent; exited?: HistoryEvent; failure?: HistoryEvent } = {};
    for (let i = upTo; i >= 0; i--) {
      if (iteration !== undefined && this.iterationAt[i] !== iteration) continue;
      const e = this.events[i]!;
      if (this.attribution.stateNameOf(e.id) !== name) continue;
      if (e.type.endsWith('StateEntered')) {
        found.entered = e;
        break;
      }
      if (e.type.endsWith('StateExited')) found.exited ??= e;
      else if (FAILURES.has(e.type)) found.failure ??= e;
    }
    return found;
  }
}

function keyOf(it: { mapEnteredEventId: number; index: number } | undefined): string | undefined {
  return it ? `${it.mapEnteredEventId}:${it.index}` : undefined;
}

function clampIndex(index: number, length: number): number {
  return Math.max(-1, Math.min(Math.floor(index), length - 1));
}
