import type { ChoiceState } from '../../asl/definition.js';
import { selectChoice } from '../../asl/choice-rule.js';
import { AslError } from '../../errors/asl-error.js';
import { StatesErrors } from '../../errors/error-names.js';
import type { ScopeRuntime } from '../scope-runtime.js';
import { applyInputPath, applyOutputPath } from './state-io.js';
import { exitState } from './transitions.js';
import { evaluateAssign } from './assign.js';

/** Choice (DG:state-choice): the first matching rule's Next, else Default, else States.NoChoiceMatched. */
export function enterChoice(rt: ScopeRuntime, state: ChoiceState): void {
  const effective = applyInputPath(rt, rt.active!.rawInput, state.InputPath);
  const chosen = selectChoice(state, rt.pathContext(effective));
  if (!chosen) throw new AslError(StatesErrors.NoChoiceMatched, 'No Matches!');
  const stateAssigned = evaluateAssign(rt, state.Assign, effective);
  const ruleAssigned = 'rule' in chosen ? evaluateAssign(rt, chosen.rule.Assign, effective) : undefined;
  const assigned = stateAssigned || ruleAssigned ? { ...stateAssigned, ...ruleAssigned } : undefined;
  exitState(rt, applyOutputPath(rt, effective, state.OutputPath), chosen.next, assigned);
}
