import type { Retrier } from '../../../src/asl/definition.js';
import type { JsonValue } from '../../../src/asl/json-value.js';
import { walkStates } from '../../../src/asl/variable-references.js';
import { findRetrier, maxAttempts, retryDelayMs } from '../../../src/compile/error-policy.js';
import { validationError } from '../aws-json-protocol.js';
import type { MapFacts } from './test-state-map.js';
import type { TestStateMock } from './test-state-mock.js';

type StateDef = Record<string, JsonValue>;

/** API:TestStateConfiguration. */
export interface StateConfiguration {
  retrierRetryCount?: number;
  errorCausedByState?: string;
  mapIterationFailureCount?: number;
  mapItemReaderData?: string;
}

/** API:TestStateConfiguration's constraints, checked with AWS's usual wording for a member (`stateConfiguration.x`). */
export function readStateConfiguration(raw: Record<string, unknown> | undefined): StateConfiguration {
  if (!raw) return {};
  const config: StateConfiguration = {};
  const count = (key: 'retrierRetryCount' | 'mapIterationFailureCount') => {
    const v = raw[key];
    if (v === undefined || v === null) return;
    const where = `stateConfiguration.${key}`;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw validationError(`1 validation error detected: Value at '${where}' failed to satisfy constraint: Member must be an integer`);
    if (v < 0) throw validationError(`1 validation error detected: Value '${v}' at '${where}' failed to satisfy constraint: Member must have value greater than or equal to 0`);
    config[key] = v;
  };
  const text = (key: 'errorCausedByState' | 'mapItemReaderData', min: number, max: number) => {
    const v = raw[key];
    if (v === undefined || v === null) return;
    const where = `stateConfiguration.${key}`;
    if (typeof v !== 'string') throw validationError(`1 validation error detected: Value at '${where}' failed to satisfy constraint: Member must be a string`);
    if (v.length < min) throw validationError(`1 validation error detected: Value at '${where}' failed to satisfy constraint: Member must have length greater than or equal to ${min}`);
    if (v.length > max) throw validationError(`1 validation error detected: Value at '${where}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
    config[key] = v;
  };
  count('retrierRetryCount');
  count('mapIterationFailureCount');
  text('errorCausedByState', 1, 80);
  text('mapItemReaderData', 0, 262144);
  return config;
}

const RETRYING = new Set(['Task', 'Map', 'Parallel']);

/**
 * Each member where the documentation places it (API:TestStateConfiguration,
 * DG:test-state-isolation); AWS's wording for these refusals is not recorded, so they say what
 * is wrong and why in Stepwise's words:
 * - errorCausedByState is "the state from which an error originates when an error is mocked for
 *   a Map or Parallel state", and "When mocking errors for Map or Parallel states, you must
 *   specify which sub-state caused the error": a state inside the tested one, with
 *   mock.errorOutput, required then;
 * - mapIterationFailureCount and mapItemReaderData are about a Map's iterations and a
 *   Distributed Map's ItemReader;
 * - retrierRetryCount counts retries of "the state's Retry": a state type that can have one.
 */
export function checkStateConfiguration(config: StateConfiguration, state: StateDef, name: string, mock: TestStateMock | undefined): void {
  const type = state.Type as string;
  const container = type === 'Map' || type === 'Parallel';
  if (config.errorCausedByState !== undefined) {
    const named = config.errorCausedByState;
    if (!container) throw validationError(`stateConfiguration.errorCausedByState applies to a Map or Parallel state whose mocked error comes from a state inside it; '${name}' is a ${type} state.`);
    if (mock?.kind !== 'error') throw validationError('stateConfiguration.errorCausedByState names the state inside the Map or Parallel state that a mocked error comes from: it needs mock.errorOutput.');
    if (!statesInside(state).has(named)) throw validationError(`stateConfiguration.errorCausedByState: '${named}' is not a state inside the ${type} state '${name}'.`);
  } else if (type === 'Parallel' && mock?.kind === 'error') {
    // A Map's mocked error needs no source state: AWS answers it FAILED with the mocked error (recorded against AWS, 2026-09).
    throw validationError(`stateConfiguration.errorCausedByState is required when mocking an error for a ${type} state: it names the state inside '${name}' that the error comes from.`);
  }
  if (config.mapIterationFailureCount !== undefined && type !== 'Map') {
    throw validationError('MapIterationFailureCount is only supported when testing a Map state.');
  }
  if (config.mapItemReaderData !== undefined && (type !== 'Map' || state.ItemReader === undefined)) {
    throw validationError(`stateConfiguration.mapItemReaderData is what a Distributed Map's ItemReader reads; '${name}' is ${type === 'Map' ? 'a Map state without ItemReader' : `a ${type} state`}.`);
  }
  if (config.retrierRetryCount !== undefined && !RETRYING.has(type)) {
    throw validationError(`stateConfiguration.retrierRetryCount counts the retries of the state's Retry; a ${type} state has no Retry.`);
  }
}

/** The names of the states inside a Map's ItemProcessor or a Parallel's branches, at any depth. */
function statesInside(state: StateDef): Set<string> {
  const names = new Set<string>();
  walkStates({ States: { [OUTER]: state } } as Record<string, unknown>, '', (_s, pointer) => {
    if (pointer !== OUTER_POINTER) names.add(pointerName(pointer));
  });
  return names;
}

const OUTER = 'outer';
const OUTER_POINTER = `/States/${OUTER}`;

/** The state name a pointer ends with (JSON Pointer escapes undone). */
function pointerName(pointer: string): string {
  return pointer.slice(pointer.lastIndexOf('/') + 1).replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * "The value for this field cannot exceed the number of items in the input"
 * (DG:test-state-isolation, "Testing Distributed Map states"), when the items are known.
 */
export function checkFailureCount(failures: number | undefined, facts: MapFacts): void {
  if (failures === undefined || !facts.items || failures <= facts.items.length) return;
  // AWS's words, recorded against AWS (2026-09).
  throw validationError('Map iteration failure count must be less than or equal to the number of Map iterations');
}

/**
 * A mocked Map's result has one entry per iteration, a batch being one iteration; checked after
 * the failure threshold (a threshold exceeded fails the Map first), as recorded against AWS (2026-09).
 */
export function checkResultCount(result: JsonValue, facts: MapFacts): void {
  if (!Array.isArray(result) || facts.iterations === undefined || result.length === facts.iterations) return;
  throw validationError("Input array does not equal the mocked result array's size");
}

/**
 * Whether that many failed iterations exceed the Map's tolerated failure threshold. Only a
 * threshold the Map declares counts: AWS's recordings show a Map without ToleratedFailureCount
 * or ToleratedFailurePercentage succeed with two failed iterations of three.
 */
export function exceedsTolerance(failures: number, facts: MapFacts): boolean {
  if (facts.toleratedCount !== undefined && failures > facts.toleratedCount) return true;
  const total = facts.items?.length;
  return facts.toleratedPercentage !== undefined && total !== undefined && total > 0 && (failures * 100) / total > facts.toleratedPercentage;
}

/** The error a Map fails with past its threshold, as AWS words it. */
export const THRESHOLD_EXCEEDED = { error: 'States.ExceedToleratedFailureThreshold', cause: 'The specified tolerated failure threshold was exceeded' };

/** Which retrier takes an error and, if it can still retry, after how long. */
export interface RetryOutcome {
  retryIndex: number;
  /** Absent when the retrier has used up its MaxAttempts: the error goes on to Catch. */
  backoffSeconds?: number;
}

/**
 * The state's first retrier that matches the error (DG:concepts-error-handling). With
 * `retrierRetryCount` retries already made (0 without it) it retries while that is below
 * MaxAttempts (default 3), after IntervalSeconds × BackoffRate^count seconds capped by
 * MaxDelaySeconds (DG:test-state-isolation, "Simulating retry attempts": 2 × 2.0^1 = 4), whole
 * seconds as the API's integer; JitterStrategy's random part is left out. AWS's recordings:
 * IntervalSeconds 1, BackoffRate 2, MaxAttempts 5 gives 16 s for count 4 and, for count 5, a
 * FAILED status whose errorDetails still name the retrier.
 */
export function retryOutcome(state: StateDef, error: string, retrierRetryCount = 0): RetryOutcome | undefined {
  const retriers = Array.isArray(state.Retry) ? (state.Retry as unknown as Retrier[]) : undefined;
  const index = findRetrier(retriers, error);
  if (index < 0) return undefined;
  const { JitterStrategy: _jitter, ...retrier } = retriers![index]!;
  if (retrierRetryCount >= maxAttempts(retrier)) return { retryIndex: index };
  return { retryIndex: index, backoffSeconds: Math.trunc(retryDelayMs(retrier, retrierRetryCount, Math.random) / 1000) };
}
