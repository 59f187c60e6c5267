import type { JsonValue } from '../asl/json-value.js';
import type { StateType } from '../asl/definition.js';
import { eventDetailsOf, type HistoryEvent, type HistoryEventType } from './history-event.js';

export type ExecutionStateStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
export type ChildStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

/** Identity of the execution, which the events themselves do not carry. */
export interface ExecutionStateIdentity {
  executionArn: string;
  name: string;
  stateMachineArn: string;
  stateMachineName: string;
}

export interface PendingTask {
  scheduledEventId: number;
  /** The Step Functions resource ARN, rebuilt from `resourceType`/`resource` when the event splits it. */
  resource: string;
  parameters: JsonValue;
  timeoutInSeconds?: number;
  heartbeatInSeconds?: number;
  startedEventId?: number;
  /** Activities: the worker that took the task (ActivityStarted). */
  workerName?: string;
}

export interface ContextObjectView {
  Execution: { Id?: string; Input: JsonValue; StartTime: string; Name?: string; RoleArn?: string; RedriveCount: number; RedriveTime?: string };
  StateMachine?: { Id: string; Name: string };
  State: { Name: string; EnteredTime: string; RetryCount: number };
  Map?: { Item: { Index: number; Value?: JsonValue } };
}

export interface ActiveState {
  name: string;
  type: StateType;
  enteredEventId: number;
  input: JsonValue;
  /** Failures of this entry that were retried (each re-schedule or re-start after the first). */
  retryCount: number;
  pendingTask?: PendingTask;
  /** Epoch ms: when a Wait state was entered, or when the pending task was scheduled. */
  waitingSince?: number;
  /** The last failure seen in this entry, e.g. the one a pending retry answers. */
  lastError?: { error?: string; cause?: string; eventId: number };
  /** Map: the iterations of the current attempt; Parallel: its branches. */
  children?: ChildThread[];
  contextObject: ContextObjectView;
}

export interface ChildThread {
  index: number;
  status: ChildStatus;
  active: ActiveState[];
}

export interface MapIterationSummary {
  name: string;
  enteredEventId: number;
  /** Items of the current attempt (MapStateStarted `length`). */
  length?: number;
  /** Counts of the current attempt; a retry of the Map starts them again. */
  running: number;
  succeeded: number;
  failed: number;
  aborted: number;
  finished: { index: number; status: Exclude<ChildStatus, 'RUNNING'> }[];
  /** True once the Map entry has exited or was abandoned. */
  closed: boolean;
}

export interface CompletedState {
  output: JsonValue;
  exitEventId: number;
}

export interface ExecutionState {
  status: ExecutionStateStatus;
  input: JsonValue;
  output?: JsonValue;
  error?: string;
  cause?: string;
  startDate: number;
  stopDate?: number;
  redriveCount: number;
  redriveDate?: number;
  lastEventId: number;
  lastEventDate: number;
  active: ActiveState[];
  mapIterations: MapIterationSummary[];
  variables: Record<string, JsonValue>;
  completedStates: Record<string, CompletedState>;
  /** The top-level state that was running when the execution ended unsuccessfully: where a redrive resumes. */
  failedState?: string;
}

type ThreadKind = 'root' | 'iteration' | 'branch';

interface ThreadRec {
  kind: ThreadKind;
  index: number;
  parent: NodeRec | undefined;
  status: ChildStatus;
  current: NodeRec | undefined;
  /** The thread's last state exited and none followed yet: a branch in that position has finished. */
  idleAfterExit: boolean;
  /**
   * The state it was in when it failed or was aborted, while its *StateAborted is still to come:
   * AWS records that after the MapIterationFailed or MapIterationAborted (see the StateAborted case).
   */
  awaitingAbort?: NodeRec;
  /** Neighbours among the parent's running children. */
  prevRunning?: ThreadRec;
  nextRunning?: ThreadRec;
}

interface NodeRec {
  name: string;
  type: StateType;
  enteredEventId: number;
  enteredAt: number;
  input: JsonValue;
  thread: ThreadRec;
  live: boolean;
  /** Ended by its own *StateExited; one that ended otherwise may be picked up by a redrive (see wake). */
  exited?: boolean;
  /** A Map/Parallel that recorded *StateFailed: only its own exit (a Catch) can follow. */
  failed: boolean;
  attempts: number;
  retryCount: number;
  pendingTask?: PendingTask;
  waitingSince?: number;
  lastError?: { error?: string; cause?: string; eventId: number };
  children?: ThreadRec[];
  /**
   * Running children in start order, as an intrusive list: finding the first one and
   * unlinking one stay O(1) even for Maps with thousands of iterations.
   */
  firstRunning?: ThreadRec;
  lastRunning?: ThreadRec;
  byIndex?: Map<number, ThreadRec>;
  summary?: MapIterationSummary;
}

type Fits = (n: NodeRec) => boolean;

const isTask: Fits = (n) => n.type === 'Task';
/** The states AWS records a *StateAborted for when what runs them is stopped. */
const ABORTABLE: ReadonlySet<string> = new Set(['Task', 'Wait', 'Map', 'Parallel']);
const isOpenParallel: Fits = (n) => n.type === 'Parallel' && !n.failed;
const isOpenMap: Fits = (n) => n.type === 'Map' && !n.failed;

const detailsOf = (e: HistoryEvent): Record<string, unknown> => eventDetailsOf(e) ?? {};

const timeOf = (e: HistoryEvent): number => {
  const t = e.timestamp as unknown;
  if (typeof t === 'number') return t;
  if (typeof t === 'string') {
    const ms = Date.parse(t);
    return Number.isNaN(ms) ? 0 : ms;
  }
  return 0;
};

// Recorded histories keep JSON-looking causes decoded; the state reports them as text.
const asText = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : typeof v === 'string' ? v : JSON.stringify(v));
const asJson = (v: unknown): JsonValue => (v === undefined ? null : (v as JsonValue));
const iso = (ms: number): string => new Date(ms).toISOString();

function taskResourceArn(d: Record<string, unknown>): string {
  const resource = typeof d.resource === 'string' ? d.resource : '';
  const type = typeof d.resourceType === 'string' ? d.resourceType : '';
  if (resource.startsWith('arn:') || type === '') return resource;
  return `arn:aws:states:::${type}:${resource}`;
}

const ENDS = { ExecutionSucceeded: 'SUCCEEDED', ExecutionFailed: 'FAILED', ExecutionTimedOut: 'TIMED_OUT', ExecutionAborted: 'ABORTED' } as const;

/**
 * Replays a history into the execution's state after event `atEventId` (default: the last).
 * Events are attributed to threads (top level, Map iteration, Parallel branch) by following
 * `previousEventId`, as AWS threads them: an event points at the last event of its own thread,
 * a child thread starts from its parent's cursor and a container's closing events point into
 * the child that closed last. One pass; lookups by event id are array reads.
 */
export function foldExecutionState(events: readonly HistoryEvent[], atEventId?: number, identity?: ExecutionStateIdentity): ExecutionState {
  if (atEventId !== undefined) {
    const first = events[0]?.id;
    const last = events[events.length - 1]?.id;
    if (first === undefined || last === undefined || !Number.isInteger(atEventId) || atEventId < first || atEventId > last) {
      throw new RangeError(`Event ${atEventId} is not in this history (events ${first ?? '-'}..${last ?? '-'}).`);
    }
  }
  const fold = new ExecutionStateFold();
  for (const e of events) {
    if (atEventId !== undefined && e.id > atEventId) break;
    fold.apply(e);
  }
  return fold.snapshot(identity);
}

/**
 * The fold behind {@link foldExecutionState}, one event at a time: `apply` each event in order,
 * `snapshot` whenever the state is wanted. Lets a viewer move forwards through a long history
 * without folding it again from the start.
 */
export class ExecutionStateFold {
  private readonly root: ThreadRec = { kind: 'root', index: 0, parent: undefined, status: 'RUNNING', current: undefined, idleAfterExit: false };
  private readonly threadAt: (ThreadRec | undefined)[] = [];
  private readonly nodeAt: (NodeRec | undefined)[] = [];
  private readonly summaries: MapIterationSummary[] = [];
  private readonly variables = new Map<string, JsonValue>();
  private readonly completed = new Map<string, CompletedState>();
  private status: ExecutionStateStatus = 'RUNNING';
  private input: JsonValue = null;
  private roleArn: string | undefined;
  private output: JsonValue | undefined;
  private error: string | undefined;
  private cause: string | undefined;
  private startDate = 0;
  private stopDate: number | undefined;
  private redriveCount = 0;
  private redriveDate: number | undefined;
  /** The last state entered at the top level: the one a redrive picks up. */
  private lastTopLevel: NodeRec | undefined;
  private failedState: string | undefined;
  /** The latest ExecutionRedriven: events threaded on events before it pick their states up again (see wake). */
  private redrivenAt = 0;
  private lastEventId = 0;
  private lastEventDate = 0;
  private stateEnded?: (name: string, enteredEventId: number, exited: boolean) => void;
  private statePickedUp?: (name: string, enteredEventId: number) => void;

  /**
   * Calls `listener` whenever a state entry ends while events are applied: `exited` when its
   * own *StateExited closed it, false when it was aborted or its execution, iteration or
   * branch ended around it. Lets a viewer colour states without taking snapshots.
   */
  onStateEnded(listener: (name: string, enteredEventId: number, exited: boolean) => void): void {
    this.stateEnded = listener;
  }

  /** Calls `listener` whenever a redrive picks up a state entry that had ended (see wake): it runs again. */
  onStatePickedUp(listener: (name: string, enteredEventId: number) => void): void {
    this.statePickedUp = listener;
  }

  apply(e: HistoryEvent): void {
    this.lastEventId = e.id;
    const ts = timeOf(e);
    this.lastEventDate = ts;
    const type: string = e.type;
    const d = detailsOf(e);
    const p = e.previousEventId;

    if (type.startsWith('Execution')) return this.onExecution(e, type as HistoryEventType, d, ts);
    if (type.endsWith('StateEntered')) return this.onEntered(e, type.slice(0, -'StateEntered'.length) as StateType, d, ts);
    if (p < this.redrivenAt) this.wake(p);

    let node: NodeRec | undefined;
    if (type.endsWith('StateExited')) {
      const stateType = type.slice(0, -'StateExited'.length);
      const name = d.name;
      node = this.resolve(p, (n) => n.type === stateType && n.name === name) ?? this.search(p, (n) => n.type === stateType && n.name === name);
      this.place(e.id, p, node);
      this.onExited(e.id, p, node, d);
      return;
    }
    if (type.endsWith('StateAborted')) {
      const stateType = type.slice(0, -'StateAborted'.length);
      // An abort points at the container's cursor, not at the aborted thread: take the first
      // running state of that type below it, which is the order AWS aborts them in. A cursor in
      // the iteration whose failure fails a Map (AWS threads the aborts on its last event) means
      // a state below that Map: not the Map, which is closing, nor a Map or Parallel around it.
      // Recorded against AWS (2026-09): an iteration that failed in a Task has that Task aborted
      // right after its MapIterationFailed, and each one aborted with it records its
      // MapIterationAborted and then the abort of the state it waited in.
      const from = this.threadAt[p];
      const closing = from?.status === 'FAILED' ? from.parent : undefined;
      if (closing) {
        node = this.takeAwaitingAbort(from, closing, stateType) ?? this.takeAwaitingAbort(this.threadAt[e.id - 1], closing, stateType);
        if (!node && closing.live) node = this.below(closing, (n) => n !== closing && n.type === stateType);
      } else node = this.resolve(p, (n) => n.type === stateType && n.thread.status === 'RUNNING') ?? this.search(p, (n) => n.type === stateType);
      this.place(e.id, p, node);
      if (node) this.endNode(node, 'ABORTED');
      return;
    }
    if (type === 'EvaluationFailed') {
      const name = d.state;
      const fits: Fits = typeof name === 'string' ? (n) => n.name === name : () => true;
      node = this.resolve(p, fits) ?? this.search(p, fits);
      this.place(e.id, p, node);
      if (node) node.lastError = { error: asText(d.error), cause: asText(d.cause), eventId: e.id };
      return;
    }
    if (type.startsWith('Task') || type.startsWith('LambdaFunction') || type.startsWith('Activity')) {
      node = this.resolve(p, isTask);
      this.place(e.id, p, node);
      if (node) this.onTask(e.id, type, node, d, ts);
      return;
    }
    if (type.startsWith('Parallel')) {
      node = this.resolve(p, isOpenParallel);
      this.place(e.id, p, node);
      if (node) this.onParallel(type, p, node);
      return;
    }
    if (type.startsWith('MapIteration')) {
      const name = d.name;
      node = this.resolve(p, (n) => n.type === 'Map' && !n.failed && (name === undefined || n.name === name));
      this.place(e.id, p, node);
      if (node) this.onIteration(e.id, type, node, d);
      return;
    }
    if (type.startsWith('Map')) {
      node = this.resolve(p, isOpenMap);
      this.place(e.id, p, node);
      if (node) this.onMap(type, node, d);
      return;
    }
    this.place(e.id, p, undefined);
  }

  /** The name of the state an applied event belongs to (undefined for execution-level events). */
  stateNameOf(eventId: number): string | undefined {
    return this.nodeAt[eventId]?.name;
  }

  /** The id of the *StateEntered event of the state entry an applied event belongs to. */
  stateEntryOf(eventId: number): number | undefined {
    return this.nodeAt[eventId]?.enteredEventId;
  }

  /** The Map iteration an applied event happened in (the innermost one), if any. */
  iterationOf(eventId: number): { mapEnteredEventId: number; index: number } | undefined {
    for (let t = this.threadAt[eventId]; t; t = t.parent?.thread) {
      if (t.kind === 'iteration') return { mapEnteredEventId: t.parent!.enteredEventId, index: t.index };
    }
    return undefined;
  }

  /**
   * The live state an event belongs to: the state of the event it points at, else the
   * running state or the container of that event's thread, climbing towards the top.
   */
  private resolve(p: number, fits: Fits): NodeRec | undefined {
    const at = this.nodeAt[p];
    if (at && at.live && fits(at)) return at;
    for (let t: ThreadRec | undefined = this.threadAt[p] ?? this.root; t; t = t.parent?.thread) {
      const c = t.current;
      if (c && c.live && fits(c)) return c;
      const parent = t.parent;
      if (parent && parent.live && fits(parent)) return parent;
    }
    return undefined;
  }

  /** Depth-first over running threads, from the nearest live state above `p`, then from the top. */
  private search(p: number, fits: Fits): NodeRec | undefined {
    let start: NodeRec | undefined = this.nodeAt[p];
    if (!start || !start.live) {
      start = undefined;
      for (let t: ThreadRec | undefined = this.threadAt[p] ?? this.root; t && !start; t = t.parent?.thread) {
        if (t.current?.live) start = t.current;
        else if (t.parent?.live) start = t.parent;
      }
    }
    return (start && this.below(start, fits)) ?? (this.root.current?.live ? this.below(this.root.current, fits) : undefined);
  }

  private below(start: NodeRec, fits: Fits): NodeRec | undefined {
    if (start.live && fits(start)) return start;
    // Walks the running lists lazily: the match is usually the first running child, and a
    // container can have thousands, so listing them all per lookup would make aborts quadratic.
    const stack: (ThreadRec | undefined)[] = [start.firstRunning];
    while (stack.length > 0) {
      const t = stack[stack.length - 1];
      if (!t) {
        stack.pop();
        continue;
      }
      stack[stack.length - 1] = t.nextRunning;
      const n = t.current;
      if (!n?.live) continue;
      if (fits(n)) return n;
      if (n.firstRunning) stack.push(n.firstRunning);
    }
    return undefined;
  }

  /** The state `thread`, a child of `closing` that ended, was in, if its `type` abort is still to come (taken once). */
  private takeAwaitingAbort(thread: ThreadRec | undefined, closing: NodeRec, type: string): NodeRec | undefined {
    const node = thread?.parent === closing ? thread.awaitingAbort : undefined;
    if (!node || node.type !== type) return undefined;
    thread!.awaitingAbort = undefined;
    return node;
  }

  private place(id: number, p: number, node: NodeRec | undefined): void {
    this.nodeAt[id] = node;
    this.threadAt[id] = node ? node.thread : (this.threadAt[p] ?? this.root);
  }

  private onExecution(e: HistoryEvent, type: HistoryEventType, d: Record<string, unknown>, ts: number): void {
    this.threadAt[e.id] = this.root;
    switch (type) {
      case 'ExecutionStarted':
        this.input = asJson(d.input);
        this.roleArn = typeof d.roleArn === 'string' ? d.roleArn : undefined;
        this.startDate = ts;
        this.status = 'RUNNING';
        this.root.status = 'RUNNING';
        return;
      case 'ExecutionRedriven': {
        this.redriveCount++;
        this.redriveDate = ts;
        this.redrivenAt = e.id;
        // The top-level state the execution ended in is picked up (see wake): a Wait waits again
        // with no event of its own until it exits.
        const resumed = this.lastTopLevel;
        if (resumed && !resumed.live && !resumed.exited) this.revive(resumed);
        this.status = 'RUNNING';
        this.root.status = 'RUNNING';
        this.output = this.error = this.cause = this.stopDate = this.failedState = undefined;
        return;
      }
      case 'ExecutionSucceeded':
      case 'ExecutionFailed':
      case 'ExecutionTimedOut':
      case 'ExecutionAborted': {
        this.status = ENDS[type];
        this.stopDate = ts;
        if (type === 'ExecutionSucceeded') this.output = asJson(d.output);
        else {
          this.error = asText(d.error);
          this.cause = asText(d.cause);
          this.failedState = this.root.current?.live ? this.root.current.name : undefined;
        }
        if (this.root.current) this.endNode(this.root.current, 'ABORTED');
        this.root.status = type === 'ExecutionSucceeded' ? 'SUCCEEDED' : type === 'ExecutionFailed' ? 'FAILED' : 'ABORTED';
        return;
      }
    }
  }

  private onEntered(e: HistoryEvent, type: StateType, d: Record<string, unknown>, ts: number): void {
    const p = e.previousEventId;
    const at = this.nodeAt[p];
    let thread: ThreadRec;
    if (at && at.live && at.type === 'Parallel' && !at.failed && this.threadAt[p] === at.thread) {
      // Every branch starts from the Parallel's own cursor; the order they appear is branch order.
      thread = this.openChild(at, 'branch', at.children!.length);
    } else {
      thread = this.threadAt[p] ?? this.root;
      while (thread.status !== 'RUNNING' && thread.parent) thread = thread.parent.thread;
    }
    if (thread.current?.live) this.endNode(thread.current, 'ABORTED');
    const node: NodeRec = {
      name: typeof d.name === 'string' ? d.name : '',
      type, enteredEventId: e.id, enteredAt: ts, input: asJson(d.input), thread,
      live: true, failed: false, attempts: 0, retryCount: 0,
    };
    if (type === 'Wait') node.waitingSince = ts;
    if (type === 'Map' || type === 'Parallel') {
      node.children = [];
    }
    if (type === 'Map') {
      node.byIndex = new Map();
      node.summary = { name: node.name, enteredEventId: e.id, running: 0, succeeded: 0, failed: 0, aborted: 0, finished: [], closed: false };
      this.summaries.push(node.summary);
    }
    if (thread === this.root) this.lastTopLevel = node;
    thread.current = node;
    thread.idleAfterExit = false;
    this.nodeAt[e.id] = node;
    this.threadAt[e.id] = thread;
  }

  private onExited(id: number, p: number, node: NodeRec | undefined, d: Record<string, unknown>): void {
    const name = typeof d.name === 'string' ? d.name : node?.name;
    if (name !== undefined) {
      // Delete first so that the order of completedStates follows the last exits.
      this.completed.delete(name);
      this.completed.set(name, { output: asJson(d.output), exitEventId: id });
    }
    const thread = node ? node.thread : (this.threadAt[p] ?? this.root);
    // Assignments inside iterations and branches are scoped to them; only top-level ones persist.
    if (thread === this.root && typeof d.assignedVariables === 'object' && d.assignedVariables !== null) {
      for (const [k, v] of Object.entries(d.assignedVariables as Record<string, unknown>)) this.variables.set(k, asJson(v));
    }
    if (node) {
      this.endNode(node, node.failed ? 'ABORTED' : 'SUCCEEDED', true);
      thread.idleAfterExit = true;
    }
  }

  private onTask(id: number, type: string, node: NodeRec, d: Record<string, unknown>, ts: number): void {
    switch (type) {
      case 'TaskScheduled':
      case 'LambdaFunctionScheduled':
      case 'ActivityScheduled': {
        if (node.attempts++ > 0) node.retryCount++;
        // Lambda functions and activities are recorded by their ARN and input, integrations split.
        const lambda = type !== 'TaskScheduled';
        node.pendingTask = {
          scheduledEventId: id,
          resource: lambda ? (typeof d.resource === 'string' ? d.resource : '') : taskResourceArn(d),
          parameters: asJson(lambda ? d.input : d.parameters),
          ...(typeof d.timeoutInSeconds === 'number' ? { timeoutInSeconds: d.timeoutInSeconds } : {}),
          ...(typeof d.heartbeatInSeconds === 'number' ? { heartbeatInSeconds: d.heartbeatInSeconds } : {}),
        };
        node.waitingSince = ts;
        return;
      }
      case 'TaskStarted':
      case 'LambdaFunctionStarted':
      case 'ActivityStarted':
        if (node.pendingTask) {
          node.pendingTask.startedEventId = id;
          if (typeof d.workerName === 'string') node.pendingTask.workerName = d.workerName;
        }
        return;
      case 'TaskSubmitted':
        return;
      case 'TaskSucceeded':
      case 'LambdaFunctionSucceeded':
      case 'ActivitySucceeded':
        node.pendingTask = node.waitingSince = undefined;
        return;
      default:
        // Failed, timed out, or never started: the task is over; a retry schedules anew.
        node.pendingTask = node.waitingSince = undefined;
        node.lastError = { error: asText(d.error), cause: asText(d.cause), eventId: id };
    }
  }

  private onParallel(type: string, p: number, node: NodeRec): void {
    switch (type) {
      case 'ParallelStateStarted':
        if (node.attempts++ > 0) {
          node.retryCount++;
          this.closeChildren(node, this.failingChild(node, p), 'FAILED', 'ABORTED');
          node.children = [];
        }
        return;
      case 'ParallelStateSucceeded':
        this.closeChildren(node, undefined, 'SUCCEEDED', 'SUCCEEDED');
        return;
      case 'ParallelStateFailed':
        node.failed = true;
        this.closeChildren(node, this.failingChild(node, p), 'FAILED', 'ABORTED');
        return;
    }
  }

  private onMap(type: string, node: NodeRec, d: Record<string, unknown>): void {
    const s = node.summary!;
    switch (type) {
      case 'MapStateStarted':
        if (node.attempts++ > 0) {
          node.retryCount++;
          this.closeChildren(node, undefined, 'ABORTED', 'ABORTED');
          node.children = [];
          node.byIndex!.clear();
          s.running = s.succeeded = s.failed = s.aborted = 0;
          s.finished = [];
        }
        if (typeof d.length === 'number') s.length = d.length;
        return;
      case 'MapStateSucceeded':
        this.closeChildren(node, undefined, 'SUCCEEDED', 'SUCCEEDED');
        return;
      case 'MapStateFailed':
        node.failed = true;
        this.closeChildren(node, undefined, 'ABORTED', 'ABORTED');
        return;
      case 'MapRunFailed':
        node.lastError = { error: asText(d.error), cause: asText(d.cause), eventId: this.lastEventId };
        return;
    }
  }

  private onIteration(id: number, type: string, node: NodeRec, d: Record<string, unknown>): void {
    const index = typeof d.index === 'number' ? d.index : node.children!.length;
    if (type === 'MapIterationStarted') {
      const old = node.byIndex!.get(index);
      if (old) this.finishThread(old, 'ABORTED');
      this.threadAt[id] = this.openChild(node, 'iteration', index);
      return;
    }
    const thread = node.byIndex!.get(index);
    if (!thread) return;
    this.finishThread(thread, type === 'MapIterationSucceeded' ? 'SUCCEEDED' : type === 'MapIterationFailed' ? 'FAILED' : 'ABORTED');
    this.threadAt[id] = thread;
  }

  /**
   * A redrive picks up the states its execution ended in rather than entering them again: their
   * next event threads on their entry (checked against AWS recordings). The state `p` belongs to
   * runs again, with the branches, iterations and containers around it; its retries count from 0.
   */
  private wake(p: number): void {
    const node = this.nodeAt[p];
    if (!node || node.live || node.exited) return;
    this.revive(node);
  }

  private revive(node: NodeRec): void {
    node.live = true;
    this.statePickedUp?.(node.name, node.enteredEventId);
    node.failed = false;
    node.lastError = undefined;
    // Its Map/ParallelStateStarted stands: only a retry records another.
    node.attempts = node.type === 'Task' ? 0 : Math.min(node.attempts, 1);
    node.retryCount = 0;
    if (node.type === 'Wait') node.waitingSince = this.redriveDate;
    if (node.summary) node.summary.closed = false;
    const t = node.thread;
    t.current = node;
    t.idleAfterExit = false;
    if (t.status !== 'RUNNING') this.rerunThread(t);
    if (t.parent && !t.parent.live) this.revive(t.parent);
  }

  /** A branch or iteration that had ended runs again: back among its container's running children. */
  private rerunThread(t: ThreadRec): void {
    const was = t.status;
    t.status = 'RUNNING';
    const parent = t.parent;
    if (!parent) return;
    t.prevRunning = parent.lastRunning;
    if (parent.lastRunning) parent.lastRunning.nextRunning = t;
    else parent.firstRunning = t;
    parent.lastRunning = t;
    const s = parent.summary;
    if (s && parent.byIndex?.get(t.index) === t) {
      s[was === 'SUCCEEDED' ? 'succeeded' : was === 'FAILED' ? 'failed' : 'aborted']--;
      s.running++;
      s.finished = s.finished.filter((f) => f.index !== t.index);
    }
  }

  private openChild(node: NodeRec, kind: ThreadKind, index: number): ThreadRec {
    const t: ThreadRec = { kind, index, parent: node, status: 'RUNNING', current: undefined, idleAfterExit: false };
    node.children!.push(t);
    t.prevRunning = node.lastRunning;
    if (node.lastRunning) node.lastRunning.nextRunning = t;
    else node.firstRunning = t;
    node.lastRunning = t;
    node.byIndex?.set(index, t);
    if (node.summary) node.summary.running++;
    return t;
  }

  /**
   * The branch whose failure failed `node`. Usually the one event `p` happened in; but a
   * container's cursor is the furthest of its children's, so `p` can also be the end of a
   * branch that had already finished: then it is the branch stopped at a failure.
   */
  private failingChild(node: NodeRec, p: number): ThreadRec | undefined {
    for (let t: ThreadRec | undefined = this.threadAt[p]; t; t = t.parent?.thread) {
      if (t.parent === node) {
        // The state the branch failed in is running still, or aborted already: AWS aborts a Task
        // that failed, threading its TaskStateAborted on the failure (recorded against AWS, 2026-09).
        const at = this.nodeAt[p];
        if (t.current?.live || (at?.thread === t && at.lastError !== undefined)) return t;
        break;
      }
    }
    for (let t = node.firstRunning; t; t = t.nextRunning) {
      const c = t.current;
      if (c?.live && (c.type === 'Fail' || c.lastError)) return t;
    }
    return undefined;
  }

  private closeChildren(node: NodeRec, culprit: ThreadRec | undefined, culpritStatus: ChildStatus, others: ChildStatus): void {
    if (culprit) this.finishThread(culprit, culpritStatus);
    this.finishRunning(node, others);
  }

  private finishThread(t: ThreadRec, status: ChildStatus): void {
    if (t.status !== 'RUNNING') return;
    // A branch whose last state exited had finished before its siblings were stopped.
    if (status === 'ABORTED' && t.kind === 'branch' && !t.current?.live && t.idleAfterExit) status = 'SUCCEEDED';
    t.status = status;
    const parent = t.parent;
    if (parent) {
      if (t.prevRunning) t.prevRunning.nextRunning = t.nextRunning;
      else parent.firstRunning = t.nextRunning;
      if (t.nextRunning) t.nextRunning.prevRunning = t.prevRunning;
      else parent.lastRunning = t.prevRunning;
      t.prevRunning = t.nextRunning = undefined;
      const s = parent.summary;
      if (s && parent.byIndex?.get(t.index) === t && status !== 'RUNNING') {
        s.running--;
        s[status === 'SUCCEEDED' ? 'succeeded' : status === 'FAILED' ? 'failed' : 'aborted']++;
        s.finished.push({ index: t.index, status });
      }
    }
    const current = t.current;
    if (current?.live && status !== 'SUCCEEDED' && ABORTABLE.has(current.type) && !current.failed) t.awaitingAbort = current;
    if (current) this.endNode(current, 'ABORTED');
  }

  private finishRunning(node: NodeRec, status: ChildStatus): void {
    // finishThread only touches the finished thread's own subtree, so the saved `next` stays valid.
    for (let t = node.firstRunning; t; ) {
      const next = t.nextRunning;
      this.finishThread(t, status);
      t = next;
    }
  }

  private endNode(node: NodeRec, childStatus: ChildStatus, exited = false): void {
    if (!node.live) return;
    node.live = false;
    if (exited) node.exited = true;
    this.stateEnded?.(node.name, node.enteredEventId, exited);
    node.pendingTask = node.waitingSince = undefined;
    if (node.thread.current === node) node.thread.current = undefined;
    this.finishRunning(node, childStatus);
    if (node.summary) node.summary.closed = true;
  }

  snapshot(identity?: ExecutionStateIdentity): ExecutionState {
    const execution: ContextObjectView['Execution'] = {
      ...(identity ? { Id: identity.executionArn } : {}),
      Input: this.input,
      StartTime: iso(this.startDate),
      ...(identity ? { Name: identity.name } : {}),
      ...(this.roleArn !== undefined ? { RoleArn: this.roleArn } : {}),
      RedriveCount: this.redriveCount,
      ...(this.redriveDate !== undefined ? { RedriveTime: iso(this.redriveDate) } : {}),
    };
    const stateMachine = identity ? { Id: identity.stateMachineArn, Name: identity.stateMachineName } : undefined;
    const view = (n: NodeRec): ActiveState => {
      const out: ActiveState = {
        name: n.name, type: n.type, enteredEventId: n.enteredEventId, input: n.input, retryCount: n.retryCount,
        contextObject: {
          Execution: execution,
          ...(stateMachine ? { StateMachine: stateMachine } : {}),
          State: { Name: n.name, EnteredTime: iso(n.enteredAt), RetryCount: n.retryCount },
          ...mapContextOf(n),
        },
      };
      if (n.pendingTask) out.pendingTask = { ...n.pendingTask };
      if (n.waitingSince !== undefined) out.waitingSince = n.waitingSince;
      if (n.lastError) out.lastError = { ...n.lastError };
      if (n.children) {
        const kids = n.type === 'Map' ? [...n.children].sort((a, b) => a.index - b.index) : n.children;
        out.children = kids.map((t) => ({ index: t.index, status: childStatusOf(t), active: t.current?.live ? [view(t.current)] : [] }));
      }
      return out;
    };
    const state: ExecutionState = {
      status: this.status,
      input: this.input,
      startDate: this.startDate,
      redriveCount: this.redriveCount,
      lastEventId: this.lastEventId,
      lastEventDate: this.lastEventDate,
      active: this.root.current?.live ? [view(this.root.current)] : [],
      mapIterations: this.summaries.map((s) => ({ ...s, finished: [...s.finished].sort((a, b) => a.index - b.index) })),
      variables: Object.fromEntries(this.variables),
      completedStates: Object.fromEntries(this.completed),
    };
    if (this.output !== undefined) state.output = this.output;
    if (this.error !== undefined) state.error = this.error;
    if (this.cause !== undefined) state.cause = this.cause;
    if (this.stopDate !== undefined) state.stopDate = this.stopDate;
    if (this.redriveDate !== undefined) state.redriveDate = this.redriveDate;
    if (this.failedState !== undefined) state.failedState = this.failedState;
    return state;
  }
}

function childStatusOf(t: ThreadRec): ChildStatus {
  // Branches have no closing event of their own: one whose last state exited with nothing after it is done.
  if (t.status === 'RUNNING' && t.kind === 'branch' && !t.current && t.idleAfterExit) return 'SUCCEEDED';
  return t.status;
}

/**
 * `$$.Map.Item` of the nearest enclosing iteration. The item value is only known when the
 * Map's own input is the item array (default ItemsPath), which the item count confirms.
 */
function mapContextOf(n: NodeRec): Pick<ContextObjectView, 'Map'> {
  for (let t: ThreadRec | undefined = n.thread; t; t = t.parent?.thread) {
    if (t.kind !== 'iteration') continue;
    const map = t.parent!;
    const items = map.input;
    const value = Array.isArray(items) && items.length === map.summary?.length ? items[t.index] : undefined;
    return { Map: { Item: value === undefined ? { Index: t.index } : { Index: t.index, Value: value } } };
  }
  return {};
}

/** A compact multi-line rendering for `stepwise inspect`. */
export function describeExecutionState(state: ExecutionState): string {
  const lines = [`status ${state.status} at event ${state.lastEventId} (${iso(state.lastEventDate)})`];
  if (state.redriveCount > 0) lines.push(`redrive count ${state.redriveCount}${state.redriveDate !== undefined ? `, last redriven ${iso(state.redriveDate)}` : ''}`);
  if (state.error !== undefined) lines.push(`error: ${state.error}`);
  if (state.cause !== undefined) lines.push(`cause: ${clip(state.cause, 200)}`);
  if (state.failedState !== undefined) lines.push(`failed state: ${state.failedState}`);
  if (state.output !== undefined) lines.push(`output: ${clip(JSON.stringify(state.output), 200)}`);
  if (state.active.length > 0 || state.status === 'RUNNING') {
    lines.push(state.active.length > 0 ? 'active:' : 'active: none');
    const maps = new Map(state.mapIterations.map((m) => [m.enteredEventId, m]));
    const render = (a: ActiveState, indent: string, label: string): void => {
      const facts = [a.type, `entered #${a.enteredEventId}`];
      if (a.retryCount > 0) facts.push(`retry ${a.retryCount}`);
      let line = `${indent}${label}${a.name} (${facts.join(', ')})`;
      if (a.pendingTask) {
        line += `  waiting on task scheduled #${a.pendingTask.scheduledEventId}: ${a.pendingTask.resource}`;
        if (a.pendingTask.workerName !== undefined) line += ` (worker ${a.pendingTask.workerName})`;
      }
      else if (a.type === 'Wait' && a.waitingSince !== undefined) line += `  waiting since ${iso(a.waitingSince)}`;
      else if (a.lastError && a.type === 'Task') line += `  last error #${a.lastError.eventId}: ${a.lastError.error ?? '(none)'}`;
      if (a.type === 'Map') line += `  iterations: ${counts(maps.get(a.enteredEventId))}`;
      if (a.type === 'Parallel' && a.children) line += `  branches: ${branchCounts(a.children)}`;
      lines.push(line);
      for (const c of a.children ?? []) {
        if (c.status !== 'RUNNING') continue;
        const tag = a.type === 'Map' ? `[${c.index}] ` : `branch ${c.index}: `;
        if (c.active.length === 0) lines.push(`${indent}  ${tag}(between states)`);
        for (const child of c.active) render(child, `${indent}  `, tag);
      }
    };
    for (const a of state.active) render(a, '  ', '');
  }
  const vars = Object.entries(state.variables);
  lines.push(`variables: ${vars.length === 0 ? '{}' : `{ ${vars.map(([k, v]) => `${JSON.stringify(k)}: ${clip(JSON.stringify(v), 60)}`).join(', ')} }`}`);
  return lines.join('\n');
}

function counts(s: MapIterationSummary | undefined): string {
  if (!s) return 'none';
  const parts: string[] = [];
  if (s.succeeded) parts.push(`${s.succeeded} succeeded`);
  if (s.failed) parts.push(`${s.failed} failed`);
  if (s.aborted) parts.push(`${s.aborted} aborted`);
  if (s.running) parts.push(`${s.running} running`);
  const started = s.succeeded + s.failed + s.aborted + s.running;
  if (s.length !== undefined && started < s.length) parts.push(`${s.length - started} not started`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

function branchCounts(children: ChildThread[]): string {
  const by = new Map<ChildStatus, number>();
  for (const c of children) by.set(c.status, (by.get(c.status) ?? 0) + 1);
  const order: ChildStatus[] = ['SUCCEEDED', 'FAILED', 'ABORTED', 'RUNNING'];
  const parts = order.filter((s) => by.has(s)).map((s) => `${by.get(s)} ${s.toLowerCase()}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
