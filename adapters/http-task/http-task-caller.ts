import type { JsonValue } from '../../src/asl/json-value.js';
import { StepwiseError } from '../../src/errors/stepwise-error.js';
import type { ServiceCaller, ServiceRequest } from '../../src/resources/service-caller.js';
import { TaskFailure } from '../../src/resources/task-handlers.js';
import { buildRequest } from './build-request.js';
import { parseConnections, type Connection, type Connections } from './connections.js';
import { OAuthTokens } from './oauth-tokens.js';
import { HttpExchangeError, sendRequest } from './send-request.js';
import { readTaskParameters } from './task-parameters.js';
import { taskResult } from './task-result.js';

export interface HttpTaskOptions {
  /**
   * EventBridge connections by connection ARN, each in the shape of a CreateConnection request
   * (`AuthorizationType`, `AuthParameters`): a map from `loadConnectionsFile(path)`, or a plain
   * object, which is checked here (a StepwiseError names what is wrong).
   */
  connections?: Connections | Record<string, unknown>;
  /**
   * Allow plain `http://` ApiEndpoints and OAuth AuthorizationEndpoints. Step Functions calls
   * HTTPS APIs only, so an `http://` endpoint fails the task with States.Runtime unless this is
   * set (for local test servers).
   */
  allowInsecureHttp?: boolean;
  /**
   * How long one call may take, from sending the request to the end of the response; longer
   * fails the task with `States.Http.Socket`. Default 60,000 ms, AWS's hard quota for the HTTP
   * Task duration (whatever the Task's TimeoutSeconds; a shorter TimeoutSeconds still ends it
   * first with States.Timeout).
   */
  timeoutMs?: number;
}

/** `Events.ConnectionResource.ResourceNotFound`: the task names a connection there is none of. */
export const CONNECTION_NOT_FOUND = 'Events.ConnectionResource.ResourceNotFound';
/** `States.Http.Socket`: no response within the HTTP Task duration quota (or none at all). */
export const HTTP_SOCKET = 'States.Http.Socket';

const AWS_HTTP_TASK_TIMEOUT_MS = 60_000;

/**
 * Answers HTTP Tasks (`"Resource": "arn:aws:states:::http:invoke"`) with real HTTP calls, as
 * Step Functions makes them (DG:call-https-apis): the task's ApiEndpoint, Method, Headers,
 * QueryParameters and RequestBody (JSON, or URL-encoded with Transform), merged with the
 * EventBridge connection's authorization and invocation parameters; the result
 * `{ Headers, ResponseBody, StatusCode, StatusText }`; `States.Http.StatusCode.<code>` for
 * a status outside 2xx. Other resources are not served (undefined), so it chains with other
 * callers (`chainServiceCallers`).
 */
export function createHttpTaskCaller(options: HttpTaskOptions = {}): ServiceCaller {
  const connections = toConnections(options.connections);
  const allowInsecureHttp = options.allowInsecureHttp ?? false;
  const timeoutMs = options.timeoutMs ?? AWS_HTTP_TASK_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new StepwiseError('InvalidArgument', `createHttpTaskCaller: timeoutMs must be a positive number of milliseconds, not ${options.timeoutMs}.`);
  if (!allowInsecureHttp) {
    for (const [arn, connection] of connections) {
      const endpoint = connection.AuthParameters.OAuthParameters?.AuthorizationEndpoint;
      if (endpoint !== undefined && new URL(endpoint).protocol !== 'https:') {
        throw new StepwiseError('InvalidArgument', `connection '${arn}': AuthParameters.OAuthParameters.AuthorizationEndpoint '${endpoint}' is not an https:// URL (allow plain http:// for a local test server with --http-allow-insecure or allowInsecureHttp: true).`);
      }
    }
  }
  const tokens = new OAuthTokens({ timeoutMs });
  return {
    async call(request) {
      const t = request.target;
      if (t.kind !== 'integration' || t.resourceType !== 'http' || t.resource !== 'invoke') return undefined;
      return invoke(request, connections, tokens, { allowInsecureHttp, timeoutMs });
    },
  };
}

async function invoke(request: ServiceRequest, connections: Connections, tokens: OAuthTokens, options: { allowInsecureHttp: boolean; timeoutMs: number }): Promise<JsonValue> {
  const params = readTaskParameters(request.input, request.stateName, options);
  const connection = connections.get(params.connectionArn);
  if (!connection) {
    throw new TaskFailure(CONNECTION_NOT_FOUND, `The EventBridge connection '${params.connectionArn}' of the HTTP Task '${request.stateName}' does not exist${connections.size === 0 ? ': no connections are configured (give them with --http-connections FILE or createHttpTaskCaller({ connections }))' : ' in the configured connections'}.`);
  }
  const authorization = await authorizationOf(params.connectionArn, connection, tokens, request.signal);
  const outgoing = buildRequest(params, connection, authorization, regionOf(request.executionArn), request.stateName);
  let response;
  try {
    response = await sendRequest(outgoing, { timeoutMs: options.timeoutMs, signal: request.signal });
  } catch (e) {
    if (e instanceof HttpExchangeError) throw new TaskFailure(HTTP_SOCKET, e.message);
    throw e;
  }
  // EventBridge refreshes an OAuth token after a 401 or 407: a Retry of the task gets a new one.
  if ((response.status === 401 || response.status === 407) && connection.AuthorizationType === 'OAUTH_CLIENT_CREDENTIALS') tokens.forget(params.connectionArn);
  return taskResult(response, request.stateName, outgoing.method);
}

/** The header the connection authorizes with (DG:call-https-apis, eb-target-connection-auth). */
async function authorizationOf(arn: string, connection: Connection, tokens: OAuthTokens, signal: AbortSignal | undefined): Promise<[string, string]> {
  const auth = connection.AuthParameters;
  switch (connection.AuthorizationType) {
    case 'API_KEY':
      return [auth.ApiKeyAuthParameters!.ApiKeyName, auth.ApiKeyAuthParameters!.ApiKeyValue];
    case 'BASIC': {
      const { Username, Password } = auth.BasicAuthParameters!;
      return ['Authorization', `Basic ${Buffer.from(`${Username}:${Password}`, 'utf8').toString('base64')}`];
    }
    case 'OAUTH_CLIENT_CREDENTIALS':
      return ['Authorization', `Bearer ${await tokens.token(arn, auth.OAuthParameters!, signal)}`];
  }
}

/** The region in the execution's ARN (`arn:aws:states:REGION:ACCOUNT:execution:...`), for the User-Agent. */
function regionOf(executionArn: string): string {
  return executionArn.split(':')[3] || 'us-east-1';
}

function toConnections(value: HttpTaskOptions['connections']): Connections {
  if (value === undefined) return new Map();
  if (value instanceof Map) return value as Connections;
  return parseConnections(value, 'connections option');
}
