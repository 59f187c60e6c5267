import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { isAslError } from '../../../src/errors/asl-error.js';
import type { JsonValue } from '../../../src/asl/json-value.js';
import {
  evaluateJsonataExpression,
  expectType,
  isJsonataExpression,
  jsonataExpressionText,
  requireJsonataValue,
  type JsonataBindings,
  type JsonataEvaluationOptions,
} from '../../../src/asl/jsonata/evaluate-jsonata.js';

function bindings(input: JsonValue = {}, variables: Record<string, JsonValue> = {}, extra: Partial<JsonataBindings['states']> = {}): JsonataBindings {
  return { states: { input, context: { Execution: { Id: 'exec-1' } }, ...extra }, variables };
}

const fixed: JsonataEvaluationOptions = {
  random: { random: () => 0.25, uuid: () => '11111111-2222-4333-8444-555555555555' },
  now: () => Date.UTC(2024, 0, 2, 3, 4, 5, 678),
};

async function run(expression: string, b: JsonataBindings = bindings(), options: JsonataEvaluationOptions = fixed): Promise<JsonValue | undefined> {
  return evaluateJsonataExpression(expression, b, 'Output', options);
}

async function failure(expression: string, b: JsonataBindings = bindings(), options: JsonataEvaluationOptions = fixed, field = 'Output'): Promise<{ error: string; cause: string }> {
  try {
    await evaluateJsonataExpression(expression, b, field, options);
  } catch (error) {
    if (isAslError(error)) return { error: error.error, cause: error.causeText ?? '' };
    throw error;
  }
  throw new Error(`expected ${expression} to fail`);
}

describe('isJsonataExpression / jsonataExpressionText', () => {
  it('recognises only a whole {% %} string', () => {
    expect(isJsonataExpression('{% $x %}')).toBe(true);
    expect(isJsonataExpression('{%$x%}')).toBe(true);
    expect(isJsonataExpression(' {% $x %}')).toBe(false);
    expect(isJsonataExpression('{% $x %} ')).toBe(false);
    expect(isJsonataExpression('{% $x')).toBe(false);
    expect(isJsonataExpression('x %}')).toBe(false);
    expect(isJsonataExpression('{%}')).toBe(false);
    expect(isJsonataExpression('Hello {% $x %}')).toBe(false);
    expect(isJsonataExpression(42)).toBe(false);
  });

  it('trims the expression as AWS prints it', () => {
    expect(jsonataExpressionText("{% 'string' %}")).toBe("'string'");
    expect(jsonataExpressionText('{%1 + 2%}')).toBe('1 + 2');
    expect(jsonataExpressionText('$x')).toBe('$x');
  });
});

describe('evaluateJsonataExpression', () => {
  it('is async and reads $states and workflow variables', async () => {
    const b = bindings({ title: 'Doctor', items: [1, 2, 3] }, { customerName: 'María', n: 4 }, { result: { ok: true } });
    const pending = run('$states.input.title', b);
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toBe('Doctor');
    expect(await run('{% $customerName %}', b)).toBe('María');
    expect(await run('$sum($states.input.items) + $n', b)).toBe(10);
    expect(await run('$states.result.ok', b)).toBe(true);
    expect(await run('$states.context.Execution.Id', b)).toBe('exec-1');
  });

  it('returns undefined for nothing; requireJsonataValue turns that into AWS error', async () => {
    expect(await run('$states.input.missing')).toBeUndefined();
    await expect(requireJsonataValue('{% $doesNotExist %}', bindings(), 'Output')).rejects.toMatchObject({
      error: 'States.QueryEvaluationError',
      causeText: "The JSONata expression '$doesNotExist' specified for the field 'Output' returned nothing (undefined).",
    });
  });

  it('keeps null, and answers plain JSON (sequences become arrays)', async () => {
    expect(await run('$states.input.bar', bindings({ bar: null }))).toBeNull();
    const list = await run('$states.input.items.v', bindings({ items: [{ v: 1 }, { v: 2 }] }));
    expect(list).toEqual([1, 2]);
    expect(Object.keys(list as object)).toEqual(['0', '1']);
    expect(await run('$states.input.items.v', bindings({ items: [{ v: 1 }] }))).toBe(1);
  });

  it('reports library errors with their code, as AWS does', async () => {
    expect(await failure('$randomSeeded($states.input.FunctionInput.fst)', bindings({ FunctionInput: 'fst' }), fixed, 'Output/FunctionResult')).toEqual({
      error: 'States.QueryEvaluationError',
      cause:
        "The JSONata expression '$randomSeeded($states.input.FunctionInput.fst)' specified for the field 'Output/FunctionResult' threw an error during evaluation. T1006: Attempted to invoke a non-function",
    });
    expect((await failure('$string(1/0)')).cause).toContain('threw an error during evaluation. D3001:');
  });

  it('reports a syntax error at evaluation as an evaluation error', async () => {
    expect((await failure('10 + * 2')).cause).toBe(
      "The JSONata expression '10 + * 2' specified for the field 'Output' threw an error during evaluation. S0201: Syntax error: 2",
    );
  });

  it('has no $eval', async () => {
    expect((await failure('$eval("1")')).cause).toContain('T1006: Attempted to invoke a non-function');
    expect(await run('$exists($eval)')).toBe(false);
    // A workflow variable named eval is still an ordinary variable, and a local one still binds.
    expect(await run('$eval', bindings({}, { eval: 5 }))).toBe(5);
    expect(await run('($eval := function($x){$x * 2}; $eval(3))')).toBe(6);
  });

  it('lets variables shadow built-in functions, as bindings do', async () => {
    expect(await run('$sum', bindings({}, { sum: 'shadowed' }))).toBe('shadowed');
  });

  it('refuses a function as the result', async () => {
    expect((await failure('$sum')).cause).toBe("The JSONata expression '$sum' specified for the field 'Output' returned an unsupported result type.");
    expect(await run('{"a": 1, "f": $sum}')).toEqual({ a: 1 });
    expect(await run('[1, $sum]')).toEqual([1, null]);
  });

  it('writes non-finite numbers as their names', async () => {
    expect(await run('1/0')).toBe('Infinity');
    expect(await run('-1/0')).toBe('-Infinity');
    expect(await run('[1/0]')).toEqual(['Infinity']);
  });

  it('keeps binding-level assignments inside one evaluation', async () => {
    expect(await run('$variable := 1')).toBe(1);
    expect(await run('$variable')).toBeUndefined();
  });

  it('reads the injected clock for $now and $millis', async () => {
    expect(await run('$now()')).toBe('2024-01-02T03:04:05.678Z');
    expect(await run('$millis()')).toBe(Date.UTC(2024, 0, 2, 3, 4, 5, 678));
    expect(await run("$now('[Y0001]-[M01]-[D01]')")).toBe('2024-01-02');
    expect(await run('$now() = $now()')).toBe(true);
  });
});

describe('Step Functions functions', () => {
  it('$partition', async () => {
    expect(await run('$partition([1,2,3,4,5,6,7,8,9], 3)')).toEqual([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    expect(await run('$partition([1,2,3,4,5], 2)')).toEqual([[1, 2], [3, 4], [5]]);
    expect(await run('$partition([0], 1)')).toEqual([[0]]);
    expect(await run('$partition([1,2,3,4,5], 2.9)')).toEqual([[1, 2], [3, 4], [5]]);
    expect(await run('$partition([1,2,3])')).toEqual([[1, 2, 3]]);
    expect(await run('$partition([], 2)')).toBeUndefined();
    expect(await run('$partition([1,2,3], 0)')).toBeUndefined();
    expect((await failure('$partition([1,2,3], -1)')).cause).toContain('D3137: Second argument must be zero or greater');
    expect((await failure('$partition(null, 2)')).cause).toContain('T0412');
    expect((await failure('$partition([1,2,3], 2, "x")')).cause).toContain('T0410');
  });

  it('$range', async () => {
    expect(await run('$range(0, 10, 2)')).toEqual([0, 2, 4, 6, 8, 10]);
    expect(await run('$range(0, 9, 3)')).toEqual([0, 3, 6, 9]);
    expect(await run('$range(10, 0, -2)')).toEqual([10, 8, 6, 4, 2, 0]);
    expect(await run('$range(1, 9, 9)')).toBe(1);
    expect(await run('$range(-1.7, 2, 1)')).toEqual([-1, 0, 1, 2]);
    expect(await run('$range(5, 1, -1.5)')).toEqual([5, 4, 3, 2, 1]);
    expect(await run('$range(5, 1, 1)')).toBeUndefined();
    expect(await run('$range(1, 5, 0)')).toBeUndefined();
    expect(await run('$range(1, 5)')).toBeUndefined();
    expect(await run('$count($range(-9223372036854775808, 9223372036854775807, 9223372036854775807))')).toBe(3);
    expect((await failure('$range(1)')).cause).toContain('T0410');
    expect((await failure('$range(1, 1000000, 1)')).cause).toContain('memory limit exceeded');
  });

  it('$hash', async () => {
    expect(await run("$hash('Hello', 'MD5')")).toBe('8b1a9953c4611296a827abf8c47804d7');
    expect(await run("$hash('Hello', 'SHA-1')")).toBe('f7ff9e8b7bb2e09b70935a5d785e0cc5d9d0abf0');
    expect(await run("$hash('Hello', 'SHA-256')")).toBe('185f8db32271fe25f561a6fc938b2e264306ec304eda518007d1764826381969');
    expect(await run("$hash('input', 'SHA-1')")).toBe('140f86aae51ab9e1cda9b4254fe98a74eb54c1a1');
    expect(await run("$hash('ñ', 'MD5')")).toBe('94e9342ecbb1458b6043ecd3bfcbc192');
    expect(await run("$hash('Hello')")).toBeUndefined();
    expect((await failure("$hash('Hello', 'md5')")).cause).toContain('D3137');
    expect((await failure("$hash(42, 'MD5')")).cause).toContain('T0410');
  });

  it('$random: seeded is java.util.Random, unseeded is injected', async () => {
    expect(await run('$random(42)')).toBe(0.7275636800328681);
    expect(await run('$random(0)')).toBe(0.730967787376657);
    expect(await run('$random(7)')).toBe(0.7306990420600421);
    expect(await run('$random(0.9)')).toBe(0.730967787376657);
    expect(await run('$random()')).toBe(0.25);
    expect((await failure('$random(1, 2)')).cause).toContain('T0410');
  });

  it('$uuid', async () => {
    expect(await run('$uuid()')).toBe('11111111-2222-4333-8444-555555555555');
    const real = await evaluateJsonataExpression('$uuid() = $uuid()', bindings(), 'Output');
    expect(real).toBe(false);
    expect((await failure("$uuid('seed')")).cause).toContain('T0410');
  });

  it('$parse', async () => {
    expect(await run('$parse(\'{"a":1,"b":[1,2,3]}\')')).toEqual({ a: 1, b: [1, 2, 3] });
    expect(await run('$parse($states.input.s).joinable', bindings({ s: '{"joinable": true}' }))).toBe(true);
    expect(await run("$parse('\"HelloWorld\"')")).toBe('HelloWorld');
    expect(await run("$exists($parse('null'))")).toBe(true);
    expect(await run('$parse()')).toBeUndefined();
    expect(await run('$map([\'{"a":1}\', \'{"a":2}\'], $parse).a')).toEqual([1, 2]);
    expect((await failure('$parse(null)')).cause).toContain('T0410');
    for (const bad of ["''", "'not json'", "'{\"a\":1}{\"b\":2}'", "'{\"a\":1,\"a\":2}'"]) {
      expect((await failure(`$parse(${bad})`)).cause).toContain('D3137: Invalid JSON');
    }
  });
});

describe('expectType', () => {
  it('passes matching values through', () => {
    expect(expectType([1], 'array', '{% $x %}', 'Items')).toEqual([1]);
    expect(expectType(3, 'integer', '$x', 'MaxConcurrency')).toBe(3);
    expect(expectType('a', 'string', '$x', 'Error')).toBe('a');
  });

  it("words the failure as AWS does", () => {
    const cases: [JsonValue, string][] = [
      [{ foo: 'bar' }, `Expected 'array', but was 'object' for value: {"foo":"bar"}`],
      ['string', `Expected 'array', but was 'string' for value: "string"`],
      [null, `Expected 'array', but was 'null' for value: null`],
      [true, `Expected 'array', but was 'boolean' for value: true`],
      [1, `Expected 'array', but was 'number' for value: 1`],
    ];
    for (const [value, tail] of cases) {
      expect(() => expectType(value, 'array', '{% $ItemsVar %}', 'Items')).toThrow(
        `The JSONata expression '$ItemsVar' specified for the field 'Items' returned an unexpected result type. ${tail}`,
      );
    }
    expect(() => expectType(1.5, 'integer', '$x', 'TimeoutSeconds')).toThrow("Expected 'integer', but was 'number' for value: 1.5");
    expect(() => expectType(undefined, 'array', '$x', 'Items')).toThrow('returned nothing (undefined)');
  });
});

describe('safety', () => {
  it('keeps __proto__ in data as data and hides inherited names', async () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "q": 2}') as JsonValue;
    const b = bindings(input);
    expect(await run('$states.input.__proto__', b)).toEqual({ polluted: true });
    expect(await run('$states.input.__proto__.polluted', b)).toBe(true);
    expect(await run('$states.input.constructor', b)).toBeUndefined();
    expect(await run('$states.input.toString', b)).toBeUndefined();
    expect(await run('$keys($states.input)', b)).toEqual(['__proto__', 'q']);
    const whole = (await run('$states.input', b)) as Record<string, JsonValue>;
    expect(Object.prototype.hasOwnProperty.call(whole, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(whole)).toBe(Object.prototype);
    const merged = (await run('$merge([$states.input, {"b": 1}])', b)) as Record<string, JsonValue>;
    expect(JSON.stringify(merged)).toBe('{"__proto__":{"polluted":true},"q":2,"b":1}');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(await run('$states.input.__proto__', bindings({ a: 1 }))).toBeUndefined();
  });

  it('does not alter the data it was given, nor what later evaluations read', async () => {
    const input = { list: [{ a: 1 }], nested: [[1, 2]] };
    const b = bindings(input);
    expect(await run('$states.input ~> | list | {"a": 2} |', b)).toEqual({ list: [{ a: 2 }], nested: [[1, 2]] });
    // A pattern that reads a variable updates bound data in place inside the library.
    expect(await run('({} ~> | $states.input.list | {"b": 3} |; $states.input.list)', b)).toEqual([{ a: 1, b: 3 }]);
    await run('{"x": 1} ~> | $states.input.nested | {"z": 1} |', b);
    expect(input).toEqual({ list: [{ a: 1 }], nested: [[1, 2]] });
    expect(await run('$states.input.list', b)).toEqual([{ a: 1 }]);
    expect(await run('$states.input.nested.z', b)).toBeUndefined();
    expect(await run('$states.input.list[]', b)).toEqual([{ a: 1 }]);
  });

  it('stops nesting past depth 100, as AWS does', async () => {
    const rec = (n: number) => `($f := function($x){ $x <= 0 ? 0 : 1 + $f($x-1) }; $f(${n}))`;
    expect(await run(rec(31))).toBe(31);
    expect((await failure(rec(32))).cause).toBe(
      `The JSONata expression '${rec(32)}' specified for the field 'Output' threw an error during evaluation: Stack overflow error: Check for non-terminating recursive function. Consider rewriting as tail-recursive.`,
    );
    const plus = (n: number) => Array(n).fill('1').join('+');
    expect(await run(plus(100))).toBe(100);
    expect((await failure(plus(101))).cause).toContain('threw an error during evaluation: Stack overflow error: Check for non-terminating recursive function.');
    expect(await run(`[${Array(500).fill('1').join(',')}] ~> $count()`)).toBe(500);
  });

  it('stops an endless evaluation on the clock', async () => {
    const started = Date.now();
    const { cause } = await failure('($f := function($x){ $f($x+1) }; $f(1))', bindings(), { ...fixed, timeoutMs: 200 });
    expect(cause).toContain('threw an error during evaluation: Expression evaluation timeout: Check for infinite loop');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('stops a catastrophic regular expression', async () => {
    const started = Date.now();
    const subject = 'a'.repeat(28) + '!';
    const { cause } = await failure(`$match('${subject}', /(a+)+$/)`, bindings(), { ...fixed, timeoutMs: 300 });
    expect(cause).toContain('threw an error during evaluation: Expression evaluation timeout: Check for infinite loop (the regular expression');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('keeps guarding regexes after other code uses the library with its defaults', async () => {
    const expression = '$contains($states.input.s, /^(a|a)+$/)';
    expect(await run(expression, bindings({ s: 'aa' }))).toBe(true);
    jsonata('$x');
    const { cause } = await failure(expression, bindings({ s: `${'a'.repeat(28)}!` }), { ...fixed, timeoutMs: 300 });
    expect(cause).toContain('threw an error during evaluation: Expression evaluation timeout: Check for infinite loop (the regular expression');
  });

  it('still runs ordinary regular expressions', async () => {
    expect(await run("$split('a1b22c', /[0-9]+/)")).toEqual(['a', 'b', 'c']);
    expect(await run("$replace('Hello World', /(\\w+)\\s(\\w+)/, '$2 $1')")).toBe('World Hello');
    expect(await run("$contains('abc', /B/i)")).toBe(true);
    expect(await run("$match('aaa!', /(a+)+!/).match")).toBe('aaa!');
  });
});

// AWS's own refusals (its memory limit, its depth bound) read "…during evaluation: <message>",
// with no error code, and its memory bound counts what one value holds: measured against AWS in
// floci-io/floci#2737 (a string of 4,194,304 characters accepted, one of 8,388,608 refused; the
// depth refusal's cause quoted), #2738 (the same doubling to 2^31 refused with the memory limit).
describe("AWS's memory bound on a string", () => {
  const doubling = (n: number) => `($p := function($s, $n) { $n = 0 ? $s : $p($s & $s, $n - 1) }; $length($p("x", ${n})))`;
  const memoryCause = (expression: string) =>
    `The JSONata expression '${expression}' specified for the field 'Output' threw an error during evaluation: Expression evaluation memory limit exceeded: Check for excessive memory usage`;

  it('accepts a string of 4,194,304 characters and refuses one of 8,388,608 (and 2^31) with the memory limit', async () => {
    expect(await run(doubling(22))).toBe(4_194_304);
    expect(await failure(doubling(23))).toEqual({ error: 'States.QueryEvaluationError', cause: memoryCause(doubling(23)) });
    expect((await failure(doubling(31))).cause).toBe(memoryCause(doubling(31)));
  });

  it('holds the bound at 6,990,256 characters, as the range operator holds it at 873,782 items of 8 bytes', async () => {
    // 26 pieces of 262,144 characters (6,815,744) and one of k.
    const joined = (k: number) => `$length($join([${[...Array(26).fill('$pad("", 262144, "x")'), `$pad("", ${k}, "x")`].join(', ')}]))`;
    expect(await run(joined(174_512))).toBe(6_990_256);
    expect((await failure(joined(174_513))).cause).toBe(memoryCause(joined(174_513)));
  });

  it('is lifted with maxBytes: Infinity, with $pad\'s and $range\'s own bounds', async () => {
    const lifted = { ...fixed, maxBytes: Infinity };
    expect(await run(doubling(23), bindings(), lifted)).toBe(8_388_608);
    expect(await run('[1..900000] ~> $count()', bindings(), lifted)).toBe(900_000);
    expect(await run("$length($pad('', 300000, 'x'))", bindings(), lifted)).toBe(300_000);
    expect(await run('$count($range(0, 400000, 1))', bindings(), lifted)).toBe(400_001);
    // The engine's own ceiling still answers, as the memory limit.
    expect((await failure(doubling(31), bindings(), lifted)).cause).toBe(memoryCause(doubling(31)));
  });
});

// Measured against AWS (floci-io/floci#2683): $string writes a whole number below 1e21 in full,
// with the shortest digits that read back as the same number.
describe('$string of a number', () => {
  it('writes a whole number below 1e21 in full, with its shortest digits', async () => {
    expect(await run('$string(9223372036854775808)')).toBe('9223372036854776000');
    expect(await run('$string(-9223372036854775808)')).toBe('-9223372036854776000');
    expect(await run('$string(999999999999999868928)')).toBe('999999999999999900000');
    expect(await run('$string(1e20)')).toBe('100000000000000000000');
    expect(await run('$string(123)')).toBe('123');
    expect(await run('$string($states.input.n)', bindings({ n: 1234567890123456789 }))).toBe('1234567890123456800');
  });

  it("leaves everything else to JSONata's $string", async () => {
    expect(await run('$string(1e21)')).toBe('1e+21');
    expect(await run('$string(0.1 + 0.2)')).toBe('0.3');
    expect(await run('$string("x")')).toBe('x');
    expect(await run('$string({"a": 1.5})')).toBe('{"a":1.5}');
    expect(await run('$string([1, 2], true)')).toBe('[\n  1,\n  2\n]');
    expect(await run('$string($nothing)')).toBeUndefined();
    expect((await failure('$string(1/0)')).cause).toContain('D3001');
  });
});

// Measured against AWS (floci-io/floci#2736): $base64decode of text that is not base 64 fails the
// state with "threw an internal error during evaluation." and an id of its own.
describe('$base64decode of text that is not base 64', () => {
  it('fails with an internal error whose cause ends in a fresh id', async () => {
    const { error, cause } = await failure('$base64decode("!!!")');
    expect(error).toBe('States.QueryEvaluationError');
    expect(cause).toMatch(/^The JSONata expression '\$base64decode\("!!!"\)' specified for the field 'Output' threw an internal error during evaluation\. [0-9a-f-]{36}$/);
  });

  it('decodes base 64, padded or not', async () => {
    expect(await run('$base64decode("aGVsbG8=")')).toBe('hello');
    expect(await run('$base64decode("aGVsbG8")')).toBe('hello');
    expect(await run('$base64decode("")')).toBe('');
    expect(await run('$base64decode($nothing)')).toBeUndefined();
  });
});

// Recorded against AWS (2026-09): $pad may add at most 262144 characters (not UTF-8 bytes); the
// string it returns may be longer, and concatenation or $join are not bounded.
describe('$pad and the memory limit', () => {
  it('fails adding 262145 characters, with the memory-limit cause', async () => {
    expect(await failure("$length($pad('',262145,'x'))")).toEqual({
      error: 'States.QueryEvaluationError',
      cause: "The JSONata expression '$length($pad('',262145,'x'))' specified for the field 'Output' threw an error during evaluation: Expression evaluation memory limit exceeded: Check for excessive memory usage",
    });
  });

  it('counts the characters added, in characters, and leaves longer strings built otherwise alone', async () => {
    expect(await run("$length($pad($pad('',131072,'x'),262145,'x'))")).toBe(262145);
    expect(await run("$length($pad('',131072,'x') & $pad('',131073,'x'))")).toBe(262145);
    expect(await run("$length($join([$pad('',131072,'x'),$pad('',131073,'x')]))")).toBe(262145);
    expect(await run("$length($pad('',262144,'\u00e9'))")).toBe(262144);
    expect(await run("$length($pad('',262144,'xy'))")).toBe(262144);
  });

  it("otherwise pads as JSONata's $pad does", async () => {
    expect(await run("$pad('ab', 5, '#')")).toBe('ab###');
    expect(await run("$pad('ab', -5, 'xy')")).toBe('xyxab');
    expect(await run("$pad('abc', 2)")).toBe('abc');
    expect(await run("$pad('a', 3)")).toBe('a  ');
    expect(await run('$pad($nothing, 3)')).toBeUndefined();
  });
});

// As measured against AWS (floci-io/floci#2783, #2737): the range operator builds up to 873782
// items; [1..873783], [1..900000] ~> $count() and $sum([1..900000]) fail with the memory limit.
describe('the range operator and the memory limit', () => {
  it('builds 873782 items and refuses one more, with the memory-limit cause', async () => {
    expect(await run('[1..873782] ~> $count()')).toBe(873782);
    expect(await run('$count([-5..873776])')).toBe(873782);
    expect(await failure('[1..873783] ~> $count()')).toEqual({
      error: 'States.QueryEvaluationError',
      cause: "The JSONata expression '[1..873783] ~> $count()' specified for the field 'Output' threw an error during evaluation: Expression evaluation memory limit exceeded: Check for excessive memory usage",
    });
    expect((await failure('$sum([1..900000])')).cause).toContain('threw an error during evaluation: Expression evaluation memory limit exceeded');
    expect((await failure('[1..900000] ~> $count()')).cause).toContain('memory limit exceeded');
  });
});

// As measured against AWS (floci-io/floci#2737): $formatNumber(1, "x") fails with D3086, where the
// library itself fails with a TypeError on a sub-picture holding no active character.
describe('$formatNumber and a sub-picture with no active character', () => {
  it('refuses it by the picture rules, in the library\'s words', async () => {
    expect(await failure('$formatNumber(1, "x")')).toEqual({
      error: 'States.QueryEvaluationError',
      cause: "The JSONata expression '$formatNumber(1, \"x\")' specified for the field 'Output' threw an error during evaluation. D3086: The sub-picture must not contain a passive character that is preceded by an active character and that is followed by another active character",
    });
    expect((await failure('$formatNumber(1, "#;x")')).cause).toContain('. D3086: ');
    expect((await failure('$formatNumber(1, "")')).cause).toContain('. D3085: ');
    expect((await failure('$formatNumber(1, "xe")')).cause).toContain('. D3093: ');
    // An earlier faulty sub-picture answers first; more than two sub-pictures stay D3080.
    expect((await failure('$formatNumber(1, "#,,#;x")')).cause).toContain('. D3089: ');
    expect((await failure('$formatNumber(1, "x;y;z")')).cause).toContain('. D3080: ');
  });

  it('formats every other picture as the library does', async () => {
    expect(await run('$formatNumber(1234.5, "#,##0.00")')).toBe('1,234.50');
    expect(await run('$formatNumber(-1, "#;(#)")')).toBe('(1)');
    expect(await run('$formatNumber(0.5, "0%")')).toBe('50%');
    expect(await run('$formatNumber(12, "٠", {"zero-digit": "٠"})')).toBe('١٢');
  });
});
