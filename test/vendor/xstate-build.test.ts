import { describe, expect, it } from 'vitest';
import * as stepwiseXState from '#xstate';
import * as installedXState from 'xstate';

// scripts/vendor-xstate.mjs builds the XState Stepwise runs (#xstate): the installed one with
// its Actor options merge written as Object.assign instead of an object spread (a V8 slow path
// on Node 20). These check it is that build, complete, and that the merge gives the same options.
describe("Stepwise's build of XState (#xstate)", () => {
  it('exports everything the installed XState exports', () => {
    expect(Object.keys(stepwiseXState).sort()).toEqual(Object.keys(installedXState).sort());
  });

  it('merges actor options with Object.assign', () => {
    expect(stepwiseXState.Actor.toString()).toContain('Object.assign({}, defaultOptions, options)');
    expect(installedXState.Actor.toString()).not.toContain('Object.assign({}, defaultOptions, options)');
  });

  it('resolves the same options as the installed XState', () => {
    const logicOf = (x: typeof installedXState) => x.fromTransition((s: number) => s + 1, 0);
    const optionsOf = (x: typeof installedXState) => {
      const parent = x.createActor(x.createMachine({})).start();
      const actor = x.createActor(logicOf(x), { id: 'child', input: { n: 1 }, parent, systemId: 'sys' });
      // Functions and the default clock differ per copy of XState; keys and data must not.
      return Object.fromEntries(Object.entries(actor.options).map(([k, v]) => [k, typeof v === 'object' && v !== null && k !== 'input' ? Object.keys(v).sort() : typeof v === 'function' ? 'function' : v]));
    };
    const mine = optionsOf(stepwiseXState as unknown as typeof installedXState);
    expect(mine).toEqual(optionsOf(installedXState));
    expect(mine).toMatchObject({ id: 'child', input: { n: 1 }, systemId: 'sys', devTools: false, logger: 'function' });
  });
});
