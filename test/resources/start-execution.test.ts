import { describe, expect, it } from 'vitest';
import { firstValueFrom, filter } from 'rxjs';
import { createMemoryEventStore, createRuntime, memoryRegistryPersistence, type Runtime, type StateMachineDefinition } from '../../src/index.js';

const ROLE = 'arn:aws:iam::123456789012:role/StepwiseExecutionRole';

const child = {
  StartAt: 'Greet',
  States: { Greet: { Type: 'Pass', Parameters: { 'greeting.$': "States.Format('hello {}', $.name)", 'parent.$': '$.AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID' }, End: true } },
};
const failingChild = { StartAt: 'Break', States: { Break: { Type: 'Fail', Error: 'Child.Broke', Cause: 'bad input' } } };
const slowChild = { StartAt: 'Nap', States: { Nap: { Type: 'Wait', Seconds: 3600, Next: 'Done' }, Done: { Type: 'Pass', Result: 'rested', End: true } } };

async function runtimeWithChildren(clock: 'real' | 'virtual' = 'real'): Promise<{ runtime: Runtime; arns: Record<string, string> }> {
  const runtime = createRuntime({ clock });
  const arns: Record<string, string> = {};
  for (const [name, definition] of Object.entries({ Child: child, FailingChild: failingChild, SlowChild: slowChild })) {
    arns[name] = (await runtime.stateMachines.create({ name, definition: JSON.stringify(definition), roleArn: ROLE })).stateMachineArn;
  }
  return { runtime, arns };
}

function parent(resource: string, stateMachineArn: string, extra: Record<string, unknown> = {}): StateMachineDefinition {
  return {
    StartAt: 'Start',
    States: {
      Start: {
        Type: 'Task', Resource: resource, End: true,
        Parameters: { StateMachineArn: stateMachineArn, Input: { 'name.$': '$.name', 'AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$': '$$.Execution.Id' }, ...extra },
      },
    },
  } as StateMachineDefinition;
}

describe('states:startExecution runs the child in this runtime', () => {
  it('request-response gives { ExecutionArn, StartDate } and the child runs on', async () => {
    const { runtime, arns } = await runtimeWithChildren();
    const execution = runtime.startExecution({ definition: parent('arn:aws:states:::states:startExecution', arns.Child!, { Name: 'kid-1' }), input: { name: 'Ada' } });
    const result = await execution.done;
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual({ ExecutionArn: 'arn:aws:states:us-east-1:123456789012:execution:Child:kid-1', StartDate: expect.any(Number) });
    const kid = await runtime.execution('arn:aws:states:us-east-1:123456789012:execution:Child:kid-1').history();
    expect(kid.at(-1)!.type).toBe('ExecutionSucceeded');
    // StartExecution answers the child's own start time: its ExecutionStarted's.
    expect((result.output as { StartDate: number }).StartDate).toBe(kid[0]!.timestamp);
  });

  it('.sync waits and gives DescribeExecution\'s shape with Input and Output as JSON text', async () => {
    const { runtime, arns } = await runtimeWithChildren();
    const execution = runtime.startExecution({ definition: parent('arn:aws:states:::states:startExecution.sync', arns.Child!), input: { name: 'Ada' } });
    const result = await execution.done;
    expect(result.status).toBe('SUCCEEDED');
    const out = result.output as Record<string, unknown>;
    expect(out).toMatchObject({ Status: 'SUCCEEDED', StateMachineArn: arns.Child, InputDetails: { Included: true }, OutputDetails: { Included: true } });
    expect(typeof out.Output).toBe('string');
    expect(JSON.parse(out.Output as string)).toEqual({ greeting: 'hello Ada', parent: execution.identity.executionArn });
    expect(JSON.parse(out.Input as string)).toEqual({ name: 'Ada', AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: execution.identity.executionArn });
    expect(out.StopDate).toBeGreaterThanOrEqual(out.StartDate as number);
    // As AWS records a .sync job (a glue startJobRun.sync history): TaskStarted, then TaskSubmitted
    // with the start call's response, then the job's end.
    const events = execution.events.filter((e) => e.type.startsWith('Task') && e.type !== 'TaskStateEntered' && e.type !== 'TaskStateExited');
    expect(events.map((e) => [e.type, e.id - e.previousEventId])).toEqual([['TaskScheduled', 1], ['TaskStarted', 1], ['TaskSubmitted', 1], ['TaskSucceeded', 1]]);
    const submitted = events[2]!.taskSubmittedEventDetails!;
    expect(submitted).toMatchObject({ resourceType: 'states', resource: 'startExecution.sync' });
    expect(submitted.output).toEqual({ ExecutionArn: out.ExecutionArn, StartDate: out.StartDate });
  });

  it('.sync:2 gives Output as JSON', async () => {
    const { runtime, arns } = await runtimeWithChildren();
    const result = await runtime.run({ definition: parent('arn:aws:states:::states:startExecution.sync:2', arns.Child!), input: { name: 'Bo' } });
    expect(result.output).toMatchObject({ Status: 'SUCCEEDED', Output: { greeting: 'hello Bo' }, Input: { name: 'Bo' } });
  });

  it('a child that fails fails the task with States.TaskFailed and the child described in the cause', async () => {
    const { runtime, arns } = await runtimeWithChildren();
    const result = await runtime.run({ definition: parent('arn:aws:states:::states:startExecution.sync', arns.FailingChild!), input: { name: 'x' } });
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed' });
    expect(JSON.parse(result.cause!)).toMatchObject({ Status: 'FAILED', Error: 'Child.Broke', Cause: 'bad input', StateMachineArn: arns.FailingChild });
  });

  it('.sync on the virtual clock lets the child\'s Waits pass', async () => {
    const { runtime, arns } = await runtimeWithChildren('virtual');
    const result = await runtime.run({ definition: parent('arn:aws:states:::states:startExecution.sync:2', arns.SlowChild!), input: { name: 'z' } });
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { Output: 'rested' } });
    const out = result.output as { StartDate: number; StopDate: number };
    expect(out.StopDate - out.StartDate).toBe(3_600_000);
  });

  it('.waitForTaskToken starts the child and waits for its token', async () => {
    const { runtime } = await runtimeWithChildren();
    const reporter = { StartAt: 'Report', States: { Report: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:report', End: true } } };
    const { stateMachineArn } = await runtime.stateMachines.create({ name: 'Reporter', definition: JSON.stringify(reporter), roleArn: ROLE });
    runtime.handle({ state: 'Report' }, ({ input }) => {
      const { token, name } = input as { token: string; name: string };
      runtime.sendTaskSuccess(token, { reportedBy: name });
      return null;
    });
    const definition = {
      StartAt: 'Start',
      States: { Start: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.waitForTaskToken', End: true, Parameters: { StateMachineArn: stateMachineArn, Input: { 'token.$': '$$.Task.Token', name: 'child' } } } },
    } as StateMachineDefinition;
    expect(await runtime.run({ definition })).toMatchObject({ status: 'SUCCEEDED', output: { reportedBy: 'child' } });
  });

  it('an unknown state machine fails with StepFunctions.StateMachineDoesNotExistException', async () => {
    const { runtime } = await runtimeWithChildren();
    const result = await runtime.run({ definition: parent('arn:aws:states:::states:startExecution.sync', 'arn:aws:states:us-east-1:123456789012:stateMachine:Nobody'), input: { name: 'x' } });
    expect(result).toMatchObject({ status: 'FAILED', error: 'StepFunctions.StateMachineDoesNotExistException' });
    // The cause as AWS records it (LocalStack's AWS-recorded snapshot of test_start_execution_no_such_arn).
    expect(result.cause).toMatch(/^State Machine Does Not Exist: 'arn:aws:states:us-east-1:123456789012:stateMachine:Nobody' \(Service: AWSStepFunctions; Status Code: 400; Error Code: StateMachineDoesNotExist; Request ID: [0-9a-f-]{36}; Proxy: null\)$/);
  });

  it('.sync after a crash waits for the same child, which the resume carries on', async () => {
    const store = createMemoryEventStore();
    const registry = memoryRegistryPersistence();
    const first = createRuntime({ store, registry });
    const working = { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:work', End: true } } };
    const { stateMachineArn } = await first.stateMachines.create({ name: 'Worker', definition: JSON.stringify(working), roleArn: ROLE });
    first.handle({ state: 'Work' }, () => new Promise(() => {})); // the first process dies mid-task
    const started = firstValueFrom(store.subscribeAll().pipe(filter((e) => e.event.type === 'LambdaFunctionStarted')));
    const execution = first.startExecution({ definition: parent('arn:aws:states:::states:startExecution.sync:2', stateMachineArn), input: { name: 'c' }, name: 'parent' });
    await started;

    const second = createRuntime({ store, registry });
    second.handle({ state: 'Work' }, () => ({ worked: true }));
    const resumed = await second.start();
    expect(resumed).toHaveLength(2);
    const parentRun = resumed.find((j) => j.identity.executionArn === execution.identity.executionArn)!;
    expect(await parentRun.done).toMatchObject({ status: 'SUCCEEDED', output: { Status: 'SUCCEEDED', Output: { worked: true } } });
    // The call made again after the crash finds the same child and records no second TaskSubmitted.
    expect((await store.read(execution.identity.executionArn)).filter((e) => e.type === 'TaskSubmitted')).toHaveLength(1);
    const children = await store.list({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Worker' });
    expect(children.items).toHaveLength(1);
  });
});
