import fs from 'node:fs';
import { StepwiseError } from '../../src/errors/stepwise-error.js';

/**
 * EventBridge connections as Stepwise reads them: each in the shape of EventBridge's
 * CreateConnection request (API:CreateConnection, CreateConnectionAuthRequestParameters), keyed
 * by connection ARN, since locally there is no EventBridge to hold them:
 *
 * ```json
 * { "arn:aws:events:us-east-1:123456789012:connection/Stripe/81210c42-8af1-456b-9c4a-6ff02fc664ac": {
 *     "AuthorizationType": "API_KEY",
 *     "AuthParameters": {
 *       "ApiKeyAuthParameters": { "ApiKeyName": "x-api-key", "ApiKeyValue": "secret" },
 *       "InvocationHttpParameters": { "HeaderParameters": [{ "Key": "Accept", "Value": "application/json" }] } } } }
 * ```
 */
export type AuthorizationType = 'API_KEY' | 'BASIC' | 'OAUTH_CLIENT_CREDENTIALS';

/** ConnectionHeaderParameter, ConnectionQueryStringParameter and ConnectionBodyParameter alike. */
export interface ConnectionParameter {
  Key: string;
  Value: string;
  IsValueSecret?: boolean;
}

export interface ConnectionHttpParameters {
  HeaderParameters?: ConnectionParameter[];
  QueryStringParameters?: ConnectionParameter[];
  BodyParameters?: ConnectionParameter[];
}

export interface OAuthParameters {
  AuthorizationEndpoint: string;
  ClientParameters: { ClientID: string; ClientSecret: string };
  HttpMethod: 'GET' | 'POST' | 'PUT';
  OAuthHttpParameters?: ConnectionHttpParameters;
}

export interface Connection {
  Name?: string;
  Description?: string;
  AuthorizationType: AuthorizationType;
  AuthParameters: {
    ApiKeyAuthParameters?: { ApiKeyName: string; ApiKeyValue: string };
    BasicAuthParameters?: { Username: string; Password: string };
    OAuthParameters?: OAuthParameters;
    InvocationHttpParameters?: ConnectionHttpParameters;
    /** Accepted for a private OAuth endpoint's shape; Stepwise calls the endpoint directly. */
    ConnectivityParameters?: unknown;
  };
  /** Accepted (a private API's connection); Stepwise calls the ApiEndpoint directly. */
  InvocationConnectivityParameters?: unknown;
  KmsKeyIdentifier?: string;
}

/** Connections by connection ARN. */
export type Connections = ReadonlyMap<string, Connection>;

const AUTH_MEMBER: Record<AuthorizationType, 'ApiKeyAuthParameters' | 'BasicAuthParameters' | 'OAuthParameters'> = {
  API_KEY: 'ApiKeyAuthParameters',
  BASIC: 'BasicAuthParameters',
  OAUTH_CLIENT_CREDENTIALS: 'OAuthParameters',
};

const CONNECTION_ARN = /^arn:[a-z-]+:events:[a-z0-9-]+:\d{12}:connection\/.+/;
/** An HTTP header name (RFC 9110 token), as EventBridge's HeaderParameters Key pattern has it. */
export const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** No control characters (CR and LF would split a header). */
export const HEADER_VALUE = /^[^\x00-\x08\x0a-\x1f\x7f]*$/;

/**
 * Checks a parsed connections file (or a `connections` option) and returns it as a map.
 * Throws InvalidArgument naming the source, the connection, the field and what is wrong.
 */
export function parseConnections(json: unknown, source = 'connections'): Map<string, Connection> {
  const where = (arn: string | undefined, path: string) => (arn === undefined ? `${source}${path ? `: ${path}` : ''}` : `${source}: connection '${arn}'${path ? `, ${path}` : ''}`);
  const fail = (arn: string | undefined, path: string, why: string): never => {
    throw new StepwiseError('InvalidArgument', `${where(arn, path)}: ${why}`);
  };
  if (!isObject(json)) fail(undefined, '', 'must be a JSON object whose keys are EventBridge connection ARNs and whose values are CreateConnection requests (AuthorizationType, AuthParameters).');
  const out = new Map<string, Connection>();
  for (const [arn, value] of Object.entries(json as Record<string, unknown>)) {
    if (!CONNECTION_ARN.test(arn)) fail(undefined, '', `'${arn}' is not an EventBridge connection ARN (expected arn:aws:events:REGION:ACCOUNT:connection/NAME/ID).`);
    const at = (path: string, why: string) => fail(arn, path, why);
    if (!isObject(value)) at('', 'must be an object with AuthorizationType and AuthParameters.');
    const conn = value as Record<string, unknown>;
    onlyKeys(conn, ['Name', 'Description', 'AuthorizationType', 'AuthParameters', 'InvocationConnectivityParameters', 'KmsKeyIdentifier'], '', at);
    const type = conn.AuthorizationType;
    if (type !== 'API_KEY' && type !== 'BASIC' && type !== 'OAUTH_CLIENT_CREDENTIALS') {
      at('AuthorizationType', `must be API_KEY, BASIC or OAUTH_CLIENT_CREDENTIALS, not ${JSON.stringify(type) ?? 'missing'}.`);
    }
    for (const f of ['Name', 'Description', 'KmsKeyIdentifier']) if (conn[f] !== undefined && typeof conn[f] !== 'string') at(f, 'must be a string.');
    const auth = conn.AuthParameters;
    if (!isObject(auth)) at('AuthParameters', `must be an object with ${AUTH_MEMBER[type as AuthorizationType]}.`);
    const params = auth as Record<string, unknown>;
    onlyKeys(params, ['ApiKeyAuthParameters', 'BasicAuthParameters', 'OAuthParameters', 'InvocationHttpParameters', 'ConnectivityParameters'], 'AuthParameters', at);
    const member = AUTH_MEMBER[type as AuthorizationType];
    for (const other of Object.values(AUTH_MEMBER)) {
      if (other !== member && params[other] !== undefined) at(`AuthParameters.${other}`, `does not belong to AuthorizationType ${type as string}: include only ${member}.`);
    }
    const p = `AuthParameters.${member}`;
    if (!isObject(params[member])) at(p, `is required for AuthorizationType ${type as string}.`);
    const creds = params[member] as Record<string, unknown>;
    if (member === 'ApiKeyAuthParameters') {
      onlyKeys(creds, ['ApiKeyName', 'ApiKeyValue'], p, at);
      text(creds, 'ApiKeyName', p, at);
      if (!HEADER_NAME.test(creds.ApiKeyName as string)) at(`${p}.ApiKeyName`, `'${creds.ApiKeyName as string}' is not an HTTP header name.`);
      text(creds, 'ApiKeyValue', p, at);
      headerValue(creds.ApiKeyValue as string, `${p}.ApiKeyValue`, at);
    } else if (member === 'BasicAuthParameters') {
      onlyKeys(creds, ['Username', 'Password'], p, at);
      text(creds, 'Username', p, at);
      if ((creds.Username as string).includes(':')) at(`${p}.Username`, 'must not contain a colon (Basic authorization joins user name and password with one).');
      text(creds, 'Password', p, at);
    } else {
      onlyKeys(creds, ['AuthorizationEndpoint', 'ClientParameters', 'HttpMethod', 'OAuthHttpParameters'], p, at);
      text(creds, 'AuthorizationEndpoint', p, at);
      const endpoint = creds.AuthorizationEndpoint as string;
      if (!isUrl(endpoint)) at(`${p}.AuthorizationEndpoint`, `'${endpoint}' is not an http(s) URL.`);
      if (creds.HttpMethod !== 'GET' && creds.HttpMethod !== 'POST' && creds.HttpMethod !== 'PUT') {
        at(`${p}.HttpMethod`, `must be GET, POST or PUT, not ${JSON.stringify(creds.HttpMethod) ?? 'missing'}.`);
      }
      if (!isObject(creds.ClientParameters)) at(`${p}.ClientParameters`, 'must be an object with ClientID and ClientSecret.');
      const client = creds.ClientParameters as Record<string, unknown>;
      onlyKeys(client, ['ClientID', 'ClientSecret'], `${p}.ClientParameters`, at);
      text(client, 'ClientID', `${p}.ClientParameters`, at);
      if ((client.ClientID as string).includes(':')) at(`${p}.ClientParameters.ClientID`, 'must not contain a colon (it is sent as a Basic authorization user name).');
      text(client, 'ClientSecret', `${p}.ClientParameters`, at);
      if (creds.OAuthHttpParameters !== undefined) httpParameters(creds.OAuthHttpParameters, `${p}.OAuthHttpParameters`, at);
    }
    if (params.InvocationHttpParameters !== undefined) httpParameters(params.InvocationHttpParameters, 'AuthParameters.InvocationHttpParameters', at);
    out.set(arn, value as Connection);
  }
  return out;
}

/** Reads and checks a connections file (see {@link parseConnections}). */
export function loadConnectionsFile(file: string): Map<string, Connection> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new StepwiseError('InvalidArgument', `Cannot read the connections file ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new StepwiseError('InvalidArgument', `The connections file ${file} is not JSON: ${(e as Error).message}.`);
  }
  return parseConnections(json, `connections file ${file}`);
}

type Fail = (path: string, why: string) => never;

function httpParameters(value: unknown, path: string, fail: Fail): void {
  if (!isObject(value)) fail(path, 'must be an object with HeaderParameters, QueryStringParameters and/or BodyParameters.');
  const v = value as Record<string, unknown>;
  onlyKeys(v, ['HeaderParameters', 'QueryStringParameters', 'BodyParameters'], path, fail);
  for (const list of ['HeaderParameters', 'QueryStringParameters', 'BodyParameters']) {
    if (v[list] === undefined) continue;
    if (!Array.isArray(v[list])) fail(`${path}.${list}`, 'must be an array of { "Key": ..., "Value": ... } objects.');
    (v[list] as unknown[]).forEach((item, i) => {
      const at = `${path}.${list}[${i}]`;
      if (!isObject(item)) fail(at, 'must be an object with Key and Value.');
      const param = item as Record<string, unknown>;
      onlyKeys(param, ['Key', 'Value', 'IsValueSecret'], at, fail);
      text(param, 'Key', at, fail);
      if (typeof param.Value !== 'string') fail(`${at}.Value`, 'must be a string.');
      if (param.IsValueSecret !== undefined && typeof param.IsValueSecret !== 'boolean') fail(`${at}.IsValueSecret`, 'must be true or false.');
      if (list === 'HeaderParameters') {
        if (!HEADER_NAME.test(param.Key as string)) fail(`${at}.Key`, `'${param.Key as string}' is not an HTTP header name.`);
        headerValue(param.Value as string, `${at}.Value`, fail);
      }
    });
  }
}

function headerValue(value: string, path: string, fail: Fail): void {
  if (!HEADER_VALUE.test(value)) fail(path, 'must not contain control characters such as line breaks (it is sent as a header value).');
}

function text(obj: Record<string, unknown>, key: string, path: string, fail: Fail): void {
  if (typeof obj[key] !== 'string' || obj[key] === '') fail(`${path}.${key}`, 'must be a non-empty string.');
}

function onlyKeys(obj: Record<string, unknown>, allowed: string[], path: string, fail: Fail): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) fail(path ? `${path}.${key}` : key, `is not a field of EventBridge's CreateConnection request here (expected ${allowed.join(', ')}).`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
