import { describe, expect, it } from 'vitest';
import { createMemoryEventStore, createRuntime, type HistoryEvent, type JsonValue, type StateMachineDefinition } from '../../../src/index.js';
import { childIdentity } from '../../../src/compile/states/result-writer.js';

// Map Run redrives at the edges. The skipped tests are known gaps (README, Distributed Map:
// "Not done"): each states what AWS does and fails today; unskip it with the fix.

const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:charge';
const GET = 'arn:aws:states:::s3:getObject';
const settle = () => new Promise((r) => setTimeout(r, 20));
const types = (events: readonly HistoryEvent[]) => events.map((e) => e.type);

function fan(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Type: 'Map', Label: 'Orders', ItemsPath: '$.items', End: true,
    ItemProcessor: {
      ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
      StartAt: 'Charge',
      States: { Charge: { Type: 'Task', Resource: LAMBDA, Parameters: { 'item.$': '$' }, End: true } },
    },
    ...extra,
  };
}

function charging(declined: string[], hung: string[] = []) {
  const store = createMemoryEventStore();
  const runtime = createRuntime({ store, clock: 'virtual' });
  const state = { declined: new Set(declined), hung: new Set(hung), calls: [] as string[] };
  runtime.handle(LAMBDA, ({ input }) => {
    const item = (input as { item: string }).item;
    state.calls.push(item);
    if (state.hung.has(item)) return new Promise(() => {});
    if (state.declined.has(item)) throw Object.assign(new Error('declined'), { name: 'Card.Declined' });
    return { charged: item };
  });
  return { store, runtime, state };
}

describe('a redriven Map Run\'s ResultWriter records', () => {
  // map-state.ts takes a child's RedriveCount from the attempt its replay of the parent's
  // earlier attempts worked out (MapChildRequest.attempt), which is not the child's run when
  // that replay read its children in another order than they ended (x aborted, y succeeded, z
  // declined on y's lane). Proposed fix: the child host resolves each child's result with the
  // run it ended (its ExecutionRedriven count), and endRun/keptRuns take RedriveCount from it.
  it('give each child the RedriveCount its own history shows', async () => {
    const { store, runtime, state } = charging(['z'], ['x']);
    const files = new Map<string, string>();
    runtime.handle('arn:aws:states:::s3:putObject', ({ input }) => {
      const { Key, Body } = input as { Key: string; Body: string };
      files.set(Key, Body);
      return {};
    });
    const definition = { StartAt: 'Fan', States: { Fan: fan({ MaxConcurrency: 2, ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'out', Prefix: 'runs' } } }) } } as unknown as StateMachineDefinition;
    const parent = runtime.startExecution({ definition, input: { items: ['x', 'y', 'z'] }, stateMachineName: 'Billing' });
    await parent.done;
    await settle();
    state.declined.clear();
    state.hung.clear();
    files.clear();
    expect((await (await runtime.redrive(parent.identity.executionArn)).done).status).toBe('SUCCEEDED');
    const succeeded = [...files].filter(([key]) => key.includes('SUCCEEDED_')).flatMap(([, body]) => JSON.parse(body) as { Input: string; RedriveCount: number; ExecutionArn: string }[]);
    for (const record of succeeded) {
      const redrives = types(await store.read(record.ExecutionArn)).filter((t) => t === 'ExecutionRedriven').length;
      expect(record.RedriveCount, `RedriveCount of ${record.Input}`).toBe(redrives);
    }
  });
});

describe('a Map Run whose ResultWriter failed', () => {
  // DG:redrive-map-run (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-map-run.html):
  // a Map Run that failed for want of permission to write its results is redriven once the
  // permission is there. The redrive cannot find where to pick up: the replay of the failed
  // attempt wrote nothing and took the export as done, producing MapRunSucceeded where
  // MapRunFailed was recorded, so the redrive was refused as divergent. How the export ended is
  // now remembered (services.remembered), and a replay takes that outcome.
  it('is redriven once the writes succeed, and its history replays', async () => {
    const { store, runtime, state } = charging([]);
    let denied = true;
    runtime.handle('arn:aws:states:::s3:putObject', () => {
      if (denied) throw Object.assign(new Error('Access Denied'), { name: 'S3.AccessDenied' });
      return {};
    });
    const definition = { StartAt: 'Fan', States: { Fan: fan({ ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'out', Prefix: 'runs' } } }) } } as unknown as StateMachineDefinition;
    const parent = runtime.startExecution({ definition, input: { items: ['a', 'b'] }, stateMachineName: 'Billing' });
    expect(await parent.done).toMatchObject({ status: 'FAILED', error: 'States.ResultWriterFailed' });
    expect((await runtime.replay({ executionArn: parent.identity.executionArn })).ok).toBe(true);
    denied = false;
    state.calls.length = 0;
    expect((await (await runtime.redrive(parent.identity.executionArn)).done).status).toBe('SUCCEEDED');
    expect(state.calls).toEqual([]);
    expect(types(await store.read(parent.identity.executionArn))).toContain('MapRunRedriven');
  });
});

describe('a Distributed Map nested in a state a redrive restarts', () => {
  // DG:redrive-map-run: "A redriven parent workflow redrives all the unsuccessful states,
  // including Distributed Map" (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-map-run.html).
  // The redrive point of a Parallel branch or Map iteration that did not succeed carries its own
  // scope's (ScopeRuntime.redrivePoint), so the Distributed Map inside is picked up as a top-level
  // one is: MapRunRedriven on its MapStateStarted, nothing entered or started again.
  it('in an inline Map iteration: the same Map Run is redriven, its succeeded children kept', async () => {
    const { store, runtime, state } = charging(['b2']);
    const definition = {
      StartAt: 'Outer',
      States: { Outer: { Type: 'Map', ItemsPath: '$.groups', MaxConcurrency: 1, End: true, ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Fan', States: { Fan: fan({ MaxConcurrency: 1 }) } } } },
    } as unknown as StateMachineDefinition;
    const parent = runtime.startExecution({ definition, input: { groups: [{ items: ['a1'] }, { items: ['b1', 'b2', 'b3'] }] }, stateMachineName: 'Nest' });
    expect((await parent.done).status).toBe('FAILED');
    state.declined.clear();
    state.calls.length = 0;
    expect((await (await runtime.redrive(parent.identity.executionArn)).done).status).toBe('SUCCEEDED');
    expect(state.calls).toEqual(['b2', 'b3']);
    const events = await store.read(parent.identity.executionArn);
    expect(types(events).filter((t) => t === 'MapRunStarted')).toHaveLength(2);
    const second = events.filter((e) => e.type === 'MapStateStarted' && e.mapStateStartedEventDetails?.length === 3)[0]!;
    const redriven = events.findIndex((e) => e.type === 'ExecutionRedriven');
    // No new MapIterationStarted, MapStateEntered or MapStateStarted: the Map Run is redriven first.
    expect(events[redriven + 1]).toMatchObject({ type: 'MapRunRedriven', previousEventId: second.id });
    expect(types(events.slice(redriven))).toEqual(['ExecutionRedriven', 'MapRunRedriven', 'MapRunSucceeded', 'MapStateSucceeded', 'MapStateExited', 'MapIterationSucceeded', 'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded']);
    const exited = events[redriven + 4]!;
    expect(exited.previousEventId).toBe(events[redriven + 1]!.id);
    expect(await runtime.replay({ executionArn: parent.identity.executionArn })).toEqual({ ok: true, replayedEvents: events.length });
  });

  it('in a Parallel branch aborted when the other failed: its Map Run is redriven, not started anew', async () => {
    const { store, runtime, state } = charging([], ['a']);
    let boom = true;
    runtime.handle('arn:aws:lambda:us-east-1:123456789012:function:other', () => {
      if (boom) throw Object.assign(new Error('boom'), { name: 'Other.Failed' });
      return 'ok';
    });
    const definition = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel', End: true,
          Branches: [
            { StartAt: 'Fan', States: { Fan: fan() } },
            { StartAt: 'Other', States: { Other: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:other', End: true } } },
          ],
        },
      },
    } as unknown as StateMachineDefinition;
    const parent = runtime.startExecution({ definition, input: { items: ['a', 'b'] }, stateMachineName: 'Par' });
    expect((await parent.done).status).toBe('FAILED');
    await settle();
    const mapRunArn = (parent.events.find((e) => e.type === 'MapRunStarted')!.mapRunStartedEventDetails as { mapRunArn: string }).mapRunArn;
    boom = false;
    state.hung.clear();
    expect((await (await runtime.redrive(parent.identity.executionArn)).done).status).toBe('SUCCEEDED');
    const events = await store.read(parent.identity.executionArn);
    expect(types(events).filter((t) => t === 'MapRunStarted')).toHaveLength(1);
    expect(events.find((e) => e.type === 'MapRunRedriven')?.mapRunRedrivenEventDetails).toEqual({ mapRunArn, redriveCount: 1 });
    const a = childIdentity(mapRunArn, 0, parent.identity.executionArn).executionArn;
    expect(types(await store.read(a)).filter((t) => t.startsWith('Execution'))).toEqual(['ExecutionStarted', 'ExecutionAborted', 'ExecutionRedriven', 'ExecutionSucceeded']);
    // Picked up on the branch's MapStateStarted, beside Other's rescheduled task.
    const started = events.find((e) => e.type === 'MapStateStarted')!;
    expect(events.find((e) => e.type === 'MapRunRedriven')!.previousEventId).toBe(started.id);
    expect(types(events).filter((t) => t.endsWith('StateEntered'))).toEqual(['ParallelStateEntered', 'MapStateEntered', 'TaskStateEntered']);
    expect(await runtime.replay({ executionArn: parent.identity.executionArn })).toEqual({ ok: true, replayedEvents: events.length });
  });
});

describe('ItemReader MaxItemsPath', () => {
  const reading = (maxItemsPath: string) => ({
    StartAt: 'Fan',
    States: {
      Fan: {
        Type: 'Map', End: true,
        ItemReader: { Resource: GET, Parameters: { Bucket: 'b', Key: 'k' }, ReaderConfig: { InputType: 'JSON', MaxItemsPath: maxItemsPath } },
        ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
      },
    },
  }) as unknown as StateMachineDefinition;

  // AWS fails the Map Run (MapRunFailed) with States.ItemReaderFailed, "field MaxItems must be
  // positive", for a negative number (as recorded by LocalStack's AWS-validated Step Functions
  // tests, services/stepfunctions/asl/component/state/state_execution/state_map/item_reader/
  // reader_config/max_items_decl.py); Stepwise reads every item. numberField in map-state.ts
  // accepts any integer: MaxItemsPath needs the check.
  it.skip('a negative number fails the read with States.ItemReaderFailed', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    runtime.handle(GET, () => ({ Body: '[1,2,3]' }));
    const result = await runtime.run({ definition: reading('$.max'), input: { max: -1 } });
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.ItemReaderFailed', cause: expect.stringContaining('field MaxItems must be positive') });
  });

  // The same source: a value that is no integer fails with States.ItemReaderFailed ("The
  // MaxItemsPath field refers to value 'abc' which is not a valid integer: $.max"); Stepwise
  // fails it with States.Runtime.
  it.skip('a value that is no integer fails with States.ItemReaderFailed', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    runtime.handle(GET, () => ({ Body: '[1,2,3]' }));
    const result = await runtime.run({ definition: reading('$.max'), input: { max: 'abc' } });
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.ItemReaderFailed' });
  });

  it('a positive number keeps the first items (what already holds)', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    runtime.handle(GET, () => ({ Body: '[1,2,3]' }));
    expect((await runtime.run({ definition: reading('$.max'), input: { max: 2 } })).output as JsonValue).toEqual([1, 2]);
  });
});
