#!/usr/bin/env node
/**
 * Write paths of the durable store, side by side: appends per second through Stepwise's
 * append-only log and through SQLite (better-sqlite3), each with and without group commit,
 * all with a disk sync before an append is acknowledged. The in-memory store and unsynced
 * variants are shown for scale.
 *
 *   node benchmarks/store-write-paths.mjs [--seconds 3] [--writers 64] [--events 3]
 *
 * SQLite is optional and not a project dependency: install better-sqlite3 11.x (12 needs
 * Node 22) somewhere else and point SQLITE_BENCH_DIR at it (default /tmp/sqlite-bench):
 *
 *   mkdir -p /tmp/sqlite-bench && cd /tmp/sqlite-bench && npm init -y && npm i better-sqlite3@11
 *
 * The store's TypeScript is transpiled into node_modules/.cache first, so no build is needed.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = Object.fromEntries(process.argv.slice(2).join(' ').split('--').filter(Boolean).map((a) => a.trim().split(/\s+/)));
const SECONDS = Number(args.seconds ?? 3);
const WRITERS = Number(args.writers ?? 64);
const EVENTS_PER_APPEND = Number(args.events ?? 3);
const sqliteDir = process.env.SQLITE_BENCH_DIR ?? '/tmp/sqlite-bench';

/** Transpiles the store and what it imports at run time, so the benchmark needs no build. */
async function loadStore() {
  const ts = (await import('typescript')).default;
  const out = join(repo, 'node_modules', '.cache', 'stepwise-bench');
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      fileName: file,
    });
    const target = join(out, relative(repo, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
    for (const [, spec] of outputText.matchAll(/from '(\.[^']+)\.js'/g)) visit(resolve(dirname(file), `${spec}.ts`));
  };
  visit(join(repo, 'src/store/file-store.ts'));
  visit(join(repo, 'src/store/memory-store.ts'));
  const url = (p) => pathToFileURL(join(out, p)).href;
  return { ...(await import(url('src/store/file-store.js'))), ...(await import(url('src/store/memory-store.js'))) };
}

function loadSqlite() {
  try {
    return createRequire(join(sqliteDir, 'package.json'))('better-sqlite3');
  } catch (err) {
    console.log(`(SQLite skipped: better-sqlite3 not found under ${sqliteDir}: ${err.message.split('\n')[0]})\n`);
    return undefined;
  }
}

function event(id) {
  return {
    id, previousEventId: id - 1, timestamp: Date.now(), type: 'TaskSucceeded',
    taskSucceededEventDetails: { resource: 'invoke', resourceType: 'lambda', output: { orderId: `order-${id}`, items: [1, 2, 3], total: 42.5, note: 'x'.repeat(120) } },
  };
}

/** SQLite behind the same append call: one row per event, revisions checked in the transaction. */
function sqliteStore(Database, file, { groupCommit, synchronous }) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.exec(`CREATE TABLE streams (id TEXT PRIMARY KEY, revision INTEGER NOT NULL) WITHOUT ROWID;
           CREATE TABLE events (position INTEGER PRIMARY KEY, stream TEXT NOT NULL, revision INTEGER NOT NULL, data TEXT NOT NULL, UNIQUE (stream, revision));`);
  const getRevision = db.prepare('SELECT revision FROM streams WHERE id = ?').pluck();
  const setRevision = db.prepare('INSERT INTO streams (id, revision) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET revision = excluded.revision');
  const insert = db.prepare('INSERT INTO events (stream, revision, data) VALUES (?, ?, ?)');
  const apply = (r) => {
    const actual = getRevision.get(r.stream) ?? 0;
    if (actual !== r.expected) return new Error(`expected ${r.expected}, actual ${actual}`);
    for (let i = 0; i < r.events.length; i++) insert.run(r.stream, actual + i, JSON.stringify(r.events[i]));
    setRevision.run(r.stream, actual + r.events.length);
    return actual + r.events.length;
  };
  const commit = db.transaction((requests) => requests.map(apply));
  let queue = [];
  const flush = () => {
    const requests = queue;
    queue = [];
    const results = commit(requests);
    results.forEach((res, i) => (res instanceof Error ? requests[i].reject(res) : requests[i].resolve(res)));
  };
  return {
    append(stream, events, { expectedRevision }) {
      if (!groupCommit) {
        const res = commit([{ stream, events, expected: expectedRevision }])[0];
        return res instanceof Error ? Promise.reject(res) : Promise.resolve(res);
      }
      // better-sqlite3 blocks while it commits, so "arriving during a sync" means "in the same turn".
      return new Promise((resolve, reject) => {
        if (queue.length === 0) setImmediate(flush);
        queue.push({ stream, events, expected: expectedRevision, resolve, reject });
      });
    },
    async close() {
      db.close();
    },
  };
}

async function measure(name, open, writers) {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-bench-'));
  const store = await open(dir);
  // The longest the event loop went without running a timer: what a synchronous commit costs
  // every other execution, timer and request in the process.
  let lastTick = performance.now();
  let stall = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    stall = Math.max(stall, now - lastTick);
    lastTick = now;
  }, 1);
  let appends = 0;
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  await Promise.all(Array.from({ length: writers }, async (_, w) => {
    let revision = 0;
    while (performance.now() < deadline) {
      const batch = Array.from({ length: EVENTS_PER_APPEND }, (_, i) => event(revision + i + 1));
      revision = await store.append(`stream-${w}`, batch, { expectedRevision: revision });
      appends++;
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  clearInterval(ticker);
  stall = Math.max(stall, performance.now() - lastTick);
  const stats = store.stats;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  const row = {
    path: name,
    writers,
    'appends/s': Math.round(appends / elapsed),
    'events/s': Math.round((appends * EVENTS_PER_APPEND) / elapsed),
    'appends/sync': stats?.syncs ? +(stats.appends / stats.syncs).toFixed(1) : '',
    'max loop stall ms': Math.round(stall),
  };
  console.log(JSON.stringify(row));
  return row;
}

const { openFileEventStore, createMemoryEventStore } = await loadStore();
const Database = loadSqlite();
console.log(`${SECONDS}s per path, ${EVENTS_PER_APPEND} events (~${JSON.stringify(event(1)).length} bytes each) per append, Node ${process.version}\n`);

const rows = [];
for (const writers of [...new Set([1, 16, WRITERS])]) {
  rows.push(await measure('memory', async () => createMemoryEventStore(), writers));
  rows.push(await measure('log, group commit, fdatasync', (dir) => openFileEventStore(dir), writers));
  rows.push(await measure('log, no group commit, fdatasync', (dir) => openFileEventStore(dir, { groupCommit: false }), writers));
  rows.push(await measure('log, group commit, no sync', (dir) => openFileEventStore(dir, { sync: false }), writers));
  if (Database) {
    const sqlite = (options) => async (dir) => sqliteStore(Database, join(dir, 'events.db'), options);
    rows.push(await measure('sqlite WAL FULL, group commit', sqlite({ groupCommit: true, synchronous: 'FULL' }), writers));
    rows.push(await measure('sqlite WAL FULL, no group commit', sqlite({ groupCommit: false, synchronous: 'FULL' }), writers));
    rows.push(await measure('sqlite WAL NORMAL (no sync per commit)', sqlite({ groupCommit: false, synchronous: 'NORMAL' }), writers));
  }
}
console.log();
console.table(rows);
