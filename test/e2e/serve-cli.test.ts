import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {
  CreateStateMachineCommand, DeleteStateMachineCommand, DescribeExecutionCommand, DescribeStateMachineCommand, GetExecutionHistoryCommand,
  SFNClient, StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { errorName } from '../adapters/http/sfn-test-server.js';
import { cliPath, runCli, tempFile } from './cli-helpers.js';

const TASK_MACHINE = JSON.stringify({ StartAt: 'Charge', States: { Charge: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:charge', End: true } } });
const MOCKS = JSON.stringify({
  StateMachines: { Charger: { TestCases: { Ok: { Charge: 'Charged' } } } },
  MockedResponses: { Charged: { '0': { Return: { charged: 42 } } } },
});

/** `stepwise serve` on a free port, once it listens: its URL, an SDK client for it, and its exit code once it exits. */
async function serve(storeArgs: string[], env: Record<string, string> = {}) {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-serve-'));
  const child = spawn(process.execPath, [cliPath, 'serve', '--port', '0', ...storeArgs], { cwd, env: { ...process.env, NO_COLOR: '1', ...env } });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', () => reject(new Error(`serve exited early: ${out}`)));
  });
  const client = new SFNClient({ endpoint: url, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  return { child, url, client, exited };
}

describe('stepwise serve', () => {
  it('serves the API with SFN_MOCK_CONFIG mocks and stops cleanly on SIGTERM', async () => {
    const { child, url, client, exited } = await serve(['--store', 'memory'], { SFN_MOCK_CONFIG: tempFile('mocks.json', MOCKS) });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    try {
      const { stateMachineArn } = await client.send(new CreateStateMachineCommand({ name: 'Charger', definition: TASK_MACHINE, roleArn: 'arn:aws:iam::123456789012:role/R' }));
      const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#Ok` }));
      let d = await client.send(new DescribeExecutionCommand({ executionArn }));
      for (let i = 0; i < 100 && d.status === 'RUNNING'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        d = await client.send(new DescribeExecutionCommand({ executionArn }));
      }
      expect(JSON.parse(d.output!)).toEqual({ charged: 42 });
      // The visual debugger is served under /ui of the same server, over the same runtime.
      const page = await fetch(`${url}/ui/`);
      expect(page.headers.get('content-type')).toContain('text/html');
      const listed = (await (await fetch(`${url}/ui/api/executions`)).json()) as { items: { executionArn: string; status: string }[] };
      expect(listed.items.map((e) => [e.executionArn, e.status])).toEqual([[executionArn, 'SUCCEEDED']]);
      // Bound to loopback, the UI refuses a foreign Host name (DNS rebinding), as `stepwise ui` does.
      const foreign = await new Promise<number>((resolve, reject) => {
        http.get(`${url}/ui/api/executions`, { headers: { host: 'attacker.example:8083' } }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        }).on('error', reject);
      });
      expect(foreign).toBe(403);
    } finally {
      client.destroy();
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 60_000);

  it('stops on SIGTERM while an execution waits, leaving it RUNNING for the next server or resume', async () => {
    const store = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-serve-stop-'));
    const { child, client, exited } = await serve(['--store', store]);
    let executionArn: string;
    try {
      const wait = JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 600, Next: 'D' }, D: { Type: 'Pass', End: true } } });
      const { stateMachineArn } = await client.send(new CreateStateMachineCommand({ name: 'Waiter', definition: wait, roleArn: 'arn:aws:iam::123456789012:role/R' }));
      ({ executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn, name: 'long' })) as { executionArn: string });
    } finally {
      client.destroy();
      child.kill('SIGTERM');
    }
    const stoppedIn = Date.now();
    expect(await exited).toBe(0);
    expect(Date.now() - stoppedIn).toBeLessThan(10_000);
    const listed = runCli(['list', '--store', store, '--json']);
    expect((JSON.parse(listed.stdout) as { executions: { executionArn: string; status: string }[] }).executions).toEqual([
      expect.objectContaining({ executionArn, status: 'RUNNING' }),
    ]);
  }, 60_000);

  // API:DeleteStateMachine: the deletion outlives a SIGKILL (the state machine stays DELETING in
  // the store directory), and the execution resumed by the next server fails at its next state
  // transition, after which the state machine is gone.
  it('finishes a DeleteStateMachine after a SIGKILL: the resumed execution fails when its Wait ends', async () => {
    const store = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-serve-delete-'));
    const definition = JSON.stringify({ StartAt: 'Nap', States: { Nap: { Type: 'Wait', Seconds: 3, Next: 'After' }, After: { Type: 'Pass', End: true } } });
    const first = await serve(['--store', store]);
    let stateMachineArn: string;
    let executionArn: string;
    try {
      ({ stateMachineArn } = (await first.client.send(new CreateStateMachineCommand({ name: 'Doomed', definition, roleArn: 'arn:aws:iam::123456789012:role/R' }))) as { stateMachineArn: string });
      ({ executionArn } = (await first.client.send(new StartExecutionCommand({ stateMachineArn, name: 'napping' }))) as { executionArn: string });
      await first.client.send(new DeleteStateMachineCommand({ stateMachineArn }));
      expect((await first.client.send(new DescribeStateMachineCommand({ stateMachineArn }))).status).toBe('DELETING');
    } finally {
      first.client.destroy();
      first.child.kill('SIGKILL');
    }
    await first.exited;

    const second = await serve(['--store', store]);
    try {
      let d = await second.client.send(new DescribeExecutionCommand({ executionArn }));
      for (let i = 0; i < 200 && d.status === 'RUNNING'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        d = await second.client.send(new DescribeExecutionCommand({ executionArn }));
      }
      expect(d).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: 'State machine Doomed has been deleted', redriveStatus: 'REDRIVABLE' });
      const events = (await second.client.send(new GetExecutionHistoryCommand({ executionArn }))).events!;
      expect(events.map((e) => e.type)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'ExecutionFailed']);
      expect(await errorName(second.client.send(new DescribeStateMachineCommand({ stateMachineArn })))).toBe('StateMachineDoesNotExist');
    } finally {
      second.client.destroy();
      second.child.kill('SIGTERM');
    }
    expect(await second.exited).toBe(0);
    const replayed = runCli(['replay', executionArn, '--store', store]);
    expect(replayed.stdout).toContain('OK: 3 events replayed identically');
    expect(replayed.code).toBe(0);
  }, 60_000);

  it('rejects a bad port with a clear message', () => {
    const r = runCli(['serve', '--port', 'eighty']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--port must be an integer');
    expect(r.stderr).not.toContain('    at ');
  });
});
