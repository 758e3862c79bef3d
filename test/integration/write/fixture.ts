import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBAdapter } from '../../../src/adapters/duckdb/duckdb-adapter.js';
import { getDialect } from '../../../src/dialects/registry.js';
import { createChainHeadTableSql, createLogTableSql, createMetaTableSql, createSchemaSql, createStateTableSql, seedChainHeadSql } from '../../../src/emit/ddl.js';
import { metaTablesOf } from '../../../src/managed/meta-tables.js';
import type { InputColumn, InputTable, Project, TablePermission } from '../../../src/ir/types.js';
import { createWriteback, type Writeback } from '../../../src/library/writeback.js';

const loc = { file: 'inputs/x.yml', line: 1, col: 1 };
const col = (name: string, type: InputColumn['type'], more: Partial<InputColumn> = {}): InputColumn => ({ name, type, required: false, loc, ...more });
const perm = (p: Partial<TablePermission>): TablePermission => ({ read: false, write: false, delete: false, approve: false, rowFilter: [], ...p });

/** `forecast`: linked to crm.accounts, scenarios, every column type and rule. */
export const forecast: InputTable = {
  name: 'forecast',
  key: ['account_id', 'quarter'],
  columns: [
    col('account_id', { kind: 'string' }, { required: true }),
    col('quarter', { kind: 'string' }, { required: true, pattern: '^\\d{4}-Q[1-4]$' }),
    col('amount', { kind: 'decimal', precision: 18, scale: 2 }, { required: true, min: 0 }),
    col('confidence', { kind: 'enum', values: ['low', 'medium', 'high'] }, { default: 'medium' }),
    col('note', { kind: 'text' }, { maxLength: 20 }),
    col('category', { kind: 'string' }, { allowedValues: { source: 'crm', table: 'categories', column: 'name' } }),
    col('units', { kind: 'integer' }, { min: 0, max: 1000 }),
    col('ratio', { kind: 'number' }),
    col('start', { kind: 'date' }, { min: '2020-01-01' }),
    col('due', { kind: 'timestamp' }),
    col('active', { kind: 'boolean' }),
    col('tier', { kind: 'string' }, { allowedValues: ['gold', 'silver'] }),
  ],
  linksTo: { source: 'crm', table: 'accounts', on: { account_id: 'id' } },
  scenarios: true,
  permissions: {
    planner: perm({ read: true, write: true, rowFilter: [{ column: 'region', onSource: true, attribute: 'region' }] }),
    finance: perm({ read: true, write: true, delete: true }),
    viewer: perm({ read: true }),
  },
  loc,
};

/** `notes`: integer key, a row filter on an input column. */
export const notes: InputTable = {
  name: 'notes',
  key: ['id'],
  columns: [col('id', { kind: 'integer' }, { required: true }), col('region', { kind: 'string' }), col('body', { kind: 'text' })],
  scenarios: false,
  permissions: { regional: perm({ read: true, write: true, delete: true, rowFilter: [{ column: 'region', onSource: false, attribute: 'region' }] }) },
  loc,
};

/** The test project (no files: the IR directly). */
export function testProject(dir: string): Project {
  const sourceTable = (table: string) => ({ source: 'crm', table, database: {}, schema: { dev: 'crm' }, identifier: table });
  return {
    dir,
    name: 'write_test',
    defaultTarget: 'dev',
    targets: { dev: { name: 'dev', type: 'duckdb', path: 'wh.duckdb' } },
    schemas: { inputs: 'writeback', views: 'planning' },
    sources: { crm: { name: 'crm', tables: { accounts: sourceTable('accounts'), categories: sourceTable('categories') }, loc } },
    seeds: [],
    vars: {},
    roles: { planner: { name: 'planner', attributes: ['region'] }, finance: { name: 'finance', attributes: [] }, viewer: { name: 'viewer', attributes: [] }, regional: { name: 'regional', attributes: ['region'] } },
    inputs: { forecast, notes },
    models: [],
    macros: {},
  };
}

/** A fresh DuckDB file with the sources, managed tables and meta tables; and the library over it. */
export interface TestEnv {
  dir: string;
  adapter: DuckDBAdapter;
  wb: Writeback;
  project: Project;
  count(sql: string): Promise<number>;
  done(): Promise<void>;
}

export async function setup(): Promise<TestEnv> {
  const dir = mkdtempSync(join(tmpdir(), 'wb-write-'));
  const dialect = getDialect('duckdb');
  const adapter = await DuckDBAdapter.open(join(dir, 'wh.duckdb'), dialect);
  const project = testProject(dir);
  const ddl = [
    ...createSchemaSql(dialect, 'crm'),
    ...createSchemaSql(dialect, 'writeback'),
    ...createSchemaSql(dialect, 'planning'),
    'create table crm.accounts (id varchar, region varchar)',
    "insert into crm.accounts values ('A1', 'EMEA'), ('A2', 'EMEA'), ('B1', 'AMER'), ('B2', 'AMER')",
    'create table crm.categories (name varchar)',
    "insert into crm.categories values ('enterprise'), ('smb')",
    ...metaTablesOf(dialect).flatMap((m) => createMetaTableSql(dialect, 'writeback', m)),
    ...[forecast, notes].flatMap((t) => [...createLogTableSql(dialect, 'writeback', t), ...createStateTableSql(dialect, 'writeback', t), ...(dialect.chainHeads === 'per-input' ? createChainHeadTableSql(dialect, 'writeback', t.name) : [])]),
  ];
  for (const sql of ddl) await adapter.execute(sql);
  for (const t of [forecast, notes]) {
    const seed = seedChainHeadSql(dialect, 'writeback', t.name, new Date());
    await adapter.execute(seed.sql, seed.params);
  }
  const wb = await createWriteback(project, adapter, { targetName: 'dev' });
  return {
    dir,
    adapter,
    wb,
    project,
    count: async (sql) => Number((await adapter.query<{ n: number }>(sql))[0]?.n ?? 0),
    done: async () => {
      await wb.close();
      await adapter.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Log row count of an input. */
export const logCount = (env: TestEnv, table: string) => env.count(`select count(*) as n from writeback.${table}__log`);
