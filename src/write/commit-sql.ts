import type { SqlValue } from '../adapters/adapter.js';
import { LOG_SYSTEM_COLUMNS, STATE_KEY_COLUMN, stateKeySourceColumns, stateKeySql, stateKeyText, stateTablePrimaryKey } from '../managed/tables.js';
import type { InputTable } from '../ir/types.js';
import { type LogEntry } from './log-entry.js';
import { stateOpCondition } from '../managed/log-ops.js';
import type { SqlNames } from '../managed/sql-names.js';

/**
 * The state-changing log entries this transaction appended, read back from the log (the bulk
 * path): `_seq` above bound parameter 1 (the head it read) and at most parameter 2 (the head it
 * moved to) — exactly its own entries, since a writer moves the head before appending (commitGroup).
 * Where the dialect has `stateKeyColumn`, each with its `_key` derived.
 */
export function appendedLogSql(names: SqlNames, input: InputTable): string {
  const d = names.dialect;
  const q = (c: string) => d.quoteIdent(c);
  const seq = q('_seq');
  const key = d.stateKeyColumn ? `, ${stateKeySql(d, stateKeySourceColumns(input).map(q))} as ${q(STATE_KEY_COLUMN.name)}` : '';
  return `(select *${key} from ${names.log(input.name)} where ${seq} > ${d.param(1)} and ${seq} <= ${d.param(2)} and ${stateOpCondition(q('_op'))})`;
}

const STATE_SOURCE = ['_entry_id', '_seq', '_op', '_scenario', '_version', '_user', '_at', '_set_columns'];

/**
 * The given entries as a relation of bound values: small batches skip the log scan. A VALUES list
 * where the dialect prefers one (`valuesRelation`), else `select … union all select …`. Where the
 * dialect has `stateKeyColumn`, each carries its `_key`: bound as text where `stateKeyText` gives
 * it (the update then joins two plain texts), else derived from its values.
 */
export function entriesValuesSql(names: SqlNames, input: InputTable, entries: LogEntry[], params: SqlValue[]): string {
  const d = names.dialect;
  const q = (c: string) => d.quoteIdent(c);
  const sys = new Map(LOG_SYSTEM_COLUMNS.map((c) => [c.name, c]));
  const keyAt = input.key.map((k) => input.columns.findIndex((c) => c.name === k));
  const columns = [...STATE_SOURCE, ...input.columns.map((c) => c.name), ...(d.stateKeyColumn ? [STATE_KEY_COLUMN.name] : [])];
  const rows = entries.map((e) => {
    const sysValues: SqlValue[] = [e.entryId, BigInt(e.seq), e.op, e.scenario, BigInt(e.version), e.user, new Date(e.atMs), e.setColumns];
    // each value once, cast to its column's type; `_key` below refers to the scenario and key values
    const typed = new Map<string, string>();
    const cell = (name: string, value: SqlValue, type: string) => {
      params.push(value);
      typed.set(name, `cast(${d.param(params.length)} as ${type})`);
      return typed.get(name)!;
    };
    const cells = STATE_SOURCE.map((name, i) => cell(name, sysValues[i] ?? null, d.columnType(sys.get(name)!.type)));
    input.columns.forEach((c, i) => cells.push(cell(c.name, e.values[i] ?? null, d.columnType(c.type))));
    if (d.stateKeyColumn) {
      const text = stateKeyText(input, e.scenario, keyAt.map((i) => e.values[i] ?? null));
      cells.push(
        text !== undefined
          ? cell(STATE_KEY_COLUMN.name, text, d.columnType(STATE_KEY_COLUMN.type))
          : stateKeySql(d, stateKeySourceColumns(input).map((c) => typed.get(c)!)),
      );
    }
    return cells;
  });
  if (d.valuesRelation) return `(select * from (values ${rows.map((cells) => `(${cells.join(', ')})`).join(', ')}) as ${q('_wb_v')}(${columns.map(q).join(', ')}))`;
  return `(${rows.map((cells) => `select ${cells.map((cell, i) => `${cell} as ${q(columns[i]!)}`).join(', ')}`).join(' union all ')})`;
}

/**
 * How the state statement may treat the entries' keys: `new` (no key has a state row yet: a plain
 * insert), `existing` (every key has one: an update joined on the key, which DuckDB runs in about
 * half the time of an `insert … on conflict` of the same rows), `mixed` (an upsert).
 */
export type StateKeys = 'new' | 'existing' | 'mixed';

/** Whether the state statement for these keys is a plain update (one changed row per key): warehouses with `insert … on conflict`, every key existing. */
export function updatesExistingOnly(names: SqlNames, keys: StateKeys): boolean {
  return keys === 'existing' && names.dialect.upsertStyle === 'on-conflict';
}

/**
 * Upsert the state from log entries (`source`: a relation with the log's columns, and `_key` where
 * the dialect has `stateKeyColumn`), in one
 * set-based statement. With `dedupe`, only the last entry of each scenario+key is applied; `keys`
 * (what the transaction read of the keys' state rows) picks a plain insert or update where it can.
 */
export function upsertStateSql(names: SqlNames, input: InputTable, source: string, dedupe: boolean, keys: StateKeys = 'mixed'): string {
  const d = names.dialect;
  const q = (c: string) => d.quoteIdent(c);
  const user = input.columns.map((c) => c.name);
  const partition = stateKeySourceColumns(input).map(q).join(', ');
  const fresh = source;
  const from = dedupe
    ? `(select x.* from (select e.*, row_number() over (partition by ${partition} order by ${q('_seq')} desc) as ${q('_wb_rn')} from ${fresh} e) x where x.${q('_wb_rn')} = 1) e`
    : `${fresh} e`;
  const mapped: [string, string][] = [
    ...user.map((c): [string, string] => [c, `e.${q(c)}`]),
    ['_scenario', `e.${q('_scenario')}`],
    ['_version', `e.${q('_version')}`],
    ['_deleted', `e.${q('_op')} = 'delete'`],
    ['_set_columns', `e.${q('_set_columns')}`],
    ['_updated_by', `e.${q('_user')}`],
    ['_updated_at', `e.${q('_at')}`],
    ['_entry_id', `e.${q('_entry_id')}`],
  ];
  // `_key` where the dialect keys the state by it (every source carries it: entriesValuesSql, appendedLogSql)
  if (d.stateKeyColumn) mapped.push([STATE_KEY_COLUMN.name, `e.${q(STATE_KEY_COLUMN.name)}`]);
  const target = names.state(input.name);
  const keyCols = stateTablePrimaryKey(input, d);
  // an update never changes what the key is made of
  const nonKey = mapped.map(([c]) => c).filter((c) => !keyCols.includes(c) && !stateKeySourceColumns(input).includes(c));
  const select = `select ${mapped.map(([c, e]) => `${e} as ${q(c)}`).join(', ')} from ${from}`;
  // (with `dedupe`, `from` keeps the last entry of each key: still one new row per key)
  if (keys === 'new') return `insert into ${target} (${mapped.map(([c]) => q(c)).join(', ')}) ${select}`;
  if (updatesExistingOnly(names, keys))
    return (
      `update ${target} set ${nonKey.map((c) => `${q(c)} = s.${q(c)}`).join(', ')} from (${select}) s ` +
      `where ${keyCols.map((c) => `${target}.${q(c)} = s.${q(c)}`).join(' and ')}`
    );
  if (d.upsertStyle === 'on-conflict') {
    return (
      `insert into ${target} (${mapped.map(([c]) => q(c)).join(', ')}) ` +
      `select ${mapped.map(([c, e]) => `${e} as ${q(c)}`).join(', ')} from ${from} ` +
      `on conflict (${keyCols.map(q).join(', ')}) do update set ${nonKey.map((c) => `${q(c)} = excluded.${q(c)}`).join(', ')}`
    );
  }
  return (
    `merge into ${target} t using (select ${mapped.map(([c, e]) => `${e} as ${q(c)}`).join(', ')} from ${from}) s ` +
    `on ${keyCols.map((c) => `t.${q(c)} = s.${q(c)}`).join(' and ')} ` +
    `when matched then update set ${nonKey.map((c) => `${q(c)} = s.${q(c)}`).join(', ')} ` +
    `when not matched then insert (${mapped.map(([c]) => q(c)).join(', ')}) values (${mapped.map(([c]) => `s.${q(c)}`).join(', ')})`
  );
}
