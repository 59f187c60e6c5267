import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isAslError } from '../../../src/errors/asl-error.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../../src/asl/json-value.js';
import type { PathContext } from '../../../src/asl/path-context.js';
import { evaluatePath } from '../../../src/asl/json-path.js';
import { evaluateIntrinsic, isIntrinsicCall, type RandomSource } from '../../../src/asl/intrinsics/evaluate-intrinsic.js';

/**
 * Replays the recorded AWS cases whose state machine is only Pass/Fail states using
 * Parameters, Result, Assign, ErrorPath and CausePath, so the intrinsics can be checked
 * against AWS before the engine exists. The little interpreter here stands in for the engine.
 */

const CASES_DIR =
  process.env.STEPWISE_CONFORMANCE_CASES ?? fileURLToPath(new URL('../../../../shared/conformance/cases', import.meta.url));

const PASS_FIELDS = new Set(['Type', 'Parameters', 'Result', 'Assign', 'Next', 'End', 'Comment']);
const FAIL_FIELDS = new Set(['Type', 'Error', 'Cause', 'ErrorPath', 'CausePath', 'Comment']);
const CAUSE_PREFIX = /^An error occurred while executing the state '.*?' \(entered at the event id #\d+\)\. /s;
const ANY_SCALAR = new Set(['timestamp', 'datetime', 'date', 'snf_role_arn']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface Case {
  id: string;
  definition: JsonObject;
  input: JsonValue;
  expected: {
    status: string;
    output?: JsonValue;
    error?: string;
    cause?: string;
    history: Array<Record<string, JsonValue>> | null;
  };
}

function loadCases(): Case[] {
  if (!existsSync(CASES_DIR)) return [];
  return readdirSync(CASES_DIR)
    .sort()
    .map((id) => {
      const dir = join(CASES_DIR, id);
      const read = (file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as never;
      return { id, definition: read('definition.json'), input: read('input.json'), expected: read('expected.json') };
    });
}

function isReplayable(c: Case): boolean {
  const text = JSON.stringify(c.definition);
  if (!/States\.[A-Za-z0-9]+\(/.test(text) || text.includes('"JSONata"')) return false;
  const states = Object.values(c.definition.States as JsonObject) as JsonObject[];
  return states.every((state) => {
    const allowed = state.Type === 'Pass' ? PASS_FIELDS : state.Type === 'Fail' ? FAIL_FIELDS : null;
    return allowed !== null && Object.keys(state).every((key) => allowed.has(key));
  });
}

const fixedRandom: RandomSource = {
  random: () => 0.5,
  uuid: () => '0f8fad5b-d9cb-469f-a165-70867728950e',
};

function resolve(expression: string, ctx: PathContext): JsonValue {
  if (isIntrinsicCall(expression)) return evaluateIntrinsic(expression, ctx, fixedRandom);
  const value = evaluatePath(expression, ctx);
  if (value === undefined) throw new Error(`path ${expression} matched nothing`);
  return value;
}

function applyTemplate(template: JsonValue, ctx: PathContext): JsonValue {
  if (Array.isArray(template)) return template.map((item) => applyTemplate(item, ctx));
  if (!isJsonObject(template)) return template;
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$') && typeof value === 'string') result[key.slice(0, -2)] = resolve(value, ctx);
    else result[key] = applyTemplate(value, ctx);
  }
  return result;
}

type Outcome =
  | { status: 'SUCCEEDED'; output: JsonValue; assigned: Map<string, JsonObject> }
  | { status: 'FAILED'; error: string; cause: string; assigned: Map<string, JsonObject> };

function replay(c: Case): Outcome {
  const machineName = c.id;
  const context = (stateName: string): JsonValue => ({
    Execution: {
      Id: `arn:aws:states:us-east-1:123456789012:execution:${machineName}:exec-1`,
      Input: c.input,
      Name: 'exec-1',
      RoleArn: 'arn:aws:iam::123456789012:role/stepwise',
      StartTime: '2024-01-01T00:00:00.000Z',
      RedriveCount: 0,
    },
    StateMachine: { Id: `arn:aws:states:us-east-1:123456789012:stateMachine:${machineName}`, Name: machineName },
    State: { Name: stateName, EnteredTime: '2024-01-01T00:00:00.000Z' },
  });
  const states = c.definition.States as Record<string, JsonObject>;
  let variables: Record<string, JsonValue> = {};
  let input = c.input;
  let name = c.definition.StartAt as string;
  const assigned = new Map<string, JsonObject>();
  for (;;) {
    const state = states[name]!;
    const ctx: PathContext = { input, context: context(name), variables };
    if (state.Type === 'Fail') {
      const error = state.Error ?? (state.ErrorPath !== undefined ? resolve(state.ErrorPath as string, ctx) : '');
      const cause = state.Cause ?? (state.CausePath !== undefined ? resolve(state.CausePath as string, ctx) : '');
      return { status: 'FAILED', error: error as string, cause: cause as string, assigned };
    }
    const result = state.Result !== undefined ? state.Result : state.Parameters !== undefined ? applyTemplate(state.Parameters, ctx) : input;
    if (state.Assign !== undefined) {
      const values = applyTemplate(state.Assign, { ...ctx, input: result }) as JsonObject;
      assigned.set(name, values);
      variables = { ...variables, ...values };
    }
    if (state.End === true) return { status: 'SUCCEEDED', output: result, assigned };
    input = result;
    name = state.Next as string;
  }
}

function placeholderPattern(expected: string): RegExp | null {
  if (!/<[^<>]+>|111111111111/.test(expected)) return null;
  const source = expected
    .split(/(<[^<>]+>|111111111111)/)
    .map((part, i) => (i % 2 === 0 ? part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : part === '111111111111' ? '\\d{12}' : '.+'))
    .join('');
  return new RegExp(`^${source}$`, 's');
}

/** The corpus runner's lenient comparison, plus the two values the recordings normalised. */
function matches(actual: JsonValue | undefined, expected: JsonValue | undefined): boolean {
  if (expected === 'RandomNumberGenerated') return typeof actual === 'number' && Number.isInteger(actual);
  if (expected === 'generated-uuid') return typeof actual === 'string' && UUID.test(actual);
  if (typeof expected === 'string' && ANY_SCALAR.has(expected)) return typeof actual === 'string' || typeof actual === 'number';
  if (typeof expected === 'string') {
    if (actual === expected) return true;
    const pattern = placeholderPattern(expected);
    if (pattern !== null && typeof actual === 'string' && pattern.test(actual)) return true;
    // assignedVariables in the history hold JSON text
    let decoded: JsonValue;
    try {
      decoded = JSON.parse(expected) as JsonValue;
    } catch {
      return false;
    }
    return decoded !== expected && matches(actual, decoded);
  }
  if (typeof expected === 'number') return typeof actual === 'number' && Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
  if (expected === null || typeof expected === 'boolean') return actual === expected;
  if (typeof actual === 'string' && (Array.isArray(expected) || isJsonObject(expected ?? null))) {
    try {
      return matches(JSON.parse(actual) as JsonValue, expected);
    } catch {
      return false;
    }
  }
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((item, i) => matches(actual[i], item));
  }
  if (expected === undefined) return actual === undefined;
  if (!isJsonObject(actual ?? null)) return false;
  const actualObject = actual as JsonObject;
  const keys = Object.keys(expected);
  return keys.length === Object.keys(actualObject).length && keys.every((key) => matches(actualObject[key], expected[key]));
}

function recordedAssignments(c: Case): Map<string, JsonObject> {
  const recorded = new Map<string, JsonObject>();
  for (const event of c.expected.history ?? []) {
    const details = event.stateExitedEventDetails;
    if (isJsonObject(details ?? null) && isJsonObject((details as JsonObject).assignedVariables ?? null)) {
      recorded.set((details as JsonObject).name as string, (details as JsonObject).assignedVariables as JsonObject);
    }
  }
  return recorded;
}

const allCases = loadCases();
const replayable = allCases.filter(isReplayable);
const intrinsicCases = allCases.filter((c) => c.id.startsWith('intrinsic_functions.'));

describe.skipIf(allCases.length === 0)('recorded AWS cases replayed through the intrinsics', () => {
  it('covers every intrinsic_functions case that is not JSONata', () => {
    const skipped = intrinsicCases.filter((c) => !replayable.includes(c) && !JSON.stringify(c.definition).includes('"JSONata"'));
    expect(skipped.map((c) => c.id)).toEqual([]);
    expect(replayable.length).toBeGreaterThanOrEqual(80);
  });

  it.each(replayable.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    let outcome: Outcome;
    try {
      outcome = replay(c);
    } catch (error) {
      if (!isAslError(error) || c.expected.status !== 'FAILED') throw error;
      expect(error.error).toBe(c.expected.error);
      expect(error.causeText).toBe(c.expected.cause?.replace(CAUSE_PREFIX, ''));
      return;
    }
    expect(outcome.status).toBe(c.expected.status);
    if (outcome.status === 'SUCCEEDED') {
      expect(matches(outcome.output, c.expected.output), JSON.stringify(outcome.output)).toBe(true);
    } else {
      expect(outcome.error).toBe(c.expected.error);
      expect(outcome.cause).toBe(c.expected.cause);
    }
    for (const [stateName, recorded] of recordedAssignments(c)) {
      const actual = outcome.assigned.get(stateName);
      expect(matches(actual, recorded), `${stateName}: ${JSON.stringify(actual)}`).toBe(true);
    }
  });
});
