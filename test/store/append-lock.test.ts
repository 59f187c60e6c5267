import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppendLock } from '../../src/store/append-lock.js';

const nextTurn = () => new Promise<void>((r) => setImmediate(r));

describe('AppendLock', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stepwise-lock-'));
    path = join(dir, 'LOCK');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the file between back-to-back uses and lets go on the next turn of the event loop', async () => {
    const lock = new AppendLock(path);
    await lock.acquire();
    const holder = readFileSync(path, 'utf8');
    expect(holder).toMatch(new RegExp(`^${process.pid} [0-9a-f]{16}$`));
    lock.release();
    expect(existsSync(path)).toBe(true);
    await lock.acquire();
    // Taken again without a new file: the same holder line, token included.
    expect(readFileSync(path, 'utf8')).toBe(holder);
    lock.release();
    await nextTurn();
    expect(existsSync(path)).toBe(false);
  });

  it('lets go at once when another holder has announced that it waits', async () => {
    const first = new AppendLock(path);
    const second = new AppendLock(path);
    await first.acquire();
    let acquired = false;
    const waiting = second.acquire().then(() => (acquired = true));
    // The waiter's first attempt fails and leaves its announcement.
    await new Promise((r) => setTimeout(r, 5));
    expect(existsSync(`${path}.wanted`)).toBe(true);
    expect(acquired).toBe(false);
    first.release();
    expect(existsSync(path)).toBe(false);
    await waiting;
    expect(acquired).toBe(true);
    expect(existsSync(`${path}.wanted`)).toBe(false);
    second.release();
    second.close();
    expect(existsSync(path)).toBe(false);
  });

  it('leaves the lock to the waiter it let go for, rather than take it straight back', async () => {
    const first = new AppendLock(path);
    const second = new AppendLock(path);
    await first.acquire();
    const order: string[] = [];
    const waiting = second.acquire().then(() => order.push('second'));
    await new Promise((r) => setTimeout(r, 5));
    first.release();
    // At once, as a busy writer would: the waiter, still asleep in its back-off, comes first.
    const again = first.acquire().then(() => order.push('first'));
    await waiting;
    second.release();
    second.close();
    await again;
    expect(order).toEqual(['second', 'first']);
    first.release();
    first.close();
    expect(existsSync(path)).toBe(false);
  });

  it('waits for its own holder within one instance, then takes the lock it kept', async () => {
    const lock = new AppendLock(path);
    await lock.acquire();
    let second = false;
    const waiting = lock.acquire().then(() => (second = true));
    await new Promise((r) => setTimeout(r, 5));
    expect(second).toBe(false);
    lock.release();
    await waiting;
    expect(second).toBe(true);
    lock.release();
    lock.close();
    expect(existsSync(path)).toBe(false);
  });

  it('close does not let go of a lock in use', async () => {
    const lock = new AppendLock(path);
    await lock.acquire();
    lock.close();
    expect(existsSync(path)).toBe(true);
    lock.release();
    lock.close();
    expect(existsSync(path)).toBe(false);
  });

  it('removes a kept lock when the process exits in the same turn', () => {
    const module = pathToFileURL(resolve('dist/src/store/append-lock.js')).href;
    const script = `const { AppendLock } = await import(${JSON.stringify(module)});
      const lock = new AppendLock(${JSON.stringify(path)});
      await lock.acquire();
      lock.release();
      process.exit(0);`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(existsSync(path)).toBe(false);
  });
});
