/**
 * java.util.Random's generator (48-bit linear congruential, multiplier 0x5DEECE66D), so a
 * seeded States.MathRandom gives the numbers AWS's Java runtime gives for the same seed.
 * BigInt keeps the 48-bit arithmetic exact.
 */
const MULTIPLIER = 0x5deece66dn;
const ADDEND = 0xbn;
const MASK = (1n << 48n) - 1n;
const INT_MAX = 0x7fffffff;

export class JavaRandom {
  private seed: bigint;

  /** `seed` is a Java long: integers outside 64 bits wrap the way a cast to long would. */
  constructor(seed: bigint) {
    this.seed = (BigInt.asIntN(64, seed) ^ MULTIPLIER) & MASK;
  }

  private next(bits: number): number {
    this.seed = (this.seed * MULTIPLIER + ADDEND) & MASK;
    return Number(BigInt.asIntN(32, this.seed >> BigInt(48 - bits)));
  }

  nextInt(): number {
    return this.next(32);
  }

  /** Uniform in [0, bound); bound must be positive (Java throws otherwise). */
  nextIntBounded(bound: number): number {
    if (!Number.isInteger(bound) || bound <= 0 || bound > INT_MAX) throw new RangeError('bound must be a positive int');
    let r = this.next(31);
    const m = bound - 1;
    if ((bound & m) === 0) return Number((BigInt(bound) * BigInt(r)) >> 31n);
    // Java retries when `u - r + m` overflows int, which rejects the biased top of the range.
    let u = r;
    while (u - (r = u % bound) + m > INT_MAX) u = this.next(31);
    return r;
  }

  nextDouble(): number {
    return (this.next(26) * 2 ** 27 + this.next(27)) * 2 ** -53;
  }
}
