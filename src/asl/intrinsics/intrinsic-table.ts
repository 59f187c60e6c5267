import { array, arrayContains, arrayGetItem, arrayLength, arrayPartition, arrayRange, arrayUnique } from './arrays.js';
import { base64Decode, base64Encode } from './encoding.js';
import { hash } from './hash.js';
import type { IntrinsicFunction } from './intrinsic-types.js';
import { jsonMerge, jsonToString, stringToJson } from './json.js';
import { mathAdd, mathRandom } from './math.js';
import { format, stringSplit } from './string.js';
import { uuid } from './uuid.js';

/** The 18 intrinsic functions of JSONPath mode, by full name (case-sensitive, as in AWS). */
export const INTRINSIC_FUNCTIONS: ReadonlyMap<string, IntrinsicFunction> = new Map(
  [
    format,
    stringToJson,
    jsonToString,
    array,
    arrayPartition,
    arrayContains,
    arrayRange,
    arrayGetItem,
    arrayLength,
    arrayUnique,
    base64Encode,
    base64Decode,
    hash,
    jsonMerge,
    mathRandom,
    mathAdd,
    stringSplit,
    uuid,
  ].map((fn) => [fn.name, fn]),
);
