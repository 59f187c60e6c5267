import { eventDetailsOf, type HistoryEvent } from '../../src/execution/history-event.js';
import type { Runtime } from '../../src/runtime/create-runtime.js';
import type { StateMachineRevision } from '../../src/registry/registry-types.js';
import { StepwiseError } from '../../src/errors/stepwise-error.js';
import type { ExecutionMetadata, ExecutionStatus } from '../../src/store/event-store.js';
import { compact, epochSeconds } from './aws-json-protocol.js';

/** What the runtime keeps beside an execution (StoredExtra in create-runtime). */
export interface ExecutionExtra {
  definition?: unknown;
  /** The text the definition was submitted as (Runtime.executionMetadata), where known. */
  definitionText?: string;
  /** The state machine revision it ran (StartExecution through the registry). */
  revision?: StateMachineRevision;
  input?: unknown;
  testCase?: string;
  stateMachineName?: string;
  stateMachineVersionArn?: string;
  stateMachineAliasArn?: string;
  /** The role the execution was started with (kept in its stored metadata). */
  roleArn?: string;
  /** A Distributed Map's child execution: its Map Run. */
  mapRunArn?: string;
  /** An EXPRESS state machine's execution (a Distributed Map's Express child too). */
  type?: 'EXPRESS';
  /** Its X-Ray trace header (src/runtime/trace-header.ts). */
  traceHeader?: string;
}

/** An execution as its metadata and events describe it: what DescribeExecution and ListExecutions show. */
export interface ExecutionFacts {
  meta: ExecutionMetadata;
  extra: ExecutionExtra;
  events: HistoryEvent[];
  startDate: number;
  stopDate?: number;
  redriveCount: number;
  redriveDate?: number;
  end?: HistoryEvent;
}

const END_STATUS: Record<string, ExecutionStatus> = {
  ExecutionSucceeded: 'SUCCEEDED', ExecutionFailed: 'FAILED', ExecutionAborted: 'ABORTED', ExecutionTimedOut: 'TIMED_OUT',
};

export async function executionFacts(runtime: Runtime, executionArn: string): Promise<ExecutionFacts> {
  const meta = await runtime.executionMetadata(executionArn);
  if (!meta) throw new StepwiseError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
  const events = await runtime.store.read(executionArn);
  const redrives = events.filter((e) => e.type === 'ExecutionRedriven');
  const last = events.at(-1);
  const end = last && END_STATUS[last.type] ? last : undefined;
  return {
    // The events are the truth: the listing's status is written just after the last one.
    meta: end ? { ...meta, status: END_STATUS[end.type]! } : meta,
    extra: (meta.extra ?? {}) as ExecutionExtra, events,
    // The history's first event is the start even after a redrive re-lists the execution.
    startDate: events[0]?.timestamp ?? meta.startDate,
    stopDate: end ? end.timestamp : undefined,
    redriveCount: redrives.length,
    redriveDate: redrives.at(-1)?.timestamp,
    end,
  };
}

/**
 * AWS's redriveStatus: only a FAILED, TIMED_OUT or ABORTED standard execution can be redriven
 * (one its state machine's deletion ended shows REDRIVABLE too, as recorded against AWS, though
 * RedriveExecution refuses it: see Runtime.deletionBarsRedrive); a Distributed Map's child
 * (Standard or Express) only through its parent (REDRIVABLE_BY_MAP_RUN, API:DescribeExecution);
 * an Express execution of its own never (RedriveExecution does not support EXPRESS state machines).
 */
export function redriveStatus(facts: ExecutionFacts): { redriveStatus: string; redriveStatusReason?: string } {
  const status = facts.meta.status;
  if (status === 'RUNNING' || status === 'PENDING_REDRIVE') return { redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution is RUNNING and cannot be redriven' };
  if (status === 'SUCCEEDED') return { redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven' };
  if (facts.extra.mapRunArn !== undefined) return { redriveStatus: 'REDRIVABLE_BY_MAP_RUN' };
  if (facts.extra.type === 'EXPRESS') return { redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution is EXPRESS and cannot be redriven' };
  return { redriveStatus: 'REDRIVABLE' };
}

const detailsOf = (event: HistoryEvent | undefined): Record<string, unknown> => eventDetailsOf(event) ?? {};

export function outcomeOf(facts: ExecutionFacts): { output?: string; error?: string; cause?: string } {
  const d = detailsOf(facts.end);
  if (facts.end?.type === 'ExecutionSucceeded') return { output: JSON.stringify(d.output ?? null) };
  // A timed-out execution's States.Timeout is in its history only: AWS leaves error and cause out.
  if (facts.end?.type === 'ExecutionTimedOut') return {};
  return compact({ error: d.error as string | undefined, cause: d.cause as string | undefined });
}

export function describeExecutionResponse(facts: ExecutionFacts): Record<string, unknown> {
  const { meta, extra } = facts;
  const outcome = outcomeOf(facts);
  return compact({
    executionArn: meta.executionArn, stateMachineArn: meta.stateMachineArn, name: meta.name, status: meta.status,
    startDate: epochSeconds(facts.startDate), stopDate: epochSeconds(facts.stopDate),
    input: JSON.stringify(extra.input === undefined ? {} : extra.input), inputDetails: { included: true },
    output: outcome.output, outputDetails: outcome.output !== undefined ? { included: true } : undefined,
    error: outcome.error, cause: outcome.cause,
    traceHeader: extra.traceHeader,
    mapRunArn: extra.mapRunArn,
    stateMachineVersionArn: extra.stateMachineVersionArn, stateMachineAliasArn: extra.stateMachineAliasArn,
    redriveCount: facts.redriveCount, redriveDate: epochSeconds(facts.redriveDate),
    ...redriveStatus(facts),
  });
}

/** `byMapRun`: listed for a mapRunArn, the only listing that shows it (API:ExecutionListItem). */
export function listItemOf(facts: ExecutionFacts, byMapRun = false): Record<string, unknown> {
  const { meta, extra } = facts;
  return compact({
    executionArn: meta.executionArn, stateMachineArn: meta.stateMachineArn, name: meta.name, status: meta.status,
    startDate: epochSeconds(facts.startDate), stopDate: epochSeconds(facts.stopDate),
    mapRunArn: byMapRun ? extra.mapRunArn : undefined,
    stateMachineVersionArn: extra.stateMachineVersionArn, stateMachineAliasArn: extra.stateMachineAliasArn,
    redriveCount: facts.redriveCount, redriveDate: epochSeconds(facts.redriveDate),
  });
}
