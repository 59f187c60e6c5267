import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './cli-helpers.js';

describe('the package as a dependency', () => {
  it('resolves and imports every entry of its exports map by its package name', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { name: string; exports: Record<string, unknown> };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-consumer-'));
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.symlinkSync(repoRoot, path.join(dir, 'node_modules', pkg.name), 'dir');
    const specifiers = Object.keys(pkg.exports).map((key) => (key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`));
    expect(specifiers).toContain(`${pkg.name}/adapters/ui`);
    const script = `for (const s of ${JSON.stringify(specifiers)}) { const m = await import(s); console.log(s, Object.keys(m).length); }`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const s of specifiers) expect(r.stdout).toMatch(new RegExp(`^${s.replace(/[/.]/g, '\\$&')} [1-9]\\d*$`, 'm'));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lets a consumer mount the UI handler from stepwise/adapters/ui', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-consumer-'));
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.symlinkSync(repoRoot, path.join(dir, 'node_modules', 'stepwise'), 'dir');
    const script = `
      import http from 'node:http';
      import { createRuntime } from 'stepwise';
      import { createUiHandler } from 'stepwise/adapters/ui';
      const handler = createUiHandler({ runtime: createRuntime(), basePath: '/ui' });
      const server = http.createServer(async (req, res) => { if (!(await handler(req, res))) { res.statusCode = 404; res.end(); } });
      server.listen(0, '127.0.0.1', async () => {
        const base = 'http://127.0.0.1:' + server.address().port;
        const api = await fetch(base + '/ui/api/executions');
        const other = await fetch(base + '/elsewhere');
        console.log(api.status, JSON.stringify(await api.json()), other.status);
        server.close();
      });`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toMatch(/^200 \{.*\} 404$/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
