import type { InputColumn } from '../ir/types.js';
import { type Canonical, decimalToScaled, scaledToDecimal } from '../rules/wire-values.js';

/** The outcome of checking one wire value against one column's declaration. */
export type ValueCheck = { ok: true; value: Canonical } | { ok: false; message: string };

/** Checks a wire value against a column's type and rules and returns its canonical form. */
export type ValueChecker = (value: unknown) => ValueCheck;

const INTEGER_RE = /^-?\d+$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP_RE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const fail = (message: string): ValueCheck => ({ ok: false, message });
const pass = (value: Canonical): ValueCheck => ({ ok: true, value });

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (value !== null && typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return String(value);
}

function isValidDate(text: string): boolean {
  const m = DATE_RE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** A number is accepted for a decimal only when its shortest text is exact at the column's scale; a string as it is (no surrounding spaces). */
function decimalText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) {
    const text = String(value);
    if (/e/i.test(text)) return undefined;
    return text.replace(/\./, '').replace('-', '').length <= 15 ? text : undefined;
  }
  return undefined;
}

function stringRules(col: InputColumn): ValueChecker {
  const pattern = col.pattern !== undefined ? new RegExp(col.pattern) : undefined;
  const enumValues = col.type.kind === 'enum' ? col.type.values : Array.isArray(col.allowedValues) ? col.allowedValues : undefined;
  const allowed = enumValues ? new Set(enumValues) : undefined;
  return (value) => {
    if (typeof value !== 'string') return fail(`expected a string, got ${describe(value)}`);
    // code points ≤ UTF-16 length: only a long text needs counting
    if (col.maxLength !== undefined && value.length > col.maxLength && [...value].length > col.maxLength)
      return fail(`is ${[...value].length} characters long; at most ${col.maxLength} allowed`);
    if (pattern && !pattern.test(value)) return fail(`${describe(value)} does not match the pattern ${col.pattern}`);
    if (allowed && !allowed.has(value)) return fail(`${describe(value)} is not one of: ${enumValues!.join(', ')}`);
    return pass(value);
  };
}

function integerRules(col: InputColumn): ValueChecker {
  const min = col.min !== undefined ? BigInt(col.min) : undefined;
  const max = col.max !== undefined ? BigInt(col.max) : undefined;
  return (value) => {
    // a safe integer is inside the 64-bit range and compares exactly with the bigint bounds
    if (typeof value === 'number' && Number.isSafeInteger(value)) {
      if (min !== undefined && value < min) return fail(`${value} is below the minimum ${col.min}`);
      if (max !== undefined && value > max) return fail(`${value} is above the maximum ${col.max}`);
      return pass(String(value));
    }
    let n: bigint;
    if (typeof value === 'string' && INTEGER_RE.test(value)) n = BigInt(value);
    else return fail(`expected an integer (a number, or a string beyond 2^53), got ${describe(value)}`);
    if (n < -(2n ** 63n) || n >= 2n ** 63n) return fail(`${n} is outside the 64-bit integer range`);
    if (min !== undefined && n < min) return fail(`${n} is below the minimum ${col.min}`);
    if (max !== undefined && n > max) return fail(`${n} is above the maximum ${col.max}`);
    return pass(n.toString());
  };
}

function numberRules(col: InputColumn): ValueChecker {
  const min = col.min !== undefined ? Number(col.min) : undefined;
  const max = col.max !== undefined ? Number(col.max) : undefined;
  return (value) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) return fail(`expected a finite number, got ${describe(value)}`);
    if (min !== undefined && value < min) return fail(`${value} is below the minimum ${col.min}`);
    if (max !== undefined && value > max) return fail(`${value} is above the maximum ${col.max}`);
    return pass(String(value));
  };
}

function decimalRules(col: InputColumn, precision: number, scale: number): ValueChecker {
  const min = col.min !== undefined ? decimalToScaled(String(col.min), scale) : undefined;
  const max = col.max !== undefined ? decimalToScaled(String(col.max), scale) : undefined;
  const limit = 10n ** BigInt(precision);
  // text already canonical (no sign, no leading zero, exactly `scale` decimals) of at most 15 digits: exact as a double
  const canonical = new RegExp(`^(?:0|[1-9]\\d*)${scale > 0 ? `\\.\\d{${scale}}` : ''}$`);
  const canonicalMaxLength = 15 + (scale > 0 ? 1 : 0);
  const limitNumber = Number(limit);
  return (value) => {
    if (typeof value === 'string' && value.length <= canonicalMaxLength && canonical.test(value)) {
      const n = Number(scale > 0 ? value.slice(0, -scale - 1) + value.slice(-scale) : value);
      if (n >= limitNumber) return fail(`${value} has more than ${precision - scale} digits before the decimal point`);
      if (min !== undefined && n < min) return fail(`${value} is below the minimum ${col.min}`);
      if (max !== undefined && n > max) return fail(`${value} is above the maximum ${col.max}`);
      return pass(value);
    }
    const text = decimalText(value);
    const n = text === undefined ? undefined : decimalToScaled(text, scale);
    if (n === undefined) {
      if (typeof value === 'number') return fail(`${value} is not exact at ${scale} decimal places; send decimals as strings`);
      return fail(`expected a decimal with at most ${scale} decimal places (as a string, e.g. "12.50"), got ${describe(value)}`);
    }
    if (n >= limit || n <= -limit) return fail(`${text} has more than ${precision - scale} digits before the decimal point`);
    if (min !== undefined && n < min) return fail(`${text} is below the minimum ${col.min}`);
    if (max !== undefined && n > max) return fail(`${text} is above the maximum ${col.max}`);
    return pass(scaledToDecimal(n, scale));
  };
}

function dateRules(col: InputColumn): ValueChecker {
  return (value) => {
    if (typeof value !== 'string' || !isValidDate(value)) return fail(`expected a date YYYY-MM-DD, got ${describe(value)}`);
    if (col.min !== undefined && value < String(col.min)) return fail(`${value} is before the minimum ${col.min}`);
    if (col.max !== undefined && value > String(col.max)) return fail(`${value} is after the maximum ${col.max}`);
    return pass(value);
  };
}

/**
 * Milliseconds of an ISO 8601 instant with a zone (`2026-01-31T12:00:00Z`, seconds optional) — or,
 * with `dateOnly`, of a date at UTC midnight — when the date exists and the hour is 00–23
 * (Date.parse alone rolls 2026-02-30 over to March and accepts 24:00); else NaN.
 */
export function isoInstantMs(text: string, opts: { dateOnly?: boolean } = {}): number {
  if (opts.dateOnly && DATE_RE.test(text)) return isValidDate(text) ? Date.parse(`${text}T00:00:00Z`) : NaN;
  const m = TIMESTAMP_RE.exec(text);
  return m && isValidDate(m[1]!) && Number(m[2]) < 24 ? Date.parse(text) : NaN;
}

function timestampRules(col: InputColumn): ValueChecker {
  const min = col.min !== undefined ? Date.parse(String(col.min)) : undefined;
  const max = col.max !== undefined ? Date.parse(String(col.max)) : undefined;
  return (value) => {
    const ms = typeof value === 'string' ? isoInstantMs(value) : NaN;
    if (Number.isNaN(ms)) return fail(`expected an ISO 8601 timestamp with a time zone (e.g. 2026-01-31T12:00:00Z), got ${describe(value)}`);
    if (min !== undefined && ms < min) return fail(`${value} is before the minimum ${col.min}`);
    if (max !== undefined && ms > max) return fail(`${value} is after the maximum ${col.max}`);
    return pass(new Date(ms).toISOString());
  };
}

/** The checker of one column (type + min/max, pattern, max_length, enum and fixed allowed values). Null passes. */
export function valueChecker(col: InputColumn): ValueChecker {
  const t = col.type;
  const inner: ValueChecker =
    t.kind === 'string' || t.kind === 'text' || t.kind === 'enum'
      ? stringRules(col)
      : t.kind === 'integer'
        ? integerRules(col)
        : t.kind === 'number'
          ? numberRules(col)
          : t.kind === 'decimal'
            ? decimalRules(col, t.precision, t.scale)
            : t.kind === 'boolean'
              ? (v) => (typeof v === 'boolean' ? pass(v ? 'true' : 'false') : fail(`expected true or false, got ${describe(v)}`))
              : t.kind === 'date'
                ? dateRules(col)
                : timestampRules(col);
  return (value) => (value === null ? pass(null) : inner(value));
}
