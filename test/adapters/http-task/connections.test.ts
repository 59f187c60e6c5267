import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConnectionsFile, parseConnections } from '../../../adapters/http-task/index.js';

const ARN = 'arn:aws:events:us-east-1:123456789012:connection/Stripe/81210c42-8af1-456b-9c4a-6ff02fc664ac';

function file(content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepwise-connections-'));
  const f = path.join(dir, 'connections.json');
  fs.writeFileSync(f, content);
  return f;
}

function problem(connection: unknown): string {
  try {
    parseConnections({ [ARN]: connection }, 'connections.json');
  } catch (e) {
    expect((e as Error).name).toBe('InvalidArgument');
    return (e as Error).message;
  }
  throw new Error('expected the connection to be refused');
}

describe('connections in the shape of EventBridge CreateConnection requests', () => {
  it('reads each authorization type with its invocation parameters', () => {
    const connections = parseConnections({
      [ARN]: {
        Name: 'Stripe',
        AuthorizationType: 'API_KEY',
        AuthParameters: {
          ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'k' },
          InvocationHttpParameters: { HeaderParameters: [{ Key: 'Accept', Value: 'application/json', IsValueSecret: false }], QueryStringParameters: [], BodyParameters: [{ Key: 'mode', Value: 'live' }] },
        },
      },
      'arn:aws:events:eu-west-1:123456789012:connection/B/1': { AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } } },
      'arn:aws:events:eu-west-1:123456789012:connection/O/2': {
        AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
        AuthParameters: { OAuthParameters: { AuthorizationEndpoint: 'https://auth.example.com/token', HttpMethod: 'POST', ClientParameters: { ClientID: 'c', ClientSecret: 's' } } },
      },
    });
    expect([...connections.keys()]).toHaveLength(3);
    expect(connections.get(ARN)!.AuthParameters.InvocationHttpParameters!.BodyParameters).toEqual([{ Key: 'mode', Value: 'live' }]);
  });

  it('names the file, the connection, the field and what is wrong', () => {
    expect(problem({ AuthorizationType: 'TOKEN', AuthParameters: {} })).toBe(`connections.json: connection '${ARN}', AuthorizationType: must be API_KEY, BASIC or OAUTH_CLIENT_CREDENTIALS, not "TOKEN".`);
    expect(problem({ AuthorizationType: 'API_KEY' })).toBe(`connections.json: connection '${ARN}', AuthParameters: must be an object with ApiKeyAuthParameters.`);
    expect(problem({ AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u' } } })).toBe(`connections.json: connection '${ARN}', AuthParameters.BasicAuthParameters.Password: must be a non-empty string.`);
    expect(problem({ AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' }, ApiKeyAuthParameters: { ApiKeyName: 'a', ApiKeyValue: 'b' } } }))
      .toBe(`connections.json: connection '${ARN}', AuthParameters.ApiKeyAuthParameters: does not belong to AuthorizationType BASIC: include only BasicAuthParameters.`);
    expect(problem({ AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'bad name', ApiKeyValue: 'v' } } })).toContain("ApiKeyName: 'bad name' is not an HTTP header name.");
    expect(problem({ AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'k', ApiKeyValue: 'v\r\nX: y' } } })).toContain('ApiKeyValue: must not contain control characters');
    expect(problem({ AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS', AuthParameters: { OAuthParameters: { AuthorizationEndpoint: 'nope', HttpMethod: 'POST', ClientParameters: { ClientID: 'c', ClientSecret: 's' } } } }))
      .toContain("AuthParameters.OAuthParameters.AuthorizationEndpoint: 'nope' is not an http(s) URL.");
    expect(problem({ AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS', AuthParameters: { OAuthParameters: { AuthorizationEndpoint: 'https://a.example/t', HttpMethod: 'DELETE', ClientParameters: { ClientID: 'c', ClientSecret: 's' } } } }))
      .toContain('AuthParameters.OAuthParameters.HttpMethod: must be GET, POST or PUT, not "DELETE".');
    expect(problem({ AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'k', ApiKeyValue: 'v' }, InvocationHttpParameters: { HeaderParameters: [{ Key: 'X', Value: 1 }] } } }))
      .toBe(`connections.json: connection '${ARN}', AuthParameters.InvocationHttpParameters.HeaderParameters[0].Value: must be a string.`);
    expect(problem({ AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'k', ApiKeyValue: 'v' } }, AuthType: 'x' }))
      .toContain('AuthType: is not a field of EventBridge\'s CreateConnection request here (expected Name, Description, AuthorizationType, AuthParameters');
  });

  it('refuses a file that is not a JSON object keyed by connection ARNs', () => {
    expect(() => parseConnections([], 'c.json')).toThrow(/^c\.json: must be a JSON object whose keys are EventBridge connection ARNs/);
    expect(() => parseConnections({ Stripe: {} }, 'c.json')).toThrow("c.json: 'Stripe' is not an EventBridge connection ARN (expected arn:aws:events:REGION:ACCOUNT:connection/NAME/ID).");
  });

  it('loadConnectionsFile says which file is missing or not JSON', () => {
    const bad = file('{ "a": ');
    expect(() => loadConnectionsFile(bad)).toThrow(new RegExp(`^The connections file ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not JSON: `));
    expect(() => loadConnectionsFile('/nonexistent/connections.json')).toThrow('Cannot read the connections file /nonexistent/connections.json: no such file.');
    const good = file(JSON.stringify({ [ARN]: { AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } } } }));
    expect(loadConnectionsFile(good).get(ARN)!.AuthorizationType).toBe('BASIC');
    const wrong = file(JSON.stringify({ [ARN]: { AuthorizationType: 'BASIC', AuthParameters: {} } }));
    expect(() => loadConnectionsFile(wrong)).toThrow(`connections file ${wrong}: connection '${ARN}', AuthParameters.BasicAuthParameters: is required for AuthorizationType BASIC.`);
  });
});
