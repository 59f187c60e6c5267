import { readSync } from 'node:fs';
import { Deserializer, Serializer } from 'node:v8';
import { StepwiseError } from '../errors/stepwise-error.js';
import type { HistoryEvent } from '../execution/history-event.js';
import { crc32 } from './crc32.js';
import { StoreErrorCodes, type ExecutionMetadata } from './event-store.js';

/*
 * The log is a sequence of groups; a group is what one disk sync made durable: its records,
 * then a commit record naming the group's first byte and record count. Every record is
 *
 *   0  u8  0xF5, u8 0x57   magic (0xF5 never occurs in UTF-8, so JSON text cannot fake it)
 *   2  u8  kind            1 events, 2 metadata, 3 commit
 *   3  u8  format version
 *   4  u32 body length
 *   8  u32 CRC-32 of the body
 *  12  u32 CRC-32 of bytes 0..11
 *  16  body
 *
 * all little-endian. The header has its own checksum so that a damaged length is caught
 * before it is trusted to find the next record.
 */

export const HEADER_SIZE = 16;
const MAGIC_0 = 0xf5;
const MAGIC_1 = 0x57;
const FORMAT_VERSION = 1;

/**
 * `events` holds a batch as JSON text; `serializedEvents` holds it in V8's serialization format
 * (node:v8), which encodes twice as fast here and writes an object that several events share
 * (a state's output is the next state's input) once, so a batch is about 40% of its JSON size.
 * Node documents the format as backward-compatible: a newer Node reads what an older one wrote.
 */
export const RecordKind = { events: 1, metadata: 2, commit: 3, serializedEvents: 4 } as const;

export type EventsEncoding = 'json' | 'v8';

const EVENTS_PREFIX = 10; // u32 start revision, u32 count, u16 stream id length
const MAX_STREAM_ID_BYTES = 0xffff;

function seal(record: Buffer, kind: number): Buffer {
  writeHeader(record, kind, record.length - HEADER_SIZE, crc32(record.subarray(HEADER_SIZE)));
  return record;
}

/** Fills the header at the start of `head`, for a body of that length and checksum. */
function writeHeader(head: Buffer, kind: number, bodyLength: number, bodyCrc: number): void {
  head[0] = MAGIC_0;
  head[1] = MAGIC_1;
  head[2] = kind;
  head[3] = FORMAT_VERSION;
  head.writeUInt32LE(bodyLength, 4);
  head.writeUInt32LE(bodyCrc, 8);
  head.writeUInt32LE(crc32(head.subarray(0, 12)), 12);
}

export interface EncodedEvents {
  /** The record in pieces, written one after the other: the encoded events are not copied. */
  chunks: Buffer[];
  length: number;
  encoding: EventsEncoding;
  /** Where the encoded events start in `record`. */
  payloadStart: number;
  payloadLength: number;
}

export function encodeEvents(streamId: string, startRevision: number, events: readonly HistoryEvent[]): EncodedEvents {
  const idLength = Buffer.byteLength(streamId, 'utf8');
  if (idLength > MAX_STREAM_ID_BYTES) {
    throw new StepwiseError('InvalidArgument', `A stream id may be at most ${MAX_STREAM_ID_BYTES} bytes long; this one has ${idLength}.`);
  }
  if (startRevision > 0xffffffff || events.length > 0xffffffff) {
    throw new StepwiseError('InvalidArgument', `Stream '${streamId}' would exceed 2^32 events.`);
  }
  const serialized = serialize(events);
  const payloadStart = HEADER_SIZE + EVENTS_PREFIX + idLength;
  let head: Buffer;
  let payload: Buffer | undefined;
  let payloadLength: number;
  if (serialized) {
    payload = serialized;
    payloadLength = payload.length;
    head = Buffer.allocUnsafe(payloadStart);
  } else {
    const json = JSON.stringify(events);
    payloadLength = Buffer.byteLength(json, 'utf8');
    head = Buffer.allocUnsafe(payloadStart + payloadLength);
    head.write(json, payloadStart, payloadLength, 'utf8');
  }
  head.writeUInt32LE(startRevision, HEADER_SIZE);
  head.writeUInt32LE(events.length, HEADER_SIZE + 4);
  head.writeUInt16LE(idLength, HEADER_SIZE + 8);
  head.write(streamId, HEADER_SIZE + EVENTS_PREFIX, idLength, 'utf8');
  const length = payloadStart + payloadLength;
  if (!payload) {
    return { chunks: [seal(head, RecordKind.events)], length, encoding: 'json', payloadStart, payloadLength };
  }
  writeHeader(head, RecordKind.serializedEvents, length - HEADER_SIZE, crc32(payload, crc32(head.subarray(HEADER_SIZE))));
  return { chunks: [head, payload], length, encoding: 'v8', payloadStart, payloadLength };
}

/**
 * The batch in V8's format, or undefined when it holds something that format refuses (a
 * function, a symbol, a Buffer): JSON then writes what JSON.stringify makes of it.
 */
function serialize(events: readonly HistoryEvent[]): Buffer | undefined {
  const serializer = new Serializer();
  serializer.writeHeader();
  try {
    serializer.writeValue(events);
  } catch {
    return undefined;
  }
  return serializer.releaseBuffer();
}

/** A batch as {@link encodeEvents} wrote it; throws when the bytes do not decode to an array. */
export function decodeEvents(payload: Buffer, encoding: EventsEncoding): HistoryEvent[] {
  let events: unknown;
  if (encoding === 'json') {
    events = JSON.parse(payload.toString('utf8'));
  } else {
    const deserializer = new Deserializer(payload);
    deserializer.readHeader();
    events = deserializer.readValue();
  }
  if (!Array.isArray(events)) throw new Error(`it holds ${typeof events}, not a list of events`);
  return events as HistoryEvent[];
}

export interface EncodedMetadata {
  record: Buffer;
  /** Where `extra`'s JSON text starts in `record`, when the metadata has one. */
  extraStart?: number;
  extraLength?: number;
}

/** The metadata without `extra` first, so that opening the log need not parse `extra`. */
export function encodeMetadata(base: ExecutionMetadata, extra: unknown): EncodedMetadata {
  const baseJson = JSON.stringify(base);
  const baseLength = Buffer.byteLength(baseJson, 'utf8');
  const extraJson = extra === undefined ? undefined : JSON.stringify(extra);
  const extraLength = extraJson === undefined ? 0 : Buffer.byteLength(extraJson, 'utf8');
  const extraStart = HEADER_SIZE + 4 + baseLength;
  const record = Buffer.allocUnsafe(extraStart + extraLength);
  record.writeUInt32LE(baseLength, HEADER_SIZE);
  record.write(baseJson, HEADER_SIZE + 4, baseLength, 'utf8');
  if (extraJson !== undefined) record.write(extraJson, extraStart, extraLength, 'utf8');
  seal(record, RecordKind.metadata);
  return extraJson === undefined ? { record } : { record, extraStart, extraLength };
}

export function encodeCommit(groupStart: number, recordCount: number): Buffer {
  const record = Buffer.allocUnsafe(HEADER_SIZE + 12);
  record.writeDoubleLE(groupStart, HEADER_SIZE);
  record.writeUInt32LE(recordCount, HEADER_SIZE + 8);
  return seal(record, RecordKind.commit);
}

/** An events record found on open. Offsets are the file's. */
export interface ScannedEvents {
  kind: 'events';
  offset: number;
  ordinal: number;
  streamId: string;
  startRevision: number;
  count: number;
  encoding: EventsEncoding;
  payloadOffset: number;
  payloadLength: number;
}

export interface ScannedMetadata {
  kind: 'metadata';
  offset: number;
  ordinal: number;
  base: ExecutionMetadata;
  extra?: { offset: number; length: number };
}

export type ScannedRecord = ScannedEvents | ScannedMetadata;

/** The cut made on open: the group that an interrupted write left incomplete. */
export interface TornTail {
  /** The byte the log was cut at (the torn group's first byte). */
  offset: number;
  droppedBytes: number;
  reason: string;
}

export interface ScanResult {
  /** Where the intact log ends: the file's size, where zeros written ahead start, or where a torn tail starts. */
  end: number;
  torn?: TornTail;
}

const WINDOW = 4 << 20;

/** Reads a file through a window of a few megabytes, so scanning a large log is sequential. */
class FileWindow {
  private buffer = Buffer.alloc(0);
  private start = 0;

  constructor(private readonly fd: number, readonly size: number) {}

  /** Bytes [offset, offset + length), or undefined when the file ends first. */
  get(offset: number, length: number): Buffer | undefined {
    if (offset + length > this.size) return undefined;
    if (offset < this.start || offset + length > this.start + this.buffer.length) {
      const want = Math.min(Math.max(length, WINDOW), this.size - offset);
      const buffer = Buffer.allocUnsafe(want);
      let done = 0;
      while (done < want) {
        const n = readSync(this.fd, buffer, done, want - done, offset + done);
        if (n === 0) throw new Error(`unexpected end of file at byte ${offset + done}`);
        done += n;
      }
      this.buffer = buffer;
      this.start = offset;
    }
    return this.buffer.subarray(offset - this.start, offset - this.start + length);
  }
}

type Parsed =
  | { ok: true; kind: number; body: Buffer; bodyOffset: number; end: number }
  | { ok: false; reason: string; unwritten?: true };

export function isZero(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

/**
 * Scans the log from byte `from` (the start of a group), checking every checksum, and hands each record of every committed group
 * to `apply`, in order. A bad record with no committed group after it is the torn tail of an
 * interrupted write: the result says where to cut. One with a committed group after it is
 * damage to acknowledged data: that throws, and the file is left as it is.
 */
export function scanLog(
  file: string, fd: number, size: number, apply: (record: ScannedRecord) => void, from = 0, onGroupEnd?: (end: number) => void,
): ScanResult {
  const window = new FileWindow(fd, size);
  let pos = from;
  let groupStart = from;
  let ordinal = 0;
  let group: ScannedRecord[] = [];

  const corrupted = (offset: number, recordOrdinal: number, reason: string): StepwiseError =>
    new StepwiseError(
      StoreErrorCodes.corrupted,
      `The event log ${file} is corrupted at byte ${offset} (record ${recordOrdinal}): ${reason}. ` +
        'Records after it are intact, so this is not an interrupted write; the store refuses to open rather than drop them. ' +
        `Restore the file from a backup, or keep only what precedes byte ${offset} by truncating the file there.`,
      { file, offset, record: recordOrdinal, reason },
    );

  const tornOrCorrupted = (offset: number, recordOrdinal: number, reason: string): ScanResult => {
    const later = findCommit(window, offset + 1);
    // The torn group's own commit may have reached the disk before its other pages did; any
    // other commit after the damage means acknowledged data follows it.
    if (later && !(later.groupStart === groupStart && !findCommit(window, later.end))) throw corrupted(offset, recordOrdinal, reason);
    return { end: groupStart, torn: { offset: groupStart, droppedBytes: size - groupStart, reason: `byte ${offset} (record ${recordOrdinal}): ${reason}` } };
  };

  if (from === 0 && size > 0) {
    // Every log starts with a record header, written before anything else of it: bytes there
    // that are neither zeros nor its magic, with no commit record anywhere after them, were
    // never a Stepwise log's (damage to one is refused below), and cutting them as a torn tail
    // would destroy a file that is not the store's.
    const head = window.get(0, Math.min(2, size))!;
    if (!isZero(head) && (head[0] !== MAGIC_0 || (head.length > 1 && head[1] !== MAGIC_1)) && !findCommit(window, 0)) {
      throw new StepwiseError(
        StoreErrorCodes.corrupted,
        `The file ${file} is not a Stepwise event log: it does not start with a record header (its first bytes are ${JSON.stringify(head.toString('latin1'))}). ` +
          'The store refuses to open it rather than cut it. Point --store at another directory, or move the file away if it is not needed.',
        { file, offset: 0, record: 1, reason: 'not a Stepwise event log' },
      );
    }
  }

  while (pos < size) {
    ordinal++;
    const parsed = parseAt(window, pos);
    if (!parsed.ok && parsed.unwritten && group.length === 0) {
      // Zeros written ahead of the log (or left by a file system after a power loss): the log
      // ends here, unless acknowledged data follows them.
      if (findCommit(window, pos)) throw corrupted(pos, ordinal, 'zeros stand where a record should start, and committed records follow them');
      return { end: pos };
    }
    if (!parsed.ok) return tornOrCorrupted(pos, ordinal, parsed.reason);
    const { kind, body, bodyOffset } = parsed;
    if (kind === RecordKind.commit) {
      const start = body.length === 12 ? body.readDoubleLE(0) : -1;
      const count = body.length === 12 ? body.readUInt32LE(8) : -1;
      if (start !== groupStart || count !== group.length) {
        return tornOrCorrupted(pos, ordinal, `its commit record names a group of ${count} records at byte ${start}, not the ${group.length} records at byte ${groupStart} before it`);
      }
      for (const record of group) apply(record);
      group = [];
      groupStart = parsed.end;
      onGroupEnd?.(groupStart);
    } else if (kind === RecordKind.events || kind === RecordKind.serializedEvents) {
      const idLength = body.length >= EVENTS_PREFIX ? body.readUInt16LE(8) : Infinity;
      if (EVENTS_PREFIX + idLength > body.length) throw corrupted(pos, ordinal, 'an events record is too short for its stream id');
      group.push({
        kind: 'events', offset: pos, ordinal,
        startRevision: body.readUInt32LE(0), count: body.readUInt32LE(4),
        streamId: body.toString('utf8', EVENTS_PREFIX, EVENTS_PREFIX + idLength),
        encoding: kind === RecordKind.events ? 'json' : 'v8',
        payloadOffset: bodyOffset + EVENTS_PREFIX + idLength, payloadLength: body.length - EVENTS_PREFIX - idLength,
      });
    } else if (kind === RecordKind.metadata) {
      const baseLength = body.length >= 4 ? body.readUInt32LE(0) : Infinity;
      if (4 + baseLength > body.length) throw corrupted(pos, ordinal, 'a metadata record is too short for its contents');
      let base: ExecutionMetadata;
      try {
        base = JSON.parse(body.toString('utf8', 4, 4 + baseLength)) as ExecutionMetadata;
      } catch (e) {
        throw corrupted(pos, ordinal, `a metadata record holds invalid JSON (${(e as Error).message})`);
      }
      const extraLength = body.length - 4 - baseLength;
      group.push(extraLength > 0
        ? { kind: 'metadata', offset: pos, ordinal, base, extra: { offset: bodyOffset + 4 + baseLength, length: extraLength } }
        : { kind: 'metadata', offset: pos, ordinal, base });
    }
    pos = parsed.end;
  }
  if (group.length > 0) {
    return { end: groupStart, torn: { offset: groupStart, droppedBytes: size - groupStart, reason: `the last ${group.length} record(s) have no commit record` } };
  }
  return { end: size };

  function parseAt(w: FileWindow, offset: number): Parsed {
    const header = w.get(offset, HEADER_SIZE);
    if (!header) return { ok: false, reason: `the file ends ${size - offset} bytes into a ${HEADER_SIZE}-byte record header` };
    if (isZero(header)) return { ok: false, reason: 'zeros stand where a record should start', unwritten: true };
    if (header[0] !== MAGIC_0 || header[1] !== MAGIC_1) return { ok: false, reason: 'no record starts here (wrong magic bytes)' };
    if (crc32(header.subarray(0, 12)) !== header.readUInt32LE(12)) return { ok: false, reason: 'the record header fails its checksum' };
    const kind = header[2]!;
    if (header[3] !== FORMAT_VERSION || kind < RecordKind.events || kind > RecordKind.serializedEvents) {
      // A sound header of another format is not damage: cutting it would destroy a newer store.
      throw new StepwiseError(
        StoreErrorCodes.corrupted,
        `The event log ${file} has a record of format version ${header[3]}, kind ${kind} at byte ${offset}, which this Stepwise does not know; it was written by another version.`,
        { file, offset },
      );
    }
    const length = header.readUInt32LE(4);
    const body = w.get(offset + HEADER_SIZE, length);
    if (!body) return { ok: false, reason: `the file ends inside the record body (the header announces ${length} bytes, ${size - offset - HEADER_SIZE} are there)` };
    if (crc32(body) !== header.readUInt32LE(8)) return { ok: false, reason: 'the record body fails its checksum' };
    return { ok: true, kind, body, bodyOffset: offset + HEADER_SIZE, end: offset + HEADER_SIZE + length };
  }

  /** The first sound commit record at or after `from`, found by its magic bytes. */
  function findCommit(w: FileWindow, from: number): { groupStart: number; end: number } | undefined {
    for (let chunkStart = from; chunkStart < size; chunkStart += WINDOW) {
      const chunk = w.get(chunkStart, Math.min(WINDOW, size - chunkStart))!;
      for (let i = chunk.indexOf(MAGIC_0); i !== -1; i = chunk.indexOf(MAGIC_0, i + 1)) {
        let candidate: Parsed;
        try {
          candidate = parseAt(w, chunkStart + i);
        } catch {
          continue; // a header of an unknown version here is only a coincidence of bytes
        }
        if (candidate.ok && candidate.kind === RecordKind.commit && candidate.body.length === 12) {
          return { groupStart: candidate.body.readDoubleLE(0), end: candidate.end };
        }
      }
    }
    return undefined;
  }
}
