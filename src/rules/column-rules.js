// @ts-check
/**
 * The column rules: the one module that decides whether a value fits a column and what its
 * canonical text is. `writeback validate` checks YAML defaults and bounds with it, the write path
 * checks every written value with it, and the planner form loads this very file in the browser
 * (served unchanged as /assets/column-rules.js). Plain JavaScript with JSDoc types, no imports,
 * so that all three run the same code.
 *
 * Values are wire values (JSON): decimals as strings (or numbers exact at the column's scale),
 * integers as numbers or strings beyond 2^53, dates `YYYY-MM-DD`, timestamps ISO 8601 with a
 * zone, booleans. Canonical values are text: decimals with exactly `scale` fraction digits,
 * integers in decimal, numbers in JavaScript's shortest round-trip form, timestamps as
 * `YYYY-MM-DDTHH:MM:SS.sssZ` (UTC, milliseconds), booleans `true`/`false`; null stays null.
 */

/**
 * @typedef {{ kind: 'string' } | { kind: 'text' } | { kind: 'integer' } | { kind: 'number' }
 *   | { kind: 'decimal', precision: number, scale: number } | { kind: 'boolean' } | { kind: 'date' }
 *   | { kind: 'timestamp' } | { kind: 'enum', values: string[] }} RuleType
 */

/**
 * What the rules read of a column (the project IR's `InputColumn` has these fields). `allowedValues`
 * counts only as a fixed list; values read from a source are checked against the source.
 * @typedef {{ type: RuleType, min?: number | string, max?: number | string, pattern?: string,
 *   maxLength?: number, allowedValues?: string[] | object }} ColumnRule
 */

/** @typedef {{ ok: true, value: string | null } | { ok: false, message: string }} ValueCheck */
/** @typedef {(value: unknown) => ValueCheck} ValueChecker */

/** Timestamps are stored to the millisecond on every warehouse (digits beyond are refused, never dropped). */
export const TIMESTAMP_FRACTION_DIGITS = 3;

const INTEGER_RE = /^-?\d+$/;
const DECIMAL_RE = /^([+-])?(\d+)(?:\.(\d+))?$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP_RE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})$/;
const LONE_SURROGATE_RE = /\p{Cs}/u;

/** @param {string} message @returns {ValueCheck} */
const fail = (message) => ({ ok: false, message });
/** @param {string | null} value @returns {ValueCheck} */
const pass = (value) => ({ ok: true, value });

/**
 * Why a text cannot be stored as it is, or undefined: an unpaired UTF-16 surrogate (every
 * warehouse stores UTF-8, where it would silently become U+FFFD and break the hash of the entry)
 * or a NUL character (PostgreSQL cannot store it in text).
 * @param {string} text
 * @returns {string | undefined}
 */
export function textProblem(text) {
  const lone = LONE_SURROGATE_RE.exec(text);
  if (lone) {
    const at = [...text.slice(0, lone.index)].length + 1;
    return `contains an unpaired UTF-16 surrogate (\\u${lone[0].charCodeAt(0).toString(16)}) at character ${at}: send well-formed Unicode text`;
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) return `contains a NUL character (\\u0000) at character ${[...text.slice(0, nul)].length + 1}, which cannot be stored`;
  return undefined;
}

/** @param {unknown} value */
function describe(value) {
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (value !== null && typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return String(value);
}

/**
 * True when a `YYYY-MM-DD` text names a day that exists (no roll-over of 2026-02-30).
 * @param {string} text
 */
function isValidDate(text) {
  const m = DATE_RE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/**
 * Milliseconds of an ISO 8601 instant with a zone (`2026-01-31T12:00:00Z`, seconds optional) — or,
 * with `dateOnly`, also of a date at UTC midnight — when the day exists, the hour is 00–23 and
 * there are no digits beyond the millisecond; else NaN.
 * @param {string} text
 * @param {{ dateOnly?: boolean }} [opts]
 */
export function isoInstantMs(text, opts = {}) {
  if (opts.dateOnly && DATE_RE.test(text)) return isValidDate(text) ? Date.parse(`${text}T00:00:00Z`) : NaN;
  const m = TIMESTAMP_RE.exec(text);
  if (!m || !isValidDate(/** @type {string} */ (m[1])) || Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4] ?? 0) > 59) return NaN;
  if (/[1-9]/.test((m[5] ?? '').slice(TIMESTAMP_FRACTION_DIGITS))) return NaN;
  return Date.parse(text.replace(' ', 'T'));
}

/**
 * Scaled integer of a decimal text at `scale`, or undefined when it is not exact at that scale.
 * @param {string} text
 * @param {number} scale
 * @returns {bigint | undefined}
 */
export function decimalToScaled(text, scale) {
  const m = DECIMAL_RE.exec(text);
  if (!m) return undefined;
  const frac = m[3] ?? '';
  if (frac.length > scale && /[^0]/.test(frac.slice(scale))) return undefined;
  const n = BigInt((m[2] ?? '0') + frac.slice(0, scale).padEnd(scale, '0'));
  return m[1] === '-' ? -n : n;
}

/**
 * Decimal text with exactly `scale` fraction digits from a scaled integer.
 * @param {bigint} n
 * @param {number} scale
 */
export function scaledToDecimal(n, scale) {
  const neg = n < 0n;
  const digits = (neg ? -n : n).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return neg ? `-${text}` : text;
}

/**
 * A user pattern compiled the one way every check compiles it (Unicode mode), or undefined when
 * it is not a valid regular expression.
 * @param {string} pattern
 */
export function compilePattern(pattern) {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
}

/**
 * A number is accepted for a decimal only when its shortest text is exact at the column's scale.
 * @param {unknown} value
 */
function decimalText(value) {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) {
    const text = String(value);
    if (/e/i.test(text)) return undefined;
    return text.replace(/\./, '').replace('-', '').length <= 15 ? text : undefined;
  }
  return undefined;
}

/** @param {ColumnRule} col @returns {ValueChecker} */
function stringRules(col) {
  const pattern = col.pattern !== undefined ? compilePattern(col.pattern) : undefined;
  const fixed = col.type.kind === 'enum' ? col.type.values : Array.isArray(col.allowedValues) ? col.allowedValues : undefined;
  const allowed = fixed ? new Set(fixed) : undefined;
  return (value) => {
    if (typeof value !== 'string') return fail(`expected a string, got ${describe(value)}`);
    const bad = textProblem(value);
    if (bad) return fail(bad);
    // code points ≤ UTF-16 length: only a long text needs counting
    if (col.maxLength !== undefined && value.length > col.maxLength && [...value].length > col.maxLength)
      return fail(`is ${[...value].length} characters long; at most ${col.maxLength} allowed`);
    if (pattern && !pattern.test(value)) return fail(`${describe(value)} does not match the pattern ${col.pattern}`);
    if (allowed && !allowed.has(value)) return fail(`${describe(value)} is not one of: ${/** @type {string[]} */ (fixed).join(', ')}`);
    return pass(value);
  };
}

/** @param {ColumnRule} col @returns {ValueChecker} */
function integerRules(col) {
  const min = col.min !== undefined ? BigInt(col.min) : undefined;
  const max = col.max !== undefined ? BigInt(col.max) : undefined;
  return (value) => {
    // a safe integer is inside the 64-bit range and compares exactly with the bigint bounds
    if (typeof value === 'number' && Number.isSafeInteger(value)) {
      if (min !== undefined && value < min) return fail(`${value} is below the minimum ${col.min}`);
      if (max !== undefined && value > max) return fail(`${value} is above the maximum ${col.max}`);
      return pass(String(value));
    }
    if (typeof value !== 'string' || !INTEGER_RE.test(value)) return fail(`expected an integer (a number, or a string beyond 2^53), got ${describe(value)}`);
    const n = BigInt(value);
    if (n < -(2n ** 63n) || n >= 2n ** 63n) return fail(`${n} is outside the 64-bit integer range`);
    if (min !== undefined && n < min) return fail(`${n} is below the minimum ${col.min}`);
    if (max !== undefined && n > max) return fail(`${n} is above the maximum ${col.max}`);
    return pass(n.toString());
  };
}

/** @param {ColumnRule} col @returns {ValueChecker} */
function numberRules(col) {
  const min = col.min !== undefined ? Number(col.min) : undefined;
  const max = col.max !== undefined ? Number(col.max) : undefined;
  return (value) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) return fail(`expected a finite number, got ${describe(value)}`);
    if (min !== undefined && value < min) return fail(`${value} is below the minimum ${col.min}`);
    if (max !== undefined && value > max) return fail(`${value} is above the maximum ${col.max}`);
    return pass(String(value));
  };
}

/** @param {ColumnRule} col @param {number} precision @param {number} scale @returns {ValueChecker} */
function decimalRules(col, precision, scale) {
  const min = col.min !== undefined ? decimalToScaled(String(col.min), scale) : undefined;
  const max = col.max !== undefined ? decimalToScaled(String(col.max), scale) : undefined;
  const limit = 10n ** BigInt(precision);
  // text already canonical (no sign, no leading zero, exactly `scale` decimals) of at most 15 digits: exact as a double
  const canonical = new RegExp(`^(?:0|[1-9]\\d*)${scale > 0 ? `\\.\\d{${scale}}` : ''}$`);
  const canonicalMaxLength = 15 + (scale > 0 ? 1 : 0);
  const limitNumber = Number(limit);
  const minNumber = min === undefined ? undefined : Number(min);
  const maxNumber = max === undefined ? undefined : Number(max);
  return (value) => {
    if (typeof value === 'string' && value.length <= canonicalMaxLength && canonical.test(value)) {
      const n = Number(scale > 0 ? value.slice(0, -scale - 1) + value.slice(-scale) : value);
      if (n >= limitNumber) return fail(`${value} has more than ${precision - scale} digits before the decimal point`);
      if (minNumber !== undefined && n < minNumber) return fail(`${value} is below the minimum ${col.min}`);
      if (maxNumber !== undefined && n > maxNumber) return fail(`${value} is above the maximum ${col.max}`);
      return pass(value);
    }
    const text = decimalText(value);
    const n = text === undefined ? undefined : decimalToScaled(text, scale);
    if (n === undefined) {
      if (typeof value === 'number') {
        if (!Number.isFinite(value)) return fail(`expected a decimal, got a number out of range (${value}); send decimals as strings`);
        // the 15 digits decimalText takes: past them a JSON number may have lost digits before it got here, so it is not quoted back
        const digits = String(value).replace('-', '').replace('.', '');
        if (Math.abs(value) >= 1e15 || (!/e/i.test(digits) && digits.length > 15)) return fail('a JSON number of more than 15 digits is not exact; send decimals as strings');
        return fail(`${value} is not exact at ${scale} decimal places; send decimals as strings`);
      }
      return fail(`expected a decimal with at most ${scale} decimal places (as a string, e.g. "12.50"), got ${describe(value)}`);
    }
    if (n >= limit || n <= -limit) return fail(`${text} has more than ${precision - scale} digits before the decimal point`);
    if (min !== undefined && n < min) return fail(`${text} is below the minimum ${col.min}`);
    if (max !== undefined && n > max) return fail(`${text} is above the maximum ${col.max}`);
    return pass(scaledToDecimal(n, scale));
  };
}

/** @param {ColumnRule} col @returns {ValueChecker} */
function dateRules(col) {
  return (value) => {
    if (typeof value !== 'string' || !isValidDate(value)) return fail(`expected a date YYYY-MM-DD, got ${describe(value)}`);
    if (col.min !== undefined && value < String(col.min)) return fail(`${value} is before the minimum ${col.min}`);
    if (col.max !== undefined && value > String(col.max)) return fail(`${value} is after the maximum ${col.max}`);
    return pass(value);
  };
}

/** @param {ColumnRule} col @returns {ValueChecker} */
function timestampRules(col) {
  const min = col.min !== undefined ? isoInstantMs(String(col.min), { dateOnly: true }) : undefined;
  const max = col.max !== undefined ? isoInstantMs(String(col.max), { dateOnly: true }) : undefined;
  return (value) => {
    const ms = typeof value === 'string' ? isoInstantMs(value) : NaN;
    if (Number.isNaN(ms)) {
      const fraction = typeof value === 'string' ? TIMESTAMP_RE.exec(value)?.[5] : undefined;
      if (fraction !== undefined && /[1-9]/.test(fraction.slice(TIMESTAMP_FRACTION_DIGITS)))
        return fail(`${describe(value)} has more than millisecond precision; timestamps are stored to the millisecond (round it to ${TIMESTAMP_FRACTION_DIGITS} decimal places)`);
      return fail(`expected an ISO 8601 timestamp with a time zone (e.g. 2026-01-31T12:00:00Z), got ${describe(value)}`);
    }
    if (min !== undefined && ms < min) return fail(`${value} is before the minimum ${col.min}`);
    if (max !== undefined && ms > max) return fail(`${value} is after the maximum ${col.max}`);
    return pass(new Date(ms).toISOString());
  };
}

/** @type {ValueChecker} */
const booleanRule = (value) => (typeof value === 'boolean' ? pass(value ? 'true' : 'false') : fail(`expected true or false, got ${describe(value)}`));

/**
 * The checker of one column: its type, then min/max, pattern, max_length, enum and fixed allowed
 * values. Returns the canonical value. Null passes (required columns are checked on the row).
 * @param {ColumnRule} col
 * @returns {ValueChecker}
 */
export function valueChecker(col) {
  const t = col.type;
  /** @type {ValueChecker} */
  const inner =
    t.kind === 'string' || t.kind === 'text' || t.kind === 'enum'
      ? stringRules(col)
      : t.kind === 'integer'
        ? integerRules(col)
        : t.kind === 'number'
          ? numberRules(col)
          : t.kind === 'decimal'
            ? decimalRules(col, t.precision, t.scale)
            : t.kind === 'boolean'
              ? booleanRule
              : t.kind === 'date'
                ? dateRules(col)
                : timestampRules(col);
  return (value) => (value === null ? pass(null) : inner(value));
}

/**
 * Why a `min`/`max` bound does not fit the column's type (it must pass the type's own check), or
 * undefined. A timestamp bound may also be a date (UTC midnight).
 * @param {{ type: RuleType }} col
 * @param {number | string} bound
 * @returns {string | undefined}
 */
export function boundProblem(col, bound) {
  const k = col.type.kind;
  if (k === 'timestamp' && typeof bound === 'string' && !Number.isNaN(isoInstantMs(bound, { dateOnly: true }))) return undefined;
  if (k === 'integer' || k === 'number' || k === 'decimal' || k === 'date' || k === 'timestamp') {
    const checked = valueChecker({ type: col.type })(bound);
    return checked.ok ? undefined : `must fit the ${k} column: ${checked.message}`;
  }
  return undefined;
}

/**
 * Compares two canonical values (or bounds) of a column: numbers and decimals exactly, dates and
 * timestamps in time, text by code units.
 * @param {{ type: RuleType }} col
 * @param {string | number | boolean} a
 * @param {string | number | boolean} b
 * @returns {number}
 */
export function compareValues(col, a, b) {
  const t = col.type;
  if (t.kind === 'decimal') {
    const scale = Math.max(t.scale, fractionDigits(String(a)), fractionDigits(String(b)));
    const x = decimalToScaled(String(a), scale);
    const y = decimalToScaled(String(b), scale);
    if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : 0;
  }
  if (t.kind === 'integer' && INTEGER_RE.test(String(a)) && INTEGER_RE.test(String(b))) {
    const x = BigInt(String(a));
    const y = BigInt(String(b));
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (t.kind === 'number' || t.kind === 'integer' || t.kind === 'decimal') return Number(a) - Number(b);
  if (t.kind === 'timestamp') return isoInstantMs(String(a), { dateOnly: true }) - isoInstantMs(String(b), { dateOnly: true });
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** @param {string} text */
function fractionDigits(text) {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}
