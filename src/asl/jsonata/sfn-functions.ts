import { HASH_ALGORITHMS } from '../intrinsics/hash.js';
import { createHash } from 'node:crypto';
import { JavaRandom } from '../intrinsics/java-random.js';
import type { RandomSource } from '../intrinsics/intrinsic-types.js';
import { MEMORY_LIMIT_CODE, MEMORY_LIMIT_MESSAGE, raised } from './jsonata-errors.js';

/**
 * The functions Step Functions adds to JSONata (developer guide, "JSONata functions provided by
 * Step Functions"). Behaviour beyond the guide follows what AWS answers: non-integer arguments are
 * truncated towards zero; a zero chunk size, an empty array, a missing or wrongly signed `$range`
 * step and a missing `$hash` algorithm give undefined (which then fails the field); `$range`
 * answers a single element as the bare value, as a JSONata sequence does.
 */

export interface SfnFunction {
  readonly name: string;
  /** JSONata signature, so argument errors are the library's own T0410. */
  readonly signature: string;
  readonly implementation: (context: FunctionContext, ...args: unknown[]) => unknown;
}

/** What a function reads of its evaluation. */
export interface FunctionContext {
  readonly random: RandomSource;
  /** The evaluation's memory bound (see DEFAULT_MAX_BYTES in compile-jsonata.ts); Infinity also lifts `$pad`'s and `$range`'s own. */
  readonly maxBytes: number;
}

/**
 * The most elements `$range` builds. AWS refuses larger ranges with its memory limit; this bound
 * is the largest range AWS was seen to accept.
 */
export const RANGE_MAX_ITEMS = 360_145;


/** A function's own AWS bound on what it builds, lifted with the evaluation's memory bound. */
function checkBound(context: FunctionContext, amount: number, awsBound: number): void {
  if (!(amount <= awsBound) && context.maxBytes !== Infinity) throw raised(MEMORY_LIMIT_CODE, MEMORY_LIMIT_MESSAGE);
}

/** JSONata marks arrays that are sequences; a one-element sequence is read as its element. */
function sequence(items: unknown[]): unknown[] {
  Object.defineProperty(items, 'sequence', { value: true, enumerable: false });
  return items;
}

const partition: SfnFunction = {
  name: 'partition',
  signature: '<xn?:a>',
  implementation: (_context, array, size) => {
    if (array === undefined) return undefined;
    if (!Array.isArray(array)) throw raised('T0412', 'Argument 1 of function "partition" must be an array');
    const chunk = size === undefined ? Infinity : Math.trunc(size as number);
    if (chunk < 0) throw raised('D3137', 'Second argument must be zero or greater');
    if (chunk === 0 || array.length === 0) return undefined;
    const chunks: unknown[][] = [];
    for (let i = 0; i < array.length; i += chunk) chunks.push(array.slice(i, i + chunk));
    return chunks;
  },
};

const range: SfnFunction = {
  name: 'range',
  signature: '<nnn?:a<n>>',
  implementation: (context, startArg, endArg, stepArg) => {
    if (startArg === undefined || endArg === undefined || stepArg === undefined) return undefined;
    const start = Math.trunc(startArg as number);
    const end = Math.trunc(endArg as number);
    const step = Math.trunc(stepArg as number);
    if (step === 0 || (step > 0 && start > end) || (step < 0 && start < end)) return undefined;
    const count = Math.floor((end - start) / step) + 1;
    checkBound(context, count, RANGE_MAX_ITEMS);
    const items: number[] = new Array(count);
    for (let i = 0; i < count; i++) items[i] = start + i * step;
    return sequence(items);
  },
};

/**
 * The most characters one `$pad` may add. AWS counts the padding added, in characters (not UTF-8
 * bytes), not the length of the result: adding 262145 characters fails with its memory limit,
 * extending a 131072-character string to 262145 succeeds, as recorded against AWS (2026-09).
 */
export const PAD_MAX_ADDED = 262_144;

/** JSONata's own `$pad`, with AWS's bound on the padding it adds. */
const pad: SfnFunction = {
  name: 'pad',
  signature: '<s-ns?:s>',
  implementation: (context, strArg, widthArg, charArg) => {
    if (strArg === undefined) return undefined;
    const str = strArg as string;
    const width = widthArg as number;
    const char = typeof charArg === 'string' && charArg.length > 0 ? charArg : ' ';
    const padLength = Math.abs(width) - Array.from(str).length;
    if (!(padLength > 0)) return str;
    checkBound(context, padLength, PAD_MAX_ADDED);
    let padding = new Array(padLength + 1).join(char);
    if (char.length > 1) padding = Array.from(padding).slice(0, padLength).join('');
    return width > 0 ? str + padding : padding + str;
  },
};

const hash: SfnFunction = {
  name: 'hash',
  signature: '<ss?:s>',
  implementation: (_context, data, algorithm) => {
    if (data === undefined || algorithm === undefined) return undefined;
    const nodeName = HASH_ALGORITHMS.get(algorithm as string);
    if (nodeName === undefined) {
      throw raised('D3137', `Unsupported hash algorithm '${String(algorithm)}'. Supported algorithms: ${[...HASH_ALGORITHMS.keys()].join(', ')}`);
    }
    return createHash(nodeName).update(data as string, 'utf8').digest('hex');
  },
};

const random: SfnFunction = {
  name: 'random',
  signature: '<n?:n>',
  implementation: ({ random: source }, seed) => {
    if (seed === undefined) return source.random();
    return new JavaRandom(toJavaLong(seed as number)).nextDouble();
  },
};

const uuid: SfnFunction = {
  name: 'uuid',
  signature: '<:s>',
  implementation: ({ random }) => random.uuid(),
};

const parse: SfnFunction = {
  name: 'parse',
  signature: '<s?:j>',
  implementation: (_context, text) => {
    if (text === undefined) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(text as string);
    } catch {
      throw raised('D3137', 'Invalid JSON');
    }
    const duplicate = firstDuplicateKey(text as string);
    if (duplicate !== null) throw raised('D3137', `Invalid JSON: duplicate key "${duplicate}"`);
    return nullPrototypeCopy(value);
  },
};

export const SFN_FUNCTIONS: readonly SfnFunction[] = [partition, range, pad, hash, random, uuid, parse];

/** Java's `(long) double`: truncates, and saturates outside the long range. */
function toJavaLong(value: number): bigint {
  if (Number.isNaN(value)) return 0n;
  if (value >= 2 ** 63) return (1n << 63n) - 1n;
  if (value <= -(2 ** 63)) return -(1n << 63n);
  return BigInt(Math.trunc(value));
}

/** Parsed objects get the same prototype-free shape as the rest of the data the library sees. */
function nullPrototypeCopy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(nullPrototypeCopy);
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value)) out[key] = nullPrototypeCopy((value as Record<string, unknown>)[key]);
  return out;
}

/**
 * JSON.parse keeps the last of repeated keys; AWS's parser refuses them. Runs on text JSON.parse
 * already accepted, so only strings and object braces need tracking.
 */
export function firstDuplicateKey(text: string): string | null {
  if (!text.includes('{')) return null;
  // One entry per open bracket: the keys seen so far for an object, null for an array.
  const stack: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        const keys = stack[stack.length - 1]!;
        if (keys.has(key)) return key;
        keys.add(key);
        expectKey = false;
      }
      i = j;
    } else if (ch === '{') {
      stack.push(new Set());
      expectKey = true;
    } else if (ch === '[') {
      stack.push(null);
    } else if (ch === '}' || ch === ']') {
      stack.pop();
    } else if (ch === ',') {
      expectKey = stack[stack.length - 1] instanceof Set;
    }
  }
  return null;
}
