import { describe, expect, it } from 'vitest';
import { createMemoryEventStore, createRuntime, type JsonValue, type StateMachineDefinition } from '../../src/index.js';
import type { EventStore } from '../../src/store/event-store.js';
import { diedAfter, journalTestStores, ManualClock, parallelOf } from './journal-stores.js';
import { ACTIVITY_STREAM } from '../../src/store/internal-streams.js';

/**
 * Live inputs that go through at once while an evaluation (an ItemReader's read, awaited as a
 * JSONata evaluation is) is pending: StopExecution, the execution's TimeoutSeconds, a worker
 * taking an activity task. Their events are recorded before whatever the evaluation's result
 * then records; a replay, which ran parked evaluations before matching the next recorded event,
 * diverged from such a history, and so did its resume. An activity the queue could not schedule
 * was answered at once too, though it is an answer like a task's result: it now waits.
 */

const stores = journalTestStores('stepwise-journal-eval-');

const READER = 'arn:aws:states:::s3:getObject';
const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:first';
const ACTIVITY = 'arn:aws:states:us-east-1:123456789012:activity:approve';

/**
 * A Map whose ItemReader's read is an evaluation that waits on I/O. Inline, it records its
 * iterations as soon as the read answers; Distributed, it records nothing until its Map Run ends.
 */
const readingMap = (mode: 'INLINE' | 'DISTRIBUTED') => ({
  Type: 'Map', End: true,
  ItemReader: { Resource: READER, Parameters: { Bucket: 'b', Key: 'items.json' } },
  ItemProcessor: { ProcessorConfig: { Mode: mode, ExecutionType: 'STANDARD' }, StartAt: 'Each', States: { Each: { Type: 'Pass', End: true } } },
});

/**
 * An ItemReader handler whose first read waits until `release()`; later reads (a replay's, a
 * resume's) answer at once. `reading` settles once the first read is under way.
 */
function slowReader() {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let began!: () => void;
  const reading = new Promise<void>((r) => (began = r));
  let answered!: () => void;
  const done = new Promise<void>((r) => (answered = r));
  let reads = 0;
  const handler = async () => {
    if (++reads === 1) {
      began();
      await gate;
      setTimeout(answered, 10);
    }
    return [1, 2] as JsonValue;
  };
  // `settledLive`: the first read answered, and the turn it was delivered in has passed.
  return { handler, reading, release, settledLive: done };
}

/** An activity Task beside a branch whose Lambda Task answers first and whose Map then reads its items. */
const activityBesideRead = (activity: string) => parallelOf(
  { StartAt: 'Approve', States: { Approve: { Type: 'Task', Resource: activity, End: true } } },
  { StartAt: 'First', States: { First: { Type: 'Task', Resource: LAMBDA, Next: 'Read' }, Read: readingMap('INLINE') } },
);

describe.each(stores)('a stop while an evaluation is pending on %s', (_name, open) => {
  const definition = (mode: 'INLINE' | 'DISTRIBUTED') => ({ StartAt: 'Read', States: { Read: readingMap(mode) } }) as StateMachineDefinition;
  const before = { INLINE: ['ExecutionStarted', 'MapStateEntered', 'MapStateStarted'], DISTRIBUTED: ['ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapRunStarted'] };

  it.each(['INLINE', 'DISTRIBUTED'] as const)('records the abort, ignores the evaluation settling after it, and replays and resumes to ABORTED (%s Map)', async (mode) => {
    const store = await open();
    const runtime = createRuntime({ store, clock: 'virtual' });
    const reader = slowReader();
    runtime.handle(READER, reader.handler);
    const execution = runtime.startExecution({ definition: definition(mode), input: {}, name: 'stopped' });
    const arn = execution.identity.executionArn;
    await reader.reading;
    execution.stop('Operator', 'enough');
    expect(await execution.done).toMatchObject({ status: 'ABORTED', error: 'Operator', cause: 'enough' });
    // The read answers after the stop: nothing more is recorded.
    reader.release();
    await reader.settledLive;
    const recorded = await store.read(arn);
    expect(recorded.map((e) => e.type)).toEqual([...before[mode], 'ExecutionAborted']);
    expect(execution.events).toEqual(recorded);

    // The process died after appending the abort, before its listing said so: the resume ends alike.
    const resumer = createRuntime({ store: await diedAfter(store, arn, recorded.length), clock: 'virtual' });
    resumer.handle(READER, () => [1, 2]);
    const [resumed] = await resumer.start();
    expect(await resumed!.done).toMatchObject({ status: 'ABORTED', error: 'Operator', cause: 'enough' });
    expect(await resumer.store.read(arn)).toEqual(recorded);

    expect(await runtime.replay({ executionArn: arn })).toEqual({ ok: true, replayedEvents: recorded.length });
    await runtime.close();
  });

  it('redrives the stopped execution (a redrive replays its history first) to success', async () => {
    const store = await open();
    const runtime = createRuntime({ store, clock: 'virtual' });
    const reader = slowReader();
    runtime.handle(READER, reader.handler);
    const execution = runtime.startExecution({ definition: definition('INLINE'), input: {}, name: 'stopped-then-redriven' });
    await reader.reading;
    execution.stop();
    expect(await execution.done).toMatchObject({ status: 'ABORTED' });
    reader.release();
    await reader.settledLive;
    const redriven = await runtime.redrive(execution.identity.executionArn);
    expect(await redriven.done).toMatchObject({ status: 'SUCCEEDED', output: [1, 2] });
    await runtime.close();
  });
});

describe.each(stores)('the execution timeout while an evaluation is pending on %s', (_name, open) => {
  const definition = { StartAt: 'Read', TimeoutSeconds: 60, States: { Read: readingMap('INLINE') } } as StateMachineDefinition;

  it('records the timeout, and replays and resumes to TIMED_OUT', async () => {
    const store = await open();
    const clock = new ManualClock();
    const runtime = createRuntime({ store, clock });
    const reader = slowReader();
    runtime.handle(READER, reader.handler);
    const execution = runtime.startExecution({ definition, input: {}, name: 'timed-out' });
    const arn = execution.identity.executionArn;
    await reader.reading;
    clock.advance(60_000);
    expect(await execution.done).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    reader.release();
    await reader.settledLive;
    const recorded = await store.read(arn);
    expect(recorded.map((e) => e.type)).toEqual(['ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'ExecutionTimedOut']);

    const resumer = createRuntime({ store: await diedAfter(store, arn, recorded.length), clock: new ManualClock() });
    resumer.handle(READER, () => [1, 2]);
    const [resumed] = await resumer.start();
    expect(await resumed!.done).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect(await resumer.store.read(arn)).toEqual(recorded);

    expect(await runtime.replay({ executionArn: arn })).toEqual({ ok: true, replayedEvents: recorded.length });
    await runtime.close();
  });
});

describe.each(stores)('a worker taking an activity task while an evaluation is pending on %s', (_name, open) => {
  // The activity is handed out before the other branch's read begins (its Task answers first),
  // and a worker takes it while the read is under way.
  const definition = activityBesideRead(ACTIVITY);
  const output = [{ approved: true }, [1, 2]];

  it('records ActivityStarted before the read\'s events, and a resume from any event finishes alike', async () => {
    const store = await open();
    const runtime = createRuntime({ store, clock: 'virtual' });
    await runtime.activities.create({ name: 'approve' });
    const reader = slowReader();
    runtime.handle(READER, reader.handler);
    runtime.handle(LAMBDA, () => ({ first: true }));
    const execution = runtime.startExecution({ definition, input: {}, name: 'taken' });
    const arn = execution.identity.executionArn;
    await reader.reading;
    const grant = await runtime.activities.getTask(ACTIVITY, { workerName: 'worker-1' });
    expect(grant).not.toBeNull();
    reader.release();
    await reader.settledLive;
    runtime.sendTaskSuccess(grant!.taskToken, { approved: true });
    expect(await execution.done).toMatchObject({ status: 'SUCCEEDED', output });
    const recorded = await store.read(arn);
    const types = recorded.map((e) => e.type);
    const started = types.indexOf('ActivityStarted');
    expect(started).toBeGreaterThan(types.indexOf('MapStateStarted'));
    expect(started).toBeLessThan(types.indexOf('MapIterationStarted'));

    // A process that died after any event: the next one resumes from there to the same end (the
    // resume from the last but one event reproduces the whole history). A replay check cannot
    // show it: it calls nothing, and the read is an ItemReader call.
    for (let k = 1; k < recorded.length; k++) {
      const resumer = createRuntime({ store: await diedAfter(store, arn, k), clock: 'virtual' });
      await resumer.activities.create({ name: 'approve' });
      resumer.handle(READER, () => [1, 2]);
      resumer.handle(LAMBDA, () => ({ first: true }));
      const prefix = types.slice(0, k);
      // Not yet taken: queued again for a worker. Taken and not answered: the worker holding it answers with its token.
      const worker = prefix.includes('ActivityStarted') ? undefined : resumer.activities.work(ACTIVITY, () => ({ approved: true }));
      const [resumed] = await resumer.start();
      let ended = false;
      resumed!.done.then(() => (ended = true), () => (ended = true));
      if (prefix.includes('ActivityStarted') && !prefix.includes('ActivitySucceeded')) {
        for (let i = 0; i < 200 && !ended && !resumer.liveExecution(arn)?.hasTask(grant!.taskToken); i++) await new Promise((r) => setTimeout(r, 5));
        if (!ended) resumer.sendTaskSuccess(grant!.taskToken, { approved: true });
      }
      expect(await resumed!.done, `resumed after event ${k}`).toMatchObject({ status: 'SUCCEEDED', output });
      // Right after ActivityStarted, the read under way: the history goes on as it first did.
      if (k === started + 1) expect((await resumer.store.read(arn)).map((e) => e.type)).toEqual(types);
      await worker?.stop();
    }
    await runtime.close();
  });
});

describe('an activity that does not exist, beside a branch that reads', () => {
  // Recorded against AWS (2026-09): a Task naming an activity that does not exist records no
  // ActivityScheduled and fails with States.Runtime. Stepwise finds that out before scheduling
  // (its first execution waits for the activity definitions to load: the registry's read is
  // held back here), so no ActivityScheduleFailed ever lands among the read's events.
  const MISSING = 'arn:aws:states:us-east-1:123456789012:activity:missing';
  const definition = activityBesideRead(MISSING);

  it('fails with States.Runtime before anything is scheduled, and a resume from any event finishes alike', async () => {
    const inner = createMemoryEventStore();
    let loadRegistry!: () => void;
    const registryGate = new Promise<void>((r) => (loadRegistry = r));
    let registryAsked!: () => void;
    const registryRead = new Promise<void>((r) => (registryAsked = r));
    const store = new Proxy(inner, {
      get(target, key) {
        if (key === 'read') {
          return async (streamId: string, ...rest: unknown[]) => {
            if (streamId === ACTIVITY_STREAM) {
              registryAsked();
              await registryGate;
            }
            return (target.read as (...a: unknown[]) => unknown).call(target, streamId, ...rest);
          };
        }
        const value = Reflect.get(target, key, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as EventStore;
    const runtime = createRuntime({ store, clock: 'virtual' });
    runtime.handle(READER, () => [1, 2]);
    runtime.handle(LAMBDA, () => ({ first: true }));
    const execution = runtime.startExecution({ definition, input: {}, name: 'unschedulable' });
    const arn = execution.identity.executionArn;
    await registryRead;
    loadRegistry();
    const result = await execution.done;
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(result.cause).toContain(`The activity ${MISSING} does not exist.`);
    const recorded = await inner.read(arn);
    const types = recorded.map((e) => e.type);
    expect(types).not.toContain('ActivityScheduled');
    expect(types).not.toContain('ActivityScheduleFailed');
    expect(await runtime.replay({ executionArn: arn })).toMatchObject({ ok: true });

    for (let k = 1; k < recorded.length; k++) {
      const resumer = createRuntime({ store: await diedAfter(inner, arn, k), clock: 'virtual' });
      resumer.handle(READER, () => [1, 2]);
      resumer.handle(LAMBDA, () => ({ first: true }));
      const [resumed] = await resumer.start();
      expect(await resumed!.done, `resumed after event ${k}`).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    }
    await runtime.close();
  });
});

describe.each(stores)("a Distributed Map's child ending while another branch's evaluation is pending on %s", (_name, open) => {
  it('waits for the evaluation, as a task answer does: the history replays, and resumes from any event alike', async () => {
    const store = await open();
    const runtime = createRuntime({ store, clock: 'virtual' });
    const reader = slowReader();
    runtime.handle(READER, reader.handler);
    let answer!: () => void;
    const answered = new Promise<void>((r) => (answer = r));
    let called!: () => void;
    const calling = new Promise<void>((r) => (called = r));
    runtime.handle(LAMBDA, async ({ input }) => {
      called();
      await answered;
      return { charged: input };
    });
    const fan = {
      Type: 'Map', End: true, ItemsPath: '$.items',
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Charge', States: { Charge: { Type: 'Task', Resource: LAMBDA, End: true } } },
    };
    const definition = parallelOf({ StartAt: 'Fan', States: { Fan: fan } }, { StartAt: 'Read', States: { Read: readingMap('INLINE') } });
    const execution = runtime.startExecution({ definition, input: { items: [7] }, name: 'child-during-read' });
    const arn = execution.identity.executionArn;
    await Promise.all([reader.reading, calling]);
    answer();
    // The child ends while the read is pending; its result reaches the parent only after the read.
    await new Promise((r) => setTimeout(r, 20));
    reader.release();
    const result = await execution.done;
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: [[{ charged: 7 }], [1, 2]] });
    const recorded = await store.read(arn);
    const types = recorded.map((e) => e.type);
    expect(types.indexOf('MapRunSucceeded')).toBeGreaterThan(types.indexOf('MapIterationStarted'));
    expect(await runtime.replay({ executionArn: arn })).toEqual({ ok: true, replayedEvents: recorded.length });

    for (let k = 1; k < recorded.length; k++) {
      const resumer = createRuntime({ store: await diedAfter(store, arn, k), clock: 'virtual' });
      resumer.handle(READER, () => [1, 2]);
      resumer.handle(LAMBDA, ({ input }) => ({ charged: input }));
      const resumed = (await resumer.start()).find((j) => j.identity.executionArn === arn)!;
      expect(await resumed.done).toMatchObject({ status: 'SUCCEEDED', output: [[{ charged: 7 }], [1, 2]] });
    }
    await runtime.close();
  });
});
