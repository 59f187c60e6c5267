/** The character codes of the hex digits 0-9a-f. */
export const HEX_CODES: readonly number[] = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

const DASH = 0x2d;
// The two digits' codes of every byte, looked up rather than worked out by a call per digit: this
// runs once per execution, mostly before V8 has optimised it (and inlined such calls).
const HI = Uint8Array.from({ length: 256 }, (_, byte) => HEX_CODES[byte >>> 4]!);
const LO = Uint8Array.from({ length: 256 }, (_, byte) => HEX_CODES[byte & 15]!);

/**
 * The 16 bytes of `b` from `o` as a random (version 4) UUID: its version and variant bits set,
 * written as one flat string of 36 characters (joined with `+` or template pieces, a UUID leaves
 * a chain of string objects behind; an execution name is kept by every parked execution).
 */
export function uuidV4Text(b: Uint8Array, o: number): string {
  const version = (b[o + 6]! & 0x0f) | 0x40;
  const variant = (b[o + 8]! & 0x3f) | 0x80;
  return String.fromCharCode(
    HI[b[o]!]!, LO[b[o]!]!, HI[b[o + 1]!]!, LO[b[o + 1]!]!, HI[b[o + 2]!]!, LO[b[o + 2]!]!, HI[b[o + 3]!]!, LO[b[o + 3]!]!, DASH,
    HI[b[o + 4]!]!, LO[b[o + 4]!]!, HI[b[o + 5]!]!, LO[b[o + 5]!]!, DASH,
    HI[version]!, LO[version]!, HI[b[o + 7]!]!, LO[b[o + 7]!]!, DASH,
    HI[variant]!, LO[variant]!, HI[b[o + 9]!]!, LO[b[o + 9]!]!, DASH,
    HI[b[o + 10]!]!, LO[b[o + 10]!]!, HI[b[o + 11]!]!, LO[b[o + 11]!]!, HI[b[o + 12]!]!, LO[b[o + 12]!]!,
    HI[b[o + 13]!]!, LO[b[o + 13]!]!, HI[b[o + 14]!]!, LO[b[o + 14]!]!, HI[b[o + 15]!]!, LO[b[o + 15]!]!,
  );
}
