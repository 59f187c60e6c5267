/**
 * A constructor whose objects are plain ones: their prototype is Object.prototype, so they are
 * what an object literal or JSON.parse would give (deepStrictEqual, toStrictEqual and a spread
 * cannot tell them apart). Why not a literal: V8 gives each object literal an allocation site
 * and, once most of its objects outlive a scavenge (a history's objects live as long as it),
 * allocates that site's objects straight into old space and deoptimises the code that inlined
 * it; objects made by `new` are never pretenured that way. Measured on pass-chain (its first
 * round is where V8 makes those decisions), medians of interleaved samples on a noisy machine:
 * 2,350 -> 2,512 executions/s for the events alone (10 pairs); with the entered-state details
 * too, 2,990 -> 3,662 against the build before (8 pairs). And V8 sizes a constructor's objects
 * to the members they get (slack tracking), where every `{}` has room for four. `init` must be a
 * `function`.
 */
export function plainConstructor<A extends unknown[], T>(init: (this: T, ...args: A) => void): new (...args: A) => T {
  (init as unknown as { prototype: object }).prototype = Object.prototype;
  return init as unknown as new (...args: A) => T;
}
