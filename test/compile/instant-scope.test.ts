import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AnyStateMachine } from 'xstate';
import { compileScope } from '../../src/compile/compile-scope.js';
import { childLogicOf, isInstantLogic, runsInstantly } from '../../src/compile/instant-scope.js';
import type { Branch } from '../../src/asl/definition.js';

const passOnly: Branch = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'C' }], Default: 'D' }, C: { Type: 'Succeed' }, D: { Type: 'Fail', Error: 'E' } } } as Branch;
const withTask: Branch = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'T' }, T: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f', End: true } } } as Branch;
const oneJsonata: Branch = { StartAt: 'A', States: { A: { Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% 1 %}', End: true } } } as Branch;

describe('which logic a Map iteration or Parallel branch runs as', () => {
  it('is the instant logic only when every state is Pass, Choice, Succeed or Fail in JSONPath', () => {
    expect(runsInstantly(compileScope(passOnly), 'JSONPath')).toBe(true);
    expect(runsInstantly(compileScope(passOnly), 'JSONata')).toBe(false); // inherited from the top level
    expect(runsInstantly(compileScope(withTask), 'JSONPath')).toBe(false);
    expect(runsInstantly(compileScope(oneJsonata), 'JSONPath')).toBe(false);
  });

  it('is the machine for a scope whose instant states loop (only the machine lets the event loop turn)', () => {
    const looping = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'C' }], Default: 'A' }, C: { Type: 'Succeed' } } } as Branch;
    expect(compileScope(looping).instantLoop).toBe(true);
    expect(compileScope(passOnly).instantLoop).toBe(false);
    expect(runsInstantly(compileScope(looping), 'JSONPath')).toBe(false);
    // A loop through a Task waits on each round: not an instant loop.
    const throughTask = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'T' }, T: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:f', Next: 'A' } } } as Branch;
    expect(compileScope(throughTask).instantLoop).toBe(false);
  });

  it('is chosen once per scope and query language, and is the machine otherwise', () => {
    const scope = compileScope(passOnly);
    const instant = childLogicOf(scope, 'JSONPath');
    expect(instant).not.toBe(scope.machine);
    expect(childLogicOf(scope, 'JSONPath')).toBe(instant);
    expect(childLogicOf(scope, 'JSONata')).toBe(scope.machine);
    const tasks = compileScope(withTask);
    expect(childLogicOf(tasks, 'JSONPath')).toBe(tasks.machine);
    expect(isInstantLogic(instant)).toBe(true);
    expect(isInstantLogic(scope.machine)).toBe(false);
  });
});

// Each definition's iterations or branches are instant, and run in place unless forced to
// machines: Choice, Fail, an intrinsic, a failed path, tolerated failures (by count and by
// percentage), two workers threading previousEventId, one worker failing into a Catch, more
// items than the 40 workers of an inline Map; Parallels failing into a Catch, retried, failing
// outright on a path, nested in a branch that is not instant, and beside a branch that waits
// (then all spawned).
const definitions = {
  tolerated: {
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map', ItemsPath: '$.items', ToleratedFailureCount: 1, MaxConcurrency: 2,
        ItemSelector: { 'v.$': '$$.Map.Item.Value', 'i.$': '$$.Map.Item.Index' },
        ItemProcessor: {
          StartAt: 'Check',
          States: {
            Check: { Type: 'Choice', Choices: [{ Variable: '$.v', NumericGreaterThan: 2, Next: 'Boom' }], Default: 'Double' },
            Double: { Type: 'Pass', Parameters: { 'twice.$': 'States.MathAdd($.v, $.v)' }, ResultPath: '$.r', Next: 'Done' },
            Done: { Type: 'Succeed' },
            Boom: { Type: 'Fail', Error: 'TooBig', Cause: 'over two' },
          },
        },
        End: true,
      },
    },
  },
  succeeded: {
    StartAt: 'Each',
    States: { Each: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'X', States: { X: { Type: 'Pass', Parameters: { 'n.$': '$' }, Next: 'Y' }, Y: { Type: 'Pass', End: true } } }, Next: 'After' }, After: { Type: 'Pass', End: true } },
  },
  mapCaught: {
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map', ItemsPath: '$.items', MaxConcurrency: 1, Next: 'After',
        ItemProcessor: {
          StartAt: 'Check',
          States: {
            Check: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 2, Next: 'Boom' }], Default: 'Fine' },
            Fine: { Type: 'Pass', End: true },
            Boom: { Type: 'Fail', Error: 'Two', Cause: 'item two' },
          },
        },
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.caught', Next: 'Caught' }],
      },
      Caught: { Type: 'Pass', End: true },
      After: { Type: 'Pass', End: true },
    },
  },
  mapPercent: {
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map', ItemsPath: '$.items', ToleratedFailurePercentage: 50, End: true,
        ItemProcessor: {
          StartAt: 'Check',
          States: {
            Check: { Type: 'Choice', Choices: [{ Variable: '$', NumericGreaterThan: 2, Next: 'Boom' }], Default: 'Fine' },
            Fine: { Type: 'Pass', End: true },
            Boom: { Type: 'Fail', Error: 'TooBig' },
          },
        },
      },
    },
  },
  mapMany: {
    StartAt: 'Make',
    States: {
      Make: { Type: 'Pass', Result: Array.from({ length: 45 }, (_, i) => i), ResultPath: '$.many', Next: 'Each' },
      Each: { Type: 'Map', ItemsPath: '$.many', ItemSelector: { 'n.$': '$$.Map.Item.Value' }, ItemProcessor: { StartAt: 'X', States: { X: { Type: 'Pass', Parameters: { 'twice.$': 'States.MathAdd($.n, $.n)' }, End: true } } }, End: true },
    },
  },
  mapLong: {
    StartAt: 'Make',
    States: {
      Make: { Type: 'Pass', Result: Array.from({ length: 2500 }, (_, i) => i), ResultPath: '$.many', Next: 'Each' },
      Each: { Type: 'Map', ItemsPath: '$.many', MaxConcurrency: 3, ItemProcessor: { StartAt: 'X', States: { X: { Type: 'Pass', End: true } } }, End: true },
    },
  },
  badPath: {
    StartAt: 'Each',
    States: { Each: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'X', States: { X: { Type: 'Pass', Parameters: { 'a.$': '$.nope' }, End: true } } }, End: true } },
  },
  parallel: {
    StartAt: 'P',
    States: {
      P: {
        Type: 'Parallel', End: true,
        Branches: [
          { StartAt: 'A', States: { A: { Type: 'Pass', Result: 1, End: true } } },
          { StartAt: 'B', States: { B: { Type: 'Pass', Next: 'C' }, C: { Type: 'Succeed' } } },
        ],
      },
    },
  },
  parallelCaught: {
    StartAt: 'P',
    States: {
      P: {
        Type: 'Parallel', Next: 'After',
        Branches: [
          { StartAt: 'A', States: { A: { Type: 'Pass', Result: 1, End: true } } },
          { StartAt: 'B', States: { B: { Type: 'Pass', Next: 'F' }, F: { Type: 'Fail', Error: 'Boom', Cause: 'branch two' } } },
          { StartAt: 'C', States: { C: { Type: 'Pass', Next: 'D' }, D: { Type: 'Succeed' } } },
        ],
        Catch: [{ ErrorEquals: ['Boom'], ResultPath: '$.caught', Next: 'Caught' }],
      },
      Caught: { Type: 'Pass', End: true },
      After: { Type: 'Pass', End: true },
    },
  },
  parallelRetried: {
    StartAt: 'P',
    States: {
      P: {
        Type: 'Parallel', End: true,
        Branches: [
          { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } },
          { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Boom' } } },
        ],
        Retry: [{ ErrorEquals: ['Boom'], IntervalSeconds: 1, MaxAttempts: 2 }],
      },
    },
  },
  parallelBadPath: {
    StartAt: 'P',
    States: {
      P: {
        Type: 'Parallel', End: true,
        Branches: [
          { StartAt: 'A', States: { A: { Type: 'Pass', Parameters: { 'a.$': '$.nope' }, End: true } } },
          { StartAt: 'B', States: { B: { Type: 'Pass', End: true } } },
        ],
      },
    },
  },
  parallelNested: {
    StartAt: 'P',
    States: {
      P: {
        Type: 'Parallel', End: true,
        Branches: [
          {
            StartAt: 'Inner',
            States: {
              Inner: {
                Type: 'Parallel', End: true,
                Branches: [
                  { StartAt: 'X', States: { X: { Type: 'Pass', Parameters: { 'first.$': '$.items[0]' }, End: true } } },
                  { StartAt: 'Y', States: { Y: { Type: 'Pass', Result: 'y', End: true } } },
                ],
              },
            },
          },
          { StartAt: 'B', States: { B: { Type: 'Pass', End: true } } },
        ],
      },
    },
  },
  parallelBesideWait: {
    StartAt: 'P',
    States: {
      P: {
        Type: 'Parallel', End: true,
        Branches: [
          { StartAt: 'A', States: { A: { Type: 'Pass', Result: 'a', End: true } } },
          { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 1, End: true } } },
          { StartAt: 'C', States: { C: { Type: 'Pass', Result: 'c', End: true } } },
        ],
      },
    },
  },
};

/** Branches run in place (instant-scope's runInstantScope called from outside its module), when not forced to machines. */
let inPlaceRuns = 0;

async function historiesWith(forceMachine: boolean) {
  vi.resetModules();
  inPlaceRuns = 0;
  vi.doMock('../../src/compile/instant-scope.js', async (importOriginal) => {
    const original = await importOriginal<typeof import('../../src/compile/instant-scope.js')>();
    if (forceMachine) return { ...original, childLogicOf: (scope: { machine: AnyStateMachine }) => scope.machine };
    return { ...original, runInstantScope: (rt: Parameters<typeof original.runInstantScope>[0]) => (inPlaceRuns++, original.runInstantScope(rt)) };
  });
  const { createRuntime } = await import('../../src/index.js');
  const fresh = await import('../../src/compile/compile-scope.js');
  const { childLogicOf: chosen } = await import('../../src/compile/instant-scope.js');
  const probe = fresh.compileScope(passOnly);
  expect(chosen(probe, 'JSONPath') === probe.machine).toBe(forceMachine);
  const runtime = createRuntime({ clock: 'virtual' });
  const out: Record<string, unknown> = {};
  for (const [name, definition] of Object.entries(definitions)) {
    const execution = runtime.startExecution({ definition, input: { items: [1, 2, 3, 4] } });
    const result = await execution.done;
    out[name] = {
      status: result.status, output: result.output, error: result.error, cause: result.cause,
      // Everything but the timestamps, the execution's own (random) identity and its random seed.
      events: execution.events.map(({ timestamp: _t, executionStartedEventDetails: _s, seed: _r, ...rest }) => rest),
    };
  }
  return out;
}

describe('the instant logic', () => {
  afterEach(() => {
    vi.doUnmock('../../src/compile/instant-scope.js');
    vi.resetModules();
  });

  it('records the same history, outcome and event threading as the state machine', async () => {
    const viaMachine = await historiesWith(true);
    const viaInstant = await historiesWith(false);
    expect(viaInstant).toEqual(viaMachine);
    const tolerated = viaInstant.tolerated as { status: string; events: { type: string }[] };
    // Two of the four items fail: one is tolerated, the second fails the Map.
    expect(tolerated.status).toBe('FAILED');
    expect(tolerated.events.filter((e) => e.type === 'MapIterationFailed')).toHaveLength(2);
    expect((viaInstant.succeeded as { output: unknown }).output).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
    expect((viaInstant.badPath as { error: string }).error).toBe('States.Runtime');
    expect((viaInstant.parallel as { output: unknown }).output).toEqual([1, { items: [1, 2, 3, 4] }]);
    // Iterations run in place: tolerated (4), succeeded (4), mapCaught (2: one worker, and the
    // second fails the Map), mapPercent (4), mapMany (45), mapLong (2,500: more than the
    // in-place queue keeps before it lets go of what it has read), badPath (4: all started before the
    // first failure is read). Branches: parallel (2), parallelCaught (3), parallelRetried (2,
    // three times), parallelBadPath (2), parallelNested's inner Parallel (2, inside a spawned
    // branch); none of parallelBesideWait's, spawned because one of them waits.
    expect(inPlaceRuns).toBe(4 + 4 + 2 + 4 + 45 + 2500 + 4 + 2 + 3 + 2 * 3 + 2 + 2);
    const outcome = (name: string) => viaInstant[name] as { status: string; output?: unknown; error?: string; events: { type: string }[] };
    expect(outcome('mapLong').output).toEqual(Array.from({ length: 2500 }, (_, i) => i));
    expect(outcome('mapCaught').output).toEqual({ items: [1, 2, 3, 4], caught: { Error: 'Two', Cause: 'item two' } });
    expect(outcome('mapCaught').events.filter((e) => e.type === 'MapIterationStarted')).toHaveLength(2);
    expect(outcome('mapPercent').output).toEqual([1, 2, { Error: 'TooBig', Cause: null }, { Error: 'TooBig', Cause: null }]);
    expect((outcome('mapMany').output as { twice: number }[]).map((o) => o.twice)).toEqual(Array.from({ length: 45 }, (_, i) => 2 * i));
    expect(outcome('parallelCaught').status).toBe('SUCCEEDED');
    expect(outcome('parallelCaught').output).toEqual({ items: [1, 2, 3, 4], caught: { Error: 'Boom', Cause: 'branch two' } });
    // All three branches ran before the failure was read: the third's events are in the history.
    expect(outcome('parallelCaught').events.filter((e) => e.type === 'SucceedStateEntered')).toHaveLength(1);
    expect(outcome('parallelCaught').events.map((e) => e.type)).toContain('ParallelStateFailed');
    expect(outcome('parallelRetried').status).toBe('FAILED');
    expect(outcome('parallelRetried').events.filter((e) => e.type === 'ParallelStateStarted')).toHaveLength(3);
    expect(outcome('parallelBadPath').error).toBe('States.Runtime');
    expect(outcome('parallelNested').output).toEqual([[{ first: 1 }, 'y'], { items: [1, 2, 3, 4] }]);
    expect(outcome('parallelBesideWait').output).toEqual(['a', { items: [1, 2, 3, 4] }, 'c']);
  });
});
