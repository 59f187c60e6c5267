import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRuntime, openFileEventStore, type HistoryEvent, type JsonValue, type Runtime, type StateMachineDefinition } from '../../src/index.js';
import { deletionFailure, isDeletionFailure } from '../../src/execution/state-machine-deletion.js';
import { recordedInputOf } from '../../src/execution/replay-matching.js';
import { diedAfter, journalTestStores, ManualClock } from './journal-stores.js';

// API:DeleteStateMachine: "A state machine is deleted only when all its executions are completed.
// On the next state transition, the state machine's executions are terminated." As recorded
// against AWS (us-west-2, 2026-09: a Wait and an activity Task, each deleted while it waited):
// the timer or answer that would end the state ends the execution instead, with ExecutionFailed
// {States.Runtime, "State machine <name> has been deleted"} threaded on the last event, and
// nothing of the state's own end (no WaitStateExited; no ActivitySucceeded for an answer that
// SendTaskSuccess accepted).

const stores = journalTestStores('stepwise-deletion-');
const ROLE = 'arn:aws:iam::123456789012:role/StepwiseExecutionRole';
const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:work';
const DELETED = { error: 'States.Runtime', cause: 'State machine Doomed has been deleted' };

const waitThenPass: StateMachineDefinition = {
  StartAt: 'Nap',
  States: { Nap: { Type: 'Wait', Seconds: 60, Next: 'After' }, After: { Type: 'Pass', End: true } },
};
const taskThenPass: StateMachineDefinition = {
  StartAt: 'Work',
  States: { Work: { Type: 'Task', Resource: LAMBDA, Next: 'After' }, After: { Type: 'Pass', End: true } },
};

/** Registers `Doomed`, starts an execution of it, and deletes it while that runs: DELETING. */
async function deletedWhileRunning(runtime: Runtime, definition: StateMachineDefinition, options: { type?: 'EXPRESS' } = {}) {
  const { stateMachineArn } = await runtime.stateMachines.create({ name: 'Doomed', definition: JSON.stringify(definition), roleArn: ROLE, type: options.type });
  const execution = runtime.startExecution({ definition, stateMachineName: 'Doomed', name: 'doomed-run', type: options.type });
  await runtime.listed(execution.identity.executionArn);
  await runtime.stateMachines.delete(stateMachineArn);
  expect((await runtime.stateMachines.describe(stateMachineArn)).status).toBe('DELETING');
  return { execution, stateMachineArn, executionArn: execution.identity.executionArn };
}

/** The execution's stored history once it has ended and its listing says so. */
async function endedHistory(runtime: Runtime, executionArn: string): Promise<HistoryEvent[]> {
  await runtime.liveExecution(executionArn)?.done;
  await runtime.listed(executionArn);
  return runtime.execution(executionArn).history();
}

async function expectGone(runtime: Runtime, stateMachineArn: string): Promise<void> {
  await expect(runtime.stateMachines.describe(stateMachineArn)).rejects.toMatchObject({ code: 'StateMachineDoesNotExist' });
}

function deletionEnd(previousEventId: number) {
  return { type: 'ExecutionFailed', previousEventId, executionFailedEventDetails: DELETED };
}

/** A promise with its resolver. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('the deletion failure', () => {
  it('names the state machine deleted, a Distributed Map child its parent', () => {
    expect(deletionFailure('Doomed')).toEqual(DELETED);
    expect(deletionFailure('Doomed/Fan')).toEqual(DELETED);
  });

  it('is told from other States.Runtime failures by its cause, and is a recorded input of its own', () => {
    const failed = (cause: string): HistoryEvent => ({ id: 3, previousEventId: 2, type: 'ExecutionFailed', timestamp: 0, executionFailedEventDetails: { error: 'States.Runtime', cause } });
    expect(isDeletionFailure(failed(DELETED.cause))).toBe(true);
    expect(isDeletionFailure(failed('The execution reached the maximum number of history events (25000).'))).toBe(false);
    expect(isDeletionFailure({ ...failed(DELETED.cause), type: 'ExecutionAborted' })).toBe(false);
    expect(recordedInputOf(failed(DELETED.cause))).toEqual({ kind: 'execution.deleted' });
  });
});

describe('a replay of a history a deletion ended', () => {
  const replayer = () => createRuntime({ clock: 'virtual' });
  /** `events` up to and with the last one of `type`, then the deletion's end following it. */
  function endedAfter(events: readonly HistoryEvent[], type: string): HistoryEvent[] {
    const kept = events.slice(0, events.findLastIndex((e) => e.type === type) + 1);
    const last = kept.at(-1)!;
    const cause = 'State machine StateMachine has been deleted';
    return [...kept, { id: last.id + 1, previousEventId: last.id, type: 'ExecutionFailed', timestamp: last.timestamp, executionFailedEventDetails: { error: 'States.Runtime', cause } }];
  }

  it('ends where the history does: in a Wait, as AWS recorded it', async () => {
    const runtime = replayer();
    const ran = runtime.startExecution({ definition: waitThenPass });
    await ran.done;
    const events = endedAfter(ran.events, 'WaitStateEntered');
    expect(events.map((e) => e.type)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'ExecutionFailed']);
    expect(await runtime.replay({ events, definition: waitThenPass, comparison: 'strict' })).toEqual({ ok: true, replayedEvents: 3 });
    await runtime.close();
  });

  it('reports a divergence, not a crash, where the history has the machine go on past the state that ended it', async () => {
    const runtime = replayer();
    const ran = runtime.startExecution({ definition: waitThenPass });
    await ran.done;
    const events = endedAfter(ran.events, 'WaitStateExited');
    const report = await runtime.replay({ events, definition: waitThenPass, comparison: 'strict' });
    expect(report).toMatchObject({ ok: false, divergence: { eventId: 4, reason: 'type PassStateEntered instead of ExecutionFailed' } });
    await runtime.close();
  });
});

describe.each(stores)('DeleteStateMachine while an execution runs, on %s', (_name, open) => {
  it('fails an execution parked in a Wait when the Wait ends, recording no WaitStateExited', async () => {
    const clock = new ManualClock();
    const runtime = createRuntime({ store: await open(), clock });
    const { execution, executionArn, stateMachineArn } = await deletedWhileRunning(runtime, waitThenPass);
    clock.advance(60_000);
    expect(await execution.done).toMatchObject({ status: 'FAILED', ...DELETED });
    const events = await endedHistory(runtime, executionArn);
    expect(events.map((e) => e.type)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'ExecutionFailed']);
    expect(events.at(-1)).toMatchObject(deletionEnd(2));
    expect((await runtime.execution(executionArn).describe())!.status).toBe('FAILED');
    await expectGone(runtime, stateMachineArn);
    expect(await runtime.replay({ executionArn })).toEqual({ ok: true, replayedEvents: 3 });
    await runtime.close();
  });

  it('lets a Task parked on its handler wait for its answer, then fails the execution without recording the answer', async () => {
    const runtime = createRuntime({ store: await open(), clock: 'virtual' });
    const answer = deferred<JsonValue>();
    const called = deferred<void>();
    runtime.handle(LAMBDA, () => {
      called.resolve();
      return answer.promise;
    });
    const { executionArn, stateMachineArn } = await deletedWhileRunning(runtime, taskThenPass);
    await called.promise;
    // Still waiting: the deletion waits with it (the re:Post article's "stuck in DELETING").
    await new Promise((r) => setTimeout(r, 20));
    expect((await runtime.execution(executionArn).describe())!.status).toBe('RUNNING');
    expect((await runtime.stateMachines.describe(stateMachineArn)).status).toBe('DELETING');
    answer.resolve({ done: true });
    const events = await endedHistory(runtime, executionArn);
    expect(events.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'ExecutionFailed']);
    expect(events.at(-1)).toMatchObject(deletionEnd(4));
    await expectGone(runtime, stateMachineArn);
    expect(await runtime.replay({ executionArn })).toEqual({ ok: true, replayedEvents: 5 });
    await runtime.close();
  });

  it('ends a Task waiting out its retry interval when the interval ends, without calling the task again', async () => {
    const clock = new ManualClock();
    const runtime = createRuntime({ store: await open(), clock });
    let calls = 0;
    const failedOnce = deferred<void>();
    runtime.handle(LAMBDA, () => {
      calls++;
      queueMicrotask(() => failedOnce.resolve());
      throw Object.assign(new Error('try again'), { name: 'Flaky' });
    });
    const retrying: StateMachineDefinition = {
      StartAt: 'Work',
      States: { Work: { Type: 'Task', Resource: LAMBDA, Retry: [{ ErrorEquals: ['Flaky'], IntervalSeconds: 10, MaxAttempts: 3 }], End: true } },
    };
    const { executionArn } = await deletedWhileRunning(runtime, retrying);
    await failedOnce.promise;
    await new Promise((r) => setTimeout(r, 10));
    clock.advance(10_000);
    const events = await endedHistory(runtime, executionArn);
    expect(events.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionFailed', 'ExecutionFailed']);
    expect(events.at(-1)).toMatchObject(deletionEnd(5));
    expect(calls).toBe(1);
    expect(await runtime.replay({ executionArn })).toEqual({ ok: true, replayedEvents: 6 });
    await runtime.close();
  });

  it('ends the whole execution when a state of any branch ends, aborting a task still in flight', async () => {
    const clock = new ManualClock();
    const runtime = createRuntime({ store: await open(), clock });
    let aborted = false;
    runtime.handle(LAMBDA, ({ signal }) => new Promise(() => signal.addEventListener('abort', () => (aborted = true))));
    const both: StateMachineDefinition = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel', End: true,
          Branches: [
            { StartAt: 'Nap', States: { Nap: { Type: 'Wait', Seconds: 5, Next: 'Then' }, Then: { Type: 'Pass', End: true } } },
            { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: LAMBDA, End: true } } },
          ],
        },
      },
    };
    const { executionArn } = await deletedWhileRunning(runtime, both);
    await new Promise((r) => setTimeout(r, 10));
    clock.advance(5_000);
    const events = await endedHistory(runtime, executionArn);
    expect(events.at(-1)).toMatchObject(deletionEnd(events.at(-2)!.id));
    expect(events.some((e) => e.type === 'WaitStateExited' || e.type === 'PassStateEntered')).toBe(false);
    expect(aborted).toBe(true);
    expect(await runtime.replay({ executionArn })).toEqual({ ok: true, replayedEvents: events.length });
    await runtime.close();
  });

  it('fails the children of a Distributed Map too (they run as `<name>/<label>`)', async () => {
    const clock = new ManualClock();
    const runtime = createRuntime({ store: await open(), clock });
    const fan: StateMachineDefinition = {
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Map', Label: 'Fan', ItemsPath: '$.items', End: true,
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Nap', States: { Nap: { Type: 'Wait', Seconds: 5, Next: 'Then' }, Then: { Type: 'Pass', End: true } } },
        },
      },
    } as unknown as StateMachineDefinition;
    const { stateMachineArn } = await runtime.stateMachines.create({ name: 'Doomed', definition: JSON.stringify(fan), roleArn: ROLE });
    const parent = runtime.startExecution({ definition: fan, stateMachineName: 'Doomed', name: 'fan', input: { items: [1, 2] } });
    await runtime.listed(parent.identity.executionArn);
    await new Promise((r) => setTimeout(r, 20));
    await runtime.stateMachines.delete(stateMachineArn);
    clock.advance(5_000);
    const result = await parent.done;
    // The children's failures fail the Map Run (no failure tolerated), which fails the parent.
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
    const [run] = await runtime.describeMapRuns(parent.identity.executionArn);
    expect(run!.children.length).toBe(2);
    for (const child of run!.children) {
      const events = await endedHistory(runtime, child.executionArn);
      expect(events.map((e) => e.type)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'ExecutionFailed']);
      expect(events.at(-1)).toMatchObject(deletionEnd(2));
    }
    await runtime.listed(parent.identity.executionArn);
    await expectGone(runtime, stateMachineArn);
    expect((await runtime.replay({ executionArn: parent.identity.executionArn })).ok).toBe(true);
    await runtime.close();
  });

  it('refuses to redrive an execution the deletion ended, and any while its state machine is DELETING', async () => {
    const clock = new ManualClock();
    const runtime = createRuntime({ store: await open(), clock });
    const { execution, executionArn, stateMachineArn } = await deletedWhileRunning(runtime, waitThenPass);
    // A second execution of the state machine, which failed before the deletion, keeps no right to a redrive while it is DELETING.
    const failing: StateMachineDefinition = { StartAt: 'Boom', States: { Boom: { Type: 'Fail', Error: 'Custom', Cause: 'no' } } };
    const other = await runtime.run({ definition: failing, stateMachineName: 'Doomed', name: 'failed-before' });
    await runtime.listed(other.executionArn);
    await expect(runtime.redrive(other.executionArn)).rejects.toMatchObject({ code: 'ExecutionNotRedrivable', message: expect.stringContaining('State machine is in DELETING status.') });
    clock.advance(60_000);
    await execution.done;
    await runtime.listed(executionArn);
    await expectGone(runtime, stateMachineArn);
    await expect(runtime.redrive(executionArn)).rejects.toMatchObject({ code: 'ExecutionNotRedrivable', message: expect.stringContaining(DELETED.cause) });
    await runtime.close();
  });

  it('lets an Express execution run on: AWS deletes an Express state machine eventually, its executions may go on', async () => {
    const clock = new ManualClock();
    const runtime = createRuntime({ store: await open(), clock });
    const { execution, stateMachineArn } = await deletedWhileRunning(runtime, waitThenPass, { type: 'EXPRESS' });
    clock.advance(60_000);
    expect((await execution.done).status).toBe('SUCCEEDED');
    await runtime.listed(execution.identity.executionArn);
    await expectGone(runtime, stateMachineArn);
    await runtime.close();
  });

  it('records the end when the process died before it, once the resumed Wait ends', async () => {
    const clock = new ManualClock();
    const store = await open();
    const runtime = createRuntime({ store, clock });
    const { executionArn } = await deletedWhileRunning(runtime, waitThenPass);
    clock.advance(60_000);
    const recorded = await endedHistory(runtime, executionArn);
    expect(recorded.at(-1)).toMatchObject(deletionEnd(2));
    // The stored history stops at WaitStateEntered; the state machine is still DELETING there.
    const resumerClock = new ManualClock();
    const resumer = createRuntime({ store: await diedAfter(store, executionArn, recorded.length - 1), clock: resumerClock });
    await resumer.stateMachines.create({ name: 'Doomed', definition: JSON.stringify(waitThenPass), roleArn: ROLE });
    await resumer.stateMachines.delete(resumer.stateMachines.arnFor('Doomed'));
    const [resumed] = await resumer.start();
    await resumed!.caughtUp;
    resumerClock.advance(60_000);
    await resumed!.done;
    expect(await endedHistory(resumer, executionArn)).toEqual(recorded);
    await resumer.close();
    await runtime.close();
  });
});

describe('DeleteStateMachine and a restart on the file store', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the state machine DELETING across the restart, and the resumed execution fails when its Wait ends', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'stepwise-deletion-restart-'));
    dirs.push(dir);
    const first = createRuntime({ store: await openFileEventStore(dir), clock: new ManualClock() });
    const { executionArn, stateMachineArn } = await deletedWhileRunning(first, waitThenPass);
    // The first process stops here, its execution parked in the Wait (its clock never moves again).

    const clock = new ManualClock();
    const second = createRuntime({ store: await openFileEventStore(dir), clock });
    expect((await second.stateMachines.describe(stateMachineArn)).status).toBe('DELETING');
    const [resumed] = await second.start();
    expect(resumed!.identity.executionArn).toBe(executionArn);
    await resumed!.caughtUp;
    clock.advance(60_000);
    expect(await resumed!.done).toMatchObject({ status: 'FAILED', ...DELETED });
    const events = await endedHistory(second, executionArn);
    expect(events.map((e) => e.type)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'ExecutionFailed']);
    expect(events.at(-1)).toMatchObject(deletionEnd(2));
    await expectGone(second, stateMachineArn);
    expect(await second.replay({ executionArn })).toEqual({ ok: true, replayedEvents: 3 });
    await second.close();
    await first.close();
  });
});
