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

/**
 * The scope rules of workflow variables, as AWS's validator words them (recorded against AWS
 * (2026-09)). A Parallel branch or a Map's ItemProcessor is a scope inside the one of its state:
 * it sees the variables its enclosing scopes assign, while what it assigns stays inside it. So an
 * inner scope may not assign a name an enclosing scope assigns (DUPLICATE_VARIABLE_NAME, an
 * error at the Assign entry), and reading a variable that only other scopes assign may find it
 * undefined (POSSIBLY_UNDEFINED_VARIABLE, a warning at the state's field). A name no Assign sets
 * at all is left to unassignedVariableReferences. Locations are JSON pointers, as every
 * validator problem's (the API shows them as AWS does, see aws-diagnostics.ts).
 */
export function variableScopeDiagnostics(definition: unknown): Diagnostic[] {
  if (!isObject(definition)) return [];
  const assignedAnywhere = new Set<string>();
  collectAssigned(definition, assignedAnywhere);
  const out: Diagnostic[] = [];
  checkScope(definition, '', new Set(), new Set(), assignedAnywhere, out, 'JSONPath');
  return out;
}

/**
 * `defined`: the names enclosing scopes assign in their states and Choice rules; `visible` adds
 * those their Catchers assign. A Catcher's Assign does not count as defining a name for the
 * branches of its own state: AWS accepts a Parallel whose branch and Catcher assign the same name
 * (LocalStack's parallel_catch_error_variable_sampling, validated against AWS).
 */
function checkScope(machine: Json, pointer: string, enclosingDefined: ReadonlySet<string>, enclosingVisible: ReadonlySet<string>, assignedAnywhere: ReadonlySet<string>, out: Diagnostic[], inherited: string): void {
  if (!isObject(machine.States)) return;
  const language = typeof machine.QueryLanguage === 'string' ? machine.QueryLanguage : inherited;
  const states = Object.entries(machine.States).filter((e): e is [string, Json] => isObject(e[1]));
  const defined = new Set(enclosingDefined);
  const visible = new Set(enclosingVisible);
  for (const [name, state] of states) {
    for (const [assignPointer, names, catcher] of assignBlocks(state, `${pointer}/States/${escapePointer(name)}`)) {
      for (const variable of names) {
        if (!catcher && enclosingDefined.has(variable)) {
          out.push({ severity: 'ERROR', code: 'DUPLICATE_VARIABLE_NAME', message: `The variable name '${variable}' was already defined in a parent scope.`, location: `${assignPointer}/${escapePointer(variable)}` });
        }
        if (!catcher) defined.add(variable);
        visible.add(variable);
      }
    }
  }
  for (const [name, state] of states) {
    const at = `${pointer}/States/${escapePointer(name)}`;
    const jsonata = (typeof state.QueryLanguage === 'string' ? state.QueryLanguage : language) === 'JSONata';
    for (const [field, value] of Object.entries(state)) {
      if (NESTED.has(field) || field === 'Comment') continue;
      const reported = new Set<string>();
      visitValues(value, `${at}/${escapePointer(field)}`, (text, _where, key) => {
        for (const variable of referencesIn(text, key, jsonata)) {
          if (visible.has(variable) || !assignedAnywhere.has(variable) || reported.has(variable)) continue;
          reported.add(variable);
          out.push({ severity: 'WARNING', code: 'POSSIBLY_UNDEFINED_VARIABLE', message: `Variable '${variable}' is possibly not defined.`, location: `${at}/${escapePointer(field)}` });
        }
      }, field);
    }
    if (Array.isArray(state.Branches)) state.Branches.forEach((b, i) => isObject(b) && checkScope(b, `${at}/Branches/${i}`, defined, visible, assignedAnywhere, out, language));
    for (const field of ['ItemProcessor', 'Iterator']) {
      const processor = state[field];
      if (!isObject(processor)) continue;
      // A Distributed Map's children are executions of their own: they see no outer variable, so
      // none of their names can clash with one (and reading one may find it undefined).
      const distributed = isObject(processor.ProcessorConfig) && processor.ProcessorConfig.Mode === 'DISTRIBUTED';
      if (distributed) checkScope(processor, `${at}/${field}`, new Set(), new Set(), assignedAnywhere, out, language);
      else checkScope(processor, `${at}/${field}`, defined, visible, assignedAnywhere, out, language);
    }
  }
}

/** The Assign blocks of a state (its own, its Choice rules', its Catchers'), with their pointers, names and whether a Catcher holds them. */
function assignBlocks(state: Json, at: string): [string, string[], boolean][] {
  const blocks: [string, string[], boolean][] = [];
  const add = (assign: unknown, pointer: string, catcher: boolean) => {
    if (isObject(assign)) blocks.push([pointer, Object.keys(assign).map((k) => (k.endsWith('.$') ? k.slice(0, -2) : k)), catcher]);
  };
  add(state.Assign, `${at}/Assign`, false);
  for (const field of ['Choices', 'Catch']) {
    const list = state[field];
    if (Array.isArray(list)) list.forEach((item, i) => isObject(item) && add(item.Assign, `${at}/${field}/${i}/Assign`, field === 'Catch'));
  }
  return blocks;
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

/**
 * The variables each state reads, as DescribeStateMachine's `variableReferences` gives them: by
 * state name in name order, each state's names in the order its fields first read them, and no
 * entry for a state that reads none (recorded against AWS (2026-09)). Undefined when no state
 * reads a variable: AWS then leaves the member out.
 */
export function variableReferencesByState(definition: unknown): Record<string, string[]> | undefined {
  if (!isObject(definition)) return undefined;
  const byState = new Map<string, string[]>();
  walkStates(definition, '', (state, pointer, jsonata, name) => {
    const names = new Set<string>();
    visitValues(state, pointer, (value, _at, key) => {
      for (const n of referencesIn(value, key, jsonata)) names.add(n);
    });
    if (names.size > 0) byState.set(name, [...names]);
  });
  if (byState.size === 0) return undefined;
  return Object.fromEntries([...byState.keys()].sort().map((name) => [name, byState.get(name)!]));
}

/** Every state of the machine and of its nested branches and processors, with its query language. */
export function walkStates(machine: Json, pointer: string, visit: (state: Json, pointer: string, jsonata: boolean, name: string) => void, inherited = 'JSONPath'): void {
  const top = typeof machine.QueryLanguage === 'string' ? machine.QueryLanguage : inherited;
  if (!isObject(machine.States)) return;
  for (const [name, state] of Object.entries(machine.States)) {
    if (!isObject(state)) continue;
    const at = `${pointer}/States/${escapePointer(name)}`;
    const language = typeof state.QueryLanguage === 'string' ? state.QueryLanguage : top;
    visit(state, at, language === 'JSONata', name);
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
