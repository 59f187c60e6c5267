import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRuntime, type HistoryEvent } from '../../src/index.js';

const casesDir = path.resolve(__dirname, '../../../shared/conformance/cases');
const present = fs.existsSync(casesDir);

// AWS-recorded histories replayed against their definitions, with every task result taken from
// the history itself: the event types, ids, previousEventIds and state names must come out the same.
// The cases that do not replay are exactly those whose recordings were normalised in a way no
// runtime can reproduce (timestamps replaced by "date") or whose AWS event order is not
// deterministic; the floor keeps the count from slipping.
const REPLAY_FLOOR = 337;

describe.skipIf(!present)('replaying the AWS-recorded conformance histories', () => {
  it(`replays at least ${REPLAY_FLOOR} recorded histories identically`, async () => {
    let ok = 0;
    const failures: string[] = [];
    for (const name of fs.readdirSync(casesDir).sort()) {
      const expected = JSON.parse(fs.readFileSync(path.join(casesDir, name, 'expected.json'), 'utf8'));
      if (!Array.isArray(expected.history) || expected.history.some((e: { id: unknown }) => typeof e.id !== 'number')) continue;
      const definition = JSON.parse(fs.readFileSync(path.join(casesDir, name, 'definition.json'), 'utf8'));
      const events = expected.history.map((e: HistoryEvent) => ({ ...e, timestamp: 0 }));
      const report = await createRuntime({ clock: 'virtual' }).replay({ events, definition, comparison: 'structure' });
      if (report.ok) ok++;
      else failures.push(`${name}: event ${report.divergence!.eventId}: ${report.divergence!.reason}`);
    }
    if (ok < REPLAY_FLOOR) console.error(failures.join('\n'));
    expect(ok).toBeGreaterThanOrEqual(REPLAY_FLOOR);
  }, 120_000);
});
