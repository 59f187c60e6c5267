import type { JsonValue } from './json-value.js';

/**
 * What a JSONPath-mode expression can read: the state's current input (`$`), the context
 * object (`$$`), and workflow variables (`$name`). Functions that evaluate paths, payload
 * templates, intrinsic functions and Choice rules all take one of these.
 */
export interface PathContext {
  /** The value `$` refers to. */
  readonly input: JsonValue;
  /** The context object `$$` (Execution, State, StateMachine, Task, Map). */
  readonly context: JsonValue;
  /** Workflow variables visible to the state (name without `$`). */
  readonly variables?: Readonly<Record<string, JsonValue>>;
  /** Where States.UUID and unseeded States.MathRandom draw from (an execution's recorded seed). */
  readonly random?: { random(): number; uuid(): string };
}
