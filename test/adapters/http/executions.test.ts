import {
  CreateStateMachineAliasCommand, CreateStateMachineCommand, DeleteStateMachineCommand, DescribeExecutionCommand, DescribeStateMachineCommand,
  DescribeStateMachineForExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, PublishStateMachineVersionCommand,
  RedriveExecutionCommand, SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, StartExecutionCommand,
  StartSyncExecutionCommand, StopExecutionCommand, UpdateStateMachineAliasCommand, UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMockConfig } from '../../../src/resources/mock-config.js';
import { errorName, FAIL_MACHINE, PASS_MACHINE, ROLE, startTestServer, WAIT_MACHINE, type TestServer } from './sfn-test-server.js';

const tokens = new Map<string, string>();
const waiting = new Map<string, (token: string) => void>();
let t: TestServer;
let passArn: string;
let holdArn: string;

const TASK_MACHINE = JSON.stringify({ StartAt: 'Charge', States: { Charge: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:charge', End: true } } });

beforeAll(async () => {
  const mockConfig = parseMockConfig({
    StateMachines: { Charger: { TestCases: { Declined: { Charge: 'DeclinedResponse' }, Approved: { Charge: 'ApprovedResponse' } } } },
    MockedResponses: { DeclinedResponse: { '0': { Throw: { Error: 'Card.Declined', Cause: 'insufficient funds' } } }, ApprovedResponse: { '0': { Return: { approved: true } } } },
  });
  t = await startTestServer({ mockConfig });
  t.runtime.handle({ state: 'Hold' }, ({ taskToken, executionArn }) => {
    tokens.set(executionArn, taskToken);
    waiting.get(executionArn)?.(taskToken);
    return null;
  });
  passArn = (await t.client.send(new CreateStateMachineCommand({ name: 'Pass', definition: PASS_MACHINE, roleArn: ROLE }))).stateMachineArn!;
  holdArn = (await t.client.send(new CreateStateMachineCommand({ name: 'Hold', definition: WAIT_MACHINE, roleArn: ROLE }))).stateMachineArn!;
});
afterAll(() => t.close());

/** The task token the Hold handler was given for this execution, once it has been. */
function tokenOf(executionArn: string): Promise<string> {
  const known = tokens.get(executionArn);
  return known ? Promise.resolve(known) : new Promise((resolve) => waiting.set(executionArn, resolve));
}

async function finished(executionArn: string): Promise<void> {
  await t.runtime.liveExecution(executionArn)?.done;
  await t.runtime.listed(executionArn);
  // The final status is written just after `done` settles.
  for (let i = 0; i < 200; i++) {
    const meta = await t.runtime.store.getMetadata(executionArn);
    if (meta && meta.status !== 'RUNNING') return;
    await new Promise((r) => setImmediate(r));
  }
}

describe('executions over the AWS JSON 1.0 API', () => {
  it('starts, describes and shows the state machine of an execution', async () => {
    const started = await t.client.send(new StartExecutionCommand({ stateMachineArn: passArn, name: 'first', input: '{"a":1}' }));
    expect(started.executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:Pass:first');
    expect(started.startDate).toBeInstanceOf(Date);
    await finished(started.executionArn!);
    const d = await t.client.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(d).toMatchObject({ status: 'SUCCEEDED', stateMachineArn: passArn, name: 'first', input: '{"a":1}', redriveCount: 0, redriveStatus: 'NOT_REDRIVABLE' });
    expect(JSON.parse(d.output!)).toEqual({ a: 1, greeting: { hello: 'world' } });
    expect(d.stopDate!.getTime()).toBeGreaterThanOrEqual(d.startDate!.getTime());
    const sm = await t.client.send(new DescribeStateMachineForExecutionCommand({ executionArn: started.executionArn }));
    expect(sm).toMatchObject({ stateMachineArn: passArn, name: 'Pass', definition: PASS_MACHINE, roleArn: ROLE });
    // Never updated: AWS shows no revisionId. The execution runs as the state machine's role.
    expect(sm.revisionId).toBeUndefined();
    const history = await t.client.send(new GetExecutionHistoryCommand({ executionArn: started.executionArn }));
    expect(history.events![0]!.executionStartedEventDetails).toMatchObject({ roleArn: ROLE });
  });

  it('describes a timed-out execution without error or cause, as AWS does', async () => {
    const definition = JSON.stringify({ TimeoutSeconds: 1, StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 30, End: true } } });
    const arn = (await t.client.send(new CreateStateMachineCommand({ name: 'TimesOut', definition, roleArn: ROLE }))).stateMachineArn!;
    const started = await t.client.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'late' }));
    await finished(started.executionArn!);
    const d = await t.client.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(d.status).toBe('TIMED_OUT');
    expect(d.error).toBeUndefined();
    expect(d.cause).toBeUndefined();
    const history = await t.client.send(new GetExecutionHistoryCommand({ executionArn: started.executionArn }));
    expect(history.events!.at(-1)).toMatchObject({ type: 'ExecutionTimedOut', previousEventId: 0, executionTimedOutEventDetails: { error: 'States.Timeout' } });
  });

  it('is idempotent for the same name and input while open, ExecutionAlreadyExists otherwise', async () => {
    const a = await t.client.send(new StartExecutionCommand({ stateMachineArn: holdArn, name: 'idem', input: '{"x":1}' }));
    const b = await t.client.send(new StartExecutionCommand({ stateMachineArn: holdArn, name: 'idem', input: '{ "x": 1 }' }));
    expect(b.executionArn).toBe(a.executionArn);
    expect(b.startDate!.getTime()).toBe(a.startDate!.getTime());
    expect(await errorName(t.client.send(new StartExecutionCommand({ stateMachineArn: holdArn, name: 'idem', input: '{"x":2}' })))).toBe('ExecutionAlreadyExists');
    await t.client.send(new StopExecutionCommand({ executionArn: a.executionArn, error: 'Stop.Test', cause: 'done' }));
    const d = await t.client.send(new DescribeExecutionCommand({ executionArn: a.executionArn }));
    expect(d).toMatchObject({ status: 'ABORTED', error: 'Stop.Test', cause: 'done' });
    expect(await errorName(t.client.send(new StartExecutionCommand({ stateMachineArn: holdArn, name: 'idem', input: '{"x":1}' })))).toBe('ExecutionAlreadyExists');

    // Two identical requests at once (a client retrying, say) get the same execution.
    const both = await Promise.all([1, 2].map(() => t.client.send(new StartExecutionCommand({ stateMachineArn: holdArn, name: 'racing', input: '{}' }))));
    expect(both[1]!.executionArn).toBe(both[0]!.executionArn);
    await t.client.send(new StopExecutionCommand({ executionArn: both[0]!.executionArn }));
  });

  it('rejects bad starts with AWS error names', async () => {
    expect(await errorName(t.client.send(new StartExecutionCommand({ stateMachineArn: passArn, input: '{oops' })))).toBe('InvalidExecutionInput');
    expect(await errorName(t.client.send(new StartExecutionCommand({ stateMachineArn: passArn, name: 'a/b' })))).toBe('InvalidName');
    expect(await errorName(t.client.send(new StartExecutionCommand({ stateMachineArn: `${passArn}x` })))).toBe('StateMachineDoesNotExist');
    expect(await errorName(t.client.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:lambda:us-east-1:123456789012:function:f' })))).toBe('InvalidArn');
    expect(await errorName(t.client.send(new StartExecutionCommand({ stateMachineArn: passArn, input: JSON.stringify({ big: 'x'.repeat(262_200) }) })))).toBe('ValidationException');
    // The limit is in UTF-8 bytes: 131,100 two-byte characters are over it.
    expect(await errorName(t.client.send(new StartExecutionCommand({ stateMachineArn: passArn, input: JSON.stringify({ big: 'é'.repeat(131_100) }) })))).toBe('ValidationException');
    expect(await errorName(t.client.send(new DescribeExecutionCommand({ executionArn: 'arn:aws:states:us-east-1:123456789012:execution:Pass:nope' })))).toBe('ExecutionDoesNotExist');
    expect(await errorName(t.client.send(new DescribeExecutionCommand({ executionArn: passArn })))).toBe('InvalidArn');
    expect(await errorName(t.client.send(new StartSyncExecutionCommand({ stateMachineArn: passArn })))).toBe('StateMachineTypeNotSupported');
  });

  it('completes callback tasks with SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat', async () => {
    const ok = await t.client.send(new StartExecutionCommand({ stateMachineArn: holdArn, name: 'callback-ok' }));
    const okToken = await tokenOf(ok.executionArn!);
    await t.client.send(new SendTaskHeartbeatCommand({ taskToken: okToken }));
    await t.client.send(new SendTaskSuccessCommand({ taskToken: okToken, output: '{"paid":true}' }));
    await finished(ok.executionArn!);
    expect(JSON.parse((await t.client.send(new DescribeExecutionCommand({ executionArn: ok.executionArn }))).output!)).toEqual({ paid: true });

    const bad = await t.client.send(new StartExecutionCommand({ stateMachineArn: holdArn, name: 'callback-fail' }));
    const badToken = await tokenOf(bad.executionArn!);
    expect(await errorName(t.client.send(new SendTaskSuccessCommand({ taskToken: badToken, output: 'not json' })))).toBe('InvalidOutput');
    await t.client.send(new SendTaskFailureCommand({ taskToken: badToken, error: 'Pay.Failed', cause: 'no' }));
    await finished(bad.executionArn!);
    expect(await t.client.send(new DescribeExecutionCommand({ executionArn: bad.executionArn }))).toMatchObject({ status: 'FAILED', error: 'Pay.Failed', cause: 'no' });
    expect(await errorName(t.client.send(new SendTaskSuccessCommand({ taskToken: 'no-such-token', output: '{}' })))).toBe('InvalidToken');
    // The task it answered has closed: AWS answers TaskTimedOut, in the words quoted in aws-samples/amazon-mwaa-examples#61.
    await expect(t.client.send(new SendTaskFailureCommand({ taskToken: badToken, error: 'Again' }))).rejects.toMatchObject({
      name: 'TaskTimedOut',
      message: "Task Timed Out: 'Provided task does not exist anymore'",
    });
  });

  // API:DeleteStateMachine: "It sets the state machine's status to DELETING ... A state machine is
  // deleted only when all its executions are completed"; meanwhile the actions that list
  // StateMachineDeleting among their errors answer it.
  it('keeps a state machine DELETING while its executions run, and deletes it once they have ended', async () => {
    const created = await t.client.send(new CreateStateMachineCommand({ name: 'Doomed', definition: WAIT_MACHINE, roleArn: ROLE, publish: true }));
    const stateMachineArn = created.stateMachineArn!;
    const { stateMachineAliasArn } = await t.client.send(new CreateStateMachineAliasCommand({ name: 'live', routingConfiguration: [{ stateMachineVersionArn: created.stateMachineVersionArn, weight: 100 }] }));
    const running = await t.client.send(new StartExecutionCommand({ stateMachineArn, name: 'last-one' }));
    const token = await tokenOf(running.executionArn!);

    await t.client.send(new DeleteStateMachineCommand({ stateMachineArn }));
    expect((await t.client.send(new DescribeStateMachineCommand({ stateMachineArn }))).status).toBe('DELETING');
    const deleting = { name: 'StateMachineDeleting', message: expect.stringContaining(stateMachineArn) };
    await expect(t.client.send(new StartExecutionCommand({ stateMachineArn }))).rejects.toMatchObject(deleting);
    await expect(t.client.send(new StartExecutionCommand({ stateMachineArn: stateMachineAliasArn }))).rejects.toMatchObject(deleting);
    await expect(t.client.send(new UpdateStateMachineCommand({ stateMachineArn, definition: PASS_MACHINE }))).rejects.toMatchObject(deleting);
    await expect(t.client.send(new PublishStateMachineVersionCommand({ stateMachineArn }))).rejects.toMatchObject(deleting);
    await expect(t.client.send(new UpdateStateMachineAliasCommand({ stateMachineAliasArn, description: 'x' }))).rejects.toMatchObject(deleting);
    await expect(t.client.send(new CreateStateMachineCommand({ name: 'Doomed', definition: WAIT_MACHINE, roleArn: ROLE }))).rejects.toMatchObject(deleting);
    expect((await t.client.send(new ListExecutionsCommand({ stateMachineArn }))).executions!.map((e) => e.name)).toEqual(['last-one']);

    await t.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
    await finished(running.executionArn!);
    expect(await errorName(t.client.send(new DescribeStateMachineCommand({ stateMachineArn })))).toBe('StateMachineDoesNotExist');
    expect(await errorName(t.client.send(new StartExecutionCommand({ stateMachineArn: stateMachineAliasArn })))).toBe('StateMachineDoesNotExist');
    // The answer ended the execution (see the next test); it stays, and the name is free again.
    expect((await t.client.send(new DescribeExecutionCommand({ executionArn: running.executionArn }))).status).toBe('FAILED');
    expect((await t.client.send(new CreateStateMachineCommand({ name: 'Doomed', definition: PASS_MACHINE, roleArn: ROLE }))).stateMachineArn).toBe(stateMachineArn);
    expect((await t.client.send(new DescribeStateMachineCommand({ stateMachineArn }))).status).toBe('ACTIVE');
  });

  // API:DeleteStateMachine: "On the next state transition, the state machine's executions are
  // terminated". Recorded against AWS: a Task waiting for its callback waits on; the callback
  // (accepted) ends the execution FAILED with States.Runtime, "State machine <name> has been
  // deleted", recording no answer; DescribeExecution then says REDRIVABLE. RedriveExecution
  // refuses while the state machine is DELETING (DescribeExecution's documented reason).
  it('ends a running execution when its callback comes once its state machine is being deleted', async () => {
    const hold = JSON.parse(WAIT_MACHINE).States.Hold;
    const holdThenPass = JSON.stringify({ StartAt: 'Hold', States: { Hold: { ...hold, End: undefined, Next: 'After' }, After: { Type: 'Pass', End: true } } });
    const { stateMachineArn } = await t.client.send(new CreateStateMachineCommand({ name: 'Deleted', definition: holdThenPass, roleArn: ROLE }));
    const running = await t.client.send(new StartExecutionCommand({ stateMachineArn, name: 'held' }));
    const failedBefore = await t.client.send(new StartExecutionCommand({ stateMachineArn, name: 'failed-before' }));
    await t.client.send(new SendTaskFailureCommand({ taskToken: await tokenOf(failedBefore.executionArn!), error: 'Pay.Failed' }));
    await finished(failedBefore.executionArn!);
    const token = await tokenOf(running.executionArn!);

    await t.client.send(new DeleteStateMachineCommand({ stateMachineArn }));
    expect((await t.client.send(new DescribeStateMachineCommand({ stateMachineArn }))).status).toBe('DELETING');
    expect(await t.client.send(new DescribeExecutionCommand({ executionArn: failedBefore.executionArn }))).toMatchObject({ status: 'FAILED', redriveStatus: 'REDRIVABLE' });
    await expect(t.client.send(new RedriveExecutionCommand({ executionArn: failedBefore.executionArn }))).rejects.toMatchObject({
      name: 'ExecutionNotRedrivable', message: expect.stringContaining('State machine is in DELETING status.'),
    });
    expect((await t.client.send(new DescribeExecutionCommand({ executionArn: running.executionArn }))).status).toBe('RUNNING');

    await t.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"paid":true}' }));
    await finished(running.executionArn!);
    const cause = 'State machine Deleted has been deleted';
    expect(await t.client.send(new DescribeExecutionCommand({ executionArn: running.executionArn }))).toMatchObject({
      status: 'FAILED', error: 'States.Runtime', cause, redriveStatus: 'REDRIVABLE',
    });
    const events = (await t.client.send(new GetExecutionHistoryCommand({ executionArn: running.executionArn }))).events!;
    expect(events.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'ExecutionFailed']);
    expect(events.at(-1)).toMatchObject({ id: 5, previousEventId: 4, executionFailedEventDetails: { error: 'States.Runtime', cause } });
    expect(await errorName(t.client.send(new DescribeStateMachineCommand({ stateMachineArn })))).toBe('StateMachineDoesNotExist');
    await expect(t.client.send(new RedriveExecutionCommand({ executionArn: running.executionArn }))).rejects.toMatchObject({
      name: 'ExecutionNotRedrivable', message: expect.stringContaining(cause),
    });
    expect(await t.runtime.replay({ executionArn: running.executionArn! })).toEqual({ ok: true, replayedEvents: 5 });
  });

  it('pages GetExecutionHistory forwards and in reverse, with or without execution data', async () => {
    const { executionArn } = await t.client.send(new StartExecutionCommand({ stateMachineArn: passArn, name: 'history', input: '{"secret":1}' }));
    await finished(executionArn!);
    const all = (await t.client.send(new GetExecutionHistoryCommand({ executionArn }))).events!;
    expect(all.map((e) => e.type)).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
    expect(all[0]!.timestamp).toBeInstanceOf(Date);
    expect(JSON.parse(all[0]!.executionStartedEventDetails!.input!)).toEqual({ secret: 1 });
    const ids: number[] = [];
    let nextToken: string | undefined;
    do {
      const page = await t.client.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 3, nextToken }));
      ids.push(...page.events!.map((e) => e.id!));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(ids).toEqual([4, 3, 2, 1]);
    const bare = (await t.client.send(new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false }))).events!;
    // Recorded against AWS (2026-09): the payloads' details go with them; the rest of each event stays.
    expect(bare[0]!.executionStartedEventDetails).toEqual({ roleArn: ROLE });
    expect(bare[1]!.stateEnteredEventDetails).toEqual({ name: 'Hello' });
    expect(bare[2]!.stateExitedEventDetails).toEqual({ name: 'Hello' });
    expect(bare[3]!.executionSucceededEventDetails).toEqual({});
  });

  it('lists executions with status and redrive filters and pagination, and redrives a failed one', async () => {
    const failArn = (await t.client.send(new CreateStateMachineCommand({ name: 'Failing', definition: FAIL_MACHINE, roleArn: ROLE }))).stateMachineArn!;
    const arns: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { executionArn } = await t.client.send(new StartExecutionCommand({ stateMachineArn: failArn, name: `f${i}` }));
      await finished(executionArn!);
      arns.push(executionArn!);
    }
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await t.client.send(new ListExecutionsCommand({ stateMachineArn: failArn, statusFilter: 'FAILED', maxResults: 2, nextToken }));
      seen.push(...page.executions!.map((e) => e.executionArn!));
      nextToken = page.nextToken;
    } while (nextToken);
    expect([...seen].sort()).toEqual([...arns].sort());
    expect((await t.client.send(new ListExecutionsCommand({ stateMachineArn: failArn, statusFilter: 'SUCCEEDED' }))).executions).toEqual([]);

    const redrive = await t.client.send(new RedriveExecutionCommand({ executionArn: arns[0], clientToken: 'token-a' }));
    expect(redrive.redriveDate).toBeInstanceOf(Date);
    await finished(arns[0]!);
    const d = await t.client.send(new DescribeExecutionCommand({ executionArn: arns[0] }));
    expect(d).toMatchObject({ status: 'FAILED', redriveCount: 1 });
    // As recorded against AWS: the same clientToken answers its redrive's date again and redrives
    // nothing, even once that redrive has failed; another token redrives.
    expect((await t.client.send(new RedriveExecutionCommand({ executionArn: arns[0], clientToken: 'token-a' }))).redriveDate).toEqual(redrive.redriveDate);
    await finished(arns[0]!);
    expect((await t.client.send(new DescribeExecutionCommand({ executionArn: arns[0] }))).redriveCount).toBe(1);
    // AWS filters by redrive only a Map Run's children, and says so (recorded).
    await expect(t.client.send(new ListExecutionsCommand({ stateMachineArn: failArn, redriveFilter: 'REDRIVEN' }))).rejects.toMatchObject({
      name: 'ValidationException', message: 'RedriveFilter cannot be applied to ListExecutions call with StateMachine ARN',
    });
    // API:ListExecutions: the PENDING_REDRIVE status filter takes a Map Run ARN, not a state machine's.
    await expect(t.client.send(new ListExecutionsCommand({ stateMachineArn: failArn, statusFilter: 'PENDING_REDRIVE' }))).rejects.toMatchObject({
      name: 'ValidationException', message: 'The PENDING_REDRIVE statusFilter can only be applied to ListExecutions call with MapRun ARN',
    });

    const done = await t.client.send(new StartExecutionCommand({ stateMachineArn: passArn, name: 'not-redrivable' }));
    await finished(done.executionArn!);
    await expect(t.client.send(new RedriveExecutionCommand({ executionArn: done.executionArn }))).rejects.toMatchObject({
      name: 'ExecutionNotRedrivable', message: `Execution ${done.executionArn} invalid for redrive as: Execution is SUCCEEDED and cannot be redriven`,
    });
    expect(await errorName(t.client.send(new ListExecutionsCommand({})))).toBe('ValidationException');
    expect(await errorName(t.client.send(new ListExecutionsCommand({ stateMachineArn: `${failArn}Nope` })))).toBe('StateMachineDoesNotExist');
  });

  it('runs Express state machines synchronously', async () => {
    const { stateMachineArn } = await t.client.send(new CreateStateMachineCommand({ name: 'Quick', definition: PASS_MACHINE, roleArn: ROLE, type: 'EXPRESS' }));
    const r = await t.client.send(new StartSyncExecutionCommand({ stateMachineArn, input: '{"n":2}' }));
    expect(r).toMatchObject({ status: 'SUCCEEDED', stateMachineArn, input: '{"n":2}' });
    expect(JSON.parse(r.output!)).toEqual({ n: 2, greeting: { hello: 'world' } });
    expect(r.billingDetails!.billedDurationInMilliseconds).toBeGreaterThanOrEqual(100);
    expect(await errorName(t.client.send(new ListExecutionsCommand({ stateMachineArn })))).toBe('StateMachineTypeNotSupported');
  });

  it('answers StartSyncExecution as AWS does: traceHeader echoed, outputDetails on a failure too', async () => {
    const { stateMachineArn } = await t.client.send(new CreateStateMachineCommand({ name: 'QuickFail', definition: FAIL_MACHINE, roleArn: ROLE, type: 'EXPRESS' }));
    const traceHeader = 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1';
    const r = await t.client.send(new StartSyncExecutionCommand({ stateMachineArn, traceHeader }));
    expect(r).toMatchObject({ status: 'FAILED', error: 'Custom.Error', cause: 'it broke', traceHeader, outputDetails: { included: true }, inputDetails: { included: true } });
    expect(r.output).toBeUndefined();
  });

  it('refuses Express-only requests in AWS words: ListExecutions of an EXPRESS machine, express: execution ARNs', async () => {
    const { stateMachineArn } = await t.client.send(new CreateStateMachineCommand({ name: 'QuickList', definition: PASS_MACHINE, roleArn: ROLE, type: 'EXPRESS' }));
    await expect(t.client.send(new ListExecutionsCommand({ stateMachineArn }))).rejects.toMatchObject({
      name: 'StateMachineTypeNotSupported', message: 'This operation is not supported by this type of state machine',
    });
    // AWS's recorded answers for an Express execution's ARN.
    const executionArn = 'arn:aws:states:us-east-1:123456789012:express:QuickList:run-1:0e9b2f1c-8d1e-4c5a-9d0e-0a1b2c3d4e5f';
    const invalid = { name: 'InvalidArn', message: expect.stringContaining("Invalid Arn: 'Resource type not valid in this context: express'") };
    await expect(t.client.send(new DescribeExecutionCommand({ executionArn }))).rejects.toMatchObject(invalid);
    await expect(t.client.send(new StopExecutionCommand({ executionArn }))).rejects.toMatchObject(invalid);
    await expect(t.client.send(new GetExecutionHistoryCommand({ executionArn }))).rejects.toMatchObject(invalid);
    await expect(t.client.send(new RedriveExecutionCommand({ executionArn }))).rejects.toMatchObject(invalid);
  });

  it('times an Express execution out after five minutes, whatever its TimeoutSeconds', async () => {
    const definition = JSON.stringify({ TimeoutSeconds: 3600, StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 600, End: true } } });
    const express = await t.client.send(new CreateStateMachineCommand({ name: 'QuickSlow', definition, roleArn: ROLE, type: 'EXPRESS' }));
    const r = await t.client.send(new StartSyncExecutionCommand({ stateMachineArn: express.stateMachineArn }));
    expect(r.status).toBe('TIMED_OUT');
    expect(r.stopDate!.getTime() - r.startDate!.getTime()).toBe(300_000);
    // A STANDARD state machine keeps its own TimeoutSeconds.
    const standard = await t.client.send(new CreateStateMachineCommand({ name: 'Slow', definition, roleArn: ROLE }));
    const started = await t.client.send(new StartExecutionCommand({ stateMachineArn: standard.stateMachineArn }));
    await finished(started.executionArn!);
    expect((await t.client.send(new DescribeExecutionCommand({ executionArn: started.executionArn }))).status).toBe('SUCCEEDED');
  });

  it('refuses an EXPRESS state machine with an Activity Task, in AWS words', async () => {
    const definition = JSON.stringify({ StartAt: 'Work', States: { Work: { Type: 'Task', Resource: 'arn:aws:states:us-east-1:123456789012:activity:Worker', End: true } } });
    await expect(t.client.send(new CreateStateMachineCommand({ name: 'QuickActivity', definition, roleArn: ROLE, type: 'EXPRESS' }))).rejects.toMatchObject({
      name: 'InvalidDefinition', message: "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state machine does not support Activity ARN at /States/Work/Resource'",
    });
  });

  it('answers Task states from a mocked test case named with arn#TestCase', async () => {
    const { stateMachineArn } = await t.client.send(new CreateStateMachineCommand({ name: 'Charger', definition: TASK_MACHINE, roleArn: ROLE }));
    const declined = await t.client.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#Declined`, name: 'declined' }));
    expect(declined.executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:Charger:declined');
    await finished(declined.executionArn!);
    expect(await t.client.send(new DescribeExecutionCommand({ executionArn: declined.executionArn }))).toMatchObject({ status: 'FAILED', error: 'Card.Declined', cause: 'insufficient funds' });
    const approved = await t.client.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#Approved` }));
    await finished(approved.executionArn!);
    expect(JSON.parse((await t.client.send(new DescribeExecutionCommand({ executionArn: approved.executionArn }))).output!)).toEqual({ approved: true });
    expect(await errorName(t.client.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#NoSuchCase` })))).toBe('ValidationException');
  });
});

describe('Step Functions API with the limits lifted', () => {
  it('accepts an input past 256 KiB and runs it when the runtime lifts the payload limit', async () => {
    const lifted = await startTestServer({ limits: { payloadBytes: Infinity, historyEvents: Infinity } });
    try {
      const arn = (await lifted.client.send(new CreateStateMachineCommand({ name: 'Big', definition: PASS_MACHINE, roleArn: ROLE }))).stateMachineArn!;
      const big = 'x'.repeat(300 * 1024);
      const { executionArn } = await lifted.client.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ big }) }));
      await lifted.runtime.liveExecution(executionArn!)?.done;
      let described = await lifted.client.send(new DescribeExecutionCommand({ executionArn }));
      for (let i = 0; i < 200 && described.status === 'RUNNING'; i++) {
        await new Promise((r) => setImmediate(r));
        described = await lifted.client.send(new DescribeExecutionCommand({ executionArn }));
      }
      expect(described.status).toBe('SUCCEEDED');
      expect(JSON.parse(described.output!).big).toHaveLength(300 * 1024);
    } finally {
      await lifted.close();
    }
  });
});
