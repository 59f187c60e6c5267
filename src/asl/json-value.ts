/** JSON values as they flow through an execution. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The deepest nesting of arrays and objects Stepwise takes. Its stores serialise events with
 * V8's serializer and JSON.stringify, and its validator walks definitions, all recursively: a
 * few thousand levels exhaust the call stack. AWS documents no such limit; a value this deep
 * only arises by mistake.
 */
export const MAX_JSON_DEPTH = 1000;

/** Whether a value nests arrays and objects more than `max` levels deep; walked without recursion. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: unknown[] = [value];
  const depths: number[] = [1];
  while (stack.length > 0) {
    const v = stack.pop();
    const depth = depths.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === 'object' && child !== null) {
        stack.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}
