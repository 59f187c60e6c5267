import { describe, expect, it } from 'vitest';
import {
  checkPathSyntax,
  compilePath,
  evaluatePath,
  isDefinitePath,
  normalizedPath,
  parseReferencePath,
  selectPathOrThrowRuntime,
} from '../../src/asl/json-path.js';
import type { JsonObject, JsonValue } from '../../src/asl/json-value.js';
import type { PathContext } from '../../src/asl/path-context.js';
import { aslFailure } from './asl-failure.js';

type Store = { store: { book: JsonObject[]; bicycle: JsonObject }; expensive: number };
const store: Store & JsonObject = {
  store: {
    book: [
      { category: 'reference', author: 'Nigel Rees', title: 'Sayings of the Century', price: 8.95 },
      { category: 'fiction', author: 'Evelyn Waugh', title: 'Sword of Honour', price: 12.99 },
      { category: 'fiction', author: 'Herman Melville', title: 'Moby Dick', isbn: '0-553-21311-3', price: 8.99 },
      { category: 'fiction', author: 'J. R. R. Tolkien', title: 'The Lord of the Rings', isbn: '0-395-19395-8', price: 22.99 },
    ],
    bicycle: { color: 'red', price: 19.95 },
  },
  expensive: 10,
};

const ctxOf = (input: JsonValue, extra: Partial<PathContext> = {}): PathContext => ({ input, context: null, ...extra });
const ev = (path: string, input: JsonValue = store): JsonValue | undefined => evaluatePath(path, ctxOf(input));
const titles = (path: string): JsonValue | undefined => ev(path);

const runtimeCause = aslFailure;

describe('definite paths', () => {
  it('reads the root, dot and bracket notation', () => {
    expect(ev('$')).toBe(store);
    expect(ev('$.expensive')).toBe(10);
    expect(ev('$.store.bicycle.color')).toBe('red');
    expect(ev("$['store']['bicycle']['color']")).toBe('red');
    expect(ev('$["store"].bicycle["color"]')).toBe('red');
    expect(ev("$.store.['bicycle']")).toBe(store.store.bicycle);
    expect(ev('$["a b"]', { 'a b': 1 })).toBe(1);
    expect(ev('$.delivery-partner', { 'delivery-partner': 'x' })).toBe('x');
  });

  it('indexes arrays, from the end when negative', () => {
    expect(ev('$.store.book[0].author')).toBe('Nigel Rees');
    expect(ev('$.store.book[-1].author')).toBe('J. R. R. Tolkien');
    expect(ev('$.store.book[-4].author')).toBe('Nigel Rees');
    expect(ev('$[1]', [10, 20])).toBe(20);
    expect(ev('$.[1]', [10, 20])).toBe(20);
  });

  it('returns undefined when nothing matches', () => {
    expect(ev('$.nope')).toBeUndefined();
    expect(ev('$.store.nope.deeper')).toBeUndefined();
    expect(ev('$.store.book[4]')).toBeUndefined();
    expect(ev('$.store.book[-5]')).toBeUndefined();
    expect(ev('$.expensive.x')).toBeUndefined();
    expect(ev('$.store[0]')).toBeUndefined();
    expect(ev('$.store.book.title')).toBeUndefined();
  });

  it('keeps null values (a present null is a match)', () => {
    expect(ev('$.a', { a: null })).toBeNull();
    expect(ev('$.a[0]', { a: [null] })).toBeNull();
  });

  it('shares the selected value instead of copying it', () => {
    expect(ev('$.store.book')).toBe(store.store.book);
  });

  it('treats __proto__ and other prototype names as plain data', () => {
    const input = JSON.parse('{"__proto__": {"x": 1}, "constructor": 2}') as JsonValue;
    expect(ev('$.__proto__.x', input)).toBe(1);
    expect(ev("$['__proto__']", input)).toEqual({ x: 1 });
    expect(ev('$.constructor', input)).toBe(2);
    expect(ev('$.toString', {})).toBeUndefined();
    expect(ev('$.hasOwnProperty', {})).toBeUndefined();
    expect(ev('$[*]', { __proto__x: 1 })).toEqual([1]);
  });

  it('merges a trailing multi-name bracket into one object (Jayway), skipping absent names', () => {
    expect(ev("$.store.bicycle['color','price']")).toEqual({ color: 'red', price: 19.95 });
    expect(ev("$.store.bicycle['color','nope']")).toEqual({ color: 'red' });
    expect(isDefinitePath("$.a['b','c']")).toBe(true);
  });

  it('supports length() on arrays and objects', () => {
    expect(ev('$.store.book.length()')).toBe(4);
    expect(ev('$.store.bicycle.length()')).toBe(2);
    expect(ev('$.expensive.length()')).toBeNull();
    expect(ev('$.nope.length()')).toBeUndefined();
  });
});

describe('indefinite paths', () => {
  it('wildcards over arrays and object values', () => {
    expect(titles('$.store.book[*].author')).toEqual(['Nigel Rees', 'Evelyn Waugh', 'Herman Melville', 'J. R. R. Tolkien']);
    expect(ev('$.store.bicycle.*')).toEqual(['red', 19.95]);
    expect(ev('$.store.bicycle[*]')).toEqual(['red', 19.95]);
    expect(ev('$[*][*]', [[1, 2], [3], []])).toEqual([1, 2, 3]);
  });

  it('slices like Jayway: [from:to], [from:], [:to], negative bounds, step ignored', () => {
    const arr = [0, 1, 2, 3, 4, 5];
    expect(ev('$[1:3]', arr)).toEqual([1, 2]);
    expect(ev('$[1:]', arr)).toEqual([1, 2, 3, 4, 5]);
    expect(ev('$[:2]', arr)).toEqual([0, 1]);
    expect(ev('$[:-2]', arr)).toEqual([0, 1, 2, 3]);
    expect(ev('$[-2:]', arr)).toEqual([4, 5]);
    expect(ev('$[-4:-2]', arr)).toEqual([2, 3]);
    expect(ev('$[1:100]', arr)).toEqual([1, 2, 3, 4, 5]);
    expect(ev('$[10:]', arr)).toEqual([]);
    expect(ev('$[0:6:2]', arr)).toEqual([0, 1, 2, 3, 4, 5]);
    // Jayway does not wrap a negative end of a [from:to] slice.
    expect(ev('$[1:-1]', arr)).toEqual([]);
  });

  it('unions of indexes and of names (when not last)', () => {
    expect(ev('$[0,2,-1]', [0, 1, 2, 3])).toEqual([0, 2, 3]);
    expect(ev('$[0,9]', [0, 1])).toEqual([0]);
    expect(ev("$['a','b'].x", { a: { x: 1 }, b: { x: 2 }, c: { x: 3 } })).toEqual([1, 2]);
  });

  it('deep scans, parents before children', () => {
    expect(ev('$..author')).toEqual(['Nigel Rees', 'Evelyn Waugh', 'Herman Melville', 'J. R. R. Tolkien']);
    expect(ev('$.store..price')).toEqual([8.95, 12.99, 8.99, 22.99, 19.95]);
    expect(ev('$..book[2].title')).toEqual(['Moby Dick']);
    expect(ev('$..book[-1:].title')).toEqual(['The Lord of the Rings']);
    expect(ev('$..a', { a: { a: 1 } })).toEqual([{ a: 1 }, 1]);
    expect(ev('$..*', { a: [1, { b: 2 }] })).toEqual([[1, { b: 2 }], 1, { b: 2 }, 2]);
    expect(ev("$..['x']", [{ x: 1 }, { y: { x: 2 } }])).toEqual([1, 2]);
  });

  it('returns [] rather than failing when something on the way is missing (AWS)', () => {
    // base.base.json_path_array_wildcard_or_slice_with_no_input.*
    expect(ev('$[*]', {})).toEqual([]);
    expect(ev('$.item.items[*]', {})).toEqual([]);
    expect(ev('$.item.items[1:]', {})).toEqual([]);
    expect(ev('$.item.items[1:5].itemValue', {})).toEqual([]);
    expect(ev('$.items[*].itemValue', {})).toEqual([]);
    expect(ev('$.items[:1]', {})).toEqual([]);
    expect(ev('$.items[:1].itemValue', {})).toEqual([]);
    expect(ev('$.a[*]', { a: 5 })).toEqual([]);
  });
});

describe('filters', () => {
  it('compares numbers and strings', () => {
    expect(ev('$.store.book[?(@.price < 10)].title')).toEqual(['Sayings of the Century', 'Moby Dick']);
    expect(ev('$.store.book[?(@.price >= 22.99)].title')).toEqual(['The Lord of the Rings']);
    expect(ev("$.store.book[?(@.category == 'reference')].author")).toEqual(['Nigel Rees']);
    expect(ev('$.store.book[?(@.category != "fiction")].author')).toEqual(['Nigel Rees']);
    expect(ev("$.store.book[?(@.author > 'I')].author")).toEqual(['Nigel Rees', 'J. R. R. Tolkien']);
  });

  it('matches conformance case base.base.state_pass_regex_json_path_base', () => {
    const input = { users: [{ year: 1997, status: 0 }, { year: 1998, status: 1 }] };
    expect(ev('$.users[?(@.status == 0)]', input)).toEqual([{ year: 1997, status: 0 }]);
  });

  it('tests existence, and its negation', () => {
    expect(ev('$.store.book[?(@.isbn)].title')).toEqual(['Moby Dick', 'The Lord of the Rings']);
    expect(ev('$.store.book[?(!@.isbn)].title')).toEqual(['Sayings of the Century', 'Sword of Honour']);
    expect(ev('$[?(@.a)]', [{ a: null }, { b: 1 }, 3])).toEqual([{ a: null }]);
  });

  it('combines with && and || (&& binds tighter) and parentheses', () => {
    expect(ev("$.store.book[?(@.category == 'fiction' && @.price > 20)].title")).toEqual(['The Lord of the Rings']);
    expect(ev("$.store.book[?(@.price < 9 || @.price > 20)].title")).toEqual(['Sayings of the Century', 'Moby Dick', 'The Lord of the Rings']);
    expect(ev('$[?(@.a == 1 || @.b == 1 && @.c == 1)]', [{ a: 1 }, { b: 1 }, { b: 1, c: 1 }])).toEqual([{ a: 1 }, { b: 1, c: 1 }]);
    expect(ev('$[?((@.a == 1 || @.b == 1) && @.c == 1)]', [{ a: 1 }, { b: 1, c: 1 }])).toEqual([{ b: 1, c: 1 }]);
    expect(ev('$[?(!(@.a == 1))]', [{ a: 1 }, { a: 2 }])).toEqual([{ a: 2 }]);
  });

  it('matches whole strings with =~ regexes, optionally case-insensitive', () => {
    expect(ev('$.store.book[?(@.author =~ /.*REES/i)].author')).toEqual(['Nigel Rees']);
    expect(ev('$.store.book[?(@.author =~ /Rees/)].author')).toEqual([]);
    expect(ev('$[?(@.s =~ /a|ab/)]', [{ s: 'ab' }, { s: 'abc' }])).toEqual([{ s: 'ab' }]);
    expect(ev('$[?(@ =~ /\\d+/)]', ['12', 34, 'x', true])).toEqual(['12', 34]);
  });

  it('supports in / nin with JSON (also single-quoted) lists', () => {
    expect(ev("$.store.book[?(@.category in ['reference'])].author")).toEqual(['Nigel Rees']);
    expect(ev('$.store.book[?(@.price nin [8.95, 8.99, 12.99])].author')).toEqual(['J. R. R. Tolkien']);
    expect(ev('$[?(@.tags contains "b")].id', [{ id: 1, tags: ['a', 'b'] }, { id: 2, tags: ['c'] }])).toEqual([1]);
    expect(ev('$[?(@.tags size 2)].id', [{ id: 1, tags: ['a', 'b'] }, { id: 2, tags: ['c'] }])).toEqual([1]);
    expect(ev('$[?(@.tags empty true)].id', [{ id: 1, tags: [] }, { id: 2, tags: ['c'] }])).toEqual([1]);
  });

  it('compares against the document root with $ and uses @ for scalars', () => {
    expect(ev("$.store.book[?(@.price <= $['expensive'])].title")).toEqual(['Sayings of the Century', 'Moby Dick']);
    expect(ev('$[?(@ > 1)]', [1, 2, 3])).toEqual([2, 3]);
  });

  it('cross-compares numbers and strings like Jayway', () => {
    expect(ev("$[?(@.v == '1')]", [{ v: 1 }, { v: '1' }, { v: 2 }])).toEqual([{ v: 1 }, { v: '1' }]);
    expect(ev('$[?(@.v == true)]', [{ v: true }, { v: 'true' }])).toEqual([{ v: true }]);
    expect(ev('$[?(@.v == null)]', [{ v: null }, {}])).toEqual([{ v: null }]);
    expect(ev('$[?(@.v === 1)]', [{ v: 1 }, { v: '1' }])).toEqual([{ v: 1 }]);
  });

  it('applies a filter on an object to the object itself', () => {
    expect(ev('$.a[?(@.b == 1)]', { a: { b: 1 } })).toEqual([{ b: 1 }]);
    expect(ev('$..[?(@.price > 20)].title', store)).toEqual(['The Lord of the Rings']);
  });

  it('uses the length of a nested array', () => {
    expect(ev('$[?(@.t.length() > 1)].id', [{ id: 1, t: [1, 2] }, { id: 2, t: [1] }])).toEqual([1]);
  });
});

describe('roots: context object and variables', () => {
  const context = { Execution: { Id: 'arn:exec', Input: { k: 'v' } }, State: { Name: 'S' } };
  const variables = { answer: 42, obj: { lst: [1, 2] }, __proto__x: 1 };
  const ctx: PathContext = { input: { in: 1 }, context, variables };

  it('reads $$ from the context object', () => {
    expect(evaluatePath('$$', ctx)).toBe(context);
    expect(evaluatePath('$$.Execution.Input.k', ctx)).toBe('v');
    expect(evaluatePath("$$['State']['Name']", ctx)).toBe('S');
    expect(evaluatePath('$$.Execution.nope', ctx)).toBeUndefined();
  });

  it('reads $name from the variables, then the rest of the path', () => {
    expect(evaluatePath('$answer', ctx)).toBe(42);
    expect(evaluatePath('$obj.lst[1]', ctx)).toBe(2);
    expect(evaluatePath('$obj.lst[*]', ctx)).toEqual([1, 2]);
    expect(evaluatePath('$missing', ctx)).toBeUndefined();
    expect(evaluatePath('$missing[*]', ctx)).toEqual([]);
    expect(evaluatePath('$toString', ctx)).toBeUndefined();
    expect(evaluatePath('$answer', { input: null, context: null })).toBeUndefined();
  });

  it('keeps $ meaning the input', () => {
    expect(evaluatePath('$.in', ctx)).toBe(1);
  });
});

describe('bracket names keep backslashes verbatim (AWS)', () => {
  it('matches scenarios.base_scenarios.escape_sequence_parsing.escape_sequences_jsonpath', () => {
    const input = JSON.parse('{"Test\\\\\\"\\"Name\\"": "Value\\"\\\\"}') as JsonValue;
    const path = JSON.parse('"$[\'Test\\\\\\"\\"Name\\"\']"') as string;
    expect(path).toBe(`$['Test\\""Name"']`);
    expect(ev(path, input)).toBe('Value"\\');
  });
});

describe('selectPathOrThrowRuntime', () => {
  it('returns matches', () => {
    expect(selectPathOrThrowRuntime('$.store.bicycle.color', ctxOf(store))).toBe('red');
    expect(selectPathOrThrowRuntime('$.nope[*]', ctxOf(store))).toEqual([]);
  });

  it('reports a missing last field as "No results" (invalid_jsonpath_in_inputpath / _outputpath)', () => {
    expect(runtimeCause(() => selectPathOrThrowRuntime('$.NoSuchInputPath', ctxOf({ 'int-literal': 0 })))).toEqual({
      error: 'States.Runtime',
      cause: "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']",
    });
    expect(runtimeCause(() => selectPathOrThrowRuntime('$.NoSuchOutputPath', ctxOf({ 'int-literal': 0 }))).cause).toBe(
      "Invalid path '$.NoSuchOutputPath' : No results for path: $['NoSuchOutputPath']",
    );
    expect(runtimeCause(() => selectPathOrThrowRuntime('$.a.b', ctxOf({ a: {} }))).cause).toBe("Invalid path '$.a.b' : No results for path: $['a']['b']");
    expect(runtimeCause(() => selectPathOrThrowRuntime('$.a[3]', ctxOf({ a: [1] }))).cause).toBe("Invalid path '$.a[3]' : No results for path: $['a'][3]");
  });

  it('reports a missing intermediate field as "Missing property" (catch_states_runtime)', () => {
    expect(runtimeCause(() => selectPathOrThrowRuntime('$.no.such.result.path', ctxOf({})))).toEqual({
      error: 'States.Runtime',
      cause: "Invalid path '$.no.such.result.path' : Missing property in path $['no']",
    });
    expect(runtimeCause(() => selectPathOrThrowRuntime('$.a.no.x', ctxOf({ a: {} }))).cause).toBe("Invalid path '$.a.no.x' : Missing property in path $['a']['no']");
  });

  it('explains type mismatches with Jayway messages', () => {
    expect(runtimeCause(() => selectPathOrThrowRuntime('$.a.b', ctxOf({ a: 5 }))).cause).toBe(
      "Invalid path '$.a.b' : Expected to find an object with property ['b'] in path $['a'] but found 'java.lang.Integer'. " +
        "This is not a json object according to the JsonProvider: 'com.jayway.jsonpath.spi.json.JsonSmartJsonProvider'.",
    );
    expect(runtimeCause(() => selectPathOrThrowRuntime('$.a[0]', ctxOf({ a: null }))).cause).toBe("Invalid path '$.a[0]' : The path $['a'] is null");
  });

  it('rejects invalid syntax as States.Runtime', () => {
    expect(runtimeCause(() => selectPathOrThrowRuntime('$.', ctxOf({}))).error).toBe('States.Runtime');
  });
});

describe('syntax', () => {
  it.each(['$', '$$', '$.a', '$..a', '$.a[*]', '$.*', '$[0]', '$[-1]', '$[1:2]', '$[:2]', '$[1:]', '$[0,1]', "$['a','b']", '$["a b"]', '$[?(@.x > 1)]', '$.a.length()', '$var', '$var.a[0]', '$$.Map.Item.Value', "$.abc.['def ghi']"])(
    'accepts %s',
    (p) => {
      expect(checkPathSyntax(p)).toBeNull();
    },
  );

  it.each(['', 'a', '$.', '$..', '$.a.', '$*', '$a b', '$.a b', '$[', "$['a", '$[a]', '$[::2]', '$[?(@.a', '$[?(@.a ~~ 1)]', '$.a.foo()', '$.a.length().b', '$[1:2'])('rejects %s', (p) => {
    expect(checkPathSyntax(p)).toEqual(expect.any(String));
  });

  it('tells definite from indefinite paths', () => {
    for (const p of ['$', '$.a', '$.a[0].b', "$['a']", '$$.Execution.Input', '$v.a', '$.a.length()']) expect(isDefinitePath(p)).toBe(true);
    for (const p of ['$.a[*]', '$.*', '$..a', '$[0,1]', '$[1:]', '$[?(@.a)]', "$['a','b'].c", 'nonsense']) expect(isDefinitePath(p)).toBe(false);
  });

  it('normalizes paths the way Jayway prints them', () => {
    expect(normalizedPath('$.a.b[2]')).toBe("$['a']['b'][2]");
    expect(normalizedPath('$["x"]')).toBe('$["x"]');
  });

  it('exposes reference-path steps', () => {
    expect(parseReferencePath("$.a[0]['b c']")).toEqual({ ok: true, root: 'input', variable: undefined, keys: ['a', 0, 'b c'] });
    expect(parseReferencePath('$$.Execution')).toMatchObject({ ok: true, root: 'context', keys: ['Execution'] });
    expect(parseReferencePath('$.a[*]')).toMatchObject({ ok: false });
  });
});

describe('compilePath', () => {
  it('evaluates like evaluatePath', () => {
    const ctx: PathContext = { input: store, context: { Execution: { Id: 'e' } }, variables: { v: [1, 2] } };
    for (const p of ['$', '$.expensive', '$.store.book[1].title', '$..price', '$$.Execution.Id', '$v[1]', '$.missing', '$.store.book[?(@.price > 20)].title']) {
      expect(compilePath(p)(ctx)).toEqual(evaluatePath(p, ctx));
    }
  });

  it('throws AslError for invalid syntax', () => {
    expect(() => compilePath('$.')).toThrow(/Invalid path/);
  });
});
