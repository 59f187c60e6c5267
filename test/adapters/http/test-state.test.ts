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
      mock: { result: JSON.stringify({ Payload: { charged: true }, StatusCode: 200 }) },
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
});
