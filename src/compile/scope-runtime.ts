import type { AnyActorLogic, AnyActorRef, AnyStateMachine } from 'xstate';
import type { OwnedVariables } from './variable-ledger.js';
import type { Branch, QueryLanguage, State } from '../asl/definition.js';
import type { JsonataBindings } from '../asl/jsonata/evaluate-jsonata.js';
import { MAX_JSON_DEPTH, type JsonValue } from '../asl/json-value.js';
import type { PathContext } from '../asl/path-context.js';
import { AslError, isAslError } from '../errors/asl-error.js';
import { StatesErrors } from '../errors/error-names.js';
import type { EventDetails, HistoryEventType } from '../execution/history-event.js';
import { HistoryFrame } from '../execution/history-frame.js';
import type { ActorInput, ExecutionServices, MapChildRequest } from '../execution/execution-services.js';
import type { ExecutionResult } from '../execution/execution-journal.js';
import type { StatePlan } from './scope-steps.js';
import type { StepRequests } from './step-action.js';

/** How a scope (the top level, a Parallel branch or a Map iteration) ended. */
export type ScopeOutcome =
  | { status: 'SUCCEEDED'; output: JsonValue }
  | { status: 'FAILED'; error?: string; cause?: string };

/** Who started a scope, which decides the events at its edges. */
export type ScopeRole =
  | { kind: 'root' }
  | { kind: 'branch'; index: number }
  | { kind: 'iteration'; mapStateName: string; index: number; map?: FailingIterations };

/**
 * An inline Map's say over how its iterations' failures are recorded. A failure that fails the
 * Map is recorded by the Map (see failMap in map-state.ts): its MapIterationFailed in its place,
 * by index, among the iterations the Map aborts, as AWS records them.
 */
export interface FailingIterations {
  /** Whether the failure of iteration `index` fails the Map; if so the Map records its MapIterationFailed. */
  takesFailure(index: number): boolean;
}

export interface ScopeInput {
  services: ExecutionServices;
  scope: CompiledScope;
  input: JsonValue;
  /** The event the scope's thread of the history goes on from (see HistoryFrame). */
  source: number;
  role: ScopeRole;
  /** Context object entries inherited from the parent (`Map.Item`, `Task`). */
  contextExtras?: Record<string, JsonValue>;
  variables?: Record<string, JsonValue>;
  /** The state machine's top-level QueryLanguage, which nested states inherit. */
  queryLanguage?: QueryLanguage;
  /** Redrive: start at this state instead of StartAt, keeping what already succeeded. */
  redrive?: RedrivePoint;
}

/** Where a redriven execution picks up (DG:redrive-executions). */
export interface RedrivePoint {
  stateName: string;
  input: JsonValue;
  variables: Record<string, JsonValue>;
  /** Outputs of the Map iterations or Parallel branches that succeeded, by index: not run again. */
  succeeded?: Record<number, JsonValue>;
  /** A Distributed Map's Map Run that did not succeed: the redrive redrives it (DG:redrive-map-run). */
  mapRun?: RedrivenMapRun;
  /** How the state was entered before: a redrive picks that entry up rather than entering it again. */
  entered?: RedriveEntry;
  /**
   * Where each Parallel branch or inline Map iteration that failed or was stopped picks up, by
   * index; one that is in neither this nor `succeeded` starts from its StartAt.
   */
  children?: Record<number, RedrivePoint>;
}

/** A state's entry as a redrive picks it up (see pickUpState in scope-steps.ts). */
export interface RedriveEntry {
  eventId: number;
  /** The event before its *StateEntered. */
  previous: number;
  time: number;
  /** Its MapStateStarted or ParallelStateStarted, once recorded. */
  startedEventId?: number;
}

/** What a Parallel's or inline Map's work keeps of its children for a redrive (see redrivePoint). */
export interface ChildScopes {
  /** The branches or iterations running, by index. */
  inFlight: Map<number, ScopeRuntime>;
  /** Where each unsuccessful one picks up, taken when a failure stopped them. */
  stopped?: Record<number, RedrivePoint>;
}

/** Where a redrive picks each of these scopes up, by index: those that entered a state. */
export function redrivePointsOf(scopes: Map<number, ScopeRuntime>): Record<number, RedrivePoint> {
  const points: Record<number, RedrivePoint> = {};
  for (const [index, scope] of scopes) {
    // One that ended before its container read its outcome starts again from its StartAt.
    if (scope.outcome?.status === 'SUCCEEDED') continue;
    const point = scope.redrivePoint();
    if (point) points[index] = point;
  }
  return points;
}

/** States that wait (for a task, a timer, their own children) and so can be aborted. */
const ABORTABLE = new Set(['Task', 'Wait', 'Map', 'Parallel']);

/**
 * The `<Type>StateAborted` AWS records for the state a Parallel branch or inline Map iteration
 * is in when its container fails, if any. One still running is aborted in whatever state of
 * these it waits in. One that failed is aborted in the Task (or Wait) it failed in, which never
 * exits (recorded against AWS, 2026-09: TaskStateAborted after the task's own failure); a Map or
 * Parallel that failed recorded its *StateFailed, and a Fail state is terminal: neither is aborted.
 * A scope that ended before its container read its outcome is over, not aborted.
 */
function abortedEventOf(scope: ScopeRuntime | undefined): HistoryEventType | undefined {
  const type = scope?.active?.state.Type;
  if (type === undefined || !ABORTABLE.has(type)) return undefined;
  const outcome = scope!.outcome?.status;
  if (outcome === 'SUCCEEDED') return undefined;
  if (outcome === 'FAILED' && type !== 'Task' && type !== 'Wait') return undefined;
  return `${type}StateAborted` as HistoryEventType;
}

/** Records the abort of the state `scope` was in, if it is aborted (see abortedEventOf), on `frame`'s thread. */
export function recordAbortOf(rt: ScopeRuntime, frame: HistoryFrame, scope: ScopeRuntime | undefined): void {
  const aborted = abortedEventOf(scope);
  if (aborted) rt.services.record(frame, aborted, undefined, false);
}

/** What a redrive of a Map Run starts from. */
export interface RedrivenMapRun {
  mapRunArn: string;
  /** How many times it was redriven before. */
  redriveCount: number;
  /** By item index, the attempt each child execution has reached (0: its first run, n: its nth redrive). */
  childAttempts: Record<number, number>;
  /** With an ItemReader: the key its items are remembered under (see services.remembered). */
  readKey?: string;
}

/** A compiled state list: the machine plus what states need to spawn nested scopes. */
export interface CompiledScope {
  definition: Branch;
  machine: AnyStateMachine;
  /** How each state is entered, and whether it runs within the step that reaches it. */
  plans: Map<string, StatePlan>;
  /** Compiled nested scopes of Parallel branches and Map processors, by state name. */
  nested: Map<string, CompiledScope[]>;
  /**
   * Some chain of instant states (Pass, Choice, Succeed, Fail) leads back to where it started,
   * so one step could run them without end (see runInstantStates).
   */
  instantLoop?: boolean;
  /** The variant a redrive starts (see redriveMachineOf). */
  redriveMachine?: AnyStateMachine;
  /** What its Map iterations or Parallel branches are spawned with, by inherited query language (see childLogicOf). */
  childLogic?: Partial<Record<QueryLanguage, AnyActorLogic>>;
  /**
   * The context object `$$` this scope's states see in place of the execution's (TestState's
   * `context`, or the one AWS's TestState shows without it). An entry the engine adds for the
   * moment (`Task.Token`) is kept when the object has none of that name.
   */
  fixedContext?: Record<string, JsonValue>;
}

/**
 * A child actor the scope asks its machine to spawn. Its input is the child's runtime itself,
 * which the child machine's context holds: XState keeps an actor's input for the actor's life,
 * and a ScopeInput kept beside the runtime made from it cost every parked execution 80 bytes.
 */
export interface SpawnRequest {
  id: string;
  logic: AnyActorLogic;
  input: ScopeRuntime;
}

/** The state being executed and what it is waiting for. */
export interface ActiveState {
  name: string;
  state: State;
  enteredEventId: number;
  /** The cursor before the state was entered: AWS threads EvaluationFailed from it. */
  enteredPrevious: number;
  /** Set while a catcher's Output/Assign is evaluated: a failure there is not caught again. */
  catching?: boolean;
  enteredTime: number;
  /** Its MapStateStarted or ParallelStateStarted (of the latest attempt). */
  startedEventId: number | undefined;
  /** The ExecutionRedriven of the redrive that picked this entry up (see pickUpState), 0 for an entry of its own. */
  pickedUpAt: number;
  /** The raw input the state was entered with. */
  rawInput: JsonValue;
  /** Per-retrier attempt counts (made on the first retry). */
  retryCounts: number[] | undefined;
  /** `EnteredTime` as the context object shows it, formatted when first read. */
  enteredIso: string | undefined;
  retryCount: number;
  requestId?: string;
  /** Type-specific bookkeeping (Task, Map, Parallel). */
  work?: unknown;
}

export const END = '#end';
/** The request id of a scope's turn of the event loop (yieldTurn): one at a time per scope. */
const TURN_REQUEST = '#turn';
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

const NO_ENTRIES: Record<string, JsonValue> = Object.freeze({}) as Record<string, JsonValue>;

/** `base` with the entries of `more` it has no key for added after its own. */
function withMissing(base: Record<string, JsonValue>, more: Record<string, JsonValue>): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = { ...base };
  const keys = Object.keys(more);
  for (let i = 0; i < keys.length; i++) if (!(keys[i]! in base)) out[keys[i]!] = more[keys[i]!]!;
  return out;
}

type Continuations = Map<string, (rt: ScopeRuntime, value: unknown) => void>;

/**
 * The parts of a scope that few use: variables it assigned, children (a Map or Parallel state
 * running), a redrive, awaits. Apart, behind the scope's accessors, so that the others (a scope
 * waiting on a Task, each Map iteration and Parallel branch of Pass states) carry no field for
 * them: 5 fields, 40 bytes of each parked execution.
 */
class ScopeExtras {
  ownedVariables: OwnedVariables | undefined = undefined;
  childRequests: StepRequests<ScopeRuntime> | undefined = undefined;
  redrive: RedrivePoint | undefined = undefined;
  continuations: Continuations | undefined = undefined;
  childEpoch = 0;
}

/**
 * The mutable heart of one scope actor. The XState machine owns the lifecycle (which state
 * is active, which children run); this object holds the data that flows between states and
 * turns ASL rules (in `states/*.ts`) into recorded events and commands.
 */
export class ScopeRuntime extends HistoryFrame {
  readonly services: ExecutionServices;
  readonly scope: CompiledScope;
  readonly role: ScopeRole;
  readonly contextExtras: Record<string, JsonValue>;
  variables: Record<string, JsonValue>;
  self!: AnyActorRef;
  data: JsonValue;
  target: string | undefined;
  active: ActiveState | undefined;
  outcome: ScopeOutcome | undefined;
  readonly queryLanguage: QueryLanguage;
  /** What few scopes use, apart (see ScopeExtras); made when one of them is first set. */
  private extras: ScopeExtras | undefined = undefined;

  /** The variables this scope assigned itself, as the execution's total counts them (see variable-ledger.ts). */
  get ownedVariables(): OwnedVariables | undefined { return this.extras?.ownedVariables; }
  set ownedVariables(v: OwnedVariables | undefined) { this.setExtra('ownedVariables', v); }
  /** Children to stop and spawn once the current step's work is done (made when first needed; the step takes it). */
  get childRequests(): StepRequests<ScopeRuntime> | undefined { return this.extras?.childRequests; }
  set childRequests(v: StepRequests<ScopeRuntime> | undefined) { this.setExtra('childRequests', v); }
  /** Consumed by the first state entered after a redrive. */
  get redrive(): RedrivePoint | undefined { return this.extras?.redrive; }
  set redrive(v: RedrivePoint | undefined) { this.setExtra('redrive', v); }
  private get continuations(): Continuations | undefined { return this.extras?.continuations; }

  /** Clearing a member of extras that were never made makes none. */
  private setExtra<K extends keyof ScopeExtras>(key: K, value: ScopeExtras[K]): void {
    if (value !== undefined || this.extras) (this.extras ??= new ScopeExtras())[key] = value;
  }

  /**
   * A scope is one thread of its execution's history (the top level, a Parallel branch, a Map
   * iteration), so it is that thread's cursor itself: a frame object of its own cost every scope
   * 40 bytes more and each execution a third object.
   */
  get frame(): HistoryFrame {
    return this;
  }

  constructor(input: ScopeInput) {
    super(input.source);
    this.services = input.services;
    this.scope = input.scope;
    this.role = input.role;
    this.data = input.input;
    // Shared and frozen when absent: scopes never write into these (assignments replace them).
    this.contextExtras = input.contextExtras ?? NO_ENTRIES;
    this.variables = input.variables ?? NO_ENTRIES;
    this.queryLanguage = input.queryLanguage ?? 'JSONPath';
    if (input.redrive) {
      this.redrive = input.redrive;
      this.data = input.redrive.input;
      this.variables = { ...input.redrive.variables };
    }
  }

  /** Where a redrive picks up the Map or Parallel state it restarts: what it keeps, where its children go on (read once). */
  takeRedrivePoint(stateName: string): RedrivePoint | undefined {
    const r = this.redrive;
    if (!r || r.stateName !== stateName) return undefined;
    this.redrive = undefined;
    return r;
  }

  /** The Map Run a redrive of the Map state `stateName` redrives, if any (read, not taken: see takeRedrivePoint). */
  redrivenMapRun(stateName: string): RedrivenMapRun | undefined {
    const r = this.redrive;
    return r && r.stateName === stateName ? r.mapRun : undefined;
  }

  /** Where a redrive would pick this scope up: the state that failed, as it was entered. */
  redrivePoint(): RedrivePoint | undefined {
    const a = this.active;
    if (!a) return undefined;
    const work = a.work as (Partial<ChildScopes> & { kind?: string; outputs?: JsonValue[]; succeeded?: Uint8Array; redrivableRun?: RedrivenMapRun }) | undefined;
    let succeeded: Record<number, JsonValue> | undefined;
    let children: Record<number, RedrivePoint> | undefined;
    if (work && (work.kind === 'map' || work.kind === 'parallel') && work.succeeded) {
      succeeded = {};
      for (let i = 0; i < work.succeeded.length; i++) if (work.succeeded[i] === 1) succeeded[i] = work.outputs![i]!;
      // Stopped by a failure, or still running when the execution ended.
      children = work.stopped ?? (work.inFlight ? redrivePointsOf(work.inFlight) : undefined);
    }
    const mapRun = work?.kind === 'map' ? work.redrivableRun : undefined;
    const entered: RedriveEntry = { eventId: a.enteredEventId, previous: a.enteredPrevious, time: a.enteredTime };
    if (a.startedEventId !== undefined) entered.startedEventId = a.startedEventId;
    const point: RedrivePoint = { stateName: a.name, input: a.rawInput, variables: { ...this.variables }, succeeded, entered };
    if (children && Object.keys(children).length > 0) point.children = children;
    if (mapRun) point.mapRun = { ...mapRun, childAttempts: { ...mapRun.childAttempts } };
    return point;
  }

  /** The entry a redrive picks up when it reaches `stateName` (read once: a later visit enters it anew). */
  takeRedriveEntry(stateName: string): RedriveEntry | undefined {
    const r = this.redrive;
    if (!r?.entered || r.stateName !== stateName) return undefined;
    const { entered, ...rest } = r;
    this.redrive = rest;
    return entered;
  }

  /**
   * Whether the active state starts again with the MapStateStarted or ParallelStateStarted it
   * recorded before the redrive that picked it up (AWS records none again); a retry records its own.
   */
  startedBeforeRedrive(): boolean {
    const a = this.active!;
    return a.pickedUpAt > 0 && a.retryCount === 0 && a.startedEventId !== undefined;
  }

  /** Records the active state's MapStateStarted or ParallelStateStarted, unless it stands from before a redrive. */
  recordStarted(type: 'MapStateStarted' | 'ParallelStateStarted', details?: EventDetails): void {
    if (this.startedBeforeRedrive()) return;
    this.active!.startedEventId = this.record(type, details);
  }

  /** JSONata when the state says so or inherits it from the top level. */
  isJsonata(state: State): boolean {
    return (state.QueryLanguage ?? this.queryLanguage) === 'JSONata';
  }

  /** `$states` and the variables a JSONata expression of the active state sees. */
  jsonataBindings(states: { input: JsonValue; result?: JsonValue; errorOutput?: JsonValue }, extraContext?: Record<string, JsonValue>): JsonataBindings {
    // Spelled out rather than spread: `{ ...x, more }` is slow in V8 (see ExecutionJournal).
    const bound: { input: JsonValue; result?: JsonValue; errorOutput?: JsonValue; context?: JsonValue } = { input: states.input };
    if ('result' in states) bound.result = states.result;
    if ('errorOutput' in states) bound.errorOutput = states.errorOutput;
    bound.context = this.contextObject(extraContext);
    return { states: bound as JsonataBindings['states'], variables: this.variables };
  }

  /**
   * Continues with `then` once `work` settles. JSONata evaluates asynchronously while machine
   * actions are synchronous, so the value comes back to the actor as an event, like any other
   * answer from outside; a rejection is raised where `then` would have run.
   */
  await<T>(work: Promise<T> | (() => Promise<T>), then: (rt: ScopeRuntime, value: T) => void): void {
    const requestId = this.newRequestId();
    this.continuationsOf().set(requestId, then as (rt: ScopeRuntime, value: unknown) => void);
    // A promise already running is pure computation; a function is started only once the
    // events recorded so far are appended (it may reach outside, e.g. an ItemReader call).
    // Its rejection is only taken up once the command runs, after an append that may wait on
    // I/O: marked handled now, Node would otherwise end the process on it ("unhandled rejection").
    if (typeof work !== 'function') work.catch(ignoreRejection);
    const start = typeof work === 'function' ? work : () => work;
    this.services.command({ kind: 'evaluate', actor: this.self, requestId, work: start });
  }

  /**
   * Starts a Distributed Map's child execution (or finds the one an earlier run started); `then`
   * gets its result. The request id is the caller's, drawn from no random source, so adding a
   * child leaves the ids drawn after it as they were.
   */
  runChild(requestId: string, child: MapChildRequest, then: (rt: ScopeRuntime, result: ExecutionResult) => void): void {
    this.continuationsOf().set(requestId, then as (rt: ScopeRuntime, value: unknown) => void);
    this.services.command({ kind: 'child', actor: this.self, requestId, child });
  }

  /**
   * Lets the event loop turn, then has the step go on to `target`: a long run of instant states
   * (see runInstantStates) would otherwise keep timers, stops and other executions waiting.
   * Sent as an evaluation, so events recorded so far are appended first and a replay waits the
   * same way; its request id is a fixed one, not drawn (the ids drawn after it stay as before).
   */
  yieldTurn(target: string): void {
    this.continuationsOf().set(TURN_REQUEST, (rt: ScopeRuntime) => {
      rt.target = target;
    });
    this.services.command({ kind: 'evaluate', actor: this.self, requestId: TURN_REQUEST, work: nextTurn });
  }

  /** Waits for an input from outside (nothing is asked for): `then` runs when one comes for `requestId`. */
  listen<T>(requestId: string, then: (rt: ScopeRuntime, value: T) => void): void {
    this.continuationsOf().set(requestId, then as (rt: ScopeRuntime, value: unknown) => void);
  }

  /** Stops waiting for a request: a timer is disarmed, a child execution aborted. */
  cancel(requestId: string): void {
    this.continuations?.delete(requestId);
    this.services.command({ kind: 'cancel', requestId });
  }

  resume(requestId: string, ok: boolean, value: unknown): void {
    const then = this.continuations?.get(requestId);
    if (!then) return;
    this.continuations!.delete(requestId);
    if (!ok) throw value;
    then(this, value);
  }

  record(type: HistoryEventType, details?: EventDetails, updateSource = true): number {
    return this.services.record(this.frame, type, details, updateSource);
  }

  /** The context object `$$` as the active state sees it. */
  contextObject(extra?: Record<string, JsonValue>): JsonValue {
    const fixed = this.scope.fixedContext;
    if (fixed) return extra ? withMissing(fixed, extra) : fixed;
    const a = this.active;
    const ctx: Record<string, JsonValue> = {
      Execution: this.services.executionContext.Execution,
      StateMachine: this.services.executionContext.StateMachine,
    };
    if (a) {
      // Only states that can retry carry RetryCount (as recorded by AWS).
      const t = a.state.Type;
      ctx.State = t === 'Task' || t === 'Map' || t === 'Parallel'
        ? { Name: a.name, EnteredTime: (a.enteredIso ??= new Date(a.enteredTime).toISOString()), RetryCount: a.retryCount }
        : { Name: a.name, EnteredTime: (a.enteredIso ??= new Date(a.enteredTime).toISOString()) };
    }
    Object.assign(ctx, this.contextExtras);
    if (extra) Object.assign(ctx, extra);
    return ctx;
  }

  pathContext(input: JsonValue, extra?: Record<string, JsonValue>): PathContext {
    return new ScopePathContext(this, input, extra);
  }

  /** AWS prefixes errors the engine raises while running a state with where it happened. */
  stateErrorCause(message: string): string {
    const a = this.active!;
    return `An error occurred while executing the state '${a.name}' (entered at the event id #${a.enteredEventId}). ${message}`;
  }

  /** Converts anything thrown while evaluating a state into ASL error data. */
  toFailure(e: unknown): { error: string; cause: string } {
    if (isAslError(e)) return { error: e.error, cause: e.causeIsWhole ? (e.causeText ?? '') : this.stateErrorCause(e.causeText ?? '') };
    throw e;
  }

  /** Checks AWS's payload limit for a state's input/output. */
  checkPayload(value: JsonValue, what: string): void {
    if (exceedsPayloadLimit(value, this.services.limits.payloadBytes)) {
      // AWS words this one whole, without the state-and-event prefix of other runtime errors.
      throw new AslError(StatesErrors.DataLimitExceeded, `The state/task '${what}' returned a result with a size exceeding the maximum number of bytes service limit.`, true);
    }
  }

  private childRequestsOf(): StepRequests<ScopeRuntime> {
    // Both members from the start: every step's requests then have one shape.
    return (this.childRequests ??= { stops: undefined, spawns: undefined });
  }

  /** Made on the first await: most scopes (every Map iteration of JSONPath states) never await. */
  private continuationsOf(): Continuations {
    const extras = (this.extras ??= new ScopeExtras());
    return (extras.continuations ??= new Map());
  }

  spawn(request: SpawnRequest): void {
    (this.childRequestsOf().spawns ??= []).push(request);
  }

  stop(id: string): void {
    (this.childRequestsOf().stops ??= []).push(id);
  }

  newRequestId(): string {
    return this.services.newId();
  }

  /**
   * A small number, new for each run of children (a Map or Parallel attempt) in this scope.
   * Child actor ids are built from it rather than from random ids: XState copies its children
   * object on every spawn and stop, and keys that recur from one execution to the next let V8
   * reuse that object's shape instead of building new hidden classes for every execution.
   */
  nextChildEpoch(): number {
    const extras = (this.extras ??= new ScopeExtras());
    return extras.childEpoch++;
  }
}

/**
 * `$$` is built only when an expression reads it: most paths never do. A class rather than an
 * object literal with a getter: this is made for every path a state evaluates, and a literal's
 * getter costs a closure and a fresh shape each time.
 */
class ScopePathContext implements PathContext {
  readonly variables: Record<string, JsonValue>;
  readonly random: { random(): number; uuid(): string };
  private built: JsonValue | undefined;

  constructor(
    private readonly rt: ScopeRuntime,
    readonly input: JsonValue,
    private readonly extra: Record<string, JsonValue> | undefined,
  ) {
    this.variables = rt.variables;
    this.random = rt.services.randomSource;
  }

  get context(): JsonValue {
    return (this.built ??= this.rt.contextObject(this.extra));
  }
}

/** Whether a value's JSON text is longer than `limit` bytes; only payloads near it are serialised. */
export function exceedsPayloadLimit(value: JsonValue, limit: number): boolean {
  if (!Number.isFinite(limit)) return false;
  return jsonSizeBound(value, limit) > limit && jsonByteLength(value) > limit;
}

export function jsonByteLength(value: JsonValue): number {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    // JSON.stringify recurses: only a value nested thousands of levels deep exhausts the stack.
    if (e instanceof RangeError) throw new JsonTooDeepError();
    throw e;
  }
  return Buffer.byteLength(text ?? 'null', 'utf8');
}

/** A value nests deeper than {@link MAX_JSON_DEPTH}: it could not be stored. */
export class JsonTooDeepError extends AslError {
  constructor() {
    super(StatesErrors.Runtime, `The value nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep; Stepwise stores at most ${MAX_JSON_DEPTH} levels.`);
  }
}

/**
 * An upper bound of a value's JSON size in UTF-8 that stops counting once past `limit`:
 * small payloads (nearly all of them) are cleared without serialising them. Recursive (twice
 * as fast as an explicit stack on the small objects states pass around); very deep values
 * go on with the stack so that they cannot exhaust the call stack, and throw
 * JsonTooDeepError past MAX_JSON_DEPTH levels.
 */
export function jsonSizeBound(value: JsonValue, limit: number): number {
  return boundFrom(value, limit, 0, 0);
}

const MAX_RECURSION = 256;

function boundFrom(v: JsonValue, limit: number, total: number, depth: number): number {
  if (typeof v === 'string') return total + v.length * 6 + 2;
  if (typeof v === 'number') return total + 24;
  if (v === null || typeof v !== 'object') return total + 5;
  if (depth > MAX_RECURSION) return total + boundByStack(v, limit - total, depth);
  if (Array.isArray(v)) {
    total += 2 + v.length;
    for (let i = 0; i < v.length && total <= limit; i++) total = boundFrom(v[i]!, limit, total, depth + 1);
    return total;
  }
  total += 2;
  for (const key in v) {
    total = boundFrom(v[key]!, limit, total + key.length * 6 + 4, depth + 1);
    if (total > limit) return total;
  }
  return total;
}

function boundByStack(value: JsonValue, limit: number, startDepth: number): number {
  let total = 0;
  const stack: JsonValue[] = [value];
  const depths: number[] = [startDepth];
  while (stack.length > 0 && total <= limit) {
    const v = stack.pop()!;
    const depth = depths.pop()!;
    if (typeof v === 'string') total += v.length * 6 + 2;
    else if (typeof v === 'number') total += 24;
    else if (v === null || typeof v === 'boolean') total += 5;
    else {
      if (depth >= MAX_JSON_DEPTH) throw new JsonTooDeepError();
      if (Array.isArray(v)) {
        total += 2 + v.length;
        for (let i = 0; i < v.length; i++) {
          stack.push(v[i]!);
          depths.push(depth + 1);
        }
      } else {
        const keys = Object.keys(v);
        for (let i = 0; i < keys.length; i++) {
          total += keys[i]!.length * 6 + 4;
          stack.push(v[keys[i]!]!);
          depths.push(depth + 1);
        }
        total += 2;
      }
    }
  }
  return total;
}

export type ScopeEvent = ActorInput | { type: `xstate.done.actor.${string}`; output: ScopeOutcome } | { type: `xstate.error.actor.${string}`; error: unknown };

export { HistoryFrame };

/** The handler that marks an evaluation's rejection as taken: the command delivers it later. */
function ignoreRejection(): void {}
