/**
 * One adapter per engine, so a workload is written once and runs the same way on both:
 *
 *   const machine = await engine.prepare(definition, { task, liftLimits });
 *   const output = await machine.run(input); // rejects unless the execution SUCCEEDED
 *
 * `task(input)` answers every Task state. Stepwise gets it as a handler registered by ARN
 * pattern (its documented API); the peer gets it in `overrides.taskResourceLocalHandlers`
 * under each Task state's name (its documented API).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const ENGINES = ['stepwise', 'peer'];

export const LABELS = { stepwise: 'Stepwise', peer: 'aws-local-stepfunctions' };

export function engineVersion(name) {
  const file = name === 'stepwise' ? join(repo, 'package.json') : join(repo, 'node_modules', 'aws-local-stepfunctions', 'package.json');
  return JSON.parse(readFileSync(file, 'utf8')).version;
}

export async function loadEngine(name) {
  if (name === 'stepwise') return stepwise();
  if (name === 'peer') return peer();
  // Not in ENGINES (npm run bench leaves them out): xstate-floor.mjs --against-peer samples them.
  if (name === 'floor' || name === 'floor-no-actors') return (await import('./design-floor.mjs')).designFloor({ actors: name === 'floor' });
  throw new Error(`Unknown engine '${name}' (expected one of ${ENGINES.join(', ')})`);
}

async function stepwise() {
  const entry = join(repo, 'dist', 'src', 'index.js');
  const { createRuntime } = await import(pathToFileURL(entry).href);
  return {
    name: 'stepwise',
    /**
     * One runtime per prepared machine. It records the full history of every execution in its
     * in-memory store (Stepwise always does). `clock: 'virtual'` is for workloads with waits;
     * AWS's limits stay on unless the workload exceeds them.
     */
    prepare(definition, { task, liftLimits = false, clock = 'real', durable = false } = {}) {
      // durable: the embedded file store in a fresh temporary directory (each append synced).
      const store = durable ? openTemporaryFileStore() : undefined;
      let runtime;
      const runtimeFor = async () => {
        if (runtime) return runtime;
        runtime = createRuntime({
          clock,
          ...(store ? { store: await store } : {}),
          ...(liftLimits ? { limits: { payloadBytes: Infinity, historyEvents: Infinity } } : {}),
        });
        if (task) runtime.handle('arn:aws:lambda:*:*:function:*', ({ input }) => task(input));
        return runtime;
      };
      // One `then` with a shared function per execution, as thin as the peer's adapter (which
      // returns its own promise): an async function here kept its suspended frame, ~450 bytes,
      // for as long as each execution ran, counted in Stepwise's heap per parked execution.
      return {
        run(input) {
          if (runtime) return runtime.run({ definition, input }).then(outputOf);
          return runtimeFor().then((r) => r.run({ definition, input })).then(outputOf);
        },
      };
    },
  };
}

/** A Stepwise execution's output; rejects unless it SUCCEEDED. */
function outputOf(result) {
  if (result.status !== 'SUCCEEDED') {
    throw new Error(`Stepwise execution ended ${result.status}: ${result.error ?? ''} ${result.cause ?? ''}`);
  }
  return result.output;
}

async function openTemporaryFileStore() {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { openFileEventStore } = await import(pathToFileURL(join(repo, 'dist', 'src', 'index.js')).href);
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-bench-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return openFileEventStore(dir);
}

async function peer() {
  await import('./with-resolvers.mjs'); // before the peer loads: it needs Promise.withResolvers (Node 22)
  const { StateMachine } = await import('aws-local-stepfunctions');
  return {
    name: 'peer',
    /** The peer validates the definition in its constructor; that is done once, here. */
    prepare(definition, { task, clock = 'real' } = {}) {
      if (clock !== 'real') throw new Error('The peer has no virtual clock; use waitTimeOverrides instead.');
      const machine = new StateMachine(definition);
      const overrides = {};
      if (task) {
        overrides.taskResourceLocalHandlers = Object.fromEntries(taskStateNames(definition).map((n) => [n, (input) => task(input)]));
      }
      return {
        run(input) {
          return machine.run(input, { overrides }).result;
        },
      };
    },
  };
}

/** Names of every Task state, nested ones (Parallel branches, Map processors) included. */
function taskStateNames(scope, out = []) {
  for (const [name, state] of Object.entries(scope.States ?? {})) {
    if (state.Type === 'Task') out.push(name);
    for (const branch of state.Branches ?? []) taskStateNames(branch, out);
    if (state.ItemProcessor ?? state.Iterator) taskStateNames(state.ItemProcessor ?? state.Iterator, out);
  }
  return out;
}
