import type { JsonValue } from '../../asl/json-value.js';
import { isJsonObject } from '../../asl/json-value.js';
import { AslError, isAslError } from '../../errors/asl-error.js';
import { StatesErrors } from '../../errors/error-names.js';

interface ReaderConfig {
  InputType?: 'CSV' | 'JSON' | 'JSONL' | 'MANIFEST';
  CSVHeaderLocation?: 'FIRST_ROW' | 'GIVEN';
  CSVHeaders?: string[];
  CSVDelimiter?: 'COMMA' | 'PIPE' | 'SEMICOLON' | 'SPACE' | 'TAB';
  MaxItems?: number;
}

const DELIMITERS: Record<string, string> = { COMMA: ',', PIPE: '|', SEMICOLON: ';', SPACE: ' ', TAB: '\t' };

/**
 * Turns what an ItemReader's resource returned into the Map's items (DG:input-output-itemreader):
 * an array as is; an S3 ListObjectsV2 response (`arn:aws:states:::s3:listObjectsV2`: `Contents`,
 * every page of it) as one item per object ({@link objectItemsFromListing}); or a file body
 * (a string, or S3 GetObject's `{ Body }`) parsed as JSON, JSON Lines or CSV (header row or given
 * headers; every field a string) according to ReaderConfig. MaxItems keeps the first items.
 */
export function itemsFromReader(data: JsonValue, config: ReaderConfig | undefined): JsonValue[] {
  let items: JsonValue[];
  const body = isJsonObject(data) && typeof data.Body === 'string' ? data.Body : data;
  if (Array.isArray(body)) items = body;
  else if (typeof body === 'string') items = parseBody(body, config ?? {});
  else if (isListing(body)) items = objectItemsFromListing(body);
  else throw new AslError(StatesErrors.ItemReaderFailed, `The ItemReader returned ${JSON.stringify(data)?.slice(0, 200)}, which is neither an array of items nor a file body.`);
  const max = config?.MaxItems;
  return typeof max === 'number' && max > 0 ? items.slice(0, max) : items;
}

/** A ListObjectsV2 response: `Contents` (absent when nothing matched), `KeyCount`, `IsTruncated`. */
function isListing(value: JsonValue): value is Record<string, JsonValue> {
  return isJsonObject(value) && (Array.isArray(value.Contents) || typeof value.KeyCount === 'number' || typeof value.IsTruncated === 'boolean');
}

/**
 * The items a Distributed Map reads from an S3 listing: one per object of `Contents`, in the
 * shape AWS gives each child (`Etag` with its quotes, `Key`, `LastModified` in epoch seconds,
 * `Size`, `StorageClass`), whether `LastModified` came as the API's ISO date, a Date's JSON, or
 * a number already. Objects whose key ends in `/` (folder placeholders) are listed like any other.
 */
export function objectItemsFromListing(listing: Record<string, JsonValue>): JsonValue[] {
  const contents = Array.isArray(listing.Contents) ? listing.Contents : [];
  return contents.map((o) => {
    const object = isJsonObject(o) ? o : {};
    const item: Record<string, JsonValue> = {};
    const etag = object.ETag ?? object.Etag;
    if (etag !== undefined) item.Etag = etag;
    if (object.Key !== undefined) item.Key = object.Key;
    const modified = epochSeconds(object.LastModified);
    if (modified !== undefined) item.LastModified = modified;
    if (object.Size !== undefined) item.Size = object.Size;
    if (object.StorageClass !== undefined) item.StorageClass = object.StorageClass;
    return item;
  });
}

function epochSeconds(value: JsonValue | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

function parseBody(text: string, config: ReaderConfig): JsonValue[] {
  const type = config.InputType ?? 'JSON';
  try {
    if (type === 'JSON') {
      const parsed = JSON.parse(text) as JsonValue;
      // AWS's cause, as recorded (MapRunFailed), for a JSON file that holds no array.
      if (!Array.isArray(parsed)) throw new AslError(StatesErrors.ItemReaderFailed, 'Attempting to map over non-iterable node.');
      return parsed;
    }
    if (type === 'JSONL') return text.split(/\r?\n/).filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as JsonValue);
    if (type === 'CSV') return parseCsv(text, config);
  } catch (e) {
    if (isAslError(e)) throw e;
    throw new AslError(StatesErrors.ItemReaderFailed, `The ItemReader could not read the ${type} input: ${(e as Error).message}`);
  }
  throw new AslError(StatesErrors.ItemReaderFailed, `ReaderConfig.InputType ${type} is not supported over this resource.`);
}

function parseCsv(text: string, config: ReaderConfig): JsonValue[] {
  const rows = splitCsv(text, DELIMITERS[config.CSVDelimiter ?? 'COMMA']!);
  const headers = config.CSVHeaderLocation === 'GIVEN' ? config.CSVHeaders ?? [] : rows.shift() ?? [];
  // AWS's cause, as recorded (MapRunFailed).
  if (new Set(headers).size < headers.length) throw new AslError(StatesErrors.ItemReaderFailed, 'CSV headers cannot contain duplicates.');
  return rows.map((row) => Object.fromEntries(headers.map((h, i) => [h, row[i] ?? ''])));
}

/** RFC 4180 fields: quotes around a field, doubled quotes inside it. */
function splitCsv(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) { row.push(field); field = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field); field = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
    } else field += ch;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}
