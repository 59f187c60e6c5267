import type { ExecutionResult } from '../execution/execution-journal.js';
import { paint } from './paint.js';

/** The end of an execution, for people or (with --json) as one JSON object. */
export function printResult(result: ExecutionResult, json: boolean, note?: string): void {
  if (json) {
    const out: Record<string, unknown> = { executionArn: result.executionArn, status: result.status };
    if (result.status === 'SUCCEEDED') out.output = result.output;
    if (result.error !== undefined) out.error = result.error;
    if (result.cause !== undefined) out.cause = result.cause;
    process.stdout.write(JSON.stringify(out) + '\n');
    return;
  }
  if (note) process.stdout.write(paint.dim(note) + '\n');
  const colour = result.status === 'SUCCEEDED' ? paint.green : paint.red;
  process.stdout.write(`${colour(result.status)}  ${result.executionArn}\n`);
  if (result.status === 'SUCCEEDED') process.stdout.write(JSON.stringify(result.output, null, 2) + '\n');
  else {
    if (result.error !== undefined) process.stdout.write(`error: ${result.error}\n`);
    if (result.cause !== undefined) process.stdout.write(`cause: ${result.cause}\n`);
  }
}
