import { isDefinitionStream } from './definition-stream.js';
import { isLeaseStream } from './lease-stream.js';
import { isRememberedStream } from './remembered-stream.js';

/** The stream that holds activity definitions (see src/activities/activity-registry.ts). */
export const ACTIVITY_STREAM = 'stepwise:activities';

/**
 * Streams the runtime keeps for itself beside the executions' histories (leases, activity
 * definitions, state machine definitions, what an execution read from outside). Readers of
 * every stream that want only histories skip them here, in one place.
 */
export function isInternalStream(streamId: string): boolean {
  return streamId === ACTIVITY_STREAM || isLeaseStream(streamId) || isDefinitionStream(streamId) || isRememberedStream(streamId);
}
