import type { Diagnostic } from './validate-definition.js';

/**
 * The validator's problems as AWS's API shows them. The validator locates a problem by a JSON pointer
 * (RFC 6901), which `stepwise validate` prints; AWS's ValidateStateMachineDefinition and the
 * InvalidDefinition of CreateStateMachine/UpdateStateMachine/TestState write the same path their own
 * way, so every API answer goes through here.
 */

/**
 * A diagnostic as ValidateStateMachineDefinition answers it: `location` is left out when AWS gives
 * none, and the members come in the order AWS's body has them (recorded against AWS (2026-09)).
 */
export interface AwsDiagnostic {
  code: string;
  location?: string;
  message: string;
  severity: Diagnostic['severity'];
}

/**
 * AWS's location for a JSON pointer into `definition`: an array index follows its member's name
 * in brackets, names are unescaped, and the definition's root is "/". Recorded against AWS (2026-09):
 * `/States/ParallelCaught/Branches[0]/States/Left`; as measured against AWS (floci-io/floci#2786):
 * `/States/C/Choices[0]/Next` and `/States/T/Catch[0]/Next`. Whether a segment is an index is read
 * from the definition, as a state may be named "0".
 */
export function awsLocation(pointer: string, definition: unknown): string {
  if (pointer === '') return '/';
  let out = '';
  let value: unknown = definition;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(value) && /^(0|[1-9]\d*)$/.test(segment)) {
      out += `[${segment}]`;
      value = value[Number(segment)];
    } else {
      out += `/${segment}`;
      value = typeof value === 'object' && value !== null && Object.prototype.hasOwnProperty.call(value, segment) ? (value as Record<string, unknown>)[segment] : undefined;
    }
  }
  return out;
}

/**
 * Where AWS locates a diagnostic, or undefined where it locates it nowhere: a workflow without a
 * terminal state has no `location` at all (as measured against AWS (floci-io/floci#2786)), which
 * CreateStateMachine words as "at null" (floci-io/floci#2735).
 */
function locationOf(d: Diagnostic, definition: unknown): string | undefined {
  if (d.code === 'MISSING_END_STATE' && d.location === '') return undefined;
  return awsLocation(d.location, definition);
}

export function awsDiagnostic(d: Diagnostic, definition: unknown): AwsDiagnostic {
  const location = locationOf(d, definition);
  return { code: d.code, ...(location === undefined ? {} : { location }), message: d.message, severity: d.severity };
}

/**
 * The InvalidDefinition message of CreateStateMachine, UpdateStateMachine and TestState: every problem
 * as `CODE: message at location`, joined by ", ". Recorded against AWS (2026-09): "Invalid State Machine
 * Definition: 'DUPLICATE_STATE_NAME: Duplicate State name: Left at /States/ParallelCaught/Branches[0]/States/Left,
 * DUPLICATE_STATE_NAME: Duplicate State name: Right at /States/ParallelCaught/Branches[1]/States/Right'".
 */
export function invalidDefinitionMessage(problems: readonly Diagnostic[], definition: unknown): string {
  return `Invalid State Machine Definition: '${problems.map((p) => `${p.code}: ${p.message} at ${locationOf(p, definition) ?? 'null'}`).join(', ')}'`;
}
