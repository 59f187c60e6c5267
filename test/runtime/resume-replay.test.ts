import { describe, expect, it } from 'vitest';
import { StepwiseError, createMemoryEventStore, createRuntime, type StateMachineDefinition } from '../../src/index.js';

const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:step';

const pipeline: StateMachineDefinition = {
  StartAt: 'First',
  States: {
    First: { Type: 'Task', Resource: LAMBDA, Parameters: { 'n.$': '$.n', 'token.$': 'States.UUID()' }, ResultPath: '$.first', Next: 'Fan' },
    Fan: {
      Type: 'Map', ItemsPath: '$.items', MaxConcurrency: 2, ResultPath: '$.fan',
      ItemProcessor: { StartAt: 'Each', States: { Each: { Type: 'Task', Resource: LAMBDA, Retry: [{ ErrorEquals: ['Flaky'], IntervalSeconds: 1, JitterStrategy: 'FULL' }], End: true } } },
      Next: 'Nap',
    },
    Nap: { Type: 'Wait', Seconds: 600, Next: 'Last' },
    Last: { Type: 'Task', Resource: LAMBDA, Parameters: { 'done.$': '$.first.echoed.n' }, End: true },
  },
};

function countingHandler(calls: unknown[]) {
  const seen = new Set<string>();
  return ({ input, stateName, idempotencyKey }: { input: unknown; stateName: string; idempotencyKey: string }) => {
    calls.push({ stateName, input });
    // The first call of each Each item fails once, to exercise retries in the history.
    if (stateName === 'Each' && !seen.has(JSON.stringify(input))) {
      seen.add(JSON.stringify(input));
      throw Object.assign(new Error('try again'), { name: 'Flaky' });
    }
    return { echoed: input, key: idempotencyKey.length > 0 };
  };
}

describe('replay', () => {
  it('re-runs a stored execution and reproduces every event', async () => {
    const store = createMemoryEventStore();
    const calls: unknown[] = [];
    const runtime = createRuntime({ store, clock: 'virtual' });
    runtime.handle(LAMBDA, countingHandler(calls));
    const execution = runtime.startExecution({ definition: pipeline, input: { n: 7, items: [1, 2, 3] }, name: 'original' });
    const result = await execution.done;
    expect(result.status).toBe('SUCCEEDED');
    const callsBefore = calls.length;
    const report = await runtime.replay({ executionArn: execution.identity.executionArn });
    expect(report).toEqual({ ok: true, replayedEvents: execution.events.length });
    expect(calls.length).toBe(callsBefore);
  });

  it('reports the first divergence when the definition changed', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    runtime.handle(LAMBDA, countingHandler([]));
    const execution = runtime.startExecution({ definition: pipeline, input: { n: 1, items: [] } });
    await execution.done;
    const changed = structuredClone(pipeline);
    (changed.States.Nap as { Seconds: number }).Seconds = 5;
    (changed.States.Nap as { Next?: string; End?: boolean }).Next = 'Extra';
    changed.States.Extra = { Type: 'Pass', Next: 'Last' };
    const report = await runtime.replay({ executionArn: execution.identity.executionArn, definition: changed });
    expect(report.ok).toBe(false);
    const exitedNap = execution.events.find((e) => e.type === 'WaitStateExited')!;
    expect(report.divergence!.eventId).toBeGreaterThan(exitedNap.id);
    expect(report.divergence!.expected!.type).toBe('TaskStateEntered');
    expect(report.divergence!.actual!.type).toBe('PassStateEntered');
  });
});

describe('resume', () => {
  it('finishes an execution left RUNNING, calling only the task that was in flight', async () => {
    const store = createMemoryEventStore();
    const first = createRuntime({ store, clock: 'virtual' });
    const firstCalls: { stateName: string }[] = [];
    first.handle(LAMBDA, ({ stateName, input }) => {
      firstCalls.push({ stateName });
      // The process "dies" while the final task is in flight: it never answers.
      if (stateName === 'Last') return new Promise(() => {});
      if (stateName === 'Each') return { item: input };
      return { echoed: input };
    });
    const execution = first.startExecution({ definition: pipeline, input: { n: 3, items: [1, 2] }, name: 'crashy' });
    await new Promise((r) => setTimeout(r, 50));
    expect(execution.result).toBeUndefined();
    const recorded = await store.read(execution.identity.executionArn);
    expect(recorded.at(-1)!.type).toBe('LambdaFunctionStarted');

    const second = createRuntime({ store, clock: 'virtual' });
    const secondCalls: { stateName: string; key: string }[] = [];
    second.handle(LAMBDA, ({ stateName, idempotencyKey }) => {
      secondCalls.push({ stateName, key: idempotencyKey });
      return { finished: true };
    });
    const resumed = await second.start();
    expect(resumed).toHaveLength(1);
    const result = await resumed[0]!.done;
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { finished: true } });
    expect(secondCalls.map((c) => c.stateName)).toEqual(['Last']);
    const all = await store.read(execution.identity.executionArn);
    expect(all.slice(0, recorded.length)).toEqual(recorded);
    expect(all.map((e) => e.id)).toEqual(all.map((_, i) => i + 1));
    expect(all.filter((e) => e.type === 'LambdaFunctionStarted').length).toBe(4);
    expect((await store.getMetadata(execution.identity.executionArn))!.status).toBe('SUCCEEDED');
  });

  it('keeps a Wait on its original deadline', async () => {
    const store = createMemoryEventStore();
    const def: StateMachineDefinition = { StartAt: 'Nap', States: { Nap: { Type: 'Wait', Seconds: 3600, End: true } } };
    const first = createRuntime({ store, clock: 'real' });
    const execution = first.startExecution({ definition: def, name: 'sleepy' });
    await new Promise((r) => setTimeout(r, 20));
    const entered = (await store.read(execution.identity.executionArn)).find((e) => e.type === 'WaitStateEntered')!;
    const second = createRuntime({ store, clock: 'virtual' });
    const [resumed] = await second.start();
    await resumed!.done;
    const exited = resumed!.events.find((e) => e.type === 'WaitStateExited')!;
    expect(exited.timestamp - entered.timestamp).toBe(3_600_000);
    execution.stop();
  });

  it('keeps the listing of a resumed execution as it was: RUNNING since its own start, not since the resume', async () => {
    const store = createMemoryEventStore();
    const def: StateMachineDefinition = { StartAt: 'Nap', States: { Nap: { Type: 'Wait', Seconds: 60, End: true } } };
    const first = createRuntime({ store, clock: 'real' });
    const execution = first.startExecution({ definition: def, name: 'listed-once' });
    await first.listed(execution.identity.executionArn);
    const before = (await store.getMetadata(execution.identity.executionArn))!;
    // Listed with the time its ExecutionStarted event shows, as AWS's DescribeExecution does.
    expect(before.startDate).toBe((await store.read(execution.identity.executionArn))[0]!.timestamp);
    execution.abandon(new StepwiseError('ExecutionLeaseLost', 'the test hands it to another runtime'));
    await new Promise((r) => setTimeout(r, 30));
    const second = createRuntime({ store, clock: 'real' });
    const [resumed] = await second.start();
    await resumed!.caughtUp;
    await new Promise((r) => setTimeout(r, 10));
    expect(await store.getMetadata(execution.identity.executionArn)).toEqual(before);
    resumed!.stop();
    const result = await resumed!.done;
    await second.listed(execution.identity.executionArn);
    expect(await store.getMetadata(execution.identity.executionArn)).toMatchObject({ status: 'ABORTED', startDate: before.startDate, stopDate: result.stopDate });
  });
});

describe('fork', () => {
  it('continues a new execution from an event of another, leaving the original unchanged', async () => {
    const store = createMemoryEventStore();
    const runtime = createRuntime({ store, clock: 'virtual' });
    runtime.handle(LAMBDA, countingHandler([]));
    const original = runtime.startExecution({ definition: pipeline, input: { n: 5, items: [1] }, name: 'origin' });
    await original.done;
    const before = await store.read(original.identity.executionArn);
    const napEntered = before.find((e) => e.type === 'WaitStateEntered')!;
    const fork = await runtime.fork(original.identity.executionArn, { fromEventId: napEntered.id, name: 'forked' });
    const result = await fork.done;
    expect(result.status).toBe('SUCCEEDED');
    const forked = await store.read(fork.identity.executionArn);
    expect(forked.slice(0, napEntered.id)).toEqual(before.slice(0, napEntered.id));
    expect(forked.map((e) => e.type)).toEqual(before.map((e) => e.type));
    expect(await store.read(original.identity.executionArn)).toEqual(before);
  });

  it('draws its own task tokens after the fork point, the same ones again when resumed or replayed', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { openFileEventStore } = await import('../../src/index.js');
    const CALLBACK = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
    const waitFor = (next: Record<string, unknown>) => ({ Type: 'Task' as const, Resource: CALLBACK, Parameters: { FunctionName: 'f', Payload: { 'token.$': '$$.Task.Token', 'id.$': 'States.UUID()' } }, ...next });
    const def: StateMachineDefinition = { StartAt: 'P', States: { P: { Type: 'Pass', Next: 'W1' }, W1: waitFor({ Next: 'W2' }), W2: waitFor({ End: true }) } };
    const dir = mkdtempSync(join(tmpdir(), 'stepwise-fork-'));
    const seen: { token: string; id: string }[] = [];
    const open = async () => {
      const runtime = createRuntime({ clock: 'virtual', store: await openFileEventStore(dir) });
      runtime.handle(CALLBACK, ({ input }) => {
        seen.push(input as { token: string; id: string });
        return new Promise(() => {});
      });
      return runtime;
    };
    const settle = () => new Promise((r) => setTimeout(r, 30));
    try {
      let runtime = await open();
      const original = runtime.startExecution({ definition: def, name: 'original' });
      await settle();
      const fork = await runtime.fork(original.identity.executionArn, { fromEventId: 3, name: 'fork' });
      await settle();
      // Both wait in W1. They used to share the token (the fork drew from its original's seed),
      // and answering it reached only one of them.
      expect(seen).toHaveLength(2);
      expect(seen[1]!.token).not.toBe(seen[0]!.token);
      expect(seen[1]!.id).not.toBe(seen[0]!.id);
      runtime.sendTaskSuccess(seen[0]!.token, { to: 'original' });
      runtime.sendTaskSuccess(seen[1]!.token, { to: 'fork' });
      await settle();
      const inW2 = seen.slice(2);
      expect(inW2).toHaveLength(2);
      await runtime.close();

      // Another runtime resumes both from the store: each waits in W2 with the token it had.
      seen.length = 0;
      runtime = await open();
      await runtime.start();
      await settle();
      expect(new Set(seen.map((s) => s.token))).toEqual(new Set(inW2.map((s) => s.token)));
      expect(await runtime.replay({ executionArn: fork.identity.executionArn })).toMatchObject({ ok: true });
      expect(await runtime.replay({ executionArn: original.identity.executionArn })).toMatchObject({ ok: true });
      for (const { token } of seen) runtime.sendTaskSuccess(token, {});
      await settle();
      expect((await runtime.execution(fork.identity.executionArn).describe()).status).toBe('SUCCEEDED');
      expect((await runtime.execution(original.identity.executionArn).describe()).status).toBe('SUCCEEDED');
      await runtime.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('redrive', () => {
  it('redrives again after a redrive failed, and replays and resumes a redriven history', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { openFileEventStore } = await import('../../src/index.js');
    const def: StateMachineDefinition = {
      StartAt: 'Prepare',
      States: { Prepare: { Type: 'Pass', Next: 'Call' }, Call: { Type: 'Task', Resource: LAMBDA, Parameters: { 'id.$': 'States.UUID()' }, Next: 'Rest' }, Rest: { Type: 'Wait', Seconds: 60, End: true } },
    };
    const dir = mkdtempSync(join(tmpdir(), 'stepwise-redrive-'));
    const open = async (answer: (call: number) => Promise<unknown>) => {
      const runtime = createRuntime({ clock: 'virtual', store: await openFileEventStore(dir) });
      let call = 0;
      runtime.handle(LAMBDA, () => answer(++call));
      return runtime;
    };
    const boom = () => Promise.reject(Object.assign(new Error('down'), { name: 'Outage' }));
    try {
      let runtime = await open(boom);
      const execution = runtime.startExecution({ definition: def, name: 'twice' });
      const arn = execution.identity.executionArn;
      expect(await execution.done).toMatchObject({ status: 'FAILED', error: 'Outage' });
      expect(await (await runtime.redrive(arn)).done).toMatchObject({ status: 'FAILED', error: 'Outage' });
      // The second redrive used to be refused: the check before it could not replay a history
      // that holds an ExecutionRedriven ("the definition produced no event here").
      const second = await runtime.redrive(arn);
      await runtime.close();
      // This process stops while the second redrive waits on its task: another one resumes it.
      second.done.catch(() => {});
      runtime = await open(async () => ({ ok: true }));
      await runtime.start();
      const handle = runtime.execution(arn);
      await new Promise((r) => setTimeout(r, 50));
      expect(await handle.describe()).toMatchObject({ status: 'SUCCEEDED' });
      const events = await runtime.store.read(arn);
      expect(events.filter((e) => e.type === 'ExecutionRedriven').map((e) => e.executionRedrivenEventDetails)).toEqual([{ redriveCount: 1 }, { redriveCount: 2 }]);
      // Each redrive picks Call up where it failed, without entering it again (checked against AWS
      // recordings): its LambdaFunctionScheduled threads on the one TaskStateEntered.
      const entered = events.filter((e) => e.type === 'TaskStateEntered');
      expect(entered).toHaveLength(1);
      const redriven = events.filter((e) => e.type === 'ExecutionRedriven').map((e) => events[e.id]!);
      expect(redriven.map((e) => [e.type, e.previousEventId])).toEqual([['LambdaFunctionScheduled', entered[0]!.id], ['LambdaFunctionScheduled', entered[0]!.id]]);
      expect(await runtime.replay({ executionArn: arn })).toEqual({ ok: true, replayedEvents: events.length });
      await runtime.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reruns only the failed Map iterations, in the same history', async () => {
    const store = createMemoryEventStore();
    const runtime = createRuntime({ store, clock: 'virtual' });
    const calls: number[] = [];
    let outage = true;
    let open = () => {};
    const gate = new Promise<void>((r) => (open = r));
    runtime.handle(LAMBDA, async ({ input }) => {
      calls.push(input as number);
      if (input === 2 && outage) throw Object.assign(new Error('down'), { name: 'Outage' });
      if (input === 2) await gate;
      return (input as number) * 10;
    });
    const def: StateMachineDefinition = {
      StartAt: 'Fan',
      States: { Fan: { Type: 'Map', MaxConcurrency: 1, ItemProcessor: { StartAt: 'Each', States: { Each: { Type: 'Task', Resource: LAMBDA, End: true } } }, End: true } },
    };
    const execution = runtime.startExecution({ definition: def, input: [1, 2, 3], name: 'redrive-me' });
    expect((await execution.done).status).toBe('FAILED');
    expect(calls).toEqual([1, 2]);
    outage = false;
    await runtime.listed(execution.identity.executionArn);
    const failedListing = (await store.getMetadata(execution.identity.executionArn))!;
    const redriven = await runtime.redrive(execution.identity.executionArn);
    await runtime.listed(execution.identity.executionArn);
    // RUNNING again, and still since its first start.
    expect(await store.getMetadata(execution.identity.executionArn)).toMatchObject({ status: 'RUNNING', startDate: failedListing.startDate });
    open();
    const result = await redriven.done;
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: [10, 20, 30] });
    expect(calls).toEqual([1, 2, 2, 3]);
    const history = await store.read(execution.identity.executionArn);
    const redrivenAt = history.findIndex((e) => e.type === 'ExecutionRedriven');
    expect(history[redrivenAt - 1]!.type).toBe('ExecutionFailed');
    expect(history[redrivenAt]!.executionRedrivenEventDetails).toEqual({ redriveCount: 1 });
    expect(history.map((e) => e.id)).toEqual(history.map((_, i) => i + 1));
    expect(history.at(-1)!.type).toBe('ExecutionSucceeded');
  });

  it('refuses to redrive a successful execution', async () => {
    const store = createMemoryEventStore();
    const runtime = createRuntime({ store, clock: 'virtual' });
    const execution = runtime.startExecution({ definition: { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } } });
    await execution.done;
    await expect(runtime.redrive(execution.identity.executionArn)).rejects.toMatchObject({ code: 'ExecutionNotRedrivable', message: expect.stringMatching(/cannot be redriven/) });
  });
});

describe('fork with a new input', () => {
  it('gives the first state entered after the fork point the new input', async () => {
    const store = createMemoryEventStore();
    const runtime = createRuntime({ store, clock: 'virtual' });
    const def: StateMachineDefinition = {
      StartAt: 'A',
      States: { A: { Type: 'Pass', Result: { from: 'A' }, Next: 'B' }, B: { Type: 'Pass', Parameters: { 'seen.$': '$' }, End: true } },
    };
    const original = runtime.startExecution({ definition: def, name: 'origin-input' });
    expect((await original.done).output).toEqual({ seen: { from: 'A' } });
    const exitedA = (await store.read(original.identity.executionArn)).find((e) => e.type === 'PassStateExited')!;
    const fork = await runtime.fork(original.identity.executionArn, { fromEventId: exitedA.id, input: { edited: true } });
    expect(await fork.done).toMatchObject({ status: 'SUCCEEDED', output: { seen: { edited: true } } });
    const forked = await store.read(fork.identity.executionArn);
    expect(forked.find((e) => e.type === 'PassStateEntered' && e.id > exitedA.id)!.stateEnteredEventDetails).toMatchObject({ name: 'B', input: { edited: true } });
    // An edited input over AWS's 256 KiB is refused as StartExecution refuses it: nothing is stored.
    const big = { s: 'x'.repeat(262_144) };
    await expect(runtime.fork(original.identity.executionArn, { fromEventId: exitedA.id, input: big, name: 'too-big' })).rejects.toMatchObject({ code: 'ValidationException' });
    expect(await store.getMetadata(original.identity.executionArn.replace(/:[^:]+$/, ':too-big'))).toBeUndefined();
  });
});

describe('fork with a name the store already holds', () => {
  it('is refused with ExecutionAlreadyExists and leaves that execution as it was', async () => {
    const store = createMemoryEventStore();
    const runtime = createRuntime({ store, clock: 'virtual' });
    const def: StateMachineDefinition = { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } };
    const original = runtime.startExecution({ definition: def, name: 'origin' });
    const taken = runtime.startExecution({ definition: def, name: 'taken' });
    await Promise.all([original.done, taken.done]);
    const before = await store.read(taken.identity.executionArn);
    const fork = runtime.fork(original.identity.executionArn, { fromEventId: 2, name: 'taken' });
    await expect(fork).rejects.toMatchObject({ code: 'ExecutionAlreadyExists', message: `Execution already exists: '${taken.identity.executionArn}'` });
    expect(await store.read(taken.identity.executionArn)).toEqual(before);
  });
});
