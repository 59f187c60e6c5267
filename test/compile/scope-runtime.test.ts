import { describe, expect, it } from 'vitest';
import { jsonByteLength, jsonSizeBound, JsonTooDeepError } from '../../src/compile/scope-runtime.js';
import { MAX_JSON_DEPTH } from '../../src/asl/json-value.js';
import type { JsonValue } from '../../src/asl/json-value.js';

describe('jsonSizeBound', () => {
  const samples: JsonValue[] = [
    null, true, 0, -1.5e300, '', 'é€😀', '"\\\n\u0001',
    [], {}, [1, 'a', null, [2, [3]]],
    { order: { id: 'ord-1', lines: [{ sku: 'A-1', qty: 1 }] }, customer: { name: 'Ada' }, 'ключ': 'значение' },
  ];

  it('is never below the UTF-8 JSON size', () => {
    for (const v of samples) expect(jsonSizeBound(v, Infinity)).toBeGreaterThanOrEqual(jsonByteLength(v));
  });

  it('stops counting once past the limit', () => {
    const big = Array.from({ length: 10_000 }, (_, i) => ({ i, text: 'x'.repeat(20) }));
    const bound = jsonSizeBound(big, 1_000);
    expect(bound).toBeGreaterThan(1_000);
    expect(bound).toBeLessThan(jsonByteLength(big));
  });

  it('measures values nested deeper than it recurses, up to the deepest nesting Stepwise stores', () => {
    let deep: JsonValue = 'leaf';
    for (let i = 0; i < MAX_JSON_DEPTH; i++) deep = [deep];
    const bound = jsonSizeBound(deep, Infinity);
    expect(bound).toBeGreaterThanOrEqual(jsonByteLength(deep));
    expect(jsonSizeBound(deep, 1_000)).toBeGreaterThan(1_000);
  });

  it('refuses a value nested deeper than Stepwise stores, without exhausting the call stack', () => {
    let deep: JsonValue = 'leaf';
    for (let i = 0; i <= MAX_JSON_DEPTH; i++) deep = { a: deep };
    expect(() => jsonSizeBound(deep, Infinity)).toThrow(JsonTooDeepError);
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => jsonSizeBound(deep, Infinity)).toThrow(JsonTooDeepError);
    expect(() => jsonByteLength(deep)).toThrow(JsonTooDeepError);
    expect(() => jsonSizeBound(deep, Infinity)).toThrow(/more than 1000 levels deep/);
  });
});
