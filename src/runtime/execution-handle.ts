import type { Observable } from 'rxjs';
import { defer, map } from '../observe/rx.js';
import type { StateMachineDefinition } from '../asl/definition.js';
import type { ExecutionJournal, ExecutionResult, ReplayReport } from '../execution/execution-journal.js';
import { ExecutionStateFold, foldExecutionState, type ExecutionState } from '../execution/execution-state.js';
import type { HistoryEvent } from '../execution/history-event.js';
import type { EventStore, ExecutionMetadata } from '../store/event-store.js';
import type { Runtime } from './create-runtime.js';

/**
 * One stored execution, whichever process ran it: everything here is a read of its event
 * stream (history, state at any event, live events and state) or starts a new run from it.
 */
export class ExecutionHandle {
  constructor(
    private readonly runtime: Runtime,
    private readonly store: EventStore,
    readonly executionArn: string,
  ) {}

  /** The execution's listing: once `done` has settled, with its end status. */
  async describe(): Promise<ExecutionMetadata | undefined> {
    await this.runtime.listedQuietly(this.executionArn);
    return this.store.getMetadata(this.executionArn);
  }

  /** The history, oldest first. */
  history(): Promise<HistoryEvent[]> {
    return this.store.read(this.executionArn);
  }

  /** Where the execution was after event `eventId` (default: now): a fold of its events. */
  async stateAt(eventId?: number): Promise<ExecutionState> {
    const meta = await this.describe();
    return foldExecutionState(await this.history(), eventId, meta ? identityOf(meta) : undefined);
  }

  /** Every event of this execution: those already stored, then live ones. */
  get events$(): Observable<HistoryEvent> {
    return this.store.subscribe(this.executionArn, { fromRevision: 0 }).pipe(map((s) => s.event));
  }

  /** The execution's state after each event, live. */
  get state$(): Observable<ExecutionState> {
    // One fold carried along the stream: re-folding every event so far at each new one
    // would make a long execution's live state quadratic.
    return defer(() => {
      const fold = new ExecutionStateFold();
      return this.events$.pipe(map((e) => {
        fold.apply(e);
        return fold.snapshot();
      }));
    });
  }

  /** The result, when this runtime is driving the execution. */
  get done(): Promise<ExecutionResult> | undefined {
    return this.runtime.liveExecution(this.executionArn)?.done;
  }

  fork(options: { fromEventId: number; definition?: StateMachineDefinition | string; name?: string; input?: import('../asl/json-value.js').JsonValue }): Promise<ExecutionJournal> {
    return this.runtime.fork(this.executionArn, options);
  }

  redrive(): Promise<ExecutionJournal> {
    return this.runtime.redrive(this.executionArn);
  }

  replay(definition?: StateMachineDefinition | string): Promise<ReplayReport> {
    return this.runtime.replay({ executionArn: this.executionArn, definition });
  }
}

function identityOf(meta: ExecutionMetadata) {
  const stateMachineName = meta.stateMachineArn.split(':').pop()!;
  return { executionArn: meta.executionArn, name: meta.name, stateMachineArn: meta.stateMachineArn, stateMachineName };
}
