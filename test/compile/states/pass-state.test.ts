import { describe, expect, it } from 'vitest';
import { createRuntime, type StateMachineDefinition } from '../../../src/index.js';
import { toAwsHistoryEvent } from '../../../src/observe/aws-history.js';

const pass = {
  Type: 'Pass', InputPath: '$.initialData', Parameters: { staticValue: 'some value', 'inputValue.$': '$.fieldFromInput' },
  Result: { resultKey: 'result value' }, ResultPath: '$.modifiedData',
} as const;

describe('Pass', () => {
  it('outputs its Result even with Parameters, as AWS does, on its own and as a Map iteration', async () => {
    const def: StateMachineDefinition = {
      StartAt: 'P',
      States: {
        P: { ...pass, Next: 'Each' },
        Each: { Type: 'Map', ItemsPath: '$.items', ResultPath: '$.each', ItemProcessor: { StartAt: 'Q', States: { Q: { ...pass, End: true } } }, End: true },
      },
    };
    const input = { initialData: { fieldFromInput: 'value from input' }, items: [{ initialData: { fieldFromInput: 'i' } }] };
    const result = await createRuntime({ clock: 'virtual' }).run({ definition: def, input });
    expect(result).toMatchObject({ status: 'SUCCEEDED' });
    expect(result.output).toEqual({
      ...input, modifiedData: { resultKey: 'result value' },
      each: [{ initialData: { fieldFromInput: 'i' }, modifiedData: { resultKey: 'result value' } }],
    });
  });

  it('does not evaluate InputPath or Parameters when a Result replaces them', async () => {
    const def: StateMachineDefinition = { StartAt: 'P', States: { P: { Type: 'Pass', InputPath: '$.missing', Parameters: { 'x.$': '$.nope' }, Result: 1, End: true } } };
    expect(await createRuntime({ clock: 'virtual' }).run({ definition: def, input: {} })).toMatchObject({ status: 'SUCCEEDED', output: 1 });
  });

  it('shapes its output from its input with Parameters when it has no Result', async () => {
    const def: StateMachineDefinition = { StartAt: 'P', States: { P: { Type: 'Pass', InputPath: '$.a', Parameters: { 'b.$': '$.b' }, ResultPath: '$.r', End: true } } };
    expect(await createRuntime({ clock: 'virtual' }).run({ definition: def, input: { a: { b: 2 } } })).toMatchObject({ status: 'SUCCEEDED', output: { a: { b: 2 }, r: { b: 2 } } });
  });
});

describe('Pass Parameters with intrinsic functions and the context object, as recorded against AWS (2026-09)', () => {
  it('gives each value AWS gave, the fields in the order AWS printed them', async () => {
    const definition: StateMachineDefinition = {
      StartAt: 'ContextIntrinsics',
      States: {
        ContextIntrinsics: {
          Type: 'Pass',
          Parameters: {
            'execution.$': '$$.Execution', 'state.$': '$$.State', 'machine.$': '$$.StateMachine',
            'nested.$': "States.Format('{}:{}', States.ArrayGetItem($.arr, 1), States.MathAdd($.number, 2))",
            'array.$': 'States.Array($.number, $.nil, true)', 'partition.$': 'States.ArrayPartition($.arr, 2)',
            'contains.$': 'States.ArrayContains($.arr, 2)', 'range.$': 'States.ArrayRange(1, 5, 2)', 'unique.$': 'States.ArrayUnique($.arr)',
            'json.$': 'States.StringToJson($.text)', 'encoded.$': "States.Base64Encode('hello')", 'decoded.$': "States.Base64Decode('aGVsbG8=')",
            'hash.$': "States.Hash('hello', 'SHA-256')", 'split.$': "States.StringSplit('a,b;c', ',;')",
            'merge.$': 'States.JsonMerge($.left, $.right, false)', 'serialized.$': 'States.JsonToString($.left)',
          },
          End: true,
        },
      },
    };
    const input = { case: 'ContextIntrinsics', arr: [1, 2, 2, 3], number: 5, nil: null, text: '{"parsed":true}', left: { a: 1, nested: { left: 1 } }, right: { b: 2, nested: { right: 2 } } };
    const result = await createRuntime({ clock: 'virtual' }).run({ definition, input });
    expect(result.status).toBe('SUCCEEDED');
    const { execution, state, machine, ...rest } = result.output as Record<string, unknown>;
    expect(Object.keys(result.output as object)).toEqual(['execution', 'range', 'nested', 'contains', 'partition', 'split', 'array', 'machine', 'unique', 'merge', 'json', 'decoded', 'state', 'hash', 'encoded', 'serialized']);
    expect(JSON.stringify(rest)).toBe('{"range":[1,3,5],"nested":"2:7","contains":true,"partition":[[1,2],[2,3]],"split":["a","b","c"],"array":[5,null,true],"unique":[1,2,3],"merge":{"a":1,"nested":{"right":2},"b":2},"json":{"parsed":true},"decoded":"hello","hash":"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824","encoded":"aGVsbG8=","serialized":"{\\"a\\":1,\\"nested\\":{\\"left\\":1}}"}');
    expect(Object.keys(execution as object)).toEqual(['Id', 'Input', 'StartTime', 'Name', 'RoleArn', 'RedriveCount']);
    expect(Object.keys(state as object)).toEqual(['Name', 'EnteredTime']);
    expect(Object.keys(machine as object)).toEqual(['Id', 'Name']);
  });
});

describe('assignedVariables, as recorded against AWS (2026-09)', () => {
  it('lists the variables by name, whatever order the Assign gives them in', async () => {
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Initialize',
      States: {
        Initialize: { Type: 'Pass', Assign: { outer: '{% $states.input.base %}', x: 1 }, Next: 'Swap' },
        Swap: { Type: 'Pass', Assign: { x: '{% $x + 1 %}', oldX: '{% $x %}' }, Output: { outputSawX: '{% $x %}', input: '{% $states.input %}' }, End: true },
      },
    } as StateMachineDefinition;
    const execution = createRuntime({ clock: 'virtual' }).startExecution({ definition, input: { case: 'scope', base: 5 } });
    expect(await execution.done).toMatchObject({ status: 'SUCCEEDED', output: { outputSawX: 1, input: { case: 'scope', base: 5 } } });
    const assigned = execution.events.filter((e) => e.type === 'PassStateExited').map((e) => JSON.stringify(toAwsHistoryEvent(e).stateExitedEventDetails));
    expect(assigned).toEqual([
      '{"assignedVariables":{"outer":"5","x":"1"},"assignedVariablesDetails":{"truncated":false},"name":"Initialize","output":"{\\"case\\":\\"scope\\",\\"base\\":5}","outputDetails":{"truncated":false}}',
      '{"assignedVariables":{"oldX":"1","x":"2"},"assignedVariablesDetails":{"truncated":false},"name":"Swap","output":"{\\"outputSawX\\":1,\\"input\\":{\\"case\\":\\"scope\\",\\"base\\":5}}","outputDetails":{"truncated":false}}',
    ]);
  });
});
