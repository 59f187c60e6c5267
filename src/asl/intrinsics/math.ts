import { intrinsicFailure, type IntrinsicFunction } from './intrinsic-types.js';
import { JavaRandom } from './java-random.js';
import { javaRound } from './values.js';

// AWS documents the numeric intrinsics as taking Java ints.
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/** Rounds like Java (documented for MathAdd and MathRandom) and checks the int range. */
function toInt(name: string, role: string, value: number): number {
  const rounded = javaRound(value);
  if (rounded < INT_MIN || rounded > INT_MAX) {
    throw intrinsicFailure(`${name}: the ${role} ${value} is outside the integer range ${INT_MIN} to ${INT_MAX}`);
  }
  return rounded;
}

/**
 * Start inclusive, end exclusive, as Java's `nextInt(end - start) + start`. With a seed the
 * result is java.util.Random's, so the same seed always gives the same number.
 */
export const mathRandom: IntrinsicFunction = {
  name: 'States.MathRandom',
  params: ['number', 'number', 'number'],
  optional: 1,
  returns: 'integer',
  evaluate: ([startArg, endArg, seedArg], env) => {
    const start = toInt('States.MathRandom', 'start', startArg!.value as number);
    const end = toInt('States.MathRandom', 'end', endArg!.value as number);
    const bound = end - start;
    if (bound <= 0 || bound > INT_MAX) {
      throw intrinsicFailure(`States.MathRandom: the end (${end}) must be greater than the start (${start})`);
    }
    if (seedArg === undefined) return start + Math.min(bound - 1, Math.floor(env.random.random() * bound));
    const seed = BigInt(javaRound(seedArg.value as number));
    return start + new JavaRandom(seed).nextIntBounded(bound);
  },
};

/**
 * Both operands are rounded half up first (the recorded cases: 1.5 + 1.51 = 4,
 * -1.49 + -1.5 = -2), so the sum is always an integer.
 */
export const mathAdd: IntrinsicFunction = {
  name: 'States.MathAdd',
  params: ['number', 'number'],
  returns: 'integer',
  evaluate: ([a, b]) =>
    toInt('States.MathAdd', 'first argument', a!.value as number) + toInt('States.MathAdd', 'second argument', b!.value as number),
};
