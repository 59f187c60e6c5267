import { eventDetailsOf, type HistoryEvent } from '../execution/history-event.js';
import { parseArgs } from 'node:util';
import { toAwsHistoryEvent } from '../observe/aws-history.js';
import { readStoredExecution } from './resolve-execution.js';

/** `stepwise history EXECUTION [--json] [--reverse] [--store DIR]`: the history in AWS's GetExecutionHistory shape. */
export async function historyCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean', default: false }, reverse: { type: 'boolean', default: false }, store: { type: 'string' } } });
  return readStoredExecution(values.store, positionals, async (store, arn) => {
    const events = (await store.read(arn, { direction: values.reverse ? 'backwards' : 'forwards' })).map(toAwsHistoryEvent);
    if (values.json) process.stdout.write(JSON.stringify({ events }, null, 2) + '\n');
    else for (const e of events) {
      const details = eventDetailsOf(e as unknown as HistoryEvent);
      const summary = details ? ['name', 'error', 'resource', 'index'].filter((k) => details[k] !== undefined).map((k) => `${k}=${details[k]}`).join(' ') : '';
      process.stdout.write(`${String(e.id).padStart(5)} ← ${String(e.previousEventId).padStart(5)}  ${e.timestamp}  ${String(e.type).padEnd(26)} ${summary}\n`);
    }
    return 0;
  });
}
