import type { Row, SqlValue } from '../adapters/adapter.js';
import type { InputTable } from '../ir/types.js';
import { checkPermission } from '../auth/permissions.js';
import { onInputRows, rowScope } from '../auth/row-filter.js';
import { isoInstantMs, valueChecker } from '../rules/column-rules.js';
import { scenarioRowsSql } from './state-relation.js';
import { planningRelationSql } from './planning-relation.js';
import { readableScenario } from './scenario-registry.js';
import type { ReadOptions, ReadResult, StateRow } from './types.js';
import { canonicalFromDb, isoFromDb, numberFromDb, type WireValue, wireFromDb } from '../rules/wire-values.js';
import type { WriteContext } from './write-context.js';
import { failure, type Outcome } from '../rules/outcome.js';

/** Page sizes of row reads (input tables and models, library and HTTP): default 1000, at most 10000. The one source of these bounds. */
export const READ_LIMITS = { default: 1000, max: 10_000 } as const;

/**
 * Parse an as-of / since option: an ISO 8601 string — a date (UTC midnight) or a date-time with a
 * zone, on a day that exists — or a Date; undefined when absent, null when invalid.
 */
export function parseTime(value: string | Date | undefined): Date | undefined | null {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? isoInstantMs(value, { dateOnly: true }) : NaN;
  return Number.isNaN(ms) ? null : new Date(ms);
}

function encodeCursor(key: (string | null)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(cursor: string, size: number): (string | null)[] | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return Array.isArray(v) && v.length === size && v.every((x) => x === null || typeof x === 'string') ? (v as (string | null)[]) : undefined;
  } catch {
    return undefined;
  }
}

/** What every read of an input table's rows starts from: the table, the scenario chain and the as-of time, once permitted. */
export interface RowsRead {
  input: InputTable;
  chain: string[];
  asOf: Date | undefined;
}

/**
 * The checks every row read makes before SQL: the table exists, the actor may read it, the scenario
 * is readable on it (a table without scenarios has only `base`), `as_of` parses. A failure names
 * the parameter.
 */
export async function openRowsRead(ctx: WriteContext, tableName: string, opts: Pick<ReadOptions, 'actor' | 'scenario' | 'asOf' | 'template'>): Promise<Outcome<RowsRead>> {
  const input = Object.hasOwn(ctx.project.inputs, tableName) ? ctx.project.inputs[tableName] : undefined;
  if (!input) return failure('not_found', `unknown input table '${tableName}'`);
  const denied = checkPermission(input, opts.actor, 'read');
  if (denied) return { ok: false, error: denied };
  const scenario = opts.scenario ?? 'base';
  if (scenario !== 'base' && !input.scenarios) return failure('bad_request', `${input.name} has no scenarios`, [{ column: 'scenario', message: `${input.name} has only 'base'` }]);
  const asOf = parseTime(opts.asOf);
  if (asOf === null) return failure('bad_request', `as_of '${String(opts.asOf)}' is not an ISO 8601 timestamp`, [{ column: 'as_of', message: 'not an ISO 8601 timestamp' }]);
  if (opts.template && !input.planning) return failure('bad_request', `${input.name} declares no planning: template rows`, [{ column: 'template', message: `${input.name} has no \`planning:\`` }]);
  const known = await readableScenario(ctx.reader, ctx.names, scenario);
  if (!known.ok) return known;
  return { ok: true, input, chain: known.chain, asOf };
}

/** A page size option checked against READ_LIMITS (`limit` named in the failure), or the default. */
export function checkLimit(limit: number | undefined): Outcome<{ limit: number }> {
  const n = limit ?? READ_LIMITS.default;
  if (!Number.isInteger(n) || n < 1 || n > READ_LIMITS.max)
    return failure('bad_request', `limit must be an integer from 1 to ${READ_LIMITS.max}`, [{ column: 'limit', message: `${String(n)} is not an integer from 1 to ${READ_LIMITS.max}` }]);
  return { ok: true, limit: n };
}

/**
 * Values the filters of one read may list in all (each a bound parameter: with the row filter's,
 * under BigQuery's 10,000 per statement; the planner's pivot sends at most a few hundred).
 */
export const MAX_FILTER_VALUES = 5_000;

/**
 * WHERE conditions on the rows relation aliased `v`: the actor's row scope and the filters, each
 * a value or a list of them (any of them; values checked against the column's type, bound once
 * each, `null` matching a missing value). A filter on an unknown column, an empty list, a value
 * of the wrong type, or more than MAX_FILTER_VALUES values in all is `bad_request` naming the column.
 */
export function rowConditions(ctx: WriteContext, input: InputTable, actor: ReadOptions['actor'], filter: ReadOptions['filter'], params: SqlValue[]): Outcome<{ where: string[] }> {
  const d = ctx.names.dialect;
  const q = (c: string) => d.quoteIdent(c);
  const where = rowScope(input, actor).where(d, params, onInputRows(input, ctx.names, 'v')) ?? ['1 = 0'];
  let listed = 0;
  for (const [name, given] of Object.entries(filter ?? {})) {
    const col = input.columns.find((c) => c.name === name);
    if (!col) return failure('bad_request', `unknown column '${name}' in filter`, [{ column: name, message: 'unknown column' }]);
    const values: readonly WireValue[] = Array.isArray(given) ? given : [given as WireValue];
    if (values.length === 0) return failure('bad_request', `filter on ${name}: no value`, [{ column: name, message: 'no value' }]);
    listed += values.length;
    if (listed > MAX_FILTER_VALUES)
      return failure('bad_request', `filter on ${name}: more than ${MAX_FILTER_VALUES} values in all filters`, [{ column: name, message: `at most ${MAX_FILTER_VALUES} values in all filters` }]);
    const check = valueChecker({ ...col, min: undefined, max: undefined, pattern: undefined, maxLength: undefined, allowedValues: undefined });
    const bound = new Map<string, string>();
    for (const value of values) {
      if (value === null) continue;
      const checked = check(value);
      if (!checked.ok) return failure('bad_request', `filter on ${name}: ${checked.message}`, [{ column: name, message: checked.message }]);
      const canonical = String(checked.value);
      if (bound.has(canonical)) continue;
      params.push(checked.value);
      bound.set(canonical, `cast(${d.param(params.length)} as ${d.columnType(col.type)})`);
    }
    const casts = [...bound.values()];
    const alternatives = [
      ...(casts.length === 1 ? [`v.${q(name)} = ${casts[0]}`] : casts.length > 1 ? [`v.${q(name)} in (${casts.join(', ')})`] : []),
      ...(values.includes(null) ? [`v.${q(name)} is null`] : []),
    ];
    where.push(alternatives.length === 1 ? alternatives[0]! : `(${alternatives.join(' or ')})`);
  }
  return { ok: true, where };
}

/**
 * One row of the rows relation in wire shape: user columns, `_scenario`, `_version`, `_updated_by`,
 * `_updated_at` (null on a template row), and `_template` when template rows were asked for.
 */
export function stateRowFromDb(input: InputTable, r: Row, template = false): StateRow {
  const out: StateRow = {};
  for (const c of input.columns) out[c.name] = wireFromDb(c.type, r[c.name]);
  out._scenario = String(r._scenario);
  out._version = numberFromDb(r._version);
  out._updated_by = r._updated_by === null || r._updated_by === undefined ? null : String(r._updated_by);
  out._updated_at = r._updated_at === null || r._updated_at === undefined ? null : isoFromDb(r._updated_at);
  if (template) out._template = r._template === true;
  return out;
}

/** Rows of one scenario of an input table, current or as of a time, filtered by the actor's row filters, keyset-paginated. */
export async function readRows(ctx: WriteContext, tableName: string, opts: ReadOptions = {}): Promise<ReadResult> {
  const opened = await openRowsRead(ctx, tableName, opts);
  if (!opened.ok) return opened;
  const { input, chain, asOf } = opened;
  const checkedLimit = checkLimit(opts.limit);
  if (!checkedLimit.ok) return checkedLimit;
  const { limit } = checkedLimit;

  const d = ctx.names.dialect;
  const q = (c: string) => d.quoteIdent(c);
  const params: SqlValue[] = [];
  const from = opts.template ? planningRelationSql(ctx.names, input, chain, opts.actor, params, asOf) : scenarioRowsSql(ctx.names, input, chain, params, asOf);
  const conditions = rowConditions(ctx, input, opts.actor, opts.filter, params);
  if (!conditions.ok) return conditions;
  const { where } = conditions;
  const keyCols = input.key.map((k) => input.columns.find((c) => c.name === k)!);
  if (opts.cursor !== undefined) {
    const after = decodeCursor(opts.cursor, keyCols.length);
    if (!after) return failure('bad_request', 'invalid cursor', [{ column: 'cursor', message: 'not a cursor returned by this table and its key' }]);
    const ors: string[] = [];
    keyCols.forEach((_, i) => {
      const ands = keyCols.slice(0, i + 1).map((c, j) => {
        params.push(after[j] ?? null);
        return `v.${q(c.name)} ${j === i ? '>' : '='} cast(${d.param(params.length)} as ${d.columnType(c.type)})`;
      });
      ors.push(`(${ands.join(' and ')})`);
    });
    where.push(`(${ors.join(' or ')})`);
  }
  const sql =
    `select * from ${from} v${where.length > 0 ? ` where ${where.join(' and ')}` : ''} ` +
    `order by ${keyCols.map((c) => `v.${q(c.name)}`).join(', ')} ${d.limitClause(params, limit + 1)}`;
  const found = await ctx.reader.query(sql, params);
  const page = found.slice(0, limit);
  const rows = page.map((r) => stateRowFromDb(input, r, opts.template));
  const last = page[page.length - 1];
  const nextCursor = found.length > limit && last ? encodeCursor(keyCols.map((c) => canonicalFromDb(c.type, last[c.name]))) : null;
  return { ok: true, rows, nextCursor };
}
