#!/usr/bin/env node
// Scores `stepwise validate` on the shared validation corpus (../shared/validation): every valid
// definition must be accepted and every invalid one rejected. Extra arguments go to the scorer
// (e.g. --list-all, --source aws).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = process.env.STEPWISE_VALIDATION_DIR ?? path.resolve(root, '../shared/validation');
const scorer = path.join(shared, 'score.mjs');
if (!fs.existsSync(scorer)) {
  console.error(`validation: scorer not found at ${scorer} (set STEPWISE_VALIDATION_DIR)`);
  process.exit(1);
}
const cli = path.join(root, 'dist/src/cli/main.js');
const r = spawnSync(process.execPath, [scorer, '--cmd', `node ${cli} validate {file}`, '--jobs', '2', ...process.argv.slice(2)], {
  stdio: ['ignore', 'inherit', 'inherit'],
});
process.exit(r.status ?? 1);
