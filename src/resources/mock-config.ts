import fs from 'node:fs';
import type { JsonValue } from '../asl/json-value.js';
import { StepwiseError } from '../errors/stepwise-error.js';

/**
 * AWS Step Functions Local's mock configuration file (DG:sfn-local-mock-cfg-file):
 * StateMachines.<name>.TestCases.<case>.<state> names a MockedResponses entry whose keys are
 * 0-based invocation numbers or ranges ("0", "1-2") of that Task state.
 */
export type MockedResponse = { Return: JsonValue } | { Throw: { Error?: string; Cause?: string } };

export interface MockTestCase {
  /** Which test case of which state machine this is (a Distributed Map's child executions answer from it too). */
  readonly stateMachineName?: string;
  readonly testCase?: string;
  /** The response for the `invocation`-th call (0-based) of `stateName`, or undefined. */
  responseFor(stateName: string, invocation: number): MockedResponse | undefined;
  has(stateName: string): boolean;
}

interface RangeEntry { from: number; to: number; response: MockedResponse }

export function parseMockConfig(json: unknown, source = 'mock config'): MockConfig {
  const fail = (where: string, why: string): never => {
    throw new StepwiseError('InvalidMockConfig', `${source}: ${where}: ${why}`);
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail('/', 'must be a JSON object with StateMachines and MockedResponses');
  const root = json as Record<string, unknown>;
  const machines = root.StateMachines ?? {};
  const responses = root.MockedResponses ?? {};
  if (typeof machines !== 'object' || machines === null || Array.isArray(machines)) fail('/StateMachines', 'must be an object');
  if (typeof responses !== 'object' || responses === null || Array.isArray(responses)) fail('/MockedResponses', 'must be an object');
  const parsed = new Map<string, RangeEntry[]>();
  for (const [name, entry] of Object.entries(responses as Record<string, unknown>)) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) fail(`/MockedResponses/${name}`, 'must be an object of invocation ranges');
    const ranges: RangeEntry[] = [];
    for (const [key, value] of Object.entries(entry as Record<string, unknown>)) {
      const m = /^(\d+)(?:-(\d+))?$/.exec(key);
      if (!m) fail(`/MockedResponses/${name}/${key}`, 'keys must be invocation numbers like "0" or ranges like "1-2"');
      const from = Number(m![1]);
      const to = m![2] === undefined ? from : Number(m![2]);
      if (to < from) fail(`/MockedResponses/${name}/${key}`, 'range end is before its start');
      if (typeof value !== 'object' || value === null) fail(`/MockedResponses/${name}/${key}`, 'must be an object with Return or Throw');
      const v = value as Record<string, unknown>;
      if ('Return' in v === 'Throw' in v) fail(`/MockedResponses/${name}/${key}`, 'must have exactly one of Return or Throw');
      if ('Throw' in v && (typeof v.Throw !== 'object' || v.Throw === null)) fail(`/MockedResponses/${name}/${key}/Throw`, 'must be an object with Error and Cause');
      ranges.push({ from, to, response: v as MockedResponse });
    }
    parsed.set(name, ranges);
  }
  const testCases = new Map<string, Map<string, Map<string, string>>>();
  for (const [machine, def] of Object.entries(machines as Record<string, unknown>)) {
    const cases = (def as { TestCases?: unknown })?.TestCases;
    if (typeof cases !== 'object' || cases === null) fail(`/StateMachines/${machine}`, 'must have a TestCases object');
    const byCase = new Map<string, Map<string, string>>();
    for (const [caseName, mapping] of Object.entries(cases as Record<string, unknown>)) {
      if (typeof mapping !== 'object' || mapping === null) fail(`/StateMachines/${machine}/TestCases/${caseName}`, 'must map state names to response names');
      const states = new Map<string, string>();
      for (const [state, responseName] of Object.entries(mapping as Record<string, unknown>)) {
        if (typeof responseName !== 'string') fail(`/StateMachines/${machine}/TestCases/${caseName}/${state}`, 'must be the name of a MockedResponses entry');
        if (!parsed.has(responseName as string)) fail(`/StateMachines/${machine}/TestCases/${caseName}/${state}`, `names "${responseName}", which is not in MockedResponses`);
        states.set(state, responseName as string);
      }
      byCase.set(caseName, states);
    }
    testCases.set(machine, byCase);
  }
  return new MockConfig(testCases, parsed);
}

export class MockConfig {
  constructor(
    private readonly testCases: Map<string, Map<string, Map<string, string>>>,
    private readonly responses: Map<string, RangeEntry[]>,
  ) {}

  /** The test case, or a StepwiseError naming what exists. */
  testCase(stateMachine: string, testCase: string): MockTestCase {
    const machine = this.testCases.get(stateMachine);
    if (!machine) {
      throw new StepwiseError('InvalidMockConfig', `the mock config has no state machine "${stateMachine}" (it has: ${[...this.testCases.keys()].join(', ') || 'none'}); pass --state-machine-name to pick one`);
    }
    const states = machine.get(testCase);
    if (!states) throw new StepwiseError('InvalidMockConfig', `state machine "${stateMachine}" has no test case "${testCase}" (it has: ${[...machine.keys()].join(', ')})`);
    return {
      stateMachineName: stateMachine,
      testCase,
      has: (stateName) => states.has(stateName),
      responseFor: (stateName, invocation) => {
        const name = states.get(stateName);
        if (!name) return undefined;
        const ranges = this.responses.get(name)!;
        return ranges.find((r) => invocation >= r.from && invocation <= r.to)?.response;
      },
    };
  }
}

export function loadMockConfigFile(path: string): MockConfig {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (e) {
    throw new StepwiseError('InvalidMockConfig', `cannot read mock config ${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new StepwiseError('InvalidMockConfig', `mock config ${path} is not valid JSON: ${(e as Error).message}`);
  }
  return parseMockConfig(json, path);
}
