import type { BulkColumn, BulkKind, BulkRows, BulkTarget, BulkValue } from '../adapter.js';
import type { Dialect } from '../../dialects/dialect.js';

/**
 * Most values one array-bound statement carries, and the driver's `arrayBindingThreshold`. Above
 * its threshold snowflake-sdk stages the values instead (CREATE TEMPORARY STAGE, PUT, then the
 * INSERT reads the stage): that CREATE is DDL, which commits the open transaction, and a failed
 * PUT silently falls back to inline binds. Chunks never exceed it, so every bulk append is plain
 * INSERTs inside the caller's transaction.
 */
export const MAX_ARRAY_BINDS = 100_000;

/** Text per statement, well under the 128 MB a request may carry. */
const MAX_CHUNK_CHARS = 16 * 1024 * 1024;

/** `2026-03-31 23:59:58.123`: UTC wall-clock text, what a TIMESTAMP_NTZ column holding UTC takes. */
function utcText(d: Date): string {
  if (Number.isNaN(d.getTime())) throw new Error(`bulk append: invalid timestamp ${String(d)}`);
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * A bulk value as the text Snowflake converts to the column's type on INSERT: decimals and big
 * integers exactly as written, booleans `true`/`false`, timestamps as UTC text, NULL as null.
 * Every value is text (or null), so the SDK binds each column as TEXT whatever its first row holds.
 */
export function bulkText(kind: BulkKind, v: BulkValue): string | null {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'timestamp-ms':
      return utcText(new Date(typeof v === 'number' ? v : Number(v)));
    case 'timestamp-iso':
      return utcText(new Date(String(v)));
    case 'boolean':
      return v === true || v === 'true' ? 'true' : 'false';
    case 'double':
      return String(Number(v));
    default:
      return String(v);
  }
}

/** The INSERT of one array-bound chunk: one `?` per column, the rows arrive as an array of row arrays. */
export function bulkInsertSql(dialect: Dialect, target: BulkTarget, columns: readonly BulkColumn[]): string {
  const name = target.schema ? dialect.qualify(target.schema, target.table) : dialect.quoteIdent(target.table);
  return `insert into ${name} (${columns.map((c) => dialect.quoteIdent(c.name)).join(', ')}) values (${columns.map(() => '?').join(', ')})`;
}

/** The rows as text, in chunks of at most MAX_ARRAY_BINDS values and ~16 MB each. */
export function* bulkChunks(columns: readonly BulkColumn[], rows: BulkRows): Generator<(string | null)[][]> {
  const perChunk = Math.max(1, Math.floor(MAX_ARRAY_BINDS / columns.length));
  let chunk: (string | null)[][] = [];
  let chars = 0;
  for (let r = 0; r < rows.count; r++) {
    const row = columns.map((c, i) => bulkText(c.kind, rows.value(r, i)));
    for (const v of row) chars += (v?.length ?? 0) + 8;
    chunk.push(row);
    if (chunk.length >= perChunk || chars >= MAX_CHUNK_CHARS) {
      yield chunk;
      chunk = [];
      chars = 0;
    }
  }
  if (chunk.length > 0) yield chunk;
}
