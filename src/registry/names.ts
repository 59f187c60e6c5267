import { StepwiseError } from '../errors/stepwise-error.js';

/**
 * Names and ARNs checked the way the Step Functions API checks them (API:CreateStateMachine
 * `name`): 1 to 80 characters, none of white space, `< > { } [ ]`, `? *`,
 * `" # % \ ^ | ~ \` $ & , ; : /`, or control characters. Nor half a surrogate pair (JSON's
 * `\ud800` alone), which is no character: the event log wrote it as U+FFFD in stream names but
 * escaped in events, so after a restart such an execution had no history.
 */
const FORBIDDEN_NAME_CHARS = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]|\p{Cs}/u;
const MAX_NAME_LENGTH = 80;

export type NamedThing = 'state machine' | 'execution' | 'activity' | 'alias';

export function checkName(name: unknown, what: NamedThing): string {
  if (what === 'alias') return checkAliasName(name);
  if (typeof name !== 'string' || name.length === 0) throw new StepwiseError('InvalidName', `Invalid Name: '${String(name ?? '')}'`);
  // Too long is the request's shape, checked before the name's characters: AWS answers a
  // StartExecution name of 81 characters with this ValidationException (quoted from AWS in
  // buildkite-serverless-agent#37, getmoto/moto#6438 and gchq/sleeper#1869).
  if ([...name].length > MAX_NAME_LENGTH) throw nameTooLong(name);
  // AWS's wording names the value only; the rule broken is in the comment above.
  if (FORBIDDEN_NAME_CHARS.test(name)) throw new StepwiseError('InvalidName', `Invalid Name: '${name}'`);
  return name;
}

function nameTooLong(name: string): StepwiseError {
  return new StepwiseError('ValidationException', `1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must have length less than or equal to ${MAX_NAME_LENGTH}`);
}

/**
 * A state machine name given to run a definition locally: AWS's characters, any length (mock
 * configs file test cases under names longer than AWS's 80 characters). Its ARN ends with it,
 * which a ':' or '/' would break.
 */
export function checkLocalStateMachineName(name: string): string {
  if (name.length === 0 || FORBIDDEN_NAME_CHARS.test(name)) throw new StepwiseError('InvalidName', `Invalid Name: '${name}'`);
  return name;
}

const ALIAS_NAME = /^(?=.*[a-zA-Z_\-.])[a-zA-Z0-9_\-.]+$/;

/**
 * Alias names are checked by the API's input validation (ValidationException, AWS's wording):
 * they share the `:suffix` slot with version numbers, so at least one character is not a digit.
 */
function checkAliasName(name: unknown): string {
  const value = typeof name === 'string' ? name : '';
  if (value.length > MAX_NAME_LENGTH) throw nameTooLong(value);
  if (!ALIAS_NAME.test(value)) {
    throw new StepwiseError('ValidationException', `1 validation error detected: Value '${value}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$`);
  }
  return value;
}

export type ResourceType = 'stateMachine' | 'execution' | 'express' | 'activity' | 'mapRun';

export interface ParsedArn {
  partition: string;
  region: string;
  account: string;
  resourceType: ResourceType;
  /** The segments after the resource type: `[name]`, `[name, version|alias]`, `[stateMachine, execution]`. */
  parts: string[];
}

/** Where a Step Functions resource lives: the partition, region and account of its ARN. */
export interface ArnPlace {
  partition?: string;
  region: string;
  accountId: string;
}

/**
 * `arn:aws:states:REGION:ACCOUNT:TYPE:PART[:PART…]`: every Step Functions ARN Stepwise makes,
 * spelled in one place (the inverse of {@link parseStatesArn}).
 */
export function statesArn(place: ArnPlace, resourceType: ResourceType, ...parts: string[]): string {
  return `arn:${place.partition ?? 'aws'}:states:${place.region}:${place.accountId}:${resourceType}:${parts.join(':')}`;
}

const ARN_SHAPE = /^arn:(aws[a-z-]*):states:([a-z0-9-]+):(\d{12}):([A-Za-z]+):(.+)$/;
const MAX_ARN_LENGTH = 2048;

/** The resource type a Step Functions ARN names (`execution`, `stateMachine`, …), or undefined for text of another shape. */
export function statesArnResourceType(arn: string): string | undefined {
  return ARN_SHAPE.exec(arn)?.[4];
}

/** Splits a Step Functions ARN, or throws AWS's InvalidArn saying what is wrong with it. */
export function parseStatesArn(arn: unknown, expected: readonly ResourceType[]): ParsedArn {
  if (typeof arn !== 'string' || arn.length === 0) throw new StepwiseError('InvalidArn', 'Invalid Arn: an ARN must be a non-empty string.');
  if (arn.length > MAX_ARN_LENGTH) throw new StepwiseError('InvalidArn', `Invalid Arn: an ARN has at most ${MAX_ARN_LENGTH} characters.`);
  if (!arn.startsWith('arn:')) throw new StepwiseError('InvalidArn', `Invalid Arn: 'Invalid ARN prefix: ${arn}'`);
  const m = ARN_SHAPE.exec(arn);
  if (!m) throw new StepwiseError('InvalidArn', `Invalid Arn: '${arn}' is not of the form arn:aws:states:REGION:ACCOUNT:TYPE:NAME.`);
  const resourceType = m[4] as ResourceType;
  if (!expected.includes(resourceType)) {
    // AWS's words, and no more (quoted from AWS in cirrus-geo/cirrus-geo#316).
    throw new StepwiseError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${m[4]}'`);
  }
  const parts = m[5]!.split(':');
  const counts: Record<ResourceType, number[]> = { stateMachine: [1, 2], execution: [2, 3], express: [3], activity: [1], mapRun: [2, 3] };
  if (!counts[resourceType].includes(parts.length) || parts.some((p) => p.length === 0)) {
    throw new StepwiseError('InvalidArn', `Invalid Arn: '${arn}' has the wrong number of parts for a ${resourceType} ARN.`);
  }
  return { partition: m[1]!, region: m[2]!, account: m[3]!, resourceType, parts };
}

/**
 * Refuses a state machine ARN qualified by a Distributed Map's label (`…:stateMachine:NAME/LABEL`,
 * the state machine its child executions show): API:StartExecution, UpdateStateMachine,
 * DeleteStateMachine and DescribeStateMachine: "If you provide a qualified state machine ARN that
 * refers to a Distributed Map state, the request fails with ValidationException", whose reason is
 * API_DOES_NOT_SUPPORT_LABELED_ARNS. (AWS's message for it is not recorded.) `name`: the ARN's name
 * part, as parseStateMachineArn gives it.
 */
export function refuseLabelledArn(arn: string, name: string): void {
  const slash = name.indexOf('/');
  if (slash < 0) return;
  throw new StepwiseError(
    'ValidationException',
    `'${arn}' names the Distributed Map labelled '${name.slice(slash + 1)}' in state machine '${name.slice(0, slash)}': this action does not take a labelled state machine ARN.`,
    { reason: 'API_DOES_NOT_SUPPORT_LABELED_ARNS' },
  );
}

/** A state machine ARN, maybe qualified by `:version` or `:alias`. */
export function parseStateMachineArn(arn: unknown): { base: string; name: string; qualifier?: { version: number } | { alias: string } } {
  const p = parseStatesArn(arn, ['stateMachine']);
  const base = statesArn({ partition: p.partition, region: p.region, accountId: p.account }, 'stateMachine', p.parts[0]!);
  const q = p.parts[1];
  if (q === undefined) return { base, name: p.parts[0]! };
  if (/^\d+$/.test(q)) return { base, name: p.parts[0]!, qualifier: { version: Number(q) } };
  return { base, name: p.parts[0]!, qualifier: { alias: q } };
}
