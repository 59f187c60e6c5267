import {
  CreateStateMachineAliasCommand, CreateStateMachineCommand, DescribeExecutionCommand, DeleteStateMachineAliasCommand, DeleteStateMachineCommand,
  DeleteStateMachineVersionCommand, DescribeStateMachineAliasCommand, DescribeStateMachineCommand, ListStateMachineAliasesCommand,
  ListStateMachinesCommand, ListStateMachineVersionsCommand, ListTagsForResourceCommand, PublishStateMachineVersionCommand,
  TagResourceCommand, UntagResourceCommand, UpdateStateMachineAliasCommand, UpdateStateMachineCommand, ValidateStateMachineDefinitionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorName, PASS_MACHINE, ROLE, startTestServer, type TestServer } from './sfn-test-server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

describe('state machines over the AWS JSON 1.0 API', () => {
  it('creates, describes, updates, lists and deletes a state machine', async () => {
    const created = await t.client.send(new CreateStateMachineCommand({ name: 'Greeter', definition: PASS_MACHINE, roleArn: ROLE }));
    expect(created.stateMachineArn).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:Greeter');
    expect(created.creationDate).toBeInstanceOf(Date);

    const described = await t.client.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
    expect(described).toMatchObject({ name: 'Greeter', status: 'ACTIVE', type: 'STANDARD', definition: PASS_MACHINE, roleArn: ROLE });
    expect(described.creationDate!.getTime()).toBe(created.creationDate!.getTime());

    const changed = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Succeed' } } });
    const updated = await t.client.send(new UpdateStateMachineCommand({ stateMachineArn: created.stateMachineArn, definition: changed }));
    expect(updated.revisionId).not.toBe(described.revisionId);
    expect((await t.client.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }))).definition).toBe(changed);

    const listed = await t.client.send(new ListStateMachinesCommand({}));
    expect(listed.stateMachines!.map((s) => s.name)).toContain('Greeter');

    await t.client.send(new DeleteStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
    expect(await errorName(t.client.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn })))).toBe('StateMachineDoesNotExist');
  });

  it('is idempotent for the same name and configuration, and refuses a different one', async () => {
    const a = await t.client.send(new CreateStateMachineCommand({ name: 'Twice', definition: PASS_MACHINE, roleArn: ROLE }));
    const b = await t.client.send(new CreateStateMachineCommand({ name: 'Twice', definition: PASS_MACHINE, roleArn: ROLE }));
    expect(b.stateMachineArn).toBe(a.stateMachineArn);
    // A different role is ignored, as AWS does.
    const c = await t.client.send(new CreateStateMachineCommand({ name: 'Twice', definition: PASS_MACHINE, roleArn: 'arn:aws:iam::123456789012:role/Other' }));
    expect(c.creationDate!.getTime()).toBe(a.creationDate!.getTime());
    expect((await t.client.send(new DescribeStateMachineCommand({ stateMachineArn: a.stateMachineArn }))).roleArn).toBe(ROLE);
    const other = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Succeed' } } });
    expect(await errorName(t.client.send(new CreateStateMachineCommand({ name: 'Twice', definition: other, roleArn: ROLE })))).toBe('StateMachineAlreadyExists');
  });

  it('returns AWS validation errors', async () => {
    const bad = JSON.stringify({ StartAt: 'Missing', States: { A: { Type: 'Succeed' } } });
    const invalid = t.client.send(new CreateStateMachineCommand({ name: 'Bad', definition: bad, roleArn: ROLE }));
    await expect(invalid).rejects.toMatchObject({ name: 'InvalidDefinition', message: expect.stringContaining('Invalid State Machine Definition') });
    expect(await errorName(t.client.send(new CreateStateMachineCommand({ name: 'Bad', definition: '{not json', roleArn: ROLE })))).toBe('InvalidDefinition');
    expect(await errorName(t.client.send(new CreateStateMachineCommand({ name: 'has space', definition: PASS_MACHINE, roleArn: ROLE })))).toBe('InvalidName');
    expect(await errorName(t.client.send(new CreateStateMachineCommand({ name: 'x'.repeat(81), definition: PASS_MACHINE, roleArn: ROLE })))).toBe('ValidationException');
    expect(await errorName(t.client.send(new CreateStateMachineCommand({ name: 'Role', definition: PASS_MACHINE, roleArn: 'not-an-arn' })))).toBe('InvalidArn');
    // AWS's words for these refusals, as quoted from AWS (aws/amazon-sagemaker-examples#2430,
    // cirrus-geo/cirrus-geo#316, hashicorp/terraform-provider-aws#17682).
    await expect(t.client.send(new CreateStateMachineCommand({ name: 'Role', definition: PASS_MACHINE, roleArn: '<execution-role-arn>' })))
      .rejects.toMatchObject({ name: 'InvalidArn', message: "Invalid Role Arn: '<execution-role-arn>'" });
    await expect(t.client.send(new DescribeExecutionCommand({ executionArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:foo:bar' })))
      .rejects.toMatchObject({ name: 'InvalidArn', message: "Invalid Arn: 'Resource type not valid in this context: stateMachine'" });
    // Quoted from AWS's answers (serverless-step-functions#399, cloudtools/troposphere#1450).
    const badPath = JSON.stringify({ StartAt: 'TestTask', States: { TestTask: { Type: 'Pass', Parameters: { 'outputPath.$': "States.format('test-{}.json', $.Comment)" }, End: true } } });
    await expect(t.client.send(new CreateStateMachineCommand({ name: 'BadPath', definition: badPath, roleArn: ROLE }))).rejects.toMatchObject({
      name: 'InvalidDefinition',
      message: "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The value for the field 'outputPath.$' must be a valid JSONPath or a valid intrinsic function call at /States/TestTask/Parameters'",
    });
    await expect(t.client.send(new CreateStateMachineCommand({ name: 'Sub', definition: '{"Fn::Sub":"x"}', roleArn: ROLE }))).rejects.toMatchObject({
      name: 'InvalidDefinition',
      message: "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States, StartAt] at /, SCHEMA_VALIDATION_FAILED: Field 'Fn::Sub' is not supported at /'",
    });
    const logging = (logGroupArn: string) => ({ level: 'ALL' as const, includeExecutionData: true, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn } }] });
    await expect(t.client.send(new CreateStateMachineCommand({ name: 'Logged', definition: PASS_MACHINE, roleArn: ROLE, loggingConfiguration: logging('arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/states/x') })))
      .rejects.toMatchObject({ name: 'InvalidLoggingConfiguration', message: "Invalid Logging Configuration: Log Group ARN must be provided with '*' qualifier." });
    expect((await t.client.send(new CreateStateMachineCommand({ name: 'Logged', definition: PASS_MACHINE, roleArn: ROLE, loggingConfiguration: logging('arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/states/x:*') }))).stateMachineArn).toMatch(/:stateMachine:Logged$/);
    expect(await errorName(t.client.send(new CreateStateMachineCommand({ name: 'T', definition: PASS_MACHINE, roleArn: ROLE, type: 'BATCH' as never })))).toBe('ValidationException');
    expect(await errorName(t.client.send(new DescribeStateMachineCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:execution:A:b' })))).toBe('InvalidArn');
    expect(await errorName(t.client.send(new DescribeStateMachineCommand({ stateMachineArn: 'nonsense' })))).toBe('InvalidArn');
    expect(await errorName(t.client.send(new DescribeStateMachineCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Nope' })))).toBe('StateMachineDoesNotExist');
    expect(await errorName(t.client.send(new UpdateStateMachineCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Nope', definition: PASS_MACHINE })))).toBe('StateMachineDoesNotExist');
  });

  // API:CreateStateMachine and API:UpdateStateMachine: definition "Length Constraints: Minimum length of 1".
  it('refuses an empty definition as the length constraint it breaks', async () => {
    const tooShort = { name: 'ValidationException', message: "1 validation error detected: Value at 'definition' failed to satisfy constraint: Member must have length greater than or equal to 1" };
    await expect(t.client.send(new CreateStateMachineCommand({ name: 'Empty', definition: '', roleArn: ROLE }))).rejects.toMatchObject(tooShort);
    const { stateMachineArn } = await t.client.send(new CreateStateMachineCommand({ name: 'NotEmpty', definition: PASS_MACHINE, roleArn: ROLE }));
    await expect(t.client.send(new UpdateStateMachineCommand({ stateMachineArn, definition: '' }))).rejects.toMatchObject(tooShort);
    expect((await t.client.send(new DescribeStateMachineCommand({ stateMachineArn }))).definition).toBe(PASS_MACHINE);
  });

  it('pages ListStateMachines with opaque tokens', async () => {
    for (let i = 0; i < 5; i++) await t.client.send(new CreateStateMachineCommand({ name: `Paged${i}`, definition: PASS_MACHINE, roleArn: ROLE }));
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await t.client.send(new ListStateMachinesCommand({ maxResults: 2, nextToken }));
      expect(page.stateMachines!.length).toBeLessThanOrEqual(2);
      seen.push(...page.stateMachines!.map((s) => s.name!));
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(new Set(seen).size).toBe(seen.length);
    for (let i = 0; i < 5; i++) expect(seen).toContain(`Paged${i}`);
    expect(await errorName(t.client.send(new ListStateMachinesCommand({ nextToken: 'garbage!' })))).toBe('InvalidToken');
  });

  it('publishes versions and routes aliases to them', async () => {
    const { stateMachineArn, stateMachineVersionArn } = await t.client.send(new CreateStateMachineCommand({ name: 'Versioned', definition: PASS_MACHINE, roleArn: ROLE, publish: true }));
    expect(stateMachineVersionArn).toBe(`${stateMachineArn}:1`);
    // Publishing an unchanged revision gives the same version back.
    expect((await t.client.send(new PublishStateMachineVersionCommand({ stateMachineArn }))).stateMachineVersionArn).toBe(`${stateMachineArn}:1`);
    const v2Def = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Result: 2, End: true } } });
    const upd = await t.client.send(new UpdateStateMachineCommand({ stateMachineArn, definition: v2Def, publish: true, versionDescription: 'two' }));
    expect(upd.stateMachineVersionArn).toBe(`${stateMachineArn}:2`);
    expect(await errorName(t.client.send(new PublishStateMachineVersionCommand({ stateMachineArn, revisionId: 'stale' })))).toBe('ConflictException');

    const v1 = await t.client.send(new DescribeStateMachineCommand({ stateMachineArn: `${stateMachineArn}:1` }));
    expect(v1.definition).toBe(PASS_MACHINE);
    const versions = await t.client.send(new ListStateMachineVersionsCommand({ stateMachineArn }));
    expect(versions.stateMachineVersions!.map((v) => v.stateMachineVersionArn)).toEqual([`${stateMachineArn}:2`, `${stateMachineArn}:1`]);

    const alias = await t.client.send(new CreateStateMachineAliasCommand({ name: 'live', routingConfiguration: [{ stateMachineVersionArn: `${stateMachineArn}:1`, weight: 100 }] }));
    expect(alias.stateMachineAliasArn).toBe(`${stateMachineArn}:live`);
    expect(await errorName(t.client.send(new CreateStateMachineAliasCommand({ name: 'half', routingConfiguration: [{ stateMachineVersionArn: `${stateMachineArn}:1`, weight: 50 }] })))).toBe('ValidationException');
    expect(await errorName(t.client.send(new CreateStateMachineAliasCommand({ name: 'ghost', routingConfiguration: [{ stateMachineVersionArn: `${stateMachineArn}:9`, weight: 100 }] })))).toBe('ResourceNotFound');
    expect(await errorName(t.client.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: `${stateMachineArn}:1` })))).toBe('ConflictException');

    await t.client.send(new UpdateStateMachineAliasCommand({ stateMachineAliasArn: alias.stateMachineAliasArn, routingConfiguration: [{ stateMachineVersionArn: `${stateMachineArn}:2`, weight: 100 }] }));
    const described = await t.client.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: alias.stateMachineAliasArn }));
    expect(described.routingConfiguration).toEqual([{ stateMachineVersionArn: `${stateMachineArn}:2`, weight: 100 }]);
    expect((await t.runtime.stateMachines.resolve(alias.stateMachineAliasArn!))).toMatchObject({ definition: v2Def, stateMachineVersionArn: `${stateMachineArn}:2` });
    expect((await t.client.send(new ListStateMachineAliasesCommand({ stateMachineArn }))).stateMachineAliases!.map((a) => a.stateMachineAliasArn)).toEqual([alias.stateMachineAliasArn]);

    await t.client.send(new DeleteStateMachineAliasCommand({ stateMachineAliasArn: alias.stateMachineAliasArn }));
    await t.client.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: `${stateMachineArn}:1` }));
    expect((await t.client.send(new ListStateMachineVersionsCommand({ stateMachineArn }))).stateMachineVersions!.length).toBe(1);
    expect(await errorName(t.client.send(new CreateStateMachineAliasCommand({ name: '123', routingConfiguration: [{ stateMachineVersionArn: `${stateMachineArn}:2`, weight: 100 }] })))).toBe('ValidationException');
  });

  it("words refusals as AWS does, and shows a revisionId only once an update has changed the state machine", async () => {
    const { stateMachineArn, stateMachineVersionArn } = await t.client.send(new CreateStateMachineCommand({ name: 'Worded', definition: PASS_MACHINE, roleArn: ROLE, publish: true }));
    expect((await t.client.send(new DescribeStateMachineCommand({ stateMachineArn }))).revisionId).toBeUndefined();
    expect((await t.client.send(new DescribeStateMachineCommand({ stateMachineArn: stateMachineVersionArn }))).revisionId).toBeUndefined();
    const unchanged = await t.client.send(new UpdateStateMachineCommand({ stateMachineArn, definition: PASS_MACHINE, publish: true }));
    expect(unchanged.revisionId).toBeUndefined();
    expect(unchanged.stateMachineVersionArn).toBe(stateMachineVersionArn);
    const changed = await t.client.send(new UpdateStateMachineCommand({ stateMachineArn, roleArn: `${ROLE}2` }));
    expect(changed.revisionId).toEqual(expect.any(String));
    expect((await t.client.send(new DescribeStateMachineCommand({ stateMachineArn }))).revisionId).toBe(changed.revisionId);

    const refusal = (p: Promise<unknown>) => p.then(() => undefined, (e: { name: string; message: string }) => ({ name: e.name, message: e.message }));
    expect(await refusal(t.client.send(new DescribeStateMachineCommand({ stateMachineArn: 'not_a_valid_arn' })))).toEqual({ name: 'InvalidArn', message: "Invalid Arn: 'Invalid ARN prefix: not_a_valid_arn'" });
    expect(await refusal(t.client.send(new UpdateStateMachineCommand({ stateMachineArn: stateMachineVersionArn, definition: PASS_MACHINE })))).toEqual({ name: 'StateMachineDoesNotExist', message: `State Machine Does Not Exist: '${stateMachineVersionArn}'` });
    expect(await refusal(t.client.send(new CreateStateMachineCommand({ name: 'NoPublish', definition: PASS_MACHINE, roleArn: ROLE, versionDescription: 'x' })))).toEqual({ name: 'ValidationException', message: 'Version description can only be set when publish is true' });
    expect(await refusal(t.client.send(new CreateStateMachineAliasCommand({ name: 'both', routingConfiguration: [{ stateMachineVersionArn, weight: 50 }, { stateMachineVersionArn, weight: 50 }] })))).toEqual({
      name: 'ValidationException', message: `Routing configuration must contain distinct state machine version ARNs. Received: [${stateMachineVersionArn}, ${stateMachineVersionArn}]`,
    });
    expect(await refusal(t.client.send(new ListStateMachinesCommand({ nextToken: 'x'.repeat(1025) })))).toMatchObject({ name: 'ValidationException', message: expect.stringContaining(`Value '${'x'.repeat(1025)}' at 'nextToken'`) });
  });

  it('tags, untags and lists tags', async () => {
    const { stateMachineArn } = await t.client.send(new CreateStateMachineCommand({ name: 'Tagged', definition: PASS_MACHINE, roleArn: ROLE, tags: [{ key: 'team', value: 'a' }] }));
    await t.client.send(new TagResourceCommand({ resourceArn: stateMachineArn, tags: [{ key: 'env', value: 'dev' }, { key: 'team', value: 'b' }] }));
    const tags = (await t.client.send(new ListTagsForResourceCommand({ resourceArn: stateMachineArn }))).tags!;
    expect(tags).toEqual(expect.arrayContaining([{ key: 'team', value: 'b' }, { key: 'env', value: 'dev' }]));
    expect(tags).toHaveLength(2);
    await t.client.send(new UntagResourceCommand({ resourceArn: stateMachineArn, tagKeys: ['team'] }));
    expect((await t.client.send(new ListTagsForResourceCommand({ resourceArn: stateMachineArn }))).tags).toEqual([{ key: 'env', value: 'dev' }]);
    expect(await errorName(t.client.send(new ListTagsForResourceCommand({ resourceArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Nope' })))).toBe('ResourceNotFound');
    const many = Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    expect(await errorName(t.client.send(new TagResourceCommand({ resourceArn: stateMachineArn, tags: many })))).toBe('TooManyTags');
  });

  it('validates definitions without storing them', async () => {
    const ok = await t.client.send(new ValidateStateMachineDefinitionCommand({ definition: PASS_MACHINE }));
    expect(ok).toMatchObject({ result: 'OK', diagnostics: [], truncated: false });
    const bad = await t.client.send(new ValidateStateMachineDefinitionCommand({ definition: JSON.stringify({ StartAt: 'X', States: { A: { Type: 'Pass', Next: 'Y' } } }) }));
    expect(bad.result).toBe('FAIL');
    expect(bad.diagnostics!.length).toBeGreaterThan(0);
    expect(bad.diagnostics![0]).toMatchObject({ severity: 'ERROR', code: expect.any(String), message: expect.any(String) });
  });

  it('locates problems as AWS does, and leaves a missing end state unlocated, as measured against AWS (floci-io/floci#2786)', async () => {
    const validate = async (definition: unknown) => t.client.send(new ValidateStateMachineDefinitionCommand({ definition: JSON.stringify(definition) }));
    const loop = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' } } };
    const noEnd = { severity: 'ERROR', code: 'MISSING_END_STATE', message: 'Workflow has no terminal state' };
    expect(await validate(loop)).toMatchObject({ result: 'FAIL', diagnostics: [noEnd], truncated: false });
    expect((await validate(loop)).diagnostics![0]).not.toHaveProperty('location');
    expect((await validate({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'NOPE' } } })).diagnostics).toEqual([
      { severity: 'ERROR', code: 'MISSING_TRANSITION_TARGET', message: "Missing 'Next' target: NOPE", location: '/States/A/Next' },
      noEnd,
    ]);
    const choice = { StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'NOPE' }], Default: 'E' }, E: { Type: 'Succeed' } } };
    expect((await validate(choice)).diagnostics).toEqual([{ severity: 'ERROR', code: 'MISSING_TRANSITION_TARGET', message: "Missing 'Next' target: NOPE", location: '/States/C/Choices[0]/Next' }]);
    const caught = { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'NOPE' }] } } };
    expect((await validate(caught)).diagnostics).toEqual([{ severity: 'ERROR', code: 'MISSING_TRANSITION_TARGET', message: "Missing 'Next' target: NOPE", location: '/States/T/Catch[0]/Next' }]);
    // CreateStateMachine and UpdateStateMachine word the same problem "at null" (floci-io/floci#2735).
    await expect(t.client.send(new CreateStateMachineCommand({ name: 'NoEnd', definition: JSON.stringify(loop), roleArn: ROLE }))).rejects.toMatchObject({
      name: 'InvalidDefinition', message: "Invalid State Machine Definition: 'MISSING_END_STATE: Workflow has no terminal state at null'",
    });
    const { stateMachineArn } = await t.client.send(new CreateStateMachineCommand({ name: 'LaterNoEnd', definition: PASS_MACHINE, roleArn: ROLE }));
    await expect(t.client.send(new UpdateStateMachineCommand({ stateMachineArn, definition: JSON.stringify(loop) }))).rejects.toMatchObject({
      name: 'InvalidDefinition', message: "Invalid State Machine Definition: 'MISSING_END_STATE: Workflow has no terminal state at null'",
    });
  });

  it('lists every problem of a refused definition with its code, in AWS\'s locations, as recorded against AWS (2026-09)', async () => {
    const task = { Type: 'Task', Resource: 'arn:aws:states:us-west-2:000000000000:activity:probe', TimeoutSeconds: 8, HeartbeatSeconds: 3, End: true };
    const branches = () => ['Left', 'Right'].map((name) => ({ StartAt: name, States: { [name]: task } }));
    const definition = JSON.stringify({
      TimeoutSeconds: 10, StartAt: 'Select',
      States: {
        Select: { Type: 'Choice', Choices: [{ Variable: '$.mode', StringEquals: 'parallel', Next: 'Parallel' }, { Variable: '$.mode', StringEquals: 'parallel-caught', Next: 'ParallelCaught' }], Default: 'Parallel' },
        Matched: { Type: 'Pass', Result: 'matched-first-catcher', ResultPath: '$.route', End: true },
        Fallback: { Type: 'Pass', Result: 'fallback-catcher', ResultPath: '$.route', End: true },
        Parallel: { Type: 'Parallel', Branches: branches(), End: true },
        ParallelCaught: {
          Type: 'Parallel', Branches: branches(), End: true,
          Catch: [{ ErrorEquals: ['Probe.Catch'], ResultPath: '$.caught', Next: 'Matched' }, { ErrorEquals: ['States.ALL'], ResultPath: '$.caught', Next: 'Fallback' }],
        },
      },
    });
    await expect(t.client.send(new CreateStateMachineCommand({ name: 'Duplicates', definition, roleArn: ROLE }))).rejects.toMatchObject({
      name: 'InvalidDefinition',
      message: "Invalid State Machine Definition: 'DUPLICATE_STATE_NAME: Duplicate State name: Left at /States/ParallelCaught/Branches[0]/States/Left, DUPLICATE_STATE_NAME: Duplicate State name: Right at /States/ParallelCaught/Branches[1]/States/Right'",
    });
  });

  it('answers ValidateStateMachineDefinition with severity WARNING as recorded against AWS (2026-09)', async () => {
    // The capture's data-flow machine: three Maps whose processors name their states alike, unless renamed.
    const processor = (prefix: string) => ({
      ProcessorConfig: { Mode: 'INLINE' }, StartAt: `${prefix}ItemDelay`,
      States: {
        [`${prefix}ItemDelay`]: { Type: 'Wait', SecondsPath: '$.item.delay', Next: `${prefix}ItemTransform` },
        [`${prefix}ItemTransform`]: { Type: 'Pass', Parameters: { 'index.$': '$.index', 'source.$': '$.source', 'value.$': 'States.MathAdd($.item.value, 10)' }, Next: `${prefix}ItemDone` },
        [`${prefix}ItemDone`]: { Type: 'Succeed' },
      },
    });
    const map = (concurrency: number, prefix: string) => ({
      Type: 'Map', ItemsPath: '$.items', MaxConcurrency: concurrency, End: true, ItemProcessor: processor(prefix),
      ItemSelector: { 'index.$': '$$.Map.Item.Index', 'item.$': '$$.Map.Item.Value', 'source.$': '$$.Map.Item.Source' },
    });
    const cases = ['Pipeline', 'Nested', 'SequentialMap', 'MapInput', 'ContextIntrinsics', 'MissingInput', 'NullInput', 'ExplicitFail', 'ChoiceNoMatch', 'WaitValue'];
    const dataflow = (sequential: string, general: string) => JSON.stringify({
      StartAt: 'Route', TimeoutSeconds: 20,
      States: {
        Pipeline: {
          Type: 'Parallel', InputPath: '$.envelope.payload', Parameters: { 'n.$': '$.n', 'parentState.$': '$$.State.Name' },
          Branches: [
            { StartAt: 'PipelineFirst', States: { PipelineFirst: { Type: 'Pass', Parameters: { 'value.$': 'States.MathAdd($.n, 1)', 'seen.$': '$' }, End: true } } },
            { StartAt: 'PipelineSecond', States: { PipelineSecond: { Type: 'Pass', Parameters: { 'doubled.$': 'States.MathAdd($.n, $.n)' }, End: true } } },
          ],
          ResultSelector: { 'first.$': '$[0]', 'second.$': '$[1]' }, ResultPath: '$.envelope.merged', OutputPath: '$.envelope', End: true,
        },
        Nested: {
          Type: 'Parallel', End: true,
          Branches: [
            { StartAt: 'BranchDelay', States: { BranchDelay: { Type: 'Wait', Seconds: 1, Next: 'NestedMap' }, NestedMap: map(2, '') } },
            { StartAt: 'InnerParallel', States: { InnerParallel: { Type: 'Parallel', End: true, Branches: [
              { StartAt: 'InnerFirst', States: { InnerFirst: { Type: 'Pass', Result: 'first', End: true } } },
              { StartAt: 'InnerWait', States: { InnerWait: { Type: 'Wait', Seconds: 0, Next: 'InnerLast' }, InnerLast: { Type: 'Pass', Result: 'last', End: true } } },
            ] } } },
          ],
        },
        SequentialMap: map(1, sequential),
        MapInput: map(2, general),
        ContextIntrinsics: { Type: 'Pass', End: true, Parameters: {
          'execution.$': '$$.Execution', 'state.$': '$$.State', 'machine.$': '$$.StateMachine',
          'nested.$': "States.Format('{}:{}', States.ArrayGetItem($.arr, 1), States.MathAdd($.number, 2))", 'array.$': 'States.Array($.number, $.nil, true)',
          'partition.$': 'States.ArrayPartition($.arr, 2)', 'contains.$': 'States.ArrayContains($.arr, 2)', 'range.$': 'States.ArrayRange(1, 5, 2)',
          'unique.$': 'States.ArrayUnique($.arr)', 'json.$': 'States.StringToJson($.text)', 'encoded.$': "States.Base64Encode('hello')",
          'decoded.$': "States.Base64Decode('aGVsbG8=')", 'hash.$': "States.Hash('hello', 'SHA-256')", 'split.$': "States.StringSplit('a,b;c', ',;')",
          'merge.$': 'States.JsonMerge($.left, $.right, false)', 'serialized.$': 'States.JsonToString($.left)',
        } },
        MissingInput: { Type: 'Pass', InputPath: '$.missing', End: true },
        NullInput: { Type: 'Pass', InputPath: null, End: true },
        ExplicitFail: { Type: 'Fail', ErrorPath: '$.error', CausePath: "States.Format('reason:{}', $.reason)" },
        ChoiceNoMatch: { Type: 'Choice', Choices: [{ Variable: '$.value', NumericEquals: 1, Next: 'Done' }] },
        WaitValue: { Type: 'Wait', SecondsPath: '$.seconds', Next: 'Done' },
        Done: { Type: 'Succeed' },
        Route: { Type: 'Choice', Choices: cases.map((c) => ({ Variable: '$.case', StringEquals: c, Next: c })), Default: 'Done' },
      },
    });
    const validate = (definition: string) => t.client.send(new ValidateStateMachineDefinitionCommand({ definition, type: 'STANDARD', severity: 'WARNING' }));
    const duplicate = (map: string, state: string) => ({ severity: 'ERROR', code: 'DUPLICATE_STATE_NAME', message: `Duplicate State name: ${state}`, location: `/States/${map}/ItemProcessor/States/${state}` });
    expect(await validate(dataflow('', ''))).toMatchObject({
      result: 'FAIL', truncated: false,
      diagnostics: ['SequentialMap', 'MapInput'].flatMap((map) => ['ItemDelay', 'ItemTransform', 'ItemDone'].map((state) => duplicate(map, state))),
    });
    expect(await validate(dataflow('Sequential', 'General'))).toMatchObject({ result: 'OK', diagnostics: [], truncated: false });
    const reserved = JSON.stringify({ StartAt: 'Read', TimeoutSeconds: 20, States: { Read: { Type: 'Pass', Output: '{% $states.result %}', End: true } }, QueryLanguage: 'JSONata' });
    expect(await validate(reserved)).toMatchObject({
      result: 'FAIL', truncated: false,
      diagnostics: [{ severity: 'ERROR', code: 'UNSUPPORTED_JSONATA_EXPRESSION', message: "Field '$states.result' does not exist.", location: '/States/Read/Output' }],
    });
    // The body itself, members in AWS's order.
    const raw = await fetch(t.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'AWSStepFunctions.ValidateStateMachineDefinition' },
      body: JSON.stringify({ definition: reserved, type: 'STANDARD', severity: 'WARNING' }),
    });
    expect(await raw.text()).toBe(JSON.stringify({
      diagnostics: [{ code: 'UNSUPPORTED_JSONATA_EXPRESSION', location: '/States/Read/Output', message: "Field '$states.result' does not exist.", severity: 'ERROR' }],
      result: 'FAIL', truncated: false,
    }));
  });

  it("words a StartAt naming no state as AWS does (AWS's answer quoted in aws-cloudformation/cfn-lint#4074)", async () => {
    const definition = JSON.stringify({ StartAt: 'Not sure', States: { 'Pass One': { Type: 'Pass', Next: 'Success' }, Success: { Type: 'Succeed' } } });
    await expect(t.client.send(new CreateStateMachineCommand({ name: 'NoStart', definition, roleArn: ROLE }))).rejects.toMatchObject({
      name: 'InvalidDefinition',
      message: "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: Not sure at /StartAt, MISSING_TRANSITION_TARGET: State \"Pass One\" is not reachable. at /States/Pass One'",
    });
  });

  it('refuses Count in an ecs:runTask.sync Task and takes it in request-response and callback Tasks, as recorded against AWS (2026-09)', async () => {
    const ecs = (suffix: string, parameters: Record<string, unknown>) => JSON.stringify({
      StartAt: 'Task', TimeoutSeconds: 240,
      States: { Task: { Type: 'Task', Resource: `arn:aws:states:::ecs:runTask${suffix}`, Parameters: parameters, TimeoutSeconds: 210, End: true } },
    });
    const base = { Cluster: 'arn:aws:ecs:us-east-1:000000000000:cluster/c', TaskDefinition: 'arn:aws:ecs:us-east-1:000000000000:task-definition/good:1', LaunchType: 'FARGATE' };
    await expect(t.client.send(new CreateStateMachineCommand({ name: 'EcsSyncTwo', definition: ecs('.sync', { ...base, Count: 2 }), roleArn: ROLE }))).rejects.toMatchObject({
      name: 'InvalidDefinition', message: "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The field 'Count' is not supported by Step Functions at /States/Task/Parameters'",
    });
    await t.client.send(new CreateStateMachineCommand({ name: 'EcsRequestResponseTwo', definition: ecs('', { ...base, Count: 2 }), roleArn: ROLE }));
    await t.client.send(new CreateStateMachineCommand({ name: 'EcsCallback', definition: ecs('.waitForTaskToken', { ...base, Count: 1 }), roleArn: ROLE }));
    const startedBy = await t.client.send(new ValidateStateMachineDefinitionCommand({ definition: ecs('.sync', { Cluster: 'probe', TaskDefinition: 'probe:1', LaunchType: 'FARGATE', StartedBy: 'customer-value' }) }));
    expect(startedBy).toEqual(expect.objectContaining({
      result: 'FAIL', truncated: false,
      diagnostics: [{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: "The field 'StartedBy' is not supported by Step Functions", location: '/States/Task/Parameters' }],
    }));
  });
});

describe("DescribeStateMachine's variableReferences, as recorded against AWS (2026-09)", () => {
  it('lists the variables each state reads, by state name, nested states included; none for a machine without variables', async () => {
    const definition = JSON.stringify({
      QueryLanguage: 'JSONata',
      StartAt: 'Initialize',
      States: {
        Initialize: { Type: 'Pass', Assign: { outer: '{% $states.input.base %}', x: 1 }, Next: 'Swap' },
        Swap: { Type: 'Pass', Assign: { x: '{% $x + 1 %}', oldX: '{% $x %}' }, Output: { outputSawX: '{% $x %}', input: '{% $states.input %}' }, Next: 'ScopeParallel' },
        ScopeParallel: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'LeftAssign', States: {
              LeftAssign: { Type: 'Pass', Assign: { local: '{% $outer + 10 %}' }, Next: 'LeftNested' },
              LeftNested: { Type: 'Parallel', Branches: [{ StartAt: 'DeepRead', States: { DeepRead: { Type: 'Pass', Output: { outer: '{% $outer %}', local: '{% $local %}', x: '{% $x %}' }, End: true } } }], Output: '{% $states.result[0] %}', End: true },
            } },
            { StartAt: 'RightAssign', States: {
              RightAssign: { Type: 'Pass', Assign: { local: '{% $outer + 20 %}' }, Next: 'RightOutput' },
              RightOutput: { Type: 'Pass', Output: { outer: '{% $outer %}', local: '{% $local %}', x: '{% $x %}' }, End: true },
            } },
          ],
          Output: { branches: '{% $states.result %}', outer: '{% $outer %}', x: '{% $x %}', oldX: '{% $oldX %}', before: '{% $states.input %}' },
          Next: 'ScopeMap',
        },
        ScopeMap: {
          Type: 'Map', Items: [1, 2, 3], MaxConcurrency: 2,
          ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'IterationAssign', States: {
            IterationAssign: { Type: 'Pass', Assign: { itemLocal: '{% $states.input + $outer %}' }, Next: 'IterationOutput' },
            IterationOutput: { Type: 'Pass', Output: { item: '{% $states.input %}', itemLocal: '{% $itemLocal %}', outer: '{% $outer %}' }, End: true },
          } },
          Output: { parallel: '{% $states.input %}', items: '{% $states.result %}', outer: '{% $outer %}' },
          Next: 'JSONataDone',
        },
        JSONataDone: { Type: 'Succeed', Output: { result: '{% $states.input %}', stateName: '{% $states.context.State.Name %}' } },
      },
    });
    const { stateMachineArn } = await t.client.send(new CreateStateMachineCommand({ name: 'Scopes', definition, roleArn: ROLE }));
    const described = await t.client.send(new DescribeStateMachineCommand({ stateMachineArn }));
    expect(JSON.stringify(described.variableReferences)).toBe(
      '{"DeepRead":["outer","local","x"],"IterationAssign":["outer"],"IterationOutput":["itemLocal","outer"],"LeftAssign":["outer"],"RightAssign":["outer"],"RightOutput":["outer","local","x"],"ScopeMap":["outer"],"ScopeParallel":["outer","x","oldX"],"Swap":["x"]}',
    );
    const plain = await t.client.send(new CreateStateMachineCommand({ name: 'NoVariables', definition: PASS_MACHINE, roleArn: ROLE }));
    expect((await t.client.send(new DescribeStateMachineCommand({ stateMachineArn: plain.stateMachineArn }))).variableReferences).toBeUndefined();
  });
});
