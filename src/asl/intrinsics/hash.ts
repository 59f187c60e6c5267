import { createHash } from 'node:crypto';
import { intrinsicFailure, type IntrinsicFunction } from './intrinsic-types.js';

/** AWS limits the data States.Hash accepts to this many characters. */
export const HASH_MAX_INPUT_CHARS = 10_000;

/** AWS's algorithm names (exact spelling) and node:crypto's names for them (States.Hash and $hash). */
export const HASH_ALGORITHMS: ReadonlyMap<string, string> = new Map([
  ['MD5', 'md5'],
  ['SHA-1', 'sha1'],
  ['SHA-256', 'sha256'],
  ['SHA-384', 'sha384'],
  ['SHA-512', 'sha512'],
]);

function unsupported(algorithm: string): string {
  return `States.Hash: the algorithm '${algorithm}' is not supported; use one of ${[...HASH_ALGORITHMS.keys()].join(', ')}`;
}

export const hash: IntrinsicFunction = {
  name: 'States.Hash',
  params: ['string', 'string'],
  returns: 'string',
  evaluate: ([input, algorithmArg]) => {
    const data = input!.value as string;
    const algorithm = algorithmArg!.value as string;
    const nodeName = HASH_ALGORITHMS.get(algorithm);
    if (nodeName === undefined) throw intrinsicFailure(unsupported(algorithm));
    if (data.length > HASH_MAX_INPUT_CHARS) {
      throw intrinsicFailure(`States.Hash: the input is ${data.length} characters long, more than the maximum of ${HASH_MAX_INPUT_CHARS}`);
    }
    return createHash(nodeName).update(data, 'utf8').digest('hex');
  },
  checkLiterals: ([, algorithm]) =>
    typeof algorithm === 'string' && !HASH_ALGORITHMS.has(algorithm) ? unsupported(algorithm) : null,
};
