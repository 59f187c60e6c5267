import { DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH } from '../asl/jsonata/compile-jsonata.js';
import type { AnyActorRef } from 'xstate';
import type { JsonValue } from '../asl/json-value.js';
import type { HistoryFrame } from './history-frame.js';
import type { EventDetails, HistoryEventType } from './history-event.js';

/**
 * What a compiled machine asks of the world. Machines never call a task or arm a timer
 * themselves: they leave a command, the journal appends the events recorded so far and only
 * then carries the command out, and the answer comes back to the actor as an event.
 */
export type Command =
  | {
      kind: 'task';
      actor: AnyActorRef;
      requestId: string;
      /** The TaskScheduled/LambdaFunctionScheduled event: how a replay matches the recorded answer. */
      scheduledEventId: number;
      stateName: string;
      resource: string;
      input: JsonValue;
      token: string;
      timeoutSeconds?: number;
      heartbeatSeconds?: number;
      attempt: number;
      /**
       * The mock config's invocation number of this call (set by the journal when the execution
       * runs a test case): the state's calls so far in the whole execution, retries, loops and
       * Map iterations included (DG:sfn-local-mock-cfg-file), where `attempt` restarts at 0.
       */
      invocation?: number;
      /**
       * Records that the task was handed over (TaskStarted, LambdaFunctionStarted,
       * ActivityStarted with the worker's name). Only an event: the state waits on as before,
       * so this is not a step of the actor.
       */
      started(workerName?: string): void;
      /**
       * Records that a `.waitForTaskToken` send answered (TaskSubmitted, with the send's
       * response), once per attempt. Only an event, as `started`.
       */
      submitted?(output: JsonValue): void;
    }
  /** `anchor` is the thread's last event when the timer was armed: what the event after it points at. */
  | { kind: 'timer'; actor: AnyActorRef; requestId: string; dueAt: number; anchor: number }
  | { kind: 'cancel'; requestId: string }
  | { kind: 'evaluate'; actor: AnyActorRef; requestId: string; work: () => Promise<unknown> }
  /** A Distributed Map's child workflow execution: started (or found, after a crash), its result delivered as `evaluated`. */
  | { kind: 'child'; actor: AnyActorRef; requestId: string; child: MapChildRequest };

/**
 * A child workflow execution of a Distributed Map (DG:state-map-distributed): an execution of
 * its own, of the ItemProcessor as a state machine named `<state machine>/<Map Run label>`.
 */
export interface MapChildRequest {
  /** `<parent state machine name>/<label>`, the child state machine's name. */
  stateMachineName: string;
  name: string;
  /** The ItemProcessor as a state machine (JSON text). */
  definition: string;
  input: JsonValue;
  mapRunArn: string;
  /** The Map Run's settings as evaluated when it started (DescribeMapRun shows them), kept with each child. */
  mapRun: MapRunSettings;
  /**
   * A redriven Map Run's child that an earlier attempt ran: the attempt it is on (n: its nth
   * redrive). Its outcome is the end of that attempt; a child that ended the attempt before
   * unsuccessfully is redriven.
   */
  attempt?: number;
  /** Its result says how many times it had been redriven when it ended (`redriveCount`): a ResultWriter's records show it. */
  countRedrives?: boolean;
  /** `ItemProcessor.ProcessorConfig.ExecutionType`, when EXPRESS: the child is an Express execution. */
  type?: 'EXPRESS';
}

/** UpdateMapRun's members: what is given changes. */
export interface MapRunUpdate {
  maxConcurrency?: number;
  toleratedFailureCount?: number;
  toleratedFailurePercentage?: number;
}

/** The request id a Distributed Map listens on for its Map Run's updates. */
export function mapRunUpdateId(mapRunArn: string): string {
  return `update:${mapRunArn}`;
}

export interface MapRunSettings {
  maxConcurrency: number;
  toleratedFailureCount: number;
  toleratedFailurePercentage: number;
  /** How many child executions the Map Run has in all (items, or batches of them with an ItemBatcher). */
  executionCount: number;
  /** How many UpdateMapRun calls these settings include: the children started after one carry a higher number. */
  revision: number;
  /** It has a ResultWriter: DescribeMapRun counts its results written once it has ended (see map-runs.ts). */
  writesResults?: boolean;
}

/** Events the journal delivers to actors. */
export type ActorInput =
  | { type: 'task.succeeded'; requestId: string; output: JsonValue }
  /** `phase: 'schedule'`: the task could not be scheduled at all (e.g. the activity does not exist). */
  | { type: 'task.failed'; requestId: string; error: string; cause?: string; phase?: 'schedule' }
  | { type: 'task.timedOut'; requestId: string; error: string; cause?: string }
  | { type: 'task.heartbeat'; requestId: string }
  | { type: 'timer.fired'; requestId: string }
  | { type: 'evaluated'; requestId: string; ok: boolean; value: unknown };

export interface ExecutionLimits {
  /** Bytes of a state's input/output (AWS: 262,144). */
  payloadBytes: number;
  /** Events in one history (AWS: 25,000). */
  historyEvents: number;
  /** Seconds an Express execution may run before it times out (AWS: five minutes, DG:choosing-workflow-type). */
  expressSeconds: number;
  /**
   * Memory one value a JSONata expression builds may hold, in AWS's bytes: 8 per item of a range,
   * 1 per character of a string (AWS: 6,990,256, measured; a bound under 65,536 counts as 65,536).
   * Past it the state fails with States.QueryEvaluationError ("Expression evaluation memory limit
   * exceeded"). The `$pad` and `$range` functions' own bounds are lifted with it.
   */
  expressionBytes: number;
  /** How deep a JSONata expression's evaluation may nest (AWS: 100, counted as AWS counts it). */
  expressionDepth: number;
}

export const AWS_LIMITS: ExecutionLimits = {
  payloadBytes: 262_144, historyEvents: 25_000, expressSeconds: 300, expressionBytes: DEFAULT_MAX_BYTES, expressionDepth: DEFAULT_MAX_DEPTH,
};

/** Every limit switched off (`--lift-limits`): local work beyond AWS's limits. */
export const LIFTED_LIMITS: ExecutionLimits = {
  payloadBytes: Infinity, historyEvents: Infinity, expressSeconds: Infinity, expressionBytes: Infinity, expressionDepth: Infinity,
};

/**
 * The limits a replay or a redrive's search runs under: the recorded events decide the payload,
 * history and Express limits, so those are off; expressions keep their bounds, so a JSONata
 * limit the run hit is hit again.
 */
export function replayLimits(limits: ExecutionLimits): ExecutionLimits {
  return { ...limits, payloadBytes: Infinity, historyEvents: Infinity, expressSeconds: Infinity };
}

/** Shared by every actor of one execution. */
export interface ExecutionServices {
  record(frame: HistoryFrame, type: HistoryEventType, details?: EventDetails, updateSource?: boolean): number;
  command(command: Command): void;
  now(): number;
  newId(): string;
  random(): number;
  readonly randomSource: { random(): number; uuid(): string };
  readonly executionContext: { Execution: JsonValue; StateMachine: JsonValue };
  /** The ExecutionRedriven event this run of the execution started from (0: it started from ExecutionStarted). */
  readonly redrivenEventId: number;
  readonly limits: ExecutionLimits;
  readonly region: string;
  /** A fork's replacement input for the first state entered live (taken once). */
  takeInputOverride(): JsonValue | undefined;
  /**
   * The events recorded so far pass the history limit: the execution fails once its step ends.
   * A run of instant states checks it before each state, since a Choice looping over Pass
   * states never ends its step by itself.
   */
  historyFull(): boolean;
  /**
   * Whether this activity Task goes to workers and its activity is known not to exist: then
   * AWS schedules nothing and fails the execution with States.Runtime (recorded against AWS
   * (2026-09)). A replay reproduces the recorded events: missing when no ActivityScheduled comes next.
   */
  activityMissing?(resource: string, stateName: string): boolean;
  /**
   * Calls a resource through the task handlers and mocks (an ItemReader's read, a ResultWriter's
   * `write`); only from a command.
   */
  invoke(resource: string, input: JsonValue, stateName: string, effect?: 'read' | 'write'): Promise<JsonValue>;
  /**
   * The value `work` gives, done once per execution and `key`: kept beside the history, so that
   * a resume, replay or redrive gets the same value without doing it again (an ItemReader's
   * items, which no history records). Only from a command.
   */
  remembered(key: string, work: () => Promise<JsonValue>): Promise<JsonValue>;
}
