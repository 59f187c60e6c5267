import { firstValueFrom, take, toArray, timeout } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createMemoryEventStore, createRuntime, type StateMachineDefinition } from '../../src/index.js';
import { leaseDetailsOf, leaseStreamOf } from '../../src/store/lease-stream.js';

const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:work';
const definition: StateMachineDefinition = {
  StartAt: 'First',
  States: {
    First: { Type: 'Task', Resource: LAMBDA, Next: 'Second' },
    Second: { Type: 'Task', Resource: LAMBDA, End: true },
  },
};

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('runtime ownership: several runtimes on one store', () => {
  it('leaves an execution to the runtime holding its lease, and takes it over once the lease runs out', async () => {
    const store = createMemoryEventStore();
    const a = createRuntime({ store, ownership: { runtimeId: 'a', leaseMs: 150 } });
    const b = createRuntime({ store, ownership: { runtimeId: 'b', leaseMs: 150, scanMs: 20 } });
    const stuck = deferred<unknown>();
    const callsA: string[] = [];
    const callsB: string[] = [];
    a.handle(LAMBDA, ({ stateName }) => (callsA.push(stateName), stateName === 'First' ? stuck.promise : { by: 'a' }));
    b.handle(LAMBDA, ({ stateName }) => (callsB.push(stateName), { by: 'b', stateName }));

    const execution = a.startExecution({ definition, input: {}, name: 'x' });
    const arn = execution.identity.executionArn;
    await until(() => callsA.length === 1, 'a to call First');
    expect(await b.start()).toEqual([]); // a's lease is alive: b leaves it alone
    await new Promise((r) => setTimeout(r, 400)); // a renews meanwhile
    expect(callsB).toEqual([]);

    // a stops renewing (as if frozen): its lease runs out, b claims the execution and resumes it.
    a.ownership!.stop();
    await until(async () => (await store.getMetadata(arn))?.status === 'SUCCEEDED', 'b to finish the execution');
    expect(callsB).toEqual(['First', 'Second']);

    // a's late answer is not written: it gave the execution up.
    stuck.resolve({ by: 'a' });
    await expect(execution.done).rejects.toMatchObject({ code: 'ExecutionLeaseLost' });
    const history = await store.read(arn);
    expect(history.filter((e) => e.type === 'LambdaFunctionSucceeded').map((e) => (e.lambdaFunctionSucceededEventDetails as { output: unknown }).output))
      .toEqual([{ by: 'b', stateName: 'First' }, { by: 'b', stateName: 'Second' }]);
    expect(history.every((e) => !String(e.type).startsWith('Stepwise'))).toBe(true);
    const owners = (await store.read(leaseStreamOf(arn))).map((e) => leaseDetailsOf(e)!.owner);
    expect(owners[0]).toBe('a');
    expect(owners.at(-1)).toBe('b');
    await a.close();
    await b.close();
  });

  it('lets exactly one of two runtimes claim an orphaned execution', async () => {
    const store = createMemoryEventStore();
    const starter = createRuntime({ store, ownership: { runtimeId: 'starter', leaseMs: 50 } });
    const never = deferred<unknown>();
    starter.handle(LAMBDA, () => never.promise);
    const execution = starter.startExecution({ definition, input: {}, name: 'orphan' });
    await until(async () => (await store.getMetadata(execution.identity.executionArn)) !== undefined, 'the start to be stored');
    starter.ownership!.stop(); // it dies (stops renewing)
    await new Promise((r) => setTimeout(r, 120));

    const answer = deferred<unknown>();
    const runtimes = ['p', 'q'].map((id) => createRuntime({ store, ownership: { runtimeId: id, leaseMs: 5_000 } }).handle(LAMBDA, () => answer.promise));
    const claimed = await Promise.all(runtimes.map((r) => r.start()));
    expect(claimed.map((c) => c.length).sort()).toEqual([0, 1]);
    answer.resolve({ ok: true });
    const winner = claimed.flat()[0]!;
    expect(await winner.done).toMatchObject({ status: 'SUCCEEDED' });
    // The starter never learnt it lost the lease (its timer was stopped): closing it gives the execution up.
    for (const r of [...runtimes, starter]) await r.close();
    await expect(execution.done).rejects.toMatchObject({ code: 'ExecutionLeaseLost' });
  });

  it('leaves alone an execution whose lease says it ended, even when a stale listing still shows it RUNNING', async () => {
    const store = createMemoryEventStore();
    const owner = createRuntime({ store, ownership: { runtimeId: 'owner', leaseMs: 60_000 } }).handle(LAMBDA, () => ({ ok: true }));
    const done = await owner.run({ definition, input: {}, name: 'finished' });
    expect(done.status).toBe('SUCCEEDED');
    const lease = leaseStreamOf(done.executionArn);
    await until(async () => leaseDetailsOf((await store.read(lease)).at(-1))?.released === true, 'the lease to be released');
    expect(leaseDetailsOf((await store.read(lease)).at(-1))).toMatchObject({ owner: 'owner', released: true, ended: true });
    // A scanner that read the listing before the execution ended (simulated: the listing put
    // back to RUNNING) must not claim it: its lease says it ended.
    const meta = (await store.getMetadata(done.executionArn))!;
    await store.putMetadata({ ...meta, status: 'RUNNING', stopDate: undefined });
    const scanner = createRuntime({ store, ownership: { runtimeId: 'scanner', leaseMs: 60_000 } });
    expect(await scanner.start()).toEqual([]);
    expect((await store.read(lease)).map((e) => leaseDetailsOf(e)!.owner)).not.toContain('scanner');
    // A lease given up on close (not ended) is still taken over at once: see the next test.
    await scanner.close();
    await owner.close();
  });

  it('releases its leases on close so another runtime takes over at once, and keeps leases out of events$', async () => {
    const store = createMemoryEventStore();
    const a = createRuntime({ store, ownership: { runtimeId: 'a', leaseMs: 60_000 } });
    const seen = firstValueFrom(a.events$.pipe(take(3), toArray(), timeout(10_000)));
    a.handle(LAMBDA, () => new Promise(() => undefined));
    const execution = a.startExecution({ definition, input: {}, name: 'handover' });
    expect((await seen).map((e) => e.streamId)).toEqual([execution.identity.executionArn, execution.identity.executionArn, execution.identity.executionArn]);
    await until(async () => (await store.getMetadata(execution.identity.executionArn)) !== undefined, 'the start to be stored');
    // Closing mid-task: the store is shared, so it is handed over rather than closed here.
    const closing = (a as unknown as { store: { close(): Promise<void> } }).store;
    const closeStore = closing.close;
    closing.close = async () => undefined;
    await a.close();
    closing.close = closeStore;
    await expect(execution.done).rejects.toMatchObject({ code: 'ExecutionLeaseLost' });

    const b = createRuntime({ store, ownership: { runtimeId: 'b', leaseMs: 60_000 } }).handle(LAMBDA, () => ({ ok: true }));
    const [resumed] = await b.start();
    expect(await resumed!.done).toMatchObject({ status: 'SUCCEEDED' });
    await b.close();
  });

  it('hands over an execution at once when it closes right after starting it (the claim still being written)', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const { openFileEventStore } = await import('../../src/index.js');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-handover-'));
    try {
      const a = createRuntime({ store: await openFileEventStore(dir), ownership: { runtimeId: 'a', leaseMs: 60_000 } });
      a.handle(LAMBDA, () => new Promise(() => undefined));
      const execution = a.startExecution({ definition, input: {}, name: 'quick' });
      execution.done.catch(() => undefined);
      await a.close();
      const leases = await (await openFileEventStore(dir)).read(leaseStreamOf(execution.identity.executionArn));
      expect(leases.map((e) => leaseDetailsOf(e))).toEqual([
        expect.objectContaining({ owner: 'a' }),
        expect.objectContaining({ owner: 'a', released: true }),
      ]);
      const b = createRuntime({ store: await openFileEventStore(dir), ownership: { runtimeId: 'b', leaseMs: 60_000 } }).handle(LAMBDA, () => ({ ok: true }));
      const resumed = await b.start();
      expect(resumed.map((r) => r.identity.name)).toEqual(['quick']);
      expect(await resumed[0]!.done).toMatchObject({ status: 'SUCCEEDED' });
      await b.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
