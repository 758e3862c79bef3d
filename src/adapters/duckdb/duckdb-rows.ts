import { DuckDBTypeId, type DuckDBMaterializedResult, type DuckDBType, type DuckDBValue, type DuckDBValueConverter, type JS } from '@duckdb/node-api';
import type { ColumnarResult, Row } from '../adapter.js';

/**
 * The rows of a materialized result as objects, each value passed through `convert` — the same
 * values as `DuckDBResultReader.convertRowObjects(convert)`, read column by column: the column's
 * vector and type are looked up once per chunk instead of once per value, and text, boolean and
 * 32-bit-or-smaller numbers skip the converter (for converters that, like the JS one, return those
 * values unchanged).
 */
export function rowObjects(result: DuckDBMaterializedResult, convert: DuckDBValueConverter<JS>): Row[] {
  const names = result.deduplicatedColumnNames();
  const rows: Row[] = [];
  for (let k = 0; k < result.chunkCount; k++) {
    const chunk = result.getChunk(k);
    const count = chunk.rowCount;
    const base = rows.length;
    for (let r = 0; r < count; r++) rows.push({});
    for (let c = 0; c < names.length; c++) {
      const name = names[c]!;
      const vector = chunk.getColumnVector(c);
      const type = vector.type;
      if (passesThrough(type)) {
        for (let r = 0; r < count; r++) rows[base + r]![name] = vector.getItem(r);
      } else {
        for (let r = 0; r < count; r++) {
          const v: DuckDBValue = vector.getItem(r);
          rows[base + r]![name] = v === null ? null : convert(v, type, convert);
        }
      }
    }
  }
  return rows;
}

/** The same values as {@link rowObjects}, as one array per column (no object per row). */
export function columnArrays(result: DuckDBMaterializedResult, convert: DuckDBValueConverter<JS>): ColumnarResult {
  const names = result.deduplicatedColumnNames();
  const columns: unknown[][] = names.map(() => []);
  let count = 0;
  for (let k = 0; k < result.chunkCount; k++) {
    const chunk = result.getChunk(k);
    const n = chunk.rowCount;
    for (let c = 0; c < names.length; c++) {
      const out = columns[c]!;
      const vector = chunk.getColumnVector(c);
      const type = vector.type;
      if (passesThrough(type)) {
        for (let r = 0; r < n; r++) out.push(vector.getItem(r));
      } else {
        for (let r = 0; r < n; r++) {
          const v: DuckDBValue = vector.getItem(r);
          out.push(v === null ? null : convert(v, type, convert));
        }
      }
    }
    count += n;
  }
  return { count, names, columns };
}

/** Types whose DuckDB value is already the JS value the converter returns (`String`, `Boolean`, `Number` of themselves). */
function passesThrough(type: DuckDBType): boolean {
  switch (type.typeId) {
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.BOOLEAN:
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return true;
    default:
      return false;
  }
}
