import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, runCli, tempFile } from './cli-helpers.js';

const passChain = JSON.stringify({
  StartAt: 'A',
  States: {
    A: { Type: 'Pass', Parameters: { 'greeting.$': "States.Format('Hello, {}', $.name)" }, Next: 'B' },
    B: { Type: 'Pass', Result: 42, ResultPath: '$.answer', End: true },
  },
});

describe('stepwise run', () => {
  it("runs the README's example as `npm run example` does: SUCCEEDED, and its declined test case FAILED", () => {
    // The arguments of package.json's "example" script, run from the repository's root.
    const script = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).scripts.example as string;
    const args = script.replace(/^node dist\/src\/cli\/main\.js /, '').split(' ').map((a) => (a.startsWith('examples/') ? path.join(repoRoot, a) : a));
    const ok = runCli([...args, '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ status: 'SUCCEEDED', output: { orderId: 'ord-1042', total: 126 } });
    const declined = runCli([...args.map((a) => (a === 'HappyPath' ? 'CardDeclined' : a)), '--json']);
    expect(declined.code).toBe(1);
    expect(JSON.parse(declined.stdout)).toMatchObject({ status: 'FAILED', error: 'Payments.CardDeclined' });
  });

  it('prints one JSON object with --json and exits 0 on success', () => {
    const def = tempFile('def.json', passChain);
    const r = runCli(['run', def, '--input', '{"name":"Ada"}', '--json', '--history']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.status).toBe('SUCCEEDED');
    expect(out.output).toEqual({ greeting: 'Hello, Ada', answer: 42 });
    expect(out.executionArn).toMatch(/^arn:aws:states:us-east-1:\d{12}:execution:StateMachine:/);
    expect(out.history.map((e: { type: string }) => e.type)).toEqual([
      'ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded',
    ]);
    expect(out.history.map((e: { previousEventId: number }) => e.previousEventId)).toEqual([0, 0, 2, 3, 4, 5]);
  });

  it('shows a live line per state for people and exits 1 when the execution fails', () => {
    const def = tempFile('def.json', JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'F' }, F: { Type: 'Fail', Error: 'Boom', Cause: 'it broke' } } }));
    const r = runCli(['run', def]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('→ A (Pass)');
    expect(r.stdout).toContain('✓ A');
    expect(r.stdout).toContain('FAILED');
    expect(r.stdout).toContain('error: Boom');
    expect(r.stdout).toContain('cause: it broke');
  });

  it('fails the execution, without a stack trace, when a JSONata state fails before its first events are on disk', () => {
    // The first state's Output is evaluated while the durable store is still writing
    // ExecutionStarted; its rejection used to end the process as an unhandled one.
    const def = tempFile('def.json', JSON.stringify({ QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', Output: '{% $nothing %}', End: true } } }));
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-cwd-'));
    const r = runCli(['run', def, '--json'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
    // It is stored as FAILED, not left RUNNING by a process that died.
    const list = runCli(['list', '--json'], { cwd });
    expect(JSON.parse(list.stdout).executions.map((e: { status: string }) => e.status)).toEqual(['FAILED']);
  });

  it.each(['memory', 'file'])("does not take its own Distributed Map's children for executions left RUNNING (%s store)", (store) => {
    // They are listed as ended a moment after their parent has ended: the warning read the store too early.
    const processor = { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
    const def = tempFile('dmap.json', JSON.stringify({ StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: processor, End: true } } }));
    const r = runCli(['run', def, '--input', '[1,2,3]', '--json', ...(store === 'memory' ? ['--store', 'memory'] : [])]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'SUCCEEDED', output: [1, 2, 3] });
    expect(r.stderr).toBe('');
  });

  it('reports a failure nothing was waiting for in one line, without the bundled source or a stack', () => {
    // Stands in for a bug: a rejection no code handles, raised inside the CLI's process once it
    // has loaded (the Wait keeps it running meanwhile).
    const preload = tempFile('reject.cjs', "setTimeout(() => Promise.reject(new Error('nobody waits for this')), 300);");
    const def = tempFile('def.json', JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 1, End: true } } }));
    const r = runCli(['run', def], { env: { NODE_OPTIONS: `--require ${preload}` } });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('stepwise: unexpected internal error (unhandledRejection): nobody waits for this\n');
  });

  it('exits 2 with a clear message for input that is not JSON', () => {
    const def = tempFile('def.json', passChain);
    const r = runCli(['run', def, '--input', '{"name":']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^stepwise: The execution input in --input is not JSON/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 for an invalid definition and lists the problems', () => {
    const def = tempFile('def.json', JSON.stringify({ StartAt: 'Missing', States: { A: { Type: 'Pass', Next: 'Nowhere' } } }));
    const r = runCli(['run', def]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/StartAt');
    expect(r.stderr).toContain('/States/A/Next');
  });

  it('exits 2 for a broken mock file', () => {
    const def = tempFile('def.json', passChain);
    const mocks = tempFile('mocks.json', '{"MockedResponses": {"R": {"x": {}}}}');
    const r = runCli(['run', def, '--mock-config', mocks, '--test-case', 'T']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/MockedResponses/R/x');
  });

  it('answers Task states from a mock config and waits on a virtual clock with --fast-time', () => {
    const def = tempFile('def.json', JSON.stringify({
      StartAt: 'Call',
      States: {
        Call: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f', 'Payload.$': '$' }, OutputPath: '$.Payload',
          Retry: [{ ErrorEquals: ['Busy'], IntervalSeconds: 30 }], Next: 'Sleep' },
        Sleep: { Type: 'Wait', Seconds: 3600, End: true },
      },
    }));
    const mocks = tempFile('mocks.json', JSON.stringify({
      StateMachines: { M: { TestCases: { T: { Call: 'R' } } } },
      MockedResponses: { R: { '0': { Throw: { Error: 'Busy', Cause: 'later' } }, '1': { Return: { StatusCode: 200, Payload: { ok: 1 } } } } },
    }));
    const started = Date.now();
    const r = runCli(['run', def, '--state-machine-name', 'M', '--mock-config', mocks, '--test-case', 'T', '--fast-time', '--json', '--history']);
    expect(Date.now() - started).toBeLessThan(10_000);
    const out = JSON.parse(r.stdout);
    expect(out.status).toBe('SUCCEEDED');
    expect(out.output).toEqual({ ok: 1 });
    const types = out.history.map((e: { type: string }) => e.type);
    expect(types.filter((t: string) => t === 'TaskScheduled')).toHaveLength(2);
    const waitEntered = out.history.find((e: { type: string }) => e.type === 'WaitStateEntered');
    const waitExited = out.history.find((e: { type: string }) => e.type === 'WaitStateExited');
    expect(Date.parse(waitExited.timestamp) - Date.parse(waitEntered.timestamp)).toBe(3_600_000);
  });

  it("enforces AWS's history and payload limits by default and lifts them with --lift-limits", () => {
    // 7,000 iterations of one Pass state: 4 events each, past the 25,000-event history.
    const def = tempFile('def.json', JSON.stringify({
      StartAt: 'Each',
      States: { Each: { Type: 'Map', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true } },
    }));
    const input = tempFile('input.json', JSON.stringify(Array.from({ length: 7_000 }, (_, i) => i)));
    const limited = runCli(['run', def, '--input-file', input, '--store', 'memory', '--json']);
    expect(limited.code).toBe(1);
    const failed = JSON.parse(limited.stdout);
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toBe('States.Runtime');
    expect(failed.cause).toContain('maximum number of history events (25000)');

    const lifted = runCli(['run', def, '--input-file', input, '--store', 'memory', '--json', '--lift-limits']);
    expect(lifted.code).toBe(0);
    const out = JSON.parse(lifted.stdout);
    expect(out.status).toBe('SUCCEEDED');
    expect(out.output).toHaveLength(7_000);
    expect(out.output[6_999]).toBe(6_999);

    // 300 KiB of input is past the 256 KiB StartExecution takes: refused before anything runs.
    const big = tempFile('big.json', JSON.stringify({ blob: 'x'.repeat(300 * 1024) }));
    const pass = tempFile('pass.json', JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }));
    const tooBig = runCli(['run', pass, '--input-file', big, '--store', 'memory', '--json']);
    expect(tooBig.code).toBe(2);
    expect(tooBig.stdout).toBe('');
    expect(tooBig.stderr).toContain("Value at 'input' failed to satisfy constraint: Member must have length less than or equal to 262144");
    expect(tooBig.stderr).not.toMatch(/\n\s+at /);
    const liftedBig = runCli(['run', pass, '--input-file', big, '--store', 'memory', '--json', '--lift-limits']);
    expect(liftedBig.code).toBe(0);
    expect(JSON.parse(liftedBig.stdout).output.blob).toHaveLength(300 * 1024);

    // 150 KiB of input that a state doubles is past the 256 KiB a state may return.
    const half = tempFile('half.json', JSON.stringify({ blob: 'x'.repeat(150 * 1024) }));
    const twice = tempFile('twice.json', JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'a.$': '$.blob', 'b.$': '$.blob' }, End: true } } }));
    const doubled = runCli(['run', twice, '--input-file', half, '--store', 'memory', '--json']);
    expect(doubled.code).toBe(1);
    expect(JSON.parse(doubled.stdout).error).toBe('States.DataLimitExceeded');
    const liftedDoubled = runCli(['run', twice, '--input-file', half, '--store', 'memory', '--json', '--lift-limits']);
    expect(liftedDoubled.code).toBe(0);
    expect(JSON.parse(liftedDoubled.stdout).output.b).toHaveLength(150 * 1024);

    // A JSONata expression that builds a string of 8,388,608 characters, past AWS's memory limit.
    const doubling = tempFile('doubling.json', JSON.stringify({
      QueryLanguage: 'JSONata', StartAt: 'E',
      States: { E: { Type: 'Pass', Output: { r: '{% ($p := function($s, $n) { $n = 0 ? $s : $p($s & $s, $n - 1) }; $length($p("x", 23))) %}' }, End: true } },
    }));
    const refused = runCli(['run', doubling, '--store', 'memory', '--json']);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
    expect(JSON.parse(refused.stdout).cause).toContain('threw an error during evaluation: Expression evaluation memory limit exceeded');
    const built = runCli(['run', doubling, '--store', 'memory', '--json', '--lift-limits']);
    expect(built.code).toBe(0);
    expect(JSON.parse(built.stdout).output).toEqual({ r: 8_388_608 });
  });
});
