import { describe, expect, it } from 'vitest';
import { createMemoryEventStore, createRuntime, type JsonValue, type StateMachineDefinition } from '../../../src/index.js';
import { rememberedStreamOf } from '../../../src/store/remembered-stream.js';

const READER = 'arn:aws:states:::s3:getObject';
const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:charge';

/** A Distributed Map over the items a JSON file holds, each charged by a Task. */
const definition = {
  StartAt: 'Fan',
  States: {
    Fan: {
      Type: 'Map', Label: 'Orders', MaxConcurrency: 1,
      ItemReader: { Resource: READER, ReaderConfig: { InputType: 'JSON' }, Parameters: { Bucket: 'in', Key: 'orders.json' } },
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Charge', States: { Charge: { Type: 'Task', Resource: LAMBDA, End: true } } },
      End: true,
    },
  },
} as unknown as StateMachineDefinition;

/** A runtime whose file holds `items` (its reads counted), charging each item unless told to hang or decline it. */
function withFile(store: ReturnType<typeof createMemoryEventStore>, items: JsonValue[], charge: (item: JsonValue) => JsonValue | Promise<JsonValue>) {
  const runtime = createRuntime({ store, clock: 'virtual' });
  const reads = { count: 0 };
  runtime.handle(READER, () => {
    reads.count++;
    return JSON.stringify(items);
  });
  runtime.handle(LAMBDA, ({ input }) => charge(input));
  return { runtime, reads };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('the items an ItemReader read are remembered beside the history', () => {
  it('a resume after a crash takes them, not the file as it is now; replay needs no reader at all', async () => {
    const store = createMemoryEventStore();
    const first = withFile(store, [1, 2, 3], (item) => (item === 2 ? new Promise(() => {}) : { charged: item }));
    const parent = first.runtime.startExecution({ definition, input: {}, stateMachineName: 'Billing', name: 'crash' });
    await settle();
    expect(first.reads.count).toBe(1);
    expect((await store.read(rememberedStreamOf(parent.identity.executionArn))).map((e) => (e.rememberedEventDetails as { value: JsonValue }).value)).toEqual([{ items: [1, 2, 3], sources: [[0, 's3://in/orders.json']] }]);

    // The file changed while the process was down.
    const second = withFile(store, [7, 8, 9, 10], (item) => ({ charged: item }));
    const resumed = (await second.runtime.start()).find((j) => j.identity.executionArn === parent.identity.executionArn)!;
    expect(await resumed.done).toMatchObject({ status: 'SUCCEEDED', output: [{ charged: 1 }, { charged: 2 }, { charged: 3 }] });
    expect(second.reads.count).toBe(0);

    const bare = createRuntime({ store, clock: 'virtual' });
    const events = await store.read(parent.identity.executionArn);
    expect(await bare.replay({ executionArn: parent.identity.executionArn })).toEqual({ ok: true, replayedEvents: events.length });
  });

  it('a redriven Map Run runs on the items of its first attempt, as AWS does once children had started', async () => {
    const store = createMemoryEventStore();
    let decline = true;
    const first = withFile(store, ['a', 'b'], (item) => {
      if (decline && item === 'b') throw Object.assign(new Error('declined'), { name: 'Card.Declined' });
      return { charged: item };
    });
    const parent = first.runtime.startExecution({ definition, input: {}, stateMachineName: 'Billing' });
    expect((await parent.done).status).toBe('FAILED');
    decline = false;
    first.reads.count = 0;
    const redriven = await (await first.runtime.redrive(parent.identity.executionArn)).done;
    expect(redriven).toMatchObject({ status: 'SUCCEEDED', output: [{ charged: 'a' }, { charged: 'b' }] });
    expect(first.reads.count).toBe(0);
    const events = await store.read(parent.identity.executionArn);
    // The redrive does not start the Map again (checked against AWS recordings): one MapStateStarted.
    expect(events.filter((e) => e.type === 'MapStateStarted').map((e) => e.mapStateStartedEventDetails)).toEqual([{ length: 0 }]);
    expect(events.find((e) => e.type === 'MapRunRedriven')!.previousEventId).toBe(events.find((e) => e.type === 'MapStateStarted')!.id);
    expect(await first.runtime.replay({ executionArn: parent.identity.executionArn })).toEqual({ ok: true, replayedEvents: events.length });
  });

  it('a fork copied past the read keeps what the original read', async () => {
    const store = createMemoryEventStore();
    const { runtime, reads } = withFile(store, [1, 2], (item) => ({ charged: item }));
    const parent = runtime.startExecution({ definition, input: {}, stateMachineName: 'Billing' });
    await parent.done;
    reads.count = 0;
    const started = parent.events.find((e) => e.type === 'MapRunStarted')!;
    const fork = await runtime.fork(parent.identity.executionArn, { fromEventId: started.id });
    expect(await fork.done).toMatchObject({ status: 'SUCCEEDED', output: [{ charged: 1 }, { charged: 2 }] });
    expect(reads.count).toBe(0);
  });

  it('a read that failed is remembered as failed, so its replay fails alike; the redrive reads again', async () => {
    const store = createMemoryEventStore();
    const runtime = createRuntime({ store, clock: 'virtual' });
    let broken = true;
    runtime.handle(READER, () => {
      if (broken) throw Object.assign(new Error('NoSuchKey'), { name: 'S3.NoSuchKey' });
      return JSON.stringify([5]);
    });
    runtime.handle(LAMBDA, ({ input }) => ({ charged: input }));
    const parent = runtime.startExecution({ definition, input: {}, stateMachineName: 'Billing' });
    expect(await parent.done).toMatchObject({ status: 'FAILED', error: 'States.ItemReaderFailed' });
    const [failed] = await store.read(rememberedStreamOf(parent.identity.executionArn));
    expect((failed!.rememberedEventDetails as { value: JsonValue }).value).toMatchObject({ failed: { error: 'States.ItemReaderFailed', cause: 'NoSuchKey' } });
    broken = false;
    // The file is there now: the replay still fails where the first run did.
    expect(await runtime.replay({ executionArn: parent.identity.executionArn })).toMatchObject({ ok: true });
    expect(await (await runtime.redrive(parent.identity.executionArn)).done).toMatchObject({ status: 'SUCCEEDED', output: [{ charged: 5 }] });
  });
});

describe('ReaderConfig MaxItemsPath and a JSONata MaxItems', () => {
  const fan = (readerConfig: Record<string, unknown>, jsonata = false) => ({
    ...(jsonata ? { QueryLanguage: 'JSONata' } : {}),
    StartAt: 'Fan',
    States: {
      Fan: {
        Type: 'Map',
        ItemReader: { Resource: READER, ReaderConfig: { InputType: 'JSON', ...readerConfig }, [jsonata ? 'Arguments' : 'Parameters']: { Bucket: 'in', Key: 'orders.json' } },
        ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Each', States: { Each: { Type: 'Pass', End: true } } },
        End: true,
      },
    },
  }) as unknown as StateMachineDefinition;
  const run = (definition: StateMachineDefinition, input: JsonValue) => {
    const { runtime } = withFile(createMemoryEventStore(), [1, 2, 3, 4, 5], (item) => item);
    return runtime.run({ definition, input });
  };

  it('MaxItemsPath takes the number from the input, a numeric string too (as AWS parses it), or a variable', async () => {
    expect(await run(fan({ MaxItemsPath: '$.max' }), { max: 2 })).toMatchObject({ status: 'SUCCEEDED', output: [1, 2] });
    expect(await run(fan({ MaxItemsPath: '$.max' }), { max: '3' })).toMatchObject({ status: 'SUCCEEDED', output: [1, 2, 3] });
    const withVariable = fan({ MaxItemsPath: '$max' }) as unknown as { StartAt: string; States: Record<string, unknown> };
    withVariable.States = { Set: { Type: 'Pass', Assign: { max: 4 }, Next: 'Fan' }, ...withVariable.States };
    withVariable.StartAt = 'Set';
    expect(await run(withVariable as unknown as StateMachineDefinition, {})).toMatchObject({ status: 'SUCCEEDED', output: [1, 2, 3, 4] });
    expect(await run(fan({ MaxItemsPath: '$.max' }), { max: 'many' })).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });

  it('a JSONata MaxItems expression is evaluated against the state input', async () => {
    expect(await run(fan({ MaxItems: '{% $states.input.max %}' }, true), { max: 1 })).toMatchObject({ status: 'SUCCEEDED', output: [1] });
  });
});

describe('$$.Map.Item.Source (DG:input-output-contextobject)', () => {
  const withSource = (extra: Record<string, unknown>) => ({
    StartAt: 'Fan',
    States: {
      Fan: {
        Type: 'Map', ...extra,
        ItemSelector: { 'index.$': '$$.Map.Item.Index', 'source.$': '$$.Map.Item.Source' },
        ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Each', States: { Each: { Type: 'Pass', End: true } } },
        End: true,
      },
    },
  }) as unknown as StateMachineDefinition;
  const LIST = 'arn:aws:states:::s3:listObjectsV2';
  const runtime = createRuntime({ clock: 'virtual' });
  runtime.handle(READER, ({ input }) => JSON.stringify((input as { Key: string }).Key === 'a.json' ? [1] : [2, 3]));
  runtime.handle(LIST, () => ({ Contents: [{ Key: 'a.json', Size: 3 }, { Key: 'b.json', Size: 5 }] }));

  it('is STATE_DATA for items from the state input', async () => {
    expect(await runtime.run({ definition: withSource({}), input: [7, 8] })).toMatchObject({ output: [{ index: 0, source: 'STATE_DATA' }, { index: 1, source: 'STATE_DATA' }] });
  });

  it('is the object\'s S3 URI for a file read, the bucket\'s for a listing, and each object\'s with LOAD_AND_FLATTEN', async () => {
    const file = withSource({ ItemReader: { Resource: READER, ReaderConfig: { InputType: 'JSON' }, Parameters: { Bucket: 'in', Key: 'b.json' } } });
    expect(await runtime.run({ definition: file, input: {} })).toMatchObject({ output: [{ index: 0, source: 's3://in/b.json' }, { index: 1, source: 's3://in/b.json' }] });
    const listing = withSource({ ItemReader: { Resource: LIST, Parameters: { Bucket: 'in' } } });
    expect(await runtime.run({ definition: listing, input: {} })).toMatchObject({ output: [{ source: 's3://in' }, { source: 's3://in' }] });
    const flattened = withSource({ ItemReader: { Resource: LIST, ReaderConfig: { InputType: 'JSON', Transformation: 'LOAD_AND_FLATTEN' }, Parameters: { Bucket: 'in' } } });
    expect(await runtime.run({ definition: flattened, input: {} })).toMatchObject({ output: [{ source: 's3://in/a.json' }, { source: 's3://in/b.json' }, { source: 's3://in/b.json' }] });
  });
});
