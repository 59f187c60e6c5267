import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/execution/clock.js';

describe('VirtualClock', () => {
  it('fires timers in due order and moves time to each due time', async () => {
    const clock = new VirtualClock(1_000);
    const fired: [string, number][] = [];
    clock.schedule(5_000, () => fired.push(['late', clock.now()]));
    clock.schedule(2_000, () => fired.push(['early', clock.now()]));
    await new Promise((r) => setTimeout(r, 10));
    expect(fired).toEqual([['early', 2_000], ['late', 5_000]]);
  });

  it('holds time still while outside work is in flight', async () => {
    const clock = new VirtualClock(0);
    const fired: number[] = [];
    const release = clock.hold();
    clock.schedule(10, () => fired.push(clock.now()));
    await new Promise((r) => setTimeout(r, 10));
    expect(fired).toEqual([]);
    release();
    await new Promise((r) => setTimeout(r, 10));
    expect(fired).toEqual([10]);
  });

  it('does not fire a cancelled timer', async () => {
    const clock = new VirtualClock(0);
    let fired = false;
    const cancel = clock.schedule(10, () => (fired = true));
    cancel();
    await new Promise((r) => setTimeout(r, 10));
    expect(fired).toBe(false);
  });
});
