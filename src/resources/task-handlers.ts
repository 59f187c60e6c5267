import type { JsonValue } from '../asl/json-value.js';

/** What a task handler receives. */
export interface TaskRequest {
  /** The Task state's Resource ARN. */
  resource: string;
  stateName: string;
  /** The effective parameters (for `lambda:invoke`, the `Payload` is passed as `input`). */
  input: JsonValue;
  /** The task token (`$$.Task.Token`), used with `sendTaskSuccess/Failure/Heartbeat`. */
  taskToken: string;
  /** Stable across a re-run of the same scheduled task, so handlers can be idempotent. */
  idempotencyKey: string;
  executionArn: string;
  /** 0 for the first call of the state, then 1, 2, ... for retries. */
  attempt: number;
  /**
   * @internal The mock config's invocation number: the state's calls so far in the execution
   * (retries, loops and Map iterations all count), where `attempt` restarts at each entry.
   */
  invocation?: number;
  /** Tells the runtime the task is alive (resets HeartbeatSeconds). */
  heartbeat(): void;
  /** Aborted when the execution stops or the task times out. */
  signal: AbortSignal;
  /**
   * @internal On a virtual clock, a task stops time's jumps while it runs; a call that waits
   * on something the clock itself drives (a child execution) lets it go with this.
   */
  releaseClock?: () => void;
}

/**
 * What a handler answers: JSON, or, for a Distributed Map's ItemReader read of an S3 object
 * (`s3:getObject`), an answer whose `Body` is the object's bytes (the README's ItemReader section).
 */
export type TaskHandlerResult = JsonValue | { Body: Uint8Array; [member: string]: JsonValue | Uint8Array | undefined };

/** A task handler returns the task result, or throws (see `TaskFailure`) to fail the task. */
export type TaskHandler = (request: TaskRequest) => TaskHandlerResult | Promise<TaskHandlerResult>;

/**
 * Thrown by a handler to fail a task with an ASL error name and cause, which Retry and Catch
 * match on. Any other thrown Error fails the task with its `name` as the error and its
 * `message` as the cause.
 */
/**
 * A service's refusal as Step Functions' optimized integrations report it (they call the service
 * through the AWS SDK for Java v1): the error `<Service>.<Code>Exception` (the suffix once), the
 * cause the service's message with the SDK's suffix, `(Service: <label>; Status Code: <status>;
 * Error Code: <code>; Request ID: <id>; Proxy: null)`. `name` replaces `<Code>Exception` for an
 * error the SDK names otherwise (its generic exception for an error its model does not declare).
 */
export function javaSdkFailure(serviceId: string, label: string, status: number, code: string, message: string, requestId: string, name = code.endsWith('Exception') ? code : `${code}Exception`): TaskFailure {
  return new TaskFailure(`${serviceId}.${name}`, `${message} (Service: ${label}; Status Code: ${status}; Error Code: ${code}; Request ID: ${requestId}; Proxy: null)`);
}

export class TaskFailure extends Error {
  readonly isTaskFailure = true;
  constructor(
    readonly error: string,
    readonly causeText?: string,
  ) {
    super(causeText ?? error);
    this.name = error;
  }
}

/** A TaskFailure, also one thrown by another copy of this module (the brand, not the class, is checked). */
export function isTaskFailure(e: unknown): e is TaskFailure {
  return e instanceof TaskFailure || (typeof e === 'object' && e !== null && (e as TaskFailure).isTaskFailure === true);
}

export type HandlerMatcher = string | RegExp | { state: string };

/**
 * Handlers by resource ARN (exact, or a pattern with `*` wildcards, or a RegExp) or by state
 * name. A state-name match wins over a resource match; an exact ARN over a pattern.
 */
export class TaskHandlerRegistry {
  private readonly byState = new Map<string, TaskHandler>();
  private readonly exact = new Map<string, TaskHandler>();
  private readonly patterns: { test: RegExp; handler: TaskHandler }[] = [];
  /**
   * Which pattern a resource matched (null: none), so that a Task's every call does not run the
   * patterns again; emptied whenever a pattern is registered. Not used while a pattern is a
   * RegExp with the g or y flag, whose test() depends on where the previous one stopped.
   */
  private readonly patternOf = new Map<string, TaskHandler | null>();
  private statefulPattern = false;

  register(matcher: HandlerMatcher, handler: TaskHandler): this {
    if (typeof matcher === 'object' && 'state' in matcher) this.byState.set(matcher.state, handler);
    else if (matcher instanceof RegExp) this.addPattern(matcher, handler);
    else if (matcher.includes('*')) this.addPattern(globToRegExp(matcher), handler);
    else this.exact.set(matcher, handler);
    return this;
  }

  private addPattern(test: RegExp, handler: TaskHandler): void {
    this.patterns.push({ test, handler });
    if (test.global || test.sticky) this.statefulPattern = true;
    this.patternOf.clear();
  }

  find(resource: string, stateName: string): TaskHandler | undefined {
    return this.byState.get(stateName) ?? this.exact.get(resource) ?? this.byPattern(resource);
  }

  private byPattern(resource: string): TaskHandler | undefined {
    if (this.patterns.length === 0) return undefined;
    if (this.statefulPattern) return this.firstMatch(resource);
    let handler = this.patternOf.get(resource);
    if (handler === undefined) {
      handler = this.firstMatch(resource) ?? null;
      // Resources come from definitions, so few; the bound only guards against a host that makes them up.
      if (this.patternOf.size >= MAX_REMEMBERED_RESOURCES) this.patternOf.clear();
      this.patternOf.set(resource, handler);
    }
    return handler ?? undefined;
  }

  private firstMatch(resource: string): TaskHandler | undefined {
    return this.patterns.find((p) => p.test.test(resource))?.handler;
  }
}

const MAX_REMEMBERED_RESOURCES = 4096;

function globToRegExp(glob: string): RegExp {
  return new RegExp('^' + glob.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
}
