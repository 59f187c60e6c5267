import { isStepwiseError } from '../errors/stepwise-error.js';
import { loadDefinitionFile, type DefinitionErrorDetails } from '../asl/parse-definition.js';
import { messageWithDetail, validateDefinitionResult, type Diagnostic, type ValidationResult } from '../asl/validate-definition.js';
import { paint } from './paint.js';

export const VALIDATE_USAGE = `usage: stepwise validate FILE [--type STANDARD|EXPRESS] [--json]

Checks a state machine definition (JSON or YAML, or a CloudFormation/SAM template holding one state
machine) the way AWS's ValidateStateMachineDefinition does and lists every problem found.

  --type    the state machine's type (default STANDARD); EXPRESS also refuses .sync and .waitForTaskToken
  --json    print the result as JSON: { "result": "OK" | "FAIL", "diagnostics": [...] }

Exit status: 0 when the definition is valid (warnings allowed), 2 when it has errors or cannot be read.`;

export interface ValidateIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: ValidateIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** `stepwise validate FILE [--json]`; returns the exit code. */
export async function validateCommand(args: string[], io: ValidateIo = processIo): Promise<number> {
  let json = false;
  let type: 'STANDARD' | 'EXPRESS' = 'STANDARD';
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--json') json = true;
    else if (arg === '--type' || arg.startsWith('--type=')) {
      const value = arg === '--type' ? args[++i] : arg.slice('--type='.length);
      if (value !== 'STANDARD' && value !== 'EXPRESS') {
        io.stderr(`stepwise validate: --type must be STANDARD or EXPRESS, not ${value === undefined ? 'nothing' : `'${value}'`}.\n`);
        return 2;
      }
      type = value;
    } else if (arg === '--help' || arg === '-h') {
      io.stdout(VALIDATE_USAGE + '\n');
      return 0;
    } else if (arg.startsWith('-') && arg !== '-') {
      io.stderr(`stepwise validate: unknown option '${arg}'.\n${VALIDATE_USAGE}\n`);
      return 2;
    } else files.push(arg);
  }
  if (files.length !== 1) {
    io.stderr(`stepwise validate: expected exactly one definition file, got ${files.length}.\n${VALIDATE_USAGE}\n`);
    return 2;
  }
  const file = files[0]!;

  let definition: unknown;
  try {
    definition = await loadDefinitionFile(file);
  } catch (error) {
    if (!isStepwiseError(error)) throw error;
    // A file that does not parse is AWS's INVALID_JSON_DESCRIPTION (MISSING_DESCRIPTION when empty); one
    // that cannot be read has no validation result at all.
    const kind = (error.details as DefinitionErrorDetails | undefined)?.kind;
    if (json && kind !== 'read') {
      const code = kind === 'empty' ? 'MISSING_DESCRIPTION' : 'INVALID_JSON_DESCRIPTION';
      const result: ValidationResult = { result: 'FAIL', diagnostics: [{ severity: 'ERROR', code, message: error.message, location: '' }] };
      io.stdout(JSON.stringify(result, null, 2) + '\n');
    }
    io.stderr(`stepwise: ${error.message}\n`);
    return 2;
  }

  const result = validateDefinitionResult(definition, type);
  if (json) {
    io.stdout(JSON.stringify(result, null, 2) + '\n');
  } else {
    for (const d of result.diagnostics) io.stdout(formatDiagnostic(d) + '\n');
    if (result.result === 'OK') io.stdout(paint.green('OK') + '\n');
  }
  if (result.result === 'OK') return 0;
  const errors = result.diagnostics.filter((d) => d.severity === 'ERROR');
  const first = errors[0]!;
  io.stderr(
    `stepwise: ${file} is not a valid state machine definition: ${errors.length} error${errors.length === 1 ? '' : 's'}` +
      ` (first: ${first.code} at ${showLocation(first.location)}: ${first.message}).\n`,
  );
  return 2;
}

export function formatDiagnostic(d: Diagnostic): string {
  const severity = d.severity === 'ERROR' ? paint.red(d.severity) : paint.bold(d.severity);
  return `${severity} ${d.code} at ${showLocation(d.location)}: ${messageWithDetail(d)}`;
}

function showLocation(pointer: string): string {
  return pointer === '' ? '(top level)' : pointer;
}
