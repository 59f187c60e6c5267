import type jsonataLibrary from 'jsonata';
import { loadOnFirstUse } from '../load-on-first-use.js';
import type { RandomSource } from '../intrinsics/intrinsic-types.js';
import { BOUND_CODE, INTERNAL_ERROR_CODE, MEMORY_LIMIT_CODE, MEMORY_LIMIT_MESSAGE, raised, STACK_OVERFLOW_MESSAGE, TIMEOUT_MESSAGE } from './jsonata-errors.js';
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

/** The library, loaded at the first JSONata expression compiled. */
const jsonata = loadOnFirstUse<typeof jsonataLibrary>('jsonata');

export const DEFAULT_MAX_DEPTH = 100;
export const DEFAULT_TIMEOUT_MS = 5000;

/**
 * The most memory, in AWS's bytes, one value an expression builds may hold before AWS refuses it
 * with its memory limit: 8 per item of a range (AWS accepts `[1..873782]`, 6,990,256 bytes, and
 * refuses `[1..873783]`) and 1 per character of a string (AWS accepted a 4,194,304-character
 * string and refused one of 8,388,608), as measured against AWS (floci-io/floci#2737, whose fix,
 * #2783, takes this bound). `limits.expressionBytes` lifts it.
 */
export const DEFAULT_MAX_BYTES = 6_990_256;
/** AWS's bytes per item of the range operator's result (see DEFAULT_MAX_BYTES). */
const RANGE_ITEM_BYTES = 8;
/** The most items the range operator (`[a..b]`) builds under AWS's bound: 873,782. */
export const RANGE_OPERATOR_MAX_ITEMS = DEFAULT_MAX_BYTES / RANGE_ITEM_BYTES;

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
  /** Bytes one value may hold (DEFAULT_MAX_BYTES; Infinity when lifted). */
  readonly maxBytes: number;
  depth: number;
}

interface Environment {
  lookup(name: string | symbol): unknown;
  isParallelCall?: boolean;
}

export interface CompiledExpression {
  readonly expression: jsonataLibrary.Expression;
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
  const parse = jsonata(); // outside the try: failing to load the library is no error in the expression
  let expression: jsonataLibrary.Expression;
  try {
    expression = parse(text, { RegexEngine: GuardedRegExp as unknown as RegExp });
  } catch (error) {
    return { ok: false, error: error as { code?: string; message?: string } };
  }
  const variables = new Set<string>();
  const updatesBoundData = rewriteVariables(expression.ast(), variables);
  for (const fn of SFN_FUNCTIONS) {
    expression.registerFunction(
      fn.name,
      function (this: { environment: Environment }, ...args: unknown[]) {
        return fn.implementation(evaluationState(this.environment), ...args);
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
  // A whole number below 1e21 is written in full with the shortest digits that read back as the
  // same number, where the library rounds every number to 15 significant digits: AWS writes
  // 2^63 as 9223372036854776000 and 999999999999999868928 as 999999999999999900000
  // (floci-io/floci#2683, measured against AWS). Everything else is the library's.
  expression.registerFunction('string', async (value: unknown, prettify?: unknown) => {
    if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 1e21) return String(value);
    return (await builtin<StringFunction>('string'))(value, prettify);
  }, '<x-b?:s>');
  // AWS fails the state on text that is not base 64, where the library decodes what it can
  // (floci-io/floci#2736, measured against AWS: `$base64decode("!!!")`).
  expression.registerFunction('base64decode', async (value: unknown) => {
    if (typeof value === 'string' && !BASE64_TEXT.test(value)) throw raised(INTERNAL_ERROR_CODE, 'not base 64');
    return (await builtin<(value: unknown) => unknown>('base64decode'))(value);
  }, '<s-:s>');
  const assign = expression.assign.bind(expression) as (name: string | symbol, value: unknown) => void;
  assign(Symbol.for('jsonata.__evaluate_entry'), (_node: unknown, _input: unknown, environment: Environment) => step(environment, 1));
  assign(Symbol.for('jsonata.__evaluate_exit'), (node: unknown, _input: unknown, environment: Environment, result: unknown) => {
    if (exceedsMemory(node, result, environment)) throw raised(MEMORY_LIMIT_CODE, MEMORY_LIMIT_MESSAGE);
    step(environment, -1);
  });
  return { ok: true, compiled: { expression, variables, updatesBoundData } };
}

type FromMillis = (millis: number, picture?: unknown, timezone?: unknown) => unknown;
type StringFunction = (value: unknown, prettify?: unknown) => unknown;
/** Base 64 text: the alphabet's characters, then at most two `=` of padding. */
const BASE64_TEXT = /^[A-Za-z0-9+/]*={0,2}$/;
const builtins = new Map<string, Promise<unknown>>();

/**
 * One of the library's own functions, for those registered over it: `$fromMillis` formats
 * `$now()` the way the library's own `$now` does; `$formatNumber` formats what AWS formats.
 */
function builtin<F>(name: string): Promise<F> {
  let found = builtins.get(name);
  if (found === undefined) {
    found = jsonata()(`$${name}`, { RegexEngine: GuardedRegExp as unknown as RegExp })
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
  (jsonata() as unknown as { RegexEngine: unknown }).RegexEngine = GuardedRegExp;
}

function evaluationState(environment: Environment): EvaluationState {
  return environment.lookup(EVALUATION_KEY) as EvaluationState;
}

/**
 * A value that holds more than the evaluation's bound (see DEFAULT_MAX_BYTES): a string, or a
 * range operator's result (the library hands it over once built).
 */
function exceedsMemory(node: unknown, result: unknown, environment: Environment): boolean {
  let bytes: number;
  if (typeof result === 'string') bytes = result.length;
  else if (Array.isArray(result) && isRangeOperator(node)) bytes = result.length * RANGE_ITEM_BYTES;
  else return false;
  // Most values are far below any bound: only a large one looks the bound up.
  if (bytes <= MIN_BYTES_CHECKED) return false;
  return bytes > (evaluationState(environment)?.maxBytes ?? DEFAULT_MAX_BYTES);
}

/** Values up to this many bytes are never refused (a lower bound given counts as this). */
const MIN_BYTES_CHECKED = 65_536;

function isRangeOperator(node: unknown): boolean {
  const { type, value } = node as { type?: unknown; value?: unknown };
  return type === 'binary' && value === '..';
}

function step(environment: Environment, delta: 1 | -1): void {
  if (environment.isParallelCall) return;
  const state = environment.lookup(EVALUATION_KEY) as EvaluationState | undefined;
  if (state === undefined) return;
  state.depth += delta;
  setRegexDeadline(state.deadline);
  if (state.depth > state.maxDepth) throw raised(BOUND_CODE, STACK_OVERFLOW_MESSAGE);
  if (Date.now() > state.deadline) throw raised(BOUND_CODE, TIMEOUT_MESSAGE);
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
