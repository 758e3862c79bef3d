import { hash } from 'node:crypto';
import type { InputTable } from '../project/types.js';
import type { Canonical } from './wire-values.js';

/** One log entry in memory, exactly as written to `<t>__log` (user values canonical, in `input.columns` order). */
export interface LogEntry {
  entryId: string;
  seq: number;
  op: 'upsert' | 'delete' | 'reset';
  scenario: string;
  version: number;
  user: string;
  atMs: number;
  /** `|a|b|`: columns set on the row after this entry (an explicit null is set); null for a delete. */
  setColumns: string | null;
  /** JSON text `{column: old canonical value}` of the columns this entry changed. */
  oldValues: string | null;
  requestId: string | null;
  comment: string | null;
  prevHash: string | null;
  hash: string;
  values: Canonical[];
}

/** `|a|b|` for a list of column names (null when empty). */
export function setColumnsText(names: Iterable<string>): string | null {
  const list = [...names];
  return list.length === 0 ? null : `|${list.join('|')}|`;
}

/** Column names of a `|a|b|` text. */
export function parseSetColumns(text: string | null): Set<string> {
  if (!text) return new Set();
  return new Set(text.split('|').filter((s) => s.length > 0));
}

const quotedNames = new WeakMap<InputTable, { index: number; marker: string; quoted: string }[]>();

/** User columns in name order (so the text does not depend on declaration order, and a dropped column still hashes the same). */
function columnsOf(input: InputTable): { index: number; marker: string; quoted: string }[] {
  let cols = quotedNames.get(input);
  if (!cols) {
    cols = input.columns
      .map((c, index) => ({ name: c.name, index, marker: `|${c.name}|`, quoted: JSON.stringify(c.name) }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map(({ index, marker, quoted }) => ({ index, marker, quoted }));
    quotedNames.set(input, cols);
  }
  return cols;
}

const str = (v: string | null) => (v === null ? 'null' : JSON.stringify(v));

/**
 * The canonical serialization that is hashed: a JSON array of the system fields, then `[column, value]`
 * pairs, in column-name order, of the user columns that are non-null or explicitly set (so a column
 * added later does not change old hashes). Built by hand (it is on the bulk path); equal to
 * `JSON.stringify` of that array.
 */
export function canonicalEntryText(input: InputTable, e: Omit<LogEntry, 'hash' | 'prevHash'>): string {
  const cols = columnsOf(input);
  const set = e.setColumns ?? '';
  let pairs = '';
  for (let i = 0; i < cols.length; i++) {
    const c = cols[i]!;
    const v = e.values[c.index] ?? null;
    if (v === null && !set.includes(c.marker)) continue;
    pairs += `${pairs === '' ? '' : ','}[${c.quoted},${str(v)}]`;
  }
  return (
    `[${str(e.entryId)},${e.seq},${str(e.op)},${str(e.scenario)},${e.version},${str(e.user)},` +
    `${str(new Date(e.atMs).toISOString())},${str(e.setColumns)},${str(e.oldValues)},${str(e.requestId)},${str(e.comment)},[${pairs}]]`
  );
}

/** `_hash` of an entry: sha256 (hex) over the previous hash, a newline and the canonical entry text. */
export function entryHash(prevHash: string | null, canonicalText: string): string {
  return hash('sha256', `${prevHash ?? ''}\n${canonicalText}`, 'hex');
}
