import { createRequire } from 'node:module';

const requireHere = createRequire(import.meta.url);

/**
 * A library loaded the first time it is asked for rather than with Stepwise. For the parsers only
 * some definitions need (JSONata's, YAML's): each holds about 1 MB of heap once loaded, which a
 * process that never uses it would otherwise carry, and every full garbage collection mark again.
 * Both are CommonJS packages, so loading stays synchronous, as compiling a definition is.
 */
export function loadOnFirstUse<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireHere(specifier) as T);
}
