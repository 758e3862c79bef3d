import { hash } from 'node:crypto';
import type { InputTable } from '../ir/types.js';
import type { LogOp } from '../managed/log-ops.js';
import type { Canonical } from '../rules/wire-values.js';

/** One log entry in memory, exactly as written to `<t>__log` (user values canonical, in `input.columns` order). */
export interface LogEntry {
  entryId: string;
  seq: number;
  op: LogOp;
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

/** A user column in the hashed text: its index in `input.columns`, its `|name|` marker, and the text that opens its pair (first, or after another). */
interface HashedColumn {
  index: number;
  marker: string;
  first: string;
  next: string;
}

const quotedNames = new WeakMap<InputTable, HashedColumn[]>();

/** User columns in name order (so the text does not depend on declaration order, and a dropped column still hashes the same). */
function columnsOf(input: InputTable): HashedColumn[] {
  let cols = quotedNames.get(input);
  if (!cols) {
    cols = input.columns
      .map((c, index) => ({ name: c.name, index }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map(({ name, index }) => ({ index, marker: `|${name}|`, first: `[${JSON.stringify(name)},`, next: `,[${JSON.stringify(name)},` }));
    quotedNames.set(input, cols);
  }
  return cols;
}

/** Characters `JSON.stringify` escapes (controls, quote, backslash) or may rewrite (lone surrogates). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** `JSON.stringify` of a string, without its work when nothing needs escaping (the usual case). */
const quote = (v: string) => (NEEDS_ESCAPE.test(v) ? JSON.stringify(v) : `"${v}"`);
const str = (v: string | null) => (v === null ? 'null' : quote(v));

/**
 * Text of the fields that the entries of one request share (op, scenario, user, time, request id,
 * comment) and of the last set columns / old values, kept from the previous call: a bulk write
 * builds them once instead of once per entry. Compared by value, so any change rebuilds them.
 */
const last = {
  op: '',
  scenario: '',
  opScenario: '',
  user: '',
  atMs: Number.NaN,
  userAt: '',
  requestId: undefined as string | null | undefined,
  comment: undefined as string | null | undefined,
  tail: '',
  setColumns: undefined as string | null | undefined,
  setText: '',
  oldValues: undefined as string | null | undefined,
  oldText: '',
};

/**
 * The canonical serialization that is hashed: a JSON array of the system fields, then `[column, value]`
 * pairs, in column-name order, of the user columns that are non-null or explicitly set (so a column
 * added later does not change old hashes). Built by hand (it is on the bulk path); equal to
 * `JSON.stringify` of that array.
 */
export function canonicalEntryText(input: InputTable, e: Omit<LogEntry, 'hash' | 'prevHash'>): string {
  const cols = columnsOf(input);
  const set = e.setColumns ?? '';
  const values = e.values;
  let pairs = '';
  for (let i = 0; i < cols.length; i++) {
    const c = cols[i]!;
    const v = values[c.index] ?? null;
    if (v === null) {
      if (!set.includes(c.marker)) continue;
      pairs += pairs === '' ? `${c.first}null]` : `${c.next}null]`;
    } else pairs += pairs === '' ? `${c.first}${quote(v)}]` : `${c.next}${quote(v)}]`;
  }
  if (e.op !== last.op || e.scenario !== last.scenario) {
    last.opScenario = `,${str(e.op)},${str(e.scenario)},`;
    last.op = e.op;
    last.scenario = e.scenario;
  }
  if (e.user !== last.user || e.atMs !== last.atMs) {
    last.userAt = `,${str(e.user)},${str(new Date(e.atMs).toISOString())},`;
    last.user = e.user;
    last.atMs = e.atMs;
  }
  if (e.setColumns !== last.setColumns) {
    last.setText = str(e.setColumns);
    last.setColumns = e.setColumns;
  }
  if (e.oldValues !== last.oldValues) {
    last.oldText = str(e.oldValues);
    last.oldValues = e.oldValues;
  }
  if (e.requestId !== last.requestId || e.comment !== last.comment) {
    last.tail = `,${str(e.requestId)},${str(e.comment)},[`;
    last.requestId = e.requestId;
    last.comment = e.comment;
  }
  return `[${quote(e.entryId)},${e.seq}${last.opScenario}${e.version}${last.userAt}${last.setText},${last.oldText}${last.tail}${pairs}]]`;
}

/** `_hash` of an entry: sha256 (hex) over the previous hash, a newline and the canonical entry text. */
export function entryHash(prevHash: string | null, canonicalText: string): string {
  return hash('sha256', `${prevHash ?? ''}\n${canonicalText}`, 'hex');
}
