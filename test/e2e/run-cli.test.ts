import { describe, expect, it } from 'vitest';
import { runCli, tempFile } from './cli-helpers.js';

const passChain = JSON.stringify({
  StartAt: 'A',
  States: {
    A: { Type: 'Pass', Parameters: { 'greeting.$': "States.Format('Hello, {}', $.name)" }, Next: 'B' },
    B: { Type: 'Pass', Result: 42, ResultPath: '$.answer', End: true },
  },
});

describe('stepwise run', () => {
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
});
