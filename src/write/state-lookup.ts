import { type Adapter, queryColumns, type SqlValue } from '../adapters/adapter.js';
import { filtersInputColumns } from '../auth/row-filter.js';
import type { ManagedColumn } from '../managed/columns.js';
import { STATE_KEY_COLUMN, STATE_SYSTEM_COLUMNS, stateKeySourceColumns, stateKeySql, stateKeyText } from '../managed/tables.js';
import type { InputTable } from '../ir/types.js';
import type { SqlNames } from '../managed/sql-names.js';
import { stageRows } from './stage-rows.js';
import { type Canonical, canonicalFromDb } from '../rules/wire-values.js';
import { type CurrentRow, stateKey } from './write-request.js';

/** Above this many keys the lookup stages them in a temporary table and joins (callers without one pass at most this many). */
export const MAX_LISTED_KEYS = 200;

/** Columns of the temporary key table of an input (`_scenario` + key columns). */
export function keyStageColumns(input: InputTable): ManagedColumn[] {
  const scenario = STATE_SYSTEM_COLUMNS.find((c) => c.name === '_scenario')!;
  return [scenario, ...input.key.map((k) => ({ name: k, type: input.columns.find((c) => c.name === k)!.type, nullable: false, description: '' }))];
}

/**
 * The current state rows (tombstones included) of these (scenario, key) pairs, read inside the
 * write transaction. Where the input has row filters on its own columns, a tombstone also carries
 * the values it deleted (`deletedValues`, from its log entry's old values), so a row filter can
 * tell whose key it holds.
 */
export async function loadCurrentRows(
  tx: Adapter,
  names: SqlNames,
  input: InputTable,
  wanted: { scenario: string; key: (string | null)[] }[],
  keyStageName: string,
): Promise<Map<string, CurrentRow>> {
  const d = names.dialect;
  const q = (c: string) => d.quoteIdent(c);
  // a tombstone's entry id is read only to find the values it deleted (row filters on input columns)
  const filtered = filtersInputColumns(input);
  const selected = [...input.columns.map((c) => c.name), '_scenario', '_version', '_deleted', '_set_columns', '_updated_by', '_updated_at', ...(filtered ? ['_entry_id'] : [])];
  const select = selected.map((c) => `s.${q(c)}`).join(', ');
  const unique = new Map<string, { scenario: string; key: (string | null)[] }>();
  for (const w of wanted) unique.set(stateKey(w.scenario, w.key), w);
  const out = new Map<string, CurrentRow>();
  if (unique.size === 0) return out;
  let sql: string;
  const params: SqlValue[] = [];
  if (unique.size <= MAX_LISTED_KEYS && d.stateKeyColumn) {
    // `_key in (…)`: one indexed column, so the warehouse reads these rows by index (a filter on
    // the scenario and key columns scans the whole table on DuckDB); bound as text where it can be
    const keys = [...unique.values()].map((w) => {
      const text = stateKeyText(input, w.scenario, w.key);
      if (text !== undefined) {
        params.push(text);
        return d.param(params.length);
      }
      params.push(w.scenario);
      const parts = [`cast(${d.param(params.length)} as ${d.columnType(STATE_KEY_COLUMN.type)})`];
      input.key.forEach((k, i) => {
        params.push(w.key[i] ?? null);
        parts.push(`cast(${d.param(params.length)} as ${d.columnType(input.columns.find((c) => c.name === k)!.type)})`);
      });
      return stateKeySql(d, parts);
    });
    sql = `select ${select} from ${names.state(input.name)} s where s.${q(STATE_KEY_COLUMN.name)} in (${keys.join(', ')})`;
  } else if (unique.size <= MAX_LISTED_KEYS) {
    const ors = [...unique.values()].map((w) => {
      params.push(w.scenario);
      const parts = [`s.${q('_scenario')} = ${d.param(params.length)}`];
      input.key.forEach((k, i) => {
        const type = input.columns.find((c) => c.name === k)!.type;
        params.push(w.key[i] ?? null);
        parts.push(`s.${q(k)} = cast(${d.param(params.length)} as ${d.columnType(type)})`);
      });
      return `(${parts.join(' and ')})`;
    });
    sql = `select ${select} from ${names.state(input.name)} s where ${ors.join(' or ')}`;
  } else {
    const list = [...unique.values()];
    await stageRows(tx, keyStageName, keyStageColumns(input), { count: list.length, value: (r, c) => (c === 0 ? list[r]!.scenario : (list[r]!.key[c - 1] ?? null)) });
    const on = stateKeySourceColumns(input).map((c) => `s.${q(c)} = k.${q(c)}`).join(' and ');
    sql = `select ${select} from ${names.state(input.name)} s join ${q(keyStageName)} k on ${on}`;
  }
  // read as columns: no object per row (a bulk update reads a state row per key)
  const found = await queryColumns(tx, sql, params, selected);
  const cols = input.columns;
  const n = cols.length;
  // the select lists the input's columns, then the system columns, in this order
  const column = (i: number) => found.columns[i] ?? [];
  const scenarios = column(n);
  const versions = column(n + 1);
  const deletedFlags = column(n + 2);
  const setCols = column(n + 3);
  const updatedBy = column(n + 4);
  const updatedAt = column(n + 5);
  const entryIds = column(n + 6);
  const tombstones: string[] = [];
  if (filtered) for (let r = 0; r < found.count; r++) if (deletedFlags[r] === true) tombstones.push(String(entryIds[r]));
  const deleted = filtered ? await deletedValuesOf(tx, names, input, tombstones) : undefined;
  const keyAt = input.key.map((k) => cols.findIndex((c) => c.name === k));
  const types = cols.map((c) => c.type);
  const valueColumns = cols.map((_, i) => column(i));
  for (let r = 0; r < found.count; r++) {
    const values: Canonical[] = new Array(n);
    for (let i = 0; i < n; i++) values[i] = canonicalFromDb(types[i]!, valueColumns[i]![r]);
    const key = keyAt.map((i) => values[i] ?? null);
    const at = updatedAt[r];
    const isDeleted = deletedFlags[r] === true;
    out.set(stateKey(String(scenarios[r]), key), {
      version: Number(versions[r]),
      deleted: isDeleted,
      values,
      setColumns: (setCols[r] as string | null) ?? null,
      updatedBy: String(updatedBy[r]),
      updatedAtMs: at instanceof Date ? at.getTime() : Date.parse(String(at)),
      ...(deleted && isDeleted ? { deletedValues: deleted(String(entryIds[r]), key) } : {}),
    });
  }
  return out;
}

/** The values deleted by these delete entries (their old values; key columns from the key). */
async function deletedValuesOf(tx: Adapter, names: SqlNames, input: InputTable, entryIds: string[]): Promise<(entryId: string, key: Canonical[]) => Canonical[]> {
  const d = names.dialect;
  const old = new Map<string, Record<string, Canonical>>();
  for (let start = 0; start < entryIds.length; start += MAX_LISTED_KEYS) {
    const ids = entryIds.slice(start, start + MAX_LISTED_KEYS);
    const rows = await tx.query(
      `select ${d.quoteIdent('_entry_id')} as id, ${d.quoteIdent('_old_values')} as old from ${names.log(input.name)} where ${d.quoteIdent('_entry_id')} in (${ids.map((_, i) => d.param(i + 1)).join(', ')})`,
      ids,
    );
    for (const r of rows) old.set(String(r.id), r.old ? (JSON.parse(String(r.old)) as Record<string, Canonical>) : {});
  }
  return (entryId, key) => {
    const values = old.get(entryId) ?? {};
    return input.columns.map((c) => (input.key.includes(c.name) ? (key[input.key.indexOf(c.name)] ?? null) : (values[c.name] ?? null)));
  };
}
