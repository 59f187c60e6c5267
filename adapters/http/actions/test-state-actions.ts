import type { JsonValue } from '../../../src/asl/json-value.js';
import { selectPathOrThrowRuntime } from '../../../src/asl/json-path.js';
import { evaluatePayloadTemplate } from '../../../src/asl/payload-template.js';
import { applyResultPath } from '../../../src/asl/reference-path.js';
import { escapePointer, walkStates } from '../../../src/asl/variable-references.js';
import type { Catcher } from '../../../src/asl/definition.js';
import { findCatcher } from '../../../src/compile/error-policy.js';
import { StepwiseError } from '../../../src/errors/stepwise-error.js';
import { byName, eventDetailsOf, type HistoryEvent } from '../../../src/execution/history-event.js';
import { parseMockConfig } from '../../../src/resources/mock-config.js';
import { parseResource } from '../../../src/resources/resource-arn.js';
import { checkDefinitionText, REGISTRY_LIMITS } from '../../../src/registry/state-machine-registry.js';
import { createRuntime, type Runtime } from '../../../src/runtime/create-runtime.js';
import type { Action } from '../api-context.js';
import { compact, validationError } from '../aws-json-protocol.js';
import { nestsTooDeep, TOO_DEEP } from '../json-depth.js';
import { checkFailureCount, checkResultCount, checkStateConfiguration, exceedsTolerance, readStateConfiguration, retryOutcome, THRESHOLD_EXCEEDED, type RetryOutcome } from './test-state-config.js';
import { defaultContext, readContext } from './test-state-context.js';
import { mapFacts, readerItemsOf, type MapFacts } from './test-state-map.js';
import { checkMockResult, readMock, type MockInput, type TestStateMock } from './test-state-mock.js';

type StateDef = Record<string, JsonValue>;
const MACHINE = 'TestState';
/** What AWS names a state tested alone: in causes, paths (`/States/StateName/...`) and `$$.State.Name`, as recorded against AWS (2026-09). */
const STATE_NAME = 'StateName';
const SETUP = 'StepwiseTestStateSetup';
/** A state that waits for a callback nobody sends would never end: TestState gives up after this. */
const TEST_STATE_LIMIT_MS = 30_000;

/** `refuse` words the error for why the text is not JSON. */
function parseJson(text: string, refuse: (why: string) => Error): JsonValue {
  // Before the state is walked recursively (picked, validated, run), which a deeper one would overflow.
  if (nestsTooDeep(text)) throw refuse(`${TOO_DEEP}.`);
  try {
    return JSON.parse(text) as JsonValue;
  } catch (e) {
    throw refuse((e as Error).message);
  }
}

/**
 * API:TestState's errors name what is wrong: InvalidDefinition ("The provided Amazon States
 * Language definition is not valid"), worded as CreateStateMachine words it, and
 * InvalidExecutionInput ("The provided JSON input data is not valid").
 */
const invalidDefinition = (problem: string) => new StepwiseError('InvalidDefinition', `Invalid State Machine Definition: '${problem}'`);
const notJsonDefinition = (why: string) => invalidDefinition(`INVALID_JSON_DESCRIPTION: ${why}`);
const notJsonInput = (why: string) => new StepwiseError('InvalidExecutionInput', `input is not valid JSON: ${why}`);
const notJsonVariables = (why: string) => validationError(`variables is not valid JSON: ${why}`);

interface PickedState {
  name: string;
  state: StateDef;
  queryLanguage?: JsonValue;
  /** The state runs in a Map's iterations (its context has `Map.Item`). */
  inMap: boolean;
}

/** The state to test, and the query language it runs in, from a state or a whole state machine. */
function pickState(definition: JsonValue, stateName: string | undefined): PickedState {
  if (typeof definition !== 'object' || definition === null || Array.isArray(definition)) throw invalidDefinition('SCHEMA_VALIDATION_FAILED: The definition must be a JSON object: a state, or a state machine with stateName at /');
  const states = (definition as StateDef).States;
  // "If this field is specified, the definition must contain a fully-formed state machine definition" (API:TestState stateName).
  if (states === undefined && stateName !== undefined) checkDefinitionText(JSON.stringify(definition));
  if (states !== undefined) {
    if (stateName === undefined) throw validationError('stateName is required when the definition is a whole state machine.');
    // Any state of the machine, a Map's or Parallel's included; AWS's wording names no state.
    const found = findState(definition as StateDef, stateName);
    if (found === undefined) throw validationError('State not found in definition');
    return { name: stateName, state: found.state, queryLanguage: (definition as StateDef).QueryLanguage, inMap: found.inMap };
  }
  if (typeof (definition as StateDef).Type !== 'string') throw invalidDefinition('SCHEMA_VALIDATION_FAILED: The state has no Type at /Type');
  return { name: unusedName(JSON.stringify(definition)), state: definition as StateDef, inMap: false };
}

/** The state of that name anywhere in the machine, a Map's or Parallel's included (names are unique across them). */
function findState(machine: StateDef, name: string): { state: StateDef; inMap: boolean } | undefined {
  const suffix = `/States/${escapePointer(name)}`;
  let found: { state: StateDef; inMap: boolean } | undefined;
  walkStates(machine as Record<string, unknown>, '', (state, pointer) => {
    if (found || !pointer.endsWith(suffix)) return;
    // The innermost nested machine holding it: a Map's processor, or a Parallel branch (no Map.Item there).
    const within = pointer.slice(0, -suffix.length);
    const map = Math.max(within.lastIndexOf('/ItemProcessor'), within.lastIndexOf('/Iterator'));
    found = { state: state as StateDef, inMap: map >= 0 && map > within.lastIndexOf('/Branches/') };
  });
  return found;
}

/** A name for a state tested alone that no state inside it (a Map's or Parallel's) already has. */
function unusedName(text: string): string {
  let name = STATE_NAME;
  for (let n = 1; text.includes(JSON.stringify(name)); n++) name = `${STATE_NAME}${n}`;
  return name;
}

const NOT_MOCKABLE = new Set(['Pass', 'Wait', 'Choice', 'Succeed', 'Fail']);

/** What a Map or Parallel state keeps when a mock stands in for its whole result: its input and output processing, Retry, Catch and transitions. */
const KEPT_BY_MOCKED = ['Comment', 'QueryLanguage', 'InputPath', 'ResultSelector', 'ResultPath', 'OutputPath', 'Output', 'Assign', 'Retry', 'Catch', 'Next', 'End'];

/**
 * With a mock, AWS's TestState takes a Map's or Parallel's result from it without running any
 * iteration or branch: here the state becomes a Task of the same name whose call the mock answers.
 */
function standInForMocked(state: StateDef): StateDef {
  if (state.Type !== 'Map' && state.Type !== 'Parallel') return state;
  const task: StateDef = { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:TestStateMock' };
  for (const key of KEPT_BY_MOCKED) if (state[key] !== undefined) task[key] = state[key];
  return task;
}

/**
 * The state as it runs once: without its Retry, which TestState does not carry out but reports
 * (RETRIABLE, `errorDetails.retryIndex`), so that an error a retrier gives up on reaches Catch.
 */
function withoutRetry(state: StateDef): StateDef {
  if (state.Retry === undefined) return state;
  const { Retry: _retry, ...rest } = state;
  return rest;
}

/** What AWS's TestState refuses before running anything. */
function checkTestable(state: StateDef, mock: TestStateMock | undefined, roleArn: string | undefined): void {
  const type = state.Type as string;
  if (mock && NOT_MOCKABLE.has(type)) throw validationError(`State type '${type}' is not supported when a mock is specified`);
  if (!mock && (type === 'Map' || type === 'Parallel')) {
    throw new StepwiseError('InvalidDefinition', 'TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]');
  }
  if (type === 'Task' && !mock && roleArn === undefined) throw validationError('RoleArn must be specified when testing a Task state');
  // Only a mock stands in for a job run or a callback: recorded against AWS (2026-09), an
  // unmocked `ecs:runTask.sync` or `.waitForTaskToken` Task is refused before any call is made.
  if (type === 'Task' && !mock && typeof state.Resource === 'string' && parseResource(state.Resource).pattern !== undefined) {
    throw new StepwiseError('InvalidDefinition', "TestState API does not support '.sync' or '.waitForTaskToken' integration patterns.");
  }
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
  // Entries, not assignments: a state named "__proto__" would set the object's prototype instead.
  const states: [string, JsonValue][] = targetsOf(state).filter((t) => t !== name).map((t) => [t, { Type: 'Succeed' }]);
  states.push([name, state]);
  let startAt = name;
  if (variables !== undefined && Object.keys(variables as object).length > 0) {
    states.push([SETUP, { Type: 'Pass', Assign: variables, Next: name }]);
    startAt = SETUP;
  }
  return { ...(queryLanguage !== undefined ? { QueryLanguage: queryLanguage } : {}), StartAt: startAt, States: Object.fromEntries(states) };
}

const detailsOf = (e: HistoryEvent | undefined): Record<string, JsonValue> => (eventDetailsOf(e) ?? {}) as Record<string, JsonValue>;

const FAILURE = /(TaskFailed|TaskTimedOut|TaskStartFailed|TaskSubmitFailed|LambdaFunctionFailed|LambdaFunctionTimedOut|LambdaFunctionStartFailed|LambdaFunctionScheduleFailed|ExecutionFailed|EvaluationFailed)$/;
const SCHEDULED = /^(TaskScheduled|LambdaFunctionScheduled)$/;

/** Where the run happens: the caller's handlers, and the context object the state sees. */
interface RunSetup {
  main: Runtime;
  region: string;
  account: string;
  context: Record<string, JsonValue>;
}

/** Runs the state once in a scratch runtime on a virtual clock (nothing is stored or listed). */
async function runOnce(setup: RunSetup, machine: StateDef, name: string, input: JsonValue, mock: TestStateMock | undefined): Promise<HistoryEvent[]> {
  const mockConfig = mock ? parseMockConfig({
    StateMachines: { [MACHINE]: { TestCases: { Mock: { [name]: 'Response' } } } },
    MockedResponses: { Response: { '0-1000': mock.kind === 'error' ? { Throw: { Error: mock.error, Cause: mock.cause } } : { Return: mock.result } } },
  }) : undefined;
  // Without a mock AWS calls the real service; here what the main runtime calls answers: its
  // handler for the tested state, else its service callers (an HTTP Task with --http-invoke,
  // AWS SDK integrations with --aws-endpoint, states:startExecution).
  const services = mock ? undefined : setup.main.serviceCaller;
  const scratch = createRuntime({ clock: 'virtual', region: setup.region, accountId: setup.account, ...(mockConfig ? { mockConfig } : {}), ...(services ? { services } : {}), limits: { historyEvents: 1000 } });
  const resource = machine.States && (machine.States as Record<string, StateDef>)[name]?.Resource;
  const handler = !mock && typeof resource === 'string' ? setup.main.handlers.find(resource, name) : undefined;
  if (handler) scratch.handle({ state: name }, handler);
  const text = JSON.stringify(machine);
  // The scratch runtime compiles the harness once; its states see TestState's context object.
  scratch.prepare(text).compiled.fixedContext = setup.context;
  const execution = scratch.startExecution({ definition: text, input, stateMachineName: MACHINE, name: 'test', ...(mockConfig ? { testCase: 'Mock' } : {}) });
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

type Status = 'SUCCEEDED' | 'FAILED' | 'RETRIABLE' | 'CAUGHT_ERROR';

/** API:InspectionErrorDetails, members in the order of AWS's documented example. */
type ErrorDetails = { retryBackoffIntervalSeconds?: number; retryIndex?: number; catchIndex?: number };

/**
 * Which catcher (CAUGHT_ERROR) or retrier (RETRIABLE, with its backoff) took the error; a
 * retrier that has used up its attempts is still named, whether Catch then takes the error or
 * the state fails (as AWS's recordings show for FAILED).
 */
function errorDetailsOf(state: StateDef, error: string | undefined, status: Status, retry: RetryOutcome | undefined): ErrorDetails | undefined {
  if (error === undefined || status === 'SUCCEEDED') return undefined;
  const details: ErrorDetails = {};
  if (retry?.backoffSeconds !== undefined) details.retryBackoffIntervalSeconds = retry.backoffSeconds;
  if (retry) details.retryIndex = retry.retryIndex;
  if (status === 'CAUGHT_ERROR') {
    const catchers = (state.Catch ?? []) as unknown as Catcher[];
    const caught = findCatcher(catchers, error);
    details.catchIndex = caught ? catchers.indexOf(caught) : -1;
  }
  return Object.keys(details).length > 0 ? details : undefined;
}

/** What the inspection data is made from. */
interface InspectionFacts {
  jsonata: boolean;
  events: HistoryEvent[];
  entered: HistoryEvent | undefined;
  context: Record<string, JsonValue>;
  variables: JsonValue | undefined;
  output: JsonValue | undefined;
  status: Status;
  errorDetails: ErrorDetails | undefined;
  map: MapFacts | undefined;
}

/**
 * DEBUG inspection data, with the members AWS shows for the state's type and query language:
 * JSONPath Choice, Succeed, Fail and Wait show the input after InputPath; a Pass with a Result
 * shows that result (InputPath and Parameters are not evaluated then); a Pass without one and a
 * Task show each processing step; a mocked Map shows what it does to its items (see mapFacts)
 * and, in JSONPath, its result after ResultSelector and ResultPath. JSONata states show their
 * input, a Task's Arguments and result; `errorDetails` says which catcher or retrier took an error.
 */
function inspection(state: StateDef, f: InspectionFacts): Record<string, unknown> {
  const input = detailsOf(f.entered).input;
  const data: Record<string, unknown> = { input: JSON.stringify(input ?? null) };
  const ctx = (value: JsonValue) => ({ input: value, context: f.context, variables: (f.variables ?? {}) as Record<string, JsonValue> });
  const type = state.Type as string;
  const scheduled = f.events.find((e) => SCHEDULED.test(e.type));
  const succeeded = f.events.find((e) => e.type === 'TaskSucceeded' || e.type === 'LambdaFunctionSucceeded');
  const { afterItemsPath, afterItemSelector, afterItemBatcher, ...mapNumbers } = f.map?.inspection ?? {};
  try {
    if (f.jsonata) {
      if (type === 'Task') {
        if (scheduled) data.afterArguments = JSON.stringify(detailsOf(scheduled).parameters ?? null);
        if (succeeded) data.result = JSON.stringify(detailsOf(succeeded).output ?? null);
      }
    } else if (type === 'Pass' && state.Result !== undefined) {
      data.result = JSON.stringify(state.Result);
      data.afterResultSelector = JSON.stringify(state.Result);
      data.afterResultPath = JSON.stringify(applyResultPath(input!, state.ResultPath as string | null | undefined, state.Result));
    } else {
      const afterInputPath = state.InputPath === null ? {} : state.InputPath === undefined ? input! : selectPathOrThrowRuntime(state.InputPath as string, ctx(input!));
      data.afterInputPath = JSON.stringify(afterInputPath);
      let params: JsonValue | undefined;
      if (type === 'Pass' || type === 'Task') {
        params = scheduled ? detailsOf(scheduled).parameters : state.Parameters !== undefined ? evaluatePayloadTemplate(state.Parameters, ctx(afterInputPath), 'Parameters') : afterInputPath;
        data.afterParameters = JSON.stringify(params ?? null);
      }
      if (afterItemsPath !== undefined) data.afterItemsPath = afterItemsPath;
      if (type === 'Pass' || type === 'Task' || type === 'Map') {
        // A mocked Map's result is the mock, which its stand-in Task returned.
        const result = type === 'Pass' ? params : succeeded ? detailsOf(succeeded).output : undefined;
        if (type === 'Task' && result !== undefined) data.result = JSON.stringify(result);
        if (result !== undefined) {
          const selected = state.ResultSelector !== undefined ? evaluatePayloadTemplate(state.ResultSelector, ctx(result), 'ResultSelector') : result;
          data.afterResultSelector = JSON.stringify(selected);
          data.afterResultPath = JSON.stringify(applyResultPath(input!, state.ResultPath as string | null | undefined, selected));
        } else if (f.output !== undefined && type !== 'Map') data.afterResultPath = JSON.stringify(f.output);
      }
    }
  } catch {
    // A path that fails here failed in the run too; its error is reported there.
  }
  if (afterItemSelector !== undefined) data.afterItemSelector = afterItemSelector;
  if (afterItemBatcher !== undefined) data.afterItemBatcher = afterItemBatcher;
  if (f.errorDetails) data.errorDetails = f.errorDetails;
  Object.assign(data, mapNumbers);
  // The variables after the state: those given, with what the state assigned, listed by name
  // (recorded against AWS, 2026-09).
  const name = detailsOf(f.entered).name;
  const exited = f.events.find((e) => e.type.endsWith('StateExited') && detailsOf(e).name === name);
  const assigned = detailsOf(exited).assignedVariables as Record<string, JsonValue> | undefined;
  if (f.variables !== undefined || assigned !== undefined) {
    const after: Record<string, JsonValue> = { ...((f.variables ?? {}) as Record<string, JsonValue>) };
    Object.assign(after, assigned);
    data.variables = JSON.stringify(byName(after));
  }
  return data;
}

/** Region and account of the ARNs the main runtime makes. */
function placeOf(runtime: Runtime): { region: string; account: string } {
  const parts = runtime.stateMachines.arnFor('TestState').split(':');
  return { region: parts[3]!, account: parts[4]! };
}

/**
 * TestState takes a Pass state's `"Result": null` as no Result: the state passes its input on,
 * and the inspection data is that of a Pass without Result (recorded against AWS (2026-09)).
 */
function withoutNullResult(state: StateDef): StateDef {
  if (state.Type !== 'Pass' || !('Result' in state) || state.Result !== null) return state;
  const { Result: _result, ...rest } = state;
  return rest as StateDef;
}

const STATE_PREFIX = /^An error occurred while executing the state '[^']*' \(entered at the event id #\d+\)\. /;

/**
 * TestState's causes are the bare message: none has the "An error occurred while executing the
 * state …" prefix an execution's failure gets (recorded against AWS (2026-09): missing paths,
 * ResultPath conflicts, Choice paths, intrinsic function and JSONata failures).
 */
function withoutStatePrefix(cause: string | undefined): string | undefined {
  return cause === undefined ? undefined : cause.replace(STATE_PREFIX, '');
}

/** API:TestState: one state in isolation, with its outcome, next state and (DEBUG/TRACE) inspection data. */
const testState: Action = async (f, { runtime }) => {
  const text = f.string('definition', { max: REGISTRY_LIMITS.definitionBytes });
  const roleArn = f.optionalString('roleArn');
  const inputText = f.optionalPayload('input', runtime.limits.payloadBytes) ?? '{}';
  const level = f.optionalEnum('inspectionLevel', ['INFO', 'DEBUG', 'TRACE'] as const) ?? 'INFO';
  const revealSecrets = f.optionalBoolean('revealSecrets');
  const variablesText = f.optionalPayload('variables', runtime.limits.payloadBytes);
  const stateName = f.optionalString('stateName', { max: 80 });
  const mockInput = f.optionalObject<MockInput>('mock');
  const contextText = f.optionalPayload('context', runtime.limits.payloadBytes);
  const config = readStateConfiguration(f.optionalObject<Record<string, unknown>>('stateConfiguration'));
  const mock = mockInput ? readMock(mockInput) : undefined;
  if (mock && revealSecrets === true) throw validationError('TestState does not support RevealSecrets when a mock is specified.');
  const input = parseJson(inputText, notJsonInput);
  const variables = variablesText !== undefined ? parseJson(variablesText, notJsonVariables) : undefined;
  if (variables !== undefined && (typeof variables !== 'object' || variables === null || Array.isArray(variables))) throw validationError('variables must be a JSON object.');
  const picked = pickState(parseJson(text, notJsonDefinition), stateName);
  const { name, queryLanguage, inMap } = picked;
  const state = withoutNullResult(picked.state);
  checkTestable(state, mock, roleArn);
  if (mock) checkMockResult(state, mock);
  checkStateConfiguration(config, state, name, mock);
  if (contextText !== undefined && !mock) throw validationError('context may only be specified if a mock is specified in the same request.');
  const place = placeOf(runtime);
  const context = contextText !== undefined ? readContext(contextText, state, place)
    : defaultContext({ ...place, input, roleArn, startTime: new Date().toISOString(), stateType: state.Type as string, inMap });
  const jsonata = (state.QueryLanguage ?? queryLanguage) === 'JSONata';
  const tested = mock ? standInForMocked(state) : state;
  checkDefinitionText(JSON.stringify(harness(name, tested, queryLanguage, variables)));

  // A mocked Map is not run, but what it does to its items is worked out (and bounds mapIterationFailureCount).
  let map: MapFacts | undefined;
  let runMock = mock;
  if (mock && state.Type === 'Map') {
    // AWS's words, recorded against AWS (2026-09).
    if (state.ItemReader !== undefined && config.mapItemReaderData === undefined) throw validationError('ItemReader data must be specified when testing a Map state with ItemReader specified.');
    const readerItems = config.mapItemReaderData !== undefined ? readerItemsOf(state, config.mapItemReaderData) : undefined;
    map = await mapFacts(state, { input, context, variables: (variables ?? {}) as Record<string, JsonValue>, jsonata, ...(readerItems ? { readerItems } : {}) });
    checkFailureCount(config.mapIterationFailureCount, map);
    if (map.itemsError !== undefined) runMock = { kind: 'error', error: 'States.Runtime', cause: map.itemsError, mode: mock.mode };
    // A mocked error is the Map's error whatever the count; a mocked result gives way to the threshold.
    else if (mock.kind === 'result' && config.mapIterationFailureCount !== undefined && exceedsTolerance(config.mapIterationFailureCount, map)) {
      runMock = { kind: 'error', ...THRESHOLD_EXCEEDED, mode: mock.mode };
    } else if (mock.kind === 'result') checkResultCount(mock.result, map);
  }

  const events = await runOnce({ main: runtime, ...place, context }, harness(name, withoutRetry(tested), queryLanguage, variables), name, input, runMock);

  const named = (e: HistoryEvent) => (detailsOf(e).name as string | undefined);
  const entered = events.find((e) => e.type.endsWith('StateEntered') && named(e) === name);
  const exited = events.find((e) => e.type.endsWith('StateExited') && named(e) === name);
  const next = exited ? events.find((e) => e.id > exited.id && e.type.endsWith('StateEntered')) : undefined;
  const failure = events.find((e) => FAILURE.test(e.type));
  const failureDetails = detailsOf(failure);
  const output = exited ? detailsOf(exited).output : undefined;
  const failedWith = failure ? (failureDetails.error as string | undefined) : undefined;

  // Retry is not run: the first retrier matching the error says whether the state would retry.
  const retry = failedWith !== undefined ? retryOutcome(state, failedWith, config.retrierRetryCount) : undefined;
  let status: Status;
  if (retry?.backoffSeconds !== undefined) status = 'RETRIABLE';
  else if (exited && failure && failure.type !== 'ExecutionFailed') status = 'CAUGHT_ERROR';
  else if (exited) status = 'SUCCEEDED';
  else status = 'FAILED';
  const error = status === 'SUCCEEDED' ? undefined : failedWith;
  const cause = status === 'SUCCEEDED' ? undefined : withoutStatePrefix(failureDetails.cause as string | undefined);
  const errorDetails = errorDetailsOf(state, error, status, retry);
  return compact({
    output: status === 'SUCCEEDED' || status === 'CAUGHT_ERROR' ? JSON.stringify(output ?? null) : undefined,
    error, cause,
    nextState: status === 'SUCCEEDED' || status === 'CAUGHT_ERROR' ? (next ? named(next) : undefined) : undefined,
    status,
    inspectionData: level === 'INFO' ? undefined : inspection(state, { jsonata, events, entered, context, variables, output, status, errorDetails, map }),
  });
};

export const testStateActions: Record<string, Action> = {
  TestState: testState,
};
