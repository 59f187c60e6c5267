import type { ExecutionMetadata, ExecutionStatus } from '../../src/store/event-store.js';
import { namesOfArn, stateMachineArnOf } from './format.js';

const ENDS: Record<string, ExecutionStatus> = {
  ExecutionSucceeded: 'SUCCEEDED', ExecutionFailed: 'FAILED', ExecutionTimedOut: 'TIMED_OUT', ExecutionAborted: 'ABORTED',
};

/**
 * The execution list after one live event: a new execution appears at the top, an ending one
 * takes its status and stop time, a redriven one runs again. Built from the event itself, so it
 * does not depend on when the store's listing catches up.
 */
export function applyExecutionEvent(rows: ExecutionMetadata[], e: { executionArn: string; type: string; timestamp: number }): ExecutionMetadata[] {
  const i = rows.findIndex((r) => r.executionArn === e.executionArn);
  if (e.type === 'ExecutionStarted') {
    if (i >= 0) return rows;
    const { name } = namesOfArn(e.executionArn);
    return [{ executionArn: e.executionArn, stateMachineArn: stateMachineArnOf(e.executionArn), name, status: 'RUNNING', startDate: e.timestamp }, ...rows];
  }
  if (i < 0) return rows;
  const row = { ...rows[i]! };
  if (e.type === 'ExecutionRedriven') {
    row.status = 'RUNNING';
    delete row.stopDate;
  } else if (ENDS[e.type]) {
    row.status = ENDS[e.type]!;
    row.stopDate = e.timestamp;
  } else return rows;
  const next = rows.slice();
  next[i] = row;
  return next;
}
