import { newExecutionName } from './execution-name.js';
import { nanoid } from 'nanoid';
import type { StateMachineDefinition } from '../asl/definition.js';
import { MAX_JSON_DEPTH, nestsDeeperThan, type JsonValue } from '../asl/json-value.js';
import { messageWithDetail, validateDefinition, type Diagnostic } from '../asl/validate-definition.js';
import { compileScope } from '../compile/compile-scope.js';
import { exceedsPayloadLimit, JsonTooDeepError, type CompiledScope } from '../compile/scope-runtime.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import { StatesErrors } from '../errors/error-names.js';
import { noOpenTaskError } from '../execution/task-token.js';
import { RealClock, VirtualClock, type Clock } from '../execution/clock.js';
import { AWS_LIMITS, replayLimits, type ExecutionLimits, type MapRunSettings, type MapRunUpdate } from '../execution/execution-services.js';
import { describeMapRun, describeMapRunsOf, listMapRuns, mapRunAttemptEnds, type MapRunDescription } from './map-runs.js';
import { childIdentity } from '../compile/states/result-writer.js';
import { ExecutionJournal, type ChildExecutionRun, type ExecutionIdentity, type JournalEnvironment, type ExecutionResult, type MapChildHost, type ReplayReport } from '../execution/execution-journal.js';
import { eventDetailsOf, isExecutionEnd, type HistoryEvent } from '../execution/history-event.js';
import { isDeletionFailure } from '../execution/state-machine-deletion.js';
import type { ReplayComparison } from '../execution/replay-matching.js';
import type { MockConfig, MockTestCase } from '../resources/mock-config.js';
import { checkMockedStates } from '../resources/mock-config.js';
import { TaskHandlerRegistry, type HandlerMatcher, type TaskHandler } from '../resources/task-handlers.js';
import { rememberedStreamOf, rememberedUpTo } from '../store/remembered-stream.js';
import { isWrongExpectedRevisionError, type EventStore, type ExecutionMetadata, type StoredStreamEvent } from '../store/event-store.js';
import type { Observable } from 'rxjs';
import { filter } from '../observe/rx.js';
import { isInternalStream } from '../store/internal-streams.js';
import { ExecutionOwnership, type OwnershipOptions } from './execution-ownership.js';
import { ExecutionHandle } from './execution-handle.js';
import { MemoryEventStore, createMemoryEventStore } from '../store/memory-store.js';
import { FileEventStore } from '../store/file-store.js';
import { StateMachineRegistry } from '../registry/state-machine-registry.js';
import type { StateMachineRevision } from '../registry/registry-types.js';
import { checkLocalStateMachineName, checkName, statesArn, type ArnPlace } from '../registry/names.js';
import { jsonFileRegistryPersistence, memoryRegistryPersistence, REGISTRY_FILE, type RegistryPersistence } from '../registry/registry-persistence.js';
import { dirname, join } from 'node:path';
import { Activities } from '../activities/activities.js';
import { chainServiceCallers, type ServiceCaller } from '../resources/service-caller.js';
import { resultFromHistory, startExecutionService, type ChildExecution } from './start-execution-service.js';
import { StoredDefinitions } from './stored-definitions.js';
import { definitionIdOf } from '../store/definition-stream.js';

export interface RuntimeOptions {
  /** Where executions' events go. Default: in memory. */
  store?: EventStore;
  /** `'virtual'` finishes Waits, retry intervals and timeouts at once. Default: the real clock. */
  clock?: 'real' | 'virtual' | Clock;
  /** Mock responses for Task states without a handler (Step Functions Local format). */
  mockConfig?: MockConfig;
  /** AWS's limits by default; raise them for local work that exceeds them (e.g. a 10,000-item inline Map). */
  limits?: Partial<ExecutionLimits>;
  region?: string;
  accountId?: string;
  /**
   * For several runtimes sharing one store: each execution is driven by the one runtime
   * holding its lease. Without it, a runtime assumes it is the store's only driver.
   */
  ownership?: OwnershipOptions;
  /**
   * Where `runtime.stateMachines` is kept. Default: `state-machines.json` beside a file
   * store's log, in memory otherwise.
   */
  registry?: RegistryPersistence;
  /**
   * Answers Tasks that no handler or mock answers: calls to other services (e.g.
   * `createAwsServiceCaller()` from `adapters/aws-services`). Without it nothing reaches the
   * network. `states:startExecution` is always answered by a child execution in this runtime.
   */
  services?: ServiceCaller;
}

export interface StartExecutionOptions {
  definition: StateMachineDefinition | string;
  input?: JsonValue;
  /** State machine name (also selects the mock config's state machine). Default `StateMachine`. */
  stateMachineName?: string;
  /** Execution name. Default: a random UUID, as AWS names an execution started without one. */
  name?: string;
  /** Mock config test case to answer Task states with. */
  testCase?: string;
  /** Kept with the execution when it was started through a version or an alias (DescribeExecution shows them). */
  stateMachineVersionArn?: string;
  stateMachineAliasArn?: string;
  /** The state machine revision it runs (DescribeStateMachineForExecution shows its updateDate and revisionId). */
  stateMachineRevision?: StateMachineRevision;
  /** The IAM role the execution runs as (its ExecutionStarted event and `$$.Execution.RoleArn` show it). Default: the runtime's StepwiseExecutionRole. */
  roleArn?: string;
  /** The state machine's type: an EXPRESS execution times out after five minutes (limits.expressSeconds). Default STANDARD. */
  type?: 'STANDARD' | 'EXPRESS';
  /** Its X-Ray trace header (see trace-header.ts), kept for DescribeExecution. */
  traceHeader?: string;
}

/** A compiled definition, reused across executions of the same text. */
export interface PreparedStateMachine {
  definition: StateMachineDefinition;
  compiled: CompiledScope;
  /** The SHA-256 of its JSON text: executions' metadata name their stored definition by it. */
  definitionId: string;
  /** The text it was given as, when it was given as text: stored with it, to be shown as it was. */
  text?: string;
}

/**
 * The composition root: one runtime drives many executions on one store.
 *
 * @example
 * const runtime = createRuntime({ clock: 'virtual' });
 * runtime.handle('arn:aws:lambda:*:*:function:greet', async ({ input }) => ({ hello: input }));
 * const result = await runtime.run({ definition, input: { name: 'Ada' } });
 */
export class Runtime {
  readonly store: EventStore;
  readonly clock: Clock;
  readonly handlers = new TaskHandlerRegistry();
  /** State machines by ARN, with versions, aliases and tags (what the Step Functions API manages). */
  readonly stateMachines: StateMachineRegistry;
  /** Activities: definitions, the task queue workers poll (GetActivityTask), an in-process worker. */
  readonly activities: Activities;
  private readonly services: ServiceCaller | undefined;
  private readonly options: RuntimeOptions;
  /** The limits its executions run under: AWS's unless lifted (RuntimeOptions.limits); the Step Functions API applies the payload limit to what it is sent. */
  readonly limits: ExecutionLimits;
  /** Shared by every journal of this runtime (made on first use, once the runtime is built). */
  private journalEnvironment: JournalEnvironment | undefined;
  private readonly prepared = new Map<string, PreparedStateMachine>();
  private readonly preparedByObject = new WeakMap<object, PreparedStateMachine>();
  private readonly executions = new Map<string, ExecutionJournal>();
  /** The execution holding each open task whose token went outside: see JournalEnvironment.tokenOwners. */
  private readonly tokenOwners = new Map<string, ExecutionJournal>();
  private readonly definitions: StoredDefinitions;
  private readonly pendingWrites = new Set<Promise<unknown>>();
  /** The ARNs shared by a state machine's executions, built once per name. */
  private readonly arnsByStateMachine = new Map<string, StateMachineArns>();
  /** The region and account of every ARN this runtime makes. */
  private readonly place: ArnPlace;
  /** Executions whose first metadata write is under way (see `listed`). */
  private readonly listing = new Map<string, Promise<void>>();
  /**
   * Executions that have ended and whose final metadata write is under way (see `listed`): it
   * is not awaited before `done` settles, so that a durable store's next sync can carry it.
   */
  private readonly closing = new Map<string, Promise<void>>();
  /** Executions this runtime drove to their end: only their ARNs are kept, their events are in the store. */
  private readonly ended = new Set<string>();
  /** Set with `ownership`: the leases of the executions this runtime drives. */
  readonly ownership: ExecutionOwnership | undefined;
  /** Forks run by this runtime and where they were copied from: their Map Runs' children before that point are the origin's. */
  private readonly forkOrigins = new Map<string, ForkOrigin>();
  /** By fork and Map Run: the index of each of its children, by name (see indexOfChild). */
  private readonly childIndexes = new Map<string, Map<string, number>>();
  /** By parent journal: its MapRunRedriven events counted so far (its events only grow). */
  private readonly redrivesSeen = new WeakMap<ExecutionJournal, RedrivesSeen>();
  /** Executions whose redrive is finding where it picks up (see redriveStored). */
  private readonly redriving = new Set<string>();
  private scanTimer: NodeJS.Timeout | undefined;
  private scanning: Promise<ExecutionJournal[]> | undefined;
  private closed = false;

  constructor(options: RuntimeOptions = {}) {
    this.options = options;
    this.store = options.store ?? new MemoryEventStore();
    this.clock = options.clock === 'virtual' ? new VirtualClock() : options.clock === 'real' || !options.clock ? new RealClock() : options.clock;
    this.definitions = new StoredDefinitions(this.store, () => this.clock.now());
    this.limits = { ...AWS_LIMITS, ...options.limits };
    this.place = { region: options.region ?? 'us-east-1', accountId: options.accountId ?? '123456789012' };
    const registry = options.registry ?? (this.store instanceof FileEventStore ? jsonFileRegistryPersistence(join(dirname(this.store.file), REGISTRY_FILE)) : memoryRegistryPersistence());
    // DeleteStateMachine waits for a state machine's RUNNING executions (API:DeleteStateMachine),
    // which end when the state each waits in ends (JournalEnvironment.stateMachineDeleting).
    const hasRunningExecutions = async (stateMachineArn: string) => (await this.store.list({ stateMachineArn, status: 'RUNNING', maxResults: 1 })).items.length > 0;
    this.stateMachines = new StateMachineRegistry(registry, this.place, () => this.clock.now(), hasRunningExecutions);
    const clock = this.clock;
    this.activities = new Activities({
      store: this.store, region: this.place.region, accountId: this.place.accountId, now: () => this.clock.now(), completion: this,
      holdClock: clock instanceof VirtualClock ? () => clock.hold() : undefined,
    });
    const children = startExecutionService({
      resolveStateMachine: (arn) => this.stateMachines.resolve(arn),
      startChild: (o) => this.startChild(o),
    });
    this.services = chainServiceCallers(children, options.services);
    if (options.ownership) {
      this.ownership = new ExecutionOwnership(this.store, options.ownership, (arn, why) => this.executions.get(arn)?.abandon(why));
      this.ownership.startRenewing();
    }
  }

  /**
   * How this runtime's Tasks reach other services when no handler or mock answers them (the
   * configured `services`, and `states:startExecution` children): TestState calls them too.
   */
  get serviceCaller(): ServiceCaller | undefined {
    return this.services;
  }

  /** This runtime's name in the leases it holds (with `ownership`). */
  get runtimeId(): string | undefined {
    return this.ownership?.runtimeId;
  }

  /** Registers a task handler by resource ARN (exact or `*` pattern or RegExp) or `{ state: name }`. */
  handle(matcher: HandlerMatcher, handler: TaskHandler): this {
    this.handlers.register(matcher, handler);
    return this;
  }

  /** Validates and compiles a definition (cached by its JSON text). */
  prepare(definition: StateMachineDefinition | string): PreparedStateMachine {
    // The same definition object is usually passed again and again: skip re-serialising it.
    if (typeof definition === 'object') {
      const known = this.preparedByObject.get(definition);
      if (known) return known;
    }
    const prepared = this.prepareText(definition);
    if (typeof definition === 'object') this.preparedByObject.set(definition, prepared);
    return prepared;
  }

  private prepareText(definition: StateMachineDefinition | string): PreparedStateMachine {
    // JSON.stringify recurses: an object nested too deep for it is refused first, as the validator refuses it.
    if (typeof definition === 'object' && nestsDeeperThan(definition, MAX_JSON_DEPTH)) refuseDefinition(validateDefinition(definition));
    const text = typeof definition === 'string' ? definition : JSON.stringify(definition);
    let prepared = this.prepared.get(text);
    if (prepared) return prepared;
    let parsed: unknown;
    try {
      parsed = typeof definition === 'string' ? JSON.parse(definition) : definition;
    } catch (e) {
      throw new StepwiseError('InvalidDefinition', `The definition is not valid JSON: ${(e as Error).message}`);
    }
    refuseDefinition(validateDefinition(parsed));
    const def = parsed as StateMachineDefinition;
    prepared = { definition: def, compiled: compileScope(def), definitionId: definitionIdOf(text) };
    if (typeof definition === 'string') prepared.text = text;
    this.prepared.set(text, prepared);
    return prepared;
  }

  /** Starts an execution and returns it at once; `await execution.done` for the result. */
  startExecution(options: StartExecutionOptions): ExecutionJournal {
    return this.startChecked(options, false);
  }

  private startChecked(options: StartExecutionOptions, eager: boolean): ExecutionJournal {
    // As StartExecution checks them (InvalidName): each ends an ARN, which a ':' or '/' would break.
    if (options.name !== undefined) checkName(options.name, 'execution');
    if (options.stateMachineName !== undefined) checkLocalStateMachineName(options.stateMachineName);
    return this.startExecutionAs(options, undefined, eager);
  }

  /**
   * startExecution, for a Distributed Map's child execution as well (`child`: its Map Run and
   * whose mocks it answers from). `eager`: the caller keeps the journal to itself (run()), so
   * nobody can subscribe to it before its first events: on a store that appends synchronously
   * they are appended and acted on before this returns (its first Task called, an execution of
   * Pass states run to its end), once its listing is under way, instead of a microtask later.
   */
  private startExecutionAs(options: StartExecutionOptions, child: { mapRunArn: string; parentExecutionArn: string; mockStateMachine: string; mapRun: MapRunSettings; run?: ChildRun } | undefined, eager = false): ExecutionJournal {
    const prepared = this.prepare(options.definition);
    const { definition, compiled } = prepared;
    const smName = options.stateMachineName ?? 'StateMachine';
    // Without a name, AWS names an execution with a UUID (API:StartExecution).
    const identity = this.identity(smName, options.name ?? newExecutionName(), options.roleArn);
    if (options.type === 'EXPRESS') identity.express = true;
    const arn = identity.executionArn;
    // A generated name (a UUID: 122 random bits) is new: only a name the caller chose is looked up.
    if (options.name !== undefined && (this.executions.has(arn) || this.ended.has(arn) || this.store.holdsSync?.(arn))) {
      throw new StepwiseError('ExecutionAlreadyExists', `Execution already exists: '${arn}'`);
    }
    // Refused before anything is recorded, as AWS's StartExecution refuses it (its `input`
    // is at most 262,144 bytes); `limits.payloadBytes: Infinity` lifts this with the rest.
    // No input is `{}`, as StartExecution without one; a JSON `null` input stays null.
    const input = options.input === undefined ? {} : options.input;
    if (inputExceedsPayloadLimit(input, this.limits.payloadBytes)) throw inputTooLarge(this.limits.payloadBytes);
    // A test case naming a state the definition lacks is refused before anything is recorded.
    if (options.testCase !== undefined && !child && this.options.mockConfig) checkMockedStates(this.options.mockConfig.testCase(smName, options.testCase), definition);
    const journal = this.journal(identity, compiled, input, options.testCase, child?.mockStateMachine);
    // No testCase member without a test case: a parked execution keeps its listing's extra.
    const extra: StoredExtra = { definitionId: prepared.definitionId, input, stateMachineName: smName };
    if (options.testCase !== undefined) extra.testCase = options.testCase;
    if (child) {
      extra.mapRunArn = child.mapRunArn;
      extra.parentExecutionArn = child.parentExecutionArn;
      extra.mapRun = child.mapRun;
      if (child.run && (child.run.mapRunAttempt !== 0 || child.run.asked !== 0)) extra.childRuns = [child.run];
      if (child.mockStateMachine !== smName) extra.mockStateMachine = child.mockStateMachine;
    }
    if (options.stateMachineVersionArn) extra.stateMachineVersionArn = options.stateMachineVersionArn;
    if (options.stateMachineAliasArn) extra.stateMachineAliasArn = options.stateMachineAliasArn;
    if (options.stateMachineRevision) extra.revision = options.stateMachineRevision;
    if (options.roleArn) extra.roleArn = options.roleArn;
    if (options.type === 'EXPRESS') extra.type = 'EXPRESS';
    if (options.traceHeader !== undefined) extra.traceHeader = options.traceHeader;
    // The definition is asked for before the metadata that names it: a store that keeps one
    // turn's writes together or in order needs no more; any other makes the metadata wait.
    const saving = this.definitions.save(prepared.definitionId, definition, prepared.text);
    const inOrder = saving === undefined || this.store.turnWritesInOrder === true;
    // Listed only once its lease is stored, so that no other runtime takes it for an orphan.
    const claimed = this.ownership?.claimNew(identity.executionArn);
    const after = inOrder ? claimed : claimed ? Promise.all([claimed, saving]) : saving;
    // Not with leases: the first append waits for the lease's claim.
    const held = journal.start(eager && !this.ownership);
    this.track(journal, extra, after, inOrder ? saving : undefined);
    if (held) journal.releaseHeldFlush();
    return journal;
  }

  /**
   * Starts the runtime on its store: every execution left RUNNING by a process that died is
   * rebuilt from its events and driven to its end (Waits keep their deadlines, finished tasks
   * are not called again, a task that was in flight is called again). Returns those executions.
   *
   * With `ownership`, only executions whose lease ran out (or was never taken) are claimed and
   * resumed, and the runtime keeps looking for such executions every `scanMs` until closed:
   * when another runtime dies, this one takes its executions over.
   */
  async start(): Promise<ExecutionJournal[]> {
    const resumed = await this.resumeOrphans();
    if (this.ownership && !this.scanTimer && !this.closed) {
      this.scanTimer = setInterval(() => void this.resumeOrphans().catch(() => undefined), this.ownership.scanMs);
      this.scanTimer.unref();
    }
    return resumed;
  }

  /** One pass over the RUNNING executions that no runtime drives; a pass at a time. */
  private resumeOrphans(): Promise<ExecutionJournal[]> {
    this.scanning ??= (async () => {
      // A state machine being deleted (here before a crash, or by another process) ends the executions resumed.
      await this.stateMachines.refresh();
      const resumed: ExecutionJournal[] = [];
      let nextToken: string | undefined;
      do {
        const page = await this.store.list({ status: 'RUNNING', maxResults: 1000, nextToken });
        for (const item of page.items) {
          if (this.closed) return resumed;
          if (this.executions.has(item.executionArn)) continue;
          if (this.ownership) {
            if (!(await this.ownership.claimOrphan(item.executionArn))) continue;
            // It may have ended between the listing and the claim: the lease was released then.
            if ((await this.store.getMetadata(item.executionArn))?.status !== 'RUNNING') {
              await this.ownership.release(item.executionArn);
              continue;
            }
          }
          resumed.push(await this.resumeClaimed(item.executionArn));
        }
        nextToken = page.nextToken;
      } while (nextToken);
      return resumed;
    })().finally(() => (this.scanning = undefined));
    return this.scanning;
  }

  /** Rebuilds one stored execution from its events and carries it on. */
  async resumeExecution(executionArn: string): Promise<ExecutionJournal> {
    if (this.ownership && !this.ownership.holds(executionArn) && !(await this.ownership.claim(executionArn))) {
      throw new StepwiseError('ExecutionLeaseLost', `Execution '${executionArn}' is driven by another runtime (it holds its lease).`);
    }
    await this.stateMachines.refresh();
    return this.resumeClaimed(executionArn);
  }

  private async resumeClaimed(executionArn: string): Promise<ExecutionJournal> {
    let stored;
    let events;
    try {
      stored = await this.loadStored(executionArn);
      events = await this.store.read(executionArn);
      // Its next activity Tasks are checked against the activities before they are scheduled.
      await this.activities.whenLoaded();
    } catch (err) {
      await this.ownership?.release(executionArn);
      throw err;
    }
    const journal = this.storedJournal(stored);
    // Listed but with no event stored: the process died before its start reached the store. Start it now.
    void (events.length === 0 ? journal.start() : journal.resume(events));
    // Not listed again: its listing says RUNNING since its start, with its start date; only its
    // end is written (by `settled`). Listing it anew cost a write and a sync per execution, and
    // gave it the time of the resume as its start date until it ended.
    return journal;
  }

  /**
   * Starts a new execution that continues from event `fromEventId` of another one: its first
   * events are copies of the original's up to that point, then it runs on (with `definition`
   * if given). The original is never changed; the fork's metadata names its origin. With
   * `input`, the first state entered after that event gets it as its input instead.
   */
  async fork(executionArn: string, options: { fromEventId: number; definition?: StateMachineDefinition | string; name?: string; input?: JsonValue }): Promise<ExecutionJournal> {
    // An execution this runtime started a moment ago may not be listed yet (its listing is written after its events).
    await this.listedQuietly(executionArn);
    const origin = await this.loadStored(executionArn);
    const events = (await this.store.read(executionArn)).filter((e) => e.id <= options.fromEventId);
    if (events.length === 0 || events.at(-1)!.id !== options.fromEventId) {
      throw new StepwiseError('InvalidArgument', `Execution '${executionArn}' has no event ${options.fromEventId}.`);
    }
    const prepared = options.definition !== undefined ? this.prepare(options.definition) : origin.prepared;
    if (options.name !== undefined) checkName(options.name, 'execution');
    // An edited input is refused as StartExecution refuses an input over AWS's limit.
    if (options.input !== undefined && inputExceedsPayloadLimit(options.input, this.limits.payloadBytes)) throw inputTooLarge(this.limits.payloadBytes);
    const identity = this.identity(origin.identity.stateMachineName, options.name ?? `${origin.identity.name}-fork-${nanoid(8)}`, origin.extra.roleArn);
    if (origin.identity.express) identity.express = true;
    const copies = events.map((e) => ({ ...e }));
    await this.activities.whenLoaded();
    const journal = this.journal(identity, prepared.compiled, origin.extra.input, origin.extra.testCase, origin.extra.mockStateMachine, options.fromEventId);
    await this.ownership?.claimNew(identity.executionArn);
    await this.definitions.save(prepared.definitionId, prepared.definition, prepared.text);
    await this.store.append(identity.executionArn, copies, { expectedRevision: 0 }).catch((err: unknown) => {
      // A `name` the store already holds: refused as startExecution refuses it, the stored execution untouched.
      throw isWrongExpectedRevisionError(err) ? new StepwiseError('ExecutionAlreadyExists', `Execution already exists: '${identity.executionArn}'`, err) : err;
    });
    // What the original remembered for the events the fork copies (an ItemReader's items).
    const remembered = rememberedUpTo(await this.store.read(rememberedStreamOf(executionArn)), options.fromEventId);
    if (remembered.length > 0) await this.store.append(rememberedStreamOf(identity.executionArn), remembered, { expectedRevision: 'any' });
    const { definition: _inline, ...originExtra } = origin.extra;
    const extra: StoredExtra = { ...originExtra, definitionId: prepared.definitionId, forkedFrom: { executionArn, eventId: options.fromEventId } };
    this.forkOrigins.set(identity.executionArn, extra.forkedFrom!);
    void journal.resume(copies, 'strict', options.input);
    this.track(journal, extra);
    return journal;
  }

  /**
   * Re-runs a recorded history against a definition (the execution's own, or a changed one)
   * with every task result taken from the history, and reports the first divergence.
   * Nothing is stored, and no task is called; a Distributed Map's ItemReader takes the items
   * the execution remembered (services.remembered), reading again only for events given without
   * their execution, and its ResultWriter writes nothing.
   */
  async replay(source: { executionArn: string; definition?: StateMachineDefinition | string } | { events: readonly HistoryEvent[]; definition: StateMachineDefinition | string; comparison?: ReplayComparison }): Promise<ReplayReport> {
    let events: readonly HistoryEvent[];
    let prepared: PreparedStateMachine;
    let identity: ExecutionIdentity;
    let comparison: ReplayComparison = 'strict';
    let forkedAt: number | undefined;
    let mocks: MockTestCase | undefined;
    if ('events' in source) {
      events = source.events;
      prepared = this.prepare(source.definition);
      identity = this.identity('StateMachine', 'replay');
      comparison = source.comparison ?? 'structure';
    } else {
      await this.listedQuietly(source.executionArn);
      const stored = await this.loadStored(source.executionArn);
      events = await this.store.read(source.executionArn);
      prepared = source.definition !== undefined ? this.prepare(source.definition) : stored.prepared;
      identity = stored.identity;
      forkedAt = stored.extra.forkedFrom?.eventId;
      mocks = this.storedMocks(stored);
    }
    const verify = (recorded: readonly HistoryEvent[]) => this.probe(identity, prepared, {}, forkedAt, mocks).verify(recorded, comparison);
    try {
      return await verify(events);
    } catch (err) {
      // A redriven history is replayed from where its last redrive picked up, found by replaying
      // the attempts before it, which refuses them when they diverge: the first attempt that
      // diverges is reported as any divergence is.
      if (!(err instanceof StepwiseError) || err.code !== 'InvalidArgument') throw err;
      for (let at = 1; at < events.length; at++) {
        if (events[at]!.type !== 'ExecutionRedriven') continue;
        const report = await verify(events.slice(0, at));
        if (!report.ok) return report;
      }
      throw err;
    }
  }

  /**
   * A journal on a throwaway store, to re-run a recorded history without touching it. Tasks are
   * answered from the history, an ItemReader's items from what the execution remembered in this
   * runtime's store; the handlers, mocks and service callers read them for events given without
   * their execution (see ExecutionServices.invoke).
   */
  private probe(identity: ExecutionIdentity, prepared: PreparedStateMachine, input: JsonValue, forkedAt?: number, mocks?: MockTestCase): ExecutionJournal {
    return new ExecutionJournal(
      identity,
      // A Distributed Map's children are looked up in this runtime's store (read only: a replay starts none).
      {
        store: createMemoryEventStore(), clock: this.clock, limits: replayLimits(this.limits), children: this.mapChildren,
        handlers: this.handlers, services: this.services, rememberedIn: this.store,
      },
      { compiled: prepared.compiled, input, forkedAt, mocks },
    );
  }

  /** The test case whose mocks answer a stored execution's Tasks, if it ran with one. */
  private storedMocks(stored: Awaited<ReturnType<Runtime['loadStored']>>): MockTestCase | undefined {
    const { extra } = stored;
    return extra.testCase !== undefined ? this.options.mockConfig?.testCase(extra.mockStateMachine ?? stored.identity.stateMachineName, extra.testCase) : undefined;
  }

  /**
   * RedriveExecution: a FAILED, TIMED_OUT or ABORTED execution continues from its unsuccessful
   * state in the same history (ExecutionRedriven, redriveCount + 1); successful steps, Map
   * iterations and Parallel branches are not run again.
   */
  async redrive(executionArn: string): Promise<ExecutionJournal> {
    // A fork's listing, unlike a started execution's, is not written before its run: it may still be under way.
    await this.listedQuietly(executionArn);
    const stored = await this.loadStored(executionArn);
    if (stored.extra.mapRunArn !== undefined) {
      throw new StepwiseError('ExecutionNotRedrivable', `Execution '${executionArn}' is a child of the Map Run '${stored.extra.mapRunArn}': redrive its parent '${stored.extra.parentExecutionArn}', which redrives the Map Run.`);
    }
    // API:RedriveExecution is not supported by EXPRESS state machines; only a Map Run starts its
    // Express children over (DG:redrive-map-run).
    if (stored.identity.express) {
      throw new StepwiseError('ExecutionNotRedrivable', `Execution '${executionArn}' is an Express execution: Express executions cannot be redriven (only a Distributed Map's Express children are, by a redrive of their parent).`);
    }
    const events = await this.store.read(executionArn);
    const deleted = await this.deletionBarsRedrive(stored.meta.stateMachineArn, events.at(-1));
    if (deleted) throw new StepwiseError('ExecutionNotRedrivable', `Execution '${executionArn}' cannot be redriven: ${deleted}`);
    return this.redriveStored(stored, events);
  }

  /**
   * Why DeleteStateMachine keeps an execution from being redriven, or undefined: its state
   * machine is being deleted (AWS's redriveStatusReason, API:DescribeExecution), or the deletion
   * ended it (the definition it ran is gone, or its name now belongs to a new state machine).
   */
  async deletionBarsRedrive(stateMachineArn: string, end: HistoryEvent | undefined): Promise<string | undefined> {
    if ((await this.stateMachines.resolve(stateMachineArn))?.deleting) return 'State machine is in DELETING status.';
    if (end && isDeletionFailure(end)) return eventDetailsOf(end)!.cause as string;
    return undefined;
  }

  /**
   * A redrive of a stored execution whose history is `events` (a Map Run's child too: see
   * runMapChild, which gives its runs, this one included).
   */
  private async redriveStored(stored: Awaited<ReturnType<Runtime['loadStored']>>, events: readonly HistoryEvent[], childRuns?: ChildRun[]): Promise<ExecutionJournal> {
    const executionArn = stored.identity.executionArn;
    const last = events.at(-1);
    if (!last || !['ExecutionFailed', 'ExecutionTimedOut', 'ExecutionAborted'].includes(last.type)) {
      throw new StepwiseError('ExecutionNotRedrivable', `Execution '${executionArn}' cannot be redriven: only FAILED, TIMED_OUT and ABORTED executions can (it is ${stored.meta.status}).`);
    }
    // A second RedriveExecution while the first is finding where to pick up, or already runs,
    // read the same end: both would run (and call its tasks) from the same point.
    const running = this.executions.get(executionArn);
    if (this.redriving.has(executionArn) || (running && running.result === undefined)) {
      throw new StepwiseError('ExecutionNotRedrivable', `Execution '${executionArn}' cannot be redriven: it is being redriven already (RUNNING).`);
    }
    this.redriving.add(executionArn);
    try {
      return await this.redriveFrom(stored, events, childRuns);
    } finally {
      this.redriving.delete(executionArn);
    }
  }

  private async redriveFrom(stored: Awaited<ReturnType<Runtime['loadStored']>>, events: readonly HistoryEvent[], childRuns: ChildRun[] | undefined): Promise<ExecutionJournal> {
    const executionArn = stored.identity.executionArn;
    const point = await this.probe(stored.identity, stored.prepared, stored.extra.input, stored.extra.forkedFrom?.eventId, this.storedMocks(stored)).redrivePointOf(events);
    if (this.ownership && !(await this.ownership.claim(executionArn))) {
      throw new StepwiseError('ExecutionLeaseLost', `Execution '${executionArn}' is driven by another runtime (it holds its lease).`);
    }
    // Listed before its ExecutionRedriven is appended: a resume after a crash in between redrives
    // it then, where a redrive in its history that its listing did not name would run twice.
    if (childRuns) await this.store.putMetadata({ ...stored.meta, extra: { ...stored.extra, childRuns } as unknown as JsonValue });
    await this.activities.whenLoaded();
    const journal = this.storedJournal(stored);
    void journal.redrive(events, point);
    // RUNNING again, still since its first start (AWS keeps startDate; redriveDate is apart).
    this.track(journal, undefined);
    return journal;
  }

  private identity(stateMachineName: string, name: string, roleArn?: string): ExecutionIdentity {
    let arns = this.arnsByStateMachine.get(stateMachineName);
    if (!arns) {
      arns = {
        // An execution's ARN is this prefix and its name.
        executionPrefix: statesArn(this.place, 'execution', stateMachineName, ''),
        stateMachineArn: statesArn(this.place, 'stateMachine', stateMachineName),
        stateMachineName,
        region: this.place.region,
        roleArn: `arn:aws:iam::${this.place.accountId}:role/StepwiseExecutionRole`,
      };
      if (this.arnsByStateMachine.size >= 1_000) this.arnsByStateMachine.clear();
      this.arnsByStateMachine.set(stateMachineName, arns);
    }
    // One flat string, with the name a slice of it: a parked execution keeps both, and `+`
    // (like the generated name itself) leaves a chain of string pieces behind.
    const executionArn = [arns.executionPrefix, name].join('');
    const ownName = executionArn.slice(arns.executionPrefix.length);
    if (roleArn === undefined || roleArn === arns.roleArn) return new SharedIdentity(executionArn, ownName, arns);
    return { executionArn, stateMachineArn: arns.stateMachineArn, stateMachineName, name: ownName, region: arns.region, roleArn };
  }

  /** A journal to run a stored execution on from its history (resume, redrive). */
  private storedJournal(stored: Awaited<ReturnType<Runtime['loadStored']>>): ExecutionJournal {
    const { extra } = stored;
    return this.journal(stored.identity, stored.prepared.compiled, extra.input, extra.testCase, extra.mockStateMachine, extra.forkedFrom?.eventId);
  }

  /** `mockStateMachine`: whose test case answers its Tasks, when not its own (a Distributed Map's child: its parent's). */
  private journal(identity: ExecutionIdentity, compiled: CompiledScope, input: JsonValue, testCase: string | undefined, mockStateMachine?: string, forkedAt?: number): ExecutionJournal {
    const mocks = testCase !== undefined ? this.options.mockConfig?.testCase(mockStateMachine ?? identity.stateMachineName, testCase) ?? throwNoMocks(testCase) : undefined;
    this.journalEnvironment ??= {
      store: this.store, clock: this.clock, handlers: this.handlers, limits: this.limits, activities: this.activities, services: this.services,
      onSettled: this.settled, children: this.mapChildren, tokenOwners: this.tokenOwners,
      stateMachineDeleting: (arn) => this.stateMachines.isDeleting(arn),
    };
    const journal = new ExecutionJournal(identity, this.journalEnvironment, {
      compiled, input, mocks, forkedAt,
      mayAppend: this.ownership ? () => this.ownership!.holds(identity.executionArn) : undefined,
    });
    this.executions.set(identity.executionArn, journal);
    return journal;
  }

  /** Keeps the execution's listing in the store in step with its life. */
  private track(journal: ExecutionJournal, extra: StoredExtra | undefined, after?: Promise<unknown>, alongside?: Promise<unknown>): void {
    const { executionArn, stateMachineArn, name } = journal.identity;
    // The time its ExecutionStarted event shows, as DescribeExecution's startDate does on AWS
    // (the clock read again here could be a millisecond later).
    const startDate = journal.startedAt;
    // `extra` in the literal, not added after: a property added later costs a property array.
    const metadata: ExecutionMetadata = extra
      ? { executionArn, stateMachineArn, name, status: 'RUNNING', startDate, extra: extra as unknown as JsonValue }
      : { executionArn, stateMachineArn, name, status: 'RUNNING', startDate };
    if (!after && !alongside && this.putMetadataAtOnce(metadata)) return;
    let stored = after ? after.then(() => this.store.putMetadata(metadata)) : this.store.putMetadata(metadata);
    // A write the listing depends on (the definition it names) fails the listing with it.
    if (alongside) stored = Promise.all([stored, alongside]).then(() => undefined);
    // close() waits for metadata writes under way, never for executions to end.
    this.pendingWrites.add(stored);
    this.listing.set(executionArn, stored);
    // A listing that failed stays in `listing`: `listed()` reports it, and the execution's
    // final listing, chained on it, is not written either.
    const storedSettled = () => {
      this.pendingWrites.delete(stored);
      if (this.listing.get(executionArn) === stored) this.listing.delete(executionArn);
    };
    stored.then(storedSettled, () => void this.pendingWrites.delete(stored));
  }

  /**
   * Every journal's `onSettled`: the execution has ended (or was given up). Its final listing is
   * written after its first one (still in `listing` while that write is under way).
   */
  private readonly settled = (journal: ExecutionJournal, r: ExecutionResult | undefined): void => {
    this.release(journal);
    if (!r) return;
    const { executionArn, stateMachineArn, name } = journal.identity;
    const metadata: ExecutionMetadata = { executionArn, stateMachineArn, name, status: r.status, startDate: r.startDate, stopDate: r.stopDate };
    const first = this.listing.get(executionArn);
    if (!first && !this.ownership && this.putMetadataAtOnce(metadata)) return;
    const write = () => this.store.putMetadata(metadata);
    const closingWrite = first ? first.then(write) : write();
    this.closing.set(executionArn, closingWrite);
    let final = closingWrite;
    if (this.ownership) final = final.finally(() => this.ownership!.release(executionArn, true));
    this.pendingWrites.add(final);
    const written = () => {
      this.pendingWrites.delete(final);
      if (this.closing.get(executionArn) === closingWrite) this.closing.delete(executionArn);
    };
    final.then(written, written);
  };

  /**
   * Lists an execution at once when the store writes without I/O: nothing is under way then,
   * so `listed` and `close` have nothing to wait for. A write it refuses is left to the
   * promise path, which keeps and reports the failure as for any store.
   */
  private putMetadataAtOnce(metadata: ExecutionMetadata): boolean {
    if (!this.store.putMetadataSync) return false;
    try {
      this.store.putMetadataSync(metadata);
      return true;
    } catch {
      return false;
    }
  }

  private release(journal: ExecutionJournal): void {
    const { executionArn } = journal.identity;
    if (this.executions.get(executionArn) === journal) this.executions.delete(executionArn);
    // Given up to another runtime, it has not ended: this one may take it back later.
    if (journal.abandonedBecause) this.ownership?.forget(executionArn);
    // A store that answers holdsSync remembers it already; only for another is a set kept here.
    else if (!this.store.holdsSync) this.ended.add(executionArn);
  }

  private async loadStored(executionArn: string) {
    const meta = await this.store.getMetadata(executionArn);
    if (!meta) throw new StepwiseError('ExecutionDoesNotExist', `Execution does not exist: '${executionArn}'`);
    const extra = (meta.extra ?? {}) as unknown as StoredExtra;
    if (extra.forkedFrom) this.forkOrigins.set(executionArn, extra.forkedFrom);
    const definition = await this.storedDefinitionOf(extra);
    if (!definition) throw new StepwiseError('InvalidArgument', `Execution '${executionArn}' was stored without its definition.`);
    const stateMachineName = extra.stateMachineName ?? meta.stateMachineArn.split(':').pop()!;
    const identity = this.identity(stateMachineName, meta.name, extra.roleArn);
    if (extra.type === 'EXPRESS') identity.express = true;
    return { meta, extra, prepared: this.prepare(definition), identity };
  }

  /** Earlier versions kept the definition in the metadata; now it is named by id. */
  private storedDefinitionOf(extra: StoredExtra): Promise<StateMachineDefinition | undefined> | StateMachineDefinition | undefined {
    return extra.definition ?? (extra.definitionId ? this.definitions.load(extra.definitionId) : undefined);
  }

  /**
   * An execution's metadata as the store keeps it, with `extra.definition` filled in from the
   * stored definition its metadata names (what the UI and the HTTP API show), and
   * `extra.definitionText`: the text that definition was submitted as, where it is known.
   */
  async executionMetadata(executionArn: string): Promise<ExecutionMetadata | undefined> {
    await this.listedQuietly(executionArn);
    const meta = await this.store.getMetadata(executionArn);
    const extra = meta?.extra as unknown as StoredExtra | undefined;
    if (!meta || !extra || extra.definition || !extra.definitionId) return meta;
    const { definitionId: id, ...rest } = extra;
    const definition = await this.definitions.load(id);
    // Stored by an earlier version without its text: the id is the hash of the text, so a text that hashes to it is the one.
    let definitionText = await this.definitions.loadText(id);
    if (definitionText === undefined) {
      const canonical = JSON.stringify(definition);
      if (definitionIdOf(canonical) === id) definitionText = canonical;
    }
    return { ...meta, extra: { ...rest, definition, ...(definitionText !== undefined ? { definitionText } : {}) } as unknown as JsonValue };
  }

  /** Where a Distributed Map's children run: executions of this runtime (see runMapChild). */
  private readonly mapChildren: MapChildHost = { runMapChild: (request, readOnly) => this.runMapChild(request, readOnly) };

  /**
   * A Distributed Map's child execution: the one already running here, or the one a run of the
   * parent before a crash started (it has ended, or this or another runtime drives it again),
   * or a new one. Its name comes from the parent, the Map Run and the item, so a resumed parent
   * always finds its children. `readOnly` (a replay that only compares) never starts one.
   */
  private runMapChild(r: Parameters<MapChildHost['runMapChild']>[0], readOnly: boolean): ChildExecutionRun {
    const { executionArn } = this.identity(r.stateMachineName, r.name, r.roleArn);
    const attempt = r.attempt ?? 0;
    // The attempt of the Map Run the parent is on (its MapRunRedriven events so far), when the
    // parent runs live here: the child's own listing then says whether it ran in this attempt.
    const parent = readOnly ? undefined : this.executions.get(r.parentExecutionArn);
    const mapRunAttempt = parent ? this.mapRunAttemptOf(parent, r.mapRunArn) : undefined;
    let journal: ExecutionJournal | undefined;
    let stopped = false;
    const start = (): Promise<ExecutionResult> => {
      try {
        journal = this.startExecutionAs(
          { definition: r.definition, input: r.input, stateMachineName: r.stateMachineName, name: r.name, roleArn: r.roleArn, testCase: r.testCase, type: r.type },
          { mapRunArn: r.mapRunArn, parentExecutionArn: r.parentExecutionArn, mockStateMachine: r.mockStateMachineName, mapRun: r.mapRun, run: { mapRunAttempt: mapRunAttempt ?? 0, asked: attempt } },
        );
      } catch (err) {
        return this.refusedChild(executionArn, err);
      }
      if (stopped) journal.stop();
      return journal.done;
    };
    // A replay of a history that has no stored children (events given without an execution):
    // each child is re-run on a throwaway store, calling nothing, as the parent is.
    const neverStarted = (): Promise<ExecutionResult> => {
      const scratch = new Runtime({ clock: 'virtual', limits: this.limits });
      let run: ExecutionJournal;
      try {
        run = scratch.startExecutionAs({ definition: r.definition, input: r.input, stateMachineName: r.stateMachineName, name: r.name, roleArn: r.roleArn, type: r.type }, undefined);
      } catch (err) {
        void scratch.close();
        return this.refusedChild(executionArn, err);
      }
      return run.done.finally(() => scratch.close());
    };
    const firstRun = () => (readOnly ? neverStarted() : start());
    const redriven = (j: ExecutionJournal) => {
      journal = j;
      if (stopped) j.stop();
    };
    const at = { mapRunAttempt, asked: attempt, readOnly };
    const origin = this.forkOrigins.get(r.parentExecutionArn);
    // A store that knows at once (in memory) spares the lookup the first run of a Map needs.
    const done = origin
      ? this.endOfForkChild(executionArn, r, origin, at, firstRun, redriven)
      : this.store.holdsSync && !this.store.holdsSync(executionArn)
        ? firstRun()
        : this.endOfChild(executionArn, at, firstRun, redriven);
    return {
      executionArn,
      // A run read from the store knows its number; one that ended live is the latest run.
      done: r.countRedrives ? done.then(async (x) => (x.redriveCount !== undefined ? x : { ...x, redriveCount: (await this.store.read(executionArn)).filter(isRedriven).length })) : done,
      stop: () => {
        // An Express child runs to its end (its five minutes at most): neither its Map Run's
        // failure nor its parent's end stops it (DG:redrive-map-run).
        if (readOnly || r.type === 'EXPRESS') return;
        stopped = true;
        (journal ?? this.executions.get(executionArn))?.stop();
      },
    };
  }

  /**
   * The attempt a Map Run is on in a parent driven here: how many times it was redriven
   * (MapRunRedriven) so far. Counted on from where the last count stopped: a Map with many
   * children asks once per child, and its parent's history may be long.
   */
  private mapRunAttemptOf(parent: ExecutionJournal, mapRunArn: string): number {
    const events = parent.events;
    let seen = this.redrivesSeen.get(parent);
    if (!seen || seen.scanned > events.length) this.redrivesSeen.set(parent, (seen = { scanned: 0, byMapRun: new Map() }));
    for (; seen.scanned < events.length; seen.scanned++) {
      const e = events[seen.scanned]!;
      if (e.type !== 'MapRunRedriven') continue;
      const arn = (eventDetailsOf(e) as { mapRunArn?: string } | undefined)?.mapRunArn;
      if (arn !== undefined) seen.byMapRun.set(arn, (seen.byMapRun.get(arn) ?? 0) + 1);
    }
    return seen.byMapRun.get(mapRunArn) ?? 0;
  }

  /**
   * A child of a fork's Map Run. An attempt of the Map Run that ended within the events the fork
   * copied (its MapRunFailed, say) ran with the origin's children, whose ends the fork's run
   * through those events reproduces: they are read there, nothing is run again. Later attempts,
   * and one the fork copied while it ran, run the fork's own children. A replay reads the fork's
   * own run its Map asked for, else the origin's.
   */
  private async endOfForkChild(
    executionArn: string, r: Parameters<MapChildHost['runMapChild']>[0], origin: ForkOrigin, at: ChildAttempt,
    firstRun: () => Promise<ExecutionResult>, redriven: (journal: ExecutionJournal) => void,
  ): Promise<ExecutionResult> {
    if (at.mapRunAttempt !== undefined) {
      // The fork's stored history (its copies are stored before it runs through them), not the
      // events its run has reproduced so far: those stop short of the Map Run's end.
      const end = mapRunAttemptEnds(await this.store.read(r.parentExecutionArn), r.mapRunArn)[at.mapRunAttempt];
      if (end === undefined || end > origin.eventId) return this.endOfChild(executionArn, at, firstRun, redriven);
      const found = await this.originChild(r, origin, (parent) => parent.eventId >= end);
      if (found) {
        const run = lastIndexWhere(found.runs, (x) => x.mapRunAttempt <= at.mapRunAttempt!);
        if (run >= 0) return this.endOfStoredRun(found.executionArn, found.events, run);
      }
      // The origin never ran it by then: its Map Run ended before this child's turn came.
      return { executionArn, status: 'ABORTED', startDate: this.clock.now(), stopDate: this.clock.now() };
    }
    const own = await this.storedChild(executionArn);
    const ownRun = own ? lastIndexWhere(own.runs, (x) => x.asked === at.asked) : -1;
    if (own && ownRun >= 0) return this.endOfStoredRun(executionArn, own.events, ownRun);
    const found = await this.originChild(r, origin, () => true, at.asked);
    if (found) return this.endOfStoredRun(found.executionArn, found.events, lastIndexWhere(found.runs, (x) => x.asked === at.asked));
    return this.endOfChild(executionArn, at, firstRun, redriven);
  }

  /**
   * The child of the same item in the execution a fork was copied from (and on through a fork of
   * a fork, while `further` says the origin's copy still holds the events in question); with
   * `asked`, the first one with a run its Map asked for so.
   */
  private async originChild(r: Parameters<MapChildHost['runMapChild']>[0], origin: ForkOrigin, further: (origin: ForkOrigin) => boolean, asked?: number): Promise<(StoredChild & { executionArn: string }) | undefined> {
    const index = this.indexOfChild(r.parentExecutionArn, r.mapRunArn, r.name, r.mapRun.executionCount);
    if (index === undefined) return undefined;
    let from: ForkOrigin | undefined = origin;
    while (from) {
      const arn = childIdentity(r.mapRunArn, index, from.executionArn).executionArn;
      const child = await this.storedChild(arn);
      if (child && (asked === undefined || child.runs.some((x) => x.asked === asked))) return { ...child, executionArn: arn };
      const extra = (await this.store.getMetadata(from.executionArn))?.extra as StoredExtra | undefined;
      from = extra?.forkedFrom && further(extra.forkedFrom) ? extra.forkedFrom : undefined;
    }
    return undefined;
  }

  /** A fork's child names come from the fork's ARN: its item's index, found once per Map Run. */
  private indexOfChild(parentExecutionArn: string, mapRunArn: string, name: string, count: number): number | undefined {
    const key = `${parentExecutionArn} ${mapRunArn}`;
    let names = this.childIndexes.get(key);
    if (!names) {
      names = new Map();
      for (let i = 0; i < count; i++) names.set(childIdentity(mapRunArn, i, parentExecutionArn).name, i);
      this.childIndexes.set(key, names);
    }
    return names.get(name);
  }

  /** A stored Map Run child: its history and its runs (see ChildRun); undefined when none is stored. */
  private async storedChild(executionArn: string): Promise<StoredChild | undefined> {
    const meta = await this.store.getMetadata(executionArn);
    if (!meta) return undefined;
    const events = await this.store.read(executionArn);
    if (events.length === 0) return undefined;
    const runs = (meta.extra as StoredExtra | undefined)?.childRuns ?? [{ mapRunAttempt: 0, asked: 0 }];
    return { events, runs };
  }

  /** How run `run` (0: the first, n: the nth redrive) of a stored execution ended, or ends. */
  private endOfStoredRun(executionArn: string, events: readonly HistoryEvent[], run: number): Promise<ExecutionResult> | ExecutionResult {
    const ends = events.filter(isExecutionEnd);
    if (ends.length > run) return { ...resultFromHistory(executionArn, [events[0]!, ends[run]!])!, redriveCount: run };
    return (this.executions.get(executionArn)?.done ?? this.endOf(executionArn, run)).then((x) => ({ ...x, redriveCount: run }));
  }

  /**
   * How a Map Run's child ends in the attempt of the Map Run its parent is on, from the runs its
   * listing names (see ChildRun). A parent driven live knows its attempt (`mapRunAttempt`): a
   * child that ran in it ends as that run ends; one that did not succeeded before (kept), or is
   * redriven now (DG:redrive-map-run), once a run of an earlier attempt still ending has ended.
   * A replay of the parent's earlier attempts reads the run its Map asked for (`asked`), as the
   * live attempt asked. `firstRun` when it never started.
   */
  private async endOfChild(executionArn: string, at: ChildAttempt, firstRun: () => Promise<ExecutionResult>, redriven: (journal: ExecutionJournal) => void): Promise<ExecutionResult> {
    const meta = await this.store.getMetadata(executionArn);
    const live = this.executions.get(executionArn);
    // Started here a moment ago, its listing not stored yet: a run of this attempt.
    if (!meta) return live ? live.done : firstRun();
    let events = await this.store.read(executionArn);
    // Listed, its start not stored (the process died in between): the resume of orphans starts it.
    if (events.length === 0) return live?.done ?? this.endOf(executionArn);
    // A child listed without them is one run of the Map Run's first attempt, unless an earlier
    // version redrove it: the attempt the parent's Map asked for is then taken as its run.
    const runs = (meta.extra as StoredExtra | undefined)?.childRuns ?? (events.some(isRedriven) ? undefined : [{ mapRunAttempt: 0, asked: 0 }]);
    const endOfRun = (run: number) => this.endOfStoredRun(executionArn, events, run);
    if (at.mapRunAttempt === undefined) {
      const run = runs ? lastIndexWhere(runs, (r) => r.asked === at.asked) : -1;
      // A run the live attempt never asked for (it ended before this child's turn came).
      return run >= 0 ? endOfRun(run) : this.endOfChildAttempt(executionArn, events, at.asked, at.readOnly, firstRun, redriven);
    }
    if (!runs) return this.endOfChildAttempt(executionArn, events, at.asked, false, firstRun, redriven);
    const run = lastIndexWhere(runs, (r) => r.mapRunAttempt === at.mapRunAttempt);
    if (run >= 0) {
      if (events.filter(isRedriven).length >= run) return endOfRun(run);
      // Listed as redriven in this attempt, though its history never got that far (the process
      // died in between): redriven now, as it was to be.
      const journal = await this.redriveStored(await this.loadStored(executionArn), events);
      redriven(journal);
      return journal.done;
    }
    // A run of an earlier attempt still ending (aborted with its Map Run a moment ago, or driven elsewhere).
    if (live || !isExecutionEnd(events.at(-1)!)) {
      await (live?.done ?? this.endOf(executionArn, events.filter(isExecutionEnd).length)).catch(noop);
      events = await this.store.read(executionArn);
    }
    const last = events.at(-1)!;
    if (last.type === 'ExecutionSucceeded') return resultFromHistory(executionArn, [events[0]!, last])!;
    const journal = await this.redriveStored(await this.loadStored(executionArn), events, [...runs, { mapRunAttempt: at.mapRunAttempt, asked: at.asked }]);
    redriven(journal);
    return journal.done;
  }

  /**
   * How attempt `attempt` of a Map Run's child ends (0: its first run, n: its nth redrive): a
   * stored end of that attempt; the execution driven on it now (here, or by a resume); or, when
   * the attempt before ended unsuccessfully, a redrive of it (DG:redrive-map-run: a redriven Map
   * Run redrives its Standard children that did not succeed). For a listed child whose stored
   * history endOfChild has read (`stored`); `firstRun` for a replay that finds no such run.
   */
  private async endOfChildAttempt(executionArn: string, stored: readonly HistoryEvent[], attempt: number, readOnly: boolean, firstRun: () => Promise<ExecutionResult>, redriven: (journal: ExecutionJournal) => void): Promise<ExecutionResult> {
    let events = stored;
    const ends = events.filter(isExecutionEnd);
    if (ends.length > attempt || events.filter(isRedriven).length >= attempt) return this.endOfStoredRun(executionArn, events, attempt);
    // It succeeded after all (the Map Run ended before reading it): not run again.
    if (ends.at(-1)?.type === 'ExecutionSucceeded') return resultFromHistory(executionArn, [events[0]!, ends.at(-1)!])!;
    if (readOnly) return firstRun();
    // Still ending the attempt before (aborted with its Map Run a moment ago): redriven once it has.
    const running = this.executions.get(executionArn);
    if (running) {
      await running.done.catch(noop);
      events = await this.store.read(executionArn);
    }
    const journal = await this.redriveStored(await this.loadStored(executionArn), events);
    redriven(journal);
    return journal.done;
  }

  /**
   * A Map Run's child that StartExecution refuses (its input, an item or a batch, over the
   * payload limit or nested too deep): a failed item of the Map Run, with States.DataLimitExceeded
   * (States.Runtime for the depth, Stepwise's own limit), as a state given too large an input
   * fails. Thrown, the refusal ended the parent's run and left it RUNNING in the store; rejected,
   * it failed the Map past its Map Run's bookkeeping (no MapRunFailed, children left running),
   * and a replay, which reads children in the order they were asked for, could not tell it from
   * the failures of its siblings.
   */
  private refusedChild(executionArn: string, err: unknown): Promise<ExecutionResult> {
    if (!(err instanceof StepwiseError) || (err.code !== 'ValidationException' && err.code !== 'InvalidExecutionInput')) return Promise.reject(err);
    const now = this.clock.now();
    const error = err.code === 'ValidationException' ? StatesErrors.DataLimitExceeded : StatesErrors.Runtime;
    return Promise.resolve({ executionArn, status: 'FAILED', error, cause: `The child execution could not be started: ${err.message}`, startDate: now, stopDate: now });
  }

  /** A `states:startExecution` child: started now, or the one an earlier attempt of the same task started. */
  private async startChild(o: { definition: string; input: JsonValue; stateMachineName: string; name: string }): Promise<ChildExecution> {
    const { executionArn } = this.identity(o.stateMachineName, o.name);
    const existing = await this.endOfExisting(executionArn);
    if (existing) {
      const first = (await this.store.read(executionArn, { maxCount: 1 }))[0];
      return { executionArn, startDate: first?.timestamp ?? this.clock.now(), done: existing.done };
    }
    const journal = this.startExecution({ definition: o.definition, input: o.input, stateMachineName: o.stateMachineName, name: o.name });
    // The child's own start time, as StartExecution answers it (the clock may have moved since).
    return { executionArn, startDate: journal.startedAt, done: journal.done };
  }

  /**
   * How an execution that exists ends: driven here, or started before a crash (it has ended, or
   * it is being resumed: its stream tells how it ends); undefined when there is none.
   */
  private async endOfExisting(executionArn: string): Promise<{ done: Promise<ExecutionResult> } | undefined> {
    const live = this.executions.get(executionArn);
    if (live) return { done: live.done };
    if (!(await this.store.getMetadata(executionArn))) return undefined;
    return { done: this.executions.get(executionArn)?.done ?? this.endOf(executionArn) };
  }

  /** How an execution ends; `attempt` n: the end of its nth redrive (its first end for 0). */
  private endOf(executionArn: string, attempt = 0): Promise<ExecutionResult> {
    return new Promise((resolve, reject) => {
      // Only the first event (the start date) and the latest (is it the end?) are needed.
      let first: HistoryEvent | undefined;
      let ended: ExecutionResult | undefined;
      let endsBefore = attempt;
      const subscription = this.store.subscribe(executionArn).subscribe({
        next: ({ event }) => {
          if (ended) return;
          first ??= event;
          ended = resultFromHistory(executionArn, [first, event]);
          if (ended && endsBefore-- > 0) ended = undefined;
          if (ended) {
            resolve(ended);
            queueMicrotask(() => subscription.unsubscribe());
          }
        },
        error: reject,
      });
    });
  }

  /**
   * Starts an execution and waits for it to end. Unlike startExecution, on a store that appends
   * synchronously (the in-memory one) it starts at once: its first events are stored and acted on
   * (its first Task's handler called, an execution of Pass states run to its end) before this
   * returns, since nobody can subscribe to an execution `run` never hands out.
   */
  run(options: StartExecutionOptions): Promise<ExecutionResult> {
    return this.startChecked(options, true).done;
  }

  /** A stored execution: its history, its state at any event, live events, fork, redrive, replay. */
  execution(executionArn: string): ExecutionHandle {
    return new ExecutionHandle(this, this.store, executionArn);
  }

  /**
   * Settles once the store's listing of the execution says what this runtime knows of it: a
   * just-started execution is listed (so that an API answering StartExecution can promise that
   * DescribeExecution finds it), and one that has ended is listed with its end status.
   */
  async listed(executionArn: string): Promise<void> {
    await this.listing.get(executionArn);
    await this.closing.get(executionArn);
  }

  /**
   * The Map Runs a Distributed Map started in an execution (API:ListMapRuns), in the order they
   * started; each names its children's state machine, `<machine>/<label>`.
   */
  async mapRuns(executionArn: string): Promise<Awaited<ReturnType<typeof listMapRuns>>> {
    await this.listedQuietly(executionArn);
    return listMapRuns(this.store, executionArn);
  }

  /** A Map Run (API:DescribeMapRun): status, dates, settings, and its child executions (listed, and counted by status); undefined when none started it. */
  async describeMapRun(mapRunArn: string): Promise<MapRunDescription | undefined> {
    await this.listingsWritten();
    return describeMapRun(this.store, mapRunArn);
  }

  /**
   * UpdateMapRun: new MaxConcurrency and tolerated failures for a Map Run in flight, in the
   * execution this runtime drives. Not recorded (AWS records no event for it): a resume runs the
   * Map Run on with the settings it started with.
   */
  async updateMapRun(mapRunArn: string, update: MapRunUpdate): Promise<void> {
    const run = await this.describeMapRun(mapRunArn);
    if (!run) throw new StepwiseError('ResourceNotFound', `Map Run Does Not Exist: '${mapRunArn}'`);
    // The reason is the API model's own for this refusal (ValidationExceptionReason).
    if (run.status !== 'RUNNING') throw new StepwiseError('ValidationException', `Map Run '${mapRunArn}' is ${run.status}: only a running Map Run can be updated.`, { reason: 'CANNOT_UPDATE_COMPLETED_MAP_RUN' });
    if (!this.executions.get(run.executionArn)?.updateMapRun(mapRunArn, update)) {
      throw new StepwiseError('ValidationException', `Map Run '${mapRunArn}' is not driven by this runtime (its execution '${run.executionArn}' runs elsewhere or has no child in flight).`);
    }
  }

  /** An execution's Map Runs, each described (as `describeMapRun`) with its child executions; its history read once. */
  async describeMapRuns(executionArn: string): Promise<MapRunDescription[]> {
    await this.listedQuietly(executionArn);
    await this.listingsWritten();
    return describeMapRunsOf(this.store, executionArn);
  }

  /**
   * Every execution listing under way is in the store (failed writes are not waited on again): a
   * Distributed Map's children are listed as ended a moment after their parent has ended.
   */
  async listingsWritten(): Promise<void> {
    await Promise.all([...this.pendingWrites].map((w) => w.catch(() => undefined)));
  }

  /** `listed`, for a read that reports what the store holds even when a listing write failed. */
  async listedQuietly(executionArn: string): Promise<void> {
    await this.listed(executionArn).catch(() => undefined);
  }

  /** The execution this runtime is driving, if any. */
  liveExecution(executionArn: string): ExecutionJournal | undefined {
    return this.executions.get(executionArn);
  }

  /** Every event appended to the store from now on, across executions. */
  get events$(): Observable<StoredStreamEvent> {
    return this.store.subscribeAll({ fromPosition: 'end' }).pipe(filter((e) => !isInternalStream(e.streamId)));
  }

  sendTaskSuccess(taskToken: string, output: JsonValue): void {
    this.ownerOf(taskToken).sendTaskSuccess(taskToken, output);
  }

  sendTaskFailure(taskToken: string, error?: string, cause?: string): void {
    this.ownerOf(taskToken).sendTaskFailure(taskToken, error, cause);
  }

  sendTaskHeartbeat(taskToken: string): void {
    this.ownerOf(taskToken).sendTaskHeartbeat(taskToken);
  }

  /**
   * Waits for pending metadata writes, then closes the store. With `ownership`, the executions
   * still running are given up first and their leases released, so that another runtime takes
   * them over at once.
   */
  async close(): Promise<void> {
    this.closed = true;
    if (this.scanTimer) clearInterval(this.scanTimer);
    const ownership = this.ownership;
    let released: Promise<void> | undefined;
    if (ownership) {
      ownership.stop();
      await this.scanning?.catch(() => undefined);
      // Released first (synchronously dropped), so that no journal appends past this point.
      released = ownership.releaseAll();
    }
    // What is still running stays RUNNING in the store, as after a crash (start() or `stepwise
    // resume` continues it, or, with ownership, another runtime takes it over): its timers and
    // tasks are let go, so that a closed runtime keeps nothing armed and a process that closed it
    // can end (a 10-minute Wait kept `serve` alive).
    for (const journal of [...this.executions.values()]) {
      const arn = journal.identity.executionArn;
      journal.abandon(ownership
        ? new StepwiseError('ExecutionLeaseLost', `Runtime '${ownership.runtimeId}' closed while driving '${arn}'.`)
        : new StepwiseError('RuntimeClosed', `The runtime closed while '${arn}' was running: it stays RUNNING in the store, and runtime.start() (stepwise resume) continues it.`));
    }
    await released;
    await Promise.allSettled([...this.pendingWrites]);
    await this.store.close();
  }

  private ownerOf(token: string): ExecutionJournal {
    const owner = this.tokenOwners.get(token);
    if (owner?.hasTask(token)) return owner;
    // A task answered in process (its handler's own token): looked for in every execution.
    for (const e of this.executions.values()) if (e.hasTask(token)) return e;
    throw noOpenTaskError(token, this.activities.activityOfToken(token));
  }
}

/**
 * One run of a Map Run's child (its first, or a redrive): the attempt of the Map Run it ran in
 * (0 its first, n its nth redrive), and the attempt the parent's Map asked for
 * (MapChildRequest.attempt). The parent works the latter out by replaying its earlier attempts,
 * which cannot tell in what order their children ended (the parent records nothing per child):
 * it may count a child as run in an attempt it never ran in, or leave one out, so it is no run
 * number. But a replay of an attempt asks for each child what the live attempt asked for, so
 * it names the run to read there.
 */
interface ChildRun { mapRunAttempt: number; asked: number }

/** Which run of a Map Run's child a parent's Map asks for: see endOfChild. */
interface ChildAttempt { mapRunAttempt: number | undefined; asked: number; readOnly: boolean }

interface StoredChild { events: HistoryEvent[]; runs: ChildRun[] }

interface ForkOrigin { executionArn: string; eventId: number }

/** What every execution of one state machine (run with the runtime's role) shares in its identity. */
interface StateMachineArns {
  executionPrefix: string;
  stateMachineArn: string;
  stateMachineName: string;
  region: string;
  roleArn: string;
}

/**
 * An execution's identity as the runtime makes it: its ARN and name its own, the rest read from
 * what it shares with its state machine's other executions. Three members where a literal of the
 * identity has six: a parked execution keeps it (24 bytes less).
 */
class SharedIdentity implements ExecutionIdentity {
  declare express?: true;
  constructor(
    readonly executionArn: string,
    readonly name: string,
    private readonly shared: StateMachineArns,
  ) {}

  get stateMachineArn(): string {
    return this.shared.stateMachineArn;
  }

  get stateMachineName(): string {
    return this.shared.stateMachineName;
  }

  get region(): string {
    return this.shared.region;
  }

  get roleArn(): string {
    return this.shared.roleArn;
  }

  /** As the literal it stands for: JSON (a log line, say) shows every member, not the shared part. */
  toJSON(): ExecutionIdentity {
    const { executionArn, stateMachineArn, stateMachineName, name, roleArn, region } = this;
    return this.express ? { executionArn, stateMachineArn, stateMachineName, name, roleArn, region, express: true } : { executionArn, stateMachineArn, stateMachineName, name, roleArn, region };
  }
}

/** What the store keeps beside an execution so that any runtime can resume, replay or fork it. */
interface StoredExtra {
  /** Which stored definition it ran (stored-definitions.ts). */
  definitionId?: string;
  /** Kept inline by earlier versions. */
  definition?: StateMachineDefinition;
  input: JsonValue;
  testCase?: string;
  stateMachineName?: string;
  forkedFrom?: { executionArn: string; eventId: number };
  stateMachineVersionArn?: string;
  stateMachineAliasArn?: string;
  /** The state machine revision it ran, when started through the registry (DescribeStateMachineForExecution). */
  revision?: StateMachineRevision;
  /** The role it was started with, when not the runtime's default. */
  roleArn?: string;
  /** Kept only for an EXPRESS state machine's execution (its five-minute limit holds on resume). */
  type?: 'EXPRESS';
  /** Its X-Ray trace header, when it has one (DescribeExecution). */
  traceHeader?: string;
  /** A Distributed Map's child execution: its Map Run and the execution that started it. */
  mapRunArn?: string;
  parentExecutionArn?: string;
  mapRun?: MapRunSettings;
  /** A Map Run's child: its first run and each redrive (see ChildRun). Left out while it is one run of the Map Run's first attempt. */
  childRuns?: ChildRun[];
  /** The state machine whose mock test case answers its Tasks, when not its own (a child's: its parent's). */
  mockStateMachine?: string;
}

const noop = () => {};

/** An execution with a test case (given now, or stored with it: a fork, redrive or resume) and no mock config to answer from. */
function throwNoMocks(testCase: string): never {
  throw new StepwiseError('InvalidMockConfig', `The execution runs with the mock test case '${testCase}', but no mock config was loaded: pass the file that holds it with --mock-config FILE (in code, createRuntime({ mockConfig })).`);
}

export function createRuntime(options: RuntimeOptions = {}): Runtime {
  return new Runtime(options);
}

/** StartExecution's refusal of an input over the payload limit, in AWS's words. */
function inputTooLarge(limit: number): StepwiseError {
  return new StepwiseError(
    'ValidationException',
    `1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to ${limit} ` +
      '(the execution input, as JSON text in UTF-8; lift the limit for local work with the `limits: { payloadBytes: Infinity }` option or the CLI\'s --lift-limits).',
  );
}

/** exceedsPayloadLimit for an execution's input, which is refused as invalid when nested too deep. */
function inputExceedsPayloadLimit(input: JsonValue, limit: number): boolean {
  try {
    return exceedsPayloadLimit(input, limit);
  } catch (e) {
    if (e instanceof JsonTooDeepError) throw new StepwiseError('InvalidExecutionInput', `The execution input is not valid: ${e.message}`);
    throw e;
  }
}

/** Throws InvalidDefinition listing the errors among a definition's diagnostics, if any. */
function refuseDefinition(diagnostics: Diagnostic[]): void {
  const problems = diagnostics.filter((d) => d.severity === 'ERROR');
  if (problems.length > 0) {
    throw new StepwiseError('InvalidDefinition', `The definition is invalid:\n${problems.map((p) => `  ${p.code} at ${p.location || '/'}: ${messageWithDetail(p)}`).join('\n')}`, problems);
  }
}

const isRedriven = (e: HistoryEvent): boolean => e.type === 'ExecutionRedriven';



function lastIndexWhere<T>(items: readonly T[], wanted: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (wanted(items[i]!)) return i;
  return -1;
}

/** What a parent's history says of its Map Runs' redrives so far (see Runtime.mapRunAttemptOf). */
interface RedrivesSeen { scanned: number; byMapRun: Map<string, number> }
