import type { Diagnostic } from './validate-definition.js';

type Json = Record<string, unknown>;

/**
 * References to workflow variables that no `Assign` anywhere in the definition sets
 * (DG:workflow-variables): `$name` at the start of a JSONPath path or intrinsic argument, and
 * `$name` read in a JSONata expression (a name followed by `(` is a function; names bound inside
 * the expression with `:=` or as function parameters are local). Reported with the pointer of
 * the value that holds the reference. AWS accepts such definitions (they fail when the state
 * runs: the recorded `base_undefined_*` executions), so this is a warning, not an error.
 */
export function unassignedVariableReferences(definition: unknown): Diagnostic[] {
  if (!isObject(definition)) return [];
  const assigned = new Set<string>();
  collectAssigned(definition, assigned);
  const out: Diagnostic[] = [];
  walkStates(definition, '', (state, pointer, jsonata) => {
    visitValues(state, pointer, (value, at, key) => {
      for (const name of referencesIn(value, key, jsonata)) {
        if (!assigned.has(name)) {
          out.push({ severity: 'WARNING', code: 'UNASSIGNED_VARIABLE', message: `The variable '$${name}' is referenced here but no Assign in the state machine sets it.`, location: at });
        }
      }
    });
  });
  return out;
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function collectAssigned(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collectAssigned(item, into);
    return;
  }
  if (!isObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'Assign' && isObject(value)) for (const name of Object.keys(value)) into.add(name.endsWith('.$') ? name.slice(0, -2) : name);
    collectAssigned(value, into);
  }
}

/** Every state of the machine and of its nested branches and processors, with its query language. */
export function walkStates(machine: Json, pointer: string, visit: (state: Json, pointer: string, jsonata: boolean) => void, inherited = 'JSONPath'): void {
  const top = typeof machine.QueryLanguage === 'string' ? machine.QueryLanguage : inherited;
  if (!isObject(machine.States)) return;
  for (const [name, state] of Object.entries(machine.States)) {
    if (!isObject(state)) continue;
    const at = `${pointer}/States/${escapePointer(name)}`;
    const language = typeof state.QueryLanguage === 'string' ? state.QueryLanguage : top;
    visit(state, at, language === 'JSONata');
    if (Array.isArray(state.Branches)) state.Branches.forEach((b, i) => isObject(b) && walkStates(b, `${at}/Branches/${i}`, visit, top));
    for (const field of ['ItemProcessor', 'Iterator']) {
      const p = state[field];
      if (isObject(p)) walkStates(p, `${at}/${field}`, visit, top);
    }
  }
}

const NESTED = new Set(['States', 'Branches', 'ItemProcessor', 'Iterator']);

/** Strings inside a state's own fields (not its nested machines), with their pointers. */
function visitValues(node: unknown, pointer: string, visit: (value: string, pointer: string, key: string) => void, key = ''): void {
  if (typeof node === 'string') return visit(node, pointer, key);
  if (Array.isArray(node)) return node.forEach((item, i) => visitValues(item, `${pointer}/${i}`, visit, key));
  if (!isObject(node)) return;
  for (const [k, v] of Object.entries(node)) {
    if (NESTED.has(k) || k === 'Comment') continue;
    visitValues(v, `${pointer}/${escapePointer(k)}`, visit, k);
  }
}

const PATH_FIELDS = /^(InputPath|OutputPath|ItemsPath|Variable|.*Path)$/;

function referencesIn(value: string, key: string, jsonata: boolean): string[] {
  if (jsonata) {
    const m = /^\{%([\s\S]*)%\}$/.exec(value);
    return m ? jsonataVariables(m[1]!) : [];
  }
  if (key.endsWith('.$') || PATH_FIELDS.test(key)) return jsonPathVariables(value);
  return [];
}

/** `$name...` paths, including those passed to intrinsic functions. */
function jsonPathVariables(text: string): string[] {
  const names: string[] = [];
  const re = /(^|[\s(,])\$([A-Za-z_][A-Za-z0-9_]*)/g;
  const stripped = text.replace(/'(?:[^'\\]|\\.)*'/g, "''");
  for (let m = re.exec(stripped); m; m = re.exec(stripped)) names.push(m[2]!);
  return names;
}

/** Free `$name` reads of a JSONata expression (strings removed, locals and functions excluded). */
function jsonataVariables(expression: string): string[] {
  const text = expression.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  const locals = new Set<string>(['states']);
  for (const m of text.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)\s*:=/g)) locals.add(m[1]!);
  for (const m of text.matchAll(/function\s*\(([^)]*)\)/g)) for (const p of m[1]!.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)) locals.add(p[1]!);
  const names: string[] = [];
  for (const m of text.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)(\s*\()?/g)) {
    if (m[2] || locals.has(m[1]!)) continue;
    names.push(m[1]!);
  }
  return names;
}

export function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}
