#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { isStepwiseError } from '../errors/stepwise-error.js';
import { runCommand, RUN_USAGE } from './run-command.js';
import { validateCommand } from './validate-command.js';
import { listCommand } from './list-command.js';
import { historyCommand } from './history-command.js';
import { replayCommand } from './replay-command.js';
import { forkCommand } from './fork-command.js';
import { resumeCommand } from './resume-command.js';
import { redriveCommand } from './redrive-command.js';
import { inspectCommand } from './inspect-command.js';
import { mapRunsCommand } from './map-runs-command.js';

const USAGE = `usage: stepwise <command> [options]

commands:
  run DEFINITION ...      run a state machine and print its result (stepwise run --help)
  validate FILE [--type EXPRESS]
                          check a definition and list every problem
  list [--status S]       executions in the store
  history EXECUTION       an execution's history in AWS's GetExecutionHistory shape
  map-runs EXECUTION [--children]
                          its Distributed Maps' Map Runs: status, settings, child executions counted (and listed)
  inspect EXECUTION [--at EVENT_ID]
                          where the execution was at that event: active states, inputs, retries, variables
  replay EXECUTION [--definition FILE] | replay --history FILE --definition FILE
                          re-run a history with its recorded task results; OK or the first divergence
  resume [--lease-ms N [--follow]]
                          finish every execution left RUNNING by a process that died; with --lease-ms, only
                          those whose lease ran out, and with --follow keep taking over until stopped
  fork EXECUTION --from EVENT_ID [--input JSON] [--definition FILE]
                          a new execution that continues from that event (the original is unchanged)
  redrive EXECUTION       continue a FAILED, TIMED_OUT or ABORTED execution from where it failed
  ui [--port 8084] [--host 127.0.0.1]
                          the visual time-travel debugger in the browser (binds 127.0.0.1 by default)
  serve [--port 8083] [--host 127.0.0.1] [--mock-config FILE]
                          the Step Functions API (AWS JSON 1.0) for the aws CLI and SDKs

Commands that read executions take --store DIR (default .stepwise/), --store memory, or
--store esdb://HOST:2113?tls=false for an EventStoreDB server. Several processes may share a DIR.
Commands that run executions (run, serve, resume, fork, redrive, ui) take --lift-limits to switch AWS's
256 KiB payload, 25,000-event history, Express and JSONata limits off for local work beyond them, and --http-invoke
[--http-connections FILE] [--http-allow-insecure] to call the endpoints of HTTP Tasks (arn:aws:states:::http:invoke).

${RUN_USAGE}`;

/** Each command by name, in the order the usage lists them. */
const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  run: runCommand,
  validate: validateCommand,
  list: listCommand,
  history: historyCommand,
  'map-runs': mapRunsCommand,
  inspect: inspectCommand,
  replay: replayCommand,
  resume: resumeCommand,
  fork: forkCommand,
  redrive: redriveCommand,
  // Loaded only when asked for: the other commands need not load the HTTP server.
  ui: async (args) => (await import('./ui-command.js')).uiCommand(args),
  serve: async (args) => (await import('./serve-command.js')).serveCommand(args),
};

/** The version in the package's package.json (the bundled CLI sits at dist/src/cli/main.js). */
function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/**
 * node:util parseArgs's refusal, its first sentence only: for an unknown option it goes on about
 * positional arguments that start with '-', which is not what a mistyped flag needs.
 */
function parseArgsMessage(e: Error): string {
  const code = (e as NodeJS.ErrnoException).code;
  const first = e.message.split('. ')[0]!.replace(/\.$/, '');
  return code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? `${first} (stepwise --help lists each command's options).` : `${first}.`;
}

/** Exit codes: 0 SUCCEEDED/valid, 1 any other final status, 2 bad usage or bad input. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  if (!command || command === '--help' || command === '-h' || rest.includes('--help')) {
    process.stdout.write(USAGE + '\n');
    return command ? 0 : 2;
  }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!run) {
    process.stderr.write(`stepwise: unknown command '${command}' (the commands: ${Object.keys(COMMANDS).join(', ')}; stepwise --help says what each does).\n`);
    return 2;
  }
  return run(rest);
}

// A failure nothing was waiting for is a bug in Stepwise. It is said in one line, and the process
// ends as Node would end it: Node's own report prints the bundled CLI's minified source.
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (e: unknown) => {
    process.stderr.write(`stepwise: unexpected internal error (${event}): ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (isStepwiseError(e)) process.stderr.write(`stepwise: ${e.message}\n`);
    else if (e instanceof Error && (e as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) process.stderr.write(`stepwise: ${parseArgsMessage(e)}\n`);
    else process.stderr.write(`stepwise: unexpected internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
