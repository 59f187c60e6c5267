import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { StepwiseError } from '../../src/errors/stepwise-error.js';
import type { Runtime } from '../../src/runtime/create-runtime.js';
import { createUiHandler } from './ui-handler.js';

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

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

function hostnameOf(hostHeader: string | undefined): string {
  if (!hostHeader) return '';
  return hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : hostHeader.replace(/:\d+$/, '');
}

/** `stepwise ui`: the UI handler on its own HTTP server. */
export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const handler = createUiHandler({ runtime: options.runtime, assetsDir: options.assetsDir });
  const host = options.host ?? '127.0.0.1';
  const loopbackOnly = LOOPBACK.has(host);
  const server = http.createServer((req, res) => {
    // Bound to loopback, the UI also refuses other Host names: a web page cannot reach it by
    // pointing a DNS name of its own at 127.0.0.1 (DNS rebinding).
    if (loopbackOnly && !LOOPBACK.has(hostnameOf(req.headers.host))) {
      res.writeHead(403, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ error: 'Forbidden', message: `Host '${req.headers.host}' is not this machine's loopback address.` }));
      return;
    }
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
