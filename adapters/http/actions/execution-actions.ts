import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { JsonValue } from '../../../src/asl/json-value.js';
import { variableReferencesByState } from '../../../src/asl/variable-references.js';
import { StepwiseError } from '../../../src/errors/stepwise-error.js';
import { checkName, parseStateMachineArn, parseStatesArn, refuseLabelledArn } from '../../../src/registry/names.js';
import { pageBy } from '../../../src/registry/paging.js';
import type { ResolvedStateMachine } from '../../../src/registry/registry-types.js';
import { deletingError, versionDoesNotExist } from '../../../src/registry/state-machine-registry.js';
import type { Runtime } from '../../../src/runtime/create-runtime.js';
import { executionTraceHeader } from '../../../src/runtime/trace-header.js';
import type { ExecutionMetadata, ExecutionStatus } from '../../../src/store/event-store.js';
import type { Action } from '../api-context.js';
import { ApiError, compact, epochSeconds, validationError } from '../aws-json-protocol.js';
import { describeExecutionResponse, executionFacts, listItemOf, redriveStatus } from '../execution-view.js';
import { includedData, type RequestFields } from '../request-fields.js';

// In the order AWS lists them when it refuses another value.
const STATUSES = ['SUCCEEDED', 'TIMED_OUT', 'PENDING_REDRIVE', 'ABORTED', 'FAILED', 'RUNNING'] as const;

interface StartRequest {
  target: ResolvedStateMachine;
  testCase?: string;
  name: string;
  inputText: string;
  input: JsonValue;
  traceHeader?: string;
}

/**
 * The common part of StartExecution and StartSyncExecution: `arn#TestCase` (Step Functions
 * Local's way to pick a mocked test case), the state machine, version or alias, name and input.
 */
async function startRequest(f: RequestFields, runtime: Runtime, httpTraceHeader?: string): Promise<StartRequest> {
  const raw = f.string('stateMachineArn', { min: 1, max: 2048 });
  const hash = raw.indexOf('#');
  const arn = hash >= 0 ? raw.slice(0, hash) : raw;
  const testCase = hash >= 0 ? raw.slice(hash + 1) : undefined;
  if (testCase === '') throw validationError(`The test case after '#' is empty in '${raw}'.`);
  refuseLabelledArn(arn, parseStateMachineArn(arn).name);
  const target = await runtime.stateMachines.resolve(arn);
  if (!target) {
    // A version of a state machine that exists, deleted or never published (recorded against AWS, 2026-09).
    const { base, qualifier } = parseStateMachineArn(arn);
    if (qualifier && 'version' in qualifier && (await runtime.stateMachines.exists(base))) throw versionDoesNotExist(arn);
    throw new StepwiseError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
  }
  if (target.deleting) throw deletingError(arn);
  const givenName = f.optionalName();
  const name = givenName === undefined ? randomUUID() : checkName(givenName, 'execution');
  // API:StartExecution: at most 262,144 bytes of UTF-8 — the runtime's payload limit, which local work may lift.
  const inputText = f.optionalPayload('input', runtime.limits.payloadBytes) ?? '{}';
  let input: JsonValue;
  try {
    input = JSON.parse(inputText) as JsonValue;
  } catch (e) {
    // AWS's parser words its other errors its own way; an empty input it words as this.
    const why = inputText.trim() === '' ? 'Invalid execution input.' : (e as Error).message;
    throw new StepwiseError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${why}'`);
  }
  // Recorded against AWS (2026-09): an X-Amzn-Trace-Id HTTP header overrides the body's traceHeader.
  const bodyTraceHeader = f.optionalString('traceHeader', { max: 256 });
  const given = httpTraceHeader ?? bodyTraceHeader;
  const traceHeader = executionTraceHeader(given, target.revision?.tracingConfiguration?.enabled === true, runtime.clock.now());
  return { target, testCase, name, inputText, input, traceHeader };
}

function launch(runtime: Runtime, r: StartRequest) {
  return runtime.startExecution({
    definition: r.target.definition, input: r.input, stateMachineName: r.target.name, name: r.name, testCase: r.testCase,
    stateMachineVersionArn: r.target.stateMachineVersionArn, stateMachineAliasArn: r.target.stateMachineAliasArn,
    roleArn: r.target.roleArn, type: r.target.type, stateMachineRevision: r.target.revision, traceHeader: r.traceHeader,
  });
}

function executionArnOf(stateMachineArn: string, name: string): string {
  return stateMachineArn.replace(':stateMachine:', ':execution:') + ':' + name;
}

/**
 * API:StartExecution: the same name and input while the execution is open returns the
 * original; a closed execution or another input is ExecutionAlreadyExists.
 */
async function sameExecution(runtime: Runtime, executionArn: string, input: JsonValue): Promise<{ executionArn: string; startDate: number } | undefined> {
  const existing = await runtime.store.getMetadata(executionArn);
  if (!existing) return undefined;
  const extra = (existing.extra ?? {}) as { input?: unknown };
  if (existing.status === 'RUNNING' && isDeepStrictEqual(extra.input, input)) return { executionArn, startDate: epochSeconds(existing.startDate) };
  throw new StepwiseError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
}

const startExecution: Action = async (f, { runtime, traceHeader }) => {
  const r = await startRequest(f, runtime, traceHeader);
  const executionArn = executionArnOf(r.target.stateMachineArn, r.name);
  const existing = await sameExecution(runtime, executionArn, r.input);
  if (existing) return existing;
  let journal;
  try {
    journal = launch(runtime, r);
  } catch (e) {
    // Another request with this name got in first and is still being listed.
    if (!(e instanceof StepwiseError && e.code === 'ExecutionAlreadyExists')) throw e;
    await runtime.listed(executionArn);
    const first = await sameExecution(runtime, executionArn, r.input);
    if (first) return first;
    throw e;
  }
  journal.done.catch(() => undefined);
  await runtime.listed(journal.identity.executionArn);
  const meta = await runtime.store.getMetadata(journal.identity.executionArn);
  return { executionArn: journal.identity.executionArn, startDate: epochSeconds(meta?.startDate ?? runtime.clock.now()) };
};

/** API:StartSyncExecution: Express state machines only; answers when the execution ends. */
const startSyncExecution: Action = async (f, { runtime, traceHeader }) => {
  includedData(f);
  const r = await startRequest(f, runtime, traceHeader);
  if (r.target.type !== 'EXPRESS') throw new StepwiseError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');
  const journal = launch(runtime, r);
  const result = await journal.done;
  return compact({
    executionArn: result.executionArn, stateMachineArn: r.target.stateMachineArn, name: r.name,
    startDate: epochSeconds(result.startDate), stopDate: epochSeconds(result.stopDate), status: result.status,
    input: r.inputText, inputDetails: { included: true },
    // AWS's recorded answers show outputDetails for a failed execution too, without output.
    output: result.status === 'SUCCEEDED' ? JSON.stringify(result.output ?? null) : undefined,
    outputDetails: { included: true },
    error: result.error, cause: result.cause,
    // API:StartSyncExecution answers with the execution's X-Ray trace header (see trace-header.ts).
    traceHeader: r.traceHeader,
    billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: Math.max(100, Math.ceil((result.stopDate - result.startDate) / 100) * 100) },
  });
};

/**
 * An Express execution's ARN (`…:express:<machine>:<name>:<id>`) is refused as AWS refuses it:
 * its executions are not kept (DG:choosing-workflow-type), and AWS's recorded DescribeExecution,
 * StopExecution and GetExecutionHistory answer InvalidArn ("Resource type not valid in this
 * context: express").
 */
function executionArnField(f: RequestFields): string {
  const arn = f.string('executionArn');
  parseStatesArn(arn, ['execution']);
  return arn;
}

const describeExecution: Action = async (f, { runtime }) => {
  // Checked as the model's enum, as DescribeStateMachine checks it. What METADATA_ONLY leaves out of an
  // execution's description is not recorded: ALL_DATA's answer is given either way.
  includedData(f);
  return describeExecutionResponse(await executionFacts(runtime, executionArnField(f)));
};

const stopExecution: Action = async (f, { runtime }) => {
  const arn = executionArnField(f);
  const error = f.optionalString('error', { max: 256 });
  const cause = f.optionalString('cause', { max: 32768 });
  const facts = await executionFacts(runtime, arn);
  const live = runtime.liveExecution(arn);
  if (live && !live.result) {
    live.stop(error, cause);
    const result = await live.done;
    return { stopDate: epochSeconds(result.stopDate) };
  }
  return { stopDate: epochSeconds(facts.stopDate ?? runtime.clock.now()) };
};

const describeStateMachineForExecution: Action = async (f, { runtime }) => {
  const facts = await executionFacts(runtime, executionArnField(f));
  const ran = JSON.stringify(facts.extra.definition ?? null);
  // Recorded against AWS (2026-09): the exact text the execution ran (spacing, `\u` escapes,
  // `1.00`) and the updateDate of its revision, before and after an update or a deletion.
  const text = facts.extra.definitionText;
  const revision = facts.extra.revision;
  const source = text === undefined || revision === undefined ? await runtime.stateMachines.resolve(facts.extra.stateMachineVersionArn ?? facts.meta.stateMachineArn) : undefined;
  // Stored by an earlier version without the text: the registry's text while it is still the definition that ran.
  const sameText = source !== undefined && safeCanonical(source.definition) === ran;
  let view: Awaited<ReturnType<Runtime['stateMachines']['describe']>> | undefined;
  try {
    view = await runtime.stateMachines.describe(facts.extra.stateMachineVersionArn ?? facts.meta.stateMachineArn);
  } catch {
    view = undefined;
  }
  // includedData METADATA_ONLY: the text `{}` for the definition, recorded against AWS (2026-09);
  // a Distributed Map's child shows its ItemProcessor as a labelled state machine does.
  const metadataOnly = includedData(f) === 'METADATA_ONLY' && facts.extra.mapRunArn === undefined;
  return compact({
    stateMachineArn: facts.meta.stateMachineArn, name: facts.meta.stateMachineArn.split(':').pop(),
    definition: metadataOnly ? '{}' : text ?? (sameText ? source!.definition : JSON.stringify(facts.extra.definition ?? {}, null, 2)),
    // The role the execution started with, as AWS keeps it after an update (recorded 2026-09).
    roleArn: facts.extra.roleArn ?? view?.roleArn ?? `arn:aws:iam::${facts.meta.stateMachineArn.split(':')[4]}:role/StepwiseExecutionRole`,
    updateDate: epochSeconds(revision?.updateDate ?? view?.creationDate ?? facts.startDate),
    // The revision's own settings, kept with the execution (recorded 2026-09: an update does not change them).
    loggingConfiguration: revision?.loggingConfiguration ?? view?.loggingConfiguration ?? { level: 'OFF', includeExecutionData: false },
    tracingConfiguration: revision?.tracingConfiguration ?? view?.tracingConfiguration ?? { enabled: false },
    revisionId: revision ? revision.revisionId : sameText ? view?.revisionId : undefined,
    encryptionConfiguration: revision?.encryptionConfiguration ?? view?.encryptionConfiguration ?? { type: 'AWS_OWNED_KEY' },
    // A Distributed Map's child: the Map Run that started it, and its label (`<machine>/<label>`).
    mapRunArn: facts.extra.mapRunArn,
    label: facts.extra.mapRunArn !== undefined ? facts.meta.stateMachineArn.slice(facts.meta.stateMachineArn.lastIndexOf('/') + 1) : undefined,
    // As DescribeStateMachine gives them, for the definition that ran (API:DescribeStateMachineForExecution).
    variableReferences: variableReferencesByState(facts.extra.definition),
  });
};

function safeCanonical(text: string): string | undefined {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/** Newest first; the key sorts as a string in that order. */
function listKey(m: ExecutionMetadata): string {
  return `${String(9e15 - m.startDate).padStart(16, '0')}|${m.executionArn}`;
}

const listExecutions: Action = async (f, { runtime }) => {
  const smArn = f.optionalString('stateMachineArn');
  const mapRunArn = f.optionalString('mapRunArn');
  const status = f.optionalEnum<ExecutionStatus>('statusFilter', STATUSES);
  const redriveFilter = f.optionalEnum('redriveFilter', ['REDRIVEN', 'NOT_REDRIVEN'] as const);
  const page = f.page(3096);
  if (mapRunArn !== undefined && smArn !== undefined) throw validationError('Only one of StateMachine ARN or MapRun ARN can be provided');
  if (mapRunArn === undefined && smArn === undefined) throw validationError('Must provide a StateMachine ARN or MapRun ARN');
  // API:ListExecutions: "If you provide a state machine ARN in redriveFilter, the API returns a
  // validation exception"; AWS's answer, recorded (2026-09).
  if (redriveFilter !== undefined && smArn !== undefined) throw validationError('RedriveFilter cannot be applied to ListExecutions call with StateMachine ARN');
  // API:ListExecutions, statusFilter: "If you provide a stateMachineArn and a PENDING_REDRIVE
  // statusFilter, the API returns a validation exception" (only a Map Run's children wait for a
  // redrive). AWS's wording of it is not recorded: this one says what to do instead.
  if (status === 'PENDING_REDRIVE' && smArn !== undefined) throw validationError('The PENDING_REDRIVE statusFilter can only be applied to ListExecutions call with MapRun ARN');
  let all: ExecutionMetadata[] = [];
  const parsed = smArn !== undefined ? parseStateMachineArn(smArn) : undefined;
  if (mapRunArn !== undefined) {
    // A Map Run's child executions (DG:concepts-examine-map-run).
    parseStatesArn(mapRunArn, ['mapRun']);
    const run = await runtime.describeMapRun(mapRunArn);
    if (!run) throw new ApiError('ResourceNotFound', `Map Run Does Not Exist: '${mapRunArn}'`);
    all = run.children.filter((m) => status === undefined || m.status === status);
  } else {
    const target = await runtime.stateMachines.resolve(parsed!.qualifier && 'alias' in parsed!.qualifier ? parsed!.base : smArn!);
    if (!target || !(await runtime.stateMachines.exists(smArn!))) throw new StepwiseError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${smArn}'`);
    // In AWS's words (its recorded ListExecutions answer for an EXPRESS state machine).
    if (target.type === 'EXPRESS') throw new StepwiseError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');
    let token: string | undefined;
    do {
      const p = await runtime.store.list({ stateMachineArn: parsed!.base, status, maxResults: 1000, nextToken: token });
      all.push(...p.items);
      token = p.nextToken;
    } while (token);
  }
  if (parsed?.qualifier) {
    const key = 'version' in parsed.qualifier ? 'stateMachineVersionArn' : 'stateMachineAliasArn';
    const kept: ExecutionMetadata[] = [];
    for (const m of all) {
      const extra = ((await runtime.store.getMetadata(m.executionArn))?.extra ?? {}) as Record<string, unknown>;
      if (extra[key] === smArn) kept.push(m);
    }
    all = kept;
  }
  if (redriveFilter) {
    const kept: ExecutionMetadata[] = [];
    for (const m of all) {
      const redriven = (await runtime.store.read(m.executionArn)).some((e) => e.type === 'ExecutionRedriven');
      if (redriven === (redriveFilter === 'REDRIVEN')) kept.push(m);
    }
    all = kept;
  }
  all.sort((a, b) => (listKey(a) < listKey(b) ? -1 : 1));
  const result = pageBy(all, listKey, page.maxResults, page.nextToken);
  const executions = [];
  for (const m of result.items) executions.push(listItemOf(await executionFacts(runtime, m.executionArn), mapRunArn !== undefined));
  return compact({ executions, nextToken: result.nextToken });
};

/**
 * RedriveExecution's clientToken, per execution: a call that repeats a token answers the
 * redriveDate of the redrive that token made, and redrives nothing, whether that redrive still
 * runs, failed again or succeeded (as recorded against AWS, 2026-09). Kept by the server process.
 */
const redriveTokens = new WeakMap<object, Map<string, number>>();

const redriveExecution: Action = async (f, { runtime }) => {
  const arn = executionArnField(f);
  const clientToken = f.optionalString('clientToken', { max: 64 });
  const tokens = redriveTokens.get(runtime) ?? new Map<string, number>();
  redriveTokens.set(runtime, tokens);
  const tokenKey = clientToken !== undefined ? `${arn}\n${clientToken}` : undefined;
  const earlier = tokenKey !== undefined ? tokens.get(tokenKey) : undefined;
  const facts = await executionFacts(runtime, arn);
  if (earlier !== undefined) return { redriveDate: epochSeconds(earlier) };
  // A Map Run's child is redriven by redriving its parent; AWS answers a direct call so (recorded 2026-09).
  if (facts.extra.mapRunArn !== undefined) throw validationError('Labeled Execution ARNs are not supported for this API');
  if (!['FAILED', 'TIMED_OUT', 'ABORTED'].includes(facts.meta.status)) {
    // AWS's words, recorded (2026-09).
    throw new StepwiseError('ExecutionNotRedrivable', `Execution ${arn} invalid for redrive as: ${redriveStatus(facts).redriveStatusReason ?? `Execution is ${facts.meta.status} and cannot be redriven`}`);
  }
  let journal;
  try {
    journal = await runtime.redrive(arn);
  } catch (e) {
    if (e instanceof StepwiseError && e.code === 'InvalidArgument') throw new StepwiseError('ExecutionNotRedrivable', e.message);
    throw e;
  }
  journal.done.catch(() => undefined);
  await runtime.listed(arn);
  const redriven = (await runtime.store.read(arn)).filter((e) => e.type === 'ExecutionRedriven').at(-1);
  const redriveDate = redriven?.timestamp ?? runtime.clock.now();
  if (tokenKey !== undefined) tokens.set(tokenKey, redriveDate);
  return { redriveDate: epochSeconds(redriveDate) };
};

export const executionActions: Record<string, Action> = {
  StartExecution: startExecution,
  StartSyncExecution: startSyncExecution,
  StopExecution: stopExecution,
  DescribeExecution: describeExecution,
  DescribeStateMachineForExecution: describeStateMachineForExecution,
  ListExecutions: listExecutions,
  RedriveExecution: redriveExecution,
};
