import type { InputColumn, Scalar } from '../ir/types.js';

const DECIMAL_TEXT = /^[+-]?\d+(\.\d+)?$/;
const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Why `value` breaks the column's type or rules (`min`, `max`, `pattern`, `max_length`,
 * fixed `values`, enum values), or undefined when it satisfies them. `null` is fine unless the
 * column is required. Values read from a source column cannot be checked offline and are skipped.
 */
export function columnValueProblem(column: Pick<InputColumn, 'type' | 'required' | 'min' | 'max' | 'pattern' | 'maxLength' | 'allowedValues'>, value: Scalar): string | undefined {
  if (value === null) return column.required ? 'is null but the column is required' : undefined;
  const t = column.type;
  const typeProblem = typeMismatch(column, value);
  if (typeProblem) return typeProblem;
  if (t.kind === 'enum' && !t.values.includes(String(value))) return `${show(value)} is not one of the enum values ${t.values.map(show).join(', ')}`;
  if (typeof value === 'string' && (t.kind === 'string' || t.kind === 'text')) {
    if (column.maxLength !== undefined && [...value].length > column.maxLength) return `${show(value)} is longer than max_length ${column.maxLength}`;
    if (column.pattern !== undefined) {
      const re = safeRegExp(column.pattern);
      if (re && !re.test(value)) return `${show(value)} does not match the pattern ${show(column.pattern)}`;
    }
    if (Array.isArray(column.allowedValues) && !column.allowedValues.includes(value)) return `${show(value)} is not one of the allowed values ${column.allowedValues.map(show).join(', ')}`;
  }
  if (column.min !== undefined && compareValues(column, value, column.min) < 0) return `${show(value)} is less than min ${show(column.min)}`;
  if (column.max !== undefined && compareValues(column, value, column.max) > 0) return `${show(value)} is greater than max ${show(column.max)}`;
  return undefined;
}

/** Why a `min`/`max` bound does not fit the column's type, or undefined. */
export function boundProblem(column: Pick<InputColumn, 'type'>, bound: number | string): string | undefined {
  const k = column.type.kind;
  if (k === 'integer' || k === 'number') return typeof bound === 'number' ? undefined : `must be a number for a ${k} column, found ${show(bound)}`;
  if (k === 'decimal') return typeof bound === 'number' || DECIMAL_TEXT.test(bound) ? undefined : `must be a number for a decimal column, found ${show(bound)}`;
  if (k === 'date') return typeof bound === 'string' && isDate(bound) ? undefined : `must be a date (YYYY-MM-DD) for a date column, found ${show(bound)}`;
  if (k === 'timestamp') return typeof bound === 'string' && isTimestamp(bound) ? undefined : `must be an ISO 8601 timestamp, found ${show(bound)}`;
  return undefined;
}

/** Compares a value with a bound of the same column (numbers, exact decimals, dates, timestamps). */
export function compareValues(column: Pick<InputColumn, 'type'>, a: Scalar, b: Scalar): number {
  const k = column.type.kind;
  if (k === 'decimal') return compareDecimal(String(a), String(b));
  if (k === 'integer' || k === 'number') return Number(a) - Number(b);
  if (k === 'timestamp') return Date.parse(String(a)) - Date.parse(String(b));
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** Compiles a user pattern, or undefined when it is not a valid JavaScript regular expression. */
export function safeRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
}

function typeMismatch(column: Pick<InputColumn, 'type'>, value: Exclude<Scalar, null>): string | undefined {
  const t = column.type;
  switch (t.kind) {
    case 'string':
    case 'text':
    case 'enum':
      return typeof value === 'string' ? undefined : `${show(value)} is not a string (quote it in YAML)`;
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value) ? undefined : `${show(value)} is not an integer`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : `${show(value)} is not a number`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${show(value)} is not a boolean`;
    case 'date':
      return typeof value === 'string' && isDate(value) ? undefined : `${show(value)} is not a date (YYYY-MM-DD)`;
    case 'timestamp':
      return typeof value === 'string' && isTimestamp(value) ? undefined : `${show(value)} is not an ISO 8601 timestamp`;
    case 'decimal': {
      if (typeof value === 'boolean') return `${show(value)} is not a decimal number`;
      const text = typeof value === 'number' ? String(value) : value;
      if (!DECIMAL_TEXT.test(text)) return `${show(value)} is not a decimal number`;
      const [int = '', frac = ''] = text.replace(/^[+-]/, '').split('.');
      if (frac.length > t.scale) return `${show(value)} has more than ${t.scale} decimal places`;
      if (int.replace(/^0+(?=\d)/, '').length > t.precision - t.scale) return `${show(value)} does not fit decimal(${t.precision},${t.scale})`;
      return undefined;
    }
  }
}

function isDate(s: string): boolean {
  const m = DATE_TEXT.exec(s);
  if (!m) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

function isTimestamp(s: string): boolean {
  return TIMESTAMP_TEXT.test(s) && !Number.isNaN(Date.parse(s));
}

function compareDecimal(a: string, b: string): number {
  const sa = a.startsWith('-') ? -1 : 1;
  const sb = b.startsWith('-') ? -1 : 1;
  const [ai = '0', af = ''] = a.replace(/^[+-]/, '').split('.');
  const [bi = '0', bf = ''] = b.replace(/^[+-]/, '').split('.');
  const len = Math.max(af.length, bf.length);
  const na = BigInt(ai + af.padEnd(len, '0')) * BigInt(sa);
  const nb = BigInt(bi + bf.padEnd(len, '0')) * BigInt(sb);
  return na < nb ? -1 : na > nb ? 1 : 0;
}

function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}
