import { UsageError } from '../adapters/usage-error.js';
import { groupDigits } from './output.js';

/** Collect a repeatable option's values. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `col=val` pairs of a repeated option (`--key`, `--attr`). */
export function parsePairs(pairs: string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 1) throw new UsageError(`${flag} expects column=value, got '${pair}'`);
    out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
}

/** A whole number option within bounds (no `max`: at least `min`). */
export function wholeNumber(text: string, flag: string, min: number, max?: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || (max !== undefined && n > max)) {
    throw new UsageError(`${flag} must be a whole number ${max === undefined ? `of at least ${min}` : `from ${min} to ${groupDigits(max)}`}, got '${text}'`);
  }
  return n;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * A point in time given on the command line, as ISO 8601 in UTC: a date (`2026-11-01`, the start
 * of that day in UTC) or a date and time (`2026-11-01T09:30`, `2026-11-01 09:30:00+01:00`; without
 * a zone it is UTC).
 */
export function parseTime(text: string, flag: string): string {
  const wrong = () => new UsageError(`${flag} expects a date (2026-11-01, the start of that day in UTC) or a date and time (2026-11-01T09:30:00Z; UTC unless a zone is given), got '${text}'`);
  const date = DATE.exec(text);
  if (date) {
    const at = new Date(`${text}T00:00:00.000Z`);
    if (Number.isNaN(at.getTime()) || at.toISOString().slice(0, 10) !== text) throw wrong();
    return at.toISOString();
  }
  const dt = DATE_TIME.exec(text);
  if (!dt) throw wrong();
  const zone = dt[3] === undefined ? 'Z' : dt[3].toUpperCase() === 'Z' ? 'Z' : dt[3].length === 3 ? `${dt[3]}:00` : dt[3].includes(':') ? dt[3] : `${dt[3].slice(0, 3)}:${dt[3].slice(3)}`;
  const at = new Date(`${dt[1]}T${dt[2]}${zone}`);
  if (Number.isNaN(at.getTime()) || new Date(`${dt[1]}T00:00:00Z`).toISOString().slice(0, 10) !== dt[1]) throw wrong();
  return at.toISOString();
}

/** An API error in a command's terms: query parameters and body fields are named as the options that set them. */
export function inOptionTerms<E extends { code: string; message: string; details: unknown[] }>(error: E, options: Record<string, string>): E {
  const name = (column: string) => options[column] ?? (column.startsWith('key.') && options.key ? `${options.key} ${column.slice(4)}=…` : undefined);
  const details = (error.details as { column?: string; message?: string }[]).map((d) => {
    const option = d.column !== undefined ? name(d.column) : undefined;
    if (option === undefined) return d;
    const message = d.message?.replace(/^query parameter '[^']*'/, `option ${option}`);
    return { ...d, column: option, ...(message !== undefined ? { message } : {}) };
  });
  const message = error.message === 'invalid query parameters' ? 'invalid options' : error.message;
  return { ...error, message, details };
}
