import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { cliPath, runCli, tempFile } from './cli-helpers.js';

const TASK_MACHINE = JSON.stringify({ StartAt: 'Charge', States: { Charge: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:charge', End: true } } });
const MOCKS = JSON.stringify({
  StateMachines: { Charger: { TestCases: { Ok: { Charge: 'Charged' } } } },
  MockedResponses: { Charged: { '0': { Return: { charged: 42 } } } },
});

describe('stepwise serve', () => {
  it('serves the API with SFN_MOCK_CONFIG mocks and stops cleanly on SIGTERM', async () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-serve-'));
    const child = spawn(process.execPath, [cliPath, 'serve', '--port', '0', '--store', 'memory'], {
      cwd, env: { ...process.env, NO_COLOR: '1', SFN_MOCK_CONFIG: tempFile('mocks.json', MOCKS) },
    });
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
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const client = new SFNClient({ endpoint: url, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
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

  it('rejects a bad port with a clear message', () => {
    const r = runCli(['serve', '--port', 'eighty']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--port must be an integer');
    expect(r.stderr).not.toContain('    at ');
  });
});
