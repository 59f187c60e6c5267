import { describe, expect, it } from 'vitest';
import { createMemoryEventStore, createRuntime, type EventStore, type HistoryEvent, type JsonValue, type StateMachineDefinition } from '../../../src/index.js';
import { childIdentity } from '../../../src/compile/states/result-writer.js';

// A Distributed Map with `ProcessorConfig.ExecutionType: EXPRESS` runs its children as Express
// workflows (DG:state-map-distributed): five minutes each at most, never stopped by their Map
// Run or their parent (DG:redrive-map-run: a Map Run whose parent stopped may still be waiting
// for its Express children to complete, where it cancels Standard ones), and started over from their first state when a redrive of the parent redrives
// the Map Run (API:RedriveExecution: "the Express child workflows are rerun using the
// StartExecution API action").

const PREPARE = 'arn:aws:lambda:us-east-1:123456789012:function:prepare';
const CHARGE = 'arn:aws:lambda:us-east-1:123456789012:function:charge';
const PUT = 'arn:aws:states:::s3:putObject';

type ExecutionType = 'STANDARD' | 'EXPRESS';

/**
 * A Distributed Map whose children wait `$.wait` seconds (0 when absent), prepare their item,
 * then charge it; `extra` adds fields to the Map state.
 */
function billing(type: ExecutionType, extra: Record<string, unknown> = {}): StateMachineDefinition {
  return {
    StartAt: 'Fan',
    States: {
      Fan: {
        Type: 'Map', Label: 'Orders', ItemsPath: '$.items', ResultPath: '$.charged', End: true,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: type },
          StartAt: 'Pause',
          States: {
            Pause: { Type: 'Choice', Choices: [{ Variable: '$.wait', IsPresent: true, Next: 'Wait' }], Default: 'Prepare' },
            Wait: { Type: 'Wait', SecondsPath: '$.wait', Next: 'Prepare' },
            Prepare: { Type: 'Task', Resource: PREPARE, Parameters: { 'id.$': '$.id' }, ResultPath: null, Next: 'Charge' },
            Charge: { Type: 'Task', Resource: CHARGE, Parameters: { 'id.$': '$.id' }, End: true },
          },
        },
        ...extra,
      },
    },
  } as unknown as StateMachineDefinition;
}

/** The states of a definition's Map (see billing), to change. */
const processorStates = (definition: StateMachineDefinition) =>
  (definition.States['Fan'] as unknown as { ItemProcessor: { States: Record<string, Record<string, unknown>> } }).ItemProcessor.States;

/**
 * A runtime whose charge Task declines some ids, never answers for others (the clock let go)
 * and answers the `gated` ones once `openGate` is called, noting every call.
 */
function charging(options: { declined?: string[]; hung?: string[]; gated?: string[]; limits?: { expressSeconds: number } } = {}) {
  const store = createMemoryEventStore();
  const runtime = createRuntime({ store, clock: 'virtual', limits: options.limits });
  const state = { declined: new Set(options.declined), hung: new Set(options.hung), prepared: [] as string[], charged: [] as string[] };
  let openGate!: () => void;
  const gate = new Promise<void>((resolve) => (openGate = resolve));
  runtime.handle(PREPARE, ({ input }) => {
    state.prepared.push((input as { id: string }).id);
    return {};
  });
  runtime.handle(CHARGE, (request) => {
    const id = (request.input as { id: string }).id;
    state.charged.push(id);
    if (state.hung.has(id)) {
      request.releaseClock?.();
      return new Promise(() => {});
    }
    if (state.declined.has(id)) throw Object.assign(new Error(`declined ${id}`), { name: 'Card.Declined' });
    if (options.gated?.includes(id)) return gate.then(() => ({ charged: id }));
    return { charged: id };
  });
  const answerAll = () => {
    state.declined.clear();
    state.hung.clear();
    state.prepared.length = 0;
    state.charged.length = 0;
  };
  return { store, runtime, state, answerAll, openGate };
}

const types = (events: readonly HistoryEvent[]) => events.map((e) => e.type);
const mapRunArnOf = (events: readonly HistoryEvent[]) => (events.find((e) => e.type === 'MapRunStarted')!.mapRunStartedEventDetails as { mapRunArn: string }).mapRunArn;
const eventOf = (events: readonly HistoryEvent[], type: string) => events.find((e) => e.type === type)!;
const childArns = (events: readonly HistoryEvent[], parentArn: string, count: number) => Array.from({ length: count }, (_, i) => childIdentity(mapRunArnOf(events), i, parentArn).executionArn);
const settle = () => new Promise((r) => setTimeout(r, 20));

/** How a stored execution ends: waits for the end event to reach the store. */
async function endOf(store: EventStore, executionArn: string): Promise<HistoryEvent> {
  for (;;) {
    const last = (await store.read(executionArn)).at(-1);
    if (last && /^Execution(Succeeded|Failed|TimedOut|Aborted)$/.test(last.type)) return last;
    await settle();
  }
}

describe('a Distributed Map with ExecutionType EXPRESS', () => {
  it('runs each item as an Express execution: the output and the Map Run are those of Standard children', async () => {
    const { store, runtime } = charging();
    const parent = runtime.startExecution({ definition: billing('EXPRESS'), input: { items: [{ id: 'a' }, { id: 'b' }] }, stateMachineName: 'Billing' });
    expect(await parent.done).toMatchObject({ status: 'SUCCEEDED', output: { charged: [{ charged: 'a' }, { charged: 'b' }] } });
    const arn = parent.identity.executionArn;
    for (const child of childArns(parent.events, arn, 2)) expect((await store.getMetadata(child))!.extra).toMatchObject({ type: 'EXPRESS', mapRunArn: mapRunArnOf(parent.events) });
    expect(await runtime.describeMapRun(mapRunArnOf(parent.events))).toMatchObject({ status: 'SUCCEEDED', executionCounts: { succeeded: 2, total: 2 }, itemCounts: { succeeded: 2, total: 2 } });
    expect((await runtime.replay({ executionArn: arn })).ok).toBe(true);
  });

  it('times a child out after five minutes, whatever its Wait: a failed item (States.Timeout), counted as timed out', async () => {
    const { store, runtime } = charging();
    const input: JsonValue = { items: [{ id: 'slow', wait: 600 }, { id: 'quick' }] };
    const parent = runtime.startExecution({ definition: billing('EXPRESS', { ToleratedFailureCount: 1 }), input, stateMachineName: 'Billing' });
    expect(await parent.done).toMatchObject({ status: 'SUCCEEDED', output: { charged: [{ Error: 'States.Timeout', Cause: null }, { charged: 'quick' }] } });
    const [slow] = childArns(parent.events, parent.identity.executionArn, 2);
    const history = await store.read(slow!);
    expect(types(history)).toEqual(['ExecutionStarted', 'ChoiceStateEntered', 'ChoiceStateExited', 'WaitStateEntered', 'ExecutionTimedOut']);
    expect(history.at(-1)!.timestamp - history[0]!.timestamp).toBe(300_000);
    expect(await runtime.describeMapRun(mapRunArnOf(parent.events))).toMatchObject({ status: 'SUCCEEDED', executionCounts: { succeeded: 1, timedOut: 1, failed: 0 } });
    expect((await runtime.replay({ executionArn: parent.identity.executionArn })).ok).toBe(true);
  });

  it('is refused before it starts when its ItemProcessor uses what Express workflows cannot (.sync)', () => {
    const definition = billing('EXPRESS');
    const states = processorStates(definition);
    states['Charge'] = { ...states['Charge'], Resource: 'arn:aws:states:::states:startExecution.sync:2' };
    expect(() => charging().runtime.startExecution({ definition, input: { items: [] } })).toThrow(
      expect.objectContaining({ code: 'InvalidDefinition', message: expect.stringContaining("Express state machine does not support '.sync' service integration") }),
    );
  });

  it('keeps no five-minute limit for Standard children, nor for Express ones of a runtime with the limit lifted', async () => {
    const input = { items: [{ id: 'slow', wait: 600 }] };
    const standard = charging().runtime.startExecution({ definition: billing('STANDARD'), input, stateMachineName: 'Billing' });
    expect(await standard.done).toMatchObject({ status: 'SUCCEEDED', output: { charged: [{ charged: 'slow' }] } });
    const lifted = charging({ limits: { expressSeconds: Infinity } }).runtime.startExecution({ definition: billing('EXPRESS'), input, stateMachineName: 'Billing' });
    expect(await lifted.done).toMatchObject({ status: 'SUCCEEDED', output: { charged: [{ charged: 'slow' }] } });
  });
});

describe('a failed Map Run of Express children', () => {
  // 'a' is declined at once; 'b' waits a minute, then is charged.
  const input: JsonValue = { items: [{ id: 'a' }, { id: 'b', wait: 60 }] };

  it('waits for the children still running to end, instead of aborting them as it aborts Standard ones', async () => {
    for (const type of ['EXPRESS', 'STANDARD'] as const) {
      const { store, runtime } = charging({ declined: ['a'] });
      const parent = runtime.startExecution({ definition: billing(type), input, stateMachineName: 'Billing' });
      expect(await parent.done).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
      const [, b] = childArns(parent.events, parent.identity.executionArn, 2);
      const started = eventOf(parent.events, 'MapRunStarted').timestamp;
      const failed = eventOf(parent.events, 'MapRunFailed').timestamp;
      const bEnd = await endOf(store, b!);
      const counts = (await runtime.describeMapRun(mapRunArnOf(parent.events)))!.executionCounts;
      if (type === 'EXPRESS') {
        expect(bEnd.type).toBe('ExecutionSucceeded');
        expect(failed - started).toBe(60_000);
        expect(counts).toMatchObject({ failed: 1, succeeded: 1, aborted: 0, running: 0 });
      } else {
        expect(bEnd.type).toBe('ExecutionAborted');
        expect(failed).toBe(started);
        expect(counts).toMatchObject({ failed: 1, succeeded: 0, aborted: 1 });
      }
      expect((await runtime.replay({ executionArn: parent.identity.executionArn })).ok, type).toBe(true);
    }
  });

  it('exports each child as it ended: the one it waited for in SUCCEEDED, the declined one in FAILED', async () => {
    const { runtime } = charging({ declined: ['a'] });
    const files = new Map<string, string>();
    runtime.handle(PUT, ({ input: o }) => {
      const { Key, Body } = o as { Key: string; Body: string };
      files.set(Key.slice(Key.lastIndexOf('/') + 1), Body);
      return {};
    });
    const writer = { ResultWriter: { Resource: PUT, Parameters: { Bucket: 'results', Prefix: 'out' } } };
    const parent = runtime.startExecution({ definition: billing('EXPRESS', writer), input, stateMachineName: 'Billing' });
    expect((await parent.done).status).toBe('FAILED');
    const [a, b] = childArns(parent.events, parent.identity.executionArn, 2);
    const records = (name: string) => JSON.parse(files.get(name)!) as Record<string, JsonValue>[];
    expect(records('SUCCEEDED_0.json')).toEqual([expect.objectContaining({ ExecutionArn: b, Status: 'SUCCEEDED', Output: '{"charged":"b"}' })]);
    expect(records('FAILED_0.json')).toEqual([expect.objectContaining({ ExecutionArn: a, Status: 'FAILED', Error: 'Card.Declined' })]);
  });

  it('is redriven: the failed child starts over from its first state, the one that succeeded while it waited is kept', async () => {
    const { store, runtime, state, answerAll } = charging({ declined: ['a'] });
    const parent = runtime.startExecution({ definition: billing('EXPRESS'), input, stateMachineName: 'Billing' });
    await parent.done;
    const arn = parent.identity.executionArn;
    const [a] = childArns(parent.events, arn, 2);
    answerAll();
    expect(await (await runtime.redrive(arn)).done).toMatchObject({ status: 'SUCCEEDED', output: { charged: [{ charged: 'a' }, { charged: 'b' }] } });
    expect(state.prepared).toEqual(['a']);
    expect(state.charged).toEqual(['a']);
    const history = types(await store.read(a!));
    expect(history.slice(history.indexOf('ExecutionRedriven'))).toEqual([
      'ExecutionRedriven', 'ChoiceStateEntered', 'ChoiceStateExited', 'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted',
      'LambdaFunctionSucceeded', 'TaskStateExited', 'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionSucceeded',
      'TaskStateExited', 'ExecutionSucceeded',
    ]);
    expect(await runtime.describeMapRun(mapRunArnOf(parent.events))).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1, executionCounts: { succeeded: 2, failed: 0 } });
    expect((await runtime.replay({ executionArn: arn })).ok).toBe(true);
    expect((await runtime.replay({ executionArn: a! })).ok).toBe(true);
  });
});

describe('a redriven Map Run of Express children', () => {
  it('starts each unsuccessful child over from its first state, where a Standard child goes on from the state that failed', async () => {
    for (const type of ['EXPRESS', 'STANDARD'] as const) {
      const { store, runtime, state, answerAll } = charging({ declined: ['z'] });
      const parent = runtime.startExecution({ definition: billing(type, { MaxConcurrency: 1 }), input: { items: [{ id: 'x' }, { id: 'y' }, { id: 'z' }] }, stateMachineName: 'Billing' });
      expect((await parent.done).status).toBe('FAILED');
      const arn = parent.identity.executionArn;
      const [, , z] = childArns(parent.events, arn, 3);
      answerAll();
      expect(await (await runtime.redrive(arn)).done).toMatchObject({ status: 'SUCCEEDED', output: { charged: [{ charged: 'x' }, { charged: 'y' }, { charged: 'z' }] } });
      // Prepare succeeded for z before: run again only when z starts over.
      expect(state.prepared, type).toEqual(type === 'EXPRESS' ? ['z'] : []);
      expect(state.charged, type).toEqual(['z']);
      const history = await store.read(z!);
      const redriven = history.findIndex((e) => e.type === 'ExecutionRedriven');
      if (type === 'EXPRESS') expect(history[redriven + 1]!.stateEnteredEventDetails, type).toMatchObject({ name: 'Pause' });
      else {
        // Charge is picked up, not entered again: its next event threads on its entry (checked against AWS recordings).
        const charge = history.find((e) => e.type === 'TaskStateEntered' && e.stateEnteredEventDetails?.name === 'Charge')!;
        expect(history[redriven + 1]!.previousEventId, type).toBe(charge.id);
        expect(history.filter((e) => e.type === 'TaskStateEntered' && e.stateEnteredEventDetails?.name === 'Charge'), type).toHaveLength(1);
      }
      expect((await runtime.execution(z!).describe())?.status).toBe('SUCCEEDED');
      expect((await runtime.replay({ executionArn: arn })).ok, type).toBe(true);
      expect((await runtime.replay({ executionArn: z! })).ok, type).toBe(true);
    }
  });

  it('gives a child that timed out five minutes again, counted from its restart', async () => {
    // 'slow' never answers the first time (its five minutes run out); started over, it is charged and then waits 10 s.
    const { store, runtime, state, answerAll } = charging({ hung: ['slow'] });
    const definition = billing('EXPRESS');
    const states = processorStates(definition);
    const { End: _end, ...charge } = states['Charge']!;
    states['Charge'] = { ...charge, Next: 'Settle' };
    states['Settle'] = { Type: 'Wait', Seconds: 10, End: true };
    const parent = runtime.startExecution({ definition, input: { items: [{ id: 'slow' }] }, stateMachineName: 'Billing' });
    expect((await parent.done).status).toBe('FAILED');
    const arn = parent.identity.executionArn;
    const [slow] = childArns(parent.events, arn, 1);
    expect((await endOf(store, slow!)).type).toBe('ExecutionTimedOut');
    answerAll();
    expect(await (await runtime.redrive(arn)).done).toMatchObject({ status: 'SUCCEEDED', output: { charged: [{ charged: 'slow' }] } });
    expect(state.charged).toEqual(['slow']);
    const history = await store.read(slow!);
    expect(types(history).filter((t) => t.startsWith('Execution'))).toEqual(['ExecutionStarted', 'ExecutionTimedOut', 'ExecutionRedriven', 'ExecutionSucceeded']);
    // Started over 300 s after its start, it ran 10 s past the first five minutes.
    expect(history.at(-1)!.timestamp - history[0]!.timestamp).toBeGreaterThan(300_000);
    expect((await runtime.replay({ executionArn: slow! })).ok).toBe(true);
    expect((await runtime.replay({ executionArn: arn })).ok).toBe(true);
  });
});

describe('Express children and their parent', () => {
  it('a stopped parent leaves its Express children running to their end; its Map Run is ABORTED, and its redrive waits for them', async () => {
    const { store, runtime, state, openGate } = charging({ gated: ['a'] });
    const parent = runtime.startExecution({ definition: billing('EXPRESS'), input: { items: [{ id: 'a' }, { id: 'b' }] }, stateMachineName: 'Billing' });
    await settle();
    parent.stop('Operator.Stop', 'enough');
    expect((await parent.done).status).toBe('ABORTED');
    const arn = parent.identity.executionArn;
    const [a] = childArns(parent.events, arn, 2);
    await settle();
    expect((await runtime.execution(a!).describe())?.status).toBe('RUNNING');
    expect(await runtime.describeMapRun(mapRunArnOf(parent.events))).toMatchObject({ status: 'ABORTED', executionCounts: { running: 1, succeeded: 1, aborted: 0 } });
    // The redriven Map Run waits for the child still running: it succeeded, and is kept.
    const redriven = await runtime.redrive(arn);
    let ended = false;
    void redriven.done.then(() => (ended = true));
    await settle();
    expect(ended).toBe(false);
    openGate();
    expect((await endOf(store, a!)).type).toBe('ExecutionSucceeded');
    expect(await redriven.done).toMatchObject({ status: 'SUCCEEDED', output: { charged: [{ charged: 'a' }, { charged: 'b' }] } });
    expect(state.charged).toEqual(['a', 'b']);
    expect(await runtime.describeMapRun(mapRunArnOf(parent.events))).toMatchObject({ status: 'SUCCEEDED', executionCounts: { succeeded: 2 } });
  });

  it('an Express child is redriven only through its parent, and an Express execution of its own not at all', async () => {
    const { runtime } = charging({ declined: ['a'] });
    const parent = runtime.startExecution({ definition: billing('EXPRESS'), input: { items: [{ id: 'a' }] }, stateMachineName: 'Billing' });
    await parent.done;
    const [a] = childArns(parent.events, parent.identity.executionArn, 1);
    await expect(runtime.redrive(a!)).rejects.toMatchObject({ code: 'ExecutionNotRedrivable' });
    const lone = runtime.startExecution({ definition: { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'E' } } } as unknown as StateMachineDefinition, type: 'EXPRESS' });
    expect((await lone.done).status).toBe('FAILED');
    await expect(runtime.redrive(lone.identity.executionArn)).rejects.toMatchObject({ code: 'ExecutionNotRedrivable', message: expect.stringContaining('Express') });
  });
});
