import type { SucceedState } from '../../asl/definition.js';
import type { ScopeRuntime } from '../scope-runtime.js';
import { evaluateOutputAndAssign } from './jsonata-io.js';
import { applyInputPath, applyOutputPath } from './state-io.js';
import { exitState } from './transitions.js';

/** Succeed (DG:state-succeed): ends the scope with its filtered input (JSONata: its Output). */
export function enterSucceed(rt: ScopeRuntime, state: SucceedState): void {
  const raw = rt.active!.rawInput;
  if (rt.isJsonata(state)) {
    rt.await(evaluateOutputAndAssign(rt, { Output: state.Output }, { input: raw }, raw), (rt, { output }) => exitState(rt, output, undefined));
    return;
  }
  const effective = applyInputPath(rt, raw, state.InputPath);
  exitState(rt, applyOutputPath(rt, effective, state.OutputPath), undefined);
}
