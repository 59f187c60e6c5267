import { TaskFailure } from '../../src/resources/task-handlers.js';
import { setHeader } from './build-request.js';
import type { ConnectionParameter, OAuthParameters } from './connections.js';
import { HttpExchangeError, sendRequest, type HttpResponse } from './send-request.js';
import { queryString } from './url-encoding.js';

/** The connection error an unusable OAuth connection fails a task with (DG:call-https-apis, "Connection errors"). */
export const INVALID_CONNECTION_STATE = 'Events.ConnectionResource.InvalidConnectionState';

/** A token is fetched again this long before the `expires_in` its endpoint gave runs out. */
const EXPIRY_MARGIN_MS = 30_000;

/** A token fetch under way, shared by the tasks waiting for it; cancelled when none waits any more. */
interface PendingToken {
  promise: Promise<string>;
  controller: AbortController;
  waiters: number;
}

interface CachedToken {
  value: string;
  /** Date.now() after which it is fetched again; Infinity when the endpoint gave no expires_in. */
  refreshAt: number;
}

/**
 * Access tokens of OAUTH_CLIENT_CREDENTIALS connections, one per connection ARN, fetched from
 * the connection's AuthorizationEndpoint when first needed and kept until they expire, as
 * EventBridge does ("exchanges your client ID and secret for an access token and then manages
 * it"; eb-target-connection-auth). EventBridge refreshes a token proactively when it is about
 * to expire and after a 401 or 407 answer, so the next attempt (a Retry) uses a new one:
 * {@link forget} is called for those answers.
 *
 * The token request: `HttpMethod` to `AuthorizationEndpoint` with the OAuthHttpParameters'
 * query-string and header parameters, and the body parameters followed by `client_secret` and
 * `client_id` form-encoded in the body, without an Authorization header (recorded against AWS
 * (2026-09): a POST with `Content-Type: application/x-www-form-urlencoded` and the body
 * `grant_type=client_credentials&scope=owned-echo&client_secret=owned-client-secret&client_id=owned-client`);
 * for GET they go in the query string instead (not recorded). The answer must be JSON with an
 * `access_token` (and may have `expires_in` seconds); it is sent as
 * `Authorization: Bearer <access_token>`.
 */
export class OAuthTokens {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly pending = new Map<string, PendingToken>();

  constructor(private readonly options: { timeoutMs: number }) {}

  /**
   * The connection's current token, fetched if there is none or it is about to expire. Tasks
   * that ask at the same time share one fetch, bounded by the time limit; a task that stops
   * (`signal`: the execution stopped or the task timed out) stops waiting, and the fetch is
   * cancelled once no task waits for it, so nothing is left running after the last one.
   */
  token(connectionArn: string, oauth: OAuthParameters, signal?: AbortSignal): Promise<string> {
    const cached = this.tokens.get(connectionArn);
    if (cached && Date.now() < cached.refreshAt) return Promise.resolve(cached.value);
    let pending = this.pending.get(connectionArn);
    if (!pending) {
      const controller = new AbortController();
      const promise: Promise<string> = this.fetchToken(connectionArn, oauth, controller.signal).finally(() => this.drop(connectionArn, promise));
      pending = { promise, controller, waiters: 0 };
      this.pending.set(connectionArn, pending);
    }
    const entry = pending;
    entry.waiters++;
    return new Promise<string>((resolve, reject) => {
      let waiting = true;
      const leave = (): boolean => {
        if (!waiting) return false;
        waiting = false;
        entry.waiters--;
        signal?.removeEventListener('abort', onAbort);
        return true;
      };
      const onAbort = () => {
        if (!leave()) return;
        if (entry.waiters === 0) {
          this.drop(connectionArn, entry.promise);
          entry.controller.abort();
        }
        reject(new TaskFailure(INVALID_CONNECTION_STATE, `The token request of the EventBridge connection '${connectionArn}' was cancelled (the execution stopped or the task timed out).`));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      entry.promise.then(
        (value) => {
          if (leave()) resolve(value);
        },
        (e: unknown) => {
          if (leave()) reject(e);
        },
      );
    });
  }

  private drop(connectionArn: string, promise: Promise<string>): void {
    if (this.pending.get(connectionArn)?.promise === promise) this.pending.delete(connectionArn);
  }

  /** Drops the connection's token: the next call fetches a new one. */
  forget(connectionArn: string): void {
    this.tokens.delete(connectionArn);
  }

  private async fetchToken(connectionArn: string, oauth: OAuthParameters, signal: AbortSignal): Promise<string> {
    const fail = (why: string): never => {
      throw new TaskFailure(INVALID_CONNECTION_STATE, `The EventBridge connection '${connectionArn}' could not be authorized: ${why}`);
    };
    const extra = oauth.OAuthHttpParameters ?? {};
    const { ClientID, ClientSecret } = oauth.ClientParameters;
    const body = [...(extra.BodyParameters ?? []), { Key: 'client_secret', Value: ClientSecret }, { Key: 'client_id', Value: ClientID }];
    const url = new URL(oauth.AuthorizationEndpoint);
    const query = pairs(extra.QueryStringParameters ?? []);
    if (oauth.HttpMethod === 'GET') query.push(...pairs(body));
    const search = queryString(query);
    if (search !== '') url.search = url.search.length > 1 ? `${url.search.slice(1)}&${search}` : search;
    const headers: [string, string][] = [];
    for (const p of extra.HeaderParameters ?? []) setHeader(headers, p.Key, p.Value);
    let payload: Buffer | undefined;
    if (oauth.HttpMethod !== 'GET') {
      payload = Buffer.from(queryString(pairs(body)), 'utf8');
      if (!headers.some(([k]) => k.toLowerCase() === 'content-type')) headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
    }
    let response: HttpResponse;
    try {
      response = await sendRequest({ url, method: oauth.HttpMethod, headers, body: payload }, { timeoutMs: this.options.timeoutMs, signal });
    } catch (e) {
      return fail(`its AuthorizationEndpoint did not answer: ${e instanceof HttpExchangeError ? e.message : String(e)}`);
    }
    if (response.status < 200 || response.status > 299) {
      return fail(`its AuthorizationEndpoint ${oauth.HttpMethod} ${oauth.AuthorizationEndpoint} answered ${response.status} ${response.statusText}: ${snippet(response.body)}`);
    }
    let answer: unknown;
    try {
      answer = JSON.parse(response.body.toString('utf8'));
    } catch {
      return fail(`the answer of its AuthorizationEndpoint is not JSON: ${snippet(response.body)}`);
    }
    const token = (answer as { access_token?: unknown } | null)?.access_token;
    if (typeof token !== 'string' || token === '') return fail(`the answer of its AuthorizationEndpoint has no access_token: ${snippet(response.body)}`);
    const expiresIn = Number((answer as { expires_in?: unknown }).expires_in);
    const refreshAt = Number.isFinite(expiresIn) && expiresIn > 0 ? Date.now() + Math.max(0, expiresIn * 1000 - EXPIRY_MARGIN_MS) : Infinity;
    this.tokens.set(connectionArn, { value: token, refreshAt });
    return token;
  }
}

function pairs(params: ConnectionParameter[]): [string, string][] {
  return params.map((p) => [p.Key, p.Value]);
}

function snippet(body: Buffer): string {
  const text = body.toString('utf8').trim();
  if (text === '') return '(empty)';
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}
