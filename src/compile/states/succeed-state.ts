import type { SucceedState } from '../../asl/definition.js';
import type { ScopeRuntime } from '../scope-runtime.js';
import { applyInputPath, applyOutputPath } from './state-io.js';
import { exitState } from './transitions.js';

/** Succeed (DG:state-succeed): ends the scope with its filtered input. */
export function enterSucceed(rt: ScopeRuntime, state: SucceedState): void {
  const effective = applyInputPath(rt, rt.active!.rawInput, state.InputPath);
  exitState(rt, applyOutputPath(rt, effective, state.OutputPath), undefined);
}
