import { randomInt } from 'node:crypto';
import type { HistoryEvent } from '../execution/history-event.js';

/**
 * Leases live in a stream of their own beside each execution's, so that they never appear in
 * its history (GetExecutionHistory shape). Every store keeps them like any stream; readers of
 * every stream (`subscribeAll`) skip them with `isInternalStream` (internal-streams.ts).
 */
const LEASE_PREFIX = 'stepwise-lease:';

export function leaseStreamOf(executionArn: string): string {
  return LEASE_PREFIX + executionArn;
}

export function isLeaseStream(streamId: string): boolean {
  return streamId.startsWith(LEASE_PREFIX);
}

/** The execution ARN a lease stream belongs to. */
export function executionOfLeaseStream(streamId: string): string {
  return streamId.slice(LEASE_PREFIX.length);
}

export interface LeaseDetails {
  /** The runtime holding (or giving up) the lease. */
  owner: string;
  /** Epoch ms, by the owner's clock: after it anyone may claim the execution. */
  expiresAt: number;
  /** Given up on purpose (the runtime closed or the execution ended): claimable at once. */
  released?: boolean;
  /** Released because the execution ended: a runtime looking for orphans leaves it alone. */
  ended?: boolean;
}

const LEASE_TYPE = 'StepwiseLease';

/**
 * A lease record in the store's event shape. Stores take an append whose event ids match the
 * ones already at that revision for a retry of it and let it through: two runtimes claiming
 * at the same revision must therefore never write the same id, so each write gets a random one.
 */
export function leaseEvent(revision: number, details: LeaseDetails, now: number): HistoryEvent {
  return { id: randomInt(1, 2 ** 47), previousEventId: revision, timestamp: now, type: LEASE_TYPE as HistoryEvent['type'], leaseEventDetails: { ...details } };
}

export function leaseDetailsOf(event: HistoryEvent | undefined): LeaseDetails | undefined {
  const d = event?.leaseEventDetails as LeaseDetails | undefined;
  return d && typeof d.owner === 'string' && typeof d.expiresAt === 'number' ? d : undefined;
}
