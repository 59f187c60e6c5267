import { parseArgs } from 'node:util';
import { StepwiseError } from '../errors/stepwise-error.js';
import { describeExecutionState } from '../execution/execution-state.js';
import { createRuntime } from '../runtime/create-runtime.js';
import { readStoredExecution } from './resolve-execution.js';
import { wholeNumber } from './whole-number.js';

/**
 * `stepwise inspect EXECUTION [--at EVENT_ID] [--json] [--store DIR]`: where the execution was
 * at that event — active states (with Map iterations and Parallel branches), their input,
 * context object and retry counts, pending tasks and timers, and the variables in scope.
 */
export async function inspectCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { at: { type: 'string' }, json: { type: 'boolean', default: false }, store: { type: 'string' } } });
  const at = values.at !== undefined ? wholeNumber(values.at) : undefined;
  if (at !== undefined && (!Number.isSafeInteger(at) || at < 1)) throw new StepwiseError('InvalidArgument', `--at takes an event id (a whole number from 1), not '${values.at}'.`);
  return readStoredExecution(values.store, positionals, async (store, arn) => {
    const handle = createRuntime({ store }).execution(arn);
    const last = (await handle.history()).at(-1)?.id ?? 0;
    if (at !== undefined && at > last) throw new StepwiseError('InvalidArgument', `Execution '${arn}' has ${last} events; there is no event ${at}.`);
    const state = await handle.stateAt(at);
    process.stdout.write((values.json ? JSON.stringify(state, null, 2) : describeExecutionState(state)) + '\n');
    return 0;
  });
}
