import fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { StepwiseError } from '../../src/errors/stepwise-error.js';

/** The built front end: its files by URL path, read once (a few hundred KB). */
export interface UiAssets {
  files: Map<string, { body: Buffer; type: string }>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/**
 * The bundle `npm run build` writes to `dist/ui`. From the compiled module
 * (`dist/adapters/ui/`) that is `../../ui`; from the sources (tests) it is `../../dist/ui`.
 */
export function findUiAssets(dir?: string): UiAssets {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = dir !== undefined ? [dir] : [path.resolve(here, '../../ui'), path.resolve(here, '../../dist/ui')];
  const found = candidates.find((d) => fs.existsSync(path.join(d, 'index.html')) && fs.existsSync(path.join(d, 'app.js')));
  if (!found) {
    throw new StepwiseError('InvalidArgument', `The UI's files are missing (looked in ${candidates.join(' and ')}); run \`npm run build\` to bundle them.`);
  }
  const files = new Map<string, { body: Buffer; type: string }>();
  for (const name of fs.readdirSync(found)) {
    const type = TYPES[path.extname(name)];
    if (type) files.set(`/${name}`, { body: fs.readFileSync(path.join(found, name)), type });
  }
  return { files };
}

/** Only the files found at start are served: no path from a URL ever reaches the file system. */
export function serveAsset(res: ServerResponse, assets: UiAssets, urlPath: string): void {
  const file = assets.files.get(urlPath);
  if (!file) {
    res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ error: 'NotFound', message: `No such file: ${urlPath}` }));
    return;
  }
  res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-cache', 'content-length': file.body.length });
  res.end(file.body);
}
