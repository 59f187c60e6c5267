import { createActor, fromTransition } from '#xstate';
import type { AnyActorRef } from 'xstate';

const STOP = 'stepwise.stopExecution';

let host: AnyActorRef | undefined;

/**
 * The parent every execution's root actor is created under. Without one, each root actor
 * builds an XState system of its own (a registry, a scheduler, a dozen closures): about
 * 1.8 KB per execution, most of what a parked execution costs beyond its own data. Under
 * one host, every execution shares one system. XState relays a root's done and error events
 * to its parent; the host lets them go: the journal sees its root's end after the step that
 * reached it (see ExecutionJournal.noticeRootEnd), with no listener kept per execution. The
 * host is never stopped, so it never stops an execution by itself; it stops one when asked
 * (see stopExecutionActor).
 */
export function actorHost(): AnyActorRef {
  if (!host) {
    const logic = fromTransition((state: null, event: { type: string; actor?: AnyActorRef }, scope) => {
      if (event.type === STOP && event.actor) scope.stopChild(event.actor);
      return state;
    }, null);
    host = createActor(logic).start();
  }
  return host;
}

/** Stops an execution's root actor and, through XState, every child actor it has. */
export function stopExecutionActor(actor: AnyActorRef): void {
  // XState lets only an actor's parent stop it once it has one.
  actorHost().send({ type: STOP, actor });
}
