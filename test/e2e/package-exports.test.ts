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

describe('the package types, as a strict TypeScript consumer sees them', () => {
  it('type-checks the README\'s uses: bytes from a handler, a route that returns what res.end returns, the exported types', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-types-'));
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.symlinkSync(repoRoot, path.join(dir, 'node_modules', 'stepwise'), 'dir');
    fs.symlinkSync(path.join(repoRoot, 'node_modules', '@types'), path.join(dir, 'node_modules', '@types'), 'dir');
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', noEmit: true, skipLibCheck: true, types: ['node'] },
      files: ['consumer.ts'],
    }));
    fs.writeFileSync(path.join(dir, 'consumer.ts'), `
      import { createRuntime, type ExecutionHandle, type ExecutionState, type ReplayReport, type Divergence, type ExecutionIdentity, type StepwiseErrorCode, type TaskHandlerResult } from 'stepwise';
      import { createStepFunctionsServer } from 'stepwise/adapters/http';
      import { createUiHandler } from 'stepwise/adapters/ui';
      const runtime = createRuntime();
      runtime.handle('arn:aws:states:::aws-sdk:s3:getObject', async () => ({ Body: Buffer.from('[1,2]') }));
      const server = createStepFunctionsServer({ runtime, routes: { '/hello': (req, res) => res.end('hello'), '/ui': createUiHandler({ runtime, basePath: '/ui' }) } });
      const handle: ExecutionHandle = runtime.execution('arn:aws:states:us-east-1:123456789012:execution:M:e');
      const state: Promise<ExecutionState> = handle.stateAt(1);
      const code: StepwiseErrorCode = 'StoreAppendTooLarge';
      const answer: TaskHandlerResult = { Body: new Uint8Array([1]) };
      export type Used = [typeof server, typeof state, typeof code, typeof answer, ReplayReport, Divergence, ExecutionIdentity];
    `);
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});
