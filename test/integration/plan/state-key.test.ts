import { describe, expect, it } from 'vitest';
import type { Adapter, SqlValue } from '../../../src/adapters/adapter.js';
import type { DuckDBAdapter } from '../../../src/adapters/duckdb/duckdb-adapter.js';
import { createTableSql } from '../../../src/emit/ddl.js';
import { createWriteback } from '../../../src/library/index.js';
import { sqlNames } from '../../../src/managed/sql-names.js';
import { stateColumns, stateKeySourceColumns, stateKeySql, stateKeyText } from '../../../src/managed/tables.js';
import { entriesValuesSql, upsertStateSql } from '../../../src/write/commit-sql.js';
import type { LogEntry } from '../../../src/write/log-entry.js';
import { loadCurrentRows } from '../../../src/write/state-lookup.js';
import type { InputTable, Project } from '../../../src/ir/types.js';
import { cleanUpAfterEach, column, makeProject, open, plan, planAndApply } from './fixture.js';

// On DuckDB the state table is keyed by one column `_key` (scenario + key as one text): DuckDB
// answers a filter or join from an index only on a single column, so a lookup or update by
// (`_scenario`, key columns) scanned the whole state table. Projects applied by an earlier version
// have the composite primary key and no `_key`: apply rebuilds their state tables, every row kept.

let project: Project;
let adapter: DuckDBAdapter | undefined;
cleanUpAfterEach();

/** `targets`: a two-column key (text and date) and scenarios. */
function targetsInput(): InputTable {
  return {
    name: 'targets',
    key: ['account_id', 'month'],
    columns: [column('account_id', { kind: 'string' }, true), column('month', { kind: 'date' }, true), column('amount', { kind: 'decimal', precision: 18, scale: 2 }), column('note', { kind: 'text' })],
    scenarios: true,
    permissions: {},
    loc: { file: 'inputs/targets.yml', line: 1, col: 1 },
  };
}

/** `rates`: a key whose texts the warehouse writes its own way (decimal, timestamp): `_key` is derived in SQL only. */
function ratesInput(): InputTable {
  return {
    name: 'rates',
    key: ['rate', 'at'],
    columns: [column('rate', { kind: 'decimal', precision: 18, scale: 4 }, true), column('at', { kind: 'timestamp' }, true), column('note', { kind: 'text' })],
    scenarios: false,
    permissions: {},
    loc: { file: 'inputs/rates.yml', line: 1, col: 1 },
  };
}

function stateKeyProject(): Project {
  const p = makeProject();
  p.inputs.targets = targetsInput();
  p.inputs.rates = ratesInput();
  return p;
}

async function withWriteback<T>(a: DuckDBAdapter, fn: (wb: Awaited<ReturnType<typeof createWriteback>>) => Promise<T>): Promise<T> {
  const wb = await createWriteback(project, a, { targetName: 'dev' });
  try {
    return await fn(wb);
  } finally {
    await wb.close();
  }
}

/** Writes that leave updated rows, a tombstone, scenario rows and keys whose texts could run together if `_key` were a plain concatenation. */
async function writeSome(a: DuckDBAdapter): Promise<void> {
  await withWriteback(a, async (wb) => {
    const ok = async (r: Promise<{ ok: boolean }>) => expect((await r).ok).toBe(true);
    await ok(wb.inputs.write('forecast', [{ account_id: '007', amount: '1.50' }, { account_id: '008', amount: '2.00', note: 'a:b' }, { account_id: '0', amount: '3.00' }], { user: 'ann' }));
    await ok(wb.inputs.write('forecast', [{ account_id: '007', amount: '4.25' }], { user: 'bob' }));
    await ok(wb.inputs.delete('forecast', [{ account_id: '0' }], { user: 'ann' }));
    await ok(wb.inputs.write('targets', [
      { account_id: 'a1:', month: '2026-01-01', amount: '10.00' },
      { account_id: 'a', month: '2026-01-01', amount: '11.00' },
      { account_id: '1:a', month: '2026-02-01', amount: '12.00' },
    ], { user: 'ann' }));
    await ok(wb.inputs.write('targets', [{ account_id: 'a', month: '2026-01-01', amount: '13.00' }], { user: 'ann', scenario: 'upside' }));
    await ok(wb.inputs.delete('targets', [{ account_id: '1:a', month: '2026-02-01' }], { user: 'ann', scenario: 'upside' }));
  });
}

/** Every state row of an input, in key order, with every column readers see. */
async function stateRows(a: DuckDBAdapter, input: InputTable): Promise<Record<string, unknown>[]> {
  const cols = stateColumns(input).map((c) => c.name).join(', ');
  return a.query(`select ${cols} from writeback.${input.name} order by ${stateKeySourceColumns(input).join(', ')}`);
}

/** Lay a state table out as the previous version created it: no `_key`, primary key (`_scenario`, key columns). */
async function toPreviousLayout(a: DuckDBAdapter, input: InputTable): Promise<void> {
  const cols = stateColumns(input).map((c) => c.name).join(', ');
  const [create] = createTableSql(a.dialect, 'writeback', `${input.name}__old`, stateColumns(input), { primaryKey: stateKeySourceColumns(input) });
  await a.execute(create!);
  await a.execute(`insert into writeback.${input.name}__old (${cols}) select ${cols} from writeback.${input.name}`);
  await a.execute(`drop table writeback.${input.name}`);
  await a.execute(`alter table writeback.${input.name}__old rename to ${input.name}`);
}

/** A fresh project with the three inputs, applied; its file open as `adapter` (closed after the test). */
async function applied(): Promise<DuckDBAdapter> {
  project = stateKeyProject();
  const db = await open(project);
  adapter = db;
  await planAndApply(project, db);
  return db;
}

const columnNames = async (a: DuckDBAdapter, table: string) =>
  (await a.describeSchemas(['writeback'])).find((t) => t.name === table)?.columns.map((c) => c.name) ?? [];

describe('the state table keyed by _key (DuckDB)', () => {
  it('a new input state table has _key as its primary key, and the write path and verify keep it equal to the scenario and key', async () => {
    const db = await applied();
    expect(await columnNames(db, 'targets')).toContain('_key');
    const [pk] = await db.query<{ cols: string[] }>(
      "select constraint_column_names as cols from duckdb_constraints() where table_name = 'targets' and constraint_type = 'PRIMARY KEY'",
    );
    expect(pk?.cols).toEqual(['_key']);
    await writeSome(db);
    // one state row per scenario and key, each with its own `_key`
    const keys = await db.query<{ n: number; keys: number }>('select count(*) as n, count(distinct _key) as keys from writeback.targets');
    expect(keys).toEqual([{ n: 5, keys: 5 }]);
    const report = await withWriteback(db, (wb) => wb.verify());
    expect(report.problems).toEqual([]);

    // a `_key` changed outside writeback is drift that verify names
    await db.execute("update writeback.forecast set _key = 'v007x' where account_id = '007'");
    const drifted = await withWriteback(db, (wb) => wb.verify());
    expect(drifted.problems.map((p) => p.message)).toEqual(['state row {"account_id":"007"} (scenario base) differs from the log in: _key']);
  });

  it('a state table of the previous layout is rebuilt by apply: the same rows, verify clean, writes go on', async () => {
    const db = await applied();
    await writeSome(db);
    const inputs = [project.inputs.forecast!, project.inputs.targets!];
    const before = await Promise.all(inputs.map((i) => stateRows(db, i)));
    for (const input of inputs) await toPreviousLayout(db, input);
    expect(await columnNames(db, 'forecast')).not.toContain('_key');

    const upgrade = await plan(project, db);
    expect(upgrade.operations.map((o) => o.description)).toEqual([
      'rebuild writeback.forecast keyed by _key (scenario and key as one column, found by index; every row kept)',
      'rebuild writeback.targets keyed by _key (scenario and key as one column, found by index; every row kept)',
    ]);
    // the server does not write an input whose state has the previous layout
    await withWriteback(db, async (wb) => {
      await expect(wb.inputs.write('forecast', [{ account_id: '009', amount: '1.00' }], { user: 'ann' })).rejects.toThrow(
        '"writeback"."forecast" has the layout of an earlier version (no _key): run `writeback apply` first',
      );
    });
    await planAndApply(project, db);
    expect(await Promise.all(inputs.map((i) => stateRows(db, i)))).toEqual(before);
    expect(await columnNames(db, 'forecast')).toContain('_key');
    expect((await db.describeSchemas(['writeback'])).map((t) => t.name).filter((n) => n.endsWith('__rebuild'))).toEqual([]);
    expect((await plan(project, db)).operations).toEqual([]);
    expect((await withWriteback(db, (wb) => wb.verify())).problems).toEqual([]);

    // the write path finds the migrated rows by `_key`: versions go on from where they were
    await withWriteback(db, async (wb) => {
      const r = await wb.inputs.write('targets', [{ account_id: 'a', month: '2026-01-01', amount: '14.00', _version: 1 }], { user: 'bob' });
      expect(r.ok && r.entries.map((e) => e.version)).toEqual([2]);
      const s = await wb.inputs.write('targets', [{ account_id: 'a', month: '2026-01-01', amount: '15.00', _version: 1 }], { user: 'bob', scenario: 'upside' });
      expect(s.ok && s.entries.map((e) => e.version)).toEqual([2]);
      const again = await wb.inputs.write('forecast', [{ account_id: '0', amount: '5.00' }], { user: 'bob' });
      expect(again.ok && again.entries.map((e) => e.version)).toEqual([3]);
    });
    const report = await withWriteback(db, (wb) => wb.verify());
    expect(report.problems).toEqual([]);
    expect(report.tables.find((t) => t.table === 'targets')).toEqual({ table: 'targets', entries: 7, stateRows: 5 });
  });

  it('the lookup and the update of a few keys read the state table by its index, not by a scan', async () => {
    const db = await applied();
    const rows = Array.from({ length: 5000 }, (_, i) => ({ account_id: `a${i}`, month: '2026-01-01', amount: '1.00' }));
    await withWriteback(db, async (wb) => expect((await wb.inputs.write('targets', rows, { user: 'ann' })).ok).toBe(true));
    const names = sqlNames(project, 'dev', db.dialect);
    const input = project.inputs.targets!;
    const profile = async (sql: string, params: SqlValue[]) =>
      (await db.query(`explain analyze ${sql}`, params)).map((r) => Object.values(r).join('\n')).join('\n');

    // the statement the write path reads the current rows with (recorded, then profiled on the real table)
    const seen: { sql: string; params: SqlValue[] }[] = [];
    const recorder = { dialect: db.dialect, query: async (sql: string, params: SqlValue[]) => (seen.push({ sql, params }), []) } as unknown as Adapter;
    await loadCurrentRows(recorder, names, input, [{ scenario: 'base', key: ['a7', '2026-01-01'] }, { scenario: 'base', key: ['a4000', '2026-01-01'] }], '_wb_keys_targets');
    const lookup = await profile(seen[0]!.sql, seen[0]!.params);
    expect(lookup).toContain('Index Scan');
    expect(lookup).not.toContain('Sequential Scan');

    // the state update of a group whose key exists (profiled, then rolled back)
    const entry: LogEntry = {
      entryId: 'e-x', seq: 5001, op: 'upsert', scenario: 'base', version: 2, user: 'bob', atMs: Date.UTC(2026, 0, 2),
      setColumns: '|account_id|month|amount|', oldValues: null, requestId: null, comment: null, prevHash: null, hash: 'h', values: ['a7', '2026-01-01', '2.00', null],
    };
    const params: SqlValue[] = [];
    const update = upsertStateSql(names, input, entriesValuesSql(names, input, [entry], params), false, 'existing');
    await db.execute('begin');
    const updated = await profile(update, params);
    await db.execute('rollback');
    expect(updated).toContain('Index Scan');
    expect(updated).not.toContain('Sequential Scan');
  });

  it('the _key text computed for bound lookups is the one the warehouse derives; other key types are derived in SQL only, and written and found the same way', async () => {
    const db = await applied();
    const mixed: InputTable = { ...targetsInput(), key: ['account_id', 'n', 'month'], columns: [...targetsInput().columns, column('n', { kind: 'integer' }, true)] };
    const derive = stateKeySql(db.dialect, ['cast($1 as varchar)', 'cast($2 as varchar)', 'cast($3 as bigint)', 'cast($4 as date)']);
    const cases: [string, (string | null)[]][] = [
      ['base', ['a', '1', '2026-01-31']],
      ['upside', ['1:a', '-12', '0999-12-31']],
      ['base', ['e\u0301👍🏽:', '9223372036854775807', '2026-02-01']],
      ['base', ['', '0', '2026-03-01']],
      ['base', [null, '3', null]],
    ];
    for (const [scenario, key] of cases) {
      const [row] = await db.query<{ k: string }>(`select ${derive} as k`, [scenario, ...key]);
      expect(stateKeyText(mixed, scenario, key)).toBe(row!.k);
    }
    // texts that differ from the warehouse's: never computed outside it
    expect(stateKeyText(ratesInput(), 'base', ['1.5000', '2026-01-01T00:00:00.000Z'])).toBeUndefined();
    expect(stateKeyText(mixed, 'base', ['a', '1', '0000-01-01'])).toBeUndefined();

    await withWriteback(db, async (wb) => {
      const first = await wb.inputs.write('rates', [{ rate: '1.5', at: '2026-01-01T10:00:00Z', note: 'x' }, { rate: '-0.25', at: '2026-01-01T10:00:00.5Z' }], { user: 'ann' });
      expect(first.ok).toBe(true);
      const again = await wb.inputs.write('rates', [{ rate: '1.5000', at: '2026-01-01T10:00:00.000Z', note: 'y' }], { user: 'ann' });
      expect(again.ok && again.entries.map((e) => e.version)).toEqual([2]);
      const report = await wb.verify();
      expect(report.problems).toEqual([]);
      expect(report.tables.find((t) => t.table === 'rates')).toEqual({ table: 'rates', entries: 3, stateRows: 2 });
    });
  });
});
