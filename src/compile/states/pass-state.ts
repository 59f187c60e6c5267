import type { PassState } from '../../asl/definition.js';
import type { ScopeRuntime } from '../scope-runtime.js';
import { evaluateAssign } from './assign.js';
import { evaluateOutputAndAssign } from './jsonata-io.js';
import { applyInputPath, applyOutputPath, applyParameters, applyResult } from './state-io.js';
import { exitState } from './transitions.js';

/** Pass (DG:state-pass): Result or Parameters placed by ResultPath; in JSONata, Output. */
export function enterPass(rt: ScopeRuntime, state: PassState): void {
  const raw = rt.active!.rawInput;
  if (rt.isJsonata(state)) {
    rt.await(evaluateOutputAndAssign(rt, state, { input: raw }, raw), (rt, { output, assigned }) => exitState(rt, output, undefined, assigned));
    return;
  }
  const effective = applyInputPath(rt, raw, state.InputPath);
  const result = state.Parameters !== undefined
    ? applyParameters(rt, effective, state.Parameters, 'Parameters')
    : state.Result !== undefined ? state.Result : effective;
  const assigned = evaluateAssign(rt, state.Assign, result);
  const output = applyOutputPath(rt, applyResult(raw, state.ResultPath, result), state.OutputPath);
  exitState(rt, output, undefined, assigned);
}
