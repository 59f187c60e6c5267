import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpTaskCaller, type HttpTaskOptions } from '../../../adapters/http-task/index.js';
import { createRuntime, parseMockConfig, toAwsHistoryEvent, type HistoryEvent, type JsonValue, type StateMachineDefinition } from '../../../src/index.js';
import { header, json, LocalServer } from './local-server.js';

const API_KEY_ARN = 'arn:aws:events:us-east-1:123456789012:connection/Example/81210c42-8af1-456b-9c4a-6ff02fc664ac';
const BASIC_ARN = 'arn:aws:events:us-east-1:123456789012:connection/Stripe/0d8c1b3e-0000-4000-8000-000000000001';
const OAUTH_ARN = 'arn:aws:events:us-east-1:123456789012:connection/OAuth/0d8c1b3e-0000-4000-8000-000000000002';
const PLAIN_ARN = 'arn:aws:events:us-east-1:123456789012:connection/Plain/0d8c1b3e-0000-4000-8000-000000000003';

const server = new LocalServer();
let tokenCount = 0;
let tokenRequestsClosed = 0;

beforeAll(async () => {
  server
    .route('/echo', (req, res) => json(res, 200, { method: req.method, body: req.body }, { 'X-Trace': 'a', 'x-trace': 'b' }))
    .route('/text', (_req, res) => res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }).end('plain words'))
    .route('/bad-json', (_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{not json'))
    .route('/empty', (_req, res) => res.writeHead(204).end())
    .route('/image', (_req, res) => res.writeHead(200, { 'Content-Type': 'image/png' }).end(Buffer.from([0x89, 0x50, 0x4e, 0x47])))
    .route('/binary', (_req, res) => res.writeHead(200, { 'Content-Type': 'text/plain' }).end(Buffer.from([0xff, 0xfe, 0xfd])))
    .route('/missing', (_req, res) => json(res, 404, { message: 'no such customer' }))
    .route('/teapot', (_req, res) => {
      res.statusMessage = 'Short And Stout';
      json(res, 418, { message: 'I am a teapot' });
    })
    .route('/flaky', (_req, res) => {
      const calls = server.requestsTo('/flaky').length;
      if (calls < 3) json(res, 503, { message: 'busy' });
      else json(res, 200, { calls });
    })
    .route('/never', () => {
      /* no answer: the caller's time limit ends the call */
    })
    .route('/token-never', (_req, res) => {
      /* no answer; note when the caller gives up on the connection */
      res.on('close', () => tokenRequestsClosed++);
    })
    .route('/token', (req, res) => {
      tokenCount++;
      const form = new URLSearchParams(req.body);
      if (form.get('client_id') !== 'client-1' || form.get('client_secret') !== 's3cret') return json(res, 401, { error: 'invalid_client' });
      json(res, 200, { access_token: `token-${tokenCount}`, token_type: 'Bearer', expires_in: 3600 });
    })
    .route('/protected', (req, res) => {
      if (header(req, 'authorization') === 'Bearer token-1' && server.requestsTo('/protected').length > 1) return json(res, 401, { message: 'expired' });
      json(res, 200, { authorization: header(req, 'authorization') });
    });
  await server.start();
});

afterAll(() => server.stop());

function connections(): Record<string, unknown> {
  return {
    [API_KEY_ARN]: {
      AuthorizationType: 'API_KEY',
      AuthParameters: {
        ApiKeyAuthParameters: { ApiKeyName: 'ApiKey', ApiKeyValue: 'key_value' },
        InvocationHttpParameters: {
          BodyParameters: [{ Key: 'BodyParam', Value: 'connection_body_param' }],
          HeaderParameters: [{ Key: 'Header-Param', Value: 'connection_header_param' }],
          QueryStringParameters: [{ Key: 'QueryParam', Value: 'connection_query_param' }],
        },
      },
    },
    [BASIC_ARN]: { AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'myUsername', Password: 'myPassword' } } },
    [PLAIN_ARN]: { AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'k' } } },
    [OAUTH_ARN]: {
      AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
      AuthParameters: {
        OAuthParameters: {
          AuthorizationEndpoint: `${server.url}/token`,
          HttpMethod: 'POST',
          ClientParameters: { ClientID: 'client-1', ClientSecret: 's3cret' },
          OAuthHttpParameters: {
            BodyParameters: [{ Key: 'grant_type', Value: 'client_credentials' }, { Key: 'scope', Value: 'read write' }],
            HeaderParameters: [{ Key: 'X-Tenant', Value: 't1' }],
            QueryStringParameters: [{ Key: 'audience', Value: 'api' }],
          },
        },
      },
    },
  };
}

function runtimeWith(options: Partial<HttpTaskOptions> = {}) {
  return createRuntime({ services: createHttpTaskCaller({ connections: connections(), allowInsecureHttp: true, ...options }) });
}

function httpTask(parameters: Record<string, unknown>, extra: Record<string, unknown> = {}): StateMachineDefinition {
  return { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::http:invoke', Parameters: parameters, End: true, ...extra } } } as StateMachineDefinition;
}

const types = (events: readonly HistoryEvent[]) => events.map((e) => e.type);

describe('HTTP Task: the request Step Functions sends', () => {
  it('GET: the definition headers, the connection authorization and parameters, User-Agent and Range, in that order; no body', async () => {
    const runtime = runtimeWith();
    const before = server.seen.length;
    const execution = runtime.startExecution({
      definition: httpTask({
        'ApiEndpoint.$': "States.Format('{}/echo', $.base)",
        Method: 'GET',
        Authentication: { ConnectionArn: PLAIN_ARN },
        Headers: { 'Request-Id': 'my_request_id', Accept: ['application/json', 'text/plain'] },
        QueryParameters: { currency: 'usd', 'q.$': '$.q', tag: ['a', 'b'], limit: 10 },
      }),
      input: { base: server.url, q: 'x y&z' },
    });
    const result = await execution.done;
    expect(result.status).toBe('SUCCEEDED');
    const req = server.seen[before]!;
    expect(req.method).toBe('GET');
    // In the order of the evaluated QueryParameters: a `.$` member after the copied ones.
    expect(req.url).toBe('/echo?currency=usd&tag=a&tag=b&limit=10&q=x%20y%26z');
    expect(req.headers.filter(([k]) => !['host', 'connection'].includes(k.toLowerCase()))).toEqual([
      ['Request-Id', 'my_request_id'],
      ['Accept', 'application/json, text/plain'],
      ['x-api-key', 'k'],
      ['User-Agent', 'Amazon|StepFunctions|HttpInvoke|us-east-1'],
      ['Range', 'bytes=0-262144'],
    ]);
    expect(header(req, 'host')).toBe(new URL(server.url).host);
    expect(req.body).toBe('');
    expect(result.output).toEqual({
      // Names as the server wrote them (recorded against AWS (2026-09)); two spellings are two names, as in the Java SDK's header map.
      Headers: expect.objectContaining({ 'Content-Type': ['application/json'], 'X-Trace': ['a'], 'x-trace': ['b'] }),
      ResponseBody: { method: 'GET', body: '' },
      StatusCode: 200,
      StatusText: 'OK',
    });
    expect(Object.keys(result.output as object)).toEqual(['Headers', 'ResponseBody', 'StatusCode', 'StatusText']);
  });

  it('Content-Length is the body\'s own, whatever the task gives (a GET announcing a body it lacks would hang)', async () => {
    const runtime = runtimeWith({ timeoutMs: 2000 });
    const before = server.seen.length;
    const get = await runtime.run({ definition: httpTask({ ApiEndpoint: `${server.url}/echo`, Method: 'GET', Authentication: { ConnectionArn: PLAIN_ARN }, Headers: { 'Content-Length': '5' } }) });
    expect(get).toMatchObject({ status: 'SUCCEEDED', output: { ResponseBody: { method: 'GET', body: '' } } });
    expect(header(server.seen[before]!, 'content-length')).toBeUndefined();
    const post = await runtime.run({ definition: httpTask({ ApiEndpoint: `${server.url}/echo`, Method: 'POST', Authentication: { ConnectionArn: PLAIN_ARN }, Headers: { 'content-length': '1' }, RequestBody: { a: 1 } }) });
    expect(post).toMatchObject({ status: 'SUCCEEDED', output: { ResponseBody: { method: 'POST', body: '{"a":1}' } } });
    expect(server.seen[before + 1]!.headers.filter(([k]) => k.toLowerCase() === 'content-length')).toEqual([['Content-Length', '7']]);
  });

  it('User-Agent and Range are always Step Functions\' own, whatever the task gives', async () => {
    const before = server.seen.length;
    const result = await createRuntime({ region: 'eu-west-2', services: createHttpTaskCaller({ connections: connections(), allowInsecureHttp: true }) }).run({
      definition: httpTask({ ApiEndpoint: `${server.url}/echo`, Method: 'GET', Authentication: { ConnectionArn: PLAIN_ARN }, Headers: { 'user-agent': 'mine/1.0', range: 'bytes=0-10', 'X-Kept': 'yes' } }),
    });
    expect(result.status).toBe('SUCCEEDED');
    expect(server.seen[before]!.headers.filter(([k]) => !['host', 'connection'].includes(k.toLowerCase()))).toEqual([
      ['X-Kept', 'yes'],
      ['x-api-key', 'k'],
      ['User-Agent', 'Amazon|StepFunctions|HttpInvoke|eu-west-2'],
      ['Range', 'bytes=0-262144'],
    ]);
  });

  it('records TaskScheduled (resourceType http, resource invoke, the evaluated parameters), TaskStarted and TaskSucceeded', async () => {
    const runtime = runtimeWith();
    const parameters = { ApiEndpoint: `${server.url}/echo`, Method: 'GET', Authentication: { ConnectionArn: PLAIN_ARN } };
    const execution = runtime.startExecution({ definition: httpTask(parameters) });
    await execution.done;
    expect(types(execution.events)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    const aws = execution.events.map(toAwsHistoryEvent) as unknown as Record<string, Record<string, unknown>>[];
    expect(aws[2]!.taskScheduledEventDetails).toMatchObject({ resourceType: 'http', resource: 'invoke', region: 'us-east-1', parameters: JSON.stringify(parameters) });
    expect(aws[3]!.taskStartedEventDetails).toEqual({ resourceType: 'http', resource: 'invoke' });
    expect(aws[4]!.taskSucceededEventDetails).toMatchObject({ resourceType: 'http', resource: 'invoke' });
    expect(JSON.parse(aws[4]!.taskSucceededEventDetails!.output as string)).toMatchObject({ StatusCode: 200, StatusText: 'OK' });
  });

  it('merges the connection data as AWS documents it: the connection wins on duplicate keys', async () => {
    // DG:call-https-apis, "Merging EventBridge connection and HTTP Task definition data".
    const runtime = runtimeWith();
    const before = server.seen.length;
    const result = await runtime.run({
      definition: httpTask({
        Authentication: { ConnectionArn: API_KEY_ARN },
        ApiEndpoint: `${server.url}/echo`,
        Method: 'POST',
        Headers: { 'Request-Id': 'my_request_id', 'Header-Param': 'state_machine_header_param' },
        RequestBody: { Job: 'Software Engineer', Company: 'AnyCompany', BodyParam: 'state_machine_body_param' },
        QueryParameters: { QueryParam: 'state_machine_query_param' },
      }),
    });
    expect(result.status).toBe('SUCCEEDED');
    const req = server.seen[before]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/echo?QueryParam=connection_query_param');
    expect(req.body).toBe('{"Job":"Software Engineer","Company":"AnyCompany","BodyParam":"connection_body_param"}');
    expect(req.headers.filter(([k]) => !['host', 'connection'].includes(k.toLowerCase()))).toEqual([
      ['Request-Id', 'my_request_id'],
      ['Header-Param', 'connection_header_param'],
      ['ApiKey', 'key_value'],
      ['Content-Type', 'application/json; charset=UTF-8'],
      ['User-Agent', 'Amazon|StepFunctions|HttpInvoke|us-east-1'],
      ['Range', 'bytes=0-262144'],
      ['Content-Length', String(Buffer.byteLength(req.body))],
    ]);
  });

  it('sends the connection body parameters alone when the task has no RequestBody, and a GET with a body as AWS does', async () => {
    const runtime = runtimeWith();
    const before = server.seen.length;
    const result = await runtime.run({ definition: httpTask({ ApiEndpoint: `${server.url}/echo`, Method: 'GET', Authentication: { ConnectionArn: API_KEY_ARN } }) });
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { ResponseBody: { method: 'GET', body: '{"BodyParam":"connection_body_param"}' } } });
    expect(header(server.seen[before]!, 'content-type')).toBe('application/json; charset=UTF-8');
  });

  it('URL-encodes the body with Transform, as in AWS\'s Stripe example, and authorizes BASIC connections', async () => {
    const runtime = runtimeWith();
    const before = server.seen.length;
    const result = await runtime.run({
      definition: httpTask({
        ApiEndpoint: `${server.url}/echo`,
        Method: 'POST',
        Authentication: { ConnectionArn: BASIC_ARN },
        Headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        RequestBody: { description: 'Monthly subscription', metadata: { order_details: 'monthly report data' }, 'customer.$': '$.customer_id', lines: ['a', 'b'] },
        Transform: { RequestBodyEncoding: 'URL_ENCODED', RequestEncodingOptions: { ArrayFormat: 'BRACKETS' } },
      }),
      input: { customer_id: '1234567890' },
    });
    expect(result.status).toBe('SUCCEEDED');
    const req = server.seen[before]!;
    expect(req.body).toBe('description=Monthly%20subscription&metadata%5Border_details%5D=monthly%20report%20data&lines%5B%5D=a&lines%5B%5D=b&customer=1234567890');
    expect(header(req, 'content-type')).toBe('application/x-www-form-urlencoded');
    expect(header(req, 'authorization')).toBe(`Basic ${Buffer.from('myUsername:myPassword').toString('base64')}`);
  });

  it('a JSONata state takes its fields from Arguments, and InvocationConfig names the connection', async () => {
    const runtime = runtimeWith();
    const before = server.seen.length;
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: 'arn:aws:states:::http:invoke',
          Arguments: {
            ApiEndpoint: "{% $states.input.base & '/echo' %}",
            Method: '{% $states.input.method %}',
            InvocationConfig: { ConnectionArn: PLAIN_ARN },
            QueryParameters: { n: '{% $states.input.n %}' },
            RequestBody: { items: '{% [1, 2] %}' },
            Transform: { RequestBodyEncoding: 'URL_ENCODED' },
          },
          Output: '{% $states.result.ResponseBody %}',
          End: true,
        },
      },
    } as StateMachineDefinition;
    const result = await runtime.run({ definition, input: { base: server.url, method: 'PUT', n: 3 } });
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { method: 'PUT', body: 'items%5B0%5D=1&items%5B1%5D=2' } });
    expect(server.seen[before]!.url).toBe('/echo?n=3');
  });
});

describe('HTTP Task: recorded against AWS (2026-09)', () => {
  it("a connection's query parameter replaces the task's of that name and goes after the task's others", async () => {
    const before = server.requestsTo('/echo').length;
    const result = await runtimeWith().run({
      definition: httpTask({ ApiEndpoint: `${server.url}/echo`, Method: 'GET', Authentication: { ConnectionArn: API_KEY_ARN }, QueryParameters: { QueryParam: 'task query', taskOnly: 'a+b & c' } }),
    });
    expect(result.status).toBe('SUCCEEDED');
    // AWS: task {shared, taskOnly} + connection {shared, connectionOnly} → taskOnly=a%2Bb%20%26%20c&shared=connection%20query&connectionOnly=query-only
    expect(server.requestsTo('/echo')[before]!.url).toBe('/echo?taskOnly=a%2Bb%20%26%20c&QueryParam=connection_query_param');
  });

  it("a connection's header parameter replaces the task's header of exactly that name; one differing in case is sent too", async () => {
    const arn = 'arn:aws:events:us-west-2:000000000000:connection/Headers/00000000-0000-4000-8000-000000000004';
    const runtime = createRuntime({
      services: createHttpTaskCaller({
        allowInsecureHttp: true,
        connections: { [arn]: { AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'k' }, InvocationHttpParameters: { HeaderParameters: [{ Key: 'x-shared', Value: 'connection-header' }] } } } },
      }),
    });
    const before = server.requestsTo('/echo').length;
    const result = await runtime.run({
      definition: httpTask({ ApiEndpoint: `${server.url}/echo`, Method: 'POST', Authentication: { ConnectionArn: arn }, Headers: { 'X-Shared': 'task-case-header', 'x-shared': 'task-header', 'x-task-only': 'task-only' } }),
    });
    expect(result.status).toBe('SUCCEEDED');
    // AWS's echo server saw x-shared: connection-header,task-case-header and x-task-only: task-only; task-header was not sent.
    const req = server.requestsTo('/echo')[before]!;
    expect(req.headers.filter(([k]) => k.toLowerCase() === 'x-shared').map(([, v]) => v).sort()).toEqual(['connection-header', 'task-case-header']);
    expect(header(req, 'x-task-only')).toBe('task-only');
  });

  it('a forbidden task header fails the execution with States.Runtime before the task is scheduled, quoting the Parameters', async () => {
    // The recorded definition and input: nothing is sent, so the endpoint and connection need not exist.
    const definition = {
      StartAt: 'CallOwnedHTTP',
      States: {
        CallOwnedHTTP: {
          Type: 'Task', Resource: 'arn:aws:states:::http:invoke', End: true,
          Parameters: { 'ApiEndpoint.$': '$.endpoint', 'Method.$': '$.method', Authentication: { 'ConnectionArn.$': '$.connection' }, 'Headers.$': '$.headers', 'QueryParameters.$': '$.query', 'RequestBody.$': '$.body', 'Transform.$': '$.transform' },
        },
      },
    } as StateMachineDefinition;
    const input = {
      endpoint: 'https://s5xemzcjeyysa77kapfxwfxma40jxdcw.lambda-url.us-west-2.on.aws/echo', method: 'POST',
      connection: 'arn:aws:events:us-west-2:000000000000:connection/stackd-http-bd38b78f13-apikey/746717be-cb42-4b71-9d58-cdd67d2a5261',
      headers: { Authorization: 'owned-inert-forbidden' }, query: {}, body: {}, transform: { RequestBodyEncoding: 'NONE' },
    };
    const execution = runtimeWith().startExecution({ definition, input });
    const result = await execution.done;
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('States.Runtime');
    expect(result.cause).toBe(
      "An error occurred while executing the state 'CallOwnedHTTP' (entered at the event id #2). The Parameters '{\"Authentication\":{\"ConnectionArn\":\"arn:aws:events:us-west-2:000000000000:connection/stackd-http-bd38b78f13-apikey/746717be-cb42-4b71-9d58-cdd67d2a5261\"},\"Headers\":{\"Authorization\":\"owned-inert-forbidden\"},\"ApiEndpoint\":\"https://s5xemzcjeyysa77kapfxwfxma40jxdcw.lambda-url.us-west-2.on.aws/echo\",\"Method\":\"POST\",\"QueryParameters\":{},\"Transform\":{\"RequestBodyEncoding\":\"NONE\"},\"RequestBody\":{}}' could not be used to start the Task: [The 'Headers' field contains unsupported values: [authorization]]",
    );
    expect(types(execution.events)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'ExecutionFailed']);
    // Every forbidden name, in lower case, as a Java list prints them.
    const two = await runtimeWith().run({ definition: httpTask({ ApiEndpoint: `${server.url}/echo`, Method: 'GET', Authentication: { ConnectionArn: PLAIN_ARN }, Headers: { Host: 'evil.example', 'X-Amz-Date': 'x' } }) });
    expect(two.cause).toMatch(/could not be used to start the Task: \[The 'Headers' field contains unsupported values: \[host, x-amz-date\]\]$/);
  });

  it('the result keeps the response header names as sent, in the Java HashMap order AWS answers with', async () => {
    server.route('/aws-like', (_req, res) => {
      // Sent in another order: the map orders them by hash bucket (names in one bucket keep the order they came in).
      res.writeHead(200, [['Connection', 'keep-alive'], ['Content-Length', '2'], ['Content-Type', 'application/json'], ['Date', 'Thu, 24 Sep 2026 06:34:08 GMT'], ['X-Amzn-Trace-Id', 'Root=1'], ['x-amzn-RequestId', 'r1'], ['x-owned-response', 'echo-v1']] as unknown as Record<string, string>).end('{}');
    });
    const result = await runtimeWith().run({ definition: httpTask({ ApiEndpoint: `${server.url}/aws-like`, Method: 'GET', Authentication: { ConnectionArn: PLAIN_ARN } }) });
    expect(Object.keys((result.output as { Headers: object }).Headers)).toEqual(['Connection', 'x-amzn-RequestId', 'Content-Length', 'x-owned-response', 'Date', 'X-Amzn-Trace-Id', 'Content-Type']);
    expect(result.output).toMatchObject({ Headers: { 'x-owned-response': ['echo-v1'], 'Content-Type': ['application/json'] }, ResponseBody: {}, StatusCode: 200, StatusText: 'OK' });
  });
});

describe('HTTP Task: the result and the errors', () => {
  it('ResponseBody is text unless the response is JSON; an empty response has an empty body', async () => {
    const runtime = runtimeWith();
    const call = (path: string, method = 'GET') => runtime.run({ definition: httpTask({ ApiEndpoint: `${server.url}${path}`, Method: method, Authentication: { ConnectionArn: PLAIN_ARN } }) });
    expect(await call('/text')).toMatchObject({ status: 'SUCCEEDED', output: { ResponseBody: 'plain words', Headers: { 'Content-Type': ['text/plain; charset=utf-8'] } } });
    expect(await call('/bad-json')).toMatchObject({ status: 'SUCCEEDED', output: { ResponseBody: '{not json' } });
    // A 204 has no ResponseBody (recorded against AWS (2026-09): {"Headers":{...},"StatusCode":204,"StatusText":"No Content"}).
    const empty = await call('/empty', 'DELETE');
    expect(empty).toMatchObject({ status: 'SUCCEEDED', output: { StatusCode: 204, StatusText: 'No Content' } });
    expect(Object.keys(empty.output as object)).toEqual(['Headers', 'StatusCode', 'StatusText']);
    // Nor has the answer to a HEAD (recorded against AWS (2026-09): {"Headers":{..."Content-Length":["0"]...},"StatusCode":200,"StatusText":"OK"}).
    const head = await call('/echo', 'HEAD');
    expect(head).toMatchObject({ status: 'SUCCEEDED', output: { StatusCode: 200, StatusText: 'OK' } });
    expect(Object.keys(head.output as object)).toEqual(['Headers', 'StatusCode', 'StatusText']);
  });

  it('a status outside 2xx fails with States.Http.StatusCode.<code> and the status text as cause', async () => {
    const runtime = runtimeWith();
    const execution = runtime.startExecution({ definition: httpTask({ ApiEndpoint: `${server.url}/missing`, Method: 'GET', Authentication: { ConnectionArn: PLAIN_ARN } }) });
    expect(await execution.done).toMatchObject({ status: 'FAILED', error: 'States.Http.StatusCode.404', cause: 'Not Found' });
    expect(types(execution.events)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskFailed', 'ExecutionFailed']);
    const failed = toAwsHistoryEvent(execution.events[4]!) as unknown as { taskFailedEventDetails: unknown };
    expect(failed.taskFailedEventDetails).toEqual({ resourceType: 'http', resource: 'invoke', error: 'States.Http.StatusCode.404', cause: 'Not Found' });
    const teapot = await runtime.run({ definition: httpTask({ ApiEndpoint: `${server.url}/teapot`, Method: 'GET', Authentication: { ConnectionArn: PLAIN_ARN } }) });
    expect(teapot).toMatchObject({ error: 'States.Http.StatusCode.418', cause: 'Short And Stout' });
  });

  it('Retry and Catch match States.Http.StatusCode.<code>', async () => {
    const runtime = createRuntime({ clock: 'virtual', services: createHttpTaskCaller({ connections: connections(), allowInsecureHttp: true }) });
    const retried = await runtime.run({
      definition: httpTask({ ApiEndpoint: `${server.url}/flaky`, Method: 'GET', Authentication: { ConnectionArn: PLAIN_ARN } }, {
        Retry: [{ ErrorEquals: ['States.Http.StatusCode.503'], IntervalSeconds: 1, MaxAttempts: 3 }],
        ResultSelector: { 'calls.$': '$.ResponseBody.calls' },
      }),
    });
    expect(retried).toMatchObject({ status: 'SUCCEEDED', output: { calls: 3 } });
    const caught = await runtime.run({
      definition: {
        StartAt: 'Call',
        States: {
          Call: {
            Type: 'Task', Resource: 'arn:aws:states:::http:invoke',
            Parameters: { ApiEndpoint: `${server.url}/missing`, Method: 'GET', Authentication: { ConnectionArn: PLAIN_ARN } },
            Catch: [{ ErrorEquals: ['States.Http.StatusCode.404'], ResultPath: '$.error', Next: 'Handled' }], End: true,
          },
          Handled: { Type: 'Pass', End: true },
        },
      } as StateMachineDefinition,
    });
    expect(caught).toMatchObject({ status: 'SUCCEEDED', output: { error: { Error: 'States.Http.StatusCode.404', Cause: 'Not Found' } } });
  });

  it('an image or binary response fails with States.Runtime (unsupported responses)', async () => {
    const runtime = runtimeWith();
    const call = (path: string) => runtime.run({ definition: httpTask({ ApiEndpoint: `${server.url}${path}`, Method: 'GET', Authentication: { ConnectionArn: PLAIN_ARN } }) });
    const image = await call('/image');
    expect(image).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    // AWS's words for application/octet-stream (recorded against AWS (2026-09)).
    expect(image.cause).toBe("Unsupported response content-type 'image/png'. Please see documentation for list of unsupported content-types.");
    const binary = await call('/binary');
    expect(binary).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(binary.cause).toContain('not valid UTF-8');
  });

  it('no answer within the duration limit, or no server at all, is States.Http.Socket', async () => {
    const runtime = runtimeWith({ timeoutMs: 300 });
    const slow = await runtime.run({ definition: httpTask({ ApiEndpoint: `${server.url}/never`, Method: 'GET', Authentication: { ConnectionArn: PLAIN_ARN } }) });
    expect(slow).toMatchObject({ status: 'FAILED', error: 'States.Http.Socket' });
    expect(slow.cause).toContain('did not complete within 300 ms');
    const refused = await runtime.run({ definition: httpTask({ ApiEndpoint: 'http://127.0.0.1:1/x', Method: 'GET', Authentication: { ConnectionArn: PLAIN_ARN } }) });
    expect(refused).toMatchObject({ status: 'FAILED', error: 'States.Http.Socket' });
    expect(refused.cause).toContain('ECONNREFUSED');
  });

  it('a connection that is not configured is Events.ConnectionResource.ResourceNotFound, and nothing is sent', async () => {
    const before = server.seen.length;
    const missing = 'arn:aws:events:us-east-1:123456789012:connection/Nope/00000000-0000-4000-8000-000000000000';
    const result = await runtimeWith().run({ definition: httpTask({ ApiEndpoint: `${server.url}/echo`, Method: 'GET', Authentication: { ConnectionArn: missing } }) });
    expect(result).toMatchObject({ status: 'FAILED', error: 'Events.ConnectionResource.ResourceNotFound' });
    expect(result.cause).toContain(missing);
    const none = await createRuntime({ services: createHttpTaskCaller({ allowInsecureHttp: true }) }).run({ definition: httpTask({ ApiEndpoint: `${server.url}/echo`, Method: 'GET', Authentication: { ConnectionArn: missing } }) });
    expect(none.cause).toContain('--http-connections FILE');
    expect(server.seen.length).toBe(before);
  });

  it('bad parameters fail with States.Runtime naming the state and the field, before anything is sent', async () => {
    const before = server.seen.length;
    const runtime = runtimeWith();
    const failWith = async (parameters: Record<string, unknown>, text: string) => {
      const result = await runtime.run({ definition: httpTask({ Method: 'GET', Authentication: { ConnectionArn: PLAIN_ARN }, ApiEndpoint: `${server.url}/echo`, ...parameters }) });
      expect(result).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
      expect(result.cause).toContain("The HTTP Task 'Call' cannot be called");
      expect(result.cause).toContain(text);
    };
    await failWith({ ApiEndpoint: 'not a url' }, "ApiEndpoint 'not a url' is not a URL");
    await failWith({ ApiEndpoint: undefined }, 'ApiEndpoint is required');
    await failWith({ Method: 'TRACE' }, 'Method must be one of GET, POST, PUT, DELETE, PATCH, OPTIONS, HEAD, not "TRACE"');
    await failWith({ Authentication: undefined }, 'Authentication.ConnectionArn (or InvocationConfig.ConnectionArn) is required');
    await failWith({ Transform: { RequestBodyEncoding: 'GZIP' } }, 'Transform.RequestBodyEncoding must be NONE or URL_ENCODED');
    await failWith({ Transform: { RequestBodyEncoding: 'URL_ENCODED', RequestEncodingOptions: { ArrayFormat: 'SEMICOLONS' } } }, 'ArrayFormat must be one of INDICES, REPEAT, COMMAS, BRACKETS');
    await failWith({ QueryParameters: { deep: { a: 1 } } }, 'QueryParameters.deep must be a string, number, boolean or an array of them');
    // AWS's words (recorded against AWS (2026-09)).
    const unmerged = await runtime.run({ definition: httpTask({ Method: 'POST', Authentication: { ConnectionArn: API_KEY_ARN }, ApiEndpoint: `${server.url}/echo`, RequestBody: 'raw text' }) });
    expect(unmerged).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: 'Cannot merge connection body authorization parameters with request body.' });
    expect(server.seen.length).toBe(before);
  });

  it('an http:// ApiEndpoint fails unless plain HTTP is allowed (Step Functions calls HTTPS APIs only)', async () => {
    const { [OAUTH_ARN]: oauth, ...others } = connections();
    const runtime = createRuntime({ services: createHttpTaskCaller({ connections: others }) });
    const result = await runtime.run({ definition: httpTask({ ApiEndpoint: `${server.url}/echo`, Method: 'GET', Authentication: { ConnectionArn: PLAIN_ARN } }) });
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(result.cause).toContain('is not an https:// URL');
    expect(result.cause).toContain('--http-allow-insecure');
    expect(() => createHttpTaskCaller({ connections: { [OAUTH_ARN]: oauth } })).toThrow(/AuthorizationEndpoint 'http:\/\/127\.0\.0\.1:\d+\/token' is not an https:\/\/ URL/);
  });

  it('a handler or a mock for the state answers before the HTTP caller, and nothing is sent', async () => {
    const before = server.seen.length;
    const definition = httpTask({ ApiEndpoint: `${server.url}/echo`, Method: 'GET', Authentication: { ConnectionArn: PLAIN_ARN } });
    const runtime = runtimeWith();
    runtime.handle('arn:aws:states:::http:invoke', ({ input }) => ({ handled: (input as { Method: JsonValue }).Method }));
    expect(await runtime.run({ definition })).toMatchObject({ status: 'SUCCEEDED', output: { handled: 'GET' } });
    const mocked = createRuntime({
      services: createHttpTaskCaller({ connections: connections(), allowInsecureHttp: true }),
      mockConfig: parseMockConfig({ StateMachines: { M: { TestCases: { T: { Call: 'Ok' } } } }, MockedResponses: { Ok: { '0': { Return: { StatusCode: 200 } } } } }),
    });
    expect(await mocked.run({ definition, stateMachineName: 'M', testCase: 'T' })).toMatchObject({ status: 'SUCCEEDED', output: { StatusCode: 200 } });
    expect(server.seen.length).toBe(before);
  });
});

describe('HTTP Task: OAuth client credentials connections', () => {
  it('fetches a token from the AuthorizationEndpoint as the client, sends it as Bearer, and keeps it for the next call', async () => {
    const runtime = runtimeWith();
    const tokensBefore = server.requestsTo('/token').length;
    const definition = httpTask({ ApiEndpoint: `${server.url}/echo`, Method: 'GET', Authentication: { ConnectionArn: OAUTH_ARN } });
    expect(await runtime.run({ definition })).toMatchObject({ status: 'SUCCEEDED' });
    expect(await runtime.run({ definition })).toMatchObject({ status: 'SUCCEEDED' });
    const tokenRequests = server.requestsTo('/token').slice(tokensBefore);
    expect(tokenRequests).toHaveLength(1);
    const t = tokenRequests[0]!;
    expect(t.method).toBe('POST');
    expect(t.url).toBe('/token?audience=api');
    // The client's ID and secret follow the body parameters, and no Authorization header is sent
    // (recorded against AWS (2026-09): grant_type=client_credentials&scope=owned-echo&client_secret=owned-client-secret&client_id=owned-client).
    expect(t.body).toBe('grant_type=client_credentials&scope=read%20write&client_secret=s3cret&client_id=client-1');
    expect(header(t, 'authorization')).toBeUndefined();
    expect(header(t, 'content-type')).toBe('application/x-www-form-urlencoded');
    expect(header(t, 'x-tenant')).toBe('t1');
    const calls = server.requestsTo('/echo').slice(-2);
    expect(calls.map((c) => header(c, 'authorization'))).toEqual([expect.stringMatching(/^Bearer token-\d+$/), header(calls[0]!, 'authorization')]);
  });

  it('after a 401 the token is fetched again, so a Retry authorizes with a new one', async () => {
    const runtime = createRuntime({ clock: 'virtual', services: createHttpTaskCaller({ connections: connections(), allowInsecureHttp: true }) });
    tokenCount = 0;
    const definition = httpTask({ ApiEndpoint: `${server.url}/protected`, Method: 'GET', Authentication: { ConnectionArn: OAUTH_ARN } }, {
      Retry: [{ ErrorEquals: ['States.Http.StatusCode.401'], IntervalSeconds: 1, MaxAttempts: 1 }],
    });
    expect(await runtime.run({ definition })).toMatchObject({ status: 'SUCCEEDED', output: { ResponseBody: { authorization: 'Bearer token-1' } } });
    // The second execution's first call gets a 401 with token-1; its retry fetches token-2.
    const second = await runtime.run({ definition });
    expect(second).toMatchObject({ status: 'SUCCEEDED', output: { ResponseBody: { authorization: 'Bearer token-2' } } });
    expect(tokenCount).toBe(2);
  });

  it('a token request that gets no answer is cancelled when the task times out, not left open for the duration quota', async () => {
    const slow = connections();
    (slow[OAUTH_ARN] as { AuthParameters: { OAuthParameters: { AuthorizationEndpoint: string } } }).AuthParameters.OAuthParameters.AuthorizationEndpoint = `${server.url}/token-never`;
    const runtime = createRuntime({ services: createHttpTaskCaller({ connections: slow, allowInsecureHttp: true }) });
    const closedBefore = tokenRequestsClosed;
    const result = await runtime.run({ definition: httpTask({ ApiEndpoint: `${server.url}/echo`, Method: 'GET', Authentication: { ConnectionArn: OAUTH_ARN } }, { TimeoutSeconds: 1 }) });
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    await expect.poll(() => tokenRequestsClosed, { timeout: 2000 }).toBe(closedBefore + 1);
  });

  it('a token endpoint that refuses the client fails the task with Events.ConnectionResource.InvalidConnectionState', async () => {
    const bad = connections();
    (bad[OAUTH_ARN] as { AuthParameters: { OAuthParameters: { ClientParameters: { ClientSecret: string } } } }).AuthParameters.OAuthParameters.ClientParameters.ClientSecret = 'wrong';
    const runtime = createRuntime({ services: createHttpTaskCaller({ connections: bad, allowInsecureHttp: true }) });
    const before = server.requestsTo('/echo').length;
    const result = await runtime.run({ definition: httpTask({ ApiEndpoint: `${server.url}/echo`, Method: 'GET', Authentication: { ConnectionArn: OAUTH_ARN } }) });
    expect(result).toMatchObject({ status: 'FAILED', error: 'Events.ConnectionResource.InvalidConnectionState' });
    expect(result.cause).toContain('answered 401 Unauthorized: {"error":"invalid_client"}');
    expect(server.requestsTo('/echo').length).toBe(before);
  });
});
