import { nanoid } from 'nanoid';
import type { StateMachineDefinition } from '../asl/definition.js';
import type { JsonValue } from '../asl/json-value.js';
import { validateDefinition } from '../asl/validate-definition.js';
import { compileScope } from '../compile/compile-scope.js';
import type { CompiledScope } from '../compile/scope-runtime.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import { RealClock, VirtualClock, type Clock } from '../execution/clock.js';
import { AWS_LIMITS, type ExecutionLimits } from '../execution/execution-services.js';
import { ExecutionJournal, type ExecutionResult } from '../execution/execution-journal.js';
import type { MockConfig } from '../resources/mock-config.js';
import { TaskHandlerRegistry, type HandlerMatcher, type TaskHandler } from '../resources/task-handlers.js';
import type { EventStore } from '../store/event-store.js';
import { MemoryEventStore } from '../store/memory-store.js';

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
}

export interface StartExecutionOptions {
  definition: StateMachineDefinition | string;
  input?: JsonValue;
  /** State machine name (also selects the mock config's state machine). Default `StateMachine`. */
  stateMachineName?: string;
  /** Execution name. Default: a random id. */
  name?: string;
  /** Mock config test case to answer Task states with. */
  testCase?: string;
}

/** A compiled definition, reused across executions of the same text. */
export interface PreparedStateMachine {
  definition: StateMachineDefinition;
  compiled: CompiledScope;
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
  private readonly options: RuntimeOptions;
  private readonly limits: ExecutionLimits;
  private readonly prepared = new Map<string, PreparedStateMachine>();
  private readonly executions = new Map<string, ExecutionJournal>();
  private readonly pendingWrites = new Set<Promise<unknown>>();

  constructor(options: RuntimeOptions = {}) {
    this.options = options;
    this.store = options.store ?? new MemoryEventStore();
    this.clock = options.clock === 'virtual' ? new VirtualClock() : options.clock === 'real' || !options.clock ? new RealClock() : options.clock;
    this.limits = { ...AWS_LIMITS, ...options.limits };
  }

  /** Registers a task handler by resource ARN (exact or `*` pattern or RegExp) or `{ state: name }`. */
  handle(matcher: HandlerMatcher, handler: TaskHandler): this {
    this.handlers.register(matcher, handler);
    return this;
  }

  /** Validates and compiles a definition (cached by its JSON text). */
  prepare(definition: StateMachineDefinition | string): PreparedStateMachine {
    const text = typeof definition === 'string' ? definition : JSON.stringify(definition);
    let prepared = this.prepared.get(text);
    if (prepared) return prepared;
    let parsed: unknown;
    try {
      parsed = typeof definition === 'string' ? JSON.parse(definition) : definition;
    } catch (e) {
      throw new StepwiseError('InvalidDefinition', `The definition is not valid JSON: ${(e as Error).message}`);
    }
    const problems = validateDefinition(parsed).filter((d) => d.severity === 'ERROR');
    if (problems.length > 0) {
      throw new StepwiseError('InvalidDefinition', `The definition is invalid:\n${problems.map((p) => `  ${p.code} at ${p.location || '/'}: ${p.message}`).join('\n')}`, problems);
    }
    const def = parsed as StateMachineDefinition;
    prepared = { definition: def, compiled: compileScope(def) };
    this.prepared.set(text, prepared);
    return prepared;
  }

  /** Starts an execution and returns its handle at once. */
  start(options: StartExecutionOptions): ExecutionJournal {
    const { definition, compiled } = this.prepare(options.definition);
    const region = this.options.region ?? 'us-east-1';
    const account = this.options.accountId ?? '123456789012';
    const smName = options.stateMachineName ?? 'StateMachine';
    const name = options.name ?? nanoid();
    const stateMachineArn = `arn:aws:states:${region}:${account}:stateMachine:${smName}`;
    const executionArn = `arn:aws:states:${region}:${account}:execution:${smName}:${name}`;
    if (this.executions.has(executionArn)) throw new StepwiseError('ExecutionAlreadyExists', `Execution already exists: '${executionArn}'`);
    const mocks = options.testCase !== undefined
      ? this.options.mockConfig?.testCase(smName, options.testCase) ?? throwNoMocks()
      : undefined;
    const journal = new ExecutionJournal({
      executionArn, stateMachineArn, stateMachineName: smName, name, region,
      roleArn: `arn:aws:iam::${account}:role/StepwiseExecutionRole`,
      compiled, timeoutSeconds: definition.TimeoutSeconds, input: options.input ?? {}, store: this.store, clock: this.clock,
      handlers: this.handlers, mocks, limits: this.limits,
    });
    this.executions.set(executionArn, journal);
    const stored = this.store.putMetadata({
      executionArn, stateMachineArn, name, status: 'RUNNING', startDate: this.clock.now(),
      extra: { definition: definition as unknown as JsonValue, input: options.input ?? {} },
    });
    this.pendingWrites.add(stored);
    const finished = journal.start().then(
      async (r) => {
        await stored;
        await this.store.putMetadata({ executionArn, stateMachineArn, name, status: r.status, startDate: r.startDate, stopDate: r.stopDate });
      },
      () => undefined,
    ).catch(() => undefined).finally(() => this.pendingWrites.delete(finished));
    this.pendingWrites.add(finished);
    stored.catch(() => undefined).finally(() => this.pendingWrites.delete(stored));
    return journal;
  }

  /** Starts an execution and waits for it to end. */
  run(options: StartExecutionOptions): Promise<ExecutionResult> {
    return this.start(options).done;
  }

  execution(executionArn: string): ExecutionJournal {
    const e = this.executions.get(executionArn);
    if (!e) throw new StepwiseError('ExecutionDoesNotExist', `Execution does not exist: '${executionArn}'`);
    return e;
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

  /** Waits for pending metadata writes, then closes the store. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.pendingWrites]);
    await this.store.close();
  }

  private ownerOf(token: string): ExecutionJournal {
    for (const e of this.executions.values()) if (e.hasTask(token)) return e;
    throw new StepwiseError('TaskDoesNotExist', `No open task has the token '${token}'.`);
  }
}

function throwNoMocks(): never {
  throw new StepwiseError('InvalidMockConfig', 'A test case was given but no mock config was loaded (--mock-config FILE).');
}

export function createRuntime(options: RuntimeOptions = {}): Runtime {
  return new Runtime(options);
}
