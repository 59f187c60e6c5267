import { StepwiseError } from '../../src/errors/stepwise-error.js';
import { executionOfLeaseStream, isLeaseStream, leaseStreamOf } from '../../src/store/lease-stream.js';

/**
 * Where Stepwise's streams live in EventStoreDB. Every name is `<category>-<id>` with no dash
 * in the category, so the server's `$by_category` projection (which splits at the first dash)
 * files each execution under `$ce-<prefix>Execution`, each lease under `$ce-<prefix>Lease`:
 *
 * - `<prefix>Execution-<executionArn>`: the execution's history, one event per history event
 * - `<prefix>Lease-<executionArn>`: which runtime drives it (kept out of the history)
 * - `<prefix>Meta-<executionArn>`: its metadata (latest wins; `extra` kept from the last event having it)
 * - `<prefix>Index-executions`: every metadata update without `extra`, so that listing reads one stream
 */
export class StreamNames {
  readonly execution: string;
  readonly lease: string;
  readonly meta: string;
  readonly index: string;

  constructor(readonly prefix = 'stepwise') {
    if (!/^[A-Za-z0-9_]+$/.test(prefix)) {
      throw new StepwiseError('InvalidArgument', `The stream prefix must be letters, digits or '_' (no '-', which ends a category), not '${prefix}'.`);
    }
    this.execution = `${prefix}Execution-`;
    this.lease = `${prefix}Lease-`;
    this.meta = `${prefix}Meta-`;
    this.index = `${prefix}Index-executions`;
  }

  /** The EventStoreDB stream of a store stream id (an execution ARN or its lease stream). */
  toEsdb(streamId: string): string {
    return isLeaseStream(streamId) ? this.lease + executionOfLeaseStream(streamId) : this.execution + streamId;
  }

  /** The store stream id of an EventStoreDB stream, or undefined for a stream that is not one of ours. */
  fromEsdb(stream: string): string | undefined {
    if (stream.startsWith(this.execution)) return stream.slice(this.execution.length);
    if (stream.startsWith(this.lease)) return leaseStreamOf(stream.slice(this.lease.length));
    return undefined;
  }

  metaOf(executionArn: string): string {
    return this.meta + executionArn;
  }

  /** The streams `subscribeAll` delivers: histories and leases. */
  get allPrefixes(): string[] {
    return [this.execution, this.lease];
  }
}
