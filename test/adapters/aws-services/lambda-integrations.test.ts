import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsServiceCaller } from '../../../adapters/aws-services/index.js';
import { createRuntime, type StateMachineDefinition } from '../../../src/index.js';

/**
 * Lambda's Invoke on 127.0.0.1, answering as the Python function of the AWS recording did
 * (`{"received": <event>, ...}` in Python's JSON spacing; `raise_error` fails it), so that the
 * results can be compared with what AWS recorded (2026-09, us-west-2).
 */
let server: Server;
let endpoint: string;
const bodies: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      bodies.push(body);
      const name = decodeURIComponent(/functions\/([^/]+)/.exec(req.url ?? '')?.[1] ?? '');
      if (name.endsWith('missing')) {
        res.writeHead(404, { 'Content-Type': 'application/json', 'x-amzn-RequestId': 'req-404', 'x-amzn-ErrorType': 'ResourceNotFoundException' });
        return res.end(JSON.stringify({ Type: 'User', Message: `Function not found: ${name}` }));
      }
      if (name.endsWith('unmodeled')) {
        res.writeHead(400, { 'Content-Type': 'application/json', 'x-amzn-RequestId': 'req-400', 'x-amzn-ErrorType': 'SomethingNewException' });
        return res.end(JSON.stringify({ Type: 'User', Message: 'new error' }));
      }
      if (req.headers['x-amz-invocation-type'] === 'Event') {
        res.writeHead(202, { 'x-amzn-RequestId': 'req-202', 'Content-Length': '0' });
        return res.end();
      }
      const event = body === '' ? {} : (JSON.parse(body) as unknown);
      if (typeof event === 'object' && event !== null && (event as { raise_error?: boolean }).raise_error) {
        res.writeHead(200, { 'Content-Type': 'application/json', 'X-Amz-Function-Error': 'Unhandled', 'X-Amz-Executed-Version': '$LATEST', 'x-amzn-RequestId': 'req-err' });
        return res.end('{"errorMessage": "explicit native probe failure", "errorType": "ExplicitProbeError", "stackTrace": []}');
      }
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Amz-Executed-Version': '$LATEST', 'x-amzn-RequestId': 'req-ok' });
      res.end(`{"received": ${JSON.stringify(event)}, "python_type": "${event === null ? 'NoneType' : typeof event === 'string' ? 'str' : 'dict'}"}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const FN = 'arn:aws:lambda:us-west-2:000000000000:function:probe';
const runtime = () => createRuntime({ region: 'us-west-2', services: createAwsServiceCaller({ endpoint, region: 'us-west-2', credentials: { accessKeyId: 't', secretAccessKey: 't' } }) });
const task = (state: Record<string, unknown>): StateMachineDefinition => ({ StartAt: 'T', States: { T: { Type: 'Task', End: true, ...state } } }) as StateMachineDefinition;
const sdkInvoke = (extra: Record<string, unknown> = {}) => task({ Resource: 'arn:aws:states:::aws-sdk:lambda:invoke', Parameters: { FunctionName: FN, 'Payload.$': '$.payload', ...extra } });
const optimized = (extra: Record<string, unknown> = {}) => task({ Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: FN, 'Payload.$': '$.payload', ...extra } });

async function run(definition: StateMachineDefinition, input: unknown) {
  const before = bodies.length;
  const result = await runtime().run({ definition, input });
  return { result, sent: bodies.slice(before) };
}

describe('aws-sdk:lambda:invoke (recorded against AWS (2026-09))', () => {
  it('sends an object Payload as its JSON text and answers {ExecutedVersion, Payload (the text), StatusCode} in that order', async () => {
    const { result, sent } = await run(sdkInvoke(), { payload: { marker: 'sdk-object', value: [1, true, null, 'snowman ☃'] } });
    expect(sent).toEqual(['{"marker":"sdk-object","value":[1,true,null,"snowman ☃"]}']);
    expect(JSON.stringify(result.output)).toBe('{"ExecutedVersion":"$LATEST","Payload":"{\\"received\\": {\\"marker\\":\\"sdk-object\\",\\"value\\":[1,true,null,\\"snowman ☃\\"]}, \\"python_type\\": \\"dict\\"}","StatusCode":200}');
  });

  it('sends a string Payload as it is, and null or no Payload as no payload (the function gets {})', async () => {
    expect((await run(sdkInvoke(), { payload: '{"marker": "sdk-json-string", "value": 7}' })).sent).toEqual(['{"marker": "sdk-json-string", "value": 7}']);
    expect((await run(sdkInvoke(), { payload: null })).sent).toEqual(['']);
    const omitted = await run(task({ Resource: 'arn:aws:states:::aws-sdk:lambda:invoke', Parameters: { FunctionName: FN } }), {});
    expect(omitted.sent).toEqual(['']);
    expect(omitted.result.output).toEqual({ ExecutedVersion: '$LATEST', Payload: '{"received": {}, "python_type": "dict"}', StatusCode: 200 });
  });

  it('a function error succeeds, with FunctionError in the result', async () => {
    const { result } = await run(sdkInvoke(), { payload: '{"raise_error": true}' });
    expect(result.status).toBe('SUCCEEDED');
    expect(Object.keys(result.output as object)).toEqual(['ExecutedVersion', 'FunctionError', 'Payload', 'StatusCode']);
    expect(result.output).toMatchObject({ FunctionError: 'Unhandled', StatusCode: 200 });
  });

  it('an Event invocation answers {"Payload":"","StatusCode":202}', async () => {
    const { result } = await run(sdkInvoke({ InvocationType: 'Event' }), { payload: { marker: 'sdk-event-delivery' } });
    expect(JSON.stringify(result.output)).toBe('{"Payload":"","StatusCode":202}');
  });

  it('errors are named and explained as the Java SDK v2 does', async () => {
    const missing = await runtime().run({ definition: task({ Resource: 'arn:aws:states:::aws-sdk:lambda:getFunction', Parameters: { FunctionName: 'missing' } }) });
    expect(missing).toMatchObject({ status: 'FAILED', error: 'Lambda.ResourceNotFoundException', cause: 'Function not found: missing (Service: Lambda, Status Code: 404, Request ID: req-404) (SDK Attempt Count: 1)' });
    const unmodeled = await runtime().run({ definition: task({ Resource: 'arn:aws:states:::aws-sdk:lambda:getFunction', Parameters: { FunctionName: 'unmodeled' } }) });
    expect(unmodeled).toMatchObject({ status: 'FAILED', error: 'Lambda.LambdaException', cause: 'new error (Service: Lambda, Status Code: 400, Request ID: req-400) (SDK Attempt Count: 1)' });
  });
});

describe('lambda:invoke, the optimized integration (recorded against AWS (2026-09))', () => {
  it('a function error fails with its errorType and the payload as compact JSON', async () => {
    const { result } = await run(optimized(), { payload: { raise_error: true } });
    expect(result).toMatchObject({ status: 'FAILED', error: 'ExplicitProbeError', cause: '{"errorMessage":"explicit native probe failure","errorType":"ExplicitProbeError","stackTrace":[]}' });
  });

  it('sends a null Payload as no payload and a string Payload as it is', async () => {
    const nul = await run(optimized(), { payload: null });
    expect(nul.sent).toEqual(['']);
    expect(nul.result.output).toMatchObject({ Payload: { received: {}, python_type: 'dict' } });
    expect((await run(optimized(), { payload: 'null' })).result.output).toMatchObject({ Payload: { received: null, python_type: 'NoneType' } });
    expect((await run(optimized(), { payload: '"plain native string"' })).result.output).toMatchObject({ Payload: { received: 'plain native string', python_type: 'str' } });
  });

  it('an Event invocation has a null Payload and no ExecutedVersion', async () => {
    const { result } = await run(optimized({ InvocationType: 'Event' }), { payload: { marker: 'optimized-event-delivery' } });
    expect(Object.keys(result.output as object)).toEqual(['Payload', 'SdkHttpMetadata', 'SdkResponseMetadata', 'StatusCode']);
    expect(result.output).toMatchObject({ Payload: null, StatusCode: 202, SdkHttpMetadata: { HttpStatusCode: 202 }, SdkResponseMetadata: { RequestId: 'req-202' } });
    // HttpHeaders is a case-insensitive sorted map in AWS's answer.
    const names = Object.keys((result.output as { SdkHttpMetadata: { HttpHeaders: object } }).SdkHttpMetadata.HttpHeaders);
    expect(names).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
  });
});

describe('a Lambda function ARN (recorded against AWS (2026-09))', () => {
  it('sends the JSON text of its input (null and strings too) and keeps a function error\'s payload as the function wrote it', async () => {
    const direct = (payload: unknown) => run(task({ Resource: FN, InputPath: '$.payload' }), { payload });
    expect((await direct(null)).sent).toEqual(['null']);
    expect((await direct('plain native string')).sent).toEqual(['"plain native string"']);
    const failed = (await direct({ raise_error: true })).result;
    expect(failed).toMatchObject({ status: 'FAILED', error: 'ExplicitProbeError', cause: '{"errorMessage": "explicit native probe failure", "errorType": "ExplicitProbeError", "stackTrace": []}' });
  });
});
