import type { JsonValue } from '../../asl/json-value.js';
import { isJsonObject } from '../../asl/json-value.js';
import { isAslError } from '../../errors/asl-error.js';
import { binaryFileKind, bodyOf, contentOf, parquetRows, readerFailure, textItems, textOf, type Content } from './item-formats.js';

/** ReaderConfig as DG:input-output-itemreader lists it (MaxItemsPath is resolved before the read, if at all). */
export interface ReaderConfig {
  InputType?: 'CSV' | 'JSON' | 'JSONL' | 'PARQUET' | 'MANIFEST';
  Transformation?: 'NONE' | 'LOAD_AND_FLATTEN';
  ManifestType?: 'ATHENA_DATA' | 'S3_INVENTORY';
  CSVHeaderLocation?: 'FIRST_ROW' | 'GIVEN';
  CSVHeaders?: string[];
  CSVDelimiter?: 'COMMA' | 'PIPE' | 'SEMICOLON' | 'SPACE' | 'TAB';
  ItemsPointer?: string;
  MaxItems?: number;
}

/**
 * One S3 call of a read (the listing, the file, a manifest, each object a listing or manifest
 * names), answered as a Task would be: a handler, the mock config, or a service caller.
 */
export type ReadCall = (resource: string, parameters: JsonValue) => Promise<JsonValue>;


// The limits DG:input-output-itemreader states. AWS names no error for them: past one, the read
// fails like any other (States.ItemReaderFailed).
/** "Step Functions supports 10 GB as the maximum size of an individual file in Amazon S3". */
const MAX_FILE_BYTES = 10 * 1024 ** 3;

/**
 * A Distributed Map's ItemReader (DG:input-output-itemreader): calls `resource` with the
 * reader's parameters, then, as ReaderConfig says,
 *
 * - an S3 listing (`s3:listObjectsV2`): one item per object ({@link objectItemsFromListing}), or
 *   with `Transformation: LOAD_AND_FLATTEN` the content of every listed object (read with
 *   `s3:getObject` one after another, parsed as `InputType`), in listing order;
 * - a file (`s3:getObject`): parsed as `InputType` (JSON, JSONL, CSV, PARQUET), or a manifest
 *   whose data files are read in turn: `ManifestType: ATHENA_DATA` (an Athena UNLOAD manifest: one
 *   S3 URI a line, each file parsed as `InputType`) or an S3 inventory (`ManifestType: S3_INVENTORY`,
 *   or `InputType: MANIFEST`: manifest.json's CSV files, one item per row, named by `fileSchema`).
 *
 * An array answered by the first call is the items themselves (how a mock or handler can give
 * them). `MaxItems` keeps the first items, and no further object is read once it is reached.
 */
export async function readerItems(read: ReadCall, resource: string, parameters: JsonValue, config: ReaderConfig = {}): Promise<ItemsRead> {
  const limit = maxItemsOf(config);
  const params = isJsonObject(parameters) ? parameters : {};
  const data = await read(resource, parameters);
  const body = bodyOf(data);
  const sources: ItemSources = [];
  const source = s3Uri(params.Bucket, params.Key);
  // A listing's items come from the bucket: "S3://bucket-name" (DG:input-output-contextobject).
  const bucket = s3Uri(params.Bucket);
  let items: JsonValue[];
  if (Array.isArray(body)) {
    items = body;
    sources.push([0, (/listObjectsV2$/.test(resource) ? bucket : source) ?? STATE_DATA]);
  } else if (isListing(body)) {
    if (config.Transformation === 'LOAD_AND_FLATTEN') items = await loadAndFlatten(read, resource, params, body, config, limit, sources);
    else {
      items = objectItemsFromListing(body);
      sources.push([0, bucket ?? s3Uri(body.Name) ?? STATE_DATA]);
    }
  } else {
    const content = contentOf(body) ?? notItems(data);
    const manifest = manifestTypeOf(config);
    if (manifest === 'S3_INVENTORY') items = await inventoryItems(read, resource, params, textOf(content, source), limit, source, sources);
    else if (manifest === 'ATHENA_DATA') items = await athenaItems(read, resource, params, textOf(content, source), config, limit, source, sources);
    else {
      items = await objectItems(content, config, limit, source, params);
      sources.push([0, source ?? STATE_DATA]);
    }
  }
  return { items: take(items, limit), sources };
}

/** What an ItemReader read: its items, and where they came from. */
export interface ItemsRead {
  items: JsonValue[];
  sources: ItemSources;
}

/**
 * `$$.Map.Item.Source` of the items read, as runs: `[first index, S3 URI]`, each holding from its
 * index to the next run's (one run per object a listing or manifest had read).
 */
export type ItemSources = [number, string][];

/** The Source of items that came in the state's input. */
export const STATE_DATA = 'STATE_DATA';

/** The Source of item `index`, from the runs of {@link ItemsRead}. */
export function sourceOfItem(sources: ItemSources, index: number): string {
  let source = STATE_DATA;
  for (const [from, uri] of sources) {
    if (from > index) break;
    source = uri;
  }
  return source;
}

/**
 * The items of what one read returned, without further reads: an array as is, an S3 listing's
 * objects, a file's text as ReaderConfig says (JSON, JSONL, CSV). Used where the data is given
 * already (TestState's `mapItemReaderData`); a Parquet file or a manifest needs {@link readerItems}.
 */
export function itemsFromReader(data: JsonValue, config: ReaderConfig | undefined): JsonValue[] {
  const c = config ?? {};
  const body = bodyOf(data);
  let items: JsonValue[];
  if (Array.isArray(body)) items = body;
  else if (isListing(body)) {
    if (c.Transformation === 'LOAD_AND_FLATTEN') throw readerFailure('With Transformation LOAD_AND_FLATTEN the listed objects are read, which only an execution does: give their content instead.');
    items = objectItemsFromListing(body);
  } else {
    const content = contentOf(body) ?? notItems(data);
    if (manifestTypeOf(c) !== undefined) throw readerFailure('A manifest names the data files to read, which only an execution does.');
    const type = inputTypeOf(c);
    if (type === 'PARQUET') throw readerFailure('A PARQUET file is read from its bytes by an execution, not from text.');
    items = textItems(textOf(content, undefined), c, type, undefined);
  }
  return take(items, maxItemsOf(c));
}

/**
 * An S3 object's bytes as the `Body` string a read returns: base64 when they are a Parquet file
 * or GZIP/ZSTD-compressed (the reader recognises base64 of those), otherwise their UTF-8 text.
 */
export function objectBodyText(bytes: Uint8Array): string {
  return binaryFileKind(bytes) !== undefined ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') : new TextDecoder().decode(bytes);
}

/** A ListObjectsV2 response: `Contents` (absent when nothing matched), `KeyCount`, `IsTruncated`. */
function isListing(value: unknown): value is Record<string, JsonValue> {
  return isJsonObject(value) && !(value instanceof Uint8Array) && (Array.isArray(value.Contents) || typeof value.KeyCount === 'number' || typeof value.IsTruncated === 'boolean');
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
  // A handler passing on what the AWS SDK gave it: LastModified is a Date there.
  if ((value as unknown) instanceof Date) return Math.floor((value as unknown as Date).getTime() / 1000);
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

// ---- reading objects ----------------------------------------------------------------------------

/**
 * LOAD_AND_FLATTEN: "Read the actual content of each object listed by Amazon S3 ListObjectsV2 call.
 * Parse the content based on InputType (CSV, JSON, JSONL, Parquet). Create items from the file
 * contents (rows/records) rather than metadata." Folder placeholders (a key ending in `/`, no
 * bytes) hold no data and are passed over.
 */
async function loadAndFlatten(read: ReadCall, resource: string, params: Record<string, JsonValue>, listing: Record<string, JsonValue>, config: ReaderConfig, limit: number, sources: ItemSources): Promise<JsonValue[]> {
  if (config.InputType === undefined) throw readerFailure('ReaderConfig.InputType is required when Transformation is LOAD_AND_FLATTEN.');
  const getObject = siblingAction(resource, 'getObject');
  const bucket = params.Bucket ?? listing.Name;
  const items: JsonValue[] = [];
  for (const o of Array.isArray(listing.Contents) ? listing.Contents : []) {
    if (items.length >= limit) break;
    if (!isJsonObject(o) || typeof o.Key !== 'string') continue;
    const size = typeof o.Size === 'number' ? o.Size : undefined;
    if (o.Key.endsWith('/') && !size) continue;
    const source = s3Uri(bucket, o.Key);
    if (size !== undefined && size > MAX_FILE_BYTES) throw readerFailure(`${source} is ${size} bytes; Step Functions reads files of up to 10 GB.`);
    const data = await readObject(read, getObject, { Bucket: bucket ?? null, Key: o.Key, ...ownerOf(params) }, source);
    const content = contentOf(bodyOf(data)) ?? notBody(data, source);
    if (source !== undefined) sources.push([items.length, source]);
    append(items, await objectItems(content, config, limit - items.length, source, {}));
  }
  return items;
}

/**
 * An Athena data manifest (ManifestType ATHENA_DATA): the CSV list of the data files an UNLOAD
 * query wrote, one S3 URI a line, each read and parsed as InputType (CSV without a header row
 * unless CSVHeaderLocation says otherwise, JSONL, PARQUET), in the manifest's order.
 */
async function athenaItems(read: ReadCall, resource: string, params: Record<string, JsonValue>, manifest: string, config: ReaderConfig, limit: number, source: string | undefined, sources: ItemSources): Promise<JsonValue[]> {
  const type = config.InputType;
  if (type !== 'CSV' && type !== 'JSONL' && type !== 'PARQUET') throw readerFailure(`With ManifestType ATHENA_DATA, ReaderConfig.InputType must be CSV, JSONL or PARQUET, not ${type ?? 'absent'}.`);
  const items: JsonValue[] = [];
  for (const line of manifest.split(/\r\n|\n|\r/)) {
    if (items.length >= limit) break;
    const uri = line.trim().replace(/^"(.*)"$/, '$1');
    if (uri === '') continue;
    const location = /^s3:\/\/([^/]+)\/(.+)$/i.exec(uri);
    if (!location) throw readerFailure(`The Athena manifest${source ? ` ${source}` : ''} names '${uri.slice(0, 200)}', which is not an S3 URI (s3://bucket/key).`);
    const data = await readObject(read, resource, { Bucket: location[1]!, Key: location[2]!, ...ownerOf(params) }, uri);
    const content = contentOf(bodyOf(data)) ?? notBody(data, uri);
    sources.push([items.length, `s3://${location[1]!}/${location[2]!}`]);
    append(items, await objectItems(content, config, limit - items.length, uri, {}));
  }
  return items;
}

/**
 * An Amazon S3 inventory (ManifestType S3_INVENTORY, or InputType MANIFEST): manifest.json names the
 * inventory's files (`files[].key` in `destinationBucket`), CSV, GZIP-compressed; each row is an
 * item whose fields are named by `fileSchema` ("Bucket, Key, Size, LastModifiedDate"), every value
 * a string, as AWS's example child input shows.
 */
async function inventoryItems(read: ReadCall, resource: string, params: Record<string, JsonValue>, text: string, limit: number, source: string | undefined, sources: ItemSources): Promise<JsonValue[]> {
  const where = source ?? 'The S3 inventory manifest';
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (e) {
    throw readerFailure(`${where} is not an S3 inventory manifest (manifest.json): ${(e as Error).message}`);
  }
  if (!isJsonObject(manifest) || !Array.isArray(manifest.files)) throw readerFailure(`${where} is not an S3 inventory manifest: it has no 'files' list.`);
  // "The output format of your Amazon S3 inventory report must be CSV."
  if (manifest.fileFormat !== undefined && manifest.fileFormat !== 'CSV') throw readerFailure(`The output format of an Amazon S3 inventory report must be CSV; ${where} lists ${String(manifest.fileFormat)} files.`);
  if (typeof manifest.fileSchema !== 'string' || manifest.fileSchema.trim() === '') throw readerFailure(`${where} has no 'fileSchema' naming the inventory's columns.`);
  const headers = manifest.fileSchema.split(',').map((h) => h.trim());
  const destination = typeof manifest.destinationBucket === 'string' ? manifest.destinationBucket.replace(/^arn:[^:]+:s3:::/, '') : undefined;
  const bucket = destination ?? params.Bucket ?? null;
  const config: ReaderConfig = { InputType: 'CSV', CSVHeaderLocation: 'GIVEN', CSVHeaders: headers };
  const items: JsonValue[] = [];
  for (const file of manifest.files) {
    if (items.length >= limit) break;
    const key = isJsonObject(file) ? file.key : undefined;
    if (typeof key !== 'string') throw readerFailure(`${where} lists a file without a 'key'.`);
    const fileSource = s3Uri(bucket, key);
    const data = await readObject(read, resource, { Bucket: bucket, Key: key, ...ownerOf(params) }, fileSource);
    const content = contentOf(bodyOf(data)) ?? notBody(data, fileSource);
    if (fileSource !== undefined) sources.push([items.length, fileSource]);
    append(items, textItems(textOf(content, fileSource), config, 'CSV', fileSource));
  }
  return items;
}

/** One object's items, parsed as InputType. */
async function objectItems(content: Content, config: ReaderConfig, limit: number, source: string | undefined, params: Record<string, JsonValue>): Promise<JsonValue[]> {
  const type = inputTypeOf(config);
  if (type !== 'PARQUET') return textItems(textOf(content, source), config, type, source);
  // "The VersionId field is not supported for InputType=Parquet."
  if (params.VersionId !== undefined) throw readerFailure('The VersionId field is not supported for InputType PARQUET.');
  if (!('bytes' in content)) throw readerFailure(`${source ?? 'The object'} is not a Parquet file: its body is text. A Parquet body is bytes (a Uint8Array), or their base64.`);
  return parquetRows(content.bytes, limit, source);
}

async function readObject(read: ReadCall, resource: string, parameters: Record<string, JsonValue>, source: string | undefined): Promise<JsonValue> {
  try {
    return await read(resource, parameters);
  } catch (e) {
    throw readerFailure(`Failed to read ${source ?? 'an object'}: ${isAslError(e) ? (e.causeText ?? e.error) : e instanceof Error ? e.message : String(e)}`);
  }
}

/** `arn:<partition>:states:::s3:listObjectsV2` → `...:s3:getObject`. */
function siblingAction(resource: string, action: string): string {
  return resource.replace(/[^:]+$/, action);
}

/** "Most input types which use S3GetObject retrieval also support ExpectedBucketOwner": passed on to each read. */
function ownerOf(params: Record<string, JsonValue>): Record<string, JsonValue> {
  return params.ExpectedBucketOwner !== undefined ? { ExpectedBucketOwner: params.ExpectedBucketOwner } : {};
}

function s3Uri(bucket: JsonValue | undefined, key?: JsonValue): string | undefined {
  if (typeof bucket !== 'string') return undefined;
  return typeof key === 'string' ? `s3://${bucket}/${key}` : `s3://${bucket}`;
}

function manifestTypeOf(config: ReaderConfig): 'ATHENA_DATA' | 'S3_INVENTORY' | undefined {
  // AWS's S3 inventory example sets InputType MANIFEST without a ManifestType.
  return config.ManifestType ?? (config.InputType === 'MANIFEST' ? 'S3_INVENTORY' : undefined);
}

function inputTypeOf(config: ReaderConfig): string {
  return config.InputType ?? 'JSON';
}

function maxItemsOf(config: ReaderConfig): number {
  const max = config.MaxItems;
  return typeof max === 'number' && max > 0 ? max : Infinity;
}

function take(items: JsonValue[], limit: number): JsonValue[] {
  return items.length > limit ? items.slice(0, limit) : items;
}

/** Without spreading, which overflows the call stack past some 100,000 items. */
function append(items: JsonValue[], more: JsonValue[]): void {
  for (const item of more) items.push(item);
}


function notItems(data: unknown): never {
  throw readerFailure(`The ItemReader returned ${preview(data)}, which is neither an array of items nor a file body.`);
}

function notBody(data: unknown, source: string | undefined): never {
  throw readerFailure(`Reading ${source ?? 'an object'} returned ${preview(data)}, which is not a file body.`);
}

function preview(data: unknown): string {
  return data instanceof Uint8Array ? `${data.byteLength} bytes` : String(JSON.stringify(data)).slice(0, 200);
}
