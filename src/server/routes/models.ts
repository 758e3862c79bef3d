import { byScenarioViewName } from '../../managed/names.js';
import { Hono, type Context } from 'hono';
import { canStream, type Adapter, type Row, type SqlValue } from '../../adapters/adapter.js';
import type { ServerVariables } from '../context.js';
import type { ServerLibrary } from '../library.js';
import type { ServerLogger } from '../logger.js';
import { apiError, fromWriteError, type ApiFailure } from '../api-error.js';
import { checkScenarioName } from '../../workflow/scenario-store.js';
import { parseQuery, sendFailure } from '../parse-request.js';
import { ModelRowsQuerySchema } from '../wire-schemas.js';
import { decodeCursor, encodeCursor, modelScope, modelSelectSql } from '../model-read.js';
import { streamRows, toJson, type StreamFormat } from '../stream-rows.js';

/** Run a small query on a connection of its own when the adapter has them (never inside a writer's transaction). */
async function queryAside(adapter: Adapter, sql: string, params: SqlValue[]): Promise<Row[]> {
  if (!canStream(adapter)) return adapter.query(sql, params);
  const stream = await adapter.stream(sql, params);
  const rows: Row[] = [];
  for await (const chunk of stream.chunks()) rows.push(...chunk);
  return rows;
}

/** Column names of a view, or undefined when it does not exist. */
async function viewColumns(adapter: Adapter, schema: string, name: string): Promise<string[] | undefined> {
  const d = adapter.dialect;
  const rows = await queryAside(
    adapter,
    // The catalog filter matters: the snapshot publisher attaches a second database now and then.
    `select column_name from information_schema.columns
      where table_catalog = current_database() and table_schema = ${d.param(1)} and table_name = ${d.param(2)}
      order by ordinal_position`,
    [schema, name],
  );
  return rows.length === 0 ? undefined : rows.map((r) => String(r.column_name));
}

/**
 * Why a model read may not name this scenario, or undefined: an invalid name is 400, a valid name
 * never recorded 404 (as for input reads), an archived one 400 (`__by_scenario` views hide it).
 */
async function scenarioProblem(wb: ServerLibrary, scenario: string): Promise<ApiFailure | undefined> {
  const invalid = checkScenarioName(scenario);
  if (invalid) return fromWriteError(invalid);
  if (scenario === 'base' || !wb.scenarios) return undefined;
  const info = (await wb.scenarios.list()).find((s) => s.name === scenario);
  if (!info) return apiError('not_found', `no scenario '${scenario}'`, [{ column: 'scenario', message: `no scenario '${scenario}'` }]);
  if (info.archivedAt)
    return apiError('bad_request', `scenario '${scenario}' is archived: model views show active scenarios only (its input rows stay readable under /inputs/{table}/rows)`, [
      { column: 'scenario', message: `scenario '${scenario}' is archived` },
    ]);
  return undefined;
}

function wantsCsv(c: Context, format: StreamFormat | undefined): boolean {
  if (format) return format === 'csv';
  return /\btext\/csv\b/i.test(c.req.header('accept') ?? '');
}

/** `/api/v1/models/:model/rows`: a merged view, streamed as JSON (or CSV), with the caller's row filters. */
export function modelRoutes(wb: ServerLibrary, logger: ServerLogger) {
  const app = new Hono<{ Variables: ServerVariables }>();

  app.get('/:model/rows', async (c) => {
    const q = parseQuery(c, ModelRowsQuerySchema);
    if (!q.ok) return sendFailure(c, q.failure);
    const { scenario, limit, cursor, format } = q.value.query;
    const name = c.req.param('model');
    const model = wb.project.models.find((m) => m.name === name);
    if (!model) return sendFailure(c, apiError('not_found', `unknown model '${name}'`));
    if (scenario !== undefined) {
      const problem = await scenarioProblem(wb, scenario);
      if (problem) return sendFailure(c, problem);
    }
    const offset = cursor === undefined ? 0 : decodeCursor(cursor);
    if (offset === undefined) return sendFailure(c, apiError('bad_request', 'invalid cursor', [{ column: 'cursor', message: 'not a cursor returned by this endpoint' }]));

    const byScenario = scenario !== undefined && scenario !== 'base';
    const schema = wb.project.schemas.views;
    const viewName = byScenario ? byScenarioViewName(model.name) : model.name;
    const columns = await viewColumns(wb.adapter, schema, viewName);
    if (!columns) {
      return sendFailure(
        c,
        byScenario
          ? apiError('bad_request', `model '${model.name}' has no scenarios (no view ${schema}.${viewName})`)
          : apiError('not_found', `model '${model.name}' is declared but not applied yet (run \`writeback apply\`)`),
      );
    }
    const d = wb.adapter.dialect;
    const bound: SqlValue[] = [];
    const allowed = modelScope(wb.project, model, c.get('actor'), columns, d, 'm', bound);
    if (!allowed.ok) return sendFailure(c, allowed.failure);
    const where = [...allowed.where];
    if (byScenario) {
      bound.push(scenario);
      where.push(`m.${d.quoteIdent('_scenario')} = ${d.param(bound.length)}`);
    }
    const page = limit !== undefined ? { limit, offset } : offset > 0 ? { limit: Number.MAX_SAFE_INTEGER - 1, offset } : undefined;
    const { sql, params } = modelSelectSql(d, { schema, name: viewName, columns }, where, bound, page);
    const csv = wantsCsv(c, format);

    if (!canStream(wb.adapter)) {
      const rows = await wb.adapter.query(sql, params);
      const more = limit !== undefined && rows.length > limit;
      const body = { rows: more ? rows.slice(0, limit) : rows, next_cursor: more ? encodeCursor(offset + (limit ?? 0)) : null };
      return new Response(toJson(body), { headers: { 'content-type': 'application/json; charset=utf-8' } });
    }
    const stream = await wb.adapter.stream(sql, params);
    return streamRows(stream, {
      format: csv ? 'csv' : 'json',
      ...(limit !== undefined ? { limit, nextCursor: () => encodeCursor(offset + limit) } : {}),
      onError: (err) => logger.error('model stream failed', { model: model.name, error: err instanceof Error ? err.message : String(err) }),
    });
  });

  return app;
}
