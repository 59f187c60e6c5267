import type { JsonValue } from '../../../src/asl/json-value.js';
import { evaluatePath, selectPathOrThrowRuntime } from '../../../src/asl/json-path.js';
import { evaluateJsonataTemplate } from '../../../src/asl/jsonata/index.js';
import type { PathContext } from '../../../src/asl/path-context.js';
import { evaluatePayloadTemplate } from '../../../src/asl/payload-template.js';
import { itemsFromReader } from '../../../src/compile/states/item-reader.js';
import { isAslError } from '../../../src/errors/asl-error.js';
import { validationError } from '../aws-json-protocol.js';
import { batchesOf } from '../../../src/compile/states/item-batcher.js';

type StateDef = Record<string, JsonValue>;

/** What TestState knows of a mocked Map without running its iterations. */
export interface MapFacts {
  /** The items it would run over (after ItemReader or ItemsPath/Items), when they can be worked out. */
  items?: JsonValue[];
  /** Its tolerated failure thresholds, when it declares them (a value, a path or a JSONata expression). */
  toleratedCount?: number;
  toleratedPercentage?: number;
  /** DEBUG/TRACE members (API:InspectionData): maxConcurrency, toleratedFailure*, afterItemsPath, afterItemSelector, afterItemBatcher. */
  inspection: Record<string, unknown>;
  /** How many iterations it would run: one per item, or per batch with ItemBatcher. */
  iterations?: number;
  /** Why ItemsPath gives no items: the Map fails with States.Runtime and this cause. */
  itemsError?: string;
}

export interface MapScope {
  input: JsonValue;
  context: Record<string, JsonValue>;
  variables: Record<string, JsonValue>;
  jsonata: boolean;
  /** The items `stateConfiguration.mapItemReaderData` holds, as the ItemReader reads them. */
  readerItems?: JsonValue[];
}

/**
 * DG:test-state-isolation, "Understanding Map state inspection data" and "Testing Map and
 * Parallel states": a mocked Map's result comes from the mock, but what it does to its input is
 * still shown: the items (ItemsPath, JSONPath only), each item after ItemSelector (with
 * `$$.Map.Item`), the batches of ItemBatcher, MaxConcurrency (0 when not set) and the tolerated
 * failure thresholds it declares. A JSONPath ItemsPath that gives no array fails the Map (AWS's
 * recorded answer); another field that cannot be evaluated is left out.
 */
export async function mapFacts(state: StateDef, s: MapScope): Promise<MapFacts> {
  const inspection: Record<string, unknown> = {};
  const facts: MapFacts = { inspection };
  const pathCtx = (input: JsonValue, extra?: Record<string, JsonValue>): PathContext => ({ input, context: extra ? { ...s.context, ...extra } : s.context, variables: s.variables });
  const jsonata = (value: JsonValue, field: string, extra?: Record<string, JsonValue>) =>
    evaluateJsonataTemplate(value, { states: { input: s.input, context: extra ? { ...s.context, ...extra } : s.context }, variables: s.variables }, field);
  const attempt = async <T>(work: () => T | Promise<T>): Promise<T | undefined> => {
    try {
      return await work();
    } catch (e) {
      if (isAslError(e)) return undefined;
      throw e;
    }
  };

  let effective: JsonValue = s.input;
  if (!s.jsonata) {
    const inputPath = state.InputPath;
    const after = inputPath === null ? {} : typeof inputPath === 'string' ? await attempt(() => selectPathOrThrowRuntime(inputPath, pathCtx(s.input))) : s.input;
    if (after === undefined) return facts;
    effective = after;
  }
  const number = async (value: JsonValue | undefined, path: JsonValue | undefined, field: string): Promise<number | undefined> => {
    let n: JsonValue | undefined;
    if (typeof value === 'number') n = value;
    else if (s.jsonata && typeof value === 'string') n = await attempt(() => jsonata(value, field));
    else if (!s.jsonata && typeof path === 'string') n = await attempt(() => evaluatePath(path, pathCtx(effective)));
    return typeof n === 'number' ? n : undefined;
  };

  let items: JsonValue | undefined;
  if (state.ItemReader !== undefined) {
    items = s.readerItems;
    const pointer = (state.ItemReader as { ReaderConfig?: { ItemsPointer?: JsonValue } }).ReaderConfig?.ItemsPointer;
    // Plain JSON text here, unlike the lists after it (recorded against AWS, 2026-09).
    if (pointer !== undefined && items !== undefined) inspection.afterItemsPointer = JSON.stringify(items);
  }
  else if (s.jsonata) items = state.Items === undefined ? s.input : await attempt(() => jsonata(state.Items!, 'Items'));
  else if (typeof state.ItemsPath === 'string') {
    const path = state.ItemsPath;
    items = await attempt(() => evaluatePath(path, pathCtx(effective)));
    if (!Array.isArray(items)) {
      // As AWS's TestState words it (recorded for `$$` and `$$.Execution.Input`): a context path loses its first `$`.
      facts.itemsError = items === undefined ? `Invalid path '${path}' : No results for path: ${path}`
        : `Reference path "${path.startsWith('$$') ? path.slice(1) : path}" must point to array.`;
      return facts;
    }
    inspection.afterItemsPath = listText(items);
  } else items = effective;

  inspection.maxConcurrency = (await number(state.MaxConcurrency, state.MaxConcurrencyPath, 'MaxConcurrency')) ?? 0;
  facts.toleratedCount = await number(state.ToleratedFailureCount, state.ToleratedFailureCountPath, 'ToleratedFailureCount');
  facts.toleratedPercentage = await number(state.ToleratedFailurePercentage, state.ToleratedFailurePercentagePath, 'ToleratedFailurePercentage');
  if (facts.toleratedCount !== undefined) inspection.toleratedFailureCount = facts.toleratedCount;
  if (facts.toleratedPercentage !== undefined) inspection.toleratedFailurePercentage = facts.toleratedPercentage;
  if (!Array.isArray(items)) return facts;
  facts.items = items;
  facts.iterations = items.length;

  const selector = state.ItemSelector ?? (s.jsonata ? undefined : state.Parameters);
  let selected: JsonValue[] | undefined = items;
  if (selector !== undefined) {
    const field = state.ItemSelector !== undefined ? 'ItemSelector' : 'Parameters';
    selected = await attempt(async () => {
      const out: JsonValue[] = [];
      for (let i = 0; i < items.length; i++) {
        const entry = { Map: { Item: { Index: i, Value: items[i]! } } };
        out.push(s.jsonata ? await jsonata(selector, field, entry) : evaluatePayloadTemplate(selector, pathCtx(effective, entry), field));
      }
      return out;
    });
    if (selected) inspection.afterItemSelector = listText(selected);
  }
  const batcher = state.ItemBatcher;
  if (selected && batcher !== null && typeof batcher === 'object' && !Array.isArray(batcher)) {
    const maxItems = (await number(batcher.MaxItemsPerBatch, batcher.MaxItemsPerBatchPath, 'ItemBatcher/MaxItemsPerBatch')) ?? Infinity;
    const maxBytes = (await number(batcher.MaxInputBytesPerBatch, batcher.MaxInputBytesPerBatchPath, 'ItemBatcher/MaxInputBytesPerBatch')) ?? Infinity;
    const batchInput = batcher.BatchInput === undefined ? undefined
      : await attempt(() => (s.jsonata ? jsonata(batcher.BatchInput!, 'ItemBatcher/BatchInput') : evaluatePayloadTemplate(batcher.BatchInput!, pathCtx(effective), 'BatchInput')));
    const batches = batchesOf(selected, maxItems, maxBytes, batchInput) as Record<string, JsonValue>[];
    facts.iterations = batches.length;
    // Each item of a batch as its JSON text (recorded against AWS, 2026-09).
    inspection.afterItemBatcher = listText(batches.map((b) => ({ ...b, Items: (b.Items as JsonValue[]).map((item) => JSON.stringify(item)) })));
  }
  return facts;
}

/**
 * A list in the inspection data as AWS prints it: each element's JSON text, joined by ", "
 * (`[1, 2, 3]`), as recorded against AWS (2026-09).
 */
function listText(items: readonly JsonValue[]): string {
  return `[${items.map((item) => JSON.stringify(item)).join(', ')}]`;
}


/**
 * `stateConfiguration.mapItemReaderData`: "The data read by ItemReader in Distributed Map states
 * as found in its original source" (API:TestStateConfiguration), read as the Map's ItemReader
 * reads a file: JSON (an array), JSON Lines or CSV as its ReaderConfig says, MaxItems applied.
 */
export function readerItemsOf(state: StateDef, data: string): JsonValue[] {
  const reader = state.ItemReader as { ReaderConfig?: JsonValue } | undefined;
  try {
    return itemsFromReader(data, reader?.ReaderConfig as never);
  } catch (e) {
    if (!isAslError(e)) throw e;
    throw validationError(`stateConfiguration.mapItemReaderData is not what the Map's ItemReader reads: ${e.causeText ?? e.error}`);
  }
}
