/**
 * The time-travel UI over HTTP: a `node:http` handler to mount in another server, and a server
 * of its own (what `stepwise ui` runs).
 */
export { createUiHandler, isLoopbackHost } from './ui-handler.js';
export type { UiHandler, UiHandlerOptions } from './ui-handler.js';
export { startUiServer } from './ui-server.js';
export type { UiServer, UiServerOptions } from './ui-server.js';
