import { mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StepwiseError } from '../errors/stepwise-error.js';
import { AppendLock } from '../store/append-lock.js';
import type { RegistrySnapshot } from './registry-types.js';

/** Where the state machine registry is kept between runs. */
export interface RegistryPersistence {
  load(): Promise<RegistrySnapshot | undefined>;
  save(snapshot: RegistrySnapshot): Promise<void>;
  /**
   * Changes when another process may have saved (several processes share a store directory);
   * the registry loads again when it does. Absent: only this process ever saves.
   */
  stamp?(): Promise<string>;
  /** Runs a load-change-save with other processes' changes held off. Absent: no other process. */
  exclusive?<T>(work: () => Promise<T>): Promise<T>;
}

/** Nothing survives the process (beside a memory event store). */
export function memoryRegistryPersistence(): RegistryPersistence {
  let kept: string | undefined;
  return {
    load: async () => (kept === undefined ? undefined : (JSON.parse(kept) as RegistrySnapshot)),
    save: async (s) => {
      kept = JSON.stringify(s);
    },
  };
}

export const REGISTRY_FILE = 'state-machines.json';

/**
 * One JSON file beside the event log. A registry holds few, small records that change
 * rarely, so rewriting it whole on each change (to a temporary file, synced, then renamed
 * over the old one) is simple and never leaves a half-written file behind a crash.
 */
export function jsonFileRegistryPersistence(path: string): RegistryPersistence {
  const lock = new AppendLock(`${path}.lock`);
  return {
    async stamp() {
      try {
        const s = await stat(path, { bigint: true });
        return `${s.ino}:${s.size}:${s.mtimeNs}`;
      } catch {
        return 'absent';
      }
    },
    async exclusive(work) {
      await mkdir(dirname(path), { recursive: true });
      await lock.acquire();
      try {
        return await work();
      } finally {
        lock.release();
      }
    },
    async load() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new StepwiseError('StoreUnavailable', `Cannot read the state machine registry ${path}: ${(e as Error).message}`);
      }
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (e) {
        throw new StepwiseError('StoreCorrupted', `The state machine registry ${path} is not valid JSON (${(e as Error).message}); it was not changed.`);
      }
      if (typeof value !== 'object' || value === null || (value as RegistrySnapshot).format !== 1 || !Array.isArray((value as RegistrySnapshot).stateMachines)) {
        throw new StepwiseError('StoreCorrupted', `The state machine registry ${path} is not a Stepwise registry (format 1 with a stateMachines array); it was not changed.`);
      }
      return value as RegistrySnapshot;
    },
    async save(snapshot) {
      await mkdir(dirname(path), { recursive: true });
      const temp = `${path}.tmp`;
      const fh = await open(temp, 'w');
      try {
        await fh.writeFile(JSON.stringify(snapshot));
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(temp, path);
    },
  };
}
