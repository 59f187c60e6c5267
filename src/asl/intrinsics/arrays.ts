import type { JsonValue } from '../json-value.js';
import { intrinsicFailure, type IntrinsicFunction } from './intrinsic-types.js';
import { canonicalJson, javaRound, jsonEquals } from './values.js';

/** AWS caps the array States.ArrayRange may build. */
export const ARRAY_RANGE_MAX_ITEMS = 1000;

export const array: IntrinsicFunction = {
  name: 'States.Array',
  params: [],
  rest: 'any',
  returns: 'array',
  evaluate: (args) => args.map((arg) => arg.value),
};

export const arrayPartition: IntrinsicFunction = {
  name: 'States.ArrayPartition',
  params: ['array', 'integer'],
  returns: 'array',
  evaluate: ([source, size]) => {
    const items = source!.value as JsonValue[];
    const chunk = size!.value as number;
    if (chunk < 1) {
      throw intrinsicFailure(`States.ArrayPartition: the chunk size must be a positive integer, but was ${chunk}`);
    }
    const chunks: JsonValue[] = [];
    for (let i = 0; i < items.length; i += chunk) chunks.push(items.slice(i, i + chunk));
    return chunks;
  },
  checkLiterals: ([, size]) =>
    typeof size === 'number' && size < 1 ? `States.ArrayPartition: the chunk size must be a positive integer, but was ${size}` : null,
};

export const arrayContains: IntrinsicFunction = {
  name: 'States.ArrayContains',
  params: ['array', 'any'],
  returns: 'boolean',
  evaluate: ([source, wanted]) => (source!.value as JsonValue[]).some((item) => jsonEquals(item, wanted!.value)),
};

/**
 * Inclusive at both ends; non-integer bounds and step are rounded like the other numeric
 * intrinsics. A step pointing away from the end gives an empty array.
 */
export const arrayRange: IntrinsicFunction = {
  name: 'States.ArrayRange',
  params: ['number', 'number', 'number'],
  returns: 'array',
  evaluate: ([first, last, increment]) => {
    const start = javaRound(first!.value as number);
    const end = javaRound(last!.value as number);
    const step = javaRound(increment!.value as number);
    if (step === 0) throw intrinsicFailure('States.ArrayRange: the step must not be 0');
    const span = (end - start) / step;
    const count = span < 0 ? 0 : Math.floor(span) + 1;
    if (count > ARRAY_RANGE_MAX_ITEMS) {
      throw intrinsicFailure(
        `States.ArrayRange: the range from ${start} to ${end} with step ${step} has ${count} elements, more than the maximum of ${ARRAY_RANGE_MAX_ITEMS}`,
      );
    }
    return Array.from({ length: count }, (_, i) => start + i * step);
  },
  checkLiterals: ([, , step]) =>
    typeof step === 'number' && javaRound(step) === 0 ? 'States.ArrayRange: the step must not be 0' : null,
};

export const arrayGetItem: IntrinsicFunction = {
  name: 'States.ArrayGetItem',
  params: ['array', 'integer'],
  returns: 'any',
  evaluate: ([source, position]) => {
    const items = source!.value as JsonValue[];
    const index = position!.value as number;
    if (index < 0 || index >= items.length) {
      throw intrinsicFailure(`States.ArrayGetItem: the index ${index} is out of bounds for an array of length ${items.length}`);
    }
    return items[index]!;
  },
  checkLiterals: ([, index]) =>
    typeof index === 'number' && index < 0 ? `States.ArrayGetItem: the index must not be negative, but was ${index}` : null,
};

export const arrayLength: IntrinsicFunction = {
  name: 'States.ArrayLength',
  params: ['array'],
  returns: 'integer',
  evaluate: ([source]) => (source!.value as JsonValue[]).length,
};

/** Keeps the first occurrence of each value, in order. */
export const arrayUnique: IntrinsicFunction = {
  name: 'States.ArrayUnique',
  params: ['array'],
  returns: 'array',
  evaluate: ([source]) => {
    const seen = new Set<string>();
    const unique: JsonValue[] = [];
    for (const item of source!.value as JsonValue[]) {
      const key = canonicalJson(item);
      if (!seen.has(key)) {
        seen.add(key);
        unique.push(item);
      }
    }
    return unique;
  },
};
