import type { ColumnType } from '../ir/types.js';

/** A system column type: portable, never VARIANT/JSON (JSON is stored as text); each dialect maps it (re-exported by dialect.ts). */
export type SystemType = 'string' | 'integer' | 'bigint' | 'boolean' | 'timestamp';

/** A plain bound value. Decimals travel as strings, timestamps as Date, big integers as bigint. */
export type PlainSqlValue = string | number | bigint | boolean | Date | null;

/** The portable type of the column a parameter binds to (a user column's type, or a system type). */
export type ParamType = ColumnType | { kind: 'system'; type: SystemType };

/**
 * A value with the type of the column it binds to. Warehouses whose parameters carry a type
 * (BigQuery) bind it as that type — a NULL for an INT64 column, a whole number for a FLOAT64
 * column, a decimal string for a NUMERIC column; the others bind `value` as they would bind it
 * plain. Use it wherever a value that can be NULL or a number goes into a column without a cast.
 */
export class TypedValue {
  constructor(
    readonly type: ParamType,
    readonly value: PlainSqlValue,
  ) {}
}

/** A bound parameter value (the dialect writes its placeholder, an adapter binds it). */
export type SqlValue = PlainSqlValue | TypedValue;

/** `value` typed as a column of `type` (see {@link TypedValue}). */
export function typed(type: ParamType, value: PlainSqlValue): TypedValue {
  return new TypedValue(type, value);
}

/** The value to bind, without its declared type (for warehouses whose parameters carry none). */
export function plainValue(v: SqlValue): PlainSqlValue {
  return v instanceof TypedValue ? v.value : v;
}
