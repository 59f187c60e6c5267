import type { JsonValue } from '../asl/json-value.js';
import { isJsonObject } from '../asl/json-value.js';

/**
 * Headers an HTTP Task (`arn:aws:states:::http:invoke`) may not set (DG:call-https-apis,
 * "Headers"), and the `x-forwarded-*`, `x-amz-*` and `x-amzn-*` prefixes: Step Functions sets
 * them itself, or refuses them.
 */
export const FORBIDDEN_HEADERS: ReadonlySet<string> = new Set([
  'a-im', 'accept-charset', 'accept-datetime', 'accept-encoding', 'authorization', 'cache-control', 'connection',
  'content-encoding', 'content-md5', 'date', 'expect', 'forwarded', 'from', 'host', 'http2-settings', 'if-match',
  'if-modified-since', 'if-none-match', 'if-range', 'if-unmodified-since', 'max-forwards', 'origin', 'pragma',
  'proxy-authorization', 'referer', 'server', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'via', 'warning',
]);
const FORBIDDEN_PREFIXES = ['x-forwarded-', 'x-amz-', 'x-amzn-'];

export function isForbiddenHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return FORBIDDEN_HEADERS.has(lower) || FORBIDDEN_PREFIXES.some((p) => lower.startsWith(p));
}

/**
 * Why an HTTP Task's evaluated Parameters cannot start the task, in AWS's words, or undefined.
 * Step Functions checks the headers before it schedules the task: a forbidden one fails the
 * execution with States.Runtime (recorded against AWS (2026-09): `Headers: {"Authorization": …}`
 * gives `[The 'Headers' field contains unsupported values: [authorization]]`, the names in lower
 * case, as a Java list prints them).
 */
export function httpInvokeParametersProblem(parameters: JsonValue): string | undefined {
  if (!isJsonObject(parameters) || !isJsonObject(parameters.Headers)) return undefined;
  const names = [...new Set(Object.keys(parameters.Headers).filter(isForbiddenHeader).map((n) => n.toLowerCase()))];
  return names.length > 0 ? `The 'Headers' field contains unsupported values: [${names.join(', ')}]` : undefined;
}
