import type { JsonObject, JsonValue } from './json-value.js';
import type { PathContext } from './path-context.js';
import { AslError } from '../errors/asl-error.js';
import { StatesErrors } from '../errors/error-names.js';

/*
 * JSONPath as AWS Step Functions evaluates it. AWS runs Jayway JsonPath, so the quirks below
 * are Jayway's, kept on purpose:
 * - a definite path (only single properties / single indexes) yields one value, anything else
 *   a list; `['a','b']` as the LAST token merges into one object and counts as definite;
 * - slices ignore a step (`[0:6:2]` is `[0:6]`), and `[from:to]` does not wrap a negative `to`;
 * - bracket-quoted names keep backslashes verbatim (AWS matched `$['a\"b']` against key `a\"b`);
 * - when an indefinite path meets a missing property AWS returns `[]` rather than failing;
 * - filter comparisons between a number and a string compare them as numbers/strings.
 * Missing results of a definite path are explained with Jayway's messages, which AWS shows
 * verbatim in States.Runtime causes ("No results for path: $['x']", "Missing property in path $['x']").
 */

const hasOwn = Object.prototype.hasOwnProperty;

type RootKind = 'input' | 'context' | 'variable' | 'item' | 'doc';

type Step =
  | { readonly t: 'prop'; readonly name: string; readonly delim: string }
  | { readonly t: 'props'; readonly names: readonly string[]; readonly delim: string }
  | { readonly t: 'index'; readonly index: number }
  | { readonly t: 'indexes'; readonly indexes: readonly number[] }
  | { readonly t: 'slice'; readonly from: number | null; readonly to: number | null }
  | { readonly t: 'wild' }
  | { readonly t: 'scan' }
  | { readonly t: 'filter'; readonly pred: Predicate; readonly source: string }
  | { readonly t: 'length' };

type Predicate = (item: JsonValue, doc: JsonValue) => boolean;

interface ParsedPath {
  readonly source: string;
  readonly root: RootKind;
  readonly variable: string | undefined;
  readonly steps: readonly Step[];
  readonly definite: boolean;
  /** Set when every step is a single property or index: the hot path walks these directly. */
  readonly keys: readonly (string | number)[] | null;
}

class PathSyntaxError extends Error {}

function fail(message: string): never {
  throw new PathSyntaxError(message);
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const INT_RE = /^-?\d+$/;
const MAX_INT = 2147483647;

function parseInt32(text: string, what: string): number {
  const t = text.trim();
  if (!INT_RE.test(t)) fail(`Failed to parse ${what}: ${text}`);
  const n = Number(t);
  if (n > MAX_INT || n < -MAX_INT - 1) fail(`Failed to parse ${what}: ${text}`);
  return n;
}

/**
 * `inFilter` parses a path inside a filter expression, rooted at `@` (the current item) or `$`
 * (the document); context and variable roots only exist at the top level.
 */
function parsePath(src: string, inFilter: boolean): ParsedPath {
  const s = src.trim();
  if (s.length === 0) fail('Path must not be empty');
  let i: number;
  let root: RootKind;
  let variable: string | undefined;
  if (inFilter) {
    if (s[0] === '@') root = 'item';
    else if (s[0] === '$') root = 'doc';
    else fail("Path must start with '$' or '@'");
    i = 1;
  } else {
    if (s[0] !== '$') fail("Path must start with '$'");
    if (s[1] === '$') {
      root = 'context';
      i = 2;
    } else if (s[1] !== undefined && /[A-Za-z_]/.test(s[1])) {
      root = 'variable';
      let j = 2;
      while (j < s.length && /[A-Za-z0-9_]/.test(s[j]!)) j++;
      variable = s.slice(1, j);
      i = j;
    } else {
      root = 'input';
      i = 1;
    }
  }
  if (s[s.length - 1] === '.') fail("Path must not end with a '.' or '..'");
  const steps: Step[] = [];
  if (i < s.length && s[i] !== '.' && s[i] !== '[') fail(`Illegal character at position ${i} expected '.' or '['`);

  while (i < s.length) {
    const c = s[i];
    if (c === '.') {
      if (s[i + 1] === '.') {
        steps.push({ t: 'scan' });
        i += 2;
      } else {
        i += 1;
      }
      if (s[i] === '.') fail(`Character '.' on position ${i} is not valid.`);
      if (s[i] === '[') {
        i = parseBracket(s, i, steps);
      } else if (s[i] === '*') {
        steps.push({ t: 'wild' });
        i += 1;
      } else {
        i = parseName(s, i, steps);
      }
    } else if (c === '[') {
      i = parseBracket(s, i, steps);
    } else {
      fail(`Could not parse token starting at position ${i}`);
    }
    if (i < s.length && s[i] !== '.' && s[i] !== '[') fail(`Illegal character at position ${i} expected '.' or '['`);
  }

  for (let k = 0; k < steps.length; k++) {
    const st = steps[k]!;
    if (st.t === 'scan' && (k === steps.length - 1 || steps[k + 1]!.t === 'scan')) fail("Path must not end with a '.' or '..'");
    if (st.t === 'length' && k !== steps.length - 1) fail('Function length() must be the last token of a path');
    if (st.t === 'scan' && steps[k + 1]!.t === 'length') fail("'..' must be followed by a property, '*' or '['");
  }
  return finishPath(src, root, variable, steps);
}

/**
 * Jayway applies a function to each node that reaches it, so `.length()` is definite exactly when
 * the path before it is.
 */
function finishPath(source: string, root: RootKind, variable: string | undefined, steps: Step[]): ParsedPath {
  const last = steps.length - 1;
  let definite = true;
  let simple = true;
  for (let k = 0; k < steps.length; k++) {
    const st = steps[k]!;
    if (st.t === 'prop' || st.t === 'index') continue;
    simple = false;
    if (st.t === 'length' || (st.t === 'props' && k === last)) continue;
    definite = false;
  }
  const keys = simple ? steps.map((st) => (st.t === 'prop' ? st.name : (st as { index: number }).index)) : null;
  return { source, root, variable, steps, definite, keys };
}

/** A dot-notation name runs to the next `.`, `[` or `(`, as in Jayway (so `$.a-b` is the key `a-b`). */
function parseName(s: string, start: number, steps: Step[]): number {
  let i = start;
  while (i < s.length) {
    const c = s[i];
    if (c === '.' || c === '[' || c === '(') break;
    if (isSpace(c)) fail(`Use bracket notion ['my prop'] if your property contains blank characters. position: ${i}`);
    i++;
  }
  const name = s.slice(start, i);
  if (name.length === 0) fail(`Could not parse token starting at position ${start}`);
  if (s[i] === '(') {
    if (s[i + 1] !== ')') fail(`Function ${name}() takes no arguments`);
    if (name !== 'length' && name !== 'size') fail(`Function with name: ${name} does not exist.`);
    steps.push({ t: 'length' });
    return i + 2;
  }
  steps.push({ t: 'prop', name, delim: "'" });
  return i;
}

function skipSpaces(s: string, i: number): number {
  while (i < s.length && isSpace(s[i])) i++;
  return i;
}

function parseBracket(s: string, open: number, steps: Step[]): number {
  const j = skipSpaces(s, open + 1);
  const c = s[j];
  if (c === "'" || c === '"') return parseQuotedNames(s, j, c, steps);
  if (c === '*') {
    const k = skipSpaces(s, j + 1);
    if (s[k] !== ']') fail(`Expected wildcard token to end with ']' on position ${j + 1}`);
    steps.push({ t: 'wild' });
    return k + 1;
  }
  if (c === '?') return parseFilterToken(s, open, j, steps);
  if (isDigit(c) || c === '-' || c === ':') {
    const close = s.indexOf(']', j);
    if (close < 0) fail(`Could not parse token starting at position ${open}. Expected ?, ', 0-9, * `);
    const expr = s.slice(open + 1, close).trim();
    if (expr.includes(':')) {
      if (!/^[-0-9:]+$/.test(expr)) fail(`Failed to parse SliceOperation: ${expr}`);
      const parts = expr.split(':');
      const from = parts[0] ? parseInt32(parts[0], 'SliceOperation') : null;
      const to = parts[1] ? parseInt32(parts[1], 'SliceOperation') : null;
      if (parts.length > 3) fail(`Failed to parse SliceOperation: ${expr}`);
      if (parts[2]) parseInt32(parts[2], 'SliceOperation');
      if (from === null && to === null) fail(`Failed to parse SliceOperation: ${expr}`);
      steps.push({ t: 'slice', from, to });
    } else {
      if (!/^[-0-9, ]+$/.test(expr)) fail(`Failed to parse ArrayIndexOperation: ${expr}`);
      const indexes = expr.split(',').map((p) => parseInt32(p, 'ArrayIndexOperation'));
      steps.push(indexes.length === 1 ? { t: 'index', index: indexes[0]! } : { t: 'indexes', indexes });
    }
    return close + 1;
  }
  fail(`Could not parse token starting at position ${open}. Expected ?, ', 0-9, * `);
}

function parseQuotedNames(s: string, first: number, delim: string, steps: Step[]): number {
  const names: string[] = [];
  let i = first;
  for (;;) {
    i = skipSpaces(s, i);
    if (s[i] !== delim) fail(`Property must be quoted with ${delim} at index ${i}`);
    const start = i + 1;
    i = start;
    while (i < s.length && s[i] !== delim) i += s[i] === '\\' ? 2 : 1;
    if (i >= s.length) fail(`Property has not been closed - missing closing ${delim}`);
    names.push(s.slice(start, i));
    i = skipSpaces(s, i + 1);
    if (s[i] === ',') {
      i++;
      continue;
    }
    if (s[i] === ']') break;
    fail(`Property must be separated by comma or Property must be terminated close square bracket at index ${i}`);
  }
  steps.push(names.length === 1 ? { t: 'prop', name: names[0]!, delim } : { t: 'props', names, delim });
  return i + 1;
}

/** Index just past the quoted string or regex literal opening at `i`. */
function skipLiteral(s: string, i: number): number {
  const q = s[i];
  let k = i + 1;
  while (k < s.length && s[k] !== q) k += s[k] === '\\' ? 2 : 1;
  if (k >= s.length) fail(q === '/' ? `Pattern not closed. Expected / in ${s}` : `String not closed. Expected ${q} in ${s}`);
  return k + 1;
}

function parseFilterToken(s: string, open: number, question: number, steps: Step[]): number {
  const paren = skipSpaces(s, question + 1);
  if (s[paren] !== '(') fail(`Filter must start with '[?(' and end with ')]'. ${s.slice(open)}`);
  let depth = 0;
  let k = paren;
  let close = -1;
  while (k < s.length) {
    const c = s[k];
    if (c === "'" || c === '"' || c === '/') {
      k = skipLiteral(s, k);
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) {
        close = k;
        break;
      }
    }
    k++;
  }
  if (close < 0) fail(`Could not parse token starting at position ${open}: unbalanced parentheses in filter`);
  const end = skipSpaces(s, close + 1);
  if (s[end] !== ']') fail(`Filter must start with '[?(' and end with ')]'. ${s.slice(open)}`);
  const source = s.slice(open, end + 1);
  const pred = compileFilter(s.slice(paren, close + 1));
  steps.push({ t: 'filter', pred, source });
  return end + 1;
}

// ---------------------------------------------------------------------------------------------
// Filter expressions
// ---------------------------------------------------------------------------------------------

/** What a filter operand evaluates to: a JSON value, "no such path", or a regex literal. */
const UNDEF: unique symbol = Symbol('undefined');
class Pattern {
  constructor(readonly re: RegExp) {}
}
type FValue = JsonValue | typeof UNDEF | Pattern;
type Operand = { readonly path: ParsedPath | null; readonly eval: (item: JsonValue, doc: JsonValue) => FValue };

const RELATIONAL_CHARS = '<>=~!';
const SYMBOL_OPS = new Set(['==', '!=', '<', '<=', '>', '>=', '=~', '===', '!==']);
const WORD_OPS = new Set(['in', 'nin', 'subsetof', 'anyof', 'noneof', 'size', 'empty', 'contains']);

function compileFilter(text: string): Predicate {
  const p = new FilterParser(text);
  const pred = p.parseOr();
  p.expectEnd();
  return pred;
}

class FilterParser {
  private pos = 0;
  constructor(private readonly s: string) {}

  private skip(): void {
    this.pos = skipSpaces(this.s, this.pos);
  }

  expectEnd(): void {
    this.skip();
    if (this.pos < this.s.length) fail(`Failed to parse filter at position ${this.pos}: ${this.s}`);
  }

  parseOr(): Predicate {
    let left = this.parseAnd();
    for (;;) {
      this.skip();
      if (!this.s.startsWith('||', this.pos)) return left;
      this.pos += 2;
      const a = left;
      const b = this.parseAnd();
      left = (item, doc) => a(item, doc) || b(item, doc);
    }
  }

  private parseAnd(): Predicate {
    let left = this.parseUnary();
    for (;;) {
      this.skip();
      if (!this.s.startsWith('&&', this.pos)) return left;
      this.pos += 2;
      const a = left;
      const b = this.parseUnary();
      left = (item, doc) => a(item, doc) && b(item, doc);
    }
  }

  private parseUnary(): Predicate {
    this.skip();
    const c = this.s[this.pos];
    if (c === '!') {
      const next = this.s[skipSpaces(this.s, this.pos + 1)];
      if (next !== '@' && next !== '$') {
        this.pos++;
        const inner = this.parseUnary();
        return (item, doc) => !inner(item, doc);
      }
    }
    if (c === '(') {
      this.pos++;
      const inner = this.parseOr();
      this.skip();
      if (this.s[this.pos] !== ')') fail(`Expected ')' at position ${this.pos} in filter ${this.s}`);
      this.pos++;
      return inner;
    }
    return this.parseRelation();
  }

  private atExpressionEnd(): boolean {
    this.skip();
    const c = this.s[this.pos];
    return c === undefined || c === ')' || this.s.startsWith('&&', this.pos) || this.s.startsWith('||', this.pos);
  }

  private parseRelation(): Predicate {
    this.skip();
    let negate = false;
    if (this.s[this.pos] === '!') {
      negate = true;
      this.pos++;
      this.skip();
    }
    const left = this.parseOperand();
    let pred: Predicate;
    if (this.atExpressionEnd()) {
      const path = left.path;
      if (path === null) fail(`Expected a path to test for existence in filter ${this.s}`);
      pred = existsPredicate(path);
    } else {
      const op = this.readOperator();
      const right = this.parseOperand();
      pred = comparePredicate(op, left, right);
    }
    if (!negate) return pred;
    const inner = pred;
    return (item, doc) => !inner(item, doc);
  }

  private readOperator(): string {
    this.skip();
    const start = this.pos;
    if (RELATIONAL_CHARS.includes(this.s[this.pos] ?? '\0')) {
      while (this.pos < this.s.length && RELATIONAL_CHARS.includes(this.s[this.pos]!)) this.pos++;
      const op = this.s.slice(start, this.pos);
      if (!SYMBOL_OPS.has(op)) fail(`Filter operator ${op} is not supported.`);
      return op;
    }
    while (this.pos < this.s.length && /[A-Za-z]/.test(this.s[this.pos]!)) this.pos++;
    const op = this.s.slice(start, this.pos);
    if (!WORD_OPS.has(op)) fail(`Filter operator ${op || this.s.slice(start, start + 1)} is not supported.`);
    return op;
  }

  private parseOperand(): Operand {
    this.skip();
    const s = this.s;
    const c = s[this.pos];
    if (c === '@' || c === '$') return this.readPathOperand();
    if (c === '/') {
      const start = this.pos;
      const end = skipLiteral(s, start);
      let flagsEnd = end;
      while (flagsEnd < s.length && /[a-z]/.test(s[flagsEnd]!)) flagsEnd++;
      this.pos = flagsEnd;
      const pattern = new Pattern(compileRegex(s.slice(start + 1, end - 1), s.slice(end, flagsEnd)));
      return { path: null, eval: () => pattern };
    }
    if (c === undefined) fail(`Expected a value at the end of filter ${s}`);
    const lit = new LiteralReader(s, this.pos);
    const value = lit.read();
    this.pos = lit.pos;
    return { path: null, eval: () => value };
  }

  /** Like Jayway, a path operand runs to whitespace, an operator, or a closing parenthesis. */
  private readPathOperand(): Operand {
    const s = this.s;
    const start = this.pos;
    let i = start + 1;
    while (i < s.length) {
      const c = s[i]!;
      if (c === '[') {
        i = closingSquare(s, i) + 1;
        continue;
      }
      if (c === '(' && s[i + 1] === ')') {
        i += 2;
        continue;
      }
      if (isSpace(c) || RELATIONAL_CHARS.includes(c) || c === ')' || c === '&' || c === '|' || c === ',') break;
      i++;
    }
    this.pos = i;
    const path = parsePath(s.slice(start, i), true);
    return { path, eval: (item, doc) => evaluateOperandPath(path, item, doc) };
  }
}

function closingSquare(s: string, open: number): number {
  let depth = 0;
  let i = open;
  while (i < s.length) {
    const c = s[i];
    if (c === "'" || c === '"') {
      i = skipLiteral(s, i);
      continue;
    }
    if (c === '[') depth++;
    else if (c === ']') {
      depth--;
      if (depth === 0) return i;
    }
    i++;
  }
  fail(`Square brackets does not match in filter ${s}`);
}

/**
 * Jayway compiles `/re/flags` with java.util.regex and tests with `matches()` (the whole input).
 * The sticky flag plus an end-of-input lookahead gives the same whole-string semantics in JS,
 * including backtracking into alternatives.
 */
function compileRegex(body: string, flags: string): RegExp {
  let js = 'y';
  for (const f of flags) {
    if (f === 'i' || f === 'm' || f === 's' || f === 'u') {
      if (!js.includes(f)) js += f;
    } else {
      fail(`Unsupported regex flag '${f}' in /${body}/${flags}`);
    }
  }
  try {
    return new RegExp(`(?:${body})(?![\\s\\S])`, js);
  } catch (e) {
    fail(`Invalid regular expression /${body}/: ${(e as Error).message}`);
  }
}

/**
 * Literals in filters: strings in single or double quotes (with Java escapes), numbers, booleans,
 * null, and JSON arrays/objects. Jayway reads the latter with json-smart, which also accepts
 * single-quoted strings (`@.x in ['a','b']`), so this reader does too.
 */
class LiteralReader {
  constructor(
    private readonly s: string,
    public pos: number,
  ) {}

  read(): JsonValue {
    this.pos = skipSpaces(this.s, this.pos);
    const c = this.s[this.pos];
    if (c === "'" || c === '"') return this.readString();
    if (c === '[') return this.readArray();
    if (c === '{') return this.readObject();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.s.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    const m = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(this.s.slice(this.pos));
    if (m === null) fail(`Could not parse value at position ${this.pos} in filter ${this.s}`);
    this.pos += m[0].length;
    return Number(m[0]);
  }

  private readString(): string {
    const end = skipLiteral(this.s, this.pos);
    const raw = this.s.slice(this.pos + 1, end - 1);
    this.pos = end;
    return unescapeJava(raw);
  }

  private readArray(): JsonValue[] {
    const out: JsonValue[] = [];
    this.pos++;
    this.pos = skipSpaces(this.s, this.pos);
    if (this.s[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.read());
      this.pos = skipSpaces(this.s, this.pos);
      const c = this.s[this.pos++];
      if (c === ']') return out;
      if (c !== ',') fail(`Invalid JSON array in filter ${this.s}`);
    }
  }

  private readObject(): JsonObject {
    const out: JsonObject = {};
    this.pos++;
    this.pos = skipSpaces(this.s, this.pos);
    if (this.s[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.pos = skipSpaces(this.s, this.pos);
      const q = this.s[this.pos];
      if (q !== '"' && q !== "'") fail(`Invalid JSON object in filter ${this.s}`);
      const key = this.readString();
      this.pos = skipSpaces(this.s, this.pos);
      if (this.s[this.pos++] !== ':') fail(`Invalid JSON object in filter ${this.s}`);
      setOwn(out, key, this.read());
      this.pos = skipSpaces(this.s, this.pos);
      const c = this.s[this.pos++];
      if (c === '}') return out;
      if (c !== ',') fail(`Invalid JSON object in filter ${this.s}`);
    }
  }
}

function unescapeJava(raw: string): string {
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c !== '\\' || i === raw.length - 1) {
      out += c;
      continue;
    }
    const n = raw[++i]!;
    switch (n) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'u': {
        const hex = raw.slice(i + 1, i + 5);
        if (/^[0-9a-fA-F]{4}$/.test(hex)) {
          out += String.fromCharCode(parseInt(hex, 16));
          i += 4;
        } else {
          out += 'u';
        }
        break;
      }
      default:
        out += n;
    }
  }
  return out;
}

function evaluateOperandPath(path: ParsedPath, item: JsonValue, doc: JsonValue): FValue {
  const v = evalParsed(path, path.root === 'doc' ? doc : item, doc);
  return v === undefined ? UNDEF : v;
}

function existsPredicate(path: ParsedPath): Predicate {
  return (item, doc) => {
    const v = evalParsed(path, path.root === 'doc' ? doc : item, doc);
    if (v === undefined) return false;
    return path.definite || (Array.isArray(v) && v.length > 0);
  };
}

/** Jayway builds its number nodes from Java's toString of the parsed value. */
function numberText(n: number): string {
  return String(n);
}

const BIG_DECIMAL_RE = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

function isContainer(v: FValue): v is JsonValue[] | JsonObject {
  return typeof v === 'object' && v !== null && !(v instanceof Pattern);
}

/** Jayway's `==`: numbers and strings cross-compare, containers compare structurally. */
function valueEquals(l: FValue, r: FValue): boolean {
  if (l === UNDEF || r === UNDEF) return false;
  if (l instanceof Pattern || r instanceof Pattern) {
    return l instanceof Pattern && r instanceof Pattern && l.re.source === r.re.source && l.re.flags === r.re.flags;
  }
  switch (typeof l) {
    case 'number':
      if (typeof r === 'number') return l === r;
      if (typeof r === 'string') return BIG_DECIMAL_RE.test(r) && Number(r) === l;
      return false;
    case 'string':
      if (typeof r === 'string') return l === r;
      if (typeof r === 'number') return l === numberText(r);
      return false;
    case 'boolean':
      return l === r;
    default:
      if (l === null) return r === null;
      return isContainer(r) && deepEqual(l, r);
  }
}

function deepEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i]!, b[i]!)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!hasOwn.call(b, k) || !deepEqual(a[k]!, b[k]!)) return false;
  return true;
}

function typeTag(v: FValue): string {
  if (v === UNDEF) return 'undefined';
  if (v instanceof Pattern) return 'pattern';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'json';
  return typeof v;
}

/** Jayway's ordering operators: number/number numerically, anything with a string as text, else false. */
function compareValues(l: FValue, r: FValue): number | null {
  if (typeof l === 'number' && typeof r === 'number') return l < r ? -1 : l > r ? 1 : 0;
  const ls = typeof l === 'string' ? l : typeof l === 'number' ? numberText(l) : null;
  const rs = typeof r === 'string' ? r : typeof r === 'number' ? numberText(r) : null;
  if (ls === null || rs === null || (typeof l !== 'string' && typeof r !== 'string')) return null;
  return ls < rs ? -1 : ls > rs ? 1 : 0;
}

function regexInput(v: FValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return numberText(v);
  if (typeof v === 'boolean') return String(v);
  return '';
}

function regexMatches(re: RegExp, v: FValue): boolean {
  if (Array.isArray(v)) return v.some((e) => regexMatches1(re, regexInput(e)));
  return regexMatches1(re, regexInput(v));
}

function regexMatches1(re: RegExp, input: string): boolean {
  re.lastIndex = 0;
  return re.test(input);
}

function listContains(list: FValue, v: FValue): boolean {
  return Array.isArray(list) && list.some((e) => valueEquals(v, e));
}

function comparePredicate(op: string, left: Operand, right: Operand): Predicate {
  const L = left.eval;
  const R = right.eval;
  switch (op) {
    case '==':
      return (i, d) => valueEquals(L(i, d), R(i, d));
    case '!=':
      return (i, d) => !valueEquals(L(i, d), R(i, d));
    case '===':
      return (i, d) => {
        const l = L(i, d);
        const r = R(i, d);
        return typeTag(l) === typeTag(r) && valueEquals(l, r);
      };
    case '!==':
      return (i, d) => {
        const l = L(i, d);
        const r = R(i, d);
        return !(typeTag(l) === typeTag(r) && valueEquals(l, r));
      };
    case '<':
      return (i, d) => (compareValues(L(i, d), R(i, d)) ?? 0) < 0;
    case '<=': {
      return (i, d) => {
        const c = compareValues(L(i, d), R(i, d));
        return c !== null && c <= 0;
      };
    }
    case '>':
      return (i, d) => (compareValues(L(i, d), R(i, d)) ?? 0) > 0;
    case '>=':
      return (i, d) => {
        const c = compareValues(L(i, d), R(i, d));
        return c !== null && c >= 0;
      };
    case '=~':
      return (i, d) => {
        const l = L(i, d);
        const r = R(i, d);
        if (l instanceof Pattern === r instanceof Pattern) return false;
        return l instanceof Pattern ? regexMatches(l.re, r) : regexMatches((r as Pattern).re, l);
      };
    case 'in':
      return (i, d) => listContains(R(i, d), L(i, d));
    case 'nin':
      return (i, d) => !listContains(R(i, d), L(i, d));
    case 'subsetof':
      return (i, d) => {
        const l = L(i, d);
        const r = R(i, d);
        return Array.isArray(l) && Array.isArray(r) && l.every((e) => listContains(r, e));
      };
    case 'anyof':
      return (i, d) => {
        const l = L(i, d);
        const r = R(i, d);
        return Array.isArray(l) && Array.isArray(r) && l.some((e) => listContains(r, e));
      };
    case 'noneof':
      return (i, d) => {
        const l = L(i, d);
        const r = R(i, d);
        return Array.isArray(l) && Array.isArray(r) && !l.some((e) => listContains(r, e));
      };
    case 'contains':
      return (i, d) => {
        const l = L(i, d);
        const r = R(i, d);
        if (typeof l === 'string') return typeof r === 'string' && l.includes(r);
        return listContains(l, r);
      };
    case 'size':
      return (i, d) => {
        const l = L(i, d);
        const r = R(i, d);
        if (typeof r !== 'number') return false;
        const n = Math.trunc(r);
        if (typeof l === 'string') return l.length === n;
        if (Array.isArray(l)) return l.length === n;
        if (isContainer(l)) return Object.keys(l).length === n;
        return false;
      };
    case 'empty':
      return (i, d) => {
        const l = L(i, d);
        const r = R(i, d);
        if (typeof r !== 'boolean') return false;
        if (typeof l === 'string') return (l.length === 0) === r;
        if (Array.isArray(l)) return (l.length === 0) === r;
        if (isContainer(l)) return (Object.keys(l).length === 0) === r;
        return false;
      };
    default:
      fail(`Filter operator ${op} is not supported.`);
  }
}

// ---------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Assigning `__proto__` on a plain object would change its prototype; keys must stay data. */
export function setOwn(obj: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

function walkKeys(root: JsonValue, keys: readonly (string | number)[]): JsonValue | undefined {
  let cur: JsonValue = root;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (typeof k === 'string') {
      if (typeof cur !== 'object' || cur === null || Array.isArray(cur) || !hasOwn.call(cur, k)) return undefined;
      cur = cur[k]!;
    } else {
      if (!Array.isArray(cur)) return undefined;
      const idx = k < 0 ? cur.length + k : k;
      if (idx < 0 || idx >= cur.length) return undefined;
      cur = cur[idx]!;
    }
  }
  return cur;
}

function lengthOf(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.length;
  if (isObject(v)) return Object.keys(v).length;
  return null;
}

function evalParsed(p: ParsedPath, root: JsonValue | undefined, doc: JsonValue): JsonValue | undefined {
  if (root === undefined) return p.definite ? undefined : [];
  if (p.keys !== null) return walkKeys(root, p.keys);
  const out: JsonValue[] = [];
  collect(p.steps, 0, root, doc, out);
  if (p.definite) return out.length > 0 ? out[0] : undefined;
  // Grown by push, `out` has room for at least 17 elements (17 doubles take 152 bytes); a
  // result usually lives on in the history, so it is kept as an exact copy.
  return out.length > 0 ? out.slice() : out;
}

function sliceIndexes(len: number, from: number | null, to: number | null): number[] {
  const out: number[] = [];
  if (len === 0) return out;
  if (to === null) {
    let f = from! < 0 ? len + from! : from!;
    f = Math.max(0, f);
    for (let i = f; i < len; i++) out.push(i);
  } else if (from === null) {
    let t = to < 0 ? len + to : to;
    t = Math.min(len, t);
    for (let i = 0; i < t; i++) out.push(i);
  } else {
    // Jayway leaves both bounds as written here; negative ones are wrapped per index below.
    const t = Math.min(len, to);
    for (let i = from; i < t; i++) out.push(i);
  }
  return out;
}

function collectIndex(steps: readonly Step[], i: number, arr: JsonValue[], index: number, doc: JsonValue, out: JsonValue[]): void {
  const eff = index < 0 ? arr.length + index : index;
  if (eff >= 0 && eff < arr.length) collect(steps, i, arr[eff]!, doc, out);
}

/** Lenient walk for paths that may match several nodes: anything missing is just no match. */
function collect(steps: readonly Step[], i: number, node: JsonValue, doc: JsonValue, out: JsonValue[]): void {
  if (i === steps.length) {
    out.push(node);
    return;
  }
  const st = steps[i]!;
  switch (st.t) {
    case 'prop':
      if (isObject(node) && hasOwn.call(node, st.name)) collect(steps, i + 1, node[st.name]!, doc, out);
      return;
    case 'props':
      if (!isObject(node)) return;
      if (i === steps.length - 1) {
        const merged: JsonObject = {};
        for (const name of st.names) if (hasOwn.call(node, name)) setOwn(merged, name, node[name]!);
        out.push(merged);
      } else {
        for (const name of st.names) if (hasOwn.call(node, name)) collect(steps, i + 1, node[name]!, doc, out);
      }
      return;
    case 'index':
      if (Array.isArray(node)) collectIndex(steps, i + 1, node, st.index, doc, out);
      return;
    case 'indexes':
      if (Array.isArray(node)) for (const idx of st.indexes) collectIndex(steps, i + 1, node, idx, doc, out);
      return;
    case 'slice':
      if (Array.isArray(node)) for (const idx of sliceIndexes(node.length, st.from, st.to)) collectIndex(steps, i + 1, node, idx, doc, out);
      return;
    case 'wild':
      if (Array.isArray(node)) {
        for (const v of node) collect(steps, i + 1, v, doc, out);
      } else if (isObject(node)) {
        for (const k of Object.keys(node)) collect(steps, i + 1, node[k]!, doc, out);
      }
      return;
    case 'scan':
      scan(steps, i + 1, node, doc, out);
      return;
    case 'filter':
      if (Array.isArray(node)) {
        for (const v of node) if (st.pred(v, doc)) collect(steps, i + 1, v, doc, out);
      } else if (isObject(node)) {
        if (st.pred(node, doc)) collect(steps, i + 1, node, doc, out);
      }
      return;
    case 'length':
      out.push(lengthOf(node));
      return;
  }
}

/**
 * `..x` applies the following token at the node and every descendant, parents first. A filter
 * after `..` tests each object itself, so array elements are not reported twice.
 */
function scan(steps: readonly Step[], next: number, node: JsonValue, doc: JsonValue, out: JsonValue[]): void {
  const st = steps[next]!;
  if (st.t === 'filter') {
    if (isObject(node) && st.pred(node, doc)) collect(steps, next + 1, node, doc, out);
  } else {
    collect(steps, next, node, doc, out);
  }
  if (Array.isArray(node)) {
    for (const v of node) scan(steps, next, v, doc, out);
  } else if (isObject(node)) {
    for (const k of Object.keys(node)) scan(steps, next, node[k]!, doc, out);
  }
}

function rootValue(p: ParsedPath, ctx: PathContext): JsonValue | undefined {
  switch (p.root) {
    case 'context':
      return ctx.context;
    case 'variable': {
      const vars = ctx.variables;
      return vars !== undefined && hasOwn.call(vars, p.variable!) ? vars[p.variable!] : undefined;
    }
    default:
      return ctx.input;
  }
}

// ---------------------------------------------------------------------------------------------
// Jayway's explanations of a definite path's missing result
// ---------------------------------------------------------------------------------------------

function fragment(st: Step): string {
  switch (st.t) {
    case 'prop':
      return `[${st.delim}${st.name}${st.delim}]`;
    case 'props':
      return `[${st.names.map((n) => st.delim + n + st.delim).join(',')}]`;
    case 'index':
      return `[${st.index}]`;
    case 'indexes':
      return `[${st.indexes.join(',')}]`;
    case 'slice':
      return `[${st.from ?? ''}:${st.to ?? ''}]`;
    case 'wild':
      return '[*]';
    case 'scan':
      return '..';
    case 'filter':
      return st.source;
    case 'length':
      return '.length()';
  }
}

/** The normalized form Jayway prints in its messages, e.g. `$.a.b` → `$['a']['b']`. */
export function normalizedPath(path: string): string {
  const p = getParsed(path);
  return '$' + p.steps.map(fragment).join('');
}

/** Java class names as json-smart (Jayway's default provider) would hold the value. */
function javaClassOf(v: JsonValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return 'java.lang.String';
  if (typeof v === 'boolean') return 'java.lang.Boolean';
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) return 'java.lang.Double';
    return Math.abs(v) <= MAX_INT ? 'java.lang.Integer' : 'java.lang.Long';
  }
  return Array.isArray(v) ? 'net.minidev.json.JSONArray' : 'net.minidev.json.JSONObject';
}

function javaToString(v: JsonValue): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function explainMiss(p: ParsedPath, root: JsonValue | undefined): string {
  const normalized = '$' + p.steps.map(fragment).join('');
  const noResults = `No results for path: ${normalized}`;
  if (root === undefined) return noResults;
  let cur: JsonValue = root;
  let current = '$';
  const last = p.steps.length - 1;
  for (let k = 0; k <= last; k++) {
    const st = p.steps[k]!;
    if (st.t === 'prop' || st.t === 'props') {
      if (!isObject(cur)) {
        return (
          `Expected to find an object with property ${fragment(st)} in path ${current} but found '${javaClassOf(cur)}'. ` +
          "This is not a json object according to the JsonProvider: 'com.jayway.jsonpath.spi.json.JsonSmartJsonProvider'."
        );
      }
      if (st.t === 'props') return noResults;
      if (!hasOwn.call(cur, st.name)) return k === last ? noResults : `Missing property in path ${current}['${st.name}']`;
      current += `['${st.name}']`;
      cur = cur[st.name]!;
    } else if (st.t === 'index') {
      if (cur === null) return `The path ${current} is null`;
      if (!Array.isArray(cur)) return `Filter: ${fragment(st)} can only be applied to arrays. Current context is: ${javaToString(cur)}`;
      const idx = st.index < 0 ? cur.length + st.index : st.index;
      if (idx < 0 || idx >= cur.length) return noResults;
      current += `[${st.index}]`;
      cur = cur[idx]!;
    } else {
      return noResults;
    }
  }
  return noResults;
}

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

const CACHE_LIMIT = 4096;
const parsedCache = new Map<string, ParsedPath | PathSyntaxError>();

function lookup(path: string): ParsedPath | PathSyntaxError {
  let entry = parsedCache.get(path);
  if (entry === undefined) {
    try {
      entry = parsePath(path, false);
    } catch (e) {
      if (!(e instanceof PathSyntaxError)) throw e;
      entry = e;
    }
    if (parsedCache.size >= CACHE_LIMIT) parsedCache.clear();
    parsedCache.set(path, entry);
  }
  return entry;
}

function getParsed(path: string): ParsedPath {
  const entry = lookup(path);
  if (entry instanceof PathSyntaxError) throw new AslError(StatesErrors.Runtime, `Invalid path '${path}' : ${entry.message}`);
  return entry;
}

/**
 * Evaluates a JSONPath-mode path: `$...` reads the input, `$$...` the context object,
 * `$name...` a workflow variable. Returns `undefined` when a definite path matches nothing;
 * an indefinite path (wildcard, slice, filter, union, deep scan) returns the array of matches.
 * A syntactically invalid path throws AslError(States.Runtime).
 */
export function evaluatePath(path: string, ctx: PathContext): JsonValue | undefined {
  const p = getParsed(path);
  const root = rootValue(p, ctx);
  return evalParsed(p, root, root as JsonValue);
}

/**
 * A path that must match, compiled once for a payload template or an intrinsic call: a syntax
 * error is thrown when the path is evaluated, as it would be uncompiled, and `missing` makes the
 * error for a path that matches nothing (each caller words it its own way).
 */
export function compileRequiredPath(path: string, missing: (ctx: PathContext) => Error): (ctx: PathContext) => JsonValue {
  let select: (ctx: PathContext) => JsonValue | undefined;
  try {
    select = compilePath(path);
  } catch (e) {
    return () => {
      throw e;
    };
  }
  return (ctx) => {
    const value = select(ctx);
    if (value === undefined) throw missing(ctx);
    return value;
  };
}

/** Parses once; the returned function evaluates like `evaluatePath`. Throws on invalid syntax. */
export function compilePath(path: string): (ctx: PathContext) => JsonValue | undefined {
  const p = getParsed(path);
  const keys = p.keys;
  if (keys !== null && p.root === 'input') {
    if (keys.length === 0) return (ctx) => ctx.input;
    if (keys.length === 1 && typeof keys[0] === 'string') {
      const k = keys[0];
      return (ctx) => {
        const v = ctx.input;
        return typeof v === 'object' && v !== null && !Array.isArray(v) && hasOwn.call(v, k) ? v[k] : undefined;
      };
    }
    return (ctx) => walkKeys(ctx.input, keys);
  }
  return (ctx) => {
    const root = rootValue(p, ctx);
    return evalParsed(p, root, root as JsonValue);
  };
}

/** Syntax check only: null when valid, else a short reason. */
export function checkPathSyntax(path: string): string | null {
  if (typeof path !== 'string') return 'Path must be a string';
  const entry = lookup(path);
  return entry instanceof PathSyntaxError ? entry.message : null;
}

/** True when the path can only ever select one node (AWS then returns the value, not a list). */
export function isDefinitePath(path: string): boolean {
  const entry = lookup(path);
  return !(entry instanceof PathSyntaxError) && entry.definite;
}

/**
 * For InputPath, OutputPath, ItemsPath and the `*Path` fields: the selected value, or AWS's
 * States.Runtime failure, e.g. `Invalid path '$.x' : No results for path: $['x']`.
 */
export function selectPathOrThrowRuntime(path: string, ctx: PathContext): JsonValue {
  const p = getParsed(path);
  const root = rootValue(p, ctx);
  const v = evalParsed(p, root, root as JsonValue);
  if (v !== undefined) return v;
  throw new AslError(StatesErrors.Runtime, `Invalid path '${path}' : ${explainMiss(p, root)}`);
}

/** Root and single-node steps of a reference path (`$.a[0]['b']`), or why it is not one. */
export type ReferencePathInfo =
  | { readonly ok: true; readonly root: 'input' | 'context' | 'variable'; readonly variable: string | undefined; readonly keys: readonly (string | number)[] }
  | { readonly ok: false; readonly reason: string };

export function parseReferencePath(path: string): ReferencePathInfo {
  if (typeof path !== 'string') return { ok: false, reason: 'Path must be a string' };
  const entry = lookup(path);
  if (entry instanceof PathSyntaxError) return { ok: false, reason: entry.message };
  if (entry.keys === null) {
    return { ok: false, reason: 'A reference path may only use single field names and array indexes (no wildcards, slices, filters, unions, deep scans or functions)' };
  }
  return { ok: true, root: entry.root as 'input' | 'context' | 'variable', variable: entry.variable, keys: entry.keys };
}
