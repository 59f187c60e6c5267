import type { JsonValue } from '../asl/json-value.js';
import { isJsonObject } from '../asl/json-value.js';
import { isAslError } from '../errors/asl-error.js';
import { StatesErrors } from '../errors/error-names.js';
import type { MockTestCase } from './mock-config.js';
import { parseResource, type ParsedResource } from './resource-arn.js';
import type { ServiceCaller } from './service-caller.js';
import { isTaskFailure, type TaskHandler, type TaskHandlerRegistry, type TaskRequest } from './task-handlers.js';

export type TaskOutcome =
  | { kind: 'succeeded'; output: JsonValue }
  | { kind: 'failed'; error: string; cause?: string }
  | { kind: 'timedOut'; error: string; cause?: string }
  /**
   * `.waitForTaskToken`: the result arrives later through sendTaskSuccess/Failure. `submitted`:
   * the send call's response (a service call's or a handler's), which AWS records as TaskSubmitted.
   */
  | { kind: 'callback'; submitted?: JsonValue };

/** Told a task's outcome, once and always asynchronously (never during the call that starts it). */
export interface TaskOutcomeReceiver {
  taskOutcome(outcome: TaskOutcome): void;
  /** A `.sync` job's start answered, before its outcome (see ServiceRequest.submitted). */
  taskSubmitted?(response: JsonValue): void;
}

/**
 * Answers a Task: a registered handler first, then the mock test case, then the service caller
 * (a real call, or a child execution for `states:startExecution`), else a clear failure.
 * Shapes results the way AWS records them: `lambda:invoke` wraps the function's payload in
 * the invoke response; a Lambda error becomes the function's error type with a JSON cause.
 */
export function runTask(
  request: TaskRequest,
  handlers: TaskHandlerRegistry | undefined,
  mocks: MockTestCase | undefined,
  services?: ServiceCaller,
): Promise<TaskOutcome> {
  return new Promise((resolve) => startTask(request, handlers, mocks, services, { taskOutcome: resolve }));
}

/**
 * runTask for the journal: the outcome is handed to `receiver`. A parked execution waits on
 * its handler's promise for as long as the task takes, and this way only one reaction (two
 * callbacks and their promise) waits with it, where a promise of the outcome would add its own.
 */
export function startTask(
  request: TaskRequest,
  handlers: TaskHandlerRegistry | undefined,
  mocks: MockTestCase | undefined,
  services: ServiceCaller | undefined,
  receiver: TaskOutcomeReceiver,
): void {
  const resource = parseResource(request.resource);
  const handler = handlers?.find(request.resource, request.stateName);
  if (handler) {
    callHandler(handler, request, resource, receiver);
    return;
  }
  runWithoutHandler(request, resource, mocks, services, receiver).then(
    (outcome) => receiver.taskOutcome(outcome),
    (e: unknown) => receiver.taskOutcome({ kind: 'failed', error: StatesErrors.TaskFailed, cause: String(e) }),
  );
}

/**
 * Not an async function: while the handler runs, a suspended async frame would keep the
 * request and its locals alive, some 300 bytes per task; two callbacks keep only what they read.
 */
function callHandler(handler: TaskHandler, request: TaskRequest, resource: ParsedResource, receiver: TaskOutcomeReceiver): void {
  const isLambdaInvoke = resource.kind === 'integration' && resource.resourceType === 'lambda' && !!resource.resource?.startsWith('invoke');
  const waitsForToken = resource.pattern === 'waitForTaskToken';
  const lambda = resource.kind === 'lambda-function' || isLambdaInvoke;
  let result: JsonValue | Promise<JsonValue>;
  try {
    const input = isLambdaInvoke && isJsonObject(request.input) ? (request.input.Payload ?? null) : request.input;
    // A copy only when the input changes: spreading would also read the lazy `signal`.
    // An answer with a Body of bytes (TaskHandlerResult) goes as it is to the ItemReader read that asked for it.
    result = handler(input === request.input ? request : withInput(request, input)) as JsonValue | Promise<JsonValue>;
  } catch (e) {
    const failure = failureOf(e, lambda);
    queueMicrotask(() => receiver.taskOutcome(failure));
    return;
  }
  const answered = waitsForToken ? (isLambdaInvoke ? invokeSubmitted : submitted) : isLambdaInvoke ? invokeSucceeded : succeeded;
  Promise.resolve(result).then(answered.bind(receiver), (lambda ? lambdaFailed : taskFailed).bind(receiver));
}

/*
 * The reactions to a handler's answer, one function per kind of answer, bound to the receiver
 * when the handler is called: a bound function keeps only its receiver (48 bytes), where the
 * two closures they replace kept a context of four variables as well, 176 bytes for every task
 * in flight (a parked execution waits on its handler for as long as the task takes).
 */
function succeeded(this: TaskOutcomeReceiver, output: JsonValue): void {
  this.taskOutcome({ kind: 'succeeded', output });
}
function invokeSucceeded(this: TaskOutcomeReceiver, output: JsonValue): void {
  this.taskOutcome({ kind: 'succeeded', output: lambdaInvokeResponse(output) });
}
function submitted(this: TaskOutcomeReceiver, output: JsonValue): void {
  this.taskOutcome(submittedOutcome(output == null ? undefined : output));
}
function invokeSubmitted(this: TaskOutcomeReceiver, output: JsonValue): void {
  this.taskOutcome(submittedOutcome(output == null ? undefined : lambdaInvokeResponse(output)));
}
function lambdaFailed(this: TaskOutcomeReceiver, e: unknown): void {
  this.taskOutcome(failureOf(e, true));
}
function taskFailed(this: TaskOutcomeReceiver, e: unknown): void {
  this.taskOutcome(failureOf(e, false));
}

const CALLBACK: TaskOutcome = Object.freeze({ kind: 'callback' });

/**
 * A `.waitForTaskToken` send that answered: its response is recorded as TaskSubmitted. A handler
 * that returns nothing (undefined or null) only hands the token over: nothing is recorded.
 */
function submittedOutcome(response: JsonValue | undefined): TaskOutcome {
  return response == null ? CALLBACK : { kind: 'callback', submitted: response };
}

async function runWithoutHandler(request: TaskRequest, resource: ParsedResource, mocks: MockTestCase | undefined, services: ServiceCaller | undefined, receiver?: TaskOutcomeReceiver): Promise<TaskOutcome> {
  const waitsForToken = resource.pattern === 'waitForTaskToken';
  if (mocks?.has(request.stateName)) {
    // Invocations count across the execution (DG:sfn-local-mock-cfg-file), not per entry of
    // the state: a polling loop or a Map's iterations use the responses one after another.
    const invocation = request.invocation ?? request.attempt;
    const response = mocks.responseFor(request.stateName, invocation);
    if (!response) {
      return { kind: 'failed', error: StatesErrors.TaskFailed, cause: `The mock config has no response for invocation ${invocation} of state '${request.stateName}'.` };
    }
    if ('Return' in response) return { kind: 'succeeded', output: response.Return };
    const error = response.Throw.Error ?? StatesErrors.TaskFailed;
    if (error === StatesErrors.Timeout || error === StatesErrors.HeartbeatTimeout) return { kind: 'timedOut', error, cause: response.Throw.Cause };
    return { kind: 'failed', error, cause: response.Throw.Cause };
  }
  if (services && resource.kind !== 'activity') {
    try {
      const sync = resource.pattern === 'sync' || resource.pattern === 'sync:2';
      const submitted = sync && receiver?.taskSubmitted ? (response: JsonValue) => receiver.taskSubmitted!(response) : undefined;
      const result = await services.call(Object.assign(withInput(request, request.input), { target: resource, submitted }));
      if (result !== undefined) return waitsForToken ? submittedOutcome(result) : { kind: 'succeeded', output: result };
    } catch (e) {
      return failureOf(e, false);
    }
  }
  return {
    kind: 'failed',
    error: StatesErrors.TaskFailed,
    cause: `No task handler or mock answers resource '${request.resource}' of state '${request.stateName}'. Register a handler (runtime.handle(...)), pass a mock config (--mock-config FILE --test-case NAME), or configure AWS service calls (createRuntime({ services }), --aws-endpoint/--aws-region).${resource.resourceType === 'http' && resource.resource === 'invoke' ? ' For an HTTP Task, enable its calls with --http-invoke --http-connections FILE (createHttpTaskCaller from adapters/http-task).' : ''}`,
  };
}

/**
 * A copy of a request with another input. Spelled out: the journal's requests are class
 * instances, whose `signal` getter and methods a spread would drop (or, for the getter, run).
 */
function withInput(request: TaskRequest, input: JsonValue): TaskRequest {
  return {
    resource: request.resource, stateName: request.stateName, input, taskToken: request.taskToken,
    idempotencyKey: request.idempotencyKey, executionArn: request.executionArn, attempt: request.attempt,
    heartbeat: () => request.heartbeat(),
    get signal() {
      return request.signal;
    },
    releaseClock: () => request.releaseClock?.(),
  };
}

function lambdaInvokeResponse(payload: JsonValue): JsonValue {
  return {
    ExecutedVersion: '$LATEST',
    Payload: payload,
    SdkHttpMetadata: { HttpHeaders: { 'Content-Type': 'application/json', 'X-Amz-Executed-Version': '$LATEST' }, HttpStatusCode: 200 },
    SdkResponseMetadata: { RequestId: '00000000-0000-0000-0000-000000000000' },
    StatusCode: 200,
  };
}

function failureOf(e: unknown, lambda: boolean): TaskOutcome {
  if (isTaskFailure(e)) return { kind: 'failed', error: e.error, cause: e.causeText };
  if (isAslError(e)) return { kind: 'failed', error: e.error, cause: e.causeText };
  const err = e instanceof Error ? e : new Error(String(e));
  const name = err.name && err.name !== 'Error' ? err.name : 'Error';
  if (lambda) {
    return { kind: 'failed', error: name, cause: JSON.stringify({ errorMessage: err.message, errorType: name }) };
  }
  return { kind: 'failed', error: name, cause: err.message };
}
