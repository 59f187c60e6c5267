import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath, runCli } from './cli-helpers.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function statusOf(store: string, name: string): string | undefined {
  const listed = JSON.parse(runCli(['list', '--store', store, '--json']).stdout) as { executions: { name: string; status: string }[] };
  return listed.executions.find((e) => e.name === name)?.status;
}

describe('stepwise resume --follow', () => {
  it('keeps running and takes over an execution whose runtime was killed, until SIGTERM', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-follow-'));
    const store = path.join(dir, 'store');
    const definition = path.join(dir, 'wait.asl.json');
    fs.writeFileSync(definition, JSON.stringify({
      StartAt: 'W',
      States: { W: { Type: 'Wait', Seconds: 2, Next: 'D' }, D: { Type: 'Pass', Result: 'done', End: true } },
    }));
    // A runtime that starts the execution, holding a lease, and dies in its Wait.
    const runner = spawn(process.execPath, [cliPath, 'run', definition, '--store', store, '--lease-ms', '500', '--name', 'L1'], { stdio: 'ignore' });
    await sleep(1_000);
    runner.kill('SIGKILL');
    await new Promise((resolve) => runner.once('exit', resolve));
    expect(statusOf(store, 'L1')).toBe('RUNNING');

    const follower = spawn(process.execPath, [cliPath, 'resume', '--store', store, '--lease-ms', '500', '--follow'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let exited: number | null | undefined;
    const exit = new Promise<number | null>((resolve) => follower.once('exit', (code) => resolve((exited = code))));
    let status: string | undefined;
    for (let i = 0; i < 100 && status !== 'SUCCEEDED'; i++) {
      await sleep(100);
      status = statusOf(store, 'L1');
    }
    expect(status).toBe('SUCCEEDED');
    // Still following: it stops only when told to.
    await sleep(300);
    expect(exited).toBeUndefined();
    follower.kill('SIGTERM');
    expect(await exit).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('refuses --follow without --lease-ms', () => {
    const r = runCli(['resume', '--store', fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-follow-')), '--follow']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--follow takes over executions whose lease runs out, so it needs --lease-ms N');
  });
});
