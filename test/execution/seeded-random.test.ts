import { describe, expect, it } from 'vitest';
import { createSeededRandom, Sfc32 } from '../../src/execution/seeded-random.js';

describe('createSeededRandom', () => {
  // Drawn by the implementation that recorded earlier histories: a history replays only if the
  // same seed still draws the same ids, tokens and UUIDs.
  const RECORDED: Record<number, string[]> = {
    0: ['017943f931fba052', '965d5ad01c39ae30', 'ec4aaffb-88d5-43ef-bdfd-26a8c21df3a6', '8694af766b3913a4'],
    42: ['b01ccb7a79a0398d', 'bf08e730adfce259', '23b4e7f5-1cbe-416c-b85c-84b23dcd7124', '9a88f0fdce9791ed'],
    4294967295: ['654b4490cfbf80e4', 'c2b3579e02d94941', '92493283-e8bf-4def-a077-11279eb980e4', '6053725dd64574eb'],
  };

  it.each(Object.entries(RECORDED))('draws the recorded ids and UUIDs from seed %s', (seed, expected) => {
    const r = createSeededRandom(Number(seed));
    expect([r.id(), r.id(), r.uuid(), r.id()]).toEqual(expected);
  });

  it('draws ids of 16 lowercase hex digits and version-4 UUIDs', () => {
    const r = createSeededRandom(7);
    for (let i = 0; i < 2000; i++) {
      expect(r.id()).toMatch(/^[0-9a-f]{16}$/);
      expect(r.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  // A fork draws from a seed of its own once past the events it copied: its execution's
  // generator (the journal's services object extends Sfc32) starts over on that seed.
  it('starts over on a new seed as a new generator of that seed would', () => {
    const r = new Sfc32(1);
    r.id();
    r.uuid();
    r.reseed(42);
    expect([r.id(), r.id(), r.uuid(), r.id()]).toEqual(RECORDED[42]);
  });

  it('draws numbers in [0, 1)', () => {
    const r = createSeededRandom(9);
    for (let i = 0; i < 2000; i++) {
      const x = r.random();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });
});
