import { createActor, type AnyActorRef, type Actor, type AnyStateMachine } from 'xstate';
import { Subject, type Observable } from 'rxjs';
import { nanoid } from 'nanoid';
import type { JsonValue } from '../asl/json-value.js';
import type { CompiledScope, ScopeInput, ScopeOutcome } from '../compile/scope-runtime.js';
import { StatesErrors } from '../errors/error-names.js';
import { AslError } from '../errors/asl-error.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import type { MockTestCase } from '../resources/mock-config.js';
import type { TaskHandlerRegistry } from '../resources/task-handlers.js';
import { runTask, type TaskOutcome } from '../resources/task-runner.js';
import type { EventStore, ExecutionStatus } from '../store/event-store.js';
import type { Clock } from './clock.js';
import { VirtualClock } from './clock.js';
import type { ActorInput, Command, ExecutionLimits, ExecutionServices } from './execution-services.js';
import { detailsKeyOf, type EventDetails, type HistoryEvent, type HistoryEventType } from './history-event.js';
import { HistoryFrame } from './history-frame.js';

export interface ExecutionIdentity {
  executionArn: string;
  stateMachineArn: string;
  stateMachineName: string;
  name: string;
  roleArn: string;
  region: string;
}

export interface ExecutionJournalOptions extends ExecutionIdentity {
  compiled: CompiledScope;
  timeoutSeconds?: number;
  input: JsonValue;
  store: EventStore;
  clock: Clock;
  handlers?: TaskHandlerRegistry;
  mocks?: MockTestCase;
  limits: ExecutionLimits;
}

export interface ExecutionResult {
  executionArn: string;
  status: Exclude<ExecutionStatus, 'RUNNING' | 'PENDING_REDRIVE'>;
  output?: JsonValue;
  error?: string;
  cause?: string;
  startDate: number;
  stopDate: number;
}

interface InFlightTask {
  actor: AnyActorRef;
  requestId: string;
  abort: AbortController;
  cancelTimers: (() => void)[];
  heartbeatSeconds?: number;
  releaseClock: () => void;
}

/**
 * Where the event stream and the actors meet; the only place that sends events to actors
 * and appends to the store. An input (start, a task's answer, a timer) is delivered to the
 * addressed actor; the events the machines record while handling it are appended in one
 * batch; only then are the commands they left carried out (call the task, arm the timer).
 */
export class ExecutionJournal {
  readonly identity: ExecutionIdentity;
  private readonly options: ExecutionJournalOptions;
  private readonly subject = new Subject<HistoryEvent>();
  private readonly history: HistoryEvent[] = [];
  private pending: HistoryEvent[] = [];
  private commands: Command[] = [];
  private revision = 0;
  private nextEventId = 1;
  private root!: Actor<AnyStateMachine>;
  private readonly rootFrame = new HistoryFrame(0);
  private readonly tasks = new Map<string, InFlightTask>();
  private readonly timers = new Map<string, () => void>();
  private flushing: Promise<void> = Promise.resolve();
  private finished: ExecutionResult | undefined;
  private startDate = 0;
  private resolveDone!: (r: ExecutionResult) => void;
  private rejectDone!: (e: unknown) => void;
  readonly done: Promise<ExecutionResult>;

  constructor(options: ExecutionJournalOptions) {
    this.options = options;
    this.identity = {
      executionArn: options.executionArn, stateMachineArn: options.stateMachineArn, stateMachineName: options.stateMachineName,
      name: options.name, roleArn: options.roleArn, region: options.region,
    };
    this.done = new Promise((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
  }

  /** Every event as it is appended. Completes when the execution ends. */
  get events$(): Observable<HistoryEvent> {
    return this.subject.asObservable();
  }

  /** The events appended so far. */
  get events(): readonly HistoryEvent[] {
    return this.history;
  }

  get result(): ExecutionResult | undefined {
    return this.finished;
  }

  start(): Promise<ExecutionResult> {
    const o = this.options;
    this.startDate = o.clock.now();
    const services: ExecutionServices = {
      record: (frame, type, details, update) => this.record(frame, type, details, update),
      command: (c) => this.commands.push(c),
      now: () => o.clock.now(),
      newId: () => nanoid(),
      random: Math.random,
      executionContext: {
        Execution: { Id: o.executionArn, Input: o.input, StartTime: new Date(this.startDate).toISOString(), Name: o.name, RoleArn: o.roleArn, RedriveCount: 0 },
        StateMachine: { Id: o.stateMachineArn, Name: o.stateMachineName },
      },
      limits: o.limits,
      region: o.region,
      invoke: async (resource, input, stateName) => {
        const outcome = await runTask(
          { resource, stateName, input, taskToken: '', idempotencyKey: `${o.executionArn}#${stateName}#reader`, executionArn: o.executionArn, attempt: 0, signal: new AbortController().signal, heartbeat: () => {} },
          o.handlers, o.mocks,
        );
        if (outcome.kind === 'succeeded') return outcome.output;
        throw new AslError(StatesErrors.ItemReaderFailed, outcome.kind === 'callback' ? 'The ItemReader resource did not return items.' : (outcome.cause ?? outcome.error));
      },
    };
    this.record(this.rootFrame, 'ExecutionStarted', { input: o.input, inputDetails: { truncated: false }, roleArn: o.roleArn }, false);
    const input: ScopeInput = {
      services, scope: o.compiled, input: o.input, frame: this.rootFrame, role: { kind: 'root' },
      queryLanguage: (o.compiled.definition as { QueryLanguage?: 'JSONPath' | 'JSONata' }).QueryLanguage,
    };
    this.root = createActor(o.compiled.machine, { input });
    this.root.subscribe({
      complete: () => this.enqueueFlush(() => this.complete(this.root.getSnapshot().output as ScopeOutcome)),
      error: (err) => this.enqueueFlush(() => this.crash(err)),
    });
    if (o.timeoutSeconds !== undefined) {
      const cancel = o.clock.schedule(this.startDate + o.timeoutSeconds * 1000, () => this.timeOut());
      this.timers.set('#execution-timeout', cancel);
    }
    this.root.start();
    this.enqueueFlush();
    return this.done;
  }

  /** StopExecution: ABORTED, every child actor stopped. */
  stop(error?: string, cause?: string): void {
    if (this.finished) return;
    this.endAbnormally('ABORTED', 'ExecutionAborted', error, cause);
  }

  sendTaskSuccess(token: string, output: JsonValue): void {
    const task = this.taskByToken(token);
    this.settleTask(task, { kind: 'succeeded', output });
  }

  sendTaskFailure(token: string, error?: string, cause?: string): void {
    const task = this.taskByToken(token);
    this.settleTask(task, { kind: 'failed', error: error ?? '', cause });
  }

  sendTaskHeartbeat(token: string): void {
    const task = this.taskByToken(token);
    this.armHeartbeat(task);
  }

  hasTask(token: string): boolean {
    return this.tasks.has(token);
  }

  private taskByToken(token: string): InFlightTask {
    const task = this.tasks.get(token);
    if (!task) throw new StepwiseError('TaskDoesNotExist', `No open task has the token '${token}'.`);
    return task;
  }

  private record(frame: HistoryFrame, type: HistoryEventType, details?: EventDetails, updateSource = true): number {
    const id = this.nextEventId++;
    const event: HistoryEvent = { id, previousEventId: frame.source, timestamp: this.options.clock.now(), type };
    if (details) {
      const key = detailsKeyOf(type);
      if (key) event[key] = details;
    }
    frame.lastPublished = id;
    if (updateSource) frame.source = id;
    this.pending.push(event);
    return id;
  }

  private enqueueFlush(after?: () => void): void {
    this.flushing = this.flushing.then(() => this.flush()).then(after).catch((e) => this.rejectDone(e));
  }

  private async flush(): Promise<void> {
    if (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      this.revision = await this.options.store.append(this.options.executionArn, batch, { expectedRevision: this.revision });
      for (const e of batch) {
        this.history.push(e);
        this.subject.next(e);
      }
      if (!this.finished && this.history.length > this.options.limits.historyEvents) {
        this.endAbnormally('FAILED', 'ExecutionFailed', StatesErrors.Runtime,
          `The execution reached the maximum number of history events (${this.options.limits.historyEvents}).`);
        return;
      }
    }
    const commands = this.commands;
    this.commands = [];
    if (this.finished) return;
    for (const c of commands) this.execute(c);
  }

  private deliver(actor: AnyActorRef, event: ActorInput): void {
    if (this.finished || actor.getSnapshot().status !== 'active') return;
    actor.send(event);
    this.enqueueFlush();
  }

  private execute(c: Command): void {
    const clock = this.options.clock;
    if (c.kind === 'timer') {
      const cancel = clock.schedule(c.dueAt, () => {
        this.timers.delete(c.requestId);
        this.deliver(c.actor, { type: 'timer.fired', requestId: c.requestId });
      });
      this.timers.set(c.requestId, cancel);
      return;
    }
    if (c.kind === 'evaluate') {
      const release = clock instanceof VirtualClock ? clock.hold() : () => {};
      c.work().then(
        (value) => { release(); this.deliver(c.actor, { type: 'evaluated', requestId: c.requestId, ok: true, value }); },
        (value) => { release(); this.deliver(c.actor, { type: 'evaluated', requestId: c.requestId, ok: false, value }); },
      );
      return;
    }
    if (c.kind === 'cancel') {
      this.timers.get(c.requestId)?.();
      this.timers.delete(c.requestId);
      return;
    }
    const abort = new AbortController();
    const task: InFlightTask = {
      actor: c.actor, requestId: c.requestId, abort, cancelTimers: [], heartbeatSeconds: c.heartbeatSeconds,
      releaseClock: clock instanceof VirtualClock ? clock.hold() : () => {},
    };
    this.tasks.set(c.token, task);
    if (c.timeoutSeconds !== undefined) {
      task.cancelTimers.push(clock.schedule(clock.now() + c.timeoutSeconds * 1000, () => this.settleTask(task, { kind: 'timedOut', error: StatesErrors.Timeout })));
    }
    this.armHeartbeat(task);
    this.deliver(c.actor, { type: 'task.started', requestId: c.requestId });
    runTask(
      {
        resource: c.resource, stateName: c.stateName, input: c.input, taskToken: c.token, idempotencyKey: `${this.options.executionArn}#${c.requestId}`,
        executionArn: this.options.executionArn, attempt: c.attempt, signal: abort.signal,
        heartbeat: () => this.tasks.get(c.token) === task && this.armHeartbeat(task),
      },
      this.options.handlers,
      this.options.mocks,
    ).then(
      (outcome) => {
        if (outcome.kind === 'callback') {
          task.releaseClock();
          return;
        }
        this.settleTask(task, outcome);
      },
      (err) => this.settleTask(task, { kind: 'failed', error: 'States.TaskFailed', cause: String(err) }),
    );
  }

  private armHeartbeat(task: InFlightTask): void {
    if (task.heartbeatSeconds === undefined) return;
    const clock = this.options.clock;
    (task as { heartbeatCancel?: () => void }).heartbeatCancel?.();
    (task as { heartbeatCancel?: () => void }).heartbeatCancel = clock.schedule(clock.now() + task.heartbeatSeconds * 1000, () =>
      this.settleTask(task, { kind: 'timedOut', error: StatesErrors.HeartbeatTimeout }),
    );
  }

  private settleTask(task: InFlightTask, outcome: Exclude<TaskOutcome, { kind: 'callback' }>): void {
    if (this.tasks.get(task.requestId) !== task) return;
    this.tasks.delete(task.requestId);
    for (const cancel of task.cancelTimers) cancel();
    (task as { heartbeatCancel?: () => void }).heartbeatCancel?.();
    task.releaseClock();
    if (outcome.kind === 'timedOut') task.abort.abort();
    const event: ActorInput =
      outcome.kind === 'succeeded' ? { type: 'task.succeeded', requestId: task.requestId, output: outcome.output }
      : outcome.kind === 'timedOut' ? { type: 'task.timedOut', requestId: task.requestId, error: outcome.error, cause: outcome.cause }
      : { type: 'task.failed', requestId: task.requestId, error: outcome.error, cause: outcome.cause };
    this.deliver(task.actor, event);
  }

  private timeOut(): void {
    if (this.finished) return;
    this.endAbnormally('TIMED_OUT', 'ExecutionTimedOut', StatesErrors.Timeout, undefined);
  }

  private endAbnormally(status: ExecutionResult['status'], type: HistoryEventType, error?: string, cause?: string): void {
    const details: EventDetails = {};
    if (error !== undefined) details.error = error;
    if (cause !== undefined) details.cause = cause;
    const frame = new HistoryFrame(this.nextEventId - 1);
    this.record(frame, type, details);
    const result: ExecutionResult = { executionArn: this.options.executionArn, status, error, cause, startDate: this.startDate, stopDate: this.options.clock.now() };
    this.finish(result);
    this.root.stop();
    this.enqueueFlush(() => {
      this.subject.complete();
      this.resolveDone(result);
    });
  }

  private complete(outcome: ScopeOutcome): void {
    if (this.finished) return;
    const base = { executionArn: this.options.executionArn, startDate: this.startDate, stopDate: this.options.clock.now() };
    const result: ExecutionResult = outcome.status === 'SUCCEEDED'
      ? { ...base, status: 'SUCCEEDED', output: outcome.output }
      : { ...base, status: 'FAILED', error: outcome.error, cause: outcome.cause };
    this.finish(result);
    this.subject.complete();
    this.resolveDone(result);
  }

  private crash(err: unknown): void {
    if (this.finished) return;
    const cause = `Stepwise internal error: ${err instanceof Error ? err.message : String(err)}`;
    this.endAbnormally('FAILED', 'ExecutionFailed', 'Stepwise.InternalError', cause);
  }

  private finish(result: ExecutionResult): void {
    this.finished = result;
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
    for (const task of this.tasks.values()) {
      task.abort.abort();
      for (const cancel of task.cancelTimers) cancel();
      task.releaseClock();
    }
    this.tasks.clear();
  }
}
