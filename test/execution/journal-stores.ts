import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { createMemoryEventStore, openFileEventStore, type Clock, type StateMachineDefinition } from '../../src/index.js';
import type { EventStore } from '../../src/store/event-store.js';
import { definitionStreamOf } from '../../src/store/definition-stream.js';

/**
 * The two stores a journal test runs on (for describe.each): the in-memory one and a file store
 * in a temporary directory, removed after each test.
 */
export function journalTestStores(prefix: string): [string, () => Promise<EventStore>][] {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return [
    ['the in-memory store', async () => createMemoryEventStore()],
    ['the file store', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), prefix));
      dirs.push(dir);
      return openFileEventStore(dir);
    }],
  ];
}

/** A store holding an execution as a process that died after its event `k` left it: RUNNING, its first k events. */
export async function diedAfter(store: EventStore, arn: string, k: number): Promise<EventStore> {
  const again = createMemoryEventStore();
  const meta = (await store.getMetadata(arn))!;
  const definitionStream = definitionStreamOf((meta.extra as { definitionId: string }).definitionId);
  await again.append(definitionStream, await store.read(definitionStream), { expectedRevision: 0 });
  await again.putMetadata({ ...meta, status: 'RUNNING', stopDate: undefined });
  await again.append(arn, (await store.read(arn)).slice(0, k), { expectedRevision: 0 });
  return again;
}

/** A state machine that is one Parallel state of the given branches, ending the execution. */
export function parallelOf(...branches: object[]): StateMachineDefinition {
  return { StartAt: 'Both', States: { Both: { Type: 'Parallel', End: true, Branches: branches } } } as unknown as StateMachineDefinition;
}

/** A clock moved by hand: timers (a Wait, a retry, the execution's timeout) fire exactly when the test says. */
export class ManualClock implements Clock {
  readonly virtual = false;
  private timers: { dueAt: number; fire: () => void; cancelled: boolean }[] = [];
  constructor(private current = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.current;
  }
  schedule(dueAt: number, fire: () => void): () => void {
    const timer = { dueAt, fire, cancelled: false };
    this.timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }
  advance(ms: number): void {
    this.current += ms;
    for (const timer of this.timers.splice(0)) {
      if (timer.cancelled) continue;
      if (timer.dueAt <= this.current) timer.fire();
      else this.timers.push(timer);
    }
  }
}
