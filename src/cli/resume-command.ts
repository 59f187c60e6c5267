import { parseArgs } from 'node:util';
import { createRuntime } from '../runtime/create-runtime.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import { openStore, ownershipOption } from './open-store.js';
import { printResult } from './print-result.js';
import { RUNTIME_FLAGS, runtimeOptionsFromFlags } from './runtime-flags.js';

/**
 * `stepwise resume [--store DIR|URL] [--mock-config FILE] [--fast-time] [--json] [--lift-limits] [--lease-ms N [--follow]]
 * [--http-invoke] [--http-connections FILE] [--http-allow-insecure]`:
 * finishes every execution left RUNNING. With `--lease-ms`, only those no other runtime holds a
 * lease on; with `--follow` as well, it keeps taking over executions whose runtime died until
 * stopped (SIGINT/SIGTERM), then hands what it drives back to the others.
 */
export async function resumeCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      json: { type: 'boolean', default: false }, store: { type: 'string' },
      'lease-ms': { type: 'string' }, follow: { type: 'boolean', default: false }, ...RUNTIME_FLAGS,
    },
  });
  const ownership = ownershipOption(values['lease-ms']);
  if (values.follow && !ownership) {
    throw new StepwiseError('InvalidArgument', '--follow takes over executions whose lease runs out, so it needs --lease-ms N (how long a lease lasts, in milliseconds).');
  }
  const store = await openStore(values.store);
  const runtime = createRuntime({ store, ...runtimeOptionsFromFlags(values), ownership });
  try {
    const resumed = await runtime.start();
    if (!values.json) process.stdout.write(`resuming ${resumed.length} execution(s) left RUNNING\n`);
    if (values.follow && ownership) {
      if (!values.json) process.stdout.write(`runtime ${runtime.runtimeId} is taking over executions whose lease runs out; stop it with Ctrl-C\n`);
      // The runtime's own timers do not keep a process alive (it may be embedded in one that
      // should be free to end): this worker has nothing else to wait on, so it holds one.
      const keepAlive = setInterval(() => undefined, 1 << 30);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      clearInterval(keepAlive);
      return 0;
    }
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
