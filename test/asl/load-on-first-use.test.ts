import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadOnFirstUse } from '../../src/asl/load-on-first-use.js';

const indexUrl = pathToFileURL(path.resolve(__dirname, '../../dist/src/index.js')).href;

/**
 * Runs a script in a fresh Node process against the built library (as an application would load
 * it) and returns what it printed as JSON: a test's own process has long loaded everything.
 */
function inFreshProcess(body: string): Record<string, unknown> {
  const script = `
    import { createRequire } from 'node:module';
    const loaded = () => Object.keys(createRequire(import.meta.url).cache);
    const stepwise = await import(${JSON.stringify(indexUrl)});
    const out = {};
    ${body}
    console.log(JSON.stringify(out));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

const has = (files: readonly string[], pattern: RegExp) => files.some((f) => pattern.test(f.split(path.sep).join('/')));

describe('libraries loaded on first use', () => {
  it('loads neither JSONata nor YAML nor the whole of rxjs with Stepwise, and runs a JSONPath machine without them', () => {
    const out = inFreshProcess(`
      out.atImport = loaded();
      const runtime = stepwise.createRuntime();
      const result = await runtime.run({ definition: { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'v.$': '$.n' }, End: true } } }, input: { n: 7 } });
      out.output = result.output;
      out.afterRun = loaded();`);
    for (const files of [out.atImport, out.afterRun] as string[][]) {
      expect(has(files, /\/jsonata\//)).toBe(false);
      expect(has(files, /\/yaml\//)).toBe(false);
      expect(has(files, /\/rxjs\/dist\/cjs\/index\.js$/)).toBe(false);
      expect(has(files, /\/rxjs\/dist\/cjs\/internal\/Subject\.js$/)).toBe(true);
    }
    expect(out.output).toEqual({ v: 7 });
  });

  it('loads JSONata at the first JSONata expression, and YAML at the first YAML definition', () => {
    const out = inFreshProcess(`
      const runtime = stepwise.createRuntime();
      const result = await runtime.run({ definition: { QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', Output: '{% $states.input.n * 6 %}', End: true } } }, input: { n: 7 } });
      out.output = result.output;
      out.jsonataLoaded = loaded().some((f) => f.includes('jsonata'));
      out.yamlBefore = loaded().some((f) => f.includes('/yaml/'));
      out.parsed = stepwise.parseDefinitionText('StartAt: A\\nStates:\\n  A:\\n    Type: Succeed\\n', 'machine.yaml');
      out.yamlAfter = loaded().some((f) => f.includes('/yaml/'));`);
    expect(out.output).toBe(42);
    expect(out.jsonataLoaded).toBe(true);
    expect(out.yamlBefore).toBe(false);
    expect(out.parsed).toEqual({ StartAt: 'A', States: { A: { Type: 'Succeed' } } });
    expect(out.yamlAfter).toBe(true);
  });
});

describe('loadOnFirstUse', () => {
  it('loads a package once, at the first call', () => {
    const yaml = loadOnFirstUse<typeof import('yaml')>('yaml');
    const first = yaml();
    expect(first.parse('a: 1')).toEqual({ a: 1 });
    expect(yaml()).toBe(first);
  });

  it('says which package it could not load and what a bundled application must do', () => {
    const missing = loadOnFirstUse('stepwise-no-such-package');
    expect(() => missing()).toThrow(/Stepwise loads the 'stepwise-no-such-package' package when it is first needed and could not load it: Cannot find module 'stepwise-no-such-package'.*keep it external \(esbuild: --external:stepwise-no-such-package\)/);
  });
});
