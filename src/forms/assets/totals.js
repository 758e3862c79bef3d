// Totals of numeric columns over a list of values, exact: decimals and integers summed as scaled
// BigInts with the server's own decimal helpers (column-rules.js), so 0.10 + 0.20 is 0.30.
import { decimalToScaled, scaledToDecimal } from './column-rules.js';
import { isNumeric, typeOf } from './rules.js';

/** Sum of the non-null values of a numeric column, as wire text (null when there is none); undefined for a column that is not numeric. */
export function total(col, values) {
  if (!isNumeric(col)) return undefined;
  const t = typeOf(col);
  const present = values.filter((v) => v !== null && v !== undefined && v !== '');
  if (present.length === 0) return null;
  if (t.kind === 'number') return String(present.reduce((s, v) => s + Number(v), 0));
  const scale = t.kind === 'decimal' ? t.scale : 0;
  let sum = 0n;
  for (const v of present) {
    const n = decimalToScaled(String(v), scale);
    if (n === undefined) return undefined;
    sum += n;
  }
  return scaledToDecimal(sum, scale);
}

/** `b − a` of two totals of a column (null when either is missing). */
export function difference(col, a, b) {
  if (a === undefined || b === undefined) return undefined;
  const t = typeOf(col);
  if (t.kind === 'number') return String(Number(b ?? 0) - Number(a ?? 0));
  const scale = t.kind === 'decimal' ? t.scale : 0;
  return scaledToDecimal((decimalToScaled(String(b ?? '0'), scale) ?? 0n) - (decimalToScaled(String(a ?? '0'), scale) ?? 0n), scale);
}
