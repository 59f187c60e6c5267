import { SFNClient, TestStateCommand, type TestStateCommandInput } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, expect } from 'vitest';
import { createStepFunctionsServer, type StepFunctionsServer } from '../../../adapters/http/index.js';
import { createRuntime, type Runtime, type RuntimeOptions } from '../../../src/runtime/create-runtime.js';

export const ROLE = 'arn:aws:iam::123456789012:role/StepwiseTest';

export interface TestServer {
  runtime: Runtime;
  server: StepFunctionsServer;
  client: SFNClient;
  url: string;
  close(): Promise<void>;
}

/** A server on an ephemeral port of 127.0.0.1 with the official client pointed at it (dummy credentials). */
export async function startTestServer(options: RuntimeOptions & { activityPollMs?: number } = {}): Promise<TestServer> {
  const { activityPollMs, ...runtimeOptions } = options;
  const runtime = createRuntime({ clock: 'virtual', ...runtimeOptions });
  const server = createStepFunctionsServer({ runtime, ...(activityPollMs !== undefined ? { activityPollMs } : {}) });
  const { url } = await server.listen(0);
  const client = new SFNClient({
    endpoint: url, region: 'us-east-1', maxAttempts: 1,
    // StartSyncExecution's host prefix (sync-) would turn 127.0.0.1 into a name that does not resolve.
    disableHostPrefix: true,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
  });
  return {
    runtime, server, client, url,
    async close() {
      client.destroy();
      await server.close();
      await runtime.close();
    },
  };
}

/** The error name the SDK parsed from a rejected call. */
export async function errorName(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (e) {
    return (e as Error).name;
  }
  throw new Error('expected the call to fail');
}

export const PASS_MACHINE = JSON.stringify({ StartAt: 'Hello', States: { Hello: { Type: 'Pass', Result: { hello: 'world' }, ResultPath: '$.greeting', End: true } } });
export const WAIT_MACHINE = JSON.stringify({ StartAt: 'Hold', States: { Hold: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'hold', Payload: { 'token.$': '$$.Task.Token' } }, End: true } } });
export const FAIL_MACHINE = JSON.stringify({ StartAt: 'Boom', States: { Boom: { Type: 'Fail', Error: 'Custom.Error', Cause: 'it broke' } } });

/**
 * A test server started before a file's tests and closed after them, with TestState calls to it:
 * `send` answers, `refused` expects a ValidationException with that message (text, pattern or matcher).
 */
export function testStateServer(options: RuntimeOptions = {}) {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(options);
  });
  afterAll(() => t.close());
  const send = (input: TestStateCommandInput) => t.client.send(new TestStateCommand(input));
  const refused = (input: TestStateCommandInput, message: unknown) =>
    expect(send(input)).rejects.toMatchObject({ name: 'ValidationException', message: message instanceof RegExp ? expect.stringMatching(message) : message });
  return { send, refused };
}
