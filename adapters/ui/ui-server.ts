import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
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
  server.on('clientError', answerClientError);
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

/** The parser errors Node answers with a status of their own (the others get 400), with what they mean. */
const CLIENT_ERRORS: Record<string, [status: number, error: string, message: string]> = {
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'PayloadTooLarge', 'The chunk extensions of the body are larger than this server reads.'],
  HPE_HEADER_OVERFLOW: [431, 'RequestHeaderFieldsTooLarge', 'The URL and headers are larger than this server reads (16 KB unless --max-http-header-size says otherwise).'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'RequestTimeout', 'The request did not arrive in time.'],
};

/**
 * Requests that never reach the handler (a URL over 16 KB, malformed HTTP) are answered with the
 * same JSON errors as the rest, where Node sent a bare status line.
 */
function answerClientError(e: NodeJS.ErrnoException, socket: Socket): void {
  // A client that hung up, or a response already under way, leaves nothing to answer.
  if (e.code === 'ECONNRESET' || !socket.writable || socket.bytesWritten > 0) {
    socket.destroy();
    return;
  }
  const [status, error, message] = CLIENT_ERRORS[e.code ?? ''] ?? [400, 'BadRequest', `The request is not valid HTTP (${e.message}).`];
  const body = JSON.stringify({ error, message });
  socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}
