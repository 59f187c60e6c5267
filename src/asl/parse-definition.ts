import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type * as YamlLibrary from 'yaml';
import type { Document } from 'yaml';
import { StepwiseError } from '../errors/stepwise-error.js';
import { MAX_JSON_DEPTH } from './json-value.js';
import { loadOnFirstUse } from './load-on-first-use.js';

/**
 * Reads a state machine definition from JSON or YAML text.
 *
 * JSON goes through a small parser of our own rather than JSON.parse: AWS parses definitions with a
 * strict JSON reader, and we need its line:column on errors and the keys an object repeats (JSON.parse
 * silently keeps the last one, which would hide a duplicated state name from the validator).
 */

/** Keys that occurred more than once in an object parsed by this module, in order of repetition. */
const repeatedKeys = new WeakMap<object, string[]>();

/** The keys that appeared more than once in `value` when it was parsed from text (empty if none or unknown). */
export function duplicateKeysOf(value: unknown): readonly string[] {
  return typeof value === 'object' && value !== null ? (repeatedKeys.get(value) ?? []) : [];
}

export type DefinitionFormat = 'json' | 'yaml';

/** `details` of the StepwiseError('InvalidDefinition') thrown here: what kind of failure it was, and where. */
export interface DefinitionErrorDetails {
  kind: 'read' | 'empty' | 'syntax' | 'template';
  line?: number;
  column?: number;
  reason?: string;
}

export interface ParseOptions {
  /** Forces the format instead of guessing it from `source`'s extension and the text. */
  format?: DefinitionFormat;
}

/**
 * Parses definition text. `source` names where the text came from (a file path) and is used both to pick
 * the format (.json / .yaml / .yml) and in error messages. A CloudFormation or SAM template holding exactly
 * one state machine is accepted too: its `Definition` (or `DefinitionString`) is returned.
 */
export function parseDefinitionText(text: string, source: string, options: ParseOptions = {}): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') {
    throw new StepwiseError('InvalidDefinition', `${source}: the definition is empty; expected a JSON or YAML object with "StartAt" and "States".`, { kind: 'empty' } satisfies DefinitionErrorDetails);
  }
  const format = options.format ?? guessFormat(body, source);
  const value = format === 'json' ? parseJsonText(body, source) : parseYamlText(body, source);
  return unwrapTemplate(value, source);
}

/** Reads and parses a definition file; every failure is a StepwiseError('InvalidDefinition') naming the file. */
export async function loadDefinitionFile(path: string, options: ParseOptions = {}): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new StepwiseError('InvalidDefinition', `${path}: cannot read the definition file (${describeFsError(error)}).`, { kind: 'read' } satisfies DefinitionErrorDetails);
  }
  return parseDefinitionText(text, path, options);
}

/** Why a file could not be read, in words (no such file, a directory, permission denied) rather than an errno code. */
export function describeFsError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}

function guessFormat(text: string, source: string): DefinitionFormat {
  const ext = extname(source).toLowerCase();
  if (ext === '.json' || ext === '.json5') return 'json';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  // Unknown extension: JSON documents start with an object or array; anything else is read as YAML.
  const first = text.trimStart()[0];
  return first === '{' || first === '[' ? 'json' : 'yaml';
}

// ---------------------------------------------------------------------------------------------------------
// JSON

class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/**
 * Why `text` is not JSON, with its line and column (`reason (line L, column C)`), or undefined when
 * it is. Node 20's JSON.parse often gives no position (`Unexpected token 'o', "not json" is not valid
 * JSON`), and quotes the text, newlines and all.
 */
export function jsonSyntaxProblem(text: string, source: string): string | undefined {
  try {
    parseJsonText(text, source);
  } catch (e) {
    const details = (e as StepwiseError).details as DefinitionErrorDetails | undefined;
    if (details?.reason !== undefined) return `${details.reason} (line ${details.line}, column ${details.column})`;
  }
  return undefined;
}

/** Parses strict JSON (RFC 8259); throws StepwiseError('InvalidDefinition') with file:line:column. */
export function parseJsonText(text: string, source: string): unknown {
  try {
    return new JsonReader(text).readDocument();
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      const { line, column } = lineColumn(text, error.offset);
      throw new StepwiseError(
        'InvalidDefinition',
        `${source}:${line}:${column}: invalid JSON: ${error.reason}.\n${excerpt(text, line, column)}`,
        { kind: 'syntax', line, column, reason: error.reason } satisfies DefinitionErrorDetails,
      );
    }
    throw error;
  }
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function excerpt(text: string, line: number, column: number): string {
  const lineText = (text.split('\n')[line - 1] ?? '').replace(/\r$/, '');
  // Long minified lines are cut around the error so the caret stays readable.
  const start = Math.max(0, column - 60);
  const shown = lineText.slice(start, start + 120);
  const pad = ' '.repeat(Math.max(0, column - 1 - start));
  return `  ${shown}\n  ${pad}^`;
}

function describeChar(ch: string | undefined): string {
  if (ch === undefined) return 'end of input';
  if (ch === '\n') return 'a line break';
  if (ch === '\t') return 'a tab';
  const code = ch.charCodeAt(0);
  if (code < 0x20) return `control character U+${code.toString(16).padStart(4, '0').toUpperCase()}`;
  return `'${ch}'`;
}

class JsonReader {
  private pos = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  readDocument(): unknown {
    this.skipWhitespace();
    const value = this.readValue();
    this.skipWhitespace();
    if (this.pos < this.text.length) {
      throw new JsonSyntaxError(this.pos, `unexpected ${describeChar(this.text[this.pos])} after the end of the JSON value`);
    }
    return value;
  }

  private skipWhitespace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
      else if (c === 0x2f && (t[this.pos + 1] === '/' || t[this.pos + 1] === '*')) {
        throw new JsonSyntaxError(this.pos, 'comments are not allowed in JSON');
      } else break;
    }
  }

  private readValue(): unknown {
    const ch = this.text[this.pos];
    switch (ch) {
      case '{':
        return this.readObject();
      case '[':
        return this.readArray();
      case '"':
        return this.readString();
      case 't':
        return this.readKeyword('true', true);
      case 'f':
        return this.readKeyword('false', false);
      case 'n':
        return this.readKeyword('null', null);
      default:
        if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return this.readNumber();
        if (ch === "'") throw new JsonSyntaxError(this.pos, "strings must use double quotes (\"), not single quotes");
        throw new JsonSyntaxError(this.pos, `expected a JSON value (object, array, string, number, true, false or null) but found ${describeWord(this.text, this.pos)}`);
    }
  }

  private enter(): void {
    // Deep nesting is almost certainly garbage input; stop before the JS stack does.
    if (++this.depth > MAX_JSON_DEPTH) throw new JsonSyntaxError(this.pos, `nesting is deeper than ${MAX_JSON_DEPTH} levels`);
  }

  private readObject(): Record<string, unknown> {
    this.enter();
    const open = this.pos;
    this.pos++;
    const result: Record<string, unknown> = {};
    const seen = new Set<string>();
    let repeated: string[] | undefined;
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      this.depth--;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') {
        if (this.text[this.pos] === '}') throw new JsonSyntaxError(this.pos, 'trailing comma before \'}\'');
        if (this.pos >= this.text.length) throw new JsonSyntaxError(this.pos, `unterminated object (opened at ${this.where(open)})`);
        throw new JsonSyntaxError(this.pos, `expected a property name in double quotes but found ${describeWord(this.text, this.pos)}`);
      }
      const key = this.readString();
      this.skipWhitespace();
      if (this.text[this.pos] !== ':') {
        throw new JsonSyntaxError(this.pos, `expected ':' after property name "${key}" but found ${describeChar(this.text[this.pos])}`);
      }
      this.pos++;
      this.skipWhitespace();
      const value = this.readValue();
      if (seen.has(key)) (repeated ??= []).push(key);
      seen.add(key);
      // defineProperty keeps "__proto__" an ordinary own key, as JSON.parse does.
      Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
      this.skipWhitespace();
      const next = this.text[this.pos];
      if (next === ',') {
        this.pos++;
        continue;
      }
      if (next === '}') {
        this.pos++;
        break;
      }
      if (next === undefined) throw new JsonSyntaxError(this.pos, `unterminated object (opened at ${this.where(open)}): expected ',' or '}'`);
      throw new JsonSyntaxError(this.pos, `expected ',' or '}' after the value of "${key}" but found ${describeChar(next)}`);
    }
    if (repeated) repeatedKeys.set(result, repeated);
    this.depth--;
    return result;
  }

  private readArray(): unknown[] {
    this.enter();
    const open = this.pos;
    this.pos++;
    const result: unknown[] = [];
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      this.depth--;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] === ']') throw new JsonSyntaxError(this.pos, "trailing comma before ']'");
      result.push(this.readValue());
      this.skipWhitespace();
      const next = this.text[this.pos];
      if (next === ',') {
        this.pos++;
        continue;
      }
      if (next === ']') {
        this.pos++;
        break;
      }
      if (next === undefined) throw new JsonSyntaxError(this.pos, `unterminated array (opened at ${this.where(open)}): expected ',' or ']'`);
      throw new JsonSyntaxError(this.pos, `expected ',' or ']' after an array element but found ${describeChar(next)}`);
    }
    this.depth--;
    return result;
  }

  private readString(): string {
    const t = this.text;
    const open = this.pos;
    this.pos++;
    let out = '';
    let chunkStart = this.pos;
    for (;;) {
      if (this.pos >= t.length) throw new JsonSyntaxError(open, 'unterminated string');
      const c = t.charCodeAt(this.pos);
      if (c === 0x22) {
        out += t.slice(chunkStart, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) {
        throw new JsonSyntaxError(this.pos, `${describeChar(t[this.pos])} inside a string must be escaped (for a line break write \\n)`);
      }
      if (c === 0x5c) {
        out += t.slice(chunkStart, this.pos);
        const esc = t[this.pos + 1];
        switch (esc) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            const hex = t.slice(this.pos + 2, this.pos + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new JsonSyntaxError(this.pos, 'invalid \\u escape: expected four hex digits');
            out += String.fromCharCode(parseInt(hex, 16));
            this.pos += 4;
            break;
          }
          default:
            throw new JsonSyntaxError(this.pos, `invalid escape sequence \\${esc ?? ''} in string`);
        }
        this.pos += 2;
        chunkStart = this.pos;
        continue;
      }
      this.pos++;
    }
  }

  private readNumber(): number {
    const m = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(this.text.slice(this.pos, this.pos + 400));
    if (!m) throw new JsonSyntaxError(this.pos, `invalid number ${describeWord(this.text, this.pos)}`);
    const after = this.text[this.pos + m[0].length];
    if (after !== undefined && /[0-9A-Za-z.]/.test(after)) {
      throw new JsonSyntaxError(this.pos, `invalid number ${describeWord(this.text, this.pos)}`);
    }
    this.pos += m[0].length;
    return Number(m[0]);
  }

  private readKeyword<T>(word: string, value: T): T {
    if (this.text.startsWith(word, this.pos) && !/[A-Za-z0-9_$]/.test(this.text[this.pos + word.length] ?? '')) {
      this.pos += word.length;
      return value;
    }
    throw new JsonSyntaxError(this.pos, `expected a JSON value (object, array, string, number, true, false or null) but found ${describeWord(this.text, this.pos)}`);
  }

  private where(offset: number): string {
    const { line, column } = lineColumn(this.text, offset);
    return `line ${line}, column ${column}`;
  }
}

function describeWord(text: string, pos: number): string {
  if (pos >= text.length) return 'end of input';
  const word = /^[A-Za-z0-9_$.+-]+/.exec(text.slice(pos, pos + 40))?.[0];
  return word ? `'${word}'` : describeChar(text[pos]);
}

// ---------------------------------------------------------------------------------------------------------
// YAML

/** The library, loaded at the first YAML definition parsed. */
const yaml = loadOnFirstUse<typeof YamlLibrary>('yaml');

function parseYamlText(text: string, source: string): unknown {
  const { parseDocument } = yaml(); // outside the try: failing to load the library is no error in the text
  let doc: Document.Parsed;
  try {
    // uniqueKeys makes a repeated key an error, like a repeated state name is for AWS.
    doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true, strict: true });
  } catch (error) {
    throw new StepwiseError('InvalidDefinition', `${source}: invalid YAML: ${error instanceof Error ? error.message : String(error)}`, { kind: 'syntax' } satisfies DefinitionErrorDetails);
  }
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    const where = pos ? `${source}:${pos.line}:${pos.col}` : source;
    // yaml's message repeats the position and an excerpt; keep its first line and our own prefix.
    const reason = first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new StepwiseError('InvalidDefinition', `${where}: invalid YAML: ${reason}.`, { kind: 'syntax', line: pos?.line, column: pos?.col, reason } satisfies DefinitionErrorDetails);
  }
  return doc.toJS({ maxAliasCount: 100 });
}

// ---------------------------------------------------------------------------------------------------------
// CloudFormation / SAM templates

const TEMPLATE: DefinitionErrorDetails = { kind: 'template' };
const STATE_MACHINE_RESOURCE_TYPES = new Set(['AWS::StepFunctions::StateMachine', 'AWS::Serverless::StateMachine']);

function unwrapTemplate(value: unknown, source: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  if ('States' in record || 'StartAt' in record) return value;
  const resources = record['Resources'];
  if (typeof resources !== 'object' || resources === null || Array.isArray(resources)) return value;

  const machines = Object.entries(resources as Record<string, unknown>).filter(([, resource]) => {
    const type = (resource as { Type?: unknown } | null)?.Type;
    return typeof type === 'string' && STATE_MACHINE_RESOURCE_TYPES.has(type);
  });
  if (machines.length === 0) {
    throw new StepwiseError('InvalidDefinition', `${source}: this is a CloudFormation template without a state machine resource (AWS::StepFunctions::StateMachine or AWS::Serverless::StateMachine).`, TEMPLATE);
  }
  if (machines.length > 1) {
    const names = machines.map(([name]) => name).join(', ');
    throw new StepwiseError('InvalidDefinition', `${source}: the template defines ${machines.length} state machines (${names}); extract the one to check into its own file.`, TEMPLATE);
  }
  const [name, resource] = machines[0]!;
  const props = ((resource as { Properties?: unknown }).Properties ?? {}) as Record<string, unknown>;
  if (typeof props['Definition'] === 'object' && props['Definition'] !== null) return props['Definition'];
  const text = props['DefinitionString'];
  if (typeof text === 'string') return parseJsonText(text, `${source} (Resources.${name}.Properties.DefinitionString)`);
  if (props['DefinitionUri'] !== undefined) {
    throw new StepwiseError('InvalidDefinition', `${source}: state machine ${name} loads its definition from DefinitionUri; validate that file instead.`, TEMPLATE);
  }
  throw new StepwiseError('InvalidDefinition', `${source}: state machine ${name} has no inline Definition or DefinitionString.`, TEMPLATE);
}
