import { createHash, randomUUID } from 'node:crypto';

/**
 * The EventStoreDB id of a history event: a name-based UUID (version 5 layout) of its stream,
 * its id there and its content. A retried append sends the same ids, which the server
 * recognises and does not write again; another runtime's event with the same number differs
 * in content, so it cannot pass for a retry.
 */
export function stableEventId(esdbStream: string, eventId: number, content = ''): string {
  const hash = createHash('sha1').update(`${esdbStream}\u0000${eventId}\u0000${content}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** For writes that are not history events (metadata): unique, and the same across one call's retries. */
export function freshEventId(): string {
  return randomUUID();
}
