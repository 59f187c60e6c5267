import { describe, expect, it } from 'vitest';
import { testStateServer } from './sfn-test-server.js';

const { send, refused } = testStateServer();
const schema = (message: string) => `Mock result schema validation error: ${message}`;

const task = (resource: string, extra: object = {}) => JSON.stringify({ Type: 'Task', Resource: resource, End: true, ...extra });
const START_EXECUTION = task('arn:aws:states:::states:startExecution', { QueryLanguage: 'JSONata', Output: { started: '{% $states.result %}' } });
const PUT_EVENTS = task('arn:aws:states:::events:putEvents');
const LAMBDA = task('arn:aws:states:::lambda:invoke');
const mock = (result: unknown, fieldValidationMode?: 'STRICT' | 'PRESENT' | 'NONE') => ({ result: JSON.stringify(result), ...(fieldValidationMode ? { fieldValidationMode } : {}) });

describe('TestState mock.fieldValidationMode', () => {
  it('STRICT (the default) wants the required fields, with their names as Step Functions shows them', async () => {
    await refused({ definition: START_EXECUTION, mock: mock({}) }, schema("Required field 'ExecutionArn' is missing"));
    // The API's own casing is not the result's: executionArn is an unknown field, so ExecutionArn is missing.
    await refused({ definition: START_EXECUTION, mock: mock({ executionArn: 'a', startDate: 'b' }) }, schema("Required field 'ExecutionArn' is missing"));
    await refused({ definition: START_EXECUTION, mock: mock({ ExecutionArn: 'a', StartDate: 1764103483 }) }, schema("Field 'StartDate' must be a string"));
    const ok = await send({ definition: START_EXECUTION, mock: mock({ ExecutionArn: 'arn:aws:states:us-east-1:123456789012:execution:M:e', StartDate: '2025-12-03T00:34:15.000Z', Extra: 1 }) });
    expect(ok.status).toBe('SUCCEEDED');
    expect(JSON.parse(ok.output!)).toEqual({ started: { ExecutionArn: 'arn:aws:states:us-east-1:123456789012:execution:M:e', StartDate: '2025-12-03T00:34:15.000Z', Extra: 1 } });
  });

  it('checks type, values and lengths of each field present, at any depth, naming the field', async () => {
    await refused({ definition: PUT_EVENTS, mock: mock({ Entries: 'not a list' }) }, schema("Field 'Entries' must be an array"));
    await refused({ definition: PUT_EVENTS, mock: mock({ Entries: [{ EventId: 'ok' }, { EventId: ['not', 'a', 'string'] }] }) }, schema("Field 'EventId' must be a string"));
    await refused({ definition: LAMBDA, mock: mock({ StatusCode: '200' }) }, schema("Field 'StatusCode' must be a number"));
    await refused({ definition: LAMBDA, mock: mock({ ExecutedVersion: '' }) }, schema("Field 'ExecutedVersion' is smaller than the minimum length"));
    // Payload is a blob in Lambda's API: JSON text, not a JSON object.
    await refused({ definition: LAMBDA, mock: mock({ Payload: { statusCode: 200 } }) }, schema("Field 'Payload' must be a string"));
    await refused(
      { definition: task('arn:aws:states:::dynamodb:putItem'), mock: mock({ ConsumedCapacity: { CapacityUnits: '123.45' } }) },
      schema("Field 'CapacityUnits' must be a number"),
    );
    await refused(
      { definition: task('arn:aws:states:::states:startExecution.sync:2'), mock: mock({ ExecutionArn: 'a', StateMachineArn: 'b', Status: 'DONE', StartDate: 'c' }) },
      schema("Field 'Status' is not an expected value"),
    );
    // .sync polls DescribeExecution: its required fields, not StartExecution's.
    await refused({ definition: task('arn:aws:states:::states:startExecution.sync'), mock: mock({ ExecutionArn: 'a', StartDate: 'b' }) }, schema("Required field 'StateMachineArn' is missing"));
    // AWS's words for a Task's result that is no object, recorded against AWS (2026-09).
    await refused({ definition: PUT_EVENTS, mock: mock([1, 2]) }, 'Mocked result must be a valid JSON object.');
  });

  it('PRESENT checks only the fields present; NONE checks nothing but that the result is JSON', async () => {
    const present = await send({ definition: START_EXECUTION, mock: mock({}, 'PRESENT') });
    expect(JSON.parse(present.output!)).toEqual({ started: {} });
    await refused({ definition: START_EXECUTION, mock: mock({ ExecutionArn: 1764103483 }, 'PRESENT') }, schema("Field 'ExecutionArn' must be a string"));
    const none = await send({ definition: START_EXECUTION, mock: mock({ ExecutionArn: 'a', StartDate: true }, 'NONE') });
    expect(JSON.parse(none.output!)).toEqual({ started: { ExecutionArn: 'a', StartDate: true } });
    const payload = await send({ definition: LAMBDA, mock: mock({ Payload: { statusCode: 200 } }, 'NONE') });
    expect(JSON.parse(payload.output!)).toEqual({ Payload: { statusCode: 200 } });
    await refused({ definition: LAMBDA, mock: { result: 'not JSON', fieldValidationMode: 'NONE' } }, 'Mocked result must be valid JSON');
  });

  it('leaves unchecked the integrations whose API model Stepwise does not carry, and callbacks', async () => {
    const sdk = await send({ definition: task('arn:aws:states:::aws-sdk:s3:getObject'), mock: mock({ ContentLength: '9000' }) });
    expect(JSON.parse(sdk.output!)).toEqual({ ContentLength: '9000' });
    const callback = await send({ definition: task('arn:aws:states:::lambda:invoke.waitForTaskToken', { Parameters: { FunctionName: 'f', Payload: { 'token.$': '$$.Task.Token' } } }), mock: mock({ anything: ['goes'] }) });
    expect(JSON.parse(callback.output!)).toEqual({ anything: ['goes'] });
  });

  it('is refused outside its enum', async () => {
    await refused(
      { definition: LAMBDA, mock: { result: '{}', fieldValidationMode: 'LENIENT' as 'NONE' } },
      "1 validation error detected: Value 'LENIENT' at 'mock.fieldValidationMode' failed to satisfy constraint: Member must satisfy enum value set: [STRICT, PRESENT, NONE]",
    );
  });
});

describe("TestState's other checks of a mock, in AWS's words", () => {
  const map = (extra: object = {}) => JSON.stringify({ Type: 'Map', ItemsPath: '$.items', End: true, ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, ...extra });
  const parallel = JSON.stringify({ Type: 'Parallel', End: true, Branches: ['A', 'B'].map((n) => ({ StartAt: n, States: { [n]: { Type: 'Pass', End: true } } })) });

  it("wants a Map's result as an array (an object with a ResultWriter) and a Parallel's as one result per branch", async () => {
    await refused({ definition: map(), input: '{"items":[]}', mock: mock({ not: 'an array' }) }, 'Mocked result must be an array.');
    const writer = { ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'b', Prefix: 'p' } } };
    await refused({ definition: map(writer), input: '{"items":[]}', mock: mock(['an array']) }, 'Mocked result must be a JSON object.');
    await refused({ definition: parallel, mock: mock({ not: 'an array' }) }, 'Mocked result must be an array.');
    await refused({ definition: parallel, mock: mock(['one']) }, 'Mocked result must contain the same number of items as number of Parallel branches.');
    const ok = await send({ definition: parallel, mock: mock(['one', 'two']) });
    expect(ok).toMatchObject({ status: 'SUCCEEDED', output: '["one","two"]' });
  });

  it('refuses result with errorOutput, and revealSecrets with a mock', async () => {
    await refused({ definition: LAMBDA, mock: { result: '{}', errorOutput: { error: 'E', cause: 'C' } } }, 'A test mock should have only one of the following fields: [result, errorOutput].');
    await refused({ definition: LAMBDA, mock: mock({}), revealSecrets: true }, 'TestState does not support RevealSecrets when a mock is specified.');
  });
});
