// INTERFACE STUB: to be implemented by the intrinsics helper. Signatures are fixed.
import type { JsonValue } from '../json-value.js';
import type { PathContext } from '../path-context.js';

/** True when a string value of a `.$` field is an intrinsic function call (`States.X(...)`). */
export function isIntrinsicCall(expression: string): boolean {
  return /^\s*States\.[A-Za-z0-9]+\s*\(/.test(expression);
}

/** Evaluates `States.Format('x {}', $.a)` etc.; throws AslError('States.IntrinsicFailure', cause). */
export function evaluateIntrinsic(expression: string, ctx: PathContext): JsonValue {
  throw new Error('not implemented');
}

/** Syntax check only: null when valid, else a short reason. */
export function checkIntrinsicSyntax(expression: string): string | null {
  throw new Error('not implemented');
}
