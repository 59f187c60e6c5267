import type { HistoryEvent } from '../../src/execution/history-event.js';

/** An event with nested JSON details, as the journal records them. */
export function historyEvent(id: number, details: Record<string, unknown> = {}): HistoryEvent {
  return {
    id,
    previousEventId: id - 1,
    timestamp: 1_700_000_000_000 + id,
    type: 'PassStateEntered',
    stateEnteredEventDetails: { name: `State${id}`, input: { n: id, list: [id, 'x', null, true], nested: { deep: { id } } }, ...details },
  };
}

export function historyEvents(firstId: number, count: number): HistoryEvent[] {
  return Array.from({ length: count }, (_, i) => historyEvent(firstId + i));
}
