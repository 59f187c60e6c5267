import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Observable } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUiHandler } from '../../adapters/ui/ui-handler.js';
import { startUiServer } from '../../adapters/ui/ui-server.js';
import { createRuntime, type Runtime } from '../../src/index.js';

const definition = { StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } };

describe('the UI server, given requests it must refuse or cut short', () => {
  let runtime: Runtime;
  let server: http.Server;
  let port: number;
  let arn: string;
  let open = 0;

  beforeAll(async () => {
    runtime = createRuntime({ clock: 'virtual' });
    arn = (await runtime.run({ definition, input: {}, stateMachineName: 'Robust', name: 'one' })).executionArn;
    // Counts the store subscriptions the event streams hold open.
    const subscribe = runtime.store.subscribe.bind(runtime.store);
    runtime.store.subscribe = (...args) => new Observable((subscriber) => {
      open += 1;
      const inner = subscribe(...args).subscribe(subscriber);
      return () => {
        open -= 1;
        inner.unsubscribe();
      };
    });
    const ui = createUiHandler({ runtime });
    server = http.createServer((req, res) => void ui(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await runtime.close();
  });

  const exec = (path = '') => `/api/executions/${encodeURIComponent(arn)}${path}`;
  const get = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`);
    return { status: res.status, body: await res.json() as Record<string, unknown> };
  };

  it('reads ?at=, ?from= and ?maxResults= as decimal digits only, naming the parameter otherwise', async () => {
    for (const at of ['', '%20', '0x2', '1e0', '+1', '99999999999999999999']) {
      expect(await get(exec(`/state?at=${at}`))).toEqual({ status: 400, body: { error: 'InvalidArgument', message: expect.stringContaining('?at= must be an event id') } });
    }
    expect(await get(exec('/state?at=2'))).toMatchObject({ status: 200, body: { lastEventId: 2 } });
    for (const from of ['', '0x1', '1e1']) {
      expect(await get(exec(`/stream?from=${from}`))).toEqual({ status: 400, body: { error: 'InvalidArgument', message: expect.stringContaining('?from= must be a revision') } });
    }
    for (const maxResults of ['0x10', '1e2', ' 5']) {
      expect(await get(`/api/executions?maxResults=${encodeURIComponent(maxResults)}`)).toEqual({ status: 400, body: { error: 'InvalidArgument', message: expect.stringContaining('?maxResults= must be') } });
    }
    expect(await get('/api/executions?maxResults=1')).toMatchObject({ status: 200, body: { items: [{ executionArn: arn }] } });
  });

  it('holds no subscription for a stream whose client left before it was set up', async () => {
    // The execution is looked up before its stream opens: the client hangs up meanwhile.
    const lookup = runtime.executionMetadata.bind(runtime);
    let hungUp!: () => void;
    const gone = new Promise<void>((resolve) => (hungUp = resolve));
    runtime.executionMetadata = async (a) => {
      await gone;
      return lookup(a);
    };
    try {
      const socket = net.connect(port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(`GET ${exec('/stream')} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, 50));
      hungUp();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(open).toBe(0);
    } finally {
      runtime.executionMetadata = lookup;
    }
  });

  it('refuses a body too large to read mid-way and closes that connection, so the next request does not land on it', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const refused = await new Promise<{ status?: number; connection?: string; body: string }>((resolve, reject) => {
        // Chunked: no Content-Length to refuse it by, so the server stops reading part way.
        const req = http.request({ host: '127.0.0.1', port, path: exec('/fork'), method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode, connection: res.headers.connection, body }));
        });
        req.on('error', reject);
        let sent = 0;
        const pump = () => {
          while (sent < 12) {
            sent += 1;
            if (!req.write('x'.repeat(1024 * 1024))) return void req.once('drain', pump);
          }
          req.end();
        };
        pump();
      });
      expect(refused.status).toBe(413);
      expect(JSON.parse(refused.body)).toEqual({ error: 'PayloadTooLarge', message: expect.stringContaining('larger than 10485760 bytes') });
      expect(refused.connection).toBe('close');
      const next = await new Promise<number | undefined>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port, path: '/api/executions', agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode));
        }).on('error', reject);
      });
      expect(next).toBe(200);
    } finally {
      agent.destroy();
    }
  });

  it('refuses another method on the list and the list\'s stream as 405, naming the method', async () => {
    for (const [method, path] of [['POST', '/api/executions'], ['DELETE', '/api/executions'], ['PUT', '/api/stream'], ['PATCH', '/api/stream']]) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers: { 'content-type': 'application/json' }, body: '{}' });
      expect({ status: res.status, body: await res.json() }).toEqual({ status: 405, body: { error: 'MethodNotAllowed', message: `${method} is not allowed on ${path}.` } });
    }
  });

  it('reads a path starting with // as a path, not as a host name followed by one', async () => {
    expect(await get('//app.js/api/executions')).toEqual({ status: 404, body: { error: 'NotFound', message: 'No such file: //app.js/api/executions' } });
    expect(await get('//api/executions')).toEqual({ status: 404, body: { error: 'NotFound', message: 'No such file: //api/executions' } });
  });
});

describe('stepwise ui\'s server, given requests Node\'s HTTP parser refuses', () => {
  /** Sends raw bytes and returns the status line and the body of the answer. */
  const exchange = (port: number, request: string) => new Promise<{ statusLine: string; body: string }>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve({ statusLine: received.split('\r\n')[0]!, body: received.slice(received.indexOf('\r\n\r\n') + 4) }));
  });

  it('answers a URL over 16 KB and malformed HTTP with a JSON error, and keeps serving', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    const server = await startUiServer({ runtime, port: 0 });
    try {
      const port = Number(new URL(server.url).port);
      const long = await exchange(port, `GET /api/executions/${'a'.repeat(20_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      expect(long.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
      expect(JSON.parse(long.body)).toEqual({ error: 'RequestHeaderFieldsTooLarge', message: expect.stringContaining('larger than this server reads') });
      const garbage = await exchange(port, 'NOT HTTP AT ALL\r\n\r\n');
      expect(garbage.statusLine).toBe('HTTP/1.1 400 Bad Request');
      expect(JSON.parse(garbage.body)).toEqual({ error: 'BadRequest', message: expect.stringContaining('not valid HTTP') });
      expect((await fetch(`${server.url}api/executions`)).status).toBe(200);
    } finally {
      await server.close();
      await runtime.close();
    }
  });
});
