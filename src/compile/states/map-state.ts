import type { MapState, QueryLanguage } from '../../asl/definition.js';
import type { JsonValue } from '../../asl/json-value.js';
import { evaluatePath } from '../../asl/json-path.js';
import { AslError, isAslError } from '../../errors/asl-error.js';
import { StatesErrors } from '../../errors/error-names.js';
import { mapRunUpdateId, type ExecutionServices, type MapChildRequest, type MapRunSettings, type MapRunUpdate } from '../../execution/execution-services.js';
import type { ExecutionResult } from '../../execution/execution-journal.js';
import { HistoryFrame } from '../../execution/history-frame.js';
import { IterationDetails } from '../../execution/history-event.js';
import type { AnyActorRef } from 'xstate';
import { childLogicFor, childLogicOf, isInstantLogic, runInstantScope } from '../instant-scope.js';
import { recordAbortOf, redrivePointsOf, ScopeRuntime, type ChildScopes, type FailingIterations, type RedrivePoint, type RedrivenMapRun, type ScopeOutcome } from '../scope-runtime.js';
import { handleFailure, willRetry } from './handle-failure.js';
import { applyInputPath, applyParameters } from './state-io.js';
import { exitWithResult } from './transitions.js';
import { batchesOf } from './item-batcher.js';
import { readerItems, sourceOfItem, STATE_DATA, type ItemSources, type ReaderConfig } from './item-reader.js';
import { exportKey, itemsReadKey } from '../../store/remembered-stream.js';
import { evaluateField, evaluateNumberField } from './jsonata-io.js';
import { childIdentity, planExport, transformResults, writerPlanOf, type ChildRun, type ObjectToWrite, type WriterPlan } from './result-writer.js';

/** One of the MaxConcurrency lanes; its iterations run one after another under the id of its slot. */
interface Worker { slot: number; id: string; frame: HistoryFrame; job?: number; jobFrame?: HistoryFrame; requestId?: string }

interface MapWork extends ChildScopes {
  kind: 'map';
  attempt: number;
  plan: MapPlan;
  items: JsonValue[];
  outputs: JsonValue[];
  next: number;
  /** Each with its iteration in flight, if any (`job`). */
  workers: Worker[];
  failures: number;
  /** 1 for each iteration done successfully (with a redrive: including those kept from before). */
  succeeded: Uint8Array;
  toleratedCount: number;
  toleratedPercentage: number;
  distributed: boolean;
  /** Its children are Express executions (`ProcessorConfig.ExecutionType: EXPRESS`). */
  express: boolean;
  /**
   * Its failures went past what it tolerates while Express children were running: it starts no
   * more and fails once those have ended (see failMapRun).
   */
  failing?: boolean;
  /** A Distributed Map's Map Run. */
  mapRunArn?: string;
  /** Its MapRunRedriven, when this attempt redrives it. */
  redrivenEventId?: number;
  /**
   * The Map Run as a redrive of the parent would take it up (ScopeRuntime.redrivePoint): kept
   * up to date as children start; dropped once it succeeds, or fails in a way after which a
   * redrive starts a new one (DG:redrive-map-run).
   */
  redrivableRun?: RedrivenMapRun;
  /** A Distributed Map's ItemProcessor as the state machine its child executions run (JSON text). */
  childDefinition?: string;
  /** How many UpdateMapRun calls changed its settings. */
  updates?: number;
  /** With a ResultWriter: what each child execution was given and how it ended, by index. */
  runs?: ChildRun[];
  /** Where a redrive picks up the iterations that had failed or were stopped, by index (see startNextJob). */
  redriven?: Record<number, RedrivePoint>;
  /** An inline Map's: what its iterations ask when they fail (see FailingIterations, failMap). */
  iterationFailures?: FailingIterations;
  /** Iterations that failed the Map and left their MapIterationFailed to it (see failMap). */
  unrecordedFailures?: Set<number>;
  /**
   * Its iterations run in place, not as child actors (see runInPlace): those started and not
   * run yet, in the order they were started.
   */
  inPlace?: Worker[];
}

/** What a Map run needs, computed from the state's fields in either query language. */
interface MapPlan {
  items: JsonValue[];
  maxConcurrency: number;
  toleratedCount: number;
  toleratedPercentage: number;
  /** The input of iteration `index` (ItemSelector applied); `extras` is its `$$.Map` entry. */
  inputFor(index: number, item: JsonValue, extras: Record<string, JsonValue>): JsonValue;
  /** `$$.Map.Item.Source` of iteration `index`: STATE_DATA, or the S3 URI an ItemReader read it from. */
  sourceOf(index: number): string | undefined;
  /** Kept for a retry: the effective input the plan was made from. */
  effective: JsonValue;
  /** A Distributed Map's ResultWriter, its Parameters or Arguments resolved. */
  writer?: WriterPlan;
}

/**
 * Map (DG:state-map): an inline Map runs each item through the ItemProcessor as a child actor
 * (in place when nothing in it waits: runInPlace); a Distributed Map runs each as a child
 * execution of its own (startChildExecution) and records only its Map Run here. At most
 * MaxConcurrency iterations are alive at once (0 = no bound); each of the workers takes the
 * next item when its iteration ends, which is also how AWS threads `previousEventId`.
 */
export function enterMap(rt: ScopeRuntime, state: MapState): void {
  const a = rt.active!;
  if (rt.isJsonata(state)) {
    if (state.ItemReader?.Resource !== undefined) return startJsonataReaderMap(rt, state, a.rawInput);
    rt.await(jsonataPlan(rt, state, a.rawInput), (rt, plan) => launch(rt, state, plan));
    return;
  }
  const effective = applyInputPath(rt, a.rawInput, state.InputPath);
  startJsonPathMap(rt, state, effective);
}

function startJsonPathMap(rt: ScopeRuntime, state: MapState, effective: JsonValue): void {
  const maxConcurrency = numberField(rt, state.MaxConcurrency, state.MaxConcurrencyPath, effective, 'MaxConcurrencyPath', 'integer') ?? 0;
  const reader = state.ItemReader;
  if (reader?.Resource !== undefined) {
    const params = reader.Parameters !== undefined ? applyParameters(rt, effective, reader.Parameters, 'ItemReader') : {};
    const config = (reader.ReaderConfig ?? {}) as ReaderConfig & { MaxItemsPath?: string };
    // MaxItemsPath: a number in the state's input (or a variable), numeric strings too.
    const maxItems = numberField(rt, config.MaxItems, config.MaxItemsPath, effective, 'MaxItemsPath', 'integer');
    readItems(rt, state, params, { ...config, MaxItems: maxItems }, (rt, items, mapRunArn, sources) => continueJsonPathMap(rt, state, effective, maxConcurrency, items, mapRunArn, sources));
    return;
  }
  let items: JsonValue | undefined;
  if (state.ItemsPath !== undefined) {
    items = evaluatePath(state.ItemsPath, rt.pathContext(effective));
    if (items === undefined) throw new AslError(StatesErrors.Runtime, `Invalid path '${state.ItemsPath}' : No results for path: $['${state.ItemsPath.replace(/^\$\.?/, '').split('.').join("']['")}']`);
  } else {
    items = effective;
  }
  // An ItemsPath that selects no array (null, an object): AWS words it without the state prefix
  // (recorded against AWS (2026-09)); without ItemsPath the path is its default, `$`.
  if (!Array.isArray(items)) throw new AslError(StatesErrors.Runtime, `Reference path "${state.ItemsPath ?? '$'}" must point to array.`, true);
  continueJsonPathMap(rt, state, effective, maxConcurrency, items);
}

/** `mapRunArn`: the Map Run an ItemReader's read already started (its MapStateStarted recorded too). */
function continueJsonPathMap(rt: ScopeRuntime, state: MapState, effective: JsonValue, maxConcurrency: number, list: JsonValue[], mapRunArn?: string, sources?: ItemSources): void {
  const writer = isDistributed(state) && state.ResultWriter !== undefined
    ? writerPlanOf(state.ResultWriter, writerField(state, 'Parameters') !== undefined ? applyParameters(rt, effective, writerField(state, 'Parameters'), 'ResultWriter') : undefined)
    : undefined;
  if (mapRunArn === undefined) rt.recordStarted('MapStateStarted', { length: list.length });
  const toleratedCount = numberField(rt, state.ToleratedFailureCount, state.ToleratedFailureCountPath, effective, 'ToleratedFailureCountPath', 'integer') ?? 0;
  const toleratedPercentage = numberField(rt, state.ToleratedFailurePercentage, state.ToleratedFailurePercentagePath, effective, 'ToleratedFailurePercentagePath', 'float') ?? 0;
  const selector = state.ItemSelector ?? state.Parameters;
  const field = state.ItemSelector !== undefined ? 'ItemSelector' : 'Parameters';
  const items = batchItems(rt, state, effective, list);
  launch(rt, state, {
    items, maxConcurrency, toleratedCount, toleratedPercentage, effective, writer,
    inputFor: (_index, item, extras) => selector === undefined ? item : applyParameters(rt, effective, selector, field, extras),
    sourceOf: isDistributed(state) ? sourcesOf(sources, items !== list ? items : undefined) : noSource,
  }, true, mapRunArn);
}

/**
 * A Distributed Map's Map Run begins: its ARN (`<machine>/<label>:<id>`) recorded in MapRunStarted.
 * A redrive of the parent redrives the Map Run that did not succeed instead (MapRunRedriven, same
 * ARN), whose unsuccessful children are then redriven (DG:redrive-map-run).
 */
function startMapRun(rt: ScopeRuntime, state: MapState, redriven = rt.redrivenMapRun(rt.active!.name)): string {
  if (redriven) {
    rt.record('MapRunRedriven', { mapRunArn: redriven.mapRunArn, redriveCount: redriven.redriveCount + 1 });
    return redriven.mapRunArn;
  }
  const sm = rt.services.executionContext.StateMachine as { Id: string; Name: string };
  const mapRunArn = sm.Id.replace(':stateMachine:', ':mapRun:') + `/${state.Label ?? rt.active!.name}:${rt.services.newId()}`;
  rt.record('MapRunStarted', { mapRunArn });
  return mapRunArn;
}

/** The ItemReader could not read the items: the Map Run fails (as AWS records it), then the state. */
function readerFailed(rt: ScopeRuntime, thrown: unknown, mapRunArn: string | undefined): void {
  // A failed read is remembered (see readItems) but never reused: a redrive reads again.
  // A retry after this starts a new Map Run: the redrive's is used up.
  rt.takeRedrivePoint(rt.active!.name);
  const { error, cause } = rt.toFailure(isAslError(thrown) ? thrown : new AslError(StatesErrors.ItemReaderFailed, thrown instanceof Error ? thrown.message : String(thrown)));
  if (mapRunArn !== undefined) rt.record('MapRunFailed', { error, cause });
  if (!willRetry(rt, error)) rt.record('MapStateFailed');
  handleFailure(rt, error, cause);
}

/**
 * A JSONata Map with an ItemReader: its `Arguments` evaluated, then, as in JSONPath (see
 * startJsonPathMap), the Map Run started before the read, and the plan made from what was read.
 */
function startJsonataReaderMap(rt: ScopeRuntime, state: MapState, raw: JsonValue): void {
  const config = (state.ItemReader!.ReaderConfig ?? {}) as ReaderConfig;
  // MaxItems may be a JSONata expression, like the Map's other number fields.
  const evaluated = Promise.all([
    evaluateField(rt, state.ItemReader!.Arguments, { input: raw }, 'Arguments'),
    evaluateNumberField(rt, config.MaxItems as JsonValue | undefined, { input: raw }, 'MaxItems', 'integer', 0),
  ]);
  rt.await(evaluated, (rt, [params, maxItems]) =>
    readItems(rt, state, params ?? {}, { ...config, MaxItems: maxItems }, (rt, items, mapRunArn, sources) =>
      rt.await(jsonataPlan(rt, state, raw, items, sources), (rt, plan) => launch(rt, state, plan, true, mapRunArn))));
}

/**
 * An ItemReader's read, in either query language. As AWS records it, the Map Run starts before
 * the items are read (MapStateStarted with length 0, MapRunStarted), and a read that fails fails
 * the Map Run (MapRunFailed) before the Map; `then` gets the items and the Map Run started.
 */
function readItems(rt: ScopeRuntime, state: MapState, params: JsonValue, config: ReaderConfig, then: (rt: ScopeRuntime, items: JsonValue[], mapRunArn: string | undefined, sources: ItemSources) => void): void {
  const reader = state.ItemReader!;
  rt.recordStarted('MapStateStarted', { length: 0 });
  const mapRunArn = isDistributed(state) ? startMapRun(rt, state) : undefined;
  const services = rt.services;
  const name = rt.active!.name;
  const key = readKeyOf(rt, rt.redrivenMapRun(name));
  // A listing to flatten or a manifest takes further reads, each answered as the first is.
  // Its failure is remembered too: a replay of it fails the same way, whatever the file is now.
  const read = () => services.remembered(key, () => readerItems((resource, input) => services.invoke(resource, input, name), reader.Resource!, params, config)
    .then((read): JsonValue => ({ items: read.items, sources: read.sources }), (thrown: unknown): JsonValue => {
      const e = isAslError(thrown) ? thrown : new AslError(StatesErrors.ItemReaderFailed, thrown instanceof Error ? thrown.message : String(thrown));
      return { failed: { error: e.error, cause: e.causeText ?? null, whole: e.causeIsWhole } };
    }))
    .then((outcome) => readOutcome(outcome), (error: unknown) => ({ error }));
  rt.await(read, (rt, r: ReturnType<typeof readOutcome>) => {
    if ('error' in r) return readerFailed(rt, r.error, mapRunArn);
    then(rt, r.items, mapRunArn, r.sources);
  });
}

/**
 * Under what the items an ItemReader read are remembered (services.remembered): the Map state's
 * entry and attempt, so a resume or replay of it reads none; a redriven Map Run takes the key of
 * the attempt it redrives, and with it that attempt's items (DG:redrive-map-run: once children
 * had started, a redriven Map Run runs on the same input).
 */
function readKeyOf(rt: ScopeRuntime, redriven: RedrivenMapRun | undefined): string {
  const a = rt.active!;
  return redriven?.readKey ?? itemsReadKey(a.enteredEventId, a.retryCount, a.pickedUpAt);
}

/** A remembered read: its items, or the failure it ended in. */
function readOutcome(outcome: JsonValue): { items: JsonValue[]; sources: ItemSources } | { error: unknown } {
  const o = outcome as { items?: JsonValue[]; sources?: ItemSources; failed?: { error: string; cause: string | null; whole: boolean } };
  if (o.failed) return { error: new AslError(o.failed.error, o.failed.cause ?? undefined, o.failed.whole) };
  return { items: o.items ?? [], sources: o.sources ?? [] };
}

/**
 * `$$.Map.Item.Source` by iteration (DG:input-output-contextobject): STATE_DATA for items from the
 * state's input, else where the ItemReader read each; a batch's is its first item's.
 */
function sourcesOf(sources: ItemSources | undefined, batches?: JsonValue[]): (index: number) => string {
  if (!sources || sources.length === 0) return stateData;
  if (!batches) return (index) => sourceOfItem(sources, index);
  const firsts: number[] = [];
  let next = 0;
  for (const batch of batches) {
    firsts.push(next);
    next += ((batch as { Items?: JsonValue[] }).Items ?? []).length;
  }
  return (index) => sourceOfItem(sources, firsts[index] ?? 0);
}

const stateData = (): string => STATE_DATA;
/**
 * An inline Map's context has no `Map.Item.Source` (only Index and Value): reading it fails
 * with States.Runtime, as recorded against AWS (2026-09), whatever DG:input-output-contextobject shows.
 */
const noSource = (): undefined => undefined;

/** `read`: the items an ItemReader read (in place of `Items`). */
async function jsonataPlan(rt: ScopeRuntime, state: MapState, raw: JsonValue, read?: JsonValue[], sources?: ItemSources): Promise<MapPlan> {
  const states = { input: raw };
  const itemsField = read ?? (state.Items === undefined ? raw : await evaluateField(rt, state.Items, states, 'Items'));
  if (!Array.isArray(itemsField)) {
    if (state.Items !== undefined && typeof state.Items === 'string') {
      const kind = itemsField === null ? 'null' : typeof itemsField === 'object' ? 'object' : typeof itemsField;
      throw new AslError(StatesErrors.QueryEvaluationError, `The JSONata expression '${jsonataText(state.Items)}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '${kind}' for value: ${JSON.stringify(itemsField)}`);
    }
    throw new AslError(StatesErrors.QueryEvaluationError, `Map state input must be an array but was: ${JSON.stringify(itemsField)}`);
  }
  const items = itemsField;
  const maxConcurrency = (await evaluateNumberField(rt, state.MaxConcurrency, states, 'MaxConcurrency', 'integer', 0)) ?? 0;
  const toleratedCount = (await evaluateNumberField(rt, state.ToleratedFailureCount, states, 'ToleratedFailureCount', 'integer')) ?? 0;
  const toleratedPercentage = (await evaluateNumberField(rt, state.ToleratedFailurePercentage, states, 'ToleratedFailurePercentage', 'number')) ?? 0;
  const inputs: JsonValue[] = [];
  const sourceOf = isDistributed(state) ? sourcesOf(sources) : noSource;
  for (let i = 0; i < items.length; i++) {
    inputs.push(state.ItemSelector === undefined ? items[i]! : ((await evaluateField(rt, state.ItemSelector, states, 'ItemSelector', mapContext(i, items[i]!, sourceOf(i)))) as JsonValue));
  }
  const writer = isDistributed(state) && state.ResultWriter !== undefined
    ? writerPlanOf(state.ResultWriter, await evaluateField(rt, writerField(state, 'Arguments'), states, 'Arguments'))
    : undefined;
  return { items, maxConcurrency, toleratedCount, toleratedPercentage, effective: raw, writer, inputFor: (index) => inputs[index]!, sourceOf };
}

function isDistributed(state: MapState): boolean {
  return processorConfigOf(state)?.Mode === 'DISTRIBUTED';
}

/** A Distributed Map whose children are Express workflows (DG:state-map-distributed, ProcessorConfig). */
function isExpress(state: MapState): boolean {
  return processorConfigOf(state)?.ExecutionType === 'EXPRESS';
}

function processorConfigOf(state: MapState): { Mode?: string; ExecutionType?: string } | undefined {
  return ((state.ItemProcessor ?? state.Iterator) as { ProcessorConfig?: { Mode?: string; ExecutionType?: string } } | undefined)?.ProcessorConfig;
}

function writerField(state: MapState, field: 'Parameters' | 'Arguments'): JsonValue | undefined {
  return (state.ResultWriter as Record<string, JsonValue> | undefined)?.[field];
}

function jsonataText(value: string): string {
  return value.replace(/^\{%/, '').replace(/%\}$/, '').trim();
}

const INLINE_CONCURRENCY_CEILING = 40;

const mapContext = (index: number, item: JsonValue, source: string | undefined): Record<string, JsonValue> =>
  ({ Map: { Item: source === undefined ? { Index: index, Value: item } : { Index: index, Value: item, Source: source } } });

/** `startedRun`: the Map Run an ItemReader's read already started (MapRunStarted recorded). */
function launch(rt: ScopeRuntime, state: MapState, plan: MapPlan, started = false, startedRun?: string): void {
  const a = rt.active!;
  if (!started) rt.recordStarted('MapStateStarted', { length: plan.items.length });
  const { toleratedCount, toleratedPercentage } = plan;
  if (toleratedPercentage < 0 || toleratedPercentage > 100) throw new AslError(StatesErrors.Runtime, 'ToleratedFailurePercentage must be between 0 and 100.');
  if (toleratedCount < 0) throw new AslError(StatesErrors.Runtime, 'ToleratedFailureCount cannot be negative.');
  const distributed = isDistributed(state);
  const batched = plan.items;
  rt.newRequestId(); // still drawn, so the ids and tokens drawn after it stay as recorded before
  const attempt = rt.nextChildEpoch();
  const work: MapWork = {
    kind: 'map', attempt, plan, items: batched, outputs: new Array(batched.length).fill(null), next: 0,
    workers: [], failures: 0, succeeded: new Uint8Array(batched.length), toleratedCount, toleratedPercentage, distributed,
    express: distributed && isExpress(state), inFlight: new Map(),
  };
  a.work = work;
  const redriven = distributed ? rt.redrivenMapRun(a.name) : undefined;
  // A redrive reruns only the iterations that did not succeed (DG:redrive-executions).
  const point = rt.takeRedrivePoint(a.name);
  const kept = point?.succeeded;
  work.redriven = point?.children;
  if (kept) for (const [i, output] of Object.entries(kept)) markSucceeded(work, Number(i), output);
  skipKept(work);
  const remaining = work.succeeded.reduce((left, done) => left - done, batched.length);
  if (distributed) {
    const mapRunArn = startedRun ?? startMapRun(rt, state, redriven);
    work.mapRunArn = mapRunArn;
    const again = redriven?.mapRunArn === mapRunArn ? redriven : undefined;
    work.redrivableRun = { mapRunArn, redriveCount: again ? again.redriveCount + 1 : 0, childAttempts: again ? { ...again.childAttempts } : {} };
    // Nothing was recorded since its MapRunRedriven (an ItemReader's read records no event).
    if (again) work.redrivenEventId = rt.frame.source;
    if (state.ItemReader?.Resource !== undefined) work.redrivableRun.readKey = readKeyOf(rt, again);
    work.childDefinition = childDefinitionOf(state, rt.queryLanguage);
    listenForUpdates(rt, state, work);
    if (plan.writer) work.runs = keptRuns(rt, work, kept, again !== undefined);
  }
  if (remaining <= 0) return finish(rt, state, work);
  // An inline Map runs at most 40 iterations at once whatever MaxConcurrency says
  // (DG:state-map-inline, "up to 40 concurrent iterations"); 0 means that ceiling.
  const ceiling = distributed ? remaining : INLINE_CONCURRENCY_CEILING;
  const wanted = plan.maxConcurrency > 0 ? Math.min(plan.maxConcurrency, ceiling) : ceiling;
  const workerCount = Math.max(1, Math.min(wanted, remaining));
  if (!distributed && work.redriven === undefined && isInstantLogic(childLogicOf(rt.scope.nested.get(a.name)![0]!, rt.queryLanguage))) work.inPlace = [];
  for (let w = 0; w < workerCount; w++) {
    const worker: Worker = { slot: w, id: childId(attempt, w), frame: rt.frame.child() };
    work.workers.push(worker);
    startNextJob(rt, state, work, worker);
  }
  if (work.inPlace) runInPlace(rt, state, work);
}

/**
 * An inline Map whose iterations are made of instant states only (Pass, Choice, Succeed, Fail
 * in JSONPath: isInstantLogic) and none of them redriven runs them in place: nothing in them
 * waits, so they have no lifecycle for an actor to carry. In the order the actors did: the
 * iterations started run one after the other, each that ends is read in the order it ended
 * (as its done event would be), and a read that starts a worker's next iteration runs that one
 * before the next read. The same events in the same order (test/compile/instant-scope.test.ts).
 * An iteration stopped at the history limit never ends, and the Map never finishes. Measured in
 * interleaved samples against spawning them as born-done actors: map-10k +56% first round,
 * +19% steady (10 pairs).
 */
function runInPlace(rt: ScopeRuntime, state: MapState, work: MapWork): void {
  const started = work.inPlace!;
  const ended: { worker: Worker; job: number; outcome: ScopeOutcome }[] = [];
  let read = 0;
  for (;;) {
    for (let i = 0; i < started.length; i++) {
      const worker = started[i]!;
      const iteration = work.inFlight.get(worker.job!)!;
      runInstantScope(iteration);
      if (iteration.outcome !== undefined) ended.push({ worker, job: worker.job!, outcome: iteration.outcome });
    }
    started.length = 0;
    if (read === ended.length || rt.active?.work !== work) return;
    const { worker, job, outcome } = ended[read++]!;
    // One the Map stopped when another failed is over.
    if (worker.job === job) iterationEnded(rt, state, work, worker, outcome);
    // What has been read goes: at most one entry per worker waits to be read, however many items.
    if (read >= 1024) {
      ended.splice(0, read);
      read = 0;
    }
  }
}

function numberField(rt: ScopeRuntime, value: number | string | undefined, path: string | undefined, effective: JsonValue, field: string, kind: 'integer' | 'float'): number | undefined {
  if (typeof value === 'number') return value;
  if (path === undefined) return undefined;
  let v = evaluatePath(path, rt.pathContext(effective));
  // AWS parses the referenced value as Java does: numeric strings count.
  if (typeof v === 'string' && (kind === 'integer' ? /^[+-]?\d+$/ : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/).test(v.trim())) v = Number(v);
  const ok = typeof v === 'number' && (kind === 'float' || Number.isInteger(v));
  if (!ok) {
    const shown = typeof v === 'string' ? v : JSON.stringify(v ?? null);
    throw new AslError(StatesErrors.Runtime, `The ${field} field refers to value "${shown}" which is not a valid ${kind}: ${path}`);
  }
  return v as number;
}

function batchItems(rt: ScopeRuntime, state: MapState, effective: JsonValue, items: JsonValue[]): JsonValue[] {
  const b = state.ItemBatcher;
  if (!b) return items;
  const maxItems = typeof b.MaxItemsPerBatch === 'number' ? b.MaxItemsPerBatch
    : b.MaxItemsPerBatchPath ? Number(evaluatePath(b.MaxItemsPerBatchPath, rt.pathContext(effective))) : Infinity;
  const maxBytes = typeof b.MaxInputBytesPerBatch === 'number' ? b.MaxInputBytesPerBatch
    : b.MaxInputBytesPerBatchPath ? Number(evaluatePath(b.MaxInputBytesPerBatchPath, rt.pathContext(effective))) : Infinity;
  const batchInput = b.BatchInput !== undefined ? applyParameters(rt, effective, b.BatchInput, 'BatchInput') : undefined;
  return batchesOf(items, maxItems, maxBytes, batchInput);
}


// Ids name the worker slot, not the item, so a Map of any size uses at most MaxConcurrency ids.
const childId = (attempt: number, slot: number) => `m.${attempt}.${slot}`;

function skipKept(work: MapWork): void {
  while (work.next < work.items.length && work.succeeded[work.next] === 1) work.next++;
}

function markSucceeded(work: MapWork, index: number, output: JsonValue): void {
  work.outputs[index] = output;
  work.succeeded[index] = 1;
}

function startNextJob(rt: ScopeRuntime, state: MapState, work: MapWork, worker: Worker): void {
  const index = work.next++;
  skipKept(work);
  const a = rt.active!;
  const item = work.items[index]!;
  const extras = mapContext(index, item, work.plan.sourceOf(index));
  const input = work.plan.inputFor(index, item, extras);
  const scope = rt.scope.nested.get(a.name)![0]!;
  worker.job = index;
  if (work.distributed) {
    worker.jobFrame = worker.frame.child();
    return startChildExecution(rt, state, work, worker, index, input);
  }
  // An iteration a redrive picks up goes on from the state it stopped in, with no new
  // MapIterationStarted (checked against AWS recordings).
  const redrive = work.redriven?.[index];
  const iteration = new ScopeRuntime({
    services: rt.services,
    scope, input, source: worker.frame.source,
    role: { kind: 'iteration', mapStateName: a.name, index, map: iterationFailuresOf(work) },
    contextExtras: extras,
    // Variables are replaced on assignment, never changed in place: the iteration can share them.
    variables: rt.variables,
    queryLanguage: rt.queryLanguage,
    redrive,
  });
  // The iteration is its job's thread of the history (see HistoryFrame).
  worker.jobFrame = iteration.frame;
  if (!redrive) rt.services.record(iteration.frame, 'MapIterationStarted', new IterationDetails(index, a.name));
  work.inFlight.set(index, iteration);
  if (work.inPlace) {
    // It sends its actor nothing (nothing in it waits): the Map's stands in for it.
    iteration.self = rt.self;
    work.inPlace.push(worker);
    return;
  }
  rt.spawn({ id: worker.id, logic: childLogicFor(scope, rt.queryLanguage, redrive), input: iteration });
}

/**
 * A Distributed Map's item runs as a child workflow execution (DG:state-map-distributed): an
 * execution of its own, with its own history, of the state machine `<machine>/<label>` (the
 * ItemProcessor), named from the Map Run and the item's index so that a resumed parent finds
 * the children it started before instead of starting them again. Nothing of it is recorded in
 * this history (AWS records none per child).
 */
function startChildExecution(rt: ScopeRuntime, state: MapState, work: MapWork, worker: Worker, index: number, input: JsonValue): void {
  const identity = childIdentity(work.mapRunArn!, index, (rt.services.executionContext.Execution as { Id: string }).Id);
  // A child an earlier attempt of this Map Run ran is redriven: the same execution, one attempt on.
  const attempts = work.redrivableRun?.childAttempts;
  const reached = attempts?.[index];
  const attempt = reached === undefined ? 0 : reached + 1;
  if (attempts) attempts[index] = attempt;
  // Aborted is what it is if the Map Run ends before it does.
  if (work.runs) {
    work.runs[index] = { input, status: 'ABORTED', startDate: rt.services.now(), identity };
  }
  const requestId = `${worker.id}#${index}`;
  worker.requestId = requestId;
  const stateMachineName = identity.stateMachineArn.slice(identity.stateMachineArn.indexOf(':stateMachine:') + ':stateMachine:'.length);
  const mapRun: MapRunSettings = { maxConcurrency: work.plan.maxConcurrency, toleratedFailureCount: work.toleratedCount, toleratedFailurePercentage: work.toleratedPercentage, executionCount: work.items.length, revision: work.updates ?? 0 };
  if (state.ResultWriter !== undefined) mapRun.writesResults = true;
  const request: MapChildRequest = { stateMachineName, name: identity.name, definition: work.childDefinition!, input, mapRunArn: work.mapRunArn!, mapRun };
  if (attempt > 0) request.attempt = attempt;
  if (work.express) request.type = 'EXPRESS';
  // Its records show the redrives the child itself had (DescribeExecution's redriveCount).
  if (work.runs) request.countRedrives = true;
  rt.runChild(requestId, request, (rt, result) => {
    worker.requestId = undefined;
    const run = work.runs?.[index];
    if (run && result.redriveCount) run.redriveCount = result.redriveCount;
    mapChildDone(rt, state, worker.id, outcomeOfChild(result));
  });
}

/**
 * UpdateMapRun (API:UpdateMapRun): new MaxConcurrency and tolerated failures for the Map Run in
 * flight. A higher MaxConcurrency starts more children at once; a lower one lets lanes retire
 * as their children end; new thresholds apply to the failures counted from then on.
 */
function listenForUpdates(rt: ScopeRuntime, state: MapState, work: MapWork): void {
  rt.listen<MapRunUpdate>(mapRunUpdateId(work.mapRunArn!), (rt, update) => {
    // A Map Run failing (waiting for its Express children to end) starts no more children.
    if (rt.active?.work !== work || work.failing) return;
    work.updates = (work.updates ?? 0) + 1;
    if (update.maxConcurrency !== undefined) work.plan = { ...work.plan, maxConcurrency: update.maxConcurrency };
    if (update.toleratedFailureCount !== undefined) work.toleratedCount = update.toleratedFailureCount;
    if (update.toleratedFailurePercentage !== undefined) work.toleratedPercentage = update.toleratedFailurePercentage;
    listenForUpdates(rt, state, work);
    const limit = work.plan.maxConcurrency > 0 ? work.plan.maxConcurrency : Infinity;
    while (work.next < work.items.length && busyWorkers(work) < limit) {
      const worker: Worker = { slot: work.workers.length, id: childId(work.attempt, work.workers.length), frame: rt.frame.child() };
      work.workers.push(worker);
      startNextJob(rt, state, work, worker);
    }
  });
}

/** Whether the Map carries on after `failures` failed iterations (ToleratedFailureCount, ToleratedFailurePercentage). */
function tolerates(work: MapWork, failures: number): boolean {
  return failures <= work.toleratedCount || (work.toleratedPercentage > 0 && (failures / work.items.length) * 100 <= work.toleratedPercentage);
}

/** An inline Map's answer to its failing iterations: one that fails the Map leaves its MapIterationFailed to failMap. */
function iterationFailuresOf(work: MapWork): FailingIterations {
  return (work.iterationFailures ??= {
    takesFailure(index) {
      if (tolerates(work, work.failures + 1)) return false;
      (work.unrecordedFailures ??= new Set()).add(index);
      return true;
    },
  });
}

function busyWorkers(work: MapWork): number {
  let busy = 0;
  for (const w of work.workers) if (w.job !== undefined) busy++;
  return busy;
}

/** How a child execution ended, as the Map counts it: anything but SUCCEEDED is a failed item. */
function outcomeOfChild(result: ExecutionResult): ScopeOutcome {
  if (result.status === 'SUCCEEDED') return { status: 'SUCCEEDED', output: result.output ?? null };
  const error = result.error ?? (result.status === 'TIMED_OUT' ? StatesErrors.Timeout : undefined);
  return { status: 'FAILED', ...(error !== undefined ? { error } : {}), ...(result.cause !== undefined ? { cause: result.cause } : {}) };
}

/** The ItemProcessor as a state machine of its own, in the query language the Map runs in. */
function childDefinitionOf(state: MapState, queryLanguage: QueryLanguage | undefined): string {
  const { ProcessorConfig: _config, ...processor } = (state.ItemProcessor ?? state.Iterator) as unknown as Record<string, JsonValue>;
  return JSON.stringify({ ...(queryLanguage === 'JSONata' && processor.QueryLanguage === undefined ? { QueryLanguage: 'JSONata' } : {}), ...processor });
}

export function mapChildDone(rt: ScopeRuntime, state: MapState, id: string, outcome: ScopeOutcome): void {
  const work = rt.active?.work as MapWork | undefined;
  if (!work || work.kind !== 'map') return;
  // Ids end in the worker's slot (childId); one of an earlier attempt names another worker.
  const worker = work.workers[Number(id.slice(id.lastIndexOf('.') + 1))];
  if (worker?.id !== id || worker.job === undefined) return;
  iterationEnded(rt, state, work, worker, outcome);
}

/** The iteration `worker` ran ended with `outcome`: counted, and the worker's next started, or the Map finished or failed. */
function iterationEnded(rt: ScopeRuntime, state: MapState, work: MapWork, worker: Worker, outcome: ScopeOutcome): void {
  const id = worker.id;
  const index = worker.job!;
  worker.job = undefined;
  worker.frame.integrate(worker.jobFrame!);
  const run = work.runs?.[index];
  if (run) endRun(rt, run, outcome);
  if (work.failing) return expressChildEnded(rt, work, index, outcome);
  if (outcome.status === 'SUCCEEDED') {
    work.inFlight.delete(index);
    markSucceeded(work, index, outcome.output);
  } else {
    work.failures++;
    if (!tolerates(work, work.failures)) return failMap(rt, state, work, worker, index, outcome);
    work.inFlight.delete(index);
    work.outputs[index] = { Error: outcome.error ?? null, Cause: outcome.cause ?? null };
  }
  // UpdateMapRun lowered MaxConcurrency: this lane retires while enough others are busy.
  const overLimit = work.distributed && work.plan.maxConcurrency > 0 && busyWorkers(work) >= work.plan.maxConcurrency;
  if (work.next < work.items.length && !overLimit) {
    // The next iteration takes the finished one's id, replacing it in the parent's children:
    // XState copies that object on every spawn and stop, and overwriting a key keeps its
    // shape, where a stop (a delete) would turn it into a slow dictionary for good.
    startNextJob(rt, state, work, worker);
    return;
  }
  if (!work.distributed && !work.inPlace) rt.stop(id);
  // The last item of a worker: AWS continues from that iteration's closing event.
  worker.frame.source = worker.jobFrame!.lastPublished;
  rt.frame.integrate(worker.frame);
  if (work.workers.every((w) => w.job === undefined)) finish(rt, state, work);
}

function failMap(rt: ScopeRuntime, state: MapState, work: MapWork, failed: Worker, index: number, outcome: ScopeOutcome & { status: 'FAILED' }): void {
  rt.frame.integrate(failed.frame);
  if (work.distributed) return failMapRun(rt, work);
  // Where a redrive picks up this iteration and the ones stopped with it.
  work.stopped = redrivePointsOf(work.inFlight);
  if (!work.inPlace) rt.stop(failed.id);
  // As AWS records it (recorded against AWS, 2026-09, and the map timeout case): by index, the
  // failed iteration's MapIterationFailed and then the Task it failed in, aborted (it never
  // exited), and each iteration still in flight aborted and then the state it was waiting in
  // (TaskStateAborted, ...); all threaded on the event the failure came from. Recorded against
  // AWS (2026-09): iteration 1's activity failed while iteration 0's waited, and the history has
  // MapIterationAborted 0, TaskStateAborted, MapIterationFailed 1, TaskStateAborted.
  // An iteration that has already ended (its MapIterationSucceeded or MapIterationFailed is
  // recorded; the Map has not yet read its done event) is over, not aborted: an iteration of
  // instant states ends in the step that starts it, before any other iteration's outcome is read.
  const abortFrame = new HistoryFrame(failed.jobFrame!.source);
  const unrecorded = work.unrecordedFailures;
  work.unrecordedFailures = undefined;
  const recordFailed = (i: number, scope: ScopeRuntime | undefined) => {
    if (unrecorded?.has(i)) rt.services.record(abortFrame, 'MapIterationFailed', new IterationDetails(i, rt.active!.name), false);
    recordAbortOf(rt, abortFrame, scope);
  };
  let failedPending = true;
  const inFlight = work.workers.filter((w) => w.job !== undefined).sort((x, y) => x.job! - y.job!);
  for (const worker of inFlight) {
    if (failedPending && worker.job! > index) {
      recordFailed(index, work.inFlight.get(index));
      failedPending = false;
    }
    const child = work.inPlace ? undefined : childOf(rt, worker.id);
    const run = work.runs?.[worker.job!];
    if (run) endAbortedRun(rt, run, child);
    // Run in place, an iteration has ended when it has an outcome (else it stopped at the
    // history limit); run as an actor, when the actor is done.
    const scope = work.inPlace ? work.inFlight.get(worker.job!) : child && scopeOf(child);
    const ended = work.inPlace ? scope?.outcome !== undefined : child !== undefined && child.getSnapshot().status !== 'active';
    if (!ended) {
      rt.services.record(abortFrame, 'MapIterationAborted', new IterationDetails(worker.job!, rt.active!.name), false);
      if (scope) recordAbortOf(rt, abortFrame, scope);
    } else if (unrecorded?.has(worker.job!)) {
      // It failed too, and its done event is still to be read: its MapIterationFailed, by index.
      rt.services.record(abortFrame, 'MapIterationFailed', new IterationDetails(worker.job!, rt.active!.name), false);
    }
    if (!work.inPlace) rt.stop(worker.id);
    worker.job = undefined;
  }
  if (failedPending) recordFailed(index, work.inFlight.get(index));
  let error = outcome.error;
  if (work.toleratedCount > 0 || work.toleratedPercentage > 0) error = StatesErrors.ExceedToleratedFailureThreshold;
  mapFailed(rt, work, error, outcome.cause);
}

/**
 * A Distributed Map's failures went past what it tolerates: the child executions still running
 * are aborted (each records ExecutionAborted in its own history; this one records nothing per
 * child) and the Map Run fails. Express children cannot be stopped (AWS waits for them to
 * complete, DG:redrive-map-run): the Map Run starts no more and fails once they have ended.
 */
function failMapRun(rt: ScopeRuntime, work: MapWork): void {
  if (work.express) {
    work.failing = true;
    if (busyWorkers(work) === 0) endFailedMapRun(rt, work);
    return;
  }
  for (const worker of work.workers) {
    if (worker.job === undefined) continue;
    const run = work.runs?.[worker.job];
    if (run) endAbortedRun(rt, run, undefined);
    if (worker.requestId !== undefined) rt.cancel(worker.requestId);
    worker.requestId = undefined;
    worker.job = undefined;
  }
  endFailedMapRun(rt, work);
}

/**
 * An Express child of a failing Map Run ended (see failMapRun): what it did is kept (one that
 * succeeded is not run again by a redrive), and the last to end fails the Map Run.
 */
function expressChildEnded(rt: ScopeRuntime, work: MapWork, index: number, outcome: ScopeOutcome): void {
  if (outcome.status === 'SUCCEEDED') markSucceeded(work, index, outcome.output);
  if (busyWorkers(work) === 0) endFailedMapRun(rt, work);
}

/** The Map Run fails with the tolerated failures exceeded, its results exported first (with a ResultWriter). */
function endFailedMapRun(rt: ScopeRuntime, work: MapWork): void {
  const error = StatesErrors.ExceedToleratedFailureThreshold;
  const cause = 'The specified tolerated failure threshold was exceeded';
  // A failed Map Run still exports what it has: FAILED and PENDING files are for this case
  // (DG:input-output-resultwriter), written before the Map Run is over.
  const target = work.plan.writer?.export;
  if (target && work.runs) {
    exportRuns(rt, work, target, (rt, failure) => mapFailed(rt, work, failure === undefined ? error : StatesErrors.ResultWriterFailed, failure ?? cause));
    return;
  }
  mapFailed(rt, work, error, cause);
}

/** The Map fails: its Map Run first (a Distributed Map), then the state, retried or caught as it says. */
function mapFailed(rt: ScopeRuntime, work: MapWork, error: string | undefined, cause: string | undefined): void {
  if (work.distributed) rt.record('MapRunFailed', { error, cause });
  // After these a redrive starts a new Map Run rather than redriving this one (DG:redrive-map-run).
  if (error === StatesErrors.DataLimitExceeded || error === StatesErrors.Runtime) work.redrivableRun = undefined;
  if (!willRetry(rt, error ?? '')) rt.record('MapStateFailed');
  const verdict = handleFailure(rt, error, cause);
  if (verdict === 'retry') (rt.active!.work as { plan?: MapPlan }).plan = work.plan;
}

function childOf(rt: ScopeRuntime, childId: string): AnyActorRef | undefined {
  return (rt.self.getSnapshot() as { children: Record<string, AnyActorRef | undefined> }).children[childId];
}

/** The runtime of an iteration's actor. */
function scopeOf(child: AnyActorRef): ScopeRuntime | undefined {
  const context = (child.getSnapshot() as { context?: unknown } | undefined)?.context;
  return context instanceof ScopeRuntime ? context : undefined;
}

export function mapRetryFired(rt: ScopeRuntime, state: MapState, requestId: string): void {
  const work = rt.active?.work as { kind: string; requestId: string; plan: MapPlan } | undefined;
  if (!work || work.kind !== 'retry' || work.requestId !== requestId) return;
  launch(rt, state, work.plan);
}

function finish(rt: ScopeRuntime, state: MapState, work: MapWork): void {
  const writer = work.distributed ? work.plan.writer : undefined;
  if (writer && work.runs) {
    // The Map Run succeeds once its results are written; a write that fails fails it.
    if (writer.export) {
      exportRuns(rt, work, writer.export, (rt, failure, result) =>
        failure === undefined ? succeed(rt, state, work, result) : mapFailed(rt, work, StatesErrors.ResultWriterFailed, failure));
      return;
    }
    fillPending(work);
    return succeed(rt, state, work, transformResults(work.runs, work.mapRunArn!, writer.transformation));
  }
  succeed(rt, state, work, work.outputs);
}

function succeed(rt: ScopeRuntime, state: MapState, work: MapWork, result: JsonValue): void {
  if (work.distributed) rt.record('MapRunSucceeded');
  work.redrivableRun = undefined;
  rt.record('MapStateSucceeded', undefined, false);
  // A redriven Map Run's MapStateExited threads on its MapRunRedriven (checked against AWS recordings).
  if (work.redrivenEventId !== undefined) rt.frame.source = work.redrivenEventId;
  exitWithResult(rt, state, result);
}

/**
 * Writes the Map Run's result files and manifest through the resource (S3 PutObject's Bucket,
 * Key and Body), one after another, as the ItemReader reads: through the task handlers, mocks
 * and service callers, outside the history (AWS records no Task events for them). `then` gets
 * the cause of the first write that failed, or the Map's result.
 */
function exportRuns(rt: ScopeRuntime, work: MapWork, target: NonNullable<WriterPlan['export']>, then: (rt: ScopeRuntime, failure: string | undefined, result: JsonValue) => void): void {
  fillPending(work);
  const plan = planExport({
    bucket: target.bucket, prefix: target.prefix, mapRunArn: work.mapRunArn!, runs: work.runs!,
    transformation: work.plan.writer!.transformation, outputType: work.plan.writer!.outputType,
  });
  const services = rt.services;
  const a = rt.active!;
  const name = a.name;
  // How the export ended is remembered (as an ItemReader's read is): a replay or resume takes it
  // instead of writing again, so a Map Run that failed to write its results replays as failed,
  // and its redrive (DG:redrive-map-run) finds where to pick up.
  const key = exportKey(a.enteredEventId, a.retryCount, a.pickedUpAt);
  const exported = () => services.remembered(key, () => writeObjects(services, target.resource, plan.objects, name).then((failed): JsonValue => ({ failed: failed ?? null })));
  rt.await(exported, (rt, outcome: JsonValue) => {
    const failed = (outcome as { failed?: { key: string; message: string } | null }).failed;
    // AWS's wording for a write it could not make: "Failed to write a test manifest into the
    // specified output bucket. ... | Message from S3: ...", after the state's prefix.
    const cause = failed ? rt.stateErrorCause(`Failed to write '${failed.key}' into the specified output bucket '${target.bucket}'. | Message from S3: ${failed.message}`) : undefined;
    then(rt, cause, plan.result);
  });
}

async function writeObjects(services: ExecutionServices, resource: string, objects: ObjectToWrite[], stateName: string): Promise<{ key: string; message: string } | undefined> {
  for (const o of objects) {
    try {
      await services.invoke(resource, { Bucket: o.Bucket, Key: o.Key, Body: o.Body }, stateName, 'write');
    } catch (e) {
      const message = isAslError(e) ? (e.causeText ?? e.error) : e instanceof Error ? e.message : String(e);
      return { key: o.Key, message };
    }
  }
  return undefined;
}

/** The children a redrive keeps: succeeded before, not run again (their times are this run's start). */
function keptRuns(rt: ScopeRuntime, work: MapWork, kept: Record<number, JsonValue> | undefined, sameRun: boolean): ChildRun[] {
  const runs: ChildRun[] = new Array(work.items.length);
  const now = rt.services.now();
  const parent = (rt.services.executionContext.Execution as { Id: string }).Id;
  if (kept) {
    for (const [i, output] of Object.entries(kept)) {
      const run: ChildRun = { input: inputOf(work, Number(i)), status: 'SUCCEEDED', output, startDate: now, stopDate: now };
      // A redriven Map Run keeps its children: each is the execution that succeeded.
      if (sameRun) {
        run.identity = childIdentity(work.mapRunArn!, Number(i), parent);
        const reached = work.redrivableRun?.childAttempts[Number(i)];
        if (reached) run.redriveCount = reached;
      }
      runs[Number(i)] = run;
    }
  }
  return runs;
}

function endRun(rt: ScopeRuntime, run: ChildRun, outcome: ScopeOutcome): void {
  run.stopDate = rt.services.now();
  if (outcome.status === 'SUCCEEDED') {
    run.status = 'SUCCEEDED';
    run.output = outcome.output;
  } else {
    run.status = 'FAILED';
    run.error = outcome.error;
    run.cause = outcome.cause;
  }
}

/** A child in flight when the Map Run fails: aborted, unless it ended before the Map read its outcome. */
function endAbortedRun(rt: ScopeRuntime, run: ChildRun, child: AnyActorRef | undefined): void {
  const snapshot = child?.getSnapshot() as { status?: string; output?: ScopeOutcome } | undefined;
  if (snapshot?.status === 'done' && snapshot.output) return endRun(rt, run, snapshot.output);
  run.stopDate = rt.services.now();
}

/** The children the Map Run never started. */
function fillPending(work: MapWork): void {
  const runs = work.runs!;
  for (let i = 0; i < work.items.length; i++) if (runs[i] === undefined) runs[i] = { input: inputOf(work, i), status: 'PENDING' };
}

/** A child's input (ItemSelector applied); the item itself where the selector cannot be evaluated. */
function inputOf(work: MapWork, index: number): JsonValue {
  const item = work.items[index]!;
  try {
    return work.plan.inputFor(index, item, mapContext(index, item, work.plan.sourceOf(index)));
  } catch (e) {
    if (isAslError(e)) return item;
    throw e;
  }
}

export { HistoryFrame };
