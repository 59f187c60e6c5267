import { createActor, fromTransition } from '#xstate';
import type { AnyActorRef } from 'xstate';

const STOP = 'stepwise.stopExecution';
const DONE_PREFIX = 'xstate.done.actor.';
const ERROR_PREFIX = 'xstate.error.actor.';

/** Told when an execution's root actor reaches its final state or fails. */
export interface RootActorListener {
  complete(): void;
  error(err: unknown): void;
}

let host: AnyActorRef | undefined;
/** By root actor id (its XState session id, unique in the host's system). */
const listeners = new Map<string, RootActorListener>();

/**
 * The parent every execution's root actor is created under. Without one, each root actor
 * builds an XState system of its own (a registry, a scheduler, a dozen closures): about
 * 1.8 KB per execution, most of what a parked execution costs beyond its own data. Under
 * one host, every execution shares one system. XState relays a root's done and error events
 * to its parent: the host hands them to the root's listener, which costs a parked execution
 * one map entry, where observing the root itself costs an observer and two bound functions.
 * The host is never stopped, so it never stops an execution by itself; it stops one when
 * asked (see stopExecutionActor).
 */
export function actorHost(): AnyActorRef {
  if (!host) {
    const logic = fromTransition((state: null, event: { type: string; actor?: AnyActorRef; actorId?: string; error?: unknown }, scope) => {
      if (event.type === STOP && event.actor) scope.stopChild(event.actor);
      else if (event.actorId !== undefined) {
        const listener = listeners.get(event.actorId);
        if (listener && event.type.startsWith(DONE_PREFIX)) {
          listeners.delete(event.actorId);
          listener.complete();
        } else if (listener && event.type.startsWith(ERROR_PREFIX)) {
          listeners.delete(event.actorId);
          listener.error(event.error);
        }
      }
      return state;
    }, null);
    host = createActor(logic).start();
  }
  return host;
}

/** `listener` hears when `actor`, a root actor created under the host and not yet started, ends. */
export function listenToRootActor(actor: AnyActorRef, listener: RootActorListener): void {
  listeners.set(actor.id, listener);
}

/** Stops an execution's root actor and, through XState, every child actor it has. */
export function stopExecutionActor(actor: AnyActorRef): void {
  // A stopped actor reports neither done nor error.
  listeners.delete(actor.id);
  // XState lets only an actor's parent stop it once it has one.
  actorHost().send({ type: STOP, actor });
}
