import { isAslError } from '../../src/errors/asl-error.js';

/** Runs `fn`, expecting it to raise an ASL error; returns its name and cause. */
export function aslFailure(fn: () => unknown): { error: string; cause: string | undefined } {
  try {
    fn();
  } catch (e) {
    if (isAslError(e)) return { error: e.error, cause: e.causeText };
    throw e;
  }
  throw new Error('expected an AslError');
}
