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

  it('does not jump while outside work is in flight, and jumps once it settles', async () => {
    const clock = new VirtualClock(0);
    const fired: number[] = [];
    const release = clock.hold();
    clock.schedule(60_000, () => fired.push(clock.now()));
    await new Promise((r) => setTimeout(r, 20));
    expect(fired).toEqual([]);
    release();
    await new Promise((r) => setTimeout(r, 10));
    expect(fired).toEqual([60_000]);
  });

  it('while held, fires a timer after its own length in real time, at its virtual due time', async () => {
    const clock = new VirtualClock(1_000);
    const fired: number[] = [];
    const release = clock.hold();
    clock.schedule(1_030, () => fired.push(clock.now()));
    await new Promise((r) => setTimeout(r, 10));
    expect(fired).toEqual([]);
    expect(clock.now()).toBe(1_000);
    await new Promise((r) => setTimeout(r, 60));
    expect(fired).toEqual([1_030]);
    release();
  });

  it('stands still between jumps when nothing holds it', async () => {
    const clock = new VirtualClock(5_000);
    await new Promise((r) => setTimeout(r, 15));
    expect(clock.now()).toBe(5_000);
  });

  it('does not fire a cancelled timer', async () => {
    const clock = new VirtualClock(0);
    let fired = false;
    const cancel = clock.schedule(10, () => (fired = true));
    cancel();
    await new Promise((r) => setTimeout(r, 10));
    expect(fired).toBe(false);
  });

  it('fires many timers in due order, the first set first among equals, skipping cancelled ones', async () => {
    const clock = new VirtualClock(0);
    const fired: number[] = [];
    const cancels: (() => void)[] = [];
    // Due times out of order, with ties: 0..999 set as 7 * i mod 1000, each twice.
    for (let i = 0; i < 1_000; i++) {
      const due = (7 * i) % 1_000;
      clock.schedule(due, () => fired.push(due));
      cancels.push(clock.schedule(due, () => fired.push(-due - 1)));
    }
    for (const cancel of cancels) cancel();
    await new Promise((r) => setTimeout(r, 200));
    expect(fired).toEqual(Array.from({ length: 1_000 }, (_, i) => i));
    expect(clock.now()).toBe(999);
  });

  it('fires timers due at the same time in the order they were set', async () => {
    const clock = new VirtualClock(0);
    const fired: string[] = [];
    for (const name of ['a', 'b', 'c', 'd', 'e']) clock.schedule(50, () => fired.push(name));
    clock.schedule(10, () => fired.push('early'));
    await new Promise((r) => setTimeout(r, 30));
    expect(fired).toEqual(['early', 'a', 'b', 'c', 'd', 'e']);
  });
});
