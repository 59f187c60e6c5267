import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { StateMachineDefinition } from '../asl/definition.js';
import { loadDefinitionFile, parseJsonText } from '../asl/parse-definition.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import { describeDivergence, type ReplayReport } from '../execution/execution-journal.js';
import { fromAwsHistory } from '../execution/replay-matching.js';
import { createRuntime } from '../runtime/create-runtime.js';
import { readStoredExecution } from './resolve-execution.js';

/**
 * `stepwise replay EXECUTION [--definition FILE]` re-runs a stored execution with its recorded
 * task results (optionally against a changed definition) and prints OK or the first divergence.
 * `stepwise replay --history FILE --definition FILE` does the same for a history exported from
 * AWS (`aws stepfunctions get-execution-history`), comparing event types, ids and state names.
 */
export async function replayCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { definition: { type: 'string' }, history: { type: 'string' }, store: { type: 'string' }, json: { type: 'boolean', default: false } } });
  let report: ReplayReport;
  if (values.history !== undefined) {
    if (positionals.length > 0) throw new StepwiseError('InvalidArgument', `Replay either a stored EXECUTION or --history FILE, not both (got '${positionals.join(' ')}' and --history ${values.history}).`);
    if (values.definition === undefined) throw new StepwiseError('InvalidArgument', 'Replaying an exported history needs --definition FILE.');
    const definition = (await loadDefinitionFile(values.definition)) as StateMachineDefinition;
    const events = fromAwsHistory(readExport(values.history));
    report = await createRuntime({ clock: 'virtual' }).replay({ events, definition });
  } else {
    report = await readStoredExecution(values.store, positionals, async (store, executionArn) => {
      const definition = values.definition !== undefined ? ((await loadDefinitionFile(values.definition)) as StateMachineDefinition) : undefined;
      return createRuntime({ store, clock: 'virtual' }).replay({ executionArn, definition });
    });
  }
  if (values.json) process.stdout.write(JSON.stringify(report) + '\n');
  else if (report.ok) process.stdout.write(`OK: ${report.replayedEvents} events replayed identically\n`);
  else {
    const d = report.divergence!;
    process.stdout.write(`DIVERGED at event ${d.eventId}: ${describeDivergence(d)}\n`);
    process.stdout.write(`  expected: ${JSON.stringify(d.expected)}\n  actual:   ${JSON.stringify(d.actual)}\n`);
  }
  return report.ok ? 0 : 1;
}

/**
 * The events of an exported history: an array, or `{ "events": [...] }` as `aws stepfunctions
 * get-execution-history` prints it. Each must be an event (an object with a numeric id and a
 * type): fromAwsHistory would read anything else as an event of id NaN, or fail on null.
 */
function readExport(file: string): Record<string, unknown>[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new StepwiseError('InvalidInput', `Cannot read the history file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
  }
  const parsed = parseHistoryText(text, file);
  // Where the events are, as a JSON pointer for the messages below.
  const key = isObject(parsed) ? (parsed.events !== undefined ? 'events' : 'history') : undefined;
  const events = key !== undefined ? (parsed as Record<string, unknown>)[key] : parsed;
  if (!Array.isArray(events)) throw new StepwiseError('InvalidInput', `${file} holds no history: expected an array of events or an object with "events".`);
  events.forEach((event: unknown, i) => {
    if (!isObject(event) || typeof event.type !== 'string' || !Number.isInteger(event.id)) {
      throw new StepwiseError('InvalidInput', `${file}: ${key !== undefined ? `/${key}` : ''}/${i} is not a history event: expected an object with a numeric "id" and a "type", not ${JSON.stringify(event)?.slice(0, 80)}.`);
    }
  });
  if (events.length === 0) throw new StepwiseError('InvalidInput', `${file} holds a history with no events.`);
  if (events[0].type !== 'ExecutionStarted') {
    // An export made with --reverse-order begins with the last event.
    throw new StepwiseError('InvalidInput', `${file}: a history begins with ExecutionStarted, not ${events[0].type} (was it exported with --reverse-order?).`);
  }
  return events as Record<string, unknown>[];
}

/** JSON.parse, for speed on big histories; on an error, the definition reader says where (file:line:column). */
function parseHistoryText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    try {
      parseJsonText(text, file);
    } catch (located) {
      throw new StepwiseError('InvalidInput', `The history is not JSON: ${(located as Error).message}`);
    }
    throw new StepwiseError('InvalidInput', `The history ${file} is not JSON: ${(e as Error).message}.`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
