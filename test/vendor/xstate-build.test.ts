import { describe, expect, it } from 'vitest';
import * as stepwiseXState from '#xstate';
import * as installedXState from 'xstate';

// scripts/vendor-xstate.mjs builds the XState Stepwise runs (#xstate): the installed one with its
// Actor options merge written as Object.assign instead of an object spread (a V8 slow path on
// Node 20), and the objects that live as long as an actor or its step made by constructors
// instead of object literals (which V8 may allocate straight into the old generation). These
// check it is that build, complete, and that what it makes reads the same as the original; where
// it keeps less (an actor's scope, its options once started, a context function's result taken
// as the context, its mailbox as fields of the actor), the tests say so and check what a reader
// still sees.
type X = typeof installedXState;
const mine = stepwiseXState as unknown as X;

describe("Stepwise's build of XState (#xstate)", () => {
  it('exports everything the installed XState exports', () => {
    expect(Object.keys(stepwiseXState).sort()).toEqual(Object.keys(installedXState).sort());
  });

  it('is the patched build', () => {
    const patched = stepwiseXState.Actor.toString();
    expect(patched).toContain('Object.assign(new PlainObject(), defaultOptions, options)');
    expect(patched).toContain('this.actionExecutor = scopeActionExecutor');
    const installed = installedXState.Actor.toString();
    expect(installed).not.toContain('PlainObject');
    expect(installed).not.toContain('scopeActionExecutor');
    // The system's write-only children map is no longer written.
    const registerOf = (x: X) => (x.createActor(x.createMachine({})).system as unknown as { _register: () => void })._register.toString();
    expect(registerOf(installedXState)).toContain('children.set');
    expect(registerOf(mine)).not.toContain('children.set');
    // spawnChild takes its arguments as parameters, not as a rest array destructured.
    expect(installedXState.spawnChild.toString()).toContain('function spawnChild(...[src');
    expect(mine.spawnChild.toString()).toContain('function spawnChild(src, {');
  });

  it('spawns a child given its logic alone or with options, as the installed XState does', () => {
    const run = (x: X) => {
      const idle = x.createMachine({ initial: 'idle', states: { idle: {} } });
      const machine = x.createMachine({ entry: [x.spawnChild(idle), x.spawnChild(idle, { id: 'named', input: { n: 1 } })] });
      const actor = x.createActor(machine).start();
      const children = actor.getSnapshot().children as Record<string, { id: string; getSnapshot(): { value: unknown } }>;
      return Object.values(children).map((c) => [c.id === 'named' ? 'named' : 'generated', c.getSnapshot().value]);
    };
    expect(run(mine)).toEqual(run(installedXState));
    expect(run(mine)).toEqual([['generated', 'idle'], ['named', 'idle']]);
  });

  it('resolves the same options as the installed XState', () => {
    const logicOf = (x: X) => x.fromTransition((s: number) => s + 1, 0);
    const optionsOf = (x: X) => {
      const parent = x.createActor(x.createMachine({})).start();
      const actor = x.createActor(logicOf(x), { id: 'child', input: { n: 1 }, parent, systemId: 'sys' });
      // Functions and the default clock differ per copy of XState; keys and data must not. An
      // actor's `send` is its prototype's in Stepwise's build (not an own bound copy), and so
      // are `ref`, `_syncSnapshot` and `systemId` until set (read below); it keeps its mailbox
      // in three fields of its own instead of a `mailbox` object; its clock, logger and source are
      // read through its prototype unless given (read below); it is its own scope, with the
      // scope's action executor as a member of its own (see the scope test below).
      const OWN_TO_EACH_BUILD = ['send', 'ref', '_syncSnapshot', 'systemId', 'mailbox', '_mailboxActive', '_mailboxCurrent', '_mailboxLast', 'clock', 'logger', 'src', '_actorScope', 'actionExecutor'];
      const keysOf = (v: object) => Object.keys(v).filter((k) => !OWN_TO_EACH_BUILD.includes(k)).sort();
      return Object.fromEntries(Object.entries(actor.options).map(([k, v]) => [k, typeof v === 'object' && v !== null && k !== 'input' ? keysOf(v) : typeof v === 'function' ? 'function' : v]));
    };
    const resolved = optionsOf(mine);
    expect(resolved).toEqual(optionsOf(installedXState));
    expect(resolved).toMatchObject({ id: 'child', input: { n: 1 }, systemId: 'sys', devTools: false, logger: 'function' });
    expect(Object.getPrototypeOf((mine.createActor(logicOf(mine)) as unknown as { options: object }).options)).toBe(Object.prototype);
    // The members read from the prototype until set answer as the installed XState's.
    const members = (x: X) => {
      const logic = logicOf(x);
      const plain = x.createActor(logic) as unknown as Record<string, unknown> & { system: Record<string, unknown> };
      const named = x.createActor(logicOf(x), { systemId: 'named' }) as unknown as Record<string, unknown>;
      const clock = { setTimeout: () => 0, clearTimeout: () => {} };
      const logger = () => {};
      const given = x.createActor(logicOf(x), { clock, logger, src: 'source' } as never) as unknown as Record<string, unknown>;
      return {
        ref: plain.ref === plain, syncSnapshot: plain._syncSnapshot, systemId: plain.systemId, named: named.systemId, namedRef: named.ref === named,
        systemClock: plain.clock === plain.system._clock, systemLogger: plain.logger === plain.system._logger, src: plain.src === logic,
        givenClock: given.clock === clock, givenLogger: given.logger === logger, givenSrc: given.src,
      };
    };
    expect(members(mine)).toEqual(members(installedXState));
    expect(members(mine)).toEqual({
      ref: true, syncSnapshot: undefined, systemId: undefined, named: 'named', namedRef: true,
      systemClock: true, systemLogger: true, src: true, givenClock: true, givenLogger: true, givenSrc: 'source',
    });
    // A spawned child is given its logic as its source: that one is read through the prototype too.
    const logic = logicOf(mine);
    const child = mine.createActor(logic, { src: logic } as never) as unknown as Record<string, unknown>;
    expect(child.src).toBe(logic);
    expect(Object.prototype.hasOwnProperty.call(child, 'src')).toBe(false);
  });

  it("gives an actor's scope with the same members, and an action's arguments and a child's done event as the same plain objects", () => {
    const observe = (x: X) => {
      const seen: { scope?: object; args?: object; done?: object } = {};
      const child = {
        ...x.fromTransition((s: number) => s, 0),
        getInitialSnapshot: (scope: object) => {
          seen.scope = scope;
          return { status: 'done', output: { answer: 42 }, error: undefined, context: 0 };
        },
      } as unknown as ReturnType<X['fromTransition']>;
      const machine = x.createMachine({
        initial: 'waiting',
        states: {
          waiting: {
            entry: [(args: object) => void (seen.args = args), x.spawnChild(child, { id: 'kid' })],
            on: { 'xstate.done.actor.kid': { target: 'over', actions: ({ event }: { event: object }) => void (seen.done = event) } },
          },
          over: { type: 'final' },
        },
      } as never);
      const actor = x.createActor(machine).start();
      expect(actor.getSnapshot().status).toBe('done');
      const shape = (o: object | undefined) => ({ keys: Object.keys(o ?? {}), plain: Object.getPrototypeOf(o) === Object.prototype });
      // The scope's members as a child reads them: in Stepwise's build the scope is the actor
      // itself, its functions on the actor's prototype and its action executor an own member.
      const scope = seen.scope as Record<string, unknown>;
      const members = Object.fromEntries(SCOPE_MEMBERS.map((k) => [k, typeof scope[k]]));
      const sameAsActor = ['id', 'sessionId', 'system'].every((k) => scope[k] === (scope.self as Record<string, unknown>)[k]);
      return {
        scope: { members, sameAsActor }, scopeKeys: Object.keys(scope), isActor: scope === scope.self && scope instanceof x.Actor,
        args: shape(seen.args), done: shape(seen.done), output: (seen.done as { output?: unknown }).output,
      };
    };
    const SCOPE_MEMBERS = ['self', 'id', 'sessionId', 'logger', 'defer', 'system', 'stopChild', 'emit', 'actionExecutor'];
    const expected = observe(installedXState);
    const actual = observe(mine);
    expect(actual.scope).toEqual(expected.scope);
    expect(expected.scope.sameAsActor).toBe(true);
    expect(expected.scopeKeys.sort()).toEqual([...SCOPE_MEMBERS].sort());
    expect(expected.isActor).toBe(false);
    expect(actual.isActor).toBe(true);
    expect(actual.scopeKeys).toContain('actionExecutor');
    expect(actual.args).toEqual(expected.args);
    expect(actual.done).toEqual(expected.done);
    expect(actual.output).toEqual(expected.output);
    expect(expected.done.keys).toEqual(['type', 'output', 'actorId']);
    expect(expected.output).toEqual({ answer: 42 });
  });

  it("keeps a parent's other children, in order, when one is stopped", () => {
    const childrenAfterStop = (x: X) => {
      const idle = x.fromTransition((s: number) => s, 0);
      const machine = x.createMachine({
        initial: 'running',
        states: {
          running: {
            entry: ['a', 'b', 'c', 'd'].map((id) => x.spawnChild(idle, { id })),
            on: { stopB: { actions: x.stopChild('b') } },
          },
        },
      } as never);
      const actor = x.createActor(machine).start();
      actor.send({ type: 'stopB' });
      const children = actor.getSnapshot().children as Record<string, { id: string }>;
      return { keys: Object.keys(children), ids: Object.values(children).map((c) => c.id), plain: Object.getPrototypeOf(children) === Object.prototype };
    };
    expect(childrenAfterStop(mine)).toEqual(childrenAfterStop(installedXState));
    expect(childrenAfterStop(mine)).toEqual({ keys: ['a', 'c', 'd'], ids: ['a', 'c', 'd'], plain: true });
  });

  it('runs targetless transitions, eventless transitions and parallel regions as the installed XState does', () => {
    // The build skips the exit/entry computation of a transition without a target and the
    // conflict check of a single transition, and a snapshot copied with the same state nodes
    // keeps its value and tags: the order of every action, the states reached and their tags
    // must stay the same, in and out of parallel regions, with and without a final state.
    const trace = (x: X) => {
      const log: string[] = [];
      const note = (what: string) => () => void log.push(what);
      const machine = x.createMachine({
        context: { n: 0 },
        initial: 'a',
        states: {
          a: {
            tags: ['early'],
            entry: note('enter a'),
            exit: note('exit a'),
            on: {
              bump: { actions: [x.assign({ n: ({ context }: { context: { n: number } }) => context.n + 1 }), note('bump')] },
              split: 'p',
            },
            always: { guard: ({ context }: { context: { n: number } }) => context.n >= 2, target: 'b', actions: note('always a->b') },
          },
          b: {
            tags: ['early', 'b'],
            entry: note('enter b'),
            exit: note('exit b'),
            on: { split: 'p', again: { target: 'b', reenter: true, actions: note('again') }, stay: { target: 'b', actions: note('stay') } },
          },
          p: {
            type: 'parallel',
            entry: note('enter p'),
            on: { shared: { actions: note('shared on p') } },
            onDone: 'end',
            states: {
              left: { initial: 'l1', states: { l1: { entry: note('enter l1'), on: { go: 'l2' } }, l2: { type: 'final', entry: note('enter l2') } } },
              right: { initial: 'r1', states: { r1: { entry: note('enter r1'), on: { go: { target: 'r2', actions: note('r go') } } }, r2: { type: 'final' } } },
            },
          },
          end: { type: 'final', entry: note('enter end'), exit: note('exit end') },
        },
      } as never);
      const actor = x.createActor(machine).start();
      const values: unknown[] = [];
      const tags: string[][] = [];
      for (const type of ['bump', 'bump', 'bump', 'again', 'stay', 'split', 'shared', 'go']) {
        actor.send({ type });
        values.push(actor.getSnapshot().value);
        tags.push([...actor.getSnapshot().tags].sort());
      }
      return { log, values, tags, status: actor.getSnapshot().status, context: actor.getSnapshot().context };
    };
    const expected = trace(installedXState);
    expect(trace(mine)).toEqual(expected);
    expect(expected.values).toEqual(['a', 'b', 'b', 'b', 'b', { p: { left: 'l1', right: 'r1' } }, { p: { left: 'l1', right: 'r1' } }, 'end']);
    // Re-entering runs exit and entry again; a plain self-target runs neither.
    expect(expected.log.slice(expected.log.indexOf('again') - 1, expected.log.indexOf('stay') + 1)).toEqual(['exit b', 'again', 'enter b', 'stay']);
    expect(expected.log).toContain('shared on p');
    // A targetless transition (bump) that changes the context keeps the state's value and tags.
    expect(expected.tags.slice(0, 3)).toEqual([['early'], ['b', 'early'], ['b', 'early']]);
    expect(expected.status).toBe('done');
  });

  it('moves between sibling states, with invoked children and delayed events, as the installed XState does', () => {
    // The build moves from an atomic state to an atomic sibling (or re-enters it) without
    // working out exit and entry sets: the actions, children, values and delayed events
    // must be those of the general algorithm, nested or not.
    const trace = (x: X) => {
      const log: string[] = [];
      const note = (what: string) => () => void log.push(what);
      const idle = x.fromTransition((s: number) => s, 0);
      const machine = x.createMachine({
        initial: 'outer',
        states: {
          outer: {
            entry: note('enter outer'),
            exit: note('exit outer'),
            initial: 'x',
            states: {
              x: {
                entry: note('enter x'), exit: note('exit x'),
                invoke: { src: idle, id: 'kidX' },
                on: { next: { target: 'y', actions: note('x->y') } },
              },
              y: {
                entry: note('enter y'), exit: note('exit y'),
                after: { 1000: { target: 'x', actions: note('timeout y->x') } },
                on: { again: { target: 'y', reenter: true, actions: note('again') }, back: { target: 'x', actions: note('y->x') }, leave: '#end' },
              },
            },
          },
          end: { id: 'end', type: 'final', entry: note('enter end') },
        },
      } as never);
      const clock = { timers: new Map<number, () => void>(), id: 0, setTimeout(fn: () => void) { this.timers.set(++this.id, fn); return this.id; }, clearTimeout(id: number) { this.timers.delete(id); } };
      const actor = x.createActor(machine, { clock } as never).start();
      const seen: unknown[] = [];
      const look = () => {
        const snap = actor.getSnapshot();
        seen.push({ value: snap.value, children: Object.keys(snap.children), timers: clock.timers.size, status: snap.status });
      };
      look();
      for (const type of ['next', 'again', 'again', 'back', 'next']) {
        actor.send({ type });
        look();
      }
      for (const fire of [...clock.timers.values()]) fire();
      look();
      actor.send({ type: 'next' });
      actor.send({ type: 'leave' });
      look();
      return { log, seen };
    };
    const expected = trace(installedXState);
    expect(trace(mine)).toEqual(expected);
    expect(expected.log.slice(0, 6)).toEqual(['enter outer', 'enter x', 'exit x', 'x->y', 'enter y', 'exit y']);
    expect(expected.seen[1]).toEqual({ value: { outer: 'y' }, children: [], timers: 1, status: 'active' });
    expect(expected.log).toContain('timeout y->x');
    expect(expected.seen.at(-1)).toMatchObject({ value: 'end', status: 'done' });
  });

  it("shares one list of nodes among the snapshots in a child of the root, in the installed XState's order", () => {
    // A snapshot in a child of the machine's root has the nodes [root, child]: the build keeps
    // one list per child (a parked execution kept a list of its own), never written into: each
    // move builds its snapshot anew. A done machine's nodes are its exits' order, sorted in a copy.
    const run = (x: X) => {
      const machine = x.createMachine({
        initial: 'a',
        states: { a: { on: { go: 'b' } }, b: { on: { go: 'a', end: 'over' } }, over: { type: 'final' } },
      });
      const one = x.createActor(machine).start();
      const two = x.createActor(machine).start();
      const nodesOf = (actor: typeof one) => (actor.getSnapshot() as unknown as { _nodes: { id: string }[] })._nodes;
      const started = { one: nodesOf(one), two: nodesOf(two) };
      one.send({ type: 'go' });
      two.send({ type: 'go' });
      const moved = { one: nodesOf(one), two: nodesOf(two) };
      one.send({ type: 'go' });
      const back = nodesOf(one);
      two.send({ type: 'end' });
      const ids = (nodes: { id: string }[]) => nodes.map((n) => n.id);
      return {
        ids: { started: ids(started.one), moved: ids(moved.two), back: ids(back), done: ids(nodesOf(two)) },
        values: [one.getSnapshot().value, two.getSnapshot().value, two.getSnapshot().status],
        shared: started.one === started.two && moved.one === moved.two && back === started.one,
        doneShared: nodesOf(two) === started.one || nodesOf(two) === moved.one,
      };
    };
    const expected = run(installedXState);
    const actual = run(mine);
    expect(actual.ids).toEqual(expected.ids);
    expect(actual.values).toEqual(expected.values);
    expect(expected.ids).toEqual({ started: ['(machine)', '(machine).a'], moved: ['(machine)', '(machine).b'], back: ['(machine)', '(machine).a'], done: ['(machine).over', '(machine)'] });
    expect(expected.shared).toBe(false);
    expect(actual.shared).toBe(true);
    expect(actual.doneShared).toBe(false);
  });

  it('queues events in the actor as the installed mailbox does: before start, during a step, and dropped by a stop', () => {
    const run = (x: X) => {
      const log: string[] = [];
      let actor: ReturnType<X['createActor']> | undefined;
      const machine = x.createMachine({
        initial: 'on',
        states: {
          on: {
            on: {
              a: { actions: [() => log.push('a'), () => actor!.send({ type: 'b' }), () => log.push('a done')] },
              b: { actions: () => log.push('b') },
              halt: { actions: [() => log.push('halt'), () => actor!.send({ type: 'b' }), () => void actor!.stop(), () => log.push('halt done')] },
            },
          },
        },
      } as never);
      actor = x.createActor(machine);
      actor.send({ type: 'a' }); // before start: waits for it
      log.push('started');
      actor.start();
      actor.send({ type: 'a' });
      actor.send({ type: 'halt' });
      actor.send({ type: 'a' }); // after the stop: dropped
      return { log, status: actor.getSnapshot().status };
    };
    const expected = run(installedXState);
    expect(run(mine)).toEqual(expected);
    expect(expected.log).toEqual(['started', 'a', 'a done', 'b', 'a', 'a done', 'b', 'halt', 'halt done']);
    expect(expected.status).toBe('stopped');
  });

  it("ends a machine by a move into its root's final state as the installed XState does", () => {
    // The build also takes the sibling move into a final child of the root (every Stepwise
    // scope's end): entry actions, the root's done event, the machine's output, the exit
    // actions of everything left, and the done event its parent receives must be XState's.
    const trace = (x: X, how: 'event' | 'always') => {
      const log: string[] = [];
      const note = (what: string) => () => void log.push(what);
      const idle = x.fromTransition((s: number) => s, 0);
      const child = x.createMachine({
        context: { n: 0 },
        initial: 'a',
        entry: note('enter root'),
        exit: note('exit root'),
        output: ({ context, event }: { context: { n: number }; event: { output?: unknown } }) => ({ n: context.n, fromFinal: event.output }),
        states: {
          a: {
            entry: note('enter a'), exit: note('exit a'),
            invoke: { src: idle, id: 'kidA' },
            on: {
              bump: { actions: [x.assign({ n: ({ context }: { context: { n: number } }) => context.n + 1 }), note('bump')] },
              finish: { target: 'done', actions: note('a->done') },
            },
            always: how === 'always' ? { guard: ({ context }: { context: { n: number } }) => context.n >= 2, target: 'done', actions: note('always a->done') } : [],
          },
          done: {
            type: 'final', entry: note('enter done'), exit: note('exit done'),
            output: ({ context }: { context: { n: number } }) => ({ last: context.n * 10 }),
          },
        },
      } as never);
      const received: unknown[] = [];
      const parent = x.createMachine({
        initial: 'waiting',
        states: {
          waiting: {
            invoke: { src: child, id: 'worker', onDone: { target: 'over', actions: ({ event }: { event: { output: unknown } }) => void received.push(event.output) } },
            on: { '*': { actions: x.sendTo('worker', ({ event }: { event: { type: string } }) => event) } },
          },
          over: { type: 'final' },
        },
      } as never);
      const actor = x.createActor(parent).start();
      const worker = () => actor.getSnapshot().children.worker as unknown as { getSnapshot(): { value: unknown; status: string; output: unknown; children: object } } | undefined;
      const seen: unknown[] = [];
      for (const type of how === 'event' ? ['bump', 'finish'] : ['bump', 'bump']) {
        const before = worker()?.getSnapshot();
        actor.send({ type });
        seen.push(before ? { value: before.value, children: Object.keys(before.children) } : null);
      }
      return { log, seen, received, parent: actor.getSnapshot().value, status: actor.getSnapshot().status };
    };
    for (const how of ['event', 'always'] as const) {
      const expected = trace(installedXState, how);
      expect(trace(mine, how)).toEqual(expected);
      expect(expected.received).toEqual([{ n: how === 'event' ? 1 : 2, fromFinal: { last: how === 'event' ? 10 : 20 } }]);
      expect(expected.log).toEqual(expect.arrayContaining(['exit a', 'enter done', 'exit done', 'exit root']));
      expect(expected.log.indexOf('exit a')).toBeLessThan(expected.log.indexOf('enter done'));
      expect(expected.log.indexOf('enter done')).toBeLessThan(expected.log.indexOf('exit done'));
      expect(expected.status).toBe('done');
    }
  });

  it('starts a machine whose root has an atomic initial child as the installed XState does', () => {
    // The build enters such a root and its child without the general entry-set algorithm: root
    // entry actions, its invoked children and its initial transition's actions, then the child's,
    // in that order; the context function, eventless transitions out of the first state and a
    // root with other shapes (a compound first state) must come out the same.
    const trace = (x: X, shape: 'atomic' | 'initial actions' | 'always' | 'compound') => {
      const log: string[] = [];
      const note = (what: string) => () => void log.push(what);
      const idle = x.fromTransition((s: number) => s, 0);
      const first = shape === 'compound'
        ? { initial: 'inner', entry: note('enter a'), states: { inner: { entry: note('enter inner') } } }
        : {
            entry: note('enter a'), exit: note('exit a'),
            invoke: { src: idle, id: 'kidA' },
            ...(shape === 'always' ? { always: { target: 'b', actions: note('always a->b') } } : {}),
          };
      const machine = x.createMachine({
        context: () => {
          log.push('context');
          return { n: 1 };
        },
        initial: shape === 'initial actions' ? { target: 'a', actions: note('initial actions') } : 'a',
        entry: note('enter root'),
        invoke: { src: idle, id: 'kidRoot' },
        states: {
          a: first,
          b: { entry: note('enter b') },
        },
      } as never);
      const actor = x.createActor(machine).start();
      const snap = actor.getSnapshot();
      return { log, value: snap.value, children: Object.keys(snap.children), status: snap.status, context: snap.context, tags: [...snap.tags] };
    };
    for (const shape of ['atomic', 'initial actions', 'always', 'compound'] as const) {
      const expected = trace(installedXState, shape);
      expect(trace(mine, shape)).toEqual(expected);
    }
    const atomic = trace(installedXState, 'atomic');
    expect(atomic.log).toEqual(['context', 'enter root', 'enter a']);
    expect(atomic.children).toEqual(['kidRoot', 'kidA']);
    expect(trace(installedXState, 'initial actions').log).toEqual(['context', 'enter root', 'initial actions', 'enter a']);
    expect(trace(installedXState, 'always').value).toBe('b');
  });

  it('sends the same inspection events as the installed XState when inspected', () => {
    // The build skips building inspection events when nothing inspects; with an inspector
    // every one must still come, in order.
    const inspected = (x: X) => {
      const seen: string[] = [];
      const idle = x.fromTransition((s: number) => s, 0);
      const machine = x.createMachine({
        initial: 'a',
        states: {
          a: { entry: [() => undefined, x.spawnChild(idle, { id: 'kid' })], on: { go: { target: 'b', actions: () => undefined } } },
          b: { type: 'final' },
        },
      } as never);
      const actor = x.createActor(machine, {
        inspect: (e: { type: string; event?: { type: string }; action?: { type: string } }) => void seen.push(`${e.type} ${e.event?.type ?? e.action?.type ?? ''}`),
      } as never).start();
      actor.send({ type: 'go' });
      return seen;
    };
    const expected = inspected(installedXState);
    expect(inspected(mine)).toEqual(expected);
    expect(expected).toContain('@xstate.microstep go');
    expect(expected.filter((e) => e.startsWith('@xstate.actor'))).toHaveLength(2);
  });

  it('defers, emits and stops children through the shared scope functions as the installed XState does', () => {
    // An actor's scope functions are shared by all actors and reach their own through the
    // scope: each actor's deferred actions, emitted events and children must stay its own.
    const run = (x: X) => {
      const log: string[] = [];
      const idle = x.fromTransition((s: number) => s, 0);
      const machine = x.createMachine({
        initial: 'on',
        states: {
          on: {
            entry: [() => void log.push('entry'), x.emit({ type: 'ping' } as never), x.spawnChild(idle, { id: 'kid' })],
            on: { off: { target: 'off', actions: [x.stopChild('kid'), x.emit({ type: 'pong' } as never)] } },
          },
          off: { type: 'final' },
        },
      } as never);
      const one = x.createActor(machine);
      const two = x.createActor(machine);
      one.on('*' as never, (e: { type: string }) => void log.push(`one heard ${e.type}`));
      two.on('ping' as never, () => void log.push('two heard ping'));
      log.push('created');
      one.start();
      two.start();
      const oneBefore = Object.keys(one.getSnapshot().children);
      one.send({ type: 'off' });
      return { log, oneChildren: [oneBefore, Object.keys(one.getSnapshot().children)], one: one.getSnapshot().status, two: two.getSnapshot().status, twoChildren: Object.keys(two.getSnapshot().children) };
    };
    const expected = run(installedXState);
    expect(run(mine)).toEqual(expected);
    expect(expected).toEqual({
      log: ['created', 'entry', 'one heard ping', 'entry', 'two heard ping', 'one heard pong'],
      oneChildren: [['kid'], []], one: 'done', two: 'active', twoChildren: ['kid'],
    });
  });

  it("keeps each actor's observers, listeners and tags its own though actors start with shared empty ones", () => {
    const check = (x: X) => {
      const machine = x.createMachine({ initial: 'a', states: { a: { on: { go: 'b' } }, b: { tags: ['t'], on: { go: 'a' } } } } as never);
      const one = x.createActor(machine).start();
      const two = x.createActor(machine).start();
      const seen: string[] = [];
      one.subscribe((snapshot) => void seen.push(String(snapshot.value)));
      one.on('x' as never, () => undefined);
      two.send({ type: 'go' });
      const afterTwo = [...seen];
      one.send({ type: 'go' });
      one.send({ type: 'go' });
      const fresh = x.createActor(machine).start();
      const internals = (a: unknown) => a as { observers: Set<unknown>; eventListeners: Map<string, unknown> };
      return {
        afterTwo, seen,
        twoTagged: two.getSnapshot().hasTag('t'), oneTagged: one.getSnapshot().hasTag('t'), freshTags: [...fresh.getSnapshot().tags],
        twoObservers: internals(two).observers.size, freshListeners: internals(fresh).eventListeners.size, oneListeners: internals(one).eventListeners.size,
      };
    };
    const expected = check(installedXState);
    expect(check(mine)).toEqual(expected);
    expect(expected).toEqual({ afterTwo: [], seen: ['b', 'a'], twoTagged: true, oneTagged: false, freshTags: [], twoObservers: 0, freshListeners: 0, oneListeners: 1 });
  });

  it("gives snapshots whose methods answer as the installed XState's, from a prototype they share", () => {
    const check = (x: X) => {
      const machine = x.createMachine({
        context: { n: 1 },
        initial: 'a',
        states: { a: { tags: ['busy'], on: { go: 'b' } }, b: { type: 'final' } },
      } as never);
      const snapshot = x.createActor(machine).start().getSnapshot();
      // Untagged and done: its output and error set or not, its tags none.
      const done = x.createActor(x.createMachine({ initial: 'a', states: { a: { always: 'b' }, b: { type: 'final' } }, output: () => ({ ok: 1 }) } as never)).start().getSnapshot();
      const failed = x.createActor(x.createMachine({ initial: 'a', states: { a: { entry: () => { throw new Error('boom'); } } } } as never));
      failed.subscribe({ error: () => {} });
      failed.start();
      const own = (o: object) => ['output', 'error', 'tags'].filter((k) => Object.prototype.hasOwnProperty.call(o, k));
      return {
        matches: [snapshot.matches('a' as never), snapshot.matches('b' as never)],
        hasTag: [snapshot.hasTag('busy' as never), snapshot.hasTag('idle' as never)],
        can: [snapshot.can({ type: 'go' } as never), snapshot.can({ type: 'nope' } as never)],
        json: JSON.parse(JSON.stringify(snapshot)),
        done: { status: done.status, output: done.output, error: done.error, tags: [...done.tags], json: JSON.stringify(done) },
        failed: { status: failed.getSnapshot().status, error: String(failed.getSnapshot().error), output: failed.getSnapshot().output },
        methodsOwn: ['matches', 'hasTag', 'can', 'getMeta', 'toJSON'].filter((k) => Object.prototype.hasOwnProperty.call(snapshot, k)),
        defaultsOwn: [own(snapshot), own(done), own(failed.getSnapshot())],
      };
    };
    const expected = check(installedXState);
    const actual = check(mine);
    expect({ ...actual, methodsOwn: undefined, defaultsOwn: undefined }).toEqual({ ...expected, methodsOwn: undefined, defaultsOwn: undefined });
    expect(expected).toMatchObject({ matches: [true, false], hasTag: [true, false], can: [true, false], methodsOwn: ['matches', 'hasTag', 'can', 'getMeta', 'toJSON'] });
    expect(expected.done).toMatchObject({ status: 'done', output: { ok: 1 }, error: undefined, tags: [] });
    expect(expected.failed).toMatchObject({ status: 'error', error: 'Error: boom', output: undefined });
    expect(actual.methodsOwn).toEqual([]);
    // Output, error and tags are a snapshot's own only when it has them (tags: the tagged one).
    expect(expected.defaultsOwn).toEqual([['output', 'error', 'tags'], ['output', 'error', 'tags'], ['output', 'error', 'tags']]);
    expect(actual.defaultsOwn).toEqual([['tags'], ['output'], ['error']]);
  });

  it("takes a context function's result as the context itself, and lets go of an actor's options once it has started", () => {
    class Runtime {
      count = 0;
    }
    const check = (x: X) => {
      const made: Runtime[] = [];
      const seenInAction: boolean[] = [];
      const machine = x.createMachine({
        context: () => {
          const rt = new Runtime();
          made.push(rt);
          return rt;
        },
        initial: 'a',
        states: { a: { on: { go: { target: 'b', actions: ({ context }: { context: unknown }) => void seenInAction.push(context instanceof Runtime) } } }, b: {} },
      } as never);
      const actor = x.createActor(machine, { input: { big: 'input' } });
      const optionsInput = () => (actor as unknown as { options: { input?: unknown } }).options.input;
      const inputBefore = optionsInput();
      actor.start();
      actor.send({ type: 'go' } as never);
      const context = actor.getSnapshot().context as unknown;
      return { inputBefore, inputAfter: optionsInput(), sameObject: context === made[0], seenInAction, value: actor.getSnapshot().value };
    };
    // The installed XState copies the result into a plain object, which drops its prototype.
    expect(check(installedXState)).toEqual({ inputBefore: { big: 'input' }, inputAfter: { big: 'input' }, sameObject: false, seenInAction: [false], value: 'b' });
    expect(check(mine)).toEqual({ inputBefore: { big: 'input' }, inputAfter: undefined, sameObject: true, seenInAction: [true], value: 'b' });
  });

  it("starts every actor of a machine in its initial states, from the machine's one initial transition, as the installed XState does", () => {
    const check = (x: X) => {
      const log: string[] = [];
      const machine = x.createMachine({
        initial: 'outer',
        states: {
          outer: {
            initial: 'inner',
            entry: () => void log.push('outer'),
            states: { inner: { entry: () => void log.push('inner'), on: { go: 'other' } }, other: {} },
          },
          regions: { type: 'parallel', states: { a: {}, b: {} } },
        },
      } as never);
      const first = x.createActor(machine).start();
      first.send({ type: 'go' } as never);
      const second = x.createActor(machine).start();
      const third = x.createActor(machine).start();
      return { values: [first, second, third].map((a) => a.getSnapshot().value), log };
    };
    const expected = check(installedXState);
    expect(check(mine)).toEqual(expected);
    expect(expected).toEqual({ values: [{ outer: 'other' }, { outer: 'inner' }, { outer: 'inner' }], log: ['outer', 'inner', 'outer', 'inner', 'outer', 'inner'] });
  });

  it('spawns from a context function, each actor its own child, as the installed XState does', () => {
    const check = (x: X) => {
      const kid = x.fromTransition((n: number, e: { type: string }) => (e.type === 'inc' ? n + 1 : n), 0);
      const machine = x.createMachine({
        context: ({ spawn, input }: { spawn: (logic: unknown, o: { id: string }) => unknown; input: { start: number } }) => ({ kid: spawn(kid, { id: 'kid' }), start: input.start }),
        initial: 'on',
        states: { on: {} },
      } as never);
      const one = x.createActor(machine, { input: { start: 1 } } as never).start();
      const two = x.createActor(machine, { input: { start: 2 } } as never).start();
      const kidOf = (a: typeof one) => (a.getSnapshot().context as { kid: { send: (e: object) => void; getSnapshot: () => { status: string; context: number } } }).kid;
      kidOf(one).send({ type: 'inc' });
      return {
        starts: [one, two].map((a) => (a.getSnapshot().context as { start: number }).start),
        children: [one, two].map((a) => Object.keys(a.getSnapshot().children)),
        kids: [one, two].map((a) => ({ status: kidOf(a).getSnapshot().status, count: kidOf(a).getSnapshot().context })),
        distinct: kidOf(one) !== kidOf(two),
      };
    };
    const expected = check(installedXState);
    expect(check(mine)).toEqual(expected);
    expect(expected).toEqual({ starts: [1, 2], children: [['kid'], ['kid']], kids: [{ status: 'active', count: 1 }, { status: 'active', count: 0 }], distinct: true });
  });

  it('starts snapshots with shared empty children and history, which spawns, stops and sends never write into', () => {
    const check = (x: X) => {
      const kid = x.fromTransition((n: number) => n + 1, 0);
      const machine = x.createMachine({
        initial: 'idle',
        states: {
          idle: { on: { spawn: { target: 'busy' } } },
          busy: { entry: x.spawnChild(kid, { id: 'kid' }), on: { stop: { target: 'idle', actions: x.stopChild('kid') } } },
        },
      } as never);
      const one = x.createActor(machine).start();
      const two = x.createActor(machine).start();
      const before = { one: Object.keys(one.getSnapshot().children), history: one.getSnapshot().historyValue };
      // `send` detached from its actor is not supported by Stepwise's build; called on the actor it is the same.
      one.send({ type: 'spawn' });
      const spawned = Object.keys(one.getSnapshot().children);
      one.send({ type: 'stop' });
      return {
        before, spawned, afterStop: Object.keys(one.getSnapshot().children), two: Object.keys(two.getSnapshot().children),
        value: one.getSnapshot().value, persisted: one.getPersistedSnapshot(),
        ownSend: Object.prototype.hasOwnProperty.call(one, 'send'),
      };
    };
    const expected = check(installedXState);
    const actual = check(mine);
    expect({ ...actual, ownSend: undefined }).toEqual({ ...expected, ownSend: undefined });
    expect(expected).toMatchObject({ before: { one: [], history: {} }, spawned: ['kid'], afterStop: [], two: [], value: 'idle', ownSend: true });
    expect(actual.ownSend).toBe(false);
    // One shared, frozen empty object: a write into it would throw in XState's strict-mode code.
    const a = mine.createActor(mine.createMachine({})).start().getSnapshot();
    const b = mine.createActor(mine.createMachine({})).start().getSnapshot();
    expect(a.children).toBe(b.children);
    expect(a.historyValue).toBe(b.historyValue);
    expect(Object.isFrozen(a.children) && Object.isFrozen(a.historyValue)).toBe(true);
  });

  it('runs the actions deferred until start in order, on a list actors share until they defer one', () => {
    const check = (x: X) => {
      const log: string[] = [];
      const kid = x.fromTransition((n: number) => n, 0);
      const machine = x.createMachine({
        initial: 'a',
        entry: () => void log.push('root entry'),
        states: { a: { entry: [() => void log.push('a entry'), x.spawnChild(kid, { id: 'kid' }), () => void log.push('after spawn')] } },
      } as never);
      const actor = x.createActor(machine);
      log.push('created');
      actor.start();
      actor.send({ type: 'nothing' });
      return { log, children: Object.keys(actor.getSnapshot().children), deferred: (actor as unknown as { _deferred: unknown[] })._deferred };
    };
    const expected = check(installedXState);
    const actual = check(mine);
    expect(actual.log).toEqual(expected.log);
    expect(actual.children).toEqual(expected.children);
    expect(expected).toMatchObject({ log: ['created', 'root entry', 'a entry', 'after spawn'], children: ['kid'], deferred: [] });
    const other = mine.createActor(mine.createMachine({})).start() as unknown as { _deferred: unknown[] };
    expect(actual.deferred).toBe(other._deferred);
    expect(Object.isFrozen(other._deferred)).toBe(true);
  });

  it("picks wildcard and exact transitions by event type, and still gives the pure functions' microsteps and actions, as the installed XState does", () => {
    // The build keeps each node's candidate transitions in a Map by event type, and an actor's
    // transition() no longer gathers microsteps and their actions: the pure transition and
    // initialTransition functions, which read them, must still return every action.
    const machineOf = (x: X, log: string[]) => {
      const note = (what: string) => () => void log.push(what);
      return x.createMachine({
        initial: 'a',
        entry: x.raise({ type: 'boot' }),
        on: { '*': { actions: note('root *') }, boot: { actions: note('boot') } },
        states: {
          a: {
            entry: note('enter a'),
            on: { 'task.*': { actions: note('task.*') }, 'task.done': { target: 'b', actions: note('task.done') }, 'task.done.*': { actions: note('task.done.*') } },
          },
          b: { entry: [note('enter b'), x.raise({ type: 'next' })], on: { next: 'c', 'task.done.late': { actions: note('late') } } },
          c: { type: 'final', entry: note('enter c') },
        },
      } as never);
    };
    const trace = (x: X) => {
      const log: string[] = [];
      const actor = x.createActor(machineOf(x, log)).start();
      for (const type of ['task.started', 'other', 'task.done.late', 'task.done', 'task.done.late']) actor.send({ type });
      return { log, value: actor.getSnapshot().value, status: actor.getSnapshot().status };
    };
    const expected = trace(installedXState);
    expect(trace(mine)).toEqual(expected);
    expect(expected.log).toEqual(['enter a', 'boot', 'task.*', 'root *', 'task.done.*', 'task.done', 'enter b', 'enter c']);

    const pure = (x: X) => {
      const log: string[] = [];
      const machine = machineOf(x, log);
      const [initial, initialActions] = x.initialTransition(machine);
      const [next, actions] = x.transition(machine, initial, { type: 'task.done' });
      return {
        initialActions: initialActions.map((a) => a.type),
        actions: actions.map((a) => a.type),
        value: next.value,
        status: next.status,
      };
    };
    const pureExpected = pure(installedXState);
    expect(pure(mine)).toEqual(pureExpected);
    expect(pureExpected).toMatchObject({ value: 'c', status: 'done' });
    expect(pureExpected.initialActions.length).toBeGreaterThan(0);
    expect(pureExpected.actions.length).toBeGreaterThan(0);
  });
});
