import { z } from 'zod';
import { API_ERROR_CODES, statusOf, type ApiErrorCode } from './api-error.js';
import { queryParameters } from './openapi-query.js';
import { errorCodes, type Route, type RouteSpec } from './route.js';
import { wireRegistry } from './wire-schemas.js';

/** Where the API lives; paths outside it carry their own `servers`. */
const API_BASE = '/api/v1';

/** What each error status means, for every route (the codes a route answers are listed per route). */
const STATUS_TEXT: Record<number, string> = {
  400: 'Malformed request: bad JSON, wrong content type, unknown field or query parameter, a query parameter out of range or an invalid scenario name (`bad_request`, details name the parameter), or a bulk change without `"confirm": true` (`confirmation_required`).',
  401: 'No, malformed, unknown or revoked token (`unauthorized`).',
  403: 'The role may not do this, or a row is outside its row filter (`forbidden`).',
  404: 'Unknown table, model, scenario, column or pending change (`not_found`).',
  409: 'A row changed since the `_version` it was based on, or the object already exists or was already decided (`conflict`).',
  413: 'Body above the limit (`payload_too_large`).',
  422: 'Rows fail validation (`validation_failed`, one detail per bad row and column), or an Idempotency-Key reused with another payload (`idempotency_key_reused`).',
  500: 'A bug (`internal`): the server log has the details; the answer has none.',
  502: "The model's SQL failed in the warehouse (`model_failed`): the message names the model and the warehouse's error. Retrying does not help; fix the model.",
  503: 'Shutting down, or the warehouse cannot take the request now — connection lost, no free connection, writers conflicting (`unavailable`, with `Retry-After`: retry with the same Idempotency-Key), or the warehouse is behind the project for this table or model (`apply_required`: the message names it and `writeback apply`).',
};

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

/** The component id of a registered schema (route schemas must be registered, so the document names them). */
function componentOf(schema: z.ZodType, where: string): { $ref: string } {
  const id = wireRegistry.get(schema)?.id;
  if (!id) throw new Error(`${where}: the schema is not registered in wireRegistry (give it an id)`);
  return ref(id);
}

/** Drop the per-schema `$schema`/`$id` that zod adds: OpenAPI components carry neither. */
function componentSchemas(): Record<string, unknown> {
  const { schemas } = z.toJSONSchema(wireRegistry, { uri: (id) => `#/components/schemas/${id}`, io: 'output', unrepresentable: 'any' });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, s]) => {
      const { $schema: _s, $id: _i, ...rest } = s as Record<string, unknown>;
      return [id, rest];
    }),
  );
}

/** The error body of one status, its `code` narrowed to the codes the route answers with it. */
function errorResponse(status: number, codes: ApiErrorCode[]) {
  return {
    description: `${STATUS_TEXT[status] ?? 'Error.'} Codes: ${codes.map((c) => `\`${c}\``).join(', ')}.`,
    content: {
      'application/json': {
        schema: { allOf: [ref('Error'), { type: 'object', properties: { error: { type: 'object', properties: { code: { enum: codes } } } } }] },
      },
    },
  };
}

function parameters(spec: RouteSpec): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const name of [...spec.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!)) {
    out.push({ name, in: 'path', required: true, description: spec.params?.[name] ?? name, schema: { type: 'string' } });
  }
  if (spec.query) out.push(...queryParameters(spec.query));
  if (spec.prefixed) {
    out.push({
      name: `${spec.prefixed.prefix}.{column}`,
      in: 'query',
      required: false,
      description: spec.prefixed.description,
      // a repeatable one is a list sent as the parameter repeated (`filter.q=a&filter.q=b`)
      ...(spec.prefixed.repeatable ? { schema: { type: 'array', items: { type: 'string' } }, style: 'form', explode: true } : { schema: { type: 'string' } }),
    });
  }
  for (const h of spec.headers ?? []) out.push({ name: h.name, in: 'header', required: false, description: h.description, schema: h.schema ?? { type: 'string' } });
  return out;
}

function operation(spec: RouteSpec): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(spec.responses)) {
    const content: Record<string, unknown> = {};
    if (r.json) content['application/json'] = { schema: componentOf(r.json, `${spec.operationId} ${status}`) };
    for (const [type, description] of Object.entries(r.text ?? {})) content[type] = { schema: { type: 'string', description } };
    responses[status] = { description: r.description, ...(Object.keys(content).length > 0 ? { content } : {}) };
  }
  const byStatus = new Map<number, ApiErrorCode[]>();
  for (const code of errorCodes(spec)) byStatus.set(statusOf(code), [...(byStatus.get(statusOf(code)) ?? []), code]);
  for (const [status, codes] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    if (responses[String(status)]) throw new Error(`${spec.operationId}: status ${status} is both an answer and an error`);
    responses[String(status)] = errorResponse(status, codes);
  }
  const params = parameters(spec);
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: spec.tags,
    security: spec.auth === 'none' ? [] : [{ [spec.auth === 'admin' ? 'admin' : 'bearer']: [] }],
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(spec.body ? { requestBody: { required: !spec.bodyOptional, content: { 'application/json': { schema: componentOf(spec.body, `${spec.operationId} body`) } } } } : {}),
    responses,
  };
}

/** Options of {@link openApiDocument}. */
export interface OpenApiOptions {
  title?: string;
  version?: string;
  bodyLimitBytes: number;
}

/**
 * The OpenAPI 3.1 document of every route, generated from the same definitions that register
 * the handlers (src/http/route.ts): paths, operation ids, parameters, request bodies and every
 * answer (2xx bodies and each error status with its codes) come from one place.
 */
export function openApiDocument(routes: readonly Route[], options: OpenApiOptions) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { spec } of routes) {
    const inApi = spec.path === API_BASE || spec.path.startsWith(`${API_BASE}/`);
    const key = inApi ? spec.path.slice(API_BASE.length) || '/' : spec.path;
    const item = (paths[key] ??= inApi ? {} : { servers: [{ url: '/' }] });
    if (item[spec.method]) throw new Error(`two routes for ${spec.method.toUpperCase()} ${spec.path}`);
    item[spec.method] = operation(spec);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: options.title ?? 'writeback API',
      version: options.version ?? '1',
      description: [
        'JSON in and out. Decimals and integers beyond 2^53 travel as strings, dates as YYYY-MM-DD, timestamps as ISO 8601 UTC with Z.',
        `Request bodies are limited to ${options.bodyLimitBytes} bytes. Every error is \`{"error": {"code", "message", "details": [...]}}\`; the codes are ${API_ERROR_CODES.map((c) => `\`${c}\``).join(', ')}.`,
        'A streamed model read (`GET /models/{model}/rows` without `limit`) that fails after its first rows were sent cannot change its status any more: it ends with a last line `writeback-error: model_failed: <message>` and the connection is closed before the chunked body is complete (clients report an incomplete body; the JSON does not parse).',
      ].join('\n\n'),
    },
    servers: [{ url: API_BASE }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A token from `writeback token create` (or none with `serve --dev-user`).' },
        admin: { type: 'http', scheme: 'bearer', description: 'The per-process admin credential in target/server.json (the CLI uses it).' },
      },
      schemas: componentSchemas(),
    },
  };
}
