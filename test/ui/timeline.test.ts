import { describe, expect, it } from 'vitest';
import { createRuntime, TaskFailure } from '../../src/index.js';
import type { StateMachineDefinition } from '../../src/asl/definition.js';
import { foldExecutionState } from '../../src/execution/execution-state.js';
import type { HistoryEvent } from '../../src/execution/history-event.js';
import { Timeline } from '../../ui/logic/timeline.js';
import { inlineMapHistory, MAP_DEFINITION } from './fixtures/map-history.js';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:work';

async function history(definition: StateMachineDefinition, input: unknown, handler: (input: unknown) => unknown): Promise<HistoryEvent[]> {
  const runtime = createRuntime({ clock: 'virtual', limits: { payloadBytes: Infinity, historyEvents: Infinity } });
  runtime.handle(FN, ({ input: i }) => handler(i));
  const execution = runtime.startExecution({ definition, input: input as never });
  await execution.done;
  return runtime.execution(execution.identity.executionArn).history();
}

const status = (t: Timeline, index: number) => Object.fromEntries([...t.statusesAt(index)].map(([k, v]) => [k, v.status]));

describe('Timeline', () => {
  it('colours a caught failure, a retried one and the states after it', async () => {
    const events = await history({
      StartAt: 'Charge',
      States: {
        Charge: { Type: 'Task', Resource: FN, Retry: [{ ErrorEquals: ['Busy'], MaxAttempts: 1, IntervalSeconds: 1 }], Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Refund' }], Next: 'Done' },
        Refund: { Type: 'Pass', End: true },
        Done: { Type: 'Pass', End: true },
      },
    }, {}, () => { throw new TaskFailure('Busy', 'still busy'); });
    const t = new Timeline(events);
    const last = events.length - 1;
    expect(status(t, last)).toEqual({ Charge: 'caught', Refund: 'succeeded' });
    expect(t.statusesAt(last).get('Charge')!.retries).toBe(1);
    expect(status(t, 0)).toEqual({});
    const firstFailure = events.findIndex((e) => e.type === 'LambdaFunctionFailed');
    expect(status(t, firstFailure)).toEqual({ Charge: 'running' });
    const entry = t.entryOf('Charge', last);
    expect(entry.entered!.type).toBe('TaskStateEntered');
    expect(entry.exited!.type).toBe('TaskStateExited');
    expect(entry.failure!.type).toBe('LambdaFunctionFailed');
  });

  it('shows the states a redrive picks up running again, without a new entry (the AWS shape)', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    let fixed = false;
    runtime.handle(FN, () => {
      if (!fixed) throw new TaskFailure('Declined', 'card declined');
      return 'paid';
    });
    const definition: StateMachineDefinition = {
      StartAt: 'Route',
      States: {
        Route: { Type: 'Choice', Choices: [{ Variable: '$.fail', BooleanEquals: true, Next: 'Broken' }], Default: 'Charge' },
        Charge: { Type: 'Task', Resource: FN, End: true },
        Broken: { Type: 'Fail', Error: 'Probe.Explicit' },
      },
    };
    const charged = runtime.startExecution({ definition, input: { fail: false } });
    await charged.done;
    fixed = true;
    await (await runtime.redrive(charged.identity.executionArn)).done;
    const failed = runtime.startExecution({ definition, input: { fail: true } });
    await failed.done;
    await (await runtime.redrive(failed.identity.executionArn)).done;
    for (const [arn, expected] of [[charged.identity.executionArn, { Route: 'succeeded', Charge: 'succeeded' }], [failed.identity.executionArn, { Route: 'succeeded', Broken: 'failed' }]] as const) {
      const events = await runtime.execution(arn).history();
      const t = new Timeline(events);
      const redriven = events.findIndex((e) => e.type === 'ExecutionRedriven');
      const resumed = Object.keys(expected)[1]!;
      expect(status(t, redriven)[resumed]).toBe('running');
      expect(t.statusesAt(redriven).get(resumed)!.entered).toBe(1);
      expect(status(t, events.length - 1)).toEqual(expected);
      for (let i = 0; i < events.length; i++) expect(t.stateAt(i)).toEqual(foldExecutionState(events, events[i]!.id));
    }
  });

  it('marks the state that failed the execution, and the fold agrees at every event', async () => {
    const events = await history({
      StartAt: 'Prepare',
      States: {
        Prepare: { Type: 'Pass', Result: { n: 1 }, ResultPath: '$.prepared', Next: 'Charge' },
        Charge: { Type: 'Task', Resource: FN, End: true },
      },
    }, { order: 7 }, () => { throw new TaskFailure('Declined', 'card declined'); });
    expect(events.at(-1)!.type).toBe('ExecutionFailed');
    const t = new Timeline(events);
    expect(status(t, events.length - 1)).toEqual({ Prepare: 'succeeded', Charge: 'failed' });
    // Going forwards, then backwards, then forwards again gives the fold's answer each time.
    for (const i of [events.length - 1, 2, 0, events.length - 2, 3]) {
      expect(t.stateAt(i)).toEqual(foldExecutionState(events, events[i]!.id));
    }
    expect(t.stateAt(events.length - 2).active[0]!.input).toEqual({ order: 7, prepared: { n: 1 } });
  });

  it('counts Map iterations per status and follows one iteration on its own', async () => {
    const events = await history({
      StartAt: 'Items',
      States: {
        Items: {
          Type: 'Map', ToleratedFailureCount: 1,
          ItemProcessor: { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: FN, End: true } } },
          End: true,
        },
      },
    }, [1, 2, 3], (i) => { if (i === 2) throw new TaskFailure('Bad', 'two'); return i; });
    const t = new Timeline(events);
    const work = t.statusesAt(events.length - 1).get('Work')!;
    expect([work.succeeded, work.failed, work.entered]).toEqual([2, 1, 3]);
    const mapEntered = events.find((e) => e.type === 'MapStateEntered')!.id;
    const second = `${mapEntered}:1`;
    const own = t.eventsOfIteration(second).map((i) => events[i]!.type);
    expect(own[0]).toBe('MapIterationStarted');
    expect(own).toContain('TaskStateEntered');
    expect(own.at(-1)).toBe('MapIterationFailed');
    expect(t.statusesInIteration(events.length - 1, second).get('Work')!.status).toBe('failed');
    expect(t.statusesInIteration(events.length - 1, `${mapEntered}:0`).get('Work')!.status).toBe('succeeded');
    expect(t.entryOf('Work', events.length - 1, second).entered!.stateEnteredEventDetails).toMatchObject({ input: 2 });
  });

  it('grows with live events and ignores ones it already has', async () => {
    const events = await history({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', End: true } } }, {}, () => null);
    const t = new Timeline(events.slice(0, 3));
    expect(status(t, 2)).toEqual({ A: 'succeeded' });
    t.append(events.slice(1));
    expect(t.length).toBe(events.length);
    expect(status(t, events.length - 1)).toEqual({ A: 'succeeded', B: 'succeeded' });
  });

  it('has a written Map history (used by the browser test) that folds like one the runtime records', async () => {
    const recorded = await history(MAP_DEFINITION as StateMachineDefinition, Array.from({ length: 100 }, (_, i) => i), () => null);
    const written = inlineMapHistory(100);
    expect(written.length).toBe(recorded.length);
    const summary = (events: HistoryEvent[]) => {
      const s = foldExecutionState(events);
      return { status: s.status, output: s.output, maps: s.mapIterations.map(({ enteredEventId, ...rest }) => rest), completed: Object.keys(s.completedStates) };
    };
    expect(summary(written)).toEqual(summary(recorded));
    expect(new Timeline(written).statusesAt(written.length - 1)).toEqual(new Timeline(recorded).statusesAt(recorded.length - 1));
  });

  it('scrubs a 40,006-event, 10,000-item Map history from saved trackers', () => {
    const events = inlineMapHistory(10000);
    expect(events.length).toBe(40006);
    const started = performance.now();
    const t = new Timeline(events);
    const built = performance.now();
    let running = 0;
    for (let k = 0; k < 200; k++) {
      const i = (k * 7919) % events.length;
      if (t.statusesAt(i).get('Price')?.status === 'running') running++;
    }
    const scrubbed = performance.now();
    const mid = t.stateAt(20000);
    const end = t.statusesAt(events.length - 1).get('Price')!;
    expect(end).toMatchObject({ succeeded: 10000, running: 0, status: 'succeeded' });
    expect(mid.mapIterations[0]!).toMatchObject({ length: 10000, running: 40 });
    expect(running).toBeGreaterThan(0);
    console.log(`timeline: built ${events.length} events in ${(built - started).toFixed(0)} ms; 200 scrubs in ${(scrubbed - built).toFixed(0)} ms`);
  }, 60000);
});
