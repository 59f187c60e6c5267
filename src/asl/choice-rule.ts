import type { ChoiceRule, ChoiceState } from './definition.js';
import type { JsonValue } from './json-value.js';
import type { PathContext } from './path-context.js';
import { evaluatePath } from './json-path.js';
import { AslError } from '../errors/asl-error.js';
import { StatesErrors } from '../errors/error-names.js';

/*
 * Choice Rules in JSONPath mode (DG: state-choice; ASL spec "Choice Rules").
 *
 * Semantics AWS shows and this module keeps:
 * - A comparison whose Variable value (or `*Path` operand) has the wrong type is simply false:
 *   StringEquals against a number, NumericEquals against `true`, TimestampEquals against a
 *   string that is not a timestamp. The corpus recorded against AWS has no error for these.
 * - A Variable path that selects nothing fails the state with States.Runtime, for every operator
 *   but IsPresent (whose whole point is to probe for that). A `*Path` operand that selects nothing
 *   fails the same way, naming that path.
 * - And / Or short-circuit left to right, so `And: [IsPresent, StringEquals]` is a safe guard.
 * - Strings compare by UTF-16 code unit (the guide points at Java's String.compareTo, which JS's
 *   relational operators match); numbers compare as IEEE doubles, so 1 and 1.0 are equal.
 */

/** Evaluates a JSONata `Condition` (supplied by the caller; this module only knows JSONPath). */
export type ConditionEvaluator = (condition: unknown) => boolean;

/** A rule compiled once per definition; the evaluator is per call because it closes over the state's data. */
export type CompiledChoiceRule = (ctx: PathContext, evalCondition?: ConditionEvaluator) => boolean;

export type ChoiceSelection =
  | { readonly index: number; readonly next: string; readonly rule: ChoiceRule }
  | { readonly index: -1; readonly next: string };

const invalidPath = (path: string): AslError =>
  new AslError(StatesErrors.Runtime, `Invalid path '${path}': The choice state's condition path references an invalid value.`);

// ---------------------------------------------------------------------------------------------
// Timestamps
// ---------------------------------------------------------------------------------------------

/** A point in time, split so that nanosecond fractions survive (a double of epoch-ns would not). */
interface Instant {
  readonly seconds: number;
  readonly nanos: number;
}

// RFC 3339 date-time with AWS's extra rules: uppercase `T`, uppercase `Z`, an offset is mandatory.
// Up to nine fraction digits because AWS parses with Java's time API, whose precision stops there.
const TIMESTAMP_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):(\d{2}))$/;

const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

// Calendar arithmetic by hand: Date.UTC maps years 0-99 onto 1900-1999.
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function parseTimestamp(text: string): Instant | null {
  const m = TIMESTAMP_RE.exec(text);
  if (m === null) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  // No leap second: Java's strict ISO parsing rejects `:60`.
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetSeconds = 0;
  if (m[8] !== undefined) {
    const oh = Number(m[9]);
    const om = Number(m[10]);
    // Java's ZoneOffset stops at ±18:00.
    if (om > 59 || oh * 60 + om > 18 * 60) return null;
    offsetSeconds = (m[8] === '-' ? -1 : 1) * (oh * 3600 + om * 60);
  }
  const fraction = m[7] ?? '';
  return {
    seconds: daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds,
    nanos: fraction === '' ? 0 : Number(fraction.padEnd(9, '0')),
  };
}

/** True when AWS treats the value as a timestamp (what IsTimestamp tests). */
export function isAslTimestamp(value: unknown): boolean {
  return typeof value === 'string' && parseTimestamp(value) !== null;
}

const compareInstants = (a: Instant, b: Instant): number =>
  a.seconds !== b.seconds ? a.seconds - b.seconds : a.nanos - b.nanos;

// ---------------------------------------------------------------------------------------------
// StringMatches
// ---------------------------------------------------------------------------------------------

/**
 * Splits a StringMatches pattern at its unescaped `*`. Only `\*` and `\\` are escapes; the spec
 * gives no other character a meaning, so any other backslash stays a literal backslash.
 */
function splitPattern(pattern: string): string[] {
  const segments: string[] = [];
  let current = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && (pattern[i + 1] === '*' || pattern[i + 1] === '\\')) {
      current += pattern[i + 1];
      i++;
    } else if (c === '*') {
      segments.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  segments.push(current);
  return segments;
}

/** `*`-only glob: anchoring the ends and taking each middle piece leftmost is exact, and linear-ish. */
function compilePattern(pattern: string): (text: string) => boolean {
  const segments = splitPattern(pattern);
  if (segments.length === 1) {
    const literal = segments[0]!;
    return (text) => text === literal;
  }
  const prefix = segments[0]!;
  const suffix = segments[segments.length - 1]!;
  const middle = segments.slice(1, -1).filter((s) => s !== '');
  return (text) => {
    if (text.length < prefix.length + suffix.length) return false;
    if (!text.startsWith(prefix) || !text.endsWith(suffix)) return false;
    const end = text.length - suffix.length;
    let pos = prefix.length;
    for (const piece of middle) {
      const at = text.indexOf(piece, pos);
      if (at < 0 || at + piece.length > end) return false;
      pos = at + piece.length;
    }
    return true;
  };
}

/** StringMatches on its own, for callers that need the same wildcard rules. */
export function matchesStringPattern(text: string, pattern: string): boolean {
  return compilePattern(pattern)(text);
}

// ---------------------------------------------------------------------------------------------
// Operators
// ---------------------------------------------------------------------------------------------

type Relation = 'Equals' | 'LessThan' | 'GreaterThan' | 'LessThanEquals' | 'GreaterThanEquals';
type Family = 'String' | 'Numeric' | 'Boolean' | 'Timestamp';

const RELATIONS: readonly Relation[] = ['Equals', 'LessThan', 'GreaterThan', 'LessThanEquals', 'GreaterThanEquals'];

const holds = (relation: Relation, order: number): boolean => {
  switch (relation) {
    case 'Equals':
      return order === 0;
    case 'LessThan':
      return order < 0;
    case 'GreaterThan':
      return order > 0;
    case 'LessThanEquals':
      return order <= 0;
    case 'GreaterThanEquals':
      return order >= 0;
  }
};

/** Orders two values of one family, or null when either is not of that family (the rule is then false). */
type Orderer = (a: JsonValue, b: JsonValue) => number | null;

const ORDERERS: Record<Family, Orderer> = {
  String: (a, b) => (typeof a === 'string' && typeof b === 'string' ? (a < b ? -1 : a > b ? 1 : 0) : null),
  Numeric: (a, b) => (typeof a === 'number' && typeof b === 'number' ? (a < b ? -1 : a > b ? 1 : 0) : null),
  Boolean: (a, b) => (typeof a === 'boolean' && typeof b === 'boolean' ? (a === b ? 0 : 1) : null),
  Timestamp: (a, b) => {
    const ta = typeof a === 'string' ? parseTimestamp(a) : null;
    const tb = typeof b === 'string' ? parseTimestamp(b) : null;
    return ta !== null && tb !== null ? compareInstants(ta, tb) : null;
  },
};

interface Comparison {
  readonly family: Family;
  readonly relation: Relation;
  readonly viaPath: boolean;
}

const COMPARISONS = new Map<string, Comparison>();
for (const family of ['String', 'Numeric', 'Timestamp'] as const) {
  for (const relation of RELATIONS) {
    COMPARISONS.set(`${family}${relation}`, { family, relation, viaPath: false });
    COMPARISONS.set(`${family}${relation}Path`, { family, relation, viaPath: true });
  }
}
COMPARISONS.set('BooleanEquals', { family: 'Boolean', relation: 'Equals', viaPath: false });
COMPARISONS.set('BooleanEqualsPath', { family: 'Boolean', relation: 'Equals', viaPath: true });

const TYPE_TESTS: Record<string, (value: JsonValue) => boolean> = {
  IsNull: (v) => v === null,
  IsNumeric: (v) => typeof v === 'number',
  IsString: (v) => typeof v === 'string',
  IsBoolean: (v) => typeof v === 'boolean',
  IsTimestamp: (v) => isAslTimestamp(v),
};

const NON_OPERATOR_FIELDS = new Set(['Variable', 'Next', 'Comment', 'Assign', 'Output', 'And', 'Or', 'Not', 'Condition']);

const isOperator = (key: string): boolean =>
  key === 'IsPresent' || key === 'StringMatches' || COMPARISONS.has(key) || key in TYPE_TESTS;

/** A malformed rule fails only when reached, as later rules may never be evaluated. */
const failing =
  (message: string): CompiledChoiceRule =>
  () => {
    throw new AslError(StatesErrors.Runtime, message);
  };

type ValueTest = (value: JsonValue, ctx: PathContext) => boolean;

function compileValueTest(operator: string, operand: unknown): ValueTest {
  const typeTest = TYPE_TESTS[operator];
  if (typeTest !== undefined) return (value) => typeTest(value) === operand;

  if (operator === 'StringMatches') {
    if (typeof operand !== 'string') return () => false;
    const matches = compilePattern(operand);
    return (value) => typeof value === 'string' && matches(value);
  }

  const comparison = COMPARISONS.get(operator)!;
  const order = ORDERERS[comparison.family];
  const relation = comparison.relation;

  if (comparison.viaPath) {
    if (typeof operand !== 'string') return () => false;
    const path = operand;
    return (value, ctx) => {
      const other = evaluatePath(path, ctx);
      if (other === undefined) throw invalidPath(path);
      const o = order(value, other);
      return o !== null && holds(relation, o);
    };
  }

  // Literal operands are checked once: a literal of the wrong type can never make the rule true.
  if (comparison.family === 'Timestamp') {
    const literal = typeof operand === 'string' ? parseTimestamp(operand) : null;
    if (literal === null) return () => false;
    return (value) => {
      const t = typeof value === 'string' ? parseTimestamp(value) : null;
      return t !== null && holds(relation, compareInstants(t, literal));
    };
  }
  const literal = operand as JsonValue;
  return (value) => {
    const o = order(value, literal);
    return o !== null && holds(relation, o);
  };
}

function compileDataTest(rule: ChoiceRule): CompiledChoiceRule {
  const variable = rule.Variable;
  if (typeof variable !== 'string') return failing('A Choice Rule comparison needs a string Variable path.');
  const operator = Object.keys(rule).find((k) => !NON_OPERATOR_FIELDS.has(k) && isOperator(k));
  if (operator === undefined) return failing(`The Choice Rule on '${variable}' has no comparison operator.`);
  const operand = rule[operator];

  if (operator === 'IsPresent') {
    return (ctx) => (evaluatePath(variable, ctx) !== undefined) === operand;
  }
  const test = compileValueTest(operator, operand);
  return (ctx) => {
    const value = evaluatePath(variable, ctx);
    if (value === undefined) throw invalidPath(variable);
    return test(value, ctx);
  };
}

function compileCondition(condition: unknown): CompiledChoiceRule {
  return (_ctx, evalCondition) => {
    if (evalCondition !== undefined) return evalCondition(condition);
    // A literal needs no JSONata engine; an expression does, and guessing would pick a wrong branch.
    if (typeof condition === 'boolean') return condition;
    throw new Error('A JSONata Choice Condition needs a condition evaluator.');
  };
}

/** Compiles a Choice Rule (top level or nested) into a function of the state's data. */
export function compileChoiceRule(rule: ChoiceRule): CompiledChoiceRule {
  if (rule.Condition !== undefined) return compileCondition(rule.Condition);
  if (rule.And !== undefined) {
    const parts = rule.And.map(compileChoiceRule);
    return (ctx, ev) => parts.every((p) => p(ctx, ev));
  }
  if (rule.Or !== undefined) {
    const parts = rule.Or.map(compileChoiceRule);
    return (ctx, ev) => parts.some((p) => p(ctx, ev));
  }
  if (rule.Not !== undefined) {
    const inner = compileChoiceRule(rule.Not);
    return (ctx, ev) => !inner(ctx, ev);
  }
  return compileDataTest(rule);
}

// Keyed by the rule object, so a definition parsed once is compiled once and freed with it.
const compiled = new WeakMap<ChoiceRule, CompiledChoiceRule>();

function compiledRule(rule: ChoiceRule): CompiledChoiceRule {
  let fn = compiled.get(rule);
  if (fn === undefined) {
    fn = compileChoiceRule(rule);
    compiled.set(rule, fn);
  }
  return fn;
}

/** Evaluates one Choice Rule against the state's effective input (after InputPath). */
export function evaluateChoiceRule(rule: ChoiceRule, ctx: PathContext, evalCondition?: ConditionEvaluator): boolean {
  return compiledRule(rule)(ctx, evalCondition);
}

/**
 * The first rule that matches, else the Default (index -1), else null: the caller then fails the
 * state, which has no next state. A States.Runtime from a rule propagates: AWS does not fall through to
 * later rules or the Default when a Variable path is missing.
 */
export function selectChoice(state: ChoiceState, ctx: PathContext, evalCondition?: ConditionEvaluator): ChoiceSelection | null {
  const choices = state.Choices;
  for (let index = 0; index < choices.length; index++) {
    const rule = choices[index]!;
    if (compiledRule(rule)(ctx, evalCondition)) {
      if (typeof rule.Next !== 'string') throw new AslError(StatesErrors.Runtime, 'A top-level Choice Rule needs a Next field.');
      return { index, next: rule.Next, rule };
    }
  }
  return state.Default !== undefined ? { index: -1, next: state.Default } : null;
}
