import zlib from 'node:zlib';
import { isJsonObject, type JsonValue } from '../../asl/json-value.js';
import { AslError, isAslError } from '../../errors/asl-error.js';
import { StatesErrors } from '../../errors/error-names.js';
import type { ReaderConfig } from './item-reader.js';

/**
 * How an object's body becomes a Distributed Map's items (DG:input-output-itemreader): text or
 * bytes (compressed or not), parsed as JSON, JSON Lines, CSV or Parquet. Where the bodies come
 * from (listings, manifests, objects read one after another) is item-reader.ts.
 */

const DELIMITERS: Record<string, string> = { COMMA: ',', PIPE: '|', SEMICOLON: ';', SPACE: ' ', TAB: '\t' };

// Limits DG:input-output-itemreader states; past one the read fails (States.ItemReaderFailed).
/** "Step Functions supports reading an item of up to 8 MB from a text delimited file, JSON, or JSON Lines file". */
const MAX_ITEM_BYTES = 8 * 1024 * 1024;
/** Parquet: "256MB is the maximum row-group size, and 5MB is the maximum footer size". */
const MAX_ROW_GROUP_BYTES = 256 * 1024 * 1024;
const MAX_FOOTER_BYTES = 5 * 1024 * 1024;

/** An ItemReader's failure, as AWS names it for every kind of read. */
export function readerFailure(cause: string): AslError {
  return new AslError(StatesErrors.ItemReaderFailed, cause);
}

// ---- bodies -------------------------------------------------------------------------------------

/**
 * What an object held. A read's `Body` (or the read's whole answer) is text, or bytes: a
 * Uint8Array (a Buffer) from a handler, or a string that is the base64 of a Parquet file or of a
 * GZIP/ZSTD-compressed file (how a mock, being JSON, and the SDK caller give bytes).
 */
export type Content = { text: string } | { bytes: Uint8Array; base64?: string };

export function bodyOf(data: unknown): unknown {
  if (isJsonObject(data) && !(data instanceof Uint8Array) && 'Body' in data) {
    const body: unknown = data.Body;
    if (typeof body === 'string' || body instanceof Uint8Array) return body;
  }
  return data;
}

export function contentOf(body: unknown): Content | undefined {
  if (body instanceof Uint8Array) return { bytes: body };
  if (typeof body !== 'string') return undefined;
  const bytes = base64Binary(body);
  return bytes ? { bytes, base64: body } : { text: body };
}

const MAGIC: Record<'PARQUET' | 'GZIP' | 'ZSTD', number[]> = {
  PARQUET: [0x50, 0x41, 0x52, 0x31],
  GZIP: [0x1f, 0x8b],
  ZSTD: [0x28, 0xb5, 0x2f, 0xfd],
};

function binaryKind(bytes: Uint8Array): keyof typeof MAGIC | undefined {
  for (const kind of Object.keys(MAGIC) as (keyof typeof MAGIC)[]) {
    if (MAGIC[kind].every((b, i) => bytes[i] === b)) return kind;
  }
  return undefined;
}

/**
 * The bytes a string holds in base64, if they are a Parquet or compressed file. A text file is
 * hardly ever all base64 of such bytes; one that is, and does not decompress, is read as text.
 */
function base64Binary(text: string): Uint8Array | undefined {
  if (text.length < 16 || binaryKind(Buffer.from(text.slice(0, 8), 'base64')) === undefined) return undefined;
  if (!/^[A-Za-z0-9+/\r\n]+={0,2}\s*$/.test(text)) return undefined;
  const buffer = Buffer.from(text, 'base64');
  const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  return binaryFileKind(bytes) !== undefined ? bytes : undefined;
}

/** A Parquet file (its magic number at both ends: `PAR1` alone starts text too) or compressed data. */
export function binaryFileKind(bytes: Uint8Array): keyof typeof MAGIC | undefined {
  const kind = binaryKind(bytes);
  return kind === 'PARQUET' && !endsWithParquetMagic(bytes) ? undefined : kind;
}

function endsWithParquetMagic(bytes: Uint8Array): boolean {
  const n = bytes.byteLength;
  return n >= 12 && MAGIC.PARQUET.every((b, i) => bytes[n - 4 + i] === b);
}

/**
 * A text file's text. "Input files support the following external compression types: GZIP,
 * ZSTD": compressed bytes are recognised by their magic number, whatever the key's extension.
 */
export function textOf(content: Content, source: string | undefined): string {
  if ('text' in content) return content.text.charCodeAt(0) === 0xfeff ? content.text.slice(1) : content.text;
  let bytes = content.bytes;
  try {
    const kind = binaryKind(bytes);
    if (kind === 'GZIP') bytes = zlib.gunzipSync(bytes);
    else if (kind === 'ZSTD') bytes = zstdDecompress(bytes);
  } catch (e) {
    if (content.base64 !== undefined) return content.base64;
    throw readerFailure(`Could not decompress ${source ?? 'the object'}: ${(e as Error).message}`);
  }
  return new TextDecoder().decode(bytes);
}

/** node:zlib has ZSTD from Node.js 22.15 on; Stepwise runs on Node.js 20 too. */
function zstdDecompress(input: Uint8Array): Uint8Array {
  const z = zlib as unknown as { zstdDecompressSync?: (buffer: Uint8Array) => Buffer };
  if (typeof z.zstdDecompressSync !== 'function') throw new Error(`ZSTD needs a Node.js whose zlib has it (22.15 or later); this is ${process.version}`);
  return z.zstdDecompressSync(input);
}

// ---- text formats -------------------------------------------------------------------------------

export function textItems(text: string, config: ReaderConfig, type: string, source: string | undefined): JsonValue[] {
  try {
    if (type === 'JSON') return jsonItems(text, config.ItemsPointer);
    if (type === 'JSONL') return jsonLines(text);
    if (type === 'CSV') return parseCsv(text, config);
  } catch (e) {
    if (isAslError(e)) throw e;
    throw readerFailure(`The ItemReader could not read the ${type} input${source ? ` ${source}` : ''}: ${(e as Error).message}`);
  }
  throw readerFailure(`ReaderConfig.InputType ${type} is not supported over this resource.`);
}

function jsonItems(text: string, pointer: string | undefined): JsonValue[] {
  const parsed = JSON.parse(text) as JsonValue;
  const node = pointer === undefined ? parsed : resolvePointer(parsed, pointer);
  if (node === undefined) throw readerFailure(`ReaderConfig.ItemsPointer '${pointer}' selects nothing in the JSON file.`);
  // AWS's cause, as recorded (MapRunFailed), for a JSON file that holds no array.
  if (!Array.isArray(node)) throw readerFailure('Attempting to map over non-iterable node.');
  // No item can be larger than the file that holds it.
  if (text.length * 3 > MAX_ITEM_BYTES) node.forEach((item, i) => checkItemSize(JSON.stringify(item), i));
  return node;
}

/** RFC 6901, as `ItemsPointer` is ("JSONPointer syntax", e.g. `/inventory/products/featured`). */
function resolvePointer(value: JsonValue, pointer: string): JsonValue | undefined {
  if (pointer === '') return value;
  if (!pointer.startsWith('/')) throw readerFailure(`ReaderConfig.ItemsPointer '${pointer}' is not a JSON Pointer (it must start with '/').`);
  let node: JsonValue | undefined = value;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = /^(0|[1-9]\d*)$/.test(token) ? node[Number(token)] : undefined;
    else if (isJsonObject(node)) node = Object.prototype.hasOwnProperty.call(node, token) ? node[token] : undefined;
    else return undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

function jsonLines(text: string): JsonValue[] {
  const items: JsonValue[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    checkItemSize(line, items.length);
    try {
      items.push(JSON.parse(line) as JsonValue);
    } catch (e) {
      throw new Error(`line ${i + 1}: ${(e as Error).message}`);
    }
  }
  return items;
}

function checkItemSize(text: string, index: number): void {
  // A UTF-16 code unit is at most 3 bytes of UTF-8: only long texts need counting.
  if (text.length * 3 <= MAX_ITEM_BYTES) return;
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_ITEM_BYTES) throw readerFailure(`Item ${index} is ${bytes} bytes; Step Functions reads items of up to 8 MB.`);
}

function parseCsv(text: string, config: ReaderConfig): JsonValue[] {
  const rows = splitCsv(text, DELIMITERS[config.CSVDelimiter ?? 'COMMA'] ?? ',');
  const headers = config.CSVHeaderLocation === 'GIVEN' ? config.CSVHeaders ?? [] : rows.shift()?.fields ?? [];
  // AWS's cause, as recorded (MapRunFailed).
  if (new Set(headers).size < headers.length) throw readerFailure('CSV headers cannot contain duplicates.');
  // "fewer fields than the header: empty strings for the missing values; more: the additional fields are skipped".
  return rows.map((row, i) => {
    if ((row.end - row.start) * 3 > MAX_ITEM_BYTES) checkItemSize(text.slice(row.start, row.end), i);
    return Object.fromEntries(headers.map((h, j) => [h, row.fields[j] ?? '']));
  });
}

interface CsvRow { fields: string[]; start: number; end: number }

/**
 * Text delimited rows as DG:input-output-itemreader says Step Functions parses them: newlines
 * separate records; a field in double quotes may hold delimiters and newlines; a doubled double
 * quote is one, in quotes or not (DG:example-csv-parse-dist-map reads `{""MyKey"":""MyValue""}`
 * as `{"MyKey":"MyValue"}`); a backslash escapes a backslash, a double quote or the delimiter,
 * and before any other character is removed. Blank lines are no records.
 */
function splitCsv(text: string, delimiter: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let fields: string[] = [];
  let field = '';
  let fieldStarted = false;
  let quoted = false;
  let start = 0;
  const endRow = (end: number) => {
    fields.push(field);
    if (fields.length > 1 || fieldStarted || field !== '') rows.push({ fields, start, end });
    fields = [];
    field = '';
    fieldStarted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\') {
      const next = text[i + 1];
      if (next === '\\' || next === '"' || next === delimiter) {
        field += next;
        fieldStarted = true;
        i++;
      }
      continue;
    }
    if (ch === '"') {
      if (quoted) {
        if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false;
      } else if (!fieldStarted || text[i + 1] !== '"') {
        quoted = true;
      } else {
        field += '"';
        i++;
      }
      fieldStarted = true;
      continue;
    }
    if (quoted) {
      field += ch;
    } else if (ch === delimiter) {
      fields.push(field);
      field = '';
      fieldStarted = false;
    } else if (ch === '\n' || ch === '\r') {
      endRow(i);
      if (ch === '\r' && text[i + 1] === '\n') i++;
      start = i + 1;
    } else {
      field += ch;
      fieldStarted = true;
    }
  }
  if (field !== '' || fieldStarted || fields.length > 0) endRow(text.length);
  return rows;
}

// ---- Parquet ------------------------------------------------------------------------------------

/**
 * "Internal GZIP, ZSTD, and Snappy data compression are natively supported": hyparquet reads
 * Snappy itself; the others come from node:zlib.
 */
const PARQUET_DECOMPRESSORS = {
  GZIP: (input: Uint8Array) => new Uint8Array(zlib.unzipSync(input)),
  BROTLI: (input: Uint8Array) => new Uint8Array(zlib.brotliDecompressSync(input)),
  ZSTD: zstdDecompress,
};

/** A Parquet file's rows (the first `limit`), each an object of its columns, as JSON. */
export async function parquetRows(bytes: Uint8Array, limit: number, source: string | undefined): Promise<JsonValue[]> {
  const where = source ?? 'The object';
  const n = bytes.byteLength;
  if (binaryKind(bytes) !== 'PARQUET' || !endsWithParquetMagic(bytes)) {
    throw readerFailure(`${where} is not a Parquet file (it does not begin and end with PAR1).`);
  }
  const footer = new DataView(bytes.buffer, bytes.byteOffset, n).getUint32(n - 8, true);
  if (footer > MAX_FOOTER_BYTES) throw readerFailure(`${where} has a ${footer}-byte Parquet footer; Step Functions reads footers of up to 5 MB.`);
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + n) as ArrayBuffer;
  try {
    // Loaded when first needed: most runs read no Parquet.
    const { parquetMetadata, parquetReadObjects } = await import('hyparquet');
    const metadata = parquetMetadata(file);
    const large = metadata.row_groups.findIndex((g) => Number(g.total_byte_size) > MAX_ROW_GROUP_BYTES);
    if (large >= 0) throw readerFailure(`Row group ${large} of ${where} is ${Number(metadata.row_groups[large]!.total_byte_size)} bytes; Step Functions reads row groups of up to 256 MB.`);
    const rowEnd = Number.isFinite(limit) ? Math.min(limit, Number(metadata.num_rows)) : undefined;
    const rows = await parquetReadObjects({ file, metadata, rowEnd, compressors: PARQUET_DECOMPRESSORS });
    return rows.map((row) => parquetJson(row));
  } catch (e) {
    if (isAslError(e)) throw e;
    throw readerFailure(`The ItemReader could not read the PARQUET input${source ? ` ${source}` : ''}: ${(e as Error).message}`);
  }
}

/**
 * A Parquet value as JSON. AWS does not document the mapping; Stepwise's: INT64 a number when
 * exact, else its decimal text; timestamps and dates ISO 8601 text; binary without a string
 * annotation base64; NaN and infinities null.
 */
function parquetJson(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value + 0 : null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (Array.isArray(value) || ArrayBuffer.isView(value)) return Array.from(value as ArrayLike<unknown>, parquetJson);
  if (typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = parquetJson(v);
    return out;
  }
  return String(value);
}
