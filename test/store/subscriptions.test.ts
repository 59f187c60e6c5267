import { describe, expect, it } from 'vitest';
import { EventFanout, catchUpThenLive, storedEvents } from '../../src/store/subscriptions.js';
import type { StoredStreamEvent } from '../../src/store/event-store.js';
import { historyEvents } from './store-contract.js';

describe('catchUpThenLive', () => {
  it('goes live when a read gives back only events already delivered, and stops reading', async () => {
    const fanout = new EventFanout();
    const stored = storedEvents('s', historyEvents(1, 3), 0, 0);
    let reads = 0;
    const received: number[] = [];
    const subscription = catchUpThenLive(fanout, {
      from: 0,
      // Its head says one more event than it hands out, so only the repeated chunk can end catch-up.
      head: () => 4,
      seqOf: (e) => e.revision,
      accepts: (e) => e.streamId === 's',
      // A store that answers "from `next` on" with the last chunk it holds, even past its end.
      readFrom: async () => {
        reads++;
        if (reads > 10) throw new Error('still reading after 10 chunks');
        return stored;
      },
    }).subscribe({ next: (e: StoredStreamEvent) => received.push(e.revision), error: () => received.push(-1) });
    await new Promise((r) => setTimeout(r, 20));
    expect(received).toEqual([0, 1, 2]);
    expect(reads).toBe(2);
    // Live now: a new event arrives through the fan-out, once.
    const [fourth] = storedEvents('s', historyEvents(4, 1), 3, 3);
    fanout.publish([fourth!]);
    expect(received).toEqual([0, 1, 2, 3]);
    subscription.unsubscribe();
  });
});
