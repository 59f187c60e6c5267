import { StepwiseError } from '../errors/stepwise-error.js';
import type { EventStore } from '../store/event-store.js';
import { DEFAULT_STORE_DIR, openFileEventStore } from '../store/file-store.js';
import { createMemoryEventStore } from '../store/memory-store.js';

/**
 * `--store memory`, `--store DIR`, `--store esdb://host:2113?tls=false` (EventStoreDB), or the
 * embedded default `.stepwise/` in the working directory.
 */
export async function openStore(option: string | undefined): Promise<EventStore> {
  if (option === 'memory') return createMemoryEventStore();
  if (option !== undefined && /^[a-z][a-z0-9+]*:\/\//i.test(option)) {
    // Loaded only when asked for: the gRPC client is heavy, and src/ holds no network code.
    const { createEventStoreDbStore } = await import('../../adapters/eventstoredb/index.js');
    return createEventStoreDbStore(option);
  }
  return openFileEventStore(option ?? DEFAULT_STORE_DIR);
}

/** `--lease-ms N`: the runtime shares its store with others and drives only what it holds a lease on. */
export function ownershipOption(leaseMs: string | undefined): { leaseMs: number } | undefined {
  if (leaseMs === undefined) return undefined;
  const value = Number(leaseMs);
  if (!Number.isInteger(value) || value < 100) {
    throw new StepwiseError('InvalidArgument', `--lease-ms must be a whole number of milliseconds from 100, not '${leaseMs}'.`);
  }
  return { leaseMs: value };
}
