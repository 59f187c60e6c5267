import { describe, expect, it } from 'vitest';
import { noOpenTaskError } from '../../src/execution/task-token.js';
import { createSeededRandom } from '../../src/execution/seeded-random.js';

describe('noOpenTaskError', () => {
  it('is TaskTimedOut for a token of the form Stepwise issues, whose task has closed', () => {
    const token = createSeededRandom(7).id();
    expect(noOpenTaskError(token)).toMatchObject({ code: 'TaskTimedOut', message: expect.stringContaining(`'${token}'`) });
  });

  it('is InvalidToken for anything else', () => {
    for (const token of ['', 'abc', '0123456789ABCDEF', '0123456789abcdef0', 'AAAAKgAAAAIAAAAAAAAAAQ==']) {
      expect(noOpenTaskError(token), token).toMatchObject({ code: 'InvalidToken' });
    }
  });
});
