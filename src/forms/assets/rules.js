// What a person types, turned into wire values, and how values are shown. Whether a value fits its
// column is decided by column-rules.js: the server's own module, loaded unchanged, so the form and
// the server always agree. The server still checks every write.
import { valueChecker } from './column-rules.js';

/** The parsed type of a column as `GET /api/v1/inputs` describes it (`decimal(18,2)`, `enum`, …). */
export function typeOf(col) {
  const m = /^decimal\((\d+),(\d+)\)$/.exec(col.type);
  if (m) return { kind: 'decimal', precision: Number(m[1]), scale: Number(m[2]) };
  return { kind: col.type };
}

/** True for types shown right-aligned and compared as numbers. */
export function isNumeric(col) {
  return ['integer', 'number', 'decimal'].includes(typeOf(col).kind);
}

/** The allowed values of a column (enum values or fixed allowed values), or undefined. */
export function choices(col) {
  return Array.isArray(col.values) ? col.values : undefined;
}

/**
 * Turn what a person typed (or pasted) into the wire value of the column, or an error message.
 * Empty text is null (an explicit blank). Booleans accept true/false, yes/no, 1/0, x.
 * @returns {{ value: any } | { error: string }}
 */
export function parseText(col, raw) {
  const text = typeof raw === 'string' ? raw.trim() : raw;
  if (text === '' || text === null || text === undefined) return { value: null };
  const t = typeOf(col);
  switch (t.kind) {
    case 'boolean': {
      if (typeof text === 'boolean') return { value: text };
      const s = String(text).toLowerCase();
      if (['true', 'yes', 'y', '1', 'x', '✓'].includes(s)) return { value: true };
      if (['false', 'no', 'n', '0'].includes(s)) return { value: false };
      return { error: `expected true or false, got '${text}'` };
    }
    case 'integer':
      return { value: String(text).replace(/[,\s]/g, '') };
    case 'number': {
      const n = Number(String(text).replace(/[,\s]/g, ''));
      return Number.isFinite(n) ? { value: n } : { error: `expected a number, got '${text}'` };
    }
    case 'decimal': {
      // grouping separators and spaces go; ".5" reads as "0.5"; the rules check scale and precision
      const s = String(text).replace(/[,\s]/g, '').replace(/^([+-]?)\./, '$10.').replace(/\.$/, '');
      return { value: s };
    }
    case 'date':
      return { value: String(text) };
    case 'timestamp': {
      // a date and time without a zone is read as UTC; the rules decide the rest
      const s = String(text).replace(/^(\d{4}-\d{2}-\d{2}) (?=\d)/, '$1T');
      return { value: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s) ? `${s}Z` : s };
    }
    default:
      return { value: String(raw) };
  }
}

const checkers = new WeakMap();

/**
 * Check a wire value against the column's rules with the server's own module (column-rules.js,
 * given the column's `rule` from GET /api/v1/inputs), plus `required`.
 * @returns {{ value: any } | { error: string }} the value to send, or why it is refused
 */
export function checkValue(col, value) {
  if (value === null || value === undefined) return col.required ? { error: 'is required' } : { value: null };
  let check = checkers.get(col);
  if (!check) checkers.set(col, (check = valueChecker(col.rule)));
  const result = check(value);
  if (!result.ok) return { error: result.message };
  // the canonical text (decimals at their scale, timestamps in UTC); numbers and booleans stay JSON ones
  const kind = typeOf(col).kind;
  return { value: kind === 'number' || kind === 'boolean' ? value : result.value };
}

/** Parse and check in one go. @returns {{ value: any, error?: string }} */
export function validate(col, raw) {
  const parsed = parseText(col, raw);
  if ('error' in parsed) return { value: raw, error: parsed.error };
  const checked = checkValue(col, parsed.value);
  return 'error' in checked ? { value: parsed.value, error: checked.error } : { value: checked.value };
}

/** A value as shown in a cell: decimals and integers with digit grouping, booleans as Yes/No. */
export function display(col, value) {
  if (value === null || value === undefined) return '';
  const t = typeOf(col);
  if (t.kind === 'boolean') return value === true || value === 'true' ? 'Yes' : 'No';
  if (t.kind === 'decimal' || t.kind === 'integer') {
    const m = /^(-?)(\d+)(\.\d+)?$/.exec(String(value));
    if (m) return `${m[1]}${m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${m[3] ?? ''}`;
  }
  if (t.kind === 'timestamp') return String(value).replace('T', ' ').replace(/:\d{2}(\.\d+)?Z$/, ' UTC');
  return String(value);
}

/** Two wire values are the same cell value (decimals compared as text after parsing). */
export function sameValue(a, b) {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  return a === b || (a !== null && b !== null && String(a) === String(b));
}
