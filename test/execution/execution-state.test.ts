import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detailsKeyOf, type HistoryEvent, type HistoryEventType } from '../../src/execution/history-event.js';
import { describeExecutionState, ExecutionStateFold, foldExecutionState, type ActiveState, type ExecutionState } from '../../src/execution/execution-state.js';

const T0 = Date.parse('2026-11-24T10:00:00.000Z');

/** Builds a history the way the journal does: ids in order, each event one second after the last. */
class History {
  readonly events: HistoryEvent[] = [];
  add(previousEventId: number, type: HistoryEventType, details?: Record<string, unknown>): number {
    const id = this.events.length + 1;
    const event: HistoryEvent = { id, previousEventId, timestamp: T0 + (id - 1) * 1000, type };
    const key = detailsKeyOf(type);
    if (key) event[key] = details ?? {};
    this.events.push(event);
    return id;
  }
  started(input: unknown = {}): number {
    return this.add(0, 'ExecutionStarted', { input, inputDetails: { truncated: false }, roleArn: 'arn:aws:iam::123456789012:role/sfn' });
  }
  enter(prev: number, type: string, name: string, input: unknown = {}): number {
    return this.add(prev, `${type}StateEntered` as HistoryEventType, { name, input, inputDetails: { truncated: false } });
  }
  exit(prev: number, type: string, name: string, output: unknown = {}, assignedVariables?: Record<string, unknown>): number {
    return this.add(prev, `${type}StateExited` as HistoryEventType, { name, output, outputDetails: { truncated: false }, ...(assignedVariables ? { assignedVariables } : {}) });
  }
  schedule(prev: number, parameters: unknown = {}): number {
    return this.add(prev, 'TaskScheduled', { resourceType: 'lambda', resource: 'invoke', region: 'us-east-1', parameters, timeoutInSeconds: 30, heartbeatInSeconds: 10 });
  }
  fold(at?: number): ExecutionState {
    return foldExecutionState(this.events, at);
  }
}

const only = (active: ActiveState[]): ActiveState => {
  expect(active).toHaveLength(1);
  return active[0]!;
};

describe('foldExecutionState: top-level shapes', () => {
  it('folds a chain of Pass states, their outputs and top-level variables', () => {
    const h = new History();
    const s = h.started({ orderId: 'ord-1' });
    const a = h.enter(0, 'Pass', 'Init', { orderId: 'ord-1' });
    const ax = h.exit(a, 'Pass', 'Init', { step: 1 }, { orderId: 'ord-1' });
    const b = h.enter(ax, 'Pass', 'Next', { step: 1 });
    const bx = h.exit(b, 'Pass', 'Next', { step: 2 }, { orderId: 'ord-2', count: 2 });
    const end = h.add(bx, 'ExecutionSucceeded', { output: { step: 2 }, outputDetails: { truncated: false } });

    const atStart = h.fold(s);
    expect(atStart).toMatchObject({ status: 'RUNNING', input: { orderId: 'ord-1' }, startDate: T0, redriveCount: 0, lastEventId: 1, active: [] });

    const mid = h.fold(b);
    expect(only(mid.active)).toMatchObject({ name: 'Next', type: 'Pass', enteredEventId: b, input: { step: 1 }, retryCount: 0 });
    expect(mid.variables).toEqual({ orderId: 'ord-1' });
    expect(mid.completedStates).toEqual({ Init: { output: { step: 1 }, exitEventId: ax } });

    const done = h.fold();
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: { step: 2 }, stopDate: T0 + (end - 1) * 1000, lastEventId: end, active: [] });
    expect(done.variables).toEqual({ orderId: 'ord-2', count: 2 });
    expect(done.completedStates.Next).toEqual({ output: { step: 2 }, exitEventId: bx });
    expect(done.failedState).toBeUndefined();
    expect(JSON.parse(JSON.stringify(done))).toEqual(done);
  });

  it('tracks a pending task and counts retried failures', () => {
    const h = new History();
    h.started();
    const e = h.enter(0, 'Task', 'Charge', { amount: 5 });
    const s1 = h.schedule(e, { FunctionName: 'charge', Payload: { amount: 5 } });
    const st1 = h.add(s1, 'TaskStarted', { resourceType: 'lambda', resource: 'invoke' });
    const f1 = h.add(st1, 'TaskFailed', { resourceType: 'lambda', resource: 'invoke', error: 'Lambda.ServiceException', cause: 'boom' });
    const s2 = h.schedule(f1, { FunctionName: 'charge', Payload: { amount: 5 } });
    const st2 = h.add(s2, 'TaskStarted', { resourceType: 'lambda', resource: 'invoke' });
    const ok = h.add(st2, 'TaskSucceeded', { resourceType: 'lambda', resource: 'invoke', output: { Payload: 'paid' } });
    const x = h.exit(ok, 'Task', 'Charge', { Payload: 'paid' });
    h.add(x, 'ExecutionSucceeded', { output: { Payload: 'paid' } });

    const running = only(h.fold(st1).active);
    expect(running.retryCount).toBe(0);
    expect(running.pendingTask).toEqual({
      scheduledEventId: s1, resource: 'arn:aws:states:::lambda:invoke', parameters: { FunctionName: 'charge', Payload: { amount: 5 } },
      timeoutInSeconds: 30, heartbeatInSeconds: 10, startedEventId: st1,
    });
    expect(running.waitingSince).toBe(T0 + (s1 - 1) * 1000);

    const failed = only(h.fold(f1).active);
    expect(failed.pendingTask).toBeUndefined();
    expect(failed.lastError).toEqual({ error: 'Lambda.ServiceException', cause: 'boom', eventId: f1 });
    expect(failed.retryCount).toBe(0);

    const retried = only(h.fold(st2).active);
    expect(retried.retryCount).toBe(1);
    expect(retried.pendingTask?.scheduledEventId).toBe(s2);
    expect(retried.contextObject.State).toEqual({ Name: 'Charge', EnteredTime: new Date(T0 + (e - 1) * 1000).toISOString(), RetryCount: 1 });

    expect(only(h.fold(ok).active).pendingTask).toBeUndefined();
    expect(h.fold().status).toBe('SUCCEEDED');
  });

  it('follows a Catch from a failed task to its handler', () => {
    const h = new History();
    h.started();
    const e = h.enter(0, 'Task', 'Charge');
    const s = h.schedule(e);
    const f = h.add(s, 'TaskFailed', { error: 'Card.Declined', cause: { reason: 'limit' } });
    const x = h.exit(f, 'Task', 'Charge', { Error: 'Card.Declined' }, { declined: true });
    const fb = h.enter(x, 'Pass', 'Fallback', { Error: 'Card.Declined' });
    const fx = h.exit(fb, 'Pass', 'Fallback', 'sorry');
    h.add(fx, 'ExecutionSucceeded', { output: 'sorry' });

    expect(only(h.fold(f).active).lastError).toEqual({ error: 'Card.Declined', cause: '{"reason":"limit"}', eventId: f });
    const handler = h.fold(fb);
    expect(only(handler.active).name).toBe('Fallback');
    expect(handler.completedStates.Charge).toEqual({ output: { Error: 'Card.Declined' }, exitEventId: x });
    expect(handler.variables).toEqual({ declined: true });
    expect(h.fold()).toMatchObject({ status: 'SUCCEEDED', output: 'sorry' });
  });

  it('shows a Wait state as waiting since it was entered', () => {
    const h = new History();
    h.started();
    const w = h.enter(0, 'Wait', 'Pause');
    const wx = h.exit(w, 'Wait', 'Pause');
    h.add(wx, 'ExecutionSucceeded', { output: {} });
    const state = h.fold(w);
    expect(only(state.active)).toMatchObject({ name: 'Pause', type: 'Wait', waitingSince: T0 + 1000 });
    expect(describeExecutionState(state)).toContain('Pause (Wait, entered #2)  waiting since 2026-11-24T10:00:01.000Z');
    expect(h.fold().active).toEqual([]);
  });

  it('records the failure and the state that ended the execution', () => {
    const h = new History();
    h.started();
    const a = h.enter(0, 'Pass', 'Prepare');
    const ax = h.exit(a, 'Pass', 'Prepare');
    const f = h.enter(ax, 'Fail', 'Reject');
    const end = h.add(f, 'ExecutionFailed', { error: 'Order.Rejected', cause: 'no stock' });
    expect(only(h.fold(f).active).type).toBe('Fail');
    expect(h.fold()).toMatchObject({ status: 'FAILED', error: 'Order.Rejected', cause: 'no stock', failedState: 'Reject', stopDate: T0 + (end - 1) * 1000, active: [] });
  });

  it('attributes an EvaluationFailed that points before the state (AWS threading)', () => {
    const h = new History();
    h.started();
    h.enter(0, 'Pass', 'State0');
    const ev = h.add(0, 'EvaluationFailed', { error: 'States.QueryEvaluationError', cause: 'bad', location: 'Output', state: 'State0' });
    h.add(ev, 'ExecutionFailed', { error: 'States.QueryEvaluationError', cause: 'bad' });
    expect(only(h.fold(ev).active).lastError).toEqual({ error: 'States.QueryEvaluationError', cause: 'bad', eventId: ev });
    expect(h.fold()).toMatchObject({ status: 'FAILED', failedState: 'State0' });
  });

  it('stops everything on abort', () => {
    const h = new History();
    h.started();
    const m = h.enter(0, 'Map', 'Items', [1, 2]);
    const ms = h.add(m, 'MapStateStarted', { length: 2 });
    const i0 = h.add(ms, 'MapIterationStarted', { index: 0, name: 'Items' });
    const i1 = h.add(ms, 'MapIterationStarted', { index: 1, name: 'Items' });
    const w0 = h.enter(i0, 'Wait', 'Hold');
    h.enter(i1, 'Wait', 'Hold');
    h.add(w0, 'ExecutionAborted', { error: 'Operator', cause: 'stopped by hand' });
    const state = h.fold();
    expect(state).toMatchObject({ status: 'ABORTED', error: 'Operator', cause: 'stopped by hand', failedState: 'Items', active: [] });
    expect(state.mapIterations).toEqual([
      { name: 'Items', enteredEventId: m, length: 2, running: 0, succeeded: 0, failed: 0, aborted: 2, closed: true,
        finished: [{ index: 0, status: 'ABORTED' }, { index: 1, status: 'ABORTED' }] },
    ]);
  });

  // The redriven shapes below are AWS's (checked against AWS recordings): a redrive enters no
  // state again; the first event of the state it picks up threads on that state's entry.
  it('resumes after a redrive: the state picked up runs again, its retries counted from 0', () => {
    const h = new History();
    h.started({ n: 1 });
    const e = h.enter(0, 'Task', 'Ship');
    const s = h.schedule(e);
    const f = h.add(s, 'TaskFailed', { error: 'States.TaskFailed' });
    const retried = h.schedule(f);
    const f2 = h.add(retried, 'TaskFailed', { error: 'States.TaskFailed' });
    const ef = h.add(f2, 'ExecutionFailed', { error: 'States.TaskFailed' });
    const r = h.add(ef, 'ExecutionRedriven', { redriveCount: 1 });
    const s2 = h.schedule(e);
    const ok = h.add(s2, 'TaskSucceeded', { output: 'shipped' });
    const x = h.exit(ok, 'Task', 'Ship', 'shipped');
    h.add(x, 'ExecutionSucceeded', { output: 'shipped' });

    expect(h.fold(f2)).toMatchObject({ active: [{ name: 'Ship', retryCount: 1 }] });
    expect(h.fold(ef)).toMatchObject({ status: 'FAILED', failedState: 'Ship', redriveCount: 0 });
    const redriven = h.fold(r);
    // The state the execution ended in runs again from the redrive on.
    expect(redriven).toMatchObject({ status: 'RUNNING', redriveCount: 1, redriveDate: T0 + (r - 1) * 1000, active: [{ name: 'Ship', enteredEventId: e, retryCount: 0 }] });
    expect(redriven.active[0]!.pendingTask).toBeUndefined();
    expect(redriven.error).toBeUndefined();
    expect(redriven.failedState).toBeUndefined();
    expect(redriven.stopDate).toBeUndefined();
    const again = only(h.fold(s2).active);
    expect(again).toMatchObject({ name: 'Ship', enteredEventId: e, retryCount: 0, pendingTask: { scheduledEventId: s2 } });
    expect(again.contextObject.State).toEqual({ Name: 'Ship', EnteredTime: new Date(T0 + (e - 1) * 1000).toISOString(), RetryCount: 0 });
    expect(again.contextObject.Execution).toMatchObject({ RedriveCount: 1, RedriveTime: new Date(T0 + (r - 1) * 1000).toISOString() });
    expect(h.fold()).toMatchObject({ status: 'SUCCEEDED', output: 'shipped', redriveCount: 1, active: [] });
  });

  it('resumes a Wait an abort stopped: it waits again from the redrive, WaitStateExited threads on its entry', () => {
    const h = new History();
    h.started();
    const w = h.enter(0, 'Wait', 'Pause');
    const aborted = h.add(0, 'ExecutionAborted', { error: 'Probe.Abort' });
    const r = h.add(aborted, 'ExecutionRedriven', { redriveCount: 1 });
    const x = h.exit(w, 'Wait', 'Pause');
    h.add(x, 'ExecutionSucceeded', { output: {} });
    expect(h.fold(aborted)).toMatchObject({ status: 'ABORTED', failedState: 'Pause', active: [] });
    expect(only(h.fold(r).active)).toMatchObject({ name: 'Pause', enteredEventId: w, waitingSince: T0 + (r - 1) * 1000 });
    expect(h.fold(x)).toMatchObject({ status: 'RUNNING', active: [], completedStates: { Pause: { exitEventId: x } } });
    expect(h.fold()).toMatchObject({ status: 'SUCCEEDED', active: [] });
  });

  it('fails a redriven Fail state again without entering it', () => {
    const h = new History();
    h.started();
    const f = h.enter(0, 'Fail', 'Broken');
    const ef = h.add(f, 'ExecutionFailed', { error: 'Probe.Explicit', cause: 'c' });
    const r = h.add(ef, 'ExecutionRedriven', { redriveCount: 1 });
    h.add(r, 'ExecutionFailed', { error: 'Probe.Explicit', cause: 'c' });
    expect(h.fold()).toMatchObject({ status: 'FAILED', error: 'Probe.Explicit', failedState: 'Broken', redriveCount: 1, active: [] });
  });
});

describe('foldExecutionState: Map and Parallel', () => {
  /** A Map with MaxConcurrency 1: each iteration starts from the previous one's last event, as AWS records it. */
  function priceLines(): { h: History; ids: Record<string, number> } {
    const h = new History();
    const ids: Record<string, number> = {};
    const lines = [{ sku: 'a' }, { sku: 'b' }, { sku: 'c' }];
    h.started({ orderId: 'ord-1', lines });
    const init = h.enter(0, 'Pass', 'Init');
    const initX = h.exit(init, 'Pass', 'Init', lines, { orderId: 'ord-1' });
    ids.map = h.enter(initX, 'Map', 'PriceLines', lines);
    ids.mapStarted = h.add(ids.map, 'MapStateStarted', { length: 3 });
    let cursor = ids.mapStarted;
    for (const index of [0, 1]) {
      const it = h.add(cursor, 'MapIterationStarted', { index, name: 'PriceLines' });
      const e = h.enter(it, 'Pass', 'LookUpPrice', lines[index]);
      const x = h.exit(e, 'Pass', 'LookUpPrice', { price: index });
      ids[`done${index}`] = h.add(x, 'MapIterationSucceeded', { index, name: 'PriceLines' });
      cursor = x;
    }
    ids.it2 = h.add(cursor, 'MapIterationStarted', { index: 2, name: 'PriceLines' });
    ids.task = h.enter(ids.it2, 'Task', 'LookUpPrice', lines[2]);
    ids.s1 = h.schedule(ids.task);
    ids.f1 = h.add(ids.s1, 'TaskFailed', { error: 'Lambda.TooManyRequestsException' });
    ids.s2 = h.schedule(ids.f1);
    ids.ok = h.add(ids.s2, 'TaskSucceeded', { output: { price: 2 } });
    ids.x = h.exit(ids.ok, 'Task', 'LookUpPrice', { price: 2 });
    ids.done2 = h.add(ids.x, 'MapIterationSucceeded', { index: 2, name: 'PriceLines' });
    ids.mapOk = h.add(ids.done2, 'MapStateSucceeded');
    ids.mapX = h.exit(ids.done2, 'Map', 'PriceLines', [{ price: 0 }, { price: 1 }, { price: 2 }]);
    ids.end = h.add(ids.mapX, 'ExecutionSucceeded', { output: [] });
    return { h, ids };
  }

  it('folds a Map with MaxConcurrency 1 and renders it', () => {
    const { h, ids } = priceLines();
    const state = foldExecutionState(h.events, ids.s2, {
      executionArn: 'arn:aws:states:us-east-1:123456789012:execution:Orders:run-1', name: 'run-1',
      stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Orders', stateMachineName: 'Orders',
    });
    const map = only(state.active);
    expect(map).toMatchObject({ name: 'PriceLines', type: 'Map', enteredEventId: ids.map });
    expect(map.children!.map((c) => [c.index, c.status, c.active.length])).toEqual([[0, 'SUCCEEDED', 0], [1, 'SUCCEEDED', 0], [2, 'RUNNING', 1]]);
    const task = only(map.children![2]!.active);
    expect(task).toMatchObject({ name: 'LookUpPrice', type: 'Task', enteredEventId: ids.task, retryCount: 1, pendingTask: { scheduledEventId: ids.s2 } });
    expect(task.contextObject).toEqual({
      Execution: {
        Id: 'arn:aws:states:us-east-1:123456789012:execution:Orders:run-1', Name: 'run-1', RoleArn: 'arn:aws:iam::123456789012:role/sfn',
        Input: { orderId: 'ord-1', lines: [{ sku: 'a' }, { sku: 'b' }, { sku: 'c' }] }, StartTime: '2026-11-24T10:00:00.000Z', RedriveCount: 0,
      },
      StateMachine: { Id: 'arn:aws:states:us-east-1:123456789012:stateMachine:Orders', Name: 'Orders' },
      State: { Name: 'LookUpPrice', EnteredTime: new Date(T0 + (ids.task - 1) * 1000).toISOString(), RetryCount: 1 },
      Map: { Item: { Index: 2, Value: { sku: 'c' } } },
    });
    expect(state.mapIterations).toEqual([{
      name: 'PriceLines', enteredEventId: ids.map, length: 3, running: 1, succeeded: 2, failed: 0, aborted: 0, closed: false,
      finished: [{ index: 0, status: 'SUCCEEDED' }, { index: 1, status: 'SUCCEEDED' }],
    }]);
    expect(describeExecutionState(state)).toBe([
      `status RUNNING at event ${ids.s2} (${new Date(T0 + (ids.s2 - 1) * 1000).toISOString()})`,
      'active:',
      `  PriceLines (Map, entered #${ids.map})  iterations: 2 succeeded, 1 running`,
      `    [2] LookUpPrice (Task, entered #${ids.task}, retry 1)  waiting on task scheduled #${ids.s2}: arn:aws:states:::lambda:invoke`,
      'variables: { "orderId": "ord-1" }',
    ].join('\n'));

    const done = h.fold();
    expect(done.status).toBe('SUCCEEDED');
    expect(done.mapIterations[0]).toMatchObject({ running: 0, succeeded: 3, closed: true });
    expect(done.completedStates.PriceLines!.exitEventId).toBe(ids.mapX);
    // Variables assigned inside an iteration are not top-level variables.
    expect(done.variables).toEqual({ orderId: 'ord-1' });
  });

  it('keeps between-iterations positions consistent', () => {
    const { h, ids } = priceLines();
    const after0 = only(h.fold(ids.done0).active);
    expect(after0.children!.map((c) => c.status)).toEqual(['SUCCEEDED']);
    const started2 = only(h.fold(ids.it2).active);
    expect(started2.children![2]).toEqual({ index: 2, status: 'RUNNING', active: [] });
    expect(describeExecutionState(h.fold(ids.it2))).toContain('    [2] (between states)');
    const mapDone = only(h.fold(ids.mapOk).active);
    expect(mapDone.children!.every((c) => c.status === 'SUCCEEDED')).toBe(true);
  });

  /** Four iterations at once; iteration 0 times out and AWS aborts the rest from the Map's cursor. */
  function concurrentMap(): { h: History; ids: Record<string, number>; it: number[]; tasks: number[]; sched: number[] } {
    const h = new History();
    const ids: Record<string, number> = {};
    h.started([1, 2, 3, 4]);
    ids.map = h.enter(0, 'Map', 'MapWait', [1, 2, 3, 4]);
    ids.ms = h.add(ids.map, 'MapStateStarted', { length: 4 });
    const it = [0, 1, 2, 3].map((index) => h.add(ids.ms!, 'MapIterationStarted', { index, name: 'MapWait' }));
    const tasks: number[] = [];
    const sched: number[] = [];
    for (const i of [0, 1, 2, 3]) {
      tasks[i] = h.enter(it[i]!, 'Task', 'LambdaInvoke', i + 1);
      sched[i] = h.schedule(tasks[i]!);
    }
    const started = [0, 1, 2, 3].map((i) => h.add(sched[i]!, 'TaskStarted', { resourceType: 'lambda', resource: 'invoke' }));
    ids.to0 = h.add(started[0]!, 'TaskTimedOut', { error: 'States.Timeout' });
    ids.to2 = h.add(started[2]!, 'TaskTimedOut', { error: 'States.Timeout' });
    // As recorded against AWS (the map timeout case): the failed iteration's own Task is aborted
    // after its MapIterationFailed; each other iteration is aborted, then the Task it waited in.
    ids.fail0 = h.add(ids.to0, 'MapIterationFailed', { index: 0, name: 'MapWait' });
    ids.abortTask0 = h.add(ids.to0, 'TaskStateAborted');
    ids.abortIt1 = h.add(ids.to0, 'MapIterationAborted', { index: 1, name: 'MapWait' });
    ids.abortTask1 = h.add(ids.to0, 'TaskStateAborted');
    ids.abortIt2 = h.add(ids.to0, 'MapIterationAborted', { index: 2, name: 'MapWait' });
    ids.abortTask2 = h.add(ids.to0, 'TaskStateAborted');
    ids.abortIt3 = h.add(ids.to0, 'MapIterationAborted', { index: 3, name: 'MapWait' });
    ids.abortTask3 = h.add(ids.to0, 'TaskStateAborted');
    ids.mapFailed = h.add(ids.to0, 'MapStateFailed');
    ids.end = h.add(ids.mapFailed, 'ExecutionFailed', { error: 'States.Timeout' });
    return { h, ids, it, tasks, sched };
  }

  it('attributes interleaved events of concurrent iterations by their chains', () => {
    const { h, ids, tasks, sched } = concurrentMap();
    const map = only(h.fold(ids.to2).active);
    const byIteration = map.children!.map((c) => c.active[0]);
    expect(byIteration.map((a) => a?.enteredEventId)).toEqual(tasks);
    expect(byIteration.map((a) => a?.pendingTask?.scheduledEventId)).toEqual([undefined, sched[1], undefined, sched[3]]);
    expect(byIteration.map((a) => a?.lastError?.error)).toEqual(['States.Timeout', undefined, 'States.Timeout', undefined]);
    expect(byIteration.map((a) => a?.contextObject.Map)).toEqual([0, 1, 2, 3].map((i) => ({ Item: { Index: i, Value: i + 1 } })));
  });

  it('aborts the remaining iterations in order after one fails', () => {
    const { h, ids, tasks } = concurrentMap();
    const afterFail = only(h.fold(ids.fail0).active);
    expect(afterFail.children!.map((c) => c.status)).toEqual(['FAILED', 'RUNNING', 'RUNNING', 'RUNNING']);
    expect(only(h.fold(ids.abortTask0).active).children!.map((c) => [c.status, c.active.length])).toEqual([['FAILED', 0], ['RUNNING', 1], ['RUNNING', 1], ['RUNNING', 1]]);
    expect(only(h.fold(ids.abortIt1).active).children!.map((c) => [c.status, c.active.length])).toEqual([['FAILED', 0], ['ABORTED', 0], ['RUNNING', 1], ['RUNNING', 1]]);
    expect(only(h.fold(ids.abortTask1).active).children!.map((c) => c.status)).toEqual(['FAILED', 'ABORTED', 'RUNNING', 'RUNNING']);
    expect(only(h.fold(ids.abortTask2).active).children!.map((c) => [c.status, c.active.length])).toEqual([['FAILED', 0], ['ABORTED', 0], ['ABORTED', 0], ['RUNNING', 1]]);
    // Each abort is the state of the iteration it follows: the failed one's Task, then each aborted one's.
    const events = h.events;
    const fold = new ExecutionStateFold();
    for (const e of events) fold.apply(e);
    expect([ids.abortTask0, ids.abortTask1, ids.abortTask2, ids.abortTask3].map((id) => fold.stateEntryOf(id!))).toEqual(tasks);
    const end = h.fold();
    expect(end).toMatchObject({ status: 'FAILED', error: 'States.Timeout', failedState: 'MapWait', active: [] });
    expect(end.mapIterations[0]).toMatchObject({ running: 0, succeeded: 0, failed: 1, aborted: 3 });
  });

  it('gives the aborts of a failed Parallel to the failed branch\'s Task, then the running one\'s (recorded against AWS)', () => {
    // AWS, 2026-09: 16<15 TaskStateExited, 17<13 ActivityFailed, 18<17 TaskStateAborted,
    // 19<17 TaskStateAborted, 20<17 ParallelStateFailed, 21<20 ExecutionFailed.
    const h = new History();
    h.started();
    const p = h.enter(0, 'Parallel', 'P');
    const ps = h.add(p, 'ParallelStateStarted');
    const names = ['SucceededSibling', 'FailedSibling', 'RunningSibling'];
    const entered = names.map((name) => h.enter(ps, 'Task', name));
    const scheduled = entered.map((id) => h.add(id, 'ActivityScheduled', { resource: 'arn:aws:states:us-east-1:123456789012:activity:a' }));
    const started = scheduled.map((id) => h.add(id, 'ActivityStarted', { workerName: 'w' }));
    const ok = h.add(started[0]!, 'ActivitySucceeded', { output: '{}' });
    h.exit(ok, 'Task', 'SucceededSibling');
    const failed = h.add(started[1]!, 'ActivityFailed', { error: 'E' });
    const abortOwn = h.add(failed, 'TaskStateAborted');
    const abortRunning = h.add(failed, 'TaskStateAborted');
    const pf = h.add(failed, 'ParallelStateFailed');
    h.add(pf, 'ExecutionFailed', { error: 'E' });
    expect([abortOwn, abortRunning, pf].map((id) => h.events[id - 1]!.previousEventId)).toEqual([failed, failed, failed]);
    const branches = (at: number) => only(h.fold(at).active).children!.map((c) => [c.status, c.active.map((a) => a.name)]);
    expect(branches(failed)).toEqual([['SUCCEEDED', []], ['RUNNING', ['FailedSibling']], ['RUNNING', ['RunningSibling']]]);
    expect(branches(abortOwn)).toEqual([['SUCCEEDED', []], ['RUNNING', []], ['RUNNING', ['RunningSibling']]]);
    expect(branches(abortRunning)).toEqual([['SUCCEEDED', []], ['RUNNING', []], ['RUNNING', []]]);
    expect(branches(pf)).toEqual([['SUCCEEDED', []], ['FAILED', []], ['ABORTED', []]]);
    const fold = new ExecutionStateFold();
    for (const e of h.events) fold.apply(e);
    expect([fold.stateEntryOf(abortOwn), fold.stateEntryOf(abortRunning)]).toEqual([entered[1], entered[2]]);
    expect(h.fold()).toMatchObject({ status: 'FAILED', failedState: 'P', active: [] });
  });

  it('gives the abort after a failed iteration to the Task it failed in (recorded against AWS)', () => {
    // AWS, 2026-09, MaxConcurrency 1: 17<16 ActivityFailed, 18<17 MapIterationFailed,
    // 19<17 TaskStateAborted, 20<17 MapStateFailed, 21<20 ExecutionFailed.
    const h = new History();
    h.started([0, 1, 2]);
    const m = h.enter(0, 'Map', 'M', [0, 1, 2]);
    const ms = h.add(m, 'MapStateStarted', { length: 3 });
    const i0 = h.add(ms, 'MapIterationStarted', { index: 0, name: 'M' });
    const t0 = h.enter(i0, 'Task', 'T', 0);
    const ok = h.add(h.add(h.add(t0, 'ActivityScheduled', { resource: 'a' }), 'ActivityStarted', {}), 'ActivitySucceeded', { output: '0' });
    const x0 = h.exit(ok, 'Task', 'T', 0);
    h.add(x0, 'MapIterationSucceeded', { index: 0, name: 'M' });
    const i1 = h.add(x0, 'MapIterationStarted', { index: 1, name: 'M' });
    const t1 = h.enter(i1, 'Task', 'T', 1);
    const failed = h.add(h.add(h.add(t1, 'ActivityScheduled', { resource: 'a' }), 'ActivityStarted', {}), 'ActivityFailed', { error: 'E' });
    const itFailed = h.add(failed, 'MapIterationFailed', { index: 1, name: 'M' });
    const aborted = h.add(failed, 'TaskStateAborted');
    const mf = h.add(failed, 'MapStateFailed');
    h.add(mf, 'ExecutionFailed', { error: 'E' });
    expect([itFailed, aborted, mf].map((id) => h.events[id - 1]!.previousEventId)).toEqual([failed, failed, failed]);
    const fold = new ExecutionStateFold();
    for (const e of h.events) fold.apply(e);
    expect(fold.stateEntryOf(aborted)).toBe(t1);
    expect(only(h.fold(aborted).active).children!.map((c) => c.status)).toEqual(['SUCCEEDED', 'FAILED']);
    expect(h.fold().mapIterations[0]).toMatchObject({ succeeded: 1, failed: 1, aborted: 0, running: 0, closed: true });
  });

  it('accepts iteration aborts that point at the aborted iteration itself', () => {
    const h = new History();
    h.started();
    const m = h.enter(0, 'Map', 'M', ['x', 'y']);
    const ms = h.add(m, 'MapStateStarted', { length: 2 });
    const i0 = h.add(ms, 'MapIterationStarted', { index: 0, name: 'M' });
    const i1 = h.add(ms, 'MapIterationStarted', { index: 1, name: 'M' });
    const f0 = h.enter(i0, 'Fail', 'Boom');
    const w1 = h.enter(i1, 'Wait', 'Hold');
    const failed = h.add(f0, 'MapIterationFailed', { index: 0, name: 'M' });
    const aborted = h.add(w1, 'MapIterationAborted', { index: 1, name: 'M' });
    const mf = h.add(f0, 'MapStateFailed');
    h.add(mf, 'ExecutionFailed', { error: 'E' });
    expect(only(h.fold(failed).active).children!.map((c) => [c.status, c.active[0]?.name])).toEqual([['FAILED', undefined], ['RUNNING', 'Hold']]);
    expect(only(h.fold(aborted).active).children!.map((c) => c.status)).toEqual(['FAILED', 'ABORTED']);
    expect(h.fold()).toMatchObject({ status: 'FAILED', failedState: 'M' });
  });

  it('aborts a nested Map in another iteration, not the Map whose iteration failed', () => {
    // As Stepwise and AWS record it: the abort points at the failed iteration's last event.
    const h = new History();
    h.started();
    const outer = h.enter(0, 'Map', 'L1', [[1], [2]]);
    const os = h.add(outer, 'MapStateStarted', { length: 2 });
    const i0 = h.add(os, 'MapIterationStarted', { index: 0, name: 'L1' });
    const i1 = h.add(os, 'MapIterationStarted', { index: 1, name: 'L1' });
    const inner0 = h.enter(i0, 'Map', 'L2', [1]);
    const inner1 = h.enter(i1, 'Map', 'L2', [2]);
    const innerFailed = h.add(inner0, 'MapStateFailed');
    h.add(innerFailed, 'MapIterationFailed', { index: 0, name: 'L1' });
    const aborted = h.add(innerFailed, 'MapStateAborted');
    const abortedIt = h.add(innerFailed, 'MapIterationAborted', { index: 1, name: 'L1' });
    const outerFailed = h.add(innerFailed, 'MapStateFailed');
    h.add(outerFailed, 'ExecutionFailed', { error: 'E' });

    const atAbort = only(h.fold(aborted).active);
    expect(atAbort).toMatchObject({ name: 'L1', enteredEventId: outer });
    expect(atAbort.children!.map((c) => [c.status, c.active.length])).toEqual([['FAILED', 0], ['RUNNING', 0]]);
    expect(only(h.fold(abortedIt).active).children!.map((c) => c.status)).toEqual(['FAILED', 'ABORTED']);
    expect(only(h.fold(outerFailed).active).name).toBe('L1');
    expect(h.fold().mapIterations.find((m) => m.enteredEventId === outer)).toMatchObject({ failed: 1, aborted: 1, running: 0, closed: true });
    expect(h.fold().mapIterations.find((m) => m.enteredEventId === inner1)).toMatchObject({ closed: true });
  });

  it('aborts a Parallel in another iteration, not a Parallel around the failing Map', () => {
    const h = new History();
    h.started();
    const outer = h.enter(0, 'Parallel', 'Outer');
    const os = h.add(outer, 'ParallelStateStarted');
    const m = h.enter(os, 'Map', 'M', [0, 1]);
    const ms = h.add(m, 'MapStateStarted', { length: 2 });
    const i0 = h.add(ms, 'MapIterationStarted', { index: 0, name: 'M' });
    const i1 = h.add(ms, 'MapIterationStarted', { index: 1, name: 'M' });
    const p0 = h.enter(i0, 'Parallel', 'P');
    const p1 = h.enter(i1, 'Parallel', 'P');
    const p0s = h.add(p0, 'ParallelStateStarted');
    const p1s = h.add(p1, 'ParallelStateStarted');
    const fail = h.enter(p0s, 'Fail', 'F');
    h.enter(p1s, 'Wait', 'W');
    const p0f = h.add(fail, 'ParallelStateFailed');
    h.add(p0f, 'MapIterationFailed', { index: 0, name: 'M' });
    const aborted = h.add(p0f, 'ParallelStateAborted');
    const abortedIt = h.add(p0f, 'MapIterationAborted', { index: 1, name: 'M' });
    const mf = h.add(p0f, 'MapStateFailed');
    const of = h.add(mf, 'ParallelStateFailed');
    h.add(of, 'ExecutionFailed', { error: 'E' });

    // The Map, in the first branch of Outer.
    const mapAt = (at: number): ActiveState => only(only(h.fold(at).active).children![0]!.active);
    expect(only(h.fold(aborted).active)).toMatchObject({ name: 'Outer', enteredEventId: outer });
    expect(mapAt(aborted).children!.map((c) => [c.status, c.active.length])).toEqual([['FAILED', 0], ['RUNNING', 0]]);
    expect(mapAt(abortedIt).children!.map((c) => c.status)).toEqual(['FAILED', 'ABORTED']);
    expect(mapAt(mf)).toMatchObject({ name: 'M', enteredEventId: m });
    expect(h.fold()).toMatchObject({ status: 'FAILED', failedState: 'Outer', active: [] });
  });

  it('starts the iterations again when a Map is retried', () => {
    const h = new History();
    h.started();
    const m = h.enter(0, 'Map', 'M', [1]);
    let cursor = m;
    for (let attempt = 0; attempt < 2; attempt++) {
      const ms = h.add(cursor, 'MapStateStarted', { length: 1 });
      const it = h.add(ms, 'MapIterationStarted', { index: 0, name: 'M' });
      const f = h.enter(it, 'Fail', 'ItemFail');
      h.add(f, 'MapIterationFailed', { index: 0, name: 'M' });
      cursor = f;
    }
    const mapFailed = h.add(cursor, 'MapStateFailed');
    const caught = h.exit(mapFailed, 'Map', 'M', { Error: 'E' });
    const after = h.enter(caught, 'Pass', 'Handle');
    const retried = only(h.fold(mapFailed).active);
    expect(retried.retryCount).toBe(1);
    expect(retried.children!.map((c) => c.status)).toEqual(['FAILED']);
    const state = h.fold(after);
    expect(only(state.active).name).toBe('Handle');
    expect(state.mapIterations[0]).toMatchObject({ running: 0, failed: 1, succeeded: 0, aborted: 0, closed: true, finished: [{ index: 0, status: 'FAILED' }] });
  });

  it('threads Parallel branches from the Parallel cursor', () => {
    const h = new History();
    h.started({ v: 1 });
    const p = h.enter(0, 'Parallel', 'Both', { v: 1 });
    const ps = h.add(p, 'ParallelStateStarted');
    const a = h.enter(ps, 'Pass', 'A1');
    const t = h.enter(ps, 'Task', 'B');
    const ax = h.exit(a, 'Pass', 'A1');
    const s = h.schedule(t);
    const a2 = h.enter(ax, 'Pass', 'A2');
    const a2x = h.exit(a2, 'Pass', 'A2');
    const ok = h.add(s, 'TaskSucceeded', { output: 'b' });
    const tx = h.exit(ok, 'Task', 'B', 'b');
    const psOk = h.add(tx, 'ParallelStateSucceeded');
    const px = h.exit(tx, 'Parallel', 'Both', [{}, 'b']);
    h.add(px, 'ExecutionSucceeded', { output: [{}, 'b'] });

    const view = (at: number) => only(h.fold(at).active).children!.map((c) => [c.index, c.status, c.active.map((x) => x.name).join()]);
    expect(view(t)).toEqual([[0, 'RUNNING', 'A1'], [1, 'RUNNING', 'B']]);
    expect(view(s)).toEqual([[0, 'SUCCEEDED', ''], [1, 'RUNNING', 'B']]);
    expect(view(a2)).toEqual([[0, 'RUNNING', 'A2'], [1, 'RUNNING', 'B']]);
    expect(view(a2x)).toEqual([[0, 'SUCCEEDED', ''], [1, 'RUNNING', 'B']]);
    expect(view(psOk)).toEqual([[0, 'SUCCEEDED', ''], [1, 'SUCCEEDED', '']]);
    expect(only(h.fold(s).active).children![1]!.active[0]!.pendingTask?.scheduledEventId).toBe(s);
    expect(describeExecutionState(h.fold(s))).toContain('Both (Parallel, entered #2)  branches: 1 succeeded, 1 running\n    branch 1: B (Task, entered #5)  waiting on task scheduled #7');
    const end = h.fold();
    expect(end.status).toBe('SUCCEEDED');
    expect(Object.keys(end.completedStates)).toEqual(['A1', 'A2', 'B', 'Both']);
  });

  it('marks the failing branch and aborts the others when a Parallel fails and is caught', () => {
    const h = new History();
    h.started();
    const p = h.enter(0, 'Parallel', 'Both');
    const ps = h.add(p, 'ParallelStateStarted');
    const f = h.enter(ps, 'Fail', 'Broken');
    const w = h.enter(ps, 'Wait', 'Slow');
    const wa = h.add(f, 'WaitStateAborted');
    const pf = h.add(f, 'ParallelStateFailed');
    const px = h.exit(pf, 'Parallel', 'Both', { Error: 'X' });
    const next = h.enter(px, 'Pass', 'Recover');
    expect(only(h.fold(w).active).children!.map((c) => c.active[0]!.type)).toEqual(['Fail', 'Wait']);
    expect(only(h.fold(wa).active).children!.map((c) => c.active.length)).toEqual([1, 0]);
    expect(only(h.fold(pf).active).children!.map((c) => c.status)).toEqual(['FAILED', 'ABORTED']);
    expect(only(h.fold(next).active).name).toBe('Recover');
  });

  it('finds the failing branch when the Parallel cursor points at a branch that finished later', () => {
    const h = new History();
    h.started();
    const p = h.enter(0, 'Parallel', 'Both');
    const ps = h.add(p, 'ParallelStateStarted');
    const a = h.enter(ps, 'Pass', 'A');
    const u = h.enter(ps, 'Task', 'U');
    const s = h.schedule(u);
    const f = h.add(s, 'TaskFailed', { error: 'Boom' });
    const ax = h.exit(a, 'Pass', 'A');
    const pf = h.add(ax, 'ParallelStateFailed');
    h.add(pf, 'ExecutionFailed', { error: 'Boom' });
    expect(only(h.fold(f).active).children!.map((c) => c.status)).toEqual(['RUNNING', 'RUNNING']);
    expect(only(h.fold(pf).active).children!.map((c) => c.status)).toEqual(['SUCCEEDED', 'FAILED']);
    expect(h.fold()).toMatchObject({ status: 'FAILED', error: 'Boom', failedState: 'Both' });
  });

  it('folds nested Maps with their own item contexts', () => {
    const h = new History();
    const outer = [[1, 2], [3, 4]];
    h.started(outer);
    const l1 = h.enter(0, 'Map', 'L1', outer);
    const l1s = h.add(l1, 'MapStateStarted', { length: 2 });
    let cursor = l1s;
    const marks: number[] = [];
    for (const i of [0, 1]) {
      const it = h.add(cursor, 'MapIterationStarted', { index: i, name: 'L1' });
      const l2 = h.enter(it, 'Map', 'L2', outer[i]);
      const l2s = h.add(l2, 'MapStateStarted', { length: 2 });
      let inner = l2s;
      for (const j of [0, 1]) {
        const jt = h.add(inner, 'MapIterationStarted', { index: j, name: 'L2' });
        const pe = h.enter(jt, 'Pass', 'Leaf', outer[i]![j]);
        marks.push(pe);
        const px = h.exit(pe, 'Pass', 'Leaf', outer[i]![j]);
        h.add(px, 'MapIterationSucceeded', { index: j, name: 'L2' });
        inner = px;
      }
      h.add(inner, 'MapStateSucceeded');
      const l2x = h.exit(inner, 'Map', 'L2', outer[i]);
      h.add(l2x, 'MapIterationSucceeded', { index: i, name: 'L1' });
      cursor = l2x;
    }
    h.add(cursor, 'MapStateSucceeded');
    const l1x = h.exit(cursor, 'Map', 'L1', outer);
    h.add(l1x, 'ExecutionSucceeded', { output: outer });

    const state = h.fold(marks[3]);
    const m1 = only(state.active);
    expect(m1.children!.map((c) => c.status)).toEqual(['SUCCEEDED', 'RUNNING']);
    const m2 = only(m1.children![1]!.active);
    expect(m2).toMatchObject({ name: 'L2', contextObject: { Map: { Item: { Index: 1, Value: [3, 4] } } } });
    const leaf = only(m2.children![1]!.active);
    expect(leaf).toMatchObject({ name: 'Leaf', input: 4, contextObject: { Map: { Item: { Index: 1, Value: 4 } } } });
    expect(state.mapIterations.map((m) => [m.name, m.enteredEventId, m.succeeded, m.running, m.closed])).toEqual([
      ['L1', l1, 1, 1, false], ['L2', l1s + 2, 2, 0, true], ['L2', expect.any(Number), 1, 1, false],
    ]);
    expect(h.fold().status).toBe('SUCCEEDED');
  });
});

describe('foldExecutionState: contract', () => {
  it('rejects an event id outside the history', () => {
    const h = new History();
    h.started();
    expect(() => h.fold(0)).toThrow(RangeError);
    expect(() => h.fold(2)).toThrow(RangeError);
  });

  it('folds a 100,000-event history in well under a second', () => {
    const h = new History();
    const n = 19_999;
    h.started([]);
    const m = h.enter(0, 'Map', 'Big', []);
    const ms = h.add(m, 'MapStateStarted', { length: n });
    const workers = 10;
    const cursors = new Array<number>(workers).fill(ms);
    for (let i = 0; i < n; i++) {
      const w = i % workers;
      const it = h.add(cursors[w]!, 'MapIterationStarted', { index: i, name: 'Big' });
      const e = h.enter(it, 'Task', 'Work', i);
      const s = h.schedule(e, { i });
      const ok = h.add(s, 'TaskSucceeded', { output: i });
      const x = h.exit(ok, 'Task', 'Work', i);
      h.add(x, 'MapIterationSucceeded', { index: i, name: 'Big' });
      cursors[w] = x;
    }
    expect(h.events.length).toBeGreaterThanOrEqual(100_000);
    foldExecutionState(h.events);
    // CPU time, not wall time: parallel test workers must not make this flaky.
    const before = process.cpuUsage();
    const state = foldExecutionState(h.events);
    const used = process.cpuUsage(before);
    const elapsed = (used.user + used.system) / 1000;
    const mid = foldExecutionState(h.events, 50_000);
    expect(state.mapIterations[0]).toMatchObject({ succeeded: n, running: 0 });
    expect(mid.status).toBe('RUNNING');
    expect(elapsed).toBeLessThan(1000);
  });
});

const CASES_DIR = process.env.STEPWISE_CONFORMANCE_CASES ?? fileURLToPath(new URL('../../../shared/conformance/cases', import.meta.url));

interface RecordedCase { id: string; status: string; history: HistoryEvent[] }

function recordedCases(): RecordedCase[] {
  if (!existsSync(CASES_DIR)) return [];
  const out: RecordedCase[] = [];
  for (const id of readdirSync(CASES_DIR).sort()) {
    const file = join(CASES_DIR, id, 'expected.json');
    if (!existsSync(file)) continue;
    const expected = JSON.parse(readFileSync(file, 'utf8')) as { status: string; history: Record<string, unknown>[] | null };
    const history = expected.history;
    if (!history || history.length === 0) continue;
    if (!history.every((e) => typeof e.id === 'number' && typeof e.previousEventId === 'number')) continue;
    // The recordings dropped timestamps; a missing time folds as epoch 0.
    out.push({ id, status: expected.status, history: history.map((e) => ({ timestamp: 0, ...e }) as HistoryEvent) });
  }
  return out;
}

describe('foldExecutionState: recorded AWS histories', () => {
  const cases = recordedCases();

  it('finds the recorded corpus', () => {
    expect(cases.length).toBeGreaterThan(300);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const last = c.history[c.history.length - 1]!.id;
    const final = foldExecutionState(c.history, last);
    expect(final.status).toBe(c.status);
    expect(final.active).toEqual([]);
    expect(final.mapIterations.every((m) => m.running === 0)).toBe(true);
    if (c.status !== 'SUCCEEDED') expect(final.failedState).toBeDefined();
    for (const e of c.history) {
      const state = foldExecutionState(c.history, e.id);
      expect(state.lastEventId).toBe(e.id);
      describeExecutionState(state);
    }
  });
});

describe('foldExecutionState: a redriven Parallel', () => {
  it('picks the failed branch up in its own state, the succeeded ones kept (the AWS shape)', async () => {
    const { createRuntime } = await import('../../src/index.js');
    const runtime = createRuntime({ clock: 'virtual' });
    let failing = true;
    runtime.handle({ state: 'B' }, () => {
      if (failing) throw Object.assign(new Error('no'), { name: 'B.Failed' });
      return 'b';
    });
    runtime.handle({ state: 'A' }, () => 'a');
    runtime.handle({ state: 'C' }, () => 'c');
    const branch = (name: string) => ({ StartAt: name, States: { [name]: { Type: 'Task', Resource: `arn:aws:lambda:us-east-1:123456789012:function:${name}`, End: true } } });
    const definition = { StartAt: 'All', States: { All: { Type: 'Parallel', Branches: [branch('A'), branch('B'), branch('C')], End: true } } };
    const first = await runtime.run({ definition });
    expect(first.status).toBe('FAILED');
    failing = false;
    expect(await (await runtime.redrive(first.executionArn)).done).toMatchObject({ status: 'SUCCEEDED', output: ['a', 'b', 'c'] });
    const events = await runtime.execution(first.executionArn).history();
    const redriven = events.findIndex((e) => e.type === 'ExecutionRedriven');
    // Nothing is entered again: B's LambdaFunctionScheduled threads on its original entry.
    expect(events.slice(redriven).filter((e) => e.type.endsWith('StateEntered') || e.type === 'ParallelStateStarted')).toEqual([]);
    const enteredB = events.find((e) => e.type === 'TaskStateEntered' && e.stateEnteredEventDetails?.name === 'B')!;
    const rerun = events[redriven + 1]!;
    expect(rerun).toMatchObject({ type: 'LambdaFunctionScheduled', previousEventId: enteredB.id });
    const branches = (at: number) => only(foldExecutionState(events, at).active).children!.map((c) => [c.index, c.status, c.active.map((a) => a.name)]);
    // The Parallel runs again from the redrive on; the failed branch from its first event.
    // (C was stopped by B's failure: it is picked up too.)
    expect(branches(events[redriven]!.id)).toEqual([[0, 'SUCCEEDED', []], [1, 'FAILED', []], [2, 'ABORTED', []]]);
    expect(branches(rerun.id).slice(0, 2)).toEqual([[0, 'SUCCEEDED', []], [1, 'RUNNING', ['B']]]);
    expect(only(foldExecutionState(events, rerun.id).active).children![1]!.active[0]).toMatchObject({ enteredEventId: enteredB.id, retryCount: 0 });
    expect(foldExecutionState(events)).toMatchObject({ status: 'SUCCEEDED', active: [] });
  });
});
