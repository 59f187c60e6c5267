import { randomBytes } from 'node:crypto';
import { describe, it } from 'vitest';
import { createEventStoreDbStore } from '../../../adapters/eventstoredb/index.js';
import { storeContract } from '../../store/store-contract.js';

/*
 * The store contract against a real EventStoreDB server, when one is given:
 *   EVENTSTOREDB_URL='esdb://localhost:2113?tls=false' npx vitest run test/adapters/eventstoredb
 * Each test gets its own stream prefix, so runs never see each other's streams.
 */
const url = process.env.EVENTSTOREDB_URL;

if (url) {
  storeContract(`eventstoredb server at ${url}`, async () => ({
    store: createEventStoreDbStore(url, { streamPrefix: `t${randomBytes(6).toString('hex')}` }),
  }));
} else {
  describe('EventStore contract: eventstoredb server', () => {
    it.skip('SKIPPED: no EventStoreDB server given; set EVENTSTOREDB_URL (e.g. esdb://localhost:2113?tls=false) to run the contract against one', () => undefined);
  });
  process.stderr.write('EventStoreDB live suite SKIPPED: set EVENTSTOREDB_URL=esdb://localhost:2113?tls=false to run the store contract against a server.\n');
}
