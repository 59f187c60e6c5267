import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../src/asl/json-value.js';
import type { JsonataBindings } from '../../../src/asl/jsonata/evaluate-jsonata.js';
import { containsJsonataExpression, evaluateJsonataTemplate, isJsonataExpression } from '../../../src/asl/jsonata/jsonata-template.js';
import { checkJsonataSyntax } from '../../../src/asl/jsonata/jsonata-syntax.js';

const b: JsonataBindings = {
  states: { input: { title: 'Doctor', list: [1, 2] }, context: {} },
  variables: { customerName: 'María' },
};

describe('evaluateJsonataTemplate', () => {
  it('evaluates {% %} strings at any depth and keeps the rest literal', async () => {
    const template: JsonValue = {
      static: 'Hello',
      title: '{% $states.input.title %}',
      name: '{% $customerName %}',
      'not-evaluated': '$customerName',
      interpolated: 'Hi {% $customerName %}',
      nested: { list: ['{% $states.input.list %}', 3, null, true, '{%$count($states.input.list)%}'] },
    };
    expect(await evaluateJsonataTemplate(template, b, 'Arguments')).toEqual({
      static: 'Hello',
      title: 'Doctor',
      name: 'María',
      'not-evaluated': '$customerName',
      interpolated: 'Hi {% $customerName %}',
      nested: { list: [[1, 2], 3, null, true, 2] },
    });
  });

  it('evaluates a whole-field expression and passes other values through', async () => {
    expect(await evaluateJsonataTemplate('{% $states.input.list %}', b, 'Items')).toEqual([1, 2]);
    expect(await evaluateJsonataTemplate(42, b, 'Output')).toBe(42);
    expect(await evaluateJsonataTemplate('plain', b, 'Output')).toBe('plain');
    expect(await evaluateJsonataTemplate([], b, 'Output')).toEqual([]);
  });

  it('fails on an expression that returns nothing, naming the path', async () => {
    await expect(evaluateJsonataTemplate({ FunctionName: '{% $doesNotExist %}' }, b, 'Arguments')).rejects.toMatchObject({
      error: 'States.QueryEvaluationError',
      causeText: "The JSONata expression '$doesNotExist' specified for the field 'Arguments/FunctionName' returned nothing (undefined).",
    });
    await expect(evaluateJsonataTemplate({ a: { b: ['x', '{% $nope %}'] } }, b, 'Output')).rejects.toMatchObject({
      causeText: "The JSONata expression '$nope' specified for the field 'Output/a/b[1]' returned nothing (undefined).",
    });
    await expect(evaluateJsonataTemplate('{% $doesNotExist %}', b, 'Output')).rejects.toMatchObject({
      causeText: "The JSONata expression '$doesNotExist' specified for the field 'Output' returned nothing (undefined).",
    });
  });

  it('reports the first failing expression in document order', async () => {
    await expect(evaluateJsonataTemplate({ a: '{% $first %}', b: '{% $second %}' }, b, 'Output')).rejects.toMatchObject({
      causeText: expect.stringContaining("'$first'"),
    });
  });

  it('keeps a __proto__ key of the template as a key', async () => {
    const template = JSON.parse('{"__proto__": "{% $customerName %}", "x": 1}') as JsonValue;
    const out = (await evaluateJsonataTemplate(template, b, 'Output')) as Record<string, JsonValue>;
    expect(JSON.stringify(out)).toBe('{"__proto__":"María","x":1}');
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it('containsJsonataExpression / isJsonataExpression', () => {
    expect(containsJsonataExpression({ a: [1, { b: '{% 1 %}' }] })).toBe(true);
    expect(containsJsonataExpression({ a: [1, { b: '{% 1' }] })).toBe(false);
    expect(isJsonataExpression('{% 1 %}')).toBe(true);
  });
});

describe('checkJsonataSyntax', () => {
  it('accepts what the library parses, with or without markers', () => {
    expect(checkJsonataSyntax('$states.input.x + 1')).toBeNull();
    expect(checkJsonataSyntax('{% $partition([1,2], 1) %}')).toBeNull();
    expect(checkJsonataSyntax('($f := function($x){ $x * 2 }; $f(2))')).toBeNull();
  });

  it('returns the library code and message otherwise', () => {
    expect(checkJsonataSyntax('10 + * 2')).toBe('S0201: Syntax error: 2');
    expect(checkJsonataSyntax('$.store.book[?(@.price < 10)].title')).toBe('S0211: The symbol "?" cannot be used as a unary operator');
    expect(checkJsonataSyntax('')).toBe('S0207: Unexpected end of expression');
    expect(checkJsonataSyntax('(')).toBe('S0203: Expected ")" before end of expression');
  });

  it('rejects the operators JSONata 2.1 added, which AWS does not run', () => {
    expect(checkJsonataSyntax('$x ?: 1')).not.toBeNull();
    expect(checkJsonataSyntax('$x ?? 1')).not.toBeNull();
  });
});
