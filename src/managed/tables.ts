import type { Dialect } from '../dialects/dialect.js';
import type { ColumnType, InputTable } from '../ir/types.js';
import { type ManagedColumn, type SystemType } from './columns.js';

/**
 * The managed write-back tables, described once for DDL, the write path and docs.
 *
 * For each input table `t` in the inputs schema:
 * - `t__log`   append-only log, the source of truth: one row per write of one key.
 *              It carries the full row *after* the write (so the latest entry per
 *              scenario+key is the state, and any past state can be read "as of"),
 *              the old values of the changed columns as JSON text, and a hash chained
 *              to the table's previous entry. No code path updates or deletes log rows.
 * - `t`        current state: one row per scenario and key, derived from the log
 *              (rebuildable at any time). Deleted rows stay as tombstones
 *              (`_deleted = true`) so `_version` keeps counting across delete/re-create.
 *              Where the dialect has `stateKeyColumn` (DuckDB), a last column `_key` holds
 *              the scenario and key as one text (`stateKeySql`) and is the primary key.
 *
 * Shared managed tables (prefix `_wb_`, which user names cannot take): see meta-tables.ts.
 */

const sys = (type: SystemType) => ({ kind: 'system' as const, type });


/** Columns of `<t>__log` that come before the user columns. */
export const LOG_SYSTEM_COLUMNS: ManagedColumn[] = [
  { name: '_entry_id', type: sys('string'), nullable: false, description: 'Writer-generated, time-ordered id (UUIDv7).' },
  { name: '_seq', type: sys('bigint'), nullable: false, description: 'Position in the table\'s hash chain (1, 2, …).' },
  { name: '_op', type: sys('string'), nullable: false, description: '`upsert`, `delete`, `reset` (scenario override removed); `propose_upsert`/`propose_delete` (a pending change, state untouched) and `reject`.' },
  { name: '_scenario', type: sys('string'), nullable: false, description: 'Scenario written (`base` by default).' },
  { name: '_version', type: sys('bigint'), nullable: false, description: 'Row version after this entry (1 for the first write of a key); for a proposal or rejection, the version it was based on.' },
  { name: '_user', type: sys('string'), nullable: false, description: 'Who wrote it (set by the server, never from the payload).' },
  { name: '_at', type: sys('timestamp'), nullable: false, description: 'When it was written, UTC, millisecond precision.' },
  { name: '_set_columns', type: sys('string'), nullable: true, description: 'Columns explicitly set on this row, as `|a|b|` (an explicit null is set).' },
  { name: '_old_values', type: sys('string'), nullable: true, description: 'JSON text: the previous values of the columns this entry changed.' },
  { name: '_request_id', type: sys('string'), nullable: true, description: 'Idempotency key / request id of the batch.' },
  { name: '_comment', type: sys('string'), nullable: true, description: 'Free-text comment given with the write.' },
  { name: '_prev_hash', type: sys('string'), nullable: true, description: 'Hash of the previous entry of this table (null for the first).' },
  { name: '_hash', type: sys('string'), nullable: false, description: 'sha256 over _prev_hash and this entry\'s content.' },
];

/** Columns of the state table that come after the user columns. */
export const STATE_SYSTEM_COLUMNS: ManagedColumn[] = [
  { name: '_scenario', type: sys('string'), nullable: false, description: 'Scenario of this row (`base` by default).' },
  { name: '_version', type: sys('bigint'), nullable: false, description: 'Incremented by every write of this key; used for optimistic concurrency.' },
  { name: '_deleted', type: sys('boolean'), nullable: false, description: 'Tombstone: the key was deleted in this scenario.' },
  { name: '_set_columns', type: sys('string'), nullable: true, description: 'Columns explicitly set (see the log).' },
  { name: '_updated_by', type: sys('string'), nullable: false, description: 'User of the latest entry.' },
  { name: '_updated_at', type: sys('timestamp'), nullable: false, description: 'Time of the latest entry (UTC).' },
  { name: '_entry_id', type: sys('string'), nullable: false, description: 'Id of the latest log entry for this row.' },
];

/** User columns of an input table (the same in log and state; all nullable at the SQL level — rules are checked on write). */
export function userColumns(input: InputTable): ManagedColumn[] {
  return input.columns.map((c) => ({
    name: c.name,
    type: c.type,
    nullable: true,
    description: c.description ?? '',
  }));
}

export function logColumns(input: InputTable): ManagedColumn[] {
  return [...LOG_SYSTEM_COLUMNS, ...userColumns(input)];
}

/** Columns of the state table as readers see them (user columns, then the system columns); views and docs list these. */
export function stateColumns(input: InputTable): ManagedColumn[] {
  return [...userColumns(input), ...STATE_SYSTEM_COLUMNS];
}

/** The state table's one-column key where the dialect has `stateKeyColumn` (never read by views: an access path, not data). */
export const STATE_KEY_COLUMN: ManagedColumn = {
  name: '_key',
  type: sys('string'),
  nullable: false,
  description: 'Scenario and key as one text (primary key where the warehouse indexes only single columns); derived from `_scenario` and the key columns.',
};

/** Physical columns of the state table on this dialect: `stateColumns`, then `_key` where the dialect has `stateKeyColumn`. */
export function stateTableColumns(input: InputTable, dialect: Dialect): ManagedColumn[] {
  return dialect.stateKeyColumn ? [...stateColumns(input), STATE_KEY_COLUMN] : stateColumns(input);
}

/** What identifies a row of the state (one per scenario and key), in order: `_scenario`, then the key columns — the columns `_key` is derived from, and every partition and join by state row. */
export function stateKeySourceColumns(input: InputTable): string[] {
  return ['_scenario', ...input.key];
}

/**
 * SQL of the `_key` text from the SQL expressions of `_scenario` and each key column (in
 * `stateKeySourceColumns` order, each typed as its column): every part but the last is written
 * as `<length>:<text>`, the last as `v<text>`, a null as `n` — so two different tuples never give
 * the same text. Every writer of `_key` (write path, apply's rebuild) and every reader
 * (lookups, verify's replay) derives it here, inside the warehouse, so all agree on a value's text.
 */
export function stateKeySql(dialect: Dialect, parts: readonly string[]): string {
  const str = dialect.columnType({ kind: 'system', type: 'string' });
  const text = (e: string) => `cast(${e} as ${str})`;
  const part = (e: string, last: boolean) => (last ? `coalesce('v' || ${text(e)}, 'n')` : `coalesce(cast(length(${text(e)}) as ${str}) || ':' || ${text(e)}, 'n')`);
  return parts.map((e, i) => part(e, i === parts.length - 1)).join(' || ');
}

/** The text `stateKeySql` casts a canonical key value (rules/wire-values.ts) to, where that is the canonical text itself; undefined where the warehouse writes the type its own way (numbers, decimals, timestamps, booleans; a year-0 date). */
function keyPartText(type: ColumnType, value: string | null): string | null | undefined {
  if (value === null) return null;
  switch (type.kind) {
    case 'string':
    case 'text':
    case 'enum':
    case 'integer':
      return value;
    case 'date':
      return value.startsWith('0000') ? undefined : value;
    default:
      return undefined;
  }
}

/**
 * `_key` exactly as `stateKeySql` derives it in the warehouse, from a scenario and canonical key
 * values, where every key value's text is its canonical text (text, integer and date keys);
 * undefined otherwise (the caller derives it in SQL). Bound as a plain text, a list of keys is
 * read by index without a join (16 keys on DuckDB: 1.4 ms of CPU instead of 4.1 ms).
 * test/integration/plan/state-key.test.ts checks both derivations agree.
 */
export function stateKeyText(input: InputTable, scenario: string, key: readonly (string | null)[]): string | undefined {
  const parts: (string | null)[] = [scenario];
  for (let i = 0; i < input.key.length; i++) {
    const name = input.key[i]!;
    const text = keyPartText(input.columns.find((c) => c.name === name)!.type, key[i] ?? null);
    if (text === undefined) return undefined;
    parts.push(text);
  }
  const last = parts.length - 1;
  return parts.map((p, i) => (p === null ? 'n' : i < last ? `${[...p].length}:${p}` : `v${p}`)).join('');
}

/**
 * Indexes of an input's log where the dialect has them (columns of each, in order): by chain
 * position (the bulk state upsert reads back its own `_seq` range; `verify` pages in that order;
 * history reads the newest entries first) and by key then position (history of one key).
 */
export function logIndexes(input: InputTable): string[][] {
  return [
    ['_seq', '_entry_id'],
    [...input.key, '_seq'],
  ];
}

/** Primary key of an input's state table: one row per scenario and key (`_key` where the dialect has `stateKeyColumn`). */
export function stateTablePrimaryKey(input: InputTable, dialect: Dialect): string[] {
  return dialect.stateKeyColumn ? [STATE_KEY_COLUMN.name] : stateKeySourceColumns(input);
}

/** Columns of the view `<t>__history`, in order (src/emit/history-view.ts selects exactly these). */
export function historyViewColumns(input: InputTable): ManagedColumn[] {
  const log = (name: string): ManagedColumn => LOG_SYSTEM_COLUMNS.find((c) => c.name === name)!;
  const keys = input.key.flatMap((k) => {
    const c = input.columns.find((col) => col.name === k);
    return c ? [{ name: c.name, type: c.type, nullable: false, description: c.description ?? '' }] : [];
  });
  return [
    log('_entry_id'), log('_seq'), log('_at'), log('_user'), log('_op'), log('_scenario'),
    ...keys,
    { name: '_column', type: sys('string'), nullable: false, description: 'The column this entry changed.' },
    { name: '_old_value', type: sys('string'), nullable: true, description: 'Its value before the entry, as text (null when unset).' },
    { name: '_new_value', type: sys('string'), nullable: true, description: 'Its value after the entry, as text (null for a delete or a scenario reset).' },
    log('_request_id'), log('_comment'),
  ];
}
