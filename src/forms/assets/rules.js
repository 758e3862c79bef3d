// Client-side checks that mirror the server's column rules (src/write/column-rules.ts). The server
// stays the authority: these only give an answer before a round trip.

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

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function validDate(text) {
  const m = DATE_RE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
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
    case 'integer': {
      const s = String(text).replace(/[,\s]/g, '');
      return /^-?\d+$/.test(s) ? { value: s } : { error: `expected a whole number, got '${text}'` };
    }
    case 'number': {
      const n = Number(String(text).replace(/[,\s]/g, ''));
      return Number.isFinite(n) ? { value: n } : { error: `expected a number, got '${text}'` };
    }
    case 'decimal': {
      const s = String(text).replace(/[,\s]/g, '');
      const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(s);
      if (!m || (m[2] === '' && !m[3])) return { error: `expected a number with at most ${t.scale} decimal places, got '${text}'` };
      const frac = (m[3] ?? '').replace(/0+$/, '');
      if (frac.length > t.scale) return { error: `has more than ${t.scale} decimal places` };
      const whole = m[2].replace(/^0+(?=\d)/, '') || '0';
      if (whole.length > t.precision - t.scale) return { error: `has more than ${t.precision - t.scale} digits before the decimal point` };
      const value = t.scale > 0 ? `${m[1]}${whole}.${frac.padEnd(t.scale, '0')}` : `${m[1]}${whole}`;
      return { value: value === '-0' || /^-0\.0*$/.test(value) ? value.slice(1) : value };
    }
    case 'date':
      return validDate(String(text)) ? { value: String(text) } : { error: `expected a date YYYY-MM-DD, got '${text}'` };
    case 'timestamp': {
      let s = String(text);
      if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s)) s = `${s.replace(' ', 'T')}Z`;
      const ms = Date.parse(s);
      return Number.isNaN(ms) ? { error: `expected a date and time, got '${text}'` } : { value: new Date(ms).toISOString() };
    }
    default:
      return { value: String(raw) };
  }
}

/**
 * Check a wire value against the column's rules (required, min/max, pattern, max_length, allowed values).
 * @returns {string | undefined} the message, or undefined when it passes
 */
export function checkValue(col, value) {
  if (value === null || value === undefined) return col.required ? 'is required' : undefined;
  const t = typeOf(col);
  if (['integer', 'number', 'decimal'].includes(t.kind)) {
    const n = Number(value);
    if (col.min !== undefined && n < Number(col.min)) return `${value} is below the minimum ${col.min}`;
    if (col.max !== undefined && n > Number(col.max)) return `${value} is above the maximum ${col.max}`;
    return undefined;
  }
  if (t.kind === 'date' || t.kind === 'timestamp') {
    if (col.min !== undefined && String(value) < String(col.min)) return `${value} is before the minimum ${col.min}`;
    if (col.max !== undefined && String(value) > String(col.max)) return `${value} is after the maximum ${col.max}`;
    return undefined;
  }
  if (typeof value !== 'string') return undefined;
  if (col.max_length !== undefined && [...value].length > col.max_length) return `is ${[...value].length} characters long; at most ${col.max_length} allowed`;
  if (col.pattern !== undefined && !new RegExp(col.pattern).test(value)) return `'${value}' does not match the pattern ${col.pattern}`;
  const allowed = choices(col);
  if (allowed && !allowed.includes(value)) return `'${value}' is not one of: ${allowed.join(', ')}`;
  return undefined;
}

/** Parse and check in one go. @returns {{ value: any, error?: string }} */
export function validate(col, raw) {
  const parsed = parseText(col, raw);
  if ('error' in parsed) return { value: raw, error: parsed.error };
  const error = checkValue(col, parsed.value);
  return error ? { value: parsed.value, error } : { value: parsed.value };
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
