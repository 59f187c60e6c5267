import { describe, expect, it, vi } from 'vitest';
import type { JsonValue } from '../../src/asl/json-value.js';
import type { PathContext } from '../../src/asl/path-context.js';
import { aslFailure } from './asl-failure.js';
import { javaHashMapOrder } from '../../src/resources/java-hash-order.js';

// Intrinsics are another module's job; here we only check they are delegated to: compiled
// once with the template, then called with each evaluation's context.
const compiledCall = vi.fn((ctx: PathContext) => ({ input: ctx.input }));
vi.mock('../../src/asl/intrinsics/evaluate-intrinsic.js', () => ({
  isIntrinsicCall: (e: string) => /^\s*States\.[A-Za-z0-9]+\s*\(/.test(e),
  compileIntrinsic: vi.fn((e: string) => (ctx: PathContext) => ({ intrinsic: e, ...compiledCall(ctx) })),
}));

const { compilePayloadTemplate, evaluatePayloadTemplate } = await import('../../src/asl/payload-template.js');
const { compileIntrinsic } = await import('../../src/asl/intrinsics/evaluate-intrinsic.js');

const ctxOf = (input: JsonValue, extra: Partial<PathContext> = {}): PathContext => ({ input, context: null, ...extra });

const failure = aslFailure;

describe('evaluatePayloadTemplate', () => {
  it('resolves .$ fields from the input and drops the suffix', () => {
    const input = { comment: 'x', product: { details: { color: 'blue', size: 'small' }, availability: 'in stock' } };
    const template = { comment: 'Selecting what I care about.', MyDetails: { 'size.$': '$.product.details.size', 'exists.$': '$.product.availability', StaticValue: 'foo' } };
    expect(evaluatePayloadTemplate(template, ctxOf(input), 'Parameters')).toEqual({
      comment: 'Selecting what I care about.',
      MyDetails: { size: 'small', exists: 'in stock', StaticValue: 'foo' },
    });
  });

  // Recorded against AWS (2026-09): the copied members first, in the template's order, then the
  // `.$` ones in Java HashMap order of their names; the values taken from the input keep theirs.
  it('orders members as AWS does: copied ones first, then the .$ ones in Java HashMap order', () => {
    const text = (template: JsonValue, ctx: PathContext) => JSON.stringify(evaluatePayloadTemplate(template, ctx, 'Parameters'));
    // observability.json: a Pass state's Parameters, as ExecutionSucceeded's output showed them.
    const input = { case: 'standard-all-data-pass', payload: { visible: true, number: 42 }, unicode: 'native-λ' };
    expect(text({ 'case.$': '$.case', result: 'native-pass', nested: { n: 7 } }, ctxOf(input))).toBe('{"result":"native-pass","nested":{"n":7},"case":"standard-all-data-pass"}');
    // test_state_mock.json: TestState's afterItemSelector showed {"v":1,"i":0}.
    const item = ctxOf({}, { context: { Map: { Item: { Index: 0, Value: 1 } } } });
    expect(text({ 'i.$': '$$.Map.Item.Index', 'v.$': '$$.Map.Item.Value' }, item)).toBe('{"v":1,"i":0}');
    // The conformance corpus (scenarios.base_scenarios.map_state_item_selector): a Map's result.
    const shipped = { 'delivery-partner': 'UQS', shipped: [{ prod: 'R31', 'dest-code': 9511, quantity: 1344 }] };
    const selector = { 'original_input.$': '$', 'iteration_input_value.$': '$$.Map.Item.Value', 'iteration_index.$': '$$.Map.Item.Index', 'from_input_constant.$': '$.delivery-partner', constant_value: 'HelloWorld' };
    const selected = evaluatePayloadTemplate(selector, ctxOf(shipped, { context: { Map: { Item: { Index: 0, Value: shipped.shipped[0]! } } } }), 'ItemSelector');
    expect(Object.keys(selected as object)).toEqual(['constant_value', 'iteration_input_value', 'from_input_constant', 'iteration_index', 'original_input']);
    expect(JSON.stringify((selected as { iteration_input_value: JsonValue }).iteration_input_value)).toBe('{"prod":"R31","dest-code":9511,"quantity":1344}');
    // The corpus' TaskScheduled parameters (aws_sdk dynamodb_put_update_get_item, lambda_service_invoke_with_retry_extended_input).
    const update = { 'TableName.$': '$.t', 'Key.$': '$.k', 'UpdateExpression.$': '$.u', 'ExpressionAttributeValues.$': '$.v', ReturnValues: 'UPDATED_NEW' };
    expect(text(update, ctxOf({ t: 'T', k: 'K', u: 'U', v: 'V' }))).toBe('{"ReturnValues":"UPDATED_NEW","TableName":"T","UpdateExpression":"U","Key":"K","ExpressionAttributeValues":"V"}');
    expect(text({ 'FunctionName.$': '$.f', Payload: { 'ThisState.$': '$.s' } }, ctxOf({ f: 'fn', s: 1 }))).toBe('{"Payload":{"ThisState":1},"FunctionName":"fn"}');
  });

  // Outputs are made by a constructor per list of member names (see outputConstructor): they must
  // still be plain objects, as a literal or JSON.parse gives, whatever template made them.
  it('makes plain objects, the same for templates with the same members and their own for others', () => {
    const one = evaluatePayloadTemplate({ 'id.$': '$.id', step: 1 }, ctxOf({ id: 'a' }), 'Parameters');
    const same = evaluatePayloadTemplate({ 'id.$': '$.id', step: 2 }, ctxOf({ id: 'b' }), 'Parameters');
    const other = evaluatePayloadTemplate(JSON.parse('{"id.$":"$.id","__proto__":{"x":1},"extra":true}'), ctxOf({ id: 'c' }), 'Parameters');
    for (const out of [one, same, other]) expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(one).toStrictEqual({ step: 1, id: 'a' });
    expect(same).toStrictEqual({ step: 2, id: 'b' });
    expect(JSON.stringify(other)).toBe('{"__proto__":{"x":1},"extra":true,"id":"c"}');
    expect(Object.keys(other as object)).toEqual(['__proto__', 'extra', 'id']);
    expect(JSON.parse(JSON.stringify(one))).toStrictEqual(one);
  });

  it('keeps the order of a template without .$ members', () => {
    expect(JSON.stringify(evaluatePayloadTemplate({ z: 1, a: { y: 2, b: 3 }, m: 2 }, ctxOf({}), 'Parameters'))).toBe('{"z":1,"a":{"y":2,"b":3},"m":2}');
  });

  it('processes nested arrays and objects, copying other values as-is', () => {
    const template = { list: [1, { 'v.$': '$.v' }, [true, null, { 'w.$': '$' }]], n: null, s: '$.notapath' };
    expect(evaluatePayloadTemplate(template, ctxOf({ v: 7 }), 'Parameters')).toEqual({
      list: [1, { v: 7 }, [true, null, { w: { v: 7 } }]],
      n: null,
      s: '$.notapath',
    });
  });

  it('reads $$ from the context object and $name from variables', () => {
    const ctx = ctxOf({ a: 1 }, { context: { Map: { Item: { Index: 3, Value: 'x' } } }, variables: { answer: 42, obj: { l: [1, 2] } } });
    expect(evaluatePayloadTemplate({ 'i.$': '$$.Map.Item.Index', 'v.$': '$$.Map.Item.Value', 'x.$': '$answer', 'y.$': '$obj.l[1]', 'ctx.$': '$$' }, ctx, 'ItemSelector')).toEqual({
      i: 3,
      v: 'x',
      x: 42,
      y: 2,
      ctx: { Map: { Item: { Index: 3, Value: 'x' } } },
    });
  });

  it('returns arrays for indefinite paths, even empty ones', () => {
    const input = { users: [{ year: 1997, status: 0 }, { year: 1998, status: 1 }] };
    // base.base.state_pass_regex_json_path_base
    expect(evaluatePayloadTemplate({ 'FromInput.$': '$.users[?(@.status == 0)]' }, ctxOf(input), 'Parameters')).toEqual({ FromInput: [{ year: 1997, status: 0 }] });
    // base.base.json_path_array_wildcard_or_slice_with_no_input.*
    for (const p of ['$[*]', '$.item.items[*]', '$.item.items[1:]', '$.item.items[1:5].itemValue', '$.items[*].itemValue', '$.items[:1]', '$.items[:1].itemValue']) {
      expect(evaluatePayloadTemplate({ 'item.$': p }, ctxOf({}), 'Parameters')).toEqual({ item: [] });
    }
  });

  it('matches base.base.json_path_array_access cases', () => {
    const input = { items: Array.from({ length: 11 }, (_, i) => ({ item_key: i })) };
    expect(evaluatePayloadTemplate({ 'item.$': '$.items[0]' }, ctxOf(input), 'Parameters')).toEqual({ item: { item_key: 0 } });
    expect(evaluatePayloadTemplate({ 'item.$': '$.items[10]' }, ctxOf(input), 'Parameters')).toEqual({ item: { item_key: 10 } });
  });

  it('matches scenarios...escape_sequences_jsonpath', () => {
    const input = JSON.parse('{"Test\\\\\\"\\"Name\\"": "Value\\"\\\\"}') as JsonValue;
    const template = JSON.parse('{"value.$": "$[\'Test\\\\\\"\\"Name\\"\']"}') as JsonValue;
    expect(evaluatePayloadTemplate(template, ctxOf(input), 'Parameters')).toEqual({ value: 'Value"\\' });
  });

  it('delegates intrinsic calls with the same context', () => {
    const ctx = ctxOf({ a: 1 });
    const out = evaluatePayloadTemplate({ 'f.$': "States.Format('{}', $.a)" }, ctx, 'Parameters');
    expect(out).toEqual({ f: { intrinsic: "States.Format('{}', $.a)", input: { a: 1 } } });
    expect(compileIntrinsic).toHaveBeenCalledWith("States.Format('{}', $.a)");
    expect(compiledCall).toHaveBeenCalledWith(ctx);
  });

  it('fails like AWS when a path matches nothing (invalid_jsonpath_in_string_expr_jsonpath)', () => {
    expect(failure(() => evaluatePayloadTemplate({ 'value.$': '$.no_such_jsonpath' }, ctxOf({ 'int-literal': 0 }), 'Parameters'))).toEqual({
      error: 'States.Runtime',
      cause: `The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{"int-literal":0}'`,
    });
  });

  it('shows the state input for a missing context path (invalid_jsonpath_in_string_expr_contextpath)', () => {
    const ctx = ctxOf({ 'int-literal': 0 }, { context: { Execution: { Input: { 'int-literal': 0 } } } });
    expect(failure(() => evaluatePayloadTemplate({ 'value.$': '$$.Execution.Input.no_such_jsonpath' }, ctx, 'Parameters'))).toEqual({
      error: 'States.Runtime',
      cause: `The JSONPath '$$.Execution.Input.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{"int-literal":0}'`,
    });
  });

  it('reports a nested field by its own name', () => {
    const cause = failure(() => evaluatePayloadTemplate({ a: { 'address.$': '$.application.address' } }, ctxOf({ flagged: false }), 'Parameters')).cause;
    expect(cause).toBe(`The JSONPath '$.application.address' specified for the field 'address.$' could not be found in the input '{"flagged":false}'`);
  });

  it('rejects a .$ field whose value is not a path or intrinsic', () => {
    expect(failure(() => evaluatePayloadTemplate({ 'a.$': 5 }, ctxOf({}), 'Parameters')).error).toBe('States.Runtime');
    expect(failure(() => evaluatePayloadTemplate({ 'a.$': 'abc' }, ctxOf({}), 'Parameters')).error).toBe('States.Runtime');
  });

  it('keeps __proto__ keys as data', () => {
    const template = JSON.parse('{"__proto__": {"x": 1}, "k.$": "$.v"}') as JsonValue;
    const out = evaluatePayloadTemplate(template, ctxOf({ v: 2 }), 'Parameters') as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe('{"__proto__":{"x":1},"k":2}');
    const viaPath = evaluatePayloadTemplate({ '__proto__.$': '$.v' }, ctxOf({ v: { polluted: true } }), 'Parameters') as Record<string, unknown>;
    expect(Object.getPrototypeOf(viaPath)).toBe(Object.prototype);
    expect(JSON.stringify(viaPath)).toBe('{"__proto__":{"polluted":true}}');
  });

  it('returns scalar templates unchanged', () => {
    expect(evaluatePayloadTemplate('x', ctxOf({}), 'Parameters')).toBe('x');
    expect(evaluatePayloadTemplate(3, ctxOf({}), 'Parameters')).toBe(3);
  });

  it('builds new objects per call but shares values taken from the input', () => {
    const input = { big: { nested: [1, 2, 3] } };
    const template = { 'b.$': '$.big' };
    const a = evaluatePayloadTemplate(template, ctxOf(input), 'Parameters') as { b: unknown };
    const b = evaluatePayloadTemplate(template, ctxOf(input), 'Parameters');
    expect(a).not.toBe(b);
    expect(a.b).toBe(input.big);
  });

  it('does not alias the definition for static parts', () => {
    const template = { fixed: { deep: [1] }, 'x.$': '$' };
    const out = evaluatePayloadTemplate(template, ctxOf(0), 'Parameters') as { fixed: unknown };
    expect(out.fixed).toEqual(template.fixed);
    expect(out.fixed).not.toBe(template.fixed);
  });
});

describe('compilePayloadTemplate', () => {
  it('evaluates the same as evaluatePayloadTemplate for many inputs', () => {
    const template = { 'a.$': '$.a', k: [{ 'b.$': '$.b[0]' }], s: 'static' };
    const run = compilePayloadTemplate(template, 'ResultSelector');
    for (const input of [{ a: 1, b: [2] }, { a: 'x', b: ['y', 'z'] }]) {
      expect(run(ctxOf(input))).toEqual(evaluatePayloadTemplate(template, ctxOf(input), 'ResultSelector'));
    }
  });

  it('returns a constant copy for templates without .$ fields', () => {
    const template = { a: { b: 1 } };
    const run = compilePayloadTemplate(template, 'Parameters');
    expect(run(ctxOf({}))).toEqual(template);
    expect(run(ctxOf({}))).not.toBe(template);
  });
});
