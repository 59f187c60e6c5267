import { describe, expect, it } from 'vitest';
import { TaskHandlerRegistry } from '../../src/resources/task-handlers.js';

describe('TaskHandlerRegistry', () => {
  it('prefers a state-name handler, then an exact ARN, then a pattern', () => {
    const byState = () => 'state';
    const exact = () => 'exact';
    const pattern = () => 'pattern';
    const r = new TaskHandlerRegistry()
      .register('arn:aws:lambda:*:*:function:*', pattern)
      .register('arn:aws:lambda:us-east-1:1:function:f', exact)
      .register({ state: 'Special' }, byState);
    expect(r.find('arn:aws:lambda:us-east-1:1:function:f', 'Special')).toBe(byState);
    expect(r.find('arn:aws:lambda:us-east-1:1:function:f', 'Other')).toBe(exact);
    expect(r.find('arn:aws:lambda:eu-west-1:2:function:g', 'Other')).toBe(pattern);
    expect(r.find('arn:aws:states:::sqs:sendMessage', 'Other')).toBeUndefined();
  });
});
