import { describe, expect, it } from 'vitest';
import { testStateServer } from './sfn-test-server.js';

// Every answer here was recorded against AWS (2026-09), us-west-2, with the same requests.
const { send } = testStateServer();
const debug = (definition: object, input: unknown) => ({ definition: JSON.stringify(definition), input: JSON.stringify(input), inspectionLevel: 'DEBUG' as const });

describe("TestState's causes are the bare message, without the state prefix an execution's has", () => {
  it('for missing paths, Choice paths and JSONata failures', async () => {
    const cases: [object, unknown, string, string][] = [
      [{ Type: 'Pass', InputPath: '$.missing', End: true }, {}, 'States.Runtime', "Invalid path '$.missing' : No results for path: $['missing']"],
      [{ Type: 'Pass', Parameters: { 'missing.$': '$.missing' }, End: true }, {}, 'States.Runtime', "The JSONPath '$.missing' specified for the field 'missing.$' could not be found in the input '{}'"],
      [{ Type: 'Pass', OutputPath: '$.missing', End: true }, {}, 'States.Runtime', "Invalid path '$.missing' : No results for path: $['missing']"],
      [{ Type: 'Choice', Choices: [{ Variable: '$.missing', StringEquals: 'yes', Next: 'Match' }], Default: 'Fallback' }, {}, 'States.Runtime', "Invalid path '$.missing': The choice state's condition path references an invalid value."],
      [{ Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% $states.input.absent %}', End: true }, {}, 'States.QueryEvaluationError', "The JSONata expression '$states.input.absent' specified for the field 'Output' returned nothing (undefined)."],
    ];
    for (const [definition, input, error, cause] of cases) {
      expect(await send(debug(definition, input))).toMatchObject({ status: 'FAILED', error, cause });
    }
  });
});

describe('TestState of a Pass state with "Result": null', () => {
  it('passes the input on, with the inspection data of a Pass without Result', async () => {
    const out = await send(debug({ Type: 'Pass', Result: null, End: true }, { keep: 1 }));
    expect(out).toMatchObject({ status: 'SUCCEEDED', output: '{"keep":1}' });
    expect(out.inspectionData).toEqual({ input: '{"keep":1}', afterInputPath: '{"keep":1}', afterParameters: '{"keep":1}', afterResultSelector: '{"keep":1}', afterResultPath: '{"keep":1}' });
  });
});

describe("TestState of a Wait state whose SecondsPath selects the string \"1\"", () => {
  it('waits and succeeds', async () => {
    const out = await send(debug({ Type: 'Wait', SecondsPath: '$.seconds', End: true }, { seconds: '1' }));
    expect(out).toMatchObject({ status: 'SUCCEEDED', output: '{"seconds":"1"}' });
  });
});

describe('TestState of a Pass whose intrinsic function gets an argument of the wrong type', () => {
  it('fails with States.Runtime, naming the call and the function', async () => {
    const out = await send(debug({ Type: 'Pass', Parameters: { 'v.$': 'States.ArrayLength($.value)' }, End: true }, { value: 4 }));
    expect(out).toMatchObject({
      status: 'FAILED',
      error: 'States.Runtime',
      cause: 'There was an error while evaluating the intrinsic function: States.ArrayLength($.value). Invalid arguments in States.ArrayLength',
    });
    expect(out.inspectionData).toEqual({ input: '{"value":4}', afterInputPath: '{"value":4}' });
  });
});

describe("TestState's variables after a JSONata Assign", () => {
  it('reads the given values in every expression and lists the variables by name', async () => {
    const definition = { Type: 'Pass', QueryLanguage: 'JSONata', Assign: { x: '{% $x + 1 %}', oldX: '{% $x %}' }, Output: { sawX: '{% $x %}', input: '{% $states.input %}' }, End: true };
    const out = await send({ ...debug(definition, { value: 4 }), variables: '{"x":3}' });
    expect(out).toMatchObject({ status: 'SUCCEEDED', output: '{"sawX":3,"input":{"value":4}}' });
    expect(out.inspectionData).toEqual({ input: '{"value":4}', variables: '{"oldX":3,"x":4}' });
  });
});
