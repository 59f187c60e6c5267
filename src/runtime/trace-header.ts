import { randomBytes } from 'node:crypto';

/** An X-Ray trace ID: version 1, the epoch second in 8 hex digits, 96 random bits. */
const TRACE_ID = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;

/**
 * The X-Ray trace header an execution keeps (DescribeExecution and StartSyncExecution answer
 * with it), from the one StartExecution was given, as recorded against AWS (2026-09):
 * - none given: none kept, unless the state machine traces, which starts a new trace;
 * - one with a valid Root and a sampling decision: kept byte for byte (Parent and Sampled=0 too);
 * - a valid Root without `Sampled`: kept, with `;Sampled=1` appended;
 * - anything else (empty, not a trace header, an invalid Root): a new trace, with no Parent,
 *   keeping a `Sampled=0` or `Sampled=1` it had (Sampled=1 otherwise) — whether or not the
 *   state machine traces.
 * X-Ray itself (segments, sampling rules) is out of Stepwise's reach: the decision is not sampled.
 */
export function executionTraceHeader(given: string | undefined, tracingEnabled: boolean, nowMs: number): string | undefined {
  if (given === undefined) return tracingEnabled ? `Root=${newTraceId(nowMs)};Sampled=1` : undefined;
  const fields = new Map<string, string>();
  for (const part of given.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const root = fields.get('Root');
  if (root !== undefined && TRACE_ID.test(root)) return fields.has('Sampled') ? given : `${given};Sampled=1`;
  const sampled = fields.get('Sampled') === '0' ? '0' : '1';
  return `Root=${newTraceId(nowMs)};Sampled=${sampled}`;
}

function newTraceId(nowMs: number): string {
  const seconds = Math.floor(nowMs / 1000).toString(16).padStart(8, '0');
  return `1-${seconds}-${randomBytes(12).toString('hex')}`;
}
