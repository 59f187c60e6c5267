import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Observable } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUiHandler } from '../../adapters/ui/ui-handler.js';
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
});
