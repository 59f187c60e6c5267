#!/usr/bin/env node
/**
 * Writes the XState that Stepwise runs: dist/vendor/xstate/, which the package's `#xstate`
 * import names (package.json "imports"; types still come from the `xstate` package). It is the
 * installed XState's own production build (its CommonJS files, with the ES module wrapper that
 * `import 'xstate'` loads on Node), copied unchanged except for one line of its Actor constructor:
 *
 *   const resolvedOptions = { ...defaultOptions, ...options };
 *
 * becomes `Object.assign({}, defaultOptions, options)`, which gives the same object. On Node 20
 * (V8 11.3) an object literal that spreads a second object into the clone of a first adds each
 * new key through a slow runtime path (V8 issue 11536): measured on a 2-core machine, this line
 * was 4.2 µs of the 4.5 µs it takes to create a child actor, paid by every execution, every
 * Parallel branch and every Map iteration. With the line changed, creating one took 0.3 µs.
 *
 * Fails if the line is not found (a new XState): check whether that version still needs the
 * change, then update or drop it here.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist', 'vendor', 'xstate');
const xstateDir = dirname(createRequire(import.meta.url).resolve('xstate/package.json'));
const { version } = JSON.parse(readFileSync(join(xstateDir, 'package.json'), 'utf8'));
const sourceDir = join(xstateDir, 'dist');
const ENTRY = 'xstate.cjs.mjs';
const OPTIONS_SPREAD = /const resolvedOptions = \{\s*\.\.\.defaultOptions,\s*\.\.\.options\s*\};/;

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
// Stepwise's package is "type": "module"; these files are CommonJS.
writeFileSync(join(outDir, 'package.json'), JSON.stringify({ name: 'xstate', version, type: 'commonjs', private: true }, null, 2) + '\n');
copyFileSync(join(xstateDir, 'LICENSE'), join(outDir, 'LICENSE'));

let patched = 0;
const copied = new Set();
const copy = (file) => {
  if (copied.has(file)) return;
  copied.add(file);
  let source = readFileSync(join(sourceDir, file), 'utf8');
  if (OPTIONS_SPREAD.test(source)) {
    source = source.replace(OPTIONS_SPREAD, 'const resolvedOptions = Object.assign({}, defaultOptions, options);');
    patched++;
  }
  writeFileSync(join(outDir, file), source);
  // Its sibling modules (code samples in its comments name other files, never `*.cjs.js` ones).
  for (const [, dep] of source.matchAll(/(?:require\(|from )['"]\.\/([^'"]+\.cjs\.js)['"]/g)) copy(dep);
};
copy(ENTRY);

if (patched !== 1) {
  console.error(`vendor-xstate: expected one object-spread options merge in XState ${version}'s Actor constructor, found ${patched}; see scripts/vendor-xstate.mjs.`);
  process.exit(1);
}
