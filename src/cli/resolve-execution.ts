import type { EventStore } from '../store/event-store.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import { statesArnResourceType } from '../registry/names.js';
import { openStore } from './open-store.js';

/**
 * The one EXECUTION a command's positionals name, checked before the store opens. A second one
 * is refused, not ignored: `history a b` would show a's history alone, as if b had been read too.
 */
export function executionRef(positionals: readonly string[]): string {
  if (positionals.length === 0 || !positionals[0]) throw new StepwiseError('InvalidArgument', 'Name an execution (its ARN or its name; `stepwise list` shows them).');
  if (positionals.length > 1) throw new StepwiseError('InvalidArgument', `Name one execution, not ${positionals.length} ('${positionals.join("', '")}').`);
  return positionals[0];
}

/** An execution named by its ARN, or by its name when that is unique in the store (`ref` from executionRef). */
export async function resolveExecution(store: EventStore, ref: string): Promise<string> {
  if (ref.startsWith('arn:')) {
    if (!(await store.getMetadata(ref))) {
      const kind = statesArnResourceType(ref);
      if (kind !== undefined && kind !== 'execution' && kind !== 'express') {
        throw new StepwiseError('InvalidArgument', `'${ref}' is a ${kind} ARN, not an execution's: name an execution (its ARN or its name; \`stepwise list\` shows them).`);
      }
      throw new StepwiseError('ExecutionDoesNotExist', `Execution does not exist in this store: '${ref}'`);
    }
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

/**
 * For a command that reads one stored execution: checks its EXECUTION argument, opens the
 * existing store, runs `read` with the execution's ARN, and closes the store whatever happens.
 */
export async function readStoredExecution<T>(storeOption: string | undefined, positionals: readonly string[], read: (store: EventStore, arn: string) => Promise<T>): Promise<T> {
  const ref = executionRef(positionals);
  const store = await openStore(storeOption, 'existing');
  try {
    return await read(store, await resolveExecution(store, ref));
  } finally {
    await store.close();
  }
}
