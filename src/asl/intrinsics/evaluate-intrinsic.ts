import { randomUUID } from 'node:crypto';
import { checkPathSyntax, compileRequiredPath } from '../json-path.js';
import { isJsonObject, type JsonValue } from '../json-value.js';
import { AslError } from '../../errors/asl-error.js';
import { StatesErrors } from '../../errors/error-names.js';
import type { PathContext } from '../path-context.js';
import { INTRINSIC_FUNCTIONS } from './intrinsic-table.js';
import {
  intrinsicFailure,
  intrinsicFailureCause,
  IntrinsicEvaluationError,
  IntrinsicPathNotFoundError,
  type ArgType,
  type IntrinsicArgument,
  type IntrinsicEnv,
  type IntrinsicFunction,
  type RandomSource,
} from './intrinsic-types.js';
import { IntrinsicSyntaxError, parseIntrinsic, type IntrinsicCall, type IntrinsicNode } from './parse-intrinsic.js';
import { preview, typeName } from './values.js';

export type { RandomSource } from './intrinsic-types.js';
export { IntrinsicPathNotFoundError } from './intrinsic-types.js';
export type { IntrinsicCall, IntrinsicNode } from './parse-intrinsic.js';

/** True when a string value of a `.$` field is an intrinsic function call (`States.X(...)`). */
export function isIntrinsicCall(expression: string): boolean {
  return /^\s*States\.[A-Za-z0-9]+\s*\(/.test(expression);
}

export const defaultRandomSource: RandomSource = {
  random: () => Math.random(),
  uuid: () => randomUUID(),
};

/**
 * Evaluates `States.Format('x {}', $.a)` etc. Argument errors throw AslError('States.Runtime',
 * "There was an error while evaluating the intrinsic function: <expression>. <reason>"); a path
 * argument that matches nothing throws IntrinsicPathNotFoundError (States.Runtime). `random`
 * feeds States.UUID and the unseeded States.MathRandom.
 */
export function evaluateIntrinsic(expression: string, ctx: PathContext, random: RandomSource = ctx.random ?? defaultRandomSource): JsonValue {
  return compileCached(expression)(ctx, random);
}

/** An intrinsic call as a function: parsed, looked up and checked once, then evaluated like `evaluateIntrinsic`. */
export type CompiledIntrinsic = (ctx: PathContext, random?: RandomSource) => JsonValue;

/**
 * Compiles an intrinsic call once (payload templates keep the result): the function named, its
 * arity and each path argument are resolved here, and any error they hold is thrown when the
 * call is evaluated, in the order evaluation would meet it.
 */
export function compileIntrinsic(expression: string): CompiledIntrinsic {
  const parsed = parseCached(expression);
  if (!parsed.ok) {
    const reason = `Invalid intrinsic function call '${expression}': ${parsed.reason}`;
    return () => {
      throw new AslError(StatesErrors.Runtime, intrinsicFailureCause(expression, reason));
    };
  }
  const call = compileCall(parsed.call);
  return (ctx, random = ctx.random ?? defaultRandomSource) => {
    try {
      return call(ctx, { random });
    } catch (error) {
      if (error instanceof IntrinsicEvaluationError) throw new AslError(StatesErrors.Runtime, intrinsicFailureCause(expression, error.reason));
      throw error;
    }
  };
}

const compiledCache = new Map<string, CompiledIntrinsic>();

function compileCached(expression: string): CompiledIntrinsic {
  let compiled = compiledCache.get(expression);
  if (compiled === undefined) {
    compiled = compileIntrinsic(expression);
    if (compiledCache.size >= CACHE_LIMIT) compiledCache.clear();
    compiledCache.set(expression, compiled);
  }
  return compiled;
}

/** Syntax check only: null when valid, else a short reason. */
export function checkIntrinsicSyntax(expression: string): string | null {
  const parsed = parseCached(expression);
  if (!parsed.ok) return parsed.reason;
  return checkCall(parsed.call);
}

/** The parsed form, for callers that need to inspect a call (e.g. which function it is). */
export function parseIntrinsicExpression(expression: string): IntrinsicCall | null {
  const parsed = parseCached(expression);
  return parsed.ok ? parsed.call : null;
}

// The functions AWS allows in a Fail state's ErrorPath and CausePath, which must give a string
// (list from AWS's ASL language service).
const STRING_RESULT_FUNCTIONS = new Set([
  'States.ArrayGetItem',
  'States.Base64Encode',
  'States.Base64Decode',
  'States.Format',
  'States.JsonToString',
  'States.Hash',
  'States.UUID',
]);

/** True when the expression is a valid call to a function allowed where a string is required. */
export function isStringIntrinsic(expression: string): boolean {
  const parsed = parseCached(expression);
  return parsed.ok && STRING_RESULT_FUNCTIONS.has(parsed.call.name) && checkCall(parsed.call) === null;
}

type ParseResult = { readonly ok: true; readonly call: IntrinsicCall } | { readonly ok: false; readonly reason: string };

// Definitions are evaluated over and over with the same few expressions; a bound keeps a
// long-running process that sees many distinct expressions from growing without limit.
const CACHE_LIMIT = 2000;
const cache = new Map<string, ParseResult>();

function parseCached(expression: string): ParseResult {
  let result = cache.get(expression);
  if (result === undefined) {
    try {
      result = { ok: true, call: parseIntrinsic(expression) };
    } catch (error) {
      if (!(error instanceof IntrinsicSyntaxError)) throw error;
      result = { ok: false, reason: error.message };
    }
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(expression, result);
  }
  return result;
}

function lookup(name: string): IntrinsicFunction | undefined {
  return INTRINSIC_FUNCTIONS.get(name);
}

function unknownFunction(name: string): string {
  return `${name} is not an intrinsic function; the functions are ${[...INTRINSIC_FUNCTIONS.keys()].join(', ')}`;
}

function arityError(fn: IntrinsicFunction, count: number): string | null {
  const max = fn.rest !== undefined ? Infinity : fn.params.length;
  const min = fn.params.length - (fn.optional ?? 0);
  if (count >= min && count <= max) return null;
  const plural = (n: number) => `${n} argument${n === 1 ? '' : 's'}`;
  const expected =
    max === Infinity ? `at least ${plural(min)}` : min === max ? (min === 0 ? 'no arguments' : `exactly ${plural(min)}`) : `${min} to ${plural(max)}`;
  return `${fn.name} takes ${expected}, but was given ${count}`;
}

function paramType(fn: IntrinsicFunction, index: number): ArgType {
  return fn.params[index] ?? fn.rest ?? 'any';
}

const TYPE_WORDS: Record<ArgType, string> = {
  any: 'a value',
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  array: 'an array',
  object: 'a JSON object',
};

function matchesType(value: JsonValue, type: ArgType): boolean {
  switch (type) {
    case 'any':
      return true;
    case 'string':
    case 'boolean':
    case 'number':
      return typeof value === type;
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isJsonObject(value);
  }
}

function typeError(fn: IntrinsicFunction, index: number, value: JsonValue): string {
  return `${fn.name}: argument ${index + 1} must be ${TYPE_WORDS[paramType(fn, index)]}, but was ${typeName(value)} ${preview(value)}`;
}

type CompiledNode = (ctx: PathContext, env: IntrinsicEnv) => JsonValue;

function compileCall(call: IntrinsicCall): CompiledNode {
  const fn = lookup(call.name);
  if (fn === undefined) {
    const cause = unknownFunction(call.name);
    return () => {
      throw intrinsicFailure(cause);
    };
  }
  const arity = arityError(fn, call.args.length);
  if (arity !== null) {
    return () => {
      throw intrinsicFailure(arity);
    };
  }
  const nodes = call.args;
  const args = nodes.map((node) => compileNode(node));
  const types = nodes.map((_, index) => paramType(fn, index));
  const n = nodes.length;
  return (ctx, env) => {
    const values: IntrinsicArgument[] = new Array(n);
    for (let index = 0; index < n; index++) {
      const node = nodes[index]!;
      const value = args[index]!(ctx, env);
      // AWS names only the function whose argument does not fit (recorded against AWS (2026-09)).
      if (!matchesType(value, types[index]!)) throw intrinsicFailure(`Invalid arguments in ${fn.name}`);
      values[index] = node.kind === 'string' ? { value, segments: node.segments, unmatchedBrace: node.unmatchedBrace } : { value };
    }
    return fn.evaluate(values, env);
  };
}

function compileNode(node: IntrinsicNode): CompiledNode {
  switch (node.kind) {
    case 'call':
      return compileCall(node);
    case 'path': {
      const path = node.path;
      return compileRequiredPath(path, (ctx) => new IntrinsicPathNotFoundError(path, searchedValue(path, ctx)));
    }
    case 'null':
      return () => null;
    default: {
      const value = node.value;
      return () => value;
    }
  }
}

/** What a path reads from, for the error text: the context object, a variable or the input. */
function searchedValue(path: string, ctx: PathContext): JsonValue | undefined {
  if (path.startsWith('$$')) return ctx.context;
  const variable = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(path);
  if (variable) return ctx.variables?.[variable[1]!];
  return ctx.input;
}

function literalValue(node: IntrinsicNode): JsonValue | undefined {
  switch (node.kind) {
    case 'string':
    case 'number':
    case 'boolean':
      return node.value;
    case 'null':
      return null;
    default:
      return undefined;
  }
}

function returnFits(param: ArgType, returned: ArgType): boolean {
  return param === 'any' || returned === 'any' || param === returned || (param === 'number' && returned === 'integer');
}

function checkCall(call: IntrinsicCall): string | null {
  const fn = lookup(call.name);
  if (fn === undefined) return unknownFunction(call.name);
  const arity = arityError(fn, call.args.length);
  if (arity !== null) return arity;
  for (const [index, node] of call.args.entries()) {
    const param = paramType(fn, index);
    if (node.kind === 'call') {
      const nested = checkCall(node);
      if (nested !== null) return nested;
      const returned = lookup(node.name)!.returns;
      if (!returnFits(param, returned)) {
        return `${fn.name}: argument ${index + 1} must be ${TYPE_WORDS[param]}, but ${node.name} returns ${TYPE_WORDS[returned]}`;
      }
    } else if (node.kind === 'path') {
      const reason = pathSyntax(node.path);
      if (reason !== null) return `${fn.name}: argument ${index + 1} is not a valid path '${node.path}': ${reason}`;
    } else {
      const value = literalValue(node)!;
      if (!matchesType(value, param)) return typeError(fn, index, value);
    }
  }
  return fn.checkLiterals?.(call.args.map(literalValue), call.args.map((node) => (node.kind === 'string' ? node.segments : undefined))) ?? null;
}

function pathSyntax(path: string): string | null {
  try {
    return checkPathSyntax(path);
  } catch {
    // Only the placeholder json-path module throws; until it lands, paths are not checked here.
    return null;
  }
}
