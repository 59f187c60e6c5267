import { parseArgs } from 'node:util';
import { startUiServer } from '../../adapters/ui/ui-server.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import { createRuntime } from '../runtime/create-runtime.js';
import { openStore } from './open-store.js';
import { RUNTIME_FLAGS, runtimeOptionsFromFlags } from './runtime-flags.js';
import { wholeNumber } from './whole-number.js';

/**
 * `stepwise ui`: serves the visual debugger over the store until interrupted. Executions left
 * RUNNING are not resumed: opening the UI changes nothing until an action button is pressed.
 * `--mock-config`, `--fast-time`, `--lift-limits` and the HTTP Task flags apply to the executions that fork and redrive start.
 */
export async function uiCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { store: { type: 'string' }, port: { type: 'string', default: '8084' }, host: { type: 'string', default: '127.0.0.1' }, ...RUNTIME_FLAGS },
  });
  const port = wholeNumber(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new StepwiseError('InvalidArgument', `--port must be a port number (0 to 65535), not '${values.port}'.`);
  const options = runtimeOptionsFromFlags(values);
  const store = await openStore(values.store);
  const runtime = createRuntime({ store, ...options });
  let server;
  try {
    server = await startUiServer({ runtime, port, host: values.host });
  } catch (e) {
    await runtime.close();
    throw e;
  }
  process.stdout.write(`Stepwise UI on ${server.url} (store ${values.store ?? '.stepwise/'}); Ctrl-C to stop.\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  await runtime.close();
  return 0;
}
