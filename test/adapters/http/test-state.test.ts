import { TestStateCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorName, ROLE, startTestServer, type TestServer } from './sfn-test-server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

const task = (extra: object = {}) => JSON.stringify({
  Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f', 'Payload.$': '$.order' },
  ResultSelector: { 'body.$': '$.Payload' }, ResultPath: '$.result', Next: 'After', ...extra,
});

describe('TestState over the AWS JSON 1.0 API', () => {
  it('runs a Pass state and reports the next state', async () => {
    const r = await t.client.send(new TestStateCommand({ definition: JSON.stringify({ Type: 'Pass', Result: { x: 1 }, ResultPath: '$.r', Next: 'Done' }), roleArn: ROLE, input: '{"a":1}' }));
    expect(r.status).toBe('SUCCEEDED');
    expect(JSON.parse(r.output!)).toEqual({ a: 1, r: { x: 1 } });
    expect(r.nextState).toBe('Done');
    expect(r.inspectionData).toBeUndefined();
  });

  it('mocks a Task result and shows DEBUG inspection data', async () => {
    const r = await t.client.send(new TestStateCommand({
      definition: task(), roleArn: ROLE, input: '{"order":{"id":7}}', inspectionLevel: 'DEBUG',
      // Lambda's Invoke response has Payload as a blob (JSON text): a JSON object there needs fieldValidationMode NONE.
      mock: { result: JSON.stringify({ Payload: { charged: true }, StatusCode: 200 }), fieldValidationMode: 'NONE' },
    }));
    expect(r.status).toBe('SUCCEEDED');
    expect(JSON.parse(r.output!)).toEqual({ order: { id: 7 }, result: { body: { charged: true } } });
    expect(r.nextState).toBe('After');
    expect(JSON.parse(r.inspectionData!.input!)).toEqual({ order: { id: 7 } });
    expect(JSON.parse(r.inspectionData!.afterParameters!)).toMatchObject({ FunctionName: 'f', Payload: { id: 7 } });
    expect(JSON.parse(r.inspectionData!.afterResultSelector!)).toEqual({ body: { charged: true } });
  });

  it('reports a mocked error as FAILED, CAUGHT_ERROR or RETRIABLE as the state handles it', async () => {
    const errorOutput = { error: 'Payments.Busy', cause: 'try later' };
    const failed = await t.client.send(new TestStateCommand({ definition: task(), roleArn: ROLE, input: '{"order":{}}', mock: { errorOutput } }));
    expect(failed).toMatchObject({ status: 'FAILED', error: 'Payments.Busy', cause: 'try later' });
    const caught = await t.client.send(new TestStateCommand({ definition: task({ Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handle' }] }), roleArn: ROLE, input: '{"order":{}}', mock: { errorOutput } }));
    expect(caught).toMatchObject({ status: 'CAUGHT_ERROR', error: 'Payments.Busy', nextState: 'Handle' });
    const retriable = await t.client.send(new TestStateCommand({ definition: task({ Retry: [{ ErrorEquals: ['Payments.Busy'], MaxAttempts: 2 }] }), roleArn: ROLE, input: '{"order":{}}', mock: { errorOutput } }));
    expect(retriable).toMatchObject({ status: 'RETRIABLE', error: 'Payments.Busy' });
  });

  it('tests one state of a whole state machine, with variables', async () => {
    const machine = JSON.stringify({
      QueryLanguage: 'JSONata', StartAt: 'Pick',
      States: {
        Pick: { Type: 'Choice', Choices: [{ Condition: '{% $limit > 5 %}', Next: 'Big' }], Default: 'Small' },
        Big: { Type: 'Succeed' }, Small: { Type: 'Succeed' },
      },
    });
    const r = await t.client.send(new TestStateCommand({ definition: machine, roleArn: ROLE, stateName: 'Pick', variables: '{"limit":9}' }));
    expect(r).toMatchObject({ status: 'SUCCEEDED', nextState: 'Big' });
    expect(await errorName(t.client.send(new TestStateCommand({ definition: machine, roleArn: ROLE })))).toBe('ValidationException');
    expect(await errorName(t.client.send(new TestStateCommand({ definition: JSON.stringify({ Type: 'Pass', Next: 3 }), roleArn: ROLE })))).toBe('InvalidDefinition');
  });

  it('shows the inspection data AWS shows for each state type, and which catcher took an error', async () => {
    const input = JSON.stringify({ initialData: { fieldFromInput: 'v' }, other: 1 });
    const passWithResult = await t.client.send(new TestStateCommand({
      definition: JSON.stringify({ Type: 'Pass', InputPath: '$.initialData', Parameters: { 'inputValue.$': '$.fieldFromInput' }, Result: { resultKey: 'r' }, ResultPath: '$.modifiedData', End: true }),
      roleArn: ROLE, input, inspectionLevel: 'DEBUG',
    }));
    // A Result replaces the Parameters-shaped input: neither InputPath nor Parameters is evaluated.
    expect(JSON.parse(passWithResult.output!)).toEqual({ initialData: { fieldFromInput: 'v' }, other: 1, modifiedData: { resultKey: 'r' } });
    expect(Object.keys(passWithResult.inspectionData!).sort()).toEqual(['afterResultPath', 'afterResultSelector', 'input', 'result']);
    const choice = await t.client.send(new TestStateCommand({
      definition: JSON.stringify({ Type: 'Choice', Choices: [{ Variable: '$.other', NumericEquals: 1, Next: 'One' }], Default: 'Other' }), roleArn: ROLE, input, inspectionLevel: 'DEBUG',
    }));
    expect(choice.nextState).toBe('One');
    expect(Object.keys(choice.inspectionData!).sort()).toEqual(['afterInputPath', 'input']);
    const caught = await t.client.send(new TestStateCommand({
      definition: task({ Catch: [{ ErrorEquals: ['Other'], Next: 'A' }, { ErrorEquals: ['States.ALL'], Next: 'B' }] }), roleArn: ROLE, input: '{"order":{}}', inspectionLevel: 'DEBUG',
      mock: { errorOutput: { error: 'Payments.Busy', cause: 'try later' } },
    }));
    expect(caught).toMatchObject({ status: 'CAUGHT_ERROR', nextState: 'B' });
    expect(caught.inspectionData!.errorDetails).toEqual({ catchIndex: 1 });
  });

  it("refuses what AWS's TestState refuses, takes a mocked Map's result without running it, and finds a state nested in a Map", async () => {
    const pass = JSON.stringify({ Type: 'Pass', End: true });
    expect(await errorName(t.client.send(new TestStateCommand({ definition: pass, roleArn: ROLE, mock: { result: '1' } })))).toBe('ValidationException');
    expect(await errorName(t.client.send(new TestStateCommand({ definition: task(), input: '{"order":{}}' })))).toBe('ValidationException');
    const map = {
      Type: 'Map', ItemsPath: '$.items', ResultPath: '$.out', End: true,
      ItemProcessor: { StartAt: 'TestState', States: { TestState: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } } },
    };
    expect(await errorName(t.client.send(new TestStateCommand({ definition: JSON.stringify(map), roleArn: ROLE, input: '{"items":[1]}' })))).toBe('InvalidDefinition');
    const mocked = await t.client.send(new TestStateCommand({ definition: JSON.stringify(map), roleArn: ROLE, input: '{"items":[1,2]}', mock: { result: '["a","b"]' } }));
    expect(mocked).toMatchObject({ status: 'SUCCEEDED' });
    expect(JSON.parse(mocked.output!)).toEqual({ items: [1, 2], out: ['a', 'b'] });
    const machine = JSON.stringify({ StartAt: 'M', States: { M: { ...map, ItemProcessor: { StartAt: 'Inner', States: { Inner: { Type: 'Pass', Result: 7, End: true } } } } } });
    const inner = await t.client.send(new TestStateCommand({ definition: machine, roleArn: ROLE, stateName: 'Inner', input: '{"x":1}' }));
    expect(inner).toMatchObject({ status: 'SUCCEEDED', output: '7' });
    const missing = t.client.send(new TestStateCommand({ definition: machine, roleArn: ROLE, stateName: 'Nope' }));
    await expect(missing).rejects.toMatchObject({ name: 'ValidationException', message: 'State not found in definition' });
  });
});
