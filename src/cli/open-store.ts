import type { EventStore } from '../store/event-store.js';
import { DEFAULT_STORE_DIR, openFileEventStore } from '../store/file-store.js';
import { createMemoryEventStore } from '../store/memory-store.js';

/** `--store memory`, `--store DIR`, or the embedded default `.stepwise/` in the working directory. */
export async function openStore(option: string | undefined): Promise<EventStore> {
  if (option === 'memory') return createMemoryEventStore();
  return openFileEventStore(option ?? DEFAULT_STORE_DIR);
}
