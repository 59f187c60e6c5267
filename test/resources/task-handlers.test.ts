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

  it('finds the pattern handler registered after a resource was already looked up', () => {
    const first = () => 'first';
    const later = () => 'later';
    const r = new TaskHandlerRegistry().register('arn:aws:lambda:*:*:function:a*', first);
    const arn = 'arn:aws:lambda:us-east-1:1:function:b1';
    expect(r.find(arn, 'S')).toBeUndefined();
    expect(r.find(arn, 'S')).toBeUndefined();
    r.register('arn:aws:lambda:*:*:function:b*', later);
    expect(r.find(arn, 'S')).toBe(later);
    expect(r.find('arn:aws:lambda:us-east-1:1:function:a1', 'S')).toBe(first);
  });

  it('tests a global RegExp on every lookup, as RegExp.test does', () => {
    const handler = () => 'h';
    const pattern = /function:x/g;
    const r = new TaskHandlerRegistry().register(pattern, handler);
    const arn = 'arn:aws:lambda:us-east-1:1:function:x';
    // A g-flagged RegExp resumes from lastIndex: it matches, then fails once, then matches again.
    expect([r.find(arn, 'S'), r.find(arn, 'S'), r.find(arn, 'S')]).toEqual([handler, undefined, handler]);
  });
});
