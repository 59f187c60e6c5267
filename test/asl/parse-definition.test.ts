import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { duplicateKeysOf, loadDefinitionFile, parseDefinitionText } from '../../src/asl/parse-definition.js';
import { isStepwiseError, type StepwiseError } from '../../src/errors/stepwise-error.js';

function failure(run: () => unknown): StepwiseError {
  try {
    run();
  } catch (error) {
    if (isStepwiseError(error)) return error;
    throw error;
  }
  throw new Error('expected a StepwiseError');
}

async function asyncFailure(run: () => Promise<unknown>): Promise<StepwiseError> {
  try {
    await run();
  } catch (error) {
    if (isStepwiseError(error)) return error;
    throw error;
  }
  throw new Error('expected a StepwiseError');
}

function tempFile(name: string, content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-parse-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

const minimal = { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } };

describe('parseDefinitionText: JSON', () => {
  it('parses like JSON.parse', () => {
    const text = JSON.stringify({ ...minimal, Comment: 'é \u2028 \\ "q"', n: [1, -2.5e3, 0, true, false, null] });
    expect(parseDefinitionText(text, 'def.json')).toEqual(JSON.parse(text));
  });

  it('keeps __proto__ an ordinary key', () => {
    const value = parseDefinitionText('{"__proto__": {"x": 1}}', 'def.json') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
  });

  it('strips a byte order mark', () => {
    expect(parseDefinitionText('\ufeff' + JSON.stringify(minimal), 'def.json')).toEqual(minimal);
  });

  it('says what, where and why for malformed JSON', () => {
    const text = '{\n  "StartAt": "A",\n  "States": {\n    "Messages": "Messages.$": "$.x"\n  }\n}';
    const e = failure(() => parseDefinitionText(text, 'machine.asl.json'));
    expect(e.code).toBe('InvalidDefinition');
    expect(e.message).toMatch(/^machine\.asl\.json:4:29: invalid JSON: expected ',' or '}' after the value of "Messages" but found ':'/);
    expect(e.message).not.toMatch(/\bat .*\(.*:\d+:\d+\)/); // no stack frames
    expect(e.details).toEqual(expect.objectContaining({ kind: 'syntax', line: 4, column: 29 }));
  });

  it.each([
    ['not a definition', 1, 1, "expected a JSON value (object, array, string, number, true, false or null) but found 'not'"],
    ['{"a": 1,}', 1, 9, "trailing comma before '}'"],
    ['{"a": [1, 2}', 1, 12, "expected ',' or ']' after an array element but found '}'"],
    ["{'a': 1}", 1, 2, "expected a property name in double quotes but found '''"],
    ['{"a": "x\ny"}', 1, 9, 'a line break inside a string must be escaped (for a line break write \\n)'],
    ['{"a": 01}', 1, 7, "invalid number '01'"],
    ['{"a": 1} x', 1, 10, "unexpected 'x' after the end of the JSON value"],
    ['{"a": 1 // c\n}', 1, 9, 'comments are not allowed in JSON'],
    ['{"a": "\\q"}', 1, 8, 'invalid escape sequence \\q in string'],
    ['{\n"a": {', 2, 7, 'unterminated object (opened at line 2, column 6)'],
  ])('reports %j at %i:%i', (text, line, column, reason) => {
    const e = failure(() => parseDefinitionText(text, 'd.json'));
    expect(e.details).toEqual({ kind: 'syntax', line, column, reason: expect.stringContaining(reason) });
  });

  it('remembers keys that an object repeats', () => {
    const value = parseDefinitionText('{"States": {"A": 1, "B": 2, "A": 3}}', 'd.json') as { States: Record<string, unknown> };
    expect(value.States).toEqual({ A: 3, B: 2 });
    expect(duplicateKeysOf(value.States)).toEqual(['A']);
    expect(duplicateKeysOf(value)).toEqual([]);
  });

  it('refuses empty input', () => {
    const e = failure(() => parseDefinitionText('  \n', 'd.json'));
    expect(e.details).toEqual({ kind: 'empty' });
  });
});

describe('parseDefinitionText: YAML', () => {
  const yaml = `# exported from Workflow Studio
StartAt: A
States:
  A:
    Type: Pass
    End: true
`;

  it('reads YAML by extension or by content', () => {
    expect(parseDefinitionText(yaml, 'machine.asl.yaml')).toEqual(minimal);
    expect(parseDefinitionText(yaml, 'machine.yml')).toEqual(minimal);
    expect(parseDefinitionText(yaml, 'machine.txt')).toEqual(minimal);
    expect(parseDefinitionText(JSON.stringify(minimal), 'machine.txt')).toEqual(minimal);
  });

  it('reports YAML errors with file:line:column', () => {
    const e = failure(() => parseDefinitionText('StartAt: A\nStates: [1, 2\nX: 3\n', 'bad.yaml'));
    expect(e.message).toMatch(/^bad\.yaml:\d+:\d+: invalid YAML: /);
    expect(e.message.split('\n')).toHaveLength(1);
  });

  it('refuses repeated keys', () => {
    const e = failure(() => parseDefinitionText('StartAt: A\nStartAt: B\nStates: {}\n', 'dup.yaml'));
    expect(e.message).toMatch(/^dup\.yaml:2:1: invalid YAML: Map keys must be unique/);
  });

  it('takes the definition out of a SAM or CloudFormation template', () => {
    const sam = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
  Machine:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition:
        StartAt: A
        States:
          A:
            Type: Task
            Resource: !GetAtt Fn.Arn
            End: true
`;
    expect(parseDefinitionText(sam, 'template.yaml')).toEqual({ StartAt: 'A', States: { A: { Type: 'Task', Resource: 'Fn.Arn', End: true } } });
    const cfn = { Resources: { M: { Type: 'AWS::StepFunctions::StateMachine', Properties: { DefinitionString: JSON.stringify(minimal) } } } };
    expect(parseDefinitionText(JSON.stringify(cfn), 'template.json')).toEqual(minimal);
  });

  it('explains templates it cannot take a definition from', () => {
    const two = { Resources: { A: { Type: 'AWS::StepFunctions::StateMachine' }, B: { Type: 'AWS::StepFunctions::StateMachine' } } };
    expect(failure(() => parseDefinitionText(JSON.stringify(two), 't.json')).message).toMatch(/defines 2 state machines \(A, B\)/);
    const uri = { Resources: { A: { Type: 'AWS::Serverless::StateMachine', Properties: { DefinitionUri: 'sm.asl.json' } } } };
    expect(failure(() => parseDefinitionText(JSON.stringify(uri), 't.json')).message).toMatch(/DefinitionUri/);
  });
});

describe('loadDefinitionFile', () => {
  it('reads and parses a file', async () => {
    expect(await loadDefinitionFile(tempFile('m.json', JSON.stringify(minimal)))).toEqual(minimal);
  });

  it('names the file it cannot read', async () => {
    const missing = path.join(os.tmpdir(), 'stepwise-no-such-dir', 'm.json');
    const e = await asyncFailure(() => loadDefinitionFile(missing));
    expect(e.code).toBe('InvalidDefinition');
    expect(e.message).toBe(`${missing}: cannot read the definition file (no such file).`);
    expect(e.details).toEqual({ kind: 'read' });
  });
});
