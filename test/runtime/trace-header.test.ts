import { describe, expect, it } from 'vitest';
import { executionTraceHeader } from '../../src/runtime/trace-header.js';

// 2026-09-24T04:58:49Z, whose epoch seconds are 6ab4ae19 in hex.
const NOW = 0x6ab4ae19 * 1000 + 250;

/** The rules recorded against AWS (2026-09): tracing_control.json and tracing_sdk_headers.json. */
describe('executionTraceHeader', () => {
  it('keeps a valid header with its sampling decision byte for byte', () => {
    for (const header of ['Root=1-6ab4ae18-fab1c0fbd255432baee317a0;Parent=0123456789abcdef;Sampled=0', 'Root=1-6ab4ae1a-76cd1e61fecf47d6a7af7587;Parent=0123456789abcdef;Sampled=1']) {
      expect(executionTraceHeader(header, false, NOW)).toBe(header);
      expect(executionTraceHeader(header, true, NOW)).toBe(header);
    }
  });

  it('appends Sampled=1 to a valid Root without a decision', () => {
    expect(executionTraceHeader('Root=1-6ab4a2f4-c293c2aff58345818a700d56', false, NOW)).toBe('Root=1-6ab4a2f4-c293c2aff58345818a700d56;Sampled=1');
  });

  it('starts a trace, dated now, for an empty or invalid header, keeping its Sampled', () => {
    expect(executionTraceHeader('', false, NOW)).toMatch(/^Root=1-6ab4ae19-[0-9a-f]{24};Sampled=1$/);
    expect(executionTraceHeader('Root=not-enabled;Sampled=0', false, NOW)).toMatch(/^Root=1-6ab4ae19-[0-9a-f]{24};Sampled=0$/);
    expect(executionTraceHeader('Root=not-enabled;Sampled=1', true, NOW)).toMatch(/^Root=1-6ab4ae19-[0-9a-f]{24};Sampled=1$/);
    expect(executionTraceHeader('not-a-trace-header', true, NOW)).toMatch(/^Root=1-6ab4ae19-[0-9a-f]{24};Sampled=1$/);
  });

  it('starts a trace when none is given only if the state machine traces', () => {
    expect(executionTraceHeader(undefined, false, NOW)).toBeUndefined();
    expect(executionTraceHeader(undefined, true, NOW)).toMatch(/^Root=1-6ab4ae19-[0-9a-f]{24};Sampled=1$/);
    expect(executionTraceHeader(undefined, true, NOW)).not.toBe(executionTraceHeader(undefined, true, NOW));
  });
});
