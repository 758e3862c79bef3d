import type { BulkColumn, BulkRows, BulkTarget, BulkValue } from '../adapter.js';
import type { Dialect } from '../../dialects/dialect.js';
import type { BigQueryParamType } from './bigquery-client.js';
import { paramTypeOfSqlType, valueForType } from './bigquery-params.js';

/**
 * Bytes of parameter payload per statement. BigQuery refuses a query request over 10 MB,
 * parameters included ("Quotas and limits" → Query jobs → Maximum request size, 10 MB:
 * https://cloud.google.com/bigquery/quotas#query_jobs); a chunk stays at 8 MB of estimated JSON
 * so the statement text and the request envelope fit in the rest.
 */
export const BULK_REQUEST_BYTES = 8_000_000;

/** JSON the client writes per struct field (`"c12":{"value":…},`) and per row (`{"structValues":{…}},`) beside the values. */
const FIELD_OVERHEAD = 24;
const ROW_OVERHEAD = 24;

/** One `insert … select … from unnest(@rows)` statement of a bulk append. */
export interface BulkStatement {
  sql: string;
  params: Record<string, unknown>;
  types: Record<string, BigQueryParamType>;
  rows: number;
}

/** A bulk value as its field's parameter type wants it (see BulkKind: epoch ms, 'true', integer text). */
function fieldValue(type: string, kind: BulkColumn['kind'], v: BulkValue): unknown {
  if (v === null || v === undefined) return null;
  if (kind === 'timestamp-ms') return new Date(Number(v)).toISOString();
  if (kind === 'boolean') return v === true || v === 'true';
  return valueForType(type, v);
}

/**
 * The statements that append `rows` to `target`: each one `insert into T (cols) select r.c0, …
 * from unnest(@rows) r`, one ARRAY<STRUCT<c0 …, c1 …>> parameter whose field types come from the
 * columns' warehouse types (so NULLs are typed, whole numbers of a FLOAT64 column are FLOAT64), cut
 * so that each request stays under {@link BULK_REQUEST_BYTES}. Struct fields are named by position:
 * column names could collide with the client's own keys (a field named `type` or `value`).
 */
export function* bulkStatements(dialect: Dialect, target: BulkTarget, columns: readonly BulkColumn[], rows: BulkRows, budget = BULK_REQUEST_BYTES): Generator<BulkStatement> {
  const q = (n: string) => dialect.quoteIdent(n);
  const name = target.schema ? dialect.qualify(target.schema, target.table) : q(target.table);
  const fieldTypes = columns.map((c) => paramTypeOfSqlType(c.sqlType));
  const struct: Record<string, string> = Object.fromEntries(fieldTypes.map((t, i) => [`c${i}`, t]));
  const sql =
    `insert into ${name} (${columns.map((c) => q(c.name)).join(', ')}) ` +
    `select ${columns.map((_, i) => `r.c${i}`).join(', ')} from unnest(@rows) as r`;
  let chunk: Record<string, unknown>[] = [];
  let bytes = 0;
  for (let r = 0; r < rows.count; r++) {
    const row: Record<string, unknown> = {};
    let rowBytes = ROW_OVERHEAD;
    for (let c = 0; c < columns.length; c++) {
      const v = fieldValue(fieldTypes[c]!, columns[c]!.kind, rows.value(r, c));
      row[`c${c}`] = v;
      rowBytes += FIELD_OVERHEAD + (v === null ? 4 : Buffer.byteLength(JSON.stringify(v)));
    }
    if (chunk.length > 0 && bytes + rowBytes > budget) {
      yield { sql, params: { rows: chunk }, types: { rows: [struct] }, rows: chunk.length };
      chunk = [];
      bytes = 0;
    }
    chunk.push(row);
    bytes += rowBytes;
  }
  if (chunk.length > 0) yield { sql, params: { rows: chunk }, types: { rows: [struct] }, rows: chunk.length };
}
