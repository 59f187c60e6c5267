import { parseArgs } from 'node:util';
import type { ExecutionStatus } from '../store/event-store.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import { openStore } from './open-store.js';

const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'];

/** `stepwise list [--status S] [--state-machine-name N] [--json] [--store DIR]` */
export async function listCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { status: { type: 'string' }, 'state-machine-name': { type: 'string' }, json: { type: 'boolean', default: false }, store: { type: 'string' } } });
  if (values.status && !STATUSES.includes(values.status)) throw new StepwiseError('InvalidArgument', `--status must be one of ${STATUSES.join(', ')}.`);
  const store = await openStore(values.store, 'existing');
  try {
    const all = [];
    let nextToken: string | undefined;
    do {
      const page = await store.list({ status: values.status as ExecutionStatus | undefined, maxResults: 1000, nextToken });
      all.push(...page.items.filter((m) => !values['state-machine-name'] || m.stateMachineArn.endsWith(`:stateMachine:${values['state-machine-name']}`)));
      nextToken = page.nextToken;
    } while (nextToken);
    if (values.json) {
      process.stdout.write(JSON.stringify({ executions: all.map(({ extra: _extra, ...m }) => m) }) + '\n');
    } else {
      for (const m of all) {
        const started = new Date(m.startDate).toISOString();
        const duration = m.stopDate !== undefined ? `${((m.stopDate - m.startDate) / 1000).toFixed(3)}s` : '';
        process.stdout.write(`${m.status.padEnd(10)} ${started}  ${duration.padStart(9)}  ${m.name}  ${m.executionArn}\n`);
      }
      if (all.length === 0) process.stdout.write('no executions\n');
    }
    return 0;
  } finally {
    await store.close();
  }
}
