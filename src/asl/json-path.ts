// INTERFACE STUB: to be implemented by the JSONPath helper. Signatures are fixed.
import type { JsonValue } from './json-value.js';
import type { PathContext } from './path-context.js';

/**
 * Evaluates a JSONPath-mode path: `$...` reads the input, `$$...` the context object,
 * `$name...` a workflow variable. Returns `undefined` when a definite path matches nothing;
 * an indefinite path (wildcard, slice, filter, union, deep scan) returns the array of matches.
 */
export function evaluatePath(path: string, ctx: PathContext): JsonValue | undefined {
  throw new Error('not implemented');
}

/** Syntax check only: null when valid, else a short reason. */
export function checkPathSyntax(path: string): string | null {
  throw new Error('not implemented');
}
