import {
  CreateActivityCommand, CreateStateMachineCommand, GetActivityTaskCommand, SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand,
  StartExecutionCommand, StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE, startTestServer, type TestServer } from './sfn-test-server.js';

/**
 * SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat answers, each recorded against AWS
 * (2026-09, us-west-2, a native activity: radkawar/stackd testdata/aws/stepfunctions/callback_lifecycle.json).
 */
let t: TestServer;
let activityArn: string;
let stateMachineArn: string;
beforeAll(async () => {
  t = await startTestServer({ activityPollMs: 200 });
  ({ activityArn } = (await t.client.send(new CreateActivityCommand({ name: 'callbacks' }))) as { activityArn: string });
  const definition = JSON.stringify({ StartAt: 'Work', States: { Work: { Type: 'Task', Resource: activityArn, End: true } } });
  ({ stateMachineArn } = (await t.client.send(new CreateStateMachineCommand({ name: 'Callbacks', definition, roleArn: ROLE }))) as { stateMachineArn: string });
});
afterAll(() => t.close());

async function leased(name: string): Promise<{ executionArn: string; taskToken: string }> {
  const { executionArn } = await t.client.send(new StartExecutionCommand({ stateMachineArn, name, input: '{}' }));
  for (let i = 0; i < 50; i++) {
    const task = await t.client.send(new GetActivityTaskCommand({ activityArn, workerName: 'w' }));
    if (task.taskToken) return { executionArn: executionArn!, taskToken: task.taskToken };
  }
  throw new Error('no task');
}

const success = (taskToken: string, output?: string) => t.client.send(new SendTaskSuccessCommand({ taskToken, output: output as string }));
const failure = (taskToken: string) => t.client.send(new SendTaskFailureCommand({ taskToken, error: 'Probe.Late', cause: 'owned late callback' }));
const heartbeat = (taskToken: string) => t.client.send(new SendTaskHeartbeatCommand({ taskToken }));
const invalidOutput = { name: 'InvalidOutput', message: "Invalid Output: 'not-json' is not valid JSON." };

describe('task token callbacks, as recorded against AWS (2026-09)', () => {
  it('refuses output that is not JSON without closing the task; a closed task answers TaskTimedOut naming the activity', async () => {
    const { taskToken } = await leased('live');
    await expect(success(taskToken, 'not-json')).rejects.toMatchObject(invalidOutput);
    await heartbeat(taskToken);
    await success(taskToken, '{"native":"success"}');
    const closed = { name: 'TaskTimedOut', message: `Task Timed Out: '${activityArn}'` };
    await expect(heartbeat(taskToken)).rejects.toMatchObject(closed);
    await expect(success(taskToken, '{}')).rejects.toMatchObject(closed);
    await expect(failure(taskToken)).rejects.toMatchObject(closed);
    // A token AWS issued: the output is checked before the task.
    await expect(success(taskToken, 'not-json')).rejects.toMatchObject(invalidOutput);
  });

  it('answers TaskTimedOut naming the activity once the execution is stopped', async () => {
    const { executionArn, taskToken } = await leased('stopped');
    await t.client.send(new StopExecutionCommand({ executionArn, error: 'Probe.Stopped', cause: 'owned explicit cancellation' }));
    const closed = { name: 'TaskTimedOut', message: `Task Timed Out: '${activityArn}'` };
    await expect(heartbeat(taskToken)).rejects.toMatchObject(closed);
    await expect(success(taskToken, '{}')).rejects.toMatchObject(closed);
    await expect(failure(taskToken)).rejects.toMatchObject(closed);
    await expect(success(taskToken, 'not-json')).rejects.toMatchObject(invalidOutput);
  });

  it('checks the fields, then the token, then the output', async () => {
    const invalidToken = { name: 'InvalidToken', message: "Invalid Token: 'Invalid token'" };
    await expect(success('not-a-task-token', '{}')).rejects.toMatchObject(invalidToken);
    // A token AWS could not have issued is refused before its output is looked at.
    await expect(success('not-a-task-token', 'not-json')).rejects.toMatchObject(invalidToken);
    await expect(heartbeat('not-a-task-token')).rejects.toMatchObject(invalidToken);
    await expect(t.client.send(new SendTaskFailureCommand({ taskToken: 'not-a-task-token', error: 'Probe.Invalid' }))).rejects.toMatchObject(invalidToken);
    await expect(success('', 'not-json')).rejects.toMatchObject({
      name: 'ValidationException',
      message: "1 validation error detected: Value '' at 'taskToken' failed to satisfy constraint: Member must have length greater than or equal to 1",
    });
    await expect(success('not-a-task-token')).rejects.toMatchObject({
      name: 'ValidationException',
      message: "1 validation error detected: Value at 'output' failed to satisfy constraint: Member must not be null",
    });
  });
});
