import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpTaskCallerFromFlags } from '../../../src/cli/http-task-flags.js';
import { cliPath, tempFile } from '../../e2e/cli-helpers.js';
import { header, json, LocalServer } from './local-server.js';

/**
 * The CLI flags of HTTP Tasks: the function every command calls, and `stepwise run` itself
 * (the built CLI, dist/src/cli/main.js, in a child process, as test/e2e does) against a local server.
 */
const ARN = 'arn:aws:events:us-east-1:123456789012:connection/Local/00000000-0000-4000-8000-000000000001';
const server = new LocalServer();

beforeAll(async () => {
  server.route('/orders', (req, res) => json(res, 201, { received: JSON.parse(req.body) }));
  await server.start();
});

afterAll(() => server.stop());

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cliPath, ...args], { env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const connectionsFile = () => tempFile('connections.json', JSON.stringify({ [ARN]: { AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'local-key' } } } }));

function definitionFile(endpoint: string): string {
  return tempFile('http.asl.json', JSON.stringify({
    StartAt: 'CreateOrder',
    States: {
      CreateOrder: {
        Type: 'Task',
        Resource: 'arn:aws:states:::http:invoke',
        Parameters: { ApiEndpoint: endpoint, Method: 'POST', Authentication: { ConnectionArn: ARN }, 'RequestBody.$': '$' },
        ResultSelector: { 'status.$': '$.StatusCode', 'body.$': '$.ResponseBody' },
        End: true,
      },
    },
  }));
}

describe('httpTaskCallerFromFlags', () => {
  it('calls nothing unless asked, and refuses what cannot work', () => {
    expect(httpTaskCallerFromFlags({})).toBeUndefined();
    expect(httpTaskCallerFromFlags({ 'http-invoke': true })).toBeDefined();
    expect(httpTaskCallerFromFlags({ 'http-connections': connectionsFile() })).toBeDefined();
    expect(() => httpTaskCallerFromFlags({ 'http-allow-insecure': true })).toThrow('--http-allow-insecure needs --http-invoke or --http-connections FILE');
    expect(() => httpTaskCallerFromFlags({ 'http-connections': '/nonexistent/c.json' })).toThrow('Cannot read the connections file /nonexistent/c.json: no such file.');
    const oauth = tempFile('connections.json', JSON.stringify({ [ARN]: { AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS', AuthParameters: { OAuthParameters: { AuthorizationEndpoint: 'http://127.0.0.1:9/token', HttpMethod: 'POST', ClientParameters: { ClientID: 'c', ClientSecret: 's' } } } } }));
    expect(() => httpTaskCallerFromFlags({ 'http-connections': oauth })).toThrow("AuthorizationEndpoint 'http://127.0.0.1:9/token' is not an https:// URL");
    expect(httpTaskCallerFromFlags({ 'http-connections': oauth, 'http-allow-insecure': true })).toBeDefined();
  });
});

// Each case starts a CLI process: generous time for a loaded CI machine.
describe('stepwise run --http-connections', { timeout: 60_000 }, () => {
  it('calls the endpoint with the connection and prints the result, with the history AWS records', async () => {
    const before = server.seen.length;
    const r = await runCli(['run', definitionFile(`${server.url}/orders`), '--store', 'memory', '--json', '--history', '--input', '{"sku":"A-1","qty":2}',
      '--http-connections', connectionsFile(), '--http-allow-insecure']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { status: string; output: unknown; history: { type: string; taskScheduledEventDetails?: Record<string, unknown> }[] };
    expect(out).toMatchObject({ status: 'SUCCEEDED', output: { status: 201, body: { received: { sku: 'A-1', qty: 2 } } } });
    expect(out.history.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    expect(out.history[2]!.taskScheduledEventDetails).toMatchObject({ resourceType: 'http', resource: 'invoke' });
    const req = server.seen[before]!;
    expect(req).toMatchObject({ method: 'POST', url: '/orders', body: '{"sku":"A-1","qty":2}' });
    expect(header(req, 'x-api-key')).toBe('local-key');
    expect(header(req, 'user-agent')).toBe('Amazon|StepFunctions|HttpInvoke|us-east-1');
  });

  it('without the flags calls nothing, and the cause says how to enable HTTP Tasks', async () => {
    const before = server.seen.length;
    const r = await runCli(['run', definitionFile(`${server.url}/orders`), '--store', 'memory', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed', cause: expect.stringContaining('--http-invoke --http-connections FILE') });
    expect(server.seen.length).toBe(before);
  });

  it('an http:// endpoint without --http-allow-insecure fails the task with States.Runtime', async () => {
    const r = await runCli(['run', definitionFile(`${server.url}/orders`), '--store', 'memory', '--json', '--http-connections', connectionsFile()]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: expect.stringContaining('is not an https:// URL') });
  });

  it('a broken connections file is exit code 2 with one line naming the file, the connection and the field, on every command that runs executions', async () => {
    const broken = tempFile('connections.json', JSON.stringify({ [ARN]: { AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key' } } } }));
    const expected = `stepwise: connections file ${broken}: connection '${ARN}', AuthParameters.ApiKeyAuthParameters.ApiKeyValue: must be a non-empty string.\n`;
    const definition = definitionFile('https://example.com/orders');
    for (const args of [['run', definition], ['resume'], ['fork', 'x', '--from', '1'], ['redrive', 'x'], ['serve', '--port', '0'], ['ui', '--port', '0']]) {
      const r = await runCli([...args, '--store', 'memory', '--http-connections', broken]);
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 2, stderr: expected });
    }
    const notJson = tempFile('connections.json', '{ nope');
    const r = await runCli(['run', definition, '--store', 'memory', '--http-connections', notJson]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^stepwise: The connections file ${notJson.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not JSON: [^\\n]+\\.\\n$`));
  });
});
