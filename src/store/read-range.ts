import { StepwiseError } from '../errors/stepwise-error.js';
import type { ReadOptions } from './event-store.js';

/** Indices `first`, `first + step`, … for `count` events; `step` is -1 reading backwards. */
export interface ReadRange {
  first: number;
  count: number;
  step: 1 | -1;
}

/** Resolves read options against a stream of `total` events, the same way in every store. */
export function readRange(total: number, options: ReadOptions = {}): ReadRange {
  const { direction = 'forwards', fromRevision, maxCount = Infinity } = options;
  if (fromRevision !== undefined && !(Number.isInteger(fromRevision) && fromRevision >= 0)) {
    throw new StepwiseError('InvalidArgument', `fromRevision must be a whole number from 0, not ${String(fromRevision)}.`);
  }
  if (maxCount !== Infinity && !(Number.isInteger(maxCount) && maxCount >= 0)) {
    throw new StepwiseError('InvalidArgument', `maxCount must be a whole number from 0, not ${String(maxCount)}.`);
  }
  if (direction === 'backwards') {
    const first = Math.min(fromRevision ?? total - 1, total - 1);
    return { first, count: Math.max(0, Math.min(first + 1, maxCount)), step: -1 };
  }
  if (direction !== 'forwards') throw new StepwiseError('InvalidArgument', `direction must be 'forwards' or 'backwards', not '${String(direction)}'.`);
  const first = fromRevision ?? 0;
  return { first, count: Math.max(0, Math.min(total - first, maxCount)), step: 1 };
}

/** The index of the last item whose key is at most `key`, or -1 (items sorted by key). */
export function lastAtOrBefore<T>(items: readonly T[], key: number, keyOf: (item: T) => number): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (keyOf(items[mid]!) <= key) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}
