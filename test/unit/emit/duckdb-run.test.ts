import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBAdapter } from '../../../src/adapters/duckdb/duckdb-adapter.js';
import type { Dialect } from '../../../src/dialects/dialect.js';
import { duckdbDialect as d } from '../../../src/dialects/duckdb/duckdb-dialect.js';
import { compileProject } from '../../../src/emit/compile-project.js';
import { addColumnSql, createSchemaSql, createViewSql } from '../../../src/emit/ddl.js';
import { formatSql } from '../../../src/emit/format.js';
import { latestAliasResolver, renderModel, type RenderOptions } from '../../../src/emit/model-sql.js';
import type { SqlValue } from '../../../src/adapters/adapter.js';
import { stateKeyText } from '../../../src/managed/tables.js';
import { fixtureProject } from './fixture-project.js';
import { withFlags } from './with-flags.js';

// Every emitted statement runs for real on an in-memory DuckDB (no file is opened).
const project = fixtureProject();
let db: DuckDBAdapter;

const at = new Date('2026-11-30T01:00:00.000Z');
type StateRow = Record<string, SqlValue>;

async function insertState(table: string, rows: StateRow[]): Promise<void> {
  for (const row of rows) {
    const full: StateRow = { _version: 1, _deleted: false, _updated_by: 'ann', _updated_at: at, _entry_id: `e-${Math.random()}`, _scenario: 'base', ...row };
    // DuckDB keys the state by `_key` (scenario and key as one text), as the write path fills it
    const input = project.inputs[table]!;
    full._key = stateKeyText(input, String(full._scenario), input.key.map((k) => (full[k] === undefined || full[k] === null ? null : String(full[k]))))!;
    const names = Object.keys(full);
    const sql = `insert into ${d.qualify('writeback', table)} (${names.map((n) => d.quoteIdent(n)).join(', ')}) values (${names.map((_, i) => d.param(i + 1)).join(', ')})`;
    await db.execute(sql, Object.values(full));
  }
}

async function createModelViews(dialect: Dialect, suffix = '', options: RenderOptions = {}): Promise<void> {
  for (const model of project.models) {
    const r = renderModel(project, model, dialect, 'dev', latestAliasResolver(project), options);
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    for (const stmt of createViewSql(dialect, 'planning', model.name + suffix, formatSql(dialect, r.value))) await db.execute(stmt);
  }
}

beforeAll(async () => {
  db = await DuckDBAdapter.open(':memory:', d);
  for (const s of ['crm', 'writeback', 'planning']) for (const stmt of createSchemaSql(d, s)) await db.execute(stmt);
  await db.execute(`create table crm.accounts (id varchar, name varchar, region varchar, category varchar, segment varchar)`);
  await db.execute(`insert into crm.accounts values ('a1', 'Acme', 'EMEA', 'retail', 'smb'), ('a2', 'Bolt', 'AMER', 'energy', 'ent'), ('a3', 'Core', 'APAC', 'retail', 'smb')`);
  await db.execute(`create table crm.products (id varchar, name varchar, category varchar, price double)`);
  await db.execute(`insert into crm.products values ('p1', 'Widget', 'tools', 9.5)`);
  // The formatted scripts exactly as `writeback compile` writes them (and the goldens hold).
  for (const obj of compileProject(project, d, 'dev')) if (obj.kind !== 'model') await db.raw.run(obj.sql);
  await insertState('revenue_forecast', [
    { account_id: 'a1', quarter: '2026-Q1', amount: '100.50', confidence: 'high', _set_columns: '|account_id|quarter|amount|confidence|' },
    { account_id: 'a1', quarter: '2026-Q2', amount: '200', confidence: 'low', _set_columns: '|account_id|quarter|amount|confidence|' },
    { account_id: 'a2', quarter: '2026-Q1', amount: '999', _scenario: 'upside', _set_columns: '|account_id|quarter|amount|' },
    { account_id: 'a3', quarter: '2026-Q1', amount: '50', _deleted: true, _version: 2, _set_columns: '|account_id|quarter|amount|' },
  ]);
  await insertState('account_fix', [
    { account_id: 'a1', category: null, _set_columns: '|account_id|category|' },
    { account_id: 'a2', region: 'APAC', _set_columns: '|account_id|region|' },
  ]);
  await insertState('manual_products', [
    { id: 'm1', name: 'Gadget', category: 'tools', price: 3.25, _set_columns: '|id|name|category|price|' },
    { id: 'm2', name: 'Gone', category: 'tools', _deleted: true, _set_columns: '|id|name|category|' },
  ]);
  await createModelViews(d);
});

afterAll(async () => {
  await db?.close();
});

describe('merge views on DuckDB', () => {
  it('enrich adds the input columns of the base-scenario, non-deleted rows', async () => {
    const rows = await db.query(`select id, quarter, amount, confidence from planning.account_plan order by id, quarter`);
    expect(rows).toEqual([
      { id: 'a1', quarter: '2026-Q1', amount: '100.50', confidence: 'high' },
      { id: 'a1', quarter: '2026-Q2', amount: '200.00', confidence: 'low' },
      { id: 'a2', quarter: null, amount: null, confidence: null },
      { id: 'a3', quarter: null, amount: null, confidence: null },
    ]);
    const cols = await db.query<{ column_name: string }>(`select column_name from (describe planning.account_plan)`);
    expect(cols.map((c) => c.column_name)).toEqual(['id', 'name', 'region', 'category', 'segment', 'quarter', 'amount', 'confidence']);
  });

  it('override honours an explicit null, keeps unset columns, lists what it overrode', async () => {
    const rows = await db.query(`select * from planning.accounts_fixed order by id`);
    expect(rows).toEqual([
      { id: 'a1', name: 'Acme', region: 'EMEA', category: null, segment: 'smb', _overridden: 'category' },
      { id: 'a2', name: 'Bolt', region: 'APAC', category: 'energy', segment: 'ent', _overridden: 'region' },
      { id: 'a3', name: 'Core', region: 'APAC', category: 'retail', segment: 'smb', _overridden: null },
    ]);
  });

  it('override lists several overridden columns', async () => {
    await insertState('account_fix', [{ account_id: 'a3', category: 'misc', region: null, _set_columns: '|account_id|category|region|' }]);
    const [row] = await db.query(`select category, region, _overridden from planning.accounts_fixed where id = 'a3'`);
    expect(row).toEqual({ category: 'misc', region: null, _overridden: 'category,region' });
    await db.execute(`delete from writeback.account_fix where account_id = 'a3'`);
  });

  it('append adds the input rows with `_origin`', async () => {
    const rows = await db.query(`select * from planning.all_products order by id`);
    expect(rows).toEqual([
      { id: 'm1', name: 'Gadget', category: 'tools', _origin: 'input' },
      { id: 'p1', name: 'Widget', category: 'tools', _origin: 'source' },
    ]);
  });

  it('an enrich over a model reads the model', async () => {
    const rows = await db.query(`select id, category, _overridden, amount from planning.fixed_plan where id = 'a1' order by amount`);
    expect(rows).toEqual([
      { id: 'a1', category: null, _overridden: 'category', amount: '100.50' },
      { id: 'a1', category: null, _overridden: 'category', amount: '200.00' },
    ]);
  });

  it('a sql model renders refs, vars and (nested, dialect-specific) macros', async () => {
    const rows = await db.query(`select * from planning.plan_summary order by label`);
    expect(rows).toEqual([
      { region: 'EMEA', label: 'FY2026-2026-Q1', total: '100.50', fiscal_year: 2026 },
      { region: 'EMEA', label: 'FY2026-2026-Q2', total: '200.00', fiscal_year: 2026 },
    ]);
  });

  it('a view keeps its shape when the input gains a column', async () => {
    const before = await db.query(`select column_name from (describe planning.account_plan)`);
    for (const stmt of addColumnSql(d, 'writeback', 'revenue_forecast', { name: 'extra', type: { kind: 'string' }, nullable: true, description: '' })) {
      await db.execute(stmt);
    }
    expect(await db.query(`select column_name from (describe planning.account_plan)`)).toEqual(before);
    expect(await db.query(`select count(*) as n from planning.account_plan`)).toEqual([{ n: 4 }]);
  });

  it('override without `* replace` uses `* exclude` (columns move to the end), or the known columns', async () => {
    await createModelViews(withFlags(d, { supportsStarReplace: false }), '_x');
    expect(await db.query(`select * from planning.accounts_fixed_x order by id limit 1`)).toEqual([
      { id: 'a1', name: 'Acme', segment: 'smb', category: null, region: 'EMEA', _overridden: 'category' },
    ]);
    const bare = withFlags(d, { supportsStarReplace: false, starExcludeKeyword: undefined });
    const sourceColumns = (_s: string, table: string) => (table === 'accounts' ? ['id', 'name', 'region', 'category', 'segment'] : undefined);
    await createModelViews(bare, '_k', { sourceColumns });
    expect(await db.query(`select * from planning.accounts_fixed_k order by id limit 1`)).toEqual([
      { id: 'a1', name: 'Acme', region: 'EMEA', category: null, segment: 'smb', _overridden: 'category' },
    ]);
  });
});
