import type { MapRunSettings } from '../execution/execution-services.js';
import { eventDetailsOf, isExecutionEnd, type HistoryEvent } from '../execution/history-event.js';
import type { EventStore, ExecutionMetadata } from '../store/event-store.js';
import { itemsReadKey, rememberedStreamOf, rememberedValues } from '../store/remembered-stream.js';

/**
 * Map Runs (DG:concepts-examine-map-run) read from what is stored: a Distributed Map's parent
 * history records when each Map Run started and how it ended (MapRunStarted, MapRunSucceeded /
 * MapRunFailed / MapRunAborted), and each child execution's listing names its Map Run, its
 * parent and the Map Run's settings. Nothing else is kept for them.
 */

export type MapRunStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

/** One Map Run as its parent's history shows it. */
export interface MapRunInHistory {
  mapRunArn: string;
  /** The Map state that started it. */
  stateName: string;
  status: MapRunStatus;
  startDate: number;
  stopDate?: number;
  /** Items in the Map (its MapStateStarted `length`). */
  itemCount: number;
  /** How many times a redrive of its parent redrove it (MapRunRedriven), and when it last did. */
  redriveCount: number;
  redriveDate?: number;
}

/** API:MapRunItemCounts / MapRunExecutionCounts. */
export interface MapRunCounts {
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
  timedOut: number;
  aborted: number;
  total: number;
  resultsWritten: number;
  failuresNotRedrivable: number;
  pendingRedrive: number;
}

/** API:DescribeMapRun's answer, dates in epoch milliseconds, with the child executions it counted. */
export interface MapRunDescription extends MapRunInHistory, MapRunSettingsView {
  executionArn: string;
  /** The child executions' state machine: `<machine>/<label>`. */
  stateMachineArn: string;
  itemCounts: MapRunCounts;
  executionCounts: MapRunCounts;
  redriveCount: number;
  /** Its child executions as the store lists them (ListExecutions with the mapRunArn). */
  children: ExecutionMetadata[];
}

type MapRunSettingsView = Omit<MapRunSettings, 'executionCount' | 'revision'>;

const ENDS: Record<string, MapRunStatus> = { MapRunSucceeded: 'SUCCEEDED', MapRunFailed: 'FAILED', MapRunAborted: 'ABORTED' };

/** One attempt of a Map Run: from its MapRunStarted (or a MapRunRedriven) to what ended it. */
interface MapRunAttempt {
  mapRunArn: string;
  start: HistoryEvent;
  status: MapRunStatus;
  /** MapRunSucceeded/Failed/Aborted, or the execution's end while it ran. */
  end?: HistoryEvent;
}

/**
 * Every attempt of every Map Run in a history, in the order they started, with the events by id.
 * An end event is matched to its attempt by following `previousEventId` back to the event that
 * started it (Map Runs of Maps in parallel branches interleave; each thread leads back to its own
 * start); an execution that ends with attempts still open aborted them (it was stopped or timed
 * out, or a Parallel branch beside the Map failed, and their children with it).
 */
function mapRunAttempts(events: readonly HistoryEvent[]): { attempts: MapRunAttempt[]; byId: Map<number, HistoryEvent> } {
  const byId = new Map<number, HistoryEvent>();
  const attempts: MapRunAttempt[] = [];
  const open = new Map<number, MapRunAttempt>();
  for (const e of events) {
    byId.set(e.id, e);
    if (e.type === 'MapRunStarted' || e.type === 'MapRunRedriven') {
      const mapRunArn = (eventDetailsOf(e) as { mapRunArn?: unknown } | undefined)?.mapRunArn;
      if (typeof mapRunArn !== 'string') continue;
      const attempt: MapRunAttempt = { mapRunArn, start: e, status: 'RUNNING' };
      attempts.push(attempt);
      open.set(e.id, attempt);
      continue;
    }
    if (isExecutionEnd(e)) {
      for (const attempt of open.values()) {
        attempt.status = 'ABORTED';
        attempt.end = e;
      }
      open.clear();
      continue;
    }
    const status = ENDS[e.type];
    if (!status) continue;
    const start = firstBack(byId, e, (at) => open.has(at.id));
    // A thread that does not lead back to one: the latest attempt still open.
    const attempt = start ? open.get(start.id) : [...open.values()].at(-1);
    if (!attempt) continue;
    open.delete(attempt.start.id);
    attempt.status = status;
    attempt.end = e;
  }
  return { attempts, byId };
}

/**
 * The Map Runs of one execution, in the order they started: each as its last attempt left it (a
 * MapRunRedriven runs it again, under the same ARN).
 */
export function mapRunsOfHistory(events: readonly HistoryEvent[]): MapRunInHistory[] {
  const { attempts, byId } = mapRunAttempts(events);
  const runs = new Map<string, MapRunInHistory>();
  for (const { mapRunArn, start, status, end } of attempts) {
    let run = runs.get(mapRunArn);
    if (start.type === 'MapRunStarted') {
      const before = byId.get(start.previousEventId);
      const length = before?.type === 'MapStateStarted' ? (eventDetailsOf(before) as { length?: number } | undefined)?.length : undefined;
      run = { mapRunArn, stateName: enteredStateOf(byId, start), status, startDate: start.timestamp, itemCount: length ?? 0, redriveCount: 0 };
      runs.set(mapRunArn, run);
    } else {
      if (!run) continue;
      const d = eventDetailsOf(start) as { redriveCount?: number } | undefined;
      run.status = status;
      delete run.stopDate;
      run.redriveCount = d?.redriveCount ?? run.redriveCount + 1;
      run.redriveDate = start.timestamp;
    }
    if (end) run.stopDate = end.timestamp;
  }
  return [...runs.values()];
}

/** The Map state an event belongs to: the MapStateEntered its thread leads back to. */
function enteredStateOf(byId: Map<number, HistoryEvent>, from: HistoryEvent): string {
  const entered = firstBack(byId, from, (at) => at.type === 'MapStateEntered');
  return (eventDetailsOf(entered) as { name?: string } | undefined)?.name ?? '';
}

/** The first event before `from` on its thread (following `previousEventId`) that `wanted` picks. */
function firstBack(byId: Map<number, HistoryEvent>, from: HistoryEvent, wanted: (e: HistoryEvent) => boolean): HistoryEvent | undefined {
  for (let at = byId.get(from.previousEventId); at; at = at.previousEventId > 0 ? byId.get(at.previousEventId) : undefined) {
    if (wanted(at)) return at;
  }
  return undefined;
}

/**
 * Counts of a Map Run's child executions by status. `total` is every child the Map Run has,
 * started or not; one not started yet is pending. A child's result counts as written once it
 * has ended (Step Functions keeps every ended child's result, exported or not).
 */
export function countChildren(children: readonly ExecutionMetadata[], total: number): MapRunCounts {
  const c: MapRunCounts = { pending: 0, running: 0, succeeded: 0, failed: 0, timedOut: 0, aborted: 0, total, resultsWritten: 0, failuresNotRedrivable: 0, pendingRedrive: 0 };
  for (const child of children) {
    if (child.status === 'RUNNING' || child.status === 'PENDING_REDRIVE') c.running++;
    else if (child.status === 'SUCCEEDED') c.succeeded++;
    else if (child.status === 'FAILED') c.failed++;
    else if (child.status === 'TIMED_OUT') c.timedOut++;
    else if (child.status === 'ABORTED') c.aborted++;
  }
  c.resultsWritten = c.succeeded + c.failed + c.timedOut + c.aborted;
  c.pending = Math.max(0, total - children.length);
  return c;
}

/** `...:mapRun:<machine>/<label>:<id>` → `...:stateMachine:<machine>/<label>`, the children's state machine. */
export function childStateMachineArnOf(mapRunArn: string): string {
  return mapRunArn.slice(0, mapRunArn.lastIndexOf(':')).replace(':mapRun:', ':stateMachine:');
}

/** `...:mapRun:<machine>/<label>:<id>` → `...:stateMachine:<machine>`, the parent's state machine. */
function parentStateMachineArnOf(mapRunArn: string): string {
  const child = childStateMachineArnOf(mapRunArn);
  return child.slice(0, child.lastIndexOf('/'));
}

interface ChildExtra { mapRunArn?: string; parentExecutionArn?: string; mapRun?: MapRunSettings }

/**
 * Every listed child execution of a Map Run (the store's listing, in its order); with
 * `parentExecutionArn`, those of that parent only. A fork of an execution copied past a
 * MapRunStarted runs that Map Run on under the same ARN, with children of its own.
 */
export async function mapRunChildren(store: EventStore, mapRunArn: string, parentExecutionArn?: string): Promise<ExecutionMetadata[]> {
  const out: ExecutionMetadata[] = [];
  let nextToken: string | undefined;
  do {
    const page = await store.list({ stateMachineArn: childStateMachineArnOf(mapRunArn), maxResults: 1000, nextToken });
    // Listings leave `extra` out: each child's own metadata names its Map Run.
    for (const item of page.items) {
      const m = await store.getMetadata(item.executionArn);
      const extra = m?.extra as ChildExtra | undefined;
      if (m && extra?.mapRunArn === mapRunArn && (parentExecutionArn === undefined || extra.parentExecutionArn === parentExecutionArn)) out.push(m);
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

/**
 * The execution that started a Map Run: named by its children (the one that is not a fork, when
 * forks ran it on too), else found among the executions of its state machine.
 */
async function parentOf(store: EventStore, mapRunArn: string, children: readonly ExecutionMetadata[]): Promise<{ executionArn: string; events: HistoryEvent[] } | undefined> {
  const named = [...new Set(children.map((c) => (c.extra as ChildExtra | undefined)?.parentExecutionArn).filter((p): p is string => p !== undefined))];
  let chosen = named[0];
  if (named.length > 1) {
    for (const parent of named) {
      const extra = (await store.getMetadata(parent))?.extra as { forkedFrom?: unknown } | undefined;
      if (extra?.forkedFrom === undefined) {
        chosen = parent;
        break;
      }
    }
  }
  if (chosen) return { executionArn: chosen, events: await store.read(chosen) };
  let nextToken: string | undefined;
  do {
    const page = await store.list({ stateMachineArn: parentStateMachineArnOf(mapRunArn), maxResults: 1000, nextToken });
    for (const m of page.items) {
      const events = await store.read(m.executionArn);
      if (events.some((e) => e.type === 'MapRunStarted' && (eventDetailsOf(e) as { mapRunArn?: string }).mapRunArn === mapRunArn)) return { executionArn: m.executionArn, events };
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return undefined;
}

/** API:ListMapRuns for one execution: its Map Runs, in the order they started. */
export async function listMapRuns(store: EventStore, executionArn: string): Promise<(MapRunInHistory & { executionArn: string; stateMachineArn: string })[]> {
  const events = await store.read(executionArn);
  return mapRunsOfHistory(events).map((run) => ({ ...run, executionArn, stateMachineArn: childStateMachineArnOf(run.mapRunArn) }));
}

/** API:DescribeMapRun, or undefined when no stored execution started that Map Run. */
export async function describeMapRun(store: EventStore, mapRunArn: string): Promise<MapRunDescription | undefined> {
  const children = await mapRunChildren(store, mapRunArn);
  const parent = await parentOf(store, mapRunArn, children);
  const run = parent && mapRunsOfHistory(parent.events).find((r) => r.mapRunArn === mapRunArn);
  const own = children.filter((c) => (c.extra as ChildExtra | undefined)?.parentExecutionArn === parent?.executionArn);
  return parent && run ? described(await withItemsRead(store, parent.executionArn, parent.events, run), parent.executionArn, own) : undefined;
}

/** Every Map Run of one execution, described (DescribeMapRun for each), its history read once. */
export async function describeMapRunsOf(store: EventStore, executionArn: string): Promise<MapRunDescription[]> {
  const out: MapRunDescription[] = [];
  const events = await store.read(executionArn);
  for (const run of mapRunsOfHistory(events)) out.push(described(await withItemsRead(store, executionArn, events, run), executionArn, await mapRunChildren(store, run.mapRunArn, executionArn)));
  return out;
}

/**
 * A Map Run whose items an ItemReader read: its MapStateStarted (recorded before the read, as
 * AWS records it) says 0 items, so they are counted in what the execution remembered of the
 * read, under the Map state's entry and retry (see readKeyOf in map-state.ts).
 */
async function withItemsRead(store: EventStore, executionArn: string, events: readonly HistoryEvent[], run: MapRunInHistory): Promise<MapRunInHistory> {
  if (run.itemCount !== 0) return run;
  const byId = new Map<number, HistoryEvent>();
  let key: string | undefined;
  const attempts = new Map<number, number>();
  for (const e of events) {
    byId.set(e.id, e);
    if (e.type !== 'MapRunStarted') continue;
    const entered = firstBack(byId, e, (at) => at.type === 'MapStateEntered');
    if (!entered) continue;
    const retry = attempts.get(entered.id) ?? 0;
    attempts.set(entered.id, retry + 1);
    if ((eventDetailsOf(e) as { mapRunArn?: string } | undefined)?.mapRunArn === run.mapRunArn) {
      key = itemsReadKey(entered.id, retry);
      break;
    }
  }
  if (key === undefined) return run;
  const read = rememberedValues(await store.read(rememberedStreamOf(executionArn))).get(key) as { items?: unknown[] } | undefined;
  return Array.isArray(read?.items) ? { ...run, itemCount: read.items.length } : run;
}

function described(run: MapRunInHistory, executionArn: string, children: ExecutionMetadata[]): MapRunDescription {
  const mapRunArn = run.mapRunArn;  // The settings as they are now: UpdateMapRun changes them for the children started after it,
  // which carry a higher revision (children started at one time cannot be told apart by date).
  let settings: MapRunSettings | undefined;
  for (const child of children) {
    const s = (child.extra as ChildExtra | undefined)?.mapRun;
    if (s && (settings === undefined || (s.revision ?? 0) > (settings.revision ?? 0))) settings = s;
  }
  const executionTotal = settings?.executionCount ?? run.itemCount;
  const executionCounts = countChildren(children, executionTotal);
  // Without an ItemBatcher each child is one item; with one, items follow their batches' children.
  const itemCounts = executionTotal === run.itemCount ? executionCounts : scaleCounts(executionCounts, run.itemCount);
  if (settings?.writesResults) {
    // Recorded against AWS (2026-09): a Map Run with a ResultWriter counts no result written
    // while it runs (a redriven one neither), and every item, pending ones too (its PENDING
    // file lists them), once it has ended and exported them.
    const ended = run.status === 'SUCCEEDED' || run.status === 'FAILED';
    itemCounts.resultsWritten = ended ? itemCounts.total : 0;
    executionCounts.resultsWritten = ended ? executionCounts.total : 0;
  }
  return {
    ...run,
    executionArn,
    stateMachineArn: childStateMachineArnOf(mapRunArn),
    maxConcurrency: settings?.maxConcurrency ?? 0,
    toleratedFailureCount: settings?.toleratedFailureCount ?? 0,
    toleratedFailurePercentage: settings?.toleratedFailurePercentage ?? 0,
    itemCounts, executionCounts,
    children,
  };
}

/**
 * Item counts when children run batches: a child's items share its status. Batches are cut in
 * order and all but the last are full, so ended batches are counted as full ones and the items
 * left over are the pending ones.
 */
function scaleCounts(executions: MapRunCounts, items: number): MapRunCounts {
  const perBatch = executions.total > 0 ? Math.ceil(items / executions.total) : 0;
  const scaled: MapRunCounts = { ...executions, total: items };
  let counted = 0;
  for (const key of ['running', 'succeeded', 'failed', 'timedOut', 'aborted'] as const) {
    scaled[key] = Math.min(items - counted, executions[key] * perBatch);
    counted += scaled[key];
  }
  scaled.resultsWritten = scaled.succeeded + scaled.failed + scaled.timedOut + scaled.aborted;
  scaled.pending = items - counted;
  return scaled;
}

/**
 * For each attempt of one Map Run in a history (0: its MapRunStarted, n: its nth MapRunRedriven),
 * the id of the event that ended it (MapRunSucceeded/Failed/Aborted, or the execution's end
 * while it ran); undefined while it runs.
 */
export function mapRunAttemptEnds(events: readonly HistoryEvent[], mapRunArn: string): (number | undefined)[] {
  return mapRunAttempts(events).attempts.filter((a) => a.mapRunArn === mapRunArn).map((a) => a.end?.id);
}
