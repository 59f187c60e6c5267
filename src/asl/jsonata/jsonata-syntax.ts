import { compileJsonata } from './compile-jsonata.js';
import { describeRaisedError } from './jsonata-errors.js';
import { jsonataExpressionText } from './evaluate-jsonata.js';

/**
 * Parses a JSONata expression (with or without its `{% %}` markers) with the same library and
 * version that evaluates it, so the validator accepts exactly what evaluation can run. Returns
 * null when it parses, else the library's `CODE: message` (e.g. `S0201: Syntax error: "bar"`).
 * Compiling here also warms the evaluation cache.
 */
export function checkJsonataSyntax(expression: string): string | null {
  const compiled = compileJsonata(jsonataExpressionText(expression));
  return compiled.ok ? null : describeRaisedError(compiled.error);
}
