#!/usr/bin/env node
/**
 * Stepwise side by side with aws-local-stepfunctions (the peer), every workload on both:
 *
 *   npm run bench [-- --only pass-chain,map-10k] [--samples N] [--steady-rounds 3,3] [--timeout 60] [--scale 1] [--no-write]
 *                     [--node-flags '--no-allocation-site-pretenuring']
 *
 * Samples run interleaved (Stepwise, peer, Stepwise, peer, ...), each in a fresh child process
 * (benchmarks/lib/sample.mjs; CLI samples spawn the CLIs themselves). Prints a table per
 * workload and a summary, then runs replay-resume.mjs (Stepwise alone: the peer cannot replay
 * or resume), and writes benchmarks/results/<timestamp>.json and latest.json.
 * Throughput samples report two rates from the same process (see lib/sample.mjs): after one
 * warm-up as long as the timed round, and "steady", after more rounds (`--steady-rounds W,T`:
 * W untimed, T timed; `0` skips them). Targets are judged on both, each against the peer's own.
 * `--node-flags` passes V8/Node flags to every library sample process, both engines alike (CLI
 * samples and replay-resume run without them): what an embedder gains from running Node with them.
 * Needs a build first (npm run build). See benchmarks/README.md.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from './lib/args.mjs';
import { isResultLine, SAMPLE_SCRIPT, sampleResult } from './lib/sample-result.mjs';
import { ENGINES, LABELS, engineVersion, repo } from './lib/engines.mjs';
import { fmt, fmtBytes, max, median, min, table } from './lib/stats.mjs';
import { WORKLOADS, workload, workloadDir } from './lib/workloads.mjs';

/** Replay and resume have no peer counterpart (it cannot replay or resume): Stepwise alone, last. */
const REPLAY_RESUME = 'replay-resume';
const REPLAY_TARGET_EVENTS_PER_SECOND = 500_000;

const { options } = parseArgs(process.argv.slice(2), { only: '', samples: '', 'steady-rounds': '3,3', timeout: '60', scale: '1', 'no-write': false, 'node-flags': '' });
const selected = options.only ? options.only.split(',').map((s) => s.trim()) : [...WORKLOADS.map((w) => w.id), REPLAY_RESUME];
for (const id of selected) if (id !== REPLAY_RESUME && !WORKLOADS.some((w) => w.id === id)) throw new Error(`Unknown workload '${id}'`);
const timeoutMs = Number(options.timeout) * 1000;
const nodeFlags = options['node-flags'].split(' ').filter(Boolean);
const scale = Number(options.scale);


checkBuild();
const started = new Date();
const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
/** See cliWorkingDir. */
let cliDir;
const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
delete env.NODE_OPTIONS;

const load0 = loadavg()[0];
console.log(`Stepwise ${engineVersion('stepwise')} vs aws-local-stepfunctions ${engineVersion('peer')} — Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model?.trim() ?? '?'}), ${fmtBytes(totalmem())}`);
if (nodeFlags.length > 0) console.log(`Library samples of both engines run with: node ${nodeFlags.join(' ')}`);
console.log(`Interleaved samples, one fresh process each; sample timeout ${options.timeout} s${scale !== 1 ? `; SCALE ${scale} (counts shrunk: not comparable with full runs)` : ''}.`);
console.log('Stepwise records the full history of every execution (in-memory store); real clock (no workload here has waits); AWS limits on except where a workload says otherwise.');
if (load0 > cpus().length / 2) console.log(`NOTE: 1-minute load average is ${load0.toFixed(1)} on ${cpus().length} cores — other processes are using the CPU; absolute numbers will be noisy (interleaving keeps the ratio fairer).`);

const results = [];
for (const w of WORKLOADS.filter((x) => selected.includes(x.id))) {
  results.push(await runWorkload(workload(w.id, scale)));
}
const replayResume = selected.includes(REPLAY_RESUME) ? await runReplayResume() : undefined;
const finished = new Date();

console.log(`\n## Summary (ratio = Stepwise throughput / peer throughput; > 1 means Stepwise is faster)\n`);
console.log(table(['workload', 'Stepwise', 'peer', 'ratio', 'met', 'steady Stepwise', 'steady peer', 'steady ratio', 'met', 'target'], results.map((r) => [
  r.id, cell(r.summary.stepwise, r.unit), cell(r.summary.peer, r.unit), ratioCell(r.summary.ratio), metCell(r.summary.met),
  steadyCell(r.summary.steady?.stepwise, r.unit), steadyCell(r.summary.steady?.peer, r.unit), ratioCell(r.summary.steady?.ratio), metCell(r.summary.steady?.met),
  targetText(r.target),
])));
if (replayResume?.ok) {
  const { foldEventsPerSecond: fold, replayEventsPerSecond: replay, resume } = replayResume;
  console.log(`\nreplay-resume (Stepwise only: the peer cannot replay or resume):`);
  console.log(table(['measure', 'median', 'target', 'met'], [
    ['state fold of the history (stateAt)', `${fmt(fold.median)} events/s`, `≥ ${fmt(REPLAY_TARGET_EVENTS_PER_SECOND)} events/s`, fold.median >= REPLAY_TARGET_EVENTS_PER_SECOND ? 'yes' : 'no'],
    ['replay through the actors (runtime.replay)', `${fmt(replay.median)} events/s`, '—', '—'],
    [`resume ${fmt(resume.resumed)} parked Waits`, `${fmt(resume.resumeMs)} ms, ${fmtBytes(resume.heapBytesPerExecution)}/execution`, '—', '—'],
  ]));
}
console.log(`Total time: ${((finished - started) / 1000).toFixed(0)} s; load average ${load0.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end.`);

if (!options['no-write']) {
  const dir = join(repo, 'benchmarks', 'results');
  mkdirSync(dir, { recursive: true });
  const report = {
    startedAt: started.toISOString(), finishedAt: finished.toISOString(), durationSeconds: (finished - started) / 1000,
    machine: { node: process.version, platform: `${process.platform} ${process.arch}`, cpus: cpus().length, cpuModel: cpus()[0]?.model, totalMemBytes: totalmem(), loadAverageAtStart: load0, loadAverageAtEnd: loadavg()[0] },
    engines: { stepwise: engineVersion('stepwise'), peer: `aws-local-stepfunctions ${engineVersion('peer')}` },
    options: { samplesOverride: options.samples || undefined, steadyRounds: options['steady-rounds'], timeoutSeconds: Number(options.timeout), scale, only: options.only || undefined, nodeFlags: options['node-flags'] || undefined },
    workloads: results,
    replayResume,
  };
  const file = join(dir, `${started.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`Results: ${relative(repo, file)} (and benchmarks/results/latest.json)`);
}

/** benchmarks/replay-resume.mjs in its own process: a history of ~100,000 events, 10,000 parked Waits. */
async function runReplayResume() {
  console.log(`\n## replay-resume: replay a ~100,000-event history (fold and actors); resume 10,000 executions parked in a Wait (Stepwise only)`);
  const count = (n) => String(Math.max(1, Math.round(n * scale)));
  const r = await exec(process.execPath, ['--expose-gc', join(repo, 'benchmarks', 'replay-resume.mjs'), '--items', count(10_000), '--parked', count(10_000)], { timeoutMs: timeoutMs * 4 });
  for (const line of r.stdout.split('\n')) if (line && !isResultLine(line)) console.log(`   ${line}`);
  const result = sampleResult(r.stdout);
  if (r.code !== 0 || !result) {
    console.log(`   FAILED: ${r.timedOut ? 'timed out' : lastLine(r.stderr) || `exit ${r.code}`}`);
    return { ok: false };
  }
  return { ok: true, ...result };
}

async function runWorkload(w) {
  const samples = Number(options.samples || w.samples);
  console.log(`\n## ${w.title}`);
  for (const note of w.notes ?? []) console.log(`   ${note}`);
  const runs = { stepwise: [], peer: [] };
  const gaveUp = { stepwise: false, peer: false };
  if (w.kind === 'cli') for (const e of ENGINES) await cliSample(w, e); // untimed: warms the file cache
  for (let i = 0; i < samples; i++) {
    for (const e of ENGINES) {
      if (gaveUp[e]) continue;
      const r = w.kind === 'cli' ? await cliSample(w, e) : await childSample(w, e);
      runs[e].push(r);
      const shown = r.ok ? `${fmt(r.value)} ${w.unit}${r.steadyValue !== undefined ? `, steady ${fmt(r.steadyValue)}` : ''}${r.heapBytesPerParked !== undefined ? `, ${fmtBytes(r.heapBytesPerParked)}/parked` : ''}` : r.timedOut ? `timed out after ${options.timeout} s` : `FAILED: ${r.error}`;
      process.stdout.write(`   ${String(i + 1).padStart(2)}/${samples} ${LABELS[e].padEnd(24)} ${shown}\n`);
      // A side that times out will time out again: skip its remaining samples to keep the run short.
      if (r.timedOut) gaveUp[e] = true;
    }
  }
  const summary = summarise(w, runs);
  console.log('');
  const higherIsBetter = w.unit !== 'ms';
  const header = ['engine', `median ${w.unit}`, 'min', 'max', 'peak RSS (median)', 'samples'];
  if (w.kind === 'concurrent') header.push('heap/parked (median)');
  if (summary.steady) header.push('steady median', 'steady min', 'steady max');
  const rows = ENGINES.map((e) => {
    const s = summary[e];
    const row = [LABELS[e], cell(s, ''), fmt(s.min), fmt(s.max), fmtBytes(s.maxRssKB * 1024), `${s.ok}/${s.n}${s.timedOut ? ` (${s.timedOut} timed out)` : ''}`];
    if (w.kind === 'concurrent') row.push(fmtBytes(s.heapBytesPerParked));
    if (summary.steady) row.push(steadyCell(summary.steady[e], ''), fmt(summary.steady[e].min), fmt(summary.steady[e].max));
    return row;
  });
  console.log(table(header, rows));
  console.log(`   ratio (${higherIsBetter ? 'Stepwise / peer throughput' : 'peer time / Stepwise time'}; > 1 = Stepwise faster): ${ratioCell(summary.ratio)}   target: ${targetText(w.target)}${metSuffix(summary.met)}`);
  if (summary.steady) console.log(`   steady ratio (after ${summary.steady.rounds[0]} more untimed rounds, ${summary.steady.rounds[1]} timed): ${ratioCell(summary.steady.ratio)}${metSuffix(summary.steady.met)}`);
  if (summary.outputsDiffer) console.log(`   WARNING: the engines' outputs differ (digests ${summary.digests.stepwise} vs ${summary.digests.peer}) — the comparison is not like for like.`);
  return {
    id: w.id, title: w.title, kind: w.kind, unit: w.unit, file: `benchmarks/workloads/${w.file}`, notes: w.notes ?? [], target: w.target,
    stepwiseOptions: { clock: w.clock ?? 'real', limits: w.liftLimits ? { payloadBytes: 'Infinity', historyEvents: 'Infinity' } : 'AWS' },
    summary, samples: runs,
  };
}

function summarise(w, runs) {
  const out = {};
  for (const e of ENGINES) {
    const ok = runs[e].filter((r) => r.ok);
    const values = ok.map((r) => r.value);
    out[e] = {
      n: runs[e].length, ok: ok.length, timedOut: runs[e].filter((r) => r.timedOut).length,
      median: median(values), min: min(values), max: max(values),
      maxRssKB: median(ok.map((r) => r.maxRssKB).filter((x) => x !== undefined)),
      heapBytesPerParked: median(ok.map((r) => r.heapBytesPerParked).filter((x) => x !== undefined)),
      // When every sample timed out, the score is only bounded.
      bound: ok.length === 0 && runs[e].some((r) => r.timedOut) ? timeoutBound(w) : undefined,
    };
  }
  const s = out.stepwise.median ?? out.stepwise.bound?.value;
  const p = out.peer.median ?? out.peer.bound?.value;
  const ratio = s !== undefined && p !== undefined ? (w.unit === 'ms' ? p / s : s / p) : undefined;
  const bounded = out.stepwise.median === undefined || out.peer.median === undefined;
  const digests = { stepwise: runs.stepwise.find((r) => r.digest)?.digest, peer: runs.peer.find((r) => r.digest)?.digest };
  let met;
  if (ratio !== undefined && w.target) {
    met = ratio >= w.target.ratio && !(bounded && out.stepwise.median === undefined);
    if (w.target.heapBytesPerParked !== undefined) met = met && out.stepwise.heapBytesPerParked <= w.target.heapBytesPerParked;
  }
  return {
    stepwise: out.stepwise, peer: out.peer,
    steady: summariseSteady(w, runs),
    ratio: ratio === undefined ? undefined : { value: ratio, bound: bounded ? (out.stepwise.median === undefined ? 'at most' : 'at least') : undefined },
    met, digests, outputsDiffer: Boolean(digests.stepwise && digests.peer && digests.stepwise !== digests.peer),
  };
}

/** The steady rates (lib/sample.mjs), when both engines' samples have them. */
function summariseSteady(w, runs) {
  const values = (e) => runs[e].filter((r) => r.ok && r.steadyValue !== undefined).map((r) => r.steadyValue);
  if (values('stepwise').length === 0 || values('peer').length === 0) return undefined;
  const side = (e) => ({ n: values(e).length, median: median(values(e)), min: min(values(e)), max: max(values(e)) });
  const stepwise = side('stepwise');
  const peer = side('peer');
  const ratio = stepwise.median / peer.median;
  const rounds = runs.stepwise.find((r) => r.steadyRounds)?.steadyRounds;
  return { rounds, stepwise, peer, ratio: { value: ratio }, met: w.target ? ratio >= w.target.ratio : undefined };
}

/** What a timed-out sample still tells: the score is worse than the one at the timeout. */
function timeoutBound(w) {
  if (w.unit === 'ms') return { value: timeoutMs, text: `> ${fmt(timeoutMs)}` };
  const units = w.executions * (w.items ?? 1);
  return { value: units / (timeoutMs / 1000), text: `< ${fmt(units / (timeoutMs / 1000))}` };
}

function cell(s, unit) {
  const suffix = unit ? ` ${unit}` : '';
  if (s.median !== undefined) return `${fmt(s.median)}${suffix}`;
  if (s.bound) return `${s.bound.text}${suffix} (timed out)`;
  return 'failed';
}

function steadyCell(s, unit) {
  return s?.median !== undefined ? `${fmt(s.median)}${unit ? ` ${unit}` : ''}` : '—';
}

function metCell(met) {
  return met === undefined ? '—' : met ? 'yes' : 'no';
}

function metSuffix(met) {
  return met === undefined ? '' : met ? '  MET' : '  not met';
}

function ratioCell(r) {
  if (!r) return '—';
  return `${r.bound === 'at most' ? '≤ ' : r.bound === 'at least' ? '≥ ' : ''}${r.value.toFixed(2)}x`;
}

function targetText(t) {
  if (!t) return '—';
  return `≥ ${t.ratio}x${t.heapBytesPerParked !== undefined ? `, ≤ ${fmtBytes(t.heapBytesPerParked)}/parked` : ''}`;
}

/** One sample of a library workload in a fresh `node` process. */
async function childSample(w, engine) {
  const args = ['--expose-gc', ...nodeFlags, SAMPLE_SCRIPT, w.id, engine, '--scale', String(scale), '--steady-rounds', options['steady-rounds']];
  const r = await exec(process.execPath, args, { timeoutMs });
  if (r.timedOut) return { ok: false, timedOut: true };
  const result = sampleResult(r.stdout);
  if (r.code !== 0 || !result) return { ok: false, error: lastLine(r.stderr) || `exit ${r.code}` };
  return { ok: true, ...result };
}

/**
 * The working directory of the CLI runs: a fresh one per benchmark run, so `stepwise run` opens
 * its default store (`.stepwise/` there) as a new user's would, holding only this run's samples,
 * not whatever the repository's own `.stepwise/` has gathered (a 1.7 GB one made a cold start 1.3 s).
 */
function cliWorkingDir() {
  if (!cliDir) {
    cliDir = mkdtempSync(join(tmpdir(), 'stepwise-bench-cli-'));
    process.on('exit', () => rmSync(cliDir, { recursive: true, force: true }));
  }
  return cliDir;
}

/** One CLI run: wall time of the process from spawn to exit; peak RSS through /usr/bin/time when present. */
async function cliSample(w, engine) {
  const file = join(workloadDir, w.file);
  const input = JSON.stringify(w.input);
  const command = engine === 'stepwise'
    ? { args: [join(repo, 'dist', 'src', 'cli', 'main.js'), 'run', file, '--input', input], stdin: '' }
    : { args: [realpathSync(join(repo, 'node_modules', '.bin', 'local-sfn')), '-f', file], stdin: `${input}\n` };
  const [bin, args] = timeBin ? [timeBin, ['-f', '@@time %M', process.execPath, ...command.args]] : [process.execPath, command.args];
  const t0 = performance.now();
  const r = await exec(bin, args, { timeoutMs, stdin: command.stdin, cwd: cliWorkingDir() });
  const wallMs = performance.now() - t0;
  if (r.timedOut) return { ok: false, timedOut: true };
  if (r.code !== 0) return { ok: false, error: lastLine(r.stderr) || `exit ${r.code}` };
  const rss = /@@time (\d+)/.exec(r.stderr);
  return { ok: true, value: wallMs, unit: 'ms', maxRssKB: rss ? Number(rss[1]) : undefined, stdout: r.stdout.trim().slice(-200) };
}

function exec(bin, args, { timeoutMs, stdin, cwd = repo }) {
  return new Promise((resolvePromise) => {
    const child = spawn(bin, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr, timedOut });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(stdin ?? '');
  });
}

function lastLine(text) {
  return text.trim().split('\n').filter(Boolean).slice(-3).join(' | ').slice(0, 300);
}

/** The benchmark runs the compiled library: fail early if it is missing or older than src/. */
function checkBuild() {
  const entry = join(repo, 'dist', 'src', 'index.js');
  if (!existsSync(entry)) {
    console.error('dist/ is missing: run `npm run build` first.');
    process.exit(2);
  }
  if (!existsSync(join(repo, 'node_modules', 'aws-local-stepfunctions'))) {
    console.error('aws-local-stepfunctions is not installed: run `npm ci` (it is a devDependency).');
    process.exit(2);
  }
  const built = statSync(entry).mtimeMs;
  const newest = newestMtime(join(repo, 'src'));
  if (newest > built) console.log('NOTE: some src/ files are newer than dist/ — run `npm run build` to benchmark the current source.');
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : entry.name.endsWith('.ts') ? statSync(p).mtimeMs : 0);
  }
  return newest;
}
