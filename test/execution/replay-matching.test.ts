import { describe, expect, it } from 'vitest';
import { IterationDetails, StateEnteredDetails, createHistoryEvent, type HistoryEvent } from '../../src/execution/history-event.js';
import { compareEvents } from '../../src/execution/replay-matching.js';

const exited = (details: Record<string, unknown>): HistoryEvent => ({
  id: 3, previousEventId: 2, timestamp: 0, type: 'PassStateExited', stateExitedEventDetails: { name: 'P', ...details },
});

describe('compareEvents (strict)', () => {
  it('ignores key order and members that are undefined, as the JSON of the event would', () => {
    const recorded = exited({ output: { a: 1, b: [1, { c: 'x', d: null }] }, outputDetails: { truncated: false } });
    const replayed = exited({ outputDetails: { truncated: false }, output: { b: [1, { d: null, c: 'x', e: undefined }], a: 1 }, extra: undefined });
    expect(compareEvents(recorded, replayed, 'strict')).toBeNull();
  });

  it('reports a changed value, a missing member and a longer array with both sides as JSON', () => {
    const recorded = exited({ output: { a: 1, list: [1, 2] } });
    expect(compareEvents(recorded, exited({ output: { a: 2, list: [1, 2] } }), 'strict')).toBe('details {"name":"P","output":{"a":2,"list":[1,2]}} instead of {"name":"P","output":{"a":1,"list":[1,2]}}');
    expect(compareEvents(recorded, exited({ output: { list: [1, 2] } }), 'strict')).toMatch(/^details .* instead of /);
    expect(compareEvents(recorded, exited({ output: { a: 1, list: [1, 2, 3] } }), 'strict')).toMatch(/^details .* instead of /);
  });

  it('treats what JSON cannot tell apart as equal (NaN and null, a Date and its ISO text)', () => {
    const when = new Date(0);
    expect(compareEvents(exited({ output: { n: null, t: when.toISOString() } }), exited({ output: { n: Number.NaN, t: when } }), 'strict')).toBeNull();
  });

  it('compares only type, ids and state names in structure mode', () => {
    expect(compareEvents(exited({ output: 1 }), exited({ output: 2 }), 'structure')).toBeNull();
    expect(compareEvents(exited({ output: 1 }), { ...exited({ output: 1 }), previousEventId: 1 }, 'structure')).toBe('previousEventId 1 instead of 2');
  });

  it('compares the events and details the runtime builds with the ones a stored history gives back', () => {
    const live = createHistoryEvent(2, 0, 0, 'PassStateEntered', new StateEnteredDetails('P', { a: [1, 2] }));
    const stored: HistoryEvent = JSON.parse(JSON.stringify(live));
    expect(compareEvents(stored, live, 'strict')).toBeNull();
    const other = createHistoryEvent(2, 0, 0, 'PassStateEntered', new StateEnteredDetails('P', { a: [1, 3] }));
    expect(compareEvents(stored, other, 'strict')).toBe('details {"input":{"a":[1,3]},"inputDetails":{"truncated":false},"name":"P"} instead of {"input":{"a":[1,2]},"inputDetails":{"truncated":false},"name":"P"}');
    const iteration = createHistoryEvent(5, 4, 0, 'MapIterationStarted', new IterationDetails(0, 'M'));
    expect(compareEvents(JSON.parse(JSON.stringify(iteration)), iteration, 'strict')).toBeNull();
    expect(compareEvents(JSON.parse(JSON.stringify(iteration)), createHistoryEvent(5, 4, 0, 'MapIterationStarted', new IterationDetails(1, 'M')), 'strict')).toMatch(/^details .*"index":1.* instead of .*"index":0/);
  });
});
