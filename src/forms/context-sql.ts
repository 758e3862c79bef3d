import type { SqlValue } from '../adapters/adapter.js';
import type { InputTable } from '../ir/types.js';
import type { SqlNames } from '../managed/sql-names.js';
import type { Actor } from '../auth/actor.js';
import { attributeValue, rowFilters } from '../auth/permissions.js';

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
  const str = d.columnType({ kind: 'system', type: 'string' });
  const params: SqlValue[] = [];
  const where: string[] = [];
  for (const f of rowFilters(input, actor)) {
    const column = f.onSource ? f.column : link.on[f.column];
    if (column === undefined) return { ok: false, message: `the row filter on ${input.name}.${f.column} cannot be applied to ${link.source}.${link.table}` };
    const value = attributeValue(actor, f);
    if (value === undefined) {
      where.push('1 = 0');
      continue;
    }
    params.push(value);
    where.push(`cast(s.${d.quoteIdent(column)} as ${str}) = ${d.param(params.length)}`);
  }
  const order = Object.values(link.on).map((c) => `s.${d.quoteIdent(c)}`).join(', ');
  params.push(page.limit + 1, page.offset);
  const sql =
    `select s.* from ${names.source(link.source, link.table)} s` +
    (where.length > 0 ? ` where ${where.join(' and ')}` : '') +
    ` order by ${order} limit ${d.param(params.length - 1)} offset ${d.param(params.length)}`;
  return { ok: true, sql, params };
}
