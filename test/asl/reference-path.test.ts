import { describe, expect, it } from 'vitest';
import { applyResultPath, checkReferencePathSyntax, checkResultPathSyntax } from '../../src/asl/reference-path.js';
import type { JsonValue } from '../../src/asl/json-value.js';
import { aslFailure } from './asl-failure.js';

function deepFreeze<T extends JsonValue>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const child of Object.values(v)) deepFreeze(child as JsonValue);
    Object.freeze(v);
  }
  return v;
}

const failure = aslFailure;

describe('applyResultPath', () => {
  const input = deepFreeze({ comment: 'This is a test', details: 'Default example', who: 'Step Functions' });

  it('replaces the input when ResultPath is absent or $', () => {
    expect(applyResultPath(input, undefined, 'Hello, Step Functions!')).toBe('Hello, Step Functions!');
    expect(applyResultPath(input, '$', { r: 1 })).toEqual({ r: 1 });
  });

  it('keeps the input when ResultPath is null', () => {
    expect(applyResultPath(input, null, 'ignored')).toBe(input);
  });

  it('adds the result to a copy of the input (DG input-output-resultpath example)', () => {
    expect(applyResultPath(input, '$.taskresult', 'Hello, Step Functions!')).toEqual({
      comment: 'This is a test',
      details: 'Default example',
      who: 'Step Functions',
      taskresult: 'Hello, Step Functions!',
    });
  });

  it('replaces an existing field and keeps key order', () => {
    const out = applyResultPath(input, '$.details', 42);
    expect(out).toEqual({ comment: 'This is a test', details: 42, who: 'Step Functions' });
    expect(Object.keys(out as object)).toEqual(['comment', 'details', 'who']);
  });

  it('creates missing intermediate objects and shares untouched branches', () => {
    const src = deepFreeze({ keep: { deep: [1] }, a: { x: 1 } });
    const out = applyResultPath(src, '$.a.b.c', true) as { keep: unknown; a: unknown };
    expect(out).toEqual({ keep: { deep: [1] }, a: { x: 1, b: { c: true } } });
    expect(out.keep).toBe(src.keep);
    expect(src).toEqual({ keep: { deep: [1] }, a: { x: 1 } });
  });

  it('matches conformance case assign...base_reference_in_parameters', () => {
    expect(applyResultPath({ result: '$result' }, '$.result', { result: 'foobar' })).toEqual({ result: { result: 'foobar' } });
  });

  it('writes array elements by index, in a copy', () => {
    const src = deepFreeze({ a: [1, { b: 2 }, 3] });
    expect(applyResultPath(src, '$.a[1].b', 'x')).toEqual({ a: [1, { b: 'x' }, 3] });
    expect(applyResultPath(src, '$.a[0]', 'x')).toEqual({ a: ['x', { b: 2 }, 3] });
    expect(applyResultPath(src, '$.a[-1]', 'x')).toEqual({ a: [1, { b: 2 }, 'x'] });
    expect(applyResultPath(deepFreeze([0, 1]), '$[1]', 'x')).toEqual([0, 'x']);
  });

  it('supports bracket notation and keeps __proto__ as data', () => {
    expect(applyResultPath({}, "$['a b']", 1)).toEqual({ 'a b': 1 });
    const out = applyResultPath({}, '$.__proto__.x', 1) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(JSON.stringify(out)).toBe('{"__proto__":{"x":1}}');
    const src = JSON.parse('{"__proto__": {"y": 2}}') as JsonValue;
    const out2 = applyResultPath(src, '$.z', 1);
    expect(JSON.stringify(out2)).toBe('{"__proto__":{"y":2},"z":1}');
  });

  it('raises States.ResultPathMatchFailure when the input cannot hold the result', () => {
    expect(failure(() => applyResultPath('abc', '$.x', 1))).toEqual({
      error: 'States.ResultPathMatchFailure',
      cause: 'Unable to apply ReferencePath $.x to input "abc"',
    });
    expect(failure(() => applyResultPath({ a: 5 }, '$.a.b', 1))).toEqual({
      error: 'States.ResultPathMatchFailure',
      cause: 'Unable to apply ReferencePath $.a.b to input {"a":5}',
    });
    expect(failure(() => applyResultPath([1], '$.x', 1)).error).toBe('States.ResultPathMatchFailure');
    expect(failure(() => applyResultPath({ a: [1] }, '$.a[3]', 1)).error).toBe('States.ResultPathMatchFailure');
    expect(failure(() => applyResultPath({ a: {} }, '$.a[0]', 1)).error).toBe('States.ResultPathMatchFailure');
    expect(failure(() => applyResultPath({}, '$.a[0]', 1)).error).toBe('States.ResultPathMatchFailure');
    expect(failure(() => applyResultPath({ a: null }, '$.a.b', 1)).error).toBe('States.ResultPathMatchFailure');
  });

  it('rejects paths that do not name a single node of the input', () => {
    expect(failure(() => applyResultPath({}, '$.a[*]', 1)).error).toBe('States.Runtime');
    expect(failure(() => applyResultPath({}, '$$.Execution', 1)).error).toBe('States.Runtime');
  });
});

describe('reference path syntax', () => {
  it.each(['$', '$.a', '$.a.b', '$.a[0]', "$['a b'].c", '$["x"][2]', '$$.Execution.Input', '$var.items'])('accepts %s', (p) => {
    expect(checkReferencePathSyntax(p)).toBeNull();
  });

  it.each(['$.a[*]', '$..a', '$.a[0,1]', '$.a[1:]', '$[?(@.a)]', "$['a','b']", '$.a.length()', '$.', 'a', ''])('rejects %s', (p) => {
    expect(checkReferencePathSyntax(p)).toEqual(expect.any(String));
  });

  it('limits ResultPath to the state input', () => {
    expect(checkResultPathSyntax('$.a.b')).toBeNull();
    expect(checkResultPathSyntax(null)).toBeNull();
    expect(checkResultPathSyntax('$$.Execution')).toEqual(expect.any(String));
    expect(checkResultPathSyntax('$var')).toEqual(expect.any(String));
    expect(checkResultPathSyntax('$.a[*]')).toEqual(expect.any(String));
  });
});
