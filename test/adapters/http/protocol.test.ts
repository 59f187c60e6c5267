import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './sfn-test-server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
  t.server.mount('/ui', (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('ui here');
  });
});
afterAll(() => t.close());

function call(target: string | undefined, body: string, headers: Record<string, string> = {}) {
  return fetch(t.url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.0', ...(target ? { 'X-Amz-Target': target } : {}), ...headers },
    body,
  });
}

describe('the AWS JSON 1.0 protocol layer', () => {
  it('answers with application/x-amz-json-1.0 and epoch-second dates', async () => {
    const res = await call('AWSStepFunctions.CreateActivity', JSON.stringify({ name: 'proto' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    const body = (await res.json()) as { creationDate: unknown };
    expect(typeof body.creationDate).toBe('number');
    expect(body.creationDate as number).toBeLessThan(1e11);
  });

  it('returns AWS error shapes for malformed requests, never a crash', async () => {
    const cases: [string | undefined, string, string][] = [
      ['AWSStepFunctions.DescribeExecution', '{not json', 'SerializationException'],
      ['AWSStepFunctions.DescribeExecution', '[1,2]', 'SerializationException'],
      ['AWSStepFunctions.NoSuchAction', '{}', 'UnknownOperationException'],
      ['AWSStepFunctions.toString', '{}', 'UnknownOperationException'],
      [undefined, '{}', 'UnknownOperationException'],
      ['AWSStepFunctions.DescribeExecution', '{}', 'ValidationException'],
      ['AWSStepFunctions.DescribeExecution', '{"executionArn":42}', 'ValidationException'],
      ['AWSStepFunctions.ListStateMachines', '{"maxResults":5000}', 'ValidationException'],
    ];
    for (const [target, body, name] of cases) {
      const res = await call(target, body);
      expect(res.status, `${target} ${body}`).toBe(400);
      const json = (await res.json()) as { __type: string; message: string };
      expect(json.__type.split('#')[1], `${target} ${body}`).toBe(name);
      expect(json.message).toEqual(expect.any(String));
    }
  });

  it('refuses requests over 1 MiB', async () => {
    const res = await call('AWSStepFunctions.ValidateStateMachineDefinition', JSON.stringify({ definition: 'x'.repeat(1024 * 1024 + 10) }));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { __type: string }).__type).toMatch(/#RequestEntityTooLargeException$/);
  });

  it('routes mounted prefixes and rejects other paths', async () => {
    const ui = await fetch(`${t.url}/ui/index.html`);
    expect(await ui.text()).toBe('ui here');
    const other = await fetch(`${t.url}/elsewhere`);
    expect(other.status).toBe(404);
    expect(((await other.json()) as { __type: string }).__type).toMatch(/UnknownOperationException$/);
  });

  it('binds 127.0.0.1 by default', () => {
    const address = t.server.server.address();
    expect(typeof address === 'object' && address?.address).toBe('127.0.0.1');
  });
});
