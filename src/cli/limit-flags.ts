import type { ExecutionLimits } from '../execution/execution-services.js';

/**
 * `--lift-limits`: AWS's 256 KiB payload and 25,000-event history limits off, for local work
 * that exceeds them (a 10,000-item inline Map exceeds both). Without it the CLI enforces them
 * as AWS does, with AWS's error names.
 */
export const LIMIT_FLAGS = { 'lift-limits': { type: 'boolean', default: false } } as const;

export const LIMIT_USAGE = "[--lift-limits]   (no 256 KiB payload or 25,000-event history limit: local work beyond AWS's limits)";

export function limitsFromFlags(values: { 'lift-limits'?: boolean }): Partial<ExecutionLimits> | undefined {
  return values['lift-limits'] ? { payloadBytes: Infinity, historyEvents: Infinity } : undefined;
}
