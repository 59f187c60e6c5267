import { parseArgs } from 'node:util';
import { createStepFunctionsServer, DEFAULT_HOST, DEFAULT_PORT } from '../../adapters/http/index.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import { createRuntime } from '../runtime/create-runtime.js';
import { openStore } from './open-store.js';
import { LIMIT_USAGE, RUNTIME_FLAGS, runtimeOptionsFromFlags } from './runtime-flags.js';
import { AWS_SERVICE_FLAGS, AWS_SERVICE_USAGE, servicesFromFlags } from './aws-service-flags.js';
import { HTTP_TASK_USAGE } from './http-task-flags.js';
import { wholeNumber } from './whole-number.js';
import { chainServiceCallers } from '../resources/service-caller.js';
import { createUiHandler, isLoopbackHost } from '../../adapters/ui/ui-handler.js';

export const SERVE_USAGE = `usage: stepwise serve [--port 8083] [--host 127.0.0.1] [--store DIR | --store memory] [--mock-config FILE] [--fast-time]
                      [--region us-east-1] [--account-id 123456789012] ${AWS_SERVICE_USAGE}
                      ${HTTP_TASK_USAGE}
                      ${LIMIT_USAGE}
  The Step Functions API (AWS JSON 1.0) for the aws CLI and SDKs: --endpoint-url http://localhost:8083,
  and the visual debugger at http://localhost:8083/ui/.
  SFN_MOCK_CONFIG=FILE works as --mock-config; start an execution of 'stateMachineArn#TestCase' to use a mocked test case.`;

/** `stepwise serve`: the Step Functions API until SIGINT/SIGTERM. Returns the exit code. */
export async function serveCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      store: { type: 'string' },
      region: { type: 'string' },
      'account-id': { type: 'string' },
      ...AWS_SERVICE_FLAGS,
      ...RUNTIME_FLAGS,
    },
  });
  if (positionals.length > 0) throw new StepwiseError('InvalidArgument', `serve takes no positional arguments (got '${positionals.join(' ')}').\n${SERVE_USAGE}`);
  const port = values.port === undefined ? DEFAULT_PORT : wholeNumber(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new StepwiseError('InvalidArgument', `--port must be an integer from 0 to 65535, not '${values.port}'.`);
  const host = values.host ?? DEFAULT_HOST;
  if (values.region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(values.region)) throw new StepwiseError('InvalidArgument', `--region must look like us-east-1, not '${values.region}'.`);
  if (values['account-id'] !== undefined && !/^\d{12}$/.test(values['account-id'])) throw new StepwiseError('InvalidArgument', `--account-id must be 12 digits, not '${values['account-id']}'.`);
  const mockPath = values['mock-config'] ?? process.env.SFN_MOCK_CONFIG;
  const options = runtimeOptionsFromFlags({ ...values, 'mock-config': mockPath || undefined });
  const services = chainServiceCallers(options.services, servicesFromFlags(values));
  const store = await openStore(values.store);
  const runtime = createRuntime({
    store, ...options, ...(services ? { services } : {}),
    ...(values.region ? { region: values.region } : {}), ...(values['account-id'] ? { accountId: values['account-id'] } : {}),
  });
  const server = createStepFunctionsServer({ runtime });
  const ui = createUiHandler({ runtime, basePath: '/ui', loopbackOnly: isLoopbackHost(host) });
  server.mount('/ui', async (req, res) => {
    if (await ui(req, res)) return;
    res.writeHead(404, { 'content-type': 'text/plain' }).end(`No such page: ${req.url}\n`);
  });
  try {
    await runtime.start();
    const { url } = await server.listen(port, host).catch((e: NodeJS.ErrnoException) => {
      throw new StepwiseError('InvalidArgument', `Cannot listen on ${host}:${port}: ${e.code === 'EADDRINUSE' ? 'the port is in use' : e.message}.`);
    });
    process.stdout.write(`stepwise: Step Functions API on ${url} (visual debugger: ${url.replace(/\/?$/, '/ui/')}; store: ${values.store ?? '.stepwise/'}${mockPath ? `, mocks: ${mockPath}` : ''})\n`);
    if (!isLoopbackHost(host)) process.stderr.write(`stepwise: listening on ${host}: the API has no authentication; anyone who can reach it can run state machines.\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    return 0;
  } finally {
    await server.close();
    await runtime.close();
  }
}
