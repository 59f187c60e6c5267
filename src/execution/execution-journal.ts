import { createActor } from '#xstate';
import type { AnyActorRef, Actor, AnyStateMachine } from 'xstate';
import type { Observable } from 'rxjs';
import { Subject } from '../observe/rx.js';
import type { JsonValue } from '../asl/json-value.js';
import { redriveMachineOf } from '../compile/compile-scope.js';
import { ScopeRuntime, type CompiledScope, type RedrivePoint, type ScopeOutcome } from '../compile/scope-runtime.js';
import { StatesErrors } from '../errors/error-names.js';
import { AslError } from '../errors/asl-error.js';
import { noOpenTaskError } from './task-token.js';
import { StepwiseError, isStepwiseError } from '../errors/stepwise-error.js';
import { taskCallsIn, type MockTestCase } from '../resources/mock-config.js';
import { rememberedEvent, rememberedStreamOf, rememberedValues } from '../store/remembered-stream.js';
import type { TaskHandlerRegistry, TaskRequest } from '../resources/task-handlers.js';
import { runTask, startTask, type TaskOutcome, type TaskOutcomeReceiver } from '../resources/task-runner.js';
import { isWrongExpectedRevisionError, type EventStore, type ExecutionStatus } from '../store/event-store.js';
import { parseResource } from '../resources/resource-arn.js';
import type { ServiceCaller } from '../resources/service-caller.js';
import type { ActivityDispatcher } from '../activities/activities.js';
import type { Clock } from './clock.js';
import { VirtualClock } from './clock.js';
import { mapRunUpdateId, replayLimits, type ActorInput, type Command, type ExecutionLimits, type ExecutionServices, type MapChildRequest, type MapRunUpdate } from './execution-services.js';
import { createHistoryEvent, createStartedEvent, ExecutionStartedDetails, type EventDetails, type HistoryEvent, type HistoryEventType } from './history-event.js';
import { HistoryFrame } from './history-frame.js';
import { actorHost, stopExecutionActor } from './actor-host.js';
import { historyLimitFailure, isHistoryLimitFailure } from './history-limit.js';
import { compareEvents, recordedInputOf, type Divergence, type ReplayComparison } from './replay-matching.js';
import { forkSeed, newSeed, Sfc32, type ExecutionRandom } from './seeded-random.js';
import { deletionFailure } from './state-machine-deletion.js';
import { createMemoryEventStore } from '../store/memory-store.js';

export interface ExecutionIdentity {
  executionArn: string;
  stateMachineArn: string;
  stateMachineName: string;
  name: string;
  roleArn: string;
  region: string;
  /** An EXPRESS state machine's execution: it times out after limits.expressSeconds. Set only then. */
  express?: true;
}

/** How a journal treats events it already has (resume, fork, replay). */
/**
 * Live: evaluations (JSONata) asked for and not yet delivered, and the evaluations running, in
 * the order they were asked for. A replay runs every pending evaluation, one at a time in that
 * order, before it feeds the next recorded answer (a task's start or result, a timer); live runs
 * keep to that order too (see afterEvaluations), or a history recorded while an evaluation was
 * pending could not be resumed or replayed.
 */
interface PendingEvaluations {
  unsettled: number;
  running: { c: Extract<Command, { kind: 'evaluate' }>; settled?: { ok: boolean; value: unknown } }[];
  /** Live inputs held back until no evaluation is pending, in arrival order. */
  held: (() => void)[];
}

interface ReplayState {
  recorded: readonly HistoryEvent[];
  cursor: number;
  comparison: ReplayComparison;
  /** After the recorded events: go on live (resume, fork) or stop (a replay check). */
  then: 'live' | 'stop';
  parked: Command[];
  startedIds: Map<string, number>;
  divergence?: Divergence;
  /** The clock while replaying: the timestamp of the recorded event being reproduced. */
  now: number;
}

export interface ReplayReport {
  ok: boolean;
  replayedEvents: number;
  divergence?: Divergence;
}

/**
 * What the executions of one runtime share: one object for all their journals (a parked
 * execution would otherwise keep a copy of a dozen fields).
 */
export interface JournalEnvironment {
  store: EventStore;
  clock: Clock;
  handlers?: TaskHandlerRegistry;
  /** Where activity tasks without a handler or mock wait for workers. */
  activities?: ActivityDispatcher;
  /** The third way to answer a Task, after handlers and mocks (service integrations). */
  services?: ServiceCaller;
  limits: ExecutionLimits;
  /**
   * Called once, as `done` settles: with the result, or without one when `done` rejects.
   * Called before `done`'s own callbacks run. One function for every journal of a runtime,
   * where a `done.then` per execution would keep a promise and two closures alive as long as
   * the execution runs.
   */
  onSettled?: (journal: ExecutionJournal, result: ExecutionResult | undefined) => void;
  /** Runs a Distributed Map's children as executions of their own. */
  children?: MapChildHost;
  /**
   * Where the values an execution remembered (services.remembered) are looked up: its own
   * store unless given; a probe, which runs on a throwaway store, looks in the runtime's.
   */
  rememberedIn?: EventStore;
  /**
   * The execution holding each open task whose token is handed outside (`.waitForTaskToken`,
   * activities), so that SendTaskSuccess finds it at once; other tasks are answered in process.
   */
  tokenOwners?: Map<string, ExecutionJournal>;
  /**
   * Whether the state machine of this ARN is being deleted (DeleteStateMachine): an execution
   * of it ends when the state it waits in ends (see stateMachineDeleted()).
   */
  stateMachineDeleting?: (stateMachineArn: string) => boolean;
}

/** Where a Distributed Map's child executions run (the runtime). */
export interface MapChildHost {
  /**
   * Starts the child, or finds it when an earlier run of the parent started it (a resume: it
   * has ended, or it is being driven again). `readOnly` (a replay that only compares) finds
   * and never starts: `done` rejects for a child that was never started.
   */
  runMapChild(request: MapChildRequest & { parentExecutionArn: string; roleArn: string; mockStateMachineName: string; testCase?: string }, readOnly: boolean): ChildExecutionRun;
}

export interface ChildExecutionRun {
  executionArn: string;
  done: Promise<ExecutionResult>;
  /** Aborts the child (its parent's Map Run failed or the parent ended); nothing when it has ended. */
  stop(): void;
}

/** What is this execution's own. */
export interface JournalRun {
  compiled: CompiledScope;
  input: JsonValue;
  mocks?: MockTestCase;
  /**
   * Asked before every append: false when this process may no longer drive the execution
   * (its lease ran out). The journal then gives the execution up rather than write.
   */
  mayAppend?: () => boolean;
  /**
   * A fork: the id of the last event it copied from its original. From the next event on it
   * draws from a seed of its own (forkSeed), in its first run and in every replay of it alike.
   */
  forkedAt?: number;
}

export interface ExecutionResult {
  executionArn: string;
  status: Exclude<ExecutionStatus, 'RUNNING' | 'PENDING_REDRIVE'>;
  output?: JsonValue;
  error?: string;
  cause?: string;
  startDate: number;
  stopDate: number;
  /** A Map Run's child asked for it (MapChildRequest.countRedrives): its redrives before this end. */
  redriveCount?: number;
}

/**
 * A store that keeps each stream's events in memory, in order, and shows the live list (the
 * in-memory store): the journal then keeps no copy of its own.
 */
export interface LiveEventsStore {
  liveEvents(streamId: string): readonly HistoryEvent[];
}

type SyncAppend = (streamId: string, events: readonly HistoryEvent[], options: { expectedRevision: number }, handle?: object) => number;

interface InFlightTask extends TaskOutcomeReceiver {
  actor: AnyActorRef;
  requestId: string;
  /** Made when a handler first reads its signal: most never do, and each costs an EventTarget. */
  abort?: AbortController;
  aborted: boolean;
  cancelTimers: readonly (() => void)[];
  /** Made for a task with HeartbeatSeconds or queued for an activity's workers: most tasks have neither. */
  watch: TaskWatch | undefined;
  releaseClock: () => void;
}

/** A task's heartbeat and its place in an activity's queue. */
class TaskWatch {
  /** Undefined for an activity task without HeartbeatSeconds. */
  readonly heartbeatSeconds: number | undefined;
  /**
   * What a missed heartbeat fails the task with: an activity's ActivityTimedOut carries
   * States.Timeout (recorded against AWS (2026-09): HeartbeatSeconds 2 < TimeoutSeconds 6, a
   * worker took the task and sent no heartbeat; 2.000 s after ActivityStarted came
   * ActivityTimedOut {error: States.Timeout}, no cause); other tasks States.HeartbeatTimeout.
   */
  readonly heartbeatError: string;
  heartbeatCancel: (() => void) | undefined = undefined;
  /** Takes a queued activity task back out of its queue. */
  withdraw: (() => void) | undefined = undefined;

  constructor(heartbeatSeconds: number | undefined, resource: string) {
    this.heartbeatSeconds = heartbeatSeconds;
    this.heartbeatError = heartbeatSeconds !== undefined && parseResource(resource).kind === 'activity' ? StatesErrors.Timeout : StatesErrors.HeartbeatTimeout;
  }
}

const ACTIVITY_USE = new WeakMap<CompiledScope, boolean>();

/** Whether a definition names an activity anywhere (a Task's Resource, or a JSONata string). */
function usesActivities(compiled: CompiledScope): boolean {
  let uses = ACTIVITY_USE.get(compiled);
  if (uses === undefined) ACTIVITY_USE.set(compiled, (uses = JSON.stringify(compiled.definition).includes(':activity:')));
  return uses;
}

/**
 * The pending events and commands of a journal between steps: one shared empty array instead of
 * two of its own (a parked execution kept both, 64 bytes). Frozen, so a push into it throws
 * rather than reaching every journal; the first event or command of a step makes a new array.
 */
const NOTHING: never[] = Object.freeze([]) as unknown as never[];

/*
 * The start and timeout times hold null until set, not 0: V8 keeps a field that has only held
 * numbers in a box of its own per object (an epoch time is too large to be stored inline), and
 * a field that has held something else as a reference, which then points to the one number the
 * step's clock read gave (the step's events and the state entered share it). Two boxes less,
 * 32 bytes, kept by every execution (see RecordedEvent in history-event.ts).
 */
const NOT_YET = null as unknown as number;

/** `list` with `item` pushed onto it, or a new list for the item when `list` is NOTHING. */
function appended<T>(list: T[], item: T): T[] {
  if (list === NOTHING) return [item];
  list.push(item);
  return list;
}

type ChildRuns = Map<string, { run: ChildExecutionRun; command: Extract<Command, { kind: 'child' }> }>;
/** `caughtUp`: true once caught up; before that, the promise handed out (made when first asked for). */
type CaughtUpState = true | { promise: Promise<void>; resolve: () => void };

/**
 * The parts of a journal that few executions use: a test case's mocks, leases, live watchers,
 * more than one task or any timer at a time, Distributed Map children, JSONata evaluations,
 * an abandonment, a resume or fork. Apart, behind the journal's accessors, so that the others
 * carry no field for them: 13 fields, 104 bytes of each parked execution.
 */
class JournalExtras {
  mocks: MockTestCase | undefined = undefined;
  mayAppend: (() => boolean) | undefined = undefined;
  /** Made when someone first asks for events$: most executions are never watched live. */
  subject: Subject<HistoryEvent> | undefined = undefined;
  moreTasks: Map<string, InFlightTask> | undefined = undefined;
  /** Made when the first timer is armed: most executions have none. */
  timersByRequest: Map<string, () => void> | undefined = undefined;
  /** A Distributed Map's child executions in flight, by request id. */
  childRuns: ChildRuns | undefined = undefined;
  /** Evaluations (JSONata) pending, and the live inputs held back meanwhile: see PendingEvaluations. */
  evaluations: PendingEvaluations | undefined = undefined;
  abandoned: StepwiseError | undefined = undefined;
  /** While start() waits for the activity definitions to load (see start). */
  booting: Promise<void> | undefined = undefined;
  replay: ReplayState | undefined = undefined;
  inputOverride: { value: JsonValue } | undefined = undefined;
  caughtUpState: CaughtUpState | undefined = undefined;
  reseedAt = 0;
  /** The redrive this run of the execution started from: its timeout counts from the redrive's time, not from its start (see bootRedrive). */
  redriven: RedriveMark | undefined = undefined;
  /** The input the execution was booted with, when it is not the one it was given (a stored execution's, read from its ExecutionStarted). */
  bootInput: JsonValue | undefined = undefined;
}

/** The journal's yes-or-no fields, as bits of one small integer: a field each would cost a parked execution 8 bytes per field. */
const EVENTS_ENDED = 1;
const DRAINING = 2;
const FLUSH_REQUESTED = 4;
const SETTLED_ONCE = 8;
const ROOT_ENDED = 16;

/**
 * Where the event stream and the actors meet; the only place that sends events to actors
 * and appends to the store. An input (start, a task's answer, a timer) is delivered to the
 * addressed actor; the events the machines record while handling it are appended in one
 * batch; only then are the commands they left carried out (call the task, arm the timer).
 */
export class ExecutionJournal {
  readonly identity: ExecutionIdentity;
  private readonly options: JournalEnvironment;
  private readonly compiled: CompiledScope;
  private readonly startInput: JsonValue;
  /** EVENTS_ENDED, DRAINING, FLUSH_REQUESTED, SETTLED_ONCE and ROOT_ENDED, read and written through the accessors below. */
  private flags = 0;
  /**
   * The events appended so far; null when the store keeps them in memory and shows them
   * (see LiveEventsStore), so that a parked execution does not keep them twice.
   */
  private readonly history: HistoryEvent[] | null;
  /** NOTHING (shared) until the first event or command of a step: see NOTHING. */
  private pending: HistoryEvent[] = NOTHING;
  private commands: Command[] = NOTHING;
  private revision = 0;
  private nextEventId = 1;
  private root!: Actor<AnyStateMachine>;
  /**
   * The tasks in flight, keyed by token (their request id): the first in a field, any more in a
   * map made when needed. Nearly every execution has at most one at a time, and a Map costs a
   * parked execution two objects and some 180 bytes.
   */
  private task: InFlightTask | undefined;
  private flushing: Promise<void> = SETTLED;
  /**
   * The store, when it appends synchronously (see enqueueFlush). Called as a method: a bound copy
   * per journal costs a closure. Asked of the store each time, not kept: the answer is the
   * runtime's, and a field would cost each parked execution 8 bytes.
   */
  private get syncStore(): { appendSync: SyncAppend; streamHandle?(streamId: string): object | undefined } | undefined {
    const store = this.options.store as EventStore & { appendSync?: SyncAppend };
    return typeof store.appendSync === 'function' ? (store as { appendSync: SyncAppend }) : undefined;
  }
  /** The sync store's handle on this execution's stream, once it exists. */
  private streamHandle: object | undefined = undefined;
  /** Made when a flush first has something to run after it (an execution's end). */
  private afterFlush: (() => void)[] | undefined;
  private finished: ExecutionResult | undefined;
  /** NOT_YET (not a number) until the execution is booted: see NOT_YET. */
  private startDate = NOT_YET;
  private stepNow: number | undefined;
  private seed = 0;
  /** What the execution's actors share, its random source too; made at boot. */
  private services!: InstanceType<typeof ExecutionJournal.Services>;
  /** Settles `done` either way (a failure as a rejected promise): one resolving function kept per execution, not two. */
  private resolveDone!: (r: ExecutionResult | Promise<never>) => void;
  readonly done: Promise<ExecutionResult>;

  /** What few executions use, apart (see JournalExtras); made when one of them is first set. */
  private extras: JournalExtras | undefined = undefined;
  private get mocks(): MockTestCase | undefined { return this.extras?.mocks; }
  private get mayAppend(): (() => boolean) | undefined { return this.extras?.mayAppend; }
  private get subject(): Subject<HistoryEvent> | undefined { return this.extras?.subject; }
  private set subject(v: Subject<HistoryEvent> | undefined) { this.setExtra('subject', v); }
  private get eventsEnded(): boolean { return (this.flags & EVENTS_ENDED) !== 0; }
  private set eventsEnded(v: boolean) { this.setFlag(EVENTS_ENDED, v); }
  private get draining(): boolean { return (this.flags & DRAINING) !== 0; }
  private set draining(v: boolean) { this.setFlag(DRAINING, v); }
  private get flushRequested(): boolean { return (this.flags & FLUSH_REQUESTED) !== 0; }
  private set flushRequested(v: boolean) { this.setFlag(FLUSH_REQUESTED, v); }
  private get settled(): boolean { return (this.flags & SETTLED_ONCE) !== 0; }
  private set settled(v: boolean) { this.setFlag(SETTLED_ONCE, v); }
  private get rootEnded(): boolean { return (this.flags & ROOT_ENDED) !== 0; }
  private set rootEnded(v: boolean) { this.setFlag(ROOT_ENDED, v); }
  private get moreTasks(): Map<string, InFlightTask> | undefined { return this.extras?.moreTasks; }
  private set moreTasks(v: Map<string, InFlightTask> | undefined) { this.setExtra('moreTasks', v); }
  private get timersByRequest(): Map<string, () => void> | undefined { return this.extras?.timersByRequest; }
  private set timersByRequest(v: Map<string, () => void> | undefined) { this.setExtra('timersByRequest', v); }
  private get childRuns(): ChildRuns | undefined { return this.extras?.childRuns; }
  private set childRuns(v: ChildRuns | undefined) { this.setExtra('childRuns', v); }
  private get evaluations(): PendingEvaluations | undefined { return this.extras?.evaluations; }
  private set evaluations(v: PendingEvaluations | undefined) { this.setExtra('evaluations', v); }
  private get abandoned(): StepwiseError | undefined { return this.extras?.abandoned; }
  private set abandoned(v: StepwiseError | undefined) { this.setExtra('abandoned', v); }
  private get booting(): Promise<void> | undefined { return this.extras?.booting; }
  private set booting(v: Promise<void> | undefined) { this.setExtra('booting', v); }
  private get replay(): ReplayState | undefined { return this.extras?.replay; }
  private set replay(v: ReplayState | undefined) { this.setExtra('replay', v); }
  private get inputOverride(): { value: JsonValue } | undefined { return this.extras?.inputOverride; }
  private set inputOverride(v: { value: JsonValue } | undefined) { this.setExtra('inputOverride', v); }
  private get caughtUpState(): CaughtUpState | undefined { return this.extras?.caughtUpState; }
  private set caughtUpState(v: CaughtUpState | undefined) { this.setExtra('caughtUpState', v); }
  /** The id of the event from which a fork draws from its own seed; 0 (no event) when not a fork. */
  private get reseedAt(): number { return this.extras?.reseedAt ?? 0; }
  private extrasOf(): JournalExtras {
    return (this.extras ??= new JournalExtras());
  }
  private setFlag(flag: number, on: boolean): void {
    this.flags = on ? this.flags | flag : this.flags & ~flag;
  }

  /** Clearing a member of extras that were never made makes none. */
  private setExtra<K extends keyof JournalExtras>(key: K, value: JournalExtras[K]): void {
    if (value !== undefined || this.extras) this.extrasOf()[key] = value;
  }

  /**
   * The identity comes apart from the options: building one object of both with a spread costs
   * V8 (Node 20) about 2 µs per property after the spread, some 25 µs per execution.
   */
  constructor(identity: ExecutionIdentity, options: JournalEnvironment, run: JournalRun) {
    this.options = options;
    this.compiled = run.compiled;
    this.startInput = run.input;
    if (run.mocks !== undefined || run.mayAppend !== undefined || run.forkedAt !== undefined) {
      const extras = this.extrasOf();
      extras.mocks = run.mocks;
      extras.mayAppend = run.mayAppend;
      extras.reseedAt = run.forkedAt !== undefined ? run.forkedAt + 1 : 0;
    }
    this.history = typeof (options.store as Partial<LiveEventsStore>).liveEvents === 'function' ? null : [];
    this.identity = identity;
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  /**
   * True when a fork's edited input (fork's `input`) is still waiting for a state to enter: after
   * the execution has ended, no state was entered after the event it was forked from.
   */
  get inputOverridePending(): boolean {
    return this.inputOverride !== undefined;
  }

  /** Every event as it is appended. Completes when the execution ends. */
  get events$(): Observable<HistoryEvent> {
    if (!this.subject) {
      this.subject = new Subject<HistoryEvent>();
      if (this.eventsEnded) this.subject.complete();
    }
    return this.subject.asObservable();
  }

  /** Settles once a resumed execution has reproduced its recorded events and runs live. */
  get caughtUp(): Promise<void> {
    const state = this.caughtUpState;
    if (state === true) return Promise.resolve();
    if (state) return state.promise;
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    this.caughtUpState = { promise, resolve };
    return promise;
  }

  private endEvents(): void {
    this.eventsEnded = true;
    this.subject?.complete();
  }

  /** The events appended so far. */
  get events(): readonly HistoryEvent[] {
    return this.history ?? (this.options.store as EventStore & LiveEventsStore).liveEvents(this.identity.executionArn);
  }

  get result(): ExecutionResult | undefined {
    return this.finished;
  }

  /** When the execution started: its ExecutionStarted event's timestamp (0 before it is booted). */
  get startedAt(): number {
    return this.startDate ?? 0;
  }

  /**
   * Starts a new execution; `done` settles with its result. `holdFirstFlush`: its caller releases
   * the first flush (releaseHeldFlush) once it has done what must come first (listing it), for a
   * caller that hands nobody the journal and so has no subscriber to wait for. Returns whether the
   * flush is held: not when it comes later anyway, as it does without `holdFirstFlush` (a store
   * that appends asynchronously, activities still loading).
   */
  start(holdFirstFlush = false): boolean {
    const o = this.options;
    // Whether an activity exists is known before its task is scheduled (see
    // Services.activityMissing): the first execution of a runtime that may schedule one waits
    // for the activity definitions to load before it boots, with the start time of now.
    const loading = o.activities?.whenLoaded && usesActivities(this.compiled) ? o.activities.whenLoaded() : undefined;
    if (loading) {
      const startDate = o.clock.now();
      this.startDate = startDate;
      const release = o.clock instanceof VirtualClock ? o.clock.hold() : noop;
      this.booting = loading.then(() => {
        release();
        this.booting = undefined;
        if (!this.abandoned) this.startNow(startDate, false);
      });
      return false;
    }
    return this.startNow(o.clock.now(), holdFirstFlush);
  }

  /** Runs the first flush start(true) held back, now. */
  releaseHeldFlush(): void {
    ExecutionJournal.releaseFirstFlush(this);
  }

  private startNow(startDate: number, hold: boolean): boolean {
    this.seed = newSeed();
    this.stepNow = startDate;
    this.boot(this.startInput, this.stepNow);
    this.armExecutionTimeout();
    this.holdFlush(() => this.root.start());
    this.stepNow = undefined;
    return this.firstFlush(hold);
  }

  /**
   * Rebuilds the execution from its recorded events, then carries on live: the machine is run
   * again with every recorded answer (task results, timers, stops) fed back in order, nothing
   * is called or appended while it catches up, and whatever was still unanswered at the end
   * (a task in flight, a Wait) is carried out as if the process had never stopped.
   */
  resume(recorded: readonly HistoryEvent[], comparison: ReplayComparison = 'strict', inputOverride?: JsonValue): Promise<ExecutionResult> {
    if (inputOverride !== undefined) this.inputOverride = { value: inputOverride };
    this.replay = { recorded, cursor: 0, comparison, then: 'live', parked: [], startedIds: new Map(), now: 0 };
    this.revision = recorded.length;
    void this.bootRecorded(recorded).then(() => this.driveReplay()).catch((e) => this.fail(e));
    return this.done;
  }

  /** Re-runs the recorded events against this definition and reports the first divergence. */
  async verify(recorded: readonly HistoryEvent[], comparison: ReplayComparison = 'strict'): Promise<ReplayReport> {
    this.replay = { recorded, cursor: 0, comparison, then: 'stop', parked: [], startedIds: new Map(), now: 0 };
    await this.bootRecorded(recorded);
    await this.driveReplay();
    await this.flushing;
    const r = this.replay!;
    if (!r.divergence && r.cursor < recorded.length) {
      r.divergence = { eventId: recorded[r.cursor]!.id, expected: recorded[r.cursor]!, actual: null, reason: 'the definition produced no event here' };
    }
    stopExecutionActor(this.root);
    return { ok: !r.divergence, replayedEvents: r.cursor, divergence: r.divergence };
  }

  /** Where a redrive of this recorded (unsuccessful) execution would pick up, found by replaying it. */
  async redrivePointOf(recorded: readonly HistoryEvent[]): Promise<RedrivePoint> {
    // An Express execution is redriven only as a Map Run's child, and then starts over from its
    // first state with its input (DG:redrive-map-run): nothing of its run before is kept.
    if (this.identity.express) return { stateName: this.compiled.definition.StartAt, input: startedInput(recorded[0]!, this.startInput), variables: {} };
    const report = await this.verify(recorded, 'strict');
    if (!report.ok) throw new StepwiseError('InvalidArgument', describeDivergence(report.divergence!));
    const rt = this.root.getSnapshot().context as ScopeRuntime;
    const point = rt.redrivePoint();
    if (!point) throw new StepwiseError('InvalidArgument', 'The execution failed before entering any state: there is nothing to redrive.');
    return point;
  }

  /**
   * RedriveExecution (DG:redrive-executions): appends ExecutionRedriven to the same history and
   * continues from the state that failed, with the input and variables it had; a Map or
   * Parallel reruns only its unsuccessful iterations or branches.
   */
  redrive(recorded: readonly HistoryEvent[], point: RedrivePoint): Promise<ExecutionResult> {
    this.revision = recorded.length;
    this.stepNow = this.options.clock.now();
    this.bootRedrive(recorded, recorded.length, point);
    this.armExecutionTimeout();
    this.holdFlush(() => this.root.start());
    this.stepNow = undefined;
    this.firstFlush();
    return this.done;
  }

  /**
   * A redrive that picks up after the first `at` recorded events (they are in the store
   * already): the machine that continues from `point`, its ExecutionRedriven event next.
   */
  private bootRedrive(recorded: readonly HistoryEvent[], at: number, point: RedrivePoint): void {
    const first = recorded[0]!;
    const before = recorded.slice(0, at);
    this.history?.push(...before);
    this.nextEventId = at + 1;
    // Each redrive draws from a seed of its own, made from what it follows: its replays draw the
    // same. A fork's redrive of its own events starts from the fork's seed (see forkSeed).
    const seed = typeof first.seed === 'number' ? first.seed : 0;
    this.seed = (this.reseedAt > 0 && at + 1 >= this.reseedAt ? forkSeed(seed, this.identity.executionArn) : seed) + at;
    const redriveCount = before.filter((e) => e.type === 'ExecutionRedriven').length + 1;
    // Mocked answers go on counting across the execution: its redrive's first call of a state is the one after its last.
    this.mocks?.continueCounts?.(taskCallsIn(before));
    this.boot(startedInput(first, this.startInput), first.timestamp, { point, redriveCount, lastEventId: recorded[at - 1]!.id });
    // Its TimeoutSeconds (an Express execution's five minutes) count again from its ExecutionRedriven
    // (checked against AWS recordings: a redrive of an execution that timed out runs to its end):
    // see armExecutionTimeout.
  }

  /**
   * Boots the machine that replays a recorded history: from its ExecutionStarted, or, for a
   * history that was redriven, as its last redrive started. Where that redrive picked up is found
   * by replaying the events before it on a scratch journal (itself redriven, for a second
   * redrive); the events from its ExecutionRedriven on are then replayed here.
   */
  private async bootRecorded(recorded: readonly HistoryEvent[]): Promise<void> {
    let at = recorded.length - 1;
    while (at > 0 && recorded[at]!.type !== 'ExecutionRedriven') at--;
    if (at <= 0) {
      this.bootFromRecord(recorded);
      return;
    }
    const scratch = new ExecutionJournal(
      this.identity,
      {
        store: createMemoryEventStore(), clock: this.options.clock, limits: replayLimits(this.options.limits), children: this.options.children,
        // For an ItemReader's read the execution did not remember (see remembered and invoke).
        handlers: this.options.handlers, services: this.options.services, rememberedIn: this.options.rememberedIn ?? this.options.store,
      },
      { compiled: this.compiled, input: this.startInput, forkedAt: this.reseedAt > 0 ? this.reseedAt - 1 : undefined, mocks: this.mocks },
    );
    const point = await scratch.redrivePointOf(recorded.slice(0, at));
    const r = this.replay!;
    r.cursor = at;
    r.now = recorded[at]!.timestamp;
    this.bootRedrive(recorded, at, point);
    this.holdFlush(() => this.root.start());
    this.firstFlush();
  }

  private bootFromRecord(recorded: readonly HistoryEvent[]): void {
    const first = recorded[0];
    if (!first || first.type !== 'ExecutionStarted') throw new StepwiseError('InvalidArgument', 'A history must begin with ExecutionStarted.');
    this.seed = typeof first.seed === 'number' ? first.seed : 0;
    this.replay!.now = first.timestamp;
    this.boot(startedInput(first, this.startInput), first.timestamp);
    this.holdFlush(() => this.root.start());
    this.firstFlush();
  }

  private boot(input: JsonValue, startDate: number, redrive?: { point: RedrivePoint; redriveCount: number; lastEventId: number }): void {
    const o = this.options;
    const who = this.identity;
    this.startDate = startDate;
    const services = (this.services = new ExecutionJournal.Services(this, this.seed));
    let source = 0;
    if (redrive) {
      const frame = new HistoryFrame(redrive.lastEventId);
      const eventId = this.record(frame, 'ExecutionRedriven', { redriveCount: redrive.redriveCount });
      source = frame.source;
      this.extrasOf().redriven = { count: redrive.redriveCount, time: this.now(), eventId };
    }
    if (input !== this.startInput) this.extrasOf().bootInput = input;
    // The root scope is the top level's thread of the history: ExecutionStarted is recorded on it.
    const rt = new ScopeRuntime({
      services, scope: this.compiled, input, source, role: ROOT_ROLE,
      queryLanguage: (this.compiled.definition as { QueryLanguage?: 'JSONPath' | 'JSONata' }).QueryLanguage,
      redrive: redrive?.point,
    });
    if (!redrive) this.recordStarted(rt.frame, new ExecutionStartedDetails(input, who.roleArn));
    this.root = createActor(redrive ? redriveMachineOf(this.compiled) : this.compiled.machine, { input: rt, parent: actorHost() });
    this.rootEnded = false;
  }

  /**
   * What the actors of one execution share. A class, not an object of closures: every
   * execution has one, and parked executions are kept by the thousand. It is the execution's
   * random generator too (sfc32's four integers, where a generator of its own cost 24 bytes
   * more per execution), seeded at boot.
   */
  private static readonly Services = class JournalServices extends Sfc32 implements ExecutionServices {
    private context: { Execution: JsonValue; StateMachine: JsonValue } | undefined = undefined;
    private readonly journal: ExecutionJournal;

    constructor(journal: ExecutionJournal, seed: number) {
      super(seed);
      this.journal = journal;
    }

    // The boot's input and redrive live with the journal's rarely set fields: few executions are redriven or resumed.
    private get redriven(): RedriveMark | undefined {
      return this.journal.extras?.redriven;
    }

    get redrivenEventId(): number {
      return this.redriven?.eventId ?? 0;
    }

    get randomSource(): ExecutionRandom {
      return this;
    }

    get limits(): ExecutionLimits {
      return this.journal.options.limits;
    }

    get region(): string {
      return this.journal.identity.region;
    }

    /** Built when a state first reads `$$`: most executions never do, and a parked one would keep it. */
    get executionContext(): { Execution: JsonValue; StateMachine: JsonValue } {
      if (!this.context) {
        const j = this.journal;
        const who = j.identity;
        this.context = {
          Execution: { Id: who.executionArn, Input: j.extras?.bootInput !== undefined ? j.extras.bootInput : j.startInput, StartTime: new Date(j.startedAt).toISOString(), Name: who.name, RoleArn: who.roleArn, ...redriveContext(this.redriven) },
          StateMachine: { Id: who.stateMachineArn, Name: who.stateMachineName },
        };
      }
      return this.context;
    }

    record(frame: HistoryFrame, type: HistoryEventType, details?: EventDetails, updateSource?: boolean): number {
      return this.journal.record(frame, type, details, updateSource);
    }

    command(c: Command): void {
      const j = this.journal;
      if (c.kind === 'evaluate' && !j.replay) j.pendingEvaluations().unsettled++;
      // Counted as the commands are made, in a replay too: a resumed or forked execution
      // numbers its next call as the first run did.
      else if (c.kind === 'task' && j.mocks?.nextInvocation) c.invocation = j.mocks.nextInvocation(c.stateName);
      j.commands = appended(j.commands, c);
    }

    now(): number {
      return this.journal.now();
    }

    newId(): string {
      return this.id();
    }

    historyFull(): boolean {
      const j = this.journal;
      const r = j.replay;
      // A replay stops where the recorded run did: at its recorded end, whatever this runtime's limit.
      if (r && r.cursor < r.recorded.length) return isHistoryLimitFailure(r.recorded[r.cursor]);
      return j.nextEventId - 1 > j.options.limits.historyEvents;
    }

    takeInputOverride(): JsonValue | undefined {
      const j = this.journal;
      const r = j.replay;
      if (!j.inputOverride || (r && r.cursor < r.recorded.length)) return undefined;
      const { value } = j.inputOverride;
      j.inputOverride = undefined;
      return value;
    }

    activityMissing(resource: string, stateName: string): boolean {
      const j = this.journal;
      const r = j.replay;
      // A replay reproduces what was recorded: the task was scheduled if its event comes next.
      if (r && r.cursor < r.recorded.length) return r.recorded[r.cursor]!.type !== 'ActivityScheduled';
      const activities = j.options.activities;
      return !!activities?.knownMissing && j.waitsForWorker({ resource, stateName }) && activities.knownMissing(resource);
    }

    async remembered(key: string, work: () => Promise<JsonValue>): Promise<JsonValue> {
      const j = this.journal;
      const o = j.options;
      const stream = rememberedStreamOf(j.identity.executionArn);
      const known = rememberedValues(await (o.rememberedIn ?? o.store).read(stream)).get(key);
      if (known !== undefined) return known;
      const value = await work();
      // Kept before the value is acted on, as a history event is (write-ahead).
      const count = (await o.store.read(stream)).length;
      await o.store.append(stream, [rememberedEvent(count + 1, key, value, j.now())], { expectedRevision: 'any' });
      return value;
    }

    async invoke(resource: string, itemInput: JsonValue, stateName: string, effect: 'read' | 'write' = 'read'): Promise<JsonValue> {
      // A replay that only compares (runtime.replay, finding a redrive's starting point) writes
      // nothing; it reads only what an ItemReader read that the execution did not remember.
      if (effect === 'write' && this.journal.replay?.then === 'stop') return {};
      const o = this.journal.options;
      const outcome = await runTask(
        { resource, stateName, input: itemInput, taskToken: '', idempotencyKey: `${this.journal.identity.executionArn}#${stateName}#reader`, executionArn: this.journal.identity.executionArn, attempt: 0, signal: new AbortController().signal, heartbeat: () => {} },
        o.handlers, this.journal.mocks, o.services,
      );
      if (outcome.kind === 'succeeded') return outcome.output;
      throw new AslError(StatesErrors.ItemReaderFailed, outcome.kind === 'callback' ? 'The ItemReader resource did not return items.' : (outcome.cause ?? outcome.error));
    }
  };

  /**
   * What a task's handler is given. A class: an object literal with a getter is a slow
   * dictionary object in V8, and one is made for every task. The data are own fields (a
   * spread or JSON.stringify keeps them); the journal and the task stay in private fields.
   */
  private static readonly HandlerRequest = class HandlerRequest implements TaskRequest {
    readonly resource: string;
    readonly stateName: string;
    readonly input: JsonValue;
    readonly taskToken: string;
    readonly idempotencyKey: string;
    readonly executionArn: string;
    readonly attempt: number;
    readonly invocation: number | undefined;
    readonly #journal: ExecutionJournal;
    readonly #task: InFlightTask;

    constructor(journal: ExecutionJournal, task: InFlightTask, c: Extract<Command, { kind: 'task' }>) {
      this.resource = c.resource;
      this.stateName = c.stateName;
      this.input = c.input;
      this.taskToken = c.token;
      this.executionArn = journal.identity.executionArn;
      this.idempotencyKey = `${this.executionArn}#${c.requestId}`;
      this.attempt = c.attempt;
      this.invocation = c.invocation;
      this.#journal = journal;
      this.#task = task;
    }

    /** Made when a handler first reads it: most never do, and each costs an EventTarget. */
    get signal(): AbortSignal {
      const task = this.#task;
      if (!task.abort) {
        task.abort = new AbortController();
        if (task.aborted) task.abort.abort();
      }
      return task.abort.signal;
    }

    heartbeat(): void {
      const journal = this.#journal;
      if (journal.taskFor(this.taskToken) === this.#task) journal.armHeartbeat(this.#task);
    }

    releaseClock(): void {
      this.#task.releaseClock();
    }
  };

  /** One reading of the clock per delivered input, so every event and deadline of a step agrees. */
  private now(): number {
    if (this.replay) return this.replay.now;
    return this.stepNow ?? this.options.clock.now();
  }

  private timers(): Map<string, () => void> {
    return (this.timersByRequest ??= new Map());
  }

  private armExecutionTimeout(): void {
    // The state machine's TimeoutSeconds, read from the definition the scope was compiled from.
    const own = (this.compiled.definition as { TimeoutSeconds?: number }).TimeoutSeconds;
    // An Express execution runs for at most five minutes, whatever its TimeoutSeconds.
    const timeoutSeconds = this.identity.express ? Math.min(own ?? Infinity, this.options.limits.expressSeconds) : own;
    if (timeoutSeconds === undefined || timeoutSeconds === Infinity) return;
    const cancel = this.options.clock.schedule((this.extras?.redriven?.time ?? this.startDate) + timeoutSeconds * 1000, () => this.timeOut());
    this.timers().set('#execution-timeout', cancel);
  }

  /** Feeds recorded answers to the actors until the recorded events are all reproduced. */
  private async driveReplay(): Promise<void> {
    await this.flushing;
    for (;;) {
      const r = this.replay;
      if (!r || r.divergence || this.finished || this.abandoned) return;
      // Pure evaluations (JSONata) are recomputed, not recorded: run them before matching.
      const evaluation = r.parked.findIndex((c) => c.kind === 'evaluate');
      if (evaluation >= 0) {
        if (this.feedAheadOfEvaluations(r)) {
          await this.flushing;
          continue;
        }
        const c = r.parked.splice(evaluation, 1)[0] as Extract<Command, { kind: 'evaluate' }>;
        const settled = await c.work().then((value) => ({ ok: true, value }), (value) => ({ ok: false, value }));
        this.deliver(c.actor, { type: 'evaluated', requestId: c.requestId, ...settled });
        await this.flushing;
        continue;
      }
      if (r.cursor >= r.recorded.length) {
        if (r.then === 'live') this.goLive();
        return;
      }
      const next = r.recorded[r.cursor]!;
      r.now = next.timestamp;
      if (!this.feedRecordedInput(r, next)) {
        // A Distributed Map's children are executions of their own: their results come from
        // them (found in the store after a crash, or driven to their end), not from this
        // history, which records nothing of them until the Map Run ends. They are taken only
        // when the history needs them: inputs of other branches recorded meanwhile come first.
        const child = r.parked.findIndex((c) => c.kind === 'child');
        if (child >= 0) {
          const c = r.parked.splice(child, 1)[0] as Extract<Command, { kind: 'child' }>;
          const run = this.runChild(c, r.then !== 'live');
          await run?.done.catch(noop);
          await this.flushing;
          continue;
        }
        r.divergence = { eventId: next.id, expected: next, actual: null, reason: 'nothing the definition is waiting for produces this event' };
        if (r.then === 'live') this.fail(new StepwiseError('InvalidArgument', describeDivergence(r.divergence)));
        return;
      }
      await this.flushing;
    }
  }

  /**
   * Feeds the next recorded event ahead of the evaluations parked when it is an input that a
   * live run does not hold back while an evaluation is pending (see afterEvaluations): a stop and
   * the execution's timeout end it at once, as on AWS, and a worker that takes an activity task
   * is answered at once. Their events come before whatever the evaluations' results recorded;
   * run first, the evaluations recorded theirs in its place. An evaluation that recorded nothing
   * before such an event loses nothing by running after it: a stop or timeout ends the
   * execution, and ActivityStarted changes no state of the machine.
   */
  private feedAheadOfEvaluations(r: ReplayState): boolean {
    const next = r.recorded[r.cursor];
    if (next === undefined || (next.type !== 'ExecutionAborted' && next.type !== 'ExecutionTimedOut' && next.type !== 'ActivityStarted')) return false;
    const now = r.now;
    r.now = next.timestamp;
    if (this.feedRecordedInput(r, next)) return true;
    // Its task is not scheduled yet (an evaluation's result schedules it): the evaluations come first.
    r.now = now;
    return false;
  }

  private feedRecordedInput(r: ReplayState, next: HistoryEvent): boolean {
    const input = recordedInputOf(next);
    const take = (predicate: (c: Command) => boolean) => {
      const i = r.parked.findIndex(predicate);
      return i < 0 ? undefined : r.parked.splice(i, 1)[0];
    };
    switch (input.kind) {
      case 'task.started': {
        const c = r.parked.find((p) => p.kind === 'task' && p.scheduledEventId === next.previousEventId) as Extract<Command, { kind: 'task' }> | undefined;
        if (!c) return false;
        r.startedIds.set(c.requestId, next.id);
        this.announceStarted(c, input.workerName);
        return true;
      }
      case 'task.submitted': {
        // Follows its TaskStarted; the task's answer then follows it.
        const c = r.parked.find((p) => p.kind === 'task' && r.startedIds.get(p.requestId) === next.previousEventId) as Extract<Command, { kind: 'task' }> | undefined;
        if (!c) return false;
        r.startedIds.set(c.requestId, next.id);
        this.announceSubmitted(undefined, c.actor, c.submitted, input.output as JsonValue);
        return true;
      }
      case 'task.succeeded':
      case 'task.failed':
      case 'task.timedOut': {
        // An answer follows its Started event, or, for a task that never started (an activity
        // that timed out in its queue or could not be scheduled), its Scheduled event.
        const c = take((p) => p.kind === 'task' && (r.startedIds.get(p.requestId) === next.previousEventId || (!r.startedIds.has(p.requestId) && p.scheduledEventId === next.previousEventId))) as Extract<Command, { kind: 'task' }> | undefined;
        if (!c) return false;
        const event: ActorInput = input.kind === 'task.succeeded'
          ? { type: 'task.succeeded', requestId: c.requestId, output: input.output as JsonValue }
          : input.kind === 'task.failed' && input.phase === 'schedule'
            ? { type: 'task.failed', requestId: c.requestId, error: input.error, cause: input.cause, phase: 'schedule' }
            : { type: input.kind, requestId: c.requestId, error: input.error, cause: input.cause };
        this.deliver(c.actor, event);
        return true;
      }
      case 'execution.timedOut':
        this.endAbnormally('TIMED_OUT', 'ExecutionTimedOut', input.error, input.cause);
        return true;
      case 'execution.aborted':
        this.endAbnormally('ABORTED', 'ExecutionAborted', input.error, input.cause);
        return true;
      case 'execution.deleted':
        this.endDeleted();
        return true;
      case 'execution.historyLimit':
        // Numbered as the recorded run numbered it, after the events its last step dropped.
        if (this.finished) return false;
        this.nextEventId = next.id;
        this.endAbnormally('FAILED', 'ExecutionFailed', input.error, input.cause);
        return true;
      default: {
        const c = take((p) => p.kind === 'timer' && p.anchor === next.previousEventId) as Extract<Command, { kind: 'timer' }> | undefined;
        if (!c) return false;
        this.deliver(c.actor, { type: 'timer.fired', requestId: c.requestId });
        return true;
      }
    }
  }

  /** The recorded events are all reproduced: what was left unanswered is carried out now. */
  private goLive(): void {
    const r = this.replay!;
    this.replay = undefined;
    const waiting = this.caughtUpState;
    this.caughtUpState = true;
    if (waiting && waiting !== true) waiting.resolve();
    this.armExecutionTimeout();
    for (const c of r.parked) if (c.kind === 'evaluate') this.pendingEvaluations().unsettled++;
    for (const c of r.parked) {
      // A task recorded as started but never answered was in flight when the process died:
      // it is called again (at-least-once), without a second TaskStarted event.
      if (c.kind === 'task' && r.startedIds.has(c.requestId)) this.execute(c, false);
      else this.execute(c);
    }
    this.enqueueFlush();
  }

  /**
   * StopExecution: ABORTED, every child actor stopped. At once, as on AWS, even while an
   * evaluation is pending (its result is then dropped): a replay feeds the ExecutionAborted
   * ahead of the evaluations parked (see feedAheadOfEvaluations).
   */
  stop(error?: string, cause?: string): void {
    if (this.booting) {
      void this.booting.then(() => this.stop(error, cause));
      return;
    }
    if (this.finished || this.endRecorded()) return;
    this.endAbnormally('ABORTED', 'ExecutionAborted', error, cause);
  }

  /**
   * The machine reached its end, whose event is being appended (the execution completes once it
   * is): a stop or a timeout that comes meanwhile is too late, and would record a second end.
   */
  private endRecorded(): boolean {
    return this.root?.getSnapshot().status === 'done';
  }

  /**
   * UpdateMapRun: hands new settings to the Distributed Map running that Map Run (the actor
   * whose children are in flight). Not recorded, as on AWS: a resumed execution runs the Map
   * Run on with the settings it started with. False when no child of it is running here.
   */
  updateMapRun(mapRunArn: string, update: MapRunUpdate): boolean {
    if (this.finished || this.replay) return false;
    for (const { command } of this.childRuns?.values() ?? []) {
      if (command.child.mapRunArn !== mapRunArn) continue;
      this.deliver(command.actor, { type: 'evaluated', requestId: mapRunUpdateId(mapRunArn), ok: true, value: update });
      return true;
    }
    return false;
  }

  sendTaskSuccess(token: string, output: JsonValue): void {
    const task = this.taskByToken(token);
    this.settleTask(task, { kind: 'succeeded', output });
  }

  sendTaskFailure(token: string, error?: string, cause?: string): void {
    const task = this.taskByToken(token);
    this.settleTask(task, { kind: 'failed', error: error ?? '', cause });
  }

  sendTaskHeartbeat(token: string): void {
    const task = this.taskByToken(token);
    this.armHeartbeat(task);
  }

  hasTask(token: string): boolean {
    return this.taskFor(token) !== undefined;
  }

  private taskFor(token: string): InFlightTask | undefined {
    const task = this.task;
    return task !== undefined && task.requestId === token ? task : this.moreTasks?.get(token);
  }

  private addTask(task: InFlightTask, tokenGoesOutside: boolean): void {
    if (this.task === undefined) this.task = task;
    else (this.moreTasks ??= new Map()).set(task.requestId, task);
    if (tokenGoesOutside) this.options.tokenOwners?.set(task.requestId, this);
  }

  private removeTask(task: InFlightTask): void {
    if (this.task === task) this.task = undefined;
    else this.moreTasks?.delete(task.requestId);
    this.forgetToken(task.requestId);
  }

  /** Every task in flight, now no longer tracked. */
  private takeAllTasks(): InFlightTask[] {
    const all: InFlightTask[] = this.task ? [this.task] : [];
    if (this.moreTasks) for (const task of this.moreTasks.values()) all.push(task);
    this.task = undefined;
    this.moreTasks = undefined;
    for (let i = 0; i < all.length; i++) this.forgetToken(all[i]!.requestId);
    return all;
  }

  private forgetToken(token: string): void {
    const owners = this.options.tokenOwners;
    // Nothing to look up while no token is out (tasks answered by handlers, the usual case).
    if (owners !== undefined && owners.size !== 0) owners.delete(token);
  }

  private taskByToken(token: string): InFlightTask {
    const task = this.taskFor(token);
    if (!task) throw noOpenTaskError(token);
    return task;
  }

  private record(frame: HistoryFrame, type: HistoryEventType, details?: EventDetails, updateSource = true): number {
    return this.add(frame, createHistoryEvent(this.nextEventId++, frame.source, this.now(), type, details), updateSource);
  }

  /** ExecutionStarted, which also carries the execution's random seed (replays draw from it). */
  private recordStarted(frame: HistoryFrame, details: EventDetails): number {
    return this.add(frame, createStartedEvent(this.nextEventId++, frame.source, this.now(), details, this.seed), false);
  }

  /** A new event: pending until the next append, or, while replaying, checked against the recorded one. */
  private add(frame: HistoryFrame, event: HistoryEvent, updateSource: boolean): number {
    const id = event.id;
    if (id === this.reseedAt) this.services.reseed(forkSeed(this.seed, this.identity.executionArn));
    frame.lastPublished = id;
    if (updateSource) frame.source = id;
    const r = this.replay;
    if (r && r.cursor < r.recorded.length) {
      const expected = r.recorded[r.cursor]!;
      const difference = compareEvents(expected, event, r.comparison);
      // The recorded run dropped what its last step recorded past the history limit.
      if (difference && isHistoryLimitFailure(expected)) return id;
      if (difference && !r.divergence) r.divergence = { eventId: expected.id, expected, actual: event, reason: difference };
      if (r.divergence) throw new ReplayDiverged(r.divergence);
      r.cursor++;
      this.history?.push(expected);
      return id;
    }
    this.pending = appended(this.pending, event);
    return id;
  }

  /**
   * Appends what the actors recorded, then carries out their commands; `after` runs once that
   * is done. A store that appends synchronously (the in-memory one) is flushed at once, in a
   * loop that also takes what the commands themselves deliver, so a step costs no promise
   * hops; any other store is flushed on a promise chain, one batch after the other.
   */
  private enqueueFlush(after?: () => void): void {
    if (!this.syncStore) {
      this.flushing = this.flushing.then(() => this.flush()).then(after).catch((e) => this.fail(e));
      return;
    }
    if (after) (this.afterFlush ??= []).push(after);
    this.flushRequested = true;
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.flushRequested) {
        this.flushRequested = false;
        const afters = this.afterFlush;
        this.afterFlush = undefined;
        this.flushSync();
        if (afters) for (let i = 0; i < afters.length; i++) afters[i]!();
      }
    } catch (e) {
      this.fail(e);
    } finally {
      this.draining = false;
    }
  }

  /**
   * Stops driving the execution without ending it: another process drives it from its stored
   * events (its lease passed on, or it appended first). Nothing more is appended or called
   * here; `done` rejects with `reason`.
   */
  abandon(reason: StepwiseError): void {
    if (this.finished || this.abandoned) return;
    this.abandoned = reason;
    for (const cancel of this.timersByRequest?.values() ?? []) cancel();
    this.timersByRequest?.clear();
    for (const task of this.takeAllTasks()) {
      abortTask(task);
      for (const cancel of task.cancelTimers) cancel();
      task.releaseClock();
    }
    this.pending = NOTHING;
    this.commands = NOTHING;
    if (this.root) stopExecutionActor(this.root);
    this.endEvents();
    this.fail(reason);
  }

  get abandonedBecause(): StepwiseError | undefined {
    return this.abandoned;
  }

  /** False (and the execution given up) once this runtime's lease on it has run out. */
  private mayStillAppend(): boolean {
    if (!this.mayAppend || this.mayAppend()) return true;
    this.abandon(new StepwiseError('ExecutionLeaseLost', `Stopped driving '${this.identity.executionArn}': this runtime's lease on it ran out.`));
    return false;
  }

  /** Someone else appended to this history: they drive it now, and ours would fork it. */
  private lostToAnotherWriter(err: unknown): boolean {
    if (!isWrongExpectedRevisionError(err)) return false;
    const arn = this.identity.executionArn;
    // Its very first append: the name was taken (by another process) after this one looked.
    this.abandon(this.revision === 0
      ? new StepwiseError('ExecutionAlreadyExists', `Execution already exists: '${arn}' (another process began its history first).`, err)
      : new StepwiseError('ExecutionLeaseLost', `Stopped driving '${arn}': another process appended to its history first.`, err));
    return true;
  }

  private async flush(): Promise<void> {
    const taken = this.take();
    if (!taken) return;
    if (taken.batch.length > 0) {
      // Virtual time waits for the append, as for any work in flight: a timer that jumped ahead
      // meanwhile (the execution's timeout) would fire before the commands of the step recorded.
      const clock = this.options.clock;
      const release = clock instanceof VirtualClock ? clock.hold() : noop;
      try {
        this.revision = await this.options.store.append(this.identity.executionArn, taken.batch, { expectedRevision: this.revision });
      } catch (err) {
        if (!this.lostToAnotherWriter(err)) throw err;
        return;
      } finally {
        release();
      }
    }
    this.carryOut(taken);
  }

  /**
   * The events recorded so far and the commands of the same steps. They are taken together:
   * a step that runs while this batch is being appended leaves its commands for the flush that
   * appends its own events, so no command ever runs before the events that announce it.
   */
  private take(): { batch: HistoryEvent[]; commands: Command[] } | undefined {
    if (this.abandoned) return undefined;
    // Nothing recorded or left to do (most flushes a step asks for): no fresh arrays for nothing.
    if (this.pending.length === 0 && this.commands.length === 0) return undefined;
    if (this.pending.length > 0 && !this.mayStillAppend()) return undefined;
    if (!this.finished && this.revision + this.pending.length > this.options.limits.historyEvents) this.failAtHistoryLimit();
    const taken = { batch: this.pending, commands: this.commands };
    this.pending = NOTHING;
    this.commands = NOTHING;
    return taken;
  }

  /** Publishes an appended batch, then carries out its commands. */
  private carryOut({ batch, commands }: { batch: HistoryEvent[]; commands: Command[] }): void {
    if (this.abandoned) return;
    if (batch.length > 0) this.published(batch);
    this.runCommands(commands);
  }

  /**
   * The first batch is flushed a microtask later, as it always was on the promise chain: the
   * caller of start() gets the journal back before anything is published, so a subscriber it
   * attaches at once sees every event from ExecutionStarted on.
   */
  private firstFlush(hold = false): boolean {
    if (!this.syncStore) {
      this.enqueueFlush();
      return false;
    }
    this.draining = true;
    if (hold) return true;
    // A promise reaction rather than queueMicrotask, which wraps each callback in an async
    // resource of its own (about half a microsecond per execution), and the journal handed to
    // a shared function rather than captured by a closure (it has no `then`, so it is no thenable).
    Promise.resolve(this).then(ExecutionJournal.releaseFirstFlush);
    return false;
  }

  private static readonly releaseFirstFlush = (j: ExecutionJournal): void => {
    j.draining = false;
    j.enqueueFlush();
  };

  /**
   * Runs an actor step with flushing held back: what the machine asks to flush while XState is
   * still processing (a completion, an error) is flushed once the step returns.
   */
  private holdFlush(step: () => void): void {
    if (this.draining) {
      step();
      this.noticeRootEnd();
      return;
    }
    this.draining = true;
    try {
      step();
      this.noticeRootEnd();
    } finally {
      this.draining = false;
    }
  }

  /**
   * After a step: whether it took the root actor to its final state, or failed it (a bug, or a
   * replay that diverged). Every input an execution's actors get (their start, an answer, a
   * timer, a child's end) comes in a step, so the journal looks here instead of being told by
   * the actor host: a listener per execution in the host's map cost each one an entry in a
   * table of thousands, written at its start and looked up at its end. Seen while flushing is
   * still held, so the end is carried out after what the step recorded, as before.
   */
  private noticeRootEnd(): void {
    const root = this.root;
    if (root === undefined || this.rootEnded) return;
    const status = root.getSnapshot().status;
    if (status === 'done') {
      this.rootEnded = true;
      this.enqueueFlush(() => this.complete(root.getSnapshot().output as ScopeOutcome));
    } else if (status === 'error') {
      this.rootEnded = true;
      this.enqueueFlush(() => this.crash(root.getSnapshot().error));
    }
  }

  private flushSync(): void {
    const taken = this.take();
    if (!taken) return;
    if (taken.batch.length > 0) {
      try {
        const store = this.syncStore!;
        this.revision = store.appendSync(this.identity.executionArn, taken.batch, { expectedRevision: this.revision }, this.streamHandle);
        this.streamHandle ??= store.streamHandle?.(this.identity.executionArn);
      } catch (err) {
        if (!this.lostToAnotherWriter(err)) throw err;
        return;
      }
    }
    this.carryOut(taken);
  }

  private published(batch: HistoryEvent[]): void {
    // Most journals keep no history of their own (the memory store has it) and have no subscriber.
    const history = this.history;
    const subject = this.subject;
    if (history === null && subject === undefined) return;
    for (let i = 0; i < batch.length; i++) {
      history?.push(batch[i]!);
      subject?.next(batch[i]!);
    }
  }

  /**
   * The events recorded would take the history past its limit: it keeps what fits before a
   * last event, ExecutionFailed, and the steps that recorded the rest are dropped with their
   * commands (a run of instant states records many events in one step, possibly the
   * execution's end: nothing may follow that).
   */
  private failAtHistoryLimit(): void {
    const limit = this.options.limits.historyEvents;
    if (this.pending !== NOTHING) this.pending.length = Math.max(limit - 1 - this.revision, 0);
    this.commands = NOTHING;
    this.nextEventId = this.revision + this.pending.length + 1;
    const { error, cause } = historyLimitFailure(limit);
    this.endAbnormally('FAILED', 'ExecutionFailed', error, cause);
  }

  private runCommands(commands: Command[]): void {
    if (this.replay) {
      this.replay.parked.push(...commands);
      return;
    }
    if (this.finished) return;
    for (let i = 0; i < commands.length; i++) this.execute(commands[i]!);
  }

  private deliver(actor: AnyActorRef, event: ActorInput): void {
    if (this.replay === undefined && ENDS_A_STATE.has(event.type) && this.stateMachineDeleted()) return this.endDeleted();
    this.inStep(actor, () => this.holdFlush(() => actor.send(event)));
  }

  /**
   * DeleteStateMachine (API:DeleteStateMachine): "On the next state transition, the state
   * machine's executions are terminated." Recorded against AWS, the answer or timer that would
   * move the execution on ends it instead, recording nothing of its own: a Wait's end records no
   * WaitStateExited, a task's answer (SendTaskSuccess accepted) no ActivitySucceeded. An Express
   * execution runs on ("Running executions may emit logs after DeleteStateMachine API is called").
   */
  private stateMachineDeleted(): boolean {
    return this.identity.express !== true && this.options.stateMachineDeleting?.(this.identity.stateMachineArn) === true;
  }

  /** Ends the execution as its state machine's deletion does; a replay where its history says so. */
  private endDeleted(): void {
    if (this.finished) return;
    const { error, cause } = deletionFailure(this.identity.stateMachineName);
    this.endAbnormally('FAILED', 'ExecutionFailed', error, cause);
  }

  /**
   * Records that a task was handed over. It changes no state of the machine (the Task waits
   * for its answer either way), so it is recorded straight on the task's scope rather than
   * sent to the actor as a step: one XState macrostep less per task.
   */
  private announceStarted(c: Extract<Command, { kind: 'task' }>, workerName?: string): void {
    this.recordOnTaskScope(c.actor, c.started, workerName);
  }

  /**
   * Records that a `.waitForTaskToken` send answered (TaskSubmitted), while its task is still
   * waiting for its token: like TaskStarted, an event straight on the task's scope.
   */
  private announceSubmitted(task: InFlightTask | undefined, actor: AnyActorRef, submitted: ((output: JsonValue) => void) | undefined, output: JsonValue): void {
    if (!submitted || (task !== undefined && this.taskFor(task.requestId) !== task)) return;
    this.recordOnTaskScope(actor, submitted, output);
  }

  /**
   * Records a task's event straight on its scope, in a step of its own (TaskStarted,
   * TaskSubmitted); `record` and its argument come apart so that a task's start makes no closure.
   */
  private recordOnTaskScope<T>(actor: AnyActorRef, record: (value: T) => void, value: T): void {
    this.inStep(actor, () => {
      try {
        record(value);
      } catch (err) {
        // What a failing actor step would have reported (see Services.error).
        if (!(err instanceof ReplayDiverged)) throw err;
        this.crash(err);
      }
    });
  }

  /** Runs one input for a live actor on one reading of the clock, then flushes what it recorded. */
  private inStep(actor: AnyActorRef, run: () => void): void {
    if (this.finished || this.abandoned || actor.getSnapshot().status !== 'active') return;
    this.stepNow = this.options.clock.now();
    try {
      run();
    } finally {
      this.stepNow = undefined;
    }
    this.enqueueFlush();
  }

  private execute(c: Command, announceStart = true): void {
    const clock = this.options.clock;
    if (c.kind === 'timer') {
      const cancel = clock.schedule(c.dueAt, () => {
        this.timersByRequest?.delete(c.requestId);
        if (this.evaluationsSettled()) this.deliver(c.actor, { type: 'timer.fired', requestId: c.requestId });
        else this.afterEvaluations(() => this.deliver(c.actor, { type: 'timer.fired', requestId: c.requestId }));
      });
      this.timers().set(c.requestId, cancel);
      return;
    }
    if (c.kind === 'evaluate') {
      const release = clock instanceof VirtualClock ? clock.hold() : () => {};
      const running: { c: typeof c; settled?: { ok: boolean; value: unknown } } = { c };
      this.pendingEvaluations().running.push(running);
      c.work().then(
        (value) => { release(); running.settled = { ok: true, value }; this.deliverEvaluations(); },
        (value) => { release(); running.settled = { ok: false, value }; this.deliverEvaluations(); },
      );
      return;
    }
    if (c.kind === 'cancel') {
      this.timersByRequest?.get(c.requestId)?.();
      this.timersByRequest?.delete(c.requestId);
      const child = this.childRuns?.get(c.requestId);
      if (child) {
        this.childRuns!.delete(c.requestId);
        child.run.stop();
      }
      return;
    }
    if (c.kind === 'child') {
      this.runChild(c, false);
      return;
    }
    // Tested first, so that the usual case (no JSONata pending) makes no closure per task.
    if (this.evaluationsSettled()) this.executeTask(c, announceStart);
    else this.afterEvaluations(() => this.executeTask(c, announceStart));
  }

  /** Made by the first evaluation asked for: executions without JSONata keep no field for it. */
  private pendingEvaluations(): PendingEvaluations {
    return (this.evaluations ??= { unsettled: 0, running: [], held: [] });
  }

  /** No evaluation pending and no input held back: a live input runs at once. */
  private evaluationsSettled(): boolean {
    const e = this.evaluations;
    return e === undefined || (e.unsettled === 0 && e.held.length === 0);
  }

  /**
   * Delivers settled evaluations in the order they were asked for (as a replay runs them),
   * then, once none is pending, the inputs held back meanwhile.
   */
  private deliverEvaluations(): void {
    const e = this.evaluations!;
    const running = e.running;
    while (running.length > 0 && running[0]!.settled) {
      const { c, settled } = running.shift()!;
      this.deliver(c.actor, { type: 'evaluated', requestId: c.requestId, ok: settled!.ok, value: settled!.value });
      e.unsettled--;
    }
    const held = e.held;
    // Each input may ask for evaluations of its own: the rest wait for those.
    while (held.length > 0 && e.unsettled === 0) held.shift()!();
  }

  /**
   * Runs a live input (a task handed over or answered, a timer that fired) now, or once no
   * evaluation is pending: a replay feeds recorded inputs only then, so an input recorded
   * while an evaluation was pending (two Map iterations' tasks answering while one's JSONata
   * Output is evaluated) made a history that its resume or replay diverged from.
   */
  private afterEvaluations(input: () => void): void {
    if (this.evaluationsSettled()) {
      input();
      return;
    }
    this.pendingEvaluations().held.push(() => {
      if (!this.finished && !this.abandoned) input();
    });
  }

  /**
   * Starts (or finds) a Distributed Map's child execution; its result comes back to the actor
   * as `evaluated`. No event of the parent announces it: AWS records none per child, and the
   * Map Run it belongs to (MapRunStarted) is recorded before any child starts.
   */
  private runChild(c: Extract<Command, { kind: 'child' }>, readOnly: boolean): ChildExecutionRun | undefined {
    const host = this.options.children;
    if (!host) {
      queueMicrotask(() => this.deliver(c.actor, { type: 'evaluated', requestId: c.requestId, ok: false, value: new AslError(StatesErrors.Runtime, 'This runtime cannot start child executions for a Distributed Map.') }));
      return undefined;
    }
    const mocks = this.mocks;
    const run = host.runMapChild({
      ...c.child, parentExecutionArn: this.identity.executionArn, roleArn: this.identity.roleArn,
      mockStateMachineName: mocks?.stateMachineName ?? this.identity.stateMachineName, testCase: mocks?.testCase,
    }, readOnly);
    (this.childRuns ??= new Map()).set(c.requestId, { run, command: c });
    const ended = (ok: boolean, value: unknown) => {
      if (this.childRuns?.get(c.requestId)?.run !== run) return;
      this.childRuns.delete(c.requestId);
      // An answer like a task's (see settleTask): it waits for pending evaluations, as a replay,
      // which takes children's results only after the evaluations parked, does.
      const input: ActorInput = { type: 'evaluated', requestId: c.requestId, ok, value };
      if (this.evaluationsSettled()) this.deliver(c.actor, input);
      else this.afterEvaluations(() => this.deliver(c.actor, input));
    };
    run.done.then((result) => ended(true, result), (err: unknown) => ended(false, err));
    return run;
  }

  /**
   * Apart from execute(): the closures made here outlive the call for as long as the task
   * runs, and V8 gives the closures of one function one shared scope, so they would keep the
   * command (and its own closure) alive too.
   */
  private executeTask(c: Extract<Command, { kind: 'task' }>, announceStart: boolean): void {
    const clock = this.options.clock;
    const task = new ExecutionJournal.Task(this, c, clock instanceof VirtualClock ? clock.hold() : noop);
    const waitsForWorker = this.waitsForWorker(c);
    this.addTask(task, waitsForWorker || c.resource.endsWith('.waitForTaskToken'));
    if (waitsForWorker) {
      // An activity task starts when a worker takes it, not when it is scheduled; its
      // TimeoutSeconds and HeartbeatSeconds are counted from then (recorded against AWS
      // (2026-09): a task with TimeoutSeconds 3 waited 5.1 s for a worker, then succeeded;
      // ActivityTimedOut came exactly TimeoutSeconds, or HeartbeatSeconds, after ActivityStarted).
      // A task a worker had already taken before a crash is not queued again: that worker may
      // still answer it with its token. Virtual time is held only until the task is queued: it
      // does not wait for workers outside the process.
      if (announceStart) this.queueActivity(c, task);
      else {
        task.releaseClock();
        this.armTimeout(task, c.timeoutSeconds);
        this.armHeartbeat(task);
      }
      return;
    }
    this.armTimeout(task, c.timeoutSeconds);
    this.armHeartbeat(task);
    if (announceStart) this.announceStarted(c);
    startTask(new ExecutionJournal.HandlerRequest(this, task, c), this.options.handlers, this.mocks, this.options.services, task);
  }

  /** A task in flight; told its outcome by the task runner. A class: the runner calls its method, with no closure per task. */
  private static readonly Task = class Task implements InFlightTask {
    readonly actor: AnyActorRef;
    readonly requestId: string;
    abort: AbortController | undefined = undefined;
    aborted = false;
    cancelTimers: readonly (() => void)[] = NO_TIMERS;
    watch: TaskWatch | undefined;
    readonly #journal: ExecutionJournal;
    /** The command's TaskSubmitted recorder (a .waitForTaskToken or .sync integration's only), not the command: a parked task keeps this alone. */
    readonly #submitted: ((output: JsonValue) => void) | undefined;

    constructor(journal: ExecutionJournal, c: Extract<Command, { kind: 'task' }>, readonly releaseClock: () => void) {
      this.#journal = journal;
      this.#submitted = c.submitted;
      this.actor = c.actor;
      this.requestId = c.requestId;
      this.watch = c.heartbeatSeconds !== undefined ? new TaskWatch(c.heartbeatSeconds, c.resource) : undefined;
    }

    /** A `.sync` job started (a child execution of `states:startExecution.sync`). */
    taskSubmitted(response: JsonValue): void {
      this.#journal.announceSubmitted(this, this.actor, this.#submitted, response);
    }

    taskOutcome(outcome: TaskOutcome): void {
      if (outcome.kind === 'callback') {
        if (outcome.submitted !== undefined) this.#journal.announceSubmitted(this, this.actor, this.#submitted, outcome.submitted);
        this.releaseClock();
      } else this.#journal.settleTask(this, outcome);
    }
  };

  /** An activity Task that no handler or mock answers goes to the activity's workers. */
  private waitsForWorker(c: { resource: string; stateName: string }): boolean {
    const o = this.options;
    return !!o.activities && parseResource(c.resource).kind === 'activity' && !o.handlers?.find(c.resource, c.stateName) && !this.mocks?.has(c.stateName);
  }

  private queueActivity(c: Extract<Command, { kind: 'task' }>, task: InFlightTask): void {
    this.options.activities!.dispatch({
      activityArn: c.resource, taskToken: c.token, input: c.input, executionArn: this.identity.executionArn,
      // Not held back while an evaluation is pending: the worker is answered now. A replay
      // feeds its ActivityStarted ahead of the evaluations (see feedAheadOfEvaluations).
      started: (workerName) => {
        if (this.taskFor(c.token) !== task || this.finished) return false;
        if (task.watch) task.watch.withdraw = undefined;
        this.armTimeout(task, c.timeoutSeconds);
        this.armHeartbeat(task);
        this.announceStarted(c, workerName);
        return true;
      },
    }).then(
      (withdraw) => {
        if (this.taskFor(c.token) === task) (task.watch ??= new TaskWatch(undefined, c.resource)).withdraw ??= withdraw;
        else withdraw();
        task.releaseClock();
      },
      (e: unknown) => {
        const error = isStepwiseError(e) ? e.code : StatesErrors.TaskFailed;
        task.releaseClock();
        if (this.taskFor(c.token) !== task) return;
        this.removeTask(task);
        for (const cancel of task.cancelTimers) cancel();
        // An answer like any other (see settleTask): it waits for pending evaluations.
        const failed: ActorInput = { type: 'task.failed', requestId: task.requestId, error, cause: e instanceof Error ? e.message : String(e), phase: 'schedule' };
        if (this.evaluationsSettled()) this.deliver(task.actor, failed);
        else this.afterEvaluations(() => this.deliver(task.actor, failed));
      },
    );
  }

  private armTimeout(task: InFlightTask, timeoutSeconds: number | undefined): void {
    if (timeoutSeconds === undefined) return;
    const clock = this.options.clock;
    task.cancelTimers = [clock.schedule(clock.now() + timeoutSeconds * 1000, () => this.settleTask(task, { kind: 'timedOut', error: StatesErrors.Timeout }))];
  }

  private armHeartbeat(task: InFlightTask): void {
    const watch = task.watch;
    if (watch?.heartbeatSeconds === undefined) return;
    const clock = this.options.clock;
    watch.heartbeatCancel?.();
    watch.heartbeatCancel = clock.schedule(clock.now() + watch.heartbeatSeconds * 1000, () =>
      this.settleTask(task, { kind: 'timedOut', error: watch.heartbeatError }),
    );
  }

  private settleTask(task: InFlightTask, outcome: Exclude<TaskOutcome, { kind: 'callback' }>): void {
    if (this.taskFor(task.requestId) !== task) return;
    this.removeTask(task);
    for (const cancel of task.cancelTimers) cancel();
    task.watch?.heartbeatCancel?.();
    task.releaseClock();
    task.watch?.withdraw?.();
    if (outcome.kind === 'timedOut') abortTask(task);
    const event: ActorInput =
      outcome.kind === 'succeeded' ? { type: 'task.succeeded', requestId: task.requestId, output: outcome.output }
      : outcome.kind === 'timedOut' ? { type: 'task.timedOut', requestId: task.requestId, error: outcome.error, cause: outcome.cause }
      : { type: 'task.failed', requestId: task.requestId, error: outcome.error, cause: outcome.cause };
    if (this.evaluationsSettled()) this.deliver(task.actor, event);
    else this.afterEvaluations(() => this.deliver(task.actor, event));
  }

  /** At once, even while an evaluation is pending, as stop() is. */
  private timeOut(): void {
    if (this.finished || this.endRecorded()) return;
    this.endAbnormally('TIMED_OUT', 'ExecutionTimedOut', StatesErrors.Timeout, undefined);
  }

  private endAbnormally(status: ExecutionResult['status'], type: HistoryEventType, error?: string, cause?: string): void {
    const details: EventDetails = {};
    if (error !== undefined) details.error = error;
    if (cause !== undefined) details.cause = cause;
    // AWS threads a stop and a timeout on no event (previousEventId 0, as measured against
    // AWS); a failure the runtime imposes follows the last event recorded.
    const frame = new HistoryFrame(status === 'ABORTED' || status === 'TIMED_OUT' ? 0 : this.nextEventId - 1);
    this.record(frame, type, details);
    const result: ExecutionResult = { executionArn: this.identity.executionArn, status, error, cause, startDate: this.startedAt, stopDate: this.options.clock.now() };
    this.finish(result);
    this.holdFlush(() => stopExecutionActor(this.root));
    this.enqueueFlush(() => {
      this.endEvents();
      this.settle(result);
    });
  }

  private complete(outcome: ScopeOutcome | undefined): void {
    // A stopped actor completes without an outcome: the stop already settled the execution.
    if (this.finished || outcome === undefined) return;
    const executionArn = this.identity.executionArn;
    const stopDate = this.options.clock.now();
    const result: ExecutionResult = outcome.status === 'SUCCEEDED'
      ? { executionArn, status: 'SUCCEEDED', output: outcome.output, startDate: this.startedAt, stopDate }
      : { executionArn, status: 'FAILED', error: outcome.error, cause: outcome.cause, startDate: this.startedAt, stopDate };
    this.finish(result);
    this.endEvents();
    this.settle(result);
  }

  private crash(err: unknown): void {
    if (this.finished) return;
    if (err instanceof ReplayDiverged) {
      if (this.replay?.then === 'live') this.fail(new StepwiseError('InvalidArgument', describeDivergence(err.divergence)));
      return;
    }
    const cause = `Stepwise internal error: ${err instanceof Error ? err.message : String(err)}`;
    this.endAbnormally('FAILED', 'ExecutionFailed', 'Stepwise.InternalError', cause);
  }

  /** Resolves `done` (once: a promise settles only once, and so is the runtime told). */
  private settle(result: ExecutionResult): void {
    if (this.settled) return;
    this.settled = true;
    this.options.onSettled?.(this, result);
    this.resolveDone(result);
  }

  private fail(err: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.options.onSettled?.(this, undefined);
    // Handled here, as the runtime's own callback once did: a caller that never awaits `done`
    // (it started the execution and watches the store) gets no unhandled rejection.
    this.done.catch(noop);
    this.resolveDone(Promise.reject(err));
  }

  private finish(result: ExecutionResult): void {
    this.finished = result;
    // Loops only over what there is: most executions end with no timer, child or task left, and
    // `?? []` made an empty array and its iterator for each.
    const timers = this.timersByRequest;
    if (timers !== undefined && timers.size > 0) {
      for (const cancel of timers.values()) cancel();
      timers.clear();
    }
    // Child executions still running end with their parent (AWS aborts them).
    const children = this.childRuns;
    this.childRuns = undefined;
    if (children !== undefined) for (const child of children.values()) child.run.stop();
    if (this.task === undefined && this.moreTasks === undefined) return;
    for (const task of this.takeAllTasks()) {
      abortTask(task);
      task.watch?.withdraw?.();
      for (const cancel of task.cancelTimers) cancel();
      task.releaseClock();
    }
  }
}

const noop = () => {};
const ROOT_ROLE = Object.freeze({ kind: 'root' as const });
/** Shared by every journal until its first flush on a store without a synchronous append. */
const SETTLED: Promise<void> = Promise.resolve();
/** Shared by the tasks without a timeout (nearly all): never pushed to, only replaced. */
const NO_TIMERS: readonly (() => void)[] = [];

function abortTask(task: InFlightTask): void {
  task.aborted = true;
  task.abort?.abort();
}

/** The inputs that end what a state waits for: the transition a deletion stops. */
const ENDS_A_STATE: ReadonlySet<string> = new Set(['task.succeeded', 'task.failed', 'task.timedOut', 'timer.fired']);

class ReplayDiverged extends Error {
  constructor(readonly divergence: Divergence) {
    super(describeDivergence(divergence));
  }
}

export function describeDivergence(d: Divergence): string {
  return `The history diverges at event ${d.eventId}: ${d.reason} (expected ${d.expected ? d.expected.type : 'nothing'}, the definition produced ${d.actual ? d.actual.type : 'nothing'}).`;
}

/** The input ExecutionStarted recorded (a JSON null stays null), or `otherwise` when it recorded none. */
function startedInput(started: HistoryEvent, otherwise: JsonValue): JsonValue {
  const input = (started.executionStartedEventDetails as { input?: JsonValue } | undefined)?.input;
  return input === undefined ? otherwise : input;
}

/** The redrive a run of an execution started from. */
interface RedriveMark {
  count: number;
  time: number;
  eventId: number;
}

/** `$$.Execution.RedriveCount`, and `RedriveTime` once redriven (as AWS shows them). */
function redriveContext(redriven: RedriveMark | undefined): { RedriveCount: number; RedriveTime?: string } {
  return redriven ? { RedriveCount: redriven.count, RedriveTime: new Date(redriven.time).toISOString() } : { RedriveCount: 0 };
}
