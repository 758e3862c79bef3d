import type { ColumnType } from '../ir/types.js';

/** The type names accepted in `type:` (plus `decimal(p,s)`). */
export const COLUMN_TYPE_NAMES = ['string', 'text', 'integer', 'number', 'decimal', 'boolean', 'date', 'timestamp', 'enum'] as const;

/** The largest decimal precision every supported warehouse accepts. */
export const MAX_DECIMAL_PRECISION = 38;

/**
 * Parses a `type:` string. `decimal(p,s)` needs 1 ≤ p ≤ 38 and 0 ≤ s ≤ p; bare `decimal` is
 * `decimal(18,2)`. `enum` gets its values from the column's `values:` (filled by the caller).
 */
export function parseColumnType(text: string): { ok: true; type: ColumnType } | { ok: false; message: string } {
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
    if (precision < 1 || precision > MAX_DECIMAL_PRECISION) return { ok: false, message: `decimal precision must be between 1 and ${MAX_DECIMAL_PRECISION}, found ${precision}` };
    if (scale > precision) return { ok: false, message: `decimal scale (${scale}) must not exceed its precision (${precision})` };
    return { ok: true, type: { kind: 'decimal', precision, scale } };
  }
  if (/^decimal\(/.test(t)) return { ok: false, message: `\`${text}\` is not a valid decimal type; write \`decimal(precision,scale)\`, e.g. \`decimal(18,2)\`` };
  return { ok: false, message: `unknown column type \`${text}\`; allowed: ${COLUMN_TYPE_NAMES.map((n) => (n === 'decimal' ? '`decimal(p,s)`' : `\`${n}\``)).join(', ')}` };
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
