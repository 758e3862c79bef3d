import type { Context } from 'hono';
import type { Row, SqlValue } from '../adapters/adapter.js';
import type { Actor } from '../auth/actor.js';
import { checkPermission } from '../auth/permissions.js';
import { onSourceRows, rowScope } from '../auth/row-filter.js';
import type { AllowedFromSource, InputTable } from '../ir/types.js';
import { apiError } from '../server/api-error.js';
import type { ServerVariables } from '../server/context.js';
import type { ServerLibrary } from '../server/library.js';
import { sendFailure } from '../server/parse-request.js';
import { sqlNames, type SqlNames } from '../managed/sql-names.js';

/** Most values `GET /api/v1/inputs/{t}/columns/{c}/values` returns; beyond it the answer is `truncated`. */
export const MAX_SOURCE_VALUES = 5000;

/** The source a column's allowed values come from, or undefined (no such column, or fixed/no values). */
export function valuesSource(input: InputTable, column: string): AllowedFromSource | undefined {
  const allowed = input.columns.find((c) => c.name === column)?.allowedValues;
  return allowed && !Array.isArray(allowed) ? allowed : undefined;
}

/**
 * Distinct non-null values of a source column as strings, ordered, at most `limit + 1` rows (so the
 * caller can tell a truncated list). When the column comes from the very source the input links
 * to, the caller's row filter applies to it (the values are that source's rows, as the form's
 * context is); a filter that cannot be placed there reads nothing. Identifiers come from the
 * project and are quoted by the dialect; the limit and the filter values are bound parameters.
 */
export function sourceValuesSql(input: InputTable, from: AllowedFromSource, actor: Actor | undefined, names: SqlNames, limit: number): { sql: string; params: SqlValue[] } {
  const d = names.dialect;
  const str = d.columnType({ kind: 'system', type: 'string' });
  const value = `cast(s.${d.quoteIdent(from.column)} as ${str})`;
  const params: SqlValue[] = [];
  const linked = input.linksTo?.source === from.source && input.linksTo.table === from.table;
  const scoped = linked ? (rowScope(input, actor).where(d, params, onSourceRows(input, d, 's')) ?? ['1 = 0']) : [];
  params.push(limit + 1);
  const sql =
    `select distinct ${value} as ${d.quoteIdent('value')} from ${names.source(from.source, from.table)} s` +
    ` where ${[`s.${d.quoteIdent(from.column)} is not null`, ...scoped].join(' and ')} order by 1 limit ${d.param(params.length)}`;
  return { sql, params };
}

/** Runs a read for {@link sourceValuesRoute} (on a connection aside from the writer when there is one). */
export type ReadAside = (sql: string, params: SqlValue[]) => Promise<Row[]>;

/**
 * `GET /api/v1/inputs/{table}/columns/{column}/values`: `{ values, truncated }`, the distinct values
 * of the source column a column's `values: { source, column }` names. Needs `read` on the table;
 * 404 for an unknown table or column, or a column whose values do not come from a source.
 */
export function sourceValuesRoute(wb: ServerLibrary, targetName: string | undefined, read: ReadAside) {
  return async (c: Context<{ Variables: ServerVariables }>): Promise<Response> => {
    const name = c.req.param('table') ?? '';
    const column = c.req.param('column') ?? '';
    const input = Object.hasOwn(wb.project.inputs, name) ? wb.project.inputs[name] : undefined;
    if (!input) return sendFailure(c, apiError('not_found', `unknown input table '${name}'`));
    const denied = checkPermission(input, c.get('actor'), 'read');
    if (denied) return sendFailure(c, apiError('forbidden', denied.message));
    const from = valuesSource(input, column);
    if (!from) return sendFailure(c, apiError('not_found', `${name} has no column '${column}' whose values come from a source`));
    const names = sqlNames(wb.project, targetName ?? wb.project.defaultTarget, wb.adapter.dialect);
    const query = sourceValuesSql(input, from, c.get('actor'), names, MAX_SOURCE_VALUES);
    const rows = await read(query.sql, query.params);
    const values = rows.slice(0, MAX_SOURCE_VALUES).map((r) => String(r['value']));
    return c.json({ source: `${from.source}.${from.table}.${from.column}`, values, truncated: rows.length > MAX_SOURCE_VALUES });
  };
}
