import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { StepwiseError } from '../../src/errors/stepwise-error.js';
import type { Runtime } from '../../src/runtime/create-runtime.js';
import { createUiHandler, isLoopbackHost } from './ui-handler.js';

export interface UiServerOptions {
  runtime: Runtime;
  /** Default 8084; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1: the UI can fork and redrive executions, so it is not offered to the network unless asked. */
  host?: string;
  assetsDir?: string;
}

export interface UiServer {
  url: string;
  close(): Promise<void>;
}

/** `stepwise ui`: the UI handler on its own HTTP server. */
export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const host = options.host ?? '127.0.0.1';
  const handler = createUiHandler({ runtime: options.runtime, assetsDir: options.assetsDir, loopbackOnly: isLoopbackHost(host) });
  const server = http.createServer((req, res) => {
    handler(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    }, () => res.writeHead(500).end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      reject(e.code === 'EADDRINUSE'
        ? new StepwiseError('InvalidArgument', `Port ${options.port ?? 8084} on ${host} is already in use; pick another with --port.`)
        : new StepwiseError('InvalidArgument', `Cannot listen on ${host}:${options.port ?? 8084}: ${e.message}`));
    });
    server.listen(options.port ?? 8084, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}/`,
    close: () => new Promise<void>((resolve) => {
      // Open event streams would keep close() waiting forever.
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
