import {
  CreateActivityCommand, CreateStateMachineCommand, DeleteActivityCommand, DescribeActivityCommand, DescribeExecutionCommand,
  GetActivityTaskCommand, ListActivitiesCommand, ListTagsForResourceCommand, SendTaskSuccessCommand, StartExecutionCommand, TagResourceCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorName, ROLE, startTestServer, type TestServer } from './sfn-test-server.js';

let t: TestServer;
beforeAll(async () => {
  // A short long-poll keeps the "no task" case quick; the 60 s default is AWS's.
  t = await startTestServer({ activityPollMs: 200 });
});
afterAll(() => t.close());

describe('activities over the AWS JSON 1.0 API', () => {
  it('creates, describes, lists, tags and deletes activities', async () => {
    const { activityArn, creationDate } = await t.client.send(new CreateActivityCommand({ name: 'approve', tags: [{ key: 'team', value: 'ops' }] }));
    expect(activityArn).toBe('arn:aws:states:us-east-1:123456789012:activity:approve');
    expect(creationDate).toBeInstanceOf(Date);
    expect(await t.client.send(new DescribeActivityCommand({ activityArn }))).toMatchObject({ activityArn, name: 'approve' });
    await t.client.send(new TagResourceCommand({ resourceArn: activityArn, tags: [{ key: 'env', value: 'dev' }] }));
    expect((await t.client.send(new ListTagsForResourceCommand({ resourceArn: activityArn }))).tags).toEqual(expect.arrayContaining([{ key: 'team', value: 'ops' }, { key: 'env', value: 'dev' }]));
    for (let i = 0; i < 3; i++) await t.client.send(new CreateActivityCommand({ name: `extra${i}` }));
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await t.client.send(new ListActivitiesCommand({ maxResults: 2, nextToken }));
      names.push(...page.activities!.map((a) => a.name!));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(names).toEqual(expect.arrayContaining(['approve', 'extra0', 'extra1', 'extra2']));
    await t.client.send(new DeleteActivityCommand({ activityArn }));
    expect(await errorName(t.client.send(new DescribeActivityCommand({ activityArn })))).toBe('ActivityDoesNotExist');
    expect(await errorName(t.client.send(new CreateActivityCommand({ name: 'bad name' })))).toBe('InvalidName');
    expect(await errorName(t.client.send(new DescribeActivityCommand({ activityArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:x' })))).toBe('InvalidArn');
  });

  it('long-polls GetActivityTask: no token when nothing comes, the task when an execution schedules it', async () => {
    const { activityArn } = await t.client.send(new CreateActivityCommand({ name: 'review' }));
    const empty = await t.client.send(new GetActivityTaskCommand({ activityArn, workerName: 'w1' }));
    expect(empty.taskToken).toBeUndefined();

    const definition = JSON.stringify({ StartAt: 'Review', States: { Review: { Type: 'Task', Resource: activityArn, End: true } } });
    const { stateMachineArn } = await t.client.send(new CreateStateMachineCommand({ name: 'Reviewed', definition, roleArn: ROLE }));
    const { executionArn } = await t.client.send(new StartExecutionCommand({ stateMachineArn, input: '{"doc":7}' }));
    let task = await t.client.send(new GetActivityTaskCommand({ activityArn, workerName: 'w1' }));
    // The execution may schedule the task just after a poll started; poll again until it is there.
    for (let i = 0; i < 50 && !task.taskToken; i++) task = await t.client.send(new GetActivityTaskCommand({ activityArn, workerName: 'w1' }));
    expect(task.taskToken).toEqual(expect.any(String));
    expect(JSON.parse(task.input!)).toEqual({ doc: 7 });
    await t.client.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: '{"ok":true}' }));
    await t.runtime.liveExecution(executionArn!)?.done;
    await t.runtime.listed(executionArn!);
    let d = await t.client.send(new DescribeExecutionCommand({ executionArn }));
    for (let i = 0; i < 200 && d.status === 'RUNNING'; i++) {
      await new Promise((r) => setImmediate(r));
      d = await t.client.send(new DescribeExecutionCommand({ executionArn }));
    }
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output!)).toEqual({ ok: true });
  });
});
