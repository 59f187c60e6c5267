import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMemoryEventStore, createRuntime, type EventStore, type HistoryEvent, type JsonValue, type StateMachineDefinition } from '../../src/index.js';
import { childIdentity } from '../../src/compile/states/result-writer.js';
import { openFileEventStore } from '../../src/store/file-store.js';

const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:charge';
const AFTER = 'arn:aws:lambda:us-east-1:123456789012:function:after';

/** A Distributed Map whose children charge their item; `next` names a state after it. */
function fan(options: { maxConcurrency?: number; next?: string; extra?: Record<string, unknown> } = {}): Record<string, unknown> {
  return {
    Type: 'Map', Label: 'Orders', MaxConcurrency: options.maxConcurrency ?? 0, ItemsPath: '$.items', ResultPath: '$.charged',
    ItemProcessor: {
      ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
      StartAt: 'Charge',
      States: { Charge: { Type: 'Task', Resource: LAMBDA, Parameters: { 'item.$': '$' }, End: true } },
    },
    ...(options.next ? { Next: options.next } : { End: true }),
    ...options.extra,
  };
}

const machine = (states: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ StartAt: 'Fan', States: states, ...extra }) as unknown as StateMachineDefinition;

/** A runtime whose charge Task declines some items and never answers for others (both changed later), noting every call. */
function charging(options: { declined?: string[]; hung?: string[]; store?: EventStore } = {}) {
  const store = options.store ?? createMemoryEventStore();
  const runtime = createRuntime({ store, clock: 'virtual' });
  const state = { declined: new Set(options.declined), hung: new Set(options.hung), calls: [] as JsonValue[] };
  runtime.handle(LAMBDA, ({ input }) => {
    const item = (input as { item: string }).item;
    state.calls.push(item);
    if (state.hung.has(item)) return new Promise(() => {});
    if (state.declined.has(item)) throw Object.assign(new Error(`declined ${item}`), { name: 'Card.Declined' });
    return { charged: item };
  });
  const answerAll = () => {
    state.declined.clear();
    state.hung.clear();
    state.calls.length = 0;
  };
  return { store, runtime, state, answerAll };
}

const types = (events: readonly HistoryEvent[]) => events.map((e) => e.type);
const executionEvents = async (store: EventStore, arn: string) => types(await store.read(arn)).filter((t) => t.startsWith('Execution'));
const mapRunArnOf = (events: readonly HistoryEvent[]) => (events.find((e) => e.type === 'MapRunStarted')!.mapRunStartedEventDetails as { mapRunArn: string }).mapRunArn;
const settle = () => new Promise((r) => setTimeout(r, 20));

describe('a redriven Map Run redrives the children that did not succeed, whatever order they ended in', () => {
  // x never answers, y succeeds, z (started on y's lane after y) is declined: the Map Run fails
  // on z and aborts x. A replay of that attempt, reading children in the order they were asked
  // for, meets x (aborted) first and never asks for z.
  const items = { items: ['x', 'y', 'z'] };

  it('the redrive runs x and z again and succeeds; the history replays; a later redrive replays through it', async () => {
    const { store, runtime, state, answerAll } = charging({ declined: ['z'], hung: ['x'] });
    let afterFails = true;
    runtime.handle(AFTER, () => {
      if (afterFails) throw Object.assign(new Error('not yet'), { name: 'After.Failed' });
      return 'done';
    });
    const parent = runtime.startExecution({ definition: machine({ Fan: fan({ maxConcurrency: 2, next: 'After' }), After: { Type: 'Task', Resource: AFTER, ResultPath: null, End: true } }), input: items, stateMachineName: 'Billing' });
    expect((await parent.done).status).toBe('FAILED');
    await settle();
    const arn = parent.identity.executionArn;
    const mapRunArn = mapRunArnOf(parent.events);
    const [x, y, z] = [0, 1, 2].map((i) => childIdentity(mapRunArn, i, arn).executionArn);

    answerAll();
    const redriven = await (await runtime.redrive(arn)).done;
    // The Map succeeded; After failed.
    expect(redriven).toMatchObject({ status: 'FAILED', error: 'After.Failed' });
    expect(state.calls.sort()).toEqual(['x', 'z']);
    expect(await executionEvents(store, x!)).toEqual(['ExecutionStarted', 'ExecutionAborted', 'ExecutionRedriven', 'ExecutionSucceeded']);
    expect(await executionEvents(store, y!)).toEqual(['ExecutionStarted', 'ExecutionSucceeded']);
    expect(await executionEvents(store, z!)).toEqual(['ExecutionStarted', 'ExecutionFailed', 'ExecutionRedriven', 'ExecutionSucceeded']);
    expect(await runtime.describeMapRun(mapRunArn)).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1, executionCounts: { succeeded: 3, failed: 0, aborted: 0 } });
    expect((await runtime.replay({ executionArn: arn })).ok).toBe(true);

    // Finding where this redrive picks up replays the attempt above (MapRunSucceeded) first.
    afterFails = false;
    state.calls.length = 0;
    expect(await (await runtime.redrive(arn)).done).toMatchObject({ status: 'SUCCEEDED', output: { charged: [{ charged: 'x' }, { charged: 'y' }, { charged: 'z' }] } });
    expect(state.calls).toEqual([]);
    expect((await runtime.replay({ executionArn: arn })).ok).toBe(true);
  });

  it('three redrives, a different child failing each time, with MaxConcurrency 2', async () => {
    const { store, runtime, state } = charging({ declined: ['b', 'c'] });
    const parent = runtime.startExecution({ definition: machine({ Fan: fan({ maxConcurrency: 2 }) }), input: { items: ['a', 'b', 'c', 'd', 'e'] }, stateMachineName: 'Billing' });
    expect((await parent.done).status).toBe('FAILED');
    const arn = parent.identity.executionArn;
    for (const declined of [['c', 'd'], ['e'], []]) {
      state.declined = new Set(declined);
      await (await runtime.redrive(arn)).done;
      await settle();
    }
    expect((await runtime.execution(arn).describe()).status).toBe('SUCCEEDED');
    const mapRunArn = mapRunArnOf(await store.read(arn));
    expect(await runtime.describeMapRun(mapRunArn)).toMatchObject({ status: 'SUCCEEDED', redriveCount: 3, executionCounts: { succeeded: 5, total: 5 } });
    expect((await runtime.replay({ executionArn: arn })).ok).toBe(true);
  });

  it('a parent stopped after a child succeeded, redriven, stopped again, and redriven: the Map Run is ABORTED in between and succeeds at the end', async () => {
    const { store, runtime, state, answerAll } = charging({ hung: ['a'] });
    const parent = runtime.startExecution({ definition: machine({ Fan: fan({ maxConcurrency: 1 }) }), input: { items: ['a', 'b', 'c'] }, stateMachineName: 'Billing' });
    await settle();
    parent.stop('Operator.Stop', 'first');
    expect((await parent.done).status).toBe('ABORTED');
    const arn = parent.identity.executionArn;
    const mapRunArn = mapRunArnOf(parent.events);
    // Its children were aborted with the parent, and so is it.
    expect(await runtime.describeMapRun(mapRunArn)).toMatchObject({ status: 'ABORTED', stopDate: parent.events.at(-1)!.timestamp });

    answerAll();
    state.hung.add('b');
    const second = await runtime.redrive(arn);
    await settle();
    expect(state.calls).toEqual(['a', 'b']);
    second.stop('Operator.Stop', 'again');
    expect((await second.done).status).toBe('ABORTED');
    await settle();
    expect(await runtime.describeMapRun(mapRunArn)).toMatchObject({ status: 'ABORTED', redriveCount: 1 });

    answerAll();
    expect(await (await runtime.redrive(arn)).done).toMatchObject({ status: 'SUCCEEDED', output: { charged: [{ charged: 'a' }, { charged: 'b' }, { charged: 'c' }] } });
    expect(state.calls).toEqual(['b', 'c']);
    expect(await runtime.describeMapRun(mapRunArn)).toMatchObject({ status: 'SUCCEEDED', redriveCount: 2 });
    expect(await executionEvents(store, childIdentity(mapRunArn, 1, arn).executionArn)).toEqual(['ExecutionStarted', 'ExecutionAborted', 'ExecutionRedriven', 'ExecutionSucceeded']);
    expect((await runtime.replay({ executionArn: arn })).ok).toBe(true);
  });

  it('a parent that timed out: its Map Run is ABORTED, and the redrive runs the children it never finished', async () => {
    const { runtime, state, answerAll } = charging({ hung: ['b'] });
    const parent = runtime.startExecution({ definition: machine({ Fan: fan({ maxConcurrency: 1 }) }, { TimeoutSeconds: 1 }), input: { items: ['a', 'b', 'c'] }, stateMachineName: 'Billing' });
    expect((await parent.done).status).toBe('TIMED_OUT');
    await settle();
    expect(await runtime.describeMapRun(mapRunArnOf(parent.events))).toMatchObject({ status: 'ABORTED' });
    answerAll();
    expect(await (await runtime.redrive(parent.identity.executionArn)).done).toMatchObject({ status: 'SUCCEEDED' });
    expect(state.calls).toEqual(['b', 'c']);
  });

  it('a Map Run in a Parallel branch beside one that failed is ABORTED with the execution, not left RUNNING', async () => {
    const { runtime } = charging({ hung: ['a'] });
    const definition = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel', End: true,
          Branches: [{ StartAt: 'Fan', States: { Fan: fan() } }, { StartAt: 'Boom', States: { Boom: { Type: 'Fail', Error: 'Boom' } } }],
        },
      },
    } as unknown as StateMachineDefinition;
    const parent = runtime.startExecution({ definition, input: { items: ['a'] }, stateMachineName: 'Billing' });
    expect((await parent.done).status).toBe('FAILED');
    const [run] = await runtime.mapRuns(parent.identity.executionArn);
    expect(run).toMatchObject({ status: 'ABORTED', stopDate: parent.events.at(-1)!.timestamp });
  });
});

describe('two redrives of one parent at once', () => {
  it('the second is refused (ExecutionNotRedrivable): its children are redriven once, their tasks called once', async () => {
    const { runtime, state, answerAll } = charging({ declined: ['b'] });
    const parent = runtime.startExecution({ definition: machine({ Fan: fan({ maxConcurrency: 1 }) }), input: { items: ['a', 'b', 'c'] }, stateMachineName: 'Billing' });
    await parent.done;
    answerAll();
    const [first, second] = await Promise.allSettled([runtime.redrive(parent.identity.executionArn), runtime.redrive(parent.identity.executionArn)]);
    expect(second).toMatchObject({ status: 'rejected', reason: { code: 'ExecutionNotRedrivable' } });
    expect(first.status === 'fulfilled' && (await first.value.done).status).toBe('SUCCEEDED');
    expect(state.calls).toEqual(['b', 'c']);
  });
});

describe('a fork of an execution whose Map Run ended before the fork point', () => {
  // On the file store a journal keeps a history of its own, which grows as its run reproduces
  // the copies; in memory it reads the store's.
  it.each(['memory', 'file'])('takes the ended Map Run\'s children from the origin (nothing is run again), replays, and redrives only what had not succeeded (%s store)', async (kind) => {
    const store = kind === 'file' ? await openFileEventStore(fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-fork-probe-'))) : createMemoryEventStore();
    const { runtime, state } = charging({ declined: ['b'], store });
    const parent = runtime.startExecution({ definition: machine({ Fan: fan({ maxConcurrency: 1, next: 'Done' }), Done: { Type: 'Pass', End: true } }), input: { items: ['a', 'b', 'c'] }, stateMachineName: 'Billing' });
    expect((await parent.done).status).toBe('FAILED');
    const arn = parent.identity.executionArn;
    state.declined = new Set(['c']);
    expect((await (await runtime.redrive(arn)).done).status).toBe('FAILED');
    const events = await store.read(arn);
    state.declined.clear();
    for (const e of events.filter((x) => x.id >= 5)) {
      state.calls.length = 0;
      const fork = await runtime.fork(arn, { fromEventId: e.id });
      const result = await fork.done;
      // Past the last Map Run end (event 10: the redrive records MapRunRedriven straight after its
      // ExecutionRedriven) the fork ends as the origin did, having called nothing.
      if (e.id >= 10 || (e.id >= 5 && e.id <= 7)) {
        expect(result.status, `fork at ${e.id} ${e.type}`).toBe('FAILED');
        expect(state.calls, `fork at ${e.id} ${e.type}`).toEqual([]);
        state.calls.length = 0;
        expect((await (await runtime.redrive(fork.identity.executionArn)).done).status).toBe('SUCCEEDED');
        // 'a' succeeded in the origin's first attempt, 'b' in its second: kept.
        expect(state.calls, `redrive of the fork at ${e.id}`).toEqual(e.id >= 10 ? ['c'] : ['b', 'c']);
      } else {
        // Forked within the redrive, before its Map Run ended: the fork runs it on with children of its own.
        expect(result.status, `fork at ${e.id} ${e.type}`).toBe('SUCCEEDED');
        expect(state.calls, `fork at ${e.id} ${e.type}`).toEqual(['b', 'c']);
      }
      expect((await runtime.replay({ executionArn: fork.identity.executionArn })).ok, `replay of the fork at ${e.id}`).toBe(true);
    }
    await runtime.close();
  });
});

describe('replaying a redriven history against a changed definition', () => {
  it('reports a divergence in an attempt before the last redrive as a divergence, not an error', async () => {
    const { runtime, answerAll } = charging({ declined: ['b'] });
    const parent = runtime.startExecution({ definition: machine({ Fan: fan({ maxConcurrency: 1 }) }), input: { items: ['a', 'b'] }, stateMachineName: 'Billing' });
    await parent.done;
    answerAll();
    await (await runtime.redrive(parent.identity.executionArn)).done;
    const report = await runtime.replay({ executionArn: parent.identity.executionArn, definition: machine({ Fan: fan({ maxConcurrency: 1, extra: { ToleratedFailureCount: 5 } }) }) });
    expect(report).toMatchObject({ ok: false, divergence: { eventId: 5, reason: 'type MapRunSucceeded instead of MapRunFailed' } });
  });
});

describe('a Distributed Map item StartExecution would refuse', () => {
  it('is a failed item (States.DataLimitExceeded): the Map Run fails or tolerates it, and the parent ends', async () => {
    const { store, runtime } = charging();
    // Read from S3, the item is not in the parent's input (which is refused over 256 KiB).
    runtime.handle('arn:aws:states:::s3:getObject', () => ({ Body: JSON.stringify(['a', 'x'.repeat(300 * 1024)]) }));
    const reading = (extra: Record<string, unknown> = {}) => {
      const { ItemsPath: _items, ...map } = fan({ extra });
      return machine({ Fan: { ...map, ItemReader: { Resource: 'arn:aws:states:::s3:getObject', Parameters: { Bucket: 'b', Key: 'k' }, ReaderConfig: { InputType: 'JSON' } } } });
    };
    const parent = runtime.startExecution({ definition: reading(), stateMachineName: 'Billing', name: 'too-big' });
    expect(await parent.done).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
    expect(types(parent.events)).toContain('MapRunFailed');
    expect((await store.getMetadata(parent.identity.executionArn))!.status).toBe('FAILED');
    expect((await runtime.replay({ executionArn: parent.identity.executionArn })).ok).toBe(true);

    const tolerant = runtime.startExecution({ definition: reading({ ToleratedFailureCount: 1 }), stateMachineName: 'Billing' });
    const result = await tolerant.done;
    expect(result.status).toBe('SUCCEEDED');
    expect((result.output as { charged: JsonValue[] }).charged).toEqual([{ charged: 'a' }, { Error: 'States.DataLimitExceeded', Cause: expect.stringContaining('could not be started') }]);
  });
});

describe('a redriven Map Run on the file store, its process killed in the middle', () => {
  const worker = path.join(__dirname, 'fixtures/map-run-redrive-worker.mjs');
  const run = (dir: string, mode: string, killWhen?: string, type = 'STANDARD'): Promise<string> => new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [worker, dir, mode, type], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      if (killWhen !== undefined && out.includes(killWhen)) child.kill('SIGKILL');
    });
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.on('exit', (code, signal) => (signal === 'SIGKILL' || code === 0 ? resolve(out) : reject(new Error(`worker ${mode} exited ${code}: ${err}`))));
  });

  /**
   * The worker killed in the redrive while x hangs, then resumed by a new process: the result
   * the resumed run printed (SUCCEEDED, x called again, y never), and the histories of x and z.
   */
  async function killedInRedriveThenResumed(type?: 'EXPRESS'): Promise<{ x: string[]; z: string[] }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-map-redrive-'));
    expect(await run(dir, 'first', undefined, type)).toContain('first FAILED');
    await run(dir, 'redrive', 'HANGING x', type);
    const out = await run(dir, 'resume', undefined, type);
    const result = JSON.parse(out.trim().split('\n').pop()!) as { status: string; output: JsonValue; calls: string[]; replayed: boolean };
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { items: ['x', 'y', 'z'], charged: [{ charged: 'x' }, { charged: 'y' }, { charged: 'z' }] }, replayed: true });
    // x was in flight when the process died (z may have been too): called again, y never.
    expect(result.calls).toContain('x');
    expect(result.calls).not.toContain('y');
    const store = await openFileEventStore(dir);
    try {
      const parentArn = 'arn:aws:states:us-east-1:123456789012:execution:Billing:crashy';
      const mapRunArn = mapRunArnOf(await store.read(parentArn));
      const [x, , z] = [0, 1, 2].map((i) => childIdentity(mapRunArn, i, parentArn).executionArn);
      return { x: types(await store.read(x!)), z: types(await store.read(z!)) };
    } finally {
      await store.close();
    }
  }
  const ends = (events: string[]) => events.filter((t) => t.startsWith('Execution'));

  it('is finished by the next process: the children in flight resumed, each redriven once', async () => {
    const { x, z } = await killedInRedriveThenResumed();
    expect(ends(x)).toEqual(['ExecutionStarted', 'ExecutionAborted', 'ExecutionRedriven', 'ExecutionSucceeded']);
    expect(ends(z)).toEqual(['ExecutionStarted', 'ExecutionFailed', 'ExecutionRedriven', 'ExecutionSucceeded']);
  });

  it('with Express children: the child started over and in flight is resumed from its restart, and started over once', async () => {
    const { x, z } = await killedInRedriveThenResumed('EXPRESS');
    expect(ends(x)).toEqual(['ExecutionStarted', 'ExecutionTimedOut', 'ExecutionRedriven', 'ExecutionSucceeded']);
    expect(ends(z)).toEqual(['ExecutionStarted', 'ExecutionFailed', 'ExecutionRedriven', 'ExecutionSucceeded']);
    // Started over: its run after the redrive begins at its first state, once.
    for (const events of [x, z]) {
      expect(events.slice(events.indexOf('ExecutionRedriven'), events.indexOf('ExecutionRedriven') + 2)).toEqual(['ExecutionRedriven', 'PassStateEntered']);
      expect(events.filter((t) => t === 'PassStateEntered')).toHaveLength(2);
    }
  });
});
