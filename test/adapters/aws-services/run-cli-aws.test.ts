import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, tempFile } from '../../e2e/cli-helpers.js';

/** `stepwise run --aws-endpoint` against a stand-in Lambda on 127.0.0.1 (the CLI runs in a child process). */
let server: Server;
let endpoint: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Amz-Executed-Version': '$LATEST' });
      res.end(JSON.stringify({ echoed: JSON.parse(body || 'null'), path: req.url }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cliPath, ...args], { env: { ...process.env, NO_COLOR: '1', AWS_ACCESS_KEY_ID: '', AWS_PROFILE: '' } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const definition = JSON.stringify({ StartAt: 'Call', States: { Call: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:echo', End: true } } });

// Each case starts a CLI process: generous time for a loaded CI machine.
describe('stepwise run --aws-endpoint', { timeout: 60_000 }, () => {
  it('answers a Lambda Task with a real SDK call to the endpoint', async () => {
    const file = tempFile('echo.asl.json', definition);
    const r = await runCli(['run', file, '--store', 'memory', '--json', '--input', '{"n":1}', '--aws-endpoint', `lambda=${endpoint}`, '--aws-region', 'eu-west-1']);
    // On Node 20 the SDK itself may print a NodeVersionSupportWarning; nothing else may appear.
    expect(r.stderr).not.toMatch(/stepwise:|\n\s+at /);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'SUCCEEDED', output: { echoed: { n: 1 }, path: '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aecho/invocations' } });
  });

  it('without the flag calls nothing and says how to answer the Task', async () => {
    const file = tempFile('echo.asl.json', definition);
    const r = await runCli(['run', file, '--store', 'memory', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed', cause: expect.stringContaining('--aws-endpoint') });
  });

  it('rejects an endpoint that is not a URL with exit code 2 and no stack trace', async () => {
    const file = tempFile('echo.asl.json', definition);
    const r = await runCli(['run', file, '--store', 'memory', '--aws-endpoint', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("stepwise: --aws-endpoint: 'nope' is not a URL (expected e.g. http://127.0.0.1:3001).\n");
  });
});
