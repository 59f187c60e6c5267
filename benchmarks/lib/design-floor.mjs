/**
 * The design's floor as an engine for the benchmark's harness (benchmarks/lib/sample.mjs):
 * a chain of Task states run the way Stepwise's design asks, written by hand with nothing else.
 *
 *   node --expose-gc benchmarks/lib/sample.mjs task-heavy floor
 *
 * Each execution is one XState actor (Stepwise's build of XState, under one shared host actor as
 * Stepwise creates them) of a machine with one state per Task state. Every event is appended to
 * the execution's history before what it announces is done, in AWS's shape (TaskStateEntered,
 * LambdaFunctionScheduled, then the handler is called, LambdaFunctionStarted; the answer comes
 * back to the actor as an event, which records LambdaFunctionSucceeded and TaskStateExited and
 * moves to the next state), and every history stays in memory, as Stepwise's in-memory store
 * keeps them. Nothing more: no ids, names, registry or listing, no limits, no paths, no Retry or
 * Catch (the benchmark's handler never fails), no replay, no store contract. Whatever a runtime
 * built this way does beyond it comes on top, so this engine's rate is the most such a runtime
 * could reach on the same machine in the same kind of process, timed by the same harness as the
 * other two engines.
 *
 * It runs only a chain of Lambda Task states (Next or End) and throws on anything else.
 *
 *   node --expose-gc benchmarks/lib/sample.mjs task-heavy floor-no-actors
 *
 * runs the same without XState (see designFloor).
 */
import { createActor, createMachine, fromTransition } from '#xstate';

export const NOT_TRUNCATED = Object.freeze({ truncated: false });
const ROLE_ARN = 'arn:aws:iam::123456789012:role/StepwiseExecutionRole';

/**
 * `actors: false` (engine `floor-no-actors`) runs the same recording and awaiting in one async
 * function per execution, with no XState: what the design's actors add is the difference.
 */
export function designFloor({ actors = true } = {}) {
  const host = actors ? createActor(fromTransition((s) => s, null)).start() : undefined;
  const histories = new Map();
  let executions = 0;
  return {
    name: actors ? 'floor' : 'floor-no-actors',
    prepare(definition, { task } = {}) {
      if (!task) throw new Error('The design floor runs Task states only: it needs the workload\'s task handler.');
      const chain = taskChain(definition);
      const events = 2 + 5 * chain.length;
      const check = (ex) => {
        if (ex.history.length !== events) throw new Error(`an execution recorded ${ex.history.length} events, not ${events}`);
        return ex.data;
      };
      if (!actors) {
        return {
          async run(input) {
            const ex = { history: [], data: input };
            histories.set(`execution-${++executions}`, ex.history);
            record(ex, Date.now(), 'ExecutionStarted', 'executionStartedEventDetails', { input, inputDetails: NOT_TRUNCATED, roleArn: ROLE_ARN });
            for (let i = 0; i < chain.length; i++) {
              const { name, resource } = chain[i];
              const called = enterTask(ex, name, resource, task);
              leaveTask(ex, name, await called, i + 1 === chain.length);
            }
            return check(ex);
          },
        };
      }
      const machine = compileChain(chain, task);
      return {
        run(input) {
          const ex = { history: [], data: input, actor: undefined, settle: undefined, fail: undefined, deliver: undefined };
          histories.set(`execution-${++executions}`, ex.history);
          const done = new Promise((resolve, reject) => { ex.settle = resolve; ex.fail = reject; });
          ex.deliver = (output) => {
            ex.actor.send({ type: 'answer', output });
            if (ex.actor.getSnapshot().status !== 'done') return;
            try {
              ex.settle(check(ex));
            } catch (err) {
              ex.fail(err);
            }
          };
          record(ex, Date.now(), 'ExecutionStarted', 'executionStartedEventDetails', { input, inputDetails: NOT_TRUNCATED, roleArn: ROLE_ARN });
          ex.actor = createActor(machine, { parent: host, input: ex });
          ex.actor.start();
          return done;
        },
      };
    },
  };
}

/** Appends an event in AWS's shape to `ex.history`. */
export function record(ex, timestamp, type, key, details) {
  const history = ex.history;
  const event = { id: history.length + 1, previousEventId: history.length, timestamp, type };
  if (key) event[key] = details;
  history.push(event);
}

/** A Task state's first three events and its handler's call, after its events are in the history. */
function enterTask(ex, name, resource, task) {
  const now = Date.now();
  record(ex, now, 'TaskStateEntered', 'stateEnteredEventDetails', { name, input: ex.data, inputDetails: NOT_TRUNCATED });
  record(ex, now, 'LambdaFunctionScheduled', 'lambdaFunctionScheduledEventDetails', { input: ex.data, inputDetails: NOT_TRUNCATED, resource });
  const called = task(ex.data);
  record(ex, now, 'LambdaFunctionStarted');
  return called;
}

/** The handler's answer: a Task state's last two events, and the execution's end after the last. */
function leaveTask(ex, name, output, last) {
  const now = Date.now();
  record(ex, now, 'LambdaFunctionSucceeded', 'lambdaFunctionSucceededEventDetails', { output, outputDetails: NOT_TRUNCATED });
  record(ex, now, 'TaskStateExited', 'stateExitedEventDetails', { name, output, outputDetails: NOT_TRUNCATED });
  ex.data = output;
  if (last) record(ex, now, 'ExecutionSucceeded', 'executionSucceededEventDetails', { output, outputDetails: NOT_TRUNCATED });
}

/** The Task states from StartAt to the one with End, in order. */
function taskChain(definition) {
  const chain = [];
  for (let name = definition.StartAt; name !== undefined;) {
    const state = definition.States[name];
    if (state?.Type !== 'Task' || !String(state.Resource).startsWith('arn:aws:lambda:')) {
      throw new Error(`The design floor runs a chain of Lambda Task states only; '${name}' is not one.`);
    }
    chain.push({ name, resource: state.Resource });
    name = state.End === true ? undefined : state.Next;
  }
  return chain;
}

/** An action run while XState resolves the transition, as Stepwise's step action is (src/compile/step-action.ts). */
function work(fn) {
  function step() {}
  step.type = 'floor.step';
  step.resolve = (_scope, snapshot, { context, event }) => [snapshot, undefined, fn(context.ex, event)];
  return step;
}

function compileChain(chain, task) {
  const states = { end: { type: 'final' } };
  chain.forEach(({ name, resource }, i) => {
    const next = i + 1 < chain.length ? `s${i + 1}` : 'end';
    states[`s${i}`] = {
      entry: work((ex) => {
        enterTask(ex, name, resource, task).then(ex.deliver, ex.fail);
      }),
      on: {
        // A targeted transition: Stepwise's machines take a guarded `always` (a Retry or Catch may
        // pick the target), which measured no faster here; a floor takes the cheaper.
        answer: {
          target: next,
          actions: work((ex, event) => {
            leaveTask(ex, name, event.output, next === 'end');
          }),
        },
      },
    };
  });
  return createMachine({ context: ({ input }) => ({ ex: input }), initial: 's0', states });
}
