#!/usr/bin/env node
/**
 * One sample of one workload on one engine, in this (fresh) process:
 *
 *   node --expose-gc benchmarks/lib/sample.mjs WORKLOAD ENGINE [--scale 1] [--steady-rounds 3,3] [--warmup N] [--cpu-profile FILE] [--heap-profile FILE] [--mark-timed]
 *
 * A throughput workload is timed twice in the same process. `value`: its warm-up, then one
 * timed round (as many executions as the warm-up). `steadyValue`: after that, `--steady-rounds
 * W,T` more rounds, W untimed and T timed together: the rate once the process has settled.
 * Both engines keep getting faster for several rounds after the first, Stepwise more than the
 * peer on Pass-heavy workloads (it keeps their history; its garbage collections per round fall
 * as V8 grows the heap); `0,0` (or `0`) skips the steady rounds. Profiles cover the first timed
 * round only.
 *
 * `--cpu-profile FILE` writes a CPU profile of the timed part only (not load or warm-up).
 * `--heap-profile FILE` writes a sampling heap profile of the timed part instead: every
 * allocation sampled, the objects garbage-collected since included (what the program allocates,
 * not what it keeps), so it shows who makes the garbage collector's work.
 *
 * `--mark-timed` writes `@@timed-start` and `@@timed-end` to standard output around the first
 * timed round, synchronously, so that a tracing flag's output (benchmarks/jit-rounds.mjs runs
 * this with V8's --trace-opt) can be split into what happened before and during it.
 *
 * Prints one line `@@result {json}` with the score, peak RSS and a digest of the last output
 * (so the harness can check that both engines computed the same thing).
 */
import { createHash } from 'node:crypto';
import { writeFileSync, writeSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import { parseArgs } from './args.mjs';
import { loadEngine } from './engines.mjs';
import { resultLine } from './sample-result.mjs';
import { loadDefinition, workload } from './workloads.mjs';

const { positional: [workloadId, engineName], options } = parseArgs(process.argv.slice(2), { scale: '1', 'steady-rounds': '3,3', 'cpu-profile': '', 'heap-profile': '', warmup: '', 'mark-timed': false });
const [steadyWarm = 0, steadyTimed = 0] = options['steady-rounds'].split(',').map(Number);
// `--warmup N` replaces the workload's warm-up count (benchmarks/warmup-curve.mjs); full runs keep the workload's.
const w = options.warmup === '' ? workload(workloadId, Number(options.scale)) : { ...workload(workloadId, Number(options.scale)), warmup: Number(options.warmup) };
const engine = await loadEngine(engineName);
const definition = loadDefinition(w.file);
const rssAfterLoadKB = Math.round(process.memoryUsage().rss / 1024);

const result = w.kind === 'concurrent' ? await concurrent() : await throughput();
process.stdout.write(`${resultLine({
  workload: w.id, engine: engineName, ...result,
  rssAfterLoadKB,
  maxRssKB: result.maxRssKB ?? process.resourceUsage().maxRSS,
  ...(result.steadyValue !== undefined ? { steadyMaxRssKB: process.resourceUsage().maxRSS } : {}),
})}\n`);

async function throughput() {
  const machine = engine.prepare(definition, { task: w.task, liftLimits: w.liftLimits, clock: w.clock, durable: w.durable });
  const warmInput = w.warmupInput ?? w.input;
  for (let i = 0; i < w.warmup; i++) await machine.run(warmInput(i, w));
  // One round: the timed executions, one after another; resolves to the last one's output.
  const round = async () => {
    let output;
    for (let i = 0; i < w.executions; i++) output = await machine.run(w.input(i, w));
    return output;
  };
  const profiler = await startProfiler();
  const t0 = performance.now();
  const output = await round();
  const elapsedMs = performance.now() - t0;
  await profiler.stop();
  const units = w.executions * (w.items ?? 1);
  // Peak RSS as of the first timed round: the steady rounds keep three to six rounds' more history.
  const maxRssKB = process.resourceUsage().maxRSS;
  const steady = steadyTimed > 0 && !options['cpu-profile'] && !options['heap-profile'] ? await steadyRate(round, units) : {};
  return { value: units / (elapsedMs / 1000), unit: w.unit, elapsedMs, executions: w.executions, maxRssKB, ...steady, digest: digest(output) };
}

/** The same rounds again once the first timed one is done: `steadyWarm` untimed, then `steadyTimed` timed as one. */
async function steadyRate(round, units) {
  for (let r = 0; r < steadyWarm; r++) await round();
  const t0 = performance.now();
  for (let r = 0; r < steadyTimed; r++) await round();
  const steadyElapsedMs = performance.now() - t0;
  return { steadyValue: (units * steadyTimed) / (steadyElapsedMs / 1000), steadyElapsedMs, steadyRounds: [steadyWarm, steadyTimed] };
}

async function concurrent() {
  if (typeof global.gc !== 'function') throw new Error('Run with --expose-gc');
  let parked = [];
  let onAllParked = () => {};
  let expected = 0;
  const task = (input) => new Promise((resolve) => {
    parked.push(() => resolve({ answered: input.id }));
    if (parked.length === expected) onAllParked();
  });
  const machine = engine.prepare(definition, { task, liftLimits: w.liftLimits, clock: w.clock });

  /** Starts n executions at once; resolves when every one of them is parked in the Task. */
  const startAll = (n) => {
    parked = [];
    expected = n;
    const allParked = new Promise((resolve) => { onAllParked = resolve; });
    const runs = [];
    for (let i = 0; i < n; i++) runs.push(machine.run(w.input(i, w)));
    return { runs, allParked };
  };
  const answerAll = () => { for (const answer of parked) answer(); parked = []; };

  { // warm-up round, untimed
    const { runs, allParked } = startAll(Math.min(w.warmup, w.count));
    await allParked;
    answerAll();
    await Promise.all(runs);
  }

  // Let the warm-up's last callbacks run first: queued, they keep its executions alive in the baseline.
  await new Promise((resolve) => setImmediate(resolve));
  fullGc();
  const heapBefore = process.memoryUsage().heapUsed;
  const profiler = await startProfiler();
  const t0 = performance.now();
  const { runs, allParked } = startAll(w.count);
  await allParked;
  const parkedMs = performance.now() - t0;
  fullGc(); // not timed
  const heapParked = process.memoryUsage().heapUsed;
  const t1 = performance.now();
  answerAll();
  const outputs = await Promise.all(runs);
  const resumeMs = performance.now() - t1;
  await profiler.stop();
  return {
    value: parkedMs + resumeMs, unit: 'ms', parkedMs, resumeMs, executions: w.count,
    heapBytesPerParked: (heapParked - heapBefore) / w.count,
    digest: digest(outputs[outputs.length - 1]),
  };
}

/** With --cpu-profile (or --heap-profile), profiles from here to stop(); with --mark-timed, marks both ends. */
async function startProfiler() {
  const profiler = await startProfiling();
  if (!options['mark-timed']) return profiler;
  mark('@@timed-start');
  return {
    async stop() {
      mark('@@timed-end');
      await profiler.stop();
    },
  };
}

// Synchronous, so that it lands among V8's own trace lines in the order it happened.
function mark(line) {
  writeSync(1, `${line}\n`);
}

async function startProfiling() {
  const cpuFile = options['cpu-profile'];
  const heapFile = options['heap-profile'];
  if (!cpuFile && !heapFile) return { stop: async () => {} };
  const session = new Session();
  session.connect();
  if (heapFile) {
    // One sample per 512 bytes allocated on average; collected objects stay in the profile.
    await session.post('HeapProfiler.startSampling', { samplingInterval: 512, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    return {
      async stop() {
        const { profile } = await session.post('HeapProfiler.stopSampling');
        writeFileSync(heapFile, JSON.stringify(profile));
        session.disconnect();
      },
    };
  }
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(cpuFile, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

function fullGc() {
  global.gc();
  global.gc();
}

function digest(value) {
  return createHash('sha1').update(canonical(value)).digest('hex').slice(0, 12);
}

function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}
