import { describe, expect, it } from 'vitest';
import { parseMockConfig, taskCallsIn } from '../../src/resources/mock-config.js';
import type { HistoryEvent } from '../../src/execution/history-event.js';
import { createRuntime } from '../../src/index.js';
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

describe('mock config: what a broken file is told', () => {
  const broken = (json: unknown): string => {
    try {
      parseMockConfig(json, 'mocks.json');
    } catch (e) {
      expect(isStepwiseError(e)).toBe(true);
      return (e as Error).message;
    }
    throw new Error('accepted');
  };
  const machine = (responses: unknown) => ({ StateMachines: { M: { TestCases: { T: { S: 'R' } } } }, MockedResponses: { R: responses } });

  it('refuses overlapping invocation ranges: each invocation has one response', () => {
    expect(broken(machine({ '0-2': { Return: 1 }, '2-3': { Return: 2 } }))).toBe('mocks.json: /MockedResponses/R/2-3: overlaps "0-2": each invocation must have exactly one response');
    expect(broken(machine({ '0-2': { Return: 1 }, '1': { Return: 2 } }))).toMatch(/^mocks\.json: \/MockedResponses\/R\/(0-2|1): overlaps/);
    expect(() => parseMockConfig(machine({ '0-1': { Return: 1 }, '2-3': { Return: 2 } }))).not.toThrow();
  });

  it('refuses a Throw whose Error or Cause is not a string, or that is not an object', () => {
    expect(broken(machine({ '0': { Throw: { Error: 5 } } }))).toBe('mocks.json: /MockedResponses/R/0/Throw/Error: must be a string');
    expect(broken(machine({ '0': { Throw: { Error: 'E', Cause: { a: 1 } } } }))).toBe('mocks.json: /MockedResponses/R/0/Throw/Cause: must be a string');
    expect(broken(machine({ '0': { Throw: [] } }))).toBe('mocks.json: /MockedResponses/R/0/Throw: must be an object with Error and Cause');
    // Either may be left out (the conformance corpus throws States.Timeout without a cause).
    expect(() => parseMockConfig(machine({ '0': { Throw: { Error: 'States.Timeout' } } }))).not.toThrow();
  });

  it('refuses arrays where objects belong', () => {
    expect(broken({ StateMachines: { M: { TestCases: [] } } })).toBe('mocks.json: /StateMachines/M: must have a TestCases object');
    expect(broken({ StateMachines: { M: { TestCases: { T: [] } } } })).toBe('mocks.json: /StateMachines/M/TestCases/T: must map state names to response names');
    expect(broken({ MockedResponses: { R: [] } })).toBe('mocks.json: /MockedResponses/R: must be an object of invocation ranges');
  });

  it('escapes names in its JSON pointers', () => {
    expect(broken({ MockedResponses: { 'a/b~c': { x: { Return: 1 } } } })).toContain('mocks.json: /MockedResponses/a~1b~0c/x:');
  });

  it('names the file when the state machine or test case is missing', () => {
    const cfg = parseMockConfig(config, 'mocks.json');
    expect(() => cfg.testCase('Other', 'Happy')).toThrow('mocks.json: /StateMachines: has no state machine "Other"');
    expect(() => cfg.testCase('M', 'Sad')).toThrow('mocks.json: /StateMachines/M/TestCases: state machine "M" has no test case "Sad" (it has: Happy)');
  });
});

describe('mock config: invocations count across the execution (DG:sfn-local-mock-cfg-file)', () => {
  const lambda = 'arn:aws:lambda:us-east-1:123456789012:function:f';
  const mocks = (responses: Record<string, unknown>, states: Record<string, string>) =>
    parseMockConfig({ StateMachines: { M: { TestCases: { T: states } } }, MockedResponses: responses }, 'mocks.json');

  it('a Task entered again by a loop takes the next response, not the first again', async () => {
    const definition = {
      StartAt: 'Check',
      States: {
        Check: { Type: 'Task', Resource: lambda, Next: 'Done?' },
        'Done?': { Type: 'Choice', Choices: [{ Variable: '$.status', StringEquals: 'DONE', Next: 'End' }], Default: 'Check' },
        End: { Type: 'Succeed' },
      },
    };
    const runtime = createRuntime({ clock: 'virtual', mockConfig: mocks({ R: { '0-1': { Return: { status: 'PENDING' } }, '2': { Return: { status: 'DONE' } } } }, { Check: 'R' }) });
    const execution = runtime.startExecution({ definition, stateMachineName: 'M', testCase: 'T' });
    const result = await execution.done;
    expect(result.status).toBe('SUCCEEDED');
    expect((await runtime.execution(result.executionArn).history()).filter((e) => e.type === 'LambdaFunctionScheduled')).toHaveLength(3);

    // A fork replays the first run's calls: after the first answer it numbers the next call 1.
    const history = await runtime.execution(result.executionArn).history();
    const firstAnswer = history.find((e) => e.type === 'LambdaFunctionSucceeded')!.id;
    const fork = await runtime.fork(result.executionArn, { fromEventId: firstAnswer });
    const forked = await fork.done;
    expect(forked.status).toBe('SUCCEEDED');
    expect((await runtime.execution(forked.executionArn).history()).filter((e) => e.type === 'LambdaFunctionScheduled')).toHaveLength(3);
  });

  it("a Task inside a Map: the iterations share the state's invocations", async () => {
    const definition = {
      StartAt: 'Each',
      States: { Each: { Type: 'Map', MaxConcurrency: 1, ItemsPath: '$.items', ItemProcessor: { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: lambda, End: true } } }, End: true } },
    };
    const runtime = createRuntime({ clock: 'virtual', mockConfig: mocks({ R: { '0': { Return: 'a' }, '1': { Return: 'b' }, '2': { Return: 'c' } }, One: { '0': { Return: 'only' } } }, { Work: 'R' }) });
    const ok = await runtime.run({ definition, input: { items: [1, 2, 3] }, stateMachineName: 'M', testCase: 'T' });
    expect(ok).toMatchObject({ status: 'SUCCEEDED', output: ['a', 'b', 'c'] });

    const short = createRuntime({ clock: 'virtual', mockConfig: mocks({ One: { '0': { Return: 'only' } } }, { Work: 'One' }) });
    const failed = await short.run({ definition, input: { items: [1, 2] }, stateMachineName: 'M', testCase: 'T' });
    expect(failed).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed', cause: "The mock config has no response for invocation 1 of state 'Work'." });
  });

  it('a redrive goes on counting: its first call of a state takes the response after the last one its history made (a retried call counts too)', async () => {
    const definition = {
      StartAt: 'Charge',
      States: { Charge: { Type: 'Task', Resource: lambda, Retry: [{ ErrorEquals: ['Card.Busy'], MaxAttempts: 1, IntervalSeconds: 1 }], End: true } },
    };
    const runtime = createRuntime({
      clock: 'virtual',
      mockConfig: mocks({ R: { '0': { Throw: { Error: 'Card.Busy' } }, '1': { Throw: { Error: 'Card.Declined' } }, '2': { Return: { charged: true } } } }, { Charge: 'R' }),
    });
    const first = await runtime.run({ definition, stateMachineName: 'M', testCase: 'T' });
    expect(first).toMatchObject({ status: 'FAILED', error: 'Card.Declined' });
    const redriven = await (await runtime.redrive(first.executionArn)).done;
    expect(redriven).toMatchObject({ status: 'SUCCEEDED', output: { charged: true } });
    expect(await runtime.replay({ executionArn: first.executionArn })).toMatchObject({ ok: true });
  });

  it('taskCallsIn counts each Task state\'s calls in a history, retries and Map iterations included', () => {
    const ev = (id: number, previousEventId: number, type: string, name?: string) =>
      ({ id, previousEventId, timestamp: id, type, ...(name ? { stateEnteredEventDetails: { name } } : {}) }) as HistoryEvent;
    const events = [
      ev(1, 0, 'ExecutionStarted'), ev(2, 1, 'TaskStateEntered', 'A'), ev(3, 2, 'LambdaFunctionScheduled'), ev(4, 3, 'LambdaFunctionStarted'),
      ev(5, 4, 'LambdaFunctionFailed'), ev(6, 5, 'LambdaFunctionScheduled'), ev(7, 6, 'LambdaFunctionStarted'), ev(8, 7, 'LambdaFunctionSucceeded'),
      ev(9, 8, 'TaskStateExited'), ev(10, 9, 'TaskStateEntered', 'B'), ev(11, 10, 'TaskScheduled'), ev(12, 10, 'ActivityScheduled'),
    ];
    expect(Object.fromEntries(taskCallsIn(events))).toEqual({ A: 2, B: 2 });
  });

  it('refuses a test case that names a state the definition does not have', () => {
    const definition = { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: lambda, End: true } } };
    const runtime = createRuntime({ mockConfig: mocks({ R: { '0': { Return: 1 } } }, { Wrok: 'R' }) });
    expect(() => runtime.startExecution({ definition, stateMachineName: 'M', testCase: 'T' })).toThrow(
      'mocks.json: /StateMachines/M/TestCases/T/Wrok: names state "Wrok", which the definition does not have (its states: Work)',
    );
  });
});
