import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, filter } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createMemoryEventStore, createRuntime, openFileEventStore, parseMockConfig, TaskFailure, toAwsHistoryEvent, VirtualClock,
  type EventStore, type HistoryEvent, type StateMachineDefinition,
} from '../../src/index.js';
import { foldExecutionState } from '../../src/execution/execution-state.js';

const ACTIVITY = 'arn:aws:states:us-east-1:123456789012:activity:approve';

function activityMachine(extra: Record<string, unknown> = {}): StateMachineDefinition {
  return {
    StartAt: 'Approve',
    States: {
      Approve: { Type: 'Task', Resource: ACTIVITY, Parameters: { 'order.$': '$.order' }, End: true, ...extra },
    },
  } as StateMachineDefinition;
}

const types = (events: readonly HistoryEvent[]) => events.map((e) => e.type);
const detailsOf = (events: readonly HistoryEvent[], type: string) => {
  const e = events.find((x) => x.type === type);
  if (!e) throw new Error(`no ${type} event`);
  return e[type.charAt(0).toLowerCase() + type.slice(1) + 'EventDetails'] as Record<string, unknown> | undefined;
};

function eventAppended(store: EventStore, executionArn: string, type: string): Promise<unknown> {
  return firstValueFrom(store.subscribe(executionArn).pipe(filter((s) => s.event.type === type)));
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('activity definitions', () => {
  it('creates idempotently by name, describes, lists in pages and deletes', async () => {
    const runtime = createRuntime();
    const first = await runtime.activities.create({ name: 'approve', tags: [{ key: 'team', value: 'ops' }] });
    const again = await runtime.activities.create({ name: 'approve' });
    expect(first.activityArn).toBe(ACTIVITY);
    expect(again).toEqual(first);
    await runtime.activities.create({ name: 'bill' });
    await runtime.activities.create({ name: 'ship' });
    expect(await runtime.activities.describe(ACTIVITY)).toEqual({ activityArn: ACTIVITY, name: 'approve', creationDate: first.creationDate, encryptionConfiguration: { type: 'AWS_OWNED_KEY' } });
    const page1 = await runtime.activities.list({ maxResults: 2 });
    expect(page1.activities.map((a) => a.name)).toEqual(['approve', 'bill']);
    const page2 = await runtime.activities.list({ maxResults: 2, nextToken: page1.nextToken });
    expect(page2).toEqual({ activities: [expect.objectContaining({ name: 'ship' })] });
    await runtime.activities.delete(ACTIVITY);
    await runtime.activities.delete(ACTIVITY); // deleting twice is fine, as in AWS
    expect(await runtime.activities.describe(ACTIVITY)).toBeUndefined();
    await expect(runtime.activities.create({ name: 'bad name' })).rejects.toMatchObject({ code: 'InvalidName' });
    await expect(runtime.activities.describe('arn:aws:states:us-east-1:123456789012:stateMachine:x')).rejects.toMatchObject({ code: 'InvalidArn' });
    await expect(runtime.activities.getTask(ACTIVITY)).rejects.toMatchObject({ code: 'ActivityDoesNotExist' });
  });

  it('survive a restart on the durable store', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stepwise-activities-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const before = createRuntime({ store: await openFileEventStore(dir) });
    const { creationDate } = await before.activities.create({ name: 'approve' });
    await before.activities.create({ name: 'gone' });
    await before.activities.delete('arn:aws:states:us-east-1:123456789012:activity:gone');
    await before.close();
    const after = createRuntime({ store: await openFileEventStore(dir) });
    const listed = await after.activities.list();
    expect(listed.activities).toEqual([{ activityArn: ACTIVITY, name: 'approve', creationDate, encryptionConfiguration: { type: 'AWS_OWNED_KEY' } }]);
    await after.close();
  });
});

describe('activity tasks', () => {
  it('go to a worker, which heartbeats and completes them, recorded as AWS records them', async () => {
    const runtime = createRuntime();
    await runtime.activities.create({ name: 'approve' });
    const seen: unknown[] = [];
    const worker = runtime.activities.work(ACTIVITY, async ({ input, heartbeat }) => {
      seen.push(input);
      heartbeat();
      return { approved: true };
    }, { workerName: 'clerk-1' });
    cleanups.push(() => worker.stop());
    const execution = runtime.startExecution({ definition: activityMachine({ TimeoutSeconds: 300, HeartbeatSeconds: 60 }), input: { order: 'o-1' } });
    const result = await execution.done;
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { approved: true } });
    expect(seen).toEqual([{ order: 'o-1' }]);
    expect(types(execution.events)).toEqual([
      'ExecutionStarted', 'TaskStateEntered', 'ActivityScheduled', 'ActivityStarted', 'ActivitySucceeded', 'TaskStateExited', 'ExecutionSucceeded',
    ]);
    expect(detailsOf(execution.events, 'ActivityScheduled')).toEqual({
      resource: ACTIVITY, input: { order: 'o-1' }, inputDetails: { truncated: false }, timeoutInSeconds: 300, heartbeatInSeconds: 60,
    });
    expect(detailsOf(execution.events, 'ActivityStarted')).toEqual({ workerName: 'clerk-1' });
    expect(execution.events[3]!.previousEventId).toBe(3);
    expect(execution.events[4]!.previousEventId).toBe(4);
    const aws = toAwsHistoryEvent(execution.events[2]!);
    expect(aws.activityScheduledEventDetails).toMatchObject({ input: '{"order":"o-1"}', resource: ACTIVITY });
    expect(toAwsHistoryEvent(execution.events[4]!).activitySucceededEventDetails).toEqual({ output: '{"approved":true}', outputDetails: { truncated: false } });
  });

  it('are taken with getTask and answered with sendTaskSuccess; an aborted poll gives null', async () => {
    const runtime = createRuntime();
    await runtime.activities.create({ name: 'approve' });
    const idle = new AbortController();
    const poll = runtime.activities.getTask(ACTIVITY, { signal: idle.signal });
    idle.abort();
    expect(await poll).toBeNull();
    const execution = runtime.startExecution({ definition: activityMachine(), input: { order: 'o-2' } });
    await eventAppended(runtime.store, execution.identity.executionArn, 'ActivityScheduled');
    const task = await runtime.activities.getTask(ACTIVITY, { workerName: 'http-worker' });
    expect(runtime.activities.pendingTasks(ACTIVITY)).toBe(0);
    expect(task).toEqual({ taskToken: expect.any(String), input: '{"order":"o-2"}' });
    runtime.sendTaskHeartbeat(task!.taskToken);
    runtime.sendTaskSuccess(task!.taskToken, { ok: 1 });
    expect(await execution.done).toMatchObject({ status: 'SUCCEEDED', output: { ok: 1 } });
    // AWS: a token whose task has closed is TaskTimedOut, naming the activity; one it never
    // issued, InvalidToken (both messages recorded against AWS (2026-09)).
    expect(() => runtime.sendTaskSuccess(task!.taskToken, {})).toThrow(expect.objectContaining({ code: 'TaskTimedOut', message: `Task Timed Out: '${ACTIVITY}'` }));
    expect(() => runtime.sendTaskHeartbeat(task!.taskToken)).toThrow(expect.objectContaining({ code: 'TaskTimedOut', message: `Task Timed Out: '${ACTIVITY}'` }));
    expect(() => runtime.sendTaskHeartbeat('not-a-token')).toThrow(expect.objectContaining({ code: 'InvalidToken', message: "Invalid Token: 'Invalid token'" }));
  });

  it('fail with the error and cause the worker gives, which Catch sees', async () => {
    const runtime = createRuntime();
    await runtime.activities.create({ name: 'approve' });
    const worker = runtime.activities.work(ACTIVITY, () => {
      throw new TaskFailure('Approval.Rejected', 'not today');
    });
    cleanups.push(() => worker.stop());
    const definition = {
      StartAt: 'Approve',
      States: {
        Approve: { Type: 'Task', Resource: ACTIVITY, Catch: [{ ErrorEquals: ['Approval.Rejected'], Next: 'Rejected', ResultPath: '$.why' }], End: true },
        Rejected: { Type: 'Pass', End: true },
      },
    } as StateMachineDefinition;
    const execution = runtime.startExecution({ definition, input: {} });
    const result = await execution.done;
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { why: { Error: 'Approval.Rejected', Cause: 'not today' } } });
    expect(detailsOf(execution.events, 'ActivityFailed')).toEqual({ error: 'Approval.Rejected', cause: 'not today' });
  });

  it('time out with States.Timeout when the worker stops heartbeating, counted from ActivityStarted', async () => {
    // Recorded against AWS (2026-09): HeartbeatSeconds 2 < TimeoutSeconds 6, a worker took the
    // task and sent no heartbeat; 2.000 s after ActivityStarted came ActivityTimedOut with
    // {error: "States.Timeout"} and no cause, and a States.ALL Catch saw {Error: "States.Timeout", Cause: ""}.
    const clock = new VirtualClock();
    const runtime = createRuntime({ clock });
    await runtime.activities.create({ name: 'approve' });
    const definition = {
      StartAt: 'Approve',
      States: {
        Approve: { Type: 'Task', Resource: ACTIVITY, TimeoutSeconds: 6, HeartbeatSeconds: 2, Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.caught', Next: 'Fallback' }], End: true },
        Fallback: { Type: 'Pass', End: true },
      },
    } as StateMachineDefinition;
    const execution = runtime.startExecution({ definition, input: { order: 'o-3' } });
    let taken: ReturnType<typeof runtime.activities.getTask> | undefined;
    // The worker comes 1.5 s after the task is scheduled: the heartbeat clock has not run meanwhile.
    clock.schedule(clock.now() + 1500, () => (taken = runtime.activities.getTask(ACTIVITY, { workerName: 'silent' })));
    const result = await execution.done;
    expect(await taken).not.toBeNull();
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { order: 'o-3', caught: { Error: 'States.Timeout', Cause: '' } } });
    expect(types(execution.events)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'ActivityScheduled', 'ActivityStarted', 'ActivityTimedOut', 'TaskStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
    const [, , scheduled, started, timedOut] = execution.events;
    expect(started!.timestamp - scheduled!.timestamp).toBe(1500);
    expect(timedOut!.timestamp - started!.timestamp).toBe(2000);
    expect(timedOut!.previousEventId).toBe(started!.id);
    expect(detailsOf(execution.events, 'ActivityTimedOut')).toEqual({ error: 'States.Timeout' });
    expect(await runtime.replay({ executionArn: execution.identity.executionArn })).toMatchObject({ ok: true });
  });

  it('count TimeoutSeconds from ActivityStarted, not from ActivityScheduled', async () => {
    // Recorded against AWS (2026-09): TimeoutSeconds 3, HeartbeatSeconds 2; the task waited
    // 5.078 s unassigned (RUNNING), then a worker took it and it succeeded. ActivityScheduled
    // carries timeoutInSeconds 3 and heartbeatInSeconds 2.
    const clock = new VirtualClock();
    const runtime = createRuntime({ clock });
    await runtime.activities.create({ name: 'approve' });
    const execution = runtime.startExecution({ definition: activityMachine({ TimeoutSeconds: 3, HeartbeatSeconds: 2 }), input: { order: 'o-4' } });
    clock.schedule(clock.now() + 5078, () => {
      void runtime.activities.getTask(ACTIVITY, { workerName: 'late' }).then((task) => runtime.sendTaskSuccess(task!.taskToken, { leased: 'after-task-timeout-window' }));
    });
    const result = await execution.done;
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { leased: 'after-task-timeout-window' } });
    expect(types(execution.events)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'ActivityScheduled', 'ActivityStarted', 'ActivitySucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    expect(detailsOf(execution.events, 'ActivityScheduled')).toMatchObject({ timeoutInSeconds: 3, heartbeatInSeconds: 2 });
    expect(execution.events[3]!.timestamp - execution.events[2]!.timestamp).toBe(5078);
    expect(runtime.activities.pendingTasks(ACTIVITY)).toBe(0);
    expect(await runtime.replay({ executionArn: execution.identity.executionArn })).toMatchObject({ ok: true });
  });

  it('time out TimeoutSeconds after ActivityStarted despite heartbeats', async () => {
    // Recorded against AWS (2026-09): TimeoutSeconds 4, HeartbeatSeconds 2, heartbeats every
    // 0.9 s: ActivityTimedOut {error: "States.Timeout"} exactly 4.000 s after ActivityStarted.
    const clock = new VirtualClock();
    const runtime = createRuntime({ clock });
    await runtime.activities.create({ name: 'approve' });
    const execution = runtime.startExecution({ definition: activityMachine({ TimeoutSeconds: 4, HeartbeatSeconds: 2 }), input: { order: 'o-6' } });
    clock.schedule(clock.now() + 1000, () => {
      void runtime.activities.getTask(ACTIVITY, { workerName: 'busy' }).then((task) => {
        const beat = () => {
          try {
            runtime.sendTaskHeartbeat(task!.taskToken);
          } catch {
            return;
          }
          clock.schedule(clock.now() + 900, beat);
        };
        clock.schedule(clock.now() + 900, beat);
      });
    });
    const result = await execution.done;
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(types(execution.events)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'ActivityScheduled', 'ActivityStarted', 'ActivityTimedOut', 'ExecutionFailed']);
    const [, , scheduled, started, timedOut] = execution.events;
    expect(started!.timestamp - scheduled!.timestamp).toBe(1000);
    expect(timedOut!.timestamp - started!.timestamp).toBe(4000);
    expect(detailsOf(execution.events, 'ActivityTimedOut')).toEqual({ error: 'States.Timeout' });
  });

  it('retry a missed heartbeat on States.Timeout with a new token', async () => {
    // Recorded against AWS (2026-09): TimeoutSeconds 3, HeartbeatSeconds 1, Retry on
    // States.Timeout: the missed heartbeat was retried, the second attempt got a fresh token
    // (RetryCount 1) and succeeded; the first token was then TaskTimedOut.
    const runtime = createRuntime({ clock: 'virtual' });
    await runtime.activities.create({ name: 'approve' });
    const definition = activityMachine({
      TimeoutSeconds: 3, HeartbeatSeconds: 1, Parameters: { 'attempt.$': '$$.State.RetryCount' },
      Retry: [{ ErrorEquals: ['States.Timeout'], IntervalSeconds: 1, MaxAttempts: 1 }],
    });
    const first = runtime.activities.getTask(ACTIVITY, { workerName: 'w' });
    const execution = runtime.startExecution({ definition, input: {} });
    const firstTask = await first;
    const secondTask = await runtime.activities.getTask(ACTIVITY, { workerName: 'w' });
    expect(secondTask!.taskToken).not.toBe(firstTask!.taskToken);
    expect(JSON.parse(secondTask!.input)).toEqual({ attempt: 1 });
    expect(() => runtime.sendTaskHeartbeat(firstTask!.taskToken)).toThrow(expect.objectContaining({ code: 'TaskTimedOut' }));
    runtime.sendTaskSuccess(secondTask!.taskToken, { retriedTimeout: true });
    expect(await execution.done).toMatchObject({ status: 'SUCCEEDED', output: { retriedTimeout: true } });
    expect(types(execution.events)).toEqual([
      'ExecutionStarted', 'TaskStateEntered', 'ActivityScheduled', 'ActivityStarted', 'ActivityTimedOut',
      'ActivityScheduled', 'ActivityStarted', 'ActivitySucceeded', 'TaskStateExited', 'ExecutionSucceeded',
    ]);
    expect(detailsOf(execution.events, 'ActivityTimedOut')).toEqual({ error: 'States.Timeout' });
  });

  it('leave the queue when their execution is stopped', async () => {
    const runtime = createRuntime();
    await runtime.activities.create({ name: 'approve' });
    const execution = runtime.startExecution({ definition: activityMachine(), input: { order: 'o-9' } });
    await eventAppended(runtime.store, execution.identity.executionArn, 'ActivityScheduled');
    execution.stop('Operator.Cancelled', 'no longer needed');
    expect(await execution.done).toMatchObject({ status: 'ABORTED' });
    const idle = new AbortController();
    const poll = runtime.activities.getTask(ACTIVITY, { signal: idle.signal });
    setImmediate(() => idle.abort());
    expect(await poll).toBeNull();
    expect(runtime.activities.pendingTasks(ACTIVITY)).toBe(0);
  });

  it('in an inline Map: a failure aborts the other iterations, recorded by index with the failed one, as recorded against AWS (2026-09)', async () => {
    // The capture's 14-map-cancel: a worker took iteration 1's task, then iteration 0's, and
    // failed iteration 1's. AWS: ActivityFailed, then MapIterationAborted 0, TaskStateAborted,
    // MapIterationFailed 1, TaskStateAborted, MapStateFailed (all after the ActivityFailed),
    // ExecutionFailed.
    const runtime = createRuntime();
    await runtime.activities.create({ name: 'approve' });
    const item = { Type: 'Task', Resource: ACTIVITY, TimeoutSeconds: 8, HeartbeatSeconds: 3, Parameters: { 'input.$': '$' }, End: true };
    const definition = {
      StartAt: 'Map',
      States: { Map: { Type: 'Map', ItemsPath: '$.items', MaxConcurrency: 2, ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Item', States: { Item: item } }, End: true } },
    } as StateMachineDefinition;
    const execution = runtime.startExecution({ definition, input: { items: ['left', 'right'] } });
    const first = await runtime.activities.getTask(ACTIVITY, { workerName: 'owned-shared-worker' });
    const second = await runtime.activities.getTask(ACTIVITY, { workerName: 'owned-shared-worker' });
    const right = [first!, second!].find((t) => JSON.parse(t.input).input === 'right')!;
    runtime.sendTaskFailure(right.taskToken, 'Probe.Branch', 'cancel sibling activity');
    expect(await execution.done).toMatchObject({ status: 'FAILED', error: 'Probe.Branch', cause: 'cancel sibling activity' });
    const failedAt = execution.events.find((e) => e.type === 'ActivityFailed')!.id;
    const after = execution.events.filter((e) => e.id > failedAt).map((e) => {
      const details = (e.mapIterationAbortedEventDetails ?? e.mapIterationFailedEventDetails) as { index: number } | undefined;
      return [e.type, details?.index, e.previousEventId];
    });
    expect(after).toEqual([
      ['MapIterationAborted', 0, failedAt], ['TaskStateAborted', undefined, failedAt],
      ['MapIterationFailed', 1, failedAt], ['TaskStateAborted', undefined, failedAt],
      ['MapStateFailed', undefined, failedAt], ['ExecutionFailed', undefined, failedAt + 5],
    ]);
  });

  it('fail the execution with States.Runtime, scheduling nothing, when the activity does not exist', async () => {
    // Recorded against AWS (2026-09): ExecutionStarted, TaskStateEntered, then ExecutionFailed
    // (previousEventId 2) {error: "States.Runtime", cause: "An error occurred while executing the
    // state 'Missing' (entered at the event id #2). The activity <arn> does not exist."}; no
    // ActivityScheduled, no ActivityScheduleFailed.
    const runtime = createRuntime();
    const execution = runtime.startExecution({ definition: activityMachine(), input: { order: 'o-5' } });
    const result = await execution.done;
    const cause = `An error occurred while executing the state 'Approve' (entered at the event id #2). The activity ${ACTIVITY} does not exist.`;
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause });
    expect(types(execution.events)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'ExecutionFailed']);
    expect(execution.events[2]!.previousEventId).toBe(2);
    expect(detailsOf(execution.events, 'ExecutionFailed')).toEqual({ error: 'States.Runtime', cause });
    expect(await runtime.replay({ executionArn: execution.identity.executionArn })).toMatchObject({ ok: true });
  });

  it('fail with States.Runtime, which no Retry or Catch handles, when the activity does not exist', async () => {
    const runtime = createRuntime();
    await runtime.activities.create({ name: 'other' });
    // The capture had no Retry or Catch: this is how Stepwise treats any States.Runtime error.
    const definition = {
      StartAt: 'Approve',
      States: {
        Approve: { Type: 'Task', Resource: ACTIVITY, Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 2 }], Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }], Next: 'Done' },
        Caught: { Type: 'Pass', End: true },
        Done: { Type: 'Pass', End: true },
      },
    } as StateMachineDefinition;
    const execution = runtime.startExecution({ definition, input: { order: 'o-7' } });
    expect(await execution.done).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(types(execution.events)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'ExecutionFailed']);
  });

  it('are answered by the mock config like any Task', async () => {
    const mockConfig = parseMockConfig({
      StateMachines: { M: { TestCases: { Happy: { Approve: 'Yes' } } } },
      MockedResponses: { Yes: { '0': { Return: { approved: 'mocked' } } } },
    });
    const runtime = createRuntime({ mockConfig });
    const execution = runtime.startExecution({ definition: activityMachine(), input: { order: 'o-6' }, stateMachineName: 'M', testCase: 'Happy' });
    expect(await execution.done).toMatchObject({ status: 'SUCCEEDED', output: { approved: 'mocked' } });
    expect(types(execution.events)).toEqual([
      'ExecutionStarted', 'TaskStateEntered', 'ActivityScheduled', 'ActivityStarted', 'ActivitySucceeded', 'TaskStateExited', 'ExecutionSucceeded',
    ]);
  });
});

describe('activity tasks across a crash', () => {
  it('a scheduled task no worker took is queued again when the execution resumes', async () => {
    const store = createMemoryEventStore();
    const first = createRuntime({ store });
    await first.activities.create({ name: 'approve' });
    const execution = first.startExecution({ definition: activityMachine(), input: { order: 'o-7' }, name: 'crash-queued' });
    const arn = execution.identity.executionArn;
    await eventAppended(store, arn, 'ActivityScheduled');
    const mid = foldExecutionState(await store.read(arn));
    expect(mid.active[0]!.pendingTask).toMatchObject({ resource: ACTIVITY, parameters: { order: 'o-7' } });

    // The first process "dies" here; a second one opens the same store.
    const second = createRuntime({ store });
    const worker = second.activities.work(ACTIVITY, ({ input }) => ({ took: input }), { workerName: 'after-crash' });
    cleanups.push(() => worker.stop());
    const resumed = await second.start();
    expect(resumed.map((j) => j.identity.executionArn)).toEqual([arn]);
    expect(await resumed[0]!.done).toMatchObject({ status: 'SUCCEEDED', output: { took: { order: 'o-7' } } });
    const events = await store.read(arn);
    expect(types(events).filter((t) => t.startsWith('Activity'))).toEqual(['ActivityScheduled', 'ActivityStarted', 'ActivitySucceeded']);
    expect(detailsOf(events, 'ActivityStarted')).toEqual({ workerName: 'after-crash' });
    const end = foldExecutionState(events);
    expect(end.status).toBe('SUCCEEDED');
  });

  it('a task a worker had taken stays open for that worker\'s token after the resume', async () => {
    const store = createMemoryEventStore();
    const first = createRuntime({ store });
    await first.activities.create({ name: 'approve' });
    const execution = first.startExecution({ definition: activityMachine(), input: { order: 'o-8' }, name: 'crash-started' });
    const arn = execution.identity.executionArn;
    const task = await first.activities.getTask(ACTIVITY, { workerName: 'slow' });
    await eventAppended(store, arn, 'ActivityStarted');
    expect(foldExecutionState(await store.read(arn)).active[0]!.pendingTask).toMatchObject({ workerName: 'slow' });

    const second = createRuntime({ store });
    const [resumed] = await second.start();
    await resumed!.caughtUp;
    expect(second.activities.pendingTasks(ACTIVITY)).toBe(0);
    second.sendTaskSuccess(task!.taskToken, { late: true });
    expect(await resumed!.done).toMatchObject({ status: 'SUCCEEDED', output: { late: true } });
    expect(types(await store.read(arn)).filter((t) => t === 'ActivityStarted')).toHaveLength(1);
  });
});
