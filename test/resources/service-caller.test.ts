import { describe, expect, it } from 'vitest';
import { createRuntime, parseMockConfig, TaskFailure, type ServiceCaller, type ServiceRequest, type StateMachineDefinition } from '../../src/index.js';

const SQS = 'arn:aws:states:::sqs:sendMessage';

function oneTask(resource: string, parameters: Record<string, unknown> = { QueueUrl: 'q', MessageBody: { a: 1 } }): StateMachineDefinition {
  return { StartAt: 'Send', States: { Send: { Type: 'Task', Resource: resource, Parameters: parameters, End: true } } } as StateMachineDefinition;
}

function recordingCaller(answer: (r: ServiceRequest) => unknown): { caller: ServiceCaller; calls: ServiceRequest[] } {
  const calls: ServiceRequest[] = [];
  return {
    calls,
    caller: {
      async call(request) {
        calls.push(request);
        return answer(request) as never;
      },
    },
  };
}

describe('the service caller: the third way to answer a Task', () => {
  it('answers when no handler or mock does, seeing the split resource', async () => {
    const { caller, calls } = recordingCaller(() => ({ MessageId: 'm-1' }));
    const runtime = createRuntime({ services: caller });
    const result = await runtime.run({ definition: oneTask(SQS) });
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { MessageId: 'm-1' } });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.target).toMatchObject({ kind: 'integration', resourceType: 'sqs', resource: 'sendMessage' });
    expect(calls[0]!.input).toEqual({ QueueUrl: 'q', MessageBody: { a: 1 } });
  });

  it('comes after a handler and after a mock', async () => {
    const { caller, calls } = recordingCaller(() => ({ from: 'service' }));
    const mockConfig = parseMockConfig({
      StateMachines: { M: { TestCases: { T: { Send: 'R' } } } },
      MockedResponses: { R: { '0': { Return: { from: 'mock' } } } },
    });
    const withHandler = createRuntime({ services: caller }).handle(SQS, () => ({ from: 'handler' }));
    expect((await withHandler.run({ definition: oneTask(SQS) })).output).toEqual({ from: 'handler' });
    const withMock = createRuntime({ services: caller, mockConfig });
    expect((await withMock.run({ definition: oneTask(SQS), stateMachineName: 'M', testCase: 'T' })).output).toEqual({ from: 'mock' });
    expect(calls).toHaveLength(0);
  });

  it('fails the task with the TaskFailure it throws, which Retry sees', async () => {
    let attempts = 0;
    const { caller } = recordingCaller(() => {
      attempts++;
      if (attempts === 1) throw new TaskFailure('SQS.AmazonSQSException', 'throttled');
      return { MessageId: 'm-2' };
    });
    const runtime = createRuntime({ services: caller, clock: 'virtual' });
    const definition = {
      StartAt: 'Send',
      States: { Send: { Type: 'Task', Resource: SQS, Parameters: { QueueUrl: 'q', MessageBody: 'x' }, Retry: [{ ErrorEquals: ['SQS.AmazonSQSException'], IntervalSeconds: 1 }], End: true } },
    } as StateMachineDefinition;
    const execution = runtime.startExecution({ definition });
    expect(await execution.done).toMatchObject({ status: 'SUCCEEDED', output: { MessageId: 'm-2' } });
    expect(execution.events.find((e) => e.type === 'TaskFailed')!.taskFailedEventDetails).toMatchObject({ error: 'SQS.AmazonSQSException', cause: 'throttled', resourceType: 'sqs' });
  });

  it('with .waitForTaskToken, sends the request and then waits for the token', async () => {
    // The queue's consumer answers later, through the runtime that owns the token.
    const { caller } = recordingCaller((r) => {
      setImmediate(() => withCaller.sendTaskSuccess((r.input as { MessageBody: { token: string } }).MessageBody.token, { approved: true }));
      return { MessageId: 'm-3' };
    });
    const withCaller = createRuntime({ services: caller });
    const result = await withCaller.run({ definition: oneTask(`${SQS}.waitForTaskToken`, { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } }) });
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { approved: true } });
  });

  it('with .waitForTaskToken, records the send response as TaskSubmitted between TaskStarted and TaskSucceeded (recorded against AWS, 2026-09)', async () => {
    // AWS: TaskStarted (6), TaskSubmitted (7, previous 6) with the send's response as output, TaskSucceeded (8, previous 7).
    const send = { Md5OfMessageBody: '5b6d709007a1fd2f9740a923664a9972', MessageId: '5de6f0de-e557-4c3e-9c58-17925fcc7d2b' };
    const { caller } = recordingCaller((r) => {
      setImmediate(() => runtime.sendTaskSuccess((r.input as { MessageBody: { token: string } }).MessageBody.token, { worker: 'ok' }));
      return send;
    });
    const runtime = createRuntime({ services: caller });
    const resource = 'arn:aws:states:::aws-sdk:sqs:sendMessage.waitForTaskToken';
    const execution = runtime.startExecution({ definition: oneTask(resource, { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } }) });
    expect(await execution.done).toMatchObject({ status: 'SUCCEEDED', output: { worker: 'ok' } });
    const events = execution.events;
    expect(events.map((e) => `${e.id}<${e.previousEventId} ${e.type}`).slice(2, 6)).toEqual(['3<2 TaskScheduled', '4<3 TaskStarted', '5<4 TaskSubmitted', '6<5 TaskSucceeded']);
    expect(events[4]!.taskSubmittedEventDetails).toEqual({ resourceType: 'aws-sdk:sqs', resource: 'sendMessage.waitForTaskToken', output: send, outputDetails: { truncated: false } });
    expect(await runtime.replay({ executionArn: execution.identity.executionArn })).toEqual({ ok: true, replayedEvents: events.length });
  });

  it('with .waitForTaskToken, a handler that returns the send response records TaskSubmitted; one that returns nothing, and a mock, do not', async () => {
    const definition = oneTask(`${SQS}.waitForTaskToken`, { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } });
    const types = (events: readonly { type: string }[]) => events.map((e) => e.type).filter((t) => t.startsWith('Task') && !t.includes('State'));
    for (const [returned, expected] of [[{ MessageId: 'h-1' }, ['TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded']], [null, ['TaskScheduled', 'TaskStarted', 'TaskSucceeded']]] as const) {
      const runtime = createRuntime().handle(`${SQS}.waitForTaskToken`, ({ taskToken }) => {
        setImmediate(() => runtime.sendTaskSuccess(taskToken, { done: true }));
        return returned as never;
      });
      const execution = runtime.startExecution({ definition });
      expect(await execution.done).toMatchObject({ status: 'SUCCEEDED', output: { done: true } });
      expect(types(execution.events)).toEqual(expected);
    }
    // A mocked response answers the task itself: no send, so no TaskSubmitted.
    const mockConfig = parseMockConfig({ StateMachines: { M: { TestCases: { T: { Send: 'R' } } } }, MockedResponses: { R: { '0': { Return: { from: 'mock' } } } } });
    const mocked = createRuntime({ mockConfig }).startExecution({ definition, stateMachineName: 'M', testCase: 'T' });
    expect(await mocked.done).toMatchObject({ status: 'SUCCEEDED', output: { from: 'mock' } });
    expect(types(mocked.events)).toEqual(['TaskScheduled', 'TaskStarted', 'TaskSucceeded']);
  });

  it('a resource it does not serve fails as before, saying how to answer it', async () => {
    const { caller } = recordingCaller(() => undefined);
    const result = await createRuntime({ services: caller }).run({ definition: oneTask('arn:aws:states:::glue:startJobRun.sync', { JobName: 'j' }) });
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed' });
    expect(result.cause).toMatch(/No task handler or mock answers resource 'arn:aws:states:::glue:startJobRun.sync'.*createRuntime\(\{ services \}\)/);
  });
});
