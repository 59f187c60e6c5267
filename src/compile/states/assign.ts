import type { JsonValue } from '../../asl/json-value.js';
import { evaluatePayloadTemplate } from '../../asl/payload-template.js';
import type { ScopeRuntime } from '../scope-runtime.js';

/**
 * Evaluates a JSONPath-mode `Assign` (DG:workflow-variables): a payload template whose `$` is
 * the state's result, read with the variable values from state entry. The new values take
 * effect only when the state exits, so every expression of one Assign sees the old ones.
 */
export function evaluateAssign(rt: ScopeRuntime, assign: Record<string, JsonValue> | undefined, dollar: JsonValue): Record<string, JsonValue> | undefined {
  if (assign === undefined) return undefined;
  return evaluatePayloadTemplate(assign, rt.pathContext(dollar), 'Assign') as Record<string, JsonValue>;
}

/** Makes assigned values visible to the states that follow. */
export function applyAssigned(rt: ScopeRuntime, assigned: Record<string, JsonValue> | undefined): void {
  if (!assigned) return;
  const next = { ...rt.variables };
  for (const key of Object.keys(assigned)) next[key] = assigned[key]!;
  rt.variables = next;
}
