import { randomUUID } from 'node:crypto';
import type { JsonValue } from '../../../src/asl/json-value.js';
import { parseResource } from '../../../src/resources/resource-arn.js';
import { validationError } from '../aws-json-protocol.js';
import { nestsTooDeep, TOO_DEEP } from '../json-depth.js';

type StateDef = Record<string, JsonValue>;
type Context = Record<string, JsonValue>;

const INVALID = 'Invalid Context object provided: ';

/** The fields of each section of a context object (DG:input-output-contextobject) and the JSON type of each. */
const SECTIONS: Record<string, Record<string, 'string' | 'integer' | 'any'>> = {
  Execution: { Id: 'string', Input: 'any', Name: 'string', RoleArn: 'string', StartTime: 'string', RedriveCount: 'integer', RedriveTime: 'string' },
  State: { Name: 'string', EnteredTime: 'string', RetryCount: 'integer' },
  StateMachine: { Id: 'string', Name: 'string' },
  Task: { Token: 'string' },
};

/**
 * TestState's `context`: "A JSON string representing a valid Context object for the state under
 * test. This field may only be specified if a mock is specified in the same request"
 * (API:TestState). The state sees it as `$$` and `$states.context`, nothing added (AWS's
 * recordings show an empty object as `{}`). Refused as AWS refuses it, in AWS's words
 * where recorded: a `Map` section ("'Map' field is not supported when mocking a Context
 * object"), a `Task` section for a state that has no task token ("Context object contains 'Task'
 * when state is not a Task state with a '.sync' or '.waitForTaskToken' service integration
 * pattern"), an unknown field ("Field 'X' is not allowed"), a value of the wrong type
 * ("Execution.Id must be a string"). Its ARNs get the caller's region and account where empty
 * (see withPlace).
 */
export function readContext(text: string, state: StateDef, place: { region: string; account: string }): Context {
  if (nestsTooDeep(text)) throw validationError(`${INVALID}it is not valid JSON (${TOO_DEEP}).`);
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch (e) {
    throw validationError(`${INVALID}it is not valid JSON (${(e as Error).message}).`);
  }
  if (!isObject(value)) throw validationError(`${INVALID}it must be a JSON object with the sections Execution, State, StateMachine and (for a .sync or .waitForTaskToken Task) Task.`);
  for (const [section, fields] of Object.entries(value)) {
    if (section === 'Map') throw validationError(`${INVALID}'Map' field is not supported when mocking a Context object`);
    const allowed = Object.hasOwn(SECTIONS, section) ? SECTIONS[section] : undefined;
    if (!allowed) throw validationError(`${INVALID}Field '${section}' is not allowed`);
    if (section === 'Task' && !hasTaskToken(state)) {
      throw validationError(`${INVALID}Context object contains 'Task' when state is not a Task state with a '.sync' or '.waitForTaskToken' service integration pattern`);
    }
    if (!isObject(fields)) throw validationError(`${INVALID}${section} must be an object`);
    for (const [field, v] of Object.entries(fields)) {
      const type = Object.hasOwn(allowed, field) ? allowed[field] : undefined;
      if (!type) throw validationError(`${INVALID}Field '${field}' is not allowed`);
      if (type === 'string' && typeof v !== 'string') throw validationError(`${INVALID}${section}.${field} must be a string`);
      if (type === 'integer' && !Number.isInteger(v)) throw validationError(`${INVALID}${section}.${field} must be an integer`);
    }
  }
  return withPlace(value, place);
}

/** The ARN fields of a context object, which AWS shows with the caller's region and account filled in. */
const ARN_FIELDS: [string, string][] = [['Execution', 'Id'], ['Execution', 'RoleArn'], ['StateMachine', 'Id']];

/**
 * AWS's recording of a supplied context (test_state_task_context_object) shows
 * `arn:aws:states:::execution:MyStateMachine:…` as `arn:aws:states:<region>:<account>:execution:…`
 * and `arn:aws:iam:::role/…` as `arn:aws:iam::<account>:role/…`: an ARN's empty region (not for
 * IAM, which has none) and empty account are the caller's. Everything else stays as given.
 */
function withPlace(ctx: Context, place: { region: string; account: string }): Context {
  let out = ctx;
  for (const [section, field] of ARN_FIELDS) {
    const s = ctx[section];
    if (!isObject(s) || typeof s[field] !== 'string') continue;
    const m = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):(.*)$/s.exec(s[field]);
    if (!m) continue;
    const [, partition, service, region, account, resource] = m;
    const filled = `arn:${partition}:${service}:${region === '' && service !== 'iam' ? place.region : region}:${account === '' ? place.account : account}:${resource}`;
    if (filled !== s[field]) out = { ...out, [section]: { ...(out[section] as Record<string, JsonValue>), [field]: filled } };
  }
  return out;
}

function hasTaskToken(state: StateDef): boolean {
  if (state.Type !== 'Task' || typeof state.Resource !== 'string') return false;
  const pattern = parseResource(state.Resource).pattern;
  return pattern !== undefined;
}

export interface DefaultContextFacts {
  /** Region and account of the ARNs. */
  region: string;
  account: string;
  input: JsonValue;
  roleArn: string | undefined;
  /** When the test starts: both StartTime and EnteredTime. */
  startTime: string;
  stateType: string;
  /** The state is inside a Map's ItemProcessor: its iteration's entry. */
  inMap: boolean;
}

/**
 * The context object AWS's TestState shows without `context`, as recorded (LocalStack's
 * snapshots of AWS, e.g. test_base_map_state_inspect, test_state_with_variables): an Express
 * execution of a state machine that exists only for the test, the state named "StateName",
 * `RoleArn` null without a role, no `RedriveCount`, `RetryCount` 0 only for the state types that
 * retry. A state inside a Map also gets `Map.Item` with index 0 and the input as its value
 * (DG:test-state-isolation, "Automatic Context population").
 */
export function defaultContext(f: DefaultContextFacts): Context {
  const machine = randomUUID();
  const execution = randomUUID();
  const retries = f.stateType === 'Task' || f.stateType === 'Map' || f.stateType === 'Parallel';
  const ctx: Context = {
    Execution: {
      Id: `arn:aws:states:${f.region}:${f.account}:express:${machine}:${execution}`,
      Input: f.input,
      Name: execution,
      RoleArn: f.roleArn ?? null,
      StartTime: f.startTime,
    },
    StateMachine: { Id: `arn:aws:states:${f.region}:${f.account}:stateMachine:${machine}`, Name: machine },
    State: retries ? { Name: 'StateName', EnteredTime: f.startTime, RetryCount: 0 } : { Name: 'StateName', EnteredTime: f.startTime },
  };
  if (f.inMap) ctx.Map = { Item: { Index: 0, Value: f.input } };
  return ctx;
}

function isObject(value: JsonValue): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
