import { describe, expect, it } from 'vitest';
import { noOpenTaskError } from '../../src/execution/task-token.js';
import { createSeededRandom } from '../../src/execution/seeded-random.js';

describe('noOpenTaskError', () => {
  it('is TaskTimedOut for a token of the form Stepwise issues, whose task has closed', () => {
    const token = createSeededRandom(7).id();
    // A callback token's closed task, as AWS answered it (quoted in aws-samples/amazon-mwaa-examples#61).
    expect(noOpenTaskError(token)).toMatchObject({ code: 'TaskTimedOut', message: "Task Timed Out: 'Provided task does not exist anymore'" });
  });

  it('is InvalidToken for anything else', () => {
    for (const token of ['', 'abc', '0123456789ABCDEF', '0123456789abcdef0', 'AAAAKgAAAAIAAAAAAAAAAQ==']) {
      // The message recorded against AWS (2026-09) for 'not-a-task-token'.
      expect(noOpenTaskError(token), token).toMatchObject({ code: 'InvalidToken', message: "Invalid Token: 'Invalid token'" });
    }
  });

  it("names the activity when the token was an activity task's, as recorded against AWS (2026-09)", () => {
    const token = createSeededRandom(7).id();
    const activity = 'arn:aws:states:us-west-2:000000000000:activity:stackd-sfn-callback-6d5e600823';
    expect(noOpenTaskError(token, activity)).toMatchObject({ code: 'TaskTimedOut', message: `Task Timed Out: '${activity}'` });
  });
});
