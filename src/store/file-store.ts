import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Observable } from 'rxjs';
import type { JsonValue } from '../asl/json-value.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import type { HistoryEvent } from '../execution/history-event.js';
import {
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
import { pageOf } from './list-page.js';
import { encodeCommit, encodeEvents, encodeMetadata, scanLog, type ScannedRecord, type TornTail } from './log-format.js';
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
  bytes: number;
}

interface Location {
  offset: number;
  length: number;
}

/** A durable append: where its JSON sits in the log. */
interface DurableBatch {
  streamId: string;
  startRevision: number;
  count: number;
  position: number;
  json: Location;
}

/** An accepted append waiting for its group to be synced. */
interface PendingBatch {
  startRevision: number;
  count: number;
  position: number;
  events: readonly HistoryEvent[];
  group: Group;
}

interface StreamState {
  /** Including accepted, not yet durable appends: what the next append is checked against. */
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
  | { kind: 'events'; buffer: Buffer; streamId: string; batch: PendingBatch; jsonStart: number; jsonLength: number }
  | { kind: 'metadata'; buffer: Buffer; meta: ExecutionMetadata; extraStart?: number; extraLength?: number };

interface Group {
  records: GroupRecord[];
  bytes: number;
  done: Promise<void>;
  resolve: () => void;
  reject: (err: unknown) => void;
}

const CATCH_UP_BATCHES = 256;
/** A group stops taking appends at this size, so a burst cannot make one write unbounded. */
const MAX_GROUP_BYTES = 16 << 20;
/** Reads of neighbouring batches merge into one when the gap between them is at most this. */
const READ_GAP = 64 << 10;
const READ_SPAN = 8 << 20;

/** Directories this process holds, so a second open here is refused like one from elsewhere. */
const heldLocks = new Set<string>();

/**
 * The embedded durable store: one append-only log in one directory, checked on open and
 * indexed in memory. Open it with {@link openFileEventStore}.
 */
export class FileEventStore implements EventStore {
  /** Set when opening cut a torn tail off the log. */
  recovery: StoreRecovery | undefined = undefined;
  readonly file: string;
  private readonly fh: FileHandle;
  private readonly releaseLock: () => void;
  private readonly groupCommit: boolean;
  private readonly sync: boolean;
  private size = 0;
  private readonly streams = new Map<string, StreamState>();
  private readonly batches: DurableBatch[] = [];
  private readonly metadata = new Map<string, MetadataRow>();
  private nextPosition = 0;
  private durablePosition = 0;
  private readonly fanout = new EventFanout();
  private readonly queue: Group[] = [];
  private flushing = false;
  private idleWaiters: (() => void)[] = [];
  private readonly reads = new Set<Promise<unknown>>();
  private failure: StepwiseError | undefined;
  private closing: Promise<void> | undefined;
  private readonly counters: FileStoreStats = { appends: 0, groups: 0, syncs: 0, bytes: 0 };

  /** @see openFileEventStore */
  static async open(dir: string, options: FileEventStoreOptions): Promise<FileEventStore> {
    await mkdir(dir, { recursive: true });
    const releaseLock = acquireLock(dir);
    const file = join(dir, LOG_FILE);
    let fh: FileHandle | undefined;
    try {
      let created = false;
      try {
        fh = await open(file, 'r+');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        fh = await open(file, 'wx+');
        created = true;
      }
      if (created) await syncDirectory(dir);
      const store = new FileEventStore(file, fh, releaseLock, options);
      const scan = scanLog(file, fh.fd, (await fh.stat()).size, (record) => store.applyScanned(record));
      if (scan.torn) {
        await fh.truncate(scan.end);
        await fh.sync();
        store.recovery = { file, ...scan.torn };
      }
      store.size = scan.end;
      return store;
    } catch (err) {
      await fh?.close().catch(() => undefined);
      releaseLock();
      throw err;
    }
  }

  private constructor(file: string, fh: FileHandle, releaseLock: () => void, options: FileEventStoreOptions) {
    this.file = file;
    this.fh = fh;
    this.releaseLock = releaseLock;
    this.groupCommit = options.groupCommit ?? true;
    this.sync = options.sync ?? true;
  }

  get stats(): Readonly<FileStoreStats> {
    return { ...this.counters };
  }

  append(streamId: string, events: readonly HistoryEvent[], options: AppendOptions): Promise<number> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused);
    let stream = this.streams.get(streamId);
    const actual = stream ? stream.revision : 0;
    const expected = options.expectedRevision;
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
    const batch: PendingBatch = { startRevision: actual, count: events.length, position: this.nextPosition, events, group };
    stream.pending.push(batch);
    stream.revision = actual + events.length;
    this.nextPosition += events.length;
    group.records.push({ kind: 'events', buffer: encoded.record, streamId, batch, jsonStart: encoded.jsonStart, jsonLength: encoded.jsonLength });
    group.bytes += encoded.record.length;
    this.counters.appends++;
    this.scheduleFlush();
    const revision = stream.revision;
    return group.done.then(() => revision);
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
    const pendingIds: number[] = [];
    let lastPending: PendingBatch | undefined;
    for (const p of stream.pending) {
      for (let k = 0; k < p.count; k++) {
        const r = p.startRevision + k;
        if (r >= Math.max(expected, durableEnd) && r < end) {
          pendingIds.push(p.events[k]!.id);
          lastPending = p;
        }
      }
    }
    const durable = expected < durableEnd ? await this.readDurable(stream, expected, durableEnd) : [];
    const ids = [...durable.map((e) => e.id), ...pendingIds];
    if (ids.length !== events.length || ids.some((id, i) => id !== events[i]!.id)) throw new WrongExpectedRevisionError(streamId, expected, actual);
    if (lastPending) await lastPending.group.done;
    return end;
  }

  async read(streamId: string, options?: ReadOptions): Promise<HistoryEvent[]> {
    const refused = this.refusal();
    if (refused) throw refused;
    const stream = this.streams.get(streamId);
    const { first, count, step } = readRange(stream?.durable ?? 0, options);
    if (!stream || count === 0) return [];
    if (step === 1) return this.readDurable(stream, first, first + count);
    return (await this.readDurable(stream, first - count + 1, first + 1)).reverse();
  }

  async revision(streamId: string): Promise<number> {
    const refused = this.refusal();
    if (refused) throw refused;
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
    group.records.push({ kind: 'metadata', buffer: encoded.record, meta, extraStart: encoded.extraStart, extraLength: encoded.extraLength });
    group.bytes += encoded.record.length;
    this.scheduleFlush();
    return group.done;
  }

  async getMetadata(executionArn: string): Promise<ExecutionMetadata | undefined> {
    const refused = this.refusal();
    if (refused) throw refused;
    const row = this.metadata.get(executionArn);
    if (!row) return undefined;
    if (!row.extra) return { ...row.meta };
    const [text] = await this.readTexts([row.extra]);
    return { ...row.meta, extra: this.parse<JsonValue>(text!, row.extra) };
  }

  async list(filter?: ListFilter): Promise<ExecutionPage> {
    const refused = this.refusal();
    if (refused) throw refused;
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
      this.fanout.complete();
      try {
        await this.fh.close();
      } finally {
        this.releaseLock();
      }
    })();
    return this.closing;
  }

  /** Builds the index from one record of a committed group, on open. */
  private applyScanned(record: ScannedRecord): void {
    if (record.kind === 'metadata') {
      const previous = this.metadata.get(record.base.executionArn);
      this.metadata.set(record.base.executionArn, { meta: record.base, extra: record.extra ?? previous?.extra });
      return;
    }
    let stream = this.streams.get(record.streamId);
    if (!stream) this.streams.set(record.streamId, (stream = { revision: 0, durable: 0, batches: [], pending: [] }));
    if (record.startRevision !== stream.revision) {
      throw new StepwiseError(
        StoreErrorCodes.corrupted,
        `The event log ${this.file} is inconsistent at byte ${record.offset} (record ${record.ordinal}): it appends to stream '${record.streamId}' at revision ${record.startRevision}, but the stream is at revision ${stream.revision} there.`,
        { file: this.file, offset: record.offset, record: record.ordinal },
      );
    }
    const batch: DurableBatch = {
      streamId: record.streamId, startRevision: record.startRevision, count: record.count, position: this.nextPosition,
      json: { offset: record.jsonOffset, length: record.jsonLength },
    };
    stream.batches.push(batch);
    this.batches.push(batch);
    stream.revision = stream.durable = record.startRevision + record.count;
    this.nextPosition = this.durablePosition = batch.position + record.count;
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
    const group: Group = { records: [], bytes: 0, done, resolve, reject };
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
        // Taking the group out of the queue closes it: appends from now on open the next one.
        const group = this.queue.shift()!;
        let start: number;
        try {
          start = await this.write(group);
        } catch (err) {
          this.fail(err, group);
          break;
        }
        this.commit(group, start);
      }
    } finally {
      this.flushing = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** Writes and syncs a group with its commit record; returns the byte it starts at. */
  private async write(group: Group): Promise<number> {
    const start = this.size;
    const parts = group.records.map((r) => r.buffer);
    parts.push(encodeCommit(start, group.records.length));
    const buffer = Buffer.concat(parts);
    let written = 0;
    while (written < buffer.length) {
      const { bytesWritten } = await this.fh.write(buffer, written, buffer.length - written, start + written);
      written += bytesWritten;
    }
    if (this.sync) {
      await this.fh.datasync();
      this.counters.syncs++;
    }
    this.size = start + buffer.length;
    this.counters.groups++;
    this.counters.bytes += buffer.length;
    return start;
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
        const durable: DurableBatch = {
          streamId, startRevision: batch.startRevision, count: batch.count, position: batch.position,
          json: { offset: offset + record.jsonStart, length: record.jsonLength },
        };
        stream.batches.push(durable);
        this.batches.push(durable);
        stream.durable = batch.startRevision + batch.count;
        this.durablePosition = batch.position + batch.count;
        if (observed) for (const e of storedEvents(streamId, batch.events, batch.startRevision, batch.position)) published.push(e);
      } else {
        const previous = this.metadata.get(record.meta.executionArn);
        const extra = record.extraStart === undefined ? previous?.extra : { offset: offset + record.extraStart, length: record.extraLength! };
        this.metadata.set(record.meta.executionArn, { meta: record.meta, extra });
      }
      offset += record.buffer.length;
    }
    group.resolve();
    this.fanout.publish(published);
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
    const texts = await this.readTexts(batches.map((b) => b.json));
    return texts.map((text, i) => {
      const b = batches[i]!;
      const events = this.parse<HistoryEvent[]>(text, b.json);
      if (!Array.isArray(events) || events.length !== b.count) {
        throw new StepwiseError(StoreErrorCodes.corrupted, `The event log ${this.file} changed under the store: byte ${b.json.offset} no longer holds ${b.count} events of '${b.streamId}'.`);
      }
      return events;
    });
  }

  /** The texts at the given places, reading neighbouring places with one read. */
  private readTexts(locations: readonly Location[]): Promise<string[]> {
    const read = (async () => {
      const texts = new Array<string>(locations.length);
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
        let done = 0;
        while (done < buffer.length) {
          const { bytesRead } = await this.fh.read(buffer, done, buffer.length - done, start + done);
          if (bytesRead === 0) throw new StepwiseError(StoreErrorCodes.corrupted, `The event log ${this.file} ends before byte ${end}; was it truncated while open?`);
          done += bytesRead;
        }
        for (let k = i; k < j; k++) texts[k] = buffer.toString('utf8', locations[k]!.offset - start, locations[k]!.offset - start + locations[k]!.length);
        i = j;
      }
      return texts;
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
 * append and metadata update; `LOCK` keeps a second process out. Opening checks every record:
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

function acquireLock(dir: string): () => void {
  const path = resolve(dir, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      try {
        writeSync(fd, String(process.pid));
      } finally {
        closeSync(fd);
      }
      heldLocks.add(path);
      return () => {
        if (!heldLocks.delete(path)) return;
        try {
          unlinkSync(path);
        } catch {
          // already gone: nothing to release
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
      let holder = NaN;
      try {
        holder = Number(readFileSync(path, 'utf8').trim());
      } catch {
        // unreadable: treated as stale below
      }
      if (isAlive(holder, path)) {
        throw new StepwiseError(
          StoreErrorCodes.unavailable,
          `The event store in ${dir} is open in ${holder === process.pid ? 'this process already' : `another process (pid ${holder})`}; ` +
            `close it there first. If no such process runs, delete ${path}.`,
        );
      }
      // Left by a process that died without closing (kill -9): take it over.
      unlinkSync(path);
    }
  }
}

function isAlive(pid: number, path: string): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  // A container restarts its process under the same pid: our own pid is ours only if we hold it.
  if (pid === process.pid) return heldLocks.has(path);
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
