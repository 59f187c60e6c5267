import { nanoid } from 'nanoid';
import { StepwiseError } from '../errors/stepwise-error.js';
import { isWrongExpectedRevisionError, type EventStore } from '../store/event-store.js';
import { leaseDetailsOf, leaseEvent, leaseStreamOf, type LeaseDetails } from '../store/lease-stream.js';

export interface OwnershipOptions {
  /** Names this runtime in the leases it writes. Default: a random id. */
  runtimeId?: string;
  /** How long a lease lasts unless renewed (renewed every third of it). Default 30,000 ms. */
  leaseMs?: number;
  /** How often `start()` looks for executions whose lease ran out. Default half of `leaseMs`. */
  scanMs?: number;
}

interface Held {
  /** The lease stream's revision after our last write: the next write expects it. */
  revision: number;
  expiresAt: number;
}

const DEFAULT_LEASE_MS = 30_000;

/**
 * The leases this runtime holds, one per execution it drives. A lease is claimed and renewed
 * by appending to the execution's lease stream at the revision last seen there, so of two
 * runtimes claiming at once the store lets exactly one through. Lease times are wall-clock
 * milliseconds: runtimes sharing a store need clocks that agree to well within `leaseMs`.
 */
export class ExecutionOwnership {
  readonly runtimeId: string;
  readonly leaseMs: number;
  readonly scanMs: number;
  private readonly held = new Map<string, Held>();
  private readonly renewing = new Set<string>();
  /** The claim or renewal being written, by execution: a release waits for it (see release). */
  private readonly writing = new Map<string, Promise<unknown>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: EventStore,
    options: OwnershipOptions,
    /** Called once per lease lost (taken by another runtime, or run out while the store was unreachable). */
    private readonly onLost: (executionArn: string, why: StepwiseError) => void,
  ) {
    const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    if (!Number.isFinite(leaseMs) || leaseMs < 10) throw new StepwiseError('InvalidArgument', `ownership.leaseMs must be a number of milliseconds from 10, not ${String(options.leaseMs)}.`);
    this.runtimeId = options.runtimeId ?? `runtime-${nanoid(10)}`;
    this.leaseMs = leaseMs;
    this.scanMs = options.scanMs ?? Math.max(5, Math.floor(leaseMs / 2));
  }

  /** Starts renewing held leases. */
  startRenewing(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.renewAll(), Math.max(5, Math.floor(this.leaseMs / 3)));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** True while this runtime holds the execution's lease by its own clock. */
  holds(executionArn: string): boolean {
    const h = this.held.get(executionArn);
    return h !== undefined && Date.now() < h.expiresAt;
  }

  /**
   * Claims the execution unless another runtime holds an unexpired lease on it. Resolves to
   * whether this runtime now holds it.
   */
  async claim(executionArn: string): Promise<boolean> {
    return this.claimUnless(executionArn, false);
  }

  /**
   * Claims an execution found listed RUNNING, unless it is held or its lease says it ended: a
   * listing read a moment ago may be stale, and an execution that ended since needs no owner.
   */
  async claimOrphan(executionArn: string): Promise<boolean> {
    return this.claimUnless(executionArn, true);
  }

  private async claimUnless(executionArn: string, skipEnded: boolean): Promise<boolean> {
    const stream = leaseStreamOf(executionArn);
    const revision = await this.store.revision(stream);
    if (revision > 0) {
      const current = leaseDetailsOf((await this.store.read(stream, { direction: 'backwards', maxCount: 1 }))[0]);
      if (current && current.owner !== this.runtimeId && !current.released && current.expiresAt > Date.now()) return false;
      if (skipEnded && current?.ended) return false;
    }
    return this.write(executionArn, revision, false);
  }

  /**
   * Holds a brand-new execution's lease at once, so that its first appends need not wait; the
   * claim is written meanwhile, and if another runtime got there first the lease is lost.
   */
  claimNew(executionArn: string): Promise<unknown> {
    this.held.set(executionArn, { revision: 0, expiresAt: Date.now() + this.leaseMs });
    this.renewing.add(executionArn);
    return this.track(executionArn, this.write(executionArn, 0, true)
      .catch(() => {
        const h = this.held.get(executionArn);
        if (h && Date.now() >= h.expiresAt) this.lose(executionArn, 'the store did not confirm its lease in time');
      })
      .finally(() => this.renewing.delete(executionArn)));
  }

  private track(executionArn: string, write: Promise<unknown>): Promise<unknown> {
    this.writing.set(executionArn, write);
    const done = () => {
      if (this.writing.get(executionArn) === write) this.writing.delete(executionArn);
    };
    write.then(done, done);
    return write;
  }

  /**
   * Gives the lease up so another runtime may take the execution at once (best effort);
   * `ended` when it is given up because the execution ended.
   */
  async release(executionArn: string, ended = false): Promise<void> {
    const h = this.held.get(executionArn);
    if (!h) return;
    this.held.delete(executionArn);
    const stream = leaseStreamOf(executionArn);
    try {
      // A claim or renewal still being written (a runtime closed right after starting an
      // execution) lands first: the release then follows it, where at the revision known before
      // it would conflict and leave the lease to run out.
      let revision = h.revision;
      const pending = this.writing.get(executionArn);
      if (pending) {
        await pending;
        revision = await this.store.revision(stream);
        const last = leaseDetailsOf((await this.store.read(stream, { direction: 'backwards', maxCount: 1 }))[0]);
        if (!last || last.owner !== this.runtimeId || last.released) return;
      }
      const details: LeaseDetails = { owner: this.runtimeId, expiresAt: Date.now(), released: true };
      if (ended) details.ended = true;
      await this.store.append(stream, [leaseEvent(revision, details, Date.now())], { expectedRevision: revision });
    } catch {
      // Lost or unreachable: the lease then simply runs out.
    }
  }

  /** Gives up every lease held (closing): from this call on, `holds` is false for each. */
  releaseAll(): Promise<void> {
    const all = [...this.held.keys()];
    const writes = all.map((arn) => this.release(arn));
    return Promise.all(writes).then(() => undefined);
  }

  /** Forgets a lease without writing (the execution was given up). */
  forget(executionArn: string): void {
    this.held.delete(executionArn);
  }

  private async write(executionArn: string, revision: number, renewal: boolean): Promise<boolean> {
    const now = Date.now();
    const expiresAt = now + this.leaseMs;
    try {
      await this.store.append(leaseStreamOf(executionArn), [leaseEvent(revision, { owner: this.runtimeId, expiresAt }, now)], { expectedRevision: revision });
    } catch (err) {
      if (!isWrongExpectedRevisionError(err)) throw err;
      if (renewal) this.lose(executionArn, 'another runtime took its lease over');
      return false;
    }
    // A renewal that lands after the lease was given up must not bring it back.
    if (renewal && !this.held.has(executionArn)) return false;
    this.held.set(executionArn, { revision: revision + 1, expiresAt });
    return true;
  }

  private renewAll(): void {
    for (const [arn, h] of this.held) {
      if (this.renewing.has(arn)) {
        // The store has not answered the last renewal: past the lease's end, stop driving.
        if (Date.now() >= h.expiresAt) this.lose(arn, 'its lease ran out before the store confirmed a renewal');
        continue;
      }
      this.renewing.add(arn);
      this.track(arn, this.write(arn, h.revision, true)
        .catch(() => {
          if (this.held.get(arn) === h && Date.now() >= h.expiresAt) this.lose(arn, 'its lease ran out while the store could not be reached');
        })
        .finally(() => this.renewing.delete(arn)));
    }
  }

  private lose(executionArn: string, why: string): void {
    if (!this.held.delete(executionArn)) return;
    this.onLost(executionArn, new StepwiseError('ExecutionLeaseLost', `Runtime '${this.runtimeId}' stopped driving '${executionArn}': ${why}.`));
  }
}
