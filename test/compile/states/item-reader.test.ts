import { describe, expect, it } from 'vitest';
import { createRuntime, type HistoryEvent, type JsonValue, type StateMachineDefinition } from '../../../src/index.js';
import { itemsFromReader, objectItemsFromListing } from '../../../src/compile/states/item-reader.js';

/**
 * An ItemReader's data turned into a Distributed Map's items (DG:input-output-itemreader). The
 * listing items are in the shape AWS gave children in a recorded run (LocalStack's
 * test_map_item_reader_base_list_objects_v2, validated against AWS): Etag, Key, LastModified,
 * Size, StorageClass; LastModified in epoch seconds as AWS hands it to a JSONPath child.
 */

const listing = (keys: string[], extra: Record<string, JsonValue> = {}): Record<string, JsonValue> => ({
  Name: 'bucket', Prefix: 'in/', KeyCount: keys.length, MaxKeys: 1000, IsTruncated: false,
  Contents: keys.map((Key, i) => ({
    Key, LastModified: `2026-12-03T10:00:0${i}.000Z`, ETag: `"etag-${i}"`, Size: 10 + i, StorageClass: 'STANDARD',
    ChecksumAlgorithm: ['CRC32'], Owner: { ID: 'abc' },
  })),
  ...extra,
});

describe('itemsFromReader', () => {
  it('makes one item per listed object, in the shape AWS gives each child', () => {
    expect(itemsFromReader(listing(['in/a.txt', 'in/b.txt']), undefined)).toEqual([
      { Etag: '"etag-0"', Key: 'in/a.txt', LastModified: 1796292000, Size: 10, StorageClass: 'STANDARD' },
      { Etag: '"etag-1"', Key: 'in/b.txt', LastModified: 1796292001, Size: 11, StorageClass: 'STANDARD' },
    ]);
  });

  it('keeps the listed order and field order (Etag, Key, LastModified, Size, StorageClass)', () => {
    const [item] = objectItemsFromListing(listing(['z'])) as Record<string, JsonValue>[];
    expect(Object.keys(item!)).toEqual(['Etag', 'Key', 'LastModified', 'Size', 'StorageClass']);
  });

  it('takes LastModified as a number already (a mock or handler answering in AWS’s item shape), a Date’s JSON, or a Date', () => {
    const items = objectItemsFromListing({ Contents: [
      { Key: 'a', LastModified: 1668699881, Etag: '"x"', Size: 1, StorageClass: 'STANDARD' },
      { Key: 'b', LastModified: new Date(Date.UTC(2022, 10, 17, 15, 44, 41, 900)).toJSON(), ETag: '"y"', Size: 2, StorageClass: 'GLACIER' },
      // A handler passing on the AWS SDK's answer, whose LastModified is a Date.
      { Key: 'c', LastModified: new Date(Date.UTC(2022, 10, 17, 15, 44, 41, 900)) as unknown as JsonValue, ETag: '"z"', Size: 3, StorageClass: 'STANDARD' },
    ] });
    expect(items).toEqual([
      { Etag: '"x"', Key: 'a', LastModified: 1668699881, Size: 1, StorageClass: 'STANDARD' },
      { Etag: '"y"', Key: 'b', LastModified: 1668699881, Size: 2, StorageClass: 'GLACIER' },
      { Etag: '"z"', Key: 'c', LastModified: 1668699881, Size: 3, StorageClass: 'STANDARD' },
    ]);
  });

  it('reads an empty listing (no Contents, as S3 answers when nothing matches) as no items', () => {
    expect(itemsFromReader({ Name: 'bucket', KeyCount: 0, IsTruncated: false }, undefined)).toEqual([]);
  });

  it('applies MaxItems to a listing', () => {
    expect((itemsFromReader(listing(['a', 'b', 'c']), { MaxItems: 2 }) as { Key: string }[]).map((i) => i.Key)).toEqual(['a', 'b']);
  });

  it('still reads a file body: JSON, JSON Lines, CSV with a delimiter', () => {
    expect(itemsFromReader({ Body: '[1,{"a":2}]' }, { InputType: 'JSON' })).toEqual([1, { a: 2 }]);
    expect(itemsFromReader({ Body: '{"a":1}\n\n{"a":2}\n' }, { InputType: 'JSONL' })).toEqual([{ a: 1 }, { a: 2 }]);
    expect(itemsFromReader({ Body: 'id|name\n1|"x|y"\n2|z\n' }, { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW', CSVDelimiter: 'PIPE' }))
      .toEqual([{ id: '1', name: 'x|y' }, { id: '2', name: 'z' }]);
  });

  it('fails a JSON file that holds no array with AWS’s recorded cause', () => {
    expect(() => itemsFromReader({ Body: '{"a":1}' }, { InputType: 'JSON' })).toThrow(expect.objectContaining({
      error: 'States.ItemReaderFailed', causeText: 'Attempting to map over non-iterable node.',
    }));
  });

  it('fails duplicate CSV headers with AWS’s recorded cause', () => {
    expect(() => itemsFromReader('1,2\n', { InputType: 'CSV', CSVHeaderLocation: 'GIVEN', CSVHeaders: ['H1', 'H1'] })).toThrow(expect.objectContaining({
      error: 'States.ItemReaderFailed', causeText: 'CSV headers cannot contain duplicates.',
    }));
    expect(() => itemsFromReader('a,b,a\n1,2,3\n', { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' })).toThrow('CSV headers cannot contain duplicates.');
  });
});

describe('a Distributed Map reading an S3 listing (s3:listObjectsV2)', () => {
  const LIST = 'arn:aws:states:::s3:listObjectsV2';
  const definition = (readerConfig?: JsonValue): StateMachineDefinition => ({
    StartAt: 'Files',
    States: {
      Files: {
        Type: 'Map', End: true,
        ItemReader: { Resource: LIST, Parameters: { 'Bucket.$': '$.bucket', Prefix: 'in/' }, ...(readerConfig ? { ReaderConfig: readerConfig } : {}) },
        ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } },
      },
    },
  } as StateMachineDefinition);

  it('runs one child per object, each given the object summary; the handler gets the ListObjectsV2 parameters', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    const calls: JsonValue[] = [];
    runtime.handle(LIST, ({ input }) => {
      calls.push(input);
      return listing(['in/a.csv', 'in/b.csv', 'in/c.csv']);
    });
    const execution = runtime.startExecution({ definition: definition(), input: { bucket: 'data' } });
    const result = await execution.done;
    expect(result.status).toBe('SUCCEEDED');
    expect(calls).toEqual([{ Bucket: 'data', Prefix: 'in/' }]);
    expect(result.output).toEqual([
      { Etag: '"etag-0"', Key: 'in/a.csv', LastModified: 1796292000, Size: 10, StorageClass: 'STANDARD' },
      { Etag: '"etag-1"', Key: 'in/b.csv', LastModified: 1796292001, Size: 11, StorageClass: 'STANDARD' },
      { Etag: '"etag-2"', Key: 'in/c.csv', LastModified: 1796292002, Size: 12, StorageClass: 'STANDARD' },
    ]);
    // The read itself records nothing (as on AWS); the Map Run starts before it, with length 0.
    const events = execution.events as readonly HistoryEvent[];
    expect(events.map((e) => e.type)).toEqual(['ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapRunStarted', 'MapRunSucceeded', 'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded']);
    expect(events[2]!.mapStateStartedEventDetails).toEqual({ length: 0 });
  });

  it('a read that fails fails the Map Run (MapRunFailed, States.ItemReaderFailed), then the Map', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    runtime.handle(LIST, () => {
      throw Object.assign(new Error('The specified bucket does not exist'), { name: 'S3.NoSuchBucketException' });
    });
    const execution = runtime.startExecution({ definition: definition(), input: { bucket: 'nope' } });
    const result = await execution.done;
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.ItemReaderFailed' });
    const events = execution.events as readonly HistoryEvent[];
    expect(events.map((e) => e.type)).toEqual(['ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapRunStarted', 'MapRunFailed', 'MapStateFailed', 'ExecutionFailed']);
    expect(events[4]!.mapRunFailedEventDetails).toMatchObject({ error: 'States.ItemReaderFailed' });
    expect(String((events[4]!.mapRunFailedEventDetails as { cause: string }).cause)).toContain('The specified bucket does not exist');
  });

  it('MaxItems bounds the children', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    runtime.handle(LIST, () => listing(['in/a', 'in/b', 'in/c']));
    const result = await runtime.startExecution({ definition: definition({ MaxItems: 1 }), input: { bucket: 'data' } }).done;
    expect(result.status).toBe('SUCCEEDED');
    expect((result.output as { Key: string }[]).map((i) => i.Key)).toEqual(['in/a']);
  });
});

describe('a JSONata Distributed Map with an ItemReader', () => {
  it('evaluates the reader\'s Arguments, starts the Map Run, then reads, and runs one child per item', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    const calls: JsonValue[] = [];
    runtime.handle('arn:aws:states:::s3:getObject', ({ input }) => {
      calls.push(input);
      return { Body: 'id,qty\n7,1\n8,2\n' };
    });
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Rows',
      States: {
        Rows: {
          Type: 'Map', End: true,
          ItemReader: { Resource: 'arn:aws:states:::s3:getObject', Arguments: { Bucket: '{% $states.input.bucket %}', Key: "{% 'orders/' & $states.input.day & '.csv' %}" }, ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' } },
          ItemSelector: { order: '{% $states.context.Map.Item.Value.id %}' },
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } },
        },
      },
    } as unknown as StateMachineDefinition;
    const execution = runtime.startExecution({ definition, input: { bucket: 'shop', day: '2026-12-03' } });
    const result = await execution.done;
    expect(calls).toEqual([{ Bucket: 'shop', Key: 'orders/2026-12-03.csv' }]);
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: [{ order: '7' }, { order: '8' }] });
    expect((execution.events as readonly HistoryEvent[]).map((e) => e.type)).toEqual(['ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapRunStarted', 'MapRunSucceeded', 'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded']);
  });
});
