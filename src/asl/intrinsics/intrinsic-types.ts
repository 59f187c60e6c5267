import { AslError } from '../../errors/asl-error.js';
import { StatesErrors } from '../../errors/error-names.js';
import type { JsonValue } from '../json-value.js';

/** Where States.MathRandom (unseeded) and States.UUID get their randomness; tests inject a fixed one. */
export type RandomSource = {
  /** A float in [0, 1), like Math.random(). */
  random(): number;
  /** A version 4 UUID in its canonical lower-case form. */
  uuid(): string;
};

export interface IntrinsicEnv {
  readonly random: RandomSource;
}

/** An evaluated argument, plus what States.Format needs to know about a quoted literal. */
export interface IntrinsicArgument {
  readonly value: JsonValue;
  /** Present for quoted literals only: the text cut at unescaped `{}`. */
  readonly segments?: readonly string[];
  /** Present for quoted literals only: an unescaped `{` is not followed by `}`. */
  readonly unmatchedBrace?: boolean;
}

/**
 * What an argument must be. Checked before the implementation runs, both at run time and,
 * for literals and nested calls, by checkIntrinsicSyntax.
 */
export type ArgType = 'any' | 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';

export interface IntrinsicFunction {
  /** Full name, e.g. `States.ArrayGetItem`. */
  readonly name: string;
  /** Types of the positional parameters. */
  readonly params: readonly ArgType[];
  /** How many trailing entries of `params` may be left out. */
  readonly optional?: number;
  /** Type of any further arguments; absent when the function takes no more than `params`. */
  readonly rest?: ArgType;
  /** What the call evaluates to, so a nested call can be type-checked before running. */
  readonly returns: ArgType;
  readonly evaluate: (args: readonly IntrinsicArgument[], env: IntrinsicEnv) => JsonValue;
  /** Extra definition-time rules on literal arguments; null when fine. */
  readonly checkLiterals?: (args: readonly (JsonValue | undefined)[], segments: readonly (readonly string[] | undefined)[]) => string | null;
}

/**
 * An intrinsic call that cannot be evaluated: arguments of the wrong type or out of range, text
 * that is no JSON or Base64, ... AWS fails the state with States.Runtime, not the
 * States.IntrinsicFailure of the ASL spec's error list, and names the whole call in the cause
 * (recorded against AWS (2026-09)); compileIntrinsic adds that name to `cause`.
 */
export class IntrinsicEvaluationError extends AslError {
  constructor(readonly reason: string) {
    super(StatesErrors.Runtime, reason);
  }
}

export function intrinsicFailure(cause: string): AslError {
  return new IntrinsicEvaluationError(cause);
}

/** The cause AWS gives when `expression` (the field's whole value) fails for `reason`. */
export function intrinsicFailureCause(expression: string, reason: string): string {
  return `There was an error while evaluating the intrinsic function: ${expression}. ${reason}`;
}

/**
 * Raised when a path argument matches nothing. AWS reports a missing path as States.Runtime,
 * naming the field; only the caller knows the field, so it gets the path to build that text.
 */
export class IntrinsicPathNotFoundError extends AslError {
  constructor(
    readonly path: string,
    readonly searched: JsonValue | undefined,
  ) {
    super(StatesErrors.Runtime, `The JSONPath '${path}' could not be found in the input '${JSON.stringify(searched ?? null)}'`);
  }
}
