import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createAwsServiceCaller } from '../../../adapters/aws-services/index.js';
import { createRuntime } from '../../../src/index.js';
import { GZIP_ROWS } from '../../compile/states/item-reader-parquet-fixtures.js';
import { fakeS3, readerMap as map } from './fake-s3.js';

/**
 * LOAD_AND_FLATTEN, manifests and Parquet through the AWS SDK caller, against a stand-in for
 * `@aws-sdk/client-s3` (as in item-reader-s3.test.ts): the listing's objects, a manifest's files
 * are each a GetObject call, and a binary body (a stream's bytes) reaches the reader whole.
 */

/** The fake S3 serving `objects`: a listing of their keys under a prefix, and each one's bytes as SDK v3's body stream. */
function objectStore(objects: Record<string, Uint8Array>) {
  return fakeS3((name, input) => {
    if (name === 'ListObjectsV2Command') {
      const prefix = String(input.Prefix ?? '');
      const keys = Object.keys(objects).filter((k) => k.startsWith(prefix)).sort();
      return { Name: input.Bucket, KeyCount: keys.length, IsTruncated: false, Contents: keys.map((Key) => ({ Key, Size: objects[Key]!.length, ETag: '"e"', LastModified: new Date(0), StorageClass: 'STANDARD' })) };
    }
    const body = objects[String(input.Key)]!;
    return { ContentLength: body.length, Body: { transformToByteArray: async () => body, transformToString: async () => new TextDecoder().decode(body) } };
  });
}


const text = (s: string) => new TextEncoder().encode(s);

describe('ItemReader sources through the AWS SDK caller', () => {
  it('LOAD_AND_FLATTEN lists the prefix, then gets each object: gzipped JSON Lines arrive as bytes and are read', async () => {
    const { sent, module } = objectStore({
      'logs/a.jsonl.gz': new Uint8Array(zlib.gzipSync('{"n":1}\n{"n":2}\n')),
      'logs/b.jsonl': text('{"n":3}\n'),
      'other/c.jsonl': text('{"n":99}\n'),
    });
    const runtime = createRuntime({ clock: 'virtual', services: createAwsServiceCaller({ endpoint: 'http://127.0.0.1:9', sdkModules: { s3: module } }) });
    const result = await runtime.startExecution({
      definition: map({ Resource: 'arn:aws:states:::s3:listObjectsV2', ReaderConfig: { InputType: 'JSONL', Transformation: 'LOAD_AND_FLATTEN' }, Parameters: { Bucket: 'data', Prefix: 'logs/' } }),
    }).done;
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(sent).toEqual([
      { command: 'ListObjectsV2Command', input: { Bucket: 'data', Prefix: 'logs/' } },
      { command: 'GetObjectCommand', input: { Bucket: 'data', Key: 'logs/a.jsonl.gz' } },
      { command: 'GetObjectCommand', input: { Bucket: 'data', Key: 'logs/b.jsonl' } },
    ]);
  });

  it('an Athena manifest of Parquet files: the manifest and each file are GetObject calls', async () => {
    const { sent, module } = objectStore({
      'q1-manifest.csv': text('s3://lake/unload/p0.parquet\n'),
      'unload/p0.parquet': new Uint8Array(Buffer.from(GZIP_ROWS, 'base64')),
    });
    const runtime = createRuntime({ clock: 'virtual', services: createAwsServiceCaller({ endpoint: 'http://127.0.0.1:9', sdkModules: { s3: module } }) });
    const result = await runtime.startExecution({
      definition: map({ Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { ManifestType: 'ATHENA_DATA', InputType: 'PARQUET' }, Parameters: { Bucket: 'lake', Key: 'q1-manifest.csv' } }),
    }).done;
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual([{ n: 7, s: 'x' }, { n: 8, s: 'y' }]);
    expect(sent.map((s) => s.input)).toEqual([{ Bucket: 'lake', Key: 'q1-manifest.csv' }, { Bucket: 'lake', Key: 'unload/p0.parquet' }]);
  });
});
