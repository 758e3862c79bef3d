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

const DECIMAL_RE = /^([+-])?(\d+)(?:\.(\d+))?$/;

/** Scaled integer of a decimal text at `scale`, or undefined when not exact at that scale. */
export function decimalToScaled(text: string, scale: number): bigint | undefined {
  const m = DECIMAL_RE.exec(text);
  if (!m) return undefined;
  const frac = m[3] ?? '';
  if (frac.length > scale && /[^0]/.test(frac.slice(scale))) return undefined;
  const digits = (m[2] ?? '0') + frac.slice(0, scale).padEnd(scale, '0');
  const n = BigInt(digits);
  return m[1] === '-' ? -n : n;
}

/** Decimal text with exactly `scale` fraction digits from a scaled integer. */
export function scaledToDecimal(n: bigint, scale: number): string {
  const neg = n < 0n;
  const digits = (neg ? -n : n).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return neg ? `-${text}` : text;
}

/** Canonical form of a value read back from the warehouse (adapter shape: strings, numbers, Date, booleans). */
export function canonicalFromDb(type: ColumnType, value: unknown): Canonical {
  if (value === null || value === undefined) return null;
  switch (type.kind) {
    case 'decimal': {
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
