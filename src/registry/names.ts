import { StepwiseError } from '../errors/stepwise-error.js';

/**
 * Names and ARNs checked the way the Step Functions API checks them (API:CreateStateMachine
 * `name`): 1 to 80 characters, none of white space, `< > { } [ ]`, `? *`,
 * `" # % \ ^ | ~ \` $ & , ; : /`, or control characters.
 */
const FORBIDDEN_NAME_CHARS = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/u;
const MAX_NAME_LENGTH = 80;

export type NamedThing = 'state machine' | 'execution' | 'activity' | 'alias';

export function checkName(name: unknown, what: NamedThing): string {
  if (typeof name !== 'string' || name.length === 0) throw new StepwiseError('InvalidName', `Invalid Name: the ${what} name must be a non-empty string.`);
  if ([...name].length > MAX_NAME_LENGTH) throw new StepwiseError('InvalidName', `Invalid Name: '${name}': a ${what} name has at most ${MAX_NAME_LENGTH} characters.`);
  const bad = FORBIDDEN_NAME_CHARS.exec(name);
  if (bad) throw new StepwiseError('InvalidName', `Invalid Name: '${name}': a ${what} name cannot contain ${JSON.stringify(bad[0])}.`);
  if (what === 'alias' && !/^(?=.*[a-zA-Z_\-.])[a-zA-Z0-9_\-.]+$/.test(name)) {
    // Aliases share the `:suffix` slot with version numbers, so AWS requires a non-digit.
    throw new StepwiseError('InvalidName', `Invalid Name: '${name}': an alias name has only letters, digits, '_', '-' and '.', and at least one that is not a digit.`);
  }
  return name;
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

/** Splits a Step Functions ARN, or throws AWS's InvalidArn saying what is wrong with it. */
export function parseStatesArn(arn: unknown, expected: readonly ResourceType[]): ParsedArn {
  if (typeof arn !== 'string' || arn.length === 0) throw new StepwiseError('InvalidArn', 'Invalid Arn: an ARN must be a non-empty string.');
  if (arn.length > MAX_ARN_LENGTH) throw new StepwiseError('InvalidArn', `Invalid Arn: an ARN has at most ${MAX_ARN_LENGTH} characters.`);
  const m = ARN_SHAPE.exec(arn);
  if (!m) throw new StepwiseError('InvalidArn', `Invalid Arn: '${arn}' is not of the form arn:aws:states:REGION:ACCOUNT:TYPE:NAME.`);
  const resourceType = m[4] as ResourceType;
  if (!expected.includes(resourceType)) {
    throw new StepwiseError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${m[4]}' (in '${arn}'; expected ${expected.join(' or ')}).`);
  }
  const parts = m[5]!.split(':');
  const counts: Record<ResourceType, number[]> = { stateMachine: [1, 2], execution: [2, 3], express: [3], activity: [1], mapRun: [3] };
  if (!counts[resourceType].includes(parts.length) || parts.some((p) => p.length === 0)) {
    throw new StepwiseError('InvalidArn', `Invalid Arn: '${arn}' has the wrong number of parts for a ${resourceType} ARN.`);
  }
  return { partition: m[1]!, region: m[2]!, account: m[3]!, resourceType, parts };
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
