/**
 * The Step Functions API over HTTP (AWS JSON 1.0 on port 8083, as Step Functions Local),
 * for `@aws-sdk/client-sfn`, the aws CLI and AWS's other SDKs.
 */
export { createStepFunctionsServer, StepFunctionsServer, ACTIONS, DEFAULT_HOST, DEFAULT_PORT } from './step-functions-server.js';
export type { StepFunctionsServerOptions, RouteHandler } from './step-functions-server.js';
export { ApiError, toApiError, MAX_REQUEST_BYTES } from './aws-json-protocol.js';
export type { ApiContext, Action } from './api-context.js';
