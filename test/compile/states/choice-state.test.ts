import { describe, expect, it } from 'vitest';
import { createRuntime, type StateMachineDefinition } from '../../../src/index.js';

// Recorded against AWS (2026-09), us-west-2: a Choice state whose rules all fail and that has no
// Default fails the execution with States.Runtime (not States.NoChoiceMatched).
const CAUSE = "An error occurred while executing the state 'ChoiceNoMatch' (entered at the event id #2). Failed to transition out of the state. The state does not point to a next state.";

describe('a Choice state that matches no rule and has no Default', () => {
  it('fails with States.Runtime, in AWS\'s words, the failure threaded on the state entered', async () => {
    const definition = {
      StartAt: 'ChoiceNoMatch',
      States: {
        ChoiceNoMatch: { Type: 'Choice', Choices: [{ Variable: '$.value', NumericEquals: 1, Next: 'Done' }] },
        Done: { Type: 'Succeed' },
      },
    } as StateMachineDefinition;
    const execution = createRuntime({ clock: 'virtual' }).startExecution({ definition, input: { case: 'ChoiceNoMatch', value: 2 } });
    expect(await execution.done).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: CAUSE });
    expect(execution.events.map((e) => [e.id, e.previousEventId, e.type])).toEqual([
      [1, 0, 'ExecutionStarted'],
      [2, 0, 'ChoiceStateEntered'],
      [3, 2, 'ExecutionFailed'],
    ]);
  });

  it('fails the same way in JSONata, where no Catch can take it either', async () => {
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Try',
      States: {
        Try: { Type: 'Parallel', Branches: [{ StartAt: 'ChoiceNoMatch', States: { ChoiceNoMatch: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.value = 1 %}', Next: 'Done' }] }, Done: { Type: 'Succeed' } } }], Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }], End: true },
        Caught: { Type: 'Succeed' },
      },
    } as StateMachineDefinition;
    const result = await createRuntime({ clock: 'virtual' }).run({ definition, input: { value: 2 } });
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(result.cause).toMatch(/^An error occurred while executing the state 'ChoiceNoMatch' \(entered at the event id #\d+\)\. Failed to transition out of the state\. The state does not point to a next state\.$/);
  });
});

describe('a JSONata Choice on the output of the state before it', () => {
  it('takes the rule that matches $states.input, as AWS does', async () => {
    // As AWS answered it, quoted in localstack/localstack#12061: the execution ends in the Fail state.
    const definition = {
      StartAt: 'Pass',
      QueryLanguage: 'JSONata',
      States: {
        Pass: { Type: 'Pass', Output: { status: 'BAD' }, Next: 'Choice' },
        Choice: { Type: 'Choice', Choices: [{ Next: 'Fail', Condition: '{% $states.input.status != "OK" %}' }], Default: 'Success' },
        Fail: { Type: 'Fail' },
        Success: { Type: 'Succeed' },
      },
    } as StateMachineDefinition;
    const execution = createRuntime({ clock: 'virtual' }).startExecution({ definition, input: {} });
    expect(await execution.done).toMatchObject({ status: 'FAILED' });
    expect(execution.events.map((e) => e.type)).toContain('FailStateEntered');
  });
});
