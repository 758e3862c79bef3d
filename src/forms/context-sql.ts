import type { SqlValue } from '../adapters/adapter.js';
import type { InputTable } from '../ir/types.js';
import type { SqlNames } from '../managed/sql-names.js';
import type { Actor } from '../auth/actor.js';
import { onSourceRows, rowScope } from '../auth/row-filter.js';

/** The select of a context read, or why the caller's row filter cannot be placed on the source. */
export type ContextSql = { ok: true; sql: string; params: SqlValue[] } | { ok: false; message: string };

/**
 * Rows of the source an input table links to, restricted by the caller's row filters (a filter on
 * a source column applies as it is; a filter on an input key column applies to the source column
 * it links to; any other filter cannot be placed, so nothing is read). Ordered by the link columns.
 */
export function contextSql(input: InputTable, actor: Actor, names: SqlNames, page: { limit: number; offset: number }): ContextSql {
  const link = input.linksTo;
  if (!link) return { ok: false, message: `${input.name} links to no source` };
  const d = names.dialect;
  const params: SqlValue[] = [];
  const where = rowScope(input, actor).where(d, params, onSourceRows(input, d, 's'));
  if (!where) return { ok: false, message: `the row filter of ${input.name} cannot be applied to ${link.source}.${link.table}` };
  const order = Object.values(link.on).map((c) => `s.${d.quoteIdent(c)}`).join(', ');
  params.push(page.limit + 1, page.offset);
  const sql =
    `select s.* from ${names.source(link.source, link.table)} s` +
    (where.length > 0 ? ` where ${where.join(' and ')}` : '') +
    ` order by ${order} limit ${d.param(params.length - 1)} offset ${d.param(params.length)}`;
  return { ok: true, sql, params };
}
