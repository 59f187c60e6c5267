import type { JsonValue } from '../asl/json-value.js';

/** An activity task waiting for a worker. */
export interface ActivityTask {
  activityArn: string;
  taskToken: string;
  input: JsonValue;
  executionArn: string;
  /**
   * Called when a worker takes the task (ActivityStarted). Returns false when the task is no
   * longer open (it timed out or its execution stopped meanwhile): the worker is not given it.
   */
  started(workerName: string | undefined): boolean;
}

/** What a worker's GetActivityTask receives. */
export interface ActivityTaskGrant {
  taskToken: string;
  /** The task's input as JSON text, as GetActivityTask gives it. */
  input: string;
}

interface Poller {
  workerName?: string;
  settle(grant: ActivityTaskGrant | null): void;
}

/**
 * Tasks of each activity in the order they were scheduled, and the workers waiting for one
 * (GetActivityTask is a long poll). A task goes to exactly one worker.
 */
export class ActivityTaskQueue {
  private readonly tasks = new Map<string, ActivityTask[]>();
  private readonly pollers = new Map<string, Poller[]>();

  /** Queues a task (or hands it straight to a waiting worker). Returns a function that withdraws it. */
  offer(task: ActivityTask): () => void {
    const waiting = this.pollers.get(task.activityArn);
    const poller = waiting?.shift();
    if (poller) {
      if (task.started(poller.workerName)) poller.settle(grantOf(task));
      else waiting!.unshift(poller);
      return () => {};
    }
    const queue = this.tasks.get(task.activityArn) ?? [];
    queue.push(task);
    this.tasks.set(task.activityArn, queue);
    return () => {
      const i = queue.indexOf(task);
      if (i >= 0) queue.splice(i, 1);
    };
  }

  /** The next task of the activity, waiting for one; null once `signal` aborts. */
  take(activityArn: string, workerName: string | undefined, signal?: AbortSignal): Promise<ActivityTaskGrant | null> {
    if (signal?.aborted) return Promise.resolve(null);
    const queue = this.tasks.get(activityArn) ?? [];
    while (queue.length > 0) {
      const task = queue.shift()!;
      if (task.started(workerName)) return Promise.resolve(grantOf(task));
    }
    return new Promise((resolve) => {
      const list = this.pollers.get(activityArn) ?? [];
      this.pollers.set(activityArn, list);
      const onAbort = () => {
        const i = list.indexOf(poller);
        if (i >= 0) list.splice(i, 1);
        resolve(null);
      };
      const poller: Poller = {
        workerName,
        settle: (grant) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(grant);
        },
      };
      list.push(poller);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Tasks waiting for a worker, per activity (for inspection and tests). */
  pendingCount(activityArn: string): number {
    return this.tasks.get(activityArn)?.length ?? 0;
  }
}

function grantOf(task: ActivityTask): ActivityTaskGrant {
  return { taskToken: task.taskToken, input: JSON.stringify(task.input) };
}
