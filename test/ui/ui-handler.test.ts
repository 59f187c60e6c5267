import http from 'node:http';
import { filter, firstValueFrom } from 'rxjs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUiHandler } from '../../adapters/ui/ui-handler.js';
import { createRuntime, type Runtime } from '../../src/index.js';
import type { HistoryEvent } from '../../src/execution/history-event.js';

const definition = {
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Pass', Next: 'Check' },
    Check: { Type: 'Choice', Choices: [{ Variable: '$.amount', NumericLessThanEquals: 100, Next: 'Approve' }], Default: 'Reject' },
    Approve: { Type: 'Succeed' },
    Reject: { Type: 'Fail', Error: 'Order.TooLarge' },
  },
};

describe('the UI server (mounted under /ui)', () => {
  let runtime: Runtime;
  let server: http.Server;
  let base: string;
  let failedArn: string;
  let succeededArn: string;

  beforeAll(async () => {
    runtime = createRuntime({ clock: 'virtual' });
    failedArn = (await runtime.run({ definition, input: { amount: 500 }, stateMachineName: 'Orders', name: 'big' })).executionArn;
    succeededArn = (await runtime.run({ definition, input: { amount: 5 }, stateMachineName: 'Orders', name: 'small' })).executionArn;
    const ui = createUiHandler({ runtime, basePath: '/ui' });
    server = http.createServer(async (req, res) => {
      if (!(await ui(req, res))) res.writeHead(418).end('not the UI');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ui`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await runtime.close();
  });

  const get = async (path: string) => {
    const res = await fetch(`${base}${path}`);
    return { status: res.status, body: await res.json() as Record<string, unknown> };
  };
  const post = async (path: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) => {
    const res = await fetch(`${base}${path}`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
    return { status: res.status, body: await res.json() as Record<string, unknown> };
  };
  const exec = (arn: string) => `/api/executions/${encodeURIComponent(arn)}`;

  it('leaves requests outside its prefix to the host server', async () => {
    const res = await fetch(base.replace('/ui', '/other'));
    expect(res.status).toBe(418);
  });

  it('serves the bundled page and script from the prefix', async () => {
    const redirect = await fetch(base, { redirect: 'manual' });
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get('location')).toBe('/ui/');
    const page = await fetch(`${base}/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<script src="app.js">');
    const script = await fetch(`${base}/app.js`);
    expect(script.status).toBe(200);
    expect((await fetch(`${base}/..%2Fpackage.json`)).status).toBe(404);
  });

  it('lists executions, filtered by status and state machine', async () => {
    const all = await get('/api/executions');
    expect((all.body.items as { name: string }[]).map((i) => i.name).sort()).toEqual(['big', 'small']);
    const failed = await get('/api/executions?status=FAILED');
    expect((failed.body.items as { executionArn: string }[]).map((i) => i.executionArn)).toEqual([failedArn]);
    const other = await get('/api/executions?stateMachineArn=arn:aws:states:us-east-1:123456789012:stateMachine:Nope');
    expect(other.body.items).toEqual([]);
    expect(await get('/api/executions?status=BROKEN')).toEqual({ status: 400, body: { error: 'InvalidArgument', message: expect.stringContaining("Unknown status 'BROKEN'") } });
  });

  it('describes an execution with its definition, its history and its state at an event', async () => {
    const meta = await get(exec(failedArn));
    expect(meta.body).toMatchObject({ status: 'FAILED', name: 'big', extra: { definition } });
    const history = await get(`${exec(failedArn)}/history`);
    const types = (history.body.events as HistoryEvent[]).map((e) => e.type);
    expect(types).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ChoiceStateEntered', 'ChoiceStateExited', 'FailStateEntered', 'ExecutionFailed']);
    const state = await get(`${exec(failedArn)}/state?at=4`);
    expect(state.body).toMatchObject({ status: 'RUNNING', active: [{ name: 'Check', input: { amount: 500 } }] });
    expect((await get(`${exec(failedArn)}/state?at=99`)).status).toBe(400);
    expect((await get(`${exec(failedArn)}/state?at=x`)).body.error).toBe('InvalidArgument');
  });

  it('answers a bad or unknown ARN with a typed error, not a stack trace', async () => {
    expect(await get('/api/executions/not-an-arn')).toEqual({ status: 400, body: { error: 'InvalidArn', message: expect.stringContaining("'not-an-arn' is not an execution ARN") } });
    expect(await get('/api/executions/%E0%A4%A')).toMatchObject({ status: 400, body: { error: 'InvalidArn' } });
    const missing = await get(exec('arn:aws:states:us-east-1:123456789012:execution:Orders:nobody'));
    expect(missing).toEqual({ status: 404, body: { error: 'ExecutionDoesNotExist', message: expect.stringContaining('nobody') } });
    expect((await get('/api/nothing')).status).toBe(404);
  });

  it('forks from an event with an edited input, leaving the original as it was', async () => {
    const fork = await post(`${exec(failedArn)}/fork`, { fromEventId: 3, input: { amount: 50 } });
    expect(fork.status).toBe(201);
    const forkArn = fork.body.executionArn as string;
    const end = await firstValueFrom(runtime.execution(forkArn).events$.pipe(filter((e) => e.type !== 'ExecutionStarted' && e.type.startsWith('Execution'))));
    expect(end.type).toBe('ExecutionSucceeded');
    expect((await get(exec(failedArn))).body.status).toBe('FAILED');
    expect((await post(`${exec(failedArn)}/fork`, { fromEventId: 'three' })).body.error).toBe('InvalidArgument');
    expect((await post(`${exec(failedArn)}/fork`, { fromEventId: 99 })).status).toBe(400);
  });

  it('refuses actions that are not JSON from the same origin', async () => {
    expect(await post(`${exec(failedArn)}/fork`, '{"fromEventId": 3}', { 'content-type': 'text/plain' })).toMatchObject({ status: 415, body: { error: 'UnsupportedMediaType' } });
    expect(await post(`${exec(failedArn)}/fork`, { fromEventId: 3 }, { 'content-type': 'application/json', origin: 'http://evil.example' })).toMatchObject({ status: 403, body: { error: 'Forbidden' } });
    expect(await post(`${exec(failedArn)}/fork`, '{"fromEventId": 3', { 'content-type': 'application/json' })).toMatchObject({ status: 400, body: { error: 'InvalidJson' } });
    expect((await fetch(`${base}${exec(failedArn)}/history`, { method: 'DELETE' })).status).toBe(405);
  });

  it('redrives only unsuccessful executions', async () => {
    expect(await post(`${exec(succeededArn)}/redrive`, {})).toMatchObject({ status: 400, body: { error: 'ExecutionNotRedrivable', message: expect.stringContaining('cannot be redriven') } });
    const redriven = await post(`${exec(failedArn)}/redrive`, {});
    expect(redriven).toEqual({ status: 200, body: { executionArn: failedArn } });
    await runtime.liveExecution(failedArn)?.done;
    const types = ((await get(`${exec(failedArn)}/history`)).body.events as HistoryEvent[]).map((e) => e.type);
    expect(types).toContain('ExecutionRedriven');
  });

  it('replays against another definition and reports the first divergence', async () => {
    expect((await post(`${exec(succeededArn)}/replay`, { definition: JSON.stringify(definition) })).body).toMatchObject({ ok: true });
    const changed = { ...definition, States: { ...definition.States, Prepare: { Type: 'Wait', Seconds: 1, Next: 'Check' } } };
    const report = await post(`${exec(succeededArn)}/replay`, { definition: changed });
    expect(report.body).toMatchObject({ ok: false, divergence: { eventId: 2 } });
    expect(await post(`${exec(succeededArn)}/replay`, { definition: '{"StartAt": 1}' })).toMatchObject({ status: 400, body: { error: 'InvalidDefinition' } });
    expect((await post(`${exec(succeededArn)}/replay`, {})).body.error).toBe('InvalidArgument');
  });

  it('pushes executions starting and ending, and one execution\'s events, as Server-Sent Events', async () => {
    const controller = new AbortController();
    const all = await fetch(`${base}/api/stream`, { signal: controller.signal });
    expect(all.headers.get('content-type')).toContain('text/event-stream');
    const one = await fetch(`${base}${exec(succeededArn)}/stream?from=5`, { signal: controller.signal });
    const received = readMessages(all.body!);
    const own = await readMessages(one.body!).next(() => true);
    expect(own.map((e: { id: number }) => e.id)).toEqual([6, 7, 8]);
    const started = await runtime.run({ definition, input: { amount: 1 }, stateMachineName: 'Orders', name: 'live' });
    const seen: { executionArn: string; type: string }[] = [];
    await received.next((batch) => {
      seen.push(...batch);
      return seen.some((e) => e.type === 'ExecutionSucceeded');
    });
    expect(seen.filter((e) => e.executionArn === started.executionArn).map((e) => e.type)).toEqual(['ExecutionStarted', 'ExecutionSucceeded']);
    controller.abort();
    expect((await get(`${exec(succeededArn)}/stream?from=-1`)).body.error).toBe('InvalidArgument');
  });
});

/** Reads `data:` messages (JSON arrays) from an event stream until `done(batch)` says so; returns the last batch. */
function readMessages(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    async next(done: (batch: never[]) => boolean): Promise<never[]> {
      for (;;) {
        const at = buffer.indexOf('\n\n');
        if (at >= 0) {
          const message = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          const data = message.split('\n').find((l) => l.startsWith('data: '));
          if (!data) continue;
          const batch = JSON.parse(data.slice(6)) as never[];
          if (done(batch)) return batch;
          continue;
        }
        const { value, done: ended } = await reader.read();
        if (ended) throw new Error('the stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    },
  };
}
