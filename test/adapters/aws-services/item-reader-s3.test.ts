import { describe, expect, it } from 'vitest';
import { createAwsServiceCaller } from '../../../adapters/aws-services/index.js';
import { createRuntime } from '../../../src/index.js';
import { fakeS3, readerMap as map } from './fake-s3.js';

/**
 * A Distributed Map's ItemReader through the AWS SDK caller: `s3:listObjectsV2` (every page)
 * and `s3:getObject` (the body as text), against a stand-in for `@aws-sdk/client-s3` given as
 * `sdkModules`, so that no test needs the package or reaches the network.
 */

const object = (Key: string, i: number) => ({
  Key, LastModified: new Date(Date.UTC(2026, 11, 3, 10, 0, i)), ETag: `"e${i}"`, Size: 100 + i, StorageClass: 'STANDARD',
});


describe('ItemReader through the AWS SDK caller', () => {
  it('s3:listObjectsV2 follows the continuation token and runs a child for each object of every page', async () => {
    const { sent, module } = fakeS3((_command, input) => input.ContinuationToken === undefined
      ? { Name: 'data', Prefix: 'in/', KeyCount: 2, IsTruncated: true, NextContinuationToken: 'page-2', Contents: [object('in/a', 0), object('in/b', 1)] }
      : { Name: 'data', Prefix: 'in/', KeyCount: 1, IsTruncated: false, ContinuationToken: 'page-2', Contents: [object('in/c', 2)] });
    const runtime = createRuntime({ clock: 'virtual', services: createAwsServiceCaller({ endpoint: 'http://127.0.0.1:9', sdkModules: { s3: module } }) });
    const result = await runtime.startExecution({
      definition: map({ Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { 'Bucket.$': '$.bucket', Prefix: 'in/' } }),
      input: { bucket: 'data' },
    }).done;
    expect(result.status).toBe('SUCCEEDED');
    expect(sent).toEqual([
      { command: 'ListObjectsV2Command', input: { Bucket: 'data', Prefix: 'in/' } },
      { command: 'ListObjectsV2Command', input: { Bucket: 'data', Prefix: 'in/', ContinuationToken: 'page-2' } },
    ]);
    const t0 = Date.UTC(2026, 11, 3, 10, 0, 0) / 1000;
    expect(result.output).toEqual([
      { Etag: '"e0"', Key: 'in/a', LastModified: t0, Size: 100, StorageClass: 'STANDARD' },
      { Etag: '"e1"', Key: 'in/b', LastModified: t0 + 1, Size: 101, StorageClass: 'STANDARD' },
      { Etag: '"e2"', Key: 'in/c', LastModified: t0 + 2, Size: 102, StorageClass: 'STANDARD' },
    ]);
  });

  it('s3:getObject reads the body (a stream, as SDK v3 gives it) and the Map parses it as ReaderConfig says', async () => {
    const csv = 'id;name\n1;ann\n2;"bo;b"\n3;cy\n';
    const { sent, module } = fakeS3(() => ({ ContentType: 'text/csv', ETag: '"f"', Body: { transformToString: async () => csv } }));
    const runtime = createRuntime({ clock: 'virtual', services: createAwsServiceCaller({ endpoint: 'http://127.0.0.1:9', sdkModules: { s3: module } }) });
    const result = await runtime.startExecution({
      definition: map({
        Resource: 'arn:aws:states:::s3:getObject',
        ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW', CSVDelimiter: 'SEMICOLON', MaxItems: 2 },
        Parameters: { Bucket: 'data', Key: 'people.csv', VersionId: 'v1' },
      }),
    }).done;
    expect(sent).toEqual([{ command: 'GetObjectCommand', input: { Bucket: 'data', Key: 'people.csv', VersionId: 'v1' } }]);
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual([{ id: '1', name: 'ann' }, { id: '2', name: 'bo;b' }]);
  });

  it('s3:getObject of a JSON Lines body given as bytes', async () => {
    const { module } = fakeS3(() => ({ Body: new TextEncoder().encode('{"n":1}\n{"n":2}\n') }));
    const runtime = createRuntime({ clock: 'virtual', services: createAwsServiceCaller({ sdkModules: { s3: module }, endpoint: 'http://127.0.0.1:9' }) });
    const result = await runtime.startExecution({
      definition: map({ Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSONL' }, Parameters: { Bucket: 'data', Key: 'n.jsonl' } }),
    }).done;
    expect(result.output).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('a read that S3 refuses fails the Map with States.ItemReaderFailed, the cause naming the S3 error', async () => {
    const { module } = fakeS3(() => {
      throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404, requestId: 'r1' } });
    });
    const runtime = createRuntime({ clock: 'virtual', services: createAwsServiceCaller({ sdkModules: { s3: module }, endpoint: 'http://127.0.0.1:9' }) });
    const result = await runtime.startExecution({
      definition: map({ Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Parameters: { Bucket: 'data', Key: 'missing.json' } }),
    }).done;
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.ItemReaderFailed' });
    expect(result.cause).toContain('The specified key does not exist.');
  });
});
