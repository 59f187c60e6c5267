import { parseArgs } from 'node:util';
import { loadMockConfigFile } from '../resources/mock-config.js';
import { createRuntime } from '../runtime/create-runtime.js';
import { openStore } from './open-store.js';
import { printResult } from './print-result.js';

/** `stepwise resume [--store DIR] [--mock-config FILE] [--fast-time] [--json]`: finishes every execution left RUNNING. */
export async function resumeCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'mock-config': { type: 'string' }, 'fast-time': { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, store: { type: 'string' } } });
  const store = await openStore(values.store);
  const mockConfig = values['mock-config'] !== undefined ? loadMockConfigFile(values['mock-config']) : undefined;
  const runtime = createRuntime({ store, clock: values['fast-time'] ? 'virtual' : 'real', mockConfig });
  try {
    const resumed = await runtime.start();
    if (!values.json) process.stdout.write(`resuming ${resumed.length} execution(s) left RUNNING\n`);
    let failures = 0;
    for (const execution of resumed) {
      const result = await execution.done;
      if (result.status !== 'SUCCEEDED') failures++;
      printResult(result, values.json ?? false);
    }
    return failures === 0 ? 0 : 1;
  } finally {
    await runtime.close();
  }
}
