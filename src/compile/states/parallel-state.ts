import { StatesErrors } from '../../errors/error-names.js';
import type { ParallelState } from '../../asl/definition.js';
import type { AnyActorLogic } from 'xstate';
import type { JsonValue } from '../../asl/json-value.js';
import { HistoryFrame } from '../../execution/history-frame.js';
import { childLogicFor, isInstantLogic, runInstantScope } from '../instant-scope.js';
import { recordAbortOf, redrivePointsOf, ScopeRuntime, type ChildScopes, type ScopeOutcome } from '../scope-runtime.js';
import { handleFailure, willRetry } from './handle-failure.js';
import { applyInputPath, applyParameters } from './state-io.js';
import { exitWithResult } from './transitions.js';
import { evaluateField } from './jsonata-io.js';

interface ParallelWork extends ChildScopes {
  kind: 'parallel';
  attempt: number;
  input: JsonValue;
  outputs: JsonValue[];
  frames: HistoryFrame[];
  running: Set<number>;
  /** 1 for each branch done successfully (with a redrive: including those kept from before). */
  succeeded: Uint8Array;
  /** The branches ran in place, not as child actors (see startBranches). */
  inPlace: boolean;
}

/**
 * Parallel (DG:state-parallel): each branch runs as a child actor on the same input; the
 * output is the array of branch outputs in branch order. A failing branch stops the others.
 *
 * When every branch is made of instant states only (Pass, Choice, Succeed, Fail in JSONPath:
 * isInstantLogic), nothing in any of them waits: they have no lifecycle for an actor to carry,
 * so they run in place, one after the other within the step that enters the Parallel, and
 * their outcomes are read as their actors' done events would be (the same events in the same
 * order: test/compile/instant-scope.test.ts). Measured in interleaved samples against spawning
 * them as born-done actors: parallel-fanout +16.2% and +26.7% first round, +2.2% and +1.9%
 * steady (two runs of 16 pairs): XState's spawn, done event and stop of each branch are code V8
 * has not optimised yet in a first round. A Parallel with any branch that can wait spawns all
 * as actors, so that the history's order stays the one those actors give.
 */
export function enterParallel(rt: ScopeRuntime, state: ParallelState): void {
  const a = rt.active!;
  if (rt.isJsonata(state)) {
    const raw = a.rawInput;
    rt.await(evaluateField(rt, state.Arguments, { input: raw }, 'Arguments'), (rt, args) => startBranches(rt, state, args === undefined ? raw : args));
    return;
  }
  const effective = applyInputPath(rt, a.rawInput, state.InputPath);
  const input = applyParameters(rt, effective, state.Parameters, 'Parameters');
  startBranches(rt, state, input);
}

function startBranches(rt: ScopeRuntime, state: ParallelState, input: JsonValue): void {
  const a = rt.active!;
  rt.recordStarted('ParallelStateStarted');
  rt.newRequestId(); // still drawn, so the ids and tokens drawn after it stay as recorded before
  const attempt = rt.nextChildEpoch();
  const branches = rt.scope.nested.get(a.name)!;
  const work: ParallelWork = {
    kind: 'parallel', attempt, input, outputs: new Array(branches.length).fill(null), frames: [], running: new Set(), succeeded: new Uint8Array(branches.length), inFlight: new Map(), inPlace: false,
  };
  a.work = work;
  const redriven = rt.takeRedrivePoint(a.name);
  const kept = redriven?.succeeded ?? {};
  const logics: (AnyActorLogic | undefined)[] = new Array(branches.length);
  let inPlace = true;
  for (let index = 0; index < branches.length; index++) {
    // A redrive reruns only the branches that did not succeed; each goes on from the state it
    // stopped in (checked against AWS recordings).
    if (index in kept) continue;
    const logic = childLogicFor(branches[index]!, rt.queryLanguage, redriven?.children?.[index]);
    logics[index] = logic;
    if (!isInstantLogic(logic)) inPlace = false;
  }
  work.inPlace = inPlace;
  for (let index = 0; index < branches.length; index++) {
    const logic = logics[index];
    if (logic === undefined) {
      work.outputs[index] = kept[index]!;
      work.succeeded[index] = 1;
      continue;
    }
    work.running.add(index);
    const branch = new ScopeRuntime({ services: rt.services, scope: branches[index]!, input, source: rt.frame.source, role: { kind: 'branch', index }, variables: rt.variables, queryLanguage: rt.queryLanguage, redrive: redriven?.children?.[index] });
    // The branch is its thread of the history: the Parallel takes in how far it got when it ends.
    work.frames[index] = branch.frame;
    work.inFlight.set(index, branch);
    if (inPlace) {
      // Nothing in it waits, so it runs to its end here, and its outcome is read below. It sends
      // its actor nothing: the Parallel's stands in for it.
      branch.self = rt.self;
      runInstantScope(branch);
    } else rt.spawn({ id: childId(attempt, index), logic, input: branch });
  }
  if (work.running.size === 0) {
    finish(rt, state, work);
    return;
  }
  if (!inPlace) return;
  // Read in branch order once all have run, as the done events of spawned branches are: a
  // failure ends the reading (branchEnded stops counting the others as running); a branch
  // stopped at the history limit has no outcome and is never read, as its actor would never be done.
  for (let index = 0; index < branches.length; index++) {
    const outcome = work.inFlight.get(index)?.outcome;
    if (outcome !== undefined && work.running.has(index)) branchEnded(rt, state, work, index, outcome);
  }
}

const childId = (attempt: number, index: number) => `p.${attempt}.${index}`;

/** A branch actor finished; `id` is its actor id. */
export function parallelChildDone(rt: ScopeRuntime, state: ParallelState, id: string, outcome: ScopeOutcome): void {
  const work = rt.active?.work as ParallelWork | undefined;
  if (!work || work.kind !== 'parallel') return;
  // Ids are p.<attempt>.<index> (childId); one of an earlier attempt is over. Read without split
  // and destructuring, which cost far more than they look until V8 optimises this (once per branch).
  const dot = id.lastIndexOf('.');
  if (Number(id.slice(2, dot)) !== work.attempt) return;
  const index = Number(id.slice(dot + 1));
  if (!work.running.has(index)) return;
  rt.stop(id);
  branchEnded(rt, state, work, index, outcome);
}

/** Branch `index` ended with `outcome`: the Parallel takes it in, and finishes or fails if it was the last or failed. */
function branchEnded(rt: ScopeRuntime, state: ParallelState, work: ParallelWork, index: number, outcome: ScopeOutcome): void {
  work.running.delete(index);
  rt.frame.integrate(work.frames[index]!);
  if (outcome.status === 'SUCCEEDED') {
    work.inFlight.delete(index);
    work.outputs[index] = outcome.output;
    work.succeeded[index] = 1;
    if (work.running.size === 0) finish(rt, state, work);
    return;
  }
  // Where a redrive picks up this branch and the ones stopped with it.
  work.stopped = redrivePointsOf(work.inFlight);
  // As AWS records it (recorded against AWS, 2026-09): the Task the failed branch failed in is
  // aborted (it never exited), then the state each branch still running waits in, in branch
  // order; all threaded on the event the failure came from. A branch that has ended but whose
  // outcome is not read yet is over, not aborted.
  const abortFrame = new HistoryFrame(work.frames[index]!.source);
  recordAbortOf(rt, abortFrame, work.inFlight.get(index));
  for (const other of [...work.running].sort((x, y) => x - y)) {
    const scope = work.inFlight.get(other);
    if (scope?.outcome === undefined) recordAbortOf(rt, abortFrame, scope);
    if (!work.inPlace) rt.stop(childId(work.attempt, other));
  }
  work.running.clear();
  // A branch's States.Runtime fails the execution outright: no ParallelStateFailed (recorded
  // against AWS (2026-09): a Map's ItemSelector path failure in a branch).
  if (outcome.error !== StatesErrors.Runtime && !willRetry(rt, outcome.error ?? '')) rt.record('ParallelStateFailed');
  const verdict = handleFailure(rt, outcome.error, outcome.cause);
  if (verdict === 'retry') (rt.active!.work as { input?: JsonValue }).input = work.input;
}

export function parallelRetryFired(rt: ScopeRuntime, state: ParallelState, requestId: string): void {
  const work = rt.active?.work as { kind: string; requestId: string; input: JsonValue } | undefined;
  if (!work || work.kind !== 'retry' || work.requestId !== requestId) return;
  startBranches(rt, state, work.input);
}

function finish(rt: ScopeRuntime, state: ParallelState, work: ParallelWork): void {
  rt.record('ParallelStateSucceeded', undefined, false);
  exitWithResult(rt, state, work.outputs);
}
