import type { ActorLogic, AnyActorLogic, AnyActorRef } from 'xstate';
import type { QueryLanguage } from '../asl/definition.js';
import { redriveMachineOf } from './compile-scope.js';
import { END, type CompiledScope, type RedrivePoint, type ScopeOutcome, type ScopeRuntime } from './scope-runtime.js';
import { closeScope, runStep } from './scope-steps.js';

/** The snapshot of an instant scope: born done (or errored, when XState catches a throw; or active, stopped at the history limit). */
export type InstantSnapshot =
  | { status: 'done'; output: ScopeOutcome; error: undefined }
  | { status: 'active'; output: undefined; error: undefined };

/**
 * XState logic for a Parallel branch or Map iteration made only of Pass, Choice, Succeed and
 * Fail states in JSONPath. Such a scope has no lifecycle: nothing outside it is awaited, so it
 * runs from its StartAt to its end in the step that spawns it, recording the same events in
 * the same order as the machine would. A Parallel whose branches all are such scopes, and an
 * inline Map whose iterations are (none redriven), run them in place (runInstantScope; see
 * startBranches in parallel-state.ts and runInPlace in map-state.ts). This logic is for such a
 * scope spawned as a child actor (a branch beside branches that wait, an iteration of a redriven
 * Map): spawned, stopped and reporting its outcome through XState's done event, it still skips
 * the state-machine interpreter, which for these scopes only ever takes one path: enter the
 * first state, run the instant chain, reach the final node. Measured on map-10k (10,000
 * iterations of three Pass states) that interpreter was 11 µs of every iteration's ~70 µs.
 */
export function instantScopeLogic(compiled: CompiledScope): ActorLogic<InstantSnapshot, { type: string }, ScopeRuntime> {
  const logic = {
    config: compiled,
    // Born done: XState never delivers it an event.
    transition: (snapshot: InstantSnapshot) => snapshot,
    getInitialSnapshot(actorScope: { self: unknown }, rt: ScopeRuntime) {
      rt.self = actorScope.self as AnyActorRef;
      return runInstantScope(rt);
    },
    getPersistedSnapshot: (snapshot: InstantSnapshot) => snapshot,
  } as unknown as ActorLogic<InstantSnapshot, { type: string }, ScopeRuntime>;
  INSTANT_LOGICS.add(logic);
  return logic;
}

const INSTANT_LOGICS = new WeakSet<object>();

/** Whether `logic` is an instant scope's (instantScopeLogic), not a state machine. */
export function isInstantLogic(logic: AnyActorLogic): boolean {
  return INSTANT_LOGICS.has(logic);
}

/**
 * Runs an instant scope from its StartAt to its end, recording its events: done with its
 * outcome, or still active when it stopped at the history limit (see runInstantStates): never
 * done then, it waits to be stopped with the execution, which fails when the step ends.
 */
export function runInstantScope(rt: ScopeRuntime): InstantSnapshot {
  const startAt = rt.scope.definition.StartAt;
  const requests = runStep(rt, undefined, begin);
  if (!requests && rt.target === undefined && rt.services.historyFull()) return { status: 'active', output: undefined, error: undefined };
  if (requests || rt.target !== END) throw new Error(`Stepwise bug: an instant scope starting at '${startAt}' did not run to its end`);
  closeScope(rt, true);
  return { status: 'done', output: rt.outcome!, error: undefined };
}

function begin(rt: ScopeRuntime): void {
  rt.target = rt.scope.definition.StartAt;
}

/**
 * The logic a Map iteration or Parallel branch of this scope is spawned with: the instant
 * logic when every state runs within one step under the inherited query language
 * (runsInstantly), else the machine.
 */
export function childLogicOf(compiled: CompiledScope, queryLanguage: QueryLanguage): AnyActorLogic {
  const chosen = (compiled.childLogic ??= {});
  return (chosen[queryLanguage] ??= runsInstantly(compiled, queryLanguage) ? instantScopeLogic(compiled) : compiled.machine);
}

/** The logic of a branch or iteration a redrive picks up at `redrive` (see redriveMachineOf), else childLogicOf's. */
export function childLogicFor(compiled: CompiledScope, queryLanguage: QueryLanguage, redrive: RedrivePoint | undefined): AnyActorLogic {
  return redrive ? redriveMachineOf(compiled) : childLogicOf(compiled, queryLanguage);
}

/**
 * Whether every state of the scope is instant when its inherited query language is `queryLanguage`,
 * and none loops back (a loop can run on, and only the machine lets the event loop turn meanwhile).
 */
export function runsInstantly(compiled: CompiledScope, queryLanguage: QueryLanguage): boolean {
  if (compiled.instantLoop) return false;
  for (const { instant, state } of compiled.plans.values()) {
    if (!instant || (state.QueryLanguage ?? queryLanguage) !== 'JSONPath') return false;
  }
  return true;
}
