import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { firstValueFrom, take, timeout, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WrongExpectedRevisionError } from '../../src/store/event-store.js';
import { isStepwiseError } from '../../src/errors/stepwise-error.js';
import { crc32, tableCrc32 } from '../../src/store/crc32.js';
import { openFileEventStore } from '../../src/store/file-store.js';
import type { HistoryEvent } from '../../src/execution/history-event.js';
import { historyEvent, historyEvents, storeContract } from './store-contract.js';

let root: string;
let dirCount = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'stepwise-file-store-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const fixtures = fileURLToPath(new URL('./fixtures', import.meta.url));

function freshDir(): string {
  const dir = join(root, `store-${++dirCount}`);
  mkdirSync(dir);
  return dir;
}

storeContract('file', async () => {
  const dir = freshDir();
  return { store: await openFileEventStore(dir), dispose: () => rm(dir, { recursive: true, force: true }) };
});

/** Copies a store's log into a new directory, as it would be found after a crash. */
function copyLog(from: string, length?: number): string {
  const dir = freshDir();
  copyFileSync(join(from, 'events.log'), join(dir, 'events.log'));
  if (length !== undefined) truncateSync(join(dir, 'events.log'), length);
  return dir;
}

/** Where the log in `dir` ends, as a store opening it finds (the file is longer by zeros written ahead). */
async function logEnd(dir: string): Promise<number> {
  const store = await openFileEventStore(dir);
  const end = store.end;
  await store.close();
  return end;
}

function logSize(dir: string): number {
  return statSync(join(dir, 'events.log')).size;
}

describe('FileEventStore', () => {
  it('keeps streams, metadata and global positions across a reopen', async () => {
    const dir = freshDir();
    const first = await openFileEventStore(dir);
    await first.append('a', historyEvents(1, 3), { expectedRevision: 0 });
    await first.append('b', historyEvents(1, 2), { expectedRevision: 0 });
    await first.putMetadata({ executionArn: 'a', stateMachineArn: 'sm', name: 'a', status: 'RUNNING', startDate: 1, extra: { input: { x: 1 } } });
    await first.putMetadata({ executionArn: 'a', stateMachineArn: 'sm', name: 'a', status: 'SUCCEEDED', startDate: 1, stopDate: 2 });
    await first.close();

    const second = await openFileEventStore(dir);
    expect(second.recovery).toBeUndefined();
    expect(await second.read('a')).toEqual(historyEvents(1, 3));
    expect(await second.revision('b')).toBe(2);
    expect(await second.getMetadata('a')).toEqual({ executionArn: 'a', stateMachineArn: 'sm', name: 'a', status: 'SUCCEEDED', startDate: 1, stopDate: 2, extra: { input: { x: 1 } } });
    await expect(second.append('a', [historyEvent(9)], { expectedRevision: 0 })).rejects.toMatchObject({ actual: 3 });
    expect(await second.append('a', historyEvents(1, 3), { expectedRevision: 0 })).toBe(3);
    await second.append('a', historyEvents(4, 1), { expectedRevision: 3 });
    const positions: number[] = [];
    await new Promise<void>((done) => {
      second.subscribeAll().subscribe((e) => {
        positions.push(e.position);
        if (positions.length === 6) done();
      });
    });
    expect(positions).toEqual([0, 1, 2, 3, 4, 5]);
    await second.close();
  });

  it('batches the appends that arrive during a sync into the next one', async () => {
    const store = await openFileEventStore(freshDir());
    // Hold the first sync open, so that what follows provably arrives while it runs.
    const fh = (store as unknown as { fh: { datasync(): Promise<void> } }).fh;
    const datasync = fh.datasync.bind(fh);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let syncing!: () => void;
    const started = new Promise<void>((r) => (syncing = r));
    let calls = 0;
    fh.datasync = async () => {
      if (calls++ === 0) {
        syncing();
        await held;
      }
      return datasync();
    };
    const first = store.append('first', historyEvents(1, 1), { expectedRevision: 0 });
    await started;
    const during = Array.from({ length: 50 }, (_, s) => store.append(`s${s}`, historyEvents(1, 2), { expectedRevision: 0 }));
    const meta = store.putMetadata({ executionArn: 's1', stateMachineArn: 'sm', name: 's1', status: 'RUNNING', startDate: 1 });
    release();
    expect(await first).toBe(1);
    expect(await Promise.all(during)).toEqual(Array(50).fill(2));
    await meta;
    expect(store.stats).toEqual({ appends: 51, groups: 2, syncs: 2, blockingSyncs: 0, bytes: expect.any(Number) });
    await store.close();
  });

  describe('zeros written ahead', () => {
    it('writes 1 MiB of zeros past the end of the file, and the next groups overwrite them', async () => {
      const dir = freshDir();
      const store = await openFileEventStore(dir);
      await store.append('s', historyEvents(1, 2), { expectedRevision: 0 });
      const first = store.end;
      expect(logSize(dir)).toBe(first + (1 << 20));
      await store.append('s', historyEvents(3, 2), { expectedRevision: 2 });
      expect(store.end).toBeGreaterThan(first);
      expect(logSize(dir)).toBe(first + (1 << 20));
      await store.close();
      const reopened = await openFileEventStore(dir);
      expect(reopened.recovery).toBeUndefined();
      expect(reopened.end).toBe(store.end);
      expect(await reopened.read('s')).toEqual(historyEvents(1, 4));
      await reopened.close();
    });

    it('grows the file again when a group reaches past the zeros', async () => {
      const dir = freshDir();
      const store = await openFileEventStore(dir);
      const big = historyEvents(1, 1).map((e) => ({ ...e, blob: 'x'.repeat(700_000) }));
      await store.append('s', big, { expectedRevision: 0 });
      await store.append('s', historyEvents(2, 1).map((e) => ({ ...e, blob: 'y'.repeat(1_200_000) })), { expectedRevision: 1 });
      expect(logSize(dir)).toBe(store.end + (1 << 20));
      await store.close();
      const reopened = await openFileEventStore(dir);
      expect((await reopened.read('s')).map((e) => e.id)).toEqual([1, 2]);
      await reopened.close();
    });

    it("sees another store's appends written into the zeros ahead, though the file's size did not change", async () => {
      const dir = freshDir();
      const writer = await openFileEventStore(dir);
      const reader = await openFileEventStore(dir);
      await writer.append('s', historyEvents(1, 1), { expectedRevision: 0 });
      expect(await reader.read('s')).toEqual(historyEvents(1, 1));
      const size = logSize(dir);
      await writer.append('s', historyEvents(2, 2), { expectedRevision: 1 });
      expect(logSize(dir)).toBe(size);
      expect(await reader.read('s')).toEqual(historyEvents(1, 3));
      expect(await reader.append('s', historyEvents(4, 1), { expectedRevision: 3 })).toBe(4);
      expect(await writer.read('s')).toEqual(historyEvents(1, 4));
      await writer.close();
      await reader.close();
    });
  });

  describe('event encodings', () => {
    it('reads a log that an earlier Stepwise wrote as JSON, and appends to it', async () => {
      const dir = freshDir();
      copyFileSync(join(fixtures, 'json-log-v0.1', 'events.log'), join(dir, 'events.log'));
      const store = await openFileEventStore(dir);
      const events = await store.read('exec-1');
      expect(events.map((e) => e.type)).toEqual(['ExecutionStarted', 'PassStateEntered']);
      expect(events[1]).toEqual({
        id: 2, previousEventId: 0, timestamp: 1700000000001, type: 'PassStateEntered',
        stateEnteredEventDetails: { name: 'P', input: { order: { id: 'o-1' } }, inputDetails: { truncated: false } },
      });
      expect(await store.getMetadata('exec-1')).toMatchObject({ status: 'RUNNING', name: 'exec-1' });
      expect(await store.append('exec-1', historyEvents(3, 1), { expectedRevision: 2 })).toBe(3);
      await store.close();
      const reopened = await openFileEventStore(dir);
      expect((await reopened.read('exec-1')).map((e) => e.id)).toEqual([1, 2, 3]);
      await reopened.close();
    });

    it("writes an object that several events of a batch share once (V8's format)", async () => {
      const store = await openFileEventStore(freshDir());
      const payload = { items: Array.from({ length: 50 }, (_, i) => ({ sku: `SKU-${i}`, qty: i })) };
      const events = Array.from({ length: 20 }, (_, i) => historyEvent(i + 1, { input: payload }));
      await store.append('s', events, { expectedRevision: 0 });
      expect(store.stats.bytes).toBeLessThan(JSON.stringify(events).length / 4);
      expect(await store.read('s')).toEqual(events);
      await store.close();
    });

    it('writes JSON for a batch that V8 cannot serialise, as JSON.stringify would', async () => {
      const dir = freshDir();
      const store = await openFileEventStore(dir);
      const odd = { ...historyEvent(1, { kept: 1 }), extra: () => 'not data' } as unknown as HistoryEvent;
      await store.append('s', [odd], { expectedRevision: 0 });
      await store.close();
      const reopened = await openFileEventStore(dir);
      expect(await reopened.read('s')).toEqual([JSON.parse(JSON.stringify(odd))]);
      expect(readFileSync(join(dir, 'events.log'), 'latin1')).toContain('"kept":1');
      await reopened.close();
    });
  });

  it('holds a group of metadata alone for one turn, so that appends made meanwhile share its write and sync', async () => {
    const store = await openFileEventStore(freshDir());
    const meta = store.putMetadata({ executionArn: 'e1', stateMachineArn: 'sm', name: 'e1', status: 'SUCCEEDED', startDate: 1, stopDate: 2 });
    // Later in the same turn, once the flush has begun: an execution started after another ended.
    await Promise.resolve();
    await Promise.resolve();
    const append = store.append('e2', historyEvents(1, 2), { expectedRevision: 0 });
    await Promise.all([meta, append]);
    expect(store.stats).toMatchObject({ appends: 1, groups: 1, syncs: 1 });
    expect((await store.getMetadata('e1'))?.status).toBe('SUCCEEDED');
    await store.close();
  });

  describe('syncWait', () => {
    async function appendInTurn(syncWait: 'auto' | 'thread-pool' | 'blocking', count: number) {
      const store = await openFileEventStore(freshDir(), { syncWait });
      for (let i = 0; i < count; i++) await store.append('s', historyEvents(i + 1, 1), { expectedRevision: i });
      const stats = store.stats;
      expect(await store.read('s')).toHaveLength(count);
      await store.close();
      return stats;
    }

    it("'auto' blocks on the sync once a sync off the thread overlapped nothing, probing the thread pool every 32nd sync", async () => {
      // One append at a time: the first sync overlaps nothing; 31 block; the 32nd after them
      // (the 33rd sync) probes the thread pool, finds nothing again, and the last 7 block.
      expect(await appendInTurn('auto', 40)).toMatchObject({ appends: 40, groups: 40, syncs: 40, blockingSyncs: 38 });
    });

    it("'thread-pool' never blocks and 'blocking' always does", async () => {
      expect(await appendInTurn('thread-pool', 5)).toMatchObject({ syncs: 5, blockingSyncs: 0 });
      expect(await appendInTurn('blocking', 5)).toMatchObject({ syncs: 5, blockingSyncs: 5 });
    });

    it("'auto' waits off the thread after a sync during which an append arrived", async () => {
      const store = await openFileEventStore(freshDir());
      const fh = (store as unknown as { fh: { datasync(): Promise<void> } }).fh;
      const datasync = fh.datasync.bind(fh);
      let extra: Promise<number> | undefined;
      fh.datasync = () => {
        // While the first sync runs, another writer appends: there was work to overlap.
        extra ??= store.append('other', historyEvents(1, 1), { expectedRevision: 0 });
        return datasync();
      };
      await store.append('s', historyEvents(1, 1), { expectedRevision: 0 });
      await extra;
      // The extra append's group went off the thread too, and overlapped nothing: the next blocks.
      expect(store.stats).toMatchObject({ syncs: 2, blockingSyncs: 0 });
      await store.append('s', historyEvents(2, 1), { expectedRevision: 1 });
      expect(store.stats).toMatchObject({ syncs: 3, blockingSyncs: 1 });
      await store.close();
    });
  });

  it('shares syncs between many writers under load', async () => {
    const store = await openFileEventStore(freshDir());
    await Promise.all(Array.from({ length: 20 }, async (_, s) => {
      for (let revision = 0; revision < 10; ) revision = await store.append(`s${s}`, [historyEvent(revision + 1)], { expectedRevision: revision });
    }));
    const stats = store.stats;
    expect(stats.appends).toBe(200);
    expect(stats.syncs).toBe(stats.groups);
    expect(stats.groups).toBeLessThan(100);
    await store.close();
  });

  it('syncs each append on its own without group commit', async () => {
    const store = await openFileEventStore(freshDir(), { groupCommit: false });
    await Promise.all(Array.from({ length: 10 }, (_, s) => store.append(`s${s}`, [historyEvent(1)], { expectedRevision: 0 })));
    expect(store.stats).toMatchObject({ appends: 10, groups: 10, syncs: 10 });
    await store.close();
  });

  it('stops reading the log once a subscription has caught up, and delivers what comes after live', async () => {
    const store = await openFileEventStore(freshDir());
    try {
      await store.append('s', historyEvents(1, 3), { expectedRevision: 0 });
      await store.append('other', historyEvents(1, 2), { expectedRevision: 0 });
      const reads = vi.spyOn(store as unknown as { readStored: () => unknown }, 'readStored');
      const one = firstValueFrom(store.subscribe('s').pipe(take(4), toArray(), timeout(10_000)));
      const all = firstValueFrom(store.subscribeAll().pipe(take(6), toArray(), timeout(10_000)));
      await new Promise((r) => setTimeout(r, 50));
      // One read each caught them up; a subscription that went on reading would be far past this.
      expect(reads.mock.calls.length).toBeLessThanOrEqual(2);
      await store.append('s', historyEvents(4, 1), { expectedRevision: 3 });
      expect((await one).map((e) => e.event.id)).toEqual([1, 2, 3, 4]);
      expect((await all).map((e) => `${e.streamId}:${e.event.id}`)).toEqual(['s:1', 's:2', 's:3', 'other:1', 'other:2', 's:4']);
      expect(reads.mock.calls.length).toBeLessThanOrEqual(2);
    } finally {
      await store.close();
    }
  });

  it('shares one directory between several stores: each sees the others\' appends and conflicts', async () => {
    const dir = freshDir();
    const one = await openFileEventStore(dir);
    const two = await openFileEventStore(dir);
    try {
      const live = firstValueFrom(two.subscribe('s').pipe(take(3), toArray(), timeout(10_000)));
      await one.append('s', historyEvents(1, 2), { expectedRevision: 0 });
      expect(await two.read('s')).toEqual(historyEvents(1, 2));
      // `two` learns of `one`'s append when it checks: a stale expectation is refused, a current one goes through.
      await expect(two.append('s', historyEvents(3, 1), { expectedRevision: 0 })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      expect(await two.append('s', historyEvents(3, 1), { expectedRevision: 2 })).toBe(3);
      await expect(one.append('s', [historyEvent(3)], { expectedRevision: 2 })).rejects.toMatchObject({ code: 'StoreConflict', actual: 3 });
      expect((await live).map((e) => [e.revision, e.event.id])).toEqual([[0, 1], [1, 2], [2, 3]]);
      await two.putMetadata({ executionArn: 's', stateMachineArn: 'sm', name: 's', status: 'RUNNING', startDate: 1, extra: { x: 1 } });
      expect(await one.getMetadata('s')).toMatchObject({ status: 'RUNNING', extra: { x: 1 } });
      expect((await one.list()).items.map((m) => m.executionArn)).toEqual(['s']);
    } finally {
      await one.close();
      await two.close();
    }
    const reopened = await openFileEventStore(dir);
    expect(await reopened.read('s')).toEqual(historyEvents(1, 3));
    await reopened.close();
  });

  it('refuses, under the lock, an append queued before another store wrote the same revision', async () => {
    const dir = freshDir();
    const one = await openFileEventStore(dir);
    const two = await openFileEventStore(dir);
    try {
      // Both check against revision 0 before either has written: the lock orders them.
      const results = await Promise.allSettled([
        one.append('s', historyEvents(1, 1), { expectedRevision: 0 }),
        two.append('s', [historyEvent(1, { from: 'two' })], { expectedRevision: 0 }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(refused.reason).toBeInstanceOf(WrongExpectedRevisionError);
      expect(await one.read('s')).toHaveLength(1);
      expect(await two.revision('s')).toBe(1);
      // The loser's view is consistent again: its next append at the true revision goes through.
      const loser = results[0].status === 'rejected' ? one : two;
      expect(await loser.append('s', historyEvents(2, 1), { expectedRevision: 1 })).toBe(2);
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('takes over the append lock of a process that died holding it', async () => {
    const dir = freshDir();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    writeFileSync(join(dir, 'LOCK'), `${dead.stdout.toString()} deadbeef`);
    const store = await openFileEventStore(dir);
    expect(await store.append('s', historyEvents(1, 1), { expectedRevision: 0 })).toBe(1);
    await store.close();
    expect(existsSync(join(dir, 'LOCK'))).toBe(false);
  });

  it('fails closed after a write error: the append rejects, and so does everything after it', async () => {
    const store = await openFileEventStore(freshDir());
    await store.append('s', historyEvents(1, 1), { expectedRevision: 0 });
    await (store as unknown as { fh: { close(): Promise<void> } }).fh.close();
    await expect(store.append('s', historyEvents(2, 1), { expectedRevision: 1 })).rejects.toMatchObject({ code: 'StoreUnavailable' });
    await expect(store.append('t', historyEvents(1, 1), { expectedRevision: 0 })).rejects.toMatchObject({ code: 'StoreUnavailable' });
    await store.close().catch(() => undefined);
  });

  describe.each([
    ['one record', 1],
    ['three records', 3],
  ])('torn tail: a last group of %s', (_label, records) => {
    let dir: string;
    let intactEnd: number;
    let fullEnd: number;

    beforeAll(async () => {
      dir = freshDir();
      const store = await openFileEventStore(dir);
      await store.append('a', historyEvents(1, 3), { expectedRevision: 0 });
      await store.putMetadata({ executionArn: 'a', stateMachineArn: 'sm', name: 'a', status: 'RUNNING', startDate: 1 });
      await store.append('b', historyEvents(1, 2), { expectedRevision: 0 });
      intactEnd = store.end;
      // Started in one turn, these share one group: the unit a crash tears.
      const last: Promise<unknown>[] = [store.append('a', historyEvents(4, 2), { expectedRevision: 3 })];
      if (records === 3) {
        last.push(store.putMetadata({ executionArn: 'a', stateMachineArn: 'sm', name: 'a', status: 'SUCCEEDED', startDate: 1, stopDate: 2 }));
        last.push(store.append('c', historyEvents(1, 1), { expectedRevision: 0 }));
      }
      await Promise.all(last);
      expect(store.stats.groups).toBe(4);
      fullEnd = store.end;
      expect(logSize(dir)).toBeGreaterThan(fullEnd);
      await store.close();
    });

    it('cuts the group at any byte it was cut short at, keeping every record before it', async () => {
      expect(fullEnd).toBeGreaterThan(intactEnd + 32);
      for (let cut = intactEnd; cut < fullEnd; cut++) {
        const copy = copyLog(dir, cut);
        const store = await openFileEventStore(copy);
        try {
          if (cut === intactEnd) expect(store.recovery).toBeUndefined();
          else expect(store.recovery, `cut at ${cut}`).toMatchObject({ offset: intactEnd, droppedBytes: cut - intactEnd });
          expect(logSize(copy)).toBe(intactEnd);
          expect(await store.read('a')).toEqual(historyEvents(1, 3));
          expect(await store.read('b')).toEqual(historyEvents(1, 2));
          expect(await store.revision('c')).toBe(0);
          expect((await store.getMetadata('a'))?.status).toBe('RUNNING');
          expect(await store.append('a', historyEvents(4, 1), { expectedRevision: 3 })).toBe(4);
        } finally {
          await store.close();
        }
      }
    });

    it('opens the whole log untouched', async () => {
      const store = await openFileEventStore(copyLog(dir));
      expect(store.recovery).toBeUndefined();
      expect(await store.revision('a')).toBe(5);
      await store.close();
    });

    it('keeps what was appended after the cut across the next reopen', async () => {
      const copy = copyLog(dir, fullEnd - 5);
      const store = await openFileEventStore(copy);
      await store.append('a', historyEvents(4, 2), { expectedRevision: 3 });
      await store.close();
      const reopened = await openFileEventStore(copy);
      expect(reopened.recovery).toBeUndefined();
      expect(await reopened.read('a')).toEqual(historyEvents(1, 5));
      await reopened.close();
    });

    it('ends the log at a tail of zeros (written ahead, or left by a file system after a power loss) and appends over it', async () => {
      const copy = copyLog(dir, fullEnd);
      writeFileSync(join(copy, 'events.log'), Buffer.alloc(4096), { flag: 'a' });
      const store = await openFileEventStore(copy);
      expect(store.recovery).toBeUndefined();
      expect(store.end).toBe(fullEnd);
      expect(await store.revision('a')).toBe(5);
      await store.append('a', historyEvents(6, 1), { expectedRevision: 5 });
      await store.close();
      const reopened = await openFileEventStore(copy);
      expect(await reopened.read('a')).toEqual(historyEvents(1, 6));
      await reopened.close();
    });

    it('cuts a group cut short with zeros after it, as an interrupted write into zeros written ahead leaves it', async () => {
      const copy = copyLog(dir, fullEnd - 5);
      writeFileSync(join(copy, 'events.log'), Buffer.alloc(4096), { flag: 'a' });
      const store = await openFileEventStore(copy);
      expect(store.recovery).toMatchObject({ offset: intactEnd, droppedBytes: fullEnd - 5 + 4096 - intactEnd });
      expect(logSize(copy)).toBe(intactEnd);
      expect(await store.revision('a')).toBe(3);
      await store.close();
    });
  });

  describe('corruption', () => {
    let dir: string;
    let lastGroupStart: number;

    beforeAll(async () => {
      dir = freshDir();
      const store = await openFileEventStore(dir);
      await store.append('a', historyEvents(1, 2), { expectedRevision: 0 });
      await store.putMetadata({ executionArn: 'a', stateMachineArn: 'sm', name: 'a', status: 'RUNNING', startDate: 1, extra: { input: 1 } });
      lastGroupStart = store.end;
      await store.append('b', historyEvents(1, 2), { expectedRevision: 0 });
      await store.close();
    });

    it('refuses to open on any damaged byte before the last group, naming file and offset, and changes nothing', async () => {
      for (let at = 0; at < lastGroupStart; at++) {
        const copy = copyLog(dir);
        const file = join(copy, 'events.log');
        const bytes = readFileSync(file);
        bytes[at] ^= 0x5a;
        writeFileSync(file, bytes);
        const err = await openFileEventStore(copy).then(
          (s) => s.close().then(() => new Error(`opened despite damage at byte ${at}`)),
          (e: unknown) => e,
        );
        expect(isStepwiseError(err), `byte ${at}`).toBe(true);
        expect(err).toMatchObject({ code: 'StoreCorrupted' });
        expect((err as Error).message).toContain(file);
        expect((err as Error).message).toMatch(/at byte \d+ \(record \d+\): /);
        expect(readFileSync(file).equals(bytes), `file rewritten after damage at byte ${at}`).toBe(true);
        // The lock is released, so the operator can retry after repairing the file.
        bytes[at] ^= 0x5a;
        writeFileSync(file, bytes);
        const repaired = await openFileEventStore(copy);
        expect(await repaired.revision('b')).toBe(2);
        await repaired.close();
      }
    });

    it('says which record and why', async () => {
      const copy = copyLog(dir);
      const file = join(copy, 'events.log');
      const bytes = readFileSync(file);
      bytes[40] ^= 0xff;
      writeFileSync(file, bytes);
      await expect(openFileEventStore(copy)).rejects.toThrow(
        `The event log ${file} is corrupted at byte 0 (record 1): the record body fails its checksum.`,
      );
    });

    it('refuses to open when committed records follow zeros where a record should start', async () => {
      const copy = copyLog(dir);
      const file = join(copy, 'events.log');
      const bytes = readFileSync(file);
      bytes.fill(0, 0, lastGroupStart);
      writeFileSync(file, bytes);
      await expect(openFileEventStore(copy)).rejects.toThrow(
        `The event log ${file} is corrupted at byte 0 (record 1): zeros stand where a record should start, and committed records follow them.`,
      );
    });

    it('refuses a file that is not a Stepwise event log rather than cut it as a torn tail', async () => {
      for (const text of ['hello world, this is my own file\n', 'x']) {
        const foreign = mkdtempSync(join(tmpdir(), 'stepwise-foreign-'));
        const file = join(foreign, 'events.log');
        writeFileSync(file, text);
        await expect(openFileEventStore(foreign)).rejects.toThrow(`The file ${file} is not a Stepwise event log: it does not start with a record header`);
        expect(readFileSync(file, 'utf8')).toBe(text);
        rmSync(foreign, { recursive: true, force: true });
      }
    });

    it('refuses a record of a format it does not know rather than cut it', async () => {
      const copy = copyLog(dir);
      const file = join(copy, 'events.log');
      const bytes = readFileSync(file).subarray(0, await logEnd(copy));
      const size = bytes.length;
      // A well-formed header of a future version at the very end: not a torn write.
      const header = Buffer.alloc(16);
      header[0] = 0xf5;
      header[1] = 0x57;
      header[2] = 1;
      header[3] = 9;
      header.writeUInt32LE(0, 4);
      header.writeUInt32LE(0, 8);
      header.writeUInt32LE(zlib.crc32(header.subarray(0, 12)), 12);
      writeFileSync(file, Buffer.concat([bytes, header]));
      await expect(openFileEventStore(copy)).rejects.toThrow(/format version 9/);
      expect(statSync(file).size).toBe(size + 16);
    });
  });

  describe('crc32', () => {
    it('matches zlib', () => {
      for (const length of [0, 1, 7, 64, 1000, 65_537]) {
        const data = randomBytes(length);
        expect(tableCrc32(data)).toBe(zlib.crc32(data));
        expect(crc32(data)).toBe(zlib.crc32(data));
        expect(tableCrc32(data.subarray(length >> 1), tableCrc32(data.subarray(0, length >> 1)))).toBe(zlib.crc32(data));
      }
      expect(tableCrc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    });
  });
});
