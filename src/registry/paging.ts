import { StepwiseError } from '../errors/stepwise-error.js';

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

/** AWS's `maxResults`: 0 or absent means 100; at most 1000. */
export function pageSize(maxResults: unknown): number {
  if (maxResults === undefined || maxResults === null || maxResults === 0) return DEFAULT_PAGE;
  if (typeof maxResults !== 'number' || !Number.isInteger(maxResults) || maxResults < 0 || maxResults > MAX_PAGE) {
    throw new StepwiseError('ValidationException', `1 validation error detected: Value '${String(maxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${MAX_PAGE}`);
  }
  return maxResults;
}

/**
 * One page of an ordered list. The token carries the key of the page's last item (not an
 * offset), so items added or removed between calls neither repeat nor shift the rest.
 */
export function pageBy<T>(ordered: readonly T[], keyOf: (item: T) => string, maxResults: unknown, nextToken: unknown): Page<T> {
  const size = pageSize(maxResults);
  let start = 0;
  if (nextToken !== undefined && nextToken !== null) {
    const after = decodePageToken(nextToken);
    start = ordered.findIndex((item) => keyOf(item) > after);
    if (start < 0) start = ordered.length;
  }
  const items = ordered.slice(start, start + size);
  const last = items.at(-1);
  return start + size < ordered.length && last !== undefined ? { items, nextToken: encodePageToken(keyOf(last)) } : { items };
}

export function encodePageToken(key: string): string {
  return Buffer.from(JSON.stringify({ after: key }), 'utf8').toString('base64url');
}

export function decodePageToken(token: unknown): string {
  if (typeof token === 'string' && token.length > 0 && token.length <= 1024) {
    try {
      const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
      if (typeof value.after === 'string') return value.after;
    } catch {
      // reported below
    }
  }
  // Recorded against AWS (2026-09) for ListStateMachineVersions and ListStateMachineAliases with nextToken 'not-a-token'.
  throw new StepwiseError('InvalidToken', "Invalid Token: 'Invalid token'");
}
