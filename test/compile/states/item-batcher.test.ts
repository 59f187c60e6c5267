import { describe, expect, it } from 'vitest';
import { batchesOf } from '../../../src/compile/states/item-batcher.js';

describe('ItemBatcher batches', () => {
  it('cuts by item count and by bytes, keeps order, and gives an oversized item a batch of its own', () => {
    expect(batchesOf([1, 2, 3, 4, 5], 2, Infinity, undefined)).toEqual([{ Items: [1, 2] }, { Items: [3, 4] }, { Items: [5] }]);
    // "aaaa" is 6 bytes of JSON: two fit in 12, a third does not.
    expect(batchesOf(['aaaa', 'bbbb', 'cccc'], Infinity, 12, { job: 1 })).toEqual([
      { BatchInput: { job: 1 }, Items: ['aaaa', 'bbbb'] },
      { BatchInput: { job: 1 }, Items: ['cccc'] },
    ]);
    expect(batchesOf(['x'.repeat(50), 'y'], Infinity, 10, undefined)).toEqual([{ Items: ['x'.repeat(50)] }, { Items: ['y'] }]);
    expect(batchesOf([], 3, 100, undefined)).toEqual([]);
  });
});
