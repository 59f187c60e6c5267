import { setup } from '#xstate';
import type { AnyStateMachine } from 'xstate';
import type { Branch, ChoiceState, MapState, ParallelState, State } from '../asl/definition.js';
import { END, type CompiledScope, type ScopeEvent, type ScopeOutcome, type ScopeRuntime } from './scope-runtime.js';
import { INSTANT_TYPES, closeScope, enterState, plansOf, runStep } from './scope-steps.js';
import { stepAction } from './step-action.js';

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
  const compiled: CompiledScope = { definition, nested, plans: plansOf(definition), machine: undefined as unknown as AnyStateMachine, instantLoop: hasInstantLoop(definition) };
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

/** A scope machine's context is its runtime itself (see buildMachine). */
type Ctx = ScopeRuntime;

/** Runs a piece of ASL logic on the scope runtime, then hands its spawn/stop requests to XState. */
function step(work: (rt: ScopeRuntime, event: ScopeEvent) => void) {
  return stepAction<Ctx, ScopeEvent, ScopeRuntime>((rt, event) => runStep(rt, event, work));
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

/** Whether some chain of instant states (Pass, Choice, Succeed, Fail) leads back to one of them. */
function hasInstantLoop(definition: Branch): boolean {
  const instant = (name: string) => {
    const state = definition.States[name];
    return state !== undefined && INSTANT_TYPES.has(state.Type);
  };
  // Depth-first, marking states on the current path (1) and states fully explored (2).
  const marks = new Map<string, 1 | 2>();
  const loopsFrom = (name: string): boolean => {
    marks.set(name, 1);
    for (const t of targetsOf(definition.States[name]!)) {
      if (!instant(t)) continue;
      const mark = marks.get(t);
      if (mark === 1 || (mark === undefined && loopsFrom(t))) return true;
    }
    marks.set(name, 2);
    return false;
  };
  return Object.keys(definition.States).some((name) => instant(name) && !marks.has(name) && loopsFrom(name));
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

/**
 * The end comes first: XState tries the guards in order, and a step that runs a chain of
 * instant states to the end (a whole execution of Pass states) would otherwise try one guard
 * per state of the chain first. The guards exclude each other, so the order changes nothing else.
 */
function transitionsTo(targets: string[], keys: Map<string, string>) {
  return [
    { guard: ({ context }: { context: Ctx }) => context.target === END, target: END_NODE },
    ...targets.filter((t) => keys.has(t)).map((t) => ({ guard: ({ context }: { context: Ctx }) => context.target === t, target: keys.get(t)!, reenter: true })),
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
    entry: step((rt) => closeScope(rt)),
  };
  return setup({}).createMachine({
    // The context is the runtime itself: Stepwise's build of XState takes a context function's
    // result as it is (scripts/vendor-xstate.mjs, 'context taken as is'), where XState copies it
    // into a plain object, which would drop the runtime's prototype; a wrapper object around it
    // cost each actor 56 bytes.
    context: ({ input, self }: { input: ScopeRuntime; self: any }) => {
      input.self = self;
      return input;
    },
    initial: redrive ? START : keys.get(definition.StartAt),
    states: states as never,
    output: ({ context }: { context: Ctx }) => context.outcome,
  } as never) as unknown as AnyStateMachine;
}
