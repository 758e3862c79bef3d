import type { SqlValue } from '../adapters/adapter.js';
import { checkPermission } from '../auth/permissions.js';
import { onInputRows, rowScope } from '../auth/row-filter.js';
import { isoInstantMs, valueChecker } from '../rules/column-rules.js';
import { scenarioRowsSql } from './state-relation.js';
import { planningRelationSql } from './planning-relation.js';
import { readableScenario } from './scenario-registry.js';
import type { ReadOptions, ReadResult, StateRow } from './types.js';
import { canonicalFromDb, isoFromDb, numberFromDb, wireFromDb } from '../rules/wire-values.js';
import type { WriteContext } from './write-context.js';
import { failure } from '../rules/outcome.js';

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

/** Rows of one scenario of an input table, current or as of a time, filtered by the actor's row filters, keyset-paginated. */
export async function readRows(ctx: WriteContext, tableName: string, opts: ReadOptions = {}): Promise<ReadResult> {
  const input = Object.hasOwn(ctx.project.inputs, tableName) ? ctx.project.inputs[tableName] : undefined;
  if (!input) return failure('not_found', `unknown input table '${tableName}'`);
  const denied = checkPermission(input, opts.actor, 'read');
  if (denied) return { ok: false, error: denied };
  const scenario = opts.scenario ?? 'base';
  if (scenario !== 'base' && !input.scenarios) return failure('bad_request', `${input.name} has no scenarios`, [{ column: 'scenario', message: `${input.name} has only 'base'` }]);
  const asOf = parseTime(opts.asOf);
  if (asOf === null) return failure('bad_request', `as_of '${String(opts.asOf)}' is not an ISO 8601 timestamp`, [{ column: 'as_of', message: 'not an ISO 8601 timestamp' }]);
  const limit = opts.limit ?? READ_LIMITS.default;
  if (!Number.isInteger(limit) || limit < 1 || limit > READ_LIMITS.max)
    return failure('bad_request', `limit must be an integer from 1 to ${READ_LIMITS.max}`, [{ column: 'limit', message: `${String(limit)} is not an integer from 1 to ${READ_LIMITS.max}` }]);
  if (opts.template && !input.planning) return failure('bad_request', `${input.name} declares no planning: template rows`, [{ column: 'template', message: `${input.name} has no \`planning:\`` }]);
  const known = await readableScenario(ctx.reader, ctx.names, scenario);
  if (!known.ok) return known;

  const d = ctx.names.dialect;
  const q = (c: string) => d.quoteIdent(c);
  const params: SqlValue[] = [];
  const chain = known.chain;
  const from = opts.template ? planningRelationSql(ctx.names, input, chain, opts.actor, params, asOf) : scenarioRowsSql(ctx.names, input, chain, params, asOf);
  const where = rowScope(input, opts.actor).where(d, params, onInputRows(input, ctx.names, 'v')) ?? ['1 = 0'];
  for (const [name, value] of Object.entries(opts.filter ?? {})) {
    const col = input.columns.find((c) => c.name === name);
    if (!col) return failure('bad_request', `unknown column '${name}' in filter`, [{ column: name, message: 'unknown column' }]);
    if (value === null) {
      where.push(`v.${q(name)} is null`);
      continue;
    }
    const checked = valueChecker({ ...col, min: undefined, max: undefined, pattern: undefined, maxLength: undefined, allowedValues: undefined })(value);
    if (!checked.ok) return failure('bad_request', `filter on ${name}: ${checked.message}`, [{ column: name, message: checked.message }]);
    params.push(checked.value);
    where.push(`v.${q(name)} = cast(${d.param(params.length)} as ${d.columnType(col.type)})`);
  }
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
  const rows: StateRow[] = page.map((r) => {
    const out: StateRow = {};
    for (const c of input.columns) out[c.name] = wireFromDb(c.type, r[c.name]);
    out._scenario = String(r._scenario);
    out._version = numberFromDb(r._version);
    out._updated_by = r._updated_by === null || r._updated_by === undefined ? null : String(r._updated_by);
    out._updated_at = r._updated_at === null || r._updated_at === undefined ? null : isoFromDb(r._updated_at);
    if (opts.template) out._template = r._template === true;
    return out;
  });
  const last = page[page.length - 1];
  const nextCursor = found.length > limit && last ? encodeCursor(keyCols.map((c) => canonicalFromDb(c.type, last[c.name]))) : null;
  return { ok: true, rows, nextCursor };
}
