import { DuckDBTypeId, type DuckDBMaterializedResult, type DuckDBType, type DuckDBValue, type DuckDBValueConverter, type JS } from '@duckdb/node-api';
import type { Row } from '../adapter.js';

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
