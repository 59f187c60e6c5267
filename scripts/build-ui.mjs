// Bundles the visual debugger (ui/) into dist/ui with esbuild: one script, one stylesheet and
// the page, with no CDN, so `stepwise ui` works offline straight after `npm ci`.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist/ui');
fs.mkdirSync(out, { recursive: true });
await build({
  entryPoints: { app: path.join(root, 'ui/main.tsx') },
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2022',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outdir: out,
  logLevel: 'warning',
  // Keeps the bundled libraries' licence notices (elkjs is EPL-2.0, Preact MIT).
  legalComments: 'eof',
  banner: { js: '/* Stepwise UI. Bundles Preact (MIT, https://preactjs.com) and elkjs (EPL-2.0, https://github.com/kieler/elkjs). */' },
});
fs.copyFileSync(path.join(root, 'ui/index.html'), path.join(out, 'index.html'));
