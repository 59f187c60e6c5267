import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../..');
export const cliPath = path.join(repoRoot, 'dist/src/cli/main.js');

export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  // Each run gets its own working directory, so the default .stepwise/ store never collides.
  const cwd = options.cwd ?? fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-cwd-'));
  const r = spawnSync(process.execPath, [cliPath, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...options.env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function tempFile(name: string, content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}
