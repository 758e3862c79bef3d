import { decimalToScaled, scaledToDecimal } from './column-rules.js';
import type { ColumnType } from '../ir/types.js';

/** A JSON value as it travels on the wire (decimals and big integers as strings, dates `YYYY-MM-DD`, timestamps ISO `Z`). */
export type WireValue = string | number | boolean | null;

/**
 * Canonical values: the one text form of each typed value, used for hashing, old values,
 * idempotency and comparisons. Decimals keep exactly `scale` fraction digits, integers are
 * decimal strings, numbers are JS shortest round-trip text, dates `YYYY-MM-DD`, timestamps
 * ISO `…sssZ` (UTC, milliseconds), booleans `true`/`false`. Null stays null.
 */
export type Canonical = string | null;

/** Canonical form of a value read back from the warehouse (adapter shape: strings, numbers, Date, booleans). */
export function canonicalFromDb(type: ColumnType, value: unknown): Canonical {
  if (value === null || value === undefined) return null;
  switch (type.kind) {
    case 'decimal': {
      // the text warehouses return is usually canonical already: keep it without the BigInt round trip
      if (typeof value === 'string' && isCanonicalDecimal(value, type.scale)) return value;
      const scaled = decimalToScaled(String(value), type.scale);
      return scaled === undefined ? String(value) : scaledToDecimal(scaled, type.scale);
    }
    case 'integer':
      return typeof value === 'bigint' ? value.toString() : String(value);
    case 'number':
      return String(Number(value));
    case 'boolean':
      return value ? 'true' : 'false';
    case 'date':
      return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
    case 'timestamp':
      return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
    default:
      return String(value);
  }
}

const canonicalDecimalRes: RegExp[] = [];

/** Whether `text` is a decimal exactly as `scaledToDecimal` writes it at `scale` (no `+`, no leading zeros, no `-0`). */
function isCanonicalDecimal(text: string, scale: number): boolean {
  const re = (canonicalDecimalRes[scale] ??= new RegExp(`^-?(?:0|[1-9]\\d*)${scale > 0 ? `\\.\\d{${scale}}` : ''}$`));
  return re.test(text) && !(text.charCodeAt(0) === 45 && /^-0(?:\.0*)?$/.test(text));
}

/** Wire (JSON) form of a canonical value: numbers stay numbers when they are exactly representable. */
export function wireFromCanonical(type: ColumnType, value: Canonical): WireValue {
  if (value === null) return null;
  switch (type.kind) {
    case 'integer': {
      const n = Number(value);
      return Number.isSafeInteger(n) ? n : value;
    }
    case 'number':
      return Number(value);
    case 'boolean':
      return value === 'true';
    default:
      return value;
  }
}

/** Wire form of a value read from the warehouse (timestamps become ISO `Z` strings). */
export function wireFromDb(type: ColumnType, value: unknown): WireValue {
  return wireFromCanonical(type, canonicalFromDb(type, value));
}

/** ISO `Z` text of a timestamp read from the warehouse (system columns). */
export function isoFromDb(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}

/** A JS value that `rows`/`history` send for a system bigint column. */
export function numberFromDb(value: unknown): number {
  return typeof value === 'bigint' ? Number(value) : Number(value);
}
