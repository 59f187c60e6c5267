import { parseArgs } from 'node:util';
import { createRuntime } from '../runtime/create-runtime.js';
import { openStore } from './open-store.js';
import { printResult } from './print-result.js';
import { executionRef, resolveExecution } from './resolve-execution.js';
import { RUNTIME_FLAGS, runtimeOptionsFromFlags } from './runtime-flags.js';

/** `stepwise redrive EXECUTION [--mock-config FILE] [--fast-time] [--json] [--lift-limits] [--store DIR] [--http-invoke] [--http-connections FILE] [--http-allow-insecure]` */
export async function redriveCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, store: { type: 'string' }, ...RUNTIME_FLAGS },
  });
  const ref = executionRef(positionals);
  const store = await openStore(values.store, 'existing');
  const runtime = createRuntime({ store, ...runtimeOptionsFromFlags(values) });
  try {
    const arn = await resolveExecution(store, ref);
    const execution = await runtime.redrive(arn);
    const result = await execution.done;
    printResult(result, values.json ?? false, 'redriven');
    return result.status === 'SUCCEEDED' ? 0 : 1;
  } finally {
    await runtime.close();
  }
}
