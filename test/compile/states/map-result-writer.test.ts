import { describe, expect, it } from 'vitest';
import {
  TaskFailure, createMemoryEventStore, createRuntime, parseMockConfig, type HistoryEvent, type JsonValue, type Runtime, type State, type StateMachineDefinition,
} from '../../../src/index.js';
import type { ServiceRequest } from '../../../src/resources/service-caller.js';
import { childIdentity } from '../../../src/compile/states/result-writer.js';

/**
 * A Distributed Map's ResultWriter (DG:input-output-resultwriter) run through the public API:
 * the S3 writes answered by a handler registered for `arn:aws:states:::s3:putObject`.
 */

const PUT = 'arn:aws:states:::s3:putObject';
const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:last';

interface Write {
  Bucket: string;
  Key: string;
  Body: string;
}

/** Captures the writes; `seen` is what the history held when each was made. */
function captureWrites(runtime: Runtime, fail?: (key: string) => Error | undefined) {
  const writes: Write[] = [];
  const requests: { resource: string; stateName: string }[] = [];
  runtime.handle(PUT, ({ input, resource, stateName }) => {
    const write = input as unknown as Write;
    requests.push({ resource, stateName });
    const problem = fail?.(write.Key);
    if (problem) throw problem;
    writes.push(write);
    return { ETag: `"${write.Key.length}"` };
  });
  return { writes, requests };
}

const processor = (states: Record<string, State>, startAt = Object.keys(states)[0]!) => ({
  ProcessorConfig: { Mode: 'DISTRIBUTED' as const, ExecutionType: 'STANDARD' as const }, StartAt: startAt, States: states,
});

/** Items named 'bad...' fail; the others succeed with `{ value: item }`. */
const failingOnBad: Record<string, State> = {
  Route: { Type: 'Choice', Choices: [{ Variable: '$', StringMatches: 'bad*', Next: 'Boom' }], Default: 'Keep' },
  Boom: { Type: 'Fail', Error: 'Item.Failed', Cause: 'a bad item' },
  Keep: { Type: 'Pass', Parameters: { 'value.$': '$' }, End: true },
};

const mapRunArnOf = (events: readonly HistoryEvent[]) =>
  (events.find((e) => e.type === 'MapRunStarted') as { mapRunStartedEventDetails: { mapRunArn: string } }).mapRunStartedEventDetails.mapRunArn;
const types = (events: readonly HistoryEvent[]) => events.map((e) => e.type);
const runId = (arn: string) => arn.slice(arn.lastIndexOf(':') + 1);

describe('ResultWriter: export to S3 (JSONPath)', () => {
  const definition: StateMachineDefinition = {
    StartAt: 'Fan',
    States: {
      Fan: {
        Type: 'Map', ItemsPath: '$.items', Label: 'Orders',
        ItemProcessor: processor({ Keep: { Type: 'Pass', Parameters: { 'value.$': '$' }, End: true } }),
        ResultWriter: { Resource: PUT, Parameters: { Bucket: 'results', 'Prefix.$': '$.prefix' } },
        End: true,
      },
    },
  };

  it('writes SUCCEEDED_0.json and manifest.json under <Prefix>/<map run id>/ and outputs the Map Run ARN and manifest location', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    const { writes, requests } = captureWrites(runtime);
    const execution = runtime.startExecution({ definition, input: { items: [1, 2, 3], prefix: 'jobs' } });
    const result = await execution.done;
    expect(result.status).toBe('SUCCEEDED');
    const mapRunArn = mapRunArnOf(execution.events);
    const dir = `jobs/${runId(mapRunArn)}/`;
    expect(result.output).toEqual({ MapRunArn: mapRunArn, ResultWriterDetails: { Bucket: 'results', Key: `${dir}manifest.json` } });
    expect(writes.map((w) => [w.Bucket, w.Key])).toEqual([['results', `${dir}SUCCEEDED_0.json`], ['results', `${dir}manifest.json`]]);
    expect(requests).toEqual([{ resource: PUT, stateName: 'Fan' }, { resource: PUT, stateName: 'Fan' }]);

    // NONE, the export's default: each child execution with its workflow metadata.
    const records = JSON.parse(writes[0]!.Body) as Record<string, JsonValue>[];
    const machine = `${execution.identity.stateMachineArn}/Orders`;
    expect(records).toHaveLength(3);
    records.forEach((record, index) => {
      const id = childIdentity(mapRunArn, index, execution.identity.executionArn);
      expect(record).toEqual({
        ExecutionArn: `${machine.replace(':stateMachine:', ':execution:')}:${id.name}`,
        Input: String(index + 1),
        InputDetails: { Included: true },
        Name: id.name,
        Output: JSON.stringify({ value: index + 1 }),
        OutputDetails: { Included: true },
        RedriveCount: 0,
        RedriveStatus: 'NOT_REDRIVABLE',
        RedriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven',
        StartDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        StateMachineArn: machine,
        Status: 'SUCCEEDED',
        StopDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
    });
    expect(new Set(records.map((r) => r.Name)).size).toBe(3);

    expect(JSON.parse(writes[1]!.Body)).toEqual({
      DestinationBucket: 'results',
      MapRunArn: mapRunArn,
      ResultFiles: { FAILED: [], PENDING: [], SUCCEEDED: [{ Key: `${dir}SUCCEEDED_0.json`, Size: Buffer.byteLength(writes[0]!.Body) }] },
    });
  });

  it('records no event for the writes (as AWS: no Task events in the parent), and makes them before MapRunSucceeded', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    const seen: string[][] = [];
    let events: () => readonly HistoryEvent[] = () => [];
    runtime.handle(PUT, () => {
      seen.push(types(events()));
      return {};
    });
    const execution = runtime.startExecution({ definition, input: { items: [1, 2], prefix: 'p' } });
    events = () => execution.events;
    await execution.done;
    expect(types(execution.events)).toEqual([
      'ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapRunStarted', 'MapRunSucceeded', 'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded',
    ]);
    expect(seen).toHaveLength(2);
    for (const history of seen) {
      expect(history.at(-1)).toBe('MapRunStarted');
      expect(history).not.toContain('MapRunSucceeded');
    }
  });

  it('names each child from its parent, its Map Run and its index: the same items in another execution get other names', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    const { writes } = captureWrites(runtime);
    const a = runtime.startExecution({ definition, input: { items: ['x'], prefix: 'p' } });
    await a.done;
    const b = runtime.startExecution({ definition, input: { items: ['x'], prefix: 'p' } });
    await b.done;
    const nameOf = (w: Write) => (JSON.parse(w.Body) as { Name: string }[])[0]!.Name;
    expect(nameOf(writes[0]!)).toBe(childIdentity(mapRunArnOf(a.events), 0, a.identity.executionArn).name);
    expect(nameOf(writes[2]!)).toBe(childIdentity(mapRunArnOf(b.events), 0, b.identity.executionArn).name);
    expect(nameOf(writes[0]!)).not.toBe(nameOf(writes[2]!));
  });
});

describe('ResultWriter: export to S3 (JSONata)', () => {
  it('takes Bucket and Prefix from Arguments, and writes FLATTEN as JSON Lines in .json files', async () => {
    const definition: StateMachineDefinition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Map', Items: '{% $states.input.items %}',
          ItemProcessor: processor({ Pair: { Type: 'Pass', Output: '{% [$states.input, $states.input * 10] %}', End: true } }),
          ResultWriter: {
            Resource: PUT,
            Arguments: { Bucket: '{% $states.input.bucket %}', Prefix: 'flat' },
            WriterConfig: { Transformation: 'FLATTEN', OutputType: 'JSONL' },
          },
          Output: '{% $states.result.ResultWriterDetails %}',
          End: true,
        },
      },
    } as StateMachineDefinition;
    const runtime = createRuntime({ clock: 'virtual' });
    const { writes } = captureWrites(runtime);
    const execution = runtime.startExecution({ definition, input: { items: [1, 2], bucket: 'lake' } });
    const result = await execution.done;
    expect(result.status).toBe('SUCCEEDED');
    const dir = `flat/${runId(mapRunArnOf(execution.events))}/`;
    expect(result.output).toEqual({ Bucket: 'lake', Key: `${dir}manifest.json` });
    expect(writes.map((w) => w.Key)).toEqual([`${dir}SUCCEEDED_0.json`, `${dir}manifest.json`]);
    expect(writes[0]!.Body).toBe('1\n10\n2\n20\n');
    expect(JSON.parse(writes[1]!.Body).ResultFiles.SUCCEEDED).toEqual([{ Key: `${dir}SUCCEEDED_0.json`, Size: 10 }]);
  });
});

describe('ResultWriter: WriterConfig alone (preview, no S3)', () => {
  const previewing = (transformation: string): StateMachineDefinition => ({
    StartAt: 'Fan',
    States: {
      Fan: {
        Type: 'Map', ToleratedFailureCount: 1,
        ItemProcessor: processor({
          Route: { Type: 'Choice', Choices: [{ Variable: '$', StringEquals: 'bad', Next: 'Boom' }], Default: 'Pair' },
          Boom: { Type: 'Fail', Error: 'Item.Failed', Cause: 'a bad item' },
          Pair: { Type: 'Pass', Parameters: { 'items.$': 'States.Array($, $)' }, OutputPath: '$.items', End: true },
        }),
        ResultWriter: { WriterConfig: { Transformation: transformation, OutputType: 'JSON' } },
        End: true,
      },
    },
  } as StateMachineDefinition);

  it('COMPACT: the outputs, a failed child as its execution record; nothing is written', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    const { requests } = captureWrites(runtime);
    const execution = runtime.startExecution({ definition: previewing('COMPACT'), input: ['a', 'bad'] });
    const result = await execution.done;
    expect(result.status).toBe('SUCCEEDED');
    const output = result.output as JsonValue[];
    expect(output[0]).toEqual(['a', 'a']);
    expect(output[1]).toMatchObject({ Cause: 'a bad item', Error: 'Item.Failed', Input: '"bad"', Status: 'FAILED', RedriveStatus: 'REDRIVABLE_BY_MAP_RUN' });
    expect(requests).toEqual([]);
  });

  it('FLATTEN flattens the array outputs; NONE gives every child with its metadata', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    const flat = await runtime.startExecution({ definition: previewing('FLATTEN'), input: ['a', 'b'] }).done;
    expect(flat.output).toEqual(['a', 'a', 'b', 'b']);
    const none = runtime.startExecution({ definition: previewing('NONE'), input: ['a', 'b'] });
    const records = (await none.done).output as Record<string, JsonValue>[];
    expect(records.map((r) => r.Output)).toEqual(['["a","a"]', '["b","b"]']);
    expect(records.map((r) => r.Name)).toEqual([0, 1].map((i) => childIdentity(mapRunArnOf(none.events), i, none.identity.executionArn).name));
  });

  it('an inline Map ignores the ResultWriter (it is for Distributed Maps)', async () => {
    const def = previewing('NONE');
    const fan = def.States.Fan as { ItemProcessor: { ProcessorConfig: { Mode: string } } };
    fan.ItemProcessor.ProcessorConfig.Mode = 'INLINE';
    const result = await createRuntime({ clock: 'virtual' }).startExecution({ definition: def, input: ['a'] }).done;
    expect(result.output).toEqual([['a', 'a']]);
  });
});

describe('ResultWriter: failed children', () => {
  const tolerant = (extra: Record<string, JsonValue>): StateMachineDefinition => ({
    StartAt: 'Fan',
    States: {
      Fan: {
        Type: 'Map', ItemProcessor: processor(failingOnBad),
        ResultWriter: { Resource: PUT, Parameters: { Bucket: 'b', Prefix: 'runs' } },
        ...extra,
        End: true,
      },
    },
  } as StateMachineDefinition);

  it('within the tolerated failures: SUCCEEDED and FAILED files, the Map succeeds', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    const { writes } = captureWrites(runtime);
    const execution = runtime.startExecution({ definition: tolerant({ ToleratedFailureCount: 1 }), input: ['a', 'bad', 'c'] });
    const result = await execution.done;
    expect(result.status).toBe('SUCCEEDED');
    const mapRunArn = mapRunArnOf(execution.events);
    const dir = `runs/${runId(mapRunArn)}/`;
    expect(writes.map((w) => w.Key)).toEqual([`${dir}SUCCEEDED_0.json`, `${dir}FAILED_0.json`, `${dir}manifest.json`]);
    expect((JSON.parse(writes[0]!.Body) as { Input: string }[]).map((r) => r.Input)).toEqual(['"a"', '"c"']);
    const [failed] = JSON.parse(writes[1]!.Body) as Record<string, JsonValue>[];
    expect(failed).toMatchObject({
      Cause: 'a bad item', Error: 'Item.Failed', ExecutionArn: childIdentity(mapRunArn, 1, execution.identity.executionArn).executionArn, Input: '"bad"',
      Status: 'FAILED', RedriveStatus: 'REDRIVABLE_BY_MAP_RUN',
    });
    expect(failed).not.toHaveProperty('Output');
    const manifest = JSON.parse(writes[2]!.Body);
    expect(manifest.ResultFiles.FAILED).toEqual([{ Key: `${dir}FAILED_0.json`, Size: Buffer.byteLength(writes[1]!.Body) }]);
    expect(result.output).toEqual({ MapRunArn: mapRunArn, ResultWriterDetails: { Bucket: 'b', Key: `${dir}manifest.json` } });
  });

  it('past the threshold: the results are still written (FAILED, and PENDING for the children never started) before MapRunFailed', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    const seen: string[][] = [];
    let events: () => readonly HistoryEvent[] = () => [];
    const writes: Write[] = [];
    runtime.handle(PUT, ({ input }) => {
      seen.push(types(events()));
      writes.push(input as unknown as Write);
      return {};
    });
    const execution = runtime.startExecution({ definition: tolerant({ MaxConcurrency: 1 }), input: ['a', 'bad', 'c'] });
    events = () => execution.events;
    const result = await execution.done;
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold', cause: 'The specified tolerated failure threshold was exceeded' });
    const dir = `runs/${runId(mapRunArnOf(execution.events))}/`;
    expect(writes.map((w) => w.Key)).toEqual([`${dir}SUCCEEDED_0.json`, `${dir}FAILED_0.json`, `${dir}PENDING_0.json`, `${dir}manifest.json`]);
    expect(JSON.parse(writes[2]!.Body)).toEqual([{ Input: '"c"', InputDetails: { Included: true } }]);
    expect(Object.keys(JSON.parse(writes[3]!.Body).ResultFiles).map((k) => JSON.parse(writes[3]!.Body).ResultFiles[k].length)).toEqual([1, 1, 1]);
    for (const history of seen) expect(history).not.toContain('MapRunFailed');
    expect(types(execution.events).slice(-4)).toEqual(['MapRunStarted', 'MapRunFailed', 'MapStateFailed', 'ExecutionFailed']);
    const mapRunFailed = execution.events.find((e) => e.type === 'MapRunFailed') as { mapRunFailedEventDetails?: JsonValue };
    expect(mapRunFailed.mapRunFailedEventDetails).toEqual({ error: 'States.ExceedToleratedFailureThreshold', cause: 'The specified tolerated failure threshold was exceeded' });
  });
});

describe('ResultWriter: a child in flight when the Map Run fails', () => {
  it('is written to FAILED_0.json as ABORTED, with its start and stop dates', async () => {
    const definition: StateMachineDefinition = {
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Map',
          ItemProcessor: processor({
            Route: { Type: 'Choice', Choices: [{ Variable: '$', StringEquals: 'bad', Next: 'Boom' }], Default: 'Call' },
            Boom: { Type: 'Fail', Error: 'Item.Failed' },
            Call: { Type: 'Task', Resource: LAMBDA, End: true },
          }),
          ResultWriter: { Resource: PUT, Parameters: { Bucket: 'b' } },
          End: true,
        },
      },
    };
    const runtime = createRuntime({ clock: 'virtual' });
    const { writes } = captureWrites(runtime);
    runtime.handle(LAMBDA, () => new Promise(() => {})); // never answers
    const execution = runtime.startExecution({ definition, input: ['slow', 'bad'] });
    const result = await execution.done;
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
    const mapRunArn = mapRunArnOf(execution.events);
    const dir = `${runId(mapRunArn)}/`;
    expect(writes.map((w) => w.Key)).toEqual([`${dir}FAILED_0.json`, `${dir}manifest.json`]);
    const [aborted, failed] = JSON.parse(writes[0]!.Body) as Record<string, JsonValue>[];
    expect(aborted).toMatchObject({ ExecutionArn: childIdentity(mapRunArn, 0, execution.identity.executionArn).executionArn, Input: '"slow"', Status: 'ABORTED', RedriveStatus: 'REDRIVABLE_BY_MAP_RUN' });
    expect(aborted).toHaveProperty('StopDate');
    expect(aborted).not.toHaveProperty('Error');
    expect(failed).toMatchObject({ Error: 'Item.Failed', Input: '"bad"', Status: 'FAILED' });
    expect(failed).not.toHaveProperty('Cause');
  });
});

describe('ResultWriter: a write that fails', () => {
  const definition = (caught = false): StateMachineDefinition => ({
    StartAt: 'Fan',
    States: {
      Fan: {
        Type: 'Map', ItemProcessor: processor({ Keep: { Type: 'Pass', End: true } }),
        ResultWriter: { Resource: PUT, Parameters: { Bucket: 'locked', Prefix: 'p' } },
        ...(caught ? { Catch: [{ ErrorEquals: ['States.ResultWriterFailed'], Next: 'Recovered' }], Next: 'Recovered' } : { End: true }),
      },
      ...(caught ? { Recovered: { Type: 'Pass', End: true } } : {}),
    },
  } as StateMachineDefinition);

  it('fails the Map Run and the Map with States.ResultWriterFailed, naming the object and what S3 said', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    captureWrites(runtime, (key) => (key.endsWith('manifest.json') ? new TaskFailure('S3.AccessDenied', 'Access Denied') : undefined));
    const execution = runtime.startExecution({ definition: definition(), input: [1] });
    const result = await execution.done;
    const key = `p/${runId(mapRunArnOf(execution.events))}/manifest.json`;
    const entered = execution.events.find((e) => e.type === 'MapStateEntered')!;
    expect(result).toMatchObject({
      status: 'FAILED',
      error: 'States.ResultWriterFailed',
      cause: `An error occurred while executing the state 'Fan' (entered at the event id #${entered.id}). Failed to write '${key}' into the specified output bucket 'locked'. | Message from S3: Access Denied`,
    });
    expect(types(execution.events).slice(-4)).toEqual(['MapRunStarted', 'MapRunFailed', 'MapStateFailed', 'ExecutionFailed']);
    expect((execution.events.find((e) => e.type === 'MapRunFailed') as { mapRunFailedEventDetails: { error: string } }).mapRunFailedEventDetails.error).toBe('States.ResultWriterFailed');
  });

  it('is caught by a Catch on States.ResultWriterFailed', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    captureWrites(runtime, () => new Error('bucket unreachable'));
    const result = await runtime.startExecution({
      definition: definition(true),
      input: [1, 2],
    }).done;
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({ Error: 'States.ResultWriterFailed', Cause: expect.stringContaining('Message from S3: bucket unreachable') });
  });

  it('with nothing to answer the writes, the Map fails with States.ResultWriterFailed', async () => {
    const result = await createRuntime({ clock: 'virtual' }).startExecution({ definition: definition(), input: [1] }).done;
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.ResultWriterFailed' });
  });
});

describe('ResultWriter: who answers the writes', () => {
  const definition: StateMachineDefinition = {
    StartAt: 'Fan',
    States: {
      Fan: {
        Type: 'Map', ItemProcessor: processor({ Keep: { Type: 'Pass', End: true } }),
        ResultWriter: { Resource: PUT, Parameters: { Bucket: 'b', Prefix: 'p' } },
        End: true,
      },
    },
  };

  it('a mock for the Map state answers every write', async () => {
    const mockConfig = parseMockConfig({
      StateMachines: { M: { TestCases: { T: { Fan: 'Stored' } } } },
      MockedResponses: { Stored: { '0': { Return: { ETag: '"mocked"' } } } },
    });
    const result = await createRuntime({ clock: 'virtual', mockConfig }).run({ definition, input: [1, 2], stateMachineName: 'M', testCase: 'T' });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({ ResultWriterDetails: { Bucket: 'b', Key: expect.stringMatching(/^p\/.+\/manifest\.json$/) } });
  });

  it('a service caller gets them as the s3:putObject integration', async () => {
    const calls: ServiceRequest[] = [];
    const services = { call: async (request: ServiceRequest) => (calls.push(request), {}) };
    const result = await createRuntime({ clock: 'virtual', services }).run({ definition, input: [1] });
    expect(result.status).toBe('SUCCEEDED');
    expect(calls.map((c) => [c.target.resourceType, c.target.resource, (c.input as { Key: string }).Key.split('/').pop()])).toEqual([
      ['s3', 'putObject', 'SUCCEEDED_0.json'],
      ['s3', 'putObject', 'manifest.json'],
    ]);
  });
});

describe('ResultWriter: resume and replay', () => {
  const definition: StateMachineDefinition = {
    StartAt: 'Fan',
    States: {
      Fan: {
        Type: 'Map', ItemsPath: '$.items', ItemProcessor: processor(failingOnBad), ToleratedFailureCount: 1,
        ResultWriter: { Resource: PUT, Parameters: { Bucket: 'b', Prefix: 'p' }, WriterConfig: { Transformation: 'COMPACT', OutputType: 'JSON' } },
        ResultPath: '$.written',
        Next: 'Last',
      },
      Last: { Type: 'Task', Resource: LAMBDA, End: true },
    },
  };

  async function until(condition: () => Promise<boolean>): Promise<void> {
    for (let i = 0; i < 500 && !(await condition()); i++) await new Promise((r) => setTimeout(r, 5));
  }

  // The writes are not recorded (AWS records no event for them): a resume runs the Map again,
  // writing the same objects, and reproduces the recorded events. (runtime.replay, which calls
  // nothing, cannot answer them, as it cannot answer an ItemReader: see the README.)
  it('a resume after the Map reproduces its events and the Map Run ARN, and writes nothing again', async () => {
    const store = createMemoryEventStore();
    const first = createRuntime({ store, clock: 'virtual' });
    const firstWrites = captureWrites(first).writes;
    first.handle(LAMBDA, () => new Promise(() => {})); // the process "dies" with Last in flight
    const execution = first.startExecution({ definition, input: { items: ['a', 'bad', 'c'] }, name: 'exported' });
    const arn = execution.identity.executionArn;
    await until(async () => (await store.read(arn)).at(-1)?.type === 'LambdaFunctionStarted');
    const recorded = await store.read(arn);
    expect(types(recorded)).toContain('MapRunSucceeded');

    const second = createRuntime({ store, clock: 'virtual' });
    const secondWrites = captureWrites(second).writes;
    second.handle(LAMBDA, ({ input }) => input);
    const [resumed] = await second.start();
    const result = await resumed!.done;
    expect(result.status).toBe('SUCCEEDED');
    const all = await store.read(arn);
    expect(all.slice(0, recorded.length)).toEqual(recorded);
    const mapRunArn = mapRunArnOf(all);
    expect(result.output).toEqual({ items: ['a', 'bad', 'c'], written: { MapRunArn: mapRunArn, ResultWriterDetails: { Bucket: 'b', Key: `p/${runId(mapRunArn)}/manifest.json` } } });
    // The resume runs the Map again to reach where it was, but takes how its export ended from
    // what the execution remembered: nothing is written twice.
    expect(firstWrites.map((w) => w.Key)).toContain(`p/${runId(mapRunArn)}/manifest.json`);
    expect(secondWrites).toEqual([]);
    expect(types(all).slice(recorded.length)).toEqual(['LambdaFunctionSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
  });
});
