import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASS_MACHINE, ROLE, startTestServer, WAIT_MACHINE, type TestServer } from './sfn-test-server.js';

/**
 * Requests an SDK would never send, sent raw: each must get AWS's error shape (HTTP 400,
 * `__type` and `message`), never a 500, and leave what is stored as it was.
 */
let t: TestServer;
const tokens = new Map<string, string>();
beforeAll(async () => {
  t = await startTestServer();
  t.runtime.handle({ state: 'Hold' }, ({ taskToken, executionArn }) => {
    tokens.set(executionArn, taskToken);
    return null;
  });
});
afterAll(() => t.close());

async function call(action: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(t.url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `AWSStepFunctions.${action}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The error name of a refusal (the part of `__type` after `#`), with its status. */
async function refusal(action: string, body: unknown): Promise<{ status: number; name: string; message: string }> {
  const r = await call(action, body);
  return { status: r.status, name: String(r.body.__type).split('#')[1]!, message: String(r.body.message) };
}

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const machineWithResult = (result: string) => `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":${result},"End":true}}}`;

describe('JSON nested thousands of levels deep', () => {
  it('refuses such a definition as InvalidDefinition, and keeps the state machine it would have updated', async () => {
    expect(await refusal('CreateStateMachine', { name: 'Deep', roleArn: ROLE, definition: machineWithResult(nested(5000)) }))
      .toMatchObject({ status: 400, name: 'InvalidDefinition', message: expect.stringContaining('INVALID_JSON_DESCRIPTION') });
    const created = await call('CreateStateMachine', { name: 'Shallow', roleArn: ROLE, definition: machineWithResult(nested(990)) });
    expect(created.status).toBe(200);
    const stateMachineArn = created.body.stateMachineArn;
    expect(await refusal('UpdateStateMachine', { stateMachineArn, definition: machineWithResult(nested(5000)) }))
      .toMatchObject({ status: 400, name: 'InvalidDefinition' });
    expect((await call('DescribeStateMachine', { stateMachineArn })).body.definition).toBe(machineWithResult(nested(990)));
    expect((await call('ListStateMachines', {})).body.stateMachines).toEqual([expect.objectContaining({ name: 'Shallow' })]);
  });

  it('describes such a definition as invalid JSON in ValidateStateMachineDefinition', async () => {
    const r = await call('ValidateStateMachineDefinition', { definition: machineWithResult(nested(5000)) });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ result: 'FAIL', diagnostics: [{ severity: 'ERROR', code: 'INVALID_JSON_DESCRIPTION' }], truncated: false });
  });

  it('refuses such a TestState definition (InvalidDefinition), input (InvalidExecutionInput) or mocked result (ValidationException)', async () => {
    const pass = JSON.stringify({ Type: 'Pass', End: true });
    // As CreateStateMachine and StartExecution name them (API:TestState's InvalidDefinition and InvalidExecutionInput).
    expect(await refusal('TestState', { definition: `{"Type":"Pass","Result":${nested(5000)},"End":true}` })).toMatchObject({ status: 400, name: 'InvalidDefinition', message: expect.stringContaining('INVALID_JSON_DESCRIPTION') });
    expect(await refusal('TestState', { definition: pass, input: nested(5000) })).toMatchObject({ status: 400, name: 'InvalidExecutionInput' });
    const task = JSON.stringify({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, End: true });
    expect(await refusal('TestState', { definition: task, mock: { result: nested(5000) } }))
      .toMatchObject({ status: 400, name: 'ValidationException', message: 'Mocked result must be valid JSON' });
  });

  it('refuses a request body nested that deep as a SerializationException', async () => {
    const body = `{"name":"Logged","roleArn":"${ROLE}","definition":${JSON.stringify(PASS_MACHINE)},"loggingConfiguration":{"level":"OFF","destinations":${nested(20000)}}}`;
    expect(await refusal('CreateStateMachine', body)).toMatchObject({ status: 400, name: 'SerializationException' });
    expect(await refusal('DescribeStateMachine', { stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Logged' })).toMatchObject({ name: 'StateMachineDoesNotExist' });
    // The registry still saves: a deep value kept in it would have failed every later change.
    expect((await call('CreateStateMachine', { name: 'Logged', roleArn: ROLE, definition: PASS_MACHINE })).status).toBe(200);
  });

  it('refuses such a SendTaskSuccess output as InvalidOutput, and leaves the task open', async () => {
    const { stateMachineArn } = (await call('CreateStateMachine', { name: 'Hold', roleArn: ROLE, definition: WAIT_MACHINE })).body;
    const { executionArn } = (await call('StartExecution', { stateMachineArn, name: 'deep-output' })).body as { executionArn: string };
    await expect.poll(() => tokens.get(executionArn)).toBeDefined();
    const taskToken = tokens.get(executionArn)!;
    expect(await refusal('SendTaskSuccess', { taskToken, output: nested(5000) })).toMatchObject({ status: 400, name: 'InvalidOutput' });
    expect((await call('DescribeExecution', { executionArn })).body.status).toBe('RUNNING');
    expect((await call('SendTaskSuccess', { taskToken, output: '{"ok":true}' })).status).toBe(200);
    await expect.poll(async () => (await call('DescribeExecution', { executionArn })).body.status).toBe('SUCCEEDED');
  });
});

describe('tags of the wrong shape', () => {
  it('refuses CreateActivity with bad tags without creating the activity', async () => {
    for (const tags of [[{ key: 5 }], [null], ['team'], [{ key: 'team', value: 7 }], [{ key: 'k'.repeat(129) }]]) {
      expect(await refusal('CreateActivity', { name: 'tagged', tags }), JSON.stringify(tags)).toMatchObject({ status: 400, name: 'ValidationException' });
    }
    expect(await refusal('DescribeActivity', { activityArn: 'arn:aws:states:us-east-1:123456789012:activity:tagged' })).toMatchObject({ name: 'ActivityDoesNotExist' });
    expect((await call('ListActivities', {})).body.activities).toEqual([]);
    expect((await call('CreateActivity', { name: 'tagged', tags: [{ key: 'team', value: 'ops' }] })).status).toBe(200);
  });

  // API:CreateActivity lists TooManyTags: refused before the activity is created, as CreateStateMachine refuses it.
  it('refuses CreateActivity with more than 50 tags without creating the activity', async () => {
    const tags = Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    expect(await refusal('CreateActivity', { name: 'overtagged', tags })).toMatchObject({ status: 400, name: 'TooManyTags' });
    expect(await refusal('DescribeActivity', { activityArn: 'arn:aws:states:us-east-1:123456789012:activity:overtagged' })).toMatchObject({ name: 'ActivityDoesNotExist' });
    expect((await call('CreateActivity', { name: 'overtagged', tags: tags.slice(0, 50) })).status).toBe(200);
  });

  it('refuses UntagResource with tag keys that are not strings of 1 to 128 characters', async () => {
    const resourceArn = 'arn:aws:states:us-east-1:123456789012:activity:tagged';
    for (const tagKeys of [[5], [null], [{}], [''], ['k'.repeat(129)]]) {
      expect(await refusal('UntagResource', { resourceArn, tagKeys }), JSON.stringify(tagKeys)).toMatchObject({ status: 400, name: 'ValidationException', message: expect.stringContaining("'tagKeys.1.member'") });
    }
    expect((await call('ListTagsForResource', { resourceArn })).body.tags).toEqual([{ key: 'team', value: 'ops' }]);
    expect((await call('UntagResource', { resourceArn, tagKeys: ['team'] })).status).toBe(200);
    expect((await call('ListTagsForResource', { resourceArn })).body.tags).toEqual([]);
  });
});

describe('logging and tracing configurations of the wrong shape', () => {
  it('refuses members of the wrong type, and keeps the configuration stored', async () => {
    const created = await call('CreateStateMachine', { name: 'Configured', roleArn: ROLE, definition: PASS_MACHINE, tracingConfiguration: { enabled: true } });
    expect(created.status).toBe(200);
    const stateMachineArn = created.body.stateMachineArn;
    const bad: [Record<string, unknown>, string][] = [
      [{ tracingConfiguration: [] }, 'tracingConfiguration'],
      [{ loggingConfiguration: { level: 'ALL', includeExecutionData: 'x' } }, 'loggingConfiguration.includeExecutionData'],
      [{ loggingConfiguration: { level: 'ALL', destinations: 5 } }, 'loggingConfiguration.destinations'],
      [{ loggingConfiguration: { level: 'ALL', destinations: [7] } }, 'loggingConfiguration.destinations.1.member'],
      [{ loggingConfiguration: { level: 'ALL', destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: 9 } }] } }, 'loggingConfiguration.destinations.1.member.cloudWatchLogsLogGroup.logGroupArn'],
    ];
    for (const [config, member] of bad) {
      expect(await refusal('UpdateStateMachine', { stateMachineArn, ...config }), member)
        .toMatchObject({ status: 400, name: 'ValidationException', message: expect.stringContaining(`at '${member}'`) });
      expect(await refusal('CreateStateMachine', { name: 'Other', roleArn: ROLE, definition: PASS_MACHINE, ...config }), member).toMatchObject({ status: 400, name: 'ValidationException' });
    }
    const described = (await call('DescribeStateMachine', { stateMachineArn })).body;
    expect(described).toMatchObject({ tracingConfiguration: { enabled: true }, loggingConfiguration: { level: 'OFF', includeExecutionData: false } });
    const logGroupArn = 'arn:aws:logs:us-east-1:123456789012:log-group:sfn:*';
    const loggingConfiguration = { level: 'ALL', includeExecutionData: true, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn } }] };
    expect((await call('UpdateStateMachine', { stateMachineArn, loggingConfiguration })).status).toBe(200);
    expect((await call('DescribeStateMachine', { stateMachineArn })).body.loggingConfiguration).toEqual(loggingConfiguration);
  });

  // API:LoggingConfiguration: destinations "Limited to size 1. Required, if your log level is not set to OFF."
  it('refuses a logging level other than OFF without exactly one destination as InvalidLoggingConfiguration', async () => {
    const created = await call('CreateStateMachine', { name: 'Logging', roleArn: ROLE, definition: PASS_MACHINE });
    const stateMachineArn = created.body.stateMachineArn;
    const destination = (name: string) => ({ cloudWatchLogsLogGroup: { logGroupArn: `arn:aws:logs:us-east-1:123456789012:log-group:${name}:*` } });
    const refused = [
      { level: 'ALL' }, { level: 'ERROR' }, { level: 'FATAL', includeExecutionData: true }, { level: 'ALL', destinations: [] },
      { level: 'ALL', destinations: [destination('a'), destination('b')] }, { level: 'OFF', destinations: [destination('a'), destination('b')] },
    ];
    for (const loggingConfiguration of refused) {
      const expected = { status: 400, name: 'InvalidLoggingConfiguration', message: 'Invalid Logging Configuration: Must specify exactly one Log Destination.' };
      expect(await refusal('CreateStateMachine', { name: 'Logging2', roleArn: ROLE, definition: PASS_MACHINE, loggingConfiguration }), JSON.stringify(loggingConfiguration)).toEqual(expected);
      expect(await refusal('UpdateStateMachine', { stateMachineArn, loggingConfiguration }), JSON.stringify(loggingConfiguration)).toEqual(expected);
    }
    expect(await refusal('DescribeStateMachine', { stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Logging2' })).toMatchObject({ name: 'StateMachineDoesNotExist' });
    expect((await call('DescribeStateMachine', { stateMachineArn })).body.loggingConfiguration).toEqual({ level: 'OFF', includeExecutionData: false });
    // OFF needs no destination, and keeps an empty list as given (as AWS's recording shows).
    expect((await call('UpdateStateMachine', { stateMachineArn, loggingConfiguration: { level: 'OFF', destinations: [] } })).status).toBe(200);
    expect((await call('DescribeStateMachine', { stateMachineArn })).body.loggingConfiguration).toEqual({ level: 'OFF', includeExecutionData: false, destinations: [] });
    expect((await call('UpdateStateMachine', { stateMachineArn, loggingConfiguration: { level: 'ERROR', destinations: [destination('a')] } })).status).toBe(200);
  });

  // API:CreateStateMachine: "Your tracingConfiguration key does not match, or enabled has not been set to true or false."
  it('refuses a tracingConfiguration whose enabled is not a boolean, or with another key, as InvalidTracingConfiguration', async () => {
    const created = await call('CreateStateMachine', { name: 'Tracing', roleArn: ROLE, definition: PASS_MACHINE, tracingConfiguration: { enabled: true } });
    const stateMachineArn = created.body.stateMachineArn;
    for (const tracingConfiguration of [{ enabled: 'yes' }, { enabled: 1 }, { Enabled: false }, { enabled: true, sampling: 1 }]) {
      expect(await refusal('UpdateStateMachine', { stateMachineArn, tracingConfiguration }), JSON.stringify(tracingConfiguration)).toMatchObject({ status: 400, name: 'InvalidTracingConfiguration' });
      expect(await refusal('CreateStateMachine', { name: 'Tracing2', roleArn: ROLE, definition: PASS_MACHINE, tracingConfiguration }), JSON.stringify(tracingConfiguration)).toMatchObject({ status: 400, name: 'InvalidTracingConfiguration' });
    }
    expect((await call('DescribeStateMachine', { stateMachineArn })).body.tracingConfiguration).toEqual({ enabled: true });
    // enabled is optional (false when absent).
    expect((await call('UpdateStateMachine', { stateMachineArn, tracingConfiguration: {} })).status).toBe(200);
    expect((await call('DescribeStateMachine', { stateMachineArn })).body.tracingConfiguration).toEqual({ enabled: false });
  });
});

describe('maxResults out of range', () => {
  it("words a negative or fractional maxResults as AWS's range check does", async () => {
    expect(await refusal('ListStateMachines', { maxResults: -1 }))
      .toMatchObject({ status: 400, name: 'ValidationException', message: expect.stringContaining('Member must have value greater than or equal to 0') });
    expect(await refusal('ListActivities', { maxResults: 1001 }))
      .toMatchObject({ status: 400, name: 'ValidationException', message: expect.stringContaining('Member must have value less than or equal to 1000') });
    expect(await refusal('ListStateMachines', { maxResults: 2.5 })).toMatchObject({ status: 400, name: 'ValidationException', message: expect.stringContaining('Member must be an integer') });
    expect(await refusal('ValidateStateMachineDefinition', { definition: PASS_MACHINE, maxResults: -5 }))
      .toMatchObject({ status: 400, name: 'ValidationException', message: expect.stringContaining('Member must have value greater than or equal to 0') });
    expect((await call('ListStateMachines', { maxResults: 0 })).status).toBe(200);
    expect((await call('ListStateMachines', { maxResults: 1000 })).status).toBe(200);
  });
});

describe('names holding half a surrogate pair', () => {
  // JSON text may escape one (\ud800); the event log could not keep it in a stream name.
  const lone = 'order\ud800';
  it('refuses them as InvalidName, creating nothing', async () => {
    expect(await refusal('CreateStateMachine', { name: lone, roleArn: ROLE, definition: PASS_MACHINE })).toMatchObject({ status: 400, name: 'InvalidName' });
    expect(await refusal('CreateActivity', { name: lone })).toMatchObject({ status: 400, name: 'InvalidName' });
    const { stateMachineArn } = (await call('CreateStateMachine', { name: 'Named', roleArn: ROLE, definition: PASS_MACHINE })).body;
    expect(await refusal('StartExecution', { stateMachineArn, name: lone })).toMatchObject({ status: 400, name: 'InvalidName' });
    expect((await call('ListExecutions', { stateMachineArn })).body.executions).toEqual([]);
    expect((await call('ListActivities', {})).body.activities).not.toContainEqual(expect.objectContaining({ name: lone }));
    // A whole pair is one character, as AWS takes it.
    expect((await call('StartExecution', { stateMachineArn, name: 'order-\u{1F600}' })).status).toBe(200);
  });
});
