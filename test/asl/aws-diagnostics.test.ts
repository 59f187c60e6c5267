import { describe, expect, it } from 'vitest';
import { awsDiagnostic, awsLocation, invalidDefinitionMessage } from '../../src/asl/aws-diagnostics.js';
import { validateDefinition } from '../../src/asl/validate-definition.js';

const branch = (name: string) => ({ StartAt: name, States: { [name]: { Type: 'Pass', End: true } } });

describe('awsLocation', () => {
  const def = {
    StartAt: 'C',
    States: {
      C: { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'P' }], Default: 'T' },
      T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'P' }] },
      P: { Type: 'Parallel', Branches: [branch('B'), branch('D')], End: true },
      '0': { Type: 'Pass', Result: { list: [[1, { a: 2 }]] }, End: true },
      'a/b~c': { Type: 'Pass', End: true },
    },
  };

  it('writes an array index in brackets after its member, as AWS does (as measured against AWS (floci-io/floci#2786))', () => {
    expect(awsLocation('/States/C/Choices/0/Next', def)).toBe('/States/C/Choices[0]/Next');
    expect(awsLocation('/States/T/Catch/0/Next', def)).toBe('/States/T/Catch[0]/Next');
    expect(awsLocation('/States/C/Default', def)).toBe('/States/C/Default');
  });

  it('writes a branch state as recorded against AWS (2026-09)', () => {
    expect(awsLocation('/States/P/Branches/1/States/D', def)).toBe('/States/P/Branches[1]/States/D');
  });

  it('reads indexes from the definition: a state named "0" stays a name, nested arrays take one bracket each', () => {
    expect(awsLocation('/States/0', def)).toBe('/States/0');
    expect(awsLocation('/States/0/Result/list/0/1/a', def)).toBe('/States/0/Result/list[0][1]/a');
  });

  it('shows names unescaped and the root as "/"', () => {
    expect(awsLocation('/States/a~1b~0c', def)).toBe('/States/a/b~c');
    expect(awsLocation('', def)).toBe('/');
    // A pointer past the definition (a missing value) keeps its segments as names.
    expect(awsLocation('/States/Gone/Next', def)).toBe('/States/Gone/Next');
  });
});

describe('invalidDefinitionMessage', () => {
  it('repeats the code per problem and joins them with ", ", as recorded against AWS (2026-09)', () => {
    const task = { Type: 'Task', Resource: 'arn:aws:states:us-west-2:000000000000:activity:probe', End: true };
    const tasks = (...names: string[]) => names.map((name) => ({ StartAt: name, States: { [name]: task } }));
    const def = {
      StartAt: 'Select',
      States: {
        Select: { Type: 'Choice', Choices: [{ Variable: '$.mode', StringEquals: 'parallel', Next: 'Parallel' }, { Variable: '$.mode', StringEquals: 'parallel-caught', Next: 'ParallelCaught' }], Default: 'Parallel' },
        Parallel: { Type: 'Parallel', Branches: tasks('Left', 'Right'), End: true },
        ParallelCaught: { Type: 'Parallel', Branches: tasks('Left', 'Right'), Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.caught', Next: 'Fallback' }], End: true },
        Fallback: { Type: 'Pass', End: true },
      },
    };
    const problems = validateDefinition(def).filter((d) => d.severity === 'ERROR');
    expect(invalidDefinitionMessage(problems, def)).toBe(
      "Invalid State Machine Definition: 'DUPLICATE_STATE_NAME: Duplicate State name: Left at /States/ParallelCaught/Branches[0]/States/Left, DUPLICATE_STATE_NAME: Duplicate State name: Right at /States/ParallelCaught/Branches[1]/States/Right'",
    );
  });

  it('locates a workflow without a terminal state at null (floci-io/floci#2735)', () => {
    const def = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' } } };
    expect(invalidDefinitionMessage(validateDefinition(def), def)).toBe("Invalid State Machine Definition: 'MISSING_END_STATE: Workflow has no terminal state at null'");
  });
});

describe('awsDiagnostic', () => {
  it('leaves the location out for a workflow without a terminal state (as measured against AWS (floci-io/floci#2786))', () => {
    const def = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'NOPE' } } };
    expect(validateDefinition(def).map((d) => awsDiagnostic(d, def))).toEqual([
      { severity: 'ERROR', code: 'MISSING_TRANSITION_TARGET', message: "Missing 'Next' target: NOPE", location: '/States/A/Next' },
      { severity: 'ERROR', code: 'MISSING_END_STATE', message: 'Workflow has no terminal state' },
    ]);
  });

  it('keeps "/" for other problems of the whole definition', () => {
    const def = { States: { A: { Type: 'Pass', End: true } } };
    expect(validateDefinition(def).map((d) => awsDiagnostic(d, def))).toEqual([
      { severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: 'These fields are required: [StartAt]', location: '/' },
    ]);
  });
});
