import { fdatasyncSync, fstatSync, fsyncSync, ftruncateSync, readSync, writeSync, writevSync } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Observable } from 'rxjs';
import type { JsonValue } from '../asl/json-value.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import type { HistoryEvent } from '../execution/history-event.js';
import {
  isSameEvent,
  StoreErrorCodes,
  WrongExpectedRevisionError,
  type AppendOptions,
  type EventStore,
  type ExecutionMetadata,
  type ExecutionPage,
  type ListFilter,
  type ReadOptions,
  type StoredStreamEvent,
  type SubscribeAllOptions,
  type SubscribeOptions,
} from './event-store.js';
import { AppendLock } from './append-lock.js';
import { pageOf } from './list-page.js';
import {
  decodeEvents, encodeCommit, encodeEvents, encodeMetadata, HEADER_SIZE, isZero, scanLog, type EventsEncoding, type ScannedRecord, type TornTail,
} from './log-format.js';
import { lastAtOrBefore, readRange } from './read-range.js';
import { catchUpThenLive, EventFanout, storedEvents } from './subscriptions.js';

export const DEFAULT_STORE_DIR = '.stepwise';
const LOG_FILE = 'events.log';
const LOCK_FILE = 'LOCK';

export interface FileEventStoreOptions {
  /**
   * Appends that arrive while a disk sync runs share the next one. Default true; false syncs
   * each append on its own (only worth it to measure what group commit saves).
   */
  groupCommit?: boolean;
  /**
   * Sync each group to disk before acknowledging it. Default true. Without it, an
   * acknowledged append survives the process being killed but not the machine losing power.
   */
  sync?: boolean;
  /**
   * How a sync waits for the disk. 'thread-pool' waits off the main thread, so other work runs
   * meanwhile; 'blocking' waits on it, which saves the two thread hand-overs (a few hundred µs
   * per sync on a virtual machine) when there is nothing else to run. 'auto' (the default) waits
   * off the thread while appends arrive during syncs, and blocks once a sync overlapped no
   * append, trying the thread pool again every 32nd sync to see whether work
   * now arrives while the disk is busy.
   */
  syncWait?: 'auto' | 'thread-pool' | 'blocking';
  /**
   * How often, in ms, a store with live subscribers looks for appends made by other processes
   * sharing the directory. Default 100.
   */
  pollMs?: number;
}

/** What opening the store cut off: the torn tail an interrupted write left. */
export interface StoreRecovery extends TornTail {
  file: string;
}

/** Counters for tests and benchmarks. */
export interface FileStoreStats {
  appends: number;
  /** Groups written: with group commit, far fewer than appends under load. */
  groups: number;
  syncs: number;
  /** Syncs that waited on the main thread (see {@link FileEventStoreOptions.syncWait}). */
  blockingSyncs: number;
  bytes: number;
}

interface Location {
  offset: number;
  length: number;
}

/** A durable append: where its encoded events sit in the log. */
interface DurableBatch {
  streamId: string;
  startRevision: number;
  count: number;
  position: number;
  encoding: EventsEncoding;
  payload: Location;
}

/** An accepted append waiting for its group to be synced. */
interface PendingBatch {
  startRevision: number;
  count: number;
  events: readonly HistoryEvent[];
  group: Group;
  /** Set when another process appended to the stream first: checked again under the lock. */
  rejected?: WrongExpectedRevisionError;
}

interface StreamState {
  /** Including accepted, not yet durable appends: what the next append is checked against first. */
  revision: number;
  durable: number;
  batches: DurableBatch[];
  pending: PendingBatch[];
}

interface MetadataRow {
  meta: ExecutionMetadata;
  extra?: Location;
}

type GroupRecord =
  | { kind: 'events'; chunks: Buffer[]; length: number; streamId: string; batch: PendingBatch; encoding: EventsEncoding; payloadStart: number; payloadLength: number }
  | { kind: 'metadata'; chunks: Buffer[]; length: number; meta: ExecutionMetadata; extraStart?: number; extraLength?: number };

interface Group {
  records: GroupRecord[];
  /** It holds an events record, not only metadata. */
  events: boolean;
  bytes: number;
  done: Promise<void>;
  resolve: () => void;
  reject: (err: unknown) => void;
}

const CATCH_UP_BATCHES = 256;
/**
 * When a group reaches past the end of the file, this many zero bytes are written after it, and
 * the groups that follow overwrite them. A sync that does not change the file's size need not
 * commit the file system's journal: on ext4 here that made a sync of a 33 KB group 2-3 times
 * faster, writing the zeros included. The log ends at the first record header of zeros.
 */
const PREALLOCATE_BYTES = 1 << 20;
let zeros: Buffer | undefined;
/** With syncWait 'auto', every this many blocking syncs one waits off the thread to look for overlap. */
const PROBE_EVERY = 32;
/** A group stops taking appends at this size, so a burst cannot make one write unbounded. */
const MAX_GROUP_BYTES = 16 << 20;
/** Reads of neighbouring batches merge into one when the gap between them is at most this. */
const READ_GAP = 64 << 10;
const READ_SPAN = 8 << 20;
/** Reads up to this long are done synchronously (see readBytes). */
const INLINE_READ_BYTES = 64 << 10;

/**
 * The embedded durable store: one append-only log in one directory, checked on open and
 * indexed in memory. Open it with {@link openFileEventStore}.
 *
 * Several processes (or store instances) may share the directory. Each group is written under
 * a lock file held for that write (and kept while more groups follow at once); before writing, the writer reads whatever the others
 * appended since it last looked and checks every expected revision again against that, so the
 * check is as strict as with one writer. Reads look for others' appends first, and live
 * subscriptions poll for them.
 */
export class FileEventStore implements EventStore {
  /** See {@link EventStore.turnWritesInOrder}. */
  readonly turnWritesInOrder = true;
  /** Set when opening cut a torn tail off the log. */
  recovery: StoreRecovery | undefined = undefined;
  readonly file: string;
  private readonly fh: FileHandle;
  private readonly lock: AppendLock;
  private readonly groupCommit: boolean;
  private readonly sync: boolean;
  private readonly syncWait: 'auto' | 'thread-pool' | 'blocking';
  /** 'auto': the last sync off the thread overlapped no append. */
  private syncOverlappedNothing = false;
  private blockingSinceProbe = 0;
  /** Where the log ends: the next group is written here. */
  private size = 0;
  /** The file's size: past `size`, zeros written ahead (see {@link PREALLOCATE_BYTES}). */
  private fileSize = 0;
  private readonly streams = new Map<string, StreamState>();
  private readonly batches: DurableBatch[] = [];
  private readonly metadata = new Map<string, MetadataRow>();
  private durablePosition = 0;
  /** True from taking the lock to committing: the file then holds bytes the index does not. */
  private writing = false;
  private readonly poll: NodeJS.Timeout;
  private readonly fanout = new EventFanout();
  private readonly queue: Group[] = [];
  private flushing = false;
  private idleWaiters: (() => void)[] = [];
  private readonly reads = new Set<Promise<unknown>>();
  private failure: StepwiseError | undefined;
  private closing: Promise<void> | undefined;
  private readonly counters: FileStoreStats = { appends: 0, groups: 0, syncs: 0, blockingSyncs: 0, bytes: 0 };

  /** @see openFileEventStore */
  static async open(dir: string, options: FileEventStoreOptions): Promise<FileEventStore> {
    await mkdir(dir, { recursive: true });
    const file = join(dir, LOG_FILE);
    let fh: FileHandle | undefined;
    let store: FileEventStore | undefined;
    try {
      let created = false;
      for (let attempt = 0; !fh; attempt++) {
        try {
          fh = await open(file, 'r+');
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
          try {
            fh = await open(file, 'wx+');
            created = true;
          } catch (e) {
            // Another process created it between our two opens: open theirs.
            if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw e;
          }
        }
      }
      if (created) await syncDirectory(dir);
      store = new FileEventStore(file, fh, new AppendLock(join(dir, LOCK_FILE)), options);
      let clean = false;
      try {
        clean = store.catchUp(false);
      } catch {
        // Looked at without the lock, the log may be changing under the scan: look again with it.
      }
      // A torn tail may be another writer's group in the making: only the lock tells.
      if (!clean) await store.lockedCatchUp();
      return store;
    } catch (err) {
      if (store) {
        clearInterval(store.poll);
        store.lock.close();
      }
      await fh?.close().catch(() => undefined);
      throw err;
    }
  }

  private constructor(file: string, fh: FileHandle, lock: AppendLock, options: FileEventStoreOptions) {
    this.file = file;
    this.fh = fh;
    this.lock = lock;
    this.groupCommit = options.groupCommit ?? true;
    this.sync = options.sync ?? true;
    this.syncWait = options.syncWait ?? 'auto';
    this.poll = setInterval(() => {
      if (!this.fanout.observed || this.writing || this.closing) return;
      try {
        this.catchUp(false);
      } catch {
        // caught up with the lock by the next write or read
      }
    }, options.pollMs ?? 100);
    this.poll.unref();
  }

  /**
   * Indexes what other writers appended since the last look, and publishes it to live
   * subscriptions in the same step. Returns false when the log ends in an incomplete group.
   * With the lock held, that group's writer is dead: its tail is cut.
   */
  private catchUp(locked: boolean): boolean {
    const fd = this.fh.fd;
    const size = fstatSync(fd).size;
    this.fileSize = size;
    if (size === this.size) return true;
    if (size < this.size) {
      throw new StepwiseError(StoreErrorCodes.corrupted, `The event log ${this.file} shrank from ${this.size} to ${size} bytes while open: acknowledged appends were cut by something other than Stepwise.`, { file: this.file, offset: size });
    }
    // Zeros where the next record would start: nothing was appended. (The first scan, on open,
    // reads on past them to make sure no committed record follows.)
    if (this.size > 0 && unwrittenAt(fd, this.size)) return true;
    const published: StoredStreamEvent[] | undefined = this.fanout.observed ? [] : undefined;
    let scan;
    try {
      scan = scanLog(this.file, fd, size, (record) => this.applyScanned(record, published), this.size, (end) => (this.size = end));
    } finally {
      if (published) this.fanout.publish(published);
    }
    if (!scan.torn) return true;
    if (!locked) return false;
    ftruncateSync(fd, scan.end);
    fsyncSync(fd);
    this.fileSize = scan.end;
    this.recovery = { file: this.file, ...scan.torn };
    return true;
  }

  private async lockedCatchUp(): Promise<void> {
    await this.lock.acquire();
    try {
      if (!this.writing) this.catchUp(true);
    } finally {
      this.lock.release();
    }
  }

  /** Before answering a read: what other processes appended is part of the answer. */
  private async refresh(): Promise<void> {
    // Our own write caught up under the lock just before; the file is ahead of the index until it commits.
    if (this.writing) return;
    let clean = false;
    try {
      clean = this.catchUp(false);
    } catch {
      // the log changed under the scan: done again with the lock below
    }
    if (!clean) await this.lockedCatchUp();
  }

  /** Bytes of log written: the file is longer by the zeros written ahead of the next group. */
  get end(): number {
    return this.size;
  }

  get stats(): Readonly<FileStoreStats> {
    return { ...this.counters };
  }

  append(streamId: string, events: readonly HistoryEvent[], options: AppendOptions): Promise<number> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused);
    const expected = options.expectedRevision;
    if (expected !== 'any' && expected !== (this.streams.get(streamId)?.revision ?? 0) && !this.writing) {
      // The caller may know of another process's append that we have not read yet.
      try {
        this.catchUp(false);
      } catch {
        // checked again under the lock when the group is written
      }
    }
    let stream = this.streams.get(streamId);
    const actual = stream ? stream.revision : 0;
    if (expected !== 'any' && expected !== actual) return this.retried(streamId, stream, events, expected, actual);
    if (events.length === 0) {
      const last = stream?.pending[stream.pending.length - 1];
      return last ? last.group.done.then(() => actual) : Promise.resolve(actual);
    }
    let encoded;
    try {
      encoded = encodeEvents(streamId, actual, events);
    } catch (err) {
      return Promise.reject(err);
    }
    if (!stream) this.streams.set(streamId, (stream = { revision: 0, durable: 0, batches: [], pending: [] }));
    const group = this.openGroup();
    const batch: PendingBatch = { startRevision: actual, count: events.length, events, group };
    stream.pending.push(batch);
    stream.revision = actual + events.length;
    group.records.push({
      kind: 'events', chunks: encoded.chunks, length: encoded.length, streamId, batch,
      encoding: encoded.encoding, payloadStart: encoded.payloadStart, payloadLength: encoded.payloadLength,
    });
    group.bytes += encoded.length;
    group.events = true;
    this.counters.appends++;
    this.scheduleFlush();
    const revision = stream.revision;
    return group.done.then(() => {
      if (batch.rejected) throw batch.rejected;
      return revision;
    });
  }

  /**
   * A mismatch is a success when the events at the expected place carry the same ids: the
   * retry of an append that went through. Deciding so writes nothing, so it may wait on a read.
   */
  private async retried(streamId: string, stream: StreamState | undefined, events: readonly HistoryEvent[], expected: number, actual: number): Promise<number> {
    const end = expected + events.length;
    if (!stream || events.length === 0 || !Number.isInteger(expected) || expected < 0 || end > actual) {
      throw new WrongExpectedRevisionError(streamId, expected, actual);
    }
    // Take the not yet durable part now: it leaves memory once its group is synced.
    const durableEnd = Math.min(end, stream.durable);
    const pendingEvents: HistoryEvent[] = [];
    let lastPending: PendingBatch | undefined;
    for (const p of stream.pending) {
      for (let k = 0; k < p.count; k++) {
        const r = p.startRevision + k;
        if (r >= Math.max(expected, durableEnd) && r < end) {
          pendingEvents.push(p.events[k]!);
          lastPending = p;
        }
      }
    }
    const durable = expected < durableEnd ? await this.readDurable(stream, expected, durableEnd) : [];
    const stored = [...durable, ...pendingEvents];
    if (stored.length !== events.length || stored.some((e, i) => !isSameEvent(e, events[i]!))) throw new WrongExpectedRevisionError(streamId, expected, actual);
    if (lastPending) await lastPending.group.done;
    return end;
  }

  async read(streamId: string, options?: ReadOptions): Promise<HistoryEvent[]> {
    const refused = this.refusal();
    if (refused) throw refused;
    await this.refresh();
    const stream = this.streams.get(streamId);
    const { first, count, step } = readRange(stream?.durable ?? 0, options);
    if (!stream || count === 0) return [];
    if (step === 1) return this.readDurable(stream, first, first + count);
    return (await this.readDurable(stream, first - count + 1, first + 1)).reverse();
  }

  async revision(streamId: string): Promise<number> {
    const refused = this.refusal();
    if (refused) throw refused;
    await this.refresh();
    return this.streams.get(streamId)?.durable ?? 0;
  }

  putMetadata(metadata: ExecutionMetadata): Promise<void> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused);
    const { extra, ...meta } = metadata;
    let encoded;
    try {
      encoded = encodeMetadata(meta, extra);
    } catch (err) {
      return Promise.reject(err);
    }
    const group = this.openGroup();
    group.records.push({
      kind: 'metadata', chunks: [encoded.record], length: encoded.record.length, meta, extraStart: encoded.extraStart, extraLength: encoded.extraLength,
    });
    group.bytes += encoded.record.length;
    this.scheduleFlush();
    return group.done;
  }

  /** See {@link EventStore.holdsSync}: what this process has read of the log so far. */
  holdsSync(streamId: string): boolean {
    return this.streams.has(streamId) || this.metadata.has(streamId);
  }

  async getMetadata(executionArn: string): Promise<ExecutionMetadata | undefined> {
    const refused = this.refusal();
    if (refused) throw refused;
    await this.refresh();
    const row = this.metadata.get(executionArn);
    if (!row) return undefined;
    if (!row.extra) return { ...row.meta };
    const [bytes] = await this.readBytes([row.extra]);
    return { ...row.meta, extra: this.parse<JsonValue>(bytes!.toString('utf8'), row.extra) };
  }

  async list(filter?: ListFilter): Promise<ExecutionPage> {
    const refused = this.refusal();
    if (refused) throw refused;
    await this.refresh();
    return pageOf(metas(this.metadata.values()), filter);
  }

  subscribe(streamId: string, options: SubscribeOptions = {}): Observable<StoredStreamEvent> {
    return catchUpThenLive(this.fanout, {
      from: options.fromRevision ?? 0,
      head: () => this.streams.get(streamId)?.durable ?? 0,
      seqOf: (e) => e.revision,
      accepts: (e) => e.streamId === streamId,
      readFrom: (next) => {
        const batches = this.streams.get(streamId)?.batches ?? [];
        return this.readStored(batches, lastAtOrBefore(batches, next, (b) => b.startRevision));
      },
    });
  }

  subscribeAll(options: SubscribeAllOptions = {}): Observable<StoredStreamEvent> {
    return catchUpThenLive(this.fanout, {
      from: options.fromPosition ?? 0,
      head: () => this.durablePosition,
      seqOf: (e) => e.position,
      accepts: () => true,
      readFrom: (next) => this.readStored(this.batches, lastAtOrBefore(this.batches, next, (b) => b.position)),
    });
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.idle();
      await Promise.allSettled([...this.reads]);
      this.lock.close();
      clearInterval(this.poll);
      this.fanout.complete();
      await this.fh.close();
    })();
    return this.closing;
  }

  /** Indexes one record of a committed group found in the file (on open, or another writer's). */
  private applyScanned(record: ScannedRecord, published: StoredStreamEvent[] | undefined): void {
    if (record.kind === 'metadata') {
      const previous = this.metadata.get(record.base.executionArn);
      this.metadata.set(record.base.executionArn, { meta: record.base, extra: record.extra ?? previous?.extra });
      return;
    }
    let stream = this.streams.get(record.streamId);
    if (!stream) this.streams.set(record.streamId, (stream = { revision: 0, durable: 0, batches: [], pending: [] }));
    if (record.startRevision !== stream.durable) {
      throw new StepwiseError(
        StoreErrorCodes.corrupted,
        `The event log ${this.file} is inconsistent at byte ${record.offset} (record ${record.ordinal}): it appends to stream '${record.streamId}' at revision ${record.startRevision}, but the stream is at revision ${stream.durable} there.`,
        { file: this.file, offset: record.offset, record: record.ordinal },
      );
    }
    const batch: DurableBatch = {
      streamId: record.streamId, startRevision: record.startRevision, count: record.count, position: this.durablePosition,
      encoding: record.encoding, payload: { offset: record.payloadOffset, length: record.payloadLength },
    };
    stream.batches.push(batch);
    this.batches.push(batch);
    stream.durable = record.startRevision + record.count;
    // Our own appends still pending on this stream now expect a revision it has passed: they fail under the lock.
    stream.revision = stream.durable + pendingCount(stream);
    this.durablePosition = batch.position + record.count;
    if (published) {
      const events = this.decode(batch, this.readSyncBytes(batch.payload));
      for (const e of storedEvents(batch.streamId, events, batch.startRevision, batch.position)) published.push(e);
    }
  }

  private readSyncBytes(at: Location): Buffer {
    const buffer = Buffer.allocUnsafe(at.length);
    let done = 0;
    while (done < at.length) {
      const n = readSync(this.fh.fd, buffer, done, at.length - done, at.offset + done);
      if (n === 0) throw new StepwiseError(StoreErrorCodes.corrupted, `The event log ${this.file} ends before byte ${at.offset + at.length}.`);
      done += n;
    }
    return buffer;
  }

  private refusal(): StepwiseError | undefined {
    if (this.failure) return this.failure;
    if (this.closing) return new StepwiseError(StoreErrorCodes.unavailable, `The event store at ${this.file} is closed.`);
    return undefined;
  }

  private openGroup(): Group {
    const last = this.queue[this.queue.length - 1];
    if (last && this.groupCommit && last.bytes < MAX_GROUP_BYTES) return last;
    let resolve!: () => void;
    let reject!: (err: unknown) => void;
    const done = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // Callers that drop the promise (a status update fired and forgotten) must not crash the process.
    done.catch(() => undefined);
    const group: Group = { records: [], events: false, bytes: 0, done, resolve, reject };
    this.queue.push(group);
    return group;
  }

  private scheduleFlush(): void {
    if (this.flushing) return;
    this.flushing = true;
    // A microtask, not at once: appends made in the same turn join the first group.
    queueMicrotask(() => void this.flushLoop());
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.queue.length > 0 && !this.failure) {
        let kept: boolean;
        try {
          kept = await this.lock.acquire();
        } catch (err) {
          // Nothing was written: the store stays sound, only this group is refused.
          this.drop(this.queue.shift()!, err);
          continue;
        }
        if (!this.queue[0]!.events) {
          // Metadata alone (an execution's listing going from RUNNING to its end) is on nobody's
          // critical path: it waits one turn of the event loop, holding the lock, so that what is
          // appended meanwhile (the next execution's start) shares its write and its sync.
          await new Promise<void>((r) => setImmediate(r));
        }
        // Taking the group out of the queue closes it: appends from now on open the next one.
        const group = this.queue.shift()!;
        this.writing = true;
        try {
          let start: number;
          try {
            // A lock kept since our last write means nobody else has appended since.
            if (!kept) this.catchUp(true);
            start = await this.write(group);
          } catch (err) {
            this.fail(err, group);
            break;
          }
          this.commit(group, start);
        } finally {
          this.writing = false;
          this.lock.release();
        }
      }
    } finally {
      this.flushing = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  /**
   * Checks the group's appends against the streams as they now are (other writers included),
   * marks those that no longer fit, writes and syncs the rest with a commit record; returns
   * the byte it starts at.
   */
  private async write(group: Group): Promise<number> {
    const start = this.size;
    const next = new Map<string, number>();
    const chunks: Buffer[] = [];
    let records = 0;
    let length = 0;
    for (const record of group.records) {
      if (record.kind === 'events') {
        const at = next.get(record.streamId) ?? this.streams.get(record.streamId)!.durable;
        if (record.batch.startRevision !== at) {
          record.batch.rejected = new WrongExpectedRevisionError(record.streamId, record.batch.startRevision, at);
          continue;
        }
        next.set(record.streamId, at + record.batch.count);
      }
      for (const chunk of record.chunks) chunks.push(chunk);
      records++;
      length += record.length;
    }
    if (records === 0) return start;
    const commit = encodeCommit(start, records);
    chunks.push(commit);
    length += commit.length;
    // Written synchronously (it only reaches the page cache, a few µs for a group), in one
    // gathering write that copies nothing; only the sync waits on the disk.
    writeChunks(this.fh.fd, chunks, length, start);
    const end = start + length;
    if (end > this.fileSize) {
      // The sync below makes the zeros and the file's new size durable with the group.
      writeFully(this.fh.fd, (zeros ??= Buffer.alloc(PREALLOCATE_BYTES)), end);
      this.fileSize = end + PREALLOCATE_BYTES;
    }
    if (this.sync) {
      if (this.blocksOnSync()) {
        fdatasyncSync(this.fh.fd);
        this.counters.blockingSyncs++;
      } else {
        await this.fh.datasync();
        this.syncOverlappedNothing = this.queue.length === 0;
      }
      this.counters.syncs++;
    }
    this.size = end;
    this.counters.groups++;
    this.counters.bytes += length;
    return start;
  }

  private blocksOnSync(): boolean {
    if (this.syncWait !== 'auto') return this.syncWait === 'blocking';
    if (!this.syncOverlappedNothing) return false;
    if (++this.blockingSinceProbe < PROBE_EVERY) return true;
    this.blockingSinceProbe = 0;
    return false;
  }

  /** Makes a synced group readable and publishes it in one step: subscriptions rely on that. */
  private commit(group: Group, start: number): void {
    let offset = start;
    const published: StoredStreamEvent[] = [];
    const observed = this.fanout.observed;
    for (const record of group.records) {
      if (record.kind === 'events') {
        const { batch, streamId } = record;
        const stream = this.streams.get(streamId)!;
        stream.pending.shift();
        if (batch.rejected) {
          stream.revision = stream.durable + pendingCount(stream);
          continue;
        }
        const position = this.durablePosition;
        const durable: DurableBatch = {
          streamId, startRevision: batch.startRevision, count: batch.count, position,
          encoding: record.encoding, payload: { offset: offset + record.payloadStart, length: record.payloadLength },
        };
        stream.batches.push(durable);
        this.batches.push(durable);
        stream.durable = batch.startRevision + batch.count;
        this.durablePosition = position + batch.count;
        if (observed) for (const e of storedEvents(streamId, batch.events, batch.startRevision, position)) published.push(e);
      } else {
        const previous = this.metadata.get(record.meta.executionArn);
        const extra = record.extraStart === undefined ? previous?.extra : { offset: offset + record.extraStart, length: record.extraLength! };
        this.metadata.set(record.meta.executionArn, { meta: record.meta, extra });
      }
      offset += record.length;
    }
    group.resolve();
    this.fanout.publish(published);
  }

  /** A group refused before anything of it was written: its appends are forgotten. */
  private drop(group: Group, err: unknown): void {
    for (const record of group.records) {
      if (record.kind !== 'events') continue;
      const stream = this.streams.get(record.streamId)!;
      stream.pending.splice(stream.pending.indexOf(record.batch), 1);
      stream.revision = stream.durable + pendingCount(stream);
    }
    group.reject(err);
  }

  /** After a failed write the index no longer matches the file: refuse everything from here on. */
  private fail(err: unknown, group: Group): void {
    this.failure = new StepwiseError(
      StoreErrorCodes.unavailable,
      `Writing the event log ${this.file} failed (${err instanceof Error ? err.message : String(err)}); the store accepts nothing more. ` +
        'Close and reopen it: appends that were not acknowledged are cut on open.',
      err,
    );
    group.reject(this.failure);
    for (const g of this.queue.splice(0)) g.reject(this.failure);
  }

  private idle(): Promise<void> {
    if (!this.flushing) return Promise.resolve();
    return new Promise((res) => this.idleWaiters.push(res));
  }

  /** Durable events [from, to) of a stream, in order. */
  private async readDurable(stream: StreamState, from: number, to: number): Promise<HistoryEvent[]> {
    const wanted: DurableBatch[] = [];
    for (let i = Math.max(lastAtOrBefore(stream.batches, from, (b) => b.startRevision), 0); i < stream.batches.length; i++) {
      const b = stream.batches[i]!;
      if (b.startRevision >= to) break;
      wanted.push(b);
    }
    const decoded = await this.readBatches(wanted);
    const out: HistoryEvent[] = [];
    for (let i = 0; i < wanted.length; i++) {
      const b = wanted[i]!;
      const events = decoded[i]!;
      for (let k = Math.max(from - b.startRevision, 0); k < b.count && b.startRevision + k < to; k++) out.push(events[k]!);
    }
    return out;
  }

  /** A chunk of stored events for a subscription, from batch `index` on. */
  private async readStored(batches: readonly DurableBatch[], index: number): Promise<StoredStreamEvent[]> {
    if (index < 0) index = 0;
    const wanted = batches.slice(index, index + CATCH_UP_BATCHES);
    const decoded = await this.readBatches(wanted);
    const out: StoredStreamEvent[] = [];
    for (let i = 0; i < wanted.length; i++) {
      const b = wanted[i]!;
      for (const e of storedEvents(b.streamId, decoded[i]!, b.startRevision, b.position)) out.push(e);
    }
    return out;
  }

  private async readBatches(batches: readonly DurableBatch[]): Promise<HistoryEvent[][]> {
    const payloads = await this.readBytes(batches.map((b) => b.payload));
    return payloads.map((bytes, i) => this.decode(batches[i]!, bytes));
  }

  private decode(b: DurableBatch, bytes: Buffer): HistoryEvent[] {
    let events: HistoryEvent[];
    try {
      events = decodeEvents(bytes, b.encoding);
    } catch (err) {
      throw new StepwiseError(StoreErrorCodes.corrupted, `The event log ${this.file} holds events that do not decode at byte ${b.payload.offset}: ${(err as Error).message}`);
    }
    if (events.length !== b.count) {
      throw new StepwiseError(StoreErrorCodes.corrupted, `The event log ${this.file} changed under the store: byte ${b.payload.offset} no longer holds ${b.count} events of '${b.streamId}'.`);
    }
    return events;
  }

  /** The bytes at the given places, reading neighbouring places with one read. */
  private readBytes(locations: readonly Location[]): Promise<Buffer[]> {
    const read = (async () => {
      const out = new Array<Buffer>(locations.length);
      let i = 0;
      while (i < locations.length) {
        const start = locations[i]!.offset;
        let end = start + locations[i]!.length;
        let j = i + 1;
        while (j < locations.length) {
          const next = locations[j]!;
          if (next.offset < end || next.offset - end > READ_GAP || next.offset + next.length - start > READ_SPAN) break;
          end = next.offset + next.length;
          j++;
        }
        const buffer = Buffer.allocUnsafe(end - start);
        // A small read is done on this thread: a trip through the thread pool costs more than
        // it (most often from the page cache), and a resume reads each execution's events in turn.
        const inline = buffer.length <= INLINE_READ_BYTES;
        let done = 0;
        while (done < buffer.length) {
          const bytesRead = inline
            ? readSync(this.fh.fd, buffer, done, buffer.length - done, start + done)
            : (await this.fh.read(buffer, done, buffer.length - done, start + done)).bytesRead;
          if (bytesRead === 0) throw new StepwiseError(StoreErrorCodes.corrupted, `The event log ${this.file} ends before byte ${end}; was it truncated while open?`);
          done += bytesRead;
        }
        for (let k = i; k < j; k++) out[k] = buffer.subarray(locations[k]!.offset - start, locations[k]!.offset - start + locations[k]!.length);
        i = j;
      }
      return out;
    })();
    this.reads.add(read);
    const forget = (): void => void this.reads.delete(read);
    read.then(forget, forget);
    return read;
  }

  private parse<T>(text: string, at: Location): T {
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new StepwiseError(StoreErrorCodes.corrupted, `The event log ${this.file} holds invalid JSON at byte ${at.offset}: ${(err as Error).message}`);
    }
  }
}

function* metas(rows: Iterable<MetadataRow>): Iterable<ExecutionMetadata> {
  for (const row of rows) yield row.meta;
}

/**
 * Opens (creating if need be) the embedded durable store in `dir`: `events.log` holds every
 * append and metadata update; `LOCK` exists while one writer appends (kept until the event
 * loop's next turn, so that back-to-back groups take it once). Several
 * processes may open the same directory. Opening checks every record:
 * the torn tail of an interrupted write is cut (see `recovery`), any other damage refuses to
 * open with the file, byte offset and reason.
 *
 * @example
 * const store = await openFileEventStore('.stepwise');
 * const runtime = createRuntime({ store });
 */
export function openFileEventStore(dir: string = DEFAULT_STORE_DIR, options: FileEventStoreOptions = {}): Promise<FileEventStore> {
  return FileEventStore.open(dir, options);
}

/** So that a new log file's directory entry survives a crash along with its contents. */
async function syncDirectory(dir: string): Promise<void> {
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } catch {
    // Some file systems cannot sync a directory; the file's own syncs are what they offer.
  } finally {
    await d.close();
  }
}

function writeChunks(fd: number, chunks: Buffer[], length: number, at: number): void {
  const written = writevSync(fd, chunks, at);
  if (written === length) return;
  // A short write (rare on a local file): the rest in one piece.
  writeFully(fd, Buffer.concat(chunks).subarray(written), at + written);
}

function writeFully(fd: number, buffer: Buffer, at: number): void {
  let written = 0;
  while (written < buffer.length) written += writeSync(fd, buffer, written, buffer.length - written, at + written);
}

/** True when no record starts at `offset`: the file ends there, or only zeros written ahead do. */
function unwrittenAt(fd: number, offset: number): boolean {
  const header = Buffer.alloc(HEADER_SIZE);
  const n = readSync(fd, header, 0, HEADER_SIZE, offset);
  return isZero(header.subarray(0, n));
}

function pendingCount(stream: StreamState): number {
  let n = 0;
  for (const p of stream.pending) n += p.count;
  return n;
}
