import type { EventStore } from '../store/event-store.js';
import { StepwiseError } from '../errors/stepwise-error.js';

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
