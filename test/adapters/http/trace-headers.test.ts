import {
  CreateStateMachineCommand, DescribeExecutionCommand, DescribeStateMachineForExecutionCommand, SendTaskSuccessCommand, StartExecutionCommand,
  StartSyncExecutionCommand, UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASS_MACHINE, ROLE, startTestServer, WAIT_MACHINE, type TestServer } from './sfn-test-server.js';

/**
 * X-Ray trace headers and tracingConfiguration, as recorded against AWS (2026-09, us-west-2:
 * radkawar/stackd testdata/aws/stepfunctions/tracing_control.json and tracing_sdk_headers.json).
 * X-Ray itself (segments, sampling rules) is out of reach; what is checked is what the API answers.
 */
let t: TestServer;
let tokens: string[];
beforeAll(async () => {
  t = await startTestServer();
  tokens = [];
  t.runtime.handle({ state: 'Hold' }, ({ taskToken }) => {
    tokens.push(taskToken!);
    return null;
  });
});
afterAll(() => t.close());

const GENERATED = (sampled: '0' | '1') => new RegExp(`^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Sampled=${sampled}$`);

async function machine(name: string, tracing: boolean, type: 'STANDARD' | 'EXPRESS' = 'STANDARD', definition = PASS_MACHINE): Promise<string> {
  const { stateMachineArn } = await t.client.send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE, type, tracingConfiguration: { enabled: tracing } }));
  return stateMachineArn!;
}

async function describedHeader(stateMachineArn: string, name: string, traceHeader?: string): Promise<string | undefined> {
  const { executionArn } = await t.client.send(new StartExecutionCommand({ stateMachineArn, name, ...(traceHeader !== undefined ? { traceHeader } : {}) }));
  return (await t.client.send(new DescribeExecutionCommand({ executionArn }))).traceHeader;
}

describe('trace headers, as recorded against AWS (2026-09)', () => {
  it('returns a valid header with its sampling decision byte for byte, and none when none was given to a machine that does not trace', async () => {
    const arn = await machine('TraceOff', false);
    expect(await describedHeader(arn, 'enabled-zero', 'Root=1-6ab4ae18-fab1c0fbd255432baee317a0;Parent=0123456789abcdef;Sampled=0')).toBe('Root=1-6ab4ae18-fab1c0fbd255432baee317a0;Parent=0123456789abcdef;Sampled=0');
    expect(await describedHeader(arn, 'enabled-one', 'Root=1-6ab4ae1a-76cd1e61fecf47d6a7af7587;Parent=0123456789abcdef;Sampled=1')).toBe('Root=1-6ab4ae1a-76cd1e61fecf47d6a7af7587;Parent=0123456789abcdef;Sampled=1');
    expect(await describedHeader(arn, 'disabled-absent')).toBeUndefined();
  });

  it('completes a header without a sampling decision, and starts a new trace for an empty or invalid one', async () => {
    const arn = await machine('TraceEdges', false);
    expect(await describedHeader(arn, 'root-no-decision', 'Root=1-6ab4a2f4-c293c2aff58345818a700d56')).toBe('Root=1-6ab4a2f4-c293c2aff58345818a700d56;Sampled=1');
    expect(await describedHeader(arn, 'empty', '')).toMatch(GENERATED('1'));
    expect(await describedHeader(arn, 'invalid-root-zero', 'Root=not-enabled;Sampled=0')).toMatch(GENERATED('0'));
    expect(await describedHeader(arn, 'invalid-root-one', 'Root=not-enabled;Sampled=1')).toMatch(GENERATED('1'));
    expect(await describedHeader(arn, 'malformed', 'not-a-trace-header')).toMatch(GENERATED('1'));
  });

  it('starts a trace for an execution of a machine that traces, and StartSyncExecution answers with it', async () => {
    expect(await describedHeader(await machine('TraceOn', true), 'absent')).toMatch(GENERATED('1'));
    const express = await machine('TraceOnExpress', true, 'EXPRESS');
    expect((await t.client.send(new StartSyncExecutionCommand({ stateMachineArn: express }))).traceHeader).toMatch(GENERATED('1'));
    const expressOff = await machine('TraceOffExpress', false, 'EXPRESS');
    expect((await t.client.send(new StartSyncExecutionCommand({ stateMachineArn: expressOff }))).traceHeader).toBeUndefined();
    expect((await t.client.send(new StartSyncExecutionCommand({ stateMachineArn: expressOff, traceHeader: 'Root=not-enabled;Sampled=0' }))).traceHeader).toMatch(GENERATED('0'));
  });

  it('takes the X-Amzn-Trace-Id HTTP header over the body traceHeader', async () => {
    const stateMachineArn = await machine('TraceHttp', true);
    const http = 'Root=1-6ab4a2f4-c293c2aff58345818a700d57;Parent=0123456789abcdef;Sampled=1';
    const res = await fetch(t.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'AWSStepFunctions.StartExecution', 'X-Amzn-Trace-Id': http },
      body: JSON.stringify({ stateMachineArn, name: 'http-precedence', traceHeader: 'Root=1-6ab4a2f4-c293c2aff58345818a700d58;Parent=0123456789abcdef;Sampled=0' }),
    });
    const { executionArn } = (await res.json()) as { executionArn: string };
    expect((await t.client.send(new DescribeExecutionCommand({ executionArn }))).traceHeader).toBe(http);
  });

  it('keeps the tracing of the revision an execution started with after the state machine is updated', async () => {
    const stateMachineArn = await machine('TracePinned', true, 'STANDARD', WAIT_MACHINE);
    const { executionArn } = await t.client.send(new StartExecutionCommand({ stateMachineArn, name: 'pinned-open' }));
    await expect.poll(() => tokens.length).toBe(1);
    await t.client.send(new UpdateStateMachineCommand({ stateMachineArn, tracingConfiguration: { enabled: false }, definition: PASS_MACHINE }));
    expect(await t.client.send(new DescribeStateMachineForExecutionCommand({ executionArn }))).toMatchObject({ definition: WAIT_MACHINE, tracingConfiguration: { enabled: true } });
    await t.client.send(new SendTaskSuccessCommand({ taskToken: tokens[0], output: '{}' }));
    const { executionArn: after } = await t.client.send(new StartExecutionCommand({ stateMachineArn, name: 'after-update' }));
    expect((await t.client.send(new DescribeStateMachineForExecutionCommand({ executionArn: after }))).tracingConfiguration).toEqual({ enabled: false });
    expect((await t.client.send(new DescribeExecutionCommand({ executionArn: after }))).traceHeader).toBeUndefined();
  });
});
