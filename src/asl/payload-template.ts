import type { JsonObject, JsonValue } from './json-value.js';
import type { PathContext } from './path-context.js';
import { compileRequiredPath, setOwn } from './json-path.js';
import { compileIntrinsic, isIntrinsicCall } from './intrinsics/evaluate-intrinsic.js';
import { AslError } from '../errors/asl-error.js';
import { StatesErrors } from '../errors/error-names.js';
import { javaHashMapOrder } from '../resources/java-hash-order.js';
import { plainConstructor } from './plain-constructor.js';

/*
 * Payload templates (ASL spec "Payload Template"): Parameters, ResultSelector, ItemSelector.
 * A field named `x.$` takes its value from a path or an intrinsic call and is output as `x`;
 * everything else is copied. The template is walked once and turned into a builder; static
 * subtrees are copied once at compile time and then shared by every output, since execution
 * values are never mutated.
 */

type Builder = (ctx: PathContext) => JsonValue;

function cloneJson(v: JsonValue): JsonValue {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map(cloneJson);
  const out: JsonObject = {};
  for (const k of Object.keys(v)) setOwn(out, k, cloneJson(v[k]!));
  return out;
}

function pathFailure(path: string, field: string, ctx: PathContext, templateField: string): AslError {
  // AWS records this as States.Runtime (not States.ParameterPathFailure) and shows the state's
  // effective input, even when the path reads the context object or a variable; but a Map's
  // ItemSelector reading the context object shows that object (recorded against AWS (2026-09)).
  const shown = templateField === 'ItemSelector' && path.startsWith('$$') ? ctx.context : ctx.input;
  return new AslError(StatesErrors.Runtime, `The JSONPath '${path}' specified for the field '${field}' could not be found in the input '${JSON.stringify(shown)}'`);
}

function compileDynamic(field: string, expression: JsonValue, templateField: string): Builder {
  if (typeof expression !== 'string') {
    const cause = `The value for the field '${field}' must be a STRING that contains a JSONPath or an intrinsic function (in ${templateField})`;
    return () => {
      throw new AslError(StatesErrors.Runtime, cause);
    };
  }
  if (isIntrinsicCall(expression)) {
    const call = compileIntrinsic(expression);
    return (ctx) => call(ctx);
  }
  if (!expression.startsWith('$')) {
    const cause = `The value for the field '${field}' must be a valid JSONPath or a valid intrinsic function call (in ${templateField})`;
    return () => {
      throw new AslError(StatesErrors.Runtime, cause);
    };
  }
  return compileRequiredPath(expression, (ctx) => pathFailure(expression, field, ctx, templateField));
}

const isDynamicKey = (key: string) => key.length > 2 && key.endsWith('.$');

/**
 * The order AWS gives an evaluated object's members: the copied ones first, in the template's
 * order, then the `.$` ones in the order a Java HashMap lists their output names (recorded against
 * AWS (2026-09): ItemSelector `{"i.$", "v.$"}` gave `{"v","i"}`; Parameters `{"case.$", "result",
 * "nested"}` gave `{"result","nested","case"}`; `{"FunctionName.$", "Payload": {...}}` was
 * scheduled as `{"Payload","FunctionName"}`). Worked out once, when the template is compiled.
 */
function memberOrder(keys: readonly string[]): string[] {
  const dynamic = keys.filter(isDynamicKey);
  if (dynamic.length === 0) return [...keys];
  const byName = javaHashMapOrder(dynamic.map((k) => k.slice(0, -2)));
  return [...keys.filter((k) => !isDynamicKey(k)), ...byName.map((name) => `${name}.$`)];
}

/**
 * One constructor per list of member names: V8 sizes its objects to the members they get (see
 * plainConstructor), where `{}` keeps room for four (a one-member output kept 24 bytes more in
 * the history), and never allocates them straight into old space. Shared by every template with
 * those names, so that their outputs share one shape as `{}`'s did: code reading the outputs of
 * 50 such templates (a Parallel's branches) would otherwise see 50 shapes and slow down.
 */
const OUTPUT_CONSTRUCTORS = new Map<string, new () => JsonObject>();
/** A service that compiles definitions without end (made up per request, say) does not grow this without end. */
const MAX_OUTPUT_CONSTRUCTORS = 10_000;

function outputConstructor(keys: readonly string[]): new () => JsonObject {
  const id = keys.join('\u0000');
  let Output = OUTPUT_CONSTRUCTORS.get(id);
  if (Output === undefined) {
    if (OUTPUT_CONSTRUCTORS.size >= MAX_OUTPUT_CONSTRUCTORS) OUTPUT_CONSTRUCTORS.clear();
    OUTPUT_CONSTRUCTORS.set(id, (Output = plainConstructor(function () {}) as new () => JsonObject));
  }
  return Output;
}

/** Returns null for a subtree without any `.$` field: the caller then shares a constant copy. */
function compileNode(node: JsonValue, templateField: string): Builder | null {
  if (typeof node !== 'object' || node === null) return null;
  if (Array.isArray(node)) {
    const parts = node.map((v) => compileNode(v, templateField));
    if (parts.every((p) => p === null)) return null;
    const builders: Builder[] = parts.map((p, i) => {
      if (p !== null) return p;
      const constant = cloneJson(node[i]!);
      return () => constant;
    });
    const n = builders.length;
    return (ctx) => {
      const out: JsonValue[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = builders[i]!(ctx);
      return out;
    };
  }
  const keys: string[] = [];
  const builders: (Builder | null)[] = [];
  const constants: JsonValue[] = [];
  let dynamic = false;
  for (const key of memberOrder(Object.keys(node))) {
    const value = node[key]!;
    if (isDynamicKey(key)) {
      keys.push(key.slice(0, -2));
      builders.push(compileDynamic(key, value, templateField));
      constants.push(null);
      dynamic = true;
    } else {
      const b = compileNode(value, templateField);
      if (b !== null) dynamic = true;
      keys.push(key);
      builders.push(b);
      constants.push(b === null ? cloneJson(value) : null);
    }
  }
  if (!dynamic) return null;
  const n = keys.length;
  const protoKey = keys.includes('__proto__');
  const Output = outputConstructor(keys);
  return (ctx) => {
    const out = new Output();
    for (let i = 0; i < n; i++) {
      const b = builders[i];
      const v = b === null || b === undefined ? constants[i]! : b(ctx);
      if (protoKey) setOwn(out, keys[i]!, v);
      else out[keys[i]!] = v;
    }
    return out;
  };
}

/**
 * Pre-walks a payload template once. `fieldName` (Parameters, ResultSelector, ItemSelector, ...)
 * only appears in error messages about malformed `.$` fields.
 */
export function compilePayloadTemplate(template: JsonValue, fieldName: string): (ctx: PathContext) => JsonValue {
  const builder = compileNode(template, fieldName);
  if (builder !== null) return builder;
  const constant = cloneJson(template);
  return () => constant;
}

// Keyed by the template object itself: definitions are parsed once and not mutated, so identity
// is an exact key, and entries go away with their definitions.
const cache = new WeakMap<object, Map<string, (ctx: PathContext) => JsonValue>>();

export function evaluatePayloadTemplate(template: JsonValue, ctx: PathContext, fieldName: string): JsonValue {
  if (typeof template !== 'object' || template === null) return template;
  let byField = cache.get(template);
  if (byField === undefined) {
    byField = new Map();
    cache.set(template, byField);
  }
  let fn = byField.get(fieldName);
  if (fn === undefined) {
    fn = compilePayloadTemplate(template, fieldName);
    byField.set(fieldName, fn);
  }
  return fn(ctx);
}
