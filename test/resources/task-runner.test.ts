import { describe, expect, it } from 'vitest';
import { runTask } from '../../src/resources/task-runner.js';
import { TaskHandlerRegistry, type TaskRequest } from '../../src/resources/task-handlers.js';

const request = (resource: string, input: unknown = { a: 1 }): TaskRequest => ({
  resource, stateName: 'Call', input: input as never, taskToken: 't', idempotencyKey: 'k', executionArn: 'arn', attempt: 0,
  signal: new AbortController().signal, heartbeat: () => {},
});

const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:f';
const INVOKE = 'arn:aws:states:::lambda:invoke';

describe('runTask with a handler', () => {
  it('takes a plain value or a promise as the result', async () => {
    const plain = new TaskHandlerRegistry().register(LAMBDA, () => ({ v: 1 }));
    const later = new TaskHandlerRegistry().register(LAMBDA, async () => ({ v: 2 }));
    expect(await runTask(request(LAMBDA), plain, undefined)).toEqual({ kind: 'succeeded', output: { v: 1 } });
    expect(await runTask(request(LAMBDA), later, undefined)).toEqual({ kind: 'succeeded', output: { v: 2 } });
  });

  it('turns a throw, synchronous or not, into a failure named after the error', async () => {
    class Boom extends Error {
      override name = 'Boom';
    }
    const sync = new TaskHandlerRegistry().register(LAMBDA, () => {
      throw new Boom('now');
    });
    const async_ = new TaskHandlerRegistry().register(LAMBDA, async () => {
      throw new Boom('later');
    });
    expect(await runTask(request(LAMBDA), sync, undefined)).toEqual({ kind: 'failed', error: 'Boom', cause: JSON.stringify({ errorMessage: 'now', errorType: 'Boom' }) });
    expect(await runTask(request(LAMBDA), async_, undefined)).toEqual({ kind: 'failed', error: 'Boom', cause: JSON.stringify({ errorMessage: 'later', errorType: 'Boom' }) });
  });

  it('gives lambda:invoke handlers the Payload and wraps their result in the invoke response', async () => {
    let seen: unknown;
    const handlers = new TaskHandlerRegistry().register(INVOKE, ({ input }) => {
      seen = input;
      return { ok: true };
    });
    const outcome = await runTask(request(INVOKE, { FunctionName: 'f', Payload: { x: 1 } }), handlers, undefined);
    expect(seen).toEqual({ x: 1 });
    expect(outcome).toMatchObject({ kind: 'succeeded', output: { Payload: { ok: true }, StatusCode: 200 } });
  });

  it('gives a failure of a task that is not a Lambda function its message as the cause', async () => {
    const SQS = 'arn:aws:states:::sqs:sendMessage';
    const handlers = new TaskHandlerRegistry().register(SQS, async () => {
      throw new RangeError('queue full');
    });
    expect(await runTask(request(SQS), handlers, undefined)).toEqual({ kind: 'failed', error: 'RangeError', cause: 'queue full' });
  });

  it("records the answer of a .waitForTaskToken task's send as submitted, wrapped in the invoke response for lambda:invoke", async () => {
    const SQS = 'arn:aws:states:::sqs:sendMessage.waitForTaskToken';
    const sent = new TaskHandlerRegistry().register(SQS, async () => ({ MessageId: 'm-1' }));
    expect(await runTask(request(SQS), sent, undefined)).toEqual({ kind: 'callback', submitted: { MessageId: 'm-1' } });
    const invoked = new TaskHandlerRegistry().register(`${INVOKE}.waitForTaskToken`, async () => ({ queued: true }));
    const outcome = await runTask(request(`${INVOKE}.waitForTaskToken`, { Payload: {} }), invoked, undefined);
    expect(outcome).toMatchObject({ kind: 'callback', submitted: { Payload: { queued: true }, StatusCode: 200 } });
  });

  it('answers a .waitForTaskToken task later: the handler only hands the token over', async () => {
    const handlers = new TaskHandlerRegistry().register(`${INVOKE}.waitForTaskToken`, () => null);
    expect(await runTask(request(`${INVOKE}.waitForTaskToken`, { Payload: {} }), handlers, undefined)).toEqual({ kind: 'callback' });
  });
});
