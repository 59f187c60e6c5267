import type { Branch, State } from '../asl/definition.js';
import { VariableLimitError } from './variable-ledger.js';
import type { JsonValue } from '../asl/json-value.js';
import { FieldValueError, isAslError } from '../errors/asl-error.js';
import { StatesErrors } from '../errors/error-names.js';
import { HistoryFrame } from '../execution/history-frame.js';
import { IterationDetails, OutputDetails, StateEnteredDetails, stateEventType, type HistoryEventType } from '../execution/history-event.js';
import { END, type ActiveState, type RedriveEntry, type ScopeEvent, type ScopeRuntime } from './scope-runtime.js';
import type { StepRequests } from './step-action.js';
import { stateBehaviours, type StateBehaviour } from './state-behaviours.js';
import { handleFailure } from './states/handle-failure.js';
import { failScope } from './states/transitions.js';

/**
 * The ASL side of a scope's steps, shared by the two kinds of logic a scope runs as: the XState
 * machine (compile-scope.ts), for scopes that wait on the world, and the instant logic
 * (instant-scope.ts), for scopes that run to their end in one step.
 */

/** How each state of a scope is entered, worked out once per compiled definition. */
export interface StatePlan {
  state: State;
  behaviour: StateBehaviour;
  enteredType: HistoryEventType;
  /** Runs to its exit within the step that enters it: nothing outside the machine is awaited. */
  instant: boolean;
}

export const INSTANT_TYPES = new Set<State['Type']>(['Pass', 'Choice', 'Succeed', 'Fail']);

export function plansOf(definition: Branch): Map<string, StatePlan> {
  const plans = new Map<string, StatePlan>();
  for (const [name, state] of Object.entries(definition.States)) {
    plans.set(name, { state, behaviour: stateBehaviours[state.Type], enteredType: stateEventType(state.Type, 'Entered'), instant: INSTANT_TYPES.has(state.Type) });
  }
  return plans;
}

/**
 * Runs a piece of ASL logic on the scope runtime and every instant state it leads to; an ASL
 * error is caught, retried or fails the scope as the state's Retry and Catch say.
 */
export function runStep(rt: ScopeRuntime, event: ScopeEvent | undefined, work: (rt: ScopeRuntime, event: ScopeEvent) => void): StepRequests<ScopeRuntime> | undefined {
  try {
    work(rt, event as ScopeEvent);
    runInstantStates(rt);
  } catch (e) {
    if (!isAslError(e) || !rt.active) throw e;
    let { error, cause } = rt.toFailure(e);
    // AWS reports a missing Parameters path of a Pass state as a runtime error.
    if (rt.active.state.Type === 'Pass' && error === StatesErrors.ParameterPathFailure) error = StatesErrors.Runtime;
    const evaluation = error === StatesErrors.QueryEvaluationError || e instanceof VariableLimitError;
    if (evaluation) recordEvaluationFailed(rt, error, cause, e instanceof FieldValueError || e instanceof VariableLimitError ? e.field : undefined);
    const state = rt.active.state as { Type: string; Retry?: unknown; Catch?: unknown };
    if ((state.Retry || state.Catch) && !rt.active.catching) handleFailure(rt, error, cause);
    else {
      if (evaluation && (state.Type === 'Map' || state.Type === 'Parallel')) rt.record(`${state.Type as 'Map'}StateFailed`);
      failScope(rt, error, cause);
    }
  }
  const requests = rt.childRequests;
  rt.childRequests = undefined;
  return requests;
}

/**
 * JSONata failures get an EvaluationFailed event: an expression that failed is threaded from
 * before the state was entered; a field whose value was unusable (`field`) from the state's
 * entered event, as AWS records them.
 */
function recordEvaluationFailed(rt: ScopeRuntime, error: string, cause: string, field: string | undefined): void {
  const a = rt.active!;
  const location = field ?? /specified for the field '([^']+)'/.exec(cause)?.[1];
  const frame = new HistoryFrame(field !== undefined ? a.enteredEventId : a.enteredPrevious);
  rt.services.record(frame, 'EvaluationFailed', { error, cause, ...(location ? { location } : {}), state: a.name });
  rt.frame.source = frame.source;
}

export function enterState(rt: ScopeRuntime, name: string, plan: StatePlan): void {
  rt.target = undefined;
  const entry = rt.takeRedriveEntry(name);
  if (entry) return pickUpState(rt, name, plan, entry);
  const { state, enteredType, behaviour } = plan;
  const raw = startingInput(rt);
  const enteredPrevious = rt.frame.source;
  const enteredEventId = rt.record(enteredType, new StateEnteredDetails(name, raw));
  rt.active = new Active(name, state, enteredEventId, enteredPrevious, rt.services.now(), raw);
  behaviour.enter(rt, state);
}

/** The input a state starts with: a fork's replacement input goes to the first state started live. */
function startingInput(rt: ScopeRuntime): JsonValue {
  const override = rt.services.takeInputOverride();
  return override !== undefined ? (rt.data = override) : rt.data;
}

/**
 * A redrive picks the state it resumes up where it stopped rather than entering it again
 * (checked against AWS recordings): no *StateEntered, nor a Map's or Parallel's *StateStarted;
 * its next event threads on that entry (on its *StateStarted, for a Map or Parallel), `EnteredTime`
 * stays the entry's and RetryCount counts from 0 again. A Fail state fails the execution again
 * straight after the ExecutionRedriven.
 */
function pickUpState(rt: ScopeRuntime, name: string, { state, behaviour }: StatePlan, entry: RedriveEntry): void {
  if (state.Type !== 'Fail') rt.frame.source = entry.startedEventId ?? entry.eventId;
  const a = new Active(name, state, entry.eventId, entry.previous, entry.time, startingInput(rt));
  a.startedEventId = entry.startedEventId;
  a.pickedUpAt = rt.services.redrivenEventId;
  rt.active = a;
  behaviour.enter(rt, state);
}

/**
 * Pass, Choice, Succeed and Fail have no lifecycle: nothing is awaited between their entry
 * and their exit. They run here, one after the other within the step that reached them, and
 * the machine moves straight to the next state that waits for something (a Task, a Wait, a
 * Map, a Parallel, a JSONata evaluation) or to its end. Every state still records its own
 * events in order; only the XState microsteps between pure data work are saved.
 */
function runInstantStates(rt: ScopeRuntime): void {
  const plans = rt.scope.plans;
  const loops = rt.scope.instantLoop === true;
  let run = 0;
  let target = rt.target;
  while (target !== undefined && target !== END) {
    const plan = plans.get(target);
    // JSONata evaluates asynchronously: its answer comes back to the machine as an event.
    if (!plan || !plan.instant || rt.isJsonata(plan.state)) return;
    // Past the history limit the execution fails when the step ends (States.Runtime, "The
    // execution reached the maximum number of history events"): a Choice looping over Pass
    // states would otherwise never end it. The scope then waits to be stopped.
    if (rt.services.historyFull()) {
      rt.target = undefined;
      return;
    }
    // A loop that runs on (the history limit lifted, or not reached yet) lets the event loop
    // turn now and then: its execution's timeout, a stop and other executions get their turn.
    if (loops && ++run > INSTANT_STATES_PER_TURN) {
      rt.target = undefined;
      rt.yieldTurn(target);
      return;
    }
    enterState(rt, target, plan);
    target = rt.target;
  }
}

/**
 * How many instant states one step of a scope with an instant loop runs before it lets the
 * event loop turn. At AWS's history limit a step runs at most 12,500 (two events each).
 */
const INSTANT_STATES_PER_TURN = 10_000;

/**
 * The events that close a scope: the execution's end, or a Map iteration's. An iteration that
 * waited for something (not one ended in the step that started it, `instant`) and whose failure
 * fails its Map leaves its MapIterationFailed to the Map (see FailingIterations).
 */
export function closeScope(rt: ScopeRuntime, instant = false): void {
  const o = rt.outcome!;
  if (rt.role.kind === 'root') {
    if (o.status === 'SUCCEEDED') rt.record('ExecutionSucceeded', new OutputDetails(o.output));
    else rt.record('ExecutionFailed', { ...(o.error !== undefined ? { error: o.error } : {}), ...(o.cause !== undefined ? { cause: o.cause } : {}) });
  } else if (rt.role.kind === 'iteration') {
    if (o.status === 'FAILED' && !instant && rt.role.map?.takesFailure(rt.role.index)) return;
    const type = o.status === 'SUCCEEDED' ? 'MapIterationSucceeded' : 'MapIterationFailed';
    rt.record(type, new IterationDetails(rt.role.index, rt.role.mapStateName), false);
  }
}

/**
 * The state a scope is in. Made by a constructor, not an object literal, for the reason the
 * history's events are (plainConstructor in history-event.ts): a waiting execution keeps it for
 * as long as it waits. Never shown to users, so it may stay a class.
 */
class Active implements ActiveState {
  readonly name: string;
  readonly state: State;
  readonly enteredEventId: number;
  readonly enteredPrevious: number;
  readonly enteredTime: number;
  readonly rawInput: JsonValue;
  retryCount: number;
  work: unknown;
  requestId: string | undefined;
  /** What few states use, apart (see ActiveExtras); made when one of them is first set. */
  private extras: ActiveExtras | undefined;
  constructor(name: string, state: State, enteredEventId: number, enteredPrevious: number, enteredTime: number, rawInput: JsonValue) {
    this.name = name;
    this.state = state;
    this.enteredEventId = enteredEventId;
    this.enteredPrevious = enteredPrevious;
    this.enteredTime = enteredTime;
    this.rawInput = rawInput;
    this.retryCount = 0;
    this.work = undefined;
    this.requestId = undefined;
    this.extras = undefined;
  }

  get startedEventId(): number | undefined { return this.extras?.startedEventId; }
  set startedEventId(v: number | undefined) { this.setExtra('startedEventId', v); }
  get pickedUpAt(): number { return this.extras?.pickedUpAt ?? 0; }
  set pickedUpAt(v: number) { this.setExtra('pickedUpAt', v); }
  get retryCounts(): number[] | undefined { return this.extras?.retryCounts; }
  set retryCounts(v: number[] | undefined) { this.setExtra('retryCounts', v); }
  get enteredIso(): string | undefined { return this.extras?.enteredIso; }
  set enteredIso(v: string | undefined) { this.setExtra('enteredIso', v); }
  get catching(): boolean | undefined { return this.extras?.catching; }
  set catching(v: boolean | undefined) { this.setExtra('catching', v); }

  /** Setting a member of extras never made to its default (undefined, or 0 for pickedUpAt) makes none. */
  private setExtra<K extends keyof ActiveExtras>(key: K, value: ActiveExtras[K]): void {
    if ((value !== undefined && value !== 0) || this.extras) (this.extras ??= new ActiveExtras())[key] = value;
  }
}

/**
 * The parts of a state entry that few use: a Map's or Parallel's started event, a redrive's pick-up,
 * retries, `$$.State.EnteredTime` read, a catcher being evaluated. Apart, so that the others (a Task
 * waiting, every Pass state) carry no field for them: 5 fields, 32 bytes of each parked execution.
 */
class ActiveExtras {
  startedEventId: number | undefined = undefined;
  pickedUpAt = 0;
  retryCounts: number[] | undefined = undefined;
  enteredIso: string | undefined = undefined;
  catching: boolean | undefined = undefined;
}
