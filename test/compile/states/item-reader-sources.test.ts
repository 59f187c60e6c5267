import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createRuntime, parseMockConfig, type HistoryEvent, type JsonValue, type StateMachineDefinition } from '../../../src/index.js';
import { itemsFromReader, objectBodyText, readerItems as readItemsAndSources, type ReadCall, type ReaderConfig } from '../../../src/compile/states/item-reader.js';

/** The items a read gives (their sources are checked apart). */
const readerItems = async (...args: Parameters<typeof readItemsAndSources>) => (await readItemsAndSources(...args)).items;
import { GZIP_ROWS, ROWS } from './item-reader-parquet-fixtures.js';

/**
 * The ItemReader's sources beyond one text file (DG:input-output-itemreader): S3 listings with
 * Transformation LOAD_AND_FLATTEN, Athena data manifests, S3 inventories, Parquet files, GZIP and
 * ZSTD compressed files, ItemsPointer, and text delimited files as AWS says it parses them.
 */

const LIST = 'arn:aws:states:::s3:listObjectsV2';
const GET = 'arn:aws:states:::s3:getObject';

const ROWS_JSON = [
  { id: 1, name: 'alpha', price: 1.5, qty: 10, ok: true, at: '2025-01-02T03:04:05.000Z' },
  { id: 2, name: 'beta', price: 2.25, qty: 20, ok: false, at: '2025-06-07T08:09:10.123Z' },
  // INT64 past 2^53 keeps its digits as text.
  { id: 3, name: null, price: 0, qty: '9007199254740993', ok: true, at: null },
];

const bytes = (base64: string) => new Uint8Array(Buffer.from(base64, 'base64'));
const gzip = (text: string) => new Uint8Array(zlib.gzipSync(text));

/** The smallest ZSTD frame: one raw block, no checksum (RFC 8878), made by hand: Node 20's zlib cannot write ZSTD. */
function zstdFrame(text: string): Uint8Array {
  const data = Buffer.from(text);
  if (data.length > 255) throw new Error('a one-byte content size');
  const header = (data.length << 3) | 1; // Last_Block, Raw_Block
  return new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0x20, data.length, header & 0xff, (header >> 8) & 0xff, header >> 16, ...data]);
}

const object = (Key: string, Size = 10) => ({ Key, Size, ETag: '"e"', LastModified: '2026-01-01T00:00:00Z', StorageClass: 'STANDARD' });

/** A read over an in-memory bucket: the listing for listObjectsV2, each object's body for getObject. */
function bucket(objects: Record<string, string | Uint8Array>, listed = Object.keys(objects).map((k) => object(k))) {
  const calls: { resource: string; parameters: JsonValue }[] = [];
  const read: ReadCall = async (resource, parameters) => {
    calls.push({ resource, parameters });
    const p = parameters as { Bucket: string; Key?: string };
    if (resource.endsWith(':listObjectsV2')) return { Name: p.Bucket, KeyCount: listed.length, IsTruncated: false, Contents: listed };
    const body = objects[p.Key!];
    if (body === undefined) throw Object.assign(new Error('The specified key does not exist.'), { name: 'S3.NoSuchKey' });
    return { Body: body as JsonValue, ContentLength: body.length };
  };
  return { read, calls };
}

const readerFailed = (cause: string | RegExp) => expect.objectContaining({ error: 'States.ItemReaderFailed', causeText: typeof cause === 'string' ? cause : expect.stringMatching(cause) });

describe('Transformation LOAD_AND_FLATTEN over an S3 listing', () => {
  const flatten = (config: ReaderConfig) => ({ Transformation: 'LOAD_AND_FLATTEN' as const, ...config });

  it('reads every listed object with s3:getObject, in listing order, and concatenates their items', async () => {
    const { read, calls } = bucket({ 'logs/a.json': '[{"n":1},{"n":2}]', 'logs/b.json': '[{"n":3}]' });
    const items = await readerItems(read, LIST, { Bucket: 'data', Prefix: 'logs/' }, flatten({ InputType: 'JSON' }));
    expect(items).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(calls).toEqual([
      { resource: LIST, parameters: { Bucket: 'data', Prefix: 'logs/' } },
      { resource: GET, parameters: { Bucket: 'data', Key: 'logs/a.json' } },
      { resource: GET, parameters: { Bucket: 'data', Key: 'logs/b.json' } },
    ]);
  });

  it('reads each CSV file with its own header row; JSONL; PARQUET', async () => {
    const csv = bucket({ 'in/1.csv': 'id,v\n1,a\n', 'in/2.csv': 'id,v\n2,b\n3,c\n' });
    expect(await readerItems(csv.read, LIST, { Bucket: 'b', Prefix: 'in/' }, flatten({ InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' })))
      .toEqual([{ id: '1', v: 'a' }, { id: '2', v: 'b' }, { id: '3', v: 'c' }]);
    const given = bucket({ 'in/1.csv': '1|a\n', 'in/2.csv': '2|b\n' });
    expect(await readerItems(given.read, LIST, { Bucket: 'b' }, flatten({ InputType: 'CSV', CSVHeaderLocation: 'GIVEN', CSVHeaders: ['id', 'v'], CSVDelimiter: 'PIPE' })))
      .toEqual([{ id: '1', v: 'a' }, { id: '2', v: 'b' }]);
    const jsonl = bucket({ 'in/1.jsonl': '{"a":1}\n{"a":2}\n', 'in/2.jsonl': '{"a":3}' });
    expect(await readerItems(jsonl.read, LIST, { Bucket: 'b' }, flatten({ InputType: 'JSONL' }))).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    const parquet = bucket({ 'in/1.parquet': ROWS, 'in/2.parquet': bytes(GZIP_ROWS) });
    expect(await readerItems(parquet.read, LIST, { Bucket: 'b' }, flatten({ InputType: 'PARQUET' }))).toEqual([...ROWS_JSON, { n: 7, s: 'x' }, { n: 8, s: 'y' }]);
  });

  it('MaxItems counts items, not objects, and no object is read once it is reached', async () => {
    const { read, calls } = bucket({ 'a.jsonl': '{"i":1}\n{"i":2}', 'b.jsonl': '{"i":3}\n{"i":4}', 'c.jsonl': '{"i":5}' });
    const items = await readerItems(read, LIST, { Bucket: 'b' }, flatten({ InputType: 'JSONL', MaxItems: 3 }));
    expect(items).toEqual([{ i: 1 }, { i: 2 }, { i: 3 }]);
    expect(calls.map((c) => (c.parameters as { Key?: string }).Key)).toEqual([undefined, 'a.jsonl', 'b.jsonl']);
  });

  it('passes over folder placeholders, passes ExpectedBucketOwner on, and keeps the resource’s partition', async () => {
    const listed = [object('in/', 0), object('in/a.json')];
    const { read, calls } = bucket({ 'in/a.json': '[1]' }, listed);
    const items = await readerItems(read, 'arn:aws-cn:states:::s3:listObjectsV2', { Bucket: 'b', Prefix: 'in/', ExpectedBucketOwner: '111122223333' }, flatten({ InputType: 'JSON' }));
    expect(items).toEqual([1]);
    expect(calls[1]).toEqual({ resource: 'arn:aws-cn:states:::s3:getObject', parameters: { Bucket: 'b', Key: 'in/a.json', ExpectedBucketOwner: '111122223333' } });
  });

  it('without LOAD_AND_FLATTEN the items stay the object summaries', async () => {
    const { read, calls } = bucket({ 'a.json': '[1]' });
    const items = await readerItems(read, LIST, { Bucket: 'b' }, { InputType: 'JSON', Transformation: 'NONE' });
    expect(items).toEqual([{ Etag: '"e"', Key: 'a.json', LastModified: 1767225600, Size: 10, StorageClass: 'STANDARD' }]);
    expect(calls).toHaveLength(1);
  });

  it('fails with States.ItemReaderFailed: no InputType, an object that cannot be read or parsed, one over 10 GB', async () => {
    await expect(readerItems(bucket({ 'a.json': '[1]' }).read, LIST, { Bucket: 'b' }, { Transformation: 'LOAD_AND_FLATTEN' }))
      .rejects.toEqual(readerFailed('ReaderConfig.InputType is required when Transformation is LOAD_AND_FLATTEN.'));
    await expect(readerItems(bucket({}, [object('gone.json')]).read, LIST, { Bucket: 'b' }, flatten({ InputType: 'JSON' })))
      .rejects.toEqual(readerFailed('Failed to read s3://b/gone.json: The specified key does not exist.'));
    await expect(readerItems(bucket({ 'a.json': '[1]', 'b.json': '{"not":"a list"}' }).read, LIST, { Bucket: 'b' }, flatten({ InputType: 'JSON' })))
      .rejects.toEqual(readerFailed('Attempting to map over non-iterable node.'));
    await expect(readerItems(bucket({ 'a.jsonl': '{"a":1}\n{oops' }).read, LIST, { Bucket: 'b' }, flatten({ InputType: 'JSONL' })))
      .rejects.toEqual(readerFailed(/^The ItemReader could not read the JSONL input s3:\/\/b\/a\.jsonl: line 2: /));
    await expect(readerItems(bucket({}, [object('huge.csv', 11 * 1024 ** 3)]).read, LIST, { Bucket: 'b' }, flatten({ InputType: 'CSV' })))
      .rejects.toEqual(readerFailed(/^s3:\/\/b\/huge\.csv is 11811160064 bytes; Step Functions reads files of up to 10 GB\.$/));
  });
});

describe('PARQUET', () => {
  it('makes one item per row, across row groups, whether the body is bytes or their base64', async () => {
    expect(await readerItems(bucket({ 'r.parquet': bytes(ROWS) }).read, GET, { Bucket: 'b', Key: 'r.parquet' }, { InputType: 'PARQUET' })).toEqual(ROWS_JSON);
    expect(await readerItems(bucket({ 'r.parquet': ROWS }).read, GET, { Bucket: 'b', Key: 'r.parquet' }, { InputType: 'PARQUET' })).toEqual(ROWS_JSON);
    expect(await readerItems(async () => Buffer.from(ROWS, 'base64') as unknown as JsonValue, GET, {}, { InputType: 'PARQUET' })).toEqual(ROWS_JSON);
  });

  it('reads GZIP-compressed pages (node:zlib) as well as SNAPPY ones (hyparquet)', async () => {
    expect(await readerItems(bucket({ 'g.parquet': GZIP_ROWS }).read, GET, { Bucket: 'b', Key: 'g.parquet' }, { InputType: 'PARQUET' })).toEqual([{ n: 7, s: 'x' }, { n: 8, s: 'y' }]);
  });

  it('MaxItems keeps the first rows', async () => {
    expect(await readerItems(bucket({ 'r.parquet': ROWS }).read, GET, { Bucket: 'b', Key: 'r.parquet' }, { InputType: 'PARQUET', MaxItems: 2 })).toEqual(ROWS_JSON.slice(0, 2));
  });

  it('refuses VersionId ("not supported for InputType=Parquet"), a text body, and a footer over 5 MB', async () => {
    await expect(readerItems(bucket({ 'r.parquet': ROWS }).read, GET, { Bucket: 'b', Key: 'r.parquet', VersionId: 'v1' }, { InputType: 'PARQUET' }))
      .rejects.toEqual(readerFailed('The VersionId field is not supported for InputType PARQUET.'));
    await expect(readerItems(bucket({ 'r.parquet': 'id,name\n1,a\n' }).read, GET, { Bucket: 'b', Key: 'r.parquet' }, { InputType: 'PARQUET' }))
      .rejects.toEqual(readerFailed(/^s3:\/\/b\/r\.parquet is not a Parquet file: its body is text\./));
    const footer = new Uint8Array(16);
    footer.set([0x50, 0x41, 0x52, 0x31], 0);
    new DataView(footer.buffer).setUint32(8, 6 * 1024 * 1024, true);
    footer.set([0x50, 0x41, 0x52, 0x31], 12);
    await expect(readerItems(bucket({ 'big.parquet': footer }).read, GET, { Bucket: 'b', Key: 'big.parquet' }, { InputType: 'PARQUET' }))
      .rejects.toEqual(readerFailed('s3://b/big.parquet has a 6291456-byte Parquet footer; Step Functions reads footers of up to 5 MB.'));
    const truncated = bytes(ROWS).slice(0, 200);
    await expect(readerItems(bucket({ 't.parquet': truncated }).read, GET, { Bucket: 'b', Key: 't.parquet' }, { InputType: 'PARQUET' }))
      .rejects.toEqual(readerFailed('s3://b/t.parquet is not a Parquet file (it does not begin and end with PAR1).'));
  });

  it('is not read from text alone (TestState’s mapItemReaderData)', () => {
    expect(() => itemsFromReader(ROWS, { InputType: 'PARQUET' })).toThrow(readerFailed(/PARQUET/));
  });
});

describe('Athena data manifests (ManifestType ATHENA_DATA)', () => {
  const manifest = 's3://results/unload/f1\ns3://results/unload/f2\n';

  it('reads each data file the manifest lists, as InputType says: CSV without a header row, with the given headers', async () => {
    const { read, calls } = bucket({ 'q-manifest.csv': manifest, 'unload/f1': 'a,1\nb,2\n', 'unload/f2': 'c,3\n' });
    const items = await readerItems(read, GET, { Bucket: 'results', Key: 'q-manifest.csv' }, { ManifestType: 'ATHENA_DATA', InputType: 'CSV', CSVHeaderLocation: 'GIVEN', CSVHeaders: ['name', 'n'] });
    expect(items).toEqual([{ name: 'a', n: '1' }, { name: 'b', n: '2' }, { name: 'c', n: '3' }]);
    expect(calls.map((c) => c.parameters)).toEqual([
      { Bucket: 'results', Key: 'q-manifest.csv' }, { Bucket: 'results', Key: 'unload/f1' }, { Bucket: 'results', Key: 'unload/f2' },
    ]);
  });

  it('JSONL and PARQUET data files (GZIP-compressed JSONL too), MaxItems over all of them', async () => {
    const jsonl = bucket({ m: manifest, 'unload/f1': gzip('{"k":1}\n{"k":2}\n'), 'unload/f2': '{"k":3}\n' });
    expect(await readerItems(jsonl.read, GET, { Bucket: 'results', Key: 'm' }, { ManifestType: 'ATHENA_DATA', InputType: 'JSONL' })).toEqual([{ k: 1 }, { k: 2 }, { k: 3 }]);
    const parquet = bucket({ m: manifest, 'unload/f1': ROWS, 'unload/f2': GZIP_ROWS });
    expect(await readerItems(parquet.read, GET, { Bucket: 'results', Key: 'm' }, { ManifestType: 'ATHENA_DATA', InputType: 'PARQUET', MaxItems: 4 }))
      .toEqual([...ROWS_JSON, { n: 7, s: 'x' }]);
  });

  it('fails a line that is no S3 URI, and an InputType Athena does not write', async () => {
    await expect(readerItems(bucket({ m: 'not-a-uri\n' }).read, GET, { Bucket: 'results', Key: 'm' }, { ManifestType: 'ATHENA_DATA', InputType: 'JSONL' }))
      .rejects.toEqual(readerFailed("The Athena manifest s3://results/m names 'not-a-uri', which is not an S3 URI (s3://bucket/key)."));
    await expect(readerItems(bucket({ m: manifest }).read, GET, { Bucket: 'results', Key: 'm' }, { ManifestType: 'ATHENA_DATA', InputType: 'JSON' }))
      .rejects.toEqual(readerFailed('With ManifestType ATHENA_DATA, ReaderConfig.InputType must be CSV, JSONL or PARQUET, not JSON.'));
  });
});

describe('S3 inventories (ManifestType S3_INVENTORY, or InputType MANIFEST)', () => {
  // AWS's examples: the manifest.json and the rows of its CSV file.
  const manifest = JSON.stringify({
    sourceBucket: 'amzn-s3-demo-source-bucket',
    destinationBucket: 'arn:aws:s3:::amzn-s3-demo-inventory',
    version: '2016-11-30',
    creationTimestamp: '1668560400000',
    fileFormat: 'CSV',
    fileSchema: 'Bucket, Key, Size, LastModifiedDate',
    files: [{ key: 'inv/data/1.csv.gz', size: 7300, MD5checksum: 'a7ff4a1d4164c3cd55851055ec8f6b20' }, { key: 'inv/data/2.csv.gz', size: 10, MD5checksum: 'x' }],
  });
  const rows1 = '"amzn-s3-demo-source-bucket","csvDataset/","0","2022-11-16T00:27:19.000Z"\n"amzn-s3-demo-source-bucket","csvDataset/titles.csv","3399671","2022-11-16T00:29:32.000Z"\n';
  const rows2 = '"amzn-s3-demo-source-bucket","imageDataset/n02085620_10074.jpg","27034","2022-11-15T20:02:16.000Z"\n';

  it('makes one item per inventory row, named by fileSchema, every value a string, reading the gzipped files from the destination bucket', async () => {
    // A mock gives bytes as base64 (JSON has no bytes); a handler can give them as they are.
    const { read, calls } = bucket({ 'inv/manifest.json': manifest, 'inv/data/1.csv.gz': Buffer.from(gzip(rows1)).toString('base64'), 'inv/data/2.csv.gz': gzip(rows2) });
    const items = await readerItems(read, GET, { Bucket: 'amzn-s3-demo-inventory', Key: 'inv/manifest.json' }, { ManifestType: 'S3_INVENTORY' });
    expect(items).toEqual([
      { Bucket: 'amzn-s3-demo-source-bucket', Key: 'csvDataset/', Size: '0', LastModifiedDate: '2022-11-16T00:27:19.000Z' },
      { Bucket: 'amzn-s3-demo-source-bucket', Key: 'csvDataset/titles.csv', Size: '3399671', LastModifiedDate: '2022-11-16T00:29:32.000Z' },
      { Bucket: 'amzn-s3-demo-source-bucket', Key: 'imageDataset/n02085620_10074.jpg', Size: '27034', LastModifiedDate: '2022-11-15T20:02:16.000Z' },
    ]);
    expect(calls.slice(1).map((c) => c.parameters)).toEqual([
      { Bucket: 'amzn-s3-demo-inventory', Key: 'inv/data/1.csv.gz' }, { Bucket: 'amzn-s3-demo-inventory', Key: 'inv/data/2.csv.gz' },
    ]);
    const legacy = bucket({ 'inv/manifest.json': manifest, 'inv/data/1.csv.gz': gzip(rows1), 'inv/data/2.csv.gz': gzip(rows2) });
    expect(await readerItems(legacy.read, GET, { Bucket: 'amzn-s3-demo-inventory', Key: 'inv/manifest.json' }, { InputType: 'MANIFEST', MaxItems: 1 }))
      .toEqual([{ Bucket: 'amzn-s3-demo-source-bucket', Key: 'csvDataset/', Size: '0', LastModifiedDate: '2022-11-16T00:27:19.000Z' }]);
    expect(legacy.calls).toHaveLength(2);
  });

  it('refuses an inventory that is not CSV ("must be CSV") and a manifest that is not one', async () => {
    const orc = bucket({ m: JSON.stringify({ ...JSON.parse(manifest), fileFormat: 'ORC' }) });
    await expect(readerItems(orc.read, GET, { Bucket: 'i', Key: 'm' }, { ManifestType: 'S3_INVENTORY' }))
      .rejects.toEqual(readerFailed('The output format of an Amazon S3 inventory report must be CSV; s3://i/m lists ORC files.'));
    await expect(readerItems(bucket({ m: 'Bucket,Key\n' }).read, GET, { Bucket: 'i', Key: 'm' }, { InputType: 'MANIFEST' }))
      .rejects.toEqual(readerFailed(/^s3:\/\/i\/m is not an S3 inventory manifest \(manifest\.json\): /));
  });
});

describe('text files', () => {
  it('decompresses GZIP and ZSTD bodies, recognised by their bytes, given as bytes or base64', async () => {
    const read = (body: string | Uint8Array): ReadCall => async () => ({ Body: body as JsonValue });
    expect(await readerItems(read(gzip('[1,2]')), GET, { Bucket: 'b', Key: 'x.json.gz' }, { InputType: 'JSON' })).toEqual([1, 2]);
    expect(await readerItems(read(Buffer.from(gzip('a\n1\n')).toString('base64')), GET, { Bucket: 'b', Key: 'x.csv.gz' }, { InputType: 'CSV' })).toEqual([{ a: '1' }]);
    const zstd = readerItems(read(zstdFrame('{"z":1}\n')), GET, { Bucket: 'b', Key: 'x.jsonl.zstd' }, { InputType: 'JSONL' });
    // node:zlib reads ZSTD from Node.js 22.15 on; before, the read fails saying so.
    if (typeof (zlib as { zstdDecompressSync?: unknown }).zstdDecompressSync === 'function') expect(await zstd).toEqual([{ z: 1 }]);
    else await expect(zstd).rejects.toEqual(readerFailed(/^Could not decompress s3:\/\/b\/x\.jsonl\.zstd: ZSTD needs a Node\.js whose zlib has it/));
  });

  it('ItemsPointer selects the array of a JSON file (RFC 6901)', async () => {
    const file = JSON.stringify({ inventory: { products: { featured: [{ id: 1 }, { id: 2 }], 'a/b': [3] } } });
    const read: ReadCall = async () => ({ Body: file });
    expect(await readerItems(read, GET, {}, { InputType: 'JSON', ItemsPointer: '/inventory/products/featured' })).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await readerItems(read, GET, {}, { InputType: 'JSON', ItemsPointer: '/inventory/products/a~1b' })).toEqual([3]);
    await expect(readerItems(read, GET, {}, { InputType: 'JSON', ItemsPointer: '/inventory/nothing' })).rejects.toEqual(readerFailed("ReaderConfig.ItemsPointer '/inventory/nothing' selects nothing in the JSON file."));
    await expect(readerItems(read, GET, {}, { InputType: 'JSON', ItemsPointer: '/inventory' })).rejects.toEqual(readerFailed('Attempting to map over non-iterable node.'));
  });

  it('parses text delimited files as AWS documents (DG:example-csv-parse-dist-map and its rules)', () => {
    const headers = { InputType: 'CSV' as const, CSVHeaderLocation: 'GIVEN' as const, CSVHeaders: ['MyLetters', 'MyNumbers', 'MyString', 'MyObject', 'MyArray'] };
    const row = 'abc,123,"This string contains commas, a double quotation marks (""), and a newline (\n)",{""MyKey"":""MyValue""},"[1,2,3]"';
    expect(itemsFromReader(row, headers)).toEqual([{
      MyLetters: 'abc', MyNumbers: '123', MyString: 'This string contains commas, a double quotation marks ("), and a newline (\n)',
      MyObject: '{"MyKey":"MyValue"}', MyArray: '[1,2,3]',
    }]);
    // Backslashes escape a backslash, a double quote or the delimiter; before anything else they are dropped.
    expect(itemsFromReader('path,size\nC:\\\\Program Files\\\\MyApp.exe,6534512\na\\,b,\\"q\\"\n\\x,1\n', { InputType: 'CSV' })).toEqual([
      { path: 'C:\\Program Files\\MyApp.exe', size: '6534512' }, { path: 'a,b', size: '"q"' }, { path: 'x', size: '1' },
    ]);
    // Fewer fields than headers: empty strings; more: the extra ones are skipped. "" is an empty field.
    expect(itemsFromReader('a,b,c\n1\n1,2,3,4\n"",x,""\n', { InputType: 'CSV' })).toEqual([
      { a: '1', b: '', c: '' }, { a: '1', b: '2', c: '3' }, { a: '', b: 'x', c: '' },
    ]);
  });

  it('refuses an item over 8 MB ("an item of up to 8 MB from a text delimited file, JSON, or JSON Lines file")', async () => {
    const line = JSON.stringify({ blob: 'x'.repeat(8 * 1024 * 1024) });
    const read: ReadCall = async () => ({ Body: `{"small":1}\n${line}\n` });
    await expect(readerItems(read, GET, { Bucket: 'b', Key: 'big.jsonl' }, { InputType: 'JSONL' }))
      .rejects.toEqual(readerFailed('Item 1 is 8388619 bytes; Step Functions reads items of up to 8 MB.'));
  });
});

describe('objectBodyText (how the SDK caller hands an object’s bytes on)', () => {
  it('keeps text as text and gives Parquet and compressed files as base64, which the reader takes back', async () => {
    expect(objectBodyText(new TextEncoder().encode('a,b\n1,2\n'))).toBe('a,b\n1,2\n');
    expect(objectBodyText(new TextEncoder().encode('PAR1,PAR2\n1,2\n'))).toBe('PAR1,PAR2\n1,2\n');
    expect(objectBodyText(bytes(ROWS))).toBe(ROWS);
    const compressed = gzip('[7]');
    expect(await readerItems(async () => ({ Body: objectBodyText(compressed) }), GET, {}, { InputType: 'JSON' })).toEqual([7]);
  });

  it('leaves a text body that only looks like base64 of a compressed file as text', () => {
    const config = { InputType: 'CSV' as const, CSVHeaderLocation: 'GIVEN' as const, CSVHeaders: ['v'] };
    expect(itemsFromReader({ Body: 'H4sIAAAA' }, config)).toEqual([{ v: 'H4sIAAAA' }]);
    expect(itemsFromReader({ Body: 'H4sIAAAAAAAAAAAAAAAAAAAA' }, config)).toEqual([{ v: 'H4sIAAAAAAAAAAAAAAAAAAAA' }]);
  });
});

describe('a Distributed Map run with the new sources', () => {
  const processor = { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } };
  const mapOf = (reader: JsonValue, extra: Record<string, JsonValue> = {}): StateMachineDefinition => ({
    StartAt: 'Read', States: { Read: { Type: 'Map', End: true, ItemReader: reader, ItemProcessor: processor, ...extra } },
  } as StateMachineDefinition);

  it('LOAD_AND_FLATTEN: handlers for the listing and for each object; one child per row; the reads record no events', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    const reads: string[] = [];
    runtime.handle(LIST, ({ input }) => {
      reads.push(`list ${JSON.stringify(input)}`);
      return { Contents: [object('logs/01.csv'), object('logs/02.csv')] };
    });
    const files: Record<string, string> = { 'logs/01.csv': 'level,msg\nINFO,up\nERROR,down\n', 'logs/02.csv': 'level,msg\nWARN,slow\n' };
    runtime.handle(GET, ({ input }) => {
      const { Key } = input as { Key: string };
      reads.push(`get ${Key}`);
      return { Body: files[Key]! };
    });
    const execution = runtime.startExecution({
      definition: mapOf({ Resource: LIST, ReaderConfig: { InputType: 'CSV', Transformation: 'LOAD_AND_FLATTEN' }, Parameters: { Bucket: 'logs-bucket', 'Prefix.$': '$.prefix' } }),
      input: { prefix: 'logs/' },
    });
    const result = await execution.done;
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual([{ level: 'INFO', msg: 'up' }, { level: 'ERROR', msg: 'down' }, { level: 'WARN', msg: 'slow' }]);
    expect(reads).toEqual(['list {"Bucket":"logs-bucket","Prefix":"logs/"}', 'get logs/01.csv', 'get logs/02.csv']);
    expect((execution.events as readonly HistoryEvent[]).map((e) => e.type)).toEqual([
      'ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapRunStarted', 'MapRunSucceeded', 'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded',
    ]);
  });

  it('a JSONata Map over an Athena manifest of Parquet files, the handler giving bytes', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    runtime.handle(GET, ({ input }) => {
      const { Key } = input as { Key: string };
      if (Key === 'athena/q1-manifest.csv') return { Body: 's3://lake/unload/part-0.parquet\n' };
      return { Body: bytes(ROWS) as unknown as JsonValue };
    });
    const definition = {
      QueryLanguage: 'JSONata', StartAt: 'Read',
      States: {
        Read: {
          Type: 'Map', End: true, ItemProcessor: processor,
          ItemReader: { Resource: GET, ReaderConfig: { ManifestType: 'ATHENA_DATA', InputType: 'PARQUET' }, Arguments: { Bucket: 'lake', Key: '{% $states.input.manifest %}' } },
          ItemSelector: { id: '{% $states.context.Map.Item.Value.id %}', qty: '{% $states.context.Map.Item.Value.qty %}' },
        },
      },
    } as StateMachineDefinition;
    const result = await runtime.startExecution({ definition, input: { manifest: 'athena/q1-manifest.csv' } }).done;
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual([{ id: 1, qty: 10 }, { id: 2, qty: 20 }, { id: 3, qty: '9007199254740993' }]);
  });

  it('a mock answers a Parquet read with the base64 of the file', async () => {
    const mockConfig = parseMockConfig({
      StateMachines: { M: { TestCases: { T: { Read: 'ParquetFile' } } } },
      MockedResponses: { ParquetFile: { '0': { Return: { Body: GZIP_ROWS } } } },
    });
    const definition = mapOf({ Resource: GET, ReaderConfig: { InputType: 'PARQUET' }, Parameters: { Bucket: 'b', Key: 'rows.parquet' } });
    const result = await createRuntime({ clock: 'virtual', mockConfig }).run({ definition, stateMachineName: 'M', testCase: 'T' });
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: [{ n: 7, s: 'x' }, { n: 8, s: 'y' }] });
  });

  it('an object that fails to read fails the Map Run, then the Map, with States.ItemReaderFailed naming the object', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    runtime.handle(LIST, () => ({ Contents: [object('in/a.json')] }));
    runtime.handle(GET, () => {
      throw Object.assign(new Error('Access Denied'), { name: 'S3.AccessDenied' });
    });
    const execution = runtime.startExecution({ definition: mapOf({ Resource: LIST, ReaderConfig: { InputType: 'JSON', Transformation: 'LOAD_AND_FLATTEN' }, Parameters: { Bucket: 'b' } }) });
    const result = await execution.done;
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.ItemReaderFailed' });
    expect(result.cause).toContain('Failed to read s3://b/in/a.json: Access Denied');
    const events = execution.events as readonly HistoryEvent[];
    expect(events.map((e) => e.type)).toEqual(['ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapRunStarted', 'MapRunFailed', 'MapStateFailed', 'ExecutionFailed']);
  });
});
