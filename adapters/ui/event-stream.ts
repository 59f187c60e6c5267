import type { ServerResponse } from 'node:http';
import type { Observable, Subscription } from 'rxjs';

/** How long events are gathered before they go out as one message: a 10,000-item Map sends hundreds, not 40,000. */
const BATCH_MS = 40;

/**
 * Sends an observable's values as Server-Sent Events, gathered into arrays (one `data:` line
 * each). Nothing is sent while nothing happens: a batch is flushed a moment after its first
 * value. Unsubscribes when the client goes away.
 */
export function streamAsServerSentEvents<T>(res: ServerResponse, source: Observable<T>): void {
  // The client may have left while the route looked the execution up: 'close' has fired
  // already then, so a subscription made now would never be ended.
  if (res.destroyed) return;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  // A first comment tells the browser the stream is open.
  res.write(': stepwise\n\n');
  let batch: T[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    if (batch.length === 0 || res.writableEnded) return;
    res.write(`data: ${JSON.stringify(batch)}\n\n`);
    batch = [];
  };
  const subscription: Subscription = source.subscribe({
    next: (value) => {
      batch.push(value);
      timer ??= setTimeout(flush, BATCH_MS);
    },
    error: (e: unknown) => {
      flush();
      res.end(`event: failure\ndata: ${JSON.stringify({ message: e instanceof Error ? e.message : String(e) })}\n\n`);
    },
    complete: () => {
      flush();
      res.end();
    },
  });
  res.on('close', () => {
    if (timer) clearTimeout(timer);
    subscription.unsubscribe();
  });
}
