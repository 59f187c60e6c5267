import vm from 'node:vm';
import { raised } from './jsonata-errors.js';

/**
 * The regular-expression engine handed to the JSONata library.
 *
 * A regex runs synchronously, so the evaluation clock (checked between evaluation steps) cannot
 * stop a catastrophic one such as `/(a+)+$/` on a long string. Only V8's script timeout can
 * interrupt a running match, and arming it costs a watchdog thread per call (~0.3 ms), so it is
 * paid only by patterns that can backtrack super-linearly; the rest run directly.
 */

/** How long a match may run when no evaluation has said how much time it has left. */
const DEFAULT_MATCH_BUDGET_MS = 1000;

let deadline: number | undefined;

/**
 * Set by the evaluation hooks on every step, so that a match gets the time its evaluation has
 * left. Evaluations interleave only at awaits and a match runs between two steps of its own
 * evaluation, so the last deadline set is nearly always the right one; when it is not, the match
 * is still bounded by another evaluation's budget.
 */
export function setRegexDeadline(at: number | undefined): void {
  deadline = at;
}

const context = vm.createContext(Object.create(null));
const runner = new vm.Script('__regex.exec(__subject)');
const sandbox = context as { __regex?: RegExp; __subject?: string };

const riskCache = new Map<string, boolean>();

export class GuardedRegExp {
  private readonly regex: RegExp;
  private readonly risky: boolean;

  constructor(pattern: RegExp | string, flags?: string) {
    this.regex = new RegExp(pattern, flags);
    const key = `${this.regex.flags}/${this.regex.source}`;
    let risky = riskCache.get(key);
    if (risky === undefined) {
      risky = mayBacktrackSuperLinearly(this.regex.source);
      if (riskCache.size > 1000) riskCache.clear();
      riskCache.set(key, risky);
    }
    this.risky = risky;
  }

  get lastIndex(): number {
    return this.regex.lastIndex;
  }

  set lastIndex(value: number) {
    this.regex.lastIndex = value;
  }

  get source(): string {
    return this.regex.source;
  }

  get flags(): string {
    return this.regex.flags;
  }

  exec(subject: string): RegExpExecArray | null {
    if (!this.risky) return this.regex.exec(subject);
    const budget = deadline === undefined ? DEFAULT_MATCH_BUDGET_MS : Math.max(1, Math.ceil(deadline - Date.now()));
    sandbox.__regex = this.regex;
    sandbox.__subject = subject;
    try {
      return runner.runInContext(context, { timeout: budget }) as RegExpExecArray | null;
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
        throw raised('U1001', `Expression evaluation timeout: Check for infinite loop (the regular expression /${this.regex.source}/ ran out of time)`);
      }
      throw error;
    } finally {
      sandbox.__regex = undefined;
      sandbox.__subject = undefined;
    }
  }

  test(subject: string): boolean {
    return this.exec(subject) !== null;
  }
}

/**
 * A conservative reading of a pattern: true when it has a backreference or lookaround, a
 * quantified group that holds a quantifier or an alternation (the exponential shapes), or more
 * than one unbounded quantifier (the polynomial ones, such as `\s*\s*$`). False positives only
 * cost speed.
 */
export function mayBacktrackSuperLinearly(source: string): boolean {
  // Per open group: did it contain a quantifier or `|`?
  const groups: boolean[] = [];
  let unbounded = 0;
  let lastGroupRisky = false;
  let lastWasGroup = false;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '\\') {
      const next = source[i + 1] ?? '';
      if (/[1-9]/.test(next) || (next === 'k' && source[i + 2] === '<')) return true;
      i++;
      lastWasGroup = false;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      lastWasGroup = false;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      lastWasGroup = false;
      continue;
    }
    if (ch === '(') {
      if (source[i + 1] === '?' && (source[i + 2] === '=' || source[i + 2] === '!' || (source[i + 2] === '<' && (source[i + 3] === '=' || source[i + 3] === '!')))) {
        return true;
      }
      groups.push(false);
      lastWasGroup = false;
      continue;
    }
    if (ch === ')') {
      lastGroupRisky = groups.pop() ?? false;
      if (lastGroupRisky && groups.length > 0) groups[groups.length - 1] = true;
      lastWasGroup = true;
      continue;
    }
    if (ch === '|') {
      if (groups.length > 0) groups[groups.length - 1] = true;
      lastWasGroup = false;
      continue;
    }
    const quantifier = readQuantifier(source, i);
    if (quantifier !== null) {
      if (quantifier.unbounded) unbounded++;
      if (lastWasGroup && lastGroupRisky && quantifier.repeats) return true;
      if (groups.length > 0) groups[groups.length - 1] = true;
      i = quantifier.end;
      if (source[i + 1] === '?') i++;
      lastWasGroup = false;
      continue;
    }
    lastWasGroup = false;
  }
  return unbounded > 1;
}

function readQuantifier(source: string, at: number): { end: number; unbounded: boolean; repeats: boolean } | null {
  const ch = source[at];
  if (ch === '*' || ch === '+') return { end: at, unbounded: true, repeats: true };
  if (ch === '?') return { end: at, unbounded: false, repeats: false };
  if (ch !== '{') return null;
  const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(at));
  if (!m) return null;
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
  return { end: at + m[0].length - 1, unbounded: max === Infinity, repeats: max > 1 };
}
