import { enqueueActions, setup, type AnyStateMachine } from 'xstate';
import type { Branch, ChoiceState, MapState, ParallelState, State } from '../asl/definition.js';
import { isAslError } from '../errors/asl-error.js';
import { StatesErrors } from '../errors/error-names.js';
import { HistoryFrame } from '../execution/history-frame.js';
import { NOT_TRUNCATED, stateEventType } from '../execution/history-event.js';
import { END, ScopeRuntime, type CompiledScope, type ScopeEvent, type ScopeInput, type ScopeOutcome } from './scope-runtime.js';
import { stateBehaviours } from './state-behaviours.js';
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
  const compiled: CompiledScope = { definition, nested, machine: undefined as unknown as AnyStateMachine };
  compiled.machine = buildMachine(definition, false);
  return compiled;
}

/**
 * The machine a redrive starts: it opens on a transient node that picks the state to start
 * from at run time. Built on first use; ordinary runs start on StartAt directly, which saves
 * every actor (each Map iteration, each Parallel branch) a microstep.
 */
export function redriveMachineOf(compiled: CompiledScope): AnyStateMachine {
  return (compiled.redriveMachine ??= buildMachine(compiled.definition, true));
}

type Ctx = { rt: ScopeRuntime };

/** Runs a piece of ASL logic on the scope runtime, then hands its spawn/stop requests to XState. */
function step(work: (rt: ScopeRuntime, event: ScopeEvent) => void) {
  return enqueueActions(({ context, event, enqueue }: { context: Ctx; event: ScopeEvent; enqueue: any }) => {
    const rt = context.rt;
    try {
      work(rt, event);
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
    // Stops first: a Map worker's next iteration reuses the id of the one that just ended.
    if (rt.stops.length > 0) {
      for (const id of rt.stops) enqueue.stopChild(id);
      rt.stops = [];
    }
    if (rt.spawns.length > 0) {
      for (const s of rt.spawns) enqueue.spawnChild(s.logic, { id: s.id, input: s.input });
      rt.spawns = [];
    }
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

function transitionsTo(targets: string[], keys: Map<string, string>) {
  return [
    ...targets.filter((t) => keys.has(t)).map((t) => ({ guard: ({ context }: { context: Ctx }) => context.rt.target === t, target: keys.get(t)!, reenter: true })),
    { guard: ({ context }: { context: Ctx }) => context.rt.target === END, target: END_NODE },
  ];
}

function buildMachine(definition: Branch, redrive: boolean): AnyStateMachine {
  const states: Record<string, unknown> = {};
  const keys = new Map(Object.keys(definition.States).map((name, i) => [name, `s${i}`]));
  states[START] = {
    entry: step((rt) => {
      rt.target = rt.redrive?.stateName ?? definition.StartAt;
    }),
    always: transitionsTo(Object.keys(definition.States), keys),
  };
  for (const [name, state] of Object.entries(definition.States)) {
    const behaviour = stateBehaviours[state.Type];
    const enteredType = stateEventType(state.Type, 'Entered');
    states[keys.get(name)!] = {
      entry: step((rt) => {
        rt.target = undefined;
        const override = rt.services.takeInputOverride();
        const raw = override !== undefined ? (rt.data = override) : rt.data;
        const enteredPrevious = rt.frame.source;
        const enteredEventId = rt.record(enteredType, { name, input: raw, inputDetails: NOT_TRUNCATED });
        rt.active = { name, state, enteredEventId, enteredPrevious, enteredTime: rt.services.now(), rawInput: raw, retryCounts: [], retryCount: 0 };
        behaviour.enter(rt, state);
      }),
      on: {
        evaluated: { actions: step((rt, e) => rt.resume((e as any).requestId, (e as any).ok, (e as any).value)) },
        'task.started': { actions: step((rt, e) => behaviour.taskStarted?.(rt, state, (e as any).requestId, (e as any).workerName)) },
        'task.succeeded': { actions: step((rt, e) => behaviour.taskSucceeded?.(rt, state, (e as any).requestId, (e as any).output)) },
        'task.failed': { actions: step((rt, e) => behaviour.taskFailed?.(rt, state, (e as any).requestId, (e as any).error, (e as any).cause, false, (e as any).phase)) },
        'task.timedOut': { actions: step((rt, e) => behaviour.taskFailed?.(rt, state, (e as any).requestId, (e as any).error, (e as any).cause, true)) },
        'timer.fired': { actions: step((rt, e) => behaviour.timerFired?.(rt, state, (e as any).requestId)) },
        'xstate.done.actor.*': {
          actions: step((rt, e) => behaviour.childDone?.(rt, state, e.type.slice('xstate.done.actor.'.length), (e as any).output as ScopeOutcome)),
        },
      },
      always: transitionsTo(targetsOf(state), keys),
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
