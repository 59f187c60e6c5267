import type { JsonValue } from '../asl/json-value.js';
import type { ExecutionServices } from '../execution/execution-services.js';
import { AslError } from '../errors/asl-error.js';
import { StatesErrors } from '../errors/error-names.js';
import { jsonByteLength, jsonSizeBound } from './scope-runtime.js';

/** AWS caps the workflow variables of one execution at 10 MiB of JSON text (service quotas). */
export const EXECUTION_VARIABLE_BYTES = 10 * 1024 * 1024;

/** What one scope holds against the execution's total: the variables it assigned itself, by name. */
export interface OwnedVariables {
  readonly variables: () => Record<string, JsonValue>;
  /** An upper bound of each variable's JSON size (exact once the total has been measured). */
  readonly sizes: Map<string, number>;
}

/**
 * The running total of an execution's workflow variables. Each live scope counts the variables
 * it assigned itself (a Parallel branch or Map iteration sees its parent's variables but does
 * not count them again); a scope that ends releases its own. Sizes are upper bounds until the
 * total could exceed the limit: then every live variable is measured exactly.
 */
class VariableLedger {
  total = 0;
  readonly live = new Set<OwnedVariables>();

  /** Throws when `assigned`, replacing what `owner` held under those names, takes the total past `limit`. */
  assign(owner: OwnedVariables, assigned: Record<string, JsonValue>, limit: number, stateName: string): void {
    const bounds = new Map<string, number>();
    let total = this.total;
    for (const name of Object.keys(assigned)) {
      const bound = jsonSizeBound(assigned[name]!, limit + 1);
      bounds.set(name, bound);
      total += bound - (owner.sizes.get(name) ?? 0);
    }
    if (total > limit) {
      // Could be past the limit: measure every live variable exactly.
      this.total = this.measure();
      total = this.total;
      for (const name of bounds.keys()) {
        const exact = jsonByteLength(assigned[name]!);
        bounds.set(name, exact);
        total += exact - (owner.sizes.get(name) ?? 0);
      }
      if (total > limit) {
        throw new VariableLimitError(`Execution total variable size limit exceeded. State '${stateName}' assigned variables that exceed the total execution limit by ${total - limit} bytes.`);
      }
    }
    for (const [name, size] of bounds) owner.sizes.set(name, size);
    this.live.add(owner);
    this.total = total;
  }

  /** The exact size of every live variable (kept as their sizes from now on). */
  private measure(): number {
    let total = 0;
    for (const scope of this.live) {
      const values = scope.variables();
      for (const name of scope.sizes.keys()) {
        const exact = jsonByteLength(values[name] ?? null);
        scope.sizes.set(name, exact);
        total += exact;
      }
    }
    return total;
  }

  release(owner: OwnedVariables): void {
    if (!this.live.delete(owner)) return;
    for (const size of owner.sizes.values()) this.total -= size;
    owner.sizes.clear();
  }
}

const ledgers = new WeakMap<ExecutionServices, VariableLedger>();

function ledgerOf(services: ExecutionServices): VariableLedger {
  let ledger = ledgers.get(services);
  if (!ledger) ledgers.set(services, (ledger = new VariableLedger()));
  return ledger;
}

/**
 * Checks the execution total of workflow variables (10 MiB, lifted with the payload limit by
 * `limits.payloadBytes: Infinity`) before `assigned` takes effect. Recorded against AWS (2026-09):
 * a value counts as its JSON text, names are not counted, and the state that crosses the total
 * fails with States.DataLimitExceeded, recorded as an EvaluationFailed at location "Assign".
 */
export function checkExecutionVariables(services: ExecutionServices, owner: OwnedVariables, assigned: Record<string, JsonValue>, stateName: string): void {
  if (!Number.isFinite(services.limits.payloadBytes)) return;
  ledgerOf(services).assign(owner, assigned, EXECUTION_VARIABLE_BYTES, stateName);
}

/** A scope that ended gives its variables back. */
export function releaseVariables(services: ExecutionServices, owner: OwnedVariables | undefined): void {
  if (owner && owner.sizes.size > 0) ledgers.get(services)?.release(owner);
}

/**
 * A variable limit a state's Assign crossed: States.DataLimitExceeded, its cause whole, recorded
 * as an EvaluationFailed with location "Assign" threaded from the state's entered event.
 */
export class VariableLimitError extends AslError {
  readonly field = 'Assign';
  constructor(causeText: string) {
    super(StatesErrors.DataLimitExceeded, causeText, true);
  }
}
