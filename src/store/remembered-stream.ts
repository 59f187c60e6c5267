import type { JsonValue } from '../asl/json-value.js';
import type { HistoryEvent } from '../execution/history-event.js';

/**
 * What an execution got from outside that its history does not record, kept in a stream of its
 * own beside the history: the items an ItemReader read (AWS records them nowhere, but a redriven
 * Map Run reads them again from its first attempt, DG:redrive-map-run). A resume, replay or
 * redrive takes them from here instead of reading again, so an object changed or gone since
 * changes nothing. Readers of every stream skip these with `isInternalStream`.
 */
const REMEMBERED_PREFIX = 'stepwise-remembered:';
const REMEMBERED_TYPE = 'StepwiseRemembered';

export function rememberedStreamOf(executionArn: string): string {
  return REMEMBERED_PREFIX + executionArn;
}

export function isRememberedStream(streamId: string): boolean {
  return streamId.startsWith(REMEMBERED_PREFIX);
}

/** One remembered value under its key (the same key twice: the first one counts). */
export function rememberedEvent(id: number, key: string, value: JsonValue, now: number): HistoryEvent {
  return { id, previousEventId: id - 1, timestamp: now, type: REMEMBERED_TYPE as HistoryEvent['type'], rememberedEventDetails: { key, value } };
}

/**
 * The key of what the ItemReader of the Map state entered at `enteredEventId` read, in attempt
 * `retry`; `redrivenAt`: the ExecutionRedriven of the redrive that picked that entry up (it keeps
 * the entry's id and counts its retries again), whose reads are its own.
 */
export function itemsReadKey(enteredEventId: number, retry: number, redrivenAt = 0): string {
  return redrivenAt > 0 ? `${redrivenAt}/${enteredEventId}/${retry}` : `${enteredEventId}/${retry}`;
}

/** The key of how that Map state's ResultWriter export ended. */
export function exportKey(enteredEventId: number, retry: number, redrivenAt = 0): string {
  return `${itemsReadKey(enteredEventId, retry, redrivenAt)}/export`;
}

/**
 * Keys name the event the value belongs to first (`<eventId>/...`): the values a fork of the
 * execution up to `lastEventId` keeps, renumbered for a stream of its own.
 */
export function rememberedUpTo(events: readonly HistoryEvent[], lastEventId: number): HistoryEvent[] {
  const kept = events.filter((e) => {
    const key = (e.rememberedEventDetails as { key?: unknown } | undefined)?.key;
    return typeof key === 'string' && Number.parseInt(key, 10) <= lastEventId;
  });
  return kept.map((e, i) => ({ ...e, id: i + 1, previousEventId: i }));
}

/** The values of a remembered stream by key, the first one of each. */
export function rememberedValues(events: readonly HistoryEvent[]): Map<string, JsonValue> {
  const values = new Map<string, JsonValue>();
  for (const e of events) {
    const d = e.rememberedEventDetails as { key?: unknown; value?: JsonValue } | undefined;
    if (d && typeof d.key === 'string' && !values.has(d.key)) values.set(d.key, d.value ?? null);
  }
  return values;
}
