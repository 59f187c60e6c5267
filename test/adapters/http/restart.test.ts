import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateStateMachineAliasCommand, CreateStateMachineCommand, DescribeExecutionCommand, DescribeStateMachineAliasCommand,
  DescribeStateMachineCommand, ListExecutionsCommand, ListTagsForResourceCommand, StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import { openFileEventStore } from '../../../src/store/file-store.js';
import { PASS_MACHINE, ROLE, startTestServer } from './sfn-test-server.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('stepwise serve on the durable store', () => {
  it('keeps state machines, versions, aliases, tags and executions across a restart', async () => {
    dir = await mkdtemp(join(tmpdir(), 'stepwise-serve-'));
    const first = await startTestServer({ store: await openFileEventStore(dir) });
    const { stateMachineArn } = await first.client.send(new CreateStateMachineCommand({ name: 'Durable', definition: PASS_MACHINE, roleArn: ROLE, publish: true, tags: [{ key: 'k', value: 'v' }] }));
    await first.client.send(new CreateStateMachineAliasCommand({ name: 'prod', routingConfiguration: [{ stateMachineVersionArn: `${stateMachineArn}:1`, weight: 100 }] }));
    const { executionArn } = await first.client.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}:prod`, name: 'kept', input: '{"n":1}' }));
    await first.runtime.liveExecution(executionArn!)?.done;
    await first.close();

    const second = await startTestServer({ store: await openFileEventStore(dir) });
    try {
      expect(await second.client.send(new DescribeStateMachineCommand({ stateMachineArn }))).toMatchObject({ name: 'Durable', definition: PASS_MACHINE });
      expect((await second.client.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: `${stateMachineArn}:prod` }))).routingConfiguration).toEqual([{ stateMachineVersionArn: `${stateMachineArn}:1`, weight: 100 }]);
      expect((await second.client.send(new ListTagsForResourceCommand({ resourceArn: stateMachineArn }))).tags).toEqual([{ key: 'k', value: 'v' }]);
      const d = await second.client.send(new DescribeExecutionCommand({ executionArn }));
      expect(d).toMatchObject({ status: 'SUCCEEDED', stateMachineArn, stateMachineVersionArn: `${stateMachineArn}:1`, stateMachineAliasArn: `${stateMachineArn}:prod` });
      expect((await second.client.send(new ListExecutionsCommand({ stateMachineArn: `${stateMachineArn}:prod` }))).executions!.map((e) => e.executionArn)).toEqual([executionArn]);
    } finally {
      await second.close();
    }
  });
});
