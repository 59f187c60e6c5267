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
  // sfc32: small, fast, and good enough for jitter and ids (not for secrets).
  let a = 0x9e3779b9, b = 0x243f6a88, c = 0xb7e15162, d = seed >>> 0;
  const next = (): number => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    const t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    const r = (t + d) | 0;
    c = (c + r) | 0;
    return r >>> 0;
  };
  for (let i = 0; i < 12; i++) next();
  const hex = (n: number) => n.toString(16).padStart(8, '0');
  return {
    random: () => next() / 4294967296,
    uuid: () => {
      const h = hex(next()) + hex(next()) + hex(next()) + hex(next());
      const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
    id: () => hex(next()) + hex(next()),
  };
}

export function newSeed(): number {
  return (Math.random() * 4294967296) >>> 0;
}
