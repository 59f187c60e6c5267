#!/usr/bin/env node
/**
 * Writes the XState that Stepwise runs: dist/vendor/xstate/, which the package's `#xstate`
 * import names (package.json "imports"; types still come from the `xstate` package). It is the
 * installed XState's own production build (its CommonJS files, with the ES module wrapper that
 * `import 'xstate'` loads on Node), copied unchanged except for the few lines in PATCHES below.
 * Each gives the same objects and the same behaviour; each is there for a cost measured on Node 20
 * (V8 11.3):
 *
 * - The Actor constructor's options merge, `{ ...defaultOptions, ...options }`: an object literal
 *   that spreads a second object into the clone of a first adds each new key through a slow
 *   runtime path (V8 issue 11536). It was 4.2 µs of the 4.5 µs it took to create a child actor,
 *   paid by every execution, Parallel branch and Map iteration; merged with Object.assign, 0.3 µs.
 *
 * - A stopped child leaves its parent's children by a copy built without it, where XState spread
 *   the children into a copy and deleted the key: the delete turns the copy into a dictionary,
 *   which every later spawn and stop then clones through the runtime. A Parallel of 10's spawns
 *   and stops took 13.3 µs that way and 2.2 µs this way, measured alone; parallel-fanout +11%
 *   first round and +12% steady in interleaved A/B samples.
 *
 * - Objects that live as long as their actor or its step, made by constructors instead of object
 *   literals: the actor's scope, its merged options, the arguments and the deferred action of a
 *   built-in action, a spawn's parameters, the done event a finished child sends its parent; and
 *   the function a microstep puts in front of the actor's action executor, bound instead of a
 *   closure. V8 gives every object literal an allocation site and, once most of a site's objects
 *   outlive a scavenge, allocates the site's objects straight into the old generation. One site
 *   serves every actor, and the long-lived ones (an execution parked in a Task, the root of a
 *   10,000-item Map) tipped these sites over, so every short-lived actor (each Map iteration,
 *   each Parallel branch) had these objects made in the old generation, where, dead, they still
 *   kept the young actor they point to alive through the next scavenges, and the next sites
 *   tipped over with them. A closure stored into an existing property has the same effect on
 *   what it captures. `new` is never pretenured this way, and a bound function keeps nothing
 *   alive. Measured in interleaved A/B samples (see benchmarks/README.md): map-10k first round
 *   +29%, steady +57%; parallel-fanout steady +40%.
 *
 * - A microstep whose one transition has no target (an event that only runs actions: every
 *   Task's answer, every finished child in Stepwise) runs those actions and returns, where XState
 *   worked out, with fresh Sets, that nothing exits and nothing enters; a single transition skips
 *   the conflict check between transitions, and the search for eventless transitions walks the
 *   state nodes without building arrays and Sets for the common case of none or one found. The
 *   same actions run in the same order (test/vendor/xstate-build.test.ts compares traces with
 *   the installed XState). 20 Task states' executions allocated 333 KB each, 250 KB of it in
 *   XState; measured in interleaved A/B samples: task-heavy +20% first round, +17% steady;
 *   parallel-fanout +12% first round, +4% steady; pass-chain and map-10k +2-5%.
 *
 * - A machine snapshot copied with the same state nodes (every assign, spawn and stop: a Parallel
 *   of 10 makes 20 such copies) keeps the value and tags of the one it copies, where XState worked
 *   them out again from the nodes (a Set, a Map and the value object each time); both only ever
 *   depend on the nodes. Measured in interleaved A/B samples: parallel-fanout first round +25-35%,
 *   steady +7-11% (two runs of 6 pairs); concurrent 7% less time; pass-chain, map-10k and
 *   task-heavy within the noise. (An earlier session tried this within the noise, on a build where
 *   the pretenured XState objects above dominated.)
 *
 * - The actor system's `children` map, which XState 5.33 writes on every actor's registration and
 *   removal and never reads (the system looks actors up by systemId in another map), is no longer
 *   written. The map lives as long as the system (Stepwise's one host system) and pointed from the
 *   old generation to every young actor alive at a scavenge. Interleaved A/B samples: parallel-
 *   fanout steady +12% and +26% (two runs of 6 pairs), first round within the noise (+7%, -7%);
 *   map-10k and concurrent within the noise.
 *
 * - Actors start with shared empty observer and listener collections, replaced by their own on
 *   the first subscribe or `on` (the only places XState adds to them), and a snapshot whose nodes
 *   have no tags shares one empty tag Set: a parked execution kept an empty Set, an empty Map and
 *   an empty tag Set, 490 bytes (heap per parked execution in the concurrent workload 5,991 ->
 *   5,505 bytes); speed within the noise (parallel-fanout 8 interleaved pairs: first round +6%,
 *   steady equal). Stepwise never mutates a snapshot's tags; the build test checks actors and
 *   snapshots keep their own.
 *
 * - An actor's scope holds four functions (defer, stopChild, emit, actionExecutor) that XState
 *   made as closures over each actor; here they are four functions shared by every actor, which
 *   reach their actor as `this`, and the microstep's executor in front of them calls them on the
 *   scope. Same members, same behaviour (the build test runs deferred actions, emitted events and
 *   child stops on both builds). Per actor, four closures and their context less: heap per parked
 *   execution 5,503 -> 5,239 bytes; interleaved A/B samples (8 pairs): parallel-fanout +12% first
 *   round, +5% steady; task-heavy +3% / -1%. The scope was then an object of two members (`self`
 *   and `actionExecutor`) with the rest read through `self`; now the actor is its own scope: the
 *   functions and `self` are on Actor.prototype, the executor a member of the actor, and the
 *   actor hands itself to its logic. With an actor's clock, logger and source read through its
 *   prototype (its system's and its logic, unless its options name others), 64 bytes less per
 *   actor: heap per parked execution in the concurrent workload 40 + 24 bytes less.
 *
 * - A microstep whose one transition goes from an atomic state to an atomic sibling under a
 *   compound parent, or re-enters its own atomic state (every Task, Wait or Map state handing
 *   over to the next in Stepwise's machines), runs the source's exit actions, the transition's
 *   and the target's entry actions (with their invoked children stopped and spawned) in XState's
 *   order, and builds the new node list, where XState worked out exit and entry sets with fresh
 *   Sets, ancestor lists and sorts that can only come to those two states. Anything else (a
 *   final, compound, parallel or history target, several transitions) takes XState's own path.
 *   The build test compares traces, values, children and delayed events with the installed
 *   XState, nested and not. Interleaved A/B samples (8 pairs): task-heavy +9% first round, +13.5%
 *   steady; parallel-fanout and concurrent, which never take this path, -15%/-9% first round
 *   (two runs, 8 and 12 pairs) and +4%/+6% steady, differences in when V8 optimises the shared
 *   code rather than in work done.
 *   The same move into a final state whose parent is the machine's root (how every Stepwise
 *   scope ends: each execution, and each Map iteration or Parallel branch run as a machine)
 *   then does what XState's enterStates does for it: queues the root's done event and marks
 *   the machine done with its output; the exit actions of what is left follow as before. The
 *   build test ends machines both ways (by an event and by an eventless transition) against
 *   the installed XState, with outputs and the done event their parent receives. Interleaved
 *   A/B samples: concurrent -6.3% and -8.0% time (8 pairs each); task-heavy +7% and +13%
 *   first round, +1% steady; pass-chain +5% / +3%; parallel-fanout +30% and +3% first round
 *   (8, 10 pairs), steady within the noise; map-10k and choice-loop within the noise.
 *   And a machine's first microstep, when its root is compound with an atomic initial child
 *   (every Stepwise scope run as a machine), enters the root (entry actions, invoked children,
 *   its initial transition's actions) and then the child, as the general algorithm does after
 *   building entry sets for them. The build test starts machines of four shapes (with root and
 *   child invokes, initial actions, an eventless transition out of the first state, a compound
 *   first state, which takes XState's path) against the installed XState. Interleaved A/B
 *   samples (8 pairs, two runs): task-heavy +7.5% and +7.5% first round, steady equal;
 *   concurrent -3.4% and -1.9% time; pass-chain +6% / +4% (one run); parallel-fanout within
 *   the noise (first round -10% and +14%).
 *
 * - The state value of a snapshot whose nodes are the root and one atomic child of it (every
 *   state of a Stepwise scope, each a child of its machine's root) is that child's key, as
 *   XState's general walk finds after building a Set, a Map and lists of the nodes. Allocation per
 *   task-heavy execution 175.8 -> 156.0 KB (sampled heap profile); interleaved A/B samples (8
 *   pairs): concurrent -6% time, task-heavy +3% steady, others within the noise.
 *
 * - Less made per step for nothing: an action the running actor executes at once goes without a
 *   closure (one is made only for an action deferred until the actor runs); an actor's mailbox
 *   calls its actor's \`_process\` instead of a function bound to it (a new mailbox and bound
 *   function were made for every actor and again when it stopped); an actor's snapshot update
 *   and completion skip the loops over its observers when it has none (each loop made an
 *   iterator). Interleaved A/B samples (8 pairs): parallel-fanout +7% first round, +5% steady;
 *   task-heavy +2%; concurrent -5% time, 48 bytes less per parked execution. A completed actor
 *   clears its observers and listeners only when it has some: clearing an empty Set or Map still
 *   allocates a new table (37 ns each measured alone; two per finished branch or iteration).
 *
 * - Inspection events (an action run, a snapshot, a microstep, an actor created, an event
 *   relayed) are built only when the system has an inspector; XState built each and handed it to
 *   a function that drops it when nobody inspects. The build test compares the inspection events
 *   of both builds with an inspector. Interleaved A/B samples: parallel-fanout first round +5%
 *   (two runs, 8 and 10 pairs; steady +6% and -1%), task-heavy and concurrent within the noise.
 *
 * - Less kept per actor: a snapshot starts with one shared, frozen empty `children` and
 *   `historyValue` (XState copies both before any change: a spawn, a stop and a history node
 *   each build a new object), an actor shares one frozen empty list of deferred actions until it
 *   defers one (and drops its own once they have run), and `send` stays the prototype's method
 *   instead of an own bound copy (Stepwise never detaches it). Heap per parked execution in the
 *   concurrent shape 4,657 -> 4,492 bytes (children, history, send) and ~4,092 -> ~4,058 (the
 *   deferred list); the build test checks the objects are shared and frozen, that spawns, stops
 *   and deferred actions behave as on the installed XState, and that `send` is not own.
 *
 * - Less made at a machine's start and end: the value of a snapshot whose only node is a
 *   compound root (the pre-initial snapshots every machine's start makes) is its atomic initial
 *   child's key without XState's Set and Maps, and a done machine's exit actions are gathered by
 *   an insertion sort and loops (Array.prototype.sort made its work space and flatMap its list,
 *   ~870 bytes for two nodes). Allocation per concurrent execution 23.1 -> 20.0 KB (sampled);
 *   interleaved A/B samples (8 pairs): concurrent -4.1% time; parallel-fanout in a four-way
 *   rotation (8 rounds) -2.3% steady, +17% first round, task-heavy -1.6% / -1.1%: the noise.
 *
 * - Less made per event: a state node's candidate transitions for an event type are kept in a Map
 *   per node (XState's memo built a `candidates-<type>` string for every event, hashed it and
 *   looked it up in a dictionary), the memoised `invoke` and `initial` getters are read without
 *   building memo's closure once their value is kept, the list of actions `next` filled and never
 *   read is gone, and `transition()` (what an actor calls for every event) and the initial
 *   snapshot no longer gather the microsteps and their actions, which only `microstep()` and the
 *   pure `transition`/`initialTransition` functions read (they still get them). Allocation per
 *   task-heavy execution 123.1 -> 105.6 KB (sampled); interleaved samples: task-heavy steady
 *   +9.1% (20 pairs; first round +4.2%), in a three-way rotation (12 rounds) task-heavy +3.7%
 *   first round, +10.5% steady, parallel-fanout +9.6% / +2.6%; concurrent and pass-chain within
 *   the noise (8 pairs). The microstep half alone was within the noise (5% less allocation).
 *
 * - Less kept per actor and per snapshot: an actor's mailbox is three fields of the actor instead
 *   of a Mailbox object (made again when the actor stopped), and the snapshots in a child of the
 *   machine's root share one list of nodes per child, [root, child], where each start and each
 *   move made one. With the task runner's bound reactions (src/resources/task-runner.ts) and the
 *   journal's shared time boxes, heap per parked execution in the concurrent workload 3,727 ->
 *   3,507 bytes; interleaved A/B samples of the four together: concurrent -7.7% time (14 pairs,
 *   faster in 11), task-heavy and parallel-fanout within the noise (24 pairs each, twice for
 *   parallel-fanout). Tried and left out: the shared node lists frozen (see rootPairOf). (The
 *   actor as its own scope was left out here once, for task-heavy steady -13% and -6% over 12
 *   pairs; made again later with the actor's own reads of its scope written as `this`, task-heavy
 *   over 12 pairs moved -2.8% first round and +8.4% steady, parallel-fanout 20 pairs equal.)
 *
 * - No iterator protocol where a step's actions are resolved: their list is walked by index and
 *   a built-in action's resolution (a three-item array) read by index, where a for-of and an
 *   array destructuring each made an iterator and its result objects until V8 had optimised
 *   the function (in a process's first executions) and cost more than indexes after; spawnChild
 *   takes its two arguments as parameters instead of a rest array destructured. Same actions in
 *   the same order. With Stepwise's own per-branch code read the same way (parallel-state.ts),
 *   interleaved A/B samples against the code before: parallel-fanout +12.8% first round and
 *   +16.5% steady (16 pairs), task-heavy +8.6% / +13.2% (12), choice-loop +2.7% / +9.8% (6);
 *   map-10k (+4.4% / +0.8%, 12 pairs) and concurrent (-0.2% time, 12) within the noise. With
 *   V8's optimising compiler off (--no-opt), parallel-fanout +1.5% / +3.8% (5 pairs): most of the
 *   gain is in the optimised code. Tried and left out: a
 *   parent's children copied with Object.assign and a for-in on a spawn and a stop (faster for a
 *   Parallel of 10 measured alone), which made map-10k 26% slower first round and 54% steady
 *   over 10 pairs: its 40 workers' ids change places in the children at every job. The same done
 *   after for the eventless selection, a snapshot's tags, a done machine's exit actions and a
 *   machine's children started and unregistered (with Stepwise's own journal, payload bound and
 *   step actions): within the noise (parallel-fanout -3.7% and +13.6% first round over 16 and
 *   20 pairs, task-heavy +3.4% / +8.0%, concurrent and map-10k equal).
 *
 * Fails if a patch does not find its text exactly once (a new XState): check whether that
 * version still needs the change, then update or drop it here.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist', 'vendor', 'xstate');
const xstateDir = dirname(createRequire(import.meta.url).resolve('xstate/package.json'));
const { version } = JSON.parse(readFileSync(join(xstateDir, 'package.json'), 'utf8'));
const sourceDir = join(xstateDir, 'dist');
const ENTRY = 'xstate.cjs.mjs';

/**
 * Constructors whose objects are plain (Object.prototype, the same own keys in the same order
 * as the literals they replace), so nothing that reads them can tell the difference.
 */
const CONSTRUCTORS = `
const plainConstructor = (init) => {
  init.prototype = Object.prototype;
  return init;
};
const PlainObject = plainConstructor(function () {});
const DoneActorEvent = plainConstructor(function (type, output, actorId) { this.type = type; this.output = output; this.actorId = actorId; });
const ActionArgs = plainConstructor(function (context, event, self, system) { this.context = context; this.event = event; this.self = self; this.system = system; });
const DeferredAction = plainConstructor(function (type, info, params, exec) { this.type = type; this.info = info; this.params = params; this.exec = exec; });
const SpawnParams = plainConstructor(function (id, systemId, actorRef, src, input) { this.id = id; this.systemId = systemId; this.actorRef = actorRef; this.src = src; this.input = input; });
function scopeDefer(fn) {
  deferredOf(this).push(fn);
}
// Actors share one frozen empty list of deferred actions until they defer one (most never do
// once started): a list of its own is made then, and dropped again once it has run.
const NO_DEFERRED = Object.freeze([]);
function deferredOf(actor) {
  return actor._deferred === NO_DEFERRED ? (actor._deferred = []) : actor._deferred;
}
function scopeStopChild(child) {
  if (child._parent !== this) {
    throw new Error(\`Cannot stop child actor \${child.id} of \${this.id} because it is not a child\`);
  }
  child._stop();
}
function scopeEmit(emittedEvent) {
  const actor = this;
  const listeners = actor.eventListeners.get(emittedEvent.type);
  const wildcardListener = actor.eventListeners.get('*');
  if (!listeners && !wildcardListener) {
    return;
  }
  const allListeners = [...(listeners ? listeners.values() : []), ...(wildcardListener ? wildcardListener.values() : [])];
  for (const handler of allListeners) {
    try {
      handler(emittedEvent);
    } catch (err) {
      reportUnhandledError(err);
    }
  }
}
function scopeActionExecutor(action) {
  const actor = this;
  // A closure only for an action that waits for the actor to run.
  if (actor._processingStatus === ProcessingStatus.Running) {
    executeAction(actor, action);
  } else {
    deferredOf(actor).push(() => executeAction(actor, action));
  }
}
function executeAction(actor, action) {
  if (actor.system._inspectors?.size !== 0) actor.system._sendInspectionEvent({
    type: '@xstate.action',
    actorRef: actor,
    action: {
      type: action.type,
      params: action.params
    }
  });
  if (!action.exec) {
    return;
  }
  const saveExecutingCustomAction = executingCustomAction;
  try {
    executingCustomAction = true;
    action.exec(action.info, action.params);
  } finally {
    executingCustomAction = saveExecutingCustomAction;
  }
}
// Shared empty collections for the actors and snapshots that never get any (nearly all of
// Stepwise's): the only places that add to them (patched below) put a fresh one in first.
const NO_OBSERVERS = new Set();
const NO_LISTENERS = new Map();
const NO_TAGS = new Set();
function tagsOf(nodes) {
  for (let i = 0; i < nodes.length; i++) if (nodes[i].tags.length > 0) return new Set(nodes.flatMap(sn => sn.tags));
  return NO_TAGS;
}
function childrenWithout(children, id) {
  const kept = {};
  for (const key of Object.keys(children)) if (key !== id) kept[key] = children[key];
  return kept;
}
function targetlessMicrostep(transition, currentSnapshot, actorScope, event, internalQueue, actions) {
  let nextState = resolveActionsAndContext(currentSnapshot, event, actorScope, transition.actions, internalQueue, undefined);
  if (nextState.status === 'done') nextState = exitAll(nextState, currentSnapshot._nodes.slice(), event, actorScope, internalQueue);
  return [nextState, actions];
}
// A machine that is done runs the exit actions of every node it is in, deepest first, as
// XState's microstep does; \`nodes\` is sorted in place (XState keeps that order as the nodes).
// By insertion and loops: the list holds a few nodes (two in a Stepwise scope), and
// Array.prototype.sort made its work space and flatMap its closure and list every time, some
// 870 bytes per machine's end. Orders are distinct, so any sort gives the same list.
function exitAll(nextState, nodes, event, actorScope, internalQueue) {
  for (let i = 1; i < nodes.length; i++) {
    const node = nodes[i];
    let j = i - 1;
    for (; j >= 0 && nodes[j].order < node.order; j--) nodes[j + 1] = nodes[j];
    nodes[j + 1] = node;
  }
  const exits = [];
  for (let i = 0; i < nodes.length; i++) {
    const exit = nodes[i].exit;
    for (let j = 0; j < exit.length; j++) exits.push(exit[j]);
  }
  return resolveActionsAndContext(nextState, event, actorScope, exits, internalQueue, undefined);
}
// A transition from an atomic state to an atomic sibling under a compound parent (or into
// itself, re-entering): nothing else exits or enters, so the exit, transition and entry actions
// run in XState's order without working out the exit and entry sets.
function isSiblingMove(transition) {
  const target = transition.target;
  if (target.length !== 1) return false;
  const source = transition.source;
  const next = target[0];
  return source.type === 'atomic' && (next.type === 'atomic' || isRootFinal(next)) && source.parent === next.parent && source.parent?.type === 'compound' && (source !== next || transition.reenter);
}
// A final state whose parent is the machine's root: entering it ends the machine (every
// Stepwise scope ends in one).
function isRootFinal(node) {
  return node.type === 'final' && node.parent !== undefined && node.parent.parent === undefined;
}
const NO_IDS = [];
// The initial microstep of a machine whose root is compound with an atomic initial child (every
// Stepwise scope run as a machine): the initial transition targets the root and that child, and
// XState's general algorithm enters the root (entry actions, invoked children, its initial
// transition's actions), then the child the same way, and lists them in that order.
function isRootEntry(transition, currentSnapshot) {
  const root = transition.source;
  const target = transition.target;
  return root.parent === undefined && root.type === 'compound' && transition.reenter && transition.actions.length === 0 && target.length === 2 && target[0] === root && target[1].parent === root && target[1].type === 'atomic' && currentSnapshot._nodes.length === 1 && currentSnapshot._nodes[0] === root;
}
function rootEntryMicrostep(transition, currentSnapshot, actorScope, event, internalQueue, actions) {
  const root = transition.source;
  const child = transition.target[1];
  let nextState = enterNode(currentSnapshot, root, event, actorScope, internalQueue);
  nextState = enterNode(nextState, child, event, actorScope, internalQueue);
  // No final state is entered (the child is atomic), so the machine is not done here.
  return [cloneMachineSnapshot(nextState, {
    _nodes: rootPairOf(child),
    historyValue: currentSnapshot.historyValue
  }), actions];
}
// The nodes of a snapshot in a child of the machine's root, [root, child] (every state of a
// Stepwise scope): one list per child that all snapshots in it share, where each start and each
// move made one (64 bytes kept by every parked execution). Nothing writes into a snapshot's
// nodes; a done machine's exits are sorted in a copy. Not frozen: frozen, task-heavy's steady
// rate was 11% lower (not frozen, 19% higher; 12 interleaved pairs each), probably because a
// frozen array has an elements kind of its own and the loops over snapshots' nodes met two.
const ROOT_PAIRS = new WeakMap();
function rootPairOf(child) {
  let pair = ROOT_PAIRS.get(child);
  if (pair === undefined) ROOT_PAIRS.set(child, pair = [child.parent, child]);
  return pair;
}
const NO_ACTIONS = [];
// A node entered as XState's enterStates enters it: its entry actions, its invoked children, then
// its initial transition's actions (only a compound node's can have any; each read of a node's
// \`initial\` builds a closure, so an atomic or final node's is not read).
function enterNode(snapshot, node, event, actorScope, internalQueue) {
  const invoke = node.invoke;
  const initialActions = node.type === 'compound' ? node.initial.actions : NO_ACTIONS;
  const actions = invoke.length === 0 && initialActions.length === 0 ? node.entry : [...node.entry, ...invoke.map(invokeDef => spawnChild(invokeDef.src, {
    ...invokeDef,
    syncSnapshot: !!invokeDef.onSnapshot
  })), ...initialActions];
  return resolveActionsAndContext(snapshot, event, actorScope, actions, internalQueue, invoke.length === 0 ? NO_IDS : invoke.map(invokeDef => invokeDef.id));
}
function siblingMicrostep(transition, currentSnapshot, actorScope, event, internalQueue, actions) {
  const source = transition.source;
  const target = transition.target[0];
  // Each read of a state node's \`invoke\` builds a closure (XState's memo): read once.
  const sourceInvoke = source.invoke;
  const exit = sourceInvoke.length === 0 ? source.exit : [...source.exit, ...sourceInvoke.map(def => stopChild(def.id))];
  let nextState = resolveActionsAndContext(currentSnapshot, event, actorScope, exit, internalQueue, undefined);
  nextState = resolveActionsAndContext(nextState, event, actorScope, transition.actions, internalQueue, undefined);
  nextState = enterNode(nextState, target, event, actorScope, internalQueue);
  if (target.type === 'final') {
    // What XState's enterStates does on entering a final child of the root: the root's done
    // event queued, then the machine done with its output.
    internalQueue.push(createDoneStateEvent(target.parent.id, target.output !== undefined ? resolveOutput(target.output, nextState.context, event, actorScope.self) : undefined));
    nextState = cloneMachineSnapshot(nextState, {
      status: 'done',
      output: getMachineOutput(nextState, event, actorScope, nextState.machine.root, target)
    });
  }
  let nextStateNodes;
  if (source !== target && currentSnapshot._nodes.length === 2 && source.parent.parent === undefined) {
    // [root, source] becomes [root, target].
    nextStateNodes = rootPairOf(target);
  } else if (source !== target) {
    // XState's order (the source taken out, the target last), in a list of the exact size
    // that a parked execution keeps (a list grown by push keeps room for 17).
    nextStateNodes = currentSnapshot._nodes.slice();
    const at = nextStateNodes.indexOf(source);
    nextStateNodes.copyWithin(at, at + 1);
    nextStateNodes[nextStateNodes.length - 1] = target;
  }
  if (nextState.status === 'done') {
    // Sorted in a copy, which a moved machine keeps as its nodes (XState's order for a done one).
    const exiting = (nextStateNodes ?? currentSnapshot._nodes).slice();
    nextState = exitAll(nextState, exiting, event, actorScope, internalQueue);
    if (nextStateNodes) nextStateNodes = exiting;
  }
  if (!nextStateNodes) return [nextState, actions];
  return [cloneMachineSnapshot(nextState, {
    _nodes: nextStateNodes,
    historyValue: currentSnapshot.historyValue
  }), actions];
}
function collectAction(actions, originalExecutor, action) {
  actions.push(action);
  originalExecutor.call(this, action);
}
`;

/** XState's scope literal in the Actor constructor: four closures per actor (see ActorScope). */
const ACTOR_SCOPE_LITERAL = [
  "    this._actorScope = {",
  "      self: this,",
  "      id: this.id,",
  "      sessionId: this.sessionId,",
  "      logger: this.logger,",
  "      defer: fn => {",
  "        this._deferred.push(fn);",
  "      },",
  "      system: this.system,",
  "      stopChild: child => {",
  "        if (child._parent !== this) {",
  "          throw new Error(`Cannot stop child actor ${child.id} of ${this.id} because it is not a child`);",
  "        }",
  "        child._stop();",
  "      },",
  "      emit: emittedEvent => {",
  "        const listeners = this.eventListeners.get(emittedEvent.type);",
  "        const wildcardListener = this.eventListeners.get('*');",
  "        if (!listeners && !wildcardListener) {",
  "          return;",
  "        }",
  "        const allListeners = [...(listeners ? listeners.values() : []), ...(wildcardListener ? wildcardListener.values() : [])];",
  "        for (const handler of allListeners) {",
  "          try {",
  "            handler(emittedEvent);",
  "          } catch (err) {",
  "            reportUnhandledError(err);",
  "          }",
  "        }",
  "      },",
  "      actionExecutor: action => {",
  "        const exec = () => {",
  "          this._actorScope.system._sendInspectionEvent({",
  "            type: '@xstate.action',",
  "            actorRef: this,",
  "            action: {",
  "              type: action.type,",
  "              params: action.params",
  "            }",
  "          });",
  "          if (!action.exec) {",
  "            return;",
  "          }",
  "          const saveExecutingCustomAction = executingCustomAction;",
  "          try {",
  "            executingCustomAction = true;",
  "            action.exec(action.info, action.params);",
  "          } finally {",
  "            executingCustomAction = saveExecutingCustomAction;",
  "          }",
  "        };",
  "        if (this._processingStatus === ProcessingStatus.Running) {",
  "          exec();",
  "        } else {",
  "          this._deferred.push(exec);",
  "        }",
  "      }",
  "    };",
].join('\n');

/**
 * XState's Mailbox, as methods of the actor over three fields of its own, where XState made a
 * Mailbox object per actor (56 bytes and the actor's field for it; 40 bytes less per actor, kept
 * by every parked execution) and a new one when the actor stopped. Same queue, same order:
 * events sent before the actor starts or while it processes one wait their turn; a stop drops
 * what waits behind the event being processed. Stepwise never reads an actor's `mailbox`.
 */
const MAILBOX_METHODS = [
  '  _enqueue(event) {',
  '    const enqueued = {',
  '      value: event,',
  '      next: null',
  '    };',
  '    if (this._mailboxCurrent) {',
  '      this._mailboxLast.next = enqueued;',
  '      this._mailboxLast = enqueued;',
  '      return;',
  '    }',
  '    this._mailboxCurrent = enqueued;',
  '    this._mailboxLast = enqueued;',
  '    if (this._mailboxActive) {',
  '      this._flushMailbox();',
  '    }',
  '  }',
  '  _flushMailbox() {',
  '    while (this._mailboxCurrent) {',
  '      const consumed = this._mailboxCurrent;',
  '      this._process(consumed.value);',
  '      this._mailboxCurrent = consumed.next;',
  '    }',
  '    this._mailboxLast = null;',
  '  }',
  '  _clearMailbox() {',
  '    if (this._mailboxCurrent) {',
  '      this._mailboxCurrent.next = null;',
  '      this._mailboxLast = this._mailboxCurrent;',
  '    }',
  '  }',
  '',
].join('\n');

/** [name, exact text in XState's build, replacement]; every one must match exactly once. */
const PATCHES = [
  // The constructors and helpers go in front of the first function they serve.
  ['done event', 'function createDoneActorEvent(invokeId, output) {\n  return {\n    type: `xstate.done.actor.${invokeId}`,\n    output,\n    actorId: invokeId\n  };\n}',
    `${CONSTRUCTORS}function createDoneActorEvent(invokeId, output) {\n  return new DoneActorEvent(\`xstate.done.actor.\${invokeId}\`, output, invokeId);\n}`],
  ['options merge', 'const resolvedOptions = {\n      ...defaultOptions,\n      ...options\n    };', 'const resolvedOptions = Object.assign(new PlainObject(), defaultOptions, options);'],
  ['actor scope', ACTOR_SCOPE_LITERAL, '    this.actionExecutor = scopeActionExecutor;'],
  ['no actor scope member', '    // TODO: add typings for system\n    this._actorScope = void 0;\n', ''],
  ['scope at init', 'this.logic.restoreSnapshot(persistedState, this._actorScope) : persistedState : this.logic.getInitialSnapshot(this._actorScope, this.options?.input);',
    'this.logic.restoreSnapshot(persistedState, this) : persistedState : this.logic.getInitialSnapshot(this, this.options?.input);'],
  ['scope at start', '        this.logic.start(this._snapshot, this._actorScope);', '        this.logic.start(this._snapshot, this);'],
  ['scope per event', '      nextState = this.logic.transition(this._snapshot, event, this._actorScope);', '      nextState = this.logic.transition(this._snapshot, event, this);'],
  ['microstep executor', '  actorScope.actionExecutor = action => {\n    actions.push(action);\n    originalExecutor(action);\n  };',
    '  actorScope.actionExecutor = collectAction.bind(actorScope, actions, originalExecutor);'],
  ['action args', '    const actionArgs = {\n      context: intermediateSnapshot.context,\n      event,\n      self: actorScope.self,\n      system: actorScope.system\n    };',
    '    const actionArgs = new ActionArgs(intermediateSnapshot.context, event, actorScope.self, actorScope.system);'],
  ['deferred action', '      actorScope.actionExecutor({\n        type: builtinAction.type,\n        info: actionArgs,\n        params,\n        exec: builtinAction.execute.bind(null, actorScope, params)\n      });',
    '      actorScope.actionExecutor(new DeferredAction(builtinAction.type, actionArgs, params, builtinAction.execute.bind(null, actorScope, params)));'],
  ['stop copy', '    children = {\n      ...children\n    };\n    delete children[resolvedActorRef.id];', '    children = childrenWithout(children, resolvedActorRef.id);'],
  ['targetless microstep', '  try {\n    const mutStateNodeSet = new Set(currentSnapshot._nodes);',
    '  try {\n    if (!isInitial && transitions.length === 1) {\n      if (!transitions[0].target?.length) return targetlessMicrostep(transitions[0], currentSnapshot, actorScope, event, internalQueue, actions);\n      if (isSiblingMove(transitions[0])) return siblingMicrostep(transitions[0], currentSnapshot, actorScope, event, internalQueue, actions);\n    }\n    if (isInitial && transitions.length === 1 && isRootEntry(transitions[0], currentSnapshot)) return rootEntryMicrostep(transitions[0], currentSnapshot, actorScope, event, internalQueue, actions);\n    const mutStateNodeSet = new Set(currentSnapshot._nodes);'],
  ['one transition', 'function removeConflictingTransitions(enabledTransitions, stateNodeSet, historyValue) {\n',
    'function removeConflictingTransitions(enabledTransitions, stateNodeSet, historyValue) {\n  if (enabledTransitions.length < 2) return enabledTransitions.slice();\n'],
  ['eventless selection', `function selectEventlessTransitions(nextState, event) {
  const enabledTransitionSet = new Set();
  const atomicStates = nextState._nodes.filter(isAtomicStateNode);
  for (const stateNode of atomicStates) {
    loop: for (const s of [stateNode].concat(getProperAncestors(stateNode, undefined))) {
      if (!s.always) {
        continue;
      }
      for (const transition of s.always) {
        if (transition.guard === undefined || evaluateGuard(transition.guard, nextState.context, event, nextState)) {
          enabledTransitionSet.add(transition);
          break loop;
        }
      }
    }
  }
  return removeConflictingTransitions(Array.from(enabledTransitionSet), new Set(nextState._nodes), nextState.historyValue);
}`, `function selectEventlessTransitions(nextState, event) {
  const enabled = [];
  const nodes = nextState._nodes;
  for (let n = 0; n < nodes.length; n++) {
    const stateNode = nodes[n];
    if (!isAtomicStateNode(stateNode)) continue;
    loop: for (let s = stateNode; s; s = s.parent) {
      if (!s.always) {
        continue;
      }
      for (let t = 0; t < s.always.length; t++) {
        const transition = s.always[t];
        if (transition.guard === undefined || evaluateGuard(transition.guard, nextState.context, event, nextState)) {
          if (!enabled.includes(transition)) enabled.push(transition);
          break loop;
        }
      }
    }
  }
  return enabled.length < 2 ? enabled : removeConflictingTransitions(enabled, new Set(nextState._nodes), nextState.historyValue);
}`],
  ['snapshot history constant', 'function createMachineSnapshot(config, machine) {', 'const NO_HISTORY = Object.freeze({});\nfunction createMachineSnapshot(config, machine) {'],
  ['shared empty history', '    historyValue: config.historyValue || {},', '    historyValue: config.historyValue || NO_HISTORY,'],
  ['no children class', 'class StateMachine {', 'const NO_CHILDREN = Object.freeze({});\nclass StateMachine {'],
  ['no children pre-initial', "      context: typeof context !== 'function' && context ? context : {},\n      _nodes: [this.root],\n      children: {},", "      context: typeof context !== 'function' && context ? context : {},\n      _nodes: [this.root],\n      children: NO_CHILDREN,"],
  ['no children initial', "      context: typeof this.config.context !== 'function' && this.config.context ? this.config.context : {},\n      _nodes: [this.root],\n      children: {},", "      context: typeof this.config.context !== 'function' && this.config.context ? this.config.context : {},\n      _nodes: [this.root],\n      children: NO_CHILDREN,"],
  ['shared deferred list', '    // array of functions to defer\n    this._deferred = [];', '    // array of functions to defer (see deferredOf)\n    this._deferred = NO_DEFERRED;'],
  ['deferred drained', '    while (deferredFn = this._deferred.shift()) {', '    while (this._deferred !== NO_DEFERRED && (deferredFn = this._deferred.shift() ?? (this._deferred = NO_DEFERRED, undefined))) {'],
  ['deferred dropped', '        this._deferred.length = 0;', '        this._deferred = NO_DEFERRED;'],
  ['unbound send', '\n\n    // Ensure that the send method is bound to this Actor instance\n    // if destructured\n    this.send = this.send.bind(this);', ''],
  ['snapshot tags shared when none', '    value: getStateValue(machine.root, config._nodes),\n    tags: new Set(config._nodes.flatMap(sn => sn.tags)),',
    '    value: getStateValue(machine.root, config._nodes),\n    tags: tagsOf(config._nodes),'],
  // A snapshot's five methods on a prototype they share, as a class's would be, instead of
  // five members of every snapshot (40 bytes of each parked execution's actor). They stay
  // enumerable, as before; only a spread or Object.keys no longer copies or lists them.
  ['snapshot methods shared', `  return {
    status: config.status,
    output: config.output,
    error: config.error,
    machine,
    context: config.context,
    _nodes: config._nodes,
    value: getStateValue(machine.root, config._nodes),
    tags: tagsOf(config._nodes),
    children: config.children,
    historyValue: config.historyValue || NO_HISTORY,
    matches: machineSnapshotMatches,
    hasTag: machineSnapshotHasTag,
    can: machineSnapshotCan,
    getMeta: machineSnapshotGetMeta,
    toJSON: machineSnapshotToJSON
  };`, `  return new MachineSnapshot(config.status, config.output, config.error, machine, config.context, config._nodes,
    getStateValue(machine.root, config._nodes), tagsOf(config._nodes), config.children, config.historyValue || NO_HISTORY);`],
  ['snapshot constructor', 'const NO_HISTORY = Object.freeze({});\n', `const NO_HISTORY = Object.freeze({});
// A snapshot's output, error and tags are its own only when it has them: most have none (every
// active one, no tag in Stepwise's machines) and read the prototype's, 24 bytes less for each
// parked execution's actor. In XState's order when set; JSON and persisted snapshots leave out
// undefined members either way.
function MachineSnapshot(status, output, error, machine, context, _nodes, value, tags, children, historyValue) {
  this.status = status;
  if (output !== undefined) this.output = output;
  if (error !== undefined) this.error = error;
  this.machine = machine; this.context = context; this._nodes = _nodes; this.value = value;
  if (tags !== NO_TAGS) this.tags = tags;
  this.children = children; this.historyValue = historyValue;
}
MachineSnapshot.prototype = {
  matches: machineSnapshotMatches, hasTag: machineSnapshotHasTag, can: machineSnapshotCan, getMeta: machineSnapshotGetMeta, toJSON: machineSnapshotToJSON,
  output: undefined, error: undefined, tags: NO_TAGS,
};
`],
  // Once started, an actor reads none of the options it was created with (its clock, logger and
  // parent are members of its own): a shared empty object takes their place, 64 bytes less for
  // each parked execution's actor.
  ['options released', "    if (this.options.devTools) {\n      this.attachDevTools();\n    }\n    this.mailbox.start();\n    return this;",
    "    if (this.options.devTools) {\n      this.attachDevTools();\n    }\n    this.options = STARTED_OPTIONS;\n    this._mailboxActive = true;\n    this._flushMailbox();\n    return this;"],
  ['started options', 'class Mailbox {', 'const STARTED_OPTIONS = Object.freeze({});\nclass Mailbox {'],
  // A context function's result is taken as the context itself (XState copies it into a new
  // object): the only assign Stepwise's machines run is XState's own for their context function,
  // over the empty pre-initial context, so a copy would only add an object per actor and drop
  // the result's prototype. Any other assign merges as before.
  ['context taken as is', '  const updatedContext = Object.assign({}, snapshot.context, partialUpdate);',
    '  const updatedContext = isEmptyContext(snapshot.context) && typeof partialUpdate === \'object\' && partialUpdate !== null ? partialUpdate : Object.assign({}, snapshot.context, partialUpdate);'],
  ['empty context', 'function resolveAssign(', 'function isEmptyContext(context) {\n  for (const _ in context) return false;\n  return true;\n}\nfunction resolveAssign('],
  // Three members an actor holds only in XState's rarer uses, read from Actor.prototype instead
  // when not set (24 bytes of each actor): `ref` (the actor itself), `_syncSnapshot` (set only
  // for a child that syncs its snapshot) and `systemId` (set only for an actor given one).
  ['no sync snapshot member', '    this._syncSnapshot = void 0;\n    this.ref = void 0;\n', ''],
  ['no system id member', '    this.systemId = void 0;\n', ''],
  ['sync snapshot when asked', '    this._syncSnapshot = syncSnapshot;', '    if (syncSnapshot) this._syncSnapshot = syncSnapshot;'],
  ['ref from prototype', '    this.ref = this;\n', ''],
  ['actor prototype defaults', 'function createActor(logic, ...[options]) {', `// An actor is its own scope: the members of the literal XState builds are the actor's own
// (id, sessionId, logger, system), two more on its prototype (self, the actor itself; and
// _actorScope, the scope, the actor itself again), its functions shared by every actor on its
// prototype (defer, stopChild, emit), and actionExecutor an own member, which microstep swaps.
// One object less per actor than a scope of its own: 40 bytes, for one member more.
Object.defineProperties(Actor.prototype, {
  self: { get() { return this; }, configurable: true },
  _actorScope: { get() { return this; }, configurable: true },
  defer: { value: scopeDefer, writable: true, configurable: true },
  stopChild: { value: scopeStopChild, writable: true, configurable: true },
  emit: { value: scopeEmit, writable: true, configurable: true },
});
Object.defineProperty(Actor.prototype, 'ref', { get() { return this; }, configurable: true });
Actor.prototype._syncSnapshot = undefined;
Actor.prototype.systemId = undefined;
// An actor's clock and logger are its system's and its source is its logic unless its options
// name others (Stepwise's never do; a spawned child is given its logic as its source): read from
// there through the prototype, an own member only when given (see ownMember), which is slow and
// gives the actor a shape of its own. 24 bytes of each actor.
Object.defineProperties(Actor.prototype, {
  clock: { get() { return this.system._clock; }, set(value) { ownMember(this, 'clock', value); }, configurable: true },
  logger: { get() { return this.system._logger; }, set(value) { ownMember(this, 'logger', value); }, configurable: true },
  src: { get() { return this.logic; }, set(value) { ownMember(this, 'src', value); }, configurable: true },
});
function ownMember(actor, key, value) {
  Object.defineProperty(actor, key, { value, writable: true, enumerable: true, configurable: true });
}
function createActor(logic, ...[options]) {`],
  // The members those accessors answer for: set only when the options name them.
  ['no clock member', '    /**\n     * The clock that is responsible for setting and clearing timeouts, such as\n     * delayed events and transitions.\n     */\n    this.clock = void 0;\n', ''],
  ['no logger member', '    this.logger = void 0;\n', ''],
  ['no src member', '    this.src = void 0;\n', ''],
  ['clock and logger when given', '    this.logger = options?.logger ?? this.system._logger;\n    this.clock = options?.clock ?? this.system._clock;',
    '    if (options?.logger != null) this.logger = options.logger;\n    if (options?.clock != null) this.clock = options.clock;'],
  // A spawned child is given its logic as its source: only another source (a name) is its own.
  ['src when given', '    this.src = resolvedOptions.src ?? logic;', '    if (resolvedOptions.src != null && resolvedOptions.src !== logic) this.src = resolvedOptions.src;'],
  // A context function is applied as XState's own assign, made once per machine, and resolved
  // directly: resolveActionsAndContext's loop did nothing more for it (an assign has no retry,
  // nothing to execute and no nested actions), and a new assign action and closure were made for
  // every actor started.
  ['context assign once', `      const assignment = ({
        spawn,
        event,
        self
      }) => context({
        spawn,
        input: event.input,
        self
      });
      return dist_xstateGuards.resolveActionsAndContext(preInitial, initEvent, actorScope, [assign.assign(assignment)], internalQueue, undefined);`,
    `      const action = this._contextAssign ??= assign.assign(({
        spawn,
        event,
        self
      }) => context({
        spawn,
        input: event.input,
        self
      }));
      return action.resolve(actorScope, preInitial, { context: preInitial.context, event: initEvent, self: actorScope.self, system: actorScope.system }, undefined, action, { internalQueue, deferredActorIds: undefined })[0];`],
  ['snapshot clone', 'function cloneMachineSnapshot(snapshot, config = {}) {\n  return createMachineSnapshot({\n    ...snapshot,\n    ...config\n  }, snapshot.machine);\n}',
    `// Each member from \`config\` where it has one, else from the snapshot, as the merge of the two
// by spreads gave, without building that merged object (a spread of a MachineSnapshot, whose
// prototype is not Object.prototype, takes V8's slower clone path). The state value and tags
// are kept when the nodes are.
function cloneMachineSnapshot(snapshot, config = {}) {
  const nodes = '_nodes' in config ? config._nodes : snapshot._nodes;
  const sameNodes = nodes === snapshot._nodes && snapshot.tags !== undefined;
  return new MachineSnapshot(
    'status' in config ? config.status : snapshot.status,
    'output' in config ? config.output : snapshot.output,
    'error' in config ? config.error : snapshot.error,
    snapshot.machine,
    'context' in config ? config.context : snapshot.context,
    nodes,
    sameNodes ? snapshot.value : getStateValue(snapshot.machine.root, nodes),
    sameNodes ? snapshot.tags : tagsOf(nodes),
    'children' in config ? config.children : snapshot.children,
    ('historyValue' in config ? config.historyValue : snapshot.historyValue) || NO_HISTORY);
}`],
  ['unread registry', '    _register: (sessionId, actorRef) => {\n      children.set(sessionId, actorRef);\n      return sessionId;\n    },\n    _unregister: actorRef => {\n      children.delete(actorRef.sessionId);',
    '    _register: (sessionId, actorRef) => {\n      return sessionId;\n    },\n    _unregister: actorRef => {'],
  ['empty collections', '    this.observers = new Set();\n    this.eventListeners = new Map();', '    this.observers = NO_OBSERVERS;\n    this.eventListeners = NO_LISTENERS;'],
  ['observer added', '      this.observers.add(observer);', '      if (this.observers === NO_OBSERVERS) this.observers = new Set();\n      this.observers.add(observer);'],
  ['listener added', '      this.eventListeners.set(type, listeners);', '      if (this.eventListeners === NO_LISTENERS) this.eventListeners = new Map();\n      this.eventListeners.set(type, listeners);'],
  ['spawn arguments', 'function spawnChild(...[src, {\n  id,\n  systemId,\n  input,\n  syncSnapshot = false\n} = {}]) {', 'function spawnChild(src, {\n  id,\n  systemId,\n  input,\n  syncSnapshot = false\n} = {}) {'],
  ['actions by index', '  let intermediateSnapshot = currentSnapshot;\n  for (const action of actions) {\n', '  let intermediateSnapshot = currentSnapshot;\n  const list = actions;\n  for (let i = 0; i < list.length; i++) {\n    const action = list[i];\n'],
  ['resolved by index', '    const [nextState, params, actions] = builtinAction.resolve(actorScope, intermediateSnapshot, actionArgs, actionParams, resolvedAction,\n    // this holds all params\n    extra);',
    '    const resolved = builtinAction.resolve(actorScope, intermediateSnapshot, actionArgs, actionParams, resolvedAction,\n    // this holds all params\n    extra);\n    const nextState = resolved[0], params = resolved[1], actions = resolved[2];'],
  ['children unregistered by index', '    for (const child of Object.values(snapshot.children)) {\n      unregisterRecursively(actorScope, child);\n    }',
    '    const children = Object.values(snapshot.children);\n    for (let i = 0; i < children.length; i++) {\n      unregisterRecursively(actorScope, children[i]);\n    }'],
  ['children started by index', "    Object.values(snapshot.children).forEach(child => {\n      if (child.getSnapshot().status === 'active') {\n        child.start();\n      }\n    });",
    "    const children = Object.values(snapshot.children);\n    for (let i = 0; i < children.length; i++) {\n      if (children[i].getSnapshot().status === 'active') {\n        children[i].start();\n      }\n    }"],
  ['spawn params', '  }), {\n    id,\n    systemId,\n    actorRef,\n    src,\n    input: resolvedInput\n  }, undefined];',
    '  }), new SpawnParams(id, systemId, actorRef, src, resolvedInput), undefined];'],
  ['flat state value', 'function getStateValue(rootNode, stateNodes) {\n',
    'function getStateValue(rootNode, stateNodes) {\n  if (stateNodes.length === 1 && stateNodes[0] === rootNode && rootNode.type === \'compound\') {\n    const initial = rootNode.initial.target[0];\n    if (initial.parent === rootNode && isAtomicStateNode(initial)) return initial.key;\n  }\n  if (stateNodes.length === 2 && rootNode.type === \'compound\') {\n    const child = stateNodes[0] === rootNode ? stateNodes[1] : stateNodes[1] === rootNode ? stateNodes[0] : undefined;\n    if (child !== undefined && child.parent === rootNode && isAtomicStateNode(child)) return child.key;\n  }\n'],
  // An actor's mailbox in three fields of its own, not an object (see MAILBOX_METHODS).
  ['actor mailbox', '    this.mailbox = new Mailbox(this._process.bind(this));\n    this.observers = NO_OBSERVERS;', '    this._mailboxActive = false;\n    this._mailboxCurrent = null;\n    this._mailboxLast = null;\n    this.observers = NO_OBSERVERS;'],
  ['stopped actor mailbox', '    this.mailbox = new Mailbox(this._process.bind(this));\n    this._processingStatus = ProcessingStatus.Stopped;', '    this._mailboxActive = false;\n    this._mailboxCurrent = null;\n    this._mailboxLast = null;\n    this._processingStatus = ProcessingStatus.Stopped;'],
  ['mailbox methods', '  _process(event) {\n    let nextState;', `${MAILBOX_METHODS}  _process(event) {\n    let nextState;`],
  ['stop clears mailbox', '    this.mailbox.clear();\n    if (this._processingStatus === ProcessingStatus.NotStarted) {', '    this._clearMailbox();\n    if (this._processingStatus === ProcessingStatus.NotStarted) {'],
  ['stop enqueues', '    this.mailbox.enqueue({\n      type: XSTATE_STOP\n    });', '    this._enqueue({\n      type: XSTATE_STOP\n    });'],
  ['stopped clears mailbox', '    // TODO: mailbox.reset\n    this.mailbox.clear();', '    // TODO: mailbox.reset\n    this._clearMailbox();'],
  ['send enqueues', '    this.mailbox.enqueue(event);\n  }', '    this._enqueue(event);\n  }'],
  ['active observers', "      case 'active':\n        for (const observer of this.observers) {", "      case 'active':\n        if (this.observers.size !== 0) for (const observer of this.observers) {"],
  ['done observers', "      case 'done':\n        // next observers are meant to be notified about done snapshots", "      case 'done':\n        if (this.observers.size !== 0)\n        // next observers are meant to be notified about done snapshots"],
  ['complete observers', '  _complete() {\n    for (const observer of this.observers) {', '  _complete() {\n    if (this.observers.size !== 0) for (const observer of this.observers) {'],
  // Inspection events are built only when someone inspects (XState built each and then dropped it).
  ['inspectors', '    _sendInspectionEvent: sendInspectionEvent,\n', '    _sendInspectionEvent: sendInspectionEvent,\n    _inspectors: inspectionObservers,\n'],
  ['inspect relay', "      system._sendInspectionEvent({\n        type: '@xstate.event',\n        sourceRef: source,", "      if (inspectionObservers.size !== 0) system._sendInspectionEvent({\n        type: '@xstate.event',\n        sourceRef: source,"],
  ['inspect actor', "    this.system._sendInspectionEvent({\n      type: '@xstate.actor',", "    if (this.system._inspectors?.size !== 0) this.system._sendInspectionEvent({\n      type: '@xstate.actor',"],
  ['inspect snapshot', "    this.system._sendInspectionEvent({\n      type: '@xstate.snapshot',", "    if (this.system._inspectors?.size !== 0) this.system._sendInspectionEvent({\n      type: '@xstate.snapshot',"],
  ['inspect init', "    this.system._sendInspectionEvent({\n      type: '@xstate.event',\n      sourceRef: this._parent,", "    if (this.system._inspectors?.size !== 0) this.system._sendInspectionEvent({\n      type: '@xstate.event',\n      sourceRef: this._parent,"],
  ['inspect microstep', "    actorScope.system._sendInspectionEvent({\n      type: '@xstate.microstep',", "    if (actorScope.system._inspectors?.size !== 0) actorScope.system._sendInspectionEvent({\n      type: '@xstate.microstep',"],
  // Less made per event: a state node's candidate transitions by event type in a Map, the memoised
  // getters read without building memo's closure, no unread list of actions, and no microstep
  // list for transition(), which reads only the snapshot.
  ['memo helpers', 'const cache = new WeakMap();\nfunction memo(object, key, fn) {',
    "const cache = new WeakMap();\n// What memo keeps for an object under a key, if anything, read without the closure memo needs.\nfunction memoized(object, key) {\n  const data = cache.get(object);\n  return data === undefined ? undefined : data[key];\n}\n// A state node's candidate transitions for an event type, kept in a Map per node where memo\n// made a `candidates-<type>` string for every event and looked it up in a dictionary.\nconst candidatesByNode = new WeakMap();\nfunction candidatesOf(node, eventType) {\n  let byType = candidatesByNode.get(node);\n  if (byType === undefined) candidatesByNode.set(node, byType = new Map());\n  let candidates = byType.get(eventType);\n  if (candidates === undefined) byType.set(eventType, candidates = dist_xstateGuards.getCandidates(node, eventType));\n  return candidates;\n}\nfunction memo(object, key, fn) {"],
  ['invoke read', "  get invoke() {\n    return memo(this, 'invoke', () =>", "  get invoke() {\n    return memoized(this, 'invoke') ?? memo(this, 'invoke', () =>"],
  ['initial read', "  get initial() {\n    return memo(this, 'initial', () =>", "  get initial() {\n    return memoized(this, 'initial') ?? memo(this, 'initial', () =>"],
  ['candidates by type', '    const eventType = event.type;\n    const actions = [];\n    let selectedTransition;\n    const candidates = memo(this, `candidates-${eventType}`, () => dist_xstateGuards.getCandidates(this, eventType));',
    '    const eventType = event.type;\n    let selectedTransition;\n    const candidates = candidatesOf(this, eventType);'],
  ['unread actions', '        actions.push(...candidate.actions);\n        selectedTransition = candidate;', '        selectedTransition = candidate;'],
  ['macrostep list', 'function macrostep(snapshot, event, actorScope, internalQueue) {\n  let nextSnapshot = snapshot;\n  const microsteps = [];',
    'const NO_MICROSTEPS = Object.freeze([]);\nfunction macrostep(snapshot, event, actorScope, internalQueue, keepMicrosteps = true) {\n  let nextSnapshot = snapshot;\n  const microsteps = keepMicrosteps ? [] : NO_MICROSTEPS;'],
  ['macrostep push', '    microsteps.push(step);\n  }', '    if (keepMicrosteps) microsteps.push(step);\n  }'],
  ['transition snapshot only', '    return dist_xstateGuards.macrostep(snapshot, event, actorScope, []).snapshot;', '    return dist_xstateGuards.macrostep(snapshot, event, actorScope, [], false).snapshot;'],
  ['microstep collects', 'function microstep(transitions, currentSnapshot, actorScope, event, isInitial, internalQueue) {\n  const actions = [];\n  if (!transitions.length) {\n    return [currentSnapshot, actions];\n  }\n  const originalExecutor = actorScope.actionExecutor;\n  actorScope.actionExecutor = collectAction.bind(actorScope, actions, originalExecutor);',
    'const NO_COLLECTED_ACTIONS = Object.freeze([]);\nfunction microstep(transitions, currentSnapshot, actorScope, event, isInitial, internalQueue, collectActions = true) {\n  // The actions run, gathered only for callers that read them (transition() does not).\n  const actions = collectActions ? [] : NO_COLLECTED_ACTIONS;\n  if (!transitions.length) {\n    return [currentSnapshot, actions];\n  }\n  const originalExecutor = actorScope.actionExecutor;\n  if (collectActions) actorScope.actionExecutor = collectAction.bind(actorScope, actions, originalExecutor);'],
  ['macrostep first microstep', '    const step = microstep(transitions, snapshot, actorScope, nextEvent, false,\n    // isInitial\n    internalQueue);', '    const step = microstep(transitions, snapshot, actorScope, nextEvent, false,\n    // isInitial\n    internalQueue, keepMicrosteps);'],
  ['macrostep next microsteps', '    const step = microstep(enabledTransitions, nextSnapshot, actorScope, nextEvent, false, internalQueue);', '    const step = microstep(enabledTransitions, nextSnapshot, actorScope, nextEvent, false, internalQueue, keepMicrosteps);'],
  // A root's initial transition made once per machine and shared by its actors (its target
  // nodes never change, and no microstep writes into a transition): XState built the set of
  // initial nodes, a list of them and the transition for every actor it started.
  ['initial microstep', `function initialMicrostep(root, preInitialState, actorScope, initEvent, internalQueue) {
  return microstep([{
    target: [...getInitialStateNodes(root)],
    source: root,
    reenter: true,
    actions: [],
    eventType: null,
    toJSON: null
  }], preInitialState, actorScope, initEvent, true, internalQueue);
}`, `const INITIAL_TRANSITIONS = new WeakMap();
function initialMicrostep(root, preInitialState, actorScope, initEvent, internalQueue, collectActions = true) {
  let transitions = INITIAL_TRANSITIONS.get(root);
  if (transitions === undefined) {
    transitions = [{
      target: [...getInitialStateNodes(root)],
      source: root,
      reenter: true,
      actions: [],
      eventType: null,
      toJSON: null
    }];
    INITIAL_TRANSITIONS.set(root, transitions);
  }
  return microstep(transitions, preInitialState, actorScope, initEvent, true, internalQueue, collectActions);
}`],
  ['initial snapshot only', '      const [nextState] = dist_xstateGuards.initialMicrostep(this.root, snapshot, actorScope, initEvent, internalQueue);\n      const {\n        snapshot: macroState\n      } = dist_xstateGuards.macrostep(nextState, initEvent, actorScope, internalQueue);',
    '      const [nextState] = dist_xstateGuards.initialMicrostep(this.root, snapshot, actorScope, initEvent, internalQueue, false);\n      const {\n        snapshot: macroState\n      } = dist_xstateGuards.macrostep(nextState, initEvent, actorScope, internalQueue, false);'],
  // Clearing a Set or Map allocates a new table even when it is empty (the shared empty ones included).
  ['complete clears', '    this.observers.clear();\n    this.eventListeners.clear();\n  }', '    if (this.observers.size !== 0) this.observers.clear();\n    if (this.eventListeners.size !== 0) this.eventListeners.clear();\n  }'],
];

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
// Stepwise's package is "type": "module"; these files are CommonJS.
writeFileSync(join(outDir, 'package.json'), JSON.stringify({ name: 'xstate', version, type: 'commonjs', private: true }, null, 2) + '\n');
copyFileSync(join(xstateDir, 'LICENSE'), join(outDir, 'LICENSE'));

const applied = new Map(PATCHES.map(([name]) => [name, 0]));
const copied = new Set();
const copy = (file) => {
  if (copied.has(file)) return;
  copied.add(file);
  let source = readFileSync(join(sourceDir, file), 'utf8');
  for (const [name, find, replacement] of PATCHES) {
    const count = source.split(find).length - 1;
    if (count === 0) continue;
    applied.set(name, applied.get(name) + count);
    source = source.replace(find, () => replacement);
  }
  checkUnreadRegistry(file, source);
  writeFileSync(join(outDir, file), source);
  // Its sibling modules (code samples in its comments name other files, never `*.cjs.js` ones).
  for (const [, dep] of source.matchAll(/(?:require\(|from )['"]\.\/([^'"]+\.cjs\.js)['"]/g)) copy(dep);
};
/**
 * The 'unread registry' patch holds only while XState never reads the system's `children` map:
 * after the patch, its declaration must be its only mention in createSystem.
 */
function checkUnreadRegistry(file, source) {
  const start = source.indexOf('\nfunction createSystem(');
  if (start < 0) return;
  const end = source.indexOf('\n}\n', start);
  const mentions = source.slice(start, end).match(/\bchildren\b/g) ?? [];
  if (mentions.length !== 1) {
    console.error(`vendor-xstate: XState ${version}'s createSystem in ${file} uses its children map (${mentions.length} mentions); drop the 'unread registry' patch in scripts/vendor-xstate.mjs.`);
    process.exit(1);
  }
}

copy(ENTRY);

const wrong = [...applied].filter(([, count]) => count !== 1);
if (wrong.length > 0) {
  console.error(`vendor-xstate: XState ${version} does not have the text these patches expect exactly once: ${wrong.map(([name, n]) => `${name} (found ${n})`).join(', ')}; see scripts/vendor-xstate.mjs.`);
  process.exit(1);
}
