import { parseArgs } from 'node:util';
import type { JsonValue } from '../asl/json-value.js';
import { loadDefinitionFile } from '../asl/parse-definition.js';
import type { StateMachineDefinition } from '../asl/definition.js';
import { StepwiseError, isStepwiseError } from '../errors/stepwise-error.js';
import type { HistoryEvent } from '../execution/history-event.js';
import { toAwsHistoryEvent } from '../observe/aws-history.js';
import { createRuntime, type Runtime } from '../runtime/create-runtime.js';
import { openStore, ownershipOption } from './open-store.js';
import { readInput } from './read-input.js';
import { LIMIT_USAGE, RUNTIME_FLAGS, runtimeOptionsFromFlags } from './runtime-flags.js';
import { paint } from './paint.js';
import { nameFlag, stateMachineNameFlag } from './name-flag.js';
import { AWS_SERVICE_FLAGS, AWS_SERVICE_USAGE, servicesFromFlags } from './aws-service-flags.js';
import { HTTP_TASK_USAGE } from './http-task-flags.js';
import { chainServiceCallers } from '../resources/service-caller.js';

export const RUN_USAGE = `usage: stepwise run DEFINITION [--input JSON | --input-file FILE] [--state-machine-name NAME]
                    [--name EXECUTION_NAME] [--mock-config FILE --test-case NAME] [--fast-time] [--json] [--history]
                    ${AWS_SERVICE_USAGE}
                    ${HTTP_TASK_USAGE}
                    [--store DIR | --store memory | --store esdb://HOST:2113?tls=false]   (default: .stepwise/ in the working directory)
                    [--lease-ms N]   (on a store shared with other runtimes: hold a lease on the execution)
                    ${LIMIT_USAGE}`;

/** `stepwise run`: runs one execution and prints its progress and result. Returns the exit code. */
export async function runCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      input: { type: 'string' },
      'input-file': { type: 'string' },
      'state-machine-name': { type: 'string' },
      name: { type: 'string' },
      'test-case': { type: 'string' },
      json: { type: 'boolean', default: false },
      history: { type: 'boolean', default: false },
      store: { type: 'string' },
      'lease-ms': { type: 'string' },
      ...AWS_SERVICE_FLAGS,
      ...RUNTIME_FLAGS,
    },
  });
  if (positionals.length !== 1) throw new StepwiseError('InvalidArgument', `Expected exactly one DEFINITION file.\n${RUN_USAGE}`);
  if (values['test-case'] !== undefined && values['mock-config'] === undefined) {
    throw new StepwiseError('InvalidArgument', '--test-case needs --mock-config FILE.');
  }
  nameFlag('--name', values.name, 'execution');
  stateMachineNameFlag(values['state-machine-name']);
  const file = positionals[0]!;
  const definition = definitionObject(await loadDefinitionFile(file), file);
  const input = readInput(values.input, values['input-file']);
  const options = runtimeOptionsFromFlags(values);
  const ownership = ownershipOption(values['lease-ms']);
  const services = chainServiceCallers(options.services, servicesFromFlags(values));
  const store = await openStore(values.store);
  const runtime = createRuntime({ ...options, store, ownership, services });
  try {
    return await runOne(runtime, values, definition, input, options.mockConfig !== undefined, file);
  } finally {
    await runtime.close();
  }
}

async function runOne(
  runtime: Runtime,
  values: { 'state-machine-name'?: string; name?: string; 'test-case'?: string; json?: boolean; history?: boolean },
  definition: StateMachineDefinition,
  input: JsonValue,
  mocked: boolean,
  file: string,
): Promise<number> {
  let execution;
  try {
    execution = runtime.startExecution({
      definition,
      input,
      stateMachineName: values['state-machine-name'],
      name: values.name,
      testCase: mocked ? (values['test-case'] ?? 'Default') : undefined,
    });
  } catch (e) {
    // The runtime knows the definition, not the file it came from: say which file is invalid.
    if (isStepwiseError(e) && e.code === 'InvalidDefinition') throw new StepwiseError(e.code, `${file}: ${e.message}`, e.details);
    throw e;
  }
  const live = !values.json;
  if (live) execution.events$.subscribe((e) => printLive(e));
  const result = await execution.done;
  // On a shared store, others' RUNNING executions are driven elsewhere: nothing to warn about.
  if (!runtime.ownership) await warnAboutOthersRunning(runtime, execution.identity.executionArn);
  if (values.json) {
    const out: Record<string, unknown> = { executionArn: result.executionArn, status: result.status };
    if (result.status === 'SUCCEEDED') out.output = result.output;
    else {
      if (result.error !== undefined) out.error = result.error;
      if (result.cause !== undefined) out.cause = result.cause;
    }
    if (values.history) out.history = execution.events.map(toAwsHistoryEvent);
    process.stdout.write(JSON.stringify(out) + '\n');
  } else {
    printSummary(result.status, result.output, result.error, result.cause);
    if (values.history) for (const e of execution.events) process.stdout.write(JSON.stringify(toAwsHistoryEvent(e)) + '\n');
  }
  return result.status === 'SUCCEEDED' ? 0 : 1;
}

/** A plain run drives only its own execution; it says when others in the store were left RUNNING. */
async function warnAboutOthersRunning(runtime: Runtime, own: string): Promise<void> {
  // Its own Distributed Map children are listed as ended a moment after it has ended.
  await runtime.listingsWritten();
  const page = await runtime.store.list({ status: 'RUNNING', maxResults: 100 });
  const others = page.items.filter((m) => m.executionArn !== own);
  if (others.length > 0) {
    process.stderr.write(`stepwise: ${others.length}${page.nextToken ? '+' : ''} other execution(s) in this store were left RUNNING by a process that stopped; \`stepwise resume\` finishes them.\n`);
  }
}

function printLive(e: HistoryEvent): void {
  const name = (e.stateEnteredEventDetails as { name?: string } | undefined)?.name ?? (e.stateExitedEventDetails as { name?: string } | undefined)?.name;
  if (e.type.endsWith('StateEntered')) process.stdout.write(`${paint.dim('→')} ${name} ${paint.dim(`(${e.type.replace('StateEntered', '')})`)}\n`);
  else if (e.type.endsWith('StateExited')) process.stdout.write(`${paint.green('✓')} ${name}\n`);
  else if (e.type.endsWith('Failed') && e.type !== 'ExecutionFailed') process.stdout.write(`${paint.red('✗')} ${e.type}${describeError(e)}\n`);
}

function describeError(e: HistoryEvent): string {
  for (const [k, v] of Object.entries(e)) {
    if (k.endsWith('EventDetails') && v && typeof v === 'object' && 'error' in v) return `: ${(v as { error: string }).error}`;
  }
  return '';
}

function printSummary(status: string, output: JsonValue | undefined, error?: string, cause?: string): void {
  const colour = status === 'SUCCEEDED' ? paint.green : paint.red;
  process.stdout.write(`\n${colour(status)}\n`);
  if (status === 'SUCCEEDED') process.stdout.write(JSON.stringify(output, null, 2) + '\n');
  else {
    if (error !== undefined) process.stdout.write(`error: ${error}\n`);
    if (cause !== undefined) process.stdout.write(`cause: ${cause}\n`);
  }
}

/** A definition file holds an object; YAML reads plain text as a string, which is no definition. */
function definitionObject(value: unknown, file: string): StateMachineDefinition {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as StateMachineDefinition;
  const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
  throw new StepwiseError('InvalidDefinition', `${file}: the definition must be a JSON or YAML object with "StartAt" and "States", not ${kind}.`);
}
