/** The character codes of the hex digits 0-9a-f. */
export const HEX_CODES: readonly number[] = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

const DASH = 0x2d;
const hi = (byte: number): number => HEX_CODES[byte >>> 4]!;
const lo = (byte: number): number => HEX_CODES[byte & 15]!;

/**
 * The 16 bytes of `b` from `o` as a random (version 4) UUID: its version and variant bits set,
 * written as one flat string of 36 characters (joined with `+` or template pieces, a UUID leaves
 * a chain of string objects behind; an execution name is kept by every parked execution).
 */
export function uuidV4Text(b: Uint8Array, o: number): string {
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
