import { z } from 'zod';
import { HistoryQuerySchema, ModelRowsQuerySchema, RowsQuerySchema, wireRegistry } from './wire-schemas.js';
import { workflowPaths } from './openapi-workflow.js';
import { queryParameters } from './openapi-query.js';

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const json = (id: string) => ({ 'application/json': { schema: ref(id) } });
const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [String(s), { $ref: `#/components/responses/E${s}` }]));
const ERROR_TEXT: Record<number, string> = {
  400: 'Malformed request: bad JSON, wrong content type, unknown field or query parameter, a query parameter out of range or an invalid scenario name (`bad_request`, details name the parameter), or a bulk change without `"confirm": true` (`confirmation_required`).',
  401: 'No, malformed, unknown or revoked token (`unauthorized`).',
  403: 'The role may not do this (e.g. create or archive scenarios), or a row is outside its row filter (`forbidden`).',
  404: 'Unknown table, model, scenario or route (`not_found`).',
  409: 'A row changed since the `_version` it was based on (`conflict`); details name the key, current values, `_version`, `_updated_by`, `_updated_at`.',
  413: 'Body above the limit (`payload_too_large`).',
  422: 'Rows fail validation (`validation_failed`, one detail per bad row and column), or an Idempotency-Key reused with another payload (`idempotency_key_reused`).',
};
const param = (name: string, where: 'path' | 'query' | 'header', description: string, required = where === 'path') => ({
  name,
  in: where,
  required,
  description,
  schema: { type: 'string' },
});
const table = param('table', 'path', 'Input table name.');
const idempotency = param('Idempotency-Key', 'header', 'Retrying with the same key returns the first result and writes nothing twice.');

/** Drop the per-schema `$schema`/`$id` that zod adds: OpenAPI components carry neither. */
function componentSchemas(): Record<string, unknown> {
  const { schemas } = z.toJSONSchema(wireRegistry, { uri: (id) => `#/components/schemas/${id}`, io: 'input', unrepresentable: 'any' });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, s]) => {
      const { $schema: _s, $id: _i, ...rest } = s as Record<string, unknown>;
      return [id, rest];
    }),
  );
}

/** The OpenAPI 3.1 document of `/api/v1`, generated from the zod schemas of src/server/wire-schemas.ts. */
export function openApiDocument(options: { title?: string; version?: string; bodyLimitBytes: number }) {
  return {
    openapi: '3.1.0',
    info: {
      title: options.title ?? 'writeback API',
      version: options.version ?? '1',
      description: `JSON in and out. Decimals and integers beyond 2^53 travel as strings, dates as YYYY-MM-DD, timestamps as ISO 8601 UTC with Z. Request bodies are limited to ${options.bodyLimitBytes} bytes.`,
    },
    servers: [{ url: '/api/v1' }],
    security: [{ bearer: [] }],
    paths: {
      '/inputs': { get: { summary: 'Input tables the caller may read, with columns, rules, key and the caller\'s permissions', responses: { 200: { description: 'OK', content: json('InputsResponse') }, ...errors(401) } } },
      '/inputs/{table}/rows': {
        get: {
          summary: 'Current (or as-of) rows of one scenario, ordered by key, keyset-paginated',
          parameters: [table, ...queryParameters(RowsQuerySchema), param('filter.{column}', 'query', 'Equality filter on a user column.')],
          responses: { 200: { description: 'OK', content: json('RowsResponse') }, ...errors(400, 401, 403, 404) },
        },
        post: {
          summary: 'Upsert a batch of rows, all or nothing',
          parameters: [table, idempotency],
          requestBody: { required: true, content: json('WriteRequest') },
          responses: { 200: { description: 'Written (or the replayed first result)', content: json('WriteResponse') }, ...errors(400, 401, 403, 404, 409, 413, 422) },
        },
      },
      '/inputs/{table}/delete': {
        post: {
          summary: 'Delete a batch of keys, all or nothing (logged; history stays)',
          parameters: [table, idempotency],
          requestBody: { required: true, content: json('DeleteRequest') },
          responses: { 200: { description: 'Deleted', content: json('WriteResponse') }, ...errors(400, 401, 403, 404, 409, 413, 422) },
        },
      },
      '/inputs/{table}/history': {
        get: {
          summary: 'Log entries with old → new values per changed column, oldest first',
          parameters: [table, param('key.{column}', 'query', 'Only entries of this key (repeat per key column).'), ...queryParameters(HistoryQuerySchema)],
          responses: { 200: { description: 'OK', content: json('HistoryResponse') }, ...errors(400, 401, 403, 404) },
        },
      },
      '/models/{model}/rows': {
        get: {
          summary: "Rows of a merged view with the caller's row filters, streamed (JSON, or CSV with Accept: text/csv)",
          parameters: [param('model', 'path', 'Model name.'), ...queryParameters(ModelRowsQuerySchema)],
          responses: { 200: { description: 'OK', content: { ...json('RowsResponse'), 'text/csv': { schema: { type: 'string' } } } }, ...errors(400, 401, 403, 404) },
        },
      },
      // scenarios, resets, pending changes, actions (issue 5)
      ...workflowPaths(),
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A token from `writeback token create`.' } },
      schemas: componentSchemas(),
      responses: Object.fromEntries(Object.entries(ERROR_TEXT).map(([s, d]) => [`E${s}`, { description: d, content: json('Error') }])),
    },
  };
}
