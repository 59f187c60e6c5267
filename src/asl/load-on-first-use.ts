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
  return () => (loaded ??= load<T>(specifier));
}

function load<T>(specifier: string): T {
  try {
    return requireHere(specifier) as T;
  } catch (error) {
    // A bundler does not follow this require: an application bundled without node_modules lands here.
    throw new Error(
      `Stepwise loads the '${specifier}' package when it is first needed and could not load it: ${(error as Error).message.split('\n')[0]}. ` +
        `It is one of Stepwise's dependencies; an application bundle must keep it external (esbuild: --external:${specifier}) and ship it in node_modules.`,
      { cause: error },
    );
  }
}
