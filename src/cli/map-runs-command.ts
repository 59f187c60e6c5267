import { parseArgs } from 'node:util';
import { describeMapRunsOf } from '../runtime/map-runs.js';
import { readStoredExecution } from './resolve-execution.js';

/**
 * `stepwise map-runs EXECUTION [--children] [--json] [--store DIR]`: the Map Runs a Distributed Map
 * started in that execution (ListMapRuns + DescribeMapRun), with `--children` each child execution.
 */
export async function mapRunsCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { children: { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, store: { type: 'string' } } });
  return readStoredExecution(values.store, positionals, async (store, arn) => {
    const runs = (await describeMapRunsOf(store, arn)).map(({ children, ...run }) => ({
      ...run,
      ...(values.children ? { children: children.map(({ executionArn, name, status, startDate, stopDate }) => ({ executionArn, name, status, startDate, stopDate })) } : {}),
    }));
    if (values.json) {
      process.stdout.write(JSON.stringify({ mapRuns: runs }, null, 2) + '\n');
      return 0;
    }
    if (runs.length === 0) process.stdout.write('no Map Runs (the execution has no Distributed Map that started)\n');
    for (const run of runs) {
      const c = run.executionCounts;
      process.stdout.write(`${run.status.padEnd(10)} ${run.stateName}  ${run.mapRunArn}\n`);
      if (run.redriveCount > 0) process.stdout.write(`           redriven ${run.redriveCount} time${run.redriveCount === 1 ? '' : 's'} (last ${new Date(run.redriveDate!).toISOString()})\n`);
      process.stdout.write(`           ${c.total} child executions: ${c.succeeded} succeeded, ${c.failed} failed, ${c.aborted} aborted, ${c.timedOut} timed out, ${c.running} running, ${c.pending} pending\n`);
      for (const child of run.children ?? []) process.stdout.write(`           ${child.status.padEnd(10)} ${child.executionArn}\n`);
    }
    return 0;
  });
}
