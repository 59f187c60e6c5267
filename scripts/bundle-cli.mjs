#!/usr/bin/env node
/**
 * Bundles the CLI in place, after `tsc`: dist/src/cli/main.js (what `bin` names) becomes one
 * file holding the CLI and its dependencies. A cold start then reads one file instead of some
 * 400 modules (rxjs's CommonJS build alone requires every operator), which is most of a CLI
 * process's start-up and matters to anything that runs many of them (the conformance suite).
 * The library (dist/src/index.js) stays unbundled. Skipped, with a note, when esbuild is not
 * installed (a production install): the unbundled CLI works the same, only slower to start.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist', 'src', 'cli', 'main.js');
const require = createRequire(import.meta.url);

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.warn('bundle-cli: esbuild is not installed; the CLI stays unbundled.');
  process.exit(0);
}

await esbuild.build({
  entryPoints: [entry],
  outfile: entry,
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // rxjs's "node" export is its CommonJS build, which cannot be tree-shaken; its ES build can
  // (the alias maps `rxjs` to that build's index and `rxjs/internal/*` to its modules).
  alias: { rxjs: join(dirname(require.resolve('rxjs/package.json')), 'dist', 'esm') },
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  // Bundled CommonJS code (jsonata, yaml) may call require() for Node's built-in modules.
  banner: { js: "import { createRequire as __stepwiseCreateRequire } from 'node:module'; const require = __stepwiseCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
