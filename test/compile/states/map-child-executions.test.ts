import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMemoryEventStore, createRuntime, openFileEventStore, type HistoryEvent, type JsonValue, type StateMachineDefinition } from '../../../src/index.js';
import { childIdentity } from '../../../src/compile/states/result-writer.js';

const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:charge';
const CHILD_MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:Billing/Orders';

/** A Distributed Map whose children call a Task; `after` is what the parent does once the Map is done. */
function billing(options: { maxConcurrency?: number; tolerated?: number; after?: 'end' | 'task' } = {}): StateMachineDefinition {
  const fan: Record<string, unknown> = {
    Type: 'Map', Label: 'Orders', MaxConcurrency: options.maxConcurrency ?? 0, ResultPath: '$.charged',
    ItemProcessor: {
      ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
      StartAt: 'Charge',
      States: { Charge: { Type: 'Task', Resource: LAMBDA, Parameters: { 'item.$': '$' }, End: true } },
    },
    ItemsPath: '$.items',
  };
  if (options.tolerated !== undefined) fan.ToleratedFailureCount = options.tolerated;
  if (options.after === 'task') fan.Next = 'Report';
  else fan.End = true;
  const states: Record<string, unknown> = { Fan: fan };
  if (options.after === 'task') states.Report = { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:report', End: true };
  return { StartAt: 'Fan', States: states } as unknown as StateMachineDefinition;
}

const mapRunArnOf = (events: readonly HistoryEvent[]) => (events.find((e) => e.type === 'MapRunStarted')!.mapRunStartedEventDetails as { mapRunArn: string }).mapRunArn;
const types = (events: readonly HistoryEvent[]) => events.map((e) => e.type);
const settle = () => new Promise((r) => setTimeout(r, 20));

describe('a Distributed Map runs each item as a child execution of its own', () => {
  it('with its own history, listed under <machine>/<label>, named from its parent, Map Run and index; the parent records nothing per child', async () => {
    const store = createMemoryEventStore();
    const runtime = createRuntime({ store, clock: 'virtual' });
    runtime.handle(LAMBDA, ({ input }) => ({ charged: (input as { item: JsonValue }).item }));
    const parent = runtime.startExecution({ definition: billing(), input: { items: [1, 2, 3] }, stateMachineName: 'Billing', name: 'run-1' });
    const result = await parent.done;
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { items: [1, 2, 3], charged: [{ charged: 1 }, { charged: 2 }, { charged: 3 }] } });
    expect(types(parent.events)).toEqual(['ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapRunStarted', 'MapRunSucceeded', 'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded']);

    const mapRunArn = mapRunArnOf(parent.events);
    expect(mapRunArn).toMatch(/^arn:aws:states:us-east-1:123456789012:mapRun:Billing\/Orders:[0-9a-f-]+$/);
    const children = (await store.list({ stateMachineArn: CHILD_MACHINE })).items.sort((a, b) => a.startDate - b.startDate || a.name.localeCompare(b.name));
    expect(children).toHaveLength(3);
    const expected = [0, 1, 2].map((i) => childIdentity(mapRunArn, i, parent.identity.executionArn));
    expect(children.map((c) => c.executionArn).sort()).toEqual(expected.map((e) => e.executionArn).sort());
    for (const [i, id] of expected.entries()) {
      expect(id.executionArn).toBe(`arn:aws:states:us-east-1:123456789012:execution:Billing/Orders:${id.name}`);
      const meta = (await store.getMetadata(id.executionArn))!;
      expect(meta).toMatchObject({ stateMachineArn: CHILD_MACHINE, name: id.name, status: 'SUCCEEDED' });
      expect(meta.extra).toMatchObject({ mapRunArn, parentExecutionArn: parent.identity.executionArn, input: i + 1 });
      const history = await store.read(id.executionArn);
      expect(types(history)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
      expect(history[0]!.executionStartedEventDetails).toMatchObject({ input: i + 1 });
      expect(history.at(-1)!.executionSucceededEventDetails).toMatchObject({ output: { charged: i + 1 } });
    }
    // The children are not executions of the parent's state machine.
    expect((await store.list({ stateMachineArn: parent.identity.stateMachineArn })).items.map((m) => m.executionArn)).toEqual([parent.identity.executionArn]);
  });

  it('their $$ is their own: the child execution and the <machine>/<label> state machine', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    const definition = {
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Map', Label: 'Orders',
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED' }, StartAt: 'Who', States: { Who: { Type: 'Pass', Parameters: { 'execution.$': '$$.Execution.Id', 'machine.$': '$$.StateMachine.Id', 'input.$': '$$.Execution.Input' }, End: true } } },
          End: true,
        },
      },
    } as unknown as StateMachineDefinition;
    const parent = runtime.startExecution({ definition, input: ['a'], stateMachineName: 'Billing' });
    const result = await parent.done;
    const id = childIdentity(mapRunArnOf(parent.events), 0, parent.identity.executionArn);
    expect(result.output).toEqual([{ execution: id.executionArn, machine: CHILD_MACHINE, input: 'a' }]);
  });
});

describe('a Distributed Map after a crash', () => {
  it('finds the children it started: those that ended are not run again, one in flight is resumed with them', async () => {
    const store = createMemoryEventStore();
    const first = createRuntime({ store, clock: 'virtual' });
    const firstCalls: JsonValue[] = [];
    first.handle(LAMBDA, ({ input }) => {
      const item = (input as { item: JsonValue }).item;
      firstCalls.push(item);
      // The process "dies" while the second item's task is in flight.
      return item === 2 ? new Promise(() => {}) : { charged: item };
    });
    const parent = first.startExecution({ definition: billing({ maxConcurrency: 1 }), input: { items: [1, 2, 3] }, stateMachineName: 'Billing', name: 'crashy' });
    await settle();
    expect(firstCalls).toEqual([1, 2]);
    const recorded = await store.read(parent.identity.executionArn);
    expect(types(recorded).at(-1)).toBe('MapRunStarted');

    const second = createRuntime({ store, clock: 'virtual' });
    const secondCalls: JsonValue[] = [];
    second.handle(LAMBDA, ({ input }) => {
      const item = (input as { item: JsonValue }).item;
      secondCalls.push(item);
      return { charged: item, again: true };
    });
    const resumed = await second.start();
    // The parent and its child that was in flight (RUNNING in the store).
    expect(resumed.map((j) => j.identity.stateMachineName).sort()).toEqual(['Billing', 'Billing/Orders']);
    const result = await resumed.find((j) => j.identity.executionArn === parent.identity.executionArn)!.done;
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { charged: [{ charged: 1 }, { charged: 2, again: true }, { charged: 3, again: true }] } });
    expect(secondCalls).toEqual([2, 3]);
    const all = await store.read(parent.identity.executionArn);
    expect(all.slice(0, recorded.length)).toEqual(recorded);
    expect(types(all.slice(recorded.length))).toEqual(['MapRunSucceeded', 'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded']);
  });

  it('on the durable file store too: a second process finds the ended children and resumes the one in flight', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-map-children-'));
    const first = createRuntime({ store: await openFileEventStore(dir), clock: 'virtual' });
    const firstCalls: JsonValue[] = [];
    first.handle(LAMBDA, ({ input }) => {
      const item = (input as { item: JsonValue }).item;
      firstCalls.push(item);
      return item === 'b' ? new Promise(() => {}) : { charged: item };
    });
    const parent = first.startExecution({ definition: billing({ maxConcurrency: 1 }), input: { items: ['a', 'b', 'c'] }, stateMachineName: 'Billing', name: 'durable' });
    for (let i = 0; i < 100 && firstCalls.length < 2; i++) await settle();
    expect(firstCalls).toEqual(['a', 'b']);

    const second = createRuntime({ store: await openFileEventStore(dir), clock: 'virtual' });
    const secondCalls: JsonValue[] = [];
    second.handle(LAMBDA, ({ input }) => {
      const item = (input as { item: JsonValue }).item;
      secondCalls.push(item);
      return { charged: item };
    });
    const resumed = await second.start();
    const result = await resumed.find((j) => j.identity.executionArn === parent.identity.executionArn)!.done;
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { charged: [{ charged: 'a' }, { charged: 'b' }, { charged: 'c' }] } });
    expect(secondCalls).toEqual(['b', 'c']);
    await second.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('resumes a parent that is past the Map (its children are read, not replayed from its own history)', async () => {
    const store = createMemoryEventStore();
    const first = createRuntime({ store, clock: 'virtual' });
    first.handle(LAMBDA, ({ input }) => ({ charged: (input as { item: JsonValue }).item }));
    // The parent "dies" in the task after the Map.
    first.handle('arn:aws:lambda:us-east-1:123456789012:function:report', () => new Promise(() => {}));
    const parent = first.startExecution({ definition: billing({ after: 'task' }), input: { items: [1, 2] }, stateMachineName: 'Billing', name: 'past-the-map' });
    await settle();
    expect(types(await store.read(parent.identity.executionArn)).at(-1)).toBe('LambdaFunctionStarted');

    const second = createRuntime({ store, clock: 'virtual' });
    const charges: JsonValue[] = [];
    second.handle(LAMBDA, ({ input }) => {
      charges.push(input);
      return {};
    });
    second.handle('arn:aws:lambda:us-east-1:123456789012:function:report', ({ input }) => ({ reported: (input as { charged: JsonValue }).charged }));
    const resumed = await second.start();
    expect(resumed).toHaveLength(1);
    const result = await resumed[0]!.done;
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { reported: [{ charged: 1 }, { charged: 2 }] } });
    expect(charges).toEqual([]);
  });

  it('replays a parent against its stored children without calling anything', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    const calls: JsonValue[] = [];
    runtime.handle(LAMBDA, ({ input }) => {
      calls.push(input);
      return { charged: (input as { item: JsonValue }).item };
    });
    const parent = runtime.startExecution({ definition: billing(), input: { items: [1, 2, 3] }, stateMachineName: 'Billing' });
    await parent.done;
    const report = await runtime.replay({ executionArn: parent.identity.executionArn });
    expect(report).toEqual({ ok: true, replayedEvents: parent.events.length });
    expect(calls).toHaveLength(3);
  });
});

describe('a Distributed Map ends its children with it', () => {
  it('past its tolerated failures, aborts the children still running; its own history has no event per child', async () => {
    const store = createMemoryEventStore();
    const runtime = createRuntime({ store, clock: 'virtual' });
    runtime.handle(LAMBDA, ({ input }) => {
      const item = (input as { item: string }).item;
      if (item === 'bad') throw Object.assign(new Error('declined'), { name: 'Card.Declined' });
      return new Promise(() => {}); // 'slow' never answers
    });
    const parent = runtime.startExecution({ definition: billing({ tolerated: 0 }), input: { items: ['slow', 'bad'] }, stateMachineName: 'Billing' });
    const result = await parent.done;
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold', cause: 'The specified tolerated failure threshold was exceeded' });
    expect(types(parent.events)).toEqual(['ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapRunStarted', 'MapRunFailed', 'MapStateFailed', 'ExecutionFailed']);
    await settle();
    const mapRunArn = mapRunArnOf(parent.events);
    const [slow, bad] = [0, 1].map((i) => childIdentity(mapRunArn, i, parent.identity.executionArn).executionArn);
    expect((await store.getMetadata(bad!))!.status).toBe('FAILED');
    // A child is redriven through its parent, not on its own.
    await expect(runtime.redrive(bad!)).rejects.toThrow(/redrive its parent/);
    expect((await store.getMetadata(slow!))!.status).toBe('ABORTED');
    expect(types(await store.read(slow!)).slice(-2)).toEqual(['LambdaFunctionStarted', 'ExecutionAborted']);
  });

  it('a stopped parent aborts its running children', async () => {
    const store = createMemoryEventStore();
    const runtime = createRuntime({ store, clock: 'virtual' });
    runtime.handle(LAMBDA, () => new Promise(() => {}));
    const parent = runtime.startExecution({ definition: billing(), input: { items: [1, 2] }, stateMachineName: 'Billing' });
    await settle();
    const running = (await store.list({ stateMachineArn: CHILD_MACHINE, status: 'RUNNING' })).items;
    expect(running).toHaveLength(2);
    parent.stop('Operator.Stop', 'no longer needed');
    expect((await parent.done).status).toBe('ABORTED');
    await settle();
    for (const child of running) expect((await store.getMetadata(child.executionArn))!.status).toBe('ABORTED');
  });
});

describe('UpdateMapRun', () => {
  /** A handler whose calls wait until released; `inFlight` counts those waiting, `peak` the most at once. */
  function gated() {
    const waiting: (() => void)[] = [];
    const g = { inFlight: 0, peak: 0, calls: 0, releaseAll: () => waiting.splice(0).forEach((r) => r()) };
    const handler = ({ input }: { input: JsonValue }) => new Promise((resolve, reject) => {
      g.calls++;
      g.inFlight++;
      g.peak = Math.max(g.peak, g.inFlight);
      waiting.push(() => {
        g.inFlight--;
        const item = (input as { item: JsonValue }).item;
        if (typeof item === 'string' && item.startsWith('bad')) reject(Object.assign(new Error('declined'), { name: 'Card.Declined' }));
        else resolve({ charged: item });
      });
    });
    return { g, handler };
  }

  it('raises MaxConcurrency of a running Map Run: more children start at once; DescribeMapRun shows it', async () => {
    const store = createMemoryEventStore();
    const runtime = createRuntime({ store, clock: 'virtual' });
    const { g, handler } = gated();
    runtime.handle(LAMBDA, handler);
    const parent = runtime.startExecution({ definition: billing({ maxConcurrency: 1 }), input: { items: [1, 2, 3, 4] }, stateMachineName: 'Billing' });
    await settle();
    expect(g.inFlight).toBe(1);
    const mapRunArn = mapRunArnOf(parent.events);
    await runtime.updateMapRun(mapRunArn, { maxConcurrency: 3 });
    await settle();
    expect(g.inFlight).toBe(3);
    expect(types(parent.events).slice(-1)).toEqual(['MapRunStarted']); // nothing recorded for it
    while (g.calls < 4 || g.inFlight > 0) {
      g.releaseAll();
      await settle();
    }
    expect((await parent.done).output).toMatchObject({ charged: [{ charged: 1 }, { charged: 2 }, { charged: 3 }, { charged: 4 }] });
    expect(await runtime.describeMapRun(mapRunArn)).toMatchObject({ status: 'SUCCEEDED', maxConcurrency: 3, executionCounts: { succeeded: 4, total: 4 } });
    await expect(runtime.updateMapRun(mapRunArn, { maxConcurrency: 1 })).rejects.toThrow(/only a running Map Run can be updated/);
  });

  it('lowers MaxConcurrency: lanes retire as their children end; new tolerated failures apply from then on', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    const { g, handler } = gated();
    runtime.handle(LAMBDA, handler);
    // Two items fail, after the update: tolerating none (as started) would fail the Map Run.
    const parent = runtime.startExecution({ definition: billing({ maxConcurrency: 3, tolerated: 0 }), input: { items: [1, 2, 3, 'bad-4', 'bad-5', 6] }, stateMachineName: 'Billing' });
    await settle();
    expect(g.inFlight).toBe(3);
    await runtime.updateMapRun(mapRunArnOf(parent.events), { maxConcurrency: 1, toleratedFailureCount: 2 });
    g.releaseAll();
    await settle();
    g.peak = g.inFlight;
    expect(g.inFlight).toBe(1);
    while (g.calls < 6 || g.inFlight > 0) {
      g.releaseAll();
      await settle();
      expect(g.inFlight).toBeLessThanOrEqual(1);
    }
    expect(g.peak).toBe(1);
    const result = await parent.done;
    expect(result.status).toBe('SUCCEEDED');
    expect((result.output as { charged: JsonValue[] }).charged[3]).toMatchObject({ Error: 'Card.Declined' });
    await expect(runtime.updateMapRun(mapRunArnOf(parent.events).replace(/:[^:]+$/, ':0000'), { maxConcurrency: 2 })).rejects.toThrow(/Map Run Does Not Exist/);
  });
});

describe('a redrive of the parent redrives its Map Run (DG:redrive-map-run)', () => {
  const redrivenOf = (events: readonly HistoryEvent[]) => events.filter((e) => e.type === 'MapRunRedriven').map((e) => e.mapRunRedrivenEventDetails);
  const childArns = (parent: { identity: { executionArn: string } }, mapRunArn: string, n: number) => Array.from({ length: n }, (_, i) => childIdentity(mapRunArn, i, parent.identity.executionArn).executionArn);
  /** A runtime whose charge Task declines the items named (`decline` names others later) and notes every call. */
  const declining = (...items: string[]) => {
    const store = createMemoryEventStore();
    const runtime = createRuntime({ store, clock: 'virtual' });
    let declined = new Set(items);
    const calls: JsonValue[] = [];
    runtime.handle(LAMBDA, ({ input }) => {
      const item = (input as { item: string }).item;
      calls.push(item);
      if (declined.has(item)) throw Object.assign(new Error('declined'), { name: 'Card.Declined' });
      return { charged: item };
    });
    return { store, runtime, calls, decline: (...next: string[]) => (declined = new Set(next)) };
  };

  it('same Map Run ARN, MapRunRedriven; the children that failed are redriven in place, those that succeeded are not run again', async () => {
    const { store, runtime, calls, decline } = declining('b');
    const parent = runtime.startExecution({ definition: billing({ maxConcurrency: 1 }), input: { items: ['a', 'b', 'c'] }, stateMachineName: 'Billing' });
    expect((await parent.done).status).toBe('FAILED');
    expect(calls).toEqual(['a', 'b']);
    const mapRunArn = mapRunArnOf(parent.events);
    const [a, b, c] = childArns(parent, mapRunArn, 3);
    expect((await store.getMetadata(c!))).toBeUndefined();

    decline();
    calls.length = 0;
    const redriven = await runtime.redrive(parent.identity.executionArn);
    expect(await redriven.done).toMatchObject({ status: 'SUCCEEDED', output: { charged: [{ charged: 'a' }, { charged: 'b' }, { charged: 'c' }] } });
    // 'a' succeeded before: kept. 'b' is redriven, 'c' (never started) starts now.
    expect(calls).toEqual(['b', 'c']);
    const events = await store.read(parent.identity.executionArn);
    // As AWS records it (checked against AWS recordings): the Map is not entered nor started again;
    // MapRunRedriven threads on its MapStateStarted, and MapStateExited on MapRunRedriven.
    expect(types(events).slice(7)).toEqual(['ExecutionRedriven', 'MapRunRedriven', 'MapRunSucceeded', 'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded']);
    const threads = events.slice(7).map((e) => [e.id, e.previousEventId]);
    const started = events.find((e) => e.type === 'MapStateStarted')!.id;
    expect(threads).toEqual([[8, 7], [9, started], [10, 9], [11, 10], [12, 9], [13, 12]]);
    expect(events.filter((e) => e.type === 'MapRunStarted')).toHaveLength(1);
    expect(redrivenOf(events)).toEqual([{ mapRunArn, redriveCount: 1 }]);
    expect(types(await store.read(a!))).not.toContain('ExecutionRedriven');
    const bEvents = await store.read(b!);
    expect(types(bEvents).filter((t) => t.startsWith('Execution'))).toEqual(['ExecutionStarted', 'ExecutionFailed', 'ExecutionRedriven', 'ExecutionSucceeded']);
    expect(bEvents.find((e) => e.type === 'ExecutionRedriven')!.executionRedrivenEventDetails).toEqual({ redriveCount: 1 });
    expect(types(await store.read(c!))).not.toContain('ExecutionRedriven');

    const run = (await runtime.describeMapRun(mapRunArn))!;
    expect(run).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1, executionCounts: { succeeded: 3, failed: 0, total: 3 } });
    expect(run.redriveDate).toBe(events.find((e) => e.type === 'MapRunRedriven')!.timestamp);
    expect(await runtime.mapRuns(parent.identity.executionArn)).toHaveLength(1);
    // The whole history replays: each attempt of the Map Run reads its children's ends of that attempt.
    expect(await runtime.replay({ executionArn: parent.identity.executionArn })).toEqual({ ok: true, replayedEvents: events.length });
  });

  it('redriven again: a child first run in the second attempt is redriven in the third (redriveCount 2), and the history still replays', async () => {
    const { store, runtime, calls, decline } = declining('b');
    const parent = runtime.startExecution({ definition: billing({ maxConcurrency: 1 }), input: { items: ['a', 'b', 'c', 'd'] }, stateMachineName: 'Billing' });
    expect((await parent.done).status).toBe('FAILED');
    decline('c');
    expect((await (await runtime.redrive(parent.identity.executionArn)).done).status).toBe('FAILED');
    decline();
    calls.length = 0;
    expect(await (await runtime.redrive(parent.identity.executionArn)).done).toMatchObject({ status: 'SUCCEEDED' });
    expect(calls).toEqual(['c', 'd']);
    const events = await store.read(parent.identity.executionArn);
    const mapRunArn = mapRunArnOf(events);
    expect(redrivenOf(events)).toEqual([{ mapRunArn, redriveCount: 1 }, { mapRunArn, redriveCount: 2 }]);
    const [, b, c, d] = childArns(parent, mapRunArn, 4);
    const endsOf = async (arn: string) => types(await store.read(arn)).filter((t) => t.startsWith('Execution'));
    expect(await endsOf(b!)).toEqual(['ExecutionStarted', 'ExecutionFailed', 'ExecutionRedriven', 'ExecutionSucceeded']);
    expect(await endsOf(c!)).toEqual(['ExecutionStarted', 'ExecutionFailed', 'ExecutionRedriven', 'ExecutionSucceeded']);
    expect(await endsOf(d!)).toEqual(['ExecutionStarted', 'ExecutionSucceeded']);
    expect(await runtime.describeMapRun(mapRunArn)).toMatchObject({ status: 'SUCCEEDED', redriveCount: 2 });
    expect(await runtime.replay({ executionArn: parent.identity.executionArn })).toEqual({ ok: true, replayedEvents: events.length });
  });

  it('a stopped parent, redriven, redrives the children it aborted', async () => {
    const store = createMemoryEventStore();
    const runtime = createRuntime({ store, clock: 'virtual' });
    let hang = true;
    runtime.handle(LAMBDA, ({ input }) => (hang ? new Promise(() => {}) : { charged: (input as { item: JsonValue }).item }));
    const parent = runtime.startExecution({ definition: billing(), input: { items: [1, 2] }, stateMachineName: 'Billing' });
    await settle();
    parent.stop('Operator.Stop', 'later');
    expect((await parent.done).status).toBe('ABORTED');
    await settle();
    hang = false;
    const redriven = await runtime.redrive(parent.identity.executionArn);
    expect(await redriven.done).toMatchObject({ status: 'SUCCEEDED', output: { charged: [{ charged: 1 }, { charged: 2 }] } });
    const mapRunArn = mapRunArnOf(parent.events);
    for (const arn of childArns(parent, mapRunArn, 2)) {
      expect(types(await store.read(arn)).filter((t) => t.startsWith('Execution'))).toEqual(['ExecutionStarted', 'ExecutionAborted', 'ExecutionRedriven', 'ExecutionSucceeded']);
    }
  });

  it('after a crash in the middle of the redriven Map Run, a new runtime finishes it: the child in flight is resumed, nothing is redriven twice', async () => {
    const store = createMemoryEventStore();
    const first = createRuntime({ store, clock: 'virtual' });
    let mode: 'decline' | 'hang' = 'decline';
    first.handle(LAMBDA, ({ input }) => {
      const item = (input as { item: string }).item;
      if (item !== 'b') return { charged: item };
      if (mode === 'decline') throw Object.assign(new Error('declined'), { name: 'Card.Declined' });
      return new Promise(() => {}); // the process "dies" with b's redriven task in flight
    });
    const parent = first.startExecution({ definition: billing({ maxConcurrency: 1 }), input: { items: ['a', 'b', 'c'] }, stateMachineName: 'Billing', name: 'redrive-crash' });
    expect((await parent.done).status).toBe('FAILED');
    mode = 'hang';
    await first.redrive(parent.identity.executionArn);
    await settle();
    const mapRunArn = mapRunArnOf(parent.events);
    const [, b] = childArns(parent, mapRunArn, 3);
    expect(types(await store.read(b!)).at(-1)).toBe('LambdaFunctionStarted');

    const second = createRuntime({ store, clock: 'virtual' });
    const calls: JsonValue[] = [];
    second.handle(LAMBDA, ({ input }) => {
      calls.push((input as { item: JsonValue }).item);
      return { charged: (input as { item: JsonValue }).item };
    });
    const resumed = await second.start();
    const result = await resumed.find((j) => j.identity.executionArn === parent.identity.executionArn)!.done;
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { charged: [{ charged: 'a' }, { charged: 'b' }, { charged: 'c' }] } });
    expect(calls).toEqual(['b', 'c']);
    const events = await store.read(parent.identity.executionArn);
    expect(redrivenOf(events)).toEqual([{ mapRunArn, redriveCount: 1 }]);
    expect(types(await store.read(b!)).filter((t) => t === 'ExecutionRedriven')).toHaveLength(1);
    expect(await second.replay({ executionArn: parent.identity.executionArn })).toEqual({ ok: true, replayedEvents: events.length });
  });
});

describe('a Distributed Map that reads its items and writes its results, replayed and redriven', () => {
  it('the replay takes the items remembered from the read and writes nothing; the redriven Map Run exports again, each record with its RedriveCount', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    let declined = true;
    const reads: JsonValue[] = [];
    const writes: string[] = [];
    const bodies = new Map<string, string>();
    runtime.handle(LAMBDA, ({ input }) => {
      if (declined && input === 2) throw Object.assign(new Error('declined'), { name: 'Card.Declined' });
      return { charged: input };
    });
    runtime.handle('arn:aws:states:::s3:getObject', ({ input }) => {
      reads.push(input);
      return JSON.stringify([1, 2]);
    });
    runtime.handle('arn:aws:states:::s3:putObject', ({ input }) => {
      const { Key, Body } = input as { Key: string; Body: string };
      writes.push(Key);
      bodies.set(Key, Body);
      return {};
    });
    const definition = {
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Map', Label: 'Orders',
          ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Parameters: { Bucket: 'in', Key: 'orders.json' } },
          ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'out', Prefix: 'runs' } },
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Charge', States: { Charge: { Type: 'Task', Resource: LAMBDA, End: true } } },
          End: true,
        },
      },
    } as unknown as StateMachineDefinition;
    const parent = runtime.startExecution({ definition, input: {}, stateMachineName: 'Billing' });
    expect((await parent.done).status).toBe('FAILED');
    const written = writes.length;
    expect(written).toBeGreaterThan(0);
    reads.length = 0;

    expect(await runtime.replay({ executionArn: parent.identity.executionArn })).toEqual({ ok: true, replayedEvents: parent.events.length });
    expect(reads).toEqual([]);
    expect(writes).toHaveLength(written);

    declined = false;
    const redriven = await (await runtime.redrive(parent.identity.executionArn)).done;
    expect(redriven.status).toBe('SUCCEEDED');
    const mapRunArn = mapRunArnOf(parent.events);
    const id = mapRunArn.slice(mapRunArn.lastIndexOf(':') + 1);
    expect(writes.slice(written)).toEqual([`runs/${id}/SUCCEEDED_0.json`, `runs/${id}/manifest.json`]);
    expect(redriven.output).toEqual({ MapRunArn: mapRunArn, ResultWriterDetails: { Bucket: 'out', Key: `runs/${id}/manifest.json` } });
    const records = JSON.parse(bodies.get(`runs/${id}/SUCCEEDED_0.json`)!) as { Input: string; RedriveCount: number; ExecutionArn: string }[];
    expect(records.map((r) => [r.Input, r.RedriveCount])).toEqual([['1', 0], ['2', 1]]);
    expect(records.map((r) => r.ExecutionArn)).toEqual([0, 1].map((i) => childIdentity(mapRunArn, i, parent.identity.executionArn).executionArn));
    const events = await runtime.execution(parent.identity.executionArn).history();
    expect(await runtime.replay({ executionArn: parent.identity.executionArn })).toEqual({ ok: true, replayedEvents: events.length });
  });
});

describe('a fork copied past a MapRunStarted', () => {
  it('runs the Map Run on with children of its own: each execution counts its own children, and DescribeMapRun the original\'s', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    runtime.handle(LAMBDA, ({ input }) => ({ charged: (input as { item: JsonValue }).item }));
    const parent = runtime.startExecution({ definition: billing(), input: { items: [1, 2, 3] }, stateMachineName: 'Billing' });
    await parent.done;
    const started = parent.events.find((e) => e.type === 'MapRunStarted')!;
    const fork = await runtime.fork(parent.identity.executionArn, { fromEventId: started.id });
    expect((await fork.done).status).toBe('SUCCEEDED');
    const mapRunArn = mapRunArnOf(parent.events);
    for (const arn of [parent.identity.executionArn, fork.identity.executionArn]) {
      const [run] = await runtime.describeMapRuns(arn);
      expect(run).toMatchObject({ mapRunArn, executionArn: arn, executionCounts: { succeeded: 3, total: 3 } });
      expect(run!.children.map((c) => (c.extra as { parentExecutionArn: string }).parentExecutionArn)).toEqual([arn, arn, arn]);
    }
    expect(await runtime.describeMapRun(mapRunArn)).toMatchObject({ executionArn: parent.identity.executionArn, executionCounts: { succeeded: 3, total: 3 } });
  });
});
