import type { JsonValue } from '../../asl/json-value.js';

/**
 * ItemBatcher's batches (DG:input-output-itembatcher): items in order, `{ BatchInput?, Items }`,
 * a new batch once the current one holds `maxItems` items or the next item would take it past
 * `maxBytes` (each item's JSON text in UTF-8); an item larger than `maxBytes` still gets a batch.
 */
export function batchesOf(items: readonly JsonValue[], maxItems: number, maxBytes: number, batchInput: JsonValue | undefined): JsonValue[] {
  const batches: JsonValue[] = [];
  let current: JsonValue[] = [];
  let bytes = 0;
  const flush = () => {
    if (current.length === 0) return;
    batches.push(batchInput !== undefined ? { BatchInput: batchInput, Items: current } : { Items: current });
    current = [];
    bytes = 0;
  };
  for (const item of items) {
    const size = Buffer.byteLength(JSON.stringify(item), 'utf8');
    if (current.length >= maxItems || (current.length > 0 && bytes + size > maxBytes)) flush();
    current.push(item);
    bytes += size;
  }
  flush();
  return batches;
}
