import type { SqlValue } from '../adapters/adapter.js';
import { checkPermission } from '../auth/permissions.js';
import { onSourceRows, rowScope } from '../auth/row-filter.js';
import type { AllowedFromSource, InputTable } from '../ir/types.js';
import type { SqlNames } from '../managed/sql-names.js';
import type { Actor } from '../auth/actor.js';
import type { WriteContext } from '../write/write-context.js';
import { failure, type Outcome } from '../rules/outcome.js';

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
 * project and are quoted by the dialect; the filter values are bound parameters, the limit as the dialect takes it (`limitClause`).
 */
export function sourceValuesSql(input: InputTable, from: AllowedFromSource, actor: Actor | undefined, names: SqlNames, limit: number): { sql: string; params: SqlValue[] } {
  const d = names.dialect;
  const str = d.columnType({ kind: 'system', type: 'string' });
  const value = `cast(s.${d.quoteIdent(from.column)} as ${str})`;
  const params: SqlValue[] = [];
  const linked = input.linksTo?.source === from.source && input.linksTo.table === from.table;
  const scoped = linked ? (rowScope(input, actor).where(d, params, onSourceRows(input, d, 's')) ?? ['1 = 0']) : [];
  const sql =
    `select distinct ${value} as ${d.quoteIdent('value')} from ${names.source(from.source, from.table)} s` +
    ` where ${[`s.${d.quoteIdent(from.column)} is not null`, ...scoped].join(' and ')} order by 1 ${d.limitClause(params, limit + 1)}`;
  return { sql, params };
}

/** Result of `sources.values`: `<source>.<table>.<column>`, the values, and whether there were more. */
export type SourceValuesResult = Outcome<{ source: string; values: string[]; truncated: boolean }>;

/**
 * The allowed values of a column declared `values: { source, column }`: the distinct non-null
 * values of that source column, ordered, at most {@link MAX_SOURCE_VALUES}. Needs `read` on the
 * table; 404 for an unknown table or column, or a column whose values do not come from a source.
 */
export async function readSourceValues(ctx: WriteContext, table: string, column: string, actor: Actor | undefined): Promise<SourceValuesResult> {
  const input = Object.hasOwn(ctx.project.inputs, table) ? ctx.project.inputs[table] : undefined;
  if (!input) return failure('not_found', `unknown input table '${table}'`);
  const denied = checkPermission(input, actor, 'read');
  if (denied) return { ok: false, error: denied };
  const from = valuesSource(input, column);
  if (!from) return failure('not_found', `${table} has no column '${column}' whose values come from a source`);
  const query = sourceValuesSql(input, from, actor, ctx.names, MAX_SOURCE_VALUES);
  const rows = await ctx.reader.query(query.sql, query.params);
  const values = rows.slice(0, MAX_SOURCE_VALUES).map((r) => String(r['value']));
  return { ok: true, source: `${from.source}.${from.table}.${from.column}`, values, truncated: rows.length > MAX_SOURCE_VALUES };
}
