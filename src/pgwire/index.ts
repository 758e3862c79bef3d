export { startPgEndpoint, type PgEndpoint, type PgEndpointOptions, type PgLogger } from './endpoint.js';
export { endpointSettings, type EndpointSettings, type PostgresOverride } from './endpoint-settings.js';
