import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempFile } from './cli-helpers.js';

const def = JSON.stringify({
  StartAt: 'Greet',
  States: {
    Greet: { Type: 'Pass', Parameters: { 'msg.$': "States.Format('hi {}', $.who)" }, Next: 'Check' },
    Check: { Type: 'Choice', Choices: [{ Variable: '$.msg', StringEquals: 'hi bad', Next: 'Boom' }], Default: 'Done' },
    Boom: { Type: 'Fail', Error: 'Bad', Cause: 'bad input' },
    Done: { Type: 'Succeed' },
  },
});

describe('stepwise list / history / inspect / replay / fork / redrive on the embedded store', () => {
  it('reads executions back from .stepwise/ and works with them', () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-hist-'));
    const file = tempFile('def.json', def);
    expect(runCli(['run', file, '--input', '{"who":"ada"}', '--name', 'good', '--json'], { cwd }).code).toBe(0);
    expect(runCli(['run', file, '--input', '{"who":"bad"}', '--name', 'bad', '--json'], { cwd }).code).toBe(1);
    expect(fs.existsSync(path.join(cwd, '.stepwise', 'events.log'))).toBe(true);

    const list = runCli(['list', '--json'], { cwd });
    const names = JSON.parse(list.stdout).executions.map((e: { name: string; status: string }) => `${e.name}:${e.status}`).sort();
    expect(names).toEqual(['bad:FAILED', 'good:SUCCEEDED']);
    expect(runCli(['list', '--status', 'FAILED'], { cwd }).stdout).toContain('bad');

    const history = JSON.parse(runCli(['history', 'good', '--json'], { cwd }).stdout).events;
    expect(history.map((e: { type: string }) => e.type)).toEqual([
      'ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ChoiceStateEntered', 'ChoiceStateExited', 'SucceedStateEntered', 'SucceedStateExited', 'ExecutionSucceeded',
    ]);
    expect(typeof history[0].executionStartedEventDetails.input).toBe('string');

    const inspect = runCli(['inspect', 'good', '--at', '4'], { cwd });
    expect(inspect.stdout).toContain('RUNNING');
    expect(inspect.stdout).toContain('Check (Choice');

    expect(runCli(['replay', 'good'], { cwd }).stdout).toMatch(/^OK: 8 events replayed identically/);
    const changed = tempFile('changed.json', def.replace("'hi {}'", "'hello {}'"));
    const diverged = runCli(['replay', 'good', '--definition', changed], { cwd });
    expect(diverged.code).toBe(1);
    expect(diverged.stdout).toMatch(/^DIVERGED at event 3/);

    const fork = runCli(['fork', 'good', '--from', '3', '--name', 'good-again', '--json'], { cwd });
    expect(JSON.parse(fork.stdout)).toMatchObject({ status: 'SUCCEEDED', output: { msg: 'hi ada' } });

    const redrive = runCli(['redrive', 'good'], { cwd });
    expect(redrive.code).toBe(2);
    expect(redrive.stderr).toContain('cannot be redriven');
    expect(runCli(['history', 'nobody'], { cwd }).stderr).toContain("No execution is named 'nobody'");
    // Thirteen CLI processes in a row: on a loaded 2-core machine, next to the multi-process tests, that exceeds 20 s.
  }, 90_000);

  it('replays a history exported from AWS (get-execution-history JSON)', () => {
    const cases = path.resolve(__dirname, '../../../shared/conformance/cases/scenarios.base_scenarios.map_state_retry_legacy');
    if (!fs.existsSync(cases)) return;
    const expected = JSON.parse(fs.readFileSync(path.join(cases, 'expected.json'), 'utf8'));
    // Re-encode as the AWS CLI prints it: input/output as JSON text.
    const events = expected.history.map((e: Record<string, unknown>) => Object.fromEntries(Object.entries(e).map(([k, v]) => [k,
      k.endsWith('EventDetails') && v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([dk, dv]) => [dk, dk === 'input' || dk === 'output' ? JSON.stringify(dv) : dv]))
        : v])));
    const exported = tempFile('history.json', JSON.stringify({ events }));
    const r = runCli(['replay', '--history', exported, '--definition', path.join(cases, 'definition.json')]);
    expect(r.stdout).toMatch(/^OK: 18 events/);
  });
});
