import { createHash } from 'node:crypto';
import type { StateMachineDefinition } from '../asl/definition.js';
import type { HistoryEvent } from '../execution/history-event.js';

/**
 * Each definition an execution ran is stored once, in a stream of its own named by a hash of its
 * JSON text; an execution's metadata names it by that id instead of carrying the whole
 * definition (about 11 KB for 50 states, written and encoded again for every execution).
 * Readers of every stream skip these with `isInternalStream` (internal-streams.ts).
 */
const DEFINITION_PREFIX = 'stepwise-definition:';
const DEFINITION_TYPE = 'StepwiseDefinition';

/** The id of a definition: the SHA-256 of its JSON text, in hex. */
export function definitionIdOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function definitionStreamOf(definitionId: string): string {
  return DEFINITION_PREFIX + definitionId;
}

export function isDefinitionStream(streamId: string): boolean {
  return streamId.startsWith(DEFINITION_PREFIX);
}

/**
 * The one event of a definition's stream. `text`: the definition as it was submitted (its
 * spacing, escapes and number spelling), which DescribeStateMachineForExecution answers with;
 * streams stored by earlier versions lack it.
 */
export function definitionEvent(definition: StateMachineDefinition, now: number, text?: string): HistoryEvent {
  return { id: 1, previousEventId: 0, timestamp: now, type: DEFINITION_TYPE as HistoryEvent['type'], definitionEventDetails: text === undefined ? { definition } : { definition, text } };
}

/** The submitted text a definition's event keeps, if any. */
export function definitionTextOf(event: HistoryEvent | undefined): string | undefined {
  const details = (event?.type as string | undefined) === DEFINITION_TYPE ? (event!.definitionEventDetails as { text?: unknown } | undefined) : undefined;
  return typeof details?.text === 'string' ? details.text : undefined;
}

export function definitionOf(event: HistoryEvent | undefined): StateMachineDefinition | undefined {
  const details = (event?.type as string | undefined) === DEFINITION_TYPE ? (event!.definitionEventDetails as { definition?: StateMachineDefinition } | undefined) : undefined;
  return details?.definition && typeof details.definition === 'object' ? details.definition : undefined;
}
