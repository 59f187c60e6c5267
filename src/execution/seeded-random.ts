import { HEX_CODES, uuidV4Text } from './uuid-text.js';

/**
 * Randomness an execution can replay: every draw (retry jitter, States.UUID, unseeded
 * States.MathRandom, task tokens, ids) comes from one generator seeded by a number recorded
 * with the execution's first event, so re-running the history draws the same values.
 */
export interface ExecutionRandom {
  random(): number;
  uuid(): string;
  id(): string;
}

export function createSeededRandom(seed: number): ExecutionRandom {
  return new Sfc32(seed);
}

/**
 * sfc32: small, fast, and good enough for jitter and ids (not for secrets). A class, not
 * closures: every execution has one, so its methods are best shared. Exported to be extended:
 * an execution's services object is its generator (see ExecutionJournal), one object less per
 * execution than a generator of its own.
 */
export class Sfc32 implements ExecutionRandom {
  // As int32s (`| 0`; every read takes `>>> 0`): a field that ever holds a number past 2^31
  // keeps a heap number of its own in every generator, 16 bytes each.
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  constructor(seed: number) {
    this.reseed(seed);
  }

  /** Starts the sequence of `seed` over, as a new generator would. */
  reseed(seed: number): void {
    this.a = 0x9e3779b9 | 0;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162 | 0;
    this.d = seed | 0;
    for (let i = 0; i < 12; i++) this.next();
  }

  private next(): number {
    const a = this.a >>> 0, b = this.b >>> 0, c = this.c >>> 0, d = this.d >>> 0;
    const t = (a + b) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    const rotated = (c << 21) | (c >>> 11);
    this.d = (d + 1) | 0;
    const r = (t + this.d) | 0;
    this.c = (rotated + r) | 0;
    return r >>> 0;
  }

  random(): number {
    return this.next() / 4294967296;
  }

  /** Four draws' bytes, most significant first, as a version-4 UUID (the text of the four draws with its version and variant set). */
  uuid(): string {
    for (let i = 0; i < 16; i += 4) UUID_WORDS.setUint32(i, this.next());
    return uuidV4Text(UUID_BYTES, 0);
  }

  /**
   * Sixteen hex digits, made as one flat string: joined with `+`, two halves of eight made a
   * chain of three string objects (80 bytes kept by every parked task, which holds its request
   * id) where this makes one of 32, and it takes 50 ns instead of 270 (measured).
   */
  id(): string {
    const a = this.next();
    const b = this.next();
    return String.fromCharCode(
      HEX_CODES[a >>> 28]!, HEX_CODES[(a >>> 24) & 15]!, HEX_CODES[(a >>> 20) & 15]!, HEX_CODES[(a >>> 16) & 15]!,
      HEX_CODES[(a >>> 12) & 15]!, HEX_CODES[(a >>> 8) & 15]!, HEX_CODES[(a >>> 4) & 15]!, HEX_CODES[a & 15]!,
      HEX_CODES[b >>> 28]!, HEX_CODES[(b >>> 24) & 15]!, HEX_CODES[(b >>> 20) & 15]!, HEX_CODES[(b >>> 16) & 15]!,
      HEX_CODES[(b >>> 12) & 15]!, HEX_CODES[(b >>> 8) & 15]!, HEX_CODES[(b >>> 4) & 15]!, HEX_CODES[b & 15]!,
    );
  }
}

/** Where uuid() lays out its draws: one buffer for all (a UUID is written out before the next is drawn). */
const UUID_BYTES = new Uint8Array(16);
const UUID_WORDS = new DataView(UUID_BYTES.buffer);

/** A seed for a new execution: an int32, kept in the journal and in ExecutionStarted without a heap number (see Sfc32). */
export function newSeed(): number {
  return (Math.random() * 4294967296) | 0;
}

/**
 * The seed a fork draws from once past the events it copied: its original's, mixed with the
 * fork's own ARN (FNV-1a), so that the two no longer draw the same task tokens and Map Run ids.
 */
export function forkSeed(seed: number, forkArn: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < forkArn.length; i++) h = Math.imul(h ^ forkArn.charCodeAt(i), 0x01000193);
  return (h ^ seed) | 0;
}
