import type { ChoiceRule, ChoiceState } from '../../asl/definition.js';
import type { JsonValue } from '../../asl/json-value.js';
import { selectChoice } from '../../asl/choice-rule.js';
import { requireJsonataValue } from '../../asl/jsonata/index.js';
import { AslError } from '../../errors/asl-error.js';
import { StatesErrors } from '../../errors/error-names.js';
import type { ScopeRuntime } from '../scope-runtime.js';
import { evaluateAssign } from './assign.js';
import { evaluateOutputAndAssign, jsonataOptions } from './jsonata-io.js';
import { applyInputPath, applyOutputPath } from './state-io.js';
import { exitState } from './transitions.js';

/**
 * Choice (DG:state-choice): the first matching rule's Next, else Default, else the state fails
 * for want of a next state. A matching rule's Assign (and, in JSONata, Output) replaces the
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
  if (!chosen) throw noNextState();
  const assigned = evaluateAssign(rt, 'rule' in chosen ? chosen.rule.Assign : state.Assign, effective);
  exitState(rt, applyOutputPath(rt, effective, state.OutputPath), chosen.next, assigned);
}

async function chooseJsonata(rt: ScopeRuntime, state: ChoiceState, raw: JsonValue) {
  let rule: ChoiceRule | undefined;
  for (let i = 0; i < state.Choices.length && !rule; i++) {
    const candidate = state.Choices[i]!;
    const condition = candidate.Condition;
    const value = typeof condition === 'string'
      ? await requireJsonataValue(condition, rt.jsonataBindings({ input: raw }), `Choices[${i}].Condition`, jsonataOptions(rt))
      : condition;
    if (typeof value !== 'boolean') {
      throw new AslError(StatesErrors.QueryEvaluationError, `The JSONata expression '${String(condition)}' specified for the field 'Condition' returned an unexpected result type. Expected 'boolean', but was '${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}' for value: ${JSON.stringify(value)}`);
    }
    if (value) rule = candidate;
  }
  const next = rule?.Next ?? state.Default;
  if (next === undefined) throw noNextState();
  const fields = rule ?? state;
  const { output, assigned } = await evaluateOutputAndAssign(rt, fields, { input: raw }, raw);
  return { next, output, assigned };
}

/**
 * No rule matched and there is no Default: AWS fails the state with States.Runtime, not the
 * States.NoChoiceMatched of the ASL spec's error list (recorded against AWS (2026-09)), so no
 * Retry or Catch can handle it.
 */
function noNextState(): AslError {
  return new AslError(StatesErrors.Runtime, 'Failed to transition out of the state. The state does not point to a next state.');
}
