import { canReadQuery, type Adapter, type Row } from '../adapters/adapter.js';
import { failure, type Outcome } from '../rules/outcome.js';

/** Bounds of `wb.query`'s `limit` (rows returned; the statement itself is not rewritten). */
export const QUERY_LIMITS = { default: 100, max: 100_000 } as const;

/** Options of `wb.query`. */
export interface QueryOptions {
  /** Return at most this many rows (default 100, at most 100,000); `truncated` says when there were more. */
  limit?: number;
}

/** What `wb.query` answers. */
export type QueryResult = Outcome<{
  /** Result columns in order (duplicate names made unique), with the warehouse's type names. */
  columns: { name: string; type: string }[];
  /** The first `limit` rows, wire-shaped (decimals as strings, timestamps as ISO strings once serialized). */
  rows: Row[];
  /** Rows the statement produced in all. */
  row_count: number;
  /** True when `row_count` exceeds the rows returned. */
  truncated: boolean;
}>;

/**
 * Run one read-only SQL statement for an administrator (the CLI's `writeback query`): the
 * warehouse's own parser decides that it is a read, and it runs in a transaction that is rolled
 * back. It reads whatever the connection may read, without row filters — never offer it to
 * signed-in users. A statement that is not a read, or that the warehouse rejects, is `bad_request`
 * with the warehouse's message.
 */
export async function readQuery(adapter: Adapter, sql: string, opts: QueryOptions = {}): Promise<QueryResult> {
  const limit = opts.limit ?? QUERY_LIMITS.default;
  if (!Number.isInteger(limit) || limit < 1 || limit > QUERY_LIMITS.max) {
    return failure('bad_request', `limit must be a whole number from 1 to ${QUERY_LIMITS.max}, got ${limit}`, [{ column: 'limit', message: `1 to ${QUERY_LIMITS.max}` }]);
  }
  if (!canReadQuery(adapter)) {
    return failure('bad_request', `ad-hoc queries run on DuckDB targets only; read a ${adapter.dialect.name} warehouse with its own client (every process may connect to it)`);
  }
  const result = await adapter.readQuery(sql, limit);
  if (!result.ok) return failure('bad_request', result.message);
  return {
    ok: true,
    columns: result.columns.map((name, i) => ({ name, type: result.types[i] ?? '' })),
    rows: result.rows,
    row_count: result.rowCount,
    truncated: result.rowCount > result.rows.length,
  };
}
