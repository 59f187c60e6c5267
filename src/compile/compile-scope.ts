import { setup, type AnyStateMachine } from 'xstate';
import type { Branch, ChoiceState, MapState, ParallelState, State } from '../asl/definition.js';
import { isAslError } from '../errors/asl-error.js';
import { StatesErrors } from '../errors/error-names.js';
import { HistoryFrame } from '../execution/history-frame.js';
import { NOT_TRUNCATED, stateEventType, type HistoryEventType } from '../execution/history-event.js';
import { END, ScopeRuntime, type CompiledScope, type ScopeEvent, type ScopeInput, type ScopeOutcome } from './scope-runtime.js';
import { stateBehaviours, type StateBehaviour } from './state-behaviours.js';
import { stepAction } from './step-action.js';
import { handleFailure } from './states/handle-failure.js';
import { failScope } from './states/transitions.js';

// XState reads '#' and '.' in targets as ids and paths, and ASL names may hold both; nodes
// get plain keys and the ASL name stays in the runtime.
const START = 'start';
const END_NODE = 'end';

/**
 * Compiles a list of ASL states (a state machine, a Parallel branch or a Map processor) into
 * an XState v5 machine: one state node per ASL state, transitions for every Next, Choice
 * target, Default and Catch target, and a final node whose output is the scope's outcome.
 * Parallel branches and Map processors are compiled once here and spawned as child actors.
 */
export function compileScope(definition: Branch): CompiledScope {
  const nested = new Map<string, CompiledScope[]>();
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type === 'Parallel') nested.set(name, (state as ParallelState).Branches.map((b) => compileScope(b)));
    if (state.Type === 'Map') {
      const m = state as MapState;
      const processor = m.ItemProcessor ?? m.Iterator;
      if (processor) nested.set(name, [compileScope(processor)]);
    }
  }
  const compiled: CompiledScope = { definition, nested, plans: plansOf(definition), machine: undefined as unknown as AnyStateMachine };
  compiled.machine = buildMachine(compiled, false);
  return compiled;
}

/**
 * The machine a redrive starts: it opens on a transient node that picks the state to start
 * from at run time. Built on first use; ordinary runs start on StartAt directly, which saves
 * every actor (each Map iteration, each Parallel branch) a microstep.
 */
export function redriveMachineOf(compiled: CompiledScope): AnyStateMachine {
  return (compiled.redriveMachine ??= buildMachine(compiled, true));
}

type Ctx = { rt: ScopeRuntime };

/** Runs a piece of ASL logic on the scope runtime, then hands its spawn/stop requests to XState. */
function step(work: (rt: ScopeRuntime, event: ScopeEvent) => void) {
  return stepAction<Ctx, ScopeEvent, ScopeInput>(({ rt }, event) => {
    try {
      work(rt, event);
      runInstantStates(rt);
    } catch (e) {
      if (!isAslError(e) || !rt.active) throw e;
      let { error, cause } = rt.toFailure(e);
      // AWS reports a missing Parameters path of a Pass state as a runtime error.
      if (rt.active.state.Type === 'Pass' && error === StatesErrors.ParameterPathFailure) error = StatesErrors.Runtime;
      if (error === StatesErrors.QueryEvaluationError) recordEvaluationFailed(rt, error, cause);
      const state = rt.active.state as { Type: string; Retry?: unknown; Catch?: unknown };
      if ((state.Retry || state.Catch) && !rt.active.catching) handleFailure(rt, error, cause);
      else {
        if (error === StatesErrors.QueryEvaluationError && (state.Type === 'Map' || state.Type === 'Parallel')) rt.record(`${state.Type as 'Map'}StateFailed`);
        failScope(rt, error, cause);
      }
    }
    if (!rt.stops && !rt.spawns) return undefined;
    const requests = { stops: rt.stops, spawns: rt.spawns };
    rt.stops = undefined;
    rt.spawns = undefined;
    return requests;
  });
}

/** JSONata failures get an EvaluationFailed event, threaded from before the state was entered. */
function recordEvaluationFailed(rt: ScopeRuntime, error: string, cause: string): void {
  const a = rt.active!;
  const location = /specified for the field '([^']+)'/.exec(cause)?.[1];
  const frame = new HistoryFrame(a.enteredPrevious);
  rt.services.record(frame, 'EvaluationFailed', { error, cause, ...(location ? { location } : {}), state: a.name });
  rt.frame.source = frame.source;
}

/** How each state of a scope is entered, worked out once per compiled definition. */
export interface StatePlan {
  state: State;
  behaviour: StateBehaviour;
  enteredType: HistoryEventType;
  /** Runs to its exit within the step that enters it: nothing outside the machine is awaited. */
  instant: boolean;
}

function plansOf(definition: Branch): Map<string, StatePlan> {
  const plans = new Map<string, StatePlan>();
  for (const [name, state] of Object.entries(definition.States)) {
    plans.set(name, { state, behaviour: stateBehaviours[state.Type], enteredType: stateEventType(state.Type, 'Entered'), instant: INSTANT_TYPES.has(state.Type) });
  }
  return plans;
}

const INSTANT_TYPES = new Set<State['Type']>(['Pass', 'Choice', 'Succeed', 'Fail']);

function enterState(rt: ScopeRuntime, name: string, { state, enteredType, behaviour }: StatePlan): void {
  rt.target = undefined;
  const override = rt.services.takeInputOverride();
  const raw = override !== undefined ? (rt.data = override) : rt.data;
  const enteredPrevious = rt.frame.source;
  const enteredEventId = rt.record(enteredType, { name, input: raw, inputDetails: NOT_TRUNCATED });
  rt.active = { name, state, enteredEventId, enteredPrevious, enteredTime: rt.services.now(), rawInput: raw, retryCounts: undefined, retryCount: 0, enteredIso: undefined, work: undefined, requestId: undefined, catching: undefined };
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
  let target = rt.target;
  while (target !== undefined && target !== END) {
    const plan = plans.get(target);
    // JSONata evaluates asynchronously: its answer comes back to the machine as an event.
    if (!plan || !plan.instant || rt.isJsonata(plan.state)) return;
    enterState(rt, target, plan);
    target = rt.target;
  }
}

function targetsOf(state: State): string[] {
  const out = new Set<string>();
  if (state.Next) out.add(state.Next);
  if (state.Type === 'Choice') {
    const c = state as ChoiceState;
    for (const rule of c.Choices ?? []) if (rule.Next) out.add(rule.Next);
    if (c.Default) out.add(c.Default);
  }
  for (const catcher of (state as { Catch?: { Next: string }[] }).Catch ?? []) out.add(catcher.Next);
  return [...out];
}

/**
 * The states a step that starts in `name` can end on: its own targets and, through any chain
 * of states that run instantly (see runInstantStates), theirs.
 */
function reachableTargetsOf(name: string, definition: Branch): string[] {
  const out = new Set<string>();
  const visit = (from: string) => {
    for (const t of targetsOf(definition.States[from]!)) {
      if (out.has(t)) continue;
      out.add(t);
      const next = definition.States[t];
      if (next && INSTANT_TYPES.has(next.Type)) visit(t);
    }
  };
  visit(name);
  return [...out];
}

function transitionsTo(targets: string[], keys: Map<string, string>) {
  return [
    ...targets.filter((t) => keys.has(t)).map((t) => ({ guard: ({ context }: { context: Ctx }) => context.rt.target === t, target: keys.get(t)!, reenter: true })),
    { guard: ({ context }: { context: Ctx }) => context.rt.target === END, target: END_NODE },
  ];
}

function buildMachine(compiled: CompiledScope, redrive: boolean): AnyStateMachine {
  const { definition, plans } = compiled;
  const states: Record<string, unknown> = {};
  const keys = new Map(Object.keys(definition.States).map((name, i) => [name, `s${i}`]));
  states[START] = {
    entry: step((rt) => {
      rt.target = rt.redrive?.stateName ?? definition.StartAt;
    }),
    always: transitionsTo(Object.keys(definition.States), keys),
  };
  for (const [name, state] of Object.entries(definition.States)) {
    const plan = plans.get(name)!;
    const behaviour = plan.behaviour;
    states[keys.get(name)!] = {
      entry: step((rt) => enterState(rt, name, plan)),
      on: {
        evaluated: { actions: step((rt, e) => rt.resume((e as any).requestId, (e as any).ok, (e as any).value)) },
        'task.succeeded': { actions: step((rt, e) => behaviour.taskSucceeded?.(rt, state, (e as any).requestId, (e as any).output)) },
        'task.failed': { actions: step((rt, e) => behaviour.taskFailed?.(rt, state, (e as any).requestId, (e as any).error, (e as any).cause, false, (e as any).phase)) },
        'task.timedOut': { actions: step((rt, e) => behaviour.taskFailed?.(rt, state, (e as any).requestId, (e as any).error, (e as any).cause, true)) },
        'timer.fired': { actions: step((rt, e) => behaviour.timerFired?.(rt, state, (e as any).requestId)) },
        'xstate.done.actor.*': {
          actions: step((rt, e) => behaviour.childDone?.(rt, state, e.type.slice('xstate.done.actor.'.length), (e as any).output as ScopeOutcome)),
        },
      },
      always: transitionsTo(reachableTargetsOf(name, definition), keys),
    };
  }
  states[END_NODE] = {
    type: 'final',
    entry: step((rt) => {
      const o = rt.outcome!;
      if (rt.role.kind === 'root') {
        if (o.status === 'SUCCEEDED') rt.record('ExecutionSucceeded', { output: o.output, outputDetails: NOT_TRUNCATED });
        else rt.record('ExecutionFailed', { ...(o.error !== undefined ? { error: o.error } : {}), ...(o.cause !== undefined ? { cause: o.cause } : {}) });
      } else if (rt.role.kind === 'iteration') {
        const type = o.status === 'SUCCEEDED' ? 'MapIterationSucceeded' : 'MapIterationFailed';
        rt.record(type, { index: rt.role.index, name: rt.role.mapStateName }, false);
      }
    }),
  };
  return setup({}).createMachine({
    context: ({ input, self }: { input: ScopeInput; self: any }) => {
      const rt = new ScopeRuntime(input);
      rt.self = self;
      return { rt };
    },
    initial: redrive ? START : keys.get(definition.StartAt),
    states: states as never,
    output: ({ context }: { context: Ctx }) => context.rt.outcome,
  } as never) as unknown as AnyStateMachine;
}
