import { parseArgs } from 'node:util';
import type { StateMachineDefinition } from '../asl/definition.js';
import { loadDefinitionFile } from '../asl/parse-definition.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import { createRuntime } from '../runtime/create-runtime.js';
import { openStore } from './open-store.js';
import { executionRef, resolveExecution } from './resolve-execution.js';
import { wholeNumber } from './whole-number.js';
import { nameFlag } from './name-flag.js';
import { printResult } from './print-result.js';
import { readInput } from './read-input.js';
import { RUNTIME_FLAGS, runtimeOptionsFromFlags } from './runtime-flags.js';

/**
 * `stepwise fork EXECUTION --from EVENT_ID [--input JSON | --input-file FILE] [--definition FILE] [--name NAME]
 * [--mock-config FILE] [--fast-time] [--json] [--lift-limits] [--http-invoke] [--http-connections FILE] [--http-allow-insecure]`: `--input` becomes the input of the first state entered after the event.
 */
export async function forkCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { from: { type: 'string' }, input: { type: 'string' }, 'input-file': { type: 'string' }, definition: { type: 'string' }, name: { type: 'string' }, json: { type: 'boolean', default: false }, store: { type: 'string' }, ...RUNTIME_FLAGS },
  });
  if (values.from === undefined) throw new StepwiseError('InvalidArgument', '--from EVENT_ID is required: the id of the event to continue from.');
  const from = wholeNumber(values.from);
  if (!Number.isSafeInteger(from) || from < 1) throw new StepwiseError('InvalidArgument', `--from takes an event id (a whole number from 1), not '${values.from}'.`);
  const ref = executionRef(positionals);
  const name = nameFlag('--name', values.name, 'execution');
  const store = await openStore(values.store, 'existing');
  const runtime = createRuntime({ store, ...runtimeOptionsFromFlags(values) });
  try {
    const arn = await resolveExecution(store, ref);
    const definition = values.definition !== undefined ? ((await loadDefinitionFile(values.definition)) as StateMachineDefinition) : undefined;
    const input = values.input !== undefined || values['input-file'] !== undefined ? readInput(values.input, values['input-file']) : undefined;
    const fork = await runtime.fork(arn, { fromEventId: from, definition, name, input });
    const result = await fork.done;
    if (input !== undefined && fork.inputOverridePending) {
      process.stderr.write(`stepwise: the edited input was not used: no state was entered after event ${from} (it goes to the first state entered after that event; fork from an earlier one).\n`);
    }
    printResult(result, values.json ?? false, `forked from ${arn} at event ${from}`);
    return result.status === 'SUCCEEDED' ? 0 : 1;
  } finally {
    await runtime.close();
  }
}
