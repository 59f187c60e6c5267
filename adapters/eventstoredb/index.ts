import { StepwiseError } from '../../src/errors/stepwise-error.js';
import { isEsdbFailure, type EsdbConnection } from './esdb-connection.js';
import { EventStoreDbStore, type EventStoreDbStoreOptions } from './eventstoredb-store.js';
import { connectOfficialClient } from './official-client.js';

export { EventStoreDbStore, EsdbStoreErrorCodes } from './eventstoredb-store.js';
export type { EventStoreDbStoreOptions, RetryPolicy } from './eventstoredb-store.js';
export { StreamNames } from './stream-names.js';
export type { EsdbConnection } from './esdb-connection.js';

/** True for the store option strings that name an EventStoreDB server. */
export function isEventStoreDbConnectionString(value: string): boolean {
  return /^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover|kdb|kdb\+discover):\/\//i.test(value);
}

/**
 * Opens the store on an EventStoreDB (or KurrentDB) server, e.g.
 * `createEventStoreDbStore('esdb://localhost:2113?tls=false')`. The client connects lazily:
 * an unreachable server shows on the first operation, as a `StoreUnavailable` error after
 * retries with backoff. Pass `{ connection }` to use another client behind the same interface.
 *
 * @example
 * const store = createEventStoreDbStore('esdb://localhost:2113?tls=false');
 * const runtime = createRuntime({ store, ownership: { leaseMs: 15_000 } });
 * await runtime.start();
 */
export function createEventStoreDbStore(
  target: string | ({ connection: EsdbConnection } & EventStoreDbStoreOptions),
  options: EventStoreDbStoreOptions = {},
): EventStoreDbStore {
  if (typeof target !== 'string') return new EventStoreDbStore(target.connection, target);
  if (!isEventStoreDbConnectionString(target)) {
    throw new StepwiseError('InvalidArgument', `'${target}' is not an EventStoreDB connection string: expected esdb://host:2113?tls=false (or esdb+discover://... for a cluster).`);
  }
  let connection: EsdbConnection;
  try {
    // The official client reads esdb:// only; kurrentdb:// strings mean the same to it.
    connection = connectOfficialClient(target.replace(/^(kurrentdb|kdb)(\+discover)?:/i, (_m, _s, d: string | undefined) => `esdb${d ?? ''}:`));
  } catch (err) {
    throw new StepwiseError('InvalidArgument', isEsdbFailure(err) ? err.message : `Cannot use '${target}': ${String(err)}`, err);
  }
  return new EventStoreDbStore(connection, { description: `EventStoreDB at ${withoutCredentials(target)}`, ...options });
}

function withoutCredentials(connectionString: string): string {
  return connectionString.replace(/\/\/[^@/]*@/, '//');
}

