import { Hono } from 'hono';
import type { ServerVariables } from '../context.js';
import type { ServerLibrary } from '../library.js';
import type { HistoryResult, ReadResult } from '../../write/types.js';
import { fromWriteError } from '../api-error.js';
import { describeInput } from '../describe-input.js';
import { parseJsonBody, parseQuery, sendFailure } from '../parse-request.js';
import { DeleteBodySchema, HistoryQuerySchema, RowsQuerySchema, WriteBodySchema } from '../wire-schemas.js';
import { runBulk, type BulkSettings } from '../write-request.js';

/** The wire shape of a page of rows. */
export function rowsResponse(result: Extract<ReadResult, { ok: true }>) {
  return { rows: result.rows, next_cursor: result.nextCursor };
}

/** The wire shape of a history answer. */
export function historyResponse(result: Extract<HistoryResult, { ok: true }>) {
  return {
    entries: result.entries.map((e) => ({
      entry_id: e.entryId,
      seq: e.seq,
      op: e.op,
      scenario: e.scenario,
      key: e.key,
      version: e.version,
      user: e.user,
      at: e.at,
      request_id: e.requestId,
      comment: e.comment,
      changes: e.changes,
    })),
  };
}

/** `/api/v1/inputs/...` for signed-in callers (the actor comes from the auth middleware). */
export function inputRoutes(wb: ServerLibrary, settings: BulkSettings & { bodyLimitBytes: number }) {
  const app = new Hono<{ Variables: ServerVariables }>();

  app.get('/', (c) => {
    const actor = c.get('actor');
    return c.json({ inputs: wb.inputs.list(actor).map((t) => describeInput(t, actor)) });
  });

  app.get('/:table/rows', async (c) => {
    const q = parseQuery(c, RowsQuerySchema, 'filter');
    if (!q.ok) return sendFailure(c, q.failure);
    const { scenario, as_of, limit, cursor } = q.value.query;
    const result = await wb.inputs.rows(c.req.param('table'), {
      actor: c.get('actor'),
      ...(scenario !== undefined ? { scenario } : {}),
      ...(as_of !== undefined ? { asOf: as_of } : {}),
      ...(limit !== undefined ? { limit } : {}),
      ...(cursor !== undefined ? { cursor } : {}),
      ...(Object.keys(q.value.prefixed).length > 0 ? { filter: q.value.prefixed } : {}),
    });
    return result.ok ? c.json(rowsResponse(result)) : sendFailure(c, fromWriteError(result.error));
  });

  app.post('/:table/rows', async (c) => {
    const body = await parseJsonBody(c, WriteBodySchema, settings.bodyLimitBytes);
    if (!body.ok) return sendFailure(c, body.failure);
    const b = body.value;
    return runBulk(c, wb, { op: 'write', table: c.req.param('table'), rows: b.rows, actor: c.get('actor'), scenario: b.scenario, comment: b.comment, dryRun: b.dry_run, confirm: b.confirm }, settings);
  });

  app.post('/:table/delete', async (c) => {
    const body = await parseJsonBody(c, DeleteBodySchema, settings.bodyLimitBytes);
    if (!body.ok) return sendFailure(c, body.failure);
    const b = body.value;
    return runBulk(c, wb, { op: 'delete', table: c.req.param('table'), rows: b.keys, actor: c.get('actor'), scenario: b.scenario, comment: b.comment, dryRun: b.dry_run, confirm: b.confirm }, settings);
  });

  app.get('/:table/history', async (c) => {
    const q = parseQuery(c, HistoryQuerySchema, 'key');
    if (!q.ok) return sendFailure(c, q.failure);
    const { user, since, scenario, limit } = q.value.query;
    const result = await wb.inputs.history(c.req.param('table'), {
      actor: c.get('actor'),
      ...(Object.keys(q.value.prefixed).length > 0 ? { key: q.value.prefixed } : {}),
      ...(user !== undefined ? { user } : {}),
      ...(since !== undefined ? { since } : {}),
      ...(scenario !== undefined ? { scenario } : {}),
      ...(limit !== undefined ? { limit } : {}),
    });
    return result.ok ? c.json(historyResponse(result)) : sendFailure(c, fromWriteError(result.error));
  });

  return app;
}
