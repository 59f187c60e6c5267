import type { ChoiceRule, ChoiceState } from '../../asl/definition.js';
import type { JsonValue } from '../../asl/json-value.js';
import { selectChoice } from '../../asl/choice-rule.js';
import { requireJsonataValue } from '../../asl/jsonata/index.js';
import { AslError } from '../../errors/asl-error.js';
import { StatesErrors } from '../../errors/error-names.js';
import type { ScopeRuntime } from '../scope-runtime.js';
import { evaluateAssign } from './assign.js';
import { evaluateOutputAndAssign } from './jsonata-io.js';
import { applyInputPath, applyOutputPath } from './state-io.js';
import { exitState } from './transitions.js';

/**
 * Choice (DG:state-choice): the first matching rule's Next, else Default, else
 * States.NoChoiceMatched. A matching rule's Assign (and, in JSONata, Output) replaces the
 * state's own, which apply when Default is taken.
 */
export function enterChoice(rt: ScopeRuntime, state: ChoiceState): void {
  const raw = rt.active!.rawInput;
  if (rt.isJsonata(state)) {
    rt.await(chooseJsonata(rt, state, raw), (rt, { next, output, assigned }) => exitState(rt, output, next, assigned));
    return;
  }
  const effective = applyInputPath(rt, raw, state.InputPath);
  const chosen = selectChoice(state, rt.pathContext(effective));
  if (!chosen) throw new AslError(StatesErrors.NoChoiceMatched, 'No Matches!');
  const assigned = evaluateAssign(rt, 'rule' in chosen ? chosen.rule.Assign : state.Assign, effective);
  exitState(rt, applyOutputPath(rt, effective, state.OutputPath), chosen.next, assigned);
}

async function chooseJsonata(rt: ScopeRuntime, state: ChoiceState, raw: JsonValue) {
  let rule: ChoiceRule | undefined;
  for (let i = 0; i < state.Choices.length && !rule; i++) {
    const candidate = state.Choices[i]!;
    const condition = candidate.Condition;
    const value = typeof condition === 'string'
      ? await requireJsonataValue(condition, rt.jsonataBindings({ input: raw }), `Choices[${i}].Condition`)
      : condition;
    if (typeof value !== 'boolean') {
      throw new AslError(StatesErrors.QueryEvaluationError, `The JSONata expression '${String(condition)}' specified for the field 'Condition' returned an unexpected result type. Expected 'boolean', but was '${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}' for value: ${JSON.stringify(value)}`);
    }
    if (value) rule = candidate;
  }
  const next = rule?.Next ?? state.Default;
  if (next === undefined) throw new AslError(StatesErrors.NoChoiceMatched, 'No Matches!');
  const fields = rule ?? state;
  const { output, assigned } = await evaluateOutputAndAssign(rt, fields, { input: raw }, raw);
  return { next, output, assigned };
}
