import { describe, expect, it } from 'vitest';
import { AslError } from '../../../src/errors/asl-error.js';
import {
  childIdentity, executionRecord, mapRunId, planExport, resultDirectory, splitIntoFiles, transformResults, uuidV3, writerPlanOf,
  type ChildRun,
} from '../../../src/compile/states/result-writer.js';

const MAP_RUN = 'arn:aws:states:us-east-1:123456789012:mapRun:orderProcessing/getOrders:ad9b5f27-090b-3ac6-9beb-243cd77144a7';
const START = Date.UTC(2025, 1, 4, 1, 49, 50, 99);
const STOP = Date.UTC(2025, 1, 4, 1, 49, 50, 163);

const orders = [{ customer_id: '145538', order_id: '100000' }, { customer_id: '898037', order_id: '100001' }];
const succeeded = (output: unknown, input: unknown = { n: 1 }): ChildRun => ({ input: input as never, status: 'SUCCEEDED', output: output as never, startDate: START, stopDate: STOP });
const failed: ChildRun = { input: { n: 2 }, status: 'FAILED', error: 'Item.Failed', cause: 'bad item', startDate: START, stopDate: STOP };

describe('child execution identity', () => {
  it('is a version-3 UUID name under the Map Run\'s state machine, as AWS forms child ARNs', () => {
    const id = childIdentity(MAP_RUN, 0);
    expect(id.name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(id.stateMachineArn).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:orderProcessing/getOrders');
    expect(id.executionArn).toBe(`arn:aws:states:us-east-1:123456789012:execution:orderProcessing/getOrders:${id.name}`);
  });

  it('depends on the Map Run and the index only', () => {
    expect(childIdentity(MAP_RUN, 3)).toEqual(childIdentity(MAP_RUN, 3));
    expect(childIdentity(MAP_RUN, 3).name).not.toBe(childIdentity(MAP_RUN, 4).name);
    expect(childIdentity(MAP_RUN.replace('ad9b', 'bd9b'), 3).name).not.toBe(childIdentity(MAP_RUN, 3).name);
  });

  it('uuidV3 is RFC 4122 name-based MD5 (the RFC\'s DNS example)', () => {
    // RFC 4122 errata / Python's uuid.uuid3(uuid.NAMESPACE_DNS, 'python.org').
    expect(uuidV3('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('6fa459ea-ee8a-3ca4-894e-db77e160355e');
  });

  it('the Map Run id is the last part of its ARN', () => {
    expect(mapRunId(MAP_RUN)).toBe('ad9b5f27-090b-3ac6-9beb-243cd77144a7');
  });
});

describe('executionRecord (the NONE transformation)', () => {
  it('a succeeded child: the fields of AWS\'s example, in its order, dates as ISO text, Input and Output as JSON text', () => {
    const id = childIdentity(MAP_RUN, 0);
    const record = executionRecord(succeeded(orders, { order: 1 }), id);
    expect(Object.keys(record)).toEqual([
      'ExecutionArn', 'Input', 'InputDetails', 'Name', 'Output', 'OutputDetails', 'RedriveCount', 'RedriveStatus', 'RedriveStatusReason',
      'StartDate', 'StateMachineArn', 'Status', 'StopDate',
    ]);
    expect(record).toEqual({
      ExecutionArn: id.executionArn,
      Input: '{"order":1}',
      InputDetails: { Included: true },
      Name: id.name,
      Output: '[{"customer_id":"145538","order_id":"100000"},{"customer_id":"898037","order_id":"100001"}]',
      OutputDetails: { Included: true },
      RedriveCount: 0,
      RedriveStatus: 'NOT_REDRIVABLE',
      RedriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven',
      StartDate: '2025-02-04T01:49:50.099Z',
      StateMachineArn: id.stateMachineArn,
      Status: 'SUCCEEDED',
      StopDate: '2025-02-04T01:49:50.163Z',
    });
  });

  it('a failed child: Error and Cause first, no Output, redrivable by its Map Run', () => {
    const record = executionRecord(failed, childIdentity(MAP_RUN, 1));
    expect(Object.keys(record)).toEqual([
      'Cause', 'Error', 'ExecutionArn', 'Input', 'InputDetails', 'Name', 'OutputDetails', 'RedriveCount', 'RedriveStatus',
      'StartDate', 'StateMachineArn', 'Status', 'StopDate',
    ]);
    expect(record).toMatchObject({ Cause: 'bad item', Error: 'Item.Failed', Status: 'FAILED', RedriveStatus: 'REDRIVABLE_BY_MAP_RUN' });
  });

  it('a child that never started has only its input', () => {
    expect(executionRecord({ input: 7, status: 'PENDING' }, undefined)).toEqual({ Input: '7', InputDetails: { Included: true } });
  });
});

describe('transformResults (a WriterConfig without export)', () => {
  const runs = [succeeded(orders), failed, succeeded('plain')];

  it('COMPACT: the outputs, a failed child as its record', () => {
    const out = transformResults(runs, MAP_RUN, 'COMPACT');
    expect(out).toHaveLength(3);
    expect(out[0]).toEqual(orders);
    expect(out[1]).toMatchObject({ Error: 'Item.Failed', Status: 'FAILED', ExecutionArn: childIdentity(MAP_RUN, 1).executionArn });
    expect(out[2]).toBe('plain');
  });

  it('FLATTEN: array outputs spread into the result, other outputs kept whole', () => {
    const out = transformResults(runs, MAP_RUN, 'FLATTEN');
    expect(out).toHaveLength(4);
    expect(out.slice(0, 2)).toEqual(orders);
    expect(out[2]).toMatchObject({ Status: 'FAILED' });
    expect(out[3]).toBe('plain');
  });

  it('NONE: every child as its record', () => {
    const out = transformResults(runs, MAP_RUN, 'NONE');
    expect(out.map((r) => (r as { Status: string }).Status)).toEqual(['SUCCEEDED', 'FAILED', 'SUCCEEDED']);
    expect((out[2] as { Output: string }).Output).toBe('"plain"');
  });
});

describe('splitIntoFiles', () => {
  it('JSON: one array per file; JSONL: a line per value', () => {
    expect(splitIntoFiles([1, { a: 'b' }], 'JSON')).toEqual(['[1,{"a":"b"}]']);
    expect(splitIntoFiles([1, { a: 'b' }], 'JSONL')).toEqual(['1\n{"a":"b"}\n']);
    expect(splitIntoFiles([], 'JSON')).toEqual([]);
  });

  it('starts the next file where one more value would pass the limit', () => {
    // "[10,20]" is 7 bytes; a third value would make it 10.
    expect(splitIntoFiles([10, 20, 30, 40, 50], 'JSON', 9)).toEqual(['[10,20]', '[30,40]', '[50]']);
    expect(splitIntoFiles([10, 20, 30], 'JSON', 10)).toEqual(['[10,20,30]']);
    expect(splitIntoFiles([10, 20, 30], 'JSONL', 6)).toEqual(['10\n20\n', '30\n']);
  });

  it('a value larger than the limit gets a file of its own', () => {
    expect(splitIntoFiles(['short', 'x'.repeat(50), 's'], 'JSON', 12)).toEqual(['["short"]', `["${'x'.repeat(50)}"]`, '["s"]']);
  });

  it('counts bytes, not characters', () => {
    // "é" is two bytes in UTF-8: ["é","é"] is 11 bytes.
    expect(splitIntoFiles(['é', 'é'], 'JSON', 10)).toEqual(['["é"]', '["é"]']);
  });
});

describe('resultDirectory', () => {
  it('is <Prefix>/<map run id>/, with the slash added only when missing', () => {
    expect(resultDirectory('csvProcessJobs', MAP_RUN)).toBe('csvProcessJobs/ad9b5f27-090b-3ac6-9beb-243cd77144a7/');
    expect(resultDirectory('jobs/', MAP_RUN)).toBe('jobs/ad9b5f27-090b-3ac6-9beb-243cd77144a7/');
    expect(resultDirectory(undefined, MAP_RUN)).toBe('ad9b5f27-090b-3ac6-9beb-243cd77144a7/');
    expect(resultDirectory('', MAP_RUN)).toBe('ad9b5f27-090b-3ac6-9beb-243cd77144a7/');
  });
});

describe('planExport', () => {
  const dir = 'csvProcessJobs/ad9b5f27-090b-3ac6-9beb-243cd77144a7/';

  it('writes SUCCEEDED and FAILED files as records (NONE), then a manifest naming them with their sizes', () => {
    const plan = planExport({ bucket: 'out', prefix: 'csvProcessJobs', mapRunArn: MAP_RUN, runs: [succeeded(1), failed, succeeded(3)], transformation: 'NONE', outputType: 'JSON' });
    expect(plan.objects.map((o) => o.Key)).toEqual([`${dir}SUCCEEDED_0.json`, `${dir}FAILED_0.json`, `${dir}manifest.json`]);
    expect(plan.objects.every((o) => o.Bucket === 'out')).toBe(true);
    const succeededFile = JSON.parse(plan.objects[0]!.Body) as { Output: string; Name: string }[];
    expect(succeededFile.map((r) => r.Output)).toEqual(['1', '3']);
    expect(succeededFile[1]!.Name).toBe(childIdentity(MAP_RUN, 2).name);
    expect(JSON.parse(plan.objects[1]!.Body)).toEqual([executionRecord(failed, childIdentity(MAP_RUN, 1))]);
    const manifest = JSON.parse(plan.objects[2]!.Body);
    expect(Object.keys(manifest)).toEqual(['DestinationBucket', 'MapRunArn', 'ResultFiles']);
    expect(Object.keys(manifest.ResultFiles)).toEqual(['FAILED', 'PENDING', 'SUCCEEDED']);
    expect(manifest).toEqual({
      DestinationBucket: 'out',
      MapRunArn: MAP_RUN,
      ResultFiles: {
        FAILED: [{ Key: `${dir}FAILED_0.json`, Size: Buffer.byteLength(plan.objects[1]!.Body) }],
        PENDING: [],
        SUCCEEDED: [{ Key: `${dir}SUCCEEDED_0.json`, Size: Buffer.byteLength(plan.objects[0]!.Body) }],
      },
    });
    expect(plan.result).toEqual({ MapRunArn: MAP_RUN, ResultWriterDetails: { Bucket: 'out', Key: `${dir}manifest.json` } });
  });

  it('COMPACT and FLATTEN change the SUCCEEDED files only; JSONL keeps the .json names', () => {
    const runs = [succeeded([1, 2]), failed, succeeded([3])];
    const flat = planExport({ bucket: 'out', prefix: 'csvProcessJobs', mapRunArn: MAP_RUN, runs, transformation: 'FLATTEN', outputType: 'JSONL' });
    expect(flat.objects[0]).toEqual({ Bucket: 'out', Key: `${dir}SUCCEEDED_0.json`, Body: '1\n2\n3\n' });
    expect(JSON.parse(flat.objects[1]!.Body.trim())).toMatchObject({ Error: 'Item.Failed', Status: 'FAILED' });
    const compact = planExport({ bucket: 'out', prefix: 'csvProcessJobs', mapRunArn: MAP_RUN, runs, transformation: 'COMPACT', outputType: 'JSON' });
    expect(compact.objects[0]!.Body).toBe('[[1,2],[3]]');
  });

  it('splits a status over numbered files past the size limit, and lists children never started as PENDING', () => {
    const runs = [succeeded(1), succeeded(2), succeeded(3), { input: 'later', status: 'PENDING' as const }];
    const plan = planExport({ bucket: 'b', mapRunArn: MAP_RUN, runs, transformation: 'COMPACT', outputType: 'JSON', maxFileBytes: 5 });
    const base = 'ad9b5f27-090b-3ac6-9beb-243cd77144a7/';
    expect(plan.objects.map((o) => [o.Key, o.Body])).toEqual([
      [`${base}SUCCEEDED_0.json`, '[1,2]'],
      [`${base}SUCCEEDED_1.json`, '[3]'],
      [`${base}PENDING_0.json`, '[{"Input":"\\"later\\"","InputDetails":{"Included":true}}]'],
      [`${base}manifest.json`, expect.any(String)],
    ]);
    const manifest = JSON.parse(plan.objects[3]!.Body);
    expect(manifest.ResultFiles.SUCCEEDED).toEqual([{ Key: `${base}SUCCEEDED_0.json`, Size: 5 }, { Key: `${base}SUCCEEDED_1.json`, Size: 3 }]);
    expect(manifest.ResultFiles.PENDING).toHaveLength(1);
  });

  it('no children: only the manifest, with empty lists', () => {
    const plan = planExport({ bucket: 'b', prefix: 'p', mapRunArn: MAP_RUN, runs: [], transformation: 'NONE', outputType: 'JSON' });
    expect(plan.objects).toHaveLength(1);
    expect(JSON.parse(plan.objects[0]!.Body).ResultFiles).toEqual({ FAILED: [], PENDING: [], SUCCEEDED: [] });
  });
});

describe('writerPlanOf', () => {
  it('WriterConfig alone previews: COMPACT unless given, no export', () => {
    expect(writerPlanOf({ WriterConfig: { OutputType: 'JSON' } }, undefined)).toEqual({ transformation: 'COMPACT', outputType: 'JSON' });
    expect(writerPlanOf({ WriterConfig: { OutputType: 'JSONL', Transformation: 'FLATTEN' } }, undefined)).toEqual({ transformation: 'FLATTEN', outputType: 'JSONL' });
  });

  it('Resource and Parameters export, NONE and JSON unless a WriterConfig says otherwise', () => {
    const writer = { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'b', Prefix: 'p' } };
    expect(writerPlanOf(writer, { Bucket: 'b', Prefix: 'p' })).toEqual({
      transformation: 'NONE', outputType: 'JSON', export: { resource: 'arn:aws:states:::s3:putObject', bucket: 'b', prefix: 'p' },
    });
    expect(writerPlanOf({ ...writer, WriterConfig: { OutputType: 'JSONL', Transformation: 'COMPACT' } }, { Bucket: 'b' })).toMatchObject({
      transformation: 'COMPACT', outputType: 'JSONL', export: { bucket: 'b', prefix: undefined },
    });
  });

  it('a Bucket that is no name fails with States.ResultWriterFailed', () => {
    expect(() => writerPlanOf({ Resource: 'arn:aws:states:::s3:putObject' }, { Prefix: 'p' })).toThrow(AslError);
    try {
      writerPlanOf({ Resource: 'arn:aws:states:::s3:putObject' }, { Bucket: 3 });
    } catch (e) {
      expect((e as AslError).error).toBe('States.ResultWriterFailed');
    }
  });
});
