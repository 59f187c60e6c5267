import { firstValueFrom, take, timeout, toArray, type Observable } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isStepwiseError } from '../../src/errors/stepwise-error.js';
import type { HistoryEvent } from '../../src/execution/history-event.js';
import {
  isWrongExpectedRevisionError,
  WrongExpectedRevisionError,
  type EventStore,
  type ExecutionMetadata,
  type StoredStreamEvent,
} from '../../src/store/event-store.js';
import { historyEvent, historyEvents } from './history-events.js';

export { historyEvent, historyEvents };

/** What a store's test file hands the suite: a fresh, empty store, and how to dispose of it. */
export interface StoreUnderTest {
  store: EventStore;
  dispose?: () => Promise<void>;
}

function ids(events: readonly HistoryEvent[]): number[] {
  return events.map((e) => e.id);
}

function firstN<T>(source: Observable<T>, n: number): Promise<T[]> {
  return firstValueFrom(source.pipe(take(n), toArray(), timeout(10_000)));
}

function execution(n: number, overrides: Partial<ExecutionMetadata> = {}): ExecutionMetadata {
  return {
    executionArn: `arn:aws:states:us-east-1:123456789012:execution:Machine${n % 2}:run-${n}`,
    stateMachineArn: `arn:aws:states:us-east-1:123456789012:stateMachine:Machine${n % 2}`,
    name: `run-${n}`,
    status: 'RUNNING',
    startDate: 1_700_000_000_000 + n * 1000,
    ...overrides,
  };
}

/**
 * The one suite every store passes unchanged. A store that needs the suite to bend is the
 * thing to fix.
 */
export function storeContract(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    let under: StoreUnderTest;

    beforeEach(async () => {
      under = await open();
      store = under.store;
    });

    afterEach(async () => {
      await store.close();
      await under.dispose?.();
    });

    describe('append and read', () => {
      it('appends a batch to a new stream and reads it back in order', async () => {
        expect(await store.append('s1', historyEvents(1, 3), { expectedRevision: 0 })).toBe(3);
        expect(await store.append('s1', historyEvents(4, 2), { expectedRevision: 3 })).toBe(5);
        const events = await store.read('s1');
        expect(events).toEqual(historyEvents(1, 5));
        expect(await store.revision('s1')).toBe(5);
      });

      it('says synchronously which streams and executions it holds, when it answers holdsSync at all', async () => {
        if (!store.holdsSync) return; // optional: a store that cannot answer without I/O leaves it out
        expect(store.holdsSync('s1')).toBe(false);
        await store.append('s1', historyEvents(1, 1), { expectedRevision: 0 });
        const listed = execution(7);
        await store.putMetadata(listed);
        expect(store.holdsSync('s1')).toBe(true);
        expect(store.holdsSync(listed.executionArn)).toBe(true);
        expect(store.holdsSync('s2')).toBe(false);
      });

      it('keeps streams apart', async () => {
        await store.append('a', historyEvents(1, 2), { expectedRevision: 0 });
        await store.append('b', historyEvents(1, 1), { expectedRevision: 0 });
        await store.append('a', historyEvents(3, 1), { expectedRevision: 2 });
        expect(ids(await store.read('a'))).toEqual([1, 2, 3]);
        expect(ids(await store.read('b'))).toEqual([1]);
      });

      it('reads nothing from a stream that does not exist', async () => {
        expect(await store.read('nope')).toEqual([]);
        expect(await store.read('nope', { direction: 'backwards' })).toEqual([]);
        expect(await store.revision('nope')).toBe(0);
      });

      it('reads forwards from a revision, with a limit', async () => {
        await store.append('s', historyEvents(1, 4), { expectedRevision: 0 });
        await store.append('s', historyEvents(5, 4), { expectedRevision: 4 });
        expect(ids(await store.read('s', { fromRevision: 3 }))).toEqual([4, 5, 6, 7, 8]);
        expect(ids(await store.read('s', { fromRevision: 3, maxCount: 2 }))).toEqual([4, 5]);
        expect(ids(await store.read('s', { fromRevision: 8 }))).toEqual([]);
        expect(ids(await store.read('s', { fromRevision: 20 }))).toEqual([]);
        expect(ids(await store.read('s', { maxCount: 0 }))).toEqual([]);
      });

      it('reads backwards from the end or from a revision', async () => {
        await store.append('s', historyEvents(1, 3), { expectedRevision: 0 });
        await store.append('s', historyEvents(4, 3), { expectedRevision: 3 });
        expect(ids(await store.read('s', { direction: 'backwards' }))).toEqual([6, 5, 4, 3, 2, 1]);
        expect(ids(await store.read('s', { direction: 'backwards', maxCount: 2 }))).toEqual([6, 5]);
        expect(ids(await store.read('s', { direction: 'backwards', fromRevision: 3, maxCount: 3 }))).toEqual([4, 3, 2]);
        expect(ids(await store.read('s', { direction: 'backwards', fromRevision: 0 }))).toEqual([1]);
        expect(ids(await store.read('s', { direction: 'backwards', fromRevision: 99 }))).toEqual([6, 5, 4, 3, 2, 1]);
      });

      it('rejects read options that make no sense', async () => {
        await expect(store.read('s', { fromRevision: -1 })).rejects.toSatisfy(isStepwiseError);
        await expect(store.read('s', { maxCount: 1.5 })).rejects.toSatisfy(isStepwiseError);
      });

      it('round-trips event details as JSON', async () => {
        const event = historyEvent(1, { output: { text: 'héllo ✓ "quoted"\n', big: 2 ** 52, neg: -0.5, empty: {}, arr: [] } });
        await store.append('s', [event], { expectedRevision: 0 });
        expect(await store.read('s')).toEqual([event]);
      });
    });

    describe('expected revision', () => {
      it('rejects a mismatch with a typed error carrying the actual revision, and writes nothing', async () => {
        await store.append('s', historyEvents(1, 2), { expectedRevision: 0 });
        const err = await store.append('s', historyEvents(3, 1), { expectedRevision: 1 }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(WrongExpectedRevisionError);
        expect(isWrongExpectedRevisionError(err)).toBe(true);
        expect(isStepwiseError(err)).toBe(true);
        expect(err).toMatchObject({ code: 'StoreConflict', streamId: 's', expected: 1, actual: 2 });
        expect(ids(await store.read('s'))).toEqual([1, 2]);
      });

      it('rejects a stream that should not exist yet', async () => {
        await store.append('s', historyEvents(1, 1), { expectedRevision: 0 });
        await expect(store.append('s', [historyEvent(9)], { expectedRevision: 0 })).rejects.toMatchObject({ actual: 1 });
        await expect(store.append('new', historyEvents(1, 1), { expectedRevision: 3 })).rejects.toMatchObject({ actual: 0 });
      });

      it("appends anywhere with 'any'", async () => {
        expect(await store.append('s', historyEvents(1, 2), { expectedRevision: 'any' })).toBe(2);
        expect(await store.append('s', historyEvents(3, 2), { expectedRevision: 'any' })).toBe(4);
        expect(ids(await store.read('s'))).toEqual([1, 2, 3, 4]);
      });

      it('lets exactly one of two racing appends win', async () => {
        await store.append('s', historyEvents(1, 1), { expectedRevision: 0 });
        const results = await Promise.allSettled([
          store.append('s', [historyEvent(2)], { expectedRevision: 1 }),
          store.append('s', [historyEvent(20)], { expectedRevision: 1 }),
        ]);
        expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
        const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
        expect(isWrongExpectedRevisionError(rejected.reason)).toBe(true);
        expect(await store.read('s')).toHaveLength(2);
      });

      it('answers an empty append with the revision, checking it all the same', async () => {
        expect(await store.append('s', [], { expectedRevision: 0 })).toBe(0);
        await store.append('s', historyEvents(1, 2), { expectedRevision: 0 });
        expect(await store.append('s', [], { expectedRevision: 2 })).toBe(2);
        await expect(store.append('s', [], { expectedRevision: 1 })).rejects.toSatisfy(isWrongExpectedRevisionError);
      });
    });

    describe('idempotent retry', () => {
      it('treats the same events at the same place as a success that writes nothing', async () => {
        const first = historyEvents(1, 3);
        expect(await store.append('s', first, { expectedRevision: 0 })).toBe(3);
        expect(await store.append('s', first, { expectedRevision: 0 })).toBe(3);
        expect(ids(await store.read('s'))).toEqual([1, 2, 3]);
      });

      it('recognises a retry after later appends, and returns what the first attempt did', async () => {
        const first = historyEvents(1, 3);
        await store.append('s', first, { expectedRevision: 0 });
        await store.append('s', historyEvents(4, 2), { expectedRevision: 3 });
        expect(await store.append('s', first, { expectedRevision: 0 })).toBe(3);
        expect(await store.append('s', historyEvents(4, 2), { expectedRevision: 3 })).toBe(5);
        expect(ids(await store.read('s'))).toEqual([1, 2, 3, 4, 5]);
      });

      it('recognises a retry sent before the first attempt was acknowledged', async () => {
        const batch = historyEvents(1, 2);
        const [a, b] = await Promise.all([store.append('s', batch, { expectedRevision: 0 }), store.append('s', batch, { expectedRevision: 0 })]);
        expect([a, b]).toEqual([2, 2]);
        expect(ids(await store.read('s'))).toEqual([1, 2]);
      });

      it('does not take different events that reuse the ids for a retry (two writers numbering alike)', async () => {
        await store.append('s', historyEvents(1, 2), { expectedRevision: 0 });
        const other = [historyEvent(1, { by: 'another runtime' }), historyEvent(2, { by: 'another runtime' })];
        await expect(store.append('s', other, { expectedRevision: 0 })).rejects.toMatchObject({ actual: 2 });
        expect(await store.read('s')).toEqual(historyEvents(1, 2));
      });

      it('is a conflict when the ids differ or reach past the stream', async () => {
        await store.append('s', historyEvents(1, 3), { expectedRevision: 0 });
        await expect(store.append('s', historyEvents(7, 3), { expectedRevision: 0 })).rejects.toMatchObject({ actual: 3 });
        await expect(store.append('s', historyEvents(2, 3), { expectedRevision: 1 })).rejects.toMatchObject({ actual: 3 });
        await expect(store.append('s', [historyEvent(2), historyEvent(9)], { expectedRevision: 1 })).rejects.toSatisfy(isWrongExpectedRevisionError);
        expect(ids(await store.read('s'))).toEqual([1, 2, 3]);
      });
    });

    describe('metadata', () => {
      it('stores, replaces and reads metadata, keeping extra when an update leaves it out', async () => {
        const extra = { definition: { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }, input: { a: [1, 2] } };
        await store.putMetadata(execution(1, { extra }));
        expect(await store.getMetadata(execution(1).executionArn)).toEqual(execution(1, { extra }));
        await store.putMetadata(execution(1, { status: 'SUCCEEDED', stopDate: 1_700_000_009_000 }));
        expect(await store.getMetadata(execution(1).executionArn)).toEqual(execution(1, { status: 'SUCCEEDED', stopDate: 1_700_000_009_000, extra }));
        await store.putMetadata(execution(1, { status: 'SUCCEEDED', extra: null }));
        expect(await store.getMetadata(execution(1).executionArn)).toEqual(execution(1, { status: 'SUCCEEDED', extra: null }));
        expect(await store.getMetadata('arn:unknown')).toBeUndefined();
      });

      it('lists newest first, filtered by state machine and status, without extra', async () => {
        for (let n = 1; n <= 6; n++) await store.putMetadata(execution(n, { status: n % 3 === 0 ? 'FAILED' : 'SUCCEEDED', extra: { n } }));
        const all = await store.list();
        expect(all.items.map((m) => m.name)).toEqual(['run-6', 'run-5', 'run-4', 'run-3', 'run-2', 'run-1']);
        expect(all.nextToken).toBeUndefined();
        expect(all.items.every((m) => !('extra' in m))).toBe(true);
        const machine1 = await store.list({ stateMachineArn: execution(1).stateMachineArn });
        expect(machine1.items.map((m) => m.name)).toEqual(['run-5', 'run-3', 'run-1']);
        const failed = await store.list({ status: 'FAILED' });
        expect(failed.items.map((m) => m.name)).toEqual(['run-6', 'run-3']);
        const both = await store.list({ stateMachineArn: execution(1).stateMachineArn, status: 'FAILED' });
        expect(both.items.map((m) => m.name)).toEqual(['run-3']);
      });

      it('pages with nextToken, without repeats or gaps even when executions start in between', async () => {
        for (let n = 1; n <= 5; n++) await store.putMetadata(execution(n));
        const page1 = await store.list({ maxResults: 2 });
        expect(page1.items.map((m) => m.name)).toEqual(['run-5', 'run-4']);
        expect(page1.nextToken).toEqual(expect.any(String));
        await store.putMetadata(execution(9));
        await store.putMetadata(execution(3, { status: 'SUCCEEDED' }));
        const page2 = await store.list({ maxResults: 2, nextToken: page1.nextToken });
        expect(page2.items.map((m) => m.name)).toEqual(['run-3', 'run-2']);
        const page3 = await store.list({ maxResults: 2, nextToken: page2.nextToken });
        expect(page3.items.map((m) => m.name)).toEqual(['run-1']);
        expect(page3.nextToken).toBeUndefined();
      });

      it('breaks start-date ties by ARN so paging is total', async () => {
        for (let n = 1; n <= 4; n++) await store.putMetadata(execution(n, { startDate: 5 }));
        const seen: string[] = [];
        let token: string | undefined;
        do {
          const page = await store.list({ maxResults: 1, nextToken: token });
          seen.push(...page.items.map((m) => m.name));
          token = page.nextToken;
        } while (token);
        expect(seen.sort()).toEqual(['run-1', 'run-2', 'run-3', 'run-4']);
      });

      it('rejects a bad token or page size', async () => {
        await expect(store.list({ nextToken: 'garbage!' })).rejects.toMatchObject({ code: 'InvalidArgument' });
        await expect(store.list({ maxResults: 0 })).rejects.toMatchObject({ code: 'InvalidArgument' });
      });
    });

    describe('subscriptions', () => {
      it('replays a stream then goes on live, without gap or duplicate', async () => {
        await store.append('s', historyEvents(1, 3), { expectedRevision: 0 });
        await store.append('other', historyEvents(1, 3), { expectedRevision: 0 });
        const received = firstN(store.subscribe('s'), 6);
        await store.append('s', historyEvents(4, 2), { expectedRevision: 3 });
        await store.append('other', historyEvents(4, 1), { expectedRevision: 3 });
        await store.append('s', historyEvents(6, 1), { expectedRevision: 5 });
        const got = await received;
        expect(got.map((e) => [e.streamId, e.revision, e.event.id])).toEqual([
          ['s', 0, 1], ['s', 1, 2], ['s', 2, 3], ['s', 3, 4], ['s', 4, 5], ['s', 5, 6],
        ]);
        expect(got.map((e) => e.event)).toEqual(historyEvents(1, 6));
      });

      it('starts a stream subscription from a revision, or at the end', async () => {
        await store.append('s', historyEvents(1, 4), { expectedRevision: 0 });
        const fromTwo = firstN(store.subscribe('s', { fromRevision: 2 }), 3);
        const fromEnd = firstN(store.subscribe('s', { fromRevision: 'end' }), 1);
        await store.append('s', historyEvents(5, 1), { expectedRevision: 4 });
        expect((await fromTwo).map((e) => e.event.id)).toEqual([3, 4, 5]);
        expect((await fromEnd).map((e) => e.event.id)).toEqual([5]);
      });

      it('replays every stream in global order, and resumes from a position', async () => {
        await store.append('a', historyEvents(1, 2), { expectedRevision: 0 });
        await store.append('b', historyEvents(1, 1), { expectedRevision: 0 });
        await store.append('a', historyEvents(3, 1), { expectedRevision: 2 });
        const all = await firstN(store.subscribeAll(), 4);
        expect(all.map((e) => [e.streamId, e.event.id, e.revision])).toEqual([['a', 1, 0], ['a', 2, 1], ['b', 1, 0], ['a', 3, 2]]);
        const onlyA = await firstN(store.subscribe('a'), 3);
        expect(onlyA.map((e) => e.position)).toEqual(all.filter((e) => e.streamId === 'a').map((e) => e.position));
        const positions = all.map((e) => e.position);
        expect(positions).toEqual([...positions].sort((x, y) => x - y));
        expect(new Set(positions).size).toBe(4);
        const resumed = firstN(store.subscribeAll({ fromPosition: all[1]!.position + 1 }), 3);
        await store.append('c', historyEvents(1, 1), { expectedRevision: 0 });
        expect((await resumed).map((e) => [e.streamId, e.event.id])).toEqual([['b', 1], ['a', 3], ['c', 1]]);
        const fromEnd = firstN(store.subscribeAll({ fromPosition: 'end' }), 1);
        await store.append('d', historyEvents(1, 1), { expectedRevision: 0 });
        expect((await fromEnd).map((e) => e.streamId)).toEqual(['d']);
      });

      it('gives consecutive appends to one stream consecutive positions, before and after a catch-up', async () => {
        await store.append('a', historyEvents(1, 2), { expectedRevision: 0 });
        await store.append('a', historyEvents(3, 1), { expectedRevision: 2 });
        const first = await firstN(store.subscribeAll(), 3);
        await store.append('a', historyEvents(4, 1), { expectedRevision: 3 });
        await store.append('a', historyEvents(5, 2), { expectedRevision: 4 });
        await store.append('b', historyEvents(1, 1), { expectedRevision: 0 });
        await store.append('a', historyEvents(7, 1), { expectedRevision: 6 });
        const all = await firstN(store.subscribeAll(), 8);
        expect(all.map((e) => [e.streamId, e.revision])).toEqual([['a', 0], ['a', 1], ['a', 2], ['a', 3], ['a', 4], ['a', 5], ['b', 0], ['a', 6]]);
        expect(all.slice(0, 3).map((e) => e.position)).toEqual(first.map((e) => e.position));
        for (let i = 1; i < all.length; i++) expect(all[i]!.position).toBeGreaterThan(all[i - 1]!.position);
        const onlyA = await firstN(store.subscribe('a'), 7);
        expect(onlyA.map((e) => e.position)).toEqual(all.filter((e) => e.streamId === 'a').map((e) => e.position));
        const fromMiddle = await firstN(store.subscribeAll({ fromPosition: all[4]!.position }), 4);
        expect(fromMiddle.map((e) => [e.streamId, e.revision])).toEqual([['a', 4], ['a', 5], ['b', 0], ['a', 6]]);
      });

      it('loses and repeats nothing when appends race the catch-up', async () => {
        const streams = ['x', 'y', 'z'];
        const revision = new Map(streams.map((s) => [s, 0]));
        const appendRound = (round: number): Promise<unknown> =>
          Promise.all(streams.map((s) => {
            const from = revision.get(s)!;
            revision.set(s, from + 2);
            return store.append(s, historyEvents(from + 1, 2), { expectedRevision: from });
          })).then(() => round);
        for (let round = 0; round < 40; round++) await appendRound(round);
        const total = 3 * 2 * 80;
        const all = firstN(store.subscribeAll(), total);
        const onlyY = firstN(store.subscribe('y'), 160);
        const racing: Promise<unknown>[] = [];
        for (let round = 40; round < 80; round++) racing.push(appendRound(round));
        await Promise.all(racing);
        const got = await all;
        for (let i = 1; i < got.length; i++) expect(got[i]!.position).toBeGreaterThan(got[i - 1]!.position);
        for (const s of streams) {
          expect(got.filter((e) => e.streamId === s).map((e) => e.revision)).toEqual(Array.from({ length: 160 }, (_, i) => i));
        }
        expect((await onlyY).map((e) => e.event.id)).toEqual(Array.from({ length: 160 }, (_, i) => i + 1));
      });

      it('delivers in order to everyone when a subscriber appends from inside next', async () => {
        const echo = store.subscribe('ping', { fromRevision: 'end' }).subscribe(({ event }) => {
          if (event.id <= 3) void store.append('ping', [historyEvent(event.id + 10)], { expectedRevision: 'any' });
        });
        const watcher = firstN(store.subscribeAll({ fromPosition: 'end' }), 6);
        await store.append('ping', historyEvents(1, 3), { expectedRevision: 0 });
        const seen = (await watcher).map((e: StoredStreamEvent) => e.revision);
        echo.unsubscribe();
        expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
      });

      it('completes subscriptions on close and refuses appends after it', async () => {
        await store.append('s', historyEvents(1, 1), { expectedRevision: 0 });
        const done = firstValueFrom(store.subscribe('s').pipe(toArray(), timeout(10_000)));
        await firstN(store.subscribe('s'), 1);
        await store.close();
        expect((await done).length).toBeLessThanOrEqual(1);
        await expect(store.append('s', historyEvents(2, 1), { expectedRevision: 1 })).rejects.toSatisfy(isStepwiseError);
        await store.close();
      });
    });
  });
}
