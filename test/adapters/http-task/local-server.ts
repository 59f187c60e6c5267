import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the local server saw it. */
export interface SeenRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  /** [name, value] per header line, names as the client wrote them. */
  headers: [string, string][];
  body: string;
}

export type Route = (req: SeenRequest, res: ServerResponse) => void;

/**
 * A `node:http` server on 127.0.0.1 that records every request and answers with the route
 * registered for its path (without the query), else 404. No test reaches beyond this machine.
 */
export class LocalServer {
  readonly seen: SeenRequest[] = [];
  private readonly routes = new Map<string, Route>();
  private server: Server | undefined;
  url = '';

  route(path: string, route: Route): this {
    this.routes.set(path, route);
    return this;
  }

  async start(): Promise<this> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = req.rawHeaders;
        const headers: [string, string][] = [];
        for (let i = 0; i < raw.length; i += 2) headers.push([raw[i]!, raw[i + 1]!]);
        const seen: SeenRequest = { method: req.method ?? '', url: req.url ?? '', headers, body: Buffer.concat(chunks).toString('utf8') };
        this.seen.push(seen);
        const route = this.routes.get((req.url ?? '').split('?')[0]!);
        if (route) route(seen, res);
        else res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no such route');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** The requests whose path (without the query) is `path`. */
  requestsTo(path: string): SeenRequest[] {
    return this.seen.filter((r) => r.url.split('?')[0] === path);
  }
}

/** A header's value as seen (case-insensitive name), or undefined. */
export function header(req: SeenRequest, name: string): string | undefined {
  return req.headers.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
}

export function json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(value));
}
