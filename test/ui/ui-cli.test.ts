import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openFileEventStore } from '../../src/index.js';
import { cliPath, runCli } from '../e2e/cli-helpers.js';

describe('stepwise ui', () => {
  it('says clearly that another process holds the store, without a stack trace', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-ui-lock-'));
    const store = await openFileEventStore(dir);
    try {
      const r = runCli(['ui', '--store', dir, '--port', '0']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^stepwise: The event store in .* is open in another process \(pid \d+\)/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
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
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /Stepwise UI on (http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
      });
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
