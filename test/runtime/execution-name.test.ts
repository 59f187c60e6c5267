import { describe, expect, it } from 'vitest';
import { newExecutionName } from '../../src/runtime/execution-name.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newExecutionName', () => {
  it('makes random version 4 UUIDs, as AWS names an execution started without a name', () => {
    // More than one pool of random bytes (256 names), so a refill is crossed.
    const names = Array.from({ length: 1_000 }, () => newExecutionName());
    for (const name of names) expect(name).toMatch(UUID_V4);
    expect(new Set(names).size).toBe(names.length);
  });

  it('draws every hex digit of its random part, in every position', () => {
    // 122 random bits: over 2,000 names each random position takes every one of its values.
    const names = Array.from({ length: 2_000 }, () => newExecutionName());
    for (const position of [0, 7, 9, 15, 20, 35]) {
      expect(new Set(names.map((n) => n[position])).size).toBe(16);
    }
    // The variant digit carries two random bits: 8, 9, a and b all occur.
    expect(new Set(names.map((n) => n[19]))).toEqual(new Set(['8', '9', 'a', 'b']));
  });
});
