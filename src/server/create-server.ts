import { basename, isAbsolute, relative } from 'node:path';
import { confirmThreshold } from '../rules/confirmation.js';
import { Hono } from 'hono';
import { z } from 'zod';
import { apiError, failureResponse } from '../http/api-error.js';
import { warehouseUnavailable } from '../library/warehouse-unavailable.js';
import { authenticateAdmin, authenticateCaller } from '../http/authenticate.js';
import type { HttpApp, HttpEnv } from '../http/context.js';
import type { HttpLibrary } from '../http/library.js';
import { openApiDocument } from '../http/openapi.js';
import { proxySignIn } from '../http/proxy-sign-in.js';
import { DEFAULT_ADMIN_BODY_LIMIT_BYTES, DEFAULT_BODY_LIMIT_BYTES } from '../http/read-json-body.js';
import { mountRoutes, route, type Route } from '../http/route.js';
import { wireRegistry } from '../http/wire-schemas.js';
import { browserSessions } from '../http/session-cookie.js';
import { formRoutes } from '../forms/form-routes.js';
import { applyGuard } from './apply-guard.js';
import { jsonLogger, type ServerLogger } from './logger.js';
import { requestLog } from './request-log.js';
import { adminRoutes } from './routes/admin.js';
import { signInRoutes } from './routes/auth.js';
import { personalTokenRoutes } from './routes/personal-tokens.js';
import { inputRoutes } from './routes/inputs.js';
import { modelRoutes } from './routes/models.js';
import { STREAM_STALL_MS } from './stream-rows.js';
import { workflowRoutes } from './routes/workflow.js';
import type { ServerOptions } from './server-options.js';
import type { BulkSettings } from './write-request.js';
import type { SnapshotStatus } from '../snapshot/snapshot-publisher.js';


const HealthSchema = z
  .object({
    ok: z.literal(true),
    project: z.string(),
    snapshot: z
      .object({
        path: z.string().describe("The snapshot file, relative to the project's directory (its name alone when it lies outside)."),
        delayMs: z.number(),
        lastPublishedAt: z.string().nullable(),
        lastDurationMs: z.number().nullable(),
        lastBytes: z.number().nullable().describe('Size of the last published snapshot file in bytes.'),
        pending: z.boolean(),
      })
      .nullable()
      .describe('The BI snapshot (DuckDB files), or null.'),
    postgres: z
      .object({ url: z.string(), connections: z.number().int() })
      .nullable()
      .describe('The Postgres endpoint for BI tools (its URL and open client connections), or null when it is off.'),
    in_sync: z.boolean().describe('The warehouse matches the project (else requests on the tables and models it is behind on answer 503 `apply_required`).'),
  })
  .register(wireRegistry, { id: 'Health' });

const OpenApiSchema = z.looseObject({ openapi: z.string() }).describe('An OpenAPI 3.1 document').register(wireRegistry, { id: 'OpenApiDocument' });

/**
 * Every route the server answers, in registration order: the API, the admin routes, the planner
 * pages, `/healthz` and the OpenAPI document — one list that both registers the handlers and
 * generates the document, so neither can have a route the other lacks.
 */
export function serverRoutes(wb: HttpLibrary, options: ServerOptions, logger: ServerLogger): Route[] {
  const settings: BulkSettings = {
    // project.yml `confirm_threshold`, unless the caller overrides it; read per request (dev reloads the project)
    get confirmThreshold(): number {
      return options.confirmThreshold ?? confirmThreshold(wb.project);
    },
    onWrite: options.onWrite,
  };
  const routes: Route[] = [
    ...inputRoutes(wb, settings, false),
    ...workflowRoutes(wb, settings, false),
    ...modelRoutes(wb, logger, options.streamStallMs ?? STREAM_STALL_MS),
    ...inputRoutes(wb, settings, true),
    ...workflowRoutes(wb, settings, true),
    ...adminRoutes(wb, options),
    ...personalTokenRoutes(wb),
    ...formRoutes(wb, { devUser: options.devUser, signOutOrigin: options.auth?.sso.kind === 'oidc' ? new URL(options.auth.sso.issuer).origin : undefined }),
    ...signInRoutes(wb, options.auth, logger),
    route({
      method: 'get',
      path: '/healthz',
      operationId: 'health',
      summary: 'Liveness, the BI snapshot, the Postgres endpoint, and whether the warehouse matches the project',
      tags: ['server'],
      auth: 'none',
      touches: 'nothing',
      responses: { 200: { description: 'OK', json: HealthSchema } },
      errors: [],
      handler: (c) => c.json({ ok: true, project: wb.project.name, snapshot: healthOfSnapshot(wb.project.dir, options.snapshotStatus?.()), postgres: options.postgresStatus?.() ?? null, in_sync: wb.deploy.drift.inSync }),
    }),
  ];
  let document: ReturnType<typeof openApiDocument> | undefined;
  routes.push(
    route({
      method: 'get',
      path: '/api/v1/openapi.json',
      operationId: 'openapi',
      summary: 'This document',
      tags: ['server'],
      auth: 'none',
      touches: 'nothing',
      responses: { 200: { description: 'OK', json: OpenApiSchema } },
      errors: [],
      handler: (c) => {
        document ??= openApiDocument(routes, { title: `writeback API — ${wb.project.name}`, bodyLimitBytes: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES });
        return c.json(document);
      },
    }),
  );
  return routes;
}

/** What `/healthz` (no sign-in) tells of the snapshot: no absolute path of the machine, no error text (the server log has it). */
function healthOfSnapshot(projectDir: string, status: SnapshotStatus | undefined): z.infer<typeof HealthSchema>['snapshot'] {
  if (!status) return null;
  const inProject = relative(projectDir, status.path);
  return {
    path: inProject.startsWith('..') || isAbsolute(inProject) ? basename(status.path) : inProject,
    delayMs: status.delayMs,
    lastPublishedAt: status.lastPublishedAt ?? null,
    lastDurationMs: status.lastDurationMs ?? null,
    lastBytes: status.lastBytes ?? null,
    pending: status.pending,
  };
}

/**
 * The HTTP API over the library, as a Hono app (`app.fetch(request)` answers a web `Request`;
 * `startServer` listens on a port). Routes: see src/server/CONTEXT.md.
 */
export function createServer(wb: HttpLibrary, options: ServerOptions = {}): HttpApp {
  const logger = options.logger ?? jsonLogger();
  const app = new Hono<HttpEnv>();
  app.onError((err, c) => {
    // The warehouse could not take the request for now (connection lost, no free connection,
    // writers conflicting past the retries): a retryable 503, the warehouse's text in the log only.
    const unavailable = warehouseUnavailable(err);
    if (unavailable) {
      logger.warn('warehouse unavailable', { method: c.req.method, path: c.req.path, error: err.message });
      return failureResponse(apiError('unavailable', unavailable));
    }
    // Unexpected: log everything, send nothing of it (no stack, no SQL) to the client.
    logger.error('unhandled error', { method: c.req.method, path: c.req.path, error: err.message, stack: err.stack });
    return failureResponse(apiError('internal', 'internal error; the server log has the details'));
  });
  const sso = options.auth?.sso;
  const proxy =
    options.auth && sso?.kind === 'proxy'
      ? proxySignIn(() => wb.project, { ...options.auth, sso }, { projectDir: wb.project.dir, ...(options.proxyKeys ? { keys: options.proxyKeys } : {}), log: logger, onSignIn: (identity) => wb.users.recordSignInOnce(identity) })
      : undefined;
  if (sso?.kind === 'proxy')
    logger.info('people sign in through an authenticating proxy: only its signed assertion is trusted; bind to the interface only the proxy reaches', {
      header: sso.header,
      issuer: sso.issuer,
      audience: sso.audience,
      keys: 'url' in sso.jwks ? sso.jwks.url : sso.jwks.file,
    });
  app.use('*', requestLog(logger));
  app.notFound((c) => failureResponse(apiError('not_found', `no route ${c.req.method} ${c.req.path}`)));
  mountRoutes(app, serverRoutes(wb, options, logger), {
    bodyLimitBytes: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    adminBodyLimitBytes: options.adminBodyLimitBytes ?? DEFAULT_ADMIN_BODY_LIMIT_BYTES,
    caller: authenticateCaller(wb, { devUser: options.devUser, sessions: browserSessions(options.auth), proxy }),
    admin: authenticateAdmin(options.adminToken),
    guard: applyGuard(wb),
  });
  return app;
}
