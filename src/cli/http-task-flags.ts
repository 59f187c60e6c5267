import { createHttpTaskCaller, loadConnectionsFile } from '../../adapters/http-task/index.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import type { ServiceCaller } from '../resources/service-caller.js';

/**
 * The flags every command that runs executions takes for HTTP Tasks
 * (`arn:aws:states:::http:invoke`), in `node:util` parseArgs form. Real calls are opt-in:
 * without `--http-invoke` or `--http-connections` an HTTP Task no handler or mock answers fails
 * as having none.
 */
export const HTTP_TASK_FLAGS = {
  'http-invoke': { type: 'boolean', default: false },
  'http-connections': { type: 'string' },
  'http-allow-insecure': { type: 'boolean', default: false },
} as const;

export const HTTP_TASK_USAGE = '[--http-invoke] [--http-connections FILE] [--http-allow-insecure]   (HTTP Tasks: real calls; EventBridge connections from FILE; http:// endpoints for local test servers)';

export interface HttpTaskFlagValues {
  'http-invoke'?: boolean;
  'http-connections'?: string;
  'http-allow-insecure'?: boolean;
}

/**
 * The HTTP Task caller the flags ask for, or undefined. `--http-connections FILE` (connections
 * keyed by ARN, each a CreateConnection request) implies `--http-invoke`. Throws
 * InvalidArgument for a connections file that cannot be read or is not of that shape, and for
 * `--http-allow-insecure` alone.
 */
export function httpTaskCallerFromFlags(values: HttpTaskFlagValues): ServiceCaller | undefined {
  const file = values['http-connections'];
  const enabled = values['http-invoke'] === true || file !== undefined;
  if (!enabled) {
    if (values['http-allow-insecure']) throw new StepwiseError('InvalidArgument', '--http-allow-insecure needs --http-invoke or --http-connections FILE (HTTP Tasks are called only when asked for).');
    return undefined;
  }
  if (file === '') throw new StepwiseError('InvalidArgument', '--http-connections needs a FILE.');
  return createHttpTaskCaller({
    ...(file !== undefined ? { connections: loadConnectionsFile(file) } : {}),
    allowInsecureHttp: values['http-allow-insecure'] === true,
  });
}
