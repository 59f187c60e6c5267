import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRuntime, openFileEventStore } from '../../src/index.js';
import { cliPath, runCli } from '../e2e/cli-helpers.js';

describe('stepwise ui', () => {
  it('reads a store another process has open, and sees what it wrote', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-ui-shared-'));
    const store = await openFileEventStore(dir);
    const runtime = createRuntime({ store });
    const child = spawn(process.execPath, [cliPath, 'ui', '--store', dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const execution = runtime.startExecution({ definition: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, name: 'written-elsewhere' });
      await execution.done;
      const url = await uiUrl(child);
      const list = (await (await fetch(`${url}api/executions`)).json()) as { items: { name: string; status: string }[] };
      expect(list.items.map((e) => [e.name, e.status])).toEqual([['written-elsewhere', 'SUCCEEDED']]);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await runtime.close();
      await store.close();
    }
  });

  it('rejects a bad port', () => {
    const r = runCli(['ui', '--store', 'memory', '--port', 'eighty']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--port must be a port number (0 to 65535), not 'eighty'");
  });

  it('serves the UI on 127.0.0.1 until stopped, and releases the store', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-ui-cli-'));
    const child = spawn(process.execPath, [cliPath, 'ui', '--store', dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await uiUrl(child);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const list = await fetch(`${url}api/executions`);
      expect(await list.json()).toEqual({ items: [] });
      expect((await fetch(url)).headers.get('content-type')).toContain('text/html');
      // A foreign Host name (DNS rebinding) is refused.
      const foreign = await new Promise<number>((resolve, reject) => {
        http.get(`${url}api/executions`, { headers: { host: 'attacker.example:8084' } }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        }).on('error', reject);
      });
      expect(foreign).toBe(403);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    expect(fs.existsSync(path.join(dir, 'LOCK'))).toBe(false);
  });
});

function uiUrl(child: ChildProcess): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Stepwise UI on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
  });
}
