import { TestStateCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpTaskCaller } from '../../../adapters/http-task/index.js';
import { header, json, LocalServer } from '../http-task/local-server.js';
import { ROLE, startTestServer, type TestServer } from './sfn-test-server.js';

const CONNECTION = 'arn:aws:events:us-east-1:123456789012:connection/Orders/5e2b';

let api: LocalServer;
let t: TestServer;

beforeAll(async () => {
  api = await new LocalServer().route('/orders', (req, res) => json(res, 200, { received: JSON.parse(req.body), key: header(req, 'x-api-key') })).start();
  t = await startTestServer({
    services: createHttpTaskCaller({
      connections: { [CONNECTION]: { AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'secret-1' } } } },
      allowInsecureHttp: true,
    }),
  });
  t.runtime.handle({ state: 'Handled' }, ({ input }) => ({ handled: input }));
});
afterAll(async () => {
  await t.close();
  await api.stop();
});

const httpTask = () => JSON.stringify({
  Type: 'Task', Resource: 'arn:aws:states:::http:invoke',
  Parameters: { ApiEndpoint: `${api.url}/orders`, Method: 'POST', Authentication: { ConnectionArn: CONNECTION }, 'RequestBody.$': '$' },
  End: true,
});

describe('TestState without a mock calls what the server\'s runtime calls', () => {
  it('an HTTP Task reaches its endpoint through the runtime\'s HTTP Task caller, as AWS calls the real API', async () => {
    const r = await t.client.send(new TestStateCommand({ definition: httpTask(), roleArn: ROLE, input: '{"id":7}' }));
    expect(r.status).toBe('SUCCEEDED');
    const output = JSON.parse(r.output!);
    expect(output).toMatchObject({ StatusCode: 200, StatusText: 'OK', ResponseBody: { received: { id: 7 }, key: 'secret-1' } });
    expect(api.requestsTo('/orders')).toHaveLength(1);
  });

  it('the runtime\'s handler for the tested state answers first; a Task nothing answers fails saying so', async () => {
    const handled = await t.client.send(new TestStateCommand({
      definition: JSON.stringify({ Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:any', End: true }),
      roleArn: ROLE, input: '{"a":1}',
    }));
    expect(handled.status).toBe('FAILED');
    expect(handled.error).toBe('States.TaskFailed');
    expect(handled.cause).toContain('No task handler or mock answers resource');
    const machine = JSON.stringify({ StartAt: 'Handled', States: { Handled: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:any', End: true } } });
    const r = await t.client.send(new TestStateCommand({ definition: machine, stateName: 'Handled', roleArn: ROLE, input: '{"a":1}' }));
    expect(r.status).toBe('SUCCEEDED');
    expect(JSON.parse(r.output!)).toEqual({ handled: { a: 1 } });
  });
});
