import { describe, expect, it } from 'vitest';
import { createMemoryEventStore, MemoryEventStore } from '../../src/store/memory-store.js';
import { historyEvents, storeContract } from './store-contract.js';

storeContract('memory', async () => ({ store: createMemoryEventStore() }));

describe('MemoryEventStore', () => {
  it('appends synchronously for the journal, checking the revision the same way', () => {
    const store = new MemoryEventStore();
    expect(store.appendSync('s', historyEvents(1, 2), { expectedRevision: 0 })).toBe(2);
    expect(store.appendSync('s', historyEvents(1, 2), { expectedRevision: 0 })).toBe(2);
    expect(() => store.appendSync('s', historyEvents(3, 1), { expectedRevision: 0 })).toThrow(/expected revision 0/);
  });
});
