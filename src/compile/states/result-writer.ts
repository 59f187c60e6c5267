import { createHash } from 'node:crypto';
import type { JsonValue } from '../../asl/json-value.js';
import { AslError } from '../../errors/asl-error.js';
import { StatesErrors } from '../../errors/error-names.js';

/**
 * A Distributed Map's ResultWriter (DG:input-output-resultwriter), as pure data work: the
 * workflow metadata of each child execution, the WriterConfig transformations, and what an
 * export to Amazon S3 writes (result files split by status and size, and `manifest.json`).
 * The Map state (map-state.ts) gathers the child runs and makes the S3 calls.
 */

export type Transformation = 'NONE' | 'COMPACT' | 'FLATTEN';
export type OutputType = 'JSON' | 'JSONL';

/** How a child execution ended, or `PENDING` for one the Map Run never started. */
export type ChildStatus = 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'PENDING';

/** What the Map knows of one child execution (one item, or one batch of items). */
export interface ChildRun {
  input: JsonValue;
  status: ChildStatus;
  /** Epoch milliseconds; absent for a child that never started. */
  startDate?: number;
  stopDate?: number;
  output?: JsonValue;
  error?: string;
  cause?: string;
  /** The child execution it ran as (absent for one never started). */
  identity?: ChildIdentity;
  /** Times its Map Run redrove it (DG:redrive-map-run). */
  redriveCount?: number;
}

/** The ARNs and name of a child execution. */
export interface ChildIdentity {
  stateMachineArn: string;
  executionArn: string;
  name: string;
}

/**
 * AWS's files are "up to 5 GB"; a file past that continues in the next index
 * (DG:input-output-resultwriter, "Exporting to Amazon S3").
 */
export const RESULT_FILE_MAX_BYTES = 5 * 1024 ** 3;

// RFC 4122's URL namespace: the child names are name-based UUIDs of the Map Run ARN and the index.
const NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/** A name-based (MD5, version 3) UUID, the kind AWS's child execution names and Map Run ids are. */
export function uuidV3(name: string, namespace = NAMESPACE): string {
  const hash = createHash('md5').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x30;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The id at the end of a Map Run ARN (`...:mapRun:<machine>/<label>:<id>`). */
export function mapRunId(mapRunArn: string): string {
  return mapRunArn.slice(mapRunArn.lastIndexOf(':') + 1);
}

/**
 * A child execution's ARNs as AWS forms them (DG:concepts-examine-map-run): the state machine
 * `arn:<partition>:states:<region>:<account>:stateMachine:<machine>/<label>` and the execution
 * `...:execution:<machine>/<label>:<name>`. The name is derived from the Map Run ARN and the
 * item's index, so the same run names its children the same way every time it is replayed.
 */
export function childIdentity(mapRunArn: string, index: number, parentExecutionArn?: string): ChildIdentity {
  const run = mapRunArn.slice(0, mapRunArn.lastIndexOf(':'));
  // With the parent's ARN: a fork of an execution draws the same Map Run ids as its origin.
  const name = uuidV3(parentExecutionArn === undefined ? `${mapRunArn}/${index}` : `${parentExecutionArn}/${mapRunArn}/${index}`);
  return {
    stateMachineArn: run.replace(':mapRun:', ':stateMachine:'),
    executionArn: `${run.replace(':mapRun:', ':execution:')}:${name}`,
    name,
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * A child execution with its workflow metadata: what the NONE transformation returns. Keys in
 * the order of AWS's files (alphabetical), dates as ISO-8601 with milliseconds, Input and
 * Output as JSON text. A succeeded child is NOT_REDRIVABLE with AWS's reason; one that failed
 * or was aborted can be redriven through its Map Run (REDRIVABLE_BY_MAP_RUN), and shows
 * OutputDetails without an Output, as AWS's FAILED files do.
 */
export function executionRecord(run: ChildRun, id: ChildIdentity | undefined): Record<string, JsonValue> {
  const r: Record<string, JsonValue> = {};
  if (run.status === 'PENDING' || id === undefined) {
    // Never started: no execution exists yet, only the input it would have been given.
    r.Input = JSON.stringify(run.input);
    r.InputDetails = { Included: true };
    return r;
  }
  if (run.status !== 'SUCCEEDED') {
    if (run.cause !== undefined) r.Cause = run.cause;
    if (run.error !== undefined) r.Error = run.error;
  }
  r.ExecutionArn = id.executionArn;
  r.Input = JSON.stringify(run.input);
  r.InputDetails = { Included: true };
  r.Name = id.name;
  if (run.status === 'SUCCEEDED') r.Output = JSON.stringify(run.output ?? null);
  r.OutputDetails = { Included: true };
  r.RedriveCount = run.redriveCount ?? 0;
  if (run.status === 'SUCCEEDED') {
    r.RedriveStatus = 'NOT_REDRIVABLE';
    r.RedriveStatusReason = 'Execution is SUCCEEDED and cannot be redriven';
  } else {
    r.RedriveStatus = 'REDRIVABLE_BY_MAP_RUN';
  }
  if (run.startDate !== undefined) r.StartDate = iso(run.startDate);
  r.StateMachineArn = id.stateMachineArn;
  r.Status = run.status;
  if (run.stopDate !== undefined) r.StopDate = iso(run.stopDate);
  return r;
}

/**
 * What one child contributes under a transformation: its output (COMPACT), the elements of an
 * output that is an array (FLATTEN), or its record (NONE). A child that did not succeed is
 * always its record, "equivalent to having set Transformation to NONE".
 */
function contribution(run: ChildRun, mapRunArn: string, index: number, transformation: Transformation): JsonValue[] {
  if (run.status !== 'SUCCEEDED' || transformation === 'NONE') {
    return [executionRecord(run, run.status === 'PENDING' ? undefined : run.identity ?? childIdentity(mapRunArn, index))];
  }
  const output = run.output ?? null;
  return transformation === 'FLATTEN' && Array.isArray(output) ? output : [output];
}

/**
 * The Map's result with a WriterConfig and no S3 export (the "preview"): the children in item
 * order, transformed. OutputType has no bearing here: a state's output is one JSON value.
 */
export function transformResults(runs: readonly ChildRun[], mapRunArn: string, transformation: Transformation): JsonValue[] {
  const out: JsonValue[] = [];
  runs.forEach((run, index) => {
    for (const v of contribution(run, mapRunArn, index, transformation)) out.push(v);
  });
  return out;
}

/**
 * File bodies holding `values` in order, as one JSON array per file or JSON Lines (one value and
 * a newline per line), each at most `maxBytes` in UTF-8 unless a single value is larger. No
 * values, no file.
 */
export function splitIntoFiles(values: readonly JsonValue[], outputType: OutputType, maxBytes = RESULT_FILE_MAX_BYTES): string[] {
  const files: string[] = [];
  let parts: string[] = [];
  let bytes = 0; // the current file's size
  const flush = () => {
    if (parts.length === 0) return;
    files.push(outputType === 'JSON' ? `[${parts.join(',')}]` : parts.map((p) => `${p}\n`).join(''));
    parts = [];
    bytes = 0;
  };
  // What a value adds: its text and a comma, or the brackets with the first; a newline per line.
  const growth = (length: number, first: boolean) => (outputType === 'JSON' ? length + (first ? 2 : 1) : length + 1);
  for (const value of values) {
    const text = JSON.stringify(value);
    const length = Buffer.byteLength(text, 'utf8');
    if (parts.length > 0 && bytes + growth(length, false) > maxBytes) flush();
    bytes += growth(length, parts.length === 0);
    parts.push(text);
  }
  flush();
  return files;
}

/** Where a Map Run's files go: `<Prefix>/<map run id>/` (no Prefix: `<map run id>/`). */
export function resultDirectory(prefix: string | undefined, mapRunArn: string): string {
  const p = prefix === undefined || prefix === '' ? '' : prefix.endsWith('/') ? prefix : `${prefix}/`;
  return `${p}${mapRunId(mapRunArn)}/`;
}

export interface ExportRequest {
  bucket: string;
  prefix?: string;
  mapRunArn: string;
  runs: readonly ChildRun[];
  transformation: Transformation;
  outputType: OutputType;
  maxFileBytes?: number;
}

/** One S3 object to write, in S3 PutObject's terms. */
export interface ObjectToWrite {
  Bucket: string;
  Key: string;
  Body: string;
}

export interface ExportPlan {
  /** The result files, then `manifest.json` last (it names them). */
  objects: ObjectToWrite[];
  /** The Distributed Map's result once they are written. */
  result: { MapRunArn: string; ResultWriterDetails: { Bucket: string; Key: string } };
}

const STATUS_FILES = ['SUCCEEDED', 'FAILED', 'PENDING'] as const;

/**
 * What exporting a Map Run writes (DG:input-output-resultwriter, "Exporting to Amazon S3"):
 * children with the same status in their own files, `SUCCEEDED_<n>.json` with the configured
 * transformation, `FAILED_<n>.json` (failed, timed out and aborted children) and
 * `PENDING_<n>.json` (never started) as records, each file continued in the next index past
 * the size limit; and `manifest.json` with DestinationBucket, MapRunArn and ResultFiles
 * (FAILED, PENDING, SUCCEEDED: [{Key, Size}]). The names keep `.json` with JSONL content too.
 */
export function planExport(request: ExportRequest): ExportPlan {
  const dir = resultDirectory(request.prefix, request.mapRunArn);
  const groups: Record<(typeof STATUS_FILES)[number], JsonValue[]> = { SUCCEEDED: [], FAILED: [], PENDING: [] };
  request.runs.forEach((run, index) => {
    const group = run.status === 'SUCCEEDED' ? 'SUCCEEDED' : run.status === 'PENDING' ? 'PENDING' : 'FAILED';
    for (const v of contribution(run, request.mapRunArn, index, request.transformation)) groups[group].push(v);
  });
  const objects: ObjectToWrite[] = [];
  const listed: Record<string, JsonValue[]> = { FAILED: [], PENDING: [], SUCCEEDED: [] };
  for (const status of STATUS_FILES) {
    splitIntoFiles(groups[status], request.outputType, request.maxFileBytes).forEach((body, n) => {
      const key = `${dir}${status}_${n}.json`;
      objects.push({ Bucket: request.bucket, Key: key, Body: body });
      listed[status]!.push({ Key: key, Size: Buffer.byteLength(body, 'utf8') });
    });
  }
  const manifestKey = `${dir}manifest.json`;
  const manifest = { DestinationBucket: request.bucket, MapRunArn: request.mapRunArn, ResultFiles: listed };
  objects.push({ Bucket: request.bucket, Key: manifestKey, Body: JSON.stringify(manifest) });
  return { objects, result: { MapRunArn: request.mapRunArn, ResultWriterDetails: { Bucket: request.bucket, Key: manifestKey } } };
}

/** What a Map does with its results, from its ResultWriter and the Parameters/Arguments it resolved. */
export interface WriterPlan {
  transformation: Transformation;
  outputType: OutputType;
  /** The export to S3, when the ResultWriter names a Resource. */
  export?: { resource: string; bucket: string; prefix?: string };
}

/**
 * Reads a ResultWriter (already validated) with its resolved Parameters (JSONPath) or
 * Arguments (JSONata). Without a WriterConfig the export writes NONE; a WriterConfig alone
 * previews, COMPACT unless it says otherwise; OutputType defaults to JSON.
 */
export function writerPlanOf(writer: JsonValue, resolved: JsonValue | undefined): WriterPlan {
  const w = (writer ?? {}) as { Resource?: string; WriterConfig?: { Transformation?: Transformation; OutputType?: OutputType } };
  const config = w.WriterConfig;
  const plan: WriterPlan = { transformation: config?.Transformation ?? (w.Resource !== undefined ? 'NONE' : 'COMPACT'), outputType: config?.OutputType ?? 'JSON' };
  if (w.Resource === undefined) return plan;
  const params = (resolved !== null && typeof resolved === 'object' && !Array.isArray(resolved) ? resolved : {}) as Record<string, JsonValue>;
  const bucket = params.Bucket;
  const prefix = params.Prefix;
  if (typeof bucket !== 'string' || bucket === '') {
    throw new AslError(StatesErrors.ResultWriterFailed, `The ResultWriter's Bucket must be a bucket name, not ${JSON.stringify(bucket ?? null)}.`);
  }
  if (prefix !== undefined && prefix !== null && typeof prefix !== 'string') {
    throw new AslError(StatesErrors.ResultWriterFailed, `The ResultWriter's Prefix must be a string, not ${JSON.stringify(prefix)}.`);
  }
  plan.export = { resource: w.Resource, bucket, prefix: typeof prefix === 'string' ? prefix : undefined };
  return plan;
}
