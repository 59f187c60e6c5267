import http from 'node:http';
import https from 'node:https';

/** What came back: the status line, every header as sent (in order), and the body's bytes. */
export interface HttpResponse {
  status: number;
  statusText: string;
  /** [name, value] for each header line, names as the server wrote them. */
  headers: [string, string][];
  body: Buffer;
}

/** No answer: the connection failed, or the exchange took longer than allowed. */
export class HttpExchangeError extends Error {
  constructor(
    message: string,
    readonly timedOut: boolean,
  ) {
    super(message);
    this.name = 'HttpExchangeError';
  }
}

/** Beyond this a response is not read on (a result this large could never be a task result). */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/**
 * Sends one request with `node:http`/`node:https` and reads the whole response within
 * `timeoutMs` (sending the request and receiving the response, as AWS's HTTP Task duration
 * quota counts it). Built on the `node:` modules rather than `fetch`: AWS sends a GET or HEAD
 * with its request body (its TestState example does), which `fetch` refuses, and `fetch`
 * adds headers of its own (`accept`, `accept-language`, `sec-fetch-mode`, `accept-encoding`)
 * that Step Functions does not send. Redirects are not followed.
 */
export function sendRequest(
  request: { url: URL; method: string; headers: [string, string][]; body: Buffer | undefined },
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | string[]> = {};
    const names = new Map<string, string>();
    // Content-Length is the body's own: one given by the task or connection is not sent (a GET
    // without a body announcing 5 bytes would leave the server waiting for them). Names that
    // differ only in case go out as one header with each value on its own line.
    for (const [k, v] of request.headers) {
      const lower = k.toLowerCase();
      if (lower === 'content-length') continue;
      const name = names.get(lower);
      if (name === undefined) {
        names.set(lower, k);
        headers[k] = v;
      } else headers[name] = [...[headers[name]!].flat(), v];
    }
    if (request.body !== undefined) headers['Content-Length'] = String(request.body.length);
    const send = request.url.protocol === 'https:' ? https.request : http.request;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    let req: http.ClientRequest | undefined;
    const finish = (error: Error | undefined, response?: HttpResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (error) {
        req?.destroy();
        reject(error);
      } else resolve(response!);
    };
    const onAbort = () => finish(new HttpExchangeError('The request was cancelled (the execution stopped or the task timed out).', false));
    const onResponse = (res: http.IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) finish(new HttpExchangeError(`The response of ${request.method} ${request.url.href} is larger than ${MAX_RESPONSE_BYTES} bytes.`, false));
        else chunks.push(chunk);
      });
      res.on('error', (e) => finish(new HttpExchangeError(`The response of ${request.method} ${request.url.href} broke off: ${e.message}.`, false)));
      res.on('end', () => {
        const raw = res.rawHeaders;
        const pairs: [string, string][] = [];
        for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
        const status = res.statusCode ?? 0;
        finish(undefined, { status, statusText: res.statusMessage || http.STATUS_CODES[status] || '', headers: pairs, body: Buffer.concat(chunks) });
      });
    };
    try {
      // agent: false: one connection per call, closed afterwards, so nothing is left open between tasks.
      req = send(request.url, { method: request.method, headers, agent: false }, onResponse);
    } catch (e) {
      finish(new HttpExchangeError(`${request.method} ${request.url.href} could not be sent: ${(e as Error).message}.`, false));
      return;
    }
    req.on('error', (e: NodeJS.ErrnoException) => finish(new HttpExchangeError(`${request.method} ${request.url.href} failed: ${e.message}${e.code && !e.message.includes(e.code) ? ` (${e.code})` : ''}.`, false)));
    timer = setTimeout(() => {
      finish(new HttpExchangeError(`${request.method} ${request.url.href} did not complete within ${formatSeconds(options.timeoutMs)} (the HTTP Task duration quota).`, true));
    }, options.timeoutMs);
    if (options.signal?.aborted) {
      onAbort();
      return;
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });
    req.end(request.body);
  });
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} seconds` : `${ms} ms`;
}
