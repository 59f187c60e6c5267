import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsServiceCaller } from '../../../adapters/aws-services/index.js';
import { servicesFromFlags } from '../../../src/cli/aws-service-flags.js';
import { createRuntime, type HistoryEvent, type StateMachineDefinition } from '../../../src/index.js';

/** A stand-in for Lambda's REST API (Invoke, GetFunction) on 127.0.0.1: no test reaches the internet. */
interface Received {
  method: string;
  path: string;
  body: string;
}

let server: Server;
let endpoint: string;
const received: Received[] = [];

function answer(req: IncomingMessage, res: ServerResponse, body: string): void {
  received.push({ method: req.method ?? '', path: req.url ?? '', body });
  const fn = /^\/2015-03-31\/functions\/([^/]+)(\/invocations)?/.exec(req.url ?? '');
  const name = fn ? decodeURIComponent(fn[1]!) : '';
  const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json', 'x-amzn-RequestId': `req-${received.length}`, ...headers });
    res.end(JSON.stringify(value));
  };
  if (name.endsWith('missing')) {
    json(404, { Type: 'User', Message: `Function not found: ${name}` }, { 'x-amzn-ErrorType': 'ResourceNotFoundException' });
  } else if (fn?.[2] && name.endsWith('timedout')) {
    json(200, { errorMessage: '2024-11-26T00:36:39.604Z 5b1c Task timed out after 600.15 seconds' }, { 'X-Amz-Function-Error': 'Unhandled', 'X-Amz-Executed-Version': '$LATEST' });
  } else if (fn?.[2] && name.endsWith('broken')) {
    json(200, { errorMessage: 'boom', errorType: 'TypeError', trace: [] }, { 'X-Amz-Function-Error': 'Unhandled', 'X-Amz-Executed-Version': '$LATEST' });
  } else if (fn?.[2]) {
    const payload = JSON.parse(body || 'null') as { name?: string };
    json(200, { hello: payload?.name ?? null }, { 'X-Amz-Executed-Version': '$LATEST' });
  } else if (fn && req.method === 'GET') {
    json(200, { Configuration: { FunctionName: name, Runtime: 'nodejs20.x', MemorySize: 128 } });
  } else {
    json(400, { message: 'unexpected request' }, { 'x-amzn-ErrorType': 'InvalidRequestContentException' });
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => answer(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

// Without the package installed, a test shows the ResultWriter's writes reach the SDK caller.
const hasS3Client = await import('@aws-sdk/client-s3' as string).then(() => true, () => false);

function task(resource: string, extra: Record<string, unknown> = {}): StateMachineDefinition {
  return { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: resource, End: true, ...extra } } } as StateMachineDefinition;
}

const types = (events: readonly HistoryEvent[]) => events.map((e) => e.type);

describe('AWS SDK service calls against a local endpoint', () => {
  it('lambda:invoke sends the Payload and returns the invoke response as AWS shapes it', async () => {
    const runtime = createRuntime({ services: createAwsServiceCaller({ endpoint, region: 'us-east-1', credentials }) });
    const before = received.length;
    const execution = runtime.startExecution({
      definition: task('arn:aws:states:::lambda:invoke', { Parameters: { FunctionName: 'greet', 'Payload.$': '$' } }),
      input: { name: 'Ada' },
    });
    const result = await execution.done;
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({
      ExecutedVersion: '$LATEST',
      Payload: { hello: 'Ada' },
      StatusCode: 200,
      SdkHttpMetadata: { HttpStatusCode: 200, HttpHeaders: expect.objectContaining({ 'x-amz-executed-version': '$LATEST' }) },
      SdkResponseMetadata: { RequestId: expect.stringMatching(/^req-/) },
    });
    const call = received[before]!;
    expect(call).toMatchObject({ method: 'POST', path: '/2015-03-31/functions/greet/invocations' });
    expect(JSON.parse(call.body)).toEqual({ name: 'Ada' });
    expect(types(execution.events)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
  });

  it('a Lambda function ARN returns the function payload, with LambdaFunction* events', async () => {
    const runtime = createRuntime({ services: createAwsServiceCaller({ endpoint: { lambda: endpoint }, credentials }) });
    const execution = runtime.startExecution({ definition: task('arn:aws:lambda:us-east-1:123456789012:function:greet'), input: { name: 'Grace' } });
    expect(await execution.done).toMatchObject({ status: 'SUCCEEDED', output: { hello: 'Grace' } });
    expect(types(execution.events)).toContain('LambdaFunctionSucceeded');
  });

  it('a function error fails the task with the function errorType and its payload as cause', async () => {
    const runtime = createRuntime({ services: createAwsServiceCaller({ endpoint, credentials }) });
    const result = await runtime.run({ definition: task('arn:aws:states:::lambda:invoke', { Parameters: { FunctionName: 'broken', Payload: {} } }) });
    expect(result).toMatchObject({ status: 'FAILED', error: 'TypeError' });
    expect(JSON.parse(result.cause!)).toMatchObject({ errorMessage: 'boom', errorType: 'TypeError' });
  });

  it('a function error without an errorType (a timeout) is Lambda.Unknown, AWS\'s words before the payload', async () => {
    // As AWS execution histories record it: "The cause could not be determined because Lambda did
    // not return an error type. Returned payload: {...}", for both forms of the Task.
    const runtime = createRuntime({ services: createAwsServiceCaller({ endpoint, credentials }) });
    const payload = '{"errorMessage":"2024-11-26T00:36:39.604Z 5b1c Task timed out after 600.15 seconds"}';
    for (const definition of [
      task('arn:aws:states:::lambda:invoke', { Parameters: { FunctionName: 'timedout', Payload: {} } }),
      task('arn:aws:lambda:us-east-1:123456789012:function:timedout'),
    ]) {
      const result = await runtime.run({ definition });
      expect(result).toMatchObject({
        status: 'FAILED', error: 'Lambda.Unknown',
        cause: `The cause could not be determined because Lambda did not return an error type. Returned payload: ${payload}`,
      });
    }
  });

  it('a service error is Lambda.<Exception> with status, code and request id in the cause; Retry and Catch see it', async () => {
    const runtime = createRuntime({ services: createAwsServiceCaller({ endpoint, credentials }) });
    const result = await runtime.run({ definition: task('arn:aws:states:::lambda:invoke', { Parameters: { FunctionName: 'missing' } }) });
    expect(result).toMatchObject({ status: 'FAILED', error: 'Lambda.ResourceNotFoundException' });
    expect(result.cause).toMatch(/Function not found: missing \(Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: req-\d+; Proxy: null\)/);
    const caught = await runtime.run({
      definition: {
        StartAt: 'Call',
        States: {
          Call: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'missing' }, Catch: [{ ErrorEquals: ['Lambda.ResourceNotFoundException'], Next: 'Handled' }], End: true },
          Handled: { Type: 'Pass', Result: 'handled', End: true },
        },
      } as StateMachineDefinition,
    });
    expect(caught).toMatchObject({ status: 'SUCCEEDED', output: 'handled' });
  });

  it('aws-sdk:<service>:<action> calls the SDK client of that service and returns its output as JSON', async () => {
    const runtime = createRuntime({ services: createAwsServiceCaller({ endpoint, credentials }) });
    const result = await runtime.run({ definition: task('arn:aws:states:::aws-sdk:lambda:getFunction', { Parameters: { FunctionName: 'greet' } }) });
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { Configuration: { FunctionName: 'greet', Runtime: 'nodejs20.x', MemorySize: 128 } } });
    expect(result.output).not.toHaveProperty('$metadata');
  });

  it('names the package to install when the service has no SDK package installed', async () => {
    const runtime = createRuntime({ services: createAwsServiceCaller({ endpoint, credentials }) });
    const result = await runtime.run({ definition: task('arn:aws:states:::aws-sdk:nosuchservice:doThing', { Parameters: {} }) });
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(result.cause).toContain('npm install @aws-sdk/client-nosuchservice');
  });

  it.skipIf(hasS3Client)('s3:putObject serves a Distributed Map ResultWriter: it needs @aws-sdk/client-s3', async () => {
    const runtime = createRuntime({ services: createAwsServiceCaller({ endpoint, credentials }) });
    const result = await runtime.run({
      definition: {
        StartAt: 'Fan',
        States: {
          Fan: {
            Type: 'Map', End: true,
            ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
            ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'b', Prefix: 'p' } },
          },
        },
      } as StateMachineDefinition,
      input: [1],
    });
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.ResultWriterFailed' });
    expect(result.cause).toContain('npm install @aws-sdk/client-s3');
  });

  it('an endpoint nobody listens on fails with Lambda.SdkClientException', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const runtime = createRuntime({ services: createAwsServiceCaller({ endpoint: `http://127.0.0.1:${port}`, credentials }) });
    const result = await runtime.run({ definition: task('arn:aws:lambda:us-east-1:123456789012:function:greet') });
    expect(result).toMatchObject({ status: 'FAILED', error: 'Lambda.SdkClientException' });
    expect(result.cause).toMatch(/^Unable to execute HTTP request/);
  });

  it('a registered handler answers before the service, and nothing is sent', async () => {
    const runtime = createRuntime({ services: createAwsServiceCaller({ endpoint, credentials }) });
    runtime.handle('arn:aws:lambda:*:*:function:greet', () => ({ local: true }));
    const before = received.length;
    const result = await runtime.run({ definition: task('arn:aws:lambda:us-east-1:123456789012:function:greet') });
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { local: true } });
    expect(received.length).toBe(before);
  });
});

describe('--aws-endpoint / --aws-region', () => {
  it('configure nothing unless given, and reject what is not a URL or region', () => {
    expect(servicesFromFlags({})).toBeUndefined();
    expect(servicesFromFlags({ 'aws-endpoint': [endpoint] })).toBeDefined();
    expect(servicesFromFlags({ 'aws-endpoint': [`lambda=${endpoint}`, `sqs=${endpoint}`], 'aws-region': 'eu-west-1' })).toBeDefined();
    expect(() => servicesFromFlags({ 'aws-endpoint': ['not a url'] })).toThrow(/--aws-endpoint: 'not a url' is not a URL/);
    expect(() => servicesFromFlags({ 'aws-endpoint': ['ftp://x'] })).toThrow(/http:\/\/ or https:\/\//);
    expect(() => servicesFromFlags({ 'aws-region': 'Mars' })).toThrow(/not an AWS region/);
  });
});

describe('events:putEvents', () => {
  /** A stand-in for the EventBridge SDK module: answers each PutEvents with `answer`. */
  const eventsModule = (answer: Record<string, unknown>) => ({
    EventBridgeClient: class {
      async send() {
        return { ...answer, $metadata: { httpStatusCode: 200, requestId: 'req-1' } };
      }
    },
    PutEventsCommand: class {
      middlewareStack = { add() {} };
      constructor(readonly input: unknown) {}
    },
  });
  const definition = task('arn:aws:states:::events:putEvents', { Parameters: { 'Entries.$': '$.Entries' } });
  const input = { Entries: [{ Detail: { a: 1 }, DetailType: 'dt', Source: 'some.source' }] };

  it('an entry EventBridge refused fails the task with EventBridge.FailedEntry, the answer as its cause', async () => {
    // Recorded against AWS (LocalStack's snapshot test_put_events_malformed_detail).
    const failed = { Entries: [{ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' }], FailedEntryCount: 1 };
    const runtime = createRuntime({ services: createAwsServiceCaller({ sdkModules: { events: eventsModule(failed) }, region: 'us-east-1' }) });
    const result = await runtime.run({ definition, input });
    expect(result).toMatchObject({ status: 'FAILED', error: 'EventBridge.FailedEntry', cause: JSON.stringify(failed) });
    const execution = runtime.startExecution({ definition, input });
    await execution.done;
    expect(types(execution.events)).toContain('TaskFailed');
  });

  it('with every entry accepted, the answer is the output', async () => {
    const runtime = createRuntime({ services: createAwsServiceCaller({ sdkModules: { events: eventsModule({ Entries: [{ EventId: 'e1' }], FailedEntryCount: 0 }) }, region: 'us-east-1' }) });
    expect(await runtime.run({ definition, input })).toMatchObject({ status: 'SUCCEEDED', output: { Entries: [{ EventId: 'e1' }], FailedEntryCount: 0 } });
  });
});

describe('an optimized integration\'s service error', () => {
  /** A modeled error: its SDK module exports the class. */
  class QueueDoesNotExist extends Error {
    readonly $fault = 'client';
    readonly $metadata = { httpStatusCode: 400, requestId: 'req-9' };
    constructor() {
      super('The specified queue does not exist.');
      this.name = 'QueueDoesNotExist';
    }
  }
  const sqsModule = (error: unknown) => ({
    QueueDoesNotExist,
    SQSClient: class {
      async send() {
        throw error;
      }
    },
    SendMessageCommand: class {
      middlewareStack = { add() {} };
      constructor(readonly input: unknown) {}
    },
  });
  const definition = task('arn:aws:states:::sqs:sendMessage', { Parameters: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', 'MessageBody.$': '$.m' } });

  it('one the SDK does not model is the Java SDK\'s generic exception (SQS.AmazonSQSException), the code in the cause', async () => {
    // Recorded against AWS (LocalStack's snapshot test_send_message_empty_body).
    const unmodeled = { name: 'MissingParameter', message: 'The request must contain the parameter MessageBody.', $fault: 'client', $metadata: { httpStatusCode: 400, requestId: 'req-8' } };
    const runtime = createRuntime({ services: createAwsServiceCaller({ sdkModules: { sqs: sqsModule(unmodeled) }, region: 'us-east-1' }) });
    expect(await runtime.run({ definition, input: { m: null } })).toMatchObject({
      status: 'FAILED', error: 'SQS.AmazonSQSException',
      cause: 'The request must contain the parameter MessageBody. (Service: AmazonSQS; Status Code: 400; Error Code: MissingParameter; Request ID: req-8; Proxy: null)',
    });
  });

  it('one the SDK models keeps its own name with the Exception suffix', async () => {
    const runtime = createRuntime({ services: createAwsServiceCaller({ sdkModules: { sqs: sqsModule(new QueueDoesNotExist()) }, region: 'us-east-1' }) });
    expect(await runtime.run({ definition, input: { m: 'hi' } })).toMatchObject({ status: 'FAILED', error: 'SQS.QueueDoesNotExistException' });
  });
});
