import type { StateMachineDefinition } from '../asl/definition.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import { definitionEvent, definitionOf, definitionStreamOf, definitionTextOf } from '../store/definition-stream.js';
import { WrongExpectedRevisionError, type EventStore } from '../store/event-store.js';

/**
 * The definitions executions ran, each stored once in its own stream (definition-stream.ts)
 * and named by id in the executions' metadata.
 */
export class StoredDefinitions {
  /** Ids this runtime has stored or found stored: their executions' metadata need not wait. */
  private readonly stored = new Set<string>();
  private readonly storing = new Map<string, Promise<void>>();
  /** One object per id, so that executions resumed by the thousand share one prepared machine. */
  private readonly loaded = new Map<string, Promise<{ definition: StateMachineDefinition; text?: string }>>();

  constructor(
    private readonly store: EventStore,
    private readonly now: () => number,
  ) {}

  /**
   * Stores the definition unless this runtime already has. Returns undefined when it is stored,
   * else the append to wait for before anything that names it is written. `text`: the text
   * submitted (the id is its hash), kept so that it can be shown as it was.
   */
  save(id: string, definition: StateMachineDefinition, text?: string): Promise<void> | undefined {
    if (this.stored.has(id)) return undefined;
    let storing = this.storing.get(id);
    if (!storing) {
      storing = this.store.append(definitionStreamOf(id), [definitionEvent(definition, this.now(), text)], { expectedRevision: 0 }).then(
        () => this.settle(id),
        (err: unknown) => {
          // Stored before, by this process or another: the id is a hash of the text, so it is the same definition.
          if (err instanceof WrongExpectedRevisionError) return this.settle(id);
          this.storing.delete(id);
          throw err;
        },
      );
      this.storing.set(id, storing);
    }
    return storing;
  }

  load(id: string): Promise<StateMachineDefinition> {
    return this.loadStored(id).then((s) => s.definition);
  }

  /** The submitted text of a stored definition; undefined when an earlier version stored it without. */
  loadText(id: string): Promise<string | undefined> {
    return this.loadStored(id).then((s) => s.text);
  }

  private loadStored(id: string): Promise<{ definition: StateMachineDefinition; text?: string }> {
    let loading = this.loaded.get(id);
    if (!loading) {
      loading = this.store.read(definitionStreamOf(id), { maxCount: 1 }).then((events) => {
        const definition = definitionOf(events[0]);
        if (!definition) throw new StepwiseError('InvalidArgument', `The store holds no definition with id ${id} (stream ${definitionStreamOf(id)}).`);
        this.stored.add(id);
        const text = definitionTextOf(events[0]);
        return text === undefined ? { definition } : { definition, text };
      });
      loading.catch(() => this.loaded.delete(id));
      this.loaded.set(id, loading);
    }
    return loading;
  }

  private settle(id: string): void {
    this.stored.add(id);
    this.storing.delete(id);
  }
}
