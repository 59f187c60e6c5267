import { firstValueFrom, take, timeout, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createEventStoreDbStore, isEventStoreDbConnectionString } from '../../../adapters/eventstoredb/index.js';
import { stableEventId } from '../../../adapters/eventstoredb/event-ids.js';
import { StreamNames } from '../../../adapters/eventstoredb/stream-names.js';
import { isWrongExpectedRevisionError } from '../../../src/store/event-store.js';
import { leaseStreamOf } from '../../../src/store/lease-stream.js';
import { historyEvent, historyEvents, storeContract } from '../../store/store-contract.js';
import { FakeEsdb } from './fake-esdb.js';

const FAST_RETRY = { attempts: 4, firstDelayMs: 1, maxDelayMs: 5 };

function storeOnFake(fake = new FakeEsdb(), options: Parameters<typeof createEventStoreDbStore>[1] = {}) {
  return { fake, store: createEventStoreDbStore({ connection: fake, retry: FAST_RETRY, ...options }) };
}

// The adapter's mapping (revisions, ids, idempotence, conflicts, positions, subscriptions) held
// to the same contract as every store, against a stand-in that keeps EventStoreDB's rules.
storeContract('eventstoredb adapter on a fake server', async () => ({ store: storeOnFake().store }));

const ARN = 'arn:aws:states:us-east-1:123456789012:execution:Machine:run-1';

describe('EventStoreDB adapter: mapping', () => {
  it('names streams so that category projections group executions and leases', () => {
    const names = new StreamNames();
    expect(names.toEsdb(ARN)).toBe(`stepwiseExecution-${ARN}`);
    expect(names.toEsdb(leaseStreamOf(ARN))).toBe(`stepwiseLease-${ARN}`);
    expect(names.metaOf(ARN)).toBe(`stepwiseMeta-${ARN}`);
    // $by_category splits at the first '-': the category is the part before it.
    expect(names.toEsdb(ARN).split('-')[0]).toBe('stepwiseExecution');
    expect(names.fromEsdb(names.toEsdb(ARN))).toBe(ARN);
    expect(names.fromEsdb(names.toEsdb(leaseStreamOf(ARN)))).toBe(leaseStreamOf(ARN));
    expect(names.fromEsdb('$ce-stepwiseExecution')).toBeUndefined();
    expect(new StreamNames('tenant_a').toEsdb(ARN)).toBe(`tenant_aExecution-${ARN}`);
    expect(() => new StreamNames('bad-prefix')).toThrow(/no '-'/);
  });

  it('gives each history event a stable UUID per stream, so retries are recognised', () => {
    const id = stableEventId('stepwiseExecution-a', 7);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(stableEventId('stepwiseExecution-a', 7)).toBe(id);
    expect(stableEventId('stepwiseExecution-a', 8)).not.toBe(id);
    expect(stableEventId('stepwiseExecution-b', 7)).not.toBe(id);
  });

  it('maps expected revisions to the server\'s (count n is last revision n - 1) and its conflicts to the typed error', async () => {
    const { fake, store } = storeOnFake();
    expect(await store.append(ARN, historyEvents(1, 2), { expectedRevision: 0 })).toBe(2);
    expect(fake.streams.get(`stepwiseExecution-${ARN}`)!.events.map((e) => [e.revision, e.type])).toEqual([[0, 'PassStateEntered'], [1, 'PassStateEntered']]);
    const err = await store.append(ARN, [historyEvent(9)], { expectedRevision: 1 }).catch((e: unknown) => e);
    expect(isWrongExpectedRevisionError(err)).toBe(true);
    expect(err).toMatchObject({ code: 'StoreConflict', streamId: ARN, expected: 1, actual: 2 });
    await store.close();
  });

  it('lists executions from the index stream alone, reading only what is new', async () => {
    const { fake, store } = storeOnFake();
    for (let i = 0; i < 3; i++) {
      await store.putMetadata({ executionArn: `${ARN}${i}`, stateMachineArn: 'sm', name: `run-${i}`, status: 'RUNNING', startDate: i, extra: { big: 'x'.repeat(1000) } });
    }
    await store.putMetadata({ executionArn: `${ARN}0`, stateMachineArn: 'sm', name: 'run-0', status: 'SUCCEEDED', startDate: 0, stopDate: 5 });
    const page = await store.list({ status: 'RUNNING' });
    expect(page.items.map((m) => m.name)).toEqual(['run-2', 'run-1']);
    expect(page.items[0]).not.toHaveProperty('extra');
    expect([...fake.readsOf.keys()]).toEqual(['stepwiseIndex-executions']);
    await store.list();
    // The second listing read from where the first stopped: one more (empty) page.
    expect(fake.readsOf.get('stepwiseIndex-executions')).toBe(2);
    expect(await store.getMetadata(`${ARN}0`)).toMatchObject({ status: 'SUCCEEDED', extra: { big: 'x'.repeat(1000) } });
    await store.close();
  });

  it('keeps lease streams out of subscribeAll\'s history streams but delivers them by their store id', async () => {
    const { store } = storeOnFake();
    const seen = firstValueFrom(store.subscribeAll().pipe(take(2), toArray(), timeout(5_000)));
    await store.append(ARN, historyEvents(1, 1), { expectedRevision: 0 });
    await store.append(leaseStreamOf(ARN), historyEvents(1, 1), { expectedRevision: 0 });
    await store.putMetadata({ executionArn: ARN, stateMachineArn: 'sm', name: 'n', status: 'RUNNING', startDate: 1 });
    expect((await seen).map((e) => e.streamId)).toEqual([ARN, leaseStreamOf(ARN)]);
    await store.close();
  });
});

describe('EventStoreDB adapter: faults', () => {
  it('retries an unreachable server with backoff, then says plainly what failed', async () => {
    const { fake, store } = storeOnFake();
    fake.unavailableCalls = 2;
    expect(await store.append(ARN, historyEvents(1, 1), { expectedRevision: 0 })).toBe(1);
    fake.unavailableCalls = 100;
    const err = await store.read(ARN).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'StoreUnavailable', message: expect.stringMatching(/did not answer for '.*run-1' after 4 tries with backoff: 14 UNAVAILABLE/) });
    await store.close();
  });

  it('writes an append whose acknowledgement was lost exactly once: the retry carries the same ids', async () => {
    const { fake, store } = storeOnFake();
    fake.loseNextAck = true;
    expect(await store.append(ARN, historyEvents(1, 3), { expectedRevision: 0 })).toBe(3);
    expect(fake.appendCalls).toBe(2);
    expect((await store.read(ARN)).map((e) => e.id)).toEqual([1, 2, 3]);
    await store.close();
  });

  it('resubscribes after a server restart from the last event delivered, losing and repeating nothing', async () => {
    const { fake, store } = storeOnFake();
    await store.append(ARN, historyEvents(1, 2), { expectedRevision: 0 });
    const got = firstValueFrom(store.subscribe(ARN).pipe(take(4), toArray(), timeout(5_000)));
    await new Promise((r) => setTimeout(r, 10));
    fake.restart();
    await store.append(ARN, historyEvents(3, 2), { expectedRevision: 2 });
    expect((await got).map((e) => e.event.id)).toEqual([1, 2, 3, 4]);
    await store.close();
  });

  it('reports a history deleted behind its back instead of returning part of it', async () => {
    const { fake, store } = storeOnFake();
    await store.append(ARN, historyEvents(1, 2), { expectedRevision: 0 });
    fake.softDelete(`stepwiseExecution-${ARN}`);
    await store.append(ARN, historyEvents(3, 1), { expectedRevision: 2 });
    await expect(store.read(ARN)).rejects.toMatchObject({ code: 'StoreCorrupted', message: expect.stringMatching(/starts at revision 2, not 0: its earlier events were deleted/) });
    fake.tombstone(`stepwiseExecution-${ARN}`);
    await expect(store.append(ARN, historyEvents(4, 1), { expectedRevision: 3 })).rejects.toMatchObject({ code: 'StoreCorrupted', message: expect.stringContaining('was deleted in EventStoreDB') });
    await store.close();
  });

  it('splits a batch over the append size limit into appends that fit, and refuses one event that cannot fit', async () => {
    const { fake, store } = storeOnFake(new FakeEsdb(20_000), { maxAppendBytes: 20_000 });
    const big = Array.from({ length: 6 }, (_, i) => historyEvent(i + 1, { output: 'y'.repeat(5_000) }));
    expect(await store.append(ARN, big, { expectedRevision: 0 })).toBe(6);
    expect(fake.appendCalls).toBeGreaterThan(1);
    expect((await store.read(ARN)).map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6]);
    const huge = historyEvent(7, { output: 'z'.repeat(30_000) });
    await expect(store.append(ARN, [huge], { expectedRevision: 6 })).rejects.toMatchObject({ code: 'StoreAppendTooLarge', message: expect.stringContaining('over EventStoreDB\'s append limit of 20000 bytes') });
    expect(await store.revision(ARN)).toBe(6);
    await store.close();
  });

  it('takes only EventStoreDB connection strings', () => {
    expect(isEventStoreDbConnectionString('esdb://localhost:2113?tls=false')).toBe(true);
    expect(isEventStoreDbConnectionString('esdb+discover://cluster.local:2113')).toBe(true);
    expect(isEventStoreDbConnectionString('.stepwise')).toBe(false);
    expect(() => createEventStoreDbStore('http://localhost:2113')).toThrow(/not an EventStoreDB connection string/);
  });
});
