import type { TaskState } from '../../asl/definition.js';
import type { JsonValue } from '../../asl/json-value.js';
import { fieldsAddedByStepFunctions } from '../../asl/integration-fields.js';
import { evaluatePath } from '../../asl/json-path.js';
import { AslError } from '../../errors/asl-error.js';
import { StatesErrors } from '../../errors/error-names.js';
import { httpInvokeParametersProblem } from '../../resources/http-invoke-headers.js';
import { javaHashMapJson } from '../../resources/java-hash-order.js';
import { parseResource, type ParsedResource } from '../../resources/resource-arn.js';
import type { ScopeRuntime } from '../scope-runtime.js';
import { handleFailure } from './handle-failure.js';
import { applyInputPath, applyParameters } from './state-io.js';
import { exitWithResult } from './transitions.js';
import { LambdaScheduledDetails, NOT_TRUNCATED, OutputDetails, TaskResourceDetails, TaskScheduledDetails, TaskSucceededDetails, type EventDetails } from '../../execution/history-event.js';
import { evaluateField, evaluateNumberField } from './jsonata-io.js';

/**
 * What a Task in flight keeps in its state's `work` while it waits for its answer. A class of
 * its own, not the request it was scheduled with: a parked execution keeps this.
 */
class TaskWork {
  kind: 'task' | 'retry' = 'task';
  requestId: string;
  readonly resource: ParsedResource;
  /** Its TaskSubmitted is recorded: a call made again after a crash records no second one. */
  submitted = false;
  constructor(requestId: string, resource: ParsedResource) {
    this.requestId = requestId;
    this.resource = resource;
  }
}

/** What a Task is scheduled with: evaluated when the state is entered (or its retry fires). */
interface TaskInputs {
  parameters: JsonValue;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
  /** The role of `Credentials`, evaluated: TaskScheduled records it as `taskCredentials`. */
  roleArn?: string;
}

/** Task (DG:state-task): the call leaves the machine as a command; its answer comes back as an event. */
export function enterTask(rt: ScopeRuntime, state: TaskState): void {
  const a = rt.active!;
  const resource = parseResource(state.Resource);
  const token = resource.pattern === 'waitForTaskToken' ? rt.newRequestId() : undefined;
  if (rt.isJsonata(state)) {
    rt.await(jsonataTaskInputs(rt, state, a.rawInput, token), (rt, inputs) => {
      schedule(rt, state, resource, token, { ...inputs, parameters: withAddedFields(resource, state.Resource, inputs.parameters) });
    });
    return;
  }
  const effective = applyInputPath(rt, a.rawInput, state.InputPath);
  const parameters = withAddedFields(resource, state.Resource, applyParameters(rt, effective, state.Parameters, 'Parameters', token ? { Task: { Token: token } } : undefined));
  const timeoutSeconds = secondsOf(rt, state.TimeoutSeconds, state.TimeoutSecondsPath, effective, 'TimeoutSecondsPath');
  const heartbeatSeconds = secondsOf(rt, state.HeartbeatSeconds, state.HeartbeatSecondsPath, effective, 'HeartbeatSecondsPath');
  const roleArn = state.Credentials === undefined ? undefined : roleArnOf(applyParameters(rt, effective, state.Credentials, 'Credentials'));
  if (resource.kind === 'integration' && resource.resourceType === 'http' && resource.resource === 'invoke') {
    // Checked before the task is scheduled (recorded against AWS (2026-09)): "The Parameters
    // '<the evaluated Parameters>' could not be used to start the Task: [<why>]". Only the
    // JSONPath form was recorded: a JSONata state's Arguments are checked by the HTTP Task caller.
    const problem = httpInvokeParametersProblem(parameters);
    if (problem) throw new AslError(StatesErrors.Runtime, `The Parameters '${javaHashMapJson(parameters)}' could not be used to start the Task: [${problem}]`);
  }
  schedule(rt, state, resource, token, { parameters, timeoutSeconds, heartbeatSeconds, roleArn });
}

/** The `RoleArn` of a Task's evaluated `Credentials` (DG:concepts-access-cross-acct-resources). */
function roleArnOf(credentials: JsonValue | undefined): string | undefined {
  const roleArn = typeof credentials === 'object' && credentials !== null && !Array.isArray(credentials) ? credentials['RoleArn'] : undefined;
  return typeof roleArn === 'string' ? roleArn : undefined;
}

/** The request as the integration sends it: with the fields Step Functions sets itself (`StartedBy` for `ecs:runTask.sync`). */
function withAddedFields(parsed: ParsedResource, resource: string, parameters: JsonValue): JsonValue {
  // Only optimized integrations add fields: no look-up for a Lambda function or an activity.
  if (parsed.kind !== 'integration') return parameters;
  const added = fieldsAddedByStepFunctions(resource);
  if (!added || typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) return parameters;
  return { ...parameters, ...added };
}

async function jsonataTaskInputs(rt: ScopeRuntime, state: TaskState, raw: JsonValue, token: string | undefined) {
  const states = { input: raw };
  const args = await evaluateField(rt, state.Arguments, states, 'Arguments', token ? { Task: { Token: token } } : undefined);
  return {
    parameters: args === undefined ? raw : args,
    timeoutSeconds: await evaluateNumberField(rt, state.TimeoutSeconds, states, 'TimeoutSeconds', 'integer', 1),
    heartbeatSeconds: await evaluateNumberField(rt, state.HeartbeatSeconds, states, 'HeartbeatSeconds', 'integer', 1),
    roleArn: roleArnOf(await evaluateField(rt, state.Credentials, states, 'Credentials')),
  };
}

function secondsOf(rt: ScopeRuntime, value: number | string | undefined, path: string | undefined, effective: JsonValue, field: string): number | undefined {
  if (typeof value === 'number') return value;
  if (path === undefined) return undefined;
  const v = evaluatePath(path, rt.pathContext(effective));
  if (v === undefined) throw new AslError(StatesErrors.Runtime, `Invalid path '${path}' : No results for path: $['${path.replace(/^\$\.?/, '').split('.').join("']['")}']`);
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new AslError(StatesErrors.Runtime, `The ${field} field refers to value ${JSON.stringify(v)} which is not a valid positive integer: ${path}`);
  }
  return v;
}

function schedule(rt: ScopeRuntime, state: TaskState, r: ParsedResource, token: string | undefined, work: TaskInputs): void {
  const a = rt.active!;
  const requestId = r.pattern === 'waitForTaskToken' && token ? token : rt.newRequestId();
  a.work = new TaskWork(requestId, r);
  // Details are built by assignment, not by spreading optional parts: this runs for every task.
  let type: 'ActivityScheduled' | 'LambdaFunctionScheduled' | 'TaskScheduled';
  let details: EventDetails;
  if (r.kind === 'activity') {
    // Recorded against AWS (2026-09): a Task naming an activity that does not exist records
    // no ActivityScheduled; the execution fails with States.Runtime, which no Retry or Catch
    // handles, "An error occurred while executing the state 'X' (entered at the event id #N).
    // The activity <arn> does not exist."
    if (rt.services.activityMissing?.(state.Resource, a.name)) {
      throw new AslError(StatesErrors.Runtime, `The activity ${state.Resource} does not exist.`);
    }
    type = 'ActivityScheduled';
    details = { resource: state.Resource, input: work.parameters, inputDetails: NOT_TRUNCATED };
  } else if (r.kind === 'lambda-function') {
    type = 'LambdaFunctionScheduled';
    details = new LambdaScheduledDetails(work.parameters, state.Resource);
  } else {
    type = 'TaskScheduled';
    details = new TaskScheduledDetails(r.resourceType ?? 'unknown', r.resource ?? state.Resource, r.region || rt.services.region, work.parameters);
  }
  if (work.timeoutSeconds !== undefined) details.timeoutInSeconds = work.timeoutSeconds;
  if (work.heartbeatSeconds !== undefined && r.kind !== 'lambda-function') details.heartbeatInSeconds = work.heartbeatSeconds;
  // As AWS records a Task with Credentials (LocalStack's AWS-recorded snapshot of
  // test_variables_in_lambda_task[BASE_REFERENCE_IN_LAMBDA_TASK_FIELDS]): the role it assumes.
  if (work.roleArn !== undefined && r.kind !== 'activity') details.taskCredentials = { roleArn: work.roleArn };
  const scheduledEventId = rt.record(type, details);
  rt.services.command({
    kind: 'task', actor: rt.self, requestId, scheduledEventId, stateName: a.name, resource: state.Resource, input: work.parameters,
    token: requestId, timeoutSeconds: work.timeoutSeconds, heartbeatSeconds: work.heartbeatSeconds, attempt: a.retryCount,
    started: (workerName) => taskStarted(rt, state, requestId, workerName),
    // Only a .waitForTaskToken or .sync integration records one: no closure kept by every other task in flight.
    submitted: r.kind === 'integration' && r.pattern !== undefined ? (output) => taskSubmitted(rt, state, requestId, output) : undefined,
  });
}

/** The journal has handed the task to its handler. */
export function taskStarted(rt: ScopeRuntime, state: TaskState, requestId: string, workerName?: string): void {
  const work = currentTask(rt, requestId);
  if (!work || work.kind !== 'task') return;
  if (work.resource.kind === 'activity') rt.record('ActivityStarted', workerName !== undefined ? { workerName } : undefined);
  else if (work.resource.kind === 'lambda-function') rt.record('LambdaFunctionStarted');
  else rt.record('TaskStarted', new TaskResourceDetails(work.resource.resourceType ?? 'unknown', work.resource.resource ?? state.Resource));
}

/**
 * A `.waitForTaskToken` send answered, or a `.sync` job started: recorded against AWS (2026-09),
 * TaskSubmitted with the send's response follows TaskStarted, and the callback's TaskSucceeded
 * follows it; a `.sync` job's TaskSubmitted holds its start call's response (an AWS history of
 * glue `startJobRun.sync`), and the job's end follows it.
 */
export function taskSubmitted(rt: ScopeRuntime, state: TaskState, requestId: string, output: JsonValue): void {
  const work = currentTask(rt, requestId);
  if (!work || work.kind !== 'task' || work.submitted || work.resource.kind !== 'integration') return;
  work.submitted = true;
  rt.record('TaskSubmitted', new TaskSucceededDetails(work.resource.resourceType, work.resource.resource, output));
}

function currentTask(rt: ScopeRuntime, requestId: string): TaskWork | undefined {
  const work = rt.active?.work as TaskWork | undefined;
  return work && work.requestId === requestId ? work : undefined;
}

export function taskSucceeded(rt: ScopeRuntime, state: TaskState, requestId: string, output: JsonValue): void {
  const work = currentTask(rt, requestId);
  if (!work || work.kind !== 'task') return;
  const r = work.resource;
  try {
    rt.checkPayload(output, r.kind === 'lambda-function' ? state.Resource : (r.resourceType ?? state.Resource));
  } catch (e) {
    const err = e as AslError;
    taskFailed(rt, state, requestId, err.error, err.causeText);
    return;
  }
  if (r.kind === 'activity') rt.record('ActivitySucceeded', new OutputDetails(output));
  else if (r.kind === 'lambda-function') rt.record('LambdaFunctionSucceeded', new OutputDetails(output));
  else rt.record('TaskSucceeded', new TaskSucceededDetails(r.resourceType, r.resource, output));
  work.kind = 'retry';
  work.requestId = '';
  exitWithResult(rt, state, output);
}

export function taskFailed(rt: ScopeRuntime, state: TaskState, requestId: string, error: string, cause: string | undefined, timedOut = false, phase?: 'schedule'): void {
  const work = currentTask(rt, requestId);
  if (!work || work.kind !== 'task') return;
  const r = work.resource;
  const details: Record<string, JsonValue> = { error };
  if (cause !== undefined) details.cause = cause;
  if (r.kind === 'activity') rt.record(phase === 'schedule' ? 'ActivityScheduleFailed' : timedOut ? 'ActivityTimedOut' : 'ActivityFailed', details);
  else if (r.kind === 'lambda-function') rt.record(timedOut ? 'LambdaFunctionTimedOut' : 'LambdaFunctionFailed', details);
  else rt.record(timedOut ? 'TaskTimedOut' : 'TaskFailed', { resourceType: r.resourceType, resource: r.resource, ...details });
  work.requestId = '';
  handleFailure(rt, error, cause, timedOut ? '' : undefined);
}

export function taskRetryFired(rt: ScopeRuntime, state: TaskState, requestId: string): void {
  const work = rt.active?.work as TaskWork | { kind: 'retry'; requestId: string } | undefined;
  if (!work || work.kind !== 'retry' || work.requestId !== requestId) return;
  // handleFailure replaced the task's work with a bare retry marker; rebuild it from the state.
  enterTask(rt, state);
}
