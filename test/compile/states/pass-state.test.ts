import { describe, expect, it } from 'vitest';
import { createRuntime, type StateMachineDefinition } from '../../../src/index.js';

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
