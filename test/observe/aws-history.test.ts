import { describe, expect, it } from 'vitest';
import { createRuntime, toAwsHistoryEvent, type StateMachineDefinition } from '../../src/index.js';

const history = async (definition: StateMachineDefinition, input: unknown) => {
  const execution = createRuntime({ clock: 'virtual' }).startExecution({ definition, input: input as never });
  await execution.done;
  return execution.events.map(toAwsHistoryEvent);
};
const details = (e: Record<string, unknown>) => (e.stateExitedEventDetails ?? e.executionSucceededEventDetails) as Record<string, unknown>;

describe('the text of GetExecutionHistory events, as AWS writes it', () => {
  it("writes an evaluated template's copied members first, then its .$ ones (recorded against AWS (2026-09))", async () => {
    // observability.json: the same definition and input; PassStateExited and ExecutionSucceeded showed this text.
    const definition: StateMachineDefinition = {
      StartAt: 'ShortWait',
      States: { ShortWait: { Type: 'Wait', Seconds: 1, Next: 'Pass' }, Pass: { Type: 'Pass', Parameters: { 'case.$': '$.case', result: 'native-pass', nested: { n: 7 } }, End: true } },
    };
    const events = await history(definition, { case: 'standard-all-data-pass', payload: { visible: true, number: 42 } });
    const recorded = '{"result":"native-pass","nested":{"n":7},"case":"standard-all-data-pass"}';
    expect(details(events.find((e) => e.type === 'PassStateExited')!).output).toBe(recorded);
    expect(details(events.find((e) => e.type === 'ExecutionSucceeded')!).output).toBe(recorded);
  });

  it('orders sixteen .$ members as a grown Java HashMap does, and keeps JsonMerge\'s order (recorded against AWS (2026-09))', async () => {
    // dataflow_execution.json, context-and-intrinsics: the same Parameters and input; ExecutionSucceeded's output.
    const fields = ['execution', '$$.Execution', 'state', '$$.State', 'machine', '$$.StateMachine', 'nested', "States.Format('{}:{}', States.ArrayGetItem($.arr, 1), States.MathAdd($.number, 2))",
      'array', 'States.Array($.number, $.nil, true)', 'partition', 'States.ArrayPartition($.arr, 2)', 'contains', 'States.ArrayContains($.arr, 2)', 'range', 'States.ArrayRange(1, 5, 2)',
      'unique', 'States.ArrayUnique($.arr)', 'json', 'States.StringToJson($.text)', 'encoded', "States.Base64Encode('hello')", 'decoded', "States.Base64Decode('aGVsbG8=')",
      'hash', "States.Hash('hello', 'SHA-256')", 'split', "States.StringSplit('a,b;c', ',;')", 'merge', 'States.JsonMerge($.left, $.right, false)', 'serialized', 'States.JsonToString($.left)'];
    const parameters: Record<string, string> = {};
    for (let i = 0; i < fields.length; i += 2) parameters[`${fields[i]}.$`] = fields[i + 1]!;
    const input = { case: 'ContextIntrinsics', arr: [1, 2, 2, 3], number: 5, nil: null, text: '{"parsed":true}', left: { a: 1, nested: { left: 1 } }, right: { b: 2, nested: { right: 2 } } };
    const events = await history({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: parameters, End: true } } } as StateMachineDefinition, input);
    const output = JSON.parse(details(events.find((e) => e.type === 'ExecutionSucceeded')!).output as string) as Record<string, unknown>;
    expect(Object.keys(output).join(',')).toBe('execution,range,nested,contains,partition,split,array,machine,unique,merge,json,decoded,state,hash,encoded,serialized');
    expect(JSON.stringify(output.merge)).toBe('{"a":1,"nested":{"right":2},"b":2}');
  });

  it('lists assignedVariables by name, whatever their order in Assign (recorded against AWS (2026-09))', async () => {
    // The conformance corpus (arguments.arguments.base_cases.base_lambda_expression and 23 other recorded events).
    const definition: StateMachineDefinition = { StartAt: 'A', States: { A: { Type: 'Pass', Assign: { 'var_input_value.$': '$.v', var_constant_1: 1, Zed: 'z' }, End: true } } };
    const events = await history(definition, { v: 'x' });
    const assigned = details(events.find((e) => e.type === 'PassStateExited')!).assignedVariables as Record<string, string>;
    expect(JSON.stringify(assigned)).toBe('{"Zed":"\\"z\\"","var_constant_1":"1","var_input_value":"\\"x\\""}');
  });
});
