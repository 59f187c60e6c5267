import { awsLocation } from '../../src/asl/aws-diagnostics.js';
import { describe, expect, it } from 'vitest';
import { parseDefinitionText } from '../../src/asl/parse-definition.js';
import {
  checkJsonataExpression,
  isRfc3339Timestamp,
  validateDefinition,
  validateDefinitionResult,
  type Diagnostic,
} from '../../src/asl/validate-definition.js';

type Obj = Record<string, unknown>;

const machine = (states: Obj, extra: Obj = {}): Obj => ({ StartAt: Object.keys(states)[0], States: states, ...extra });
const errors = (def: unknown): Diagnostic[] => validateDefinition(def).filter((d) => d.severity === 'ERROR');
const codes = (def: unknown): string[] => errors(def).map((d) => d.code);
const messages = (def: unknown): string[] => errors(def).map((d) => d.message);
const locations = (def: unknown): string[] => errors(def).map((d) => d.location);

const task = (extra: Obj = {}): Obj => ({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true, ...extra });
const pass = (extra: Obj = {}): Obj => ({ Type: 'Pass', End: true, ...extra });

function expectValid(def: unknown): void {
  expect(errors(def)).toEqual([]);
}

function expectError(def: unknown, code: string, location: string, message?: string | RegExp): void {
  const found = errors(def).find((d) => d.code === code && d.location === location && (message === undefined || (typeof message === 'string' ? d.message === message : message.test(d.message))));
  expect(found, `expected ${code} at ${location}; got ${JSON.stringify(errors(def), null, 1)}`).toBeDefined();
}

describe('validateDefinitionResult', () => {
  it('answers OK for a small valid machine and keeps warnings out of the verdict', () => {
    const def = machine({ A: pass({ Parameters: { looksLikePath: '$.x' } }) });
    const r = validateDefinitionResult(def);
    expect(r.result).toBe('OK');
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ severity: 'WARNING', code: 'NO_DOLLAR', location: '/States/A/Parameters' }),
    ]);
  });

  it('answers FAIL with every problem at once', () => {
    const def = machine({ A: { Type: 'Pass', Next: 'Nope' }, B: { Type: 'Wait', End: true } });
    const r = validateDefinitionResult(def);
    expect(r.result).toBe('FAIL');
    expect(r.diagnostics.map((d) => d.code).sort()).toEqual(['MISSING_TRANSITION_TARGET', 'MISSING_TRANSITION_TARGET', 'SCHEMA_VALIDATION_FAILED']);
  });
});

describe('top level', () => {
  it('refuses a definition nested deeper than Stepwise takes, without exhausting the call stack', () => {
    const nested = (levels: number) => {
      let v: unknown = 1;
      for (let i = 0; i < levels; i++) v = { a: v };
      return v;
    };
    // The Result is three levels down (the definition, States, the state): 997 more make 1,000.
    expectValid(machine({ A: pass({ Result: nested(997) }) }));
    expect(errors(machine({ A: pass({ Result: nested(998) }) }))).toEqual([
      { severity: 'ERROR', code: 'INVALID_JSON_DESCRIPTION', message: 'The definition nests arrays and objects more than 1000 levels deep.', location: '' },
    ]);
    expect(codes(machine({ A: pass({ Result: nested(100_000) }) }))).toEqual(['INVALID_JSON_DESCRIPTION']);
  });

  it('rejects what is not an object, and reports an empty definition', () => {
    expect(codes([])).toEqual(['SCHEMA_VALIDATION_FAILED']);
    expect(codes(null)).toEqual(['MISSING_DESCRIPTION']);
  });

  it('requires StartAt and States, and StartAt must name a state', () => {
    expectError({ States: { A: pass() } }, 'SCHEMA_VALIDATION_FAILED', '', 'These fields are required: [StartAt]');
    expectError({ StartAt: 'A' }, 'SCHEMA_VALIDATION_FAILED', '', 'These fields are required: [States]');
    expectError({}, 'SCHEMA_VALIDATION_FAILED', '', 'These fields are required: [States, StartAt]');
    expectError({ StartAt: 'First', States: { FirstState: pass() } }, 'MISSING_TRANSITION_TARGET', '/StartAt');
  });

  it("words a StartAt naming no state as a missing 'Next' target, and reports the states no transition names, as AWS answers (aws-cloudformation/cfn-lint#4074)", () => {
    const def = { StartAt: 'Not sure', States: { 'Pass One': { Type: 'Pass', Next: 'Success' }, Success: { Type: 'Succeed' } } };
    expect(errors(def)).toEqual([
      { severity: 'ERROR', code: 'MISSING_TRANSITION_TARGET', message: "Missing 'Next' target: Not sure", location: '/StartAt' },
      { severity: 'ERROR', code: 'MISSING_TRANSITION_TARGET', message: 'State "Pass One" is not reachable.', location: '/States/Pass One' },
    ]);
  });

  it('checks TimeoutSeconds, Version, QueryLanguage and unknown fields', () => {
    expectError(machine({ A: pass() }, { TimeoutSeconds: 0 }), 'SCHEMA_VALIDATION_FAILED', '/TimeoutSeconds', 'Minimum value is 1');
    expectError(machine({ A: pass() }, { TimeoutSeconds: 1.5 }), 'SCHEMA_VALIDATION_FAILED', '/TimeoutSeconds');
    expectError(machine({ A: pass() }, { Version: 1 }), 'SCHEMA_VALIDATION_FAILED', '/Version');
    expectError(machine({ A: pass() }, { QueryLanguage: 'XPath' }), 'SCHEMA_VALIDATION_FAILED', '/QueryLanguage');
    expectError(machine({ A: pass() }, { Foo: 1 }), 'SCHEMA_VALIDATION_FAILED', '', "Field 'Foo' is not supported");
    expectValid(machine({ A: pass() }, { TimeoutSeconds: 60, Version: '1.0', Comment: 'c', QueryLanguage: 'JSONPath' }));
  });

  it("words an unknown state Type as AWS does (LocalStack's TestState test, recorded against AWS)", () => {
    expectError(
      { StartAt: 'ExistingButInvalidState', States: { ExistingButInvalidState: { Type: 'TypeThatDoesNotExist', End: true } } },
      'SCHEMA_VALIDATION_FAILED', '/States/ExistingButInvalidState/Type',
      "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]",
    );
  });

  it('limits state names to 80 characters', () => {
    const long = 'x'.repeat(81);
    expectError({ StartAt: long, States: { [long]: pass() } }, 'INVALID_STATE_NAME', `/States/${long}`);
    expectValid({ StartAt: 'y'.repeat(80), States: { ['y'.repeat(80)]: pass() } });
  });

  it('escapes pointer segments as RFC 6901 requires', () => {
    expectError(machine({ 'a/b~c': { Type: 'Pass', Next: 'missing' } }), 'MISSING_TRANSITION_TARGET', '/States/a~1b~0c/Next');
  });

  it('reports duplicate state names, in one States object and across nested machines', () => {
    const parsed = parseDefinitionText('{"StartAt":"A","States":{"A":{"Type":"Pass","End":true},"A":{"Type":"Succeed"}}}', 'dup.json');
    expectError(parsed, 'DUPLICATE_STATE_NAME', '/States/A');
    const nested = machine({
      P: { Type: 'Parallel', Next: 'B', Branches: [{ StartAt: 'B', States: { B: pass() } }] },
      B: pass(),
    });
    expectError(nested, 'DUPLICATE_STATE_NAME', '/States/B');
  });

  it('words a duplicate state name as AWS does, at the later state, as recorded against AWS (2026-09)', () => {
    // Two Parallel states whose branches both name their states Left and Right.
    const branches = () => ['Left', 'Right'].map((name) => ({ StartAt: name, States: { [name]: pass() } }));
    const def = machine({ Parallel: { Type: 'Parallel', Branches: branches(), Next: 'ParallelCaught' }, ParallelCaught: { Type: 'Parallel', Branches: branches(), End: true } });
    expect(errors(def).map((d) => [d.code, d.message])).toEqual([
      ['DUPLICATE_STATE_NAME', 'Duplicate State name: Left'],
      ['DUPLICATE_STATE_NAME', 'Duplicate State name: Right'],
    ]);
  });

  it('warns about other repeated keys, whose last value wins', () => {
    const parsed = parseDefinitionText('{"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"End":true}}}', 'dup.json');
    expect(validateDefinition(parsed)).toEqual([
      { severity: 'WARNING', code: 'DUPLICATE_FIELD', message: "Field 'End' appears more than once; only its last value is used", location: '/States/A/End' },
    ]);
  });
});

describe('transitions and the state graph', () => {
  it('requires Next targets to exist, also for Choice rules, Default and Catch', () => {
    const def = machine({
      T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Next: 'C', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Gone' }] },
      C: { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'Nowhere' }], Default: 'Missing' },
    });
    expect(messages(def)).toEqual(expect.arrayContaining(["Missing 'Next' target: Gone", "Missing 'Next' target: Nowhere", "Missing 'Next' target: Missing"]));
    expect(locations(def)).toEqual(expect.arrayContaining(['/States/T/Catch/0/Next', '/States/C/Choices/0/Next', '/States/C/Default']));
  });

  it('makes Next and End exclusive and one of them required', () => {
    expectError(machine({ A: { Type: 'Pass', Next: 'A', End: true } }), 'SCHEMA_VALIDATION_FAILED', '/States/A', 'There should only be one of the following fields: [Next, End]');
    expectError(machine({ A: { Type: 'Pass' }, B: pass() }), 'SCHEMA_VALIDATION_FAILED', '/States/A');
    expectError(machine({ A: { Type: 'Pass', End: 'yes' } }), 'SCHEMA_VALIDATION_FAILED', '/States/A/End');
  });

  it('reports unreachable states', () => {
    const def = machine({ A: { Type: 'Pass', Next: 'C' }, B: { Type: 'Pass', Next: 'C' }, C: pass() });
    expect(errors(def)).toEqual([{ severity: 'ERROR', code: 'MISSING_TRANSITION_TARGET', message: 'State "B" is not reachable.', location: '/States/B' }]);
  });

  describe('as measured against AWS (floci-io/floci#2786)', () => {
    const loop = { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' } };
    const noEnd = { severity: 'ERROR', code: 'MISSING_END_STATE', message: 'Workflow has no terminal state', location: '' };

    it('reports a bare loop as MISSING_END_STATE alone, also with a state nothing routes to', () => {
      expect(errors(machine(loop))).toEqual([noEnd]);
      expect(errors(machine({ ...loop, C: { Type: 'Pass', Next: 'A' } }))).toEqual([noEnd]);
    });

    it('reports an unreachable terminal state added to that loop instead', () => {
      expect(errors(machine({ ...loop, C: pass() }))).toEqual([{ severity: 'ERROR', code: 'MISSING_TRANSITION_TARGET', message: 'State "C" is not reachable.', location: '/States/C' }]);
    });

    it('reports a dangling Next before the missing end state it leaves', () => {
      expect(errors(machine({ A: { Type: 'Pass', Next: 'NOPE' } }))).toEqual([
        { severity: 'ERROR', code: 'MISSING_TRANSITION_TARGET', message: "Missing 'Next' target: NOPE", location: '/States/A/Next' },
        noEnd,
      ]);
    });

    it("says 'Next' for a dangling Choice rule, Default and Catch too", () => {
      const choice = (rule: string, fallback: string) => ({ Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: rule }], Default: fallback });
      expect(errors(machine({ C: choice('NOPE', 'E'), E: { Type: 'Succeed' } }))).toEqual([
        { severity: 'ERROR', code: 'MISSING_TRANSITION_TARGET', message: "Missing 'Next' target: NOPE", location: '/States/C/Choices/0/Next' },
      ]);
      expect(errors(machine({ A: choice('E', 'NOPE'), E: { Type: 'Succeed' } }))).toEqual([
        { severity: 'ERROR', code: 'MISSING_TRANSITION_TARGET', message: "Missing 'Next' target: NOPE", location: '/States/A/Default' },
      ]);
      expect(errors(machine({ T: task({ Catch: [{ ErrorEquals: ['States.ALL'], Next: 'NOPE' }] }) }))).toEqual([
        { severity: 'ERROR', code: 'MISSING_TRANSITION_TARGET', message: "Missing 'Next' target: NOPE", location: '/States/T/Catch/0/Next' },
      ]);
    });
  });

  it('reports a machine without terminal state once, without the unreachable walk', () => {
    const def = machine({ A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' }, C: { Type: 'Pass', Next: 'A' } });
    expect(errors(def)).toEqual([{ severity: 'ERROR', code: 'MISSING_END_STATE', message: 'Workflow has no terminal state', location: '' }]);
  });

  it('counts Succeed and Fail as terminal, but not Choice', () => {
    expectValid(machine({ A: { Type: 'Pass', Next: 'S' }, S: { Type: 'Succeed' } }));
    expectValid(machine({ A: { Type: 'Fail', Error: 'E' } }));
    expect(codes(machine({ C: { Type: 'Choice', Choices: [{ Variable: '$.x', IsNull: true, Next: 'C' }] } }))).toEqual(['MISSING_END_STATE']);
  });

  it('keeps Next inside its branch', () => {
    const def = machine({
      M: { Type: 'Map', Next: 'Final', ItemProcessor: { StartAt: 'In', States: { In: { Type: 'Pass', Next: 'Final' } } } },
      Final: pass(),
    });
    expectError(def, 'MISSING_TRANSITION_TARGET', '/States/M/ItemProcessor/States/In/Next', "Missing 'Next' target: Final");
    expectError(def, 'MISSING_END_STATE', '/States/M/ItemProcessor');
  });
});

describe('fields per state type', () => {
  it('rejects unknown fields at the state', () => {
    expectError(machine({ A: pass({ bugInputPath: '$.x' }) }), 'SCHEMA_VALIDATION_FAILED', '/States/A', "Field 'bugInputPath' is not supported");
    expectError(machine({ A: { Type: 'Succeed', Assign: {} } }), 'SCHEMA_VALIDATION_FAILED', '/States/A', "Field 'Assign' is not supported");
    expectError(machine({ A: { Type: 'Fail', Next: 'A' } }), 'SCHEMA_VALIDATION_FAILED', '/States/A', "Field 'Next' is not supported");
    expectError(machine({ A: { Type: 'Parallel', End: true, TimeoutSeconds: 5, Branches: [{ StartAt: 'B', States: { B: pass() } }] } }), 'SCHEMA_VALIDATION_FAILED', '/States/A', "Field 'TimeoutSeconds' is not supported");
    expectError(machine({ A: pass({ Retry: [] }) }), 'SCHEMA_VALIDATION_FAILED', '/States/A', "Field 'Retry' is not supported");
  });

  it('requires a known Type', () => {
    expectError(machine({ A: { End: true } }), 'SCHEMA_VALIDATION_FAILED', '/States/A', "The field 'Type' is required but was missing");
    expectError(machine({ A: { Type: 'Lambda', End: true } }), 'SCHEMA_VALIDATION_FAILED', '/States/A/Type');
  });

  it('separates JSONPath-only and JSONata-only fields', () => {
    expectError(machine({ A: pass({ Output: {} }) }), 'SCHEMA_VALIDATION_FAILED', '/States/A', "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage");
    expectError(machine({ A: pass({ QueryLanguage: 'JSONata', InputPath: '$.x' }) }), 'SCHEMA_VALIDATION_FAILED', '/States/A', "The QueryLanguage is set to 'JSONata', but field 'InputPath' is only supported for the 'JSONPath' QueryLanguage");
    expectError(machine({ T: task({ Arguments: {} }) }), 'SCHEMA_VALIDATION_FAILED', '/States/T');
    expectValid(machine({ T: task({ QueryLanguage: 'JSONata', Arguments: { a: '{% $states.input.a %}' }, Output: '{% $states.result %}' }) }));
  });

  it('forbids switching a JSONata machine back to JSONPath', () => {
    expectError(machine({ Pass: pass({ QueryLanguage: 'JSONPath' }) }, { QueryLanguage: 'JSONata' }), 'SCHEMA_VALIDATION_FAILED', '/States/Pass', "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine");
  });

  it('lets states inside an inline Map inherit the machine language, not the Map state’s', () => {
    const def = machine({
      M: { Type: 'Map', QueryLanguage: 'JSONata', End: true, ItemProcessor: { StartAt: 'P', States: { P: pass({ Output: 1 }) } } },
    });
    expectError(def, 'SCHEMA_VALIDATION_FAILED', '/States/M/ItemProcessor/States/P');
  });

  it('lets a distributed Map processor start from the Map state’s language', () => {
    const def = machine(
      {
        M: {
          Type: 'Map',
          End: true,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
            StartAt: 'P',
            States: { P: pass({ QueryLanguage: 'JSONPath', OutputPath: '$.Payload' }) },
          },
        },
      },
      { QueryLanguage: 'JSONata' },
    );
    expectValid(def);
  });
});

describe('Task', () => {
  it('requires a Resource that is an ARN, with well-formed Lambda function names', () => {
    expectError(machine({ T: { Type: 'Task', End: true } }), 'SCHEMA_VALIDATION_FAILED', '/States/T');
    expectError(machine({ T: task({ Resource: '${lambdaArn' }) }), 'INVALID_RESOURCE', '/States/T/Resource');
    expectError(machine({ T: task({ Resource: 'arn:aws:lambda:us-east-1:123456789012:function:fn:' }) }), 'INVALID_RESOURCE', '/States/T/Resource');
    expectError(machine({ T: task({ Resource: 'arn:aws:lambda:us-east-1:123456789012:function:fn:$*#' }) }), 'INVALID_RESOURCE', '/States/T/Resource');
    expectValid(machine({ T: task({ Resource: 'arn:aws:lambda:us-east-1:123456789012:function:fn:$LATEST' }) }));
    expectValid(machine({ T: task({ Resource: 'arn:aws:lambda:::function:publish' }) }));
    expectValid(machine({ T: task({ Resource: 'arn:aws:states:us-east-1:123456789012:activity:tbd' }) }));
  });

  it('makes TimeoutSeconds/TimeoutSecondsPath and the heartbeat pair exclusive', () => {
    expectError(machine({ T: task({ TimeoutSeconds: 20, TimeoutSecondsPath: '$.t' }) }), 'SCHEMA_VALIDATION_FAILED', '/States/T', 'There should only be one of the following fields: [TimeoutSeconds, TimeoutSecondsPath]');
    expectError(machine({ T: task({ HeartbeatSeconds: 20, HeartbeatSecondsPath: '$.t' }) }), 'SCHEMA_VALIDATION_FAILED', '/States/T', 'There should only be one of the following fields: [HeartbeatSeconds, HeartbeatSecondsPath]');
  });

  it('wants HeartbeatSeconds below TimeoutSeconds, both positive', () => {
    expectError(machine({ T: task({ TimeoutSeconds: 10, HeartbeatSeconds: 10 }) }), 'SCHEMA_VALIDATION_FAILED', '/States/T/HeartbeatSeconds');
    expectError(machine({ T: task({ TimeoutSeconds: 0 }) }), 'SCHEMA_VALIDATION_FAILED', '/States/T/TimeoutSeconds', 'Minimum value is 1');
    expectValid(machine({ T: task({ TimeoutSeconds: 10, HeartbeatSeconds: 5 }) }));
    expectValid(machine({ T: task({ QueryLanguage: 'JSONata', TimeoutSeconds: '{% $states.input.t %}' }) }));
  });

  it('accepts $var and $$ in TimeoutSecondsPath but wants a reference path', () => {
    expectValid(machine({ T: task({ TimeoutSecondsPath: '$timeout' }) }));
    expectError(machine({ T: task({ TimeoutSecondsPath: '$.items[*].t' }) }), 'SCHEMA_VALIDATION_FAILED', '/States/T/TimeoutSecondsPath');
  });

  it('requires RoleArn in JSONata Credentials and checks JSONPath ones as payload templates', () => {
    const jsonata = (credentials: unknown) => machine({ T: task({ QueryLanguage: 'JSONata', Credentials: credentials }) });
    expectError(jsonata({}), 'SCHEMA_VALIDATION_FAILED', '/States/T/Credentials', "The field 'RoleArn' is required but was missing");
    expectError(jsonata({ InvalidField: 'x' }), 'SCHEMA_VALIDATION_FAILED', '/States/T/Credentials', "The field 'RoleArn' is required but was missing");
    expectValid(jsonata({ RoleArn: '{% $states.input.role %}' }));
    expectValid(machine({ T: task({ Credentials: { 'RoleArn.$': '$.role' } }) }));
    expectError(machine({ T: task({ Credentials: { 'RoleArn.$': 'role' } }) }), 'SCHEMA_VALIDATION_FAILED', '/States/T/Credentials');
  });
});

describe('ecs:runTask', () => {
  // Recorded against AWS (2026-09) (ValidateStateMachineDefinition and CreateStateMachine): the
  // job-run pattern sets Count and StartedBy itself, request-response and callback take Count.
  const base = { Cluster: 'probe', TaskDefinition: 'probe:1', LaunchType: 'FARGATE' };
  const ecs = (suffix: string, parameters: Obj): Obj => ({
    StartAt: 'Task', TimeoutSeconds: 240,
    States: { Task: { Type: 'Task', Resource: `arn:aws:states:::ecs:runTask${suffix}`, Parameters: parameters, TimeoutSeconds: 210, End: true } },
  });
  const refused = (field: string, location = '/States/Task/Parameters') => [{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: `The field '${field}' is not supported by Step Functions`, location }];

  it('refuses Count (even 1, or as Count.$) and StartedBy in a .sync Task', () => {
    expect(errors(ecs('.sync', { ...base, Count: 1 }))).toEqual(refused('Count'));
    expect(errors(ecs('.sync', { ...base, Count: 2 }))).toEqual(refused('Count'));
    expect(errors(ecs('.sync', { ...base, 'Count.$': '$.count' }))).toEqual(refused('Count'));
    expect(errors(ecs('.sync', { ...base, StartedBy: 'customer-value' }))).toEqual(refused('StartedBy'));
    expectValid(ecs('.sync', { ...base, NetworkConfiguration: { AwsvpcConfiguration: { Subnets: ['subnet-1'], AssignPublicIp: 'ENABLED' } } }));
  });

  it('refuses a JSONata Count at the Arguments', () => {
    const def = { QueryLanguage: 'JSONata', StartAt: 'Task', States: { Task: { Type: 'Task', Resource: 'arn:aws:states:::ecs:runTask.sync', Arguments: { ...base, Count: 2 }, End: true } } };
    expect(errors(def)).toEqual(refused('Count', '/States/Task/Arguments'));
  });

  it('takes Count in request-response and .waitForTaskToken Tasks', () => {
    expectValid(ecs('', { ...base, Count: 2 }));
    expectValid(ecs('.waitForTaskToken', { ...base, Count: 2 }));
    expectValid(ecs('.waitForTaskToken', { ...base, Count: 1, Overrides: { ContainerOverrides: [{ Name: 'work', Environment: [{ Name: 'TASK_TOKEN', 'Value.$': '$$.Task.Token' }] }] } }));
  });
});

describe('paths and payload templates (JSONPath)', () => {
  it('checks InputPath, OutputPath and ItemsPath as JSONPath, allowing null where AWS does', () => {
    expectValid(machine({ A: pass({ InputPath: null, OutputPath: '$[?(@.year <= 1999)]' }) }));
    expectValid(machine({ A: pass({ OutputPath: '$theAnswer' }) }));
    expectError(machine({ A: pass({ InputPath: 'input' }) }), 'SCHEMA_VALIDATION_FAILED', '/States/A/InputPath');
    // AWS's answer for OutputPath "Test", quoted in aws-cloudformation/cfn-lint#4078.
    expectError(machine({ A: pass({ OutputPath: 'Test' }) }), 'SCHEMA_VALIDATION_FAILED', '/States/A/OutputPath', 'Value must be a valid JSONPath.');
  });

  it('accepts filter and script expressions AWS accepts even where our evaluator is stricter', () => {
    expectValid(machine({ A: pass({ OutputPath: '$[(@.length-1)].bar' }) }));
    expectValid(machine({ A: pass({ Parameters: { 'es.$': '$[?(@.TargetLanguageCode==es)].TranslatedText' } }) }));
  });

  it('wants ResultPath to be a definite path into the input', () => {
    for (const bad of ['.guid', '..guid', '()', '$...', '$foo', '$$.Execution', '$.a[*]']) {
      expectError(machine({ A: pass({ ResultPath: bad }) }), 'SCHEMA_VALIDATION_FAILED', '/States/A/ResultPath');
    }
    expectValid(machine({ A: pass({ ResultPath: null }) }));
    expectValid(machine({ A: pass({ ResultPath: '$.a.b[0]' }) }));
  });

  it('checks .$ fields as JSONPath or intrinsic calls', () => {
    const def = machine({
      T: task({
        Parameters: {
          'ok1.$': '$.a',
          'ok2.$': 'States.Format($.t, $.a)    ',
          'ok3.$': '$$.Task.Token',
          'lead.$': ' States.Format($.template, $.firstName)',
          'open.$': 'States.JsonToString($',
          'word.$': 'something else',
          'num.$': 22,
        },
      }),
    });
    // At the object that holds each field, in AWS's words, as AWS answers (serverless-step-functions#399,
    // cfn-lint#4085); which field and why are in the message and the detail.
    const found = validateDefinition(def).filter((d) => d.severity === 'ERROR');
    expect(found.map((d) => d.location)).toEqual(Array(4).fill('/States/T/Parameters'));
    expect(found.map((d) => d.message).sort()).toEqual(['lead.$', 'num.$', 'open.$', 'word.$'].map((k) => `The value for the field '${k}' must be a valid JSONPath or a valid intrinsic function call`));
    expect(found.find((d) => d.message.includes("'num.$'"))?.detail).toBe('num.$: not number');
  });

  it('finds keys that clash once .$ is removed, at any depth', () => {
    expectError(machine({ A: pass({ Parameters: { d: { conflict: 'v', 'conflict.$': '$.v' } } }) }), 'SCHEMA_VALIDATION_FAILED', '/States/A/Parameters/d/conflict.$');
  });

  it("gives AWS's warnings, words and locations for API:ValidateStateMachineDefinition's static-analysis example", () => {
    const def = {
      StartAt: 'HelloWorld',
      States: {
        HelloWorld: { Type: 'Pass', Parameters: { a: '$.x', 'b.$': '$.y' }, Result: { 'c.$': '$.z' }, Next: 'FailState' },
        FailState: { Type: 'Fail', Error: '$.error', Cause: '$.cause' },
      },
    };
    expect(validateDefinition(def).map(({ severity, code, message, location }) => ({ severity, code, message, location }))).toEqual([
      { severity: 'WARNING', code: 'NO_DOLLAR', message: "The value of 'a' looks like a JSONPath. Instead of 'a', use 'a.$' to evaluate it as a JSONPath at runtime.", location: '/States/HelloWorld/Parameters' },
      { severity: 'WARNING', code: 'PASS_RESULT_IS_STATIC', message: "The value of 'c.$' will not evaluate as a JSONPath or Intrinsic Function at runtime. Instead of 'Result', use 'Parameters' to evaluate it as a JSONPath or Intrinsic Function at runtime.", location: '/States/HelloWorld/Result' },
      { severity: 'WARNING', code: 'NO_PATH', message: "The value of 'Error' looks like a JSONPath. Instead of 'Error', use 'ErrorPath' to evaluate it as a JSONPath at runtime.", location: '/States/FailState/Error' },
      { severity: 'WARNING', code: 'NO_PATH', message: "The value of 'Cause' looks like a JSONPath. Instead of 'Cause', use 'CausePath' to evaluate it as a JSONPath at runtime.", location: '/States/FailState/Cause' },
    ]);
  });

  it('warns that a path in a Pass Result is never evaluated', () => {
    const r = validateDefinition(machine({ A: pass({ Result: { 'x.$': '$.y' } }) }));
    expect(r).toEqual([expect.objectContaining({ severity: 'WARNING', code: 'PASS_RESULT_IS_STATIC', location: '/States/A/Result' })]);
  });
});

describe('Assign', () => {
  it('accepts JSONPath and JSONata assignments', () => {
    expectValid(machine({ A: pass({ Assign: { x: 1, 'y.$': '$.y', 'z.$': 'States.UUID()', nested: { 'p.$': '$.p' } } }) }));
    expectValid(machine({ A: pass({ QueryLanguage: 'JSONata', Assign: { x: '{% $states.input.x %}', 'top-level': [1] } }) }));
  });

  it('rejects bad variable names and bad expressions', () => {
    expectError(machine({ A: pass({ Assign: { 'a b': 1 } }) }), 'SCHEMA_VALIDATION_FAILED', '/States/A/Assign/a b');
    expectError(machine({ A: pass({ Assign: { 'a.b': 1 } }) }), 'SCHEMA_VALIDATION_FAILED', '/States/A/Assign/a.b');
    expectError(machine({ A: pass({ Assign: { 'x.$': 'nope' } }) }), 'SCHEMA_VALIDATION_FAILED', '/States/A/Assign');
    expectError(machine({ A: pass({ QueryLanguage: 'JSONata', Assign: { v: { a: [{ c: '{% 420. %}' }] } } }) }), 'INVALID_JSONATA_EXPRESSION', '/States/A/Assign/v/a/0/c');
  });
});

describe('Choice', () => {
  const choice = (rule: Obj, extra: Obj = {}) => machine({ C: { Type: 'Choice', Choices: [rule], Default: 'D', ...extra }, D: pass() });

  it('accepts comparisons, And/Or/Not and Is* tests', () => {
    expectValid(choice({ Variable: '$.a', NumericEquals: 1, Next: 'D' }));
    expectValid(choice({ And: [{ Variable: '$.a', IsPresent: true }, { Not: { Variable: '$.b', StringMatches: 'x*' } }], Next: 'D' }));
    expectValid(choice({ Variable: '$guess', StringEqualsPath: '$answer', Next: 'D' }));
    expectValid(choice({ Variable: '$.t', TimestampGreaterThan: '2016-03-14T01:59:00Z', Next: 'D' }));
  });

  it('requires Choices, in AWS’s words', () => {
    // AWS's answer quoted in CloudSnorkel/cdk-github-runners#434.
    expectError(machine({ C: { Type: 'Choice', Default: 'D' }, D: pass() }), 'SCHEMA_VALIDATION_FAILED', '/States/C', 'These fields are required: [Choices]');
  });

  it('requires Next at the top level and forbids it in nested rules', () => {
    // AWS's answer quoted in aws-cloudformation/cfn-lint#4077.
    expectError(choice({ Variable: '$.a', IsNull: true }), 'SCHEMA_VALIDATION_FAILED', '/States/C/Choices/0', 'These fields are required: [Next]');
    expectError(choice({ Or: [{ Variable: '$.a', IsNull: true, Next: 'D' }], Next: 'D' }), 'SCHEMA_VALIDATION_FAILED', '/States/C/Choices/0/Or/0', "Field 'Next' is not supported");
  });

  it('requires exactly one operator and a Variable for comparisons', () => {
    expectError(choice({ Variable: '$.a', Next: 'D' }), 'SCHEMA_VALIDATION_FAILED', '/States/C/Choices/0');
    expectError(choice({ Variable: '$.a', IsNull: true, IsPresent: true, Next: 'D' }), 'SCHEMA_VALIDATION_FAILED', '/States/C/Choices/0');
    expectError(choice({ NumericEquals: 1, Next: 'D' }), 'SCHEMA_VALIDATION_FAILED', '/States/C/Choices/0', "The field 'Variable' is required but was missing");
  });

  it('checks operand types, reference paths and And/Or/Not shapes', () => {
    expectError(choice({ Variable: '$.a', NumericEquals: '1', Next: 'D' }), 'SCHEMA_VALIDATION_FAILED', '/States/C/Choices/0/NumericEquals');
    expectError(choice({ Variable: "States.ArrayContains($.a, 'x')", NumericEquals: 1, Next: 'D' }), 'SCHEMA_VALIDATION_FAILED', '/States/C/Choices/0/Variable');
    expectValid(choice({ Variable: '$.t', TimestampEquals: '2016-12-05 21:29:29Z', Next: 'D' }));
    expectError(choice({ Variable: '$.t', TimestampEquals: 20161205, Next: 'D' }), 'SCHEMA_VALIDATION_FAILED', '/States/C/Choices/0/TimestampEquals');
    expectError(choice({ And: [], Next: 'D' }), 'SCHEMA_VALIDATION_FAILED', '/States/C/Choices/0/And');
    expectError(choice({ Not: [{ Variable: '$.a', IsNull: true }], Next: 'D' }), 'SCHEMA_VALIDATION_FAILED', '/States/C/Choices/0/Not');
  });

  it('words a reference path that does not start with $ as AWS does', () => {
    // AWS's answer for Variable "Test", quoted in aws-cloudformation/cfn-lint#4076.
    expectError(
      choice({ Variable: 'Test', StringMatches: 'Test', Next: 'D' }),
      'SCHEMA_VALIDATION_FAILED',
      '/States/C/Choices/0/Variable',
      "Value is not a Reference Path: Reference path didn't start with '$'",
    );
    expectError(choice({ Variable: '$.a', StringEqualsPath: 'b', Next: 'D' }), 'SCHEMA_VALIDATION_FAILED', '/States/C/Choices/0/StringEqualsPath', "Value is not a Reference Path: Reference path didn't start with '$'");
    expect(messages(choice({ Variable: '$.a[', IsNull: true, Next: 'D' }))[0]).toMatch(/^Value is not a Reference Path: /);
  });

  it('uses Condition in JSONata and refuses JSONPath rule fields there', () => {
    const jsonata = (rule: Obj) => choice(rule, { QueryLanguage: 'JSONata' });
    expectValid(jsonata({ Condition: '{% $states.input.n > 1 %}', Next: 'D', Output: { n: '{% $states.input.n %}' } }));
    expectValid(jsonata({ Condition: true, Next: 'D' }));
    expectError(jsonata({ Variable: '$.a', IsNull: true, Next: 'D' }), 'SCHEMA_VALIDATION_FAILED', '/States/C/Choices/0');
    expectError(jsonata({ Condition: '$.a', Next: 'D' }), 'SCHEMA_VALIDATION_FAILED', '/States/C/Choices/0/Condition');
  });

  it('requires Choices', () => {
    expectError(machine({ C: { Type: 'Choice', Default: 'D' }, D: pass() }), 'SCHEMA_VALIDATION_FAILED', '/States/C');
    expectError(machine({ C: { Type: 'Choice', Choices: [], Default: 'D' }, D: pass() }), 'SCHEMA_VALIDATION_FAILED', '/States/C/Choices');
  });
});

describe('Retry and Catch', () => {
  it('accepts a full retrier', () => {
    expectValid(machine({ T: task({ Retry: [{ ErrorEquals: ['States.Timeout'], IntervalSeconds: 1, MaxAttempts: 0, BackoffRate: 1, MaxDelaySeconds: 5, JitterStrategy: 'FULL' }] }) }));
  });

  it('checks numeric bounds, JitterStrategy and unknown fields', () => {
    const retry = (r: Obj) => machine({ T: task({ Retry: [{ ErrorEquals: ['E'], ...r }] }) });
    expectError(retry({ IntervalSeconds: 0 }), 'SCHEMA_VALIDATION_FAILED', '/States/T/Retry/0/IntervalSeconds');
    expectError(retry({ MaxAttempts: -1 }), 'SCHEMA_VALIDATION_FAILED', '/States/T/Retry/0/MaxAttempts');
    expectError(retry({ BackoffRate: 0.5 }), 'SCHEMA_VALIDATION_FAILED', '/States/T/Retry/0/BackoffRate');
    expectError(retry({ MaxDelaySeconds: 0 }), 'SCHEMA_VALIDATION_FAILED', '/States/T/Retry/0/MaxDelaySeconds');
    expectError(retry({ JitterStrategy: 'SOME' }), 'SCHEMA_VALIDATION_FAILED', '/States/T/Retry/0/JitterStrategy');
    expectError(retry({ Backoff: 2 }), 'SCHEMA_VALIDATION_FAILED', '/States/T/Retry/0', "Field 'Backoff' is not supported");
  });

  it('wants States.ALL alone and last', () => {
    const def = machine({
      T: task({ Retry: [{ ErrorEquals: ['States.ALL'] }, { ErrorEquals: ['E'] }], Catch: [{ ErrorEquals: ['States.ALL', 'E'], Next: 'T' }] }),
    });
    expectError(def, 'SCHEMA_VALIDATION_FAILED', '/States/T/Retry/0/ErrorEquals');
    expectError(def, 'SCHEMA_VALIDATION_FAILED', '/States/T/Catch/0/ErrorEquals');
  });

  it('checks ErrorEquals entries and catcher fields', () => {
    expectError(machine({ T: task({ Catch: [{ ErrorEquals: [true], Next: 'T' }] }) }), 'SCHEMA_VALIDATION_FAILED', '/States/T/Catch/0/ErrorEquals/0');
    expectError(machine({ T: task({ Catch: [{ 'Error Equals': ['E'], Next: 'T' }] }) }), 'SCHEMA_VALIDATION_FAILED', '/States/T/Catch/0');
    expectError(machine({ T: task({ Catch: [{ ErrorEquals: ['E'], Next: 'T', ResultPath: '$$.x' }] }) }), 'SCHEMA_VALIDATION_FAILED', '/States/T/Catch/0/ResultPath');
  });

  it('lets catchers read $states.errorOutput, and only them', () => {
    const def = (catcher: Obj, extra: Obj = {}) => machine({ T: task({ QueryLanguage: 'JSONata', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'F', ...catcher }], ...extra }), F: pass() });
    expectValid(def({ Output: '{% $states.errorOutput %}', Assign: { e: '{% $states.errorOutput.Error %}' } }));
    expectError(def({}, { Output: '{% $states.errorOutput %}' }), 'UNSUPPORTED_JSONATA_EXPRESSION', '/States/T/Output');
    expectError(def({ Output: '{% $states.result %}' }), 'UNSUPPORTED_JSONATA_EXPRESSION', '/States/T/Catch/0/Output');
  });
});

describe('Wait', () => {
  it('takes exactly one of Seconds, SecondsPath, Timestamp, TimestampPath', () => {
    expectError(machine({ W: { Type: 'Wait', End: true } }), 'SCHEMA_VALIDATION_FAILED', '/States/W');
    expectError(machine({ W: { Type: 'Wait', End: true, Seconds: 1, SecondsPath: '$.s' } }), 'SCHEMA_VALIDATION_FAILED', '/States/W');
    expectValid(machine({ W: { Type: 'Wait', End: true, SecondsPath: '$.s' } }));
  });

  it('checks Seconds and RFC 3339 Timestamps', () => {
    expectError(machine({ W: { Type: 'Wait', End: true, Seconds: -1 } }), 'SCHEMA_VALIDATION_FAILED', '/States/W/Seconds');
    expectValid(machine({ W: { Type: 'Wait', End: true, Seconds: 0 } }));
    // AWS's answer for a path written into Seconds, quoted in serverless-operations/serverless-step-functions#188.
    expectError(machine({ W: { Type: 'Wait', End: true, Seconds: '$.Result.seconds' } }), 'SCHEMA_VALIDATION_FAILED', '/States/W/Seconds', 'Expected value of type Integer');
    for (const bad of ['2016-13-05T21:29:29Z', '05-12-2016T21:29:29Z', '2016-12-05 21:29:29Z', "{% '2016-03-14T01:59:00Z' %}"]) {
      expectError(machine({ W: { Type: 'Wait', End: true, Timestamp: bad } }), 'SCHEMA_VALIDATION_FAILED', '/States/W/Timestamp', 'String does not match RFC3339 timestamp');
    }
    expectValid(machine({ W: { Type: 'Wait', End: true, Timestamp: '2016-03-14T01:59:00.123+01:00' } }));
    expectValid(machine({ W: { Type: 'Wait', End: true, QueryLanguage: 'JSONata', Timestamp: '{% $states.input.when %}' } }));
  });

  it('knows the calendar', () => {
    expect(isRfc3339Timestamp('2024-02-29T00:00:00Z')).toBe(true);
    expect(isRfc3339Timestamp('2023-02-29T00:00:00Z')).toBe(false);
    expect(isRfc3339Timestamp('2023-02-01t00:00:00z')).toBe(false);
  });
});

describe('Fail', () => {
  it('makes Error/ErrorPath and Cause/CausePath exclusive', () => {
    expectError(machine({ F: { Type: 'Fail', Error: 'E', ErrorPath: '$.e' } }), 'SCHEMA_VALIDATION_FAILED', '/States/F', 'You cannot set both Error and ErrorPath at the same time');
    expectError(machine({ F: { Type: 'Fail', Cause: 'C', CausePath: '$.c' } }), 'SCHEMA_VALIDATION_FAILED', '/States/F', 'You cannot set both Cause and CausePath at the same time');
  });

  it('wants ErrorPath/CausePath to be a path or an intrinsic that returns a string', () => {
    expectValid(machine({ F: { Type: 'Fail', ErrorPath: '$$.State.Name', CausePath: "States.Format('{}', $.Cause)" } }));
    expectError(machine({ F: { Type: 'Fail', ErrorPath: 'Error' } }), 'SCHEMA_VALIDATION_FAILED', '/States/F/ErrorPath');
    expectError(machine({ F: { Type: 'Fail', CausePath: 'States.ArrayLength($.a)' } }), 'SCHEMA_VALIDATION_FAILED', '/States/F/CausePath');
  });
});

describe('Parallel', () => {
  it('requires Branches as an array of machines and validates them', () => {
    expectError(machine({ P: { Type: 'Parallel', End: true } }), 'SCHEMA_VALIDATION_FAILED', '/States/P', "The field 'Branches' is required but was missing");
    expectError(machine({ P: { Type: 'Parallel', End: true, Branches: [[{ StartAt: 'B', States: {} }]] } }), 'SCHEMA_VALIDATION_FAILED', '/States/P/Branches/0');
    expectError(machine({ P: { Type: 'Parallel', End: true, Branches: [{ StartAt: 'Nope', States: { B: pass() } }] } }), 'MISSING_TRANSITION_TARGET', '/States/P/Branches/0/StartAt');
  });
});

describe('Map', () => {
  const map = (extra: Obj, processor: Obj = {}) =>
    machine({ M: { Type: 'Map', End: true, ItemProcessor: { StartAt: 'P', States: { P: pass() }, ...processor }, ...extra } });
  const distributed = { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } };

  it('needs exactly one of ItemProcessor and Iterator', () => {
    expectError(machine({ M: { Type: 'Map', End: true } }), 'SCHEMA_VALIDATION_FAILED', '/States/M');
    const both = machine({ M: { Type: 'Map', End: true, ItemProcessor: { StartAt: 'P', States: { P: pass() } }, Iterator: { StartAt: 'Q', States: { Q: pass() } } } });
    expectError(both, 'SCHEMA_VALIDATION_FAILED', '/States/M', 'There should only be one of the following fields: [ItemProcessor, Iterator]');
  });

  it('checks MaxConcurrency and the tolerated-failure settings', () => {
    expectValid(map({ MaxConcurrency: 0, ToleratedFailurePercentage: 100, ToleratedFailureCount: 3 }));
    expectError(map({ MaxConcurrency: -1 }), 'SCHEMA_VALIDATION_FAILED', '/States/M/MaxConcurrency', 'Minimum value is 0');
    // AWS writes this decimal field's bounds as decimals (AWS's answers quoted in floci-io/floci#3733).
    expectError(map({ ToleratedFailurePercentage: 105 }), 'SCHEMA_VALIDATION_FAILED', '/States/M/ToleratedFailurePercentage', 'Maximum value is 100.0');
    expectError(map({ ToleratedFailurePercentage: -1 }), 'SCHEMA_VALIDATION_FAILED', '/States/M/ToleratedFailurePercentage', 'Minimum value is 0.0');
    expectError(map({ ToleratedFailureCount: 0, ToleratedFailureCountPath: '$.n' }), 'SCHEMA_VALIDATION_FAILED', '/States/M');
    expectError(map({ MaxConcurrency: 1, MaxConcurrencyPath: '$.n' }), 'SCHEMA_VALIDATION_FAILED', '/States/M');
    expectError(map({ MaxConcurrencyPath: '$$.Execution.Input.n' }), 'SCHEMA_VALIDATION_FAILED', '/States/M/MaxConcurrencyPath', 'Value is not a Reference Path');
    expectError(map({ ToleratedFailureCountPath: '$$.Execution.Input.n' }), 'SCHEMA_VALIDATION_FAILED', '/States/M/ToleratedFailureCountPath', 'Value is not a Reference Path');
    expectValid(map({ QueryLanguage: 'JSONata', MaxConcurrency: '{% $states.input.n %}', Items: '{% $states.input.items %}' }));
  });

  it('applies AWS’s Label rules', () => {
    expectError(map({ Label: '' }, distributed), 'INVALID_LABEL_NAME', '/States/M/Label', 'Label cannot be empty');
    expectError(map({ Label: 'a b' }, distributed), 'INVALID_LABEL_NAME', '/States/M/Label', "Label contains invalid character: ' '");
    expectError(map({ Label: 'a\u0001' }, distributed), 'INVALID_LABEL_NAME', '/States/M/Label', "Label contains invalid character: '\\x01'");
    expectError(map({ Label: 'a\n' }, distributed), 'INVALID_LABEL_NAME', '/States/M/Label', "Label contains invalid character: '\\n'");
    expectError(map({ Label: 'a\u0085' }, distributed), 'INVALID_LABEL_NAME', '/States/M/Label', "Label contains invalid character: '\\x85'");
    expectError(map({ Label: 'a\\b' }, distributed), 'INVALID_LABEL_NAME', '/States/M/Label', "Label contains invalid character: '\\\\'");
    expectError(map({ Label: 'x'.repeat(41) }, distributed), 'INVALID_LABEL_NAME', '/States/M/Label');
    expectValid(map({ Label: 'My-Map_1' }, distributed));
  });

  it('checks ItemReader, ItemBatcher, ResultWriter and ProcessorConfig', () => {
    const reader = { Resource: 'arn:aws:states:::s3:getObject', Parameters: { Bucket: 'b', Key: 'k' }, ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW', MaxItems: 1, MaxItemsPath: '$.n' } };
    expectError(map({ ItemReader: reader }, distributed), 'SCHEMA_VALIDATION_FAILED', '/States/M/ItemReader/ReaderConfig', 'There should only be one of the following fields: [MaxItems, MaxItemsPath]');
    const batcher = { MaxItemsPerBatch: 2, MaxItemsPerBatchPath: '$.n' };
    expectError(map({ ItemBatcher: batcher }, distributed), 'SCHEMA_VALIDATION_FAILED', '/States/M/ItemBatcher');
    expectError(map({ ResultWriter: { WriterConfig: {} } }, distributed), 'SCHEMA_VALIDATION_FAILED', '/States/M/ResultWriter/WriterConfig', "The field 'OutputType' is required but was missing");
    expectError(map({}, { ProcessorConfig: { Mode: 'REMOTE' } }), 'SCHEMA_VALIDATION_FAILED', '/States/M/ItemProcessor/ProcessorConfig/Mode');
    expectError(map({ QueryLanguage: 'JSONata', ItemBatcher: { MaxItemsPerBatchPath: '$.n' } }, distributed), 'SCHEMA_VALIDATION_FAILED', '/States/M/ItemBatcher');
    expectValid(map({ ItemReader: { Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { Bucket: 'b' } }, ItemBatcher: { MaxItemsPerBatch: 10, BatchInput: { k: 'v' } }, ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'b' } } }, distributed));
  });

  it('refuses duplicate labels across the machine', () => {
    const def = machine({
      A: { Type: 'Map', Next: 'B', Label: 'L', ItemProcessor: { StartAt: 'P', States: { P: pass() } } },
      B: { Type: 'Map', End: true, Label: 'L', ItemProcessor: { StartAt: 'Q', States: { Q: pass() } } },
    });
    expectError(def, 'DUPLICATE_LABEL_NAME', '/States/B/Label');
  });
});

describe('JSONata expressions', () => {
  const valid = [
    '$states.input',
    '$states.input.orders[price > 100].{ "id": id, "total": price * qty }',
    '$sum($states.input.items.(price * quantity))',
    "$states.input.a ? 'yes' : 'no'",
    '$map($states.input.arr, function($v, $i) { $v * $i })',
    'function($x)<n:n>{ $x + 1 }',
    '$states.input.items^(>price, <name)',
    '$states.input.items#$i[$i < 2]',
    '$states.input.items@$it.name',
    '$states.input.s ~> $uppercase()',
    '( $x := 5; $x * 2 )',
    '$match($states.input.s, /^a+[/]$/i)',
    '$states.input.x.**.y',
    '[1..5]',
    '"with \\"escapes\\" and \\u00e9"',
    '$states.input.obj.*',
    '-$states.input.n',
    '$states.input.n % 2 = 0 and $states.input.m != 1 or $states.input.z in [1, 2]',
    '$states.input.s & "x"',
    '{"a": 1, "b": [1, 2, {"c": $states.input.c}]}',
    '$states.input.items{ category: $sum(price) }',
    '$substring(?, 0, 5)',
    '$states.input.`field with space`',
    '/* comment */ $states.context.Execution.Id',
    '$states.input.price * 1.5e2',
    '$states.input.arr[-1]',
    '$states.input.( $a := 1; a + $a )',
    "$states.input.FunctionConfig[State='Inactive'] ?  $states.input.FunctionConfig[State='Inactive'] : false",
    '$maxItems := 2',
    '$lowercase(\'EvaluationJob\' & $KnowledgeBaseId & $uuid())',
    '$states.input.a / 2',
    '$states.input.a[]',
    '10',
    '$not(true)',
  ];
  it.each(valid)('accepts %s', (expr) => {
    expect(checkJsonataExpression(expr, { result: true, errorOutput: true })).toBeNull();
  });

  const invalid: Array<[string, string]> = [
    ['1 +', 'Unexpected end of expression'],
    ['a[1,2)', 'Expected "]", got ","'],
    ['"unterminated', 'String literal must be terminated by a matching quote'],
    ['{"a":}', 'The symbol "}" cannot be used as a unary operator'],
    ['$x :=', 'Unexpected end of expression'],
    ['$match("a", /abc', 'No terminating / in regular expression'],
    ['10 + * 2', 'Syntax error: 2'],
    ['420.', 'Unexpected end of expression'],
    ['$.store.book[?(@.price < 10)].title', 'The symbol "?" cannot be used as a unary operator'],
    ['1 := 2', 'The left side of := must be a variable name (start with $)'],
  ];
  it.each(invalid)('rejects %s', (expr, message) => {
    expect(checkJsonataExpression(expr)).toEqual({ code: 'INVALID_JSONATA_EXPRESSION', message });
  });

  it('follows the JSONata version that evaluates expressions (no ?: or ?? before 2.1)', () => {
    expect(checkJsonataExpression('$states.input.value ?: "default"')?.code).toBe('INVALID_JSONATA_EXPRESSION');
  });

  it('refuses reads of the implicit input, which Step Functions does not have', () => {
    expect(checkJsonataExpression('phone')).toEqual({ code: 'UNSUPPORTED_JSONATA_EXPRESSION', message: "Reference to 'phone' at the top level is not supported." });
    expect(checkJsonataExpression('$count(items)')?.message).toBe("Reference to 'items' at the top level is not supported.");
    expect(checkJsonataExpression('{"v": phone}')?.code).toBe('UNSUPPORTED_JSONATA_EXPRESSION');
    expect(checkJsonataExpression('$.a')?.message).toBe("Reference to '$' at the top level is not supported.");
    expect(checkJsonataExpression('$$.a')?.code).toBe('UNSUPPORTED_JSONATA_EXPRESSION');
  });

  it("words $states.result where a state has no result as AWS does, as recorded against AWS (2026-09)", () => {
    const def = { QueryLanguage: 'JSONata', StartAt: 'Read', TimeoutSeconds: 20, States: { Read: { Type: 'Pass', Output: '{% $states.result %}', End: true } } };
    expect(validateDefinition(def)).toEqual([
      { severity: 'ERROR', code: 'UNSUPPORTED_JSONATA_EXPRESSION', message: "Field '$states.result' does not exist.", location: '/States/Read/Output' },
    ]);
  });

  it('limits $states.result to result-bearing fields', () => {
    expect(checkJsonataExpression('$states.result.Payload')?.code).toBe('UNSUPPORTED_JSONATA_EXPRESSION');
    expect(checkJsonataExpression('$states.result.Payload', { result: true, errorOutput: false })).toBeNull();
  });

  it('reports a bad expression at its field', () => {
    const def = machine({ X: pass({ QueryLanguage: 'JSONata', Output: { a: ['{% 10 + * 2 %}'] } }) });
    expect(errors(def)).toEqual([{ severity: 'ERROR', code: 'INVALID_JSONATA_EXPRESSION', message: 'Syntax error: 2', location: '/States/X/Output/a/0' }]);
  });

  it('treats strings that are not exactly {% ... %} as literal text, with a warning when they look like a typo', () => {
    const def = machine({ X: pass({ QueryLanguage: 'JSONata', Output: { a: '{% 10 %', b: ' {% states.input %} ', 'c.$': '$' } }) });
    const r = validateDefinitionResult(def);
    expect(r.result).toBe('OK');
    expect(r.diagnostics.map((d) => d.location)).toEqual(['/States/X/Output/a', '/States/X/Output/b']);
  });
});

describe('variables no Assign sets', () => {
  it('are reported as warnings with pointers, and do not make the definition invalid (AWS runs them)', () => {
    const def = {
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Assign: { known: 1 }, Parameters: { 'x.$': '$unknown', 'y.$': "States.Format('{}', $known)" }, Next: 'B' },
        B: { Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% ($local := 1; $sum([$local, $known, $missing])) %}', End: true },
      },
    };
    const diagnostics = validateDefinition(def);
    expect(diagnostics.filter((d) => d.severity === 'ERROR')).toEqual([]);
    expect(diagnostics.filter((d) => d.code === 'UNASSIGNED_VARIABLE').map((d) => [d.location, d.message.match(/'\$(\w+)'/)![1]])).toEqual([
      ['/States/A/Parameters/x.$', 'unknown'],
      ['/States/B/Output', 'missing'],
    ]);
  });
});

describe('variable scopes (recorded against AWS (2026-09))', () => {
  const branchMachine = (inner: Obj, outer: Obj = {}): Obj => machine({
    Fork: { Type: 'Parallel', Assign: { x: 1 }, Branches: [{ StartAt: 'Inner', States: { Inner: pass(inner) } }], Next: 'After', ...outer },
    After: pass(),
  });

  it('refuses a branch that assigns a name an enclosing state assigns', () => {
    const def = branchMachine({ Assign: { x: 2 } });
    expect(errors(def)).toEqual([
      { severity: 'ERROR', code: 'DUPLICATE_VARIABLE_NAME', message: "The variable name 'x' was already defined in a parent scope.", location: '/States/Fork/Branches/0/States/Inner/Assign/x' },
    ]);
    // The API writes it as AWS recorded it.
    expect(awsLocation('/States/Fork/Branches/0/States/Inner/Assign/x', def)).toBe('/States/Fork/Branches[0]/States/Inner/Assign/x');
    expectValid(branchMachine({ Assign: { y: 2 } }));
  });

  it("lets a Distributed Map's children, executions of their own, assign an outer name", () => {
    const processor = { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Inner', States: { Inner: pass({ Assign: { x: 2 } }) } };
    const first = { Type: 'Pass', Assign: { x: 1 }, Next: 'Fan' };
    expectValid(machine({ First: first, Fan: { Type: 'Map', ItemProcessor: processor, End: true } }));
    const inline = { ...processor, ProcessorConfig: { Mode: 'INLINE' } };
    expect(errors(machine({ First: first, Fan: { Type: 'Map', ItemProcessor: inline, End: true } })).map((d) => d.code)).toEqual(['DUPLICATE_VARIABLE_NAME']);
  });

  it('lets a branch assign a name only its own Catcher assigns', () => {
    expectValid(machine({
      Fork: { Type: 'Parallel', Branches: [{ StartAt: 'Inner', States: { Inner: pass({ Assign: { e: 1 } }) } }], Catch: [{ ErrorEquals: ['States.ALL'], Assign: { e: 0 }, Next: 'After' }], Next: 'After' },
      After: pass(),
    }));
  });

  it('warns when a state reads a name assigned only in a scope it cannot see', () => {
    const def = machine({
      Fork: { Type: 'Parallel', Branches: [{ StartAt: 'Inner', States: { Inner: pass({ Assign: { v: 1 } }) } }], Next: 'After' },
      After: pass({ Parameters: { 'a.$': '$v' } }),
    });
    expect(errors(def)).toEqual([]);
    expect(validateDefinition(def).filter((d) => d.code === 'POSSIBLY_UNDEFINED_VARIABLE')).toEqual([
      { severity: 'WARNING', code: 'POSSIBLY_UNDEFINED_VARIABLE', message: "Variable 'v' is possibly not defined.", location: '/States/After/Parameters' },
    ]);
  });

  it('names the missing $states field with AWS wording, and the later duplicate state without the earlier one', () => {
    expectError(machine({ P: pass({ QueryLanguage: 'JSONata', Output: '{% $states.result %}' }) }), 'UNSUPPORTED_JSONATA_EXPRESSION', '/States/P/Output', "Field '$states.result' does not exist.");
    const parsed = parseDefinitionText('{"StartAt":"A","States":{"A":{"Type":"Pass","End":true},"A":{"Type":"Succeed"}}}', 'dup.json');
    expectError(parsed, 'DUPLICATE_STATE_NAME', '/States/A', 'Duplicate State name: A');
  });
});

describe('validateDefinition for an EXPRESS state machine', () => {
  it('refuses the .waitForTaskToken and .sync patterns wherever they are, with AWS wording, and accepts them for STANDARD', () => {
    const def = {
      StartAt: 'Send',
      States: {
        Send: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Next: 'Fan' },
        Fan: {
          Type: 'Parallel', End: true,
          Branches: [{ StartAt: 'Run', States: { Run: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', End: true } } }],
        },
      },
    };
    expect(validateDefinitionResult(def).result).toBe('OK');
    const express = validateDefinitionResult(def, 'EXPRESS');
    expect(express.result).toBe('FAIL');
    expect(express.diagnostics).toEqual([
      { severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: "Express state machine does not support '.waitForTaskToken' service integration ", location: '/States/Send/Resource' },
      // AWS's recorded wording: a trailing space after '.waitForTaskToken''s, none after '.sync''s.
      { severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: "Express state machine does not support '.sync' service integration", location: '/States/Fan/Branches/0/States/Run/Resource' },
    ]);
  });

  it('refuses an Activity Task with AWS wording, and accepts it for STANDARD', () => {
    const def = { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: 'arn:aws:states:us-east-1:123456789012:activity:Worker', End: true } } };
    expect(validateDefinitionResult(def).result).toBe('OK');
    expect(validateDefinitionResult(def, 'EXPRESS').diagnostics).toEqual([
      { severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: 'Express state machine does not support Activity ARN', location: '/States/Work/Resource' },
    ]);
  });
});

describe('a Distributed Map whose ItemProcessor has ExecutionType EXPRESS', () => {
  // Its child workflows are Express executions (DG:state-map-distributed): their states are held
  // to what an EXPRESS state machine may use, with the same diagnostics, in either parent type.
  const fan = (executionType: string, mode = 'DISTRIBUTED') => ({
    StartAt: 'Fan',
    States: {
      Fan: {
        Type: 'Map', End: true,
        ItemProcessor: {
          ProcessorConfig: { Mode: mode, ExecutionType: executionType },
          StartAt: 'Run',
          States: {
            Run: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync', Next: 'Both' },
            Both: {
              Type: 'Parallel', End: true,
              Branches: [
                { StartAt: 'Ask', States: { Ask: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', End: true } } },
                { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: 'arn:aws:states:us-east-1:123456789012:activity:Worker', End: true } } },
              ],
            },
          },
        },
      },
    },
  });
  const processor = '/States/Fan/ItemProcessor/States';

  it('refuses .sync, .waitForTaskToken and Activities in its states and their branches', () => {
    const expected = [
      { severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: "Express state machine does not support '.sync' service integration", location: `${processor}/Run/Resource` },
      { severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: "Express state machine does not support '.waitForTaskToken' service integration ", location: `${processor}/Both/Branches/0/States/Ask/Resource` },
      { severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: 'Express state machine does not support Activity ARN', location: `${processor}/Both/Branches/1/States/Work/Resource` },
    ];
    expect(validateDefinitionResult(fan('EXPRESS')).diagnostics).toEqual(expected);
    expect(validateDefinitionResult(fan('EXPRESS'), 'EXPRESS').diagnostics).toEqual(expected);
  });

  it('accepts them with ExecutionType STANDARD, and in an inline Map (whose iterations are its parent\'s)', () => {
    expect(validateDefinitionResult(fan('STANDARD')).result).toBe('OK');
    expect(validateDefinitionResult(fan('EXPRESS', 'INLINE')).result).toBe('OK');
  });
});
