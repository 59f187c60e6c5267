import { describe, expect, it } from 'vitest';
import { objectShape, plainConstructor } from '../../src/asl/plain-objects.js';
import { evaluatePayloadTemplate } from '../../src/asl/payload-template.js';
import { applyResultPath } from '../../src/asl/reference-path.js';
import type { JsonValue } from '../../src/asl/json-value.js';
import type { PathContext } from '../../src/asl/path-context.js';

const ctxOf = (input: JsonValue): PathContext => ({ input, context: {}, variables: {} }) as unknown as PathContext;

describe('plain objects made by constructors', () => {
  it('are plain objects: Object.prototype, equal to literals in every strict comparison', () => {
    const Pair = plainConstructor(function (this: { a: number; b: string }, a: number, b: string) {
      this.a = a;
      this.b = b;
    });
    const pair = new Pair(1, 'x');
    expect(Object.getPrototypeOf(pair)).toBe(Object.prototype);
    expect(pair.constructor).toBe(Object);
    expect(pair).toStrictEqual({ a: 1, b: 'x' });
    expect({ ...pair }).toStrictEqual({ a: 1, b: 'x' });
  });

  it('gives each shape its own constructor, and empty plain objects that take any members', () => {
    const A = objectShape();
    const B = objectShape();
    expect(A).not.toBe(B);
    const objects = Array.from({ length: 20 }, (_, i) => {
      const o = new A();
      for (let k = 0; k <= i % 7; k++) o[`k${k}`] = k;
      return o;
    });
    expect(Object.getPrototypeOf(objects[0])).toBe(Object.prototype);
    // More members than the first objects held (after V8 has sized the shape) still go in order.
    const wide = new A();
    for (let k = 0; k < 12; k++) wide[`w${k}`] = k;
    expect(Object.keys(wide)).toEqual(Array.from({ length: 12 }, (_, k) => `w${k}`));
    expect(objects[6]).toStrictEqual({ k0: 0, k1: 1, k2: 2, k3: 3, k4: 4, k5: 5, k6: 6 });
    expect(new B()).toStrictEqual({});
  });

  it('are what payload templates and ResultPath output, equal to the literals they stand for', () => {
    const template = { 'id.$': '$.id', step: 'one', 'n.$': '$.n' };
    const outputs = Array.from({ length: 10 }, (_, i) => evaluatePayloadTemplate(template, ctxOf({ id: `r${i}`, n: i }), 'Parameters'));
    expect(outputs[9]).toStrictEqual({ step: 'one', id: 'r9', n: 9 });
    expect(Object.getPrototypeOf(outputs[9])).toBe(Object.prototype);
    const placed = Array.from({ length: 10 }, (_, i) => applyResultPath({ a: i }, '$.audit.previous', { i }));
    expect(placed[9]).toStrictEqual({ a: 9, audit: { previous: { i: 9 } } });
    expect(Object.getPrototypeOf((placed[9] as { audit: object }).audit)).toBe(Object.prototype);
    expect(JSON.stringify(placed[3])).toBe('{"a":3,"audit":{"previous":{"i":3}}}');
  });
});
