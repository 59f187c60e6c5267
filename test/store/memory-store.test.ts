import { firstValueFrom, take, toArray } from 'rxjs';
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

  it('appends through a stream handle as by the stream id, and ignores a handle of another stream', async () => {
    const store = new MemoryEventStore();
    expect(store.streamHandle('a')).toBeUndefined();
    store.appendSync('a', historyEvents(1, 2), { expectedRevision: 0 });
    store.appendSync('b', historyEvents(1, 1), { expectedRevision: 0 });
    const a = store.streamHandle('a')!;
    expect(store.appendSync('a', historyEvents(3, 2), { expectedRevision: 2 }, a)).toBe(4);
    // The handle of 'a' given for 'b': the append goes to 'b', by its id.
    expect(store.appendSync('b', historyEvents(2, 1), { expectedRevision: 1 }, a)).toBe(2);
    expect(() => store.appendSync('a', historyEvents(5, 1), { expectedRevision: 2 }, a)).toThrow(/expected revision 2/);
    expect((await store.read('a')).map((e) => e.id)).toEqual([1, 2, 3, 4]);
    expect((await store.read('b')).map((e) => e.id)).toEqual([1, 2]);
    // Appends through a handle take their place in the global order too.
    const all = await firstValueFrom(store.subscribeAll({ fromPosition: 0 }).pipe(take(6), toArray()));
    expect(all.map((e) => `${e.streamId}${e.event.id}@${e.position}`)).toEqual(['a1@0', 'a2@1', 'b1@2', 'a3@3', 'a4@4', 'b2@5']);
  });
});
