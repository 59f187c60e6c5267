import { describe, expect, it } from 'vitest';
import { createRuntime, type StateMachineDefinition } from '../../src/index.js';

const run = (definition: StateMachineDefinition, input: unknown = {}, limits?: { payloadBytes?: number }) =>
  createRuntime({ clock: 'virtual', limits }).startExecution({ definition, input: input as never });

describe('workflow variables', () => {
  it('evaluates one Assign against the values from state entry, visible after the state', async () => {
    const def: StateMachineDefinition = {
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Assign: { x: 1, y: 2 }, Next: 'B' },
        B: { Type: 'Pass', Assign: { 'x.$': '$y', 'y.$': '$x' }, Next: 'C' },
        C: { Type: 'Pass', Parameters: { 'x.$': '$x', 'y.$': '$y' }, End: true },
      },
    };
    const execution = run(def);
    expect((await execution.done).output).toEqual({ x: 2, y: 1 });
    const exitedB = execution.events.find((e) => e.type === 'PassStateExited' && (e.stateExitedEventDetails as { name: string }).name === 'B')!;
    expect((exitedB.stateExitedEventDetails as { assignedVariables: unknown }).assignedVariables).toEqual({ x: 2, y: 1 });
  });

  it('records no assignedVariables for an empty Assign, as AWS does', async () => {
    const def: StateMachineDefinition = { StartAt: 'A', States: { A: { Type: 'Pass', Assign: {}, End: true } } };
    const execution = run(def, { a: 1 });
    expect((await execution.done).output).toEqual({ a: 1 });
    const exited = execution.events.find((e) => e.type === 'PassStateExited')!;
    expect(exited.stateExitedEventDetails).toEqual({ name: 'A', output: { a: 1 }, outputDetails: { truncated: false } });
  });

  it('lets Map iterations read outer variables; what they assign stays in the iteration', async () => {
    const def = (innerAssign: Record<string, unknown>): StateMachineDefinition => ({
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Assign: { factor: 10 }, Next: 'Fan' },
        Fan: {
          Type: 'Map', ItemsPath: '$.items', Next: 'After',
          ItemProcessor: { StartAt: 'Scale', States: { Scale: { Type: 'Pass', Parameters: { 'v.$': 'States.MathAdd($, $factor)' }, Assign: innerAssign, End: true } } },
        },
        After: { Type: 'Pass', Parameters: { 'results.$': '$', 'factor.$': '$factor' }, End: true },
      },
    });
    const result = await run(def({ local: 0 }), { items: [1, 2] }).done;
    expect(result.output).toEqual({ results: [{ v: 11 }, { v: 12 }], factor: 10 });
    // Assigning the outer name inside is refused up front, as AWS's validator refuses it
    // (DUPLICATE_VARIABLE_NAME, recorded against AWS (2026-09) for a Parallel branch).
    expect(() => run(def({ factor: 0 }))).toThrow(/DUPLICATE_VARIABLE_NAME at \/States\/Fan\/ItemProcessor\/States\/Scale\/Assign\/factor/);
  });

  it('fails an Assign over 256 KiB with States.DataLimitExceeded unless the limit is lifted', async () => {
    const def: StateMachineDefinition = { StartAt: 'A', States: { A: { Type: 'Pass', Assign: { big: 'x'.repeat(300_000) }, End: true } } };
    expect(await run(def).done).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    expect((await run(def, {}, { payloadBytes: Infinity }).done).status).toBe('SUCCEEDED');
  });
});

describe('JSONata', () => {
  it('runs Output, Assign, Arguments-free Pass and Choice Condition with $states', async () => {
    const def: StateMachineDefinition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Sum',
      States: {
        Sum: { Type: 'Pass', Assign: { total: '{% $sum($states.input.values) %}' }, Output: '{% $states.input.values %}', Next: 'Big?' },
        'Big?': { Type: 'Choice', Choices: [{ Condition: '{% $total > 5 %}', Next: 'Big', Output: { total: '{% $total %}' } }], Default: 'Small' },
        Big: { Type: 'Succeed' },
        Small: { Type: 'Fail', Error: 'TooSmall', Cause: '{% "total was " & $string($total) %}' },
      },
    };
    expect(await run(def, { values: [1, 2, 3] }).done).toMatchObject({ status: 'SUCCEEDED', output: { total: 6 } });
    expect(await run(def, { values: [1, 2] }).done).toMatchObject({ status: 'FAILED', error: 'TooSmall', cause: 'total was 3' });
  });

  it('records EvaluationFailed and States.QueryEvaluationError for an undefined result', async () => {
    const def: StateMachineDefinition = { QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', Output: '{% $nope %}', End: true } } };
    const execution = run(def);
    const result = await execution.done;
    expect(result.error).toBe('States.QueryEvaluationError');
    expect(result.cause).toContain("The JSONata expression '$nope' specified for the field 'Output' returned nothing (undefined).");
    const failed = execution.events.find((e) => e.type === 'EvaluationFailed')!;
    expect(failed.evaluationFailedEventDetails).toMatchObject({ error: 'States.QueryEvaluationError', location: 'Output', state: 'A' });
  });

  it("fails a Wait whose Timestamp expression gives no timestamp, recording EvaluationFailed after the state's entry as AWS does", async () => {
    const def: StateMachineDefinition = {
      QueryLanguage: 'JSONata', StartAt: 'W',
      States: { W: { Type: 'Wait', Timestamp: '{% $states.input.at %}', End: true } },
    };
    const execution = run(def, { at: '2016-12-05 21:29:29Z' });
    const cause = "An error occurred while executing the state 'W' (entered at the event id #2). The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: 2016-12-05 21:29:29Z";
    expect(await execution.done).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError', cause });
    expect(execution.events.map((e) => [e.id, e.previousEventId, e.type])).toEqual([
      [1, 0, 'ExecutionStarted'], [2, 0, 'WaitStateEntered'], [3, 2, 'EvaluationFailed'], [4, 3, 'ExecutionFailed'],
    ]);
    expect(execution.events[2]!.evaluationFailedEventDetails).toEqual({ error: 'States.QueryEvaluationError', cause, location: 'Timestamp', state: 'W' });
  });

  it("fails a JSONPath Wait whose TimestampPath finds no timestamp, quoting the value as AWS does", async () => {
    const def: StateMachineDefinition = { StartAt: 'W', States: { W: { Type: 'Wait', TimestampPath: '$.at', End: true } } };
    const result = await run(def, { at: '2016-12-05T21:29:29' }).done;
    expect(result).toMatchObject({
      status: 'FAILED', error: 'States.Runtime',
      cause: "An error occurred while executing the state 'W' (entered at the event id #2). The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.at == 2016-12-05T21:29:29",
    });
  });

  it('fails a number field whose expression gives no number of its kind, before a Task is scheduled or a Map started', async () => {
    const task = (timeout: string): StateMachineDefinition => ({
      QueryLanguage: 'JSONata', StartAt: 'T',
      States: { T: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f', TimeoutSeconds: timeout, End: true } },
    });
    const map = (max: string): StateMachineDefinition => ({
      QueryLanguage: 'JSONata', StartAt: 'M',
      States: { M: { Type: 'Map', Items: '{% [1, 2] %}', MaxConcurrency: max, ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true } },
    });
    const prefix = (state: string) => `An error occurred while executing the state '${state}' (entered at the event id #2). `;
    const cases: [StateMachineDefinition, string][] = [
      [task("{% 'soon' %}"), prefix('T') + `The JSONata expression ''soon'' specified for the field 'TimeoutSeconds' returned an unexpected result type. Expected 'integer', but was 'string' for value: "soon"`],
      [task('{% 1.5 %}'), prefix('T') + "The JSONata expression '1.5' specified for the field 'TimeoutSeconds' returned an unexpected result type. Expected 'integer', but was 'number' for value: 1.5"],
      [task('{% 0 %}'), prefix('T') + "The JSONata expression '0' specified for the field 'TimeoutSeconds' returned an unexpected result type. Expected 'positive integer', but was 'number' for value: 0"],
      [map('{% -1 %}'), prefix('M') + "The JSONata expression '-1' specified for the field 'MaxConcurrency' returned an unexpected result type. Expected 'non-negative integer', but was 'number' for value: -1"],
    ];
    for (const [def, cause] of cases) {
      const execution = run(def);
      expect(await execution.done).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError', cause });
      // Nothing scheduled or started: the Map records its failure as for an Items expression that fails.
      expect(execution.events.map((e) => e.type)).toEqual(def.States.T
        ? ['ExecutionStarted', 'TaskStateEntered', 'EvaluationFailed', 'ExecutionFailed']
        : ['ExecutionStarted', 'MapStateEntered', 'EvaluationFailed', 'MapStateFailed', 'ExecutionFailed']);
    }
    // Values of the right kind still run.
    expect(await run(map('{% 0 %}')).done).toMatchObject({ status: 'SUCCEEDED', output: [1, 2] });
  });

  it('gives a Task its Arguments and shapes its Output from $states.result', async () => {
    const runtime = createRuntime({ clock: 'virtual' });
    runtime.handle('arn:aws:states:::lambda:invoke', ({ input }) => ({ doubled: (input as { n: number }).n * 2 }));
    const def: StateMachineDefinition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Call',
      States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'f', Payload: { n: '{% $states.input.n %}' } }, Output: '{% $states.result.Payload.doubled %}', End: true } },
    };
    expect(await runtime.run({ definition: def, input: { n: 21 } })).toMatchObject({ status: 'SUCCEEDED', output: 42 });
  });
});
