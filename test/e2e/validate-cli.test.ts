import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { awsDiagnostic } from '../../src/asl/aws-diagnostics.js';
import { validateDefinition } from '../../src/asl/validate-definition.js';
import { validateCommand } from '../../src/cli/validate-command.js';
import { cliPath, runCli, tempFile } from './cli-helpers.js';

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await validateCommand(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const valid = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Succeed' } } });
const invalid = JSON.stringify({
  StartAt: 'A',
  States: {
    A: { Type: 'Pass', Next: 'Nope' },
    B: { Type: 'Wait', Seconds: -1, End: true },
  },
});

describe('stepwise validate (in process)', () => {
  it('prints OK and returns 0 for a valid definition', async () => {
    const r = await run([tempFile('ok.asl.json', valid)]);
    expect(r).toEqual({ code: 0, stdout: 'OK\n', stderr: '' });
  });

  it('lists every error as "ERROR CODE at /pointer: message" and returns 2', async () => {
    const file = tempFile('bad.asl.json', invalid);
    const r = await run([file]);
    expect(r.code).toBe(2);
    expect(r.stdout.trim().split('\n')).toEqual([
      'ERROR SCHEMA_VALIDATION_FAILED at /States/B/Seconds: Minimum value is 0',
      "ERROR MISSING_TRANSITION_TARGET at /States/A/Next: Missing 'Next' target: Nope",
      'ERROR MISSING_TRANSITION_TARGET at /States/B: State "B" is not reachable.',
    ]);
    expect(r.stderr).toBe(`stepwise: ${file} is not a valid state machine definition: 3 errors (first: SCHEMA_VALIDATION_FAILED at /States/B/Seconds: Minimum value is 0).\n`);
  });

  it("prints Stepwise's reason after AWS's message where AWS gives none, and keeps the API's answer AWS's", async () => {
    const definition = { StartAt: 'A', States: { A: { Type: 'Pass', OutputPath: '$.a[', End: true } } };
    const r = await run([tempFile('path.asl.json', JSON.stringify(definition))]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^ERROR SCHEMA_VALIDATION_FAILED at \/States\/A\/OutputPath: Value must be a valid JSONPath\. \(.+\)\n$/);
    expect(awsDiagnostic(validateDefinition(definition)[0]!, definition)).toEqual({ code: 'SCHEMA_VALIDATION_FAILED', location: '/States/A/OutputPath', message: 'Value must be a valid JSONPath.', severity: 'ERROR' });
  });

  it('checks an EXPRESS definition for the patterns Express workflows cannot run with --type EXPRESS', async () => {
    const file = tempFile('callback.asl.json', JSON.stringify({ StartAt: 'Ask', States: { Ask: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', End: true } } }));
    expect((await run([file])).code).toBe(0);
    const express = await run([file, '--type', 'EXPRESS']);
    expect(express.code).toBe(2);
    expect(express.stdout).toContain("ERROR SCHEMA_VALIDATION_FAILED at /States/Ask/Resource: Express state machine does not support '.waitForTaskToken' service integration");
    expect((await run([file, '--type=STANDARD'])).code).toBe(0);
    const bad = await run([file, '--type', 'FAST']);
    expect(bad).toMatchObject({ code: 2, stderr: "stepwise validate: --type must be STANDARD or EXPRESS, not 'FAST'.\n" });
  });

  it('prints warnings but still accepts the definition', async () => {
    const def = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Parameters: { p: '$.x' }, End: true } } });
    const r = await run([tempFile('warn.json', def)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^WARNING NO_DOLLAR at \/States\/A\/Parameters: .*\nOK\n$/);
  });

  it('prints the AWS-shaped result with --json', async () => {
    const r = await run([tempFile('bad.json', invalid), '--json']);
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout);
    expect(out.result).toBe('FAIL');
    expect(out.diagnostics[0]).toEqual({ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: 'Minimum value is 0', location: '/States/B/Seconds' });
    const ok = await run(['--json', tempFile('ok.json', valid)]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ result: 'OK', diagnostics: [] });
  });

  it('validates YAML definitions', async () => {
    const r = await run([tempFile('m.asl.yaml', 'StartAt: A\nStates:\n  A:\n    Type: Succeed\n')]);
    expect(r).toEqual({ code: 0, stdout: 'OK\n', stderr: '' });
  });

  it('explains a file that does not parse in one paragraph, without a stack trace', async () => {
    const file = tempFile('broken.json', '{\n  "StartAt": "A",\n  "States": {\n');
    const r = await run([file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^stepwise: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:1: invalid JSON: unterminated object`));
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const json = await run([file, '--json']);
    expect(JSON.parse(json.stdout).diagnostics[0].code).toBe('INVALID_JSON_DESCRIPTION');
  });

  it('explains a missing file and bad usage', async () => {
    const missing = await run(['/nonexistent/stepwise/def.json']);
    expect(missing).toEqual({ code: 2, stdout: '', stderr: 'stepwise: /nonexistent/stepwise/def.json: cannot read the definition file (no such file).\n' });
    expect((await run([])).code).toBe(2);
    expect((await run(['a.json', 'b.json'])).code).toBe(2);
    const unknown = await run(['a.json', '--yaml']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^stepwise validate: unknown option '--yaml'/);
  });
});

describe.skipIf(!fs.existsSync(cliPath))('stepwise validate (built CLI)', () => {
  it('exits 0 and prints OK for a valid file', () => {
    const r = runCli(['validate', tempFile('ok.json', valid)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('OK\n');
  });

  it('exits 2 and lists diagnostics for an invalid file', () => {
    const r = runCli(['validate', tempFile('bad.json', invalid)]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("ERROR MISSING_TRANSITION_TARGET at /States/A/Next: Missing 'Next' target: Nope");
    expect(r.stderr).toMatch(/^stepwise: .* is not a valid state machine definition: 3 errors/);
  });
});
