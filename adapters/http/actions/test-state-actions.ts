import type { JsonValue } from '../../../src/asl/json-value.js';
import { selectPathOrThrowRuntime } from '../../../src/asl/json-path.js';
import { evaluatePayloadTemplate } from '../../../src/asl/payload-template.js';
import { applyResultPath } from '../../../src/asl/reference-path.js';
import { StepwiseError } from '../../../src/errors/stepwise-error.js';
import { eventDetailsOf, type HistoryEvent } from '../../../src/execution/history-event.js';
import { parseMockConfig } from '../../../src/resources/mock-config.js';
import { TaskFailure } from '../../../src/resources/task-handlers.js';
import { checkDefinitionText, REGISTRY_LIMITS } from '../../../src/registry/state-machine-registry.js';
import { createRuntime, type Runtime } from '../../../src/runtime/create-runtime.js';
import type { Action } from '../api-context.js';
import { compact, validationError } from '../aws-json-protocol.js';

type StateDef = Record<string, JsonValue>;
const MACHINE = 'TestState';
const SETUP = 'StepwiseTestStateSetup';
/** A state that waits for a callback nobody sends would never end: TestState gives up after this. */
const TEST_STATE_LIMIT_MS = 30_000;

interface TestStateMock {
  result?: string;
  errorOutput?: { error?: string; cause?: string };
}

function parseJson(text: string, what: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (e) {
    throw validationError(`${what} is not valid JSON: ${(e as Error).message}`);
  }
}

/** The state to test, and the query language it runs in, from a state or a whole state machine. */
function pickState(definition: JsonValue, stateName: string | undefined): { name: string; state: StateDef; queryLanguage?: JsonValue } {
  if (typeof definition !== 'object' || definition === null || Array.isArray(definition)) throw validationError('The definition must be a JSON object: a state, or a state machine with stateName.');
  const states = (definition as StateDef).States;
  if (states !== undefined) {
    if (stateName === undefined) throw validationError('stateName is required when the definition is a whole state machine.');
    const state = (states as StateDef)[stateName];
    if (typeof state !== 'object' || state === null) throw validationError(`The state machine has no state '${stateName}'.`);
    return { name: stateName, state: state as StateDef, queryLanguage: (definition as StateDef).QueryLanguage };
  }
  if (typeof (definition as StateDef).Type !== 'string') throw new StepwiseError('InvalidDefinition', "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The state has no Type at /Type'");
  return { name: stateName ?? MACHINE, state: definition as StateDef };
}

/** States the tested one can move to: stand-ins that end the run so that the next state is visible. */
function targetsOf(state: StateDef): string[] {
  const out = new Set<string>();
  const add = (v: unknown) => typeof v === 'string' && out.add(v);
  add(state.Next);
  add(state.Default);
  for (const c of (Array.isArray(state.Choices) ? state.Choices : []) as StateDef[]) add(c?.Next);
  for (const c of (Array.isArray(state.Catch) ? state.Catch : []) as StateDef[]) add(c?.Next);
  return [...out];
}

function harness(name: string, state: StateDef, queryLanguage: JsonValue | undefined, variables: JsonValue | undefined): StateDef {
  const states: StateDef = {};
  for (const t of targetsOf(state)) if (t !== name) states[t] = { Type: 'Succeed' };
  states[name] = state;
  let startAt = name;
  if (variables !== undefined && Object.keys(variables as object).length > 0) {
    states[SETUP] = { Type: 'Pass', Assign: variables, Next: name };
    startAt = SETUP;
  }
  return { ...(queryLanguage !== undefined ? { QueryLanguage: queryLanguage } : {}), StartAt: startAt, States: states };
}

const detailsOf = (e: HistoryEvent | undefined): Record<string, JsonValue> => (eventDetailsOf(e) ?? {}) as Record<string, JsonValue>;

const FAILURE = /(TaskFailed|TaskTimedOut|TaskStartFailed|TaskSubmitFailed|LambdaFunctionFailed|LambdaFunctionTimedOut|LambdaFunctionStartFailed|LambdaFunctionScheduleFailed|ExecutionFailed|EvaluationFailed)$/;
const SCHEDULED = /^(TaskScheduled|LambdaFunctionScheduled)$/;

/** Runs the state once in a scratch runtime on a virtual clock (nothing is stored or listed). */
async function runOnce(main: Runtime, machine: StateDef, name: string, input: JsonValue, mock: TestStateMock | undefined): Promise<HistoryEvent[]> {
  const mockConfig = mock ? parseMockConfig({
    StateMachines: { [MACHINE]: { TestCases: { Mock: { [name]: 'Response' } } } },
    MockedResponses: { Response: { '0-1000': mock.errorOutput ? { Throw: { Error: mock.errorOutput.error ?? 'States.TaskFailed', Cause: mock.errorOutput.cause ?? '' } } : { Return: parseJson(mock.result ?? 'null', 'mock.result') } } },
  }) : undefined;
  const scratch = createRuntime({ clock: 'virtual', ...(mockConfig ? { mockConfig } : {}), limits: { historyEvents: 1000 } });
  if (!mock) {
    // Without a mock AWS calls the real service; here the main runtime's handlers answer.
    scratch.handle(/.*/, (request) => {
      const handler = main.handlers.find(request.resource, request.stateName);
      if (!handler) throw new TaskFailure('States.TaskFailed', `No task handler answers resource '${request.resource}' of state '${request.stateName}'; pass a mock to TestState or register a handler.`);
      return handler(request);
    });
  }
  const execution = scratch.startExecution({ definition: JSON.stringify(machine), input, stateMachineName: MACHINE, name: 'test', ...(mockConfig ? { testCase: 'Mock' } : {}) });
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, TEST_STATE_LIMIT_MS)));
  await Promise.race([execution.done.then(() => undefined, () => undefined), limit]);
  clearTimeout(timer);
  if (!execution.result) {
    execution.stop('States.Timeout', `The state did not finish within ${TEST_STATE_LIMIT_MS / 1000} s (a callback that nobody sends?).`);
    await execution.done.catch(() => undefined);
  }
  await scratch.close();
  return [...execution.events];
}

/** DEBUG inspection data for a JSONPath state, recomputed with the same path and template functions the compiler uses. */
function inspection(state: StateDef, events: HistoryEvent[], entered: HistoryEvent | undefined, variables: JsonValue | undefined, output: JsonValue | undefined): Record<string, unknown> {
  const input = detailsOf(entered).input;
  const data: Record<string, unknown> = { input: JSON.stringify(input ?? null) };
  const ctx = (value: JsonValue) => ({ input: value, context: {}, variables: (variables ?? {}) as Record<string, JsonValue> });
  try {
    const afterInputPath = state.InputPath === null ? {} : state.InputPath === undefined ? input! : selectPathOrThrowRuntime(state.InputPath as string, ctx(input!));
    data.afterInputPath = JSON.stringify(afterInputPath);
    const scheduled = events.find((e) => SCHEDULED.test(e.type));
    const params = scheduled ? detailsOf(scheduled).parameters : state.Parameters !== undefined ? evaluatePayloadTemplate(state.Parameters, ctx(afterInputPath), 'Parameters') : afterInputPath;
    data.afterParameters = JSON.stringify(params ?? null);
    const succeeded = events.find((e) => e.type === 'TaskSucceeded' || e.type === 'LambdaFunctionSucceeded');
    const result = succeeded ? detailsOf(succeeded).output : state.Type === 'Pass' ? (state.Result ?? params) : undefined;
    if (result !== undefined) {
      data.result = JSON.stringify(result);
      const selected = state.ResultSelector !== undefined ? evaluatePayloadTemplate(state.ResultSelector, ctx(result), 'ResultSelector') : result;
      data.afterResultSelector = JSON.stringify(selected);
      data.afterResultPath = JSON.stringify(applyResultPath(input!, state.ResultPath as string | null | undefined, selected));
    }
  } catch {
    // A path that fails here failed in the run too; its error is reported there.
  }
  if (output !== undefined && data.afterResultPath === undefined) data.afterResultPath = JSON.stringify(output);
  if (variables !== undefined) data.variables = JSON.stringify(variables);
  return data;
}

/** API:TestState: one state in isolation, with its outcome, next state and (DEBUG/TRACE) inspection data. */
const testState: Action = async (f, { runtime }) => {
  const text = f.string('definition', { max: REGISTRY_LIMITS.definitionBytes });
  f.optionalString('roleArn');
  const inputText = f.optionalPayload('input', runtime.limits.payloadBytes) ?? '{}';
  const level = f.optionalEnum('inspectionLevel', ['INFO', 'DEBUG', 'TRACE'] as const) ?? 'INFO';
  f.optionalBoolean('revealSecrets');
  const variablesText = f.optionalPayload('variables', runtime.limits.payloadBytes);
  const stateName = f.optionalString('stateName', { max: 80 });
  const mock = f.optionalObject<TestStateMock>('mock');
  if (mock && (mock.result === undefined) === (mock.errorOutput === undefined)) throw validationError('mock must have exactly one of result and errorOutput.');
  const input = parseJson(inputText, 'input');
  const variables = variablesText !== undefined ? parseJson(variablesText, 'variables') : undefined;
  if (variables !== undefined && (typeof variables !== 'object' || variables === null || Array.isArray(variables))) throw validationError('variables must be a JSON object.');
  const { name, state, queryLanguage } = pickState(parseJson(text, 'definition'), stateName);
  const machine = harness(name, state, queryLanguage, variables);
  checkDefinitionText(JSON.stringify(machine));
  const events = await runOnce(runtime, machine, name, input, mock);

  const named = (e: HistoryEvent) => (detailsOf(e).name as string | undefined);
  const entered = events.find((e) => e.type.endsWith('StateEntered') && named(e) === name);
  const exited = events.find((e) => e.type.endsWith('StateExited') && named(e) === name);
  const next = exited ? events.find((e) => e.id > exited.id && e.type.endsWith('StateEntered')) : undefined;
  const failure = events.find((e) => FAILURE.test(e.type));
  const failureDetails = detailsOf(failure);
  const attempts = events.filter((e) => SCHEDULED.test(e.type)).length;
  const output = exited ? detailsOf(exited).output : undefined;

  let status: 'SUCCEEDED' | 'FAILED' | 'RETRIABLE' | 'CAUGHT_ERROR';
  if (attempts > 1) status = 'RETRIABLE';
  else if (exited && failure && failure.type !== 'ExecutionFailed') status = 'CAUGHT_ERROR';
  else if (exited) status = 'SUCCEEDED';
  else status = 'FAILED';
  const error = status === 'SUCCEEDED' ? undefined : (failureDetails.error as string | undefined);
  const cause = status === 'SUCCEEDED' ? undefined : (failureDetails.cause as string | undefined);
  return compact({
    output: status === 'SUCCEEDED' || status === 'CAUGHT_ERROR' ? JSON.stringify(output ?? null) : undefined,
    error, cause,
    nextState: status === 'SUCCEEDED' || status === 'CAUGHT_ERROR' ? (next ? named(next) : undefined) : undefined,
    status,
    inspectionData: level === 'INFO' ? undefined : inspection(state, events, entered, variables, output),
  });
};

export const testStateActions: Record<string, Action> = {
  TestState: testState,
};
