import { isLeaseStream } from './lease-stream.js';
import { ACTIVITY_STREAM } from '../activities/activity-registry.js';

/**
 * Streams the runtime keeps for itself beside the executions' histories (leases, activity
 * definitions). Readers of every stream that want only histories skip them here, in one place.
 */
export function isInternalStream(streamId: string): boolean {
  return streamId === ACTIVITY_STREAM || isLeaseStream(streamId);
}
