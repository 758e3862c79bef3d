/** The HTTP API: `createServer` builds the app, `startServer` listens and runs the process model. */
export { createServer, serverRoutes } from './create-server.js';
export { DEFAULT_CONFIRM_THRESHOLD } from '../rules/confirmation.js';
export { startServer, DEFAULT_PORT, type StartServerOptions, type RunningHttpServer } from './start-server.js';
export type { ServerOptions, AdminOperationResult } from './server-options.js';
export type { HttpLibrary as ServerLibrary } from '../http/library.js';
export { jsonLogger, silentLogger, type ServerLogger } from './logger.js';
export { DEFAULT_BODY_LIMIT_BYTES, DEFAULT_ADMIN_BODY_LIMIT_BYTES } from '../http/read-json-body.js';
export { openApiDocument } from '../http/openapi.js';
export { applyThroughServer } from './admin-apply.js';
