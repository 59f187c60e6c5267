import { describe, expect, it } from 'vitest';
import { createRuntime, type StateMachineDefinition } from '../../../src/index.js';

const run = (definition: StateMachineDefinition, limits?: { payloadBytes?: number }) =>
  createRuntime({ clock: 'virtual', ...(limits ? { limits } : {}) }).startExecution({ definition, input: {} });

const assigning = (vars: Record<string, string>): StateMachineDefinition => ({
  QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', Assign: vars, Output: { ok: true }, End: true } },
});
const pad = (n: number) => `{% $pad('', ${n}, 'x') %}`;

// Recorded against AWS (2026-09): 256 KiB per variable and per state, each value counted as its
// JSON text (a string with its two quotes), names not counted.
describe('the sizes of the variables a state assigns', () => {
  it('allows a variable of 262144 bytes of JSON text and refuses 262145, naming it and its size', async () => {
    expect((await run(assigning({ x: pad(262_142) })).done).status).toBe('SUCCEEDED');
    expect(await run(assigning({ x: pad(262_143) })).done).toMatchObject({
      status: 'FAILED', error: 'States.DataLimitExceeded',
      cause: "Variable size limit exceeded. Variable 'x' in state 'A' was assigned 262145 bytes.",
    });
    expect((await run(assigning({ x: pad(262_144) })).done).cause).toBe("Variable size limit exceeded. Variable 'x' in state 'A' was assigned 262146 bytes.");
  });

  it("allows 262144 bytes in all and names the variable that crosses the state's total, and by how much", async () => {
    expect((await run(assigning({ x: pad(131_070), y: pad(131_070) })).done).status).toBe('SUCCEEDED');
    expect(await run(assigning({ x: pad(131_071), y: pad(131_071) })).done).toMatchObject({
      status: 'FAILED', error: 'States.DataLimitExceeded',
      cause: "State total variable size limit exceeded. Variable 'y' in state 'A' was assigned 131073 bytes, which caused the size of variables assigned in the state to exceed its limit by 2 bytes.",
    });
    expect((await run(assigning({ x: pad(131_072), y: pad(131_072) })).done).cause)
      .toBe("State total variable size limit exceeded. Variable 'y' in state 'A' was assigned 131074 bytes, which caused the size of variables assigned in the state to exceed its limit by 4 bytes.");
  });

  it('is not a limit on the variables in scope: two states may each assign 200000 characters', async () => {
    const def: StateMachineDefinition = {
      QueryLanguage: 'JSONata', StartAt: 'One',
      States: {
        One: { Type: 'Pass', Assign: { one: pad(200_000) }, Next: 'Two' },
        Two: { Type: 'Pass', Assign: { two: pad(200_000) }, Next: 'Lengths' },
        Lengths: { Type: 'Pass', Output: { one: '{% $length($one) %}', two: '{% $length($two) %}', sum: '{% $length($one) + $length($two) %}' }, End: true },
      },
    };
    expect(await run(def).done).toMatchObject({ status: 'SUCCEEDED', output: { one: 200000, two: 200000, sum: 400000 } });
  });

  it('is lifted with the payload limit', async () => {
    expect((await run(assigning({ x: pad(262_143) }), { payloadBytes: Infinity }).done).status).toBe('SUCCEEDED');
  });
});

// Recorded against AWS (2026-09): 43 states each assigning a distinct 250000-character string
// (250002 bytes of JSON text) fail on the 42nd, 42 × 250002 − 10485760 = 14324 bytes past the
// execution's 10 MiB of variables, with EvaluationFailed (location "Assign") then ExecutionFailed.
describe("the execution's total of workflow variables", () => {
  const chain = (count: number, name: (i: number) => string): StateMachineDefinition => {
    const states: StateMachineDefinition['States'] = {};
    for (let i = 1; i <= count; i++) states[`Assign${i}`] = { Type: 'Pass', Assign: { [name(i)]: pad(250_000) }, ...(i < count ? { Next: `Assign${i + 1}` } : { End: true }) };
    return { QueryLanguage: 'JSONata', StartAt: 'Assign1', States: states };
  };
  const cause = "Execution total variable size limit exceeded. State 'Assign42' assigned variables that exceed the total execution limit by 14324 bytes.";

  it('fails the state that takes it past 10 MiB, by how much, recording EvaluationFailed at Assign as AWS does', async () => {
    const execution = run(chain(43, (i) => `v${i}`));
    expect(await execution.done).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded', cause });
    expect(execution.events.slice(-3).map((e) => [e.id, e.previousEventId, e.type])).toEqual([[84, 83, 'PassStateEntered'], [85, 84, 'EvaluationFailed'], [86, 85, 'ExecutionFailed']]);
    expect(execution.events[84]!.evaluationFailedEventDetails).toEqual({ error: 'States.DataLimitExceeded', cause, location: 'Assign', state: 'Assign42' });
  });

  it('counts a variable assigned again once, at its new size', async () => {
    expect((await run(chain(43, (i) => `v${i % 5}`)).done).status).toBe('SUCCEEDED');
  });

  it("counts a Map iteration's variables while it runs and gives them back when it ends", async () => {
    const def: StateMachineDefinition = {
      QueryLanguage: 'JSONata', StartAt: 'M',
      States: {
        M: {
          Type: 'Map', Items: '{% [1..50] %}', MaxConcurrency: 1,
          ItemProcessor: { StartAt: 'A', States: { A: { Type: 'Pass', Assign: { local: pad(250_000) }, End: true } } },
          Output: '{% $count($states.result) %}', End: true,
        },
      },
    };
    expect(await run(def).done).toMatchObject({ status: 'SUCCEEDED', output: 50 });
  });

  it('is lifted with the payload limit', async () => {
    expect((await run(chain(43, (i) => `v${i}`), { payloadBytes: Infinity }).done).status).toBe('SUCCEEDED');
  });
});
