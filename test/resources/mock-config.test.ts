import { describe, expect, it } from 'vitest';
import { parseMockConfig } from '../../src/resources/mock-config.js';
import { isStepwiseError } from '../../src/errors/stepwise-error.js';

const config = {
  StateMachines: { M: { TestCases: { Happy: { Charge: 'ChargeResponses' } } } },
  MockedResponses: {
    ChargeResponses: {
      '0': { Throw: { Error: 'Busy', Cause: 'retry later' } },
      '1-2': { Return: { ok: true } },
    },
  },
};

describe('mock config', () => {
  it('answers invocations by number and range', () => {
    const tc = parseMockConfig(config).testCase('M', 'Happy');
    expect(tc.has('Charge')).toBe(true);
    expect(tc.responseFor('Charge', 0)).toEqual({ Throw: { Error: 'Busy', Cause: 'retry later' } });
    expect(tc.responseFor('Charge', 2)).toEqual({ Return: { ok: true } });
    expect(tc.responseFor('Charge', 3)).toBeUndefined();
  });

  it('says which state machine or test case is missing', () => {
    const cfg = parseMockConfig(config);
    expect(() => cfg.testCase('Other', 'Happy')).toThrow(/no state machine "Other"/);
    expect(() => cfg.testCase('M', 'Sad')).toThrow(/no test case "Sad"/);
  });

  it('rejects a broken file with where and why', () => {
    try {
      parseMockConfig({ MockedResponses: { R: { first: { Return: 1 } } } }, 'mocks.json');
      expect.unreachable();
    } catch (e) {
      expect(isStepwiseError(e)).toBe(true);
      expect((e as Error).message).toContain('mocks.json: /MockedResponses/R/first');
    }
    expect(() => parseMockConfig({ StateMachines: { M: { TestCases: { T: { S: 'Nope' } } } }, MockedResponses: {} })).toThrow(/not in MockedResponses/);
  });
});
