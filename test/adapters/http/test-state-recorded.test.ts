import { describe, expect, it } from 'vitest';
import { testStateServer } from './sfn-test-server.js';

// Every answer here was recorded against AWS (2026-09), us-west-2, with the same requests.
const { send, refused } = testStateServer();

const TASK = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'stackd-teststate-mock-no-resource' }, End: true };
const CHILD = { StartAt: 'Child', States: { Child: { Type: 'Pass', End: true } } };
const MAP = { Type: 'Map', ItemsPath: '$.items', ItemSelector: { 'i.$': '$$.Map.Item.Index', 'v.$': '$$.Map.Item.Value' }, ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, ...CHILD }, End: true };
const DISTRIBUTED = { ...MAP, ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, ...CHILD }, ItemBatcher: { MaxItemsPerBatch: 2 }, MaxConcurrency: 2, ToleratedFailureCount: 1 };
const { ItemsPath: _itemsPath, ...DISTRIBUTED_NO_PATH } = DISTRIBUTED;
const READER = { ...DISTRIBUTED_NO_PATH, ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON', ItemsPointer: '/items' }, Parameters: { Bucket: 'stackd-teststate-no-resource', Key: 'none.json' } } };
const base = (definition: object, extra: object = {}) => ({ definition: JSON.stringify(definition), input: '{"items":[1,2,3]}', inspectionLevel: 'DEBUG' as const, ...extra });
const ERROR = { errorOutput: { error: 'Owned.Error', cause: 'mock' } };

describe('TestState mocks refused in AWS words', () => {
  it('wants result or errorOutput, an error in errorOutput, and an object for a Task', async () => {
    await refused(base(TASK, { mock: {} }), 'One of the following fields is required for a test mock: [result, errorOutput].');
    await refused(base(TASK, { mock: { errorOutput: {} } }), 'An error was not specified in the mocked error output.');
    await refused(base(TASK, { mock: { result: 'null' } }), 'Mocked result must be a valid JSON object.');
  });

  it("wants a Map's result with one entry per iteration, a batch being one", async () => {
    await refused(base(DISTRIBUTED, { mock: { result: '[10,20,30]' } }), "Input array does not equal the mocked result array's size");
    const ok = await send(base(DISTRIBUTED, { mock: { result: '[10,20]' } }));
    expect(ok).toMatchObject({ status: 'SUCCEEDED', output: '[10,20]' });
    // The failure threshold is weighed before the result's size.
    const failed = await send(base(DISTRIBUTED, { mock: { result: '[10,20,30]' }, stateConfiguration: { mapIterationFailureCount: 2 } }));
    expect(failed).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold', cause: 'The specified tolerated failure threshold was exceeded' });
    await refused(base(DISTRIBUTED, { mock: { result: '[10,20,30]' }, stateConfiguration: { mapIterationFailureCount: 4 } }), 'Map iteration failure count must be less than or equal to the number of Map iterations');
  });

  it('wants the ItemReader data of a Map with an ItemReader, and mapIterationFailureCount only on a Map', async () => {
    await refused(base(READER, { mock: { result: '[10,20]' } }), 'ItemReader data must be specified when testing a Map state with ItemReader specified.');
    await refused(base(READER, { mock: { result: '[10,20]' }, stateConfiguration: { mapItemReaderData: '{"items":[4,5]}' } }), "Input array does not equal the mocked result array's size");
    const child = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f', 'Payload.$': '$$' }, End: true };
    const machine = { StartAt: 'Outer', States: { Outer: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'Child', States: { Child: child } }, End: true } } };
    await refused(base(machine, { stateName: 'Child', mock: { result: '{}' }, stateConfiguration: { mapIterationFailureCount: 1 } }), 'MapIterationFailureCount is only supported when testing a Map state.');
  });
});

describe("TestState's inspection data of a mocked Map, as AWS prints it", () => {
  it('lists items joined by ", ", batch items as JSON text, and the items after ItemsPointer', async () => {
    const inline = await send(base(MAP, { mock: { result: '[10,20,30]' } }));
    expect(inline).toMatchObject({ status: 'SUCCEEDED', output: '[10,20,30]' });
    expect(inline.inspectionData).toMatchObject({ afterItemsPath: '[1, 2, 3]', afterResultSelector: '[10,20,30]', afterResultPath: '[10,20,30]', maxConcurrency: 0 });
    // AWS printed the members v before i: the `.$` members of a template come in Java HashMap order.
    expect(inline.inspectionData!.afterItemSelector).toBe('[{"v":1,"i":0}, {"v":2,"i":1}, {"v":3,"i":2}]');
    const batched = await send(base(DISTRIBUTED, { mock: { result: '[10,20]' } }));
    expect(batched.inspectionData).toMatchObject({ toleratedFailureCount: 1, maxConcurrency: 2 });
    expect(batched.inspectionData!.afterItemSelector).toBe('[{"v":1,"i":0}, {"v":2,"i":1}, {"v":3,"i":2}]');
    expect(batched.inspectionData!.afterItemBatcher).toBe('[{"Items":["{\\"v\\":1,\\"i\\":0}","{\\"v\\":2,\\"i\\":1}"]}, {"Items":["{\\"v\\":3,\\"i\\":2}"]}]');
    const read = await send(base(READER, { mock: { result: '[10]' }, stateConfiguration: { mapItemReaderData: '{"items":[4,5]}' } }));
    expect(read).toMatchObject({ status: 'SUCCEEDED', output: '[10]' });
    expect(read.inspectionData).toMatchObject({ afterItemsPointer: '[4,5]', afterItemSelector: '[{"v":4,"i":0}, {"v":5,"i":1}]' });
    expect(read.inspectionData!.afterItemBatcher).toBe('[{"Items":["{\\"v\\":4,\\"i\\":0}","{\\"v\\":5,\\"i\\":1}"]}]');
    expect(read.inspectionData!.afterItemsPath).toBeUndefined();
  });

  it("answers a Map's mocked error without errorCausedByState: FAILED with that error", async () => {
    const failed = await send(base(MAP, { mock: ERROR }));
    expect(failed).toMatchObject({ status: 'FAILED', error: 'Owned.Error', cause: 'mock' });
    expect(failed.inspectionData).toMatchObject({ afterItemsPath: '[1, 2, 3]', maxConcurrency: 0 });
  });
});

describe('TestState variables and limits', () => {
  const jsonataPass = (extra: object) => JSON.stringify({ Type: 'Pass', QueryLanguage: 'JSONata', Output: { ok: true }, End: true, ...extra });

  it('shows the variables the state assigned in DEBUG', async () => {
    const out = await send({ definition: jsonataPass({ Assign: { x: 'small' } }), input: '{}', inspectionLevel: 'DEBUG' });
    expect(out).toMatchObject({ status: 'SUCCEEDED', output: '{"ok":true}' });
    expect(out.inspectionData).toEqual({ input: '{}', variables: '{"x":"small"}' });
  });

  it("names the state tested alone 'StateName' in the variable size limits", async () => {
    const pad = (n: number) => `{% $pad('', ${n}, 'x') %}`;
    expect(await send({ definition: jsonataPass({ Assign: { x: pad(262_143) } }), input: '{}' })).toEqual(expect.objectContaining({
      status: 'FAILED', error: 'States.DataLimitExceeded', cause: "Variable size limit exceeded. Variable 'x' in state 'StateName' was assigned 262145 bytes.",
    }));
    expect((await send({ definition: jsonataPass({ Assign: { x: pad(131_072), y: pad(131_072) } }), input: '{}' })).cause)
      .toBe("State total variable size limit exceeded. Variable 'y' in state 'StateName' was assigned 131074 bytes, which caused the size of variables assigned in the state to exceed its limit by 4 bytes.");
    const tooMuchPadding = await send({ definition: jsonataPass({ Assign: { x: pad(262_145) } }), input: '{}' });
    expect(tooMuchPadding).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
    expect(tooMuchPadding.cause).toContain("The JSONata expression '$pad('', 262145, 'x')' specified for the field 'Assign/x' threw an error during evaluation: Expression evaluation memory limit exceeded: Check for excessive memory usage");
  });
});
