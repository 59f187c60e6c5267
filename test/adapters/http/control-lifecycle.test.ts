import {
  CreateStateMachineAliasCommand, CreateStateMachineCommand, DeleteStateMachineVersionCommand, DescribeStateMachineCommand,
  DeleteStateMachineCommand, DescribeStateMachineForExecutionCommand, ListStateMachineAliasesCommand, ListStateMachineVersionsCommand, ListTagsForResourceCommand,
  PublishStateMachineVersionCommand, StartExecutionCommand, TagResourceCommand, UpdateStateMachineAliasCommand, UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASS_MACHINE, ROLE, startTestServer, type TestServer } from './sfn-test-server.js';

/**
 * State machine, version, alias and tag answers, each recorded against AWS (2026-09, us-west-2:
 * radkawar/stackd testdata/aws/stepfunctions/control_lifecycle.json).
 */
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

const OTHER = JSON.stringify({ StartAt: 'Result', States: { Result: { Type: 'Pass', Result: { revision: 'two' }, End: true } } });

async function machineWithTwoVersions(name: string) {
  const { stateMachineArn, stateMachineVersionArn: v1 } = await t.client.send(new CreateStateMachineCommand({ name, definition: PASS_MACHINE, roleArn: ROLE, publish: true, versionDescription: 'initial' }));
  const { stateMachineVersionArn: v2 } = await t.client.send(new UpdateStateMachineCommand({ stateMachineArn, definition: OTHER, publish: true, versionDescription: 'second' }));
  return { arn: stateMachineArn!, v1: v1!, v2: v2! };
}

describe('control plane answers, as recorded against AWS (2026-09)', () => {
  it('answers a nextToken it never issued with InvalidToken', async () => {
    const { arn } = await machineWithTwoVersions('Tokens');
    const invalid = { name: 'InvalidToken', message: "Invalid Token: 'Invalid token'" };
    await expect(t.client.send(new ListStateMachineVersionsCommand({ stateMachineArn: arn, nextToken: 'not-a-token' }))).rejects.toMatchObject(invalid);
    await expect(t.client.send(new ListStateMachineAliasesCommand({ stateMachineArn: arn, nextToken: 'not-a-token' }))).rejects.toMatchObject(invalid);
  });

  it('lists, for a version ARN, the aliases that route to it', async () => {
    const { arn, v1, v2 } = await machineWithTwoVersions('AliasFilter');
    const { stateMachineAliasArn: live } = await t.client.send(new CreateStateMachineAliasCommand({ name: 'live', routingConfiguration: [{ stateMachineVersionArn: v1, weight: 100 }] }));
    await t.client.send(new UpdateStateMachineAliasCommand({ stateMachineAliasArn: live, routingConfiguration: [{ stateMachineVersionArn: v2, weight: 100 }] }));
    const { stateMachineAliasArn: other } = await t.client.send(new CreateStateMachineAliasCommand({ name: 'other', routingConfiguration: [{ stateMachineVersionArn: v2, weight: 100 }] }));
    expect((await t.client.send(new ListStateMachineAliasesCommand({ stateMachineArn: v1 }))).stateMachineAliases).toEqual([]);
    expect((await t.client.send(new ListStateMachineAliasesCommand({ stateMachineArn: v2 }))).stateMachineAliases!.map((a) => a.stateMachineAliasArn)).toEqual([live, other]);
    expect((await t.client.send(new ListStateMachineAliasesCommand({ stateMachineArn: arn }))).stateMachineAliases).toHaveLength(2);
  });

  it('refuses routing to versions of two state machines, and an alias update with nothing to change, in AWS words', async () => {
    const a = await machineWithTwoVersions('RouteA');
    const b = await machineWithTwoVersions('RouteB');
    await expect(t.client.send(new CreateStateMachineAliasCommand({ name: 'bad', routingConfiguration: [{ stateMachineVersionArn: a.v1, weight: 50 }, { stateMachineVersionArn: b.v1, weight: 50 }] }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: `Routing configuration must contain state machine version ARNs for the same state machine. Received: [${a.v1}, ${b.v1}]`,
      reason: 'INVALID_ROUTING_CONFIGURATION',
    });
    await expect(t.client.send(new CreateStateMachineAliasCommand({ name: 'bad', routingConfiguration: [{ stateMachineVersionArn: a.v1, weight: 99 }] }))).rejects.toMatchObject({
      name: 'ValidationException', message: 'Sum of routing configuration weights must equal 100. Received: [99]', reason: 'INVALID_ROUTING_CONFIGURATION',
    });
    const { stateMachineAliasArn } = await t.client.send(new CreateStateMachineAliasCommand({ name: 'live', routingConfiguration: [{ stateMachineVersionArn: a.v1, weight: 100 }] }));
    await expect(t.client.send(new UpdateStateMachineAliasCommand({ stateMachineAliasArn }))).rejects.toMatchObject({
      name: 'ValidationException', message: 'Either description or routing configuration must be specified',
    });
  });

  it('lists no tags for a version, refuses to tag it, and refuses aws: tag keys', async () => {
    const { arn, v1 } = await machineWithTwoVersions('Tagged');
    expect((await t.client.send(new ListTagsForResourceCommand({ resourceArn: v1 }))).tags).toEqual([]);
    await expect(t.client.send(new TagResourceCommand({ resourceArn: v1, tags: [{ key: 'Version', value: 'one' }] }))).rejects.toMatchObject({ name: 'ResourceNotFound', message: `Resource not found: '${v1}'` });
    await expect(t.client.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'aws:OwnedProbe', value: 'invalid' }] }))).rejects.toMatchObject({
      name: 'AccessDeniedException', message: 'Caller is an end user and not allowed to mutate system tags',
    });
    expect((await t.client.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([]);
  });

  it('answers an update naming only a versionDescription with MissingRequiredParameter', async () => {
    const { arn } = await machineWithTwoVersions('DescriptionOnly');
    await expect(t.client.send(new UpdateStateMachineCommand({ stateMachineArn: arn, versionDescription: 'not published' }))).rejects.toMatchObject({
      name: 'MissingRequiredParameter', message: 'Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified',
    });
  });

  it('says a deleted version does not exist, in the words AWS uses for versions', async () => {
    const { arn, v1 } = await machineWithTwoVersions('DeletedVersion');
    await t.client.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: v1 }));
    const gone = { name: 'StateMachineDoesNotExist', message: `State Machine Version Does Not Exist: '${v1}'` };
    await expect(t.client.send(new DescribeStateMachineCommand({ stateMachineArn: v1 }))).rejects.toMatchObject(gone);
    await expect(t.client.send(new StartExecutionCommand({ stateMachineArn: v1, name: 'deleted-version' }))).rejects.toMatchObject(gone);
    // An update to a version ARN is still "State Machine Does Not Exist".
    await expect(t.client.send(new UpdateStateMachineCommand({ stateMachineArn: `${arn}:2`, definition: OTHER }))).rejects.toMatchObject({ message: `State Machine Does Not Exist: '${arn}:2'` });
    await t.client.send(new PublishStateMachineVersionCommand({ stateMachineArn: arn }));
  });

  it("keeps the role an execution started with in DescribeStateMachineForExecution after the state machine's role changes", async () => {
    const { stateMachineArn } = await t.client.send(new CreateStateMachineCommand({ name: 'Snapshot', definition: PASS_MACHINE, roleArn: ROLE }));
    const { executionArn } = await t.client.send(new StartExecutionCommand({ stateMachineArn, name: 'initial-snapshot' }));
    await t.client.send(new UpdateStateMachineCommand({ stateMachineArn, roleArn: 'arn:aws:iam::123456789012:role/Replacement' }));
    expect((await t.client.send(new DescribeStateMachineForExecutionCommand({ executionArn }))).roleArn).toBe(ROLE);
  });

  it('answers DescribeStateMachineForExecution with the exact text and revision the execution ran, after an update and a deletion', async () => {
    // The capture's first definition: its spacing, CRLFs, a `\u03bb` escape and `1.00` are all kept (recorded against AWS, 2026-09).
    const D1 = ' \n{\r\n  "Comment": "retained spacing and unicode \\u03bb",\r\n  "StartAt": "Result",\r\n  "States": { "Result": { "Type": "Pass", "Result": {"revision": "one", "number": 1.00}, "End": true } }\r\n}\n ';
    const { stateMachineArn, creationDate } = await t.client.send(new CreateStateMachineCommand({ name: 'ExactText', definition: D1, roleArn: ROLE }));
    const { executionArn } = await t.client.send(new StartExecutionCommand({ stateMachineArn, name: 'initial-snapshot' }));
    const before = await t.client.send(new DescribeStateMachineForExecutionCommand({ executionArn }));
    expect(before.definition).toBe(D1);
    expect(before.updateDate).toEqual(creationDate);
    expect(before.revisionId).toBeUndefined();
    const { revisionId, updateDate } = await t.client.send(new UpdateStateMachineCommand({ stateMachineArn, definition: OTHER }));
    const after = await t.client.send(new DescribeStateMachineForExecutionCommand({ executionArn }));
    expect(after.definition).toBe(D1);
    expect(after.updateDate).toEqual(creationDate);
    expect(after.revisionId).toBeUndefined();
    // An execution of the updated revision shows that revision's date and id.
    const { executionArn: second } = await t.client.send(new StartExecutionCommand({ stateMachineArn, name: 'updated' }));
    await t.client.send(new DeleteStateMachineCommand({ stateMachineArn }));
    expect((await t.client.send(new DescribeStateMachineForExecutionCommand({ executionArn }))).definition).toBe(D1);
    const updated = await t.client.send(new DescribeStateMachineForExecutionCommand({ executionArn: second }));
    expect(updated).toMatchObject({ definition: OTHER, updateDate: updateDate, revisionId });
  });
});
