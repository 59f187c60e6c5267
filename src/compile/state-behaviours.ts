import type { State } from '../asl/definition.js';
import type { JsonValue } from '../asl/json-value.js';
import type { ScopeOutcome, ScopeRuntime } from './scope-runtime.js';
import { enterChoice } from './states/choice-state.js';
import { enterFail } from './states/fail-state.js';
import { enterMap, mapChildDone, mapRetryFired } from './states/map-state.js';
import { enterParallel, parallelChildDone, parallelRetryFired } from './states/parallel-state.js';
import { enterPass } from './states/pass-state.js';
import { enterSucceed } from './states/succeed-state.js';
import { enterTask, taskFailed, taskRetryFired, taskSucceeded } from './states/task-state.js';
import { enterWait, waitTimerFired } from './states/wait-state.js';

/** What one ASL state type does on entry and on each kind of answer from the world. */
export interface StateBehaviour {
  enter(rt: ScopeRuntime, state: State): void;
  taskSucceeded?(rt: ScopeRuntime, state: State, requestId: string, output: JsonValue): void;
  taskFailed?(rt: ScopeRuntime, state: State, requestId: string, error: string, cause: string | undefined, timedOut: boolean, phase?: 'schedule'): void;
  timerFired?(rt: ScopeRuntime, state: State, requestId: string): void;
  childDone?(rt: ScopeRuntime, state: State, childId: string, outcome: ScopeOutcome): void;
}

type Behaviours = { [K in State['Type']]: StateBehaviour };

export const stateBehaviours: Behaviours = {
  Pass: { enter: (rt, s) => enterPass(rt, s as never) },
  Succeed: { enter: (rt, s) => enterSucceed(rt, s as never) },
  Fail: { enter: (rt, s) => enterFail(rt, s as never) },
  Choice: { enter: (rt, s) => enterChoice(rt, s as never) },
  Wait: { enter: (rt, s) => enterWait(rt, s as never), timerFired: (rt, s, id) => waitTimerFired(rt, s as never, id) },
  Task: {
    enter: (rt, s) => enterTask(rt, s as never),
    taskSucceeded: (rt, s, id, out) => taskSucceeded(rt, s as never, id, out),
    taskFailed: (rt, s, id, e, c, t, phase) => taskFailed(rt, s as never, id, e, c, t, phase),
    timerFired: (rt, s, id) => taskRetryFired(rt, s as never, id),
  },
  Parallel: {
    enter: (rt, s) => enterParallel(rt, s as never),
    childDone: (rt, s, id, o) => parallelChildDone(rt, s as never, id, o),
    timerFired: (rt, s, id) => parallelRetryFired(rt, s as never, id),
  },
  Map: {
    enter: (rt, s) => enterMap(rt, s as never),
    childDone: (rt, s, id, o) => mapChildDone(rt, s as never, id, o),
    timerFired: (rt, s, id) => mapRetryFired(rt, s as never, id),
  },
};
