export {
  evaluateJsonataExpression,
  expectType,
  isJsonataExpression,
  jsonataExpressionText,
  requireJsonataValue,
  type JsonataBindings,
  type JsonataEvaluationOptions,
  type JsonataExpectedType,
  type JsonataStates,
  type RandomSource,
} from './evaluate-jsonata.js';
export { containsJsonataExpression, evaluateJsonataTemplate } from './jsonata-template.js';
export { checkJsonataSyntax } from './jsonata-syntax.js';
export { queryEvaluationError, undefinedResultError, unexpectedTypeError } from './jsonata-errors.js';
