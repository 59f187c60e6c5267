import { describe, expect, it } from 'vitest';
import { errorMatches, findCatcher, findRetrier, retryDelayMs } from '../../src/compile/error-policy.js';

describe('error policy', () => {
  it('States.ALL matches everything but States.Runtime, which nothing catches', () => {
    expect(errorMatches(['States.ALL'], 'Custom')).toBe(true);
    expect(errorMatches(['States.ALL'], 'States.Timeout')).toBe(true);
    expect(errorMatches(['States.ALL'], 'States.Runtime')).toBe(false);
    expect(errorMatches(['States.Runtime'], 'States.Runtime')).toBe(false);
  });

  it('States.TaskFailed matches task errors but not a timeout', () => {
    expect(errorMatches(['States.TaskFailed'], 'Lambda.ServiceException')).toBe(true);
    expect(errorMatches(['States.TaskFailed'], 'States.Timeout')).toBe(false);
  });

  it('finds the first matching retrier and catcher', () => {
    const retry = [{ ErrorEquals: ['A'] }, { ErrorEquals: ['States.ALL'] }];
    expect(findRetrier(retry, 'A')).toBe(0);
    expect(findRetrier(retry, 'B')).toBe(1);
    expect(findCatcher([{ ErrorEquals: ['X'], Next: 'n' }], 'Y')).toBeUndefined();
  });

  it('computes exponential backoff capped by MaxDelaySeconds, with full jitter', () => {
    const r = { ErrorEquals: ['A'], IntervalSeconds: 2, BackoffRate: 3, MaxDelaySeconds: 10 };
    expect(retryDelayMs(r, 0, () => 0.5)).toBe(2000);
    expect(retryDelayMs(r, 1, () => 0.5)).toBe(6000);
    expect(retryDelayMs(r, 2, () => 0.5)).toBe(10000);
    expect(retryDelayMs({ ...r, JitterStrategy: 'FULL' }, 1, () => 0.5)).toBe(3000);
  });
});
