import type { JsonValue } from '../asl/json-value.js';
import { StepwiseError, isStepwiseError } from '../errors/stepwise-error.js';
import { parseStatesArn } from '../registry/names.js';
import type { EncryptionConfiguration } from '../registry/encryption.js';
import { isTaskFailure } from '../resources/task-handlers.js';
import type { EventStore } from '../store/event-store.js';
import { ActivityRegistry, type ActivityDescription, type ActivityTag } from './activity-registry.js';
import { ActivityTaskQueue, type ActivityTask, type ActivityTaskGrant } from './activity-queue.js';

/** How many issued task tokens' activities are remembered for the TaskTimedOut message. */
const TOKENS_REMEMBERED = 10_000;

/** How the journal hands an activity task to the queue; rejects with ActivityDoesNotExist. */
export interface ActivityDispatcher {
  dispatch(task: ActivityTask): Promise<() => void>;
  /**
   * Whether the activity is known not to exist, decided before its task is scheduled: AWS
   * then records no ActivityScheduled (see task-state). False while the definitions are
   * still loading (whenLoaded).
   */
  knownMissing?(activityArn: string): boolean;
  /** Loads the activity definitions; undefined once they are loaded. */
  whenLoaded?(): Promise<void> | undefined;
}

/** The runtime's task-token API, through which workers complete their tasks. */
export interface TaskCompletion {
  sendTaskSuccess(taskToken: string, output: JsonValue): void;
  sendTaskFailure(taskToken: string, error?: string, cause?: string): void;
  sendTaskHeartbeat(taskToken: string): void;
}

/** What an in-process worker's function receives for one task. */
export interface ActivityWork {
  input: JsonValue;
  taskToken: string;
  /** SendTaskHeartbeat: resets the task's HeartbeatSeconds. */
  heartbeat(): void;
}

export type ActivityWorkFunction = (work: ActivityWork) => JsonValue | Promise<JsonValue>;

export interface ActivityWorker {
  /** Stops polling, waits for the tasks in hand to be answered. */
  stop(): Promise<void>;
}

export interface ActivitiesOptions {
  store: EventStore;
  region: string;
  accountId: string;
  now: () => number;
  completion: TaskCompletion;
  /** On a virtual clock: keeps time still while an in-process worker runs a task. */
  holdClock?: () => () => void;
}

/**
 * Activities (DG:concepts-activities): definitions kept in the store, a task queue per
 * activity, GetActivityTask for workers anywhere (the HTTP API calls `getTask`), and an
 * in-process worker helper. Workers complete tasks with the runtime's sendTask* methods.
 *
 * @example
 * const { activityArn } = await runtime.activities.create({ name: 'approve' });
 * const worker = runtime.activities.work(activityArn, async ({ input, heartbeat }) => ({ approved: true }));
 */
export class Activities implements ActivityDispatcher {
  private readonly registry: ActivityRegistry;
  private readonly queue = new ActivityTaskQueue();
  /**
   * The activity each task token was issued for, newest last, so that a late SendTask* can
   * name it as AWS does (see noOpenTaskError). Bounded: the oldest are forgotten first.
   */
  private readonly tokenActivities = new Map<string, string>();

  constructor(private readonly options: ActivitiesOptions) {
    this.registry = new ActivityRegistry(options.store, options.region, options.accountId, options.now);
  }

  async create(request: { name: string; tags?: ActivityTag[]; encryptionConfiguration?: EncryptionConfiguration }): Promise<{ activityArn: string; creationDate: Date }> {
    const created = await this.registry.create(request.name, request.tags, request.encryptionConfiguration);
    return { activityArn: created.activityArn, creationDate: created.creationDate };
  }

  describe(activityArn: string): Promise<ActivityDescription | undefined> {
    return this.registry.describe(activityArn);
  }

  delete(activityArn: string): Promise<void> {
    return this.registry.delete(activityArn);
  }

  list(options: { maxResults?: number; nextToken?: string } = {}): Promise<{ activities: ActivityDescription[]; nextToken?: string }> {
    return this.registry.list(options);
  }

  tagsOf(activityArn: string): Promise<ActivityTag[] | undefined> {
    return this.registry.tagsOf(activityArn);
  }

  /**
   * GetActivityTask: waits until a task of the activity is scheduled and takes it (its
   * execution records ActivityStarted with `workerName`). Resolves null when `signal` aborts.
   */
  async getTask(activityArn: string, options: { workerName?: string; signal?: AbortSignal } = {}): Promise<ActivityTaskGrant | null> {
    await this.mustExist(activityArn);
    return this.queue.take(activityArn, options.workerName, options.signal);
  }

  /** The activity a task token was issued for (kept for the last TOKENS_REMEMBERED tokens). */
  activityOfToken(taskToken: string): string | undefined {
    return this.tokenActivities.get(taskToken);
  }

  /** Tasks of the activity scheduled and not yet taken by a worker. */
  pendingTasks(activityArn: string): number {
    return this.queue.pendingCount(activityArn);
  }

  /**
   * Runs an in-process worker: polls for tasks, calls `fn` with each task's input, and
   * completes the task with what it returns (SendTaskSuccess) or throws (SendTaskFailure:
   * a TaskFailure's error and cause, or an Error's name and message).
   */
  work(activityArn: string, fn: ActivityWorkFunction, options: { workerName?: string; concurrency?: number } = {}): ActivityWorker {
    const stop = new AbortController();
    const inHand = new Set<Promise<void>>();
    const loops: Promise<void>[] = [];
    const concurrency = Math.max(1, options.concurrency ?? 1);
    for (let i = 0; i < concurrency; i++) {
      loops.push((async () => {
        while (!stop.signal.aborted) {
          const grant = await this.getTask(activityArn, { workerName: options.workerName, signal: stop.signal });
          if (!grant) return;
          const running = this.perform(grant, fn);
          inHand.add(running);
          await running;
          inHand.delete(running);
        }
      })());
    }
    const finished = Promise.allSettled(loops);
    return {
      async stop() {
        stop.abort();
        await finished;
        await Promise.allSettled([...inHand]);
      },
    };
  }

  /** @internal See ActivityDispatcher.knownMissing. */
  knownMissing(activityArn: string): boolean {
    return this.registry.existsNow(activityArn) === false;
  }

  /** @internal See ActivityDispatcher.whenLoaded. */
  whenLoaded(): Promise<void> | undefined {
    return this.registry.whenLoaded();
  }

  /** @internal The journal queues an activity task for workers. */
  async dispatch(task: ActivityTask): Promise<() => void> {
    await this.mustExist(task.activityArn);
    this.tokenActivities.delete(task.taskToken);
    this.tokenActivities.set(task.taskToken, task.activityArn);
    if (this.tokenActivities.size > TOKENS_REMEMBERED) this.tokenActivities.delete(this.tokenActivities.keys().next().value!);
    return this.queue.offer(task);
  }

  private async perform(grant: ActivityTaskGrant, fn: ActivityWorkFunction): Promise<void> {
    const { completion } = this.options;
    const release = this.options.holdClock?.() ?? (() => {});
    const token = grant.taskToken;
    const ignoreClosed = (send: () => void) => {
      try {
        send();
      } catch (e) {
        // The task timed out or its execution ended while the worker ran: nothing to answer.
        if (!(isStepwiseError(e) && e.code === 'TaskTimedOut')) throw e;
      }
    };
    try {
      const output = await fn({ input: JSON.parse(grant.input) as JsonValue, taskToken: token, heartbeat: () => ignoreClosed(() => completion.sendTaskHeartbeat(token)) });
      ignoreClosed(() => completion.sendTaskSuccess(token, output ?? null));
    } catch (e) {
      const failure = isTaskFailure(e)
        ? { error: e.error, cause: e.causeText }
        : { error: e instanceof Error && e.name !== 'Error' ? e.name : 'Error', cause: e instanceof Error ? e.message : String(e) };
      ignoreClosed(() => completion.sendTaskFailure(token, failure.error, failure.cause));
    } finally {
      release();
    }
  }

  private async mustExist(activityArn: string): Promise<void> {
    parseStatesArn(activityArn, ['activity']);
    if (!(await this.registry.exists(activityArn))) {
      throw new StepwiseError('ActivityDoesNotExist', `Activity Does Not Exist: '${activityArn}'`);
    }
  }
}
