import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { BulkColumn, BulkKind, BulkRows, BulkTarget, BulkValue } from '../adapter.js';
import type { Dialect } from '../../dialects/dialect.js';

/** Characters of COPY's text format that must be escaped inside a value. */
const SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** Text handed to the COPY stream at a time (characters; a row is never split). */
const CHUNK = 256 * 1024;

/** A value as a field of COPY's text format: backslash, tab, newline and carriage return escaped. */
export function copyTextField(text: string): string {
  return SPECIAL.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!) : text;
}

/**
 * The text one kind of column sends for a non-null value: the same text the bound-parameter path
 * sends (exact decimals and dates as given, integers in full, booleans `t`/`f`, instants as ISO
 * 8601 UTC), which the column's type then parses as COPY reads it.
 */
function fieldText(kind: BulkKind): (v: string | number | boolean) => string {
  switch (kind) {
    case 'varchar':
      return (v) => copyTextField(String(v));
    case 'bigint':
      return (v) => (typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : BigInt(v as number | string).toString());
    case 'double':
      return (v) => String(Number(v));
    case 'boolean':
      return (v) => (v === true || v === 'true' ? 't' : 'f');
    case 'timestamp-ms':
      return lastOf((v) => new Date(v as number).toISOString());
    case 'timestamp-iso':
      return lastOf((v) => new Date(v as string).toISOString());
  }
}

/** `text` remembering its last value (a group's entries share one `_at`): one Date and one string instead of one per row. */
function lastOf(text: (v: string | number | boolean) => string): (v: string | number | boolean) => string {
  let last: string | number | boolean | undefined;
  let out = '';
  return (v) => {
    if (v !== last) {
      out = text(v);
      last = v;
    }
    return out;
  };
}

/** `rows` as COPY text-format lines (`\N` for NULL), in chunks of about {@link CHUNK} characters. */
export function* copyTextChunks(kinds: readonly BulkKind[], rows: BulkRows): Generator<string> {
  const put = kinds.map(fieldText);
  const n = put.length;
  let chunk = '';
  for (let r = 0; r < rows.count; r++) {
    let line = '';
    for (let c = 0; c < n; c++) {
      const v: BulkValue = rows.value(r, c);
      if (c > 0) line += '\t';
      line += v === null || v === undefined ? '\\N' : put[c]!(v);
    }
    chunk += `${line}\n`;
    if (chunk.length >= CHUNK) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}

/**
 * Append rows with `copy <target> (<columns>) from stdin` on this client: inside its open
 * transaction when there is one (COPY is transactional: a rollback removes the rows). Identifiers
 * are quoted by the dialect; values travel as COPY data, never as SQL text.
 */
export async function copyRows(client: pg.Client, dialect: Dialect, target: BulkTarget, columns: readonly BulkColumn[], rows: BulkRows): Promise<void> {
  if (rows.count === 0) return;
  const table = target.schema ? dialect.qualify(target.schema, target.table) : dialect.quoteIdent(target.table);
  const stream = client.query(copyFrom(`copy ${table} (${columns.map((c) => dialect.quoteIdent(c.name)).join(', ')}) from stdin`));
  await pipeline(Readable.from(copyTextChunks(columns.map((c) => c.kind), rows)), stream);
  if (stream.rowCount !== rows.count) throw new Error(`COPY into ${table} wrote ${stream.rowCount} rows of ${rows.count}`);
}
