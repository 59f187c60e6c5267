import { parseStatesArn } from '../../../src/registry/names.js';
import type { MapRunCounts } from '../../../src/runtime/map-runs.js';
import type { Action } from '../api-context.js';
import { ApiError, compact, epochSeconds, validationError } from '../aws-json-protocol.js';
import { executionFacts } from '../execution-view.js';
import { pageBy } from '../../../src/registry/paging.js';

/** API:ListMapRuns: the Map Runs an execution's Distributed Maps started, newest last (as they started). */
const listMapRuns: Action = async (f, { runtime }) => {
  const executionArn = f.string('executionArn');
  parseStatesArn(executionArn, ['execution']);
  const page = f.page(1024);
  await executionFacts(runtime, executionArn); // ExecutionDoesNotExist when there is none
  const runs = await runtime.mapRuns(executionArn);
  const result = pageBy(runs, (r) => `${String(r.startDate).padStart(16, '0')}|${r.mapRunArn}`, page.maxResults, page.nextToken);
  return compact({
    mapRuns: result.items.map((r) => compact({
      executionArn: r.executionArn, mapRunArn: r.mapRunArn, stateMachineArn: r.stateMachineArn,
      startDate: epochSeconds(r.startDate), stopDate: epochSeconds(r.stopDate),
    })),
    nextToken: result.nextToken,
  });
};

/** API:DescribeMapRun. */
const describeMapRun: Action = async (f, { runtime }) => {
  const mapRunArn = f.string('mapRunArn');
  parseStatesArn(mapRunArn, ['mapRun']);
  const run = await runtime.describeMapRun(mapRunArn);
  if (!run) throw new ApiError('ResourceNotFound', `Map Run Does Not Exist: '${mapRunArn}'`);
  return compact({
    mapRunArn: run.mapRunArn, executionArn: run.executionArn, status: run.status,
    startDate: epochSeconds(run.startDate), stopDate: epochSeconds(run.stopDate),
    maxConcurrency: run.maxConcurrency, toleratedFailurePercentage: run.toleratedFailurePercentage, toleratedFailureCount: run.toleratedFailureCount,
    itemCounts: counts(run.itemCounts), executionCounts: counts(run.executionCounts),
    redriveCount: run.redriveCount, redriveDate: epochSeconds(run.redriveDate),
  });
};

/** The members in the order of AWS's recorded answers. */
function counts(c: MapRunCounts): Record<string, number> {
  return {
    aborted: c.aborted, failed: c.failed, pending: c.pending, resultsWritten: c.resultsWritten, running: c.running,
    succeeded: c.succeeded, timedOut: c.timedOut, total: c.total, failuresNotRedrivable: c.failuresNotRedrivable, pendingRedrive: c.pendingRedrive,
  };
}

/** API:UpdateMapRun: MaxConcurrency and tolerated failures of a running Map Run. */
const updateMapRun: Action = async (f, { runtime }) => {
  const mapRunArn = f.string('mapRunArn');
  parseStatesArn(mapRunArn, ['mapRun']);
  const maxConcurrency = f.optionalNumber('maxConcurrency', { integer: true, min: 0 });
  const toleratedFailureCount = f.optionalNumber('toleratedFailureCount', { integer: true, min: 0 });
  const toleratedFailurePercentage = f.optionalNumber('toleratedFailurePercentage', { min: 0, max: 100 });
  if (maxConcurrency === undefined && toleratedFailureCount === undefined && toleratedFailurePercentage === undefined) {
    throw validationError('At least one of maxConcurrency, toleratedFailurePercentage or toleratedFailureCount must be given.');
  }
  await runtime.updateMapRun(mapRunArn, compact({ maxConcurrency, toleratedFailureCount, toleratedFailurePercentage }));
  return {};
};

export const mapRunActions: Record<string, Action> = {
  ListMapRuns: listMapRuns,
  DescribeMapRun: describeMapRun,
  UpdateMapRun: updateMapRun,
};
