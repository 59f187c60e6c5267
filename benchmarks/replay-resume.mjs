// Replay speed (events per second re-running a ~100,000-event history through the actors to
// verify it, and folding it into state without them) and the time and memory
// to resume 10,000 executions parked in a Wait, on the embedded file store.
// Usage: npm run build && node --expose-gc benchmarks/replay-resume.mjs [--items N] [--parked N]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMemoryEventStore, createRuntime, openFileEventStore } from '../dist/src/index.js';
import { resultLine } from './lib/sample-result.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : fallback; };
const mode = args[0];

const mapDefinition = {
  StartAt: 'Fan',
  States: {
    Fan: {
      Type: 'Map', MaxConcurrency: 40, ItemsPath: '$.items',
      ItemProcessor: { StartAt: 'P1', States: {
        P1: { Type: 'Pass', Next: 'P2' }, P2: { Type: 'Pass', Next: 'P3' }, P3: { Type: 'Pass', Next: 'P4' }, P4: { Type: 'Pass', End: true },
      } },
      End: true,
    },
  },
};
const parkedDefinition = { StartAt: 'Park', States: { Park: { Type: 'Wait', Seconds: 86400, Next: 'Done' }, Done: { Type: 'Succeed' } } };
const unlimited = { payloadBytes: Infinity, historyEvents: Infinity };

if (mode === 'park') {
  // Child: start N executions that park in a Wait, make sure their events are durable, then exit.
  const store = await openFileEventStore(args[1]);
  const runtime = createRuntime({ store });
  const n = Number(args[2]);
  const executions = [];
  for (let i = 0; i < n; i++) executions.push(runtime.startExecution({ definition: parkedDefinition, name: `parked-${i}` }));
  await new Promise((r) => setTimeout(r, 200));
  await runtime.close();
  process.exit(0);
} else if (mode === 'resume') {
  // Child: open the store and resume everything; report time to catch up and heap used.
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const store = await openFileEventStore(args[1]);
  const opened = performance.now();
  const runtime = createRuntime({ store });
  const resumed = await runtime.start();
  await Promise.all(resumed.map((e) => e.caughtUp));
  const caughtUp = performance.now();
  global.gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  process.stdout.write(JSON.stringify({ resumed: resumed.length, openMs: opened - started, resumeMs: caughtUp - started, heapBytesPerExecution: (heapAfter - heapBefore) / resumed.length, rssMb: process.memoryUsage().rss / 1e6 }) + '\n');
  process.exit(0);
} else {
  const items = opt('--items', 10_000);
  const parked = opt('--parked', 10_000);
  // Replay speed.
  const store = createMemoryEventStore();
  const runtime = createRuntime({ store, limits: unlimited });
  const execution = runtime.startExecution({ definition: mapDefinition, input: { items: Array.from({ length: items }, (_, i) => i) }, name: 'big' });
  await execution.done;
  const events = execution.events.length;
  const samples = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const report = await runtime.replay({ executionArn: execution.identity.executionArn });
    const ms = performance.now() - t;
    if (!report.ok) throw new Error('replay diverged');
    samples.push(events / (ms / 1000));
  }
  samples.sort((a, b) => a - b);
  // Reading state needs no actors: stateAt() is a pure fold of the stored events.
  const handle = runtime.execution(execution.identity.executionArn);
  const foldSamples = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const state = await handle.stateAt();
    const ms = performance.now() - t;
    if (state.status !== 'SUCCEEDED') throw new Error(`fold ended ${state.status}`);
    foldSamples.push(events / (ms / 1000));
  }
  foldSamples.sort((a, b) => a - b);
  console.log(`state fold (stateAt): ${events} events, median ${Math.round(foldSamples[2]).toLocaleString('en')} events/s (min ${Math.round(foldSamples[0]).toLocaleString('en')}, max ${Math.round(foldSamples[4]).toLocaleString('en')})`);
  console.log(`replay (verification, actors): ${events} events, median ${Math.round(samples[1]).toLocaleString('en')} events/s (min ${Math.round(samples[0]).toLocaleString('en')}, max ${Math.round(samples[2]).toLocaleString('en')})`);
  // Resume.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-resume-'));
  const self = path.join(here, 'replay-resume.mjs');
  const park = spawnSync(process.execPath, [self, 'park', dir, String(parked)], { encoding: 'utf8' });
  if (park.status !== 0) throw new Error(park.stderr);
  const resume = spawnSync(process.execPath, ['--expose-gc', self, 'resume', dir], { encoding: 'utf8' });
  if (resume.status !== 0) throw new Error(resume.stderr);
  const r = JSON.parse(resume.stdout.trim());
  console.log(`resume: ${r.resumed} executions parked in a Wait: ${Math.round(r.resumeMs)} ms to open the store and catch up (store open ${Math.round(r.openMs)} ms), ${Math.round(r.heapBytesPerExecution)} heap bytes per execution, RSS ${Math.round(r.rssMb)} MB`);
  fs.rmSync(dir, { recursive: true, force: true });
  // For npm run bench, which runs this script as its last workload and keeps the figures.
  const summary = (xs) => ({ median: xs[Math.floor(xs.length / 2)], min: xs[0], max: xs[xs.length - 1] });
  console.log(resultLine({ events, foldEventsPerSecond: summary(foldSamples), replayEventsPerSecond: summary(samples), resume: r }));
}
