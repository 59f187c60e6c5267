import { randomUUID } from 'node:crypto';
import { invalidDefinitionMessage } from '../asl/aws-diagnostics.js';
import { validateDefinition } from '../asl/validate-definition.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import { AWS_OWNED_KEY, checkEncryption } from './encryption.js';
import { checkName, parseStateMachineArn, refuseLabelledArn, statesArn } from './names.js';
import { pageBy, type Page } from './paging.js';
import type { RegistryPersistence } from './registry-persistence.js';
import type {
  EncryptionConfiguration, LoggingConfiguration, RegistrySnapshot, ResolvedStateMachine, RoutingEntry, StateMachineAlias, StateMachineConfig,
  StateMachineRecord, StateMachineRevision, StateMachineType, StateMachineVersion, Tag, TracingConfiguration,
} from './registry-types.js';

/** AWS quotas (DG:service-quotas): definitions up to 1 MiB, 50 tags per resource, 1,000 versions and 100 aliases per state machine. */
export const REGISTRY_LIMITS = { definitionBytes: 1024 * 1024, tagsPerResource: 50, versionsPerStateMachine: 1000, aliasesPerStateMachine: 100 };

export interface CreateStateMachineInput {
  name: string;
  definition: string;
  roleArn: string;
  type?: StateMachineType;
  description?: string;
  loggingConfiguration?: LoggingConfiguration;
  tracingConfiguration?: TracingConfiguration;
  encryptionConfiguration?: EncryptionConfiguration;
  tags?: Tag[];
  publish?: boolean;
  versionDescription?: string;
}

export interface UpdateStateMachineInput {
  definition?: string;
  roleArn?: string;
  loggingConfiguration?: LoggingConfiguration;
  tracingConfiguration?: TracingConfiguration;
  /** Given, it replaces the state machine's (a customer managed key without a reuse period gets 300 again). */
  encryptionConfiguration?: EncryptionConfiguration;
  publish?: boolean;
  versionDescription?: string;
}

/** What DescribeStateMachine shows for a state machine or one of its versions. */
export interface StateMachineView extends StateMachineConfig {
  stateMachineArn: string;
  name: string;
  /** DELETING from DeleteStateMachine until the state machine's executions have ended. */
  status: 'ACTIVE' | 'DELETING';
  creationDate: number;
  /** Shown once an update has changed the state machine (AWS's DescribeStateMachine has none before). */
  revisionId?: string;
  description?: string;
}

/**
 * The state machines a runtime knows by ARN, with their versions, aliases and tags
 * (API:CreateStateMachine and friends). Every change is saved through its persistence
 * before it is acknowledged, so a restarted server answers for the same state machines.
 */
export class StateMachineRegistry {
  private readonly machines = new Map<string, StateMachineRecord>();
  private readonly tagsByArn = new Map<string, Tag[]>();
  private loaded: Promise<void> | undefined;
  private loadedStamp: string | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly persistence: RegistryPersistence,
    private readonly place: { region: string; accountId: string },
    private readonly now: () => number = Date.now,
    /**
     * Whether a state machine has executions still RUNNING (the runtime asks its store). Without
     * it, DeleteStateMachine deletes at once, as if none ran.
     */
    private readonly hasRunningExecutions?: (stateMachineArn: string) => Promise<boolean>,
  ) {}

  /** The ARN a state machine of this name has here. */
  arnFor(name: string): string {
    return statesArn(this.place, 'stateMachine', name);
  }

  // ---- state machines ----

  async create(input: CreateStateMachineInput): Promise<{ stateMachineArn: string; creationDate: number; stateMachineVersionArn?: string }> {
    const name = checkName(input.name, 'state machine');
    checkVersionDescription(input);
    const config = checkConfig({
      definition: input.definition, roleArn: input.roleArn, type: input.type ?? 'STANDARD', loggingConfiguration: input.loggingConfiguration, tracingConfiguration: input.tracingConfiguration,
      encryptionConfiguration: checkEncryption(input.encryptionConfiguration, this.place),
    });
    const tags = checkTags(input.tags ?? []);
    // A name being deleted is free again once that state machine's executions have ended.
    await this.current();
    return this.mutate(() => {
      const arn = this.arnFor(name);
      const existing = this.machines.get(arn);
      if (existing?.deleting) throw deletingError(arn);
      if (existing) {
        // API:CreateStateMachine is idempotent on name, definition, type, logging, tracing and
        // encryption (an omitted one is AWS_OWNED_KEY, an omitted reuse period 300: recorded 2026-09);
        // a different roleArn or tags are ignored (and not applied), as AWS does.
        if (!sameConfig(existing, { ...config, roleArn: existing.roleArn }) || existing.description !== input.description) {
          throw new StepwiseError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
        }
        return repeatedCreate(existing, input);
      }
      const record: StateMachineRecord = {
        ...config, stateMachineArn: arn, name, revisionId: randomUUID(), creationDate: this.now(), versions: [], nextVersion: 1, aliases: [],
        ...(input.description !== undefined ? { description: input.description } : {}),
      };
      this.machines.set(arn, record);
      if (tags.length > 0) this.tagsByArn.set(arn, tags);
      const version = input.publish ? this.publishInto(record, input.versionDescription) : undefined;
      return { stateMachineArn: arn, creationDate: record.creationDate, ...(version ? { stateMachineVersionArn: version.stateMachineVersionArn } : {}) };
    });
  }

  /** A state machine, or a version of it when the ARN ends in `:N`. */
  async describe(arn: string): Promise<StateMachineView> {
    const parsed = parseStateMachineArn(arn);
    refuseLabelledArn(arn, parsed.name);
    await this.current();
    const record = this.machines.get(parsed.base);
    if (!record) throw doesNotExist(arn);
    if (!parsed.qualifier) return viewOf(record);
    if ('alias' in parsed.qualifier) throw new StepwiseError('ValidationException', `Describe an alias with DescribeStateMachineAlias, not DescribeStateMachine: '${arn}'.`);
    const version = this.versionOf(record, parsed.qualifier.version);
    if (!version) throw versionDoesNotExist(arn);
    return { ...viewOf(record), ...pickConfig(version), stateMachineArn: version.stateMachineVersionArn, ...(version.revised ? { revisionId: version.revisionId } : { revisionId: undefined }), creationDate: version.creationDate, ...(version.description !== undefined ? { description: version.description } : {}) };
  }

  async update(arn: string, input: UpdateStateMachineInput): Promise<{ updateDate: number; revisionId?: string; stateMachineVersionArn?: string }> {
    const parsed = parseStateMachineArn(arn);
    refuseLabelledArn(arn, parsed.name);
    // AWS looks the ARN up as a state machine, and a version or alias is none.
    if (parsed.qualifier) throw new StepwiseError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    // Recorded against AWS (2026-09): a new encryption configuration re-encrypts the definition, so
    // it comes with one (an unchanged key and an AWS owned key's reset too).
    if (input.encryptionConfiguration !== undefined && input.definition === undefined) {
      throw new StepwiseError('MissingRequiredParameter', 'The definition must be specified when updating the EncryptionConfiguration');
    }
    // Recorded against AWS (2026-09): a versionDescription alone is MissingRequiredParameter, checked first.
    if (input.definition === undefined && input.roleArn === undefined && input.loggingConfiguration === undefined && input.tracingConfiguration === undefined) {
      throw new StepwiseError('MissingRequiredParameter', 'Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified');
    }
    checkVersionDescription(input);
    return this.mutate(() => {
      const record = this.machines.get(parsed.base);
      if (!record) throw doesNotExist(arn);
      if (record.deleting) throw deletingError(arn);
      const config = checkConfig({
        definition: input.definition ?? record.definition, roleArn: input.roleArn ?? record.roleArn, type: record.type,
        loggingConfiguration: input.loggingConfiguration ?? record.loggingConfiguration, tracingConfiguration: input.tracingConfiguration ?? record.tracingConfiguration,
        encryptionConfiguration: input.encryptionConfiguration !== undefined ? checkEncryption(input.encryptionConfiguration, this.place) : (record.encryptionConfiguration ?? AWS_OWNED_KEY),
      });
      if (!sameConfig(record, config)) {
        Object.assign(record, config);
        record.revisionId = randomUUID();
        record.revised = true;
        record.revisionDate = this.now();
      }
      record.updateDate = this.now();
      const version = input.publish ? this.publishInto(record, input.versionDescription) : undefined;
      return { updateDate: record.updateDate, ...(record.revised ? { revisionId: record.revisionId } : {}), ...(version ? { stateMachineVersionArn: version.stateMachineVersionArn } : {}) };
    });
  }

  /**
   * Deletes a state machine with its versions, aliases and tags; deleting one that is gone is not
   * an error (as AWS). API:DeleteStateMachine: "A state machine is deleted only when all its
   * executions are completed": while some run it is only marked DELETING (see finishDeletions).
   */
  async delete(arn: string): Promise<void> {
    const parsed = parseStateMachineArn(arn);
    refuseLabelledArn(arn, parsed.name);
    if (parsed.qualifier) throw new StepwiseError('ValidationException', `Delete a version with DeleteStateMachineVersion and an alias with DeleteStateMachineAlias: '${arn}'.`);
    const running = (await this.hasRunningExecutions?.(parsed.base)) ?? false;
    return this.mutate(() => {
      const record = this.machines.get(parsed.base);
      if (!record) return;
      if (running) {
        record.deleting = true;
        return;
      }
      this.machines.delete(parsed.base);
      this.tagsByArn.delete(parsed.base);
    });
  }

  async list(page: { maxResults?: number; nextToken?: string } = {}): Promise<Page<{ stateMachineArn: string; name: string; type: StateMachineType; creationDate: number }>> {
    await this.current();
    const all = [...this.machines.values()].sort((a, b) => cmp(a.stateMachineArn, b.stateMachineArn));
    const p = pageBy(all, (r) => r.stateMachineArn, page.maxResults, page.nextToken);
    return { ...p, items: p.items.map((r) => ({ stateMachineArn: r.stateMachineArn, name: r.name, type: r.type, creationDate: r.creationDate })) };
  }

  // ---- versions ----

  async publishVersion(arn: string, input: { revisionId?: string; description?: string } = {}): Promise<{ stateMachineVersionArn: string; creationDate: number }> {
    const parsed = parseStateMachineArn(arn);
    if (parsed.qualifier) throw new StepwiseError('ValidationException', `Publish from the state machine itself, not a version or alias: '${arn}'.`);
    return this.mutate(() => {
      const record = this.machines.get(parsed.base);
      if (!record) throw doesNotExist(arn);
      if (record.deleting) throw deletingError(arn);
      if (input.revisionId !== undefined && input.revisionId !== record.revisionId) {
        throw new StepwiseError('ConflictException', `Failed to publish the State Machine version for revision ${input.revisionId}. The current State Machine revision is ${record.revisionId}.`);
      }
      const v = this.publishInto(record, input.description);
      return { stateMachineVersionArn: v.stateMachineVersionArn, creationDate: v.creationDate };
    });
  }

  async listVersions(arn: string, page: { maxResults?: number; nextToken?: string } = {}): Promise<Page<{ stateMachineVersionArn: string; creationDate: number }>> {
    const parsed = parseStateMachineArn(arn);
    await this.current();
    const record = this.machines.get(parsed.base);
    if (!record || parsed.qualifier) throw doesNotExist(arn);
    // Newest first, as AWS lists them; the key is zero-padded so that string order is version order.
    const newestFirst = [...record.versions].reverse();
    const keyOf = (v: StateMachineVersion) => String(1e9 - v.version).padStart(10, '0');
    const p = pageBy(newestFirst, keyOf, page.maxResults, page.nextToken);
    return { ...p, items: p.items.map((v) => ({ stateMachineVersionArn: v.stateMachineVersionArn, creationDate: v.creationDate })) };
  }

  async deleteVersion(versionArn: string): Promise<void> {
    const parsed = parseStateMachineArn(versionArn);
    if (!parsed.qualifier || !('version' in parsed.qualifier)) throw new StepwiseError('ValidationException', `Not a state machine version ARN: '${versionArn}'.`);
    const number = parsed.qualifier.version;
    return this.mutate(() => {
      const record = this.machines.get(parsed.base);
      if (!record) return;
      const user = record.aliases.find((a) => a.routingConfiguration.some((r) => r.stateMachineVersionArn === versionArn));
      if (user) {
        const names = record.aliases.filter((a) => a.routingConfiguration.some((r) => r.stateMachineVersionArn === versionArn)).map((a) => a.name);
        throw new StepwiseError('ConflictException', `Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [${names.join(', ')}]`);
      }
      record.versions = record.versions.filter((v) => v.version !== number);
    });
  }

  // ---- aliases ----

  async createAlias(input: { name: string; description?: string; routingConfiguration: RoutingEntry[] }): Promise<{ stateMachineAliasArn: string; creationDate: number }> {
    const name = checkName(input.name, 'alias');
    const routing = checkRouting(input.routingConfiguration);
    const base = parseStateMachineArn(routing[0]!.stateMachineVersionArn).base;
    return this.mutate(() => {
      const record = this.requireVersions(base, routing);
      const aliasArn = `${base}:${name}`;
      const existing = record.aliases.find((a) => a.name === name);
      if (existing) {
        if (existing.description === input.description && JSON.stringify(existing.routingConfiguration) === JSON.stringify(routing)) {
          return { stateMachineAliasArn: aliasArn, creationDate: existing.creationDate };
        }
        throw new StepwiseError('ConflictException', 'Failed to create alias because an alias with the same name and a different routing configuration already exists.');
      }
      if (record.aliases.length >= REGISTRY_LIMITS.aliasesPerStateMachine) throw new StepwiseError('ValidationException', `A state machine has at most ${REGISTRY_LIMITS.aliasesPerStateMachine} aliases.`);
      const alias: StateMachineAlias = { stateMachineAliasArn: aliasArn, name, routingConfiguration: routing, creationDate: this.now(), ...(input.description !== undefined ? { description: input.description } : {}) };
      record.aliases.push(alias);
      return { stateMachineAliasArn: aliasArn, creationDate: alias.creationDate };
    });
  }

  async describeAlias(aliasArn: string): Promise<StateMachineAlias> {
    await this.current();
    const { alias } = await this.aliasOf(aliasArn);
    return structuredClone(alias);
  }

  async updateAlias(aliasArn: string, input: { description?: string; routingConfiguration?: RoutingEntry[] }): Promise<{ updateDate: number }> {
    if (input.description === undefined && input.routingConfiguration === undefined) {
      // Recorded against AWS (2026-09).
      throw new StepwiseError('ValidationException', 'Either description or routing configuration must be specified');
    }
    const routing = input.routingConfiguration !== undefined ? checkRouting(input.routingConfiguration) : undefined;
    return this.mutate(async () => {
      const { record, alias } = await this.aliasOf(aliasArn);
      if (record.deleting) throw deletingError(record.stateMachineArn);
      if (routing) {
        this.requireVersions(record.stateMachineArn, routing);
        alias.routingConfiguration = routing;
      }
      if (input.description !== undefined) alias.description = input.description;
      alias.updateDate = this.now();
      return { updateDate: alias.updateDate };
    });
  }

  async deleteAlias(aliasArn: string): Promise<void> {
    const parsed = parseStateMachineArn(aliasArn);
    if (!parsed.qualifier || !('alias' in parsed.qualifier)) throw new StepwiseError('ValidationException', `Not a state machine alias ARN: '${aliasArn}'.`);
    return this.mutate(() => {
      const record = this.machines.get(parsed.base);
      if (!record) return;
      record.aliases = record.aliases.filter((a) => a.stateMachineAliasArn !== aliasArn);
    });
  }

  async listAliases(arn: string, page: { maxResults?: number; nextToken?: string } = {}): Promise<Page<{ stateMachineAliasArn: string; creationDate: number }>> {
    const parsed = parseStateMachineArn(arn);
    await this.current();
    const record = this.machines.get(parsed.base);
    if (!record || (parsed.qualifier && !('version' in parsed.qualifier && this.versionOf(record, parsed.qualifier.version)))) {
      throw new StepwiseError('ResourceNotFound', `Resource not found: '${arn}'`);
    }
    // A version ARN lists the aliases that route to it (recorded against AWS, 2026-09).
    const aliases = parsed.qualifier ? record.aliases.filter((a) => a.routingConfiguration.some((r) => r.stateMachineVersionArn === arn)) : record.aliases;
    const sorted = [...aliases].sort((a, b) => cmp(a.stateMachineAliasArn, b.stateMachineAliasArn));
    const p = pageBy(sorted, (a) => a.stateMachineAliasArn, page.maxResults, page.nextToken);
    return { ...p, items: p.items.map((a) => ({ stateMachineAliasArn: a.stateMachineAliasArn, creationDate: a.creationDate })) };
  }

  // ---- lookup ----

  /**
   * The definition to run for a state machine, version or alias ARN (an alias picks one of
   * its versions by weight), or undefined when there is none.
   */
  async resolve(arnOrVersionOrAliasArn: string, random: () => number = Math.random): Promise<ResolvedStateMachine | undefined> {
    let parsed: ReturnType<typeof parseStateMachineArn>;
    try {
      parsed = parseStateMachineArn(arnOrVersionOrAliasArn);
    } catch {
      return undefined;
    }
    await this.current();
    const record = this.machines.get(parsed.base);
    if (!record) return undefined;
    const base = { stateMachineArn: record.stateMachineArn, name: record.name, ...(record.deleting ? { deleting: true } : {}) };
    if (!parsed.qualifier) return { ...base, definition: record.definition, type: record.type, roleArn: record.roleArn, revision: revisionOf(record, record) };
    let versionNumber: number;
    let aliasArn: string | undefined;
    if ('alias' in parsed.qualifier) {
      const alias = record.aliases.find((a) => a.name === (parsed.qualifier as { alias: string }).alias);
      if (!alias) return undefined;
      aliasArn = alias.stateMachineAliasArn;
      const roll = random() * 100;
      const pick = roll < alias.routingConfiguration[0]!.weight ? alias.routingConfiguration[0]! : alias.routingConfiguration.at(-1)!;
      versionNumber = Number(pick.stateMachineVersionArn.split(':').pop());
    } else versionNumber = parsed.qualifier.version;
    const version = this.versionOf(record, versionNumber);
    if (!version) return undefined;
    return {
      ...base, definition: version.definition, type: version.type, roleArn: version.roleArn,
      stateMachineVersionArn: version.stateMachineVersionArn, ...(aliasArn ? { stateMachineAliasArn: aliasArn } : {}),
      revision: revisionOf(version, record),
    };
  }

  /**
   * Whether the state machine is DELETING, as last loaded (see refresh): its executions end at
   * the end of the state each waits in. A Distributed Map's children run as executions of
   * `<name>/<label>`, a part of state machine `<name>`.
   */
  isDeleting(stateMachineArn: string): boolean {
    if (this.machines.size === 0) return false;
    const slash = stateMachineArn.indexOf('/');
    return this.machines.get(slash < 0 ? stateMachineArn : stateMachineArn.slice(0, slash))?.deleting === true;
  }

  /** Loads what another process saved since, and finishes the deletions that can finish: what isDeleting answers from. */
  async refresh(): Promise<void> {
    await this.current();
  }

  /** True when the ARN names a state machine, version or alias that exists. */
  async exists(arn: string): Promise<boolean> {
    await this.current();
    let parsed: ReturnType<typeof parseStateMachineArn>;
    try {
      parsed = parseStateMachineArn(arn);
    } catch {
      return false;
    }
    const record = this.machines.get(parsed.base);
    if (!record) return false;
    if (!parsed.qualifier) return true;
    if ('alias' in parsed.qualifier) return record.aliases.some((a) => a.stateMachineAliasArn === arn);
    return this.versionOf(record, parsed.qualifier.version) !== undefined;
  }

  // ---- tags (any resource ARN; the caller checks that the resource exists) ----

  async tagsOf(resourceArn: string): Promise<Tag[]> {
    await this.load();
    return structuredClone(this.tagsByArn.get(resourceArn) ?? []);
  }

  async tag(resourceArn: string, tags: Tag[]): Promise<void> {
    const checked = checkTags(tags);
    return this.mutate(() => {
      const merged = new Map((this.tagsByArn.get(resourceArn) ?? []).map((t) => [t.key, t.value]));
      for (const t of checked) merged.set(t.key, t.value);
      if (merged.size > REGISTRY_LIMITS.tagsPerResource) throw new StepwiseError('TooManyTags', `Too many tags: a resource has at most ${REGISTRY_LIMITS.tagsPerResource} ('${resourceArn}').`);
      this.tagsByArn.set(resourceArn, [...merged].map(([key, value]) => ({ key, value })));
    });
  }

  async untag(resourceArn: string, keys: string[]): Promise<void> {
    return this.mutate(() => {
      const left = (this.tagsByArn.get(resourceArn) ?? []).filter((t) => !keys.includes(t.key));
      if (left.length > 0) this.tagsByArn.set(resourceArn, left);
      else this.tagsByArn.delete(resourceArn);
    });
  }

  /** Forgets a resource's tags (when an activity is deleted, say). */
  async dropTags(resourceArn: string): Promise<void> {
    return this.mutate(() => {
      this.tagsByArn.delete(resourceArn);
    });
  }

  // ---- internals ----

  /** The registry as it is now: loaded, with the deletions that could finish finished. */
  private async current(): Promise<void> {
    await this.load();
    await this.finishDeletions();
  }

  /**
   * Removes the state machines marked DELETING whose executions have all ended: checked when
   * the registry is next looked at, so a restarted server finishes what another one began.
   */
  private async finishDeletions(): Promise<void> {
    const pending = [...this.machines.values()].filter((r) => r.deleting);
    if (pending.length === 0 || !this.hasRunningExecutions) return;
    const finished: string[] = [];
    for (const r of pending) if (!(await this.hasRunningExecutions(r.stateMachineArn))) finished.push(r.stateMachineArn);
    if (finished.length === 0) return;
    await this.mutate(() => {
      for (const arn of finished) {
        if (!this.machines.get(arn)?.deleting) continue;
        this.machines.delete(arn);
        this.tagsByArn.delete(arn);
      }
    });
  }

  /**
   * Loads the registry, and loads it again whenever its persistence says another process has
   * saved since (several processes may share one store directory).
   */
  private async load(): Promise<void> {
    if (this.loaded && this.persistence.stamp) {
      const stamp = await this.persistence.stamp();
      if (stamp !== this.loadedStamp) this.loaded = undefined;
    }
    this.loaded ??= this.reload();
    return this.loaded;
  }

  private async reload(): Promise<void> {
    const stamp = await this.persistence.stamp?.();
    this.restore((await this.persistence.load()) ?? { format: 1, stateMachines: [], tags: {} });
    this.loadedStamp = stamp;
  }

  /** Changes run one at a time, each saved before the next starts; a failed save undoes nothing in memory, so it reloads. */
  private mutate<T>(change: () => T | Promise<T>): Promise<T> {
    const loadChangeSave = async () => {
      await this.load();
      const before = this.snapshot();
      const result = await change();
      const after = this.snapshot();
      if (JSON.stringify(after) !== JSON.stringify(before)) {
        try {
          await this.persistence.save(after);
          this.loadedStamp = await this.persistence.stamp?.();
        } catch (e) {
          this.restore(before);
          throw e;
        }
      }
      return result;
    };
    // Under another process's lock nothing else saves, so what is loaded then is what is changed.
    const run = () => (this.persistence.exclusive ? this.persistence.exclusive(loadChangeSave) : loadChangeSave());
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private snapshot(): RegistrySnapshot {
    return structuredClone({ format: 1, stateMachines: [...this.machines.values()], tags: Object.fromEntries(this.tagsByArn) });
  }

  private restore(s: RegistrySnapshot): void {
    this.machines.clear();
    this.tagsByArn.clear();
    for (const r of s.stateMachines) this.machines.set(r.stateMachineArn, r);
    for (const [arn, tags] of Object.entries(s.tags)) this.tagsByArn.set(arn, tags);
  }

  private publishInto(record: StateMachineRecord, description: string | undefined): StateMachineVersion {
    const latest = record.versions.at(-1);
    // AWS publishes no new version when the current revision already has one.
    if (latest && latest.revisionId === record.revisionId) return latest;
    if (record.versions.length >= REGISTRY_LIMITS.versionsPerStateMachine) {
      throw new StepwiseError('ValidationException', `A state machine has at most ${REGISTRY_LIMITS.versionsPerStateMachine} versions; delete some first.`);
    }
    const version: StateMachineVersion = {
      ...pickConfig(record), stateMachineVersionArn: `${record.stateMachineArn}:${record.nextVersion}`, version: record.nextVersion,
      revisionId: record.revisionId, ...(record.revised ? { revised: true } : {}),
      ...(record.revisionDate !== undefined ? { revisionDate: record.revisionDate } : {}), creationDate: this.now(), ...(description !== undefined ? { description } : {}),
    };
    record.nextVersion += 1;
    record.versions.push(version);
    return version;
  }

  private versionOf(record: StateMachineRecord, version: number): StateMachineVersion | undefined {
    return record.versions.find((v) => v.version === version);
  }

  private requireVersions(base: string, routing: RoutingEntry[]): StateMachineRecord {
    const record = this.machines.get(base);
    // API:CreateStateMachineAlias and API:UpdateStateMachineAlias answer StateMachineDeleting.
    if (record?.deleting) throw deletingError(base);
    for (const r of routing) {
      const parsed = parseStateMachineArn(r.stateMachineVersionArn);
      if (parsed.base !== base) throw new StepwiseError('ValidationException', 'Every version in routingConfiguration must belong to the same state machine.');
      if (!record || !parsed.qualifier || !('version' in parsed.qualifier) || !this.versionOf(record, parsed.qualifier.version)) {
        throw new StepwiseError('ResourceNotFound', `Resource not found: '${r.stateMachineVersionArn}'`);
      }
    }
    return record!;
  }

  private async aliasOf(aliasArn: string): Promise<{ record: StateMachineRecord; alias: StateMachineAlias }> {
    const parsed = parseStateMachineArn(aliasArn);
    if (!parsed.qualifier || !('alias' in parsed.qualifier)) throw new StepwiseError('ValidationException', `Not a state machine alias ARN: '${aliasArn}'.`);
    // Not current(): updateAlias calls this inside a change, which finishDeletions would wait for.
    await this.load();
    const record = this.machines.get(parsed.base);
    const alias = record?.aliases.find((a) => a.stateMachineAliasArn === aliasArn);
    if (!record || !alias) throw new StepwiseError('ResourceNotFound', `Resource not found: '${aliasArn}'`);
    return { record, alias };
  }
}

/** API:StartExecution, API:UpdateStateMachine and others: "The specified state machine is being deleted.", in the words AWS answered StartExecution with (recorded 2026-09). */
export function deletingError(arn: string): StepwiseError {
  return new StepwiseError('StateMachineDeleting', `State Machine is being deleted: '${arn}'`);
}

function doesNotExist(arn: string): StepwiseError {
  return new StepwiseError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
}

/** A version ARN of a state machine that exists, naming no version (deleted, or never published): recorded against AWS (2026-09). */
export function versionDoesNotExist(arn: string): StepwiseError {
  return new StepwiseError('StateMachineDoesNotExist', `State Machine Version Does Not Exist: '${arn}'`);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function viewOf(r: StateMachineRecord): StateMachineView {
  return {
    ...pickConfig(r), stateMachineArn: r.stateMachineArn, name: r.name, status: r.deleting ? 'DELETING' : 'ACTIVE', creationDate: r.creationDate,
    ...(r.revised ? { revisionId: r.revisionId } : {}),
    ...(r.description !== undefined ? { description: r.description } : {}),
  };
}

function pickConfig(c: StateMachineConfig): StateMachineConfig {
  return structuredClone({
    definition: c.definition, roleArn: c.roleArn, type: c.type, loggingConfiguration: c.loggingConfiguration, tracingConfiguration: c.tracingConfiguration,
    encryptionConfiguration: c.encryptionConfiguration ?? AWS_OWNED_KEY,
  });
}

function sameConfig(a: StateMachineConfig, b: StateMachineConfig): boolean {
  return JSON.stringify(pickConfig(a)) === JSON.stringify(pickConfig(b));
}

/** The checks AWS applies to a definition, role and settings, with AWS's error names. */
function checkConfig(c: {
  definition: unknown; roleArn: unknown; type: unknown; loggingConfiguration?: LoggingConfiguration; tracingConfiguration?: TracingConfiguration; encryptionConfiguration: EncryptionConfiguration;
}): StateMachineConfig {
  if (c.type !== 'STANDARD' && c.type !== 'EXPRESS') {
    throw new StepwiseError('ValidationException', `1 validation error detected: Value '${String(c.type)}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]`);
  }
  if (typeof c.roleArn !== 'string' || !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(c.roleArn)) {
    // AWS's words (quoted from AWS in aws/amazon-sagemaker-examples#2430 and #2432).
    throw new StepwiseError('InvalidArn', `Invalid Role Arn: '${String(c.roleArn)}'`);
  }
  checkDefinitionText(c.definition, c.type);
  const level = c.loggingConfiguration?.level;
  if (level !== undefined && !['ALL', 'ERROR', 'FATAL', 'OFF'].includes(level)) {
    throw new StepwiseError('ValidationException', `1 validation error detected: Value '${String(level)}' at 'loggingConfiguration.level' failed to satisfy constraint: Member must satisfy enum value set: [ALL, ERROR, FATAL, OFF]`);
  }
  checkLogDestinations(level ?? 'OFF', c.loggingConfiguration?.destinations);
  return {
    definition: c.definition as string, roleArn: c.roleArn, type: c.type,
    loggingConfiguration: { level: level ?? 'OFF', includeExecutionData: c.loggingConfiguration?.includeExecutionData ?? false, ...(c.loggingConfiguration?.destinations ? { destinations: c.loggingConfiguration.destinations } : {}) },
    tracingConfiguration: { enabled: c.tracingConfiguration?.enabled ?? false },
    encryptionConfiguration: c.encryptionConfiguration,
  };
}

/**
 * API:LoggingConfiguration: `destinations` is "Limited to size 1. Required, if your log level is
 * not set to OFF." AWS refuses both with this message (as recorded by LocalStack's AWS-validated
 * test_sfn_api_logs); an OFF level with none, or an empty list, is kept as given.
 */
function checkLogDestinations(level: string, destinations: unknown[] | undefined): void {
  const count = destinations?.length ?? 0;
  if (count > 1 || (level !== 'OFF' && count === 0)) {
    throw new StepwiseError('InvalidLoggingConfiguration', 'Invalid Logging Configuration: Must specify exactly one Log Destination.');
  }
  // A log group's ARN names all its streams, `…:log-group:NAME:*`: AWS refuses one without the
  // qualifier in these words (quoted from AWS in hashicorp/terraform-provider-aws#17682 and #17683).
  for (const destination of destinations ?? []) {
    const arn = (destination as { cloudWatchLogsLogGroup?: { logGroupArn?: unknown } } | null)?.cloudWatchLogsLogGroup?.logGroupArn;
    if (typeof arn === 'string' && !arn.endsWith(':*')) {
      throw new StepwiseError('InvalidLoggingConfiguration', "Invalid Logging Configuration: Log Group ARN must be provided with '*' qualifier.");
    }
  }
}

/** InvalidDefinition with AWS's message shape: `Invalid State Machine Definition: 'CODE: message at /path, ...'`. */
export function checkDefinitionText(definition: unknown, type: 'STANDARD' | 'EXPRESS' = 'STANDARD'): void {
  if (typeof definition !== 'string') throw new StepwiseError('MissingRequiredParameter', 'The definition must be a non-empty JSON string.');
  // API:CreateStateMachine and API:UpdateStateMachine: "Length Constraints: Minimum length of 1", a constraint of the request's shape.
  if (definition.length === 0) {
    throw new StepwiseError('ValidationException', "1 validation error detected: Value at 'definition' failed to satisfy constraint: Member must have length greater than or equal to 1");
  }
  if (Buffer.byteLength(definition, 'utf8') > REGISTRY_LIMITS.definitionBytes) {
    throw new StepwiseError('ValidationException', `1 validation error detected: Value at 'definition' failed to satisfy constraint: Member must have length less than or equal to ${REGISTRY_LIMITS.definitionBytes}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(definition);
  } catch (e) {
    throw new StepwiseError('InvalidDefinition', `Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: ${(e as Error).message}'`);
  }
  const problems = validateDefinition(parsed, type).filter((d) => d.severity === 'ERROR');
  if (problems.length > 0) {
    throw new StepwiseError('InvalidDefinition', invalidDefinitionMessage(problems, parsed), problems);
  }
}

function checkTags(tags: unknown): Tag[] {
  if (!Array.isArray(tags)) throw new StepwiseError('ValidationException', 'tags must be a list of { key, value }.');
  if (tags.length > REGISTRY_LIMITS.tagsPerResource) throw new StepwiseError('TooManyTags', `Too many tags: at most ${REGISTRY_LIMITS.tagsPerResource} per resource.`);
  return tags.map((t: unknown, i) => {
    const tag = t as Partial<Tag>;
    if (typeof tag?.key !== 'string' || tag.key.length < 1 || tag.key.length > 128) throw new StepwiseError('ValidationException', `tags[${i}].key must be a string of 1 to 128 characters.`);
    if (tag.value !== undefined && (typeof tag.value !== 'string' || tag.value.length > 256)) throw new StepwiseError('ValidationException', `tags[${i}].value must be a string of at most 256 characters.`);
    return { key: tag.key, value: tag.value ?? '' };
  });
}

/**
 * A CreateStateMachine that repeats an existing one's configuration. Recorded against AWS
 * (2026-09): once the state machine has a published version, the repeat must ask to publish
 * too, with the description of its first version (the lowest still kept), and is answered with
 * that version; otherwise StateMachineAlreadyExists, whose message says which. Before any
 * version is published, a repeat without publish answers the state machine.
 */
/**
 * The revision an execution runs, as DescribeStateMachineForExecution shows it: recorded against
 * AWS (2026-09), an execution of the revision the creation made shows the creation's date and no
 * revisionId, before and after an update.
 */
function revisionOf(r: StateMachineConfig & { revised?: boolean; revisionId: string; revisionDate?: number }, record: StateMachineRecord): StateMachineRevision {
  const { loggingConfiguration, tracingConfiguration, encryptionConfiguration } = pickConfig(r);
  const configuration = { loggingConfiguration, tracingConfiguration, encryptionConfiguration };
  if (!r.revised) return { updateDate: record.creationDate, ...configuration };
  return { updateDate: r.revisionDate ?? record.updateDate ?? record.creationDate, revisionId: r.revisionId, ...configuration };
}

function repeatedCreate(existing: StateMachineRecord, input: CreateStateMachineInput): { stateMachineArn: string; creationDate: number; stateMachineVersionArn?: string } {
  const answer = { stateMachineArn: existing.stateMachineArn, creationDate: existing.creationDate };
  const first = existing.versions[0];
  if (!first) return answer;
  if (!input.publish) throw new StepwiseError('StateMachineAlreadyExists', 'State Machine Already Exists: This state machine was already created with a published version.');
  if (input.versionDescription !== first.description) {
    throw new StepwiseError('StateMachineAlreadyExists', 'State Machine Already Exists: This state machine was already created with a published version using a different description.');
  }
  return { ...answer, stateMachineVersionArn: first.stateMachineVersionArn };
}

function checkVersionDescription(input: { publish?: boolean; versionDescription?: string }): void {
  if (input.versionDescription !== undefined && input.publish !== true) throw new StepwiseError('ValidationException', 'Version description can only be set when publish is true');
}

/** The `reason` AWS gives its routing ValidationExceptions (recorded 2026-09). */
const ROUTING_REASON = { reason: 'INVALID_ROUTING_CONFIGURATION' };

function checkRouting(routing: unknown): RoutingEntry[] {
  if (!Array.isArray(routing) || routing.length < 1) throw new StepwiseError('ValidationException', 'routingConfiguration must list one or two versions.');
  if (routing.length > 2) {
    const items = routing.map((r: Partial<RoutingEntry>) => `RoutingConfigurationListItem(stateMachineVersionArn=${r?.stateMachineVersionArn}, weight=${r?.weight})`).join(', ');
    throw new StepwiseError('ValidationException', `1 validation error detected: Value '[${items}]' at 'routingConfiguration' failed to satisfy constraint: Member must have length less than or equal to 2`);
  }
  const entries = routing.map((r: unknown, i) => {
    const e = r as Partial<RoutingEntry>;
    if (typeof e?.stateMachineVersionArn !== 'string') throw new StepwiseError('ValidationException', `routingConfiguration[${i}].stateMachineVersionArn is required.`);
    if (typeof e.weight === 'number' && e.weight > 100) throw new StepwiseError('ValidationException', `1 validation error detected: Value '${e.weight}' at 'routingConfiguration.${i + 1}.member.weight' failed to satisfy constraint: Member must have value less than or equal to 100`);
    if (typeof e.weight !== 'number' || !Number.isInteger(e.weight) || e.weight < 0) throw new StepwiseError('ValidationException', `routingConfiguration[${i}].weight must be an integer from 0 to 100.`);
    return { stateMachineVersionArn: e.stateMachineVersionArn, weight: e.weight };
  });
  const received = (values: readonly unknown[]) => `Received: [${values.join(', ')}]`;
  const arns = entries.map((e) => e.stateMachineVersionArn);
  if (arns.some((arn) => { const q = parseStateMachineArn(arn).qualifier; return !q || !('version' in q); })) {
    throw new StepwiseError('ValidationException', `Routing configuration must contain state machine version ARNs. ${received(arns)}`, ROUTING_REASON);
  }
  if (entries.length === 2 && arns[0] === arns[1]) throw new StepwiseError('ValidationException', `Routing configuration must contain distinct state machine version ARNs. ${received(arns)}`, ROUTING_REASON);
  // Recorded against AWS (2026-09), versions of two state machines with weights 50 and 50.
  if (new Set(arns.map((arn) => parseStateMachineArn(arn).base)).size > 1) {
    throw new StepwiseError('ValidationException', `Routing configuration must contain state machine version ARNs for the same state machine. ${received(arns)}`, ROUTING_REASON);
  }
  if (entries.reduce((s, e) => s + e.weight, 0) !== 100) throw new StepwiseError('ValidationException', `Sum of routing configuration weights must equal 100. ${received(entries.map((e) => e.weight))}`, ROUTING_REASON);
  return entries;
}
