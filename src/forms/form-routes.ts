import { Hono, type MiddlewareHandler } from 'hono';
import { canStream, type Adapter, type Row, type SqlValue } from '../adapters/adapter.js';
import { checkPermission } from '../auth/permissions.js';
import { apiError } from '../server/api-error.js';
import { authenticateCaller } from '../server/authenticate.js';
import type { ServerVariables } from '../server/context.js';
import type { ServerLibrary } from '../server/library.js';
import { decodeCursor, encodeCursor } from '../server/model-read.js';
import { sendFailure } from '../server/parse-request.js';
import { limitParam } from '../server/wire-schemas.js';
import { sqlNames } from '../managed/sql-names.js';
import type { Actor } from '../auth/actor.js';
import { contextSql } from './context-sql.js';
import { PAGE_CSP, renderPage } from './page-shell.js';
import { sourceValuesRoute } from './source-values.js';
import { assetsDir, readAsset } from './static-assets.js';

/** Options of {@link formRoutes}. */
export interface FormOptions {
  /** The `--dev-user` actor: pages sign in automatically. */
  devUser?: Actor | undefined;
  /** Target whose source names the context reads use; default the project's default target. */
  targetName?: string | undefined;
}

const DEFAULT_CONTEXT_LIMIT = 1000;
const MAX_CONTEXT_LIMIT = 10_000;

/** Run a read on a connection of its own when the adapter has them (never inside a writer's transaction). */
async function queryAside(adapter: Adapter, sql: string, params: SqlValue[]): Promise<Row[]> {
  if (!canStream(adapter)) return adapter.query(sql, params);
  const stream = await adapter.stream(sql, params);
  const rows: Row[] = [];
  for await (const chunk of stream.chunks()) rows.push(...chunk);
  return rows;
}

function pageResponse(body: string, status = 200): Response {
  return new Response(body, {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': PAGE_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    },
  });
}

/**
 * The planner pages: `/` (the input tables), `/forms/{table}`, `/assets/*`, plus two small
 * additive API routes the pages need: `GET /api/v1/me` (who is signed in) and
 * `GET /api/v1/inputs/{table}/context` (the linked source's rows, under the caller's row filter).
 */
export function formRoutes(wb: ServerLibrary, options: FormOptions = {}) {
  const app = new Hono<{ Variables: ServerVariables }>();
  const dir = assetsDir();
  const caller = authenticateCaller(wb, options.devUser);
  const ensureActor: MiddlewareHandler<{ Variables: ServerVariables }> = async (c, next) =>
    c.get('actor') === undefined ? caller(c, next) : next();
  const shell = (table?: string) => ({
    project: wb.project.name,
    ...(options.devUser ? { devUser: options.devUser.user } : {}),
    ...(table !== undefined ? { page: 'form' as const, table } : { page: 'index' as const }),
  });

  app.get('/', () => pageResponse(renderPage(shell())));
  app.get('/forms', (c) => c.redirect('/'));
  app.get('/forms/:table', (c) => {
    const table = c.req.param('table');
    const known = Object.hasOwn(wb.project.inputs, table);
    return pageResponse(renderPage(shell(table)), known ? 200 : 404);
  });
  app.get('/assets/:name', (c) => {
    const asset = readAsset(dir, c.req.param('name'));
    if (!asset) return sendFailure(c, apiError('not_found', `no asset ${c.req.param('name')}`));
    return new Response(asset.body, { headers: { 'content-type': asset.type, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' } });
  });

  app.get('/api/v1/me', ensureActor, (c) => {
    const actor = c.get('actor');
    return c.json({
      user: actor.user,
      role: actor.role ?? null,
      attributes: actor.attributes ?? {},
      dev_user: options.devUser !== undefined && options.devUser.user === actor.user && c.req.header('authorization') === undefined,
      project: wb.project.name,
    });
  });

  app.get('/api/v1/inputs/:table/context', ensureActor, async (c) => {
    const actor = c.get('actor');
    const name = c.req.param('table');
    const input = Object.hasOwn(wb.project.inputs, name) ? wb.project.inputs[name] : undefined;
    if (!input) return sendFailure(c, apiError('not_found', `unknown input table '${name}'`));
    const denied = checkPermission(input, actor, 'read');
    if (denied) return sendFailure(c, apiError('forbidden', denied.message));
    if (!input.linksTo) return c.json({ source: null, link: {}, columns: [], rows: [], next_cursor: null });
    const parsedLimit = limitParam(MAX_CONTEXT_LIMIT, 'context rows per page').safeParse(c.req.query('limit'));
    if (!parsedLimit.success)
      return sendFailure(c, apiError('bad_request', `limit must be a whole number from 1 to ${MAX_CONTEXT_LIMIT}`, [{ column: 'limit', message: 'out of range' }]));
    const limit = parsedLimit.data ?? DEFAULT_CONTEXT_LIMIT;
    const cursor = c.req.query('cursor');
    const offset = cursor === undefined ? 0 : decodeCursor(cursor);
    if (offset === undefined) return sendFailure(c, apiError('bad_request', 'invalid cursor', [{ column: 'cursor', message: 'not a cursor returned by this endpoint' }]));
    const names = sqlNames(wb.project, options.targetName ?? wb.project.defaultTarget, wb.adapter.dialect);
    const query = contextSql(input, actor, names, { limit, offset });
    if (!query.ok) return sendFailure(c, apiError('forbidden', query.message));
    const rows = await queryAside(wb.adapter, query.sql, query.params);
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    return c.json({
      source: `${input.linksTo.source}.${input.linksTo.table}`,
      link: input.linksTo.on,
      columns: page[0] ? Object.keys(page[0]) : [],
      rows: page,
      next_cursor: more ? encodeCursor(offset + limit) : null,
    });
  });

  app.get('/api/v1/inputs/:table/columns/:column/values', ensureActor, sourceValuesRoute(wb, options.targetName, (sql, params) => queryAside(wb.adapter, sql, params)));

  return app;
}
