import type { SqlValue } from '../adapters/adapter.js';
import type { Actor } from '../auth/actor.js';
import { checkPermission } from '../auth/permissions.js';
import { rowScope, type Placement } from '../auth/row-filter.js';
import type { InputTable } from '../ir/types.js';
import type { SqlNames } from '../managed/sql-names.js';
import { failure, type Outcome } from '../rules/outcome.js';
import { acrossValuesSql } from '../write/planning-relation.js';
import type { WriteContext } from '../write/write-context.js';

/** Most context values one read returns. */
export const PLANNING_CONTEXT_LIMIT = 20_000;

/** Context values of a planning table: one per (linked key, across value) found in the context source. */
export type PlanningContextResult = Outcome<{
  /** `<source>.<table>` of the context, or null when the table declares none. */
  source: string | null;
  label: string | null;
  /** Rows keyed by the input's column names (`context.on` input columns and the across column), each with `value` as text. */
  rows: Record<string, string | null>[];
  truncated: boolean;
}>;

/**
 * The select of the context values within `actor`'s row filter: a filter on a context-mapped input
 * column or the across column is placed on the context row; a filter on the linked source goes
 * through the link (every link column must be mapped by `context.on`); any other filter cannot be
 * placed, so nothing is read (undefined).
 */
export function planningContextSql(input: InputTable, actor: Actor | undefined, names: SqlNames): { sql: string; params: SqlValue[] } | undefined {
  const planning = input.planning;
  const ctx = planning?.context;
  if (!planning || !ctx) return undefined;
  const d = names.dialect;
  const q = (c: string) => d.quoteIdent(c);
  const str = d.columnType({ kind: 'system', type: 'string' });
  const params: SqlValue[] = [];
  const link = input.linksTo;
  const place: Placement = (f, matches) => {
    if (!f.onSource) {
      if (f.column in ctx.on) return matches(`c.${q(ctx.on[f.column]!)}`);
      return f.column === planning.across.column ? matches(`c.${q(ctx.across)}`) : undefined;
    }
    if (!link || !Object.keys(link.on).every((ic) => ic in ctx.on)) return undefined;
    const on = Object.entries(link.on)
      .map(([ic, sc]) => `cast(s.${q(sc)} as ${str}) = cast(c.${q(ctx.on[ic]!)} as ${str})`)
      .join(' and ');
    return `exists (select 1 from ${names.source(link.source, link.table)} s where ${on} and ${matches(`s.${q(f.column)}`)})`;
  };
  const where = rowScope(input, actor).where(d, params, place);
  if (!where) return undefined;
  where.push(`cast(c.${q(ctx.across)} as ${str}) in (select cast(av.${q(planning.across.column)} as ${str}) from (${acrossValuesSql(names, input, params)}) av)`);
  const cols = [
    ...Object.entries(ctx.on).map(([ic, cc]) => `cast(c.${q(cc)} as ${str}) as ${q(ic)}`),
    `cast(c.${q(ctx.across)} as ${str}) as ${q(planning.across.column)}`,
    `cast(c.${q(ctx.value)} as ${str}) as ${q('value')}`,
  ];
  const order = [...Object.keys(ctx.on), planning.across.column].map(q).join(', ');
  const sql = `select ${cols.join(', ')} from ${names.source(ctx.source, ctx.table)} c where ${where.join(' and ')} order by ${order} ${d.limitClause(params, PLANNING_CONTEXT_LIMIT + 1)}`;
  return { sql, params };
}

/** The context values of a planning table for the reader (needs `read`); empty when none is declared or the row filter cannot be placed. */
export async function readPlanningContext(ctx: WriteContext, table: string, actor: Actor | undefined): Promise<PlanningContextResult> {
  const input = Object.hasOwn(ctx.project.inputs, table) ? ctx.project.inputs[table] : undefined;
  if (!input) return failure('not_found', `unknown input table '${table}'`);
  const denied = checkPermission(input, actor, 'read');
  if (denied) return { ok: false, error: denied };
  const declared = input.planning?.context;
  const query = planningContextSql(input, actor, ctx.names);
  const source = declared ? `${declared.source}.${declared.table}` : null;
  if (!query) return { ok: true, source, label: declared?.label ?? null, rows: [], truncated: false };
  const found = await ctx.reader.query(query.sql, query.params);
  const rows = found.slice(0, PLANNING_CONTEXT_LIMIT).map((r) => {
    const out: Record<string, string | null> = {};
    for (const [k, v] of Object.entries(r)) out[k] = v === null || v === undefined ? null : String(v);
    return out;
  });
  return { ok: true, source, label: declared!.label, rows, truncated: found.length > PLANNING_CONTEXT_LIMIT };
}
