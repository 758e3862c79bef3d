import type { SqlValue } from '../adapters/adapter.js';
import type { ColumnType, InputTable } from '../ir/types.js';
import { failure, type Outcome } from '../rules/outcome.js';
import { wireFromDb, type WireValue } from '../rules/wire-values.js';
import { checkLimit, openRowsRead, rowConditions, stateRowFromDb } from './read-rows.js';
import { planningRelationSql } from './planning-relation.js';
import { scenarioRowsSql } from './state-relation.js';
import type { ReadOptions, StateRow } from './types.js';
import type { WriteContext } from './write-context.js';

/** One sort term of a grid read. */
export interface GridSort {
  /** A column of the table, `_updated_at` or `_updated_by`. */
  column: string;
  dir: 'asc' | 'desc';
}

/** Options of `inputs.grid`: one page of the rows a grid shows, searched, sorted and counted on the warehouse. */
export interface GridReadOptions extends Pick<ReadOptions, 'scenario' | 'asOf' | 'filter' | 'actor' | 'template'> {
  /** Case-insensitive substring of a key or input column's text, or of `_updated_by` (bound, never SQL). */
  search?: string;
  /** Sort terms, first first; the key columns follow as tie-breakers, so pages are stable. Default: by key. */
  sort?: GridSort[];
  /** Rows (or, with `groupBy`, groups) skipped; default 0. */
  offset?: number;
  /** Rows (or groups) per page; default 1000, at most 10000 (READ_LIMITS). */
  limit?: number;
  /** Page over the distinct values of these columns instead of rows: every row of the groups on the page is returned. */
  groupBy?: string[];
}

/** A page of a grid read with the counts and sums over every matching row. */
export type GridReadResult = Outcome<{
  rows: StateRow[];
  /** Rows matching the row filter, the filters and the search (in the scenario). */
  total: number;
  /** Sum of each numeric input column over every matching row (null when no row has a value). */
  totals: Record<string, WireValue>;
  /** Distinct groups matching, with `groupBy`. */
  totalGroups?: number;
  /** In a scenario other than `base`: the parent scenario's rows of the keys on the page (what the scenario overrides is told apart by them). */
  parentRows?: StateRow[];
}>;

const SYSTEM_SORTS = ['_updated_at', '_updated_by'];

/** Column types summed in `totals`. */
export function isSummable(type: ColumnType): boolean {
  return type.kind === 'integer' || type.kind === 'decimal' || type.kind === 'number';
}

/**
 * The relation a grid reads, with user columns + `_scenario`, `_version`, `_updated_by`,
 * `_updated_at`: the scenario's visible rows (falling back along `chain`), and with `template` the
 * table's template rows too (`planningRelationSql`, with `_template`). Every grid read goes through here.
 */
export function gridRelationSql(ctx: WriteContext, input: InputTable, chain: readonly string[], params: SqlValue[], asOf: Date | undefined, template?: { actor: GridReadOptions['actor'] }): string {
  return template ? planningRelationSql(ctx.names, input, chain, template.actor, params, asOf) : scenarioRowsSql(ctx.names, input, chain, params, asOf);
}

function checkOptions(input: InputTable, opts: GridReadOptions): Outcome<{ offset: number; limit: number; sort: GridSort[]; groupBy: string[] }> {
  const limit = checkLimit(opts.limit);
  if (!limit.ok) return limit;
  const offset = opts.offset ?? 0;
  if (!Number.isSafeInteger(offset) || offset < 0)
    return failure('bad_request', 'offset must be a whole number from 0', [{ column: 'offset', message: `${String(offset)} is not a whole number from 0` }]);
  const known = (c: string) => input.columns.some((x) => x.name === c);
  const sort = opts.sort ?? [];
  for (const s of sort) {
    if (!known(s.column) && !SYSTEM_SORTS.includes(s.column))
      return failure('bad_request', `cannot sort by '${s.column}': not a column of ${input.name}`, [{ column: 'sort', message: `'${s.column}' is not a column of ${input.name} (nor _updated_at, _updated_by)` }]);
    if (s.dir !== 'asc' && s.dir !== 'desc')
      return failure('bad_request', `sort direction of '${s.column}' must be asc or desc`, [{ column: 'sort', message: `'${String(s.dir)}' is not asc or desc` }]);
  }
  const groupBy = opts.groupBy ?? [];
  for (const g of groupBy)
    if (!known(g)) return failure('bad_request', `cannot group by '${g}': not a column of ${input.name}`, [{ column: 'group_by', message: `'${g}' is not a column of ${input.name}` }]);
  if (new Set(groupBy).size !== groupBy.length) return failure('bad_request', 'group_by names a column twice', [{ column: 'group_by', message: 'each column once' }]);
  return { ok: true, offset, limit: limit.limit, sort, groupBy };
}

/**
 * One page of an input table's rows for a grid: the caller's row filter, equality filters and a
 * search, sorted (key columns break ties), offset-paged — over rows, or over distinct groups of
 * `groupBy` columns — with the count and the numeric input columns' sums over every matching row.
 */
export async function readGrid(ctx: WriteContext, tableName: string, opts: GridReadOptions = {}): Promise<GridReadResult> {
  const opened = await openRowsRead(ctx, tableName, opts);
  if (!opened.ok) return opened;
  const { input, chain, asOf } = opened;
  const checked = checkOptions(input, opts);
  if (!checked.ok) return checked;
  const { offset, limit, sort, groupBy } = checked;

  const d = ctx.names.dialect;
  const q = (c: string) => d.quoteIdent(c);
  const params: SqlValue[] = [];
  const template = opts.template ? { actor: opts.actor } : undefined;
  const from = gridRelationSql(ctx, input, chain, params, asOf, template);
  const conditions = rowConditions(ctx, input, opts.actor, opts.filter, params);
  if (!conditions.ok) return conditions;
  const where = conditions.where;
  const search = opts.search?.trim().toLowerCase();
  if (search) {
    params.push(search);
    const needle = d.param(params.length);
    const text = d.columnType({ kind: 'string' });
    const hay = [...input.columns.map((c) => c.name), '_updated_by'].map((c) => `coalesce(${d.strContains(`lower(cast(v.${q(c)} as ${text}))`, needle)}, false)`);
    where.push(`(${hay.join(' or ')})`);
  }
  const matching = `select * from ${from} v${where.length > 0 ? ` where ${where.join(' and ')}` : ''}`;

  const summed = input.columns.filter((c) => !input.key.includes(c.name) && isSummable(c.type));
  const aggregates = [`count(*) as ${q('_wb_total')}`, ...summed.map((c, i) => `sum(m.${q(c.name)}) as ${q(`_wb_sum_${i}`)}`)];
  const [agg] = await ctx.reader.query(`with m as (${matching}) select ${aggregates.join(', ')} from m`, params);
  const total = Number(agg?._wb_total ?? 0);
  const totals: Record<string, WireValue> = {};
  summed.forEach((c, i) => {
    const v = agg?.[`_wb_sum_${i}`];
    totals[c.name] = v === null || v === undefined ? null : wireFromDb(c.type, v);
  });

  const pageParams = [...params];
  const order = (alias: string, terms: GridSort[]) => {
    const seen = new Set<string>();
    const out: string[] = [];
    for (const t of [...terms, ...input.key.map((k) => ({ column: k, dir: 'asc' as const }))]) {
      if (seen.has(t.column)) continue;
      seen.add(t.column);
      out.push(`${alias}.${q(t.column)} ${t.dir}`);
    }
    return out.join(', ');
  };
  const withParent = async (rows: StateRow[]) => (chain.length > 1 && rows.length > 0 ? { parentRows: await parentRowsOf(ctx, input, chain.slice(1), asOf, opts.actor, rows) } : {});
  if (groupBy.length === 0) {
    const found = await ctx.reader.query(`${matching} order by ${order('v', sort)} ${d.limitClause(pageParams, limit, offset)}`, pageParams);
    const rows = found.map((r) => stateRowFromDb(input, r, opts.template));
    return { ok: true, rows, total, totals, ...(await withParent(rows)) };
  }
  const groupOrder = groupBy.map((g) => `g.${q(g)} ${sort.find((s) => s.column === g)?.dir ?? 'asc'}`).join(', ');
  const groupCols = groupBy.map((g) => q(g)).join(', ');
  const [counted] = await ctx.reader.query(`with m as (${matching}) select count(*) as ${q('_wb_groups')} from (select distinct ${groupCols} from m) g`, params);
  const join = groupBy.map((g) => `m.${q(g)} is not distinct from p.${q(g)}`).join(' and ');
  const pageOf = `select g.* from (select distinct ${groupCols} from m) g order by ${groupOrder} ${d.limitClause(pageParams, limit, offset)}`;
  const rowOrder = [...groupBy.map((g) => `m.${q(g)} ${sort.find((s) => s.column === g)?.dir ?? 'asc'}`), order('m', sort)].join(', ');
  const found = await ctx.reader.query(`with m as (${matching}), p as (${pageOf}) select m.* from m join p on ${join} order by ${rowOrder}`, pageParams);
  const rows = found.map((r) => stateRowFromDb(input, r, opts.template));
  return { ok: true, rows, total, totals, totalGroups: Number(counted?._wb_groups ?? 0), ...(await withParent(rows)) };
}

/** The rows of `keysOf`'s keys in the scenario `chain` (a parent's chain), under the same row filter. */
async function parentRowsOf(ctx: WriteContext, input: InputTable, chain: readonly string[], asOf: Date | undefined, actor: GridReadOptions['actor'], keysOf: StateRow[]): Promise<StateRow[]> {
  const d = ctx.names.dialect;
  const params: SqlValue[] = [];
  const from = gridRelationSql(ctx, input, chain, params, asOf);
  const scoped = rowConditions(ctx, input, actor, undefined, params);
  const where = scoped.ok ? scoped.where : ['1 = 0'];
  const keyCols = input.key.map((k) => input.columns.find((c) => c.name === k)!);
  const ors = keysOf.map((r) => {
    const ands = keyCols.map((c) => {
      params.push(r[c.name] as SqlValue);
      return `v.${d.quoteIdent(c.name)} = cast(${d.param(params.length)} as ${d.columnType(c.type)})`;
    });
    return `(${ands.join(' and ')})`;
  });
  where.push(`(${ors.join(' or ')})`);
  // ordered by key: an unordered answer would follow the physical layout, which rows the caller cannot see shape
  const order = keyCols.map((c) => `v.${d.quoteIdent(c.name)}`).join(', ');
  const found = await ctx.reader.query(`select * from ${from} v where ${where.join(' and ')} order by ${order}`, params);
  return found.map((r) => stateRowFromDb(input, r));
}
