import type { Dialect } from '../../dialects/dialect.js';
import { type PlainSqlValue, type SqlValue, TypedValue } from '../../dialects/sql-value.js';
import type { BigQueryParamType } from './bigquery-client.js';

/** A column type as a parameter type: `NUMERIC(18, 2)` → `NUMERIC` (parameters take no precision). */
export function paramTypeOfSqlType(sqlType: string): string {
  return sqlType.replace(/\s*\(.*\)\s*$/, '').toUpperCase();
}

/** A value as the client sends it for a parameter of `type`: INT64 as number or text, NUMERIC as text, TIMESTAMP as ISO text. */
export function valueForType(type: string, v: PlainSqlValue): unknown {
  if (v === null) return null;
  if (v instanceof Date) return type === 'DATE' ? v.toISOString().slice(0, 10) : v.toISOString();
  switch (type) {
    case 'INT64':
      return typeof v === 'bigint' || typeof v === 'boolean' ? String(v) : v;
    case 'FLOAT64':
      return typeof v === 'string' ? Number(v) : typeof v === 'bigint' ? Number(v) : v;
    case 'NUMERIC':
    case 'BIGNUMERIC':
      return String(v);
    case 'BOOL':
      return typeof v === 'boolean' ? v : v === 'true';
    case 'TIMESTAMP':
      return typeof v === 'number' ? new Date(v).toISOString() : String(v);
    default:
      return String(v);
  }
}

/** The type a plain value (no declared column type) is sent as. */
function plainType(v: PlainSqlValue): string {
  if (v === null || typeof v === 'string') return 'STRING'; // an untyped NULL is only right inside a cast or for a STRING column
  if (typeof v === 'bigint') return 'INT64';
  if (typeof v === 'number') return Number.isInteger(v) ? 'INT64' : 'FLOAT64';
  if (typeof v === 'boolean') return 'BOOL';
  return 'TIMESTAMP';
}

/**
 * Named parameters (`@p1` … as the dialect writes them) with a declared type each. A
 * {@link TypedValue} is typed from its column (so a NULL bound to an INT64 or TIMESTAMP column is
 * an INT64 or TIMESTAMP NULL, a whole number bound to a FLOAT64 column is a FLOAT64, a decimal
 * string bound to a NUMERIC column is a NUMERIC); a plain value from its JS type.
 */
export function bigqueryParams(params: SqlValue[], dialect: Dialect): { values: Record<string, unknown>; types: Record<string, BigQueryParamType> } {
  const values: Record<string, unknown> = {};
  const types: Record<string, BigQueryParamType> = {};
  params.forEach((p, i) => {
    const name = `p${i + 1}`;
    const type = p instanceof TypedValue ? paramTypeOfSqlType(dialect.columnType(p.type)) : plainType(p);
    values[name] = valueForType(type, p instanceof TypedValue ? p.value : p);
    types[name] = type;
  });
  return { values, types };
}
