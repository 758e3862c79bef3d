import type { HttpLibrary } from '../../http/library.js';
import type { HistoryResult, ReadResult } from '../../write/types.js';
import { MAX_FILTER_VALUES } from '../../write/read-rows.js';
import { fromWriteError } from '../../http/api-error.js';
import { sendFailure } from '../../http/parse-request.js';
import { route, type Route } from '../../http/route.js';
import {
  AdminDeleteBodySchema,
  AdminWriteBodySchema,
  DeleteBodySchema,
  GridQuerySchema,
  GridResponseSchema,
  HistoryQuerySchema,
  HistoryResponseSchema,
  InputsResponseSchema,
  PendingWriteResponseSchema,
  RowsQuerySchema,
  RowsResponseSchema,
  WriteBodySchema,
  WriteResponseSchema,
} from '../../http/wire-schemas.js';
import { jsonResponse } from '../../http/to-json.js';
import { describeInput } from '../describe-input.js';
import { IDEMPOTENCY_HEADER, runBulk, WRITE_ERRORS, type BulkSettings } from '../write-request.js';

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
      user_name: e.userName,
      user_email: e.userEmail,
      at: e.at,
      request_id: e.requestId,
      comment: e.comment,
      changes: e.changes,
    })),
  };
}

const TABLE = { table: 'Input table name.' };
const FILTER = {
  prefix: 'filter',
  description: `Filter on a user column: \`filter.<column>=<value>\` (one per column; all must hold). Given more than once, the column equals any of the values (\`filter.quarter=2026-Q1&filter.quarter=2026-Q2\`; at most ${MAX_FILTER_VALUES.toLocaleString('en-US')} values in all filters).`,
  repeatable: true,
};
const KEY = { prefix: 'key', description: 'Only entries of this key: `key.<column>=<value>` (every key column, or a prefix of them).' };
const WRITTEN = {
  200: { description: 'Written (or the replayed first result, or a dry run)', json: WriteResponseSchema },
  202: { description: 'The write needs approval: it was recorded as a pending change; the state is untouched until approved', json: PendingWriteResponseSchema },
};

/**
 * `/api/v1/inputs/...` (signed-in callers; the actor comes from the token) and, with `admin`,
 * `/api/v1/admin/inputs/...` for the CLI: the caller is the administrator (every permission, no
 * row filter) and names the recorded `user` in write bodies.
 */
export function inputRoutes(wb: HttpLibrary, settings: BulkSettings, admin: boolean): Route[] {
  const base = admin ? '/api/v1/admin/inputs' : '/api/v1/inputs';
  const auth = admin ? 'admin' : 'caller';
  const tags = admin ? ['admin'] : ['inputs'];
  const id = (name: string) => (admin ? `admin${name[0]!.toUpperCase()}${name.slice(1)}` : name);
  const reader = (c: Parameters<Route['run']>[0]) => (admin ? {} : { actor: c.get('actor') });
  const routes: Route[] = [];

  if (!admin) {
    routes.push(
      route({
        method: 'get',
        path: base,
        operationId: 'listInputs',
        summary: "Input tables the caller may read, with columns, rules, key, links, approval rule, actions and the caller's permissions",
        tags,
        auth,
        responses: { 200: { description: 'OK', json: InputsResponseSchema } },
        errors: [],
        handler: (c) => {
          const actor = c.get('actor');
          return c.json({ inputs: wb.inputs.list(actor).map((t) => describeInput(t, actor)) });
        },
      }),
      route({
        method: 'get',
        path: `${base}/{table}/grid`,
        operationId: 'readGrid',
        summary: 'A page of rows for a grid: searched, sorted and offset-paged on the warehouse, with the count and numeric sums of every matching row',
        description:
          "Rows, `total` and `totals` hold the caller's row filter, the `filter.<column>` filters, `q` and the scenario. With `group_by`, `offset`/`limit` count distinct groups and `total_groups` is given. `context` carries the linked source's rows for the page.",
        tags,
        auth,
        params: TABLE,
        query: GridQuerySchema,
        prefixed: FILTER,
        responses: { 200: { description: 'OK', json: GridResponseSchema } },
        errors: ['forbidden', 'not_found'],
        handler: async (c, { query, prefixed }) => {
          const table = c.req.param('table') ?? '';
          const { scenario, as_of, q, sort, offset, limit, group_by, template } = query;
          const result = await wb.inputs.grid(table, {
            ...reader(c),
            ...(scenario !== undefined ? { scenario } : {}),
            ...(as_of !== undefined ? { asOf: as_of } : {}),
            ...(template === 'true' ? { template: true } : {}),
            ...(q !== undefined ? { search: q } : {}),
            ...(sort !== undefined ? { sort } : {}),
            ...(offset !== undefined ? { offset } : {}),
            ...(limit !== undefined ? { limit } : {}),
            ...(group_by !== undefined ? { groupBy: group_by } : {}),
            ...(Object.keys(prefixed).length > 0 ? { filter: prefixed } : {}),
          });
          if (!result.ok) return sendFailure(c, fromWriteError(result.error));
          const body = {
            rows: result.rows,
            total: result.total,
            totals: result.totals,
            ...(result.totalGroups !== undefined ? { total_groups: result.totalGroups } : {}),
            ...(result.parentRows !== undefined ? { parent_rows: result.parentRows } : {}),
          };
          const link = wb.project.inputs[table]?.linksTo;
          if (!link || result.rows.length === 0) return jsonResponse(body);
          const ctx = await wb.sources.context(table, { ...reader(c), limit: result.rows.length, keys: result.rows });
          return jsonResponse({ ...body, context: ctx.ok && ctx.source ? { source: ctx.source, link: ctx.link, rows: ctx.rows } : null });
        },
      }),
    );
  }

  routes.push(
    route({
      method: 'get',
      path: `${base}/{table}/rows`,
      operationId: id('readRows'),
      summary: 'Current (or as-of) rows of one scenario, ordered by key, keyset-paginated',
      tags,
      auth,
      params: TABLE,
      query: RowsQuerySchema,
      prefixed: FILTER,
      responses: { 200: { description: 'OK', json: RowsResponseSchema } },
      errors: ['bad_request', 'forbidden', 'not_found'],
      handler: async (c, { query, prefixed }) => {
        const { scenario, as_of, limit, cursor, template } = query;
        const result = await wb.inputs.rows(c.req.param('table') ?? '', {
          ...reader(c),
          ...(template === 'true' ? { template: true } : {}),
          ...(scenario !== undefined ? { scenario } : {}),
          ...(as_of !== undefined ? { asOf: as_of } : {}),
          ...(limit !== undefined ? { limit } : {}),
          ...(cursor !== undefined ? { cursor } : {}),
          ...(Object.keys(prefixed).length > 0 ? { filter: prefixed } : {}),
        });
        return result.ok ? c.json(rowsResponse(result)) : sendFailure(c, fromWriteError(result.error));
      },
    }),
    admin
      ? route({
          method: 'post',
          path: `${base}/{table}/rows`,
          operationId: id('writeRows'),
          summary: 'Upsert a batch of rows as the administrator, recorded as `user`, all or nothing',
          tags,
          auth,
          params: TABLE,
          headers: [IDEMPOTENCY_HEADER],
          body: AdminWriteBodySchema,
          bodyLimit: 'admin',
          responses: WRITTEN,
          errors: WRITE_ERRORS,
          handler: (c, { body: b }) =>
            runBulk(c, wb, { op: 'write', table: c.req.param('table') ?? '', rows: b.rows, actor: { user: b.user }, scenario: b.scenario, comment: b.comment, dryRun: b.dry_run, confirm: b.confirm }, settings),
        })
      : route({
          method: 'post',
          path: `${base}/{table}/rows`,
          operationId: 'writeRows',
          summary: 'Upsert a batch of rows, all or nothing',
          description: 'A batch that needs approval (the table\'s `approval` rule) is answered 202 with the pending change; nothing reaches the state until it is approved.',
          tags,
          auth,
          params: TABLE,
          headers: [IDEMPOTENCY_HEADER],
          body: WriteBodySchema,
          responses: WRITTEN,
          errors: WRITE_ERRORS,
          handler: (c, { body: b }) =>
            runBulk(c, wb, { op: 'write', table: c.req.param('table') ?? '', rows: b.rows, actor: c.get('actor'), scenario: b.scenario, comment: b.comment, dryRun: b.dry_run, confirm: b.confirm }, settings),
        }),
    admin
      ? route({
          method: 'post',
          path: `${base}/{table}/delete`,
          operationId: id('deleteRows'),
          summary: 'Delete a batch of keys as the administrator, recorded as `user`, all or nothing',
          tags,
          auth,
          params: TABLE,
          headers: [IDEMPOTENCY_HEADER],
          body: AdminDeleteBodySchema,
          bodyLimit: 'admin',
          responses: WRITTEN,
          errors: WRITE_ERRORS,
          handler: (c, { body: b }) =>
            runBulk(c, wb, { op: 'delete', table: c.req.param('table') ?? '', rows: b.keys, actor: { user: b.user }, scenario: b.scenario, comment: b.comment, dryRun: b.dry_run, confirm: b.confirm }, settings),
        })
      : route({
          method: 'post',
          path: `${base}/{table}/delete`,
          operationId: 'deleteRows',
          summary: 'Delete a batch of keys, all or nothing (logged; history stays)',
          tags,
          auth,
          params: TABLE,
          headers: [IDEMPOTENCY_HEADER],
          body: DeleteBodySchema,
          responses: WRITTEN,
          errors: WRITE_ERRORS,
          handler: (c, { body: b }) =>
            runBulk(c, wb, { op: 'delete', table: c.req.param('table') ?? '', rows: b.keys, actor: c.get('actor'), scenario: b.scenario, comment: b.comment, dryRun: b.dry_run, confirm: b.confirm }, settings),
        }),
    route({
      method: 'get',
      path: `${base}/{table}/history`,
      operationId: id('readHistory'),
      summary: 'Log entries with old → new values per changed column, oldest first',
      tags,
      auth,
      params: TABLE,
      query: HistoryQuerySchema,
      prefixed: KEY,
      responses: { 200: { description: 'OK', json: HistoryResponseSchema } },
      errors: ['forbidden', 'not_found'],
      handler: async (c, { query, prefixed }) => {
        const { user, since, scenario, limit } = query;
        const result = await wb.inputs.history(c.req.param('table') ?? '', {
          ...reader(c),
          // `key.<column>` is not repeatable: one value each (a repeat is a 400)
          ...(Object.keys(prefixed).length > 0 ? { key: prefixed as Record<string, string> } : {}),
          ...(user !== undefined ? { user } : {}),
          ...(since !== undefined ? { since } : {}),
          ...(scenario !== undefined ? { scenario } : {}),
          ...(limit !== undefined ? { limit } : {}),
        });
        return result.ok ? c.json(historyResponse(result)) : sendFailure(c, fromWriteError(result.error));
      },
    }),
  );
  return routes;
}
