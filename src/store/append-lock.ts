import { closeSync, existsSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { StepwiseError } from '../errors/stepwise-error.js';
import { StoreErrorCodes } from './event-store.js';

/** Tokens of the lock files this process holds, so a same-pid lock of ours reads as alive. */
const heldTokens = new Set<string>();
/** Locks kept between uses, removed if the process exits before it lets them go. */
const keptLocks = new Set<AppendLock>();
let exitHookInstalled = false;

const FIRST_BACKOFF_MS = 1;
const MAX_BACKOFF_MS = 25;
const YIELD_MS = 2 * MAX_BACKOFF_MS;

/**
 * A lock file shared by every process (and every store instance) writing one directory. It is
 * held only around one append group, so it is never held for long; a holder that was killed
 * leaves the file behind, and a waiter takes it over once the holder's pid is gone. Node has no
 * flock(), and an exclusive create is atomic on every local file system.
 *
 * Creating and deleting the file costs a directory update that the next disk sync must also
 * commit (about a quarter of a millisecond per group here), so a holder keeps it until the turn
 * of the event loop after its last use: back-to-back groups (one execution after another) take
 * it once. A waiter says so by writing `<path>.wanted`; a holder that finds that file lets go at
 * once, and leaves it to the waiter for a while rather than take it straight back, so a busy
 * process cannot keep others out.
 */
export class AppendLock {
  private token: string | undefined;
  /** Held and in use; with a token but not busy, the lock is kept for the next use. */
  private busy = false;
  private letGo: NodeJS.Immediate | undefined;
  /** When this instance last let go because someone announced a wait. */
  private yieldedAt = -Infinity;
  private readonly wantedPath: string;

  constructor(
    readonly path: string,
    private readonly timeoutMs = 30_000,
  ) {
    this.wantedPath = `${path}.wanted`;
  }

  /**
   * Resolves true when the lock was kept from this instance's previous use: nobody else can have
   * written since then.
   */
  async acquire(): Promise<boolean> {
    const deadline = Date.now() + this.timeoutMs;
    let backoff = FIRST_BACKOFF_MS;
    let announced = false;
    for (;;) {
      if (this.token !== undefined) {
        if (!this.busy) {
          this.busy = true;
          return true;
        }
      } else if (this.yielding()) {
        // We let go for someone who waits: taking it straight back would starve them.
        if (Date.now() <= deadline) {
          await new Promise((r) => setTimeout(r, FIRST_BACKOFF_MS));
          continue;
        }
      } else if (this.tryCreate()) {
        this.busy = true;
        // Whoever announced a wait has had its turn now, or is gone: a stale announcement would
        // only make every later holder let go at once.
        if (announced || existsSync(this.wantedPath)) removeQuietly(this.wantedPath);
        return false;
      }
      const holder = this.token !== undefined ? undefined : this.readHolder();
      if (holder !== undefined && !isAlive(holder, this.path)) {
        this.takeOver(holder);
        continue;
      }
      if (this.token === undefined) announced = this.announceWait() || announced;
      if (Date.now() > deadline) {
        throw new StepwiseError(
          StoreErrorCodes.unavailable,
          `Could not take the append lock ${this.path} within ${this.timeoutMs} ms: it is held by pid ${holder?.split(' ')[0] ?? '?'}. ` +
            'If no Stepwise process is writing to this store, delete the file.',
        );
      }
      await new Promise((r) => setTimeout(r, backoff));
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  }

  /** Ends a use. The file stays until the next turn of the event loop unless someone waits for it. */
  release(): void {
    if (this.token === undefined || !this.busy) return;
    this.busy = false;
    if (existsSync(this.wantedPath)) {
      this.unlock();
      this.yieldedAt = Date.now();
      return;
    }
    if (!this.letGo) {
      keptLocks.add(this);
      installExitHook();
      this.letGo = setImmediate(() => {
        this.letGo = undefined;
        if (!this.busy) this.unlock();
      });
    }
  }

  /** Lets go of a kept lock now (closing the store). */
  close(): void {
    if (!this.busy) this.unlock();
  }

  /** Deletes the lock file, if this instance holds it. */
  unlock(): void {
    if (this.letGo) clearImmediate(this.letGo);
    this.letGo = undefined;
    keptLocks.delete(this);
    const token = this.token;
    if (token === undefined) return;
    this.token = undefined;
    this.busy = false;
    heldTokens.delete(token);
    try {
      unlinkSync(this.path);
    } catch {
      // already gone (taken over as stale by mistake): nothing left to release
    }
  }

  /**
   * Just let go for a waiter that has not taken the lock yet (its announcement is still there):
   * it polls every 25 ms at most, so it gets that long and a little more.
   */
  private yielding(): boolean {
    return Date.now() - this.yieldedAt < YIELD_MS && existsSync(this.wantedPath);
  }

  /** Tells the holder that someone waits: it then lets go after its current use. */
  private announceWait(): boolean {
    if (existsSync(this.wantedPath)) return false;
    try {
      writeFileSync(this.wantedPath, String(process.pid));
      return true;
    } catch {
      return false; // the directory refuses it: the holder lets go at the next turn anyway
    }
  }

  private tryCreate(): boolean {
    const token = randomBytes(8).toString('hex');
    let fd: number;
    try {
      fd = openSync(this.path, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw new StepwiseError(StoreErrorCodes.unavailable, `Cannot create the append lock ${this.path}: ${(err as Error).message}`, err);
    }
    try {
      writeSync(fd, `${process.pid} ${token}`);
    } finally {
      closeSync(fd);
    }
    this.token = token;
    heldTokens.add(token);
    return true;
  }

  private readHolder(): string | undefined {
    try {
      return readFileSync(this.path, 'utf8');
    } catch {
      return undefined; // released meanwhile, or written but not yet filled: look again
    }
  }

  /**
   * Moves the dead holder's file aside rather than deleting it: if another waiter replaced it
   * with a live lock in the meantime, what was moved is not the dead one and is put back.
   */
  private takeOver(dead: string): void {
    const aside = `${this.path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      renameSync(this.path, aside);
    } catch {
      return; // someone else moved it first
    }
    let moved: string | undefined;
    try {
      moved = readFileSync(aside, 'utf8');
    } catch {
      moved = undefined;
    }
    if (moved !== dead) {
      try {
        linkSync(aside, this.path);
      } catch {
        // a third writer holds it now; the moved lock's owner releases a file that is not there
      }
    }
    try {
      unlinkSync(aside);
    } catch {
      // nothing to clean
    }
  }
}

/** An empty lock file is one being filled; one left empty this long lost its creator. */
const EMPTY_LOCK_GRACE_MS = 2_000;

function isAlive(holder: string, path: string): boolean {
  const [pidText, token] = holder.trim().split(' ');
  const pid = Number(pidText);
  if (holder.trim() === '') {
    try {
      return statSync(path).mtimeMs > Date.now() - EMPTY_LOCK_GRACE_MS;
    } catch {
      return true; // gone meanwhile: look again
    }
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  // A container restarts its process under the same pid: our pid is ours only with our token.
  if (pid === process.pid) return token !== undefined && heldTokens.has(token);
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // another waiter's acquirer removed it first
  }
}

/** A lock kept between uses would outlive a process that exits in the same turn: remove it then. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const lock of [...keptLocks]) lock.unlock();
  });
}
