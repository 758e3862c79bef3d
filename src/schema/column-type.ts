import type { ParamsOf } from '../diagnostics/diagnostic.js';
import type { ColumnType } from '../ir/types.js';

/** The type names accepted in `type:` (plus `decimal(p,s)`). */
export const COLUMN_TYPE_NAMES = ['string', 'text', 'integer', 'number', 'decimal', 'boolean', 'date', 'timestamp', 'enum'] as const;

/** The largest decimal precision every supported warehouse accepts. */
export const MAX_DECIMAL_PRECISION = 38;

/**
 * Parses a `type:` string. `decimal(p,s)` needs 1 ≤ p ≤ 38 and 0 ≤ s ≤ p; bare `decimal` is
 * `decimal(18,2)`. `enum` gets its values from the column's `values:` (filled by the caller).
 */
export function parseColumnType(text: string): { ok: true; type: ColumnType } | { ok: false; problem: ParamsOf<'unknown-type'> } {
  const t = text.trim().toLowerCase().replace(/\s+/g, '');
  switch (t) {
    case 'string':
    case 'text':
    case 'integer':
    case 'number':
    case 'boolean':
    case 'date':
    case 'timestamp':
      return { ok: true, type: { kind: t } };
    case 'enum':
      return { ok: true, type: { kind: 'enum', values: [] } };
    case 'decimal':
      return { ok: true, type: { kind: 'decimal', precision: 18, scale: 2 } };
  }
  const m = /^decimal\((\d+),(\d+)\)$/.exec(t);
  if (m) {
    const precision = Number(m[1]);
    const scale = Number(m[2]);
    if (precision < 1 || precision > MAX_DECIMAL_PRECISION) return { ok: false, problem: { type: text, problem: 'precision', precision, max: MAX_DECIMAL_PRECISION } };
    if (scale > precision) return { ok: false, problem: { type: text, problem: 'scale', precision, scale } };
    return { ok: true, type: { kind: 'decimal', precision, scale } };
  }
  if (/^decimal\(/.test(t)) return { ok: false, problem: { type: text, problem: 'decimal-syntax' } };
  return { ok: false, problem: { type: text, problem: 'unknown', allowed: COLUMN_TYPE_NAMES } };
}

/** True for types that take `min`/`max`. */
export function isOrderedType(t: ColumnType): boolean {
  return ['integer', 'number', 'decimal', 'date', 'timestamp'].includes(t.kind);
}

/** True for types that take `min`/`max` as numbers. */
export function isNumericType(t: ColumnType): boolean {
  return t.kind === 'integer' || t.kind === 'number' || t.kind === 'decimal';
}

/** True for types that take `pattern`/`max_length`/`values`. */
export function isTextType(t: ColumnType): boolean {
  return t.kind === 'string' || t.kind === 'text';
}
