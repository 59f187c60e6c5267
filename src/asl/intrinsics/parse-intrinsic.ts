/**
 * Parser for JSONPath-mode intrinsic function calls (`States.Format('x {}', $.a)`).
 * It produces an AST and knows nothing about what the functions do; the table in
 * `intrinsic-table.ts` gives names their meaning.
 */

export type IntrinsicNode = IntrinsicCall | IntrinsicString | IntrinsicNumber | IntrinsicBoolean | IntrinsicNull | IntrinsicPath;

export interface IntrinsicCall {
  readonly kind: 'call';
  /** Full name, e.g. `States.Format`. */
  readonly name: string;
  readonly args: readonly IntrinsicNode[];
}

export interface IntrinsicString {
  readonly kind: 'string';
  /** The text with escapes resolved. */
  readonly value: string;
  /**
   * The text cut at every unescaped `{}`. States.Format needs this because `\{\}` must print
   * as braces while `{}` is a placeholder, and the two look the same once escapes are resolved.
   */
  readonly segments: readonly string[];
  /** Whether an unescaped `{` is not followed by `}`, which States.Format refuses when it runs. */
  readonly unmatchedBrace: boolean;
}

export interface IntrinsicNumber {
  readonly kind: 'number';
  readonly value: number;
}

export interface IntrinsicBoolean {
  readonly kind: 'boolean';
  readonly value: boolean;
}

export interface IntrinsicNull {
  readonly kind: 'null';
}

/** `$...` (input), `$$...` (context object) or `$name...` (variable), kept as written. */
export interface IntrinsicPath {
  readonly kind: 'path';
  readonly path: string;
}

export class IntrinsicSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly position: number,
  ) {
    super(`${reason} (at position ${position})`);
    this.name = 'IntrinsicSyntaxError';
  }
}

const FUNCTION_PREFIX = 'States.';
// Characters AWS lets a backslash escape inside a quoted argument; any other escape is an error.
const ESCAPABLE = new Set(["'", '{', '}', '\\']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const NAME = /[A-Za-z0-9]+/y;

/**
 * Parses a whole `.$` value. The value must start with the call itself: AWS rejects leading
 * whitespace, but accepts trailing whitespace.
 */
export function parseIntrinsic(expression: string): IntrinsicCall {
  const parser = new Parser(expression);
  if (!expression.startsWith(FUNCTION_PREFIX)) {
    throw new IntrinsicSyntaxError(`an intrinsic function call must start with '${FUNCTION_PREFIX}'`, 0);
  }
  const call = parser.call();
  parser.skipSpace();
  if (!parser.atEnd()) {
    parser.fail(`unexpected '${parser.peek()}' after the closing parenthesis`);
  }
  return call;
}

class Parser {
  private pos = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  peek(): string {
    return this.text[this.pos] ?? '';
  }

  fail(reason: string): never {
    throw new IntrinsicSyntaxError(reason, this.pos);
  }

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  call(): IntrinsicCall {
    const start = this.pos;
    if (!this.text.startsWith(FUNCTION_PREFIX, this.pos)) this.fail(`expected '${FUNCTION_PREFIX}'`);
    this.pos += FUNCTION_PREFIX.length;
    NAME.lastIndex = this.pos;
    const match = NAME.exec(this.text);
    if (!match) this.fail('expected a function name after \'States.\'');
    this.pos += match[0].length;
    const name = this.text.slice(start, this.pos);
    this.skipSpace();
    if (this.peek() !== '(') this.fail(`expected '(' after ${name}`);
    this.pos++;
    const args: IntrinsicNode[] = [];
    this.skipSpace();
    if (this.peek() === ')') {
      this.pos++;
      return { kind: 'call', name, args };
    }
    for (;;) {
      this.skipSpace();
      args.push(this.argument());
      this.skipSpace();
      const c = this.peek();
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === ')') {
        this.pos++;
        return { kind: 'call', name, args };
      }
      if (this.atEnd()) this.fail(`missing ')' to close ${name}(`);
      this.fail(`expected ',' or ')' in the arguments of ${name}, found '${c}'`);
    }
  }

  private argument(): IntrinsicNode {
    const c = this.peek();
    if (c === "'") return this.string();
    if (c === '$') return this.path();
    if (this.text.startsWith(FUNCTION_PREFIX, this.pos)) return this.call();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const [word, node] of KEYWORDS) {
      if (this.text.startsWith(word, this.pos) && this.isArgumentEnd(this.pos + word.length)) {
        this.pos += word.length;
        return node;
      }
    }
    if (this.atEnd() || c === ')' || c === ',') this.fail('missing argument');
    this.fail(`unexpected '${c}': an argument must be a quoted string, a number, true, false, null, a path or an intrinsic function call`);
  }

  private isArgumentEnd(at: number): boolean {
    const c = this.text[at];
    return c === undefined || c === ',' || c === ')' || /\s/.test(c);
  }

  private number(): IntrinsicNumber {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (!match || !this.isArgumentEnd(this.pos + match[0].length)) this.fail('invalid number');
    this.pos += match[0].length;
    const value = Number(match[0]);
    return { kind: 'number', value: Object.is(value, -0) ? 0 : value };
  }

  private string(): IntrinsicString {
    this.pos++; // opening quote
    const segments: string[] = [];
    let current = '';
    let value = '';
    let unmatchedBrace = false;
    for (;;) {
      if (this.atEnd()) this.fail('unterminated string: missing closing \'');
      const c = this.text[this.pos]!;
      if (c === "'") {
        this.pos++;
        segments.push(current);
        return { kind: 'string', value, segments, unmatchedBrace };
      }
      if (c === '\\') {
        const next = this.text[this.pos + 1];
        if (next === undefined || !ESCAPABLE.has(next)) {
          this.fail(`invalid escape '\\${next ?? ''}': only \\', \\{, \\} and \\\\ are allowed`);
        }
        current += next;
        value += next;
        this.pos += 2;
        continue;
      }
      if (c === '{' && this.text[this.pos + 1] === '}') {
        segments.push(current);
        current = '';
        value += '{}';
        this.pos += 2;
        continue;
      }
      if (c === '{') unmatchedBrace = true;
      current += c;
      value += c;
      this.pos++;
    }
  }

  /**
   * A path runs to the first `,` or `)` that is not inside brackets, parentheses or quotes,
   * so filters such as `$.a[?(@.b, 'x)')]` stay whole. Its own syntax is checked by json-path.
   */
  private path(): IntrinsicPath {
    const start = this.pos;
    let brackets = 0;
    let parens = 0;
    let quote: string | null = null;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos]!;
      if (quote !== null) {
        if (c === '\\') this.pos++;
        else if (c === quote) quote = null;
      } else if (brackets > 0 && (c === "'" || c === '"')) {
        quote = c;
      } else if (c === '[') {
        brackets++;
      } else if (c === ']') {
        if (brackets === 0) this.fail("unbalanced ']' in path");
        brackets--;
      } else if (c === '(') {
        parens++;
      } else if (c === ')') {
        if (parens === 0 && brackets === 0) break;
        parens = Math.max(0, parens - 1);
      } else if (c === ',' && brackets === 0 && parens === 0) {
        break;
      }
      this.pos++;
    }
    if (quote !== null || brackets > 0) this.fail('unterminated path');
    const path = this.text.slice(start, this.pos).trimEnd();
    return { kind: 'path', path };
  }
}

const KEYWORDS: ReadonlyArray<readonly [string, IntrinsicNode]> = [
  ['true', { kind: 'boolean', value: true }],
  ['false', { kind: 'boolean', value: false }],
  ['null', { kind: 'null' }],
];
