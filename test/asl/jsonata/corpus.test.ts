import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isAslError } from '../../../src/errors/asl-error.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../../src/asl/json-value.js';
import { expectType, type JsonataBindings } from '../../../src/asl/jsonata/evaluate-jsonata.js';
import { evaluateJsonataTemplate, isJsonataExpression } from '../../../src/asl/jsonata/jsonata-template.js';
import { jsonataExpressionText } from '../../../src/asl/jsonata/evaluate-jsonata.js';

/**
 * Replays, field by field, what the recorded AWS executions of the JSONata cases show: each
 * JSONata field of a state is evaluated on the input the history says the state entered with
 * (and the variables earlier states assigned, the task result or error the history shows), and
 * compared with what AWS recorded: the state's output, its assigned variables, the parameters it
 * scheduled, the branch a Choice took, the items a Map iterated, or the cause of an
 * EvaluationFailed event. This stands in for the engine, which is not wired yet.
 *
 * Approximations: variables live in one flat scope (Map iterations share it with the top level);
 * the context object is rebuilt from the placeholders the recordings were normalised with.
 */

const CASES_DIR =
  process.env.STEPWISE_CONFORMANCE_CASES ?? fileURLToPath(new URL('../../../../shared/conformance/cases', import.meta.url));
const CAUSE_PREFIX = /^An error occurred while executing the state '.*?' \(entered at the event id #\d+\)\. /s;

interface HistoryEvent {
  id: number;
  type: string;
  [details: string]: unknown;
}

interface Case {
  id: string;
  definition: JsonObject;
  input: JsonValue;
  history: HistoryEvent[];
}

interface StateInfo {
  state: JsonObject;
  jsonata: boolean;
}

interface Check {
  caseId: string;
  what: string;
  ok: boolean;
  detail?: string;
}

function loadCases(): Case[] {
  if (!existsSync(CASES_DIR)) return [];
  const cases: Case[] = [];
  for (const id of readdirSync(CASES_DIR).sort()) {
    const dir = join(CASES_DIR, id);
    const expectedPath = join(dir, 'expected.json');
    if (!existsSync(expectedPath)) continue;
    const expected = JSON.parse(readFileSync(expectedPath, 'utf8')) as { features?: string[]; history?: HistoryEvent[] | null };
    if (!expected.features?.includes('JSONata') || !expected.history) continue;
    cases.push({
      id,
      definition: JSON.parse(readFileSync(join(dir, 'definition.json'), 'utf8')) as JsonObject,
      input: JSON.parse(readFileSync(join(dir, 'input.json'), 'utf8')) as JsonValue,
      history: expected.history,
    });
  }
  return cases;
}

/** Every state of the machine by name, nested Map and Parallel states included. */
function collectStates(machine: JsonObject, inherited: string, into: Map<string, StateInfo>): void {
  const language = typeof machine['QueryLanguage'] === 'string' ? (machine['QueryLanguage'] as string) : inherited;
  const states = machine['States'];
  if (!isJsonObject(states)) return;
  for (const [name, state] of Object.entries(states)) {
    if (!isJsonObject(state)) continue;
    const own = typeof state['QueryLanguage'] === 'string' ? (state['QueryLanguage'] as string) : language;
    into.set(name, { state, jsonata: own === 'JSONata' });
    for (const key of ['ItemProcessor', 'Iterator']) {
      const inner = state[key];
      if (isJsonObject(inner)) collectStates(inner, own, into);
    }
    const branches = state['Branches'];
    if (Array.isArray(branches)) for (const branch of branches) if (isJsonObject(branch)) collectStates(branch, own, into);
  }
}

/** Recorded values were normalised (`<region>`, `date`...): those parts match anything. */
function matchesRecorded(actual: JsonValue | undefined, recorded: JsonValue | undefined): boolean {
  if (typeof recorded === 'string' && typeof actual === 'string') {
    if (recorded === actual) return true;
    if (recorded === 'date') return true;
    if (!/<[^<>]+>/.test(recorded)) return false;
    const pattern = recorded.split(/<[^<>]+>/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
    return new RegExp(`^${pattern}$`, 's').test(actual);
  }
  if (Array.isArray(recorded)) {
    return Array.isArray(actual) && actual.length === recorded.length && recorded.every((item, i) => matchesRecorded(actual[i], item));
  }
  if (isJsonObject(recorded)) {
    if (!isJsonObject(actual)) return false;
    const keys = Object.keys(recorded);
    return keys.length === Object.keys(actual).length && keys.every((key) => key in actual && matchesRecorded(actual[key], recorded[key]));
  }
  return Object.is(actual, recorded) || actual === recorded;
}

/** assignedVariables values are JSON text in most recordings, already decoded in some. */
function decodeAssigned(value: unknown): JsonValue {
  if (typeof value !== 'string') return value as JsonValue;
  try {
    return JSON.parse(value) as JsonValue;
  } catch {
    return value;
  }
}

function contextFor(executionInput: JsonValue, stateName: string, mapItem?: { index: number; value: JsonValue }): JsonValue {
  const context: JsonObject = {
    Execution: {
      Id: 'arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>',
      Input: executionInput,
      StartTime: 'date',
      Name: '<ExecArnPart_0idx>',
      RoleArn: 'snf_role_arn',
      RedriveCount: 0,
    },
    StateMachine: { Id: 'arn:<partition>:states:<region>:111111111111:stateMachine:<ArnPart_0idx>', Name: '<ArnPart_0idx>' },
    State: { Name: stateName, EnteredTime: 'date' },
  };
  if (mapItem) context['Map'] = { Item: { Index: mapItem.index, Value: mapItem.value } };
  return context;
}

function causeOf(details: JsonObject): string | undefined {
  const cause = details['cause'];
  if (cause === undefined) return undefined;
  return typeof cause === 'string' ? cause : JSON.stringify(cause);
}

type Outcome = { value: JsonValue } | { error: string; cause: string };

async function attempt(run: () => Promise<JsonValue>): Promise<Outcome> {
  try {
    return { value: await run() };
  } catch (error) {
    if (isAslError(error)) return { error: error.error, cause: error.causeText ?? '' };
    throw error;
  }
}

async function replay(c: Case): Promise<Check[]> {
  const checks: Check[] = [];
  const states = new Map<string, StateInfo>();
  collectStates(c.definition, 'JSONPath', states);
  let variables: Record<string, JsonValue> = {};
  let entered: { name: string; input: JsonValue; id: number } | undefined;
  const enteredByName = new Map<string, { input: JsonValue }>();
  let result: JsonValue | undefined;
  let errorOutput: JsonObject | undefined;
  let scheduled: JsonValue | undefined;
  let mapLength: number | undefined;
  let pendingIteration: { index: number } | undefined;
  let pendingChoice: { name: string; input: JsonValue } | undefined;
  const iterationInputs = new Map<number, JsonValue>();
  const history = c.history;

  const record = (what: string, ok: boolean, detail?: string) => checks.push({ caseId: c.id, what, ok, ...(ok ? {} : { detail }) });
  const bindingsFor = (name: string, input: JsonValue, extra: { result?: JsonValue; errorOutput?: JsonValue } = {}, item?: { index: number; value: JsonValue }): JsonataBindings => ({
    states: { input, context: contextFor(c.input, name, item), ...extra },
    variables,
  });
  const compare = async (what: string, run: () => Promise<JsonValue>, recorded: JsonValue | undefined) => {
    const outcome = await attempt(run);
    if ('error' in outcome) record(what, false, `threw ${outcome.cause}`);
    else record(what, matchesRecorded(outcome.value, recorded), `got ${JSON.stringify(outcome.value)}, AWS ${JSON.stringify(recorded)}`);
  };
  const compareAssign = async (what: string, assign: JsonValue | undefined, b: JsonataBindings, recorded: unknown) => {
    if (!isJsonObject(assign)) return;
    const expected: JsonObject = {};
    if (isJsonObject(recorded)) for (const [k, v] of Object.entries(recorded)) expected[k] = decodeAssigned(v);
    await compare(what, () => evaluateJsonataTemplate(assign, b, 'Assign'), expected);
  };

  for (let i = 0; i < history.length; i++) {
    const event = history[i]!;
    const type = event.type;
    const detailsKey = Object.keys(event).find((key) => key.endsWith('EventDetails'));
    const details = (detailsKey ? event[detailsKey] : {}) as JsonObject;

    if (type.endsWith('StateEntered')) {
      const name = details['name'] as string;
      const input = details['input'] as JsonValue;
      if (pendingChoice) {
        await checkChoice(pendingChoice, name);
        pendingChoice = undefined;
      }
      if (pendingIteration) {
        iterationInputs.set(pendingIteration.index, input);
        pendingIteration = undefined;
      }
      entered = { name, input, id: event.id };
      enteredByName.set(name, { input });
      result = undefined;
      errorOutput = undefined;
      scheduled = undefined;
      if (type === 'MapStateEntered') {
        mapLength = undefined;
        iterationInputs.clear();
      }
      continue;
    }
    if (type === 'TaskScheduled') scheduled = details['parameters'] as JsonValue;
    if (type === 'LambdaFunctionScheduled') scheduled = details['input'] as JsonValue;
    if (type === 'TaskSucceeded' || type === 'LambdaFunctionSucceeded') result = details['output'] as JsonValue;
    if (/^(Task|LambdaFunction)(Failed|TimedOut|StartFailed|SubmitFailed)$/.test(type)) {
      errorOutput = { Error: details['error'] as JsonValue, Cause: causeOf(details) ?? null };
      if (errorOutput['Cause'] === null) delete errorOutput['Cause'];
    }
    if (type === 'MapStateStarted') mapLength = details['length'] as number;
    if (type === 'MapIterationStarted') pendingIteration = { index: details['index'] as number };
    if ((type === 'TaskScheduled' || type === 'LambdaFunctionScheduled') && entered) {
      const info = states.get(entered.name);
      const args = info?.state['Arguments'];
      if (info?.jsonata && args !== undefined) {
        const input = entered.input;
        const name = entered.name;
        await compare(`${name}: Arguments`, () => evaluateJsonataTemplate(args, bindingsFor(name, input), 'Arguments'), scheduled);
      }
    }

    if (type === 'EvaluationFailed' && entered) {
      const stateName = details['state'] as string;
      const location = details['location'] as string | undefined;
      const recordedCause = (details['cause'] as string).replace(CAUSE_PREFIX, '');
      const info = states.get(stateName);
      // Without a location the failure is the engine's (e.g. a Map input that is not an array).
      if (!info?.jsonata || location === undefined) continue;
      const root = location.split(/[/[]/)[0]!;
      const fieldValue = info.state[root];
      if (fieldValue === undefined) continue;
      const b = bindingsFor(stateName, entered.input, { ...(result !== undefined ? { result } : {}), ...(errorOutput ? { errorOutput } : {}) });
      const outcome = await attempt(async () => {
        const value = await evaluateJsonataTemplate(fieldValue, b, root);
        if (root === 'Items' && typeof fieldValue === 'string') expectType(value, 'array', fieldValue, 'Items');
        return value;
      });
      const ok = 'error' in outcome && outcome.error === details['error'] && outcome.cause === recordedCause;
      record(`${stateName}: EvaluationFailed at ${location}`, ok, 'error' in outcome ? `cause ${outcome.cause}\n AWS ${recordedCause}` : `succeeded with ${JSON.stringify(outcome.value)}; AWS: ${recordedCause}`);
      continue;
    }

    if (type === 'ExecutionFailed' && entered) {
      const info = states.get(entered.name);
      if (info?.jsonata && info.state['Type'] === 'Fail') {
        const b = bindingsFor(entered.name, entered.input);
        for (const field of ['Error', 'Cause'] as const) {
          const value = info.state[field];
          if (typeof value !== 'string') continue;
          const recorded = details[field.toLowerCase()] as JsonValue;
          await compare(`${entered.name}: Fail ${field}`, () => evaluateJsonataTemplate(value, b, field), recorded);
        }
      }
      continue;
    }

    if (type.endsWith('StateExited')) {
      const name = details['name'] as string;
      const info = states.get(name);
      const output = details['output'] as JsonValue;
      const assigned = details['assignedVariables'];
      const enteredWith = enteredByName.get(name);
      if (info?.jsonata && enteredWith) {
        const state = info.state;
        const input = enteredWith.input;
        await checkScalarFields(name, state, input);
        const stateType = state['Type'];
        if (stateType === 'Pass') {
          const b = bindingsFor(name, input);
          if (state['Output'] !== undefined) await compare(`${name}: Output`, () => evaluateJsonataTemplate(state['Output']!, b, 'Output'), output);
          await compareAssign(`${name}: Assign`, state['Assign'], b, assigned);
        } else if (stateType === 'Task') {
          const caught = result === undefined && errorOutput !== undefined;
          if (caught) {
            const catcher = (state['Catch'] as JsonObject[] | undefined)?.find((k) => {
              const names = k['ErrorEquals'] as string[];
              return names.includes('States.ALL') || names.includes(errorOutput!['Error'] as string);
            });
            const b = bindingsFor(name, input, { errorOutput: errorOutput! });
            if (catcher?.['Output'] !== undefined) await compare(`${name}: Catch Output`, () => evaluateJsonataTemplate(catcher['Output']!, b, 'Output'), output);
            await compareAssign(`${name}: Catch Assign`, catcher?.['Assign'], b, assigned);
          } else if (result !== undefined) {
            const b = bindingsFor(name, input, { result });
            if (state['Output'] !== undefined) await compare(`${name}: Output`, () => evaluateJsonataTemplate(state['Output']!, b, 'Output'), output);
            await compareAssign(`${name}: Assign`, state['Assign'], b, assigned);
          }
        } else if (stateType === 'Choice') {
          pendingChoice = { name, input };
          if (i + 1 < history.length && !history[i + 1]!.type.endsWith('StateEntered')) {
            // The execution ended at the Choice (no state entered next).
          }
        } else if (stateType === 'Map') {
          await checkMap(name, state, input);
        }
      }
      if (isJsonObject(assigned)) {
        variables = { ...variables };
        for (const [k, v] of Object.entries(assigned)) variables[k] = decodeAssigned(v);
      }
      continue;
    }
    if (type === 'ExecutionSucceeded' && pendingChoice) {
      await checkChoice(pendingChoice, undefined);
      pendingChoice = undefined;
    }
  }
  return checks;

  async function checkChoice(choice: { name: string; input: JsonValue }, next: string | undefined): Promise<void> {
    const state = states.get(choice.name)!.state;
    const rules = (state['Choices'] as JsonObject[]) ?? [];
    const b = bindingsFor(choice.name, choice.input);
    let chosen: string | undefined;
    for (let r = 0; r < rules.length; r++) {
      const condition = rules[r]!['Condition'];
      const outcome = await attempt(() => evaluateJsonataTemplate(condition ?? false, b, `Choices[${r}]/Condition`));
      if ('error' in outcome) {
        record(`${choice.name}: Choices[${r}]/Condition`, false, outcome.cause);
        return;
      }
      if (outcome.value === true) {
        chosen = rules[r]!['Next'] as string;
        break;
      }
    }
    chosen ??= state['Default'] as string | undefined;
    record(`${choice.name}: Condition picks next state`, chosen === next, `picked ${chosen}, AWS went to ${next}`);
  }

  /** AWS ran these fields without complaint; each must evaluate to a value of the kind the field takes. */
  async function checkScalarFields(name: string, state: JsonObject, input: JsonValue): Promise<void> {
    const fields: [string, 'integer' | 'number' | 'string'][] = [
      ['Timestamp', 'string'],
      ['MaxConcurrency', 'integer'],
      ['ToleratedFailureCount', 'integer'],
      ['ToleratedFailurePercentage', 'number'],
      ['TimeoutSeconds', 'integer'],
      ['HeartbeatSeconds', 'integer'],
      ['Seconds', 'integer'],
    ];
    for (const [field, kind] of fields) {
      const value = state[field];
      if (typeof value !== 'string' || !isJsonataExpression(value)) continue;
      const outcome = await attempt(async () => expectType(await evaluateJsonataTemplate(value, bindingsFor(name, input), field), kind, value, field));
      record(`${name}: ${field}`, !('error' in outcome), 'error' in outcome ? outcome.cause : undefined);
    }
  }

  async function checkMap(name: string, state: JsonObject, input: JsonValue): Promise<void> {
    const itemsField = state['Items'];
    const b = bindingsFor(name, input);
    let items: JsonValue[] | undefined;
    if (itemsField !== undefined) {
      const outcome = await attempt(async () => {
        const value = await evaluateJsonataTemplate(itemsField, b, 'Items');
        return typeof itemsField === 'string' && isJsonataExpression(itemsField) ? expectType(value, 'array', jsonataExpressionText(itemsField), 'Items') : value;
      });
      if ('error' in outcome) {
        record(`${name}: Items`, false, outcome.cause);
        return;
      }
      items = outcome.value as JsonValue[];
      record(`${name}: Items length`, items.length === mapLength, `got ${items.length}, AWS ${mapLength}`);
    } else if (Array.isArray(input)) {
      items = input;
    }
    const selector = state['ItemSelector'];
    if (selector === undefined || items === undefined) return;
    for (let index = 0; index < items.length; index++) {
      if (!iterationInputs.has(index)) continue;
      const itemBindings = bindingsFor(name, input, {}, { index, value: items[index]! });
      await compare(`${name}: ItemSelector[${index}]`, () => evaluateJsonataTemplate(selector, itemBindings, 'ItemSelector'), iterationInputs.get(index));
    }
  }
}

const cases = loadCases();

describe.skipIf(cases.length === 0)('JSONata fields replayed against the AWS recordings', () => {
  it('evaluates every JSONata field the recordings show, as AWS did', async () => {
    const checks: Check[] = [];
    for (const c of cases) checks.push(...(await replay(c)));
    const failed = checks.filter((check) => !check.ok);
    const casesWithChecks = new Set(checks.map((check) => check.caseId)).size;
    console.log(
      `JSONata corpus: ${cases.length} cases, ${casesWithChecks} with evaluable fields; ${checks.length - failed.length} of ${checks.length} field checks match AWS`,
    );
    if (process.env.STEPWISE_JSONATA_CORPUS_VERBOSE) {
      for (const check of checks) console.log(`  ${check.ok ? 'ok' : 'MISMATCH'} ${check.caseId} :: ${check.what}`);
      for (const c of cases) if (!checks.some((check) => check.caseId === c.id)) console.log(`  (nothing to check) ${c.id}`);
    }
    for (const f of failed) console.log(`  MISMATCH ${f.caseId} :: ${f.what}\n    ${f.detail}`);
    expect(failed).toEqual([]);
    expect(checks.length).toBeGreaterThan(100);
  });
});
