import type { HistoryEvent } from '../execution/history-event.js';
import type { EventStore } from '../store/event-store.js';
import { checkName, parseStatesArn, statesArn } from '../registry/names.js';
import { AWS_OWNED_KEY, checkEncryption, sameEncryption, type EncryptionConfiguration } from '../registry/encryption.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import { pageBy } from '../registry/paging.js';
import { ACTIVITY_STREAM } from '../store/internal-streams.js';

export interface ActivityDescription {
  activityArn: string;
  name: string;
  creationDate: Date;
  /** As DescribeActivity shows it (AWS_OWNED_KEY when none was given). */
  encryptionConfiguration: EncryptionConfiguration;
}

export interface ActivityTag {
  key: string;
  value?: string;
}

interface ActivityRecord {
  activityArn: string;
  name: string;
  creationDate: number;
  tags: ActivityTag[];
  /** Checked (see registry/encryption.ts); left out for AWS_OWNED_KEY, and by earlier versions. */
  encryptionConfiguration?: EncryptionConfiguration;
}

/**
 * The store stream that holds activity definitions. Activities are few and change rarely;
 * keeping them as events in the execution store makes them as durable as executions on
 * any store (embedded file, memory, EventStoreDB) without a second file format.
 */
export { ACTIVITY_STREAM };

type RegistryEventType = 'ActivityCreated' | 'ActivityDeleted';

/** CreateActivity / DescribeActivity / DeleteActivity / ListActivities over an event stream. */
export class ActivityRegistry {
  private readonly byArn = new Map<string, ActivityRecord>();
  private revision = 0;
  private loaded: Promise<void> | undefined;
  private ready = false;
  /** Mutations run one after another so each appends at the revision it read. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: EventStore,
    private readonly region: string,
    private readonly accountId: string,
    private readonly now: () => number,
  ) {}

  arnOf(name: string): string {
    return statesArn({ region: this.region, accountId: this.accountId }, 'activity', name);
  }

  /**
   * Idempotent by name and encryption, as AWS's CreateActivity: a second call returns the first
   * activity (tags are not changed); one with another encryption configuration (none is
   * AWS_OWNED_KEY, no reuse period 300) is ActivityAlreadyExists, as recorded against AWS (2026-09).
   */
  create(name: string, tags: ActivityTag[] = [], encryption?: EncryptionConfiguration): Promise<ActivityDescription> {
    checkName(name, 'activity');
    const encryptionConfiguration = checkEncryption(encryption, { region: this.region, accountId: this.accountId });
    return this.mutate(async () => {
      const activityArn = this.arnOf(name);
      const known = this.byArn.get(activityArn);
      if (known && !sameEncryption(known.encryptionConfiguration, encryptionConfiguration)) {
        throw new StepwiseError('ActivityAlreadyExists', `Activity Already Exists: '${activityArn}'`);
      }
      if (known) return describe(known);
      const custom = encryptionConfiguration.type === 'AWS_OWNED_KEY' ? undefined : encryptionConfiguration;
      const record: ActivityRecord = { activityArn, name, creationDate: this.now(), tags, ...(custom ? { encryptionConfiguration: custom } : {}) };
      await this.append('ActivityCreated', {
        activityArn, name, creationDate: record.creationDate, tags: tags.map((t) => ({ ...t })), ...(custom ? { encryptionConfiguration: { ...custom } } : {}),
      });
      this.byArn.set(activityArn, record);
      return describe(record);
    });
  }

  async describe(activityArn: string): Promise<ActivityDescription | undefined> {
    parseStatesArn(activityArn, ['activity']);
    await this.load();
    const record = this.byArn.get(activityArn);
    return record ? describe(record) : undefined;
  }

  /** Deleting an activity that does not exist succeeds, as AWS's DeleteActivity does. */
  delete(activityArn: string): Promise<void> {
    parseStatesArn(activityArn, ['activity']);
    return this.mutate(async () => {
      if (!this.byArn.has(activityArn)) return;
      await this.append('ActivityDeleted', { activityArn });
      this.byArn.delete(activityArn);
    });
  }

  async list(options: { maxResults?: number; nextToken?: string } = {}): Promise<{ activities: ActivityDescription[]; nextToken?: string }> {
    await this.load();
    const ordered = [...this.byArn.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const page = pageBy(ordered, (r) => r.name, options.maxResults, options.nextToken);
    return page.nextToken ? { activities: page.items.map(describe), nextToken: page.nextToken } : { activities: page.items.map(describe) };
  }

  async exists(activityArn: string): Promise<boolean> {
    await this.load();
    return this.byArn.has(activityArn);
  }

  /** Whether the activity exists, once the registry is loaded; undefined before (see whenLoaded). */
  existsNow(activityArn: string): boolean | undefined {
    return this.ready ? this.byArn.has(activityArn) : undefined;
  }

  /** Loads the registry; undefined when it is loaded already. A failed load is tried again later. */
  whenLoaded(): Promise<void> | undefined {
    if (this.ready) return undefined;
    return this.load().catch(() => {
      this.loaded = undefined;
    });
  }

  async tagsOf(activityArn: string): Promise<ActivityTag[] | undefined> {
    await this.load();
    return this.byArn.get(activityArn)?.tags.map((t) => ({ ...t }));
  }

  private load(): Promise<void> {
    this.loaded ??= this.store.read(ACTIVITY_STREAM).then((events) => {
      for (const e of events) this.apply(e);
      this.revision = events.length;
      this.ready = true;
    });
    return this.loaded;
  }

  private apply(event: HistoryEvent): void {
    const type = event.type as string;
    const d = event[detailsKey(type as RegistryEventType)] as Partial<ActivityRecord> | undefined;
    if (!d || typeof d.activityArn !== 'string') return;
    if (type === 'ActivityCreated' && typeof d.name === 'string') {
      this.byArn.set(d.activityArn, {
        activityArn: d.activityArn, name: d.name, creationDate: Number(d.creationDate ?? event.timestamp), tags: Array.isArray(d.tags) ? d.tags : [],
        ...(d.encryptionConfiguration ? { encryptionConfiguration: d.encryptionConfiguration } : {}),
      });
    } else if (type === 'ActivityDeleted') {
      this.byArn.delete(d.activityArn);
    }
  }

  private mutate<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(() => this.load()).then(work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async append(type: RegistryEventType, details: Record<string, unknown>): Promise<void> {
    const id = this.revision + 1;
    // Registry events share the store with executions but are not execution history events.
    const event = { id, previousEventId: id - 1, timestamp: this.now(), type, [detailsKey(type)]: details } as unknown as HistoryEvent;
    this.revision = await this.store.append(ACTIVITY_STREAM, [event], { expectedRevision: this.revision });
  }
}

function detailsKey(type: RegistryEventType): string {
  return type === 'ActivityCreated' ? 'activityCreatedEventDetails' : 'activityDeletedEventDetails';
}

function describe(r: ActivityRecord): ActivityDescription {
  return { activityArn: r.activityArn, name: r.name, creationDate: new Date(r.creationDate), encryptionConfiguration: { ...(r.encryptionConfiguration ?? AWS_OWNED_KEY) } };
}
