import { Hono } from 'hono';
import type { ServerVariables, ServerApp } from './context.js';
import type { ServerLibrary } from './library.js';
import type { ServerOptions } from './server-options.js';
import { apiError, failureResponse } from './api-error.js';
import { authenticateAdmin, authenticateCaller } from './authenticate.js';
import { jsonLogger } from './logger.js';
import { openApiDocument } from './openapi.js';
import { DEFAULT_ADMIN_BODY_LIMIT_BYTES, DEFAULT_BODY_LIMIT_BYTES } from './read-json-body.js';
import { adminRoutes } from './routes/admin.js';
import { inputRoutes } from './routes/inputs.js';
import { modelRoutes } from './routes/models.js';
import { workflowRoutes } from './routes/workflow.js';
import { formRoutes } from '../forms/form-routes.js';

/** Default of {@link ServerOptions.confirmThreshold}. */
export const DEFAULT_CONFIRM_THRESHOLD = 100;

/**
 * The HTTP API over the write-path library, as a Hono app (`app.fetch(request)` answers a
 * web `Request`; `startServer` listens on a port). Routes: see src/server/CONTEXT.md.
 */
export function createServer(wb: ServerLibrary, options: ServerOptions = {}): ServerApp {
  const logger = options.logger ?? jsonLogger();
  const bodyLimitBytes = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const settings = {
    bodyLimitBytes,
    // project.yml `confirm_threshold` (issue 5), unless the caller overrides it; read per request (dev reloads the project)
    get confirmThreshold(): number {
      return options.confirmThreshold ?? wb.project.confirmThreshold ?? DEFAULT_CONFIRM_THRESHOLD;
    },
    onWrite: options.onWrite,
  };
  const app = new Hono<{ Variables: ServerVariables }>();

  app.onError((err, c) => {
    // Unexpected: log everything, send nothing of it (no stack, no SQL) to the client.
    logger.error('unhandled error', { method: c.req.method, path: c.req.path, error: err.message, stack: err.stack });
    return failureResponse(apiError('internal', 'internal error; the server log has the details'));
  });
  app.notFound((c) => failureResponse(apiError('not_found', `no route ${c.req.method} ${c.req.path}`)));

  app.get('/healthz', (c) =>
    c.json({ ok: true, project: wb.project.name, snapshot: options.snapshotStatus?.() ?? null }),
  );
  const spec = openApiDocument({ title: `writeback API — ${wb.project.name}`, bodyLimitBytes });
  app.get('/api/v1/openapi.json', (c) => c.json(spec));

  app.use('/api/v1/admin/*', authenticateAdmin(options.adminToken));
  const adminSettings = {
    get confirmThreshold(): number {
      return settings.confirmThreshold;
    },
    onWrite: settings.onWrite,
    bodyLimitBytes: options.adminBodyLimitBytes ?? DEFAULT_ADMIN_BODY_LIMIT_BYTES,
  };
  app.route('/api/v1/admin', adminRoutes(wb, adminSettings, options));
  app.route('/api/v1/admin', workflowRoutes(wb, adminSettings, true));

  const caller = authenticateCaller(wb, options.devUser);
  for (const base of ['/api/v1/inputs', '/api/v1/models', '/api/v1/scenarios']) {
    app.use(base, caller);
    app.use(`${base}/*`, caller);
  }
  app.route('/api/v1/inputs', inputRoutes(wb, settings));
  // scenarios, pending changes, resets, actions (issue 5): /api/v1/scenarios…, /api/v1/inputs/{t}/pending|reset|actions…
  app.route('/api/v1', workflowRoutes(wb, settings, false));
  app.route('/api/v1/models', modelRoutes(wb, logger));
  // The planner pages (src/forms): `/`, `/forms/{table}`, `/assets/*`, `/api/v1/me`, `/api/v1/inputs/{t}/context`.
  app.route('/', formRoutes(wb, { devUser: options.devUser, targetName: options.targetName }));
  return app;
}
