#!/usr/bin/env node
// Runs the AWS-recorded conformance corpus (../shared/conformance) through the CLI and fails
// when fewer cases pass than the floor committed in conformance-floor.json.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = process.env.STEPWISE_CONFORMANCE_DIR ?? path.resolve(root, '../shared/conformance');
const runner = path.join(shared, 'run.mjs');
if (!fs.existsSync(runner)) {
  console.error(`conformance: runner not found at ${runner} (set STEPWISE_CONFORMANCE_DIR)`);
  process.exit(1);
}
const floor = JSON.parse(fs.readFileSync(path.join(root, 'conformance-floor.json'), 'utf8'));
const report = path.join(root, 'benchmarks', 'results', 'conformance-report.json');
fs.mkdirSync(path.dirname(report), { recursive: true });
const cli = path.join(root, 'dist/src/cli/main.js');
const extra = process.argv.slice(2);
const r = spawnSync(process.execPath, [
  runner, '--cases', path.join(shared, 'cases'),
  '--cmd', `node ${cli} run {definition} --input-file {input} --store memory --fast-time --json --history`,
  '--mock-cmd-suffix', '--state-machine-name {name} --mock-config {mocks} --test-case Default',
  '--jobs', '2', '--history', '--quiet', '--json-report', report, ...extra,
], { stdio: ['ignore', 'inherit', 'inherit'] });
if (r.status !== 0) process.exit(r.status ?? 1);
const result = JSON.parse(fs.readFileSync(report, 'utf8'));
if (extra.length > 0) process.exit(0);
if (result.passed < floor.passed) {
  console.error(`conformance: ${result.passed} cases passed, below the floor of ${floor.passed} (conformance-floor.json)`);
  process.exit(1);
}
console.log(`conformance floor: ${result.passed} passed >= floor ${floor.passed}`);
