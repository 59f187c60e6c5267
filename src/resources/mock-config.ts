import fs from 'node:fs';
import type { JsonValue } from '../asl/json-value.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import { eventDetailsOf, type HistoryEvent } from '../execution/history-event.js';
import { escapePointer, walkStates } from '../asl/variable-references.js';
import { describeFsError, jsonSyntaxProblem } from '../asl/parse-definition.js';

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
  /**
   * The invocation number of the state's next call, counted from 0 across the whole execution
   * (DG:sfn-local-mock-cfg-file): a retry, another pass of a loop and another Map iteration
   * each count one. Each execution has its own test case object, so its own counts.
   */
  nextInvocation?(stateName: string): number;
  /** Counts on from the calls an earlier attempt of the same execution made (a redrive continues it: see taskCallsIn). */
  continueCounts?(calls: ReadonlyMap<string, number>): void;
  /** The states this test case names, each with the JSON pointer of its entry in the file. */
  states?(): Iterable<[stateName: string, pointer: string]>;
  /** The file (or other source) the mock config was read from, for messages. */
  readonly source?: string;
}

interface RangeEntry { from: number; to: number; key: string; response: MockedResponse }

/** A JSON pointer (RFC 6901): `~` and `/` inside a name are escaped, so a name with a slash points at itself. */
function pointer(...names: string[]): string {
  return names.map((n) => '/' + escapePointer(n)).join('');
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseMockConfig(json: unknown, source = 'mock config'): MockConfig {
  const fail = (where: string, why: string): never => {
    throw new StepwiseError('InvalidMockConfig', `${source}: ${where}: ${why}`);
  };
  if (!isObject(json)) fail('/', 'must be a JSON object with StateMachines and MockedResponses');
  const root = json as Record<string, unknown>;
  const machines = root.StateMachines ?? {};
  const responses = root.MockedResponses ?? {};
  if (!isObject(machines)) fail('/StateMachines', 'must be an object');
  if (!isObject(responses)) fail('/MockedResponses', 'must be an object');
  const parsed = new Map<string, RangeEntry[]>();
  for (const [name, entry] of Object.entries(responses as Record<string, unknown>)) {
    if (!isObject(entry)) fail(pointer('MockedResponses', name), 'must be an object of invocation ranges');
    const ranges: RangeEntry[] = [];
    for (const [key, value] of Object.entries(entry as Record<string, unknown>)) {
      const at = pointer('MockedResponses', name, key);
      const m = /^(\d+)(?:-(\d+))?$/.exec(key);
      if (!m) fail(at, 'keys must be invocation numbers like "0" or ranges like "1-2"');
      const from = Number(m![1]);
      const to = m![2] === undefined ? from : Number(m![2]);
      if (to < from) fail(at, 'range end is before its start');
      // Each invocation has one response: with two, which one answers would depend on key order.
      const overlapping = ranges.find((r) => from <= r.to && r.from <= to);
      if (overlapping) fail(at, `overlaps "${overlapping.key}": each invocation must have exactly one response`);
      if (!isObject(value)) fail(at, 'must be an object with Return or Throw');
      const v = value as Record<string, unknown>;
      if ('Return' in v === 'Throw' in v) fail(at, 'must have exactly one of Return or Throw');
      if ('Throw' in v) {
        // DG:sfn-local-mock-cfg-file: "an object containing an Error and Cause fields with string
        // values" (either may be left out: an error without a cause, or States.TaskFailed).
        if (!isObject(v.Throw)) fail(`${at}/Throw`, 'must be an object with Error and Cause');
        const t = v.Throw as Record<string, unknown>;
        for (const field of ['Error', 'Cause']) {
          if (t[field] !== undefined && typeof t[field] !== 'string') fail(`${at}/Throw/${field}`, 'must be a string');
        }
      }
      ranges.push({ from, to, key, response: v as MockedResponse });
    }
    parsed.set(name, ranges);
  }
  const testCases = new Map<string, Map<string, Map<string, string>>>();
  for (const [machine, def] of Object.entries(machines as Record<string, unknown>)) {
    const cases = isObject(def) ? def.TestCases : undefined;
    if (!isObject(cases)) fail(pointer('StateMachines', machine), 'must have a TestCases object');
    const byCase = new Map<string, Map<string, string>>();
    for (const [caseName, mapping] of Object.entries(cases as Record<string, unknown>)) {
      if (!isObject(mapping)) fail(pointer('StateMachines', machine, 'TestCases', caseName), 'must map state names to response names');
      const states = new Map<string, string>();
      for (const [state, responseName] of Object.entries(mapping as Record<string, unknown>)) {
        const at = pointer('StateMachines', machine, 'TestCases', caseName, state);
        if (typeof responseName !== 'string') fail(at, 'must be the name of a MockedResponses entry');
        if (!parsed.has(responseName as string)) fail(at, `names "${responseName}", which is not in MockedResponses`);
        states.set(state, responseName as string);
      }
      byCase.set(caseName, states);
    }
    testCases.set(machine, byCase);
  }
  return new MockConfig(testCases, parsed, source);
}

export class MockConfig {
  constructor(
    private readonly testCases: Map<string, Map<string, Map<string, string>>>,
    private readonly responses: Map<string, RangeEntry[]>,
    private readonly source = 'mock config',
  ) {}

  /** The test case, or a StepwiseError naming what exists. A new object each call: it counts one execution's invocations. */
  testCase(stateMachine: string, testCase: string): MockTestCase {
    const machine = this.testCases.get(stateMachine);
    if (!machine) {
      throw new StepwiseError('InvalidMockConfig', `${this.source}: ${pointer('StateMachines')}: has no state machine "${stateMachine}" (it has: ${[...this.testCases.keys()].join(', ') || 'none'}); pass --state-machine-name to pick one`);
    }
    const states = machine.get(testCase);
    if (!states) throw new StepwiseError('InvalidMockConfig', `${this.source}: ${pointer('StateMachines', stateMachine, 'TestCases')}: state machine "${stateMachine}" has no test case "${testCase}" (it has: ${[...machine.keys()].join(', ') || 'none'})`);
    let counts: Map<string, number> | undefined;
    return {
      stateMachineName: stateMachine,
      testCase,
      source: this.source,
      has: (stateName) => states.has(stateName),
      responseFor: (stateName, invocation) => {
        const name = states.get(stateName);
        if (!name) return undefined;
        const ranges = this.responses.get(name)!;
        return ranges.find((r) => invocation >= r.from && invocation <= r.to)?.response;
      },
      continueCounts: (calls) => {
        counts = new Map(calls);
      },
      nextInvocation: (stateName) => {
        counts ??= new Map();
        const n = counts.get(stateName) ?? 0;
        counts.set(stateName, n + 1);
        return n;
      },
      states: () => [...states.keys()].map((s): [string, string] => [s, pointer('StateMachines', stateMachine, 'TestCases', testCase, s)]),
    };
  }
}

const SCHEDULED = new Set(['TaskScheduled', 'LambdaFunctionScheduled', 'ActivityScheduled']);

/**
 * How many times each Task state was called in a recorded history: one scheduled event per call,
 * named by the TaskStateEntered its thread leads back to (a retry's call threads on the attempt
 * before it, which leads back there too).
 */
export function taskCallsIn(events: readonly HistoryEvent[]): Map<string, number> {
  const byId = new Map<number, HistoryEvent>();
  const calls = new Map<string, number>();
  for (const e of events) {
    byId.set(e.id, e);
    if (!SCHEDULED.has(e.type)) continue;
    let at = byId.get(e.previousEventId);
    while (at && at.type !== 'TaskStateEntered') at = at.previousEventId > 0 ? byId.get(at.previousEventId) : undefined;
    const name = (eventDetailsOf(at) as { name?: string } | undefined)?.name;
    if (name !== undefined) calls.set(name, (calls.get(name) ?? 0) + 1);
  }
  return calls;
}

export function loadMockConfigFile(path: string): MockConfig {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (e) {
    throw new StepwiseError('InvalidMockConfig', `cannot read mock config ${path} (${describeFsError(e)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new StepwiseError('InvalidMockConfig', `mock config ${path} is not valid JSON: ${jsonSyntaxProblem(text, path) ?? (e as Error).message}`);
  }
  return parseMockConfig(json, path);
}

/**
 * Refuses a test case that names a state the definition does not have: a misspelt state name
 * would otherwise leave the real state unmocked, and its Task would call the service (or fail
 * far from the cause). Checked when an execution starts, so one file may hold test cases of
 * many state machines; a Distributed Map's child executions answer from their parent's test
 * case and are not checked against their own (smaller) definition.
 */
export function checkMockedStates(testCase: MockTestCase, definition: object): void {
  const names = new Set<string>();
  walkStates(definition as Parameters<typeof walkStates>[0], '', (_state, at) => names.add(unescapePointer(at.slice(at.lastIndexOf('/States/') + 8))));
  for (const [state, at] of testCase.states?.() ?? []) {
    if (!names.has(state)) {
      throw new StepwiseError('InvalidMockConfig', `${testCase.source ?? 'mock config'}: ${at}: names state "${state}", which the definition does not have (its states: ${[...names].join(', ')})`);
    }
  }
}

function unescapePointer(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}
