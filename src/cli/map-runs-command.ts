import { parseArgs } from 'node:util';
import { describeMapRun, listMapRuns, mapRunChildren } from '../runtime/map-runs.js';
import { openStore } from './open-store.js';
import { resolveExecution } from './resolve-execution.js';

/**
 * `stepwise map-runs EXECUTION [--children] [--json] [--store DIR]`: the Map Runs a Distributed Map
 * started in that execution (ListMapRuns + DescribeMapRun), with `--children` each child execution.
 */
export async function mapRunsCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { children: { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, store: { type: 'string' } } });
  const store = await openStore(values.store);
  try {
    const arn = await resolveExecution(store, positionals[0]);
    const runs = [];
    for (const run of await listMapRuns(store, arn)) {
      const described = await describeMapRun(store, run.mapRunArn);
      const children = values.children ? (await mapRunChildren(store, run.mapRunArn)).map(({ executionArn, name, status, startDate, stopDate }) => ({ executionArn, name, status, startDate, stopDate })) : undefined;
      runs.push({ ...run, ...(described ? { maxConcurrency: described.maxConcurrency, toleratedFailureCount: described.toleratedFailureCount, toleratedFailurePercentage: described.toleratedFailurePercentage, executionCounts: described.executionCounts, itemCounts: described.itemCounts } : {}), ...(children ? { children } : {}) });
    }
    if (values.json) {
      process.stdout.write(JSON.stringify({ mapRuns: runs }, null, 2) + '\n');
      return 0;
    }
    if (runs.length === 0) process.stdout.write('no Map Runs (the execution has no Distributed Map that started)\n');
    for (const run of runs) {
      const c = run.executionCounts;
      process.stdout.write(`${run.status.padEnd(10)} ${run.stateName}  ${run.mapRunArn}\n`);
      if (c) process.stdout.write(`           ${c.total} child executions: ${c.succeeded} succeeded, ${c.failed} failed, ${c.aborted} aborted, ${c.timedOut} timed out, ${c.running} running, ${c.pending} pending\n`);
      for (const child of run.children ?? []) process.stdout.write(`           ${child.status.padEnd(10)} ${child.executionArn}\n`);
    }
    return 0;
  } finally {
    await store.close();
  }
}
