import { spawnChild, stopChild } from '#xstate';
import type { AnyActorLogic } from 'xstate';

/** What a step asks XState to do once its work is done: children to stop, then to spawn. */
export interface StepRequests<I> {
  stops?: string[];
  spawns?: { id: string; logic: AnyActorLogic; input: I }[];
}

type StepResolve = (scope: unknown, snapshot: unknown, args: { context: unknown; event: unknown }) => [unknown, undefined, unknown[] | undefined];

/**
 * An XState action that runs `work` while XState resolves the transition (as `enqueueActions`
 * does, so that a guarded `always` sees its effect in the same macrostep) and then hands the
 * child stops and spawns it asked for to XState as ordinary `stopChild`/`spawnChild` actions.
 *
 * Why not `enqueueActions`: each call of it builds an `enqueue` function with nine helper
 * closures and an argument object, some 1.3 KB of garbage per step, three or four steps per
 * execution; the work here never needs them. This is XState's own shape for built-in actions
 * (a function with `type` and `resolve`, as `assign`, `spawnChild` and `stopChild` are), which
 * XState resolves in place instead of deferring it as it does for plain function actions.
 */
export function stepAction<C, E, I>(work: (context: C, event: E) => StepRequests<I> | undefined) {
  function stepwiseStep(): void {}
  const resolve: StepResolve = (_scope, snapshot, args) => {
    const requests = work(args.context as C, args.event as E);
    return [snapshot, undefined, requests ? childActions(requests) : undefined];
  };
  stepwiseStep.type = 'stepwise.step';
  stepwiseStep.resolve = resolve;
  return stepwiseStep as never;
}

function childActions<I>({ stops, spawns }: StepRequests<I>): unknown[] | undefined {
  if (!stops && !spawns) return undefined;
  const actions: unknown[] = [];
  // Stops first: a Map worker's next iteration reuses the id of the one that just ended.
  if (stops) for (let i = 0; i < stops.length; i++) actions.push(stopChild(stops[i]!));
  if (spawns) for (let i = 0; i < spawns.length; i++) actions.push(spawnChild(spawns[i]!.logic, { id: spawns[i]!.id, input: spawns[i]!.input } as never));
  return actions;
}
