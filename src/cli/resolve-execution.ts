import type { EventStore } from '../store/event-store.js';
import { StepwiseError } from '../errors/stepwise-error.js';

/**
 * The one EXECUTION a command's positionals name, checked before the store opens. A second one
 * is refused, not ignored: `history a b` would show a's history alone, as if b had been read too.
 */
export function executionRef(positionals: readonly string[]): string {
  if (positionals.length === 0 || !positionals[0]) throw new StepwiseError('InvalidArgument', 'Name an execution (its ARN or its name; `stepwise list` shows them).');
  if (positionals.length > 1) throw new StepwiseError('InvalidArgument', `Name one execution, not ${positionals.length} ('${positionals.join("', '")}').`);
  return positionals[0];
}

/** An execution named by its ARN, or by its name when that is unique in the store. */
export async function resolveExecution(store: EventStore, ref: string | undefined): Promise<string> {
  if (!ref) throw new StepwiseError('InvalidArgument', 'Name an execution (its ARN or its name; `stepwise list` shows them).');
  if (ref.startsWith('arn:')) {
    if (!(await store.getMetadata(ref))) throw new StepwiseError('ExecutionDoesNotExist', `Execution does not exist: '${ref}'`);
    return ref;
  }
  const matches: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await store.list({ maxResults: 1000, nextToken });
    for (const m of page.items) if (m.name === ref) matches.push(m.executionArn);
    nextToken = page.nextToken;
  } while (nextToken);
  if (matches.length === 0) throw new StepwiseError('ExecutionDoesNotExist', `No execution is named '${ref}' in this store.`);
  if (matches.length > 1) throw new StepwiseError('InvalidArgument', `Several executions are named '${ref}'; give its ARN:\n  ${matches.join('\n  ')}`);
  return matches[0]!;
}
