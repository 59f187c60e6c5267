import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempFile } from './cli-helpers.js';

const def = JSON.stringify({
  StartAt: 'Fan',
  States: {
    Fan: {
      Type: 'Map', Label: 'Rows', ToleratedFailureCount: 1,
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED' },
        StartAt: 'Check',
        States: {
          Check: { Type: 'Choice', Choices: [{ Variable: '$', StringEquals: 'bad', Next: 'Reject' }], Default: 'Keep' },
          Reject: { Type: 'Fail', Error: 'Row.Bad' },
          Keep: { Type: 'Pass', End: true },
        },
      },
      End: true,
    },
  },
});

describe('stepwise map-runs and a Distributed Map\'s child executions on the embedded store', () => {
  it('lists the Map Run with its children counted and listed; each child has its own history', () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-maprun-'));
    expect(runCli(['run', tempFile('def.json', def), '--input', '["a","bad","c"]', '--state-machine-name', 'Import', '--name', 'nightly', '--json'], { cwd }).code).toBe(0);
    const out = JSON.parse(runCli(['map-runs', 'nightly', '--children', '--json'], { cwd }).stdout) as { mapRuns: { status: string; stateName: string; mapRunArn: string; executionCounts: Record<string, number>; children: { executionArn: string; status: string }[] }[] };
    expect(out.mapRuns).toHaveLength(1);
    const [run] = out.mapRuns;
    expect(run).toMatchObject({ status: 'SUCCEEDED', stateName: 'Fan', executionCounts: { total: 3, succeeded: 2, failed: 1, pending: 0 } });
    expect(run!.mapRunArn).toMatch(/:mapRun:Import\/Rows:/);
    expect(run!.children.map((c) => c.status).sort()).toEqual(['FAILED', 'SUCCEEDED', 'SUCCEEDED']);
    const failed = run!.children.find((c) => c.status === 'FAILED')!.executionArn;
    expect(failed).toMatch(/:execution:Import\/Rows:[0-9a-f-]{36}$/);
    const history = JSON.parse(runCli(['history', failed, '--json'], { cwd }).stdout).events.map((e: { type: string }) => e.type);
    expect(history).toEqual(['ExecutionStarted', 'ChoiceStateEntered', 'ChoiceStateExited', 'FailStateEntered', 'ExecutionFailed']);
    const text = runCli(['map-runs', 'nightly'], { cwd }).stdout;
    expect(text).toContain('3 child executions: 2 succeeded, 1 failed');
    expect(runCli(['map-runs', 'nope'], { cwd }).code).not.toBe(0);
  });
});
