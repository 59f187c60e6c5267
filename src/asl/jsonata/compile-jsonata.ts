import jsonata from 'jsonata';
import type { RandomSource } from '../intrinsics/intrinsic-types.js';
import { MEMORY_LIMIT_CODE, MEMORY_LIMIT_MESSAGE, raised } from './jsonata-errors.js';
import { formatNumber, type FormatNumber } from './format-number.js';
import { GuardedRegExp, setRegexDeadline } from './regex-guard.js';
import { SFN_FUNCTIONS } from './sfn-functions.js';

/**
 * Parsing and preparing expressions once, and the guards every evaluation runs under.
 *
 * Bounds: AWS stops an expression nested deeper than 100 evaluation steps (its answers match the
 * step counting of the evaluate-entry/exit hooks the library offers, including its skipping of
 * the second and later items of array and object constructors, which it evaluates concurrently),
 * and an evaluation that runs too long.
 */

export const DEFAULT_MAX_DEPTH = 100;
export const DEFAULT_TIMEOUT_MS = 5000;

/**
 * The most items the range operator (`[a..b]`) builds: AWS accepts `[1..873782]` and refuses
 * `[1..873783]` with its memory limit, as measured against AWS (floci-io/floci#2783, #2737).
 * (The library's own bound, ten million, still answers D2014 beyond that, before building.)
 */
export const RANGE_OPERATOR_MAX_ITEMS = 873_782;

/** A name a JSONata variable reference cannot spell (it holds a space), for engine-internal bindings. */
export const EVALUATION_KEY = ' stepwise evaluation';
/**
 * Where `$eval` is moved: AWS removes it, and the library's lookup falls back to its built-in when
 * a binding is undefined, so references to it are renamed to a name that is never bound.
 */
export const HIDDEN_EVAL = ' stepwise eval';

/** Per-evaluation state, reached from the hooks and functions through the environment. */
export interface EvaluationState {
  readonly random: RandomSource;
  /** Epoch milliseconds that `$now()` and `$millis()` answer throughout the evaluation. */
  readonly now: number;
  readonly deadline: number;
  readonly maxDepth: number;
  depth: number;
}

interface Environment {
  lookup(name: string | symbol): unknown;
  isParallelCall?: boolean;
}

export interface CompiledExpression {
  readonly expression: jsonata.Expression;
  /** Variable names the expression mentions (locals included); only these need binding. */
  readonly variables: ReadonlySet<string>;
  /** A transform whose pattern reads a variable, and so may update bound data in place. */
  readonly updatesBoundData: boolean;
}

export type CompileResult = { ok: true; compiled: CompiledExpression } | { ok: false; error: { code?: string; message?: string } };

const CACHE_LIMIT = 2000;
const cache = new Map<string, CompileResult>();

/** Compiles `text` (the JSONata source, without `{% %}`), once per distinct text. */
export function compileJsonata(text: string): CompileResult {
  const hit = cache.get(text);
  if (hit !== undefined) {
    // Re-inserting keeps the map in least-recently-used order for eviction.
    cache.delete(text);
    cache.set(text, hit);
    return hit;
  }
  const result = compileFresh(text);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(text, result);
  return result;
}

function compileFresh(text: string): CompileResult {
  let expression: jsonata.Expression;
  try {
    expression = jsonata(text, { RegexEngine: GuardedRegExp as unknown as RegExp });
  } catch (error) {
    return { ok: false, error: error as { code?: string; message?: string } };
  }
  const variables = new Set<string>();
  const updatesBoundData = rewriteVariables(expression.ast(), variables);
  for (const fn of SFN_FUNCTIONS) {
    expression.registerFunction(
      fn.name,
      function (this: { environment: Environment }, ...args: unknown[]) {
        return fn.implementation(evaluationState(this.environment).random, ...args);
      },
      fn.signature,
    );
  }
  // The library's own $now/$millis read a timestamp shared by every evaluation of the expression;
  // these read the injected clock of their own evaluation instead.
  expression.registerFunction('millis', function (this: { environment: Environment }) {
    return evaluationState(this.environment).now;
  }, '<:n>');
  expression.registerFunction('now', async function (this: { environment: Environment }, picture?: unknown, timezone?: unknown) {
    const format = await builtin<FromMillis>('fromMillis');
    return format(evaluationState(this.environment).now, picture, timezone);
  }, '<s?s?:s>');
  expression.registerFunction('formatNumber', async (value: unknown, picture: unknown, options?: unknown) => {
    return formatNumber(await builtin<FormatNumber>('formatNumber'), value, picture, options);
  }, '<n-so?:s>');
  const assign = expression.assign.bind(expression) as (name: string | symbol, value: unknown) => void;
  assign(Symbol.for('jsonata.__evaluate_entry'), (_node: unknown, _input: unknown, environment: Environment) => step(environment, 1));
  assign(Symbol.for('jsonata.__evaluate_exit'), (node: unknown, _input: unknown, environment: Environment, result: unknown) => {
    if (isOversizedRange(node, result)) throw raised(MEMORY_LIMIT_CODE, MEMORY_LIMIT_MESSAGE);
    step(environment, -1);
  });
  return { ok: true, compiled: { expression, variables, updatesBoundData } };
}

type FromMillis = (millis: number, picture?: unknown, timezone?: unknown) => unknown;
const builtins = new Map<string, Promise<unknown>>();

/**
 * One of the library's own functions, for those registered over it: `$fromMillis` formats
 * `$now()` the way the library's own `$now` does; `$formatNumber` formats what AWS formats.
 */
function builtin<F>(name: string): Promise<F> {
  let found = builtins.get(name);
  if (found === undefined) {
    found = jsonata(`$${name}`, { RegexEngine: GuardedRegExp as unknown as RegExp })
      .evaluate(undefined)
      .then((fn: { implementation: unknown }) => fn.implementation);
    builtins.set(name, found);
  }
  return found as Promise<F>;
}

/**
 * The library reads its regex engine from a property of its module function at evaluation time,
 * and every `jsonata()` call anywhere in the process resets it (to RegExp when no option is
 * given); so it is set again before each evaluation.
 */
export function armRegexGuard(): void {
  (jsonata as unknown as { RegexEngine: unknown }).RegexEngine = GuardedRegExp;
}

function evaluationState(environment: Environment): EvaluationState {
  return environment.lookup(EVALUATION_KEY) as EvaluationState;
}

/** A range operator's result longer than AWS lets one be (the library hands it over once built). */
function isOversizedRange(node: unknown, result: unknown): boolean {
  const { type, value } = node as { type?: unknown; value?: unknown };
  return type === 'binary' && value === '..' && Array.isArray(result) && result.length > RANGE_OPERATOR_MAX_ITEMS;
}

function step(environment: Environment, delta: 1 | -1): void {
  if (environment.isParallelCall) return;
  const state = environment.lookup(EVALUATION_KEY) as EvaluationState | undefined;
  if (state === undefined) return;
  state.depth += delta;
  setRegexDeadline(state.deadline);
  if (state.depth > state.maxDepth) {
    throw raised('U1001', 'Stack overflow error: Check for non-terminating recursive function. Consider rewriting as tail-recursive.');
  }
  if (Date.now() > state.deadline) {
    throw raised('U1001', 'Expression evaluation timeout: Check for infinite loop');
  }
}

/**
 * Collects the variable names the tree mentions and renames `$eval`. The tree is the library's
 * own (`ast()` returns it, not a copy), so renaming here changes what evaluation looks up.
 * Answers whether a transform pattern mentions a variable.
 */
function rewriteVariables(root: unknown, names: Set<string>): boolean {
  let updatesBoundData = false;
  const seen = new Set<object>();
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (typeof node !== 'object' || node === null || seen.has(node)) continue;
    seen.add(node);
    const record = node as Record<string, unknown>;
    if (record['type'] === 'transform' && mentionsVariable(record['pattern'])) updatesBoundData = true;
    const name = record['value'];
    if (record['type'] === 'variable' && typeof name === 'string') {
      if (name === 'eval') record['value'] = HIDDEN_EVAL;
      names.add(name === 'eval' ? HIDDEN_EVAL : name);
    }
    for (const key of Object.keys(record)) {
      const child = record[key];
      if (typeof child === 'object' && child !== null) pending.push(child);
    }
  }
  return updatesBoundData;
}

/** `$` alone is the context item; any other variable may be bound data. */
function mentionsVariable(root: unknown): boolean {
  const pending: unknown[] = [root];
  const seen = new Set<object>();
  while (pending.length > 0) {
    const node = pending.pop();
    if (typeof node !== 'object' || node === null || seen.has(node)) continue;
    seen.add(node);
    const record = node as Record<string, unknown>;
    if (record['type'] === 'variable' && typeof record['value'] === 'string' && record['value'] !== '') return true;
    for (const child of Object.values(record)) if (typeof child === 'object' && child !== null) pending.push(child);
  }
  return false;
}
