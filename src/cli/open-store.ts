import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isStepwiseError, StepwiseError } from '../errors/stepwise-error.js';
import type { EventStore } from '../store/event-store.js';
import { DEFAULT_STORE_DIR, openFileEventStore } from '../store/file-store.js';
import { createMemoryEventStore } from '../store/memory-store.js';
import { wholeNumber } from './whole-number.js';

/**
 * `--store memory`, `--store DIR`, `--store esdb://host:2113?tls=false` (EventStoreDB), or the
 * embedded default `.stepwise/` in the working directory. `use: 'existing'`: for commands that
 * act on stored executions, a directory that does not exist is not created.
 */
export async function openStore(option: string | undefined, use: 'create' | 'existing' = 'create'): Promise<EventStore> {
  if (option === 'memory') return createMemoryEventStore();
  if (option !== undefined && /^[a-z][a-z0-9+]*:\/\//i.test(option)) {
    // Loaded only when asked for: the gRPC client is heavy, and src/ holds no network code.
    const { createEventStoreDbStore } = await import('../../adapters/eventstoredb/index.js');
    return createEventStoreDbStore(option);
  }
  const dir = option ?? DEFAULT_STORE_DIR;
  // Commands that read what earlier ones stored do not make a store: a mistyped --store
  // would otherwise be created, directories and all, and read as empty.
  if (use === 'existing' && !existsSync(dir)) {
    if (option !== undefined) throw new StepwiseError('StoreUnavailable', `There is no store at ${dir}: the directory does not exist (run, serve, resume and ui create one).`);
    return createMemoryEventStore(); // nothing has run here yet: an empty store, and no .stepwise/ left behind
  }
  try {
    return await openFileEventStore(dir);
  } catch (e) {
    throw isStepwiseError(e) ? e : new StepwiseError('StoreUnavailable', `Cannot open the store ${dir}: ${whyNotOpened(e, dir)}.`);
  }
}

/** The file system's refusal in words: the store is a directory holding events.log. */
function whyNotOpened(e: unknown, dir: string): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EEXIST' || code === 'ENOTDIR') return `${dir} (or a directory above it) is a file, not a directory`;
  if (code === 'EISDIR') return `${join(dir, 'events.log')} is a directory, not the store's log file`;
  if (code === 'EACCES' || code === 'EPERM') return `permission denied on ${(e as NodeJS.ErrnoException).path ?? dir}`;
  return e instanceof Error ? e.message : String(e);
}

/** `--lease-ms N`: the runtime shares its store with others and drives only what it holds a lease on. */
export function ownershipOption(leaseMs: string | undefined): { leaseMs: number } | undefined {
  if (leaseMs === undefined) return undefined;
  const value = wholeNumber(leaseMs);
  if (!Number.isInteger(value) || value < 100) {
    throw new StepwiseError('InvalidArgument', `--lease-ms must be a whole number of milliseconds from 100, not '${leaseMs}'.`);
  }
  return { leaseMs: value };
}
