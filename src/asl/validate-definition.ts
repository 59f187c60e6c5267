import { checkIntrinsicSyntax, isIntrinsicCall, parseIntrinsicExpression } from './intrinsics/evaluate-intrinsic.js';
import { checkPathSyntax } from './json-path.js';
import { compileJsonata } from './jsonata/compile-jsonata.js';
import { isJsonataExpression, jsonataExpressionText } from './jsonata/evaluate-jsonata.js';
import { describeRaisedError } from './jsonata/jsonata-errors.js';
import { refusedIntegrationFields } from './integration-fields.js';
import { duplicateKeysOf } from './parse-definition.js';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-value.js';
import { checkReferencePathSyntax, checkResultPathSyntax } from './reference-path.js';

/**
 * Static validation of an Amazon States Language definition, modelled on AWS's
 * ValidateStateMachineDefinition: every problem is reported at once, each with AWS's diagnostic code
 * and a JSON pointer (RFC 6901) to the offending value.
 *
 * The guiding rule is that a definition AWS accepts must never be rejected here: where AWS's exact
 * behaviour is unknown, the check is left out rather than guessed strictly.
 */

import { unassignedVariableReferences, variableScopeDiagnostics } from './variable-references.js';

export interface Diagnostic {
  severity: 'ERROR' | 'WARNING';
  code: string;
  /** AWS's words where they are known; the API answers these alone. */
  message: string;
  /** JSON pointer to the offending value, e.g. `/States/A/Next`; '' for the whole definition. */
  location: string;
  /** Why, where AWS's message does not say (e.g. which part of a path is wrong): `stepwise validate` prints it. */
  detail?: string;
}

export type ValidationResult = { result: 'OK' | 'FAIL'; diagnostics: Diagnostic[] };

/** A diagnostic's message with Stepwise's reason after it, as the CLI and the library's errors show it. */
export function messageWithDetail(d: Diagnostic): string {
  return d.detail ? `${d.message} (${d.detail})` : d.message;
}

/**
 * `type`: an EXPRESS state machine also may not use the `.sync` and `.waitForTaskToken` patterns,
 * nor Activities; nor may a Distributed Map's ItemProcessor with `ExecutionType: EXPRESS`, whatever `type`.
 */
export function validateDefinition(def: unknown, type: 'STANDARD' | 'EXPRESS' = 'STANDARD'): Diagnostic[] {
  // The checks below walk the definition recursively; a text this deep is refused by the reader.
  if (nestsDeeperThan(def, MAX_JSON_DEPTH)) {
    return [{ severity: 'ERROR', code: 'INVALID_JSON_DESCRIPTION', message: `The definition nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep.`, location: '' }];
  }
  const validator = new Validator(type);
  validator.validateTop(def);
  return [...validator.diagnostics, ...variableScopeDiagnostics(def), ...unassignedVariableReferences(def)];
}

export function validateDefinitionResult(def: unknown, type: 'STANDARD' | 'EXPRESS' = 'STANDARD'): ValidationResult {
  const diagnostics = validateDefinition(def, type);
  return { result: diagnostics.some((d) => d.severity === 'ERROR') ? 'FAIL' : 'OK', diagnostics };
}

// ---------------------------------------------------------------------------------------------------------
// Vocabulary

type Language = 'JSONPath' | 'JSONata';
type Json = Record<string, unknown>;

const SCHEMA = 'SCHEMA_VALIDATION_FAILED';
/**
 * Express workflows run neither the job-run (`.sync`) nor the callback (`.waitForTaskToken`)
 * pattern, nor Activities (DG:choosing-workflow-type, DG:integrate-optimized). The messages are
 * AWS's recorded CreateStateMachine answers (LocalStack's test_sfn_api_express): the one for
 * `.waitForTaskToken` ends in a space, the ones for `.sync` and an Activity ARN do not.
 */
const EXPRESS_REFUSED_PATTERN = /\.(waitForTaskToken|sync)(:\d+)?$/;
const ACTIVITY_RESOURCE = /^arn:[^:]+:states:[^:]*:[^:]*:activity:/;
const STATE_TYPES = ['Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'] as const;
type StateType = (typeof STATE_TYPES)[number];

/** AWS caps every "seconds"/"attempts" style integer at this value. */
const MAX_INT_FIELD = 99999999;
const MAX_STATE_NAME = 80;
const MAX_LABEL = 40;
const MAX_VARIABLE_NAME = 80;
/** ReaderConfig's fields as DG:input-output-itemreader lists them. */
const READER_CONFIG_FIELDS = ['InputType', 'Transformation', 'ManifestType', 'CSVDelimiter', 'CSVHeaderLocation', 'CSVHeaders', 'ItemsPointer', 'MaxItems', 'MaxItemsPath'] as const;

interface FieldSets {
  both: readonly string[];
  jsonPath: readonly string[];
  jsonata: readonly string[];
}

const COMMON = ['Type', 'Comment', 'QueryLanguage'];
const FLOW = ['Next', 'End', 'Assign'];

/** Which fields each state type accepts, split by the query language that allows them. */
const STATE_FIELDS: Record<StateType, FieldSets> = {
  Pass: {
    both: [...COMMON, ...FLOW],
    jsonPath: ['InputPath', 'OutputPath', 'Parameters', 'ResultPath', 'Result'],
    jsonata: ['Output'],
  },
  Task: {
    both: [...COMMON, ...FLOW, 'Resource', 'TimeoutSeconds', 'HeartbeatSeconds', 'Retry', 'Catch', 'Credentials'],
    jsonPath: ['InputPath', 'OutputPath', 'Parameters', 'ResultSelector', 'ResultPath', 'TimeoutSecondsPath', 'HeartbeatSecondsPath'],
    jsonata: ['Arguments', 'Output'],
  },
  Choice: {
    both: [...COMMON, 'Choices', 'Default', 'Assign'],
    jsonPath: ['InputPath', 'OutputPath'],
    jsonata: ['Output'],
  },
  Wait: {
    both: [...COMMON, ...FLOW, 'Seconds', 'Timestamp'],
    jsonPath: ['InputPath', 'OutputPath', 'SecondsPath', 'TimestampPath'],
    jsonata: ['Output'],
  },
  Succeed: {
    both: [...COMMON],
    jsonPath: ['InputPath', 'OutputPath'],
    jsonata: ['Output'],
  },
  Fail: {
    both: [...COMMON, 'Error', 'Cause'],
    jsonPath: ['ErrorPath', 'CausePath'],
    jsonata: [],
  },
  Parallel: {
    both: [...COMMON, ...FLOW, 'Branches', 'Retry', 'Catch'],
    jsonPath: ['InputPath', 'OutputPath', 'Parameters', 'ResultSelector', 'ResultPath'],
    jsonata: ['Arguments', 'Output'],
  },
  Map: {
    both: [
      ...COMMON, ...FLOW, 'ItemProcessor', 'Iterator', 'ItemReader', 'ItemSelector', 'ItemBatcher', 'ResultWriter',
      'MaxConcurrency', 'ToleratedFailurePercentage', 'ToleratedFailureCount', 'Label', 'Retry', 'Catch',
    ],
    jsonPath: [
      'InputPath', 'OutputPath', 'ItemsPath', 'Parameters', 'ResultSelector', 'ResultPath', 'MaxConcurrencyPath',
      'ToleratedFailurePercentagePath', 'ToleratedFailureCountPath',
    ],
    jsonata: ['Items', 'Output'],
  },
};

const RETRIER_FIELDS = ['ErrorEquals', 'IntervalSeconds', 'MaxAttempts', 'BackoffRate', 'MaxDelaySeconds', 'JitterStrategy', 'Comment'];
const CATCHER_FIELDS: FieldSets = { both: ['ErrorEquals', 'Next', 'Assign', 'Comment'], jsonPath: ['ResultPath'], jsonata: ['Output'] };

type OperandKind = 'string' | 'number' | 'boolean' | 'timestamp' | 'path' | 'flag';

/** Choice-rule comparison operators and the kind of operand each takes. */
const COMPARISONS: Record<string, OperandKind> = {
  StringMatches: 'string',
  IsNull: 'flag',
  IsPresent: 'flag',
  IsNumeric: 'flag',
  IsString: 'flag',
  IsBoolean: 'flag',
  IsTimestamp: 'flag',
};
for (const op of ['Equals', 'LessThan', 'GreaterThan', 'LessThanEquals', 'GreaterThanEquals']) {
  COMPARISONS[`String${op}`] = 'string';
  COMPARISONS[`Numeric${op}`] = 'number';
  COMPARISONS[`Timestamp${op}`] = 'timestamp';
  COMPARISONS[`String${op}Path`] = 'path';
  COMPARISONS[`Numeric${op}Path`] = 'path';
  COMPARISONS[`Timestamp${op}Path`] = 'path';
}
COMPARISONS['BooleanEquals'] = 'boolean';
COMPARISONS['BooleanEqualsPath'] = 'path';

const LOGICAL = ['And', 'Or', 'Not'];

/** A string that reads as a JSONPath (`$.x`, `$$.Execution`), where a literal was given. */
function looksLikePath(v: string): boolean {
  return /^\$\$?\.[A-Za-z_]/.test(v);
}

/** Intrinsics allowed in ErrorPath/CausePath: AWS only accepts ones whose result is a string. */
const STRING_INTRINSICS = new Set(['States.ArrayGetItem', 'States.Base64Encode', 'States.Base64Decode', 'States.Format', 'States.JsonToString', 'States.Hash', 'States.UUID']);

// ---------------------------------------------------------------------------------------------------------
// Helpers

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function escapePointer(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

function at(base: string, ...segments: Array<string | number>): string {
  return base + segments.map((s) => '/' + escapePointer(s)).join('');
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function quote(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** RFC 3339 date-time with the ASL profile: uppercase T, and Z or a numeric offset. */
export function isRfc3339Timestamp(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))$/.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  if (day > days || hour > 23 || minute > 59 || second > 60) return false;
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return false;
  return true;
}

/** Characters AWS refuses in a Map Label (the same set it refuses in execution and state machine names). */
function invalidLabelChar(label: string): string | null {
  for (const ch of label) {
    const code = ch.codePointAt(0)!;
    if (code <= 0x20 || (code >= 0x7f && code <= 0x9f) || /\s/u.test(ch) || '<>{}[]?*"#%\\^|~`$&,;:/'.includes(ch)) return ch;
  }
  return null;
}

function showChar(ch: string): string {
  const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\' };
  if (named[ch]) return named[ch];
  const code = ch.codePointAt(0)!;
  if (code < 0x20 || (code >= 0x7f && code <= 0xa0)) return `\\x${code.toString(16).padStart(2, '0')}`;
  return ch;
}

/**
 * Variable names are referenced as `$name` in paths and JSONata, so they cannot hold the characters that
 * end or restructure such a reference. AWS accepts more than plain identifiers (e.g. `top-level`), so only
 * those characters are refused here.
 */
function variableNameProblem(name: string): string | null {
  if (name.length === 0) return 'variable name cannot be empty';
  if ([...name].length > MAX_VARIABLE_NAME) return `variable name exceeds ${MAX_VARIABLE_NAME} characters`;
  const bad = /[\s.$[\]'"`(){},;:]/u.exec(name);
  if (bad) return `variable names cannot contain ${bad[0] === ' ' ? 'spaces' : `'${showChar(bad[0])}'`}`;
  return null;
}

/** Resource must be an ARN; Lambda function ARNs are additionally checked for a well-formed name and qualifier. */
function resourceProblem(resource: string): string | null {
  const parts = resource.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || parts[1] === '' || parts[2] === '' || parts.slice(5).join(':') === '') {
    return `Resource '${quote(resource)}' is not a valid ARN`;
  }
  if (/^aws[a-z-]*$/.test(parts[1]!) && parts[2] === 'lambda' && parts[5] === 'function') {
    const name = parts[6];
    const qualifier = parts.length > 7 ? parts.slice(7).join(':') : undefined;
    if (!name || !/^[A-Za-z0-9_-]{1,140}$/.test(name) || (qualifier !== undefined && !/^(\$LATEST|[A-Za-z0-9_-]{1,128})$/.test(qualifier))) {
      return `Resource '${quote(resource)}' is not a valid Lambda function ARN`;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// The validator

interface MachineScope {
  /** Pointer of the object holding StartAt/States. */
  pointer: string;
  /**
   * The language states inherit. Inside Parallel branches and inline Map processors this stays the
   * language of the whole state machine, whatever the Map/Parallel state itself declares; a distributed
   * Map runs its processor as child workflows, which start from the Map state's language.
   */
  topLanguage: Language;
  /** Set when the state machine is JSONata as a whole: states may then not switch back to JSONPath. */
  jsonataLocked: boolean;
  /**
   * The states run in an Express execution: the state machine's own with `type` EXPRESS, and a
   * Distributed Map's ItemProcessor with `ExecutionType: EXPRESS`, whose child workflows are
   * Express executions (DG:state-map-distributed).
   */
  express: boolean;
}

interface Transition {
  target: string;
  pointer: string;
}

class Validator {
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly type: 'STANDARD' | 'EXPRESS') {}

  /** State names seen anywhere in the definition: they must be unique across nested machines too. */
  private readonly stateNames = new Set<string>();
  private readonly labels = new Map<string, string>();
  /** What `$states` offers to the JSONata field being checked; see withJsonataScope. */
  private jsonataScope: JsonataFieldScope = NO_RESULTS;

  private withJsonataScope(scope: JsonataFieldScope, check: () => void): void {
    const saved = this.jsonataScope;
    this.jsonataScope = scope;
    try {
      check();
    } finally {
      this.jsonataScope = saved;
    }
  }

  error(code: string, message: string, location: string, detail?: string): void {
    this.diagnostics.push({ severity: 'ERROR', code, message, location, ...(detail === undefined ? {} : { detail }) });
  }

  warn(code: string, message: string, location: string): void {
    this.diagnostics.push({ severity: 'WARNING', code, message, location });
  }

  private reportDuplicateKeys(value: Json, pointer: string, isStates = false): void {
    for (const key of duplicateKeysOf(value)) {
      if (isStates) this.error('DUPLICATE_STATE_NAME', `Duplicate State name: ${key}`, at(pointer, key));
      // Whether AWS refuses other repeated keys is not known; the last one wins, which is worth a warning.
      else this.warn('DUPLICATE_FIELD', `Field '${key}' appears more than once; only its last value is used`, at(pointer, key));
    }
  }

  /** Duplicate keys anywhere inside a payload-like value (templates, Result, Output...). */
  private reportDuplicateKeysDeep(value: unknown, pointer: string): void {
    if (Array.isArray(value)) value.forEach((item, i) => this.reportDuplicateKeysDeep(item, at(pointer, i)));
    else if (isObject(value)) {
      this.reportDuplicateKeys(value, pointer);
      for (const [key, item] of Object.entries(value)) this.reportDuplicateKeysDeep(item, at(pointer, key));
    }
  }

  validateTop(def: unknown): void {
    if (def === null || def === undefined || def === '') {
      this.error('MISSING_DESCRIPTION', 'The definition is empty', '');
      return;
    }
    if (!isObject(def)) {
      this.error(SCHEMA, `The definition must be a JSON object, not ${typeName(def)}`, '');
      return;
    }
    this.reportDuplicateKeys(def, '');
    this.checkMachineRequired(def, '');
    this.checkUnknownFields(def, '', ['StartAt', 'States', 'Comment', 'Version', 'TimeoutSeconds', 'QueryLanguage']);
    this.checkComment(def, '');
    if ('Version' in def && typeof def['Version'] !== 'string') {
      this.error(SCHEMA, `Version must be a string, not ${typeName(def['Version'])}`, '/Version');
    }
    if ('TimeoutSeconds' in def) this.checkInteger(def['TimeoutSeconds'], '/TimeoutSeconds', 'TimeoutSeconds', 1, MAX_INT_FIELD);

    let language: Language = 'JSONPath';
    if ('QueryLanguage' in def) {
      const ql = def['QueryLanguage'];
      if (ql === 'JSONata' || ql === 'JSONPath') language = ql;
      else this.error(SCHEMA, `QueryLanguage must be 'JSONPath' or 'JSONata', not ${quote(ql)}`, '/QueryLanguage');
    }
    this.validateMachine(def, { pointer: '', topLanguage: language, jsonataLocked: language === 'JSONata', express: this.type === 'EXPRESS' });
  }

  // ---- machines -------------------------------------------------------------------------------------------

  /**
   * One problem for both, worded and ordered as AWS's: "These fields are required: [States,
   * StartAt]", reported before the machine's unsupported fields (AWS's order in a CloudFormation
   * answer quoted in cloudtools/troposphere#1450).
   */
  private checkMachineRequired(machine: Json, pointer: string): void {
    const missing = [machine['States'] === undefined ? 'States' : '', machine['StartAt'] === undefined ? 'StartAt' : ''].filter(Boolean);
    if (missing.length > 0) this.error(SCHEMA, `These fields are required: [${missing.join(', ')}]`, pointer);
  }

  private validateMachine(machine: Json, scope: MachineScope): void {
    const { pointer } = scope;
    const startAt = machine['StartAt'];
    const states = machine['States'];
    if (startAt !== undefined && typeof startAt !== 'string') this.error(SCHEMA, `StartAt must be a string, not ${typeName(startAt)}`, at(pointer, 'StartAt'));
    if (states === undefined) return;
    if (!isObject(states)) {
      this.error(SCHEMA, `States must be an object, not ${typeName(states)}`, at(pointer, 'States'));
      return;
    }
    const statesPointer = at(pointer, 'States');
    this.reportDuplicateKeys(states, statesPointer, true);
    const names = Object.keys(states);
    if (names.length === 0) {
      this.error(SCHEMA, 'States must contain at least one state', statesPointer);
      return;
    }

    const transitions = new Map<string, Transition[]>();
    let hasTerminal = false;
    // A state without an object body or a known Type has unknown transitions: graph checks would only guess.
    let malformed = false;
    for (const name of names) {
      const statePointer = at(statesPointer, name);
      if ([...name].length > MAX_STATE_NAME) {
        this.error('INVALID_STATE_NAME', `Invalid State name: State '${name}' exceeds the ${MAX_STATE_NAME}-character limit allowed by the service`, statePointer);
      }
      // AWS's words, at the later of the two states (recorded against AWS (2026-09)).
      if (this.stateNames.has(name)) this.error('DUPLICATE_STATE_NAME', `Duplicate State name: ${name}`, statePointer);
      else this.stateNames.add(name);

      const state = states[name];
      if (!isObject(state)) {
        this.error(SCHEMA, `State '${name}' must be an object, not ${typeName(state)}`, statePointer);
        malformed = true;
        continue;
      }
      const result = this.validateState(state, statePointer, scope);
      transitions.set(name, result.transitions);
      if (result.terminal) hasTerminal = true;
      if (result.malformed) malformed = true;
    }

    // Transition targets must name a state of the same machine: Next cannot leave a branch.
    for (const list of transitions.values()) {
      for (const t of list) {
        if (!Object.prototype.hasOwnProperty.call(states, t.target)) {
          this.error('MISSING_TRANSITION_TARGET', `Missing 'Next' target: ${t.target}`, t.pointer);
        }
      }
    }
    const startValid = typeof startAt === 'string' && Object.prototype.hasOwnProperty.call(states, startAt);
    // AWS words a StartAt naming no state as a dangling Next, and still reports the states no
    // transition names (not those only an unreachable state names): "MISSING_TRANSITION_TARGET:
    // Missing 'Next' target: Not sure at /StartAt, MISSING_TRANSITION_TARGET: State "Pass One" is not
    // reachable. at /States/Pass One" for Pass One -> Success (AWS's answers quoted in
    // aws-cloudformation/cfn-lint#4074 and serverless-operations/serverless-step-functions#250).
    const danglingStart = typeof startAt === 'string' && !startValid;
    if (danglingStart) this.error('MISSING_TRANSITION_TARGET', `Missing 'Next' target: ${startAt}`, at(pointer, 'StartAt'));
    if (malformed) return;
    if (!hasTerminal) {
      // AWS reports only this for a machine without any terminal state; the reachability walk is skipped.
      this.error('MISSING_END_STATE', 'Workflow has no terminal state', pointer);
      return;
    }
    if (danglingStart) {
      const named = new Set([...transitions.values()].flatMap((list) => list.map((t) => t.target)));
      for (const name of names) {
        if (!named.has(name)) this.error('MISSING_TRANSITION_TARGET', `State "${name}" is not reachable.`, at(statesPointer, name));
      }
    }
    if (!startValid) return;
    const reached = new Set<string>([startAt as string]);
    const queue = [startAt as string];
    while (queue.length > 0) {
      for (const t of transitions.get(queue.shift()!) ?? []) {
        if (!reached.has(t.target) && Object.prototype.hasOwnProperty.call(states, t.target)) {
          reached.add(t.target);
          queue.push(t.target);
        }
      }
    }
    for (const name of names) {
      if (!reached.has(name)) this.error('MISSING_TRANSITION_TARGET', `State "${name}" is not reachable.`, at(statesPointer, name));
    }
  }

  private validateNestedMachine(value: unknown, pointer: string, scope: MachineScope, kind: 'branch' | 'processor', field: string): void {
    if (!isObject(value)) {
      this.error(SCHEMA, `${field} must be an object, not ${typeName(value)}`, pointer);
      return;
    }
    this.reportDuplicateKeys(value, pointer);
    this.checkMachineRequired(value, pointer);
    const allowed = kind === 'processor' ? ['StartAt', 'States', 'Comment', 'ProcessorConfig'] : ['StartAt', 'States', 'Comment'];
    this.checkUnknownFields(value, pointer, allowed);
    this.checkComment(value, pointer);
    this.validateMachine(value, { ...scope, pointer });
  }

  // ---- states ---------------------------------------------------------------------------------------------

  private validateState(state: Json, pointer: string, scope: MachineScope): { transitions: Transition[]; terminal: boolean; malformed: boolean } {
    this.reportDuplicateKeys(state, pointer);
    const transitions: Transition[] = [];
    const type = state['Type'];
    if (type === undefined) {
      this.error(SCHEMA, "The field 'Type' is required but was missing", pointer);
      return { transitions, terminal: false, malformed: true };
    }
    if (typeof type !== 'string' || !(STATE_TYPES as readonly string[]).includes(type)) {
      // AWS's words and order (recorded against AWS in LocalStack's TestState tests).
      this.error(SCHEMA, "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]", at(pointer, 'Type'));
      return { transitions, terminal: false, malformed: true };
    }
    const stateType = type as StateType;

    let language = scope.topLanguage;
    if ('QueryLanguage' in state) {
      const ql = state['QueryLanguage'];
      if (ql !== 'JSONPath' && ql !== 'JSONata') {
        this.error(SCHEMA, `QueryLanguage must be 'JSONPath' or 'JSONata', not ${quote(ql)}`, at(pointer, 'QueryLanguage'));
      } else if (scope.jsonataLocked && ql === 'JSONPath') {
        this.error(SCHEMA, "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", pointer);
      } else {
        language = ql;
      }
    }

    this.checkFieldsForLanguage(state, pointer, STATE_FIELDS[stateType], language);
    this.checkComment(state, pointer);

    const ctx: StateContext = { state, pointer, language, scope };
    let terminal = false;
    if (stateType === 'Succeed' || stateType === 'Fail') {
      terminal = true;
    } else if (stateType !== 'Choice') {
      terminal = this.checkNextEnd(state, pointer, transitions);
    }

    this.checkCommonIo(ctx, stateType);

    switch (stateType) {
      case 'Pass':
        this.checkPass(ctx);
        break;
      case 'Task':
        this.checkTask(ctx);
        break;
      case 'Choice':
        this.checkChoice(ctx, transitions);
        break;
      case 'Wait':
        this.checkWait(ctx);
        break;
      case 'Fail':
        this.checkFail(ctx);
        break;
      case 'Parallel':
        this.checkParallel(ctx);
        break;
      case 'Map':
        this.checkMap(ctx);
        break;
      case 'Succeed':
        break;
    }
    if (stateType === 'Task' || stateType === 'Parallel' || stateType === 'Map') {
      this.checkRetry(ctx);
      this.checkCatch(ctx, transitions);
    }
    return { transitions, terminal, malformed: false };
  }

  /** Unknown fields, and fields that exist but belong to the other query language. */
  private checkFieldsForLanguage(obj: Json, pointer: string, fields: FieldSets, language: Language): void {
    const own = language === 'JSONPath' ? fields.jsonPath : fields.jsonata;
    const other = language === 'JSONPath' ? fields.jsonata : fields.jsonPath;
    const otherLanguage: Language = language === 'JSONPath' ? 'JSONata' : 'JSONPath';
    for (const key of Object.keys(obj)) {
      if (fields.both.includes(key) || own.includes(key)) continue;
      if (other.includes(key)) {
        this.error(SCHEMA, `The QueryLanguage is set to '${language}', but field '${key}' is only supported for the '${otherLanguage}' QueryLanguage`, pointer);
      } else {
        this.error(SCHEMA, `Field '${key}' is not supported`, pointer);
      }
    }
  }

  private checkUnknownFields(obj: Json, pointer: string, allowed: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) this.error(SCHEMA, `Field '${key}' is not supported`, pointer);
    }
  }

  private checkComment(obj: Json, pointer: string): void {
    if ('Comment' in obj && typeof obj['Comment'] !== 'string') {
      this.error(SCHEMA, `Comment must be a string, not ${typeName(obj['Comment'])}`, at(pointer, 'Comment'));
    }
  }

  /** Next and End are exclusive and one of them is required; returns whether the state is terminal. */
  private checkNextEnd(state: Json, pointer: string, transitions: Transition[]): boolean {
    const hasNext = 'Next' in state;
    const end = state['End'];
    if ('End' in state && typeof end !== 'boolean') {
      this.error(SCHEMA, `End must be a boolean, not ${typeName(end)}`, at(pointer, 'End'));
    }
    if (hasNext) {
      const next = state['Next'];
      if (typeof next !== 'string') this.error(SCHEMA, `Next must be a string, not ${typeName(next)}`, at(pointer, 'Next'));
      else transitions.push({ target: next, pointer: at(pointer, 'Next') });
    }
    if (hasNext && end === true) {
      this.error(SCHEMA, 'There should only be one of the following fields: [Next, End]', pointer);
    }
    if (!hasNext && end !== true) {
      this.error(SCHEMA, "The state must have either 'Next' or 'End': true", pointer);
    }
    return end === true;
  }

  // ---- fields shared by several state types -------------------------------------------------------------

  private checkCommonIo(ctx: StateContext, type: StateType): void {
    const { state, pointer, language } = ctx;
    if (language === 'JSONPath') {
      for (const field of ['InputPath', 'OutputPath']) {
        if (field in state && STATE_FIELDS[type].jsonPath.includes(field)) this.checkPathField(state[field], at(pointer, field), field, { nullable: true });
      }
      if ('ResultPath' in state && STATE_FIELDS[type].jsonPath.includes('ResultPath')) {
        this.checkResultPath(state['ResultPath'], at(pointer, 'ResultPath'));
      }
      for (const field of ['Parameters', 'ResultSelector']) {
        if (field in state && STATE_FIELDS[type].jsonPath.includes(field)) this.checkPayloadTemplate(state[field], at(pointer, field), field);
      }
    } else {
      if ('Output' in state) this.withJsonataScope(resultScope(type), () => this.checkJsonataTemplate(state['Output'], at(pointer, 'Output')));
      if ('Arguments' in state && STATE_FIELDS[type].jsonata.includes('Arguments')) {
        const args = state['Arguments'];
        if (!isObject(args) && !isJsonataExpression(args)) {
          this.error(SCHEMA, 'Arguments must be an object or a JSONata expression string', at(pointer, 'Arguments'));
        }
        this.checkJsonataTemplate(args, at(pointer, 'Arguments'));
      }
    }
    if ('Assign' in state) this.withJsonataScope(resultScope(type), () => this.checkAssign(state['Assign'], at(pointer, 'Assign'), language));
  }

  private checkPass(ctx: StateContext): void {
    const { state, pointer } = ctx;
    if ('Result' in state) {
      this.reportDuplicateKeysDeep(state['Result'], at(pointer, 'Result'));
      this.warnStaticResult(state['Result'], at(pointer, 'Result'));
    }
  }

  private warnStaticResult(value: unknown, pointer: string): void {
    if (Array.isArray(value)) value.forEach((v, i) => this.warnStaticResult(v, at(pointer, i)));
    else if (isObject(value)) {
      for (const [key, v] of Object.entries(value)) {
        if (key.endsWith('.$')) {
          // AWS's words and location, the object holding the field (API:ValidateStateMachineDefinition's example).
          this.warn('PASS_RESULT_IS_STATIC', `The value of '${key}' will not evaluate as a JSONPath or Intrinsic Function at runtime. Instead of 'Result', use 'Parameters' to evaluate it as a JSONPath or Intrinsic Function at runtime.`, pointer);
        }
        this.warnStaticResult(v, at(pointer, key));
      }
    }
  }

  private checkTask(ctx: StateContext): void {
    const { state, pointer, language, scope } = ctx;
    const resource = state['Resource'];
    if (resource === undefined) this.error(SCHEMA, "The field 'Resource' is required but was missing", pointer);
    else if (typeof resource !== 'string') this.error(SCHEMA, `Resource must be a string, not ${typeName(resource)}`, at(pointer, 'Resource'));
    else {
      const problem = resourceProblem(resource);
      if (problem) this.error('INVALID_RESOURCE', problem, at(pointer, 'Resource'));
      const pattern = scope.express ? EXPRESS_REFUSED_PATTERN.exec(resource)?.[1] : undefined;
      if (pattern) this.error(SCHEMA, `Express state machine does not support '.${pattern}' service integration${pattern === 'sync' ? '' : ' '}`, at(pointer, 'Resource'));
      if (scope.express && ACTIVITY_RESOURCE.test(resource)) this.error(SCHEMA, 'Express state machine does not support Activity ARN', at(pointer, 'Resource'));
      const payloadField = language === 'JSONPath' ? 'Parameters' : 'Arguments';
      const payload = state[payloadField];
      if (isObject(payload)) {
        for (const field of refusedIntegrationFields(resource, payload)) {
          this.error(SCHEMA, `The field '${field}' is not supported by Step Functions`, at(pointer, payloadField));
        }
      }
    }

    const timeout = this.checkSecondsPair(ctx, 'TimeoutSeconds', 'TimeoutSecondsPath');
    const heartbeat = this.checkSecondsPair(ctx, 'HeartbeatSeconds', 'HeartbeatSecondsPath');
    if (typeof timeout === 'number' && typeof heartbeat === 'number' && heartbeat >= timeout) {
      this.error(SCHEMA, `HeartbeatSeconds (${heartbeat}) must be smaller than TimeoutSeconds (${timeout})`, at(pointer, 'HeartbeatSeconds'));
    }

    if ('Credentials' in state) {
      const creds = state['Credentials'];
      const cp = at(pointer, 'Credentials');
      if (!isObject(creds)) {
        this.error(SCHEMA, `Credentials must be an object, not ${typeName(creds)}`, cp);
      } else if (language === 'JSONata') {
        if (!('RoleArn' in creds)) this.error(SCHEMA, "The field 'RoleArn' is required but was missing", cp);
        this.checkUnknownFields(creds, cp, ['RoleArn']);
        if ('RoleArn' in creds && typeof creds['RoleArn'] !== 'string') {
          this.error(SCHEMA, `RoleArn must be a string, not ${typeName(creds['RoleArn'])}`, at(cp, 'RoleArn'));
        }
        this.checkJsonataTemplate(creds, cp);
      } else {
        this.checkPayloadTemplate(creds, cp, 'Credentials');
      }
    }
  }

  /**
   * A positive-seconds field and its `...Path` twin (Task TimeoutSeconds/HeartbeatSeconds). Returns the
   * literal number when there is one, for cross-field checks.
   */
  private checkSecondsPair(ctx: StateContext, field: string, pathField: string): number | undefined {
    const { state, pointer, language } = ctx;
    if (field in state && pathField in state) {
      this.error(SCHEMA, `There should only be one of the following fields: [${field}, ${pathField}]`, pointer);
    }
    if (pathField in state && language === 'JSONPath') this.checkReferencePathField(state[pathField], at(pointer, pathField), pathField);
    if (!(field in state)) return undefined;
    const value = state[field];
    if (language === 'JSONata' && typeof value === 'string') {
      this.checkJsonataValueString(value, at(pointer, field), field);
      return undefined;
    }
    return this.checkInteger(value, at(pointer, field), field, 1, MAX_INT_FIELD) ? (value as number) : undefined;
  }

  private checkWait(ctx: StateContext): void {
    const { state, pointer, language } = ctx;
    const present = ['Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath'].filter((f) => f in state);
    if (present.length === 0) {
      this.error(SCHEMA, 'A Wait state must have exactly one of the following fields: [Seconds, SecondsPath, Timestamp, TimestampPath]', pointer);
    } else if (present.length > 1) {
      this.error(SCHEMA, `There should only be one of the following fields: [${present.join(', ')}]`, pointer);
    }
    if ('Seconds' in state) {
      const v = state['Seconds'];
      if (language === 'JSONata' && typeof v === 'string') this.checkJsonataValueString(v, at(pointer, 'Seconds'), 'Seconds');
      else this.checkInteger(v, at(pointer, 'Seconds'), 'Seconds', 0, MAX_INT_FIELD);
    }
    if ('Timestamp' in state) {
      const v = state['Timestamp'];
      const tp = at(pointer, 'Timestamp');
      if (typeof v !== 'string') this.error(SCHEMA, `Timestamp must be a string, not ${typeName(v)}`, tp);
      else if (language === 'JSONata' && isJsonataExpression(v)) this.checkJsonataString(v, tp);
      else if (!isRfc3339Timestamp(v)) this.error(SCHEMA, 'String does not match RFC3339 timestamp', tp);
    }
    if (language === 'JSONPath') {
      for (const f of ['SecondsPath', 'TimestampPath']) if (f in state) this.checkReferencePathField(state[f], at(pointer, f), f);
    }
  }

  private checkFail(ctx: StateContext): void {
    const { state, pointer, language } = ctx;
    for (const [field, pathField] of [['Error', 'ErrorPath'], ['Cause', 'CausePath']] as const) {
      if (field in state && pathField in state) {
        this.error(SCHEMA, `You cannot set both ${field} and ${pathField} at the same time`, pointer);
      }
      if (field in state) {
        const v = state[field];
        if (typeof v !== 'string') this.error(SCHEMA, `${field} must be a string, not ${typeName(v)}`, at(pointer, field));
        else if (language === 'JSONata') this.checkJsonataValueString(v, at(pointer, field), field);
        else if (looksLikePath(v)) {
          // AWS's words (API:ValidateStateMachineDefinition, its example with static analysis).
          this.warn('NO_PATH', `The value of '${field}' looks like a JSONPath. Instead of '${field}', use '${pathField}' to evaluate it as a JSONPath at runtime.`, at(pointer, field));
        }
      }
      if (pathField in state && language === 'JSONPath') {
        const v = state[pathField];
        const fp = at(pointer, pathField);
        if (typeof v !== 'string') {
          this.error(SCHEMA, `${pathField} must be a string, not ${typeName(v)}`, fp);
        } else {
          const problem = this.pathOrIntrinsicProblem(v, STRING_INTRINSICS);
          if (problem) {
            this.error(SCHEMA, `The value for the field '${pathField}' must be a valid JSONPath or an intrinsic function that returns a string (${problem})`, fp);
          }
        }
      }
    }
  }

  private checkParallel(ctx: StateContext): void {
    const { state, pointer, scope } = ctx;
    const branches = state['Branches'];
    const bp = at(pointer, 'Branches');
    if (branches === undefined) {
      this.error(SCHEMA, "The field 'Branches' is required but was missing", pointer);
    } else if (!Array.isArray(branches)) {
      this.error(SCHEMA, `Branches must be an array, not ${typeName(branches)}`, bp);
    } else if (branches.length === 0) {
      this.error(SCHEMA, 'Branches must contain at least one branch', bp);
    } else {
      branches.forEach((branch, i) => this.validateNestedMachine(branch, at(bp, i), scope, 'branch', `Branches[${i}]`));
    }
  }

  // ---- Map ------------------------------------------------------------------------------------------------

  private checkMap(ctx: StateContext): void {
    const { state, pointer, language, scope } = ctx;
    const hasProcessor = 'ItemProcessor' in state;
    const hasIterator = 'Iterator' in state;
    if (hasProcessor && hasIterator) {
      this.error(SCHEMA, 'There should only be one of the following fields: [ItemProcessor, Iterator]', pointer);
    } else if (!hasProcessor && !hasIterator) {
      this.error(SCHEMA, "The field 'ItemProcessor' is required but was missing", pointer);
    }
    for (const field of ['ItemProcessor', 'Iterator']) {
      if (!(field in state)) continue;
      const fp = at(pointer, field);
      const processor = state[field];
      const config = isObject(processor) && isObject(processor['ProcessorConfig']) ? processor['ProcessorConfig'] : undefined;
      const distributed = config?.['Mode'] === 'DISTRIBUTED';
      // Child workflows are executions of the type ExecutionType names, whatever the parent's.
      const childScope: MachineScope = distributed ? { ...scope, topLanguage: language, jsonataLocked: false, express: config?.['ExecutionType'] === 'EXPRESS' } : scope;
      this.validateNestedMachine(processor, fp, childScope, 'processor', field);
      if (isObject(processor) && 'ProcessorConfig' in processor) this.checkProcessorConfig(processor['ProcessorConfig'], at(fp, 'ProcessorConfig'));
    }

    if (language === 'JSONPath') {
      if ('ItemsPath' in state) this.checkPathField(state['ItemsPath'], at(pointer, 'ItemsPath'), 'ItemsPath', { nullable: false });
      if ('ItemSelector' in state && 'Parameters' in state) {
        this.error(SCHEMA, 'There should only be one of the following fields: [ItemSelector, Parameters]', pointer);
      }
      if ('ItemSelector' in state) this.checkPayloadTemplate(state['ItemSelector'], at(pointer, 'ItemSelector'), 'ItemSelector');
    } else {
      if ('Items' in state) {
        const items = state['Items'];
        if (!Array.isArray(items) && !isJsonataExpression(items)) {
          this.error(SCHEMA, 'Items must be an array or a JSONata expression string', at(pointer, 'Items'));
        }
        this.checkJsonataTemplate(items, at(pointer, 'Items'));
      }
      if ('ItemSelector' in state) this.checkJsonataTemplate(state['ItemSelector'], at(pointer, 'ItemSelector'));
    }

    this.checkNumberPair(state, pointer, language, 'MaxConcurrency', 'MaxConcurrencyPath', 0, MAX_INT_FIELD, true);
    this.checkNumberPair(state, pointer, language, 'ToleratedFailureCount', 'ToleratedFailureCountPath', 0, MAX_INT_FIELD, true);
    this.checkNumberPair(state, pointer, language, 'ToleratedFailurePercentage', 'ToleratedFailurePercentagePath', 0, 100, false);

    if ('Label' in state) this.checkLabel(state['Label'], at(pointer, 'Label'));
    if ('ItemReader' in state) this.checkItemReader(state['ItemReader'], at(pointer, 'ItemReader'), language);
    if ('ItemBatcher' in state) this.checkItemBatcher(state['ItemBatcher'], at(pointer, 'ItemBatcher'), language);
    if ('ResultWriter' in state) this.checkResultWriter(state['ResultWriter'], at(pointer, 'ResultWriter'), language);
  }

  /** A numeric Map setting and its `...Path` twin: exclusive, bounded, and a JSONata string in JSONata states. */
  private checkNumberPair(obj: Json, pointer: string, language: Language, field: string, pathField: string, min: number, max: number, integer: boolean): void {
    if (field in obj && pathField in obj) {
      this.error(SCHEMA, `There should only be one of the following fields: [${field}, ${pathField}]`, pointer);
    }
    if (pathField in obj && language === 'JSONPath') {
      this.checkReferencePathField(obj[pathField], at(pointer, pathField), pathField, { allowContext: false });
    }
    if (!(field in obj)) return;
    const value = obj[field];
    const fp = at(pointer, field);
    if (language === 'JSONata' && typeof value === 'string') {
      this.checkJsonataValueString(value, fp, field);
      return;
    }
    if (integer) this.checkInteger(value, fp, field, min, max);
    else this.checkNumber(value, fp, field, min, max, true);
  }

  private checkProcessorConfig(config: unknown, pointer: string): void {
    if (!isObject(config)) {
      this.error(SCHEMA, `ProcessorConfig must be an object, not ${typeName(config)}`, pointer);
      return;
    }
    this.checkUnknownFields(config, pointer, ['Mode', 'ExecutionType']);
    if ('Mode' in config && config['Mode'] !== 'INLINE' && config['Mode'] !== 'DISTRIBUTED') {
      this.error(SCHEMA, `Mode must be 'INLINE' or 'DISTRIBUTED', not ${quote(config['Mode'])}`, at(pointer, 'Mode'));
    }
    if ('ExecutionType' in config && config['ExecutionType'] !== 'STANDARD' && config['ExecutionType'] !== 'EXPRESS') {
      this.error(SCHEMA, `ExecutionType must be 'STANDARD' or 'EXPRESS', not ${quote(config['ExecutionType'])}`, at(pointer, 'ExecutionType'));
    }
  }

  private checkLabel(label: unknown, pointer: string): void {
    if (typeof label !== 'string') {
      this.error(SCHEMA, `Label must be a string, not ${typeName(label)}`, pointer);
      return;
    }
    if (label.length === 0) {
      this.error('INVALID_LABEL_NAME', 'Label cannot be empty', pointer);
      return;
    }
    if ([...label].length > MAX_LABEL) this.error('INVALID_LABEL_NAME', `Label exceeds ${MAX_LABEL} characters`, pointer);
    const bad = invalidLabelChar(label);
    if (bad !== null) this.error('INVALID_LABEL_NAME', `Label contains invalid character: '${showChar(bad)}'`, pointer);
    const previous = this.labels.get(label);
    if (previous !== undefined) this.error('DUPLICATE_LABEL_NAME', `Duplicate Label name: ${label} (also used at ${previous})`, pointer);
    else this.labels.set(label, pointer);
  }

  private checkItemReader(reader: unknown, pointer: string, language: Language): void {
    if (!isObject(reader)) {
      this.error(SCHEMA, `ItemReader must be an object, not ${typeName(reader)}`, pointer);
      return;
    }
    this.reportDuplicateKeys(reader, pointer);
    this.checkFieldsForLanguage(reader, pointer, { both: ['Resource', 'ReaderConfig'], jsonPath: ['Parameters'], jsonata: ['Arguments'] }, language);
    this.checkIntegrationResource(reader, pointer);
    if (language === 'JSONPath' && 'Parameters' in reader) this.checkPayloadTemplate(reader['Parameters'], at(pointer, 'Parameters'), 'Parameters');
    if (language === 'JSONata' && 'Arguments' in reader) this.checkJsonataTemplate(reader['Arguments'], at(pointer, 'Arguments'));
    if (!('ReaderConfig' in reader)) return;
    const config = reader['ReaderConfig'];
    const cp = at(pointer, 'ReaderConfig');
    if (!isObject(config)) {
      this.error(SCHEMA, `ReaderConfig must be an object, not ${typeName(config)}`, cp);
      return;
    }
    this.checkNumberPair(config, cp, language, 'MaxItems', 'MaxItemsPath', 0, 100000000, true);
    if (language === 'JSONata' && 'MaxItemsPath' in config) {
      this.error(SCHEMA, "The QueryLanguage is set to 'JSONata', but field 'MaxItemsPath' is only supported for the 'JSONPath' QueryLanguage", cp);
    }
    this.checkUnknownFields(config, cp, READER_CONFIG_FIELDS);
    this.checkEnum(config, cp, 'InputType', ['CSV', 'JSON', 'JSONL', 'MANIFEST', 'PARQUET']);
    this.checkEnum(config, cp, 'CSVHeaderLocation', ['FIRST_ROW', 'GIVEN']);
    this.checkEnum(config, cp, 'CSVDelimiter', ['COMMA', 'PIPE', 'SEMICOLON', 'SPACE', 'TAB']);
    this.checkEnum(config, cp, 'Transformation', ['NONE', 'LOAD_AND_FLATTEN']);
    this.checkEnum(config, cp, 'ManifestType', ['ATHENA_DATA', 'S3_INVENTORY']);
    if (config['CSVHeaderLocation'] === 'GIVEN' && !('CSVHeaders' in config)) {
      this.error(SCHEMA, "The field 'CSVHeaders' is required when CSVHeaderLocation is 'GIVEN'", cp);
    }
    if ('CSVHeaders' in config && (!Array.isArray(config['CSVHeaders']) || !config['CSVHeaders'].every((h) => typeof h === 'string'))) {
      this.error(SCHEMA, 'CSVHeaders must be an array of strings', at(cp, 'CSVHeaders'));
    }
    if ('ItemsPointer' in config) {
      const pointer = config['ItemsPointer'];
      if (typeof pointer !== 'string') this.error(SCHEMA, `ItemsPointer must be a string, not ${typeName(pointer)}`, at(cp, 'ItemsPointer'));
      else if (pointer !== '' && !pointer.startsWith('/')) this.error(SCHEMA, "ItemsPointer must be a JSON Pointer (starting with '/')", at(cp, 'ItemsPointer'));
    }
    // DG:input-output-itemreader: "When set to LOAD_AND_FLATTEN, you must also set InputType"
    // (one of CSV, JSON, JSONL, PARQUET); "If set to S3_INVENTORY, you must not also specify
    // InputType"; ATHENA_DATA takes "InputType to either CSV, JSONL, or Parquet".
    const inputType = config['InputType'];
    if (config['Transformation'] === 'LOAD_AND_FLATTEN') {
      if (!('InputType' in config)) this.error(SCHEMA, "The field 'InputType' is required when Transformation is 'LOAD_AND_FLATTEN'", cp);
      else if (inputType === 'MANIFEST') this.error(SCHEMA, "InputType must be one of CSV, JSON, JSONL, PARQUET when Transformation is 'LOAD_AND_FLATTEN'; got MANIFEST", at(cp, 'InputType'));
    }
    if (config['ManifestType'] === 'S3_INVENTORY' && 'InputType' in config) {
      this.error(SCHEMA, "The field 'InputType' must not be set when ManifestType is 'S3_INVENTORY'", cp);
    }
    if (config['ManifestType'] === 'ATHENA_DATA') {
      if (!('InputType' in config)) this.error(SCHEMA, "The field 'InputType' is required when ManifestType is 'ATHENA_DATA'", cp);
      else if (inputType === 'JSON' || inputType === 'MANIFEST') this.error(SCHEMA, `InputType must be one of CSV, JSONL, PARQUET when ManifestType is 'ATHENA_DATA'; got ${quote(inputType)}`, at(cp, 'InputType'));
    }
  }

  private checkItemBatcher(batcher: unknown, pointer: string, language: Language): void {
    if (!isObject(batcher)) {
      this.error(SCHEMA, `ItemBatcher must be an object, not ${typeName(batcher)}`, pointer);
      return;
    }
    this.reportDuplicateKeys(batcher, pointer);
    this.checkFieldsForLanguage(
      batcher,
      pointer,
      { both: ['MaxItemsPerBatch', 'MaxInputBytesPerBatch', 'BatchInput'], jsonPath: ['MaxItemsPerBatchPath', 'MaxInputBytesPerBatchPath'], jsonata: [] },
      language,
    );
    this.checkNumberPair(batcher, pointer, language, 'MaxItemsPerBatch', 'MaxItemsPerBatchPath', 1, MAX_INT_FIELD, true);
    this.checkNumberPair(batcher, pointer, language, 'MaxInputBytesPerBatch', 'MaxInputBytesPerBatchPath', 1, 262144, true);
    if ('BatchInput' in batcher) {
      const input = batcher['BatchInput'];
      if (language === 'JSONPath') this.checkPayloadTemplate(input, at(pointer, 'BatchInput'), 'BatchInput');
      else this.checkJsonataTemplate(input, at(pointer, 'BatchInput'));
    }
  }

  private checkResultWriter(writer: unknown, pointer: string, language: Language): void {
    if (!isObject(writer)) {
      this.error(SCHEMA, `ResultWriter must be an object, not ${typeName(writer)}`, pointer);
      return;
    }
    this.reportDuplicateKeys(writer, pointer);
    this.checkFieldsForLanguage(writer, pointer, { both: ['Resource', 'WriterConfig'], jsonPath: ['Parameters'], jsonata: ['Arguments'] }, language);
    this.checkIntegrationResource(writer, pointer);
    if (language === 'JSONPath' && 'Parameters' in writer) this.checkPayloadTemplate(writer['Parameters'], at(pointer, 'Parameters'), 'Parameters');
    if (language === 'JSONata' && 'Arguments' in writer) this.checkJsonataTemplate(writer['Arguments'], at(pointer, 'Arguments'));
    if (!('WriterConfig' in writer)) return;
    const config = writer['WriterConfig'];
    const cp = at(pointer, 'WriterConfig');
    if (!isObject(config)) {
      this.error(SCHEMA, `WriterConfig must be an object, not ${typeName(config)}`, cp);
      return;
    }
    if (!('OutputType' in config)) this.error(SCHEMA, "The field 'OutputType' is required but was missing", cp);
    this.checkEnum(config, cp, 'OutputType', ['JSON', 'JSONL']);
    this.checkEnum(config, cp, 'Transformation', ['NONE', 'COMPACT', 'FLATTEN']);
  }

  private checkIntegrationResource(obj: Json, pointer: string): void {
    if (!('Resource' in obj)) return;
    const resource = obj['Resource'];
    if (typeof resource !== 'string') this.error(SCHEMA, `Resource must be a string, not ${typeName(resource)}`, at(pointer, 'Resource'));
    else {
      const problem = resourceProblem(resource);
      if (problem) this.error('INVALID_RESOURCE', problem, at(pointer, 'Resource'));
    }
  }

  private checkEnum(obj: Json, pointer: string, field: string, values: readonly string[]): void {
    if (field in obj && !values.includes(obj[field] as string)) {
      this.error(SCHEMA, `${field} must be one of ${values.join(', ')}; got ${quote(obj[field])}`, at(pointer, field));
    }
  }

  // ---- Choice ---------------------------------------------------------------------------------------------

  private checkChoice(ctx: StateContext, transitions: Transition[]): void {
    const { state, pointer, language } = ctx;
    const choices = state['Choices'];
    const cp = at(pointer, 'Choices');
    if (choices === undefined) {
      // AWS's words, "These fields are required: [Choices]" at the state (AWS's answer quoted in
      // CloudSnorkel/cdk-github-runners#434).
      this.error(SCHEMA, 'These fields are required: [Choices]', pointer);
    } else if (!Array.isArray(choices)) {
      this.error(SCHEMA, `Choices must be an array, not ${typeName(choices)}`, cp);
    } else if (choices.length === 0) {
      this.error(SCHEMA, 'Choices must contain at least one rule', cp);
    } else {
      choices.forEach((rule, i) => this.checkTopChoiceRule(rule, at(cp, i), language, transitions));
    }
    if ('Default' in state) {
      const d = state['Default'];
      if (typeof d !== 'string') this.error(SCHEMA, `Default must be a string, not ${typeName(d)}`, at(pointer, 'Default'));
      else transitions.push({ target: d, pointer: at(pointer, 'Default') });
    }
  }

  private checkTopChoiceRule(rule: unknown, pointer: string, language: Language, transitions: Transition[]): void {
    if (!isObject(rule)) {
      this.error(SCHEMA, `A choice rule must be an object, not ${typeName(rule)}`, pointer);
      return;
    }
    this.reportDuplicateKeys(rule, pointer);
    const next = rule['Next'];
    // AWS's words for a top-level rule without Next, "These fields are required: [Next]" (AWS's answer
    // quoted in aws-cloudformation/cfn-lint#4077), unlike its "The field 'X' is required" elsewhere.
    if (next === undefined) this.error(SCHEMA, 'These fields are required: [Next]', pointer);
    else if (typeof next !== 'string') this.error(SCHEMA, `Next must be a string, not ${typeName(next)}`, at(pointer, 'Next'));
    else transitions.push({ target: next, pointer: at(pointer, 'Next') });
    this.checkComment(rule, pointer);
    if ('Assign' in rule) this.checkAssign(rule['Assign'], at(pointer, 'Assign'), language);

    if (language === 'JSONata') {
      const allowed = ['Condition', 'Next', 'Comment', 'Assign', 'Output'];
      for (const key of Object.keys(rule)) {
        if (allowed.includes(key)) continue;
        if (key === 'Variable' || key in COMPARISONS || LOGICAL.includes(key)) {
          this.error(SCHEMA, `The QueryLanguage is set to 'JSONata', but field '${key}' is only supported for the 'JSONPath' QueryLanguage`, pointer);
        } else {
          this.error(SCHEMA, `Field '${key}' is not supported`, pointer);
        }
      }
      const condition = rule['Condition'];
      if (condition === undefined) this.error(SCHEMA, "The field 'Condition' is required but was missing", pointer);
      else if (typeof condition === 'string') {
        if (isJsonataExpression(condition)) this.checkJsonataString(condition, at(pointer, 'Condition'));
        else this.error(SCHEMA, 'Condition must be a boolean or a JSONata expression string ({% ... %})', at(pointer, 'Condition'));
      } else if (typeof condition !== 'boolean') {
        this.error(SCHEMA, `Condition must be a boolean or a JSONata expression, not ${typeName(condition)}`, at(pointer, 'Condition'));
      }
      if ('Output' in rule) this.checkJsonataTemplate(rule['Output'], at(pointer, 'Output'));
      return;
    }
    for (const key of ['Condition', 'Output']) {
      if (key in rule) this.error(SCHEMA, `The QueryLanguage is set to 'JSONPath', but field '${key}' is only supported for the 'JSONata' QueryLanguage`, pointer);
    }
    this.checkRuleBody(rule, pointer, ['Next', 'Comment', 'Assign', 'Condition', 'Output']);
  }

  /** A JSONPath choice rule without its top-level-only fields: one comparison (with Variable) or one of And/Or/Not. */
  private checkRuleBody(rule: Json, pointer: string, extraAllowed: readonly string[]): void {
    const operators: string[] = [];
    for (const key of Object.keys(rule)) {
      if (key in COMPARISONS || LOGICAL.includes(key)) operators.push(key);
      else if (key !== 'Variable' && !extraAllowed.includes(key)) this.error(SCHEMA, `Field '${key}' is not supported`, pointer);
    }
    if (operators.length === 0) {
      this.error(SCHEMA, 'A choice rule must have a comparison operator (e.g. StringEquals) or one of And, Or, Not', pointer);
      return;
    }
    if (operators.length > 1) {
      this.error(SCHEMA, `A choice rule must have exactly one operator; found ${operators.join(', ')}`, pointer);
    }
    const op = operators[0]!;
    if (LOGICAL.includes(op)) {
      if ('Variable' in rule && operators.length === 1) this.error(SCHEMA, `Field 'Variable' is not supported with ${op}`, pointer);
      this.checkLogical(rule, op, pointer);
      return;
    }
    const variable = rule['Variable'];
    if (variable === undefined) {
      this.error(SCHEMA, "The field 'Variable' is required but was missing", pointer);
    } else if (typeof variable !== 'string') {
      this.error(SCHEMA, `Variable must be a string, not ${typeName(variable)}`, at(pointer, 'Variable'));
    } else {
      this.checkReferencePathField(variable, at(pointer, 'Variable'), 'Variable');
    }
    for (const o of operators) {
      if (o in COMPARISONS) this.checkOperand(o, COMPARISONS[o]!, rule[o], at(pointer, o));
    }
  }

  private checkLogical(rule: Json, op: string, pointer: string): void {
    const value = rule[op];
    const vp = at(pointer, op);
    if (op === 'Not') {
      if (!isObject(value)) this.error(SCHEMA, `Not must be an object (a single choice rule), not ${typeName(value)}`, vp);
      else this.checkNestedRule(value, vp);
      return;
    }
    if (!Array.isArray(value)) {
      this.error(SCHEMA, `${op} must be an array of choice rules, not ${typeName(value)}`, vp);
    } else if (value.length === 0) {
      this.error(SCHEMA, `${op} must contain at least one choice rule`, vp);
    } else {
      value.forEach((r, i) => {
        if (!isObject(r)) this.error(SCHEMA, `A choice rule must be an object, not ${typeName(r)}`, at(vp, i));
        else this.checkNestedRule(r, at(vp, i));
      });
    }
  }

  /** Rules inside And/Or/Not: they never transition, so Next (and Assign) are not allowed there. */
  private checkNestedRule(rule: Json, pointer: string): void {
    this.reportDuplicateKeys(rule, pointer);
    this.checkComment(rule, pointer);
    this.checkRuleBody(rule, pointer, ['Comment']);
  }

  private checkOperand(op: string, kind: OperandKind, value: unknown, pointer: string): void {
    switch (kind) {
      case 'string':
        if (typeof value !== 'string') this.error(SCHEMA, `${op} must be a string, not ${typeName(value)}`, pointer);
        break;
      case 'number':
        if (typeof value !== 'number') this.error(SCHEMA, `${op} must be a number, not ${typeName(value)}`, pointer);
        break;
      case 'boolean':
      case 'flag':
        if (typeof value !== 'boolean') this.error(SCHEMA, `${op} must be a boolean, not ${typeName(value)}`, pointer);
        break;
      case 'timestamp':
        // Unlike Wait's Timestamp, AWS accepts any string here: one that is not a timestamp just never matches.
        if (typeof value !== 'string') this.error(SCHEMA, `${op} must be a string, not ${typeName(value)}`, pointer);
        break;
      case 'path':
        this.checkReferencePathField(value, pointer, op);
        break;
    }
  }

  // ---- Retry / Catch --------------------------------------------------------------------------------------

  private checkErrorEquals(holder: Json, pointer: string, isLast: boolean, kind: 'Retrier' | 'Catcher'): void {
    const list = holder['ErrorEquals'];
    const lp = at(pointer, 'ErrorEquals');
    if (list === undefined) {
      this.error(SCHEMA, "The field 'ErrorEquals' is required but was missing", pointer);
      return;
    }
    if (!Array.isArray(list)) {
      this.error(SCHEMA, `ErrorEquals must be an array, not ${typeName(list)}`, lp);
      return;
    }
    list.forEach((name, i) => {
      if (typeof name !== 'string') this.error(SCHEMA, `Error names must be strings, not ${typeName(name)}`, at(lp, i));
    });
    if (list.includes('States.ALL')) {
      if (list.length > 1) this.error(SCHEMA, "States.ALL must appear alone in ErrorEquals", lp);
      if (!isLast) this.error(SCHEMA, `A ${kind} with States.ALL must be the last one`, lp);
    }
  }

  private checkRetry(ctx: StateContext): void {
    const { state, pointer } = ctx;
    if (!('Retry' in state)) return;
    const retry = state['Retry'];
    const rp = at(pointer, 'Retry');
    if (!Array.isArray(retry)) {
      this.error(SCHEMA, `Retry must be an array, not ${typeName(retry)}`, rp);
      return;
    }
    retry.forEach((retrier, i) => {
      const p = at(rp, i);
      if (!isObject(retrier)) {
        this.error(SCHEMA, `A retrier must be an object, not ${typeName(retrier)}`, p);
        return;
      }
      this.reportDuplicateKeys(retrier, p);
      this.checkUnknownFields(retrier, p, RETRIER_FIELDS);
      this.checkComment(retrier, p);
      this.checkErrorEquals(retrier, p, i === retry.length - 1, 'Retrier');
      if ('IntervalSeconds' in retrier) this.checkInteger(retrier['IntervalSeconds'], at(p, 'IntervalSeconds'), 'IntervalSeconds', 1, MAX_INT_FIELD);
      if ('MaxAttempts' in retrier) this.checkInteger(retrier['MaxAttempts'], at(p, 'MaxAttempts'), 'MaxAttempts', 0, MAX_INT_FIELD);
      if ('BackoffRate' in retrier) this.checkNumber(retrier['BackoffRate'], at(p, 'BackoffRate'), 'BackoffRate', 1, MAX_INT_FIELD);
      if ('MaxDelaySeconds' in retrier) this.checkInteger(retrier['MaxDelaySeconds'], at(p, 'MaxDelaySeconds'), 'MaxDelaySeconds', 1, 31622401);
      this.checkEnum(retrier, p, 'JitterStrategy', ['FULL', 'NONE']);
    });
  }

  private checkCatch(ctx: StateContext, transitions: Transition[]): void {
    const { state, pointer, language } = ctx;
    if (!('Catch' in state)) return;
    const catchers = state['Catch'];
    const cp = at(pointer, 'Catch');
    if (!Array.isArray(catchers)) {
      this.error(SCHEMA, `Catch must be an array, not ${typeName(catchers)}`, cp);
      return;
    }
    catchers.forEach((catcher, i) => {
      const p = at(cp, i);
      if (!isObject(catcher)) {
        this.error(SCHEMA, `A catcher must be an object, not ${typeName(catcher)}`, p);
        return;
      }
      this.reportDuplicateKeys(catcher, p);
      this.checkFieldsForLanguage(catcher, p, CATCHER_FIELDS, language);
      this.checkComment(catcher, p);
      this.checkErrorEquals(catcher, p, i === catchers.length - 1, 'Catcher');
      const next = catcher['Next'];
      if (next === undefined) this.error(SCHEMA, "The field 'Next' is required but was missing", p);
      else if (typeof next !== 'string') this.error(SCHEMA, `Next must be a string, not ${typeName(next)}`, at(p, 'Next'));
      else transitions.push({ target: next, pointer: at(p, 'Next') });
      if (language === 'JSONPath' && 'ResultPath' in catcher) this.checkResultPath(catcher['ResultPath'], at(p, 'ResultPath'));
      this.withJsonataScope({ result: false, errorOutput: true }, () => {
        if (language === 'JSONata' && 'Output' in catcher) this.checkJsonataTemplate(catcher['Output'], at(p, 'Output'));
        if ('Assign' in catcher) this.checkAssign(catcher['Assign'], at(p, 'Assign'), language);
      });
    });
  }

  // ---- numbers --------------------------------------------------------------------------------------------

  private checkInteger(value: unknown, pointer: string, field: string, min: number, max: number): boolean {
    if (typeof value !== 'number') {
      // AWS's words for a Wait's Seconds given as the string "$.Result.seconds" (AWS's answer quoted in
      // serverless-operations/serverless-step-functions#188).
      this.error(SCHEMA, 'Expected value of type Integer', pointer);
      return false;
    }
    if (!Number.isInteger(value)) {
      this.error(SCHEMA, `${field} must be an integer, not ${value}`, pointer);
      return false;
    }
    return this.checkRange(value, pointer, min, max);
  }

  /**
   * `decimal`: AWS writes the bounds as decimals, "Minimum value is 0.0" and "Maximum value is 100.0"
   * for ToleratedFailurePercentage (AWS's answers quoted in floci-io/floci#3733, measured 2026-09-16).
   */
  private checkNumber(value: unknown, pointer: string, field: string, min: number, max: number, decimal = false): boolean {
    if (typeof value !== 'number') {
      this.error(SCHEMA, `${field} must be a number, not ${typeName(value)}`, pointer);
      return false;
    }
    return this.checkRange(value, pointer, min, max, decimal);
  }

  private checkRange(value: number, pointer: string, min: number, max: number, decimal = false): boolean {
    const show = (bound: number) => (decimal && Number.isInteger(bound) ? bound.toFixed(1) : String(bound));
    if (value < min) {
      this.error(SCHEMA, `Minimum value is ${show(min)}`, pointer);
      return false;
    }
    if (value > max) {
      this.error(SCHEMA, `Maximum value is ${show(max)}`, pointer);
      return false;
    }
    return true;
  }

  // ---- paths ----------------------------------------------------------------------------------------------

  /** InputPath, OutputPath, ItemsPath: any JSONPath (null allowed where AWS allows it, meaning "{}"). */
  private checkPathField(value: unknown, pointer: string, field: string, opts: { nullable: boolean }): void {
    if (value === null && opts.nullable) return;
    if (typeof value !== 'string') {
      this.error(SCHEMA, `The value for the field '${field}' must be a JSONPath string${opts.nullable ? ' or null' : ''}, not ${typeName(value)}`, pointer);
      return;
    }
    // AWS's words, which give no detail: "Value must be a valid JSONPath." for OutputPath "Test"
    // (AWS's answer quoted in aws-cloudformation/cfn-lint#4078).
    const problem = pathProblem(value);
    if (problem) this.error(SCHEMA, 'Value must be a valid JSONPath.', pointer, problem);
  }

  /** ResultPath: null, or a definite path into the state input; no context object, no variables. */
  private checkResultPath(value: unknown, pointer: string): void {
    if (value === null) return;
    if (typeof value !== 'string') {
      this.error(SCHEMA, `The value for the field 'ResultPath' must be a Reference Path string or null, not ${typeName(value)}`, pointer);
      return;
    }
    const problem = checkResultPathSyntax(value);
    if (problem) this.error(SCHEMA, `The value for the field 'ResultPath' must be a valid ReferencePath: ${problem}`, pointer);
  }

  /** `...Path` fields holding a single value: a definite path into the input, a variable, or (mostly) the context. */
  private checkReferencePathField(value: unknown, pointer: string, field: string, opts: { allowContext?: boolean } = {}): void {
    if (typeof value !== 'string') {
      this.error(SCHEMA, `The value for the field '${field}' must be a Reference Path string, not ${typeName(value)}`, pointer);
      return;
    }
    if (opts.allowContext === false && value.startsWith('$$')) {
      // AWS's words, which do not say why (AWS's answer quoted in floci-io/floci#3733, measured 2026-09-16).
      this.error(SCHEMA, 'Value is not a Reference Path', pointer);
      return;
    }
    // AWS's words: "Value is not a Reference Path: Reference path didn't start with '$'" for a Choice
    // Variable "Test" (AWS's answer quoted in aws-cloudformation/cfn-lint#4076); other problems keep
    // AWS's prefix (as in Stedi-Public-Archive/ts2asl#912) with our own detail.
    const problem = referencePathProblem(value);
    if (!problem) return;
    const detail = value.startsWith('$') ? problem : "Reference path didn't start with '$'";
    this.error(SCHEMA, `Value is not a Reference Path: ${detail}`, pointer);
  }

  /** Problem with a `.$` value or ErrorPath/CausePath: a JSONPath or an intrinsic call. */
  private pathOrIntrinsicProblem(value: string, onlyIntrinsics?: ReadonlySet<string>): string | null {
    if (/^\s/.test(value)) return 'leading whitespace is not allowed';
    if (isIntrinsicCall(value)) {
      const problem = checkIntrinsicSyntax(value);
      if (problem) return problem;
      const name = parseIntrinsicExpression(value)?.name;
      if (onlyIntrinsics && name && !onlyIntrinsics.has(name)) return `${name} does not return a string`;
      return null;
    }
    if (value.startsWith('$')) return pathProblem(value);
    return `'${quote(value)}' is neither a JSONPath (starting with $) nor an intrinsic function call (States.*)`;
  }

  // ---- payload templates (JSONPath) -----------------------------------------------------------------------

  private checkPayloadTemplate(value: unknown, pointer: string, field: string): void {
    if (field !== 'Parameters' && !isObject(value)) {
      this.error(SCHEMA, `${field} must be an object, not ${typeName(value)}`, pointer);
      return;
    }
    this.walkPayloadTemplate(value, pointer);
  }

  /**
   * A `.$` field of a payload template or an Assign. AWS's words, at the object that holds the
   * field and with nothing after them (AWS's answers quoted in serverless-step-functions#399 and
   * cfn-lint#4085: "The value for the field 'outputPath.$' must be a valid JSONPath or a valid
   * intrinsic function call at /States/TestTask/Parameters"); what is wrong goes in the detail.
   */
  private checkDynamicField(key: string, item: unknown, holder: string): void {
    const problem = typeof item !== 'string' ? `not ${typeName(item)}` : this.pathOrIntrinsicProblem(item);
    if (problem) this.error(SCHEMA, `The value for the field '${key}' must be a valid JSONPath or a valid intrinsic function call`, holder, `${key}: ${problem}`);
  }

  private walkPayloadTemplate(value: unknown, pointer: string): void {
    if (Array.isArray(value)) {
      value.forEach((item, i) => this.walkPayloadTemplate(item, at(pointer, i)));
      return;
    }
    if (!isObject(value)) return;
    this.reportDuplicateKeys(value, pointer);
    const seen = new Set<string>();
    for (const [key, item] of Object.entries(value)) {
      const dynamic = key.endsWith('.$');
      const bare = dynamic ? key.slice(0, -2) : key;
      if (seen.has(bare)) {
        this.error(SCHEMA, `Duplicate field '${bare}': '${bare}' and '${bare}.$' resolve to the same key`, at(pointer, key));
      }
      seen.add(bare);
      const itemPointer = at(pointer, key);
      if (dynamic) {
        this.checkDynamicField(key, item, pointer);
      } else {
        const what = typeof item !== 'string' ? undefined : looksLikePath(item) ? 'a JSONPath' : /^States\.[A-Za-z]+\(.*\)$/.test(item) ? 'an Intrinsic Function' : undefined;
        if (what) {
          // AWS's words and location, the object holding the field (API:ValidateStateMachineDefinition's example).
          this.warn('NO_DOLLAR', `The value of '${key}' looks like ${what}. Instead of '${key}', use '${key}.$' to evaluate it as ${what} at runtime.`, pointer);
        }
        this.walkPayloadTemplate(item, itemPointer);
      }
    }
  }

  // ---- Assign ---------------------------------------------------------------------------------------------

  private checkAssign(value: unknown, pointer: string, language: Language): void {
    if (!isObject(value)) {
      this.error(SCHEMA, `Assign must be an object, not ${typeName(value)}`, pointer);
      return;
    }
    this.reportDuplicateKeys(value, pointer);
    const names = new Set<string>();
    for (const [key, item] of Object.entries(value)) {
      const dynamic = language === 'JSONPath' && key.endsWith('.$');
      const name = dynamic ? key.slice(0, -2) : key;
      const itemPointer = at(pointer, key);
      const problem = variableNameProblem(name);
      if (problem) this.error(SCHEMA, `Invalid variable name '${name}': ${problem}`, itemPointer);
      if (names.has(name)) this.error(SCHEMA, `Variable '${name}' is assigned twice`, itemPointer);
      names.add(name);
      if (language === 'JSONata') {
        this.checkJsonataTemplate(item, itemPointer);
      } else if (dynamic) {
        this.checkDynamicField(key, item, pointer);
      } else {
        this.walkPayloadTemplate(item, itemPointer);
      }
    }
  }

  // ---- JSONata --------------------------------------------------------------------------------------------

  /** Every `{% %}` string inside a JSONata-mode value must parse. */
  private checkJsonataTemplate(value: unknown, pointer: string): void {
    if (typeof value === 'string') {
      if (isJsonataExpression(value)) this.checkJsonataString(value, pointer);
      else if (value.trimStart().startsWith('{%') || value.trimEnd().endsWith('%}')) {
        // Not an expression (those must start with "{%" and end with "%}" exactly), so AWS passes it on
        // as literal text; almost always a typo, though.
        this.warn('JSONATA_LITERAL', 'This string is passed on as literal text: a JSONata expression must start with "{%" and end with "%}" with nothing around them', pointer);
      }
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => this.checkJsonataTemplate(item, at(pointer, i)));
      return;
    }
    if (isObject(value)) {
      this.reportDuplicateKeys(value, pointer);
      for (const [key, item] of Object.entries(value)) this.checkJsonataTemplate(item, at(pointer, key));
    }
  }

  /** A string-valued JSONata-mode field (Error, Cause, Seconds...): either literal text or an expression. */
  private checkJsonataValueString(value: string, pointer: string, field: string): void {
    if (isJsonataExpression(value)) this.checkJsonataString(value, pointer);
    else if (!['Error', 'Cause'].includes(field)) {
      this.error(SCHEMA, `${field} must be a number or a JSONata expression string ({% ... %})`, pointer);
    }
  }

  private checkJsonataString(value: string, pointer: string): void {
    if (!isJsonataExpression(value)) return;
    const problem = checkJsonataExpression(value, this.jsonataScope);
    if (problem) this.error(problem.code, problem.message, pointer);
  }
}

interface StateContext {
  state: Json;
  pointer: string;
  language: Language;
  scope: MachineScope;
}

function resultScope(type: StateType): JsonataFieldScope {
  return { result: type === 'Task' || type === 'Map' || type === 'Parallel', errorOutput: false };
}

function pathProblem(path: string): string | null {
  const problem = checkPathSyntax(path);
  if (problem === null) return null;
  // AWS (Jayway JsonPath) accepts filter and script expressions our evaluator cannot parse, such as
  // `[?(@.lang==es)]` and `[(@.length-1)]`; judge the rest of the path with those brackets neutralised.
  const neutral = neutraliseScripts(path);
  return neutral !== path && checkPathSyntax(neutral) === null ? null : problem;
}

/** Replaces each `[?(...)]` with `[?(@)]` and each `[(...)]` with `[*]`, respecting quotes and nesting. */
function neutraliseScripts(path: string): string {
  let out = '';
  let i = 0;
  while (i < path.length) {
    const filter = path.startsWith('[?(', i);
    const script = !filter && path.startsWith('[(', i);
    if (!filter && !script) {
      out += path[i++];
      continue;
    }
    let j = i + (filter ? 3 : 2);
    let depth = 1;
    let quoteChar: string | null = null;
    while (j < path.length && depth > 0) {
      const c = path[j]!;
      if (quoteChar) {
        if (c === '\\') j++;
        else if (c === quoteChar) quoteChar = null;
      } else if (c === "'" || c === '"') quoteChar = c;
      else if (c === '(') depth++;
      else if (c === ')') depth--;
      j++;
    }
    if (depth !== 0 || path[j] !== ']') return path;
    out += filter ? '[?(@)]' : '[*]';
    i = j + 1;
  }
  return out;
}

function referencePathProblem(path: string): string | null {
  return checkReferencePathSyntax(path);
}

// ---------------------------------------------------------------------------------------------------------
// JSONata expressions
//
// AWS parses every `{% %}` expression when a definition is created, refusing ones that do not parse
// (INVALID_JSONATA_EXPRESSION) and ones that read what Step Functions does not provide
// (UNSUPPORTED_JSONATA_EXPRESSION): there is no implicit input document, so `$`, `$$` and bare field names
// at the top level are refused, and `$states.result`/`$states.errorOutput` exist only in some fields.
// Parsing goes through the library that evaluates expressions, so both agree on what is valid.

export interface JsonataProblem {
  code: 'INVALID_JSONATA_EXPRESSION' | 'UNSUPPORTED_JSONATA_EXPRESSION';
  message: string;
}

/** Which parts of `$states` the field holding the expression can read. */
export interface JsonataFieldScope {
  /** `$states.result`: only in the Output and Assign of Task, Map and Parallel states. */
  result: boolean;
  /** `$states.errorOutput`: only in a catcher's Output and Assign. */
  errorOutput: boolean;
}

const NO_RESULTS: JsonataFieldScope = { result: false, errorOutput: false };

/** Checks one expression (with or without its `{% %}` markers); null when AWS would accept it. */
export function checkJsonataExpression(expression: string, scope: JsonataFieldScope = NO_RESULTS): JsonataProblem | null {
  const compiled = compileJsonata(jsonataExpressionText(expression));
  if (!compiled.ok) {
    // AWS quotes the library's message without its error code ("S0202: ").
    return { code: 'INVALID_JSONATA_EXPRESSION', message: describeRaisedError(compiled.error).replace(/^[A-Z]\d{4}: /, '') };
  }
  const usage: JsonataUsage = { topLevel: null, dollarDollar: false, statesFields: new Set() };
  visitJsonata(compiled.compiled.expression.ast(), true, usage, new Set());
  if (usage.topLevel !== null) {
    return { code: 'UNSUPPORTED_JSONATA_EXPRESSION', message: `Reference to '${usage.topLevel}' at the top level is not supported.` };
  }
  if (usage.dollarDollar) {
    return { code: 'UNSUPPORTED_JSONATA_EXPRESSION', message: "'$$' is not supported: there is no input document; use $states.input" };
  }
  // A field `$states` does not offer here: AWS's words for `$states.result` in a Pass state's Output
  // (recorded against AWS (2026-09)), and by the same rule for `$states.errorOutput` outside a Catcher.
  if (usage.statesFields.has('result') && !scope.result) {
    return { code: 'UNSUPPORTED_JSONATA_EXPRESSION', message: "Field '$states.result' does not exist." };
  }
  if (usage.statesFields.has('errorOutput') && !scope.errorOutput) {
    return { code: 'UNSUPPORTED_JSONATA_EXPRESSION', message: "Field '$states.errorOutput' does not exist." };
  }
  return null;
}

interface JsonataUsage {
  /** First field name (or `$`) read from the top-level input, which Step Functions does not provide. */
  topLevel: string | null;
  /** `$$` names the whole input document, which Step Functions does not provide either. */
  dollarDollar: boolean;
  /** Fields of `$states` the expression reads (`input`, `result`, ...). */
  statesFields: Set<string>;
}

type JsonataAstNode = { type?: unknown; value?: unknown; [key: string]: unknown };

/**
 * Walks the library's syntax tree. `atRoot` is true while a node is evaluated against the top-level
 * input: it turns false in the later steps of a path and in what is evaluated against a path's items
 * (filters, groups, sorts), and inside function bodies and transforms, which run against what they are
 * given. `seen` guards against the parent links the library adds to some trees.
 */
function visitJsonata(value: unknown, atRoot: boolean, usage: JsonataUsage, seen: Set<object>): void {
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  if (Array.isArray(value)) {
    for (const item of value) visitJsonata(item, atRoot, usage, seen);
    return;
  }
  const node = value as JsonataAstNode;
  switch (node.type) {
    case 'name':
      if (atRoot && usage.topLevel === null) usage.topLevel = String(node.value);
      break;
    case 'variable':
      if (node.value === '$') usage.dollarDollar = true;
      else if (node.value === '' && atRoot && usage.topLevel === null) usage.topLevel = '$';
      break;
    case 'path': {
      const steps = Array.isArray(node['steps']) ? (node['steps'] as JsonataAstNode[]) : [];
      const [first, second] = steps;
      if (first?.type === 'variable' && first.value === 'states' && second?.type === 'name') usage.statesFields.add(String(second.value));
      steps.forEach((step, i) => visitJsonata(step, atRoot && i === 0, usage, seen));
      visitJsonata(node['group'], false, usage, seen);
      return;
    }
    case 'lambda':
      visitJsonata(node['body'], false, usage, seen);
      return;
    case 'transform':
      for (const key of ['pattern', 'update', 'delete']) visitJsonata(node[key], false, usage, seen);
      return;
    case 'sort':
      visitJsonata(node['terms'], false, usage, seen);
      return;
  }
  for (const key of ['stages', 'predicate', 'group']) visitJsonata(node[key], false, usage, seen);
  for (const key of ['lhs', 'rhs', 'expression', 'expressions', 'arguments', 'procedure', 'condition', 'then', 'else', 'body']) {
    visitJsonata(node[key], atRoot, usage, seen);
  }
}
