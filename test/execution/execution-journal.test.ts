import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryEventStore, createRuntime, openFileEventStore, type HistoryEvent } from '../../src/index.js';
import type { EventStore } from '../../src/store/event-store.js';

const passes = (n: number) => ({
  StartAt: 'P1',
  States: Object.fromEntries(Array.from({ length: n }, (_, i) => [`P${i + 1}`, i + 1 < n ? { Type: 'Pass', Next: `P${i + 2}` } : { Type: 'Pass', End: true }])),
});

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

// The journal keeps its own list of events unless the store shows its in-memory list: both
// ways must give the same events and enforce the same history limit.
const stores: [string, () => Promise<EventStore>][] = [
  ['the in-memory store', async () => createMemoryEventStore()],
  ['the file store', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'stepwise-journal-'));
    dirs.push(dir);
    return openFileEventStore(dir);
  }],
];

describe.each(stores)('an execution journal on %s', (_name, open) => {
  it('shows the events the store holds, in order', async () => {
    const store = await open();
    const runtime = createRuntime({ store, clock: 'virtual' });
    const execution = runtime.startExecution({ definition: passes(3), input: { a: 1 } });
    await execution.done;
    const stored = await store.read(execution.identity.executionArn);
    expect(execution.events.map((e: HistoryEvent) => e.type)).toEqual([
      'ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'PassStateEntered', 'PassStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded',
    ]);
    expect(execution.events).toEqual(stored);
    await runtime.close();
  });

  it('fails the execution with States.Runtime once its history passes the limit, and stores no more', async () => {
    const store = await open();
    const runtime = createRuntime({ store, clock: 'virtual', limits: { historyEvents: 10 } });
    const execution = runtime.startExecution({ definition: passes(10), input: {} });
    const result = await execution.done;
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('States.Runtime');
    expect(result.cause).toBe('The execution reached the maximum number of history events (10).');
    const stored = await store.read(execution.identity.executionArn);
    expect(stored.at(-1)).toMatchObject({ type: 'ExecutionFailed', executionFailedEventDetails: { error: 'States.Runtime' } });
    expect(stored.filter((e) => e.type === 'ExecutionSucceeded')).toEqual([]);
    // It stops at the limit: what fits, then the failure threaded on the last event kept.
    expect(stored.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(stored.at(-1)!.previousEventId).toBe(9);
    expect(execution.events).toEqual(stored);
    await runtime.close();
  });

  it('stops a history built over many steps at the limit too, and calls no task past it', async () => {
    const store = await open();
    const runtime = createRuntime({ store, clock: 'virtual', limits: { historyEvents: 12 } });
    const calls: string[] = [];
    runtime.handle('arn:aws:lambda:*:*:function:*', ({ stateName }) => {
      calls.push(stateName);
      return {};
    });
    const task = (next?: string) => ({ Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f', ...(next ? { Next: next } : { End: true }) });
    const definition = { StartAt: 'T1', States: { T1: task('T2'), T2: task('T3'), T3: task('T4'), T4: task() } };
    const execution = runtime.startExecution({ definition, input: {} });
    const result = await execution.done;
    expect(result.status).toBe('FAILED');
    expect(result.cause).toBe('The execution reached the maximum number of history events (12).');
    const stored = await store.read(execution.identity.executionArn);
    expect(stored).toHaveLength(12);
    // T2's answer, its exit, T3's entry and scheduling are recorded in one step (events 10 to
    // 13): the two that fit are kept, T3 is never called.
    expect(stored.map((e) => e.type).slice(-3)).toEqual(['LambdaFunctionSucceeded', 'TaskStateExited', 'ExecutionFailed']);
    expect(calls).toEqual(['T1', 'T2']);
    await runtime.close();
  });

  it('runs the same definition to success when the limit is lifted', async () => {
    const store = await open();
    const runtime = createRuntime({ store, clock: 'virtual', limits: { historyEvents: Infinity } });
    const result = await runtime.run({ definition: passes(10), input: {} });
    expect(result.status).toBe('SUCCEEDED');
    await runtime.close();
  });
});
