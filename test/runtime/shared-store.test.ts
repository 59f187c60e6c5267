import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openFileEventStore } from '../../src/store/file-store.js';
import { leaseDetailsOf, leaseStreamOf } from '../../src/store/lease-stream.js';
import type { HistoryEvent } from '../../src/execution/history-event.js';

const worker = path.join(__dirname, 'fixtures/shared-store-worker.mjs');
const WORKERS = 3;
const PER_WORKER = 8;
const TOTAL = WORKERS * PER_WORKER;
const TASKS_PER_EXECUTION = 3 + 3 + 1;
// Long enough that a live worker renews in time on a loaded 2-core machine (the whole suite, a
// browser included, running beside it: 4 s once proved too short there); a dead one's
// executions wait this long before they are taken over.
const LEASE_MS = 8000;

interface Worker {
  child: ChildProcess;
  started: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }>;
}

function spawnWorker(storeDir: string, callLog: string, index: number): Worker {
  const child = spawn(process.execPath, [worker, storeDir, callLog, String(index), String(PER_WORKER), String(TOTAL), String(LEASE_MS)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const started = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('started\n')) resolve();
    });
    child.on('exit', () => reject(new Error(`worker ${index} exited before starting: ${err}`)));
  });
  started.catch(() => undefined);
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, err })));
  return { child, started, exited };
}

interface Call {
  pid: number;
  worker: number;
  stateName: string;
  key: string;
}

function calls(callLog: string): Call[] {
  return fs.readFileSync(callLog, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Call);
}

/** What an uninterrupted run of execution `i` ends with (see the worker's handler). */
function expectedOutput(i: number): { n: number; total: number } {
  const n = i * 8 + 7; // three steps of n -> 2n + 1
  return { n, total: n * (1 + 2 + 3) };
}

async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('several runtimes on one embedded store', () => {
  it('takes over the executions of a runtime killed mid-run: all end as an uninterrupted run would, no finished task runs again', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-shared-'));
    const storeDir = path.join(tmp, 'store');
    const callLog = path.join(tmp, 'calls.log');
    fs.writeFileSync(callLog, '');
    const workers = Array.from({ length: WORKERS }, (_, i) => spawnWorker(storeDir, callLog, i));
    try {
      await Promise.all(workers.map((w) => w.started));
      const victim = workers[0]!;
      // Kill it in the middle: some of its tasks done, most not.
      await until(() => calls(callLog).filter((c) => c.pid === victim.child.pid).length >= PER_WORKER * 2, 'the victim to make progress');
      victim.child.kill('SIGKILL');
      const victimCallsAtKill = calls(callLog).filter((c) => c.pid === victim.child.pid).length;
      expect(victimCallsAtKill).toBeLessThan(PER_WORKER * TASKS_PER_EXECUTION);
      for (const w of workers.slice(1)) {
        const exit = await w.exited;
        expect(exit, exit.err).toMatchObject({ code: 0 });
      }

      const store = await openFileEventStore(storeDir);
      try {
        const { items } = await store.list({ maxResults: 1000 });
        expect(items).toHaveLength(TOTAL);
        let takenOver = 0;
        for (const meta of items) {
          expect(meta.status).toBe('SUCCEEDED');
          const [, w, i] = /^w(\d+)-e(\d+)$/.exec(meta.name)!;
          const history = await store.read(meta.executionArn);
          expect(history.at(-1)!.executionSucceededEventDetails).toMatchObject({ output: expectedOutput(Number(i)) });
          // One scheduled and one result per task: no step was recorded twice by two runtimes.
          expect(history.filter((e) => e.type === 'LambdaFunctionScheduled')).toHaveLength(TASKS_PER_EXECUTION);
          expect(history.filter((e) => e.type === 'LambdaFunctionSucceeded')).toHaveLength(TASKS_PER_EXECUTION);
          expect(new Set(history.map((e) => e.id)).size).toBe(history.length);
          const leaseEvents = await store.read(leaseStreamOf(meta.executionArn));
          const ownerOf = (e: HistoryEvent) => leaseDetailsOf(e)!.owner.split('-').slice(0, 2).join('-');
          const owners = new Set(leaseEvents.map(ownerOf));
          if (w === '0') {
            expect([...owners].some((o) => o !== 'worker-0')).toBe(true);
            takenOver++;
          } else {
            // A survivor's execution stays its own while it runs. Another runtime scanning for
            // orphans may still, rarely, claim it in the moment it ends (and give it up at once,
            // seeing it ended): such a lease comes after the execution's last event.
            const ended = history.at(-1)!.timestamp;
            const whileRunning = leaseEvents.filter((e) => e.timestamp < ended);
            expect(new Set(whileRunning.map(ownerOf))).toEqual(new Set([`worker-${w}`]));
          }
        }
        expect(takenOver).toBe(PER_WORKER);
      } finally {
        await store.close();
      }

      // Every task ran; a task ran twice only if it was in flight in the killed runtime (its
      // result never recorded), and then once more by the runtime that took over.
      const byKey = new Map<string, Call[]>();
      for (const c of calls(callLog)) byKey.set(c.key, [...(byKey.get(c.key) ?? []), c]);
      expect(byKey.size).toBe(TOTAL * TASKS_PER_EXECUTION);
      let repeats = 0;
      for (const list of byKey.values()) {
        const bySurvivors = list.filter((c) => c.pid !== victim.child.pid);
        expect(bySurvivors.length).toBeLessThanOrEqual(1);
        expect(list.length - bySurvivors.length).toBeLessThanOrEqual(1);
        if (list.length > 1) repeats++;
      }
      // At most MaxConcurrency (2) tasks of each of the victim's executions were in flight.
      expect(repeats).toBeLessThanOrEqual(PER_WORKER * 2);
    } finally {
      for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);
});
