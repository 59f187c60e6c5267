import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const fixture = path.join(__dirname, 'fixtures/crashable-run.mjs');

function run(storeDir: string, callLog: string, mode: 'start' | 'resume', killAfterMs?: number): Promise<{ killed: boolean; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fixture, storeDir, callLog, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = killAfterMs !== undefined ? setTimeout(() => child.kill('SIGKILL'), killAfterMs) : undefined;
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal === 'SIGKILL') resolve({ killed: true, out });
      else if (code === 0) resolve({ killed: false, out });
      else reject(new Error(`worker exited ${code}: ${err}`));
    });
  });
}

function calls(callLog: string): { pid: number; stateName: string; key: string }[] {
  return fs.readFileSync(callLog, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

describe('crash safety', () => {
  it('survives SIGKILL at random moments: resumed runs end exactly like an uninterrupted one', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-crash-'));
    // The uninterrupted reference run, which also tells how long a run takes here.
    const began = Date.now();
    const reference = await run(path.join(tmp, 'ref'), path.join(tmp, 'ref.log'), 'start');
    const span = Date.now() - began;
    const randomMoment = () => span * (0.2 + Math.random() * 0.6);
    const expected = JSON.parse(reference.out.trim().split('\n').pop()!);
    expect(expected.status).toBe('SUCCEEDED');

    // A busy machine can make a run quicker than the reference, so that it ends before its kill:
    // start again on a fresh store, earlier, until one is killed.
    let storeDir = '';
    let callLog = '';
    let kills = 0;
    let outcome: { killed: boolean; out: string } = { killed: false, out: '' };
    for (let attempt = 0; attempt < 5 && !outcome.killed; attempt++) {
      storeDir = path.join(tmp, `store-${attempt}`);
      callLog = path.join(tmp, `calls-${attempt}.log`);
      outcome = await run(storeDir, callLog, 'start', randomMoment() / 2 ** attempt);
    }
    if (outcome.killed) kills++;
    for (let round = 0; outcome.killed && round < 40; round++) {
      // Kill the resumed run too, a few times, at random moments; then let it finish.
      outcome = await run(storeDir, callLog, 'resume', round < 4 ? randomMoment() : undefined);
      if (outcome.killed) kills++;
    }
    const final = JSON.parse(outcome.out.trim().split('\n').pop()!);
    expect(kills).toBeGreaterThan(0);
    expect(final.status).toBe('SUCCEEDED');
    expect(final.output).toEqual(expected.output);

    // At-least-once for tasks in flight at a kill; never twice within one process, and never
    // for a task whose result had already been recorded (each duplicate spans a kill).
    const byKey = new Map<string, number[]>();
    for (const c of calls(callLog)) byKey.set(c.key, [...(byKey.get(c.key) ?? []), c.pid]);
    let duplicates = 0;
    for (const pids of byKey.values()) {
      expect(new Set(pids).size).toBe(pids.length);
      duplicates += pids.length - 1;
    }
    expect(duplicates).toBeLessThanOrEqual(kills * 16);
    expect(byKey.size).toBe(calls(path.join(tmp, 'ref.log')).length);
  }, 120_000);
});
