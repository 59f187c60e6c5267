import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createRuntime, loadMockConfigFile, type HistoryEvent, type JsonValue } from '../../src/index.js';
import { diedAfter } from './journal-stores.js';
import { ExecutionStateFold, describeExecutionState, foldExecutionState, type ActiveState, type ExecutionState } from '../../src/execution/execution-state.js';

const casesDir = path.resolve(__dirname, '../../../shared/conformance/cases');
const present = fs.existsSync(casesDir);

interface Case { id: string; features: string[]; hasMocks: boolean }

/**
 * A sample of the conformance corpus chosen by feature: for each feature the first cases (by id)
 * that have it, a round at a time (every feature once, then twice, ...) up to `max`, Map and Parallel ones preferred. The cases
 * are run by Stepwise; each history is folded at every event and replayed, and each execution
 * resumed as by a process that died after each of its events.
 */
function sample(max = 30): Case[] {
  const all: Case[] = fs.readdirSync(casesDir).sort().map((id) => {
    const expected = JSON.parse(fs.readFileSync(path.join(casesDir, id, 'expected.json'), 'utf8')) as { features?: string[] };
    return { id, features: expected.features ?? [], hasMocks: fs.existsSync(path.join(casesDir, id, 'mocks.json')) };
  });
  const features = [...new Set(all.flatMap((c) => c.features))].sort();
  const order = ['Parallel', 'Map', 'DistributedMap', 'Retry', 'Catch', 'Variables', 'Timeouts', 'ToleratedFailure', ...features];
  const chosen = new Map<string, Case>();
  for (const round of [1, 2, 3, 4, 5]) {
    for (const f of order) {
      if (chosen.size >= max) break;
      const have = [...chosen.values()].filter((c) => c.features.includes(f)).length;
      if (have >= round) continue;
      // Most featureful first: a case with Map, Retry and Catch says more than one with Map alone.
      const next = all.filter((c) => c.features.includes(f) && !chosen.has(c.id)).sort((a, b) => b.features.length - a.features.length)[0];
      if (next) chosen.set(next.id, next);
    }
  }
  return [...chosen.values()];
}

function flatten(active: ActiveState[], out: ActiveState[] = []): ActiveState[] {
  for (const a of active) {
    out.push(a);
    for (const c of a.children ?? []) flatten(c.active, out);
  }
  return out;
}

const plain = (s: ExecutionState): unknown => JSON.parse(JSON.stringify(s));

/** The invariants every fold of a history Stepwise wrote must keep; returns what broke. */
function checkFold(events: HistoryEvent[], result: { status: string; output?: JsonValue; error?: string; cause?: string }, topLevel: Set<string>): string[] {
  const problems: string[] = [];
  const fold = new ExecutionStateFold();
  const ended = new Map<number, { at: number; exited: boolean }>();
  let at = 0;
  fold.onStateEnded((_name, enteredEventId, exited) => {
    if (ended.has(enteredEventId)) problems.push(`entry #${enteredEventId} ended twice`);
    ended.set(enteredEventId, { at, exited });
  });
  const entered = new Map<number, HistoryEvent>();
  const schedules = new Map<number, number>();
  const variables: Record<string, unknown> = {};
  for (const e of events) {
    at = e.id;
    fold.apply(e);
    const state = foldExecutionState(events, e.id);
    describeExecutionState(state);
    if (!isDeepStrictEqual(plain(fold.snapshot()), plain(state))) problems.push(`#${e.id}: the incremental fold differs`);
    const details = (e.stateEnteredEventDetails ?? e.stateExitedEventDetails) as { name?: string; assignedVariables?: Record<string, unknown> } | undefined;
    if (e.type.endsWith('StateEntered')) entered.set(e.id, e);
    if (e.type.endsWith('StateExited')) {
      // An exit ends the entry of that state, then and there.
      const entry = fold.stateEntryOf(e.id);
      const enteredEvent = entry === undefined ? undefined : entered.get(entry);
      if (!enteredEvent || (enteredEvent.stateEnteredEventDetails as { name?: string }).name !== details?.name) problems.push(`#${e.id} ${e.type} ${details?.name}: attributed to entry #${entry}`);
      else if (ended.get(entry!)?.at !== e.id || !ended.get(entry!)?.exited) problems.push(`#${e.id} ${e.type}: did not end entry #${entry}`);
      // Assignments inside iterations and branches are scoped to them.
      if (details?.assignedVariables && topLevel.has(details.name!)) Object.assign(variables, details.assignedVariables);
    }
    if (/^(Task|LambdaFunction)Scheduled$/.test(e.type)) {
      const entry = fold.stateEntryOf(e.id);
      if (entry === undefined) problems.push(`#${e.id} ${e.type}: no state`);
      else schedules.set(entry, (schedules.get(entry) ?? 0) + 1);
    }
    const active = flatten(state.active);
    if (e.type.endsWith('StateEntered') && !active.some((a) => a.enteredEventId === e.id)) problems.push(`#${e.id} ${e.type}: not active`);
    for (const a of active) {
      const en = entered.get(a.enteredEventId);
      if (!en || en.type !== `${a.type}StateEntered`) problems.push(`#${e.id}: active ${a.name} #${a.enteredEventId} was not entered`);
      if (ended.has(a.enteredEventId)) problems.push(`#${e.id}: ${a.name} #${a.enteredEventId} active after it ended`);
      if (a.type === 'Task' && a.retryCount !== Math.max(0, (schedules.get(a.enteredEventId) ?? 0) - 1)) problems.push(`#${e.id}: ${a.name} retryCount ${a.retryCount}`);
      if (a.contextObject.State.RetryCount !== a.retryCount) problems.push(`#${e.id}: ${a.name} $$.State.RetryCount`);
      for (const c of a.children ?? []) if (c.status !== 'RUNNING' && c.active.length > 0) problems.push(`#${e.id}: ${a.name}[${c.index}] is ${c.status} with states active`);
    }
    if (!isDeepStrictEqual(state.variables, variables)) problems.push(`#${e.id}: variables ${JSON.stringify(state.variables)}, top-level exits assigned ${JSON.stringify(variables)}`);
  }
  const final = foldExecutionState(events);
  if (final.status !== result.status) problems.push(`status ${final.status}, execution ${result.status}`);
  if (result.status === 'SUCCEEDED' && !isDeepStrictEqual(final.output, result.output)) problems.push(`output ${JSON.stringify(final.output)}, execution ${JSON.stringify(result.output)}`);
  if (result.status !== 'SUCCEEDED' && (final.error !== result.error || final.cause !== result.cause)) problems.push(`error/cause ${final.error}/${final.cause}, execution ${result.error}/${result.cause}`);
  if (final.active.length > 0) problems.push(`still active at the end: ${flatten(final.active).map((a) => a.name)}`);
  if (final.mapIterations.some((m) => m.running > 0 || !m.closed)) problems.push('a Map is still running at the end');
  for (const id of entered.keys()) if (!ended.has(id)) problems.push(`entry #${id} never ended`);
  return problems;
}

/** Names of the top-level states that no Map or Parallel inside the definition reuses. */
function topLevelOnly(definition: { States: Record<string, Record<string, unknown>> }): Set<string> {
  const nested = new Set<string>();
  const walk = (states: Record<string, Record<string, unknown>>, depth: number): void => {
    for (const [name, s] of Object.entries(states)) {
      if (depth > 0) nested.add(name);
      const inner = [...((s.Branches as { States: Record<string, Record<string, unknown>> }[] | undefined) ?? []), ...[s.ItemProcessor ?? s.Iterator].filter(Boolean) as { States: Record<string, Record<string, unknown>> }[]];
      for (const b of inner) walk(b.States, depth + 1);
    }
  };
  walk(definition.States, 0);
  return new Set(Object.keys(definition.States).filter((n) => !nested.has(n)));
}

describe.skipIf(!present)('conformance executions run by Stepwise: folded at every event, replayed, resumed after every event', () => {
  const cases = present ? sample() : [];

  it('samples a spread of features', () => {
    const covered = new Set(cases.flatMap((c) => c.features));
    for (const f of ['Map', 'Parallel', 'Retry', 'Catch', 'Variables', 'Task', 'Wait', 'Fail']) expect(covered).toContain(f);
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', async (id, c) => {
    const dir = path.join(casesDir, id);
    const definition = JSON.parse(fs.readFileSync(path.join(dir, 'definition.json'), 'utf8'));
    const input = JSON.parse(fs.readFileSync(path.join(dir, 'input.json'), 'utf8'));
    const runtime = createRuntime({ clock: 'virtual', ...(c.hasMocks ? { mockConfig: loadMockConfigFile(path.join(dir, 'mocks.json')) } : {}) });
    const execution = runtime.startExecution({ definition, input, ...(c.hasMocks ? { stateMachineName: id, testCase: 'Default' } : {}) });
    const result = await execution.done;
    const events = await runtime.execution(execution.identity.executionArn).history();
    const topLevel = topLevelOnly(definition);
    expect(checkFold(events, result as { status: string; output?: JsonValue; error?: string; cause?: string }, topLevel)).toEqual([]);
    // A replay reproduces the history, and a process that died after any of its events
    // resumes to the same end with the same events (ids, threading and types).
    const arn = execution.identity.executionArn;
    expect(await runtime.replay({ executionArn: arn })).toMatchObject({ ok: true });
    const shape = (list: HistoryEvent[]) => list.map((e) => `${e.id}/${e.previousEventId}/${e.type}`);
    for (let k = 1; k < events.length; k++) {
      const store = await diedAfter(runtime.store, arn, k);
      const resumer = createRuntime({ store, clock: 'virtual', ...(c.hasMocks ? { mockConfig: loadMockConfigFile(path.join(dir, 'mocks.json')) } : {}) });
      const [resumed] = await resumer.start();
      const again = await resumed!.done;
      expect({ status: again.status, output: again.output, error: again.error, cause: again.cause }, `resumed after event ${k}`).toEqual({ status: result.status, output: result.output, error: result.error, cause: result.cause });
      expect(shape(await store.read(arn)), `resumed after event ${k}`).toEqual(shape(events));
      await resumer.close();
    }
    await runtime.close();
  });
});
