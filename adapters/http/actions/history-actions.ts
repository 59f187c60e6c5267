import type { HistoryEvent } from '../../../src/execution/history-event.js';
import { toAwsHistoryEvent } from '../../../src/observe/aws-history.js';
import { parseStatesArn } from '../../../src/registry/names.js';
import { pageBy } from '../../../src/registry/paging.js';
import type { Action } from '../api-context.js';
import { compact, epochSeconds } from '../aws-json-protocol.js';
import { executionFacts } from '../execution-view.js';

// Without execution data AWS leaves out the payloads and their details alike: a state's events
// keep only `name`, ExecutionStarted only `roleArn`, ExecutionSucceeded `{}` (recorded against AWS (2026-09)).
const PAYLOAD_KEYS = new Set(['input', 'inputDetails', 'output', 'outputDetails']);

/** An event in the JSON protocol's shape: epoch-second timestamp, payloads as JSON text (or left out). */
function wireEvent(event: HistoryEvent, includeExecutionData: boolean): Record<string, unknown> {
  const aws = toAwsHistoryEvent(event);
  aws.timestamp = epochSeconds(event.timestamp);
  if (!includeExecutionData) {
    for (const [key, value] of Object.entries(aws)) {
      if (!key.endsWith('EventDetails') || typeof value !== 'object' || value === null) continue;
      const details = value as Record<string, unknown>;
      for (const k of Object.keys(details)) if (PAYLOAD_KEYS.has(k)) delete details[k];
    }
  }
  return aws;
}

/** Zero-padded so that string order is id order (or its reverse). */
function keyOf(reverse: boolean) {
  return (e: HistoryEvent) => String(reverse ? 1e12 - e.id : e.id).padStart(13, '0');
}

/** API:GetExecutionHistory with maxResults, nextToken, reverseOrder and includeExecutionData. */
const getExecutionHistory: Action = async (f, { runtime }) => {
  const arn = f.string('executionArn');
  // An Express execution's ARN is InvalidArn, as AWS answers it (see executionArnField).
  parseStatesArn(arn, ['execution']);
  const reverse = f.optionalBoolean('reverseOrder') ?? false;
  const include = f.optionalBoolean('includeExecutionData') ?? true;
  const page = f.page(3096);
  const facts = await executionFacts(runtime, arn);
  const ordered = reverse ? [...facts.events].reverse() : facts.events;
  const result = pageBy(ordered, keyOf(reverse), page.maxResults, page.nextToken);
  return compact({ events: result.items.map((e) => wireEvent(e, include)), nextToken: result.nextToken });
};

export const historyActions: Record<string, Action> = {
  GetExecutionHistory: getExecutionHistory,
};
