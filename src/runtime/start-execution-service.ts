import { createHash, randomUUID } from 'node:crypto';
import type { JsonValue } from '../asl/json-value.js';
import { isJsonObject } from '../asl/json-value.js';
import { StatesErrors } from '../errors/error-names.js';
import { isStepwiseError } from '../errors/stepwise-error.js';
import type { ExecutionResult } from '../execution/execution-journal.js';
import { eventDetailsOf, type HistoryEvent } from '../execution/history-event.js';
import type { ServiceCaller, ServiceRequest } from '../resources/service-caller.js';
import { javaSdkFailure, TaskFailure } from '../resources/task-handlers.js';

/** What the state machine registry gives for a state machine, version or alias ARN. */
export interface ResolvedStateMachineRef {
  stateMachineArn: string;
  name: string;
  definition: string;
  type: string;
  /** Being deleted (DeleteStateMachine while executions ran): StartExecution refuses it. */
  deleting?: boolean;
}

/** The parts of the runtime a child execution needs. */
export interface ChildExecutionHost {
  resolveStateMachine(arn: string): Promise<ResolvedStateMachineRef | undefined>;
  /** Starts the child, or finds the one a previous attempt of the same task started. */
  startChild(options: { definition: string; input: JsonValue; stateMachineName: string; name: string }): Promise<ChildExecution>;
}

export interface ChildExecution {
  executionArn: string;
  startDate: number;
  done: Promise<ExecutionResult>;
}

/**
 * `arn:aws:states:::states:startExecution` (DG:connect-stepfunctions) run in this runtime:
 * the child is a Stepwise execution of the state machine the registry resolves. Request
 * response gives `{ ExecutionArn, StartDate }`; `.sync` waits and gives DescribeExecution's
 * shape with Input and Output as JSON text, `.sync:2` with them as JSON; a child that does
 * not succeed fails the task with States.TaskFailed and that shape as the cause;
 * `.waitForTaskToken` starts the child and waits for its token.
 */
export function startExecutionService(host: ChildExecutionHost): ServiceCaller {
  return {
    async call(request) {
      const t = request.target;
      if (t.kind !== 'integration' || t.resourceType !== 'states' || !t.resource?.startsWith('startExecution')) return undefined;
      const params = isJsonObject(request.input) ? request.input : {};
      const arn = params.StateMachineArn;
      if (typeof arn !== 'string' || arn === '') {
        throw new TaskFailure('StepFunctions.ValidationException', `State '${request.stateName}': states:startExecution needs a StateMachineArn string in its parameters.`);
      }
      const resolved = await host.resolveStateMachine(arn);
      if (!resolved) throw refusal('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
      if (resolved.deleting) throw refusal('StateMachineDeleting', `State Machine is being deleted: '${arn}'`);
      const input = childInput(params.Input);
      const name = typeof params.Name === 'string' ? params.Name : childName(request);
      let child: ChildExecution;
      try {
        child = await host.startChild({ definition: resolved.definition, input, stateMachineName: resolved.name, name });
      } catch (e) {
        if (isStepwiseError(e)) throw refusal(e.code, e.message);
        throw e;
      }
      const started = { ExecutionArn: child.executionArn, StartDate: child.startDate };
      if (t.pattern !== 'sync' && t.pattern !== 'sync:2') return started;
      // StartExecution's response, recorded as TaskSubmitted while the task waits for the child.
      request.submitted?.(started);
      // The child runs on the same clock: the parent's task must not hold virtual time still.
      request.releaseClock?.();
      const result = await raceAbort(child.done, request.signal);
      const described = describeChild(result, resolved.stateMachineArn, name, input, t.pattern === 'sync:2');
      if (result.status !== 'SUCCEEDED') throw new TaskFailure(StatesErrors.TaskFailed, JSON.stringify(described));
      return described;
    },
  };
}

function childInput(value: JsonValue | undefined): JsonValue {
  if (value === undefined) return {};
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as JsonValue;
  } catch (e) {
    throw new TaskFailure('StepFunctions.InvalidExecutionInputException', `Invalid execution input: the Input string is not JSON (${(e as Error).message}).`);
  }
}

/** Stable across a re-run of the same task (after a crash), so the same child is found again. */
function childName(request: ServiceRequest): string {
  return createHash('sha256').update(request.idempotencyKey).digest('hex').slice(0, 32);
}

function describeChild(result: ExecutionResult, stateMachineArn: string, name: string, input: JsonValue, asJson: boolean): JsonValue {
  const out: Record<string, JsonValue> = {
    ExecutionArn: result.executionArn,
    Input: asJson ? input : JSON.stringify(input),
    InputDetails: { Included: true },
    Name: name,
    StartDate: result.startDate,
    StateMachineArn: stateMachineArn,
    Status: result.status,
    StopDate: result.stopDate,
  };
  if (result.status === 'SUCCEEDED') {
    out.Output = asJson ? (result.output ?? null) : JSON.stringify(result.output ?? null);
    out.OutputDetails = { Included: true };
  } else {
    if (result.error !== undefined) out.Error = result.error;
    if (result.cause !== undefined) out.Cause = result.cause;
  }
  return out;
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new TaskFailure(StatesErrors.TaskFailed, 'The task was stopped.'));
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new TaskFailure(StatesErrors.TaskFailed, 'The task was stopped.'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
      (e) => { signal.removeEventListener('abort', onAbort); reject(e); },
    );
  });
}

/** The final result of an execution that ended before this process started, from its last event. */
export function resultFromHistory(executionArn: string, events: readonly HistoryEvent[]): ExecutionResult | undefined {
  const first = events[0];
  const last = events.at(-1);
  if (!first || !last) return undefined;
  const base = { executionArn, startDate: first.timestamp, stopDate: last.timestamp };
  const d = (eventDetailsOf(last) ?? {}) as { output?: JsonValue; error?: string; cause?: string };
  switch (last.type) {
    case 'ExecutionSucceeded':
      return { ...base, status: 'SUCCEEDED', output: d.output ?? null };
    case 'ExecutionFailed':
      return { ...base, status: 'FAILED', error: d.error, cause: d.cause };
    case 'ExecutionTimedOut':
      return { ...base, status: 'TIMED_OUT', error: d.error, cause: d.cause };
    case 'ExecutionAborted':
      return { ...base, status: 'ABORTED', error: d.error, cause: d.cause };
    default:
      return undefined;
  }
}

/**
 * StartExecution refused, as the integration reports it (recorded against AWS, LocalStack's
 * snapshot of test_start_execution_no_such_arn: "State Machine Does Not Exist: '<arn>' (Service:
 * AWSStepFunctions; Status Code: 400; Error Code: StateMachineDoesNotExist; Request ID: <id>;
 * Proxy: null)"). The request id is a fresh one, as AWS's is.
 */
function refusal(code: string, message: string): TaskFailure {
  return javaSdkFailure('StepFunctions', 'AWSStepFunctions', 400, code, message, randomUUID());
}
