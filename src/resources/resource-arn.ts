/**
 * What a Task's `Resource` names, and how AWS records calls to it in the history:
 * a Lambda function ARN (legacy form) gets `LambdaFunction*` events; an optimized or SDK
 * integration (`arn:aws:states:::sqs:sendMessage`, `arn:aws:states:::aws-sdk:s3:getObject`)
 * gets `Task*` events with `resourceType` = the service and `resource` = the action;
 * an activity ARN gets `Activity*` events.
 */
export type ResourceKind = 'lambda-function' | 'integration' | 'activity' | 'unknown';

export interface ParsedResource {
  kind: ResourceKind;
  arn: string;
  /** For integrations: `lambda`, `sqs`, `aws-sdk:s3`, ... (AWS's `resourceType`). */
  resourceType?: string;
  /** For integrations: `invoke`, `sendMessage`, `getObject.sync`, ... (AWS's `resource`). */
  resource?: string;
  /** `.sync`, `.sync:2` or `.waitForTaskToken` when present. */
  pattern?: 'sync' | 'sync:2' | 'waitForTaskToken';
  region?: string;
  account?: string;
}

const LAMBDA_FUNCTION = /^arn:[^:]+:lambda:([^:]*):([^:]*):function:.+$/;
const INTEGRATION = /^arn:[^:]+:states:([^:]*):([^:]*):(.+)$/;
const ACTIVITY = /^arn:[^:]+:states:([^:]*):([^:]*):activity:.+$/;

/**
 * Parsed once per distinct ARN: a Task's resource is read on every attempt, by the state and
 * by the task runner. The results are frozen, as they are shared.
 */
export function parseResource(arn: string): ParsedResource {
  let parsed = parsedByArn.get(arn);
  if (!parsed) {
    // Resources come from definitions (or their paths), so there are few; the bound is only a guard.
    if (parsedByArn.size >= PARSED_CACHE_LIMIT) parsedByArn.clear();
    parsedByArn.set(arn, (parsed = Object.freeze(parseUncached(arn))));
  }
  return parsed;
}

const parsedByArn = new Map<string, ParsedResource>();
const PARSED_CACHE_LIMIT = 10_000;

function parseUncached(arn: string): ParsedResource {
  let m = LAMBDA_FUNCTION.exec(arn);
  if (m) return { kind: 'lambda-function', arn, region: m[1], account: m[2] };
  m = ACTIVITY.exec(arn);
  if (m) return { kind: 'activity', arn, region: m[1], account: m[2] };
  m = INTEGRATION.exec(arn);
  if (m) {
    const rest = m[3]!;
    let pattern: ParsedResource['pattern'];
    let body = rest;
    const sync2 = rest.endsWith('.sync:2');
    if (sync2) { pattern = 'sync:2'; body = rest.slice(0, -'.sync:2'.length); }
    else if (rest.endsWith('.sync')) { pattern = 'sync'; body = rest.slice(0, -'.sync'.length); }
    else if (rest.endsWith('.waitForTaskToken')) { pattern = 'waitForTaskToken'; body = rest.slice(0, -'.waitForTaskToken'.length); }
    const parts = body.split(':');
    const action = parts.pop() ?? '';
    const resourceType = parts.join(':');
    const suffix = pattern ? '.' + pattern : '';
    return { kind: 'integration', arn, resourceType, resource: action + suffix, pattern, region: m[1] || undefined, account: m[2] || undefined };
  }
  return { kind: 'unknown', arn };
}
