import type { ActiveState, ContextObjectView, ExecutionState } from '../../src/execution/execution-state.js';
import type { HistoryEvent } from '../../src/execution/history-event.js';
import type { StateTally, Timeline } from './timeline.js';

/** What the details panel shows for one state at one event. */
export interface StateView {
  name: string;
  status: StateTally['status'];
  tally?: StateTally;
  input?: unknown;
  output?: unknown;
  error?: { error?: string; cause?: string };
  retryCount: number;
  variables: Record<string, unknown>;
  contextObject?: ContextObjectView;
  /** For a Map: the iterations of its latest entry so far. */
  iterations?: ExecutionState['mapIterations'][number];
}

/**
 * A state's input, output, error, retry count, variables and context object after the event at
 * `index`: from the fold's snapshot while the state runs, from its recorded entry otherwise.
 */
export function viewState(timeline: Timeline, index: number, name: string, iteration?: string): StateView {
  const state = timeline.stateAt(index);
  const tally = (iteration ? timeline.statusesInIteration(index, iteration) : timeline.statusesAt(index)).get(name);
  const active = findActive(state.active, name, iteration);
  const entry = timeline.entryOf(name, index, iteration);
  const details = (e: HistoryEvent | undefined, key: string) => (e ? (e[key] as Record<string, unknown> | undefined) : undefined);
  const entered = details(entry.entered, 'stateEnteredEventDetails');
  const exited = details(entry.exited, 'stateExitedEventDetails');
  const failure = entry.failure ? detailsOfFailure(entry.failure) : undefined;
  const view: StateView = {
    name,
    status: tally?.status ?? 'notReached',
    tally,
    input: active ? active.input : entered?.input,
    output: exited?.output,
    retryCount: active ? active.retryCount : 0,
    variables: state.variables,
  };
  // A Fail state (or an uncaught failure) records its error on the execution's own end.
  const error = active?.lastError ?? failure ?? (state.failedState === name && state.error !== undefined ? { error: state.error, cause: state.cause } : undefined);
  if (error) view.error = { error: error.error, cause: error.cause };
  if (active) view.contextObject = active.contextObject;
  else if (entry.entered) {
    view.contextObject = {
      Execution: { Input: state.input, StartTime: new Date(state.startDate).toISOString(), RedriveCount: state.redriveCount },
      State: { Name: name, EnteredTime: new Date(entry.entered.timestamp).toISOString(), RetryCount: view.retryCount },
    };
  }
  if (!active && tally) view.retryCount = countRetries(timeline, entry.entered, index);
  const maps = state.mapIterations.filter((m) => m.name === name);
  if (maps.length > 0) view.iterations = maps[maps.length - 1];
  return view;
}

function detailsOfFailure(e: HistoryEvent): { error?: string; cause?: string } {
  for (const [k, v] of Object.entries(e)) {
    if (k.endsWith('EventDetails') && typeof v === 'object' && v !== null) {
      const d = v as { error?: unknown; cause?: unknown };
      return { error: d.error === undefined ? undefined : String(d.error), cause: d.cause === undefined ? undefined : String(d.cause) };
    }
  }
  return {};
}

/** Re-schedules between an entry and `index` (the first scheduling is not a retry). */
function countRetries(timeline: Timeline, entered: HistoryEvent | undefined, index: number): number {
  if (!entered) return 0;
  let scheduled = 0;
  const name = timeline.stateNameAt(timeline.indexOfId(entered.id));
  for (let i = timeline.indexOfId(entered.id) + 1; i <= index && i < timeline.length; i++) {
    const e = timeline.events[i]!;
    if (timeline.stateNameAt(i) !== name) continue;
    if (/Scheduled$|^(Parallel|Map)StateStarted$/.test(e.type)) scheduled++;
    if (e.type.endsWith('StateExited')) break;
  }
  return Math.max(0, scheduled - 1);
}

/** The running entry of `name`, inside the given iteration (`mapEnteredEventId:index`) when there is one. */
function findActive(active: ActiveState[], name: string, iteration?: string): ActiveState | undefined {
  const [mapId, index] = iteration ? iteration.split(':').map(Number) : [];
  const walk = (list: ActiveState[], inIteration: boolean): ActiveState | undefined => {
    for (const a of list) {
      if (a.name === name && (iteration === undefined || inIteration)) return a;
      for (const c of a.children ?? []) {
        const inside = inIteration || (a.type === 'Map' && a.enteredEventId === mapId && c.index === index);
        if (iteration !== undefined && a.type === 'Map' && a.enteredEventId === mapId && c.index !== index) continue;
        const found = walk(c.active, inside);
        if (found) return found;
      }
    }
    return undefined;
  };
  return walk(active, false);
}
