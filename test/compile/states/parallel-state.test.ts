import { describe, expect, it } from 'vitest';
import { createRuntime, type HistoryEvent, type StateMachineDefinition } from '../../../src/index.js';

const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:';

/** `id<previousEventId Type[ name]`, as the recordings are transcribed. */
const shape = (events: readonly HistoryEvent[]) => events.map((e) => `${e.id}<${e.previousEventId} ${e.type}${e.stateEnteredEventDetails?.name || e.stateExitedEventDetails?.name ? ` ${e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name}` : ''}`);

const task = (fn: string) => ({ Type: 'Task' as const, Resource: LAMBDA + fn, End: true });

/** Three single-Task branches: S succeeds, F fails a little later, A never answers. */
const parallel = {
  Type: 'Parallel' as const,
  Branches: [
    { StartAt: 'S', States: { S: task('ok') } },
    { StartAt: 'F', States: { F: task('bad') } },
    { StartAt: 'A', States: { A: task('hold') } },
  ],
};

function runtimeWithHandlers() {
  const runtime = createRuntime({ clock: 'virtual' });
  runtime.handle(LAMBDA + 'ok', async () => 'ok');
  runtime.handle(LAMBDA + 'hold', () => new Promise(() => {}));
  runtime.handle(LAMBDA + 'bad', () => new Promise((_, reject) => setTimeout(() => reject(Object.assign(new Error('no'), { name: 'Probe.Failed' })), 5)));
  return runtime;
}

// Recorded against AWS (2026-09), a Parallel of three single-Task branches whose second branch's
// task failed while the third's still ran (activities there, Lambda functions here):
//   16<15 TaskStateExited, 17<13 ActivityFailed, 18<17 TaskStateAborted (the failed branch's own
//   Task, which never exits), 19<17 TaskStateAborted (the running branch's), 20<17 ParallelStateFailed,
//   21<20 ExecutionFailed.
describe('Parallel: a branch fails in a Task while another still runs', () => {
  const failure = [
    '1<0 ExecutionStarted', '2<0 ParallelStateEntered P', '3<2 ParallelStateStarted',
    '4<3 TaskStateEntered S', '5<4 LambdaFunctionScheduled', '6<3 TaskStateEntered F', '7<6 LambdaFunctionScheduled',
    '8<3 TaskStateEntered A', '9<8 LambdaFunctionScheduled', '10<5 LambdaFunctionStarted', '11<7 LambdaFunctionStarted', '12<9 LambdaFunctionStarted',
    '13<10 LambdaFunctionSucceeded', '14<13 TaskStateExited S', '15<11 LambdaFunctionFailed',
    '16<15 TaskStateAborted', '17<15 TaskStateAborted', '18<15 ParallelStateFailed',
  ];

  it('aborts the failed branch\'s Task, then the running branch\'s, all threaded on the failure, as recorded against AWS', async () => {
    const runtime = runtimeWithHandlers();
    const definition: StateMachineDefinition = { StartAt: 'P', States: { P: { ...parallel, End: true } } };
    const execution = runtime.startExecution({ definition });
    expect(await execution.done).toMatchObject({ status: 'FAILED', error: 'Probe.Failed' });
    expect(shape(execution.events)).toEqual([...failure, '19<18 ExecutionFailed']);
    const arn = execution.identity.executionArn;
    expect(await runtime.replay({ executionArn: arn })).toEqual({ ok: true, replayedEvents: 19 });
    // The fold reads each abort as the state it names: F's Task first, then A's.
    const branches = async (at: number) => (await runtime.execution(arn).stateAt(at)).active[0]!.children!.map((c) => [c.status, c.active.map((a) => a.name)]);
    expect(await branches(15)).toEqual([['SUCCEEDED', []], ['RUNNING', ['F']], ['RUNNING', ['A']]]);
    expect(await branches(16)).toEqual([['SUCCEEDED', []], ['RUNNING', []], ['RUNNING', ['A']]]);
    expect(await branches(17)).toEqual([['SUCCEEDED', []], ['RUNNING', []], ['RUNNING', []]]);
    const end = await runtime.execution(arn).stateAt();
    expect(end).toMatchObject({ status: 'FAILED', error: 'Probe.Failed', failedState: 'P', active: [] });
    const failed = await runtime.execution(arn).stateAt(18);
    expect(failed.active[0]!.children!.map((c) => c.status)).toEqual(['SUCCEEDED', 'FAILED', 'ABORTED']);
    await runtime.close();
  });

  it('records the same aborts before a Catch takes the failure', async () => {
    const runtime = runtimeWithHandlers();
    const definition: StateMachineDefinition = {
      StartAt: 'P',
      States: { P: { ...parallel, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handled' }], End: true }, Handled: { Type: 'Pass', End: true } },
    };
    const execution = runtime.startExecution({ definition });
    expect(await execution.done).toMatchObject({ status: 'SUCCEEDED' });
    expect(shape(execution.events)).toEqual([
      ...failure, '19<18 ParallelStateExited P', '20<19 PassStateEntered Handled', '21<20 PassStateExited Handled', '22<21 ExecutionSucceeded',
    ]);
    expect(await runtime.replay({ executionArn: execution.identity.executionArn })).toEqual({ ok: true, replayedEvents: 22 });
    await runtime.close();
  });

  it('aborts only the running branch\'s Task when a branch failed in a Fail state, which is terminal', async () => {
    const runtime = runtimeWithHandlers();
    const definition: StateMachineDefinition = {
      StartAt: 'P',
      States: { P: { Type: 'Parallel', End: true, Branches: [{ StartAt: 'Boom', States: { Boom: { Type: 'Fail', Error: 'E' } } }, { StartAt: 'A', States: { A: task('hold') } }] } },
    };
    const execution = runtime.startExecution({ definition });
    expect(await execution.done).toMatchObject({ status: 'FAILED', error: 'E' });
    expect(shape(execution.events)).toEqual([
      '1<0 ExecutionStarted', '2<0 ParallelStateEntered P', '3<2 ParallelStateStarted', '4<3 FailStateEntered Boom',
      '5<3 TaskStateEntered A', '6<5 LambdaFunctionScheduled', '7<4 TaskStateAborted', '8<4 ParallelStateFailed', '9<8 ExecutionFailed',
    ]);
    expect(await runtime.replay({ executionArn: execution.identity.executionArn })).toEqual({ ok: true, replayedEvents: 9 });
    await runtime.close();
  });
});

describe('Parallel: what AWS answered in localstack/localstack threads', () => {
  it('keeps a ResultSelector wildcard that matches one branch an array', async () => {
    // As AWS answered it, quoted in localstack/localstack#13009: `$[*].message` over two branches,
    // only the first with a message, outputs {"messages": ["Hello from Branch 1"]}.
    const definition: StateMachineDefinition = {
      StartAt: 'ParallelState',
      States: {
        ParallelState: {
          Type: 'Parallel',
          ResultSelector: { 'messages.$': '$[*].message' },
          Branches: [
            { StartAt: 'Branch1', States: { Branch1: { Type: 'Pass', Result: { message: 'Hello from Branch 1' }, End: true } } },
            { StartAt: 'Branch2', States: { Branch2: { Type: 'Pass', End: true } } },
          ],
          Next: 'Finish',
        },
        Finish: { Type: 'Pass', End: true },
      },
    };
    const result = await createRuntime({ clock: 'virtual' }).startExecution({ definition, input: {} }).done;
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { messages: ['Hello from Branch 1'] } });
  });

  it('fails the execution when a branch ends in a Fail state, before its Next', async () => {
    // As AWS answered it, quoted in localstack/localstack#9863: the state after the Parallel is never reached.
    const definition: StateMachineDefinition = {
      StartAt: 'Parallel',
      States: {
        Parallel: { Type: 'Parallel', Next: 'Unreachable', Branches: [{ StartAt: 'Fail', States: { Fail: { Type: 'Fail' } } }] },
        Unreachable: { Type: 'Pass', Parameters: { UnreachableOutput: true }, End: true },
      },
    };
    const execution = createRuntime({ clock: 'virtual' }).startExecution({ definition, input: {} });
    expect(await execution.done).toMatchObject({ status: 'FAILED' });
    expect(execution.events.some((e) => e.stateEnteredEventDetails?.name === 'Unreachable')).toBe(false);
  });
});
