import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { StateMachineDefinition } from '../asl/definition.js';
import { loadDefinitionFile } from '../asl/parse-definition.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import { describeDivergence, type ReplayReport } from '../execution/execution-journal.js';
import { fromAwsHistory } from '../execution/replay-matching.js';
import { createRuntime } from '../runtime/create-runtime.js';
import { openStore } from './open-store.js';
import { resolveExecution } from './resolve-execution.js';

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
    if (values.definition === undefined) throw new StepwiseError('InvalidArgument', 'Replaying an exported history needs --definition FILE.');
    const definition = (await loadDefinitionFile(values.definition)) as StateMachineDefinition;
    const events = fromAwsHistory(readExport(values.history));
    report = await createRuntime({ clock: 'virtual' }).replay({ events, definition });
  } else {
    const store = await openStore(values.store);
    try {
      const runtime = createRuntime({ store, clock: 'virtual' });
      const executionArn = await resolveExecution(store, positionals[0]);
      const definition = values.definition !== undefined ? ((await loadDefinitionFile(values.definition)) as StateMachineDefinition) : undefined;
      report = await runtime.replay({ executionArn, definition });
    } finally {
      await store.close();
    }
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

function readExport(file: string): Record<string, unknown>[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new StepwiseError('InvalidInput', `Cannot read the history ${file}: ${(e as Error).message}`);
  }
  const events = Array.isArray(parsed) ? parsed : (parsed as { events?: unknown; history?: unknown }).events ?? (parsed as { history?: unknown }).history;
  if (!Array.isArray(events)) throw new StepwiseError('InvalidInput', `${file} holds no history: expected an array of events or an object with "events".`);
  return events as Record<string, unknown>[];
}
