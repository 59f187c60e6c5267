export { createHttpTaskCaller, CONNECTION_NOT_FOUND, HTTP_SOCKET } from './http-task-caller.js';
export type { HttpTaskOptions } from './http-task-caller.js';
export { loadConnectionsFile, parseConnections } from './connections.js';
export type { AuthorizationType, Connection, ConnectionHttpParameters, ConnectionParameter, Connections, OAuthParameters } from './connections.js';
export { INVALID_CONNECTION_STATE } from './oauth-tokens.js';
export { HTTP_METHODS } from './task-parameters.js';
export { FORBIDDEN_HEADERS } from '../../src/resources/http-invoke-headers.js';
export type { ArrayFormat } from './url-encoding.js';
