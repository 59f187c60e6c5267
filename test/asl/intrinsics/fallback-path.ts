import type { JsonValue } from '../../../src/asl/json-value.js';
import type { PathContext } from '../../../src/asl/path-context.js';

/**
 * A minimal definite-path reader, used by the intrinsic tests only while src/asl/json-path.ts
 * is still a placeholder: `$`, `$$`, `$name`, then `.field`, `['field']` and `[index]`.
 */
export function fallbackEvaluatePath(path: string, ctx: PathContext): JsonValue | undefined {
  const root = /^(\$\$|\$[A-Za-z_][A-Za-z0-9_]*|\$)/.exec(path);
  if (!root) throw new Error(`fallback path reader cannot read '${path}'`);
  let current: JsonValue | undefined =
    root[1] === '$$' ? ctx.context : root[1] === '$' ? ctx.input : ctx.variables?.[root[1]!.slice(1)];
  const step = /\.([^.[\]]+)|\['([^']*)'\]|\[(\d+)\]/y;
  step.lastIndex = root[1]!.length;
  while (step.lastIndex < path.length) {
    const match = step.exec(path);
    if (!match) throw new Error(`fallback path reader cannot read '${path}'`);
    if (current === undefined || current === null || typeof current !== 'object') return undefined;
    if (match[3] !== undefined) {
      current = Array.isArray(current) ? current[Number(match[3])] : undefined;
    } else {
      const key = (match[1] ?? match[2])!;
      current = Array.isArray(current) ? undefined : Object.hasOwn(current, key) ? current[key] : undefined;
    }
  }
  return current;
}

/** Uses the real evaluatePath once it exists, the fallback until then. */
export function withFallback(
  real: (path: string, ctx: PathContext) => JsonValue | undefined,
): (path: string, ctx: PathContext) => JsonValue | undefined {
  return (path, ctx) => {
    try {
      return real(path, ctx);
    } catch (error) {
      if (error instanceof Error && error.message === 'not implemented') return fallbackEvaluatePath(path, ctx);
      throw error;
    }
  };
}
