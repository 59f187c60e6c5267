import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFileEventStore } from '../../src/store/file-store.js';
import { historyEvents } from './history-events.js';

const viteNode = fileURLToPath(new URL('../../node_modules/vite-node/vite-node.mjs', import.meta.url));
const writer = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url));

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stepwise-crash-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * Runs the writer until it has acknowledged `acks` appends, then SIGKILLs it mid-stream.
 * Returns the highest acknowledged revision of each stream.
 */
function runAndKill(acks: number): Promise<Map<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [viteNode, writer, dir, '8'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked = new Map<string, number>();
    let count = 0;
    let partial = '';
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        const [word, stream, revision] = line.split(' ');
        if (word !== 'ack') continue;
        acked.set(stream!, Math.max(acked.get(stream!) ?? 0, Number(revision)));
        if (++count === acks && !killed) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`writer exited with ${code ?? signal} before it was killed:\n${stderr}`));
    });
  });
}

describe('FileEventStore under kill -9', () => {
  it('keeps every acknowledged append, round after round', async () => {
    const expected = new Map<string, number>();
    for (const acks of [400, 1500]) {
      const acked = await runAndKill(acks);
      for (const [stream, revision] of acked) expected.set(stream, Math.max(expected.get(stream) ?? 0, revision));
      const store = await openFileEventStore(dir);
      try {
        for (const [stream, revision] of expected) {
          const stored = await store.read(stream);
          expect(stored.length, stream).toBeGreaterThanOrEqual(revision);
          expect(stored).toEqual(historyEvents(1, stored.length));
        }
      } finally {
        await store.close();
      }
    }
    expect(expected.size).toBe(8);
  }, 60_000);
});
