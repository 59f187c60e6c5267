import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AslError } from '../../../src/errors/asl-error.js';
import type { JsonValue } from '../../../src/asl/json-value.js';
import type { PathContext } from '../../../src/asl/path-context.js';
import {
  checkIntrinsicSyntax,
  compileIntrinsic,
  evaluateIntrinsic,
  IntrinsicPathNotFoundError,
  isIntrinsicCall,
  isStringIntrinsic,
  parseIntrinsicExpression,
  type RandomSource,
} from '../../../src/asl/intrinsics/evaluate-intrinsic.js';
import { JavaRandom } from '../../../src/asl/intrinsics/java-random.js';
import { IntrinsicSyntaxError, parseIntrinsic } from '../../../src/asl/intrinsics/parse-intrinsic.js';

const fixed: RandomSource = { random: () => 0.25, uuid: () => '11111111-2222-4333-8444-555555555555' };

function ctx(input: JsonValue, variables: Record<string, JsonValue> = {}, context: JsonValue = {}): PathContext {
  return { input, context, variables };
}

function run(expression: string, input: JsonValue = {}, variables: Record<string, JsonValue> = {}): JsonValue {
  return evaluateIntrinsic(expression, ctx(input, variables, { Execution: { Id: 'exec-id' } }), fixed);
}

/**
 * The cause of the States.Runtime the expression raises, without the prefix that names the call
 * (AWS's words, recorded against AWS (2026-09): "There was an error while evaluating the
 * intrinsic function: <expression>. <reason>").
 */
function failure(expression: string, input: JsonValue = {}): string {
  const prefix = `There was an error while evaluating the intrinsic function: ${expression}. `;
  try {
    run(expression, input);
  } catch (error) {
    expect(error).toBeInstanceOf(AslError);
    expect((error as AslError).error).toBe('States.Runtime');
    const cause = (error as AslError).causeText!;
    expect(cause.startsWith(prefix)).toBe(true);
    return cause.slice(prefix.length);
  }
  throw new Error(`${expression} did not fail`);
}

describe('parseIntrinsic', () => {
  it('builds a tree of calls and literals', () => {
    expect(parseIntrinsic("States.Format('a {} b', $.x, 1.5, -2, true, false, null, States.UUID())")).toEqual({
      kind: 'call',
      name: 'States.Format',
      args: [
        { kind: 'string', value: 'a {} b', segments: ['a ', ' b'], unmatchedBrace: false },
        { kind: 'path', path: '$.x' },
        { kind: 'number', value: 1.5 },
        { kind: 'number', value: -2 },
        { kind: 'boolean', value: true },
        { kind: 'boolean', value: false },
        { kind: 'null' },
        { kind: 'call', name: 'States.UUID', args: [] },
      ],
    });
  });

  it('resolves the four escapes and keeps escaped braces out of the placeholders', () => {
    const call = parseIntrinsic("States.Format('it\\'s \\{\\} {} \\\\')");
    expect(call.args[0]).toEqual({ kind: 'string', value: "it's {} {} \\", segments: ["it's {} ", ' \\'], unmatchedBrace: false });
  });

  it('keeps paths whole, including filters, quotes and spaces inside brackets', () => {
    const call = parseIntrinsic("States.Array($.[?(@.year <= 1998)], $['a,b)'], $$.Execution.Id, $var.x[0] , $)");
    expect(call.args).toEqual([
      { kind: 'path', path: '$.[?(@.year <= 1998)]' },
      { kind: 'path', path: "$['a,b)']" },
      { kind: 'path', path: '$$.Execution.Id' },
      { kind: 'path', path: '$var.x[0]' },
      { kind: 'path', path: '$' },
    ]);
  });

  it('accepts whitespace between tokens and after the call, not before it', () => {
    expect(parseIntrinsic("States.ArrayGetItem( States.StringSplit($.k , '/'), 0)   ").args).toHaveLength(2);
    expect(() => parseIntrinsic('  States.UUID()')).toThrow(IntrinsicSyntaxError);
  });

  it.each([
    ['States.JsonToString($', 'missing'],
    ['States.StringToJson $.escaped)', "expected '('"],
    ['States. ', 'function name'],
    ['States\\nJsonToString($)', "'States.'"],
    ["States.Format('abc)", 'unterminated string'],
    ["States.Format('\\n')", 'invalid escape'],
    ['States.Array(1,)', 'missing argument'],
    ['States.Array(01)', 'invalid number'],
    ['States.Array(x)', "unexpected 'x'"],
    ['States.Array(1) extra', 'after the closing parenthesis'],
    ['States.Array(trueish)', "unexpected 't'"],
  ])('rejects %s', (expression, reason) => {
    expect(() => parseIntrinsic(expression)).toThrow(reason);
  });
});

describe('isIntrinsicCall', () => {
  it('recognises calls, not paths', () => {
    expect(isIntrinsicCall('States.Format($.a)')).toBe(true);
    expect(isIntrinsicCall('$.States.Format')).toBe(false);
  });
});

describe('isStringIntrinsic', () => {
  it('accepts the functions that give a string where a string is required', () => {
    expect(isStringIntrinsic("States.Format('{}', $.Error)")).toBe(true);
    expect(isStringIntrinsic('States.ArrayGetItem($.a, 0)')).toBe(true);
    expect(isStringIntrinsic('States.StringToJson($.a)')).toBe(false);
    expect(isStringIntrinsic('States.ArrayLength($.a)')).toBe(false);
    expect(isStringIntrinsic("States.Format('{}')")).toBe(false);
  });
});

describe('States.Format', () => {
  it('replaces placeholders in order, printing values the Java way', () => {
    expect(run("States.Format('{} and {} and {} and {} and {}', $.s, $.n, $.f, $.b, $.z)", { s: 'x', n: 3, f: 1.5, b: true, z: null })).toBe(
      'x and 3 and 1.5 and true and null',
    );
    expect(run("States.Format('{}', $.o)", { o: { Id: 'a', Nested: { L: [1, 'two', null] } } })).toBe('{Id=a, Nested={L=[1, two, null]}}');
    expect(run("States.Format('{} {}', $.small, $.big)", { small: 0.00001, big: 1.5e22 })).toBe('1.0E-5 1.5E22');
  });

  it('prints escaped braces and quotes literally', () => {
    expect(run("States.Format('\\{\"key\":\"{}\"\\}', $.v)", { v: 'test123' })).toBe('{"key":"test123"}');
    expect(run("States.Format('Welcome to {} {}\\'s playlist.', $.a, $.b)", { a: 'Jo', b: 'Doe' })).toBe("Welcome to Jo Doe's playlist.");
  });

  it('takes its template from a path or a nested call', () => {
    expect(run('States.Format($.t, $.n)', { t: 'Hello, my name is {}.', n: 'Arnav' })).toBe('Hello, my name is Arnav.');
    expect(run("States.Format('{}', States.ArrayLength($.a))", { a: [1, 2] })).toBe('2');
  });

  it('fails when placeholders and values do not match', () => {
    expect(failure("States.Format('{} {}', 'a')")).toContain('2 placeholder(s) but 1 value(s)');
    expect(failure('States.Format($.t)', { t: '{}' })).toContain('1 placeholder(s) but 0 value(s)');
    expect(failure('States.Format($.t)', { t: 5 })).toBe('Invalid arguments in States.Format');
  });

  it("fails, when it runs, on a bare '{' that opens no '{}', as AWS answered it (quoted in aws/aws-cdk#29261)", () => {
    const reason = "Invalid template in States.Format: matching '}' not found for '{'.";
    // An escaped backslash, then a bare brace: the template CDK's double escaping produced.
    expect(failure("States.Format('Hello {}, x \\\\{ \"name\": \"Bob\" \\\\}', $.n)", { n: 'A' })).toBe(reason);
    expect(failure('States.Format($.t, $.n)', { t: 'a { b {}', n: 1 })).toBe(reason);
    // An escaped brace is text, and a definition holding a bare one is still accepted: AWS refused it only at run time.
    expect(run("States.Format('\\{ {} \\}', $.n)", { n: 1 })).toBe('{ 1 }');
    expect(checkIntrinsicSyntax("States.Format('x \\\\{ {}', $.n)")).toBeNull();
  });
});

describe('JSON functions', () => {
  it('StringToJson parses, with blank text giving null', () => {
    expect(run('States.StringToJson($.s)', { s: '{"a":[1,"x"]}' })).toEqual({ a: [1, 'x'] });
    expect(run('States.StringToJson($.s)', { s: '  ' })).toBeNull();
    expect(run("States.StringToJson('{\"NewField\": \"MyValue\" }')")).toEqual({ NewField: 'MyValue' });
    expect(failure('States.StringToJson($.s)', { s: '{nope' })).toContain('not valid JSON');
    expect(failure('States.StringToJson($.s)', { s: { a: 1 } })).toBe('Invalid arguments in States.StringToJson');
  });

  it('JsonToString writes compact JSON', () => {
    expect(run('States.JsonToString($)', { b: [1, 2.5, 'x'], a: { c: null } })).toBe('{"b":[1,2.5,"x"],"a":{"c":null}}');
    expect(run('States.JsonToString($.s)', { s: 'q"uote' })).toBe('"q\\"uote"');
  });

  it('JsonMerge is shallow and refuses deep merging', () => {
    expect(run('States.JsonMerge($.a, $.b, false)', { a: { x: 1, n: { p: 1 } }, b: { y: 2, n: { q: 2 } } })).toEqual({ x: 1, n: { q: 2 }, y: 2 });
    expect(failure('States.JsonMerge($.a, $.b, true)', { a: {}, b: {} })).toContain('deep merge is not supported');
    expect(failure('States.JsonMerge($.a, $.b, false)', { a: [], b: {} })).toBe('Invalid arguments in States.JsonMerge');
  });
});

describe('array functions', () => {
  it('Array collects its arguments', () => {
    expect(run("States.Array('Foo', 2020, $.j, null)", { j: { a: 1 } })).toEqual(['Foo', 2020, { a: 1 }, null]);
    expect(run('States.Array()')).toEqual([]);
  });

  it('ArrayPartition chunks and needs a positive integer size', () => {
    expect(run('States.ArrayPartition($.a, 4)', { a: [1, 2, 3, 4, 5, 6, 7, 8, 9] })).toEqual([[1, 2, 3, 4], [5, 6, 7, 8], [9]]);
    expect(failure('States.ArrayPartition($.a, 0)', { a: [1] })).toContain('positive integer');
    expect(failure('States.ArrayPartition($.a, 1.5)', { a: [1] })).toBe('Invalid arguments in States.ArrayPartition');
  });

  it('ArrayContains and ArrayUnique compare structurally', () => {
    expect(run('States.ArrayContains($.a, $.v)', { a: [{ x: 1, y: [2] }], v: { y: [2], x: 1 } })).toBe(true);
    expect(run('States.ArrayContains($.a, 5)', { a: [1, '5'] })).toBe(false);
    expect(run('States.ArrayUnique($.a)', { a: [1, 2, 2, { a: 1, b: 2 }, { b: 2, a: 1 }, '1', 1] })).toEqual([1, 2, { a: 1, b: 2 }, '1']);
  });

  it('ArrayRange includes both ends and caps the size', () => {
    expect(run('States.ArrayRange(1, 9, 2)')).toEqual([1, 3, 5, 7, 9]);
    expect(run('States.ArrayRange(10, 1, -3)')).toEqual([10, 7, 4, 1]);
    expect(run('States.ArrayRange(1, 10, -1)')).toEqual([]);
    expect(run('States.ArrayRange(0, 999, 1)')).toHaveLength(1000);
    expect(failure('States.ArrayRange(0, 1000, 1)')).toContain('1001 elements');
    expect(failure('States.ArrayRange(0, 3, $.s)', { s: 0 })).toContain('must not be 0');
  });

  it('ArrayGetItem reads an index within bounds', () => {
    expect(run('States.ArrayGetItem($.a, 1)', { a: ['x', { y: 1 }] })).toEqual({ y: 1 });
    expect(failure('States.ArrayGetItem($.a, 2)', { a: [1, 2] })).toContain('out of bounds');
    expect(failure('States.ArrayGetItem($.a, $.i)', { a: [1, 2], i: -1 })).toContain('out of bounds');
  });

  it('ArrayLength counts and needs an array', () => {
    expect(run('States.ArrayLength($.a)', { a: [1, 2, 3] })).toBe(3);
    expect(failure('States.ArrayLength($.a)', { a: 'abc' })).toBe('Invalid arguments in States.ArrayLength');
  });

  it('fails an argument of the wrong type with States.Runtime, naming the call and the function (recorded against AWS (2026-09))', () => {
    expect(() => run('States.ArrayLength($.value)', { value: 4 })).toThrow(
      expect.objectContaining({ error: 'States.Runtime', causeText: 'There was an error while evaluating the intrinsic function: States.ArrayLength($.value). Invalid arguments in States.ArrayLength' }),
    );
  });
});

describe('encoding and hashing', () => {
  it('Base64 round-trips UTF-8', () => {
    expect(run('States.Base64Encode($.s)', { s: 'Data to encode' })).toBe('RGF0YSB0byBlbmNvZGU=');
    expect(run('States.Base64Decode($.s)', { s: 'RGF0YSB0byBlbmNvZGU=' })).toBe('Data to encode');
    expect(run('States.Base64Decode($.s)', { s: run('States.Base64Encode($.s)', { s: 'héllo ☃' }) })).toBe('héllo ☃');
    expect(run('States.Base64Decode($.s)', { s: 'SGk' })).toBe('Hi');
  });

  it('Base64 rejects bad text and long input', () => {
    expect(failure('States.Base64Decode($.s)', { s: 'not base64!' })).toContain('not valid Base64');
    expect(failure('States.Base64Decode($.s)', { s: 'A' })).toContain('not valid Base64');
    expect(failure('States.Base64Encode($.s)', { s: 'x'.repeat(10_001) })).toContain('maximum of 10000');
    expect(run('States.Base64Encode($.s)', { s: 'x'.repeat(10_000) })).toHaveLength(13_336);
  });

  it('Hash supports the five algorithms by their AWS names', () => {
    for (const [name, node] of [
      ['MD5', 'md5'],
      ['SHA-1', 'sha1'],
      ['SHA-256', 'sha256'],
      ['SHA-384', 'sha384'],
      ['SHA-512', 'sha512'],
    ]) {
      expect(run(`States.Hash($.d, '${name}')`, { d: 'input data' })).toBe(createHash(node!).update('input data').digest('hex'));
    }
    expect(run("States.Hash('input data', 'SHA-1')")).toBe('aaff4a450a104cd177d28d18d74485e8cae074b7');
    expect(failure("States.Hash('x', 'sha256')")).toContain("'sha256' is not supported");
    expect(failure("States.Hash($.d, 'MD5')", { d: 'x'.repeat(10_001) })).toContain('maximum of 10000');
  });
});

describe('math functions', () => {
  it('MathAdd rounds half up before adding', () => {
    expect(run('States.MathAdd(1.5, 1.51)')).toBe(4);
    expect(run('States.MathAdd(-2.5, 0)')).toBe(-2);
    expect(run('States.MathAdd($.a, -1)', { a: 10 })).toBe(9);
    expect(failure("States.MathAdd(1, '-1')")).toBe('Invalid arguments in States.MathAdd');
    expect(failure('States.MathAdd($.a, 1)', { a: 2147483648 })).toContain('outside the integer range');
  });

  it('MathRandom draws from the injected source, start inclusive and end exclusive', () => {
    expect(run('States.MathRandom(10, 20)')).toBe(12);
    const low = evaluateIntrinsic('States.MathRandom(10, 20)', ctx({}), { ...fixed, random: () => 0 });
    const high = evaluateIntrinsic('States.MathRandom(10, 20)', ctx({}), { ...fixed, random: () => 0.9999999 });
    expect([low, high]).toEqual([10, 19]);
    expect(failure('States.MathRandom(5, 5)')).toContain('must be greater than the start');
  });

  it('MathRandom with a seed is java.util.Random and reproducible', () => {
    const seeded = run('States.MathRandom(0, 10, 42)');
    expect(seeded).toBe(new JavaRandom(42n).nextIntBounded(10) + 0);
    expect(run('States.MathRandom(0, 10, 42)')).toBe(seeded);
    expect(run('States.MathRandom(100, 200, 0)')).toBe(100 + new JavaRandom(0n).nextIntBounded(100));
  });
});

describe('JavaRandom', () => {
  it('reproduces java.util.Random', () => {
    // Values of `new java.util.Random(seed)` as Java prints them.
    expect(new JavaRandom(42n).nextDouble()).toBe(0.7275636800328681);
    expect(new JavaRandom(42n).nextInt()).toBe(-1170105035);
    expect(new JavaRandom(42n).nextIntBounded(10)).toBe(0);
    expect(new JavaRandom(0n).nextIntBounded(100)).toBe(60);
  });
});

describe('string functions', () => {
  it('StringSplit splits on every delimiter character and drops empty pieces', () => {
    expect(run("States.StringSplit($.s, '.+,=')", { s: 'This.is+a,test=string' })).toEqual(['This', 'is', 'a', 'test', 'string']);
    expect(run("States.StringSplit($.s, ',')", { s: ',,,,' })).toEqual([]);
    expect(run("States.StringSplit($.s, '')", { s: 'abc' })).toEqual(['abc']);
  });

  it('UUID comes from the injected source', () => {
    expect(run('States.UUID()')).toBe('11111111-2222-4333-8444-555555555555');
    expect(evaluateIntrinsic('States.UUID()', ctx({}))).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('arguments', () => {
  it('reads variables and the context object', () => {
    expect(run("States.Format('{} {}', $name, $$.Execution.Id)", {}, { name: 'Jo' })).toBe('Jo exec-id');
  });

  it('checks the argument count', () => {
    expect(failure('States.ArrayLength()')).toBe('States.ArrayLength takes exactly 1 argument, but was given 0');
    expect(failure('States.UUID(1)')).toBe('States.UUID takes no arguments, but was given 1');
    expect(failure('States.MathRandom(1)')).toBe('States.MathRandom takes 2 to 3 arguments, but was given 1');
    expect(failure('States.Format()')).toBe('States.Format takes at least 1 argument, but was given 0');
  });

  it('rejects unknown functions and malformed calls as intrinsic failures', () => {
    expect(failure('States.Compare($.a, $.b)')).toContain('States.Compare is not an intrinsic function');
    expect(failure('States.Array(')).toContain('Invalid intrinsic function call');
  });

  it('reports a path that matches nothing as States.Runtime with the path', () => {
    let thrown: unknown;
    try {
      run("States.Format('{}', $.missing)", { present: 1 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(IntrinsicPathNotFoundError);
    expect((thrown as IntrinsicPathNotFoundError).error).toBe('States.Runtime');
    expect((thrown as IntrinsicPathNotFoundError).path).toBe('$.missing');
    expect((thrown as IntrinsicPathNotFoundError).causeText).toBe(`The JSONPath '$.missing' could not be found in the input '{"present":1}'`);
  });

  it('parses each distinct expression once', () => {
    expect(parseIntrinsicExpression('States.Array(1)')).toBe(parseIntrinsicExpression('States.Array(1)'));
    expect(parseIntrinsicExpression('States.Array(')).toBeNull();
  });
});

describe('checkIntrinsicSyntax', () => {
  it.each([
    "States.Format('{}', $.a)",
    'States.MathAdd(States.ArrayLength($$.Execution.Input.machines),-1)',
    "States.JsonMerge(States.StringToJson($.Body), States.StringToJson('{\"NewField\": \"MyValue\" }'), false)",
    'States.JsonToString($)    ',
    'States.MathRandom($.a, $.b, 7)',
  ])('accepts %s', (expression) => {
    expect(checkIntrinsicSyntax(expression)).toBeNull();
  });

  it.each([
    ['  States.Format($.template, $.firstName)', "must start with 'States.'"],
    ['States.Foo($.a)', 'States.Foo is not an intrinsic function'],
    ["States.MathAdd(1,'-1')", 'argument 2 must be a number'],
    ["States.Format('{} {}', $.a)", '2 placeholder(s) but 1 value(s)'],
    ["States.Format('\\{\\}', $.a)", '0 placeholder(s) but 1 value(s)'],
    ['States.ArrayLength(States.Format($.a))', 'but States.Format returns a string'],
    ["States.Hash($.a, 'SHA256')", "'SHA256' is not supported"],
    ['States.ArrayPartition($.a, 0)', 'positive integer'],
    ['States.ArrayRange(1, 5, 0)', 'must not be 0'],
    ['States.ArrayGetItem($.a, -1)', 'must not be negative'],
    ["States.JsonMerge($.a, $.b, 'false')", 'argument 3 must be a boolean'],
    ['States.UUID(1)', 'takes no arguments'],
  ])('rejects %s', (expression, reason) => {
    expect(checkIntrinsicSyntax(expression)).toContain(reason);
  });

  const validationDir = fileURLToPath(new URL('../../../../shared/validation', import.meta.url));

  /** Every string in a definition that is (or claims to be) an intrinsic call in a `.$` / *Path field. */
  function intrinsicValues(definition: unknown, out: string[] = [], key = ''): string[] {
    if (typeof definition === 'string') {
      if ((key.endsWith('.$') || key === 'ErrorPath' || key === 'CausePath') && definition.trimStart().startsWith('States')) out.push(definition);
    } else if (Array.isArray(definition)) {
      definition.forEach((item) => intrinsicValues(item, out));
    } else if (definition !== null && typeof definition === 'object') {
      for (const [k, v] of Object.entries(definition)) intrinsicValues(v, out, k);
    }
    return out;
  }

  it.skipIf(!existsSync(validationDir))('accepts every intrinsic in the valid definitions of the validation corpus', () => {
    const dir = join(validationDir, 'valid');
    const found = readdirSync(dir)
      .filter((file) => file.endsWith('.json') && !file.endsWith('.expect.json'))
      .flatMap((file) => intrinsicValues(JSON.parse(readFileSync(join(dir, file), 'utf8'))));
    expect(found.length).toBeGreaterThan(100);
    expect(found.filter((expression) => checkIntrinsicSyntax(expression) !== null)).toEqual([]);
  });

  it.skipIf(!existsSync(validationDir))('rejects the invalid intrinsics of the validation corpus', () => {
    const dir = join(validationDir, 'invalid');
    const read = (name: string) => intrinsicValues(JSON.parse(readFileSync(join(dir, name), 'utf8')));
    const invalid = [...read('aslls--documentInvalidParametersIntrinsicFunction.json'), ...read('aslv--invalid-math-add.json')];
    expect(invalid).toHaveLength(6);
    expect(invalid.filter((expression) => checkIntrinsicSyntax(expression) === null)).toEqual([]);
  });
});

describe('compileIntrinsic', () => {
  it('compiles once and evaluates each context like evaluateIntrinsic', () => {
    const expression = "States.Format('{} x{}', $.sku, States.MathAdd($.qty, 1))";
    const call = compileIntrinsic(expression);
    for (const input of [{ sku: 'A', qty: 1 }, { sku: 'B', qty: 41 }]) {
      expect(call(ctx(input), fixed)).toBe(evaluateIntrinsic(expression, ctx(input), fixed));
    }
    expect(call(ctx({ sku: 'C', qty: 2 }))).toBe('C x3');
  });

  it('keeps every error for evaluation time, in the order evaluation meets it', () => {
    const unknown = compileIntrinsic('States.Nope(1)');
    const arity = compileIntrinsic('States.MathAdd(1)');
    const syntax = compileIntrinsic('States.Format(');
    const missing = compileIntrinsic('States.MathAdd($.missing, $.a)');
    const wrongType = compileIntrinsic("States.MathAdd('one', $.missing)");
    expect(() => unknown(ctx({}))).toThrow(/States.Nope is not an intrinsic function/);
    expect(() => arity(ctx({}))).toThrow(/takes exactly 2 arguments, but was given 1/);
    expect(() => syntax(ctx({}))).toThrow(/Invalid intrinsic function call/);
    expect(() => missing(ctx({ a: 1 }))).toThrow(IntrinsicPathNotFoundError);
    // The first argument's type is checked before the second is read.
    expect(() => wrongType(ctx({}))).toThrow(/Invalid arguments in States.MathAdd/);
  });
});
