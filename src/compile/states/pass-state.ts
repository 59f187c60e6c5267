import type { PassState } from '../../asl/definition.js';
import type { ScopeRuntime } from '../scope-runtime.js';
import { evaluateAssign } from './assign.js';
import { evaluateOutputAndAssign } from './jsonata-io.js';
import { applyInputPath, applyOutputPath, applyParameters, applyResult } from './state-io.js';
import { exitState } from './transitions.js';

/** Pass (DG:state-pass): its Result, else its (Parameters-shaped) input, placed by ResultPath; in JSONata, Output. */
export function enterPass(rt: ScopeRuntime, state: PassState): void {
  const raw = rt.active!.rawInput;
  if (rt.isJsonata(state)) {
    rt.await(evaluateOutputAndAssign(rt, state, { input: raw }, raw), (rt, { output, assigned }) => exitState(rt, output, undefined, assigned));
    return;
  }
  // InputPath and Parameters shape the input of the "virtual task" whose output a Result
  // replaces: with a Result, AWS evaluates neither (its TestState inspection shows neither, and
  // the output is the Result even when Parameters is given).
  const result = state.Result !== undefined
    ? state.Result
    : state.Parameters !== undefined
      ? applyParameters(rt, applyInputPath(rt, raw, state.InputPath), state.Parameters, 'Parameters')
      : applyInputPath(rt, raw, state.InputPath);
  const assigned = evaluateAssign(rt, state.Assign, result);
  const output = applyOutputPath(rt, applyResult(raw, state.ResultPath, result), state.OutputPath);
  exitState(rt, output, undefined, assigned);
}
