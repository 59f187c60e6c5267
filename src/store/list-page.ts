import { StepwiseError } from '../errors/stepwise-error.js';
import type { ExecutionMetadata, ExecutionPage, ListFilter } from './event-store.js';

const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

/**
 * One page of `list`, shared by every store so that they order and page alike. The token is
 * the sort key of the page's last item rather than an offset, so executions started or
 * updated between two calls neither repeat nor get skipped.
 */
export function pageOf(all: Iterable<ExecutionMetadata>, filter: ListFilter = {}): ExecutionPage {
  const size = filter.maxResults ?? DEFAULT_PAGE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) {
    throw new StepwiseError('InvalidArgument', `maxResults must be an integer from 1 to ${MAX_PAGE}, not ${String(filter.maxResults)}.`);
  }
  const after = filter.nextToken === undefined ? undefined : decodeToken(filter.nextToken);
  const matching: ExecutionMetadata[] = [];
  for (const m of all) {
    if (filter.stateMachineArn !== undefined && m.stateMachineArn !== filter.stateMachineArn) continue;
    if (filter.status !== undefined && m.status !== filter.status) continue;
    if (after && compare(m.startDate, m.executionArn, after[0], after[1]) <= 0) continue;
    matching.push(m);
  }
  matching.sort((a, b) => compare(a.startDate, a.executionArn, b.startDate, b.executionArn));
  const items = matching.slice(0, size).map(withoutExtra);
  const last = items[items.length - 1];
  return matching.length > size && last ? { items, nextToken: encodeToken(last.startDate, last.executionArn) } : { items };
}

/** Newest first; the ARN breaks ties so the order is total. */
function compare(aDate: number, aArn: string, bDate: number, bArn: string): number {
  if (aDate !== bDate) return bDate - aDate;
  return aArn < bArn ? -1 : aArn > bArn ? 1 : 0;
}

/** A plain copy of a listing's members but `extra`: a store may keep its listings in objects of its own (the memory store's streams). */
function withoutExtra(m: ExecutionMetadata): ExecutionMetadata {
  const { executionArn, stateMachineArn, name, status, startDate, stopDate } = m;
  return stopDate === undefined ? { executionArn, stateMachineArn, name, status, startDate } : { executionArn, stateMachineArn, name, status, startDate, stopDate };
}

function encodeToken(startDate: number, executionArn: string): string {
  return Buffer.from(JSON.stringify([startDate, executionArn]), 'utf8').toString('base64url');
}

function decodeToken(token: string): [number, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'number' && typeof value[1] === 'string') {
      return [value[0], value[1]];
    }
  } catch {
    // reported below with the token itself
  }
  throw new StepwiseError('InvalidArgument', `Invalid nextToken '${token}': pass back a token that list returned.`);
}
