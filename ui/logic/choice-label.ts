import type { ChoiceRule } from '../../src/asl/definition.js';

const COMBINERS = ['And', 'Or'] as const;
const NON_OPERATORS = new Set(['Next', 'Variable', 'Condition', 'And', 'Or', 'Not', 'Assign', 'Output', 'Comment']);

/**
 * A Choice rule as one line of text for an edge label: `$.total NumericGreaterThan 100`,
 * `(A and B)`, `not (…)`, or a JSONata `Condition` as written.
 */
export function describeChoiceRule(rule: ChoiceRule): string {
  if (rule.Condition !== undefined) return String(rule.Condition);
  for (const combiner of COMBINERS) {
    const parts = rule[combiner];
    if (Array.isArray(parts)) return `(${parts.map(describeChoiceRule).join(` ${combiner.toLowerCase()} `)})`;
  }
  if (rule.Not) return `not ${describeChoiceRule(rule.Not)}`;
  const operator = Object.keys(rule).find((k) => !NON_OPERATORS.has(k));
  if (!operator) return rule.Variable ?? '(rule)';
  return `${rule.Variable ?? ''} ${operator} ${JSON.stringify(rule[operator])}`.trim();
}
