import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { toArray } from 'rxjs';
import { createRuntime, LIFTED_LIMITS, openFileEventStore, TaskFailure, type HistoryEvent, type JsonValue, type StateMachineDefinition } from '../../src/index.js';

const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:work';

describe('runtime: tasks', () => {
  it('answers callback tasks by token in any order, and refuses closed and foreign tokens as AWS does', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    const tokens: string[] = [];
    runtime.handle('arn:aws:states:::lambda:invoke.waitForTaskToken', ({ input }) => {
      tokens.push((input as { token: string }).token);
      return new Promise(() => {});
    });
    const def: StateMachineDefinition = {
      StartAt: 'Wait',
      States: { Wait: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'f', Payload: { 'token.$': '$$.Task.Token', 'n.$': '$.n' } }, End: true } },
    };
    const runs = Array.from({ length: 50 }, (_, n) => runtime.run({ definition: def, input: { n } }));
    while (tokens.length < 50) await new Promise((r) => setTimeout(r, 1));
    // The last first: each token finds its execution, wherever it was started.
    for (const [i, token] of [...tokens.entries()].reverse()) runtime.sendTaskSuccess(token, { answered: i });
    const results = await Promise.all(runs);
    expect(results.map((r) => r.output)).toEqual(tokens.map((_, i) => ({ answered: i })));
    expect(() => runtime.sendTaskSuccess(tokens[0]!, {})).toThrow(expect.objectContaining({ code: 'TaskTimedOut' }));
    expect(() => runtime.sendTaskFailure('arn:aws:states:not-ours', 'E')).toThrow(expect.objectContaining({ code: 'InvalidToken' }));
  });

  it('calls a handler by ARN pattern and shapes lambda:invoke results as AWS does', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    runtime.handle('arn:aws:states:::lambda:*', ({ input }) => ({ doubled: (input as { n: number }).n * 2 }));
    const def: StateMachineDefinition = {
      StartAt: 'Call',
      States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f', 'Payload.$': '$' }, OutputPath: '$.Payload', End: true } },
    };
    const result = await runtime.run({ definition: def, input: { n: 21 } });
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { doubled: 42 } });
  });

  it('retries a failing handler, then catches, with AWS history events', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    let calls = 0;
    runtime.handle(LAMBDA, () => {
      calls++;
      throw new TaskFailure('Flaky', `attempt ${calls}`);
    });
    const def: StateMachineDefinition = {
      StartAt: 'Work',
      States: {
        Work: { Type: 'Task', Resource: LAMBDA, Retry: [{ ErrorEquals: ['Flaky'], MaxAttempts: 2, IntervalSeconds: 5 }], Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.err', Next: 'Recover' }], End: true },
        Recover: { Type: 'Pass', End: true },
      },
    };
    const execution = runtime.startExecution({ definition: def, input: { a: 1 } });
    const result = await execution.done;
    expect(calls).toBe(3);
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual({ a: 1, err: { Error: 'Flaky', Cause: 'attempt 3' } });
    const types = execution.events.map((e) => e.type);
    expect(types.filter((t) => t === 'LambdaFunctionScheduled')).toHaveLength(3);
    expect(types.filter((t) => t === 'LambdaFunctionFailed')).toHaveLength(3);
    const scheduled = execution.events.filter((e) => e.type === 'LambdaFunctionScheduled');
    expect(scheduled[1]!.timestamp - scheduled[0]!.timestamp).toBe(5000);
    expect(scheduled[2]!.timestamp - scheduled[1]!.timestamp).toBe(10000);
  });

  it('completes a .waitForTaskToken task through sendTaskSuccess with the token from $$.Task.Token', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    let token = '';
    runtime.handle('arn:aws:states:::sqs:sendMessage.waitForTaskToken', ({ input }) => {
      token = (input as { token: string }).token;
      setTimeout(() => runtime.sendTaskSuccess(token, { approved: true }), 5);
      return null;
    });
    const def: StateMachineDefinition = {
      StartAt: 'Ask',
      States: { Ask: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { 'token.$': '$$.Task.Token' }, End: true } },
    };
    const result = await runtime.run({ definition: def });
    expect(token).not.toBe('');
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { approved: true } });
  });

  it('fails a task with States.Timeout when it outlives TimeoutSeconds', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    runtime.handle('arn:aws:states:::sqs:sendMessage.waitForTaskToken', () => null);
    const def: StateMachineDefinition = {
      StartAt: 'Ask',
      States: { Ask: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', TimeoutSeconds: 30, End: true } },
    };
    const execution = runtime.startExecution({ definition: def });
    const result = await execution.done;
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(execution.events.map((e) => e.type)).toContain('TaskTimedOut');
  });

  it('catches a timed-out task with an empty Cause in its error output, as AWS does, though TaskTimedOut and an uncaught failure have none', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    runtime.handle('arn:aws:states:::sqs:sendMessage.waitForTaskToken', () => null);
    const def: StateMachineDefinition = {
      StartAt: 'Ask',
      States: {
        Ask: {
          Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', TimeoutSeconds: 30,
          Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: 'Handled' }], End: true,
        },
        Handled: { Type: 'Pass', End: true },
      },
    };
    const execution = runtime.startExecution({ definition: def, input: { id: 1 } });
    const result = await execution.done;
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { id: 1, error: { Error: 'States.Timeout', Cause: '' } } });
    const timedOut = execution.events.find((e) => e.type === 'TaskTimedOut')!;
    expect(timedOut.taskTimedOutEventDetails).toEqual({ error: 'States.Timeout', resource: 'sendMessage.waitForTaskToken', resourceType: 'sqs' });
  });

  it('on the virtual clock, still times out a Lambda task whose handler never answers (in real time)', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    runtime.handle('arn:aws:lambda:us-east-1:123456789012:function:silent', () => new Promise(() => {}));
    const def: StateMachineDefinition = {
      StartAt: 'Call',
      States: {
        Call: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:silent', TimeoutSeconds: 1, End: true },
      },
    };
    const started = Date.now();
    const execution = runtime.startExecution({ definition: def });
    const result = await execution.done;
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(execution.events.map((e) => e.type)).toContain('LambdaFunctionTimedOut');
    // While the handler runs, the clock runs at real speed: the timeout took its second.
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    const entered = execution.events.find((e) => e.type === 'TaskStateEntered')!;
    expect(execution.events.at(-1)!.timestamp - entered.timestamp).toBeGreaterThanOrEqual(1_000);
  });

  it('on the virtual clock, a handler that answers before its timeout is not overtaken, and a Wait after it jumps', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    runtime.handle('arn:aws:lambda:us-east-1:123456789012:function:slow', () => new Promise((r) => setTimeout(() => r({ ok: true }), 50)));
    const def: StateMachineDefinition = {
      StartAt: 'Call',
      States: {
        Call: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:slow', TimeoutSeconds: 5, Next: 'Sleep' },
        Sleep: { Type: 'Wait', Seconds: 86_400, End: true },
      },
    };
    const started = Date.now();
    const execution = runtime.startExecution({ definition: def });
    const result = await execution.done;
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { ok: true } });
    expect(Date.now() - started).toBeLessThan(4_000);
    const waited = execution.events.find((e) => e.type === 'WaitStateEntered')!;
    expect(execution.events.at(-1)!.timestamp - waited.timestamp).toBe(86_400_000);
  });

  it('fails a task with States.HeartbeatTimeout when heartbeats stop', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    runtime.handle('arn:aws:states:::sqs:sendMessage.waitForTaskToken', () => null);
    const def: StateMachineDefinition = {
      StartAt: 'Ask',
      States: { Ask: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', HeartbeatSeconds: 10, TimeoutSeconds: 100, End: true } },
    };
    const result = await runtime.run({ definition: def });
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
  });
});

describe('runtime: execution lifecycle', () => {
  it('names an execution started without a name with a UUID, as AWS does', async () => {
    const runtime = createRuntime();
    const definition: StateMachineDefinition = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
    const names = await Promise.all([1, 2].map(async () => {
      const execution = runtime.startExecution({ definition, stateMachineName: 'Named' });
      await execution.done;
      return execution.identity;
    }));
    for (const { name, executionArn } of names) {
      expect(name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(executionArn).toBe(`arn:aws:states:us-east-1:123456789012:execution:Named:${name}`);
    }
    expect(names[0]!.name).not.toBe(names[1]!.name);
  });

  // The runtime's identities share what every execution of a state machine shares (SharedIdentity):
  // read and serialised, they are the six members of ExecutionIdentity, with or without a role of their own.
  it("gives each execution its identity's six members, as read and as JSON", async () => {
    const runtime = createRuntime();
    const definition: StateMachineDefinition = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
    const plain = runtime.startExecution({ definition, stateMachineName: 'Ids', name: 'one' });
    const roled = runtime.startExecution({ definition, stateMachineName: 'Ids', name: 'two', roleArn: 'arn:aws:iam::123456789012:role/Other' });
    const express = runtime.startExecution({ definition, stateMachineName: 'Ids', name: 'three', type: 'EXPRESS' });
    await Promise.all([plain.done, roled.done, express.done]);
    const expected = (name: string, roleArn: string) => ({
      executionArn: `arn:aws:states:us-east-1:123456789012:execution:Ids:${name}`, stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Ids',
      stateMachineName: 'Ids', name, roleArn, region: 'us-east-1',
    });
    const defaultRole = 'arn:aws:iam::123456789012:role/StepwiseExecutionRole';
    const { executionArn, stateMachineArn, stateMachineName, name, roleArn, region } = plain.identity;
    expect({ executionArn, stateMachineArn, stateMachineName, name, roleArn, region }).toEqual(expected('one', defaultRole));
    expect(JSON.parse(JSON.stringify(plain.identity))).toEqual(expected('one', defaultRole));
    expect(JSON.parse(JSON.stringify(roled.identity))).toEqual(expected('two', 'arn:aws:iam::123456789012:role/Other'));
    expect(JSON.parse(JSON.stringify(express.identity))).toEqual({ ...expected('three', defaultRole), express: true });
    expect(express.identity.express).toBe(true);
    expect(plain.identity.express).toBeUndefined();
  });

  it('times out the whole execution with TIMED_OUT', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    const def: StateMachineDefinition = { TimeoutSeconds: 60, StartAt: 'Sleep', States: { Sleep: { Type: 'Wait', Seconds: 3600, End: true } } };
    const execution = runtime.startExecution({ definition: def });
    const result = await execution.done;
    expect(result.status).toBe('TIMED_OUT');
    expect(execution.events.at(-1)!.type).toBe('ExecutionTimedOut');
    // As measured against AWS: three events, the last threaded on no event, with the error and
    // no cause; the execution stops exactly TimeoutSeconds after it started.
    expect(execution.events.map((e) => e.type)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'ExecutionTimedOut']);
    expect(execution.events.at(-1)).toMatchObject({ id: 3, previousEventId: 0, executionTimedOutEventDetails: { error: 'States.Timeout' } });
    expect(Object.keys(execution.events.at(-1)!.executionTimedOutEventDetails as object)).toEqual(['error']);
    expect(result.stopDate - result.startDate).toBe(60_000);
  });

  it('records a stop without a reason as AWS does: previousEventId 0, empty details', async () => {
    // The real clock: on the virtual one the Wait would be over before the stop.
    const runtime = createRuntime({ clock: 'real' });
    const def: StateMachineDefinition = { StartAt: 'Sleep', States: { Sleep: { Type: 'Wait', Seconds: 30, End: true } } };
    const execution = runtime.startExecution({ definition: def });
    await new Promise((r) => setTimeout(r, 20));
    expect(execution.events.map((e) => e.type)).toEqual(['ExecutionStarted', 'WaitStateEntered']);
    execution.stop();
    const result = await execution.done;
    expect(result.status).toBe('ABORTED');
    expect(execution.events.at(-1)).toEqual(expect.objectContaining({ id: 3, previousEventId: 0, type: 'ExecutionAborted', executionAbortedEventDetails: {} }));
  });

  it('lets go of a running execution when it closes: done rejects with RuntimeClosed, nothing stays armed, and a new runtime on the store finishes it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-close-'));
    try {
      const first = createRuntime({ clock: 'real', store: await openFileEventStore(dir) });
      const def: StateMachineDefinition = { StartAt: 'Sleep', States: { Sleep: { Type: 'Wait', Seconds: 1, Next: 'Done' }, Done: { Type: 'Pass', Result: 'woke', End: true } } };
      const execution = first.startExecution({ definition: def, name: 'sleeper' });
      await new Promise((r) => setTimeout(r, 20));
      const timersBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
      await first.close();
      await expect(execution.done).rejects.toMatchObject({ code: 'RuntimeClosed', message: expect.stringContaining('it stays RUNNING in the store') });
      // The Wait's timer went with it.
      expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBeLessThan(timersBefore);
      const second = createRuntime({ clock: 'real', store: await openFileEventStore(dir) });
      const [resumed] = await second.start();
      expect(resumed!.identity.name).toBe('sleeper');
      expect(await resumed!.done).toMatchObject({ status: 'SUCCEEDED', output: 'woke' });
      expect(resumed!.events.map((e) => e.type)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'WaitStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
      await second.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops an execution and every child actor (ABORTED)', async () => {
    const runtime = createRuntime({ clock: 'real' });
    const started: number[] = [];
    runtime.handle(LAMBDA, ({ input, signal }) => {
      started.push(input as number);
      return new Promise((resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
    });
    const def: StateMachineDefinition = {
      StartAt: 'Fan',
      States: { Fan: { Type: 'Map', ItemProcessor: { StartAt: 'W', States: { W: { Type: 'Task', Resource: LAMBDA, End: true } } }, End: true } },
    };
    const execution = runtime.startExecution({ definition: def, input: [1, 2, 3] });
    await new Promise((r) => setTimeout(r, 50));
    expect(started).toHaveLength(3);
    execution.stop('Operator', 'stopped by test');
    const result = await execution.done;
    expect(result).toMatchObject({ status: 'ABORTED', error: 'Operator', cause: 'stopped by test' });
    expect(execution.events.at(-1)).toMatchObject({ type: 'ExecutionAborted', previousEventId: 0, executionAbortedEventDetails: { error: 'Operator', cause: 'stopped by test' } });
  });

  it('streams events live as an Observable, ending when the execution ends', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    const def: StateMachineDefinition = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Succeed' } } };
    const execution = runtime.startExecution({ definition: def });
    const seen = await new Promise<HistoryEvent[]>((resolve) => execution.events$.pipe(toArray()).subscribe(resolve));
    // ExecutionStarted is appended with the first batch, before a subscriber can attach.
    expect(seen.map((e) => e.type)).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'SucceedStateEntered', 'SucceedStateExited', 'ExecutionSucceeded']);
  });

  it('bounds live Map iterations by MaxConcurrency', async () => {
    const runtime = createRuntime({ clock: 'real' });
    let live = 0;
    let peak = 0;
    runtime.handle(LAMBDA, async ({ input }) => {
      live++;
      peak = Math.max(peak, live);
      await new Promise((r) => setTimeout(r, 5));
      live--;
      return input;
    });
    const def: StateMachineDefinition = {
      StartAt: 'Fan',
      States: { Fan: { Type: 'Map', MaxConcurrency: 2, ItemProcessor: { StartAt: 'W', States: { W: { Type: 'Task', Resource: LAMBDA, End: true } } }, End: true } },
    };
    const result = await runtime.run({ definition: def, input: [1, 2, 3, 4, 5, 6] });
    expect(result.output).toEqual([1, 2, 3, 4, 5, 6]);
    expect(peak).toBe(2);
  });

  it('runs Parallel branches and fails the state when one branch fails', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    const ok: StateMachineDefinition = {
      StartAt: 'P',
      States: { P: { Type: 'Parallel', Branches: [
        { StartAt: 'A', States: { A: { Type: 'Pass', Result: 'a', End: true } } },
        { StartAt: 'B', States: { B: { Type: 'Pass', Result: 'b', End: true } } },
      ], End: true } },
    };
    expect(await runtime.run({ definition: ok })).toMatchObject({ status: 'SUCCEEDED', output: ['a', 'b'] });
    const bad: StateMachineDefinition = {
      StartAt: 'P',
      States: { P: { Type: 'Parallel', Branches: [
        { StartAt: 'A', States: { A: { Type: 'Wait', Seconds: 10, End: true } } },
        { StartAt: 'B', States: { B: { Type: 'Fail', Error: 'Nope', Cause: 'b failed' } } },
      ], Catch: [{ ErrorEquals: ['Nope'], Next: 'Handled' }], End: true }, Handled: { Type: 'Pass', End: true } },
    };
    expect(await runtime.run({ definition: bad })).toMatchObject({ status: 'SUCCEEDED', output: { Error: 'Nope', Cause: 'b failed' } });
  });

  it('enforces the 256 KiB payload limit with States.DataLimitExceeded, and lifts it by option', async () => {
    const big = 'x'.repeat(300_000);
    const def: StateMachineDefinition = { StartAt: 'A', States: { A: { Type: 'Pass', Result: big, End: true } } };
    const strict = await createRuntime({ clock: 'virtual' }).run({ definition: def });
    // Worded whole, as AWS records it: no "An error occurred while executing the state…" prefix.
    expect(strict).toMatchObject({
      status: 'FAILED', error: 'States.DataLimitExceeded',
      cause: "The state/task 'A' returned a result with a size exceeding the maximum number of bytes service limit.",
    });
    const lifted = await createRuntime({ clock: 'virtual', limits: { payloadBytes: Infinity } }).run({ definition: def });
    expect(lifted.status).toBe('SUCCEEDED');
  });

  it("enforces AWS's JSONata memory and depth bounds, replays a history that hit one, and lifts them by option", async () => {
    const doubling = (n: number) => `{% ($p := function($s, $n) { $n = 0 ? $s : $p($s & $s, $n - 1) }; $length($p("x", ${n}))) %}`;
    const recursion = '{% ($f := function($x){ $x <= 0 ? 0 : 1 + $f($x-1) }; $f(60)) %}';
    const def = (output: string): StateMachineDefinition => ({ QueryLanguage: 'JSONata', StartAt: 'E', States: { E: { Type: 'Pass', Output: { r: output }, End: true } } }) as StateMachineDefinition;
    const runtime = createRuntime({ clock: 'virtual' });
    const strict = runtime.startExecution({ definition: def(doubling(23)) });
    expect(await strict.done).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
    expect((await strict.done).cause).toMatch(/threw an error during evaluation: Expression evaluation memory limit exceeded: Check for excessive memory usage$/);
    // The replay evaluates under the same bounds, so it fails where the run failed.
    expect(await runtime.replay({ executionArn: strict.identity.executionArn })).toMatchObject({ ok: true });
    expect(await runtime.run({ definition: def(recursion) })).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
    const lifted = createRuntime({ clock: 'virtual', limits: { expressionBytes: Infinity, expressionDepth: Infinity } });
    expect(await lifted.run({ definition: def(doubling(23)) })).toMatchObject({ status: 'SUCCEEDED', output: { r: 8_388_608 } });
    expect(await lifted.run({ definition: def(recursion) })).toMatchObject({ status: 'SUCCEEDED', output: { r: 60 } });
    expect(LIFTED_LIMITS).toMatchObject({ expressionBytes: Infinity, expressionDepth: Infinity, payloadBytes: Infinity });
  });

  // A Choice's Condition used to draw from no execution's random source and read the wall clock:
  // a replay could take another branch, and virtual time did not reach it.
  it("evaluates a JSONata Choice condition with the execution's random source and clock", async () => {
    const coin = (i: number) => ({ Type: 'Choice', Choices: [{ Condition: '{% $random() < 0.5 %}', Next: `C${i + 1}` }], Default: `C${i + 1}` });
    const States: Record<string, unknown> = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`C${i}`, coin(i)]));
    States.C20 = { Type: 'Choice', Choices: [{ Condition: '{% $millis() = $toMillis($states.context.Execution.StartTime) %}', Next: 'Same' }], Default: 'Other' };
    States.Same = { Type: 'Succeed' };
    States.Other = { Type: 'Fail', Error: 'Clock' };
    const definition = { QueryLanguage: 'JSONata', StartAt: 'C0', States } as unknown as StateMachineDefinition;
    const runtime = createRuntime({ clock: 'virtual' });
    const execution = runtime.startExecution({ definition });
    expect(await execution.done).toMatchObject({ status: 'SUCCEEDED' });
    expect(await runtime.replay({ executionArn: execution.identity.executionArn })).toMatchObject({ ok: true });
  });

  it('keeps a JSON null input null through the history and a Pass state, and gives `{}` when no input is given, as AWS does', async () => {
    const def: StateMachineDefinition = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
    const runtime = createRuntime({ clock: 'virtual' });
    const execution = runtime.startExecution({ definition: def, input: null });
    expect(await execution.done).toMatchObject({ status: 'SUCCEEDED', output: null });
    expect(execution.events[0]!.executionStartedEventDetails).toMatchObject({ input: null });
    expect(execution.events[1]!.stateEnteredEventDetails).toMatchObject({ input: null });
    // Replayed from its own history, it starts from the recorded null again.
    expect(await runtime.replay({ events: execution.events, definition: def })).toMatchObject({ ok: true });
    expect(await runtime.run({ definition: def })).toMatchObject({ status: 'SUCCEEDED', output: {} });
  });

  it("refuses an execution input over 256 KiB before recording anything, as AWS's StartExecution does, unless the limit is lifted", async () => {
    const def: StateMachineDefinition = { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } };
    const input = { s: 'x'.repeat(262_144) };
    const runtime = createRuntime({ clock: 'virtual' });
    let refusal: unknown;
    try {
      runtime.startExecution({ definition: def, input, name: 'too-big' });
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toMatchObject({ isStepwiseError: true, code: 'ValidationException' });
    expect((refusal as Error).message).toMatch(/Value at 'input' failed to satisfy constraint: Member must have length less than or equal to 262144/);
    expect((await runtime.store.list({})).items).toEqual([]);
    // Just under the limit (the JSON text is 262,144 bytes) it starts.
    const atLimit = { s: 'x'.repeat(262_144 - '{"s":""}'.length) };
    expect((await runtime.run({ definition: def, input: atLimit })).status).toBe('SUCCEEDED');
    const lifted = await createRuntime({ clock: 'virtual', limits: { payloadBytes: Infinity } }).run({ definition: def, input });
    expect(lifted).toMatchObject({ status: 'SUCCEEDED', output: input });
  });

  it('refuses a value nested deeper than it can store: an input before recording anything, a task result by failing the task', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { openFileEventStore } = await import('../../src/index.js');
    const nested = (levels: number) => {
      let v: JsonValue = 1;
      for (let i = 0; i < levels; i++) v = { a: [v] };
      return v;
    };
    const dir = mkdtempSync(join(tmpdir(), 'stepwise-deep-'));
    try {
      // The durable store serialises events recursively: such a value used to end the run
      // with a RangeError and leave the execution RUNNING.
      const runtime = createRuntime({ clock: 'virtual', store: await openFileEventStore(dir) });
      runtime.handle(LAMBDA, ({ input }) => nested((input as { levels: number }).levels));
      const def: StateMachineDefinition = { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: LAMBDA, End: true } } };
      let refusal: unknown;
      try {
        runtime.startExecution({ definition: def, input: nested(2_000) });
      } catch (e) {
        refusal = e;
      }
      expect(refusal).toMatchObject({ isStepwiseError: true, code: 'InvalidExecutionInput' });
      expect((refusal as Error).message).toMatch(/more than 1000 levels deep/);
      expect((await runtime.store.list({})).items).toEqual([]);

      const failed = await runtime.run({ definition: def, input: { levels: 2_500 } });
      expect(failed).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
      expect(failed.cause).toMatch(/more than 1000 levels deep/);
      expect((await runtime.executionMetadata(failed.executionArn))?.status).toBe('FAILED');
      // Up to the limit, it is kept (an object and an array per level: 999 levels).
      expect(await runtime.run({ definition: def, input: { levels: 499 } })).toMatchObject({ status: 'SUCCEEDED', output: nested(499) });
      await runtime.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects an invalid definition with every problem and its JSON pointer', () => {
    const runtime = createRuntime();
    expect(() => runtime.prepare({ StartAt: 'Nope', States: { A: { Type: 'Pass', Next: 'Missing' } } } as never)).toThrow(/\/States\/A\/Next/);
    let deep: JsonValue = 1;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    // Too deep to serialise: refused as the validator refuses it, not with a RangeError.
    expect(() => runtime.prepare({ StartAt: 'A', States: { A: { Type: 'Pass', Result: deep, End: true } } })).toThrow(
      /^The definition is invalid:\n  INVALID_JSON_DESCRIPTION at \/: The definition nests arrays and objects more than 1000 levels deep\.$/,
    );
  });

  it('describes an execution with its end status as soon as `done` has settled, on either store', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { openFileEventStore, createMemoryEventStore } = await import('../../src/index.js');
    const dir = mkdtempSync(join(tmpdir(), 'stepwise-describe-'));
    try {
      for (const store of [createMemoryEventStore(), await openFileEventStore(dir)]) {
        const runtime = createRuntime({ store });
        for (let i = 0; i < 20; i++) {
          const done = await runtime.run({ definition: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, input: { i } });
          // The final listing is written after `done` settles (a durable store syncs it with the
          // next execution's start); describe() waits for it rather than show RUNNING.
          expect(await runtime.execution(done.executionArn).describe()).toMatchObject({ status: 'SUCCEEDED', stopDate: done.stopDate });
          expect((await runtime.executionMetadata(done.executionArn))?.status).toBe('SUCCEEDED');
        }
        await runtime.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('runtime: execution names', () => {
  const definition: StateMachineDefinition = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };

  it("refuses names StartExecution refuses (InvalidName), whose ARN could not be read back, before recording anything", async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    // ':' and '/' split ARNs; '\ud800' alone is half a character, which the file store could not name a stream by.
    for (const name of ['a/b', 'a:b', 'with space', '', 'half\ud800']) {
      expect(() => runtime.startExecution({ definition, name }), name).toThrow(expect.objectContaining({ code: 'InvalidName' }));
    }
    // Too long is the request's shape (AWS's ValidationException, as quoted from AWS in three threads).
    expect(() => runtime.startExecution({ definition, name: 'x'.repeat(81) })).toThrow(expect.objectContaining({
      code: 'ValidationException', message: `1 validation error detected: Value '${'x'.repeat(81)}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 80`,
    }));
    expect(() => runtime.startExecution({ definition, stateMachineName: 'M:1' })).toThrow(expect.objectContaining({ code: 'InvalidName' }));
    expect((await runtime.store.list({})).items).toEqual([]);
    // A whole emoji is a character; a state machine name may be longer than 80 (mock configs use such names).
    const ok = await runtime.run({ definition, name: 'emoji-😀', stateMachineName: `machine.${'m'.repeat(90)}` });
    expect(ok.status).toBe('SUCCEEDED');
    expect(ok.executionArn).toMatch(/:execution:machine\.m{90}:emoji-😀$/);
  });

  it('refuses a name already used in the store, by this runtime or an earlier one, and leaves the stored execution as it was', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { openFileEventStore } = await import('../../src/index.js');
    const dir = mkdtempSync(join(tmpdir(), 'stepwise-names-'));
    try {
      const first = createRuntime({ store: await openFileEventStore(dir) });
      const done = await first.run({ definition, name: 'only-once', input: { n: 1 } });
      expect(done.status).toBe('SUCCEEDED');
      expect(() => first.startExecution({ definition, name: 'only-once', input: { n: 1 } })).toThrow(expect.objectContaining({ code: 'ExecutionAlreadyExists' }));
      await first.close();

      // A later process on the same store: the name is still taken, and nothing stored changes.
      const store = await openFileEventStore(dir);
      const later = createRuntime({ store });
      const before = await store.read(done.executionArn);
      expect(() => later.startExecution({ definition, name: 'only-once', input: { n: 2 } })).toThrow(expect.objectContaining({ code: 'ExecutionAlreadyExists' }));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await store.read(done.executionArn)).toEqual(before);
      expect(await store.getMetadata(done.executionArn)).toMatchObject({ status: 'SUCCEEDED', stopDate: done.stopDate });
      // Another name runs as usual.
      expect((await later.run({ definition, name: 'another', input: {} })).status).toBe('SUCCEEDED');
      await later.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a name the in-memory store holds, whoever wrote it', async () => {
    const { createMemoryEventStore } = await import('../../src/index.js');
    const store = createMemoryEventStore();
    const one = createRuntime({ store, clock: 'virtual' });
    const done = await one.run({ definition, name: 'shared-name', input: {} });
    const two = createRuntime({ store, clock: 'virtual' });
    expect(() => two.startExecution({ definition, name: 'shared-name', input: {} })).toThrow(expect.objectContaining({ code: 'ExecutionAlreadyExists' }));
    // The final listing is written just after `done` settles.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect((await store.getMetadata(done.executionArn))?.status).toBe('SUCCEEDED');
  });
});
