import { Hono } from 'hono';
import { z } from 'zod';
import type { ServerVariables } from '../context.js';
import type { ServerLibrary } from '../library.js';
import type { ServerOptions } from '../server-options.js';
import { fromWriteError, apiError } from '../api-error.js';
import { parseJsonBody, parseQuery, sendFailure } from '../parse-request.js';
import { AdminDeleteBodySchema, AdminWriteBodySchema, HistoryQuerySchema, RowsQuerySchema } from '../wire-schemas.js';
import { runBulk, type BulkSettings } from '../write-request.js';
import { historyResponse, rowsResponse } from './inputs.js';
import { readJsonBody } from '../read-json-body.js';

const TokenCreateSchema = z.strictObject({
  user: z.string().min(1),
  role: z.string().min(1),
  attributes: z.record(z.string(), z.string()).optional(),
  created_by: z.string().min(1).optional(),
});

const VerifySchema = z.strictObject({ tables: z.array(z.string()).optional() });

/**
 * `/api/v1/admin/*`: what the CLI does through a running server (`write`, `history`, `verify`,
 * `token`, `apply`). Authenticated with the per-process credential of target/server.json; the
 * caller acts as administrator (every permission, no row filter) and names the user it records.
 */
export function adminRoutes(wb: ServerLibrary, settings: BulkSettings & { bodyLimitBytes: number }, options: ServerOptions) {
  const app = new Hono<{ Variables: ServerVariables }>();
  const limit = settings.bodyLimitBytes;

  app.post('/inputs/:table/rows', async (c) => {
    const body = await parseJsonBody(c, AdminWriteBodySchema, limit);
    if (!body.ok) return sendFailure(c, body.failure);
    const b = body.value;
    return runBulk(c, wb, { op: 'write', table: c.req.param('table'), rows: b.rows, actor: { user: b.user }, scenario: b.scenario, comment: b.comment, dryRun: b.dry_run, confirm: b.confirm }, settings);
  });

  app.post('/inputs/:table/delete', async (c) => {
    const body = await parseJsonBody(c, AdminDeleteBodySchema, limit);
    if (!body.ok) return sendFailure(c, body.failure);
    const b = body.value;
    return runBulk(c, wb, { op: 'delete', table: c.req.param('table'), rows: b.keys, actor: { user: b.user }, scenario: b.scenario, comment: b.comment, dryRun: b.dry_run, confirm: b.confirm }, settings);
  });

  app.get('/inputs/:table/rows', async (c) => {
    const q = parseQuery(c, RowsQuerySchema, 'filter');
    if (!q.ok) return sendFailure(c, q.failure);
    const { scenario, as_of, limit: pageSize, cursor } = q.value.query;
    const result = await wb.inputs.rows(c.req.param('table'), {
      ...(scenario !== undefined ? { scenario } : {}),
      ...(as_of !== undefined ? { asOf: as_of } : {}),
      ...(pageSize !== undefined ? { limit: pageSize } : {}),
      ...(cursor !== undefined ? { cursor } : {}),
      ...(Object.keys(q.value.prefixed).length > 0 ? { filter: q.value.prefixed } : {}),
    });
    return result.ok ? c.json(rowsResponse(result)) : sendFailure(c, fromWriteError(result.error));
  });

  app.get('/inputs/:table/history', async (c) => {
    const q = parseQuery(c, HistoryQuerySchema, 'key');
    if (!q.ok) return sendFailure(c, q.failure);
    const { user, since, scenario, limit: max } = q.value.query;
    const result = await wb.inputs.history(c.req.param('table'), {
      ...(Object.keys(q.value.prefixed).length > 0 ? { key: q.value.prefixed } : {}),
      ...(user !== undefined ? { user } : {}),
      ...(since !== undefined ? { since } : {}),
      ...(scenario !== undefined ? { scenario } : {}),
      ...(max !== undefined ? { limit: max } : {}),
    });
    return result.ok ? c.json(historyResponse(result)) : sendFailure(c, fromWriteError(result.error));
  });

  app.post('/verify', async (c) => {
    let tables: string[] | undefined;
    if (c.req.header('content-type')) {
      const body = await parseJsonBody(c, VerifySchema, limit);
      if (!body.ok) return sendFailure(c, body.failure);
      tables = body.value.tables;
    }
    return c.json(await wb.verify(tables ? { tables } : {}));
  });

  app.get('/tokens', async (c) => c.json({ tokens: await wb.tokens.list() }));

  app.post('/tokens', async (c) => {
    const body = await parseJsonBody(c, TokenCreateSchema, limit);
    if (!body.ok) return sendFailure(c, body.failure);
    const b = body.value;
    const result = await wb.tokens.create({
      user: b.user,
      role: b.role,
      ...(b.attributes ? { attributes: b.attributes } : {}),
      ...(b.created_by ? { createdBy: b.created_by } : {}),
    });
    return result.ok ? c.json({ token: result.token, info: result.info }, 201) : sendFailure(c, fromWriteError(result.error));
  });

  app.post('/tokens/:id/revoke', async (c) => {
    const result = await wb.tokens.revoke(c.req.param('id'));
    return result.ok ? c.json({ info: result.info }) : sendFailure(c, fromWriteError(result.error));
  });

  app.post('/apply', async (c) => {
    if (!options.apply) return sendFailure(c, apiError('not_found', 'this server does not apply project changes (run `writeback apply` after stopping it, or use `writeback dev`)'));
    const body = await readJsonBody(c.req.raw, limit);
    if (!body.ok) return sendFailure(c, body.failure);
    const result = await options.apply(body.value);
    if (result.status < 400) options.onWrite?.('*');
    return new Response(JSON.stringify(result.body), { status: result.status, headers: { 'content-type': 'application/json; charset=utf-8' } });
  });

  return app;
}
