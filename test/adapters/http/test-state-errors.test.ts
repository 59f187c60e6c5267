import { describe, expect, it } from 'vitest';
import { testStateServer } from './sfn-test-server.js';

const { send } = testStateServer();

const PASS = JSON.stringify({ Type: 'Pass', End: true });
const rejected = (input: Parameters<typeof send>[0], name: string, message: RegExp) =>
  expect(send(input)).rejects.toMatchObject({ name, message: expect.stringMatching(message) });

/** API:TestState's Errors: InvalidDefinition and InvalidExecutionInput, not ValidationException, for what is not valid ASL or JSON input. */
describe('TestState error names', () => {
  it('a definition that is not JSON, or not an object, is InvalidDefinition (as CreateStateMachine words it)', async () => {
    await rejected({ definition: '{nope' }, 'InvalidDefinition', /^Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: /);
    await rejected({ definition: '[{"Type":"Pass","End":true}]' }, 'InvalidDefinition', /^Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: .*JSON object/);
    await rejected({ definition: '{"Type":"Pass","End":true,"Result":' + '['.repeat(2000) + ']'.repeat(2000) + '}' }, 'InvalidDefinition', /1000 levels deep/);
  });

  it('an input that is not JSON is InvalidExecutionInput; one over 256 KiB stays a ValidationException', async () => {
    await rejected({ definition: PASS, input: '{bad' }, 'InvalidExecutionInput', /^input is not valid JSON: /);
    await rejected({ definition: PASS, input: '' }, 'InvalidExecutionInput', /^input is not valid JSON: /);
    await rejected({ definition: PASS, input: '['.repeat(2000) + ']'.repeat(2000) }, 'InvalidExecutionInput', /1000 levels deep/);
    await rejected({ definition: PASS, input: JSON.stringify('x'.repeat(262144)) }, 'ValidationException', /length less than or equal to 262144/);
  });

  it('refuses an unmocked .sync or .waitForTaskToken Task, as recorded against AWS (2026-09)', async () => {
    const ecs = (suffix: string) => JSON.stringify({
      Type: 'Task', Resource: `arn:aws:states:::ecs:runTask${suffix}`,
      Parameters: { Cluster: 'missing', TaskDefinition: 'arn:aws:ecs:us-east-1:000000000000:task-definition/missing:1', LaunchType: 'FARGATE' }, TimeoutSeconds: 210, End: true,
    });
    const roleArn = 'arn:aws:iam::000000000000:role/api-errors';
    for (const suffix of ['.sync', '.waitForTaskToken']) {
      await expect(send({ definition: ecs(suffix), roleArn, input: '{}', inspectionLevel: 'DEBUG' })).rejects.toMatchObject({
        name: 'InvalidDefinition', message: "TestState API does not support '.sync' or '.waitForTaskToken' integration patterns.",
      });
    }
  });

  it('with stateName, the definition must be a whole state machine (API:TestState stateName)', async () => {
    await rejected({ definition: PASS, stateName: 'Any' }, 'InvalidDefinition', /These fields are required: \[States, StartAt\]/);
    const machine = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } });
    expect(await send({ definition: machine, stateName: 'A' })).toMatchObject({ status: 'SUCCEEDED' });
  });
});

describe('TestState state names', () => {
  it('a state or a Next target may be named __proto__ (any name of up to 80 characters is one)', async () => {
    expect(await send({ definition: JSON.stringify({ Type: 'Pass', Next: '__proto__' }) })).toMatchObject({ status: 'SUCCEEDED', nextState: '__proto__' });
    const machine = '{"StartAt":"__proto__","States":{"__proto__":{"Type":"Pass","Next":"constructor"},"constructor":{"Type":"Pass","End":true}}}';
    expect(await send({ definition: machine, stateName: '__proto__', input: '{"a":1}' })).toMatchObject({ status: 'SUCCEEDED', output: '{"a":1}', nextState: 'constructor' });
  });
});
