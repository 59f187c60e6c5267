#!/usr/bin/env node
/**
 * How much of a first timed round V8's optimising compiler is still busy with, process by process:
 *
 *   node benchmarks/jit-rounds.mjs WORKLOAD [--processes 12] [--engines stepwise,peer] [--node-flags "..."]
 *
 * Runs `--processes` fresh samples per engine (benchmarks/lib/sample.mjs with `--steady-rounds 0
 * --mark-timed`, the engines interleaved) under V8's `--trace-opt`, and counts, for each, the
 * optimising (TurboFan) compile jobs that finished during its first timed round and how long they
 * took: on V8's background threads (which share the machine's cores with the main thread) and on
 * the main thread (each job's prepare and finalize steps). Then, per engine, the rate of the
 * rounds with less background compiling beside them than the median against those with more,
 * and the rank correlations of jobs and of background compile time with round time.
 *
 * Why: V8 optimises a function after it has run a given amount of its own bytecode (in Node 20's
 * V8, 3 budgets of 66 KB, plus one per 150 bytes of the function's size), so a small function run
 * ten times per execution is optimised after several hundred executions, about when a first
 * round after a few hundred warm-up executions is timed. Such a round measures how far V8 got as
 * much as the engine. `--trace-opt` itself costs a little (a line per job), the same for both
 * engines. Results go to benchmarks/results/jit-rounds-WORKLOAD-STAMP.json.
 *
 * V8's trace lines go through the C library's stdout buffer: the samples run under `stdbuf -oL`
 * (GNU coreutils) so that they land in order with the sample's own marks; without stdbuf the
 * script says so and its job counts can be off by a few lines.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from './lib/args.mjs';
import { SAMPLE_SCRIPT, sampleResult } from './lib/sample-result.mjs';
import { LABELS, repo } from './lib/engines.mjs';
import { fmt, median, table } from './lib/stats.mjs';
import { workload } from './lib/workloads.mjs';

const { positional: [id], options } = parseArgs(process.argv.slice(2), { processes: '12', engines: 'stepwise,peer', 'node-flags': '' });
if (!id) {
  console.error('usage: node benchmarks/jit-rounds.mjs WORKLOAD [--processes 12] [--engines stepwise,peer] [--node-flags "..."]');
  process.exit(2);
}
const w = workload(id);
if (w.kind !== 'throughput') throw new Error(`${id}: only throughput workloads have a first round of executions to look at.`);
const processes = Number(options.processes);
const engines = options.engines.split(',');
const nodeFlags = options['node-flags'].split(' ').filter(Boolean);
const lineBuffered = spawnSync('stdbuf', ['--version']).status === 0;
if (!lineBuffered) console.error('stdbuf not found: V8\'s trace lines may land a few lines late; job counts are approximate.');

const JOB = /completed compiling .* took ([\d.]+), ([\d.]+), ([\d.]+) ms/;

/** One sample under --trace-opt: its first round's rate and the compile jobs that finished in it. */
function sample(engine) {
  const node = [process.execPath, '--expose-gc', '--trace-opt', ...nodeFlags, SAMPLE_SCRIPT, id, engine, '--steady-rounds', '0', '--mark-timed'];
  const [cmd, ...args] = lineBuffered ? ['stdbuf', '-oL', ...node] : node;
  const run = spawnSync(cmd, args, { cwd: repo, encoding: 'utf8', maxBuffer: 256 << 20 });
  const result = sampleResult(run.stdout);
  if (run.status !== 0 || !result) throw new Error(`${id} on ${engine} failed: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  let inRound = false;
  let jobs = 0;
  let backgroundMs = 0;
  let mainThreadMs = 0;
  for (const line of run.stdout.split('\n')) {
    if (line === '@@timed-start') inRound = true;
    else if (line === '@@timed-end') inRound = false;
    else if (inRound) {
      const m = JOB.exec(line);
      if (!m) continue;
      jobs++;
      mainThreadMs += Number(m[1]) + Number(m[3]);
      backgroundMs += Number(m[2]);
    }
  }
  const { value, elapsedMs } = result;
  return { engine, value, elapsedMs, jobs, backgroundMs, mainThreadMs };
}

/** Spearman's rank correlation (ties get their mean rank). */
function rankCorrelation(xs, ys) {
  const ranks = (vs) => {
    const order = vs.map((v, i) => [v, i]).sort((a, b) => a[0] - b[0]);
    const r = new Array(vs.length);
    for (let i = 0; i < order.length;) {
      let j = i;
      while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
      for (let k = i; k <= j; k++) r[order[k][1]] = (i + j) / 2;
      i = j + 1;
    }
    return r;
  };
  const rx = ranks(xs);
  const ry = ranks(ys);
  const mean = (rx.length - 1) / 2;
  let num = 0, dx = 0, dy = 0;
  for (let i = 0; i < rx.length; i++) {
    num += (rx[i] - mean) * (ry[i] - mean);
    dx += (rx[i] - mean) ** 2;
    dy += (ry[i] - mean) ** 2;
  }
  return dx === 0 || dy === 0 ? 0 : num / Math.sqrt(dx * dy);
}

const samples = [];
for (let p = 0; p < processes; p++) {
  for (const engine of p % 2 === 0 ? engines : [...engines].reverse()) samples.push(sample(engine));
  process.stderr.write(`process ${p + 1} of ${processes}: done\n`);
}

console.log(`\n${w.title}\nfirst timed round (${w.executions} executions after ${w.warmup}), ${processes} fresh processes per engine under --trace-opt${nodeFlags.length ? `, node ${nodeFlags.join(' ')}` : ''}\n`);
const summary = [];
for (const engine of engines) {
  const mine = samples.filter((s) => s.engine === engine).sort((a, b) => b.value - a.value);
  console.log(LABELS[engine] ?? engine);
  console.log(table(['round', `${w.unit}`, 'ms', 'jobs', 'background ms', 'main-thread ms'],
    mine.map((s, i) => [String(i + 1), fmt(s.value), fmt(s.elapsedMs), String(s.jobs), fmt(s.backgroundMs), fmt(s.mainThreadMs)])));
  // Split by the compile time that ran beside the round: on a machine of few cores it is what
  // the main thread competes with.
  const compileMedian = median(mine.map((s) => s.backgroundMs));
  const light = mine.filter((s) => s.backgroundMs <= compileMedian);
  const heavy = mine.filter((s) => s.backgroundMs > compileMedian);
  const line = {
    engine, medianRate: median(mine.map((s) => s.value)), medianJobs: median(mine.map((s) => s.jobs)), medianBackgroundMs: compileMedian,
    lightCompileRate: median(light.map((s) => s.value)), heavyCompileRate: median(heavy.map((s) => s.value)),
    jobsVsTimeRankCorrelation: rankCorrelation(mine.map((s) => s.jobs), mine.map((s) => s.elapsedMs)),
    backgroundMsVsTimeRankCorrelation: rankCorrelation(mine.map((s) => s.backgroundMs), mine.map((s) => s.elapsedMs)),
  };
  summary.push(line);
  console.log(`median ${fmt(line.medianRate)} ${w.unit}, ${line.medianJobs} jobs, ${fmt(compileMedian)} ms of background compiling; rounds with at most that much compiling: ${fmt(line.lightCompileRate)}, with more: ${fmt(line.heavyCompileRate)}; rank correlation with round time: jobs ${line.jobsVsTimeRankCorrelation.toFixed(2)}, background ms ${line.backgroundMsVsTimeRankCorrelation.toFixed(2)}\n`);
}
if (engines.includes('stepwise') && engines.includes('peer')) {
  const [s, q] = ['stepwise', 'peer'].map((e) => summary.find((l) => l.engine === e));
  // A group is empty when every round had the median's compiling (one process, or ties).
  const ratio = (rate) => (rate === undefined ? '—' : `${(rate / q.medianRate).toFixed(2)}x`);
  console.log(`Stepwise / peer, medians: ${ratio(s.medianRate)}; Stepwise's rounds with the less compiling beside them against the peer's median: ${ratio(s.lightCompileRate)}, with the more: ${ratio(s.heavyCompileRate)}`);
}
const dir = join(repo, 'benchmarks', 'results');
mkdirSync(dir, { recursive: true });
const file = join(dir, `jit-rounds-${id}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify({ workload: id, unit: w.unit, processes, nodeFlags, lineBuffered, node: process.version, summary, samples }, null, 2)}\n`);
console.log(`\nresults: ${relative(repo, file)}`);
