import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, filter } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createMemoryEventStore, createRuntime, openFileEventStore, parseMockConfig, TaskFailure, toAwsHistoryEvent,
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
    expect(await runtime.activities.describe(ACTIVITY)).toEqual({ activityArn: ACTIVITY, name: 'approve', creationDate: first.creationDate });
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
    expect(listed.activities).toEqual([{ activityArn: ACTIVITY, name: 'approve', creationDate }]);
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

  it('time out with States.HeartbeatTimeout when the worker stops heartbeating', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    await runtime.activities.create({ name: 'approve' });
    const taken = runtime.activities.getTask(ACTIVITY, { workerName: 'silent' });
    const execution = runtime.startExecution({ definition: activityMachine({ HeartbeatSeconds: 5 }), input: { order: 'o-3' } });
    const result = await execution.done;
    expect(await taken).not.toBeNull();
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
    expect(types(execution.events)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'ActivityScheduled', 'ActivityStarted', 'ActivityTimedOut', 'ExecutionFailed']);
    const [, , scheduled, started, timedOut] = execution.events;
    expect(timedOut!.timestamp - started!.timestamp).toBe(5000);
    expect(started!.timestamp).toBe(scheduled!.timestamp);
    expect(detailsOf(execution.events, 'ActivityTimedOut')).toEqual({ error: 'States.HeartbeatTimeout' });
  });

  it('time out with States.Timeout when no worker takes them, and leave the queue', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    await runtime.activities.create({ name: 'approve' });
    const execution = runtime.startExecution({ definition: activityMachine({ TimeoutSeconds: 30 }), input: { order: 'o-4' } });
    const result = await execution.done;
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(types(execution.events)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'ActivityScheduled', 'ActivityTimedOut', 'ExecutionFailed']);
    expect(execution.events[3]!.previousEventId).toBe(3);
    expect(execution.events[3]!.timestamp - execution.events[2]!.timestamp).toBe(30_000);
    expect(runtime.activities.pendingTasks(ACTIVITY)).toBe(0);
    // The recorded history replays: an answer that follows its Scheduled event is matched.
    expect(await runtime.replay({ executionArn: execution.identity.executionArn })).toMatchObject({ ok: true });
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

  it('fail to schedule with ActivityDoesNotExist when the activity is not defined', async () => {
    const runtime = createRuntime();
    const execution = runtime.startExecution({ definition: activityMachine(), input: { order: 'o-5' } });
    const result = await execution.done;
    expect(result).toMatchObject({ status: 'FAILED', error: 'ActivityDoesNotExist' });
    expect(result.cause).toContain(ACTIVITY);
    expect(types(execution.events)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'ActivityScheduled', 'ActivityScheduleFailed', 'ExecutionFailed']);
    expect(await runtime.replay({ executionArn: execution.identity.executionArn })).toMatchObject({ ok: true });
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
