#!/usr/bin/env node
/**
 * How a workload's first timed round depends on the warm-up before it, on both engines:
 *
 *   node benchmarks/warmup-curve.mjs WORKLOAD [--warmups 200,400,1000,3000] [--pairs 5] [--node-flags "--no-opt"]
 *
 * For each warm-up count, `--pairs` samples per engine (benchmarks/lib/sample.mjs with
 * `--warmup N --steady-rounds 0`, fresh processes, Stepwise and the peer interleaved A B B A),
 * and a table of the first round's medians and their ratio (Stepwise's advantage: its rate over
 * the peer's, or for concurrent the peer's time over Stepwise's). Results go to
 * benchmarks/results/warmup-curve-WORKLOAD-STAMP.json.
 *
 * Why: V8 optimises a function once it has run a few hundred to a few thousand times, so the
 * code run once per execution (start, listing, end) is still in V8's lower tiers for the first
 * few thousand executions of a process. A first round after a short warm-up measures that as
 * much as the engine; this shows by how much, on both engines alike. `npm run bench` keeps each
 * workload's own warm-up.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from './lib/args.mjs';
import { SAMPLE_SCRIPT, sampleResult } from './lib/sample-result.mjs';
import { LABELS, repo } from './lib/engines.mjs';
import { fmt, max, median, min, table } from './lib/stats.mjs';
import { workload } from './lib/workloads.mjs';

const { positional: [id], options } = parseArgs(process.argv.slice(2), { warmups: '200,400,1000,3000', pairs: '5', 'node-flags': '' });
if (!id) {
  console.error('usage: node benchmarks/warmup-curve.mjs WORKLOAD [--warmups 200,400,1000,3000] [--pairs 5] [--node-flags "..."]');
  process.exit(2);
}
const w = workload(id);
if (w.kind === 'cli') throw new Error('The CLI workload has no warm-up: each sample is a new process.');
const warmups = options.warmups.split(',').map(Number);
const pairs = Number(options.pairs);
const nodeFlags = options['node-flags'].split(' ').filter(Boolean);
const lowerIsBetter = w.kind === 'concurrent';

function sample(engine, warmup) {
  const run = spawnSync(process.execPath, [
    '--expose-gc', ...nodeFlags, SAMPLE_SCRIPT, id, engine, '--warmup', String(warmup), '--steady-rounds', '0',
  ], { cwd: repo, encoding: 'utf8', maxBuffer: 64 << 20 });
  const result = sampleResult(run.stdout);
  if (run.status !== 0 || !result) throw new Error(`${id} on ${engine} (warm-up ${warmup}) failed: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return result.value;
}

const rows = [];
const results = [];
for (const warmup of warmups) {
  const values = { stepwise: [], peer: [] };
  for (let p = 0; p < pairs; p++) {
    for (const engine of p % 2 === 0 ? ['stepwise', 'peer'] : ['peer', 'stepwise']) values[engine].push(sample(engine, warmup));
  }
  const s = median(values.stepwise);
  const q = median(values.peer);
  const ratio = lowerIsBetter ? q / s : s / q;
  results.push({ warmup, stepwise: values.stepwise, peer: values.peer, stepwiseMedian: s, peerMedian: q, ratio });
  rows.push([String(warmup), `${fmt(s)} (${fmt(min(values.stepwise))}–${fmt(max(values.stepwise))})`, `${fmt(q)} (${fmt(min(values.peer))}–${fmt(max(values.peer))})`, `${ratio.toFixed(2)}x`]);
  process.stderr.write(`warm-up ${warmup}: done\n`);
}

console.log(`\n${w.title}\nfirst timed round after each warm-up, ${w.unit}, median (min–max) of ${pairs} fresh processes per engine${nodeFlags.length ? `, node ${nodeFlags.join(' ')}` : ''}\n`);
console.log(table(['warm-up', `Stepwise`, LABELS.peer, lowerIsBetter ? 'peer / Stepwise' : 'Stepwise / peer'], rows));
const dir = join(repo, 'benchmarks', 'results');
mkdirSync(dir, { recursive: true });
const file = join(dir, `warmup-curve-${id}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify({ workload: id, unit: w.unit, pairs, nodeFlags, node: process.version, results }, null, 2)}\n`);
console.log(`\nresults: ${relative(repo, file)}`);
