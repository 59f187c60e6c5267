import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, take, toArray } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StateMachineDefinition } from '../../src/asl/definition.js';
import { createRuntime } from '../../src/runtime/create-runtime.js';
import { definitionIdOf, definitionStreamOf, isDefinitionStream } from '../../src/store/definition-stream.js';
import type { ExecutionMetadata } from '../../src/store/event-store.js';
import { openFileEventStore } from '../../src/store/file-store.js';
import { createMemoryEventStore } from '../../src/store/memory-store.js';

const definition: StateMachineDefinition = {
  StartAt: 'Greet',
  States: { Greet: { Type: 'Pass', Parameters: { 'greeting.$': "States.Format('Hello, {}', $.name)" }, End: true } },
};
const id = definitionIdOf(JSON.stringify(definition));
const runtime0 = (store: ReturnType<typeof createMemoryEventStore>) => createRuntime({ store });

describe('stored definitions', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stepwise-definitions-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stores a definition once, and the metadata of each execution names it by the hash of its text', async () => {
    const store = createMemoryEventStore();
    const runtime = createRuntime({ store });
    const a = await runtime.run({ definition, input: { name: 'Ada' }, name: 'a' });
    const b = await runtime.run({ definition, input: { name: 'Bo' }, name: 'b' });
    expect(b.output).toEqual({ greeting: 'Hello, Bo' });
    const stream = await store.read(definitionStreamOf(id));
    expect(stream).toHaveLength(1);
    expect(stream[0]!.definitionEventDetails).toEqual({ definition });
    for (const arn of [a.executionArn, b.executionArn]) {
      const extra = (await store.getMetadata(arn))!.extra as Record<string, unknown>;
      expect(extra.definitionId).toBe(id);
      expect(extra).not.toHaveProperty('definition');
      // What the UI and the HTTP API read: the definition filled in.
      expect((await runtime.executionMetadata(arn))!.extra).toMatchObject({ definition, input: expect.any(Object), stateMachineName: 'StateMachine' });
    }
  });

  it('keeps the text a definition was submitted as, for DescribeStateMachineForExecution (recorded against AWS, 2026-09)', async () => {
    const store = createMemoryEventStore();
    const runtime = createRuntime({ store });
    const text = ' {\r\n "Comment": "\\u03bb", "StartAt": "P", "States": { "P": { "Type": "Pass", "Result": 1.00, "End": true } } }\n';
    const done = await runtime.run({ definition: text, name: 'spaced' });
    const extra = (await runtime.executionMetadata(done.executionArn))!.extra as Record<string, unknown>;
    expect(extra.definitionText).toBe(text);
    expect((await store.read(definitionStreamOf(definitionIdOf(text))))[0]!.definitionEventDetails).toMatchObject({ text });
    // An object definition keeps no text: its JSON text is the one whose hash names it.
    const object = await runtime.run({ definition, input: { name: 'Ada' }, name: 'object' });
    expect(((await runtime.executionMetadata(object.executionArn))!.extra as Record<string, unknown>).definitionText).toBe(JSON.stringify(definition));
  });

  it('reads a definition stored by an earlier version without its text', async () => {
    const store = createMemoryEventStore();
    const text = '{ "StartAt": "P", "States": { "P": { "Type": "Pass", "End": true } } }';
    const parsed = JSON.parse(text) as StateMachineDefinition;
    const first = createRuntime({ store });
    const done = await first.run({ definition: parsed, name: 'old' });
    const extra = (await runtime0(store).executionMetadata(done.executionArn))!.extra as Record<string, unknown>;
    expect(extra.definition).toEqual(parsed);
    expect(extra.definitionText).toBe(JSON.stringify(parsed));
  });

  it('a runtime that finds the definition stored by another reuses it, and resumes, forks and replays from it', async () => {
    const working = {
      StartAt: 'Work',
      States: { Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:work', End: true } },
    } satisfies StateMachineDefinition;
    const workingId = definitionIdOf(JSON.stringify(working));
    const first = createRuntime({ store: await openFileEventStore(dir) });
    first.handle({ state: 'Work' }, () => new Promise(() => {})); // this process dies mid-task
    const parked = first.startExecution({ definition: working, input: { n: 1 }, name: 'parked' });
    await first.listed(parked.identity.executionArn);
    await first.store.close();

    const store = await openFileEventStore(dir);
    const second = createRuntime({ store });
    second.handle({ state: 'Work' }, ({ input }) => input);
    const [resumed] = await second.start();
    expect(await resumed!.done).toMatchObject({ status: 'SUCCEEDED', output: { n: 1 } });
    expect(await second.run({ definition: working, input: { n: 2 }, name: 'again' })).toMatchObject({ status: 'SUCCEEDED', output: { n: 2 } });
    expect(await store.read(definitionStreamOf(workingId))).toHaveLength(1);
    expect((await second.replay({ executionArn: parked.identity.executionArn })).ok).toBe(true);
    const fork = await second.fork(parked.identity.executionArn, { fromEventId: 1, name: 'forked' });
    expect(await fork.done).toMatchObject({ status: 'SUCCEEDED', output: { n: 1 } });
    expect((await store.getMetadata(fork.identity.executionArn))!.extra).toMatchObject({ definitionId: workingId, forkedFrom: { executionArn: parked.identity.executionArn, eventId: 1 } });
    await second.close();
  });

  it('still reads an execution whose metadata carries its definition inline, as earlier versions stored it', async () => {
    const store = createMemoryEventStore();
    const runtime = createRuntime({ store });
    const result = await runtime.run({ definition, input: { name: 'Ada' } });
    const meta = (await store.getMetadata(result.executionArn))!;
    const { definitionId: _id, ...rest } = meta.extra as Record<string, unknown>;
    await store.putMetadata({ ...meta, extra: { ...rest, definition } as never });
    const fresh = createRuntime({ store });
    expect((await fresh.replay({ executionArn: result.executionArn })).ok).toBe(true);
    expect((await fresh.executionMetadata(result.executionArn))!.extra).toMatchObject({ definition });
  });

  it('on a store that does not keep one turn\'s writes in order, lists an execution only once its definition is stored', async () => {
    const inner = createMemoryEventStore();
    const writes: string[] = [];
    let storeDefinition!: () => void;
    const gate = new Promise<void>((r) => (storeDefinition = r));
    // EventStoreDB's adapter, say: two writes asked for in one turn may land in either order.
    const store = new Proxy(inner, {
      get(target, prop) {
        if (prop === 'turnWritesInOrder') return undefined;
        if (prop === 'append') {
          return async (streamId: string, events: never[], options: never) => {
            if (isDefinitionStream(streamId)) {
              await gate;
              writes.push('definition');
            }
            return target.append(streamId, events, options);
          };
        }
        if (prop === 'putMetadata') {
          return (m: ExecutionMetadata) => {
            writes.push(`metadata ${m.status}`);
            return target.putMetadata(m);
          };
        }
        const value = Reflect.get(target, prop) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const runtime = createRuntime({ store });
    const execution = runtime.startExecution({ definition, input: { name: 'Ada' } });
    await new Promise((r) => setTimeout(r, 5));
    expect(writes).toEqual([]);
    storeDefinition();
    await runtime.listed(execution.identity.executionArn);
    expect(writes.slice(0, 2)).toEqual(['definition', 'metadata RUNNING']);
    expect((await execution.done).status).toBe('SUCCEEDED');
    // The next execution of the same definition is listed at once: the definition is stored.
    const second = runtime.startExecution({ definition, input: { name: 'Bo' } });
    await runtime.listed(second.identity.executionArn);
    expect(writes.filter((w) => w === 'definition')).toHaveLength(1);
  });

  it('keeps definition streams out of runtime.events$', async () => {
    const store = createMemoryEventStore();
    const runtime = createRuntime({ store });
    const seen = firstValueFrom(runtime.events$.pipe(take(3), toArray()));
    await runtime.run({ definition, input: { name: 'Ada' } });
    expect((await seen).map((e) => e.streamId)).not.toContain(definitionStreamOf(id));
    expect((await seen).map((e) => e.event.type)).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited']);
  });
});
