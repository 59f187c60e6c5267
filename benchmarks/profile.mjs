#!/usr/bin/env node
/**
 * CPU profile of one engine on some workloads, summarised by self time:
 *
 *   node benchmarks/profile.mjs [WORKLOAD ...] [--engine stepwise|peer] [--top 25] [--scale 1] [--alloc] [--lines 0]
 *
 * Default: Stepwise on pass-chain and map-10k. Runs one sample (benchmarks/lib/sample.mjs) with
 * the inspector's CPU profiler on around the timed part only (load and warm-up excluded), keeps
 * the .cpuprofile under benchmarks/results/profiles/ (open it in Chrome DevTools or speedscope),
 * and prints the top functions by self time as file:function:line — Stepwise's compiled
 * dist/*.js frames mapped back to src/*.ts through their source maps — then self time by file.
 * `--scale 0.2` shrinks the workload (fewer executions, fewer Map items) for a quick look.
 *
 * `--lines N` also prints, for the N functions with the most self time, their hottest source
 * lines (the profiler's line ticks, mapped to src/*.ts for Stepwise's code) with the text of
 * each: a literal, a push or a Map operation that costs more than it looks shows up there. V8
 * counts code inlined into a function on that function's node with the inlined code's own line
 * numbers; lines before the function's start or past its script's end are left out as such, but
 * one that falls inside it can still belong to an inlined callee (its text then does not fit).
 *
 * `--alloc` takes a sampling heap profile instead (.heapprofile): bytes allocated in the timed
 * part, garbage included, by function and by file. A native allocation (a `new Set`, an array
 * grown by `push`) is charged to the script function that called it, so "by file" says whose
 * code makes the garbage collector's work.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { repo } from './lib/engines.mjs';
import { parseArgs } from './lib/args.mjs';
import { SAMPLE_SCRIPT, sampleResult } from './lib/sample-result.mjs';

const { positional, options } = parseArgs(process.argv.slice(2), { engine: 'stepwise', top: '25', scale: '1', alloc: false, lines: '0', 'node-flags': '' });
const workloads = positional.length > 0 ? positional : ['pass-chain', 'map-10k'];
const top = Number(options.top);
const hotFunctions = Number(options.lines);
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const sourceMaps = new Map();
const linesOfFile = new Map();
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

for (const id of workloads) {
  const dir = join(repo, 'benchmarks', 'results', 'profiles');
  mkdirSync(dir, { recursive: true });
  const alloc = Boolean(options.alloc);
  const file = join(dir, `${stamp}-${id}-${options.engine}.${alloc ? 'heapprofile' : 'cpuprofile'}`);
  const run = spawnSync(process.execPath, [
    '--expose-gc', ...options['node-flags'].split(' ').filter(Boolean), SAMPLE_SCRIPT, id, options.engine,
    '--scale', options.scale, alloc ? '--heap-profile' : '--cpu-profile', file,
  ], { cwd: repo, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.status !== 0) {
    process.stderr.write(run.stderr);
    throw new Error(`Profiling ${id} on ${options.engine} failed (exit ${run.status})`);
  }
  const result = sampleResult(run.stdout) ?? {};
  console.log(`\n## ${id} on ${options.engine}: ${format(result.value)} ${result.unit ?? ''} under the profiler (${result.executions} executions${result.items ? ` of ${result.items} items` : ''}, ${format(result.elapsedMs ?? result.value)} ms timed)`);
  console.log(`profile: ${relative(repo, file)}`);
  if (alloc) summariseAllocations(JSON.parse(readFileSync(file, 'utf8')), result.executions * (result.items ?? 1), result.items ? 'item' : 'execution');
  else summarise(JSON.parse(readFileSync(file, 'utf8')));
}

function summarise(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  const keyOf = new Map(); // node id -> { key, where }
  for (const n of profile.nodes) {
    const { callFrame } = n;
    const original = originalPosition(callFrame.url, callFrame.lineNumber, callFrame.columnNumber);
    const where = original ? relative(repo, original.source) : place(callFrame.url);
    const fn = callFrame.functionName || (callFrame.url ? '(anonymous)' : '(native)');
    keyOf.set(n.id, { key: callFrame.url ? `${where}:${fn}:${original ? original.line : callFrame.lineNumber + 1}` : fn, where: where || fn, url: callFrame.url });
  }
  /** The distinct frames on a node's stack (itself first); null when the profiler itself is running. */
  const stacks = new Map();
  const stackOf = (id) => {
    if (stacks.has(id)) return stacks.get(id);
    const keys = [];
    let profilerFrame = false;
    for (let at = id; at !== undefined; at = parentOf.get(at)) {
      const k = keyOf.get(at);
      if (k.url === 'node:inspector') profilerFrame = true;
      if (!keys.includes(k.key)) keys.push(k.key);
    }
    const stack = profilerFrame ? null : keys;
    stacks.set(id, stack);
    return stack;
  };
  const self = new Map();
  const inclusive = new Map();
  const byFile = new Map();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    const us = profile.timeDeltas[i] ?? 0;
    const stack = stackOf(id);
    if (!stack) continue; // collecting the profile, not the workload
    total += us;
    const { key, where } = keyOf.get(id);
    self.set(key, (self.get(key) ?? 0) + us);
    byFile.set(where, (byFile.get(where) ?? 0) + us);
    for (const k of stack) inclusive.set(k, (inclusive.get(k) ?? 0) + us);
  }
  const print = (title, map, n, filter = () => true) => {
    console.log(`\n${title}`);
    console.log(`${'ms'.padStart(7)} ${'%'.padStart(6)}  where`);
    for (const [k, us] of [...map].filter(([k]) => filter(k)).sort((a, b) => b[1] - a[1]).slice(0, n)) {
      console.log(`${(us / 1000).toFixed(0).padStart(7)} ${((100 * us) / total).toFixed(1).padStart(6)}  ${k}`);
    }
  };
  console.log(`total sampled: ${(total / 1000).toFixed(0)} ms ((native) = V8 builtins such as JSON.stringify, attributed to their caller in the inclusive table)`);
  print(`top ${top} functions by self time (file:function:line)`, self, top);
  if (hotFunctions > 0) printHotLines(profile, self, keyOf, stackOf, total);
  print('self time by file', byFile, 15);
  print('Stepwise functions (src/) by inclusive time, callees included', inclusive, 15, (k) => k.startsWith('src/'));
}

/** The hottest lines of the functions with the most self time, from the profile's per-line ticks. */
function printHotLines(profile, self, keyOf, stackOf, total) {
  const ticksByKey = new Map(); // function key -> (line text key -> { ticks, where, text })
  let ticks = 0;
  for (const n of profile.nodes) {
    if (!n.positionTicks || !stackOf(n.id)) continue;
    const { key } = keyOf.get(n.id);
    const lines = ticksByKey.get(key) ?? new Map();
    ticksByKey.set(key, lines);
    for (const { line, ticks: t } of n.positionTicks) {
      ticks += t;
      // V8 counts the lines of code inlined into a function in that function, with the line
      // numbers of the inlined code's own script: a line before the function's start is such.
      if (line <= n.callFrame.lineNumber || line > scriptLength(n.callFrame.url)) continue;
      const at = sourceLine(n.callFrame.url, line);
      const entry = lines.get(at.where) ?? { ticks: 0, ...at };
      entry.ticks += t;
      lines.set(at.where, entry);
    }
  }
  if (ticks === 0) return;
  const usPerTick = total / ticks;
  console.log(`\nhottest lines of the top ${hotFunctions} functions (ms, % of all, where: source)`);
  for (const [key] of [...self].filter(([k]) => ticksByKey.has(k)).sort((a, b) => b[1] - a[1]).slice(0, hotFunctions)) {
    console.log(`  ${key}`);
    for (const e of [...ticksByKey.get(key).values()].sort((a, b) => b.ticks - a.ticks).slice(0, 3)) {
      const us = e.ticks * usPerTick;
      console.log(`${(us / 1000).toFixed(1).padStart(9)} ${((100 * us) / total).toFixed(1).padStart(6)}  ${e.where}: ${e.text}`);
    }
  }
}

/** A script line (1-based) as the source line it came from (src/*.ts through the source map) and its text. */
function sourceLine(url, line) {
  const original = originalPosition(url, line - 1, 0);
  const file = original ? original.source : url?.startsWith('file://') ? new URL(url).pathname : null;
  const number = original ? original.line : line;
  const text = file ? (fileLines(file)[number - 1] ?? '').trim().slice(0, 100) : '';
  return { where: `${file ? relative(repo, file) : url || '(native)'}:${number}`, text };
}

function scriptLength(url) {
  return url?.startsWith('file://') ? fileLines(new URL(url).pathname).length : Infinity;
}

function fileLines(file) {
  if (!linesOfFile.has(file)) linesOfFile.set(file, existsSync(file) ? readFileSync(file, 'utf8').split('\n') : []);
  return linesOfFile.get(file);
}

/** Bytes allocated per unit (execution or Map item), by function and by the file of the nearest script frame. */
function summariseAllocations(profile, units, unit) {
  const self = new Map();
  const byFile = new Map();
  let total = 0;
  const visit = (node, owner) => {
    const { callFrame } = node;
    let where = owner;
    let key = callFrame.functionName || '(native)';
    if (callFrame.url) {
      const original = originalPosition(callFrame.url, callFrame.lineNumber, callFrame.columnNumber);
      where = original ? relative(repo, original.source) : place(callFrame.url);
      key = `${where}:${callFrame.functionName || '(anonymous)'}:${original ? original.line : callFrame.lineNumber + 1}`;
    } else if (owner) {
      key = `${key} (called from ${owner})`;
    }
    if (node.selfSize > 0) {
      total += node.selfSize;
      self.set(key, (self.get(key) ?? 0) + node.selfSize);
      byFile.set(where || '(no script frame)', (byFile.get(where || '(no script frame)') ?? 0) + node.selfSize);
    }
    for (const child of node.children) visit(child, where);
  };
  visit(profile.head, '');
  const print = (title, map, n) => {
    console.log(`\n${title}`);
    console.log(`${`B/${unit}`.padStart(9)} ${'%'.padStart(6)}  where`);
    for (const [k, bytes] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) {
      console.log(`${(bytes / units).toFixed(0).padStart(9)} ${((100 * bytes) / total).toFixed(1).padStart(6)}  ${k}`);
    }
  };
  console.log(`allocated in the timed part: ${(total / units / 1024).toFixed(1)} KB per ${unit}, garbage included (sampled)`);
  print('by file (native allocations charged to the calling script)', byFile, 15);
  print(`top ${top} allocating functions`, self, top);
}

/** A short name for a script URL: repo-relative, node_modules collapsed to the package. */
function place(url) {
  if (!url) return '';
  const path = url.startsWith('file://') ? new URL(url).pathname : url;
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) return `npm:${path.slice(nm + '/node_modules/'.length)}`;
  if (path.startsWith(repo)) return relative(repo, path);
  return path;
}

function format(v) {
  return typeof v === 'number' ? (v >= 100 ? v.toFixed(0) : v.toPrecision(3)) : '?';
}


/** Where a compiled frame (0-based line and column) came from, through `FILE.js.map`; null if unmapped. */
function originalPosition(url, line, column) {
  if (!url?.startsWith('file://') || url.includes('/node_modules/')) return null;
  const path = new URL(url).pathname;
  if (!sourceMaps.has(path)) sourceMaps.set(path, loadSourceMap(path));
  const map = sourceMaps.get(path);
  const segments = map?.lines[line];
  if (!segments) return null;
  let best;
  for (const s of segments) if (s.column <= column && s.source !== undefined) best = s;
  best ??= segments.find((s) => s.source !== undefined);
  return best ? { source: map.sources[best.source], line: best.line + 1 } : null;
}

function loadSourceMap(path) {
  const file = `${path}.map`;
  if (!existsSync(file)) return null;
  const raw = JSON.parse(readFileSync(file, 'utf8'));
  const base = resolve(dirname(path), raw.sourceRoot ?? '');
  const sources = raw.sources.map((s) => resolve(base, s));
  const lines = [];
  let source = 0;
  let line = 0;
  let column = 0;
  for (const text of raw.mappings.split(';')) {
    const segments = [];
    let genColumn = 0;
    for (const seg of text.split(',')) {
      if (!seg) continue;
      const f = decodeVlq(seg);
      genColumn += f[0];
      if (f.length >= 4) {
        source += f[1];
        line += f[2];
        column += f[3];
        segments.push({ column: genColumn, source, line });
      } else {
        segments.push({ column: genColumn });
      }
    }
    lines.push(segments);
  }
  return { sources, lines };
}

/** Base64 VLQ (source map v3): 5 data bits per digit, bit 6 continues, lowest bit of a value is its sign. */
function decodeVlq(text) {
  const values = [];
  let value = 0;
  let shift = 0;
  for (const ch of text) {
    const digit = BASE64.indexOf(ch);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}
