import {
  CreateStateMachineCommand, DescribeExecutionCommand, DescribeMapRunCommand, ListExecutionsCommand, ListMapRunsCommand, RedriveExecutionCommand,
  StartExecutionCommand, StartSyncExecutionCommand, StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE, startTestServer, type TestServer } from './sfn-test-server.js';

const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:charge';
const GET = 'arn:aws:states:::s3:getObject';
const processor = {
  ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
  StartAt: 'Charge',
  States: { Charge: { Type: 'Task', Resource: LAMBDA, End: true } },
};

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
  // Never answers 'hold'; charges anything else.
  t.runtime.handle(LAMBDA, ({ input }) => (input === 'hold' ? new Promise(() => {}) : { charged: input }));
  t.runtime.handle(GET, () => ({ Body: '["a","b","c","d","e"]' }));
});
afterAll(() => t.close());

const settle = () => new Promise((r) => setTimeout(r, 20));

async function start(name: string, definition: unknown, input: unknown): Promise<string> {
  const sm = (await t.client.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: ROLE }))).stateMachineArn!;
  return (await t.client.send(new StartExecutionCommand({ stateMachineArn: sm, input: JSON.stringify(input) }))).executionArn!;
}

describe('Map Runs over the API, probed', () => {
  it('a stopped parent\'s Map Run is ABORTED, with a stop date, in ListMapRuns and DescribeMapRun', async () => {
    const executionArn = await start('Stopped', { StartAt: 'Fan', States: { Fan: { Type: 'Map', ItemProcessor: processor, End: true } } }, ['hold', 'x']);
    await settle();
    await t.client.send(new StopExecutionCommand({ executionArn }));
    await t.runtime.liveExecution(executionArn)?.done.catch(() => undefined);
    const [run] = (await t.client.send(new ListMapRunsCommand({ executionArn }))).mapRuns!;
    expect(run!.stopDate).toBeInstanceOf(Date);
    expect(await t.client.send(new DescribeMapRunCommand({ mapRunArn: run!.mapRunArn }))).toMatchObject({ status: 'ABORTED', stopDate: run!.stopDate });
  });

  it('a Map Run whose items an ItemReader read counts them in itemCounts, batched or not', async () => {
    const reading = (batch: boolean) => ({
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Map', End: true, ItemProcessor: processor,
          ItemReader: { Resource: GET, Parameters: { Bucket: 'b', Key: 'k' }, ReaderConfig: { InputType: 'JSON' } },
          ...(batch ? { ItemBatcher: { MaxItemsPerBatch: 2 } } : {}),
        },
      },
    });
    for (const batch of [false, true]) {
      const executionArn = await start(`Reading${batch ? 'Batches' : 'Items'}`, reading(batch), {});
      await t.runtime.liveExecution(executionArn)?.done;
      const [run] = (await t.client.send(new ListMapRunsCommand({ executionArn }))).mapRuns!;
      const d = await t.client.send(new DescribeMapRunCommand({ mapRunArn: run!.mapRunArn }));
      expect(d.status).toBe('SUCCEEDED');
      expect(d.itemCounts).toMatchObject({ total: 5, succeeded: 5, pending: 0 });
      expect(d.executionCounts).toMatchObject({ total: batch ? 3 : 5, succeeded: batch ? 3 : 5 });
    }
  });
});

describe('ListExecutions of a Map Run by redriveFilter', () => {
  it('lists the children a redrive of the parent redrove, and the others', async () => {
    const FLAKY = 'arn:aws:lambda:us-east-1:123456789012:function:flaky';
    let declining = true;
    t.runtime.handle(FLAKY, ({ input }) => {
      if (declining && input === 'b') throw Object.assign(new Error('declined'), { name: 'Card.Declined' });
      return { charged: input };
    });
    const definition = { StartAt: 'Fan', States: { Fan: { Type: 'Map', End: true, ItemProcessor: { ...processor, States: { Charge: { Type: 'Task', Resource: FLAKY, End: true } } } } } };
    const executionArn = await start('RedriveFiltered', definition, ['a', 'b']);
    await t.runtime.liveExecution(executionArn)?.done;
    declining = false;
    await t.client.send(new RedriveExecutionCommand({ executionArn }));
    await t.runtime.liveExecution(executionArn)?.done;
    await settle();
    const [run] = (await t.client.send(new ListMapRunsCommand({ executionArn }))).mapRuns!;
    const names = async (redriveFilter: 'REDRIVEN' | 'NOT_REDRIVEN') =>
      (await t.client.send(new ListExecutionsCommand({ mapRunArn: run!.mapRunArn, redriveFilter }))).executions!.map((e) => e.executionArn);
    const children = (await t.client.send(new ListExecutionsCommand({ mapRunArn: run!.mapRunArn }))).executions!;
    expect(children).toHaveLength(2);
    const redriven = await names('REDRIVEN');
    expect(redriven).toHaveLength(1);
    expect((await t.client.send(new DescribeExecutionCommand({ executionArn: redriven[0] }))).redriveCount).toBe(1);
    expect(await names('NOT_REDRIVEN')).toEqual(children.map((c) => c.executionArn).filter((arn) => arn !== redriven[0]));
  });
});

describe('Express children and Express executions over the API', () => {
  it('DescribeExecution answers for an Express child, as AWS does for executions a Map Run dispatched: redrivable by its Map Run', async () => {
    const definition = {
      StartAt: 'Fan',
      States: { Fan: { Type: 'Map', End: true, ItemProcessor: { ...processor, ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' }, States: { Charge: { Type: 'Fail', Error: 'Card.Declined' } } } } },
    };
    const executionArn = await start('ExpressChildren', definition, ['a']);
    await t.runtime.liveExecution(executionArn)?.done;
    const [run] = (await t.client.send(new ListMapRunsCommand({ executionArn }))).mapRuns!;
    const [child] = (await t.client.send(new ListExecutionsCommand({ mapRunArn: run!.mapRunArn }))).executions!;
    expect(await t.client.send(new DescribeExecutionCommand({ executionArn: child!.executionArn }))).toMatchObject({
      status: 'FAILED', error: 'Card.Declined', mapRunArn: run!.mapRunArn, redriveStatus: 'REDRIVABLE_BY_MAP_RUN',
    });
  });

  it('an Express execution of its own is NOT_REDRIVABLE, and RedriveExecution refuses it', async () => {
    const definition = JSON.stringify({ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'E' } } });
    const { stateMachineArn } = await t.client.send(new CreateStateMachineCommand({ name: 'QuickFail', definition, roleArn: ROLE, type: 'EXPRESS' }));
    const { executionArn } = await t.client.send(new StartSyncExecutionCommand({ stateMachineArn }));
    expect(await t.client.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({ status: 'FAILED', redriveStatus: 'NOT_REDRIVABLE' });
    await expect(t.client.send(new RedriveExecutionCommand({ executionArn }))).rejects.toMatchObject({ name: 'ExecutionNotRedrivable' });
  });
});
