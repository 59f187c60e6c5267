import {
  ANY, BACKWARDS, END, EventStoreDBClient, FORWARDS, jsonEvent, NO_STREAM, START, streamNameFilter,
  type AllStreamResolvedEvent, type ResolvedEvent,
} from '@eventstore/db-client';
import {
  EsdbFailure, type EsdbConnection, type EsdbEventData, type EsdbExpected, type EsdbReadOptions, type EsdbRecordedEvent,
  type EsdbSubscriptionHandlers, type Unsubscribe,
} from './esdb-connection.js';

/**
 * The EventStoreDB connection through the official client `@eventstore/db-client` (pure
 * JavaScript over gRPC, so it installs on Node 20 without a native build; its successor
 * `@kurrent/kurrentdb-client` loads a native bridge). The connection string is the client's:
 * `esdb://host:2113?tls=false`, or `esdb+discover://...` for a cluster.
 */
export function connectOfficialClient(connectionString: string): EsdbConnection {
  let client: EventStoreDBClient;
  try {
    client = EventStoreDBClient.connectionString(connectionString);
  } catch (err) {
    throw new EsdbFailure('other', `Invalid EventStoreDB connection string '${connectionString}': ${(err as Error).message}`, undefined, err);
  }
  return {
    async append(stream: string, events: EsdbEventData[], expected: EsdbExpected): Promise<number> {
      try {
        const result = await client.appendToStream(
          stream,
          events.map((e) => jsonEvent({ id: e.id, type: e.type, data: e.data as Record<string, unknown> })),
          { expectedRevision: expected === 'any' ? ANY : expected === 'no_stream' ? NO_STREAM : BigInt(expected) },
        );
        return Number(result.nextExpectedRevision);
      } catch (err) {
        throw translate(err, stream);
      }
    },

    async read(stream: string, options: EsdbReadOptions): Promise<EsdbRecordedEvent[]> {
      const out: EsdbRecordedEvent[] = [];
      try {
        const reading = client.readStream(stream, {
          direction: options.direction === 'backwards' ? BACKWARDS : FORWARDS,
          fromRevision: options.from === 'start' ? START : options.from === 'end' ? END : BigInt(options.from),
          ...(options.maxCount !== undefined ? { maxCount: options.maxCount } : {}),
        });
        for await (const resolved of reading) {
          const e = recorded(resolved);
          if (e) out.push(e);
        }
      } catch (err) {
        const failure = translate(err, stream);
        if (failure.kind === 'other' && (err as { type?: string }).type === 'stream-not-found') return [];
        throw failure;
      }
      return out;
    },

    subscribeToStream(stream: string, after: number | 'start' | 'end', handlers: EsdbSubscriptionHandlers): Unsubscribe {
      const subscription = client.subscribeToStream(stream, { fromRevision: after === 'start' ? START : after === 'end' ? END : BigInt(after) });
      return wire(subscription, stream, handlers);
    },

    subscribeToAll(after: number | 'start' | 'end', prefixes: string[], handlers: EsdbSubscriptionHandlers): Unsubscribe {
      const position = typeof after === 'number' ? { commit: BigInt(after), prepare: BigInt(after) } : after === 'start' ? START : END;
      const subscription = client.subscribeToAll({ fromPosition: position, filter: streamNameFilter({ prefixes }) });
      return wire(subscription, '$all', handlers);
    },

    close: () => client.dispose(),
  };
}

interface Readable {
  on(event: 'data', listener: (e: ResolvedEvent | AllStreamResolvedEvent) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  unsubscribe(): Promise<void>;
}

function wire(subscription: Readable, name: string, handlers: EsdbSubscriptionHandlers): Unsubscribe {
  let stopped = false;
  subscription.on('data', (resolved) => {
    const e = recorded(resolved);
    if (e && !stopped) handlers.event(e);
  });
  subscription.on('error', (err) => {
    if (!stopped) handlers.error(translate(err, name));
  });
  return () => {
    stopped = true;
    void subscription.unsubscribe().catch(() => undefined);
  };
}

function recorded(resolved: ResolvedEvent | AllStreamResolvedEvent): EsdbRecordedEvent | undefined {
  const e = resolved.event;
  if (!e || !e.isJson) return undefined;
  return {
    stream: e.streamId, id: e.id, type: e.type, revision: Number(e.revision),
    position: e.position ? Number(e.position.prepare) : -1, data: e.data,
  };
}

/** gRPC status codes of a server that is down, restarting or too slow: worth another try. */
const TRANSIENT_GRPC_CODES = new Set([1, 4, 14]);

function translate(err: unknown, stream: string): EsdbFailure {
  const type = (err as { type?: string } | undefined)?.type;
  const grpcCode = (err as { code?: unknown } | undefined)?.code;
  // Some calls (appends) surface the raw gRPC error, without the client's `type`.
  if (type === undefined && typeof grpcCode === 'number' && TRANSIENT_GRPC_CODES.has(grpcCode)) {
    return new EsdbFailure('unavailable', err instanceof Error ? err.message : String(err), undefined, err);
  }
  const message = err instanceof Error ? err.message : String(err);
  switch (type) {
    case 'wrong-expected-version': {
      const actual = (err as { actualVersion?: unknown }).actualVersion;
      return new EsdbFailure('wrong-expected-version', message, typeof actual === 'bigint' ? Number(actual) : -1, err);
    }
    case 'stream-deleted':
      return new EsdbFailure('stream-deleted', `Stream '${stream}' was deleted in EventStoreDB: ${message}`, undefined, err);
    case 'maximum-append-size-exceeded':
      return new EsdbFailure('too-large', message, undefined, err);
    case 'unavailable':
    case 'deadline-exceeded':
    case 'not-leader':
    case 'cancelled':
      return new EsdbFailure('unavailable', message, undefined, err);
    default:
      return new EsdbFailure('other', message, undefined, err);
  }
}
