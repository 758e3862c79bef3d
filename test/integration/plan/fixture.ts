import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { ColumnType, InputColumn, InputTable, Model, Project, SourceLocation } from '../../../src/ir/types.js';
import { DuckDBAdapter } from '../../../src/adapters/duckdb/duckdb-adapter.js';
import { duckdbDialect } from '../../../src/dialects/duckdb/duckdb-dialect.js';
import { planProject, type Plan } from '../../../src/plan/plan-project.js';
import { applyPlan } from '../../../src/apply/apply-plan.js';

const loc = (file: string): SourceLocation => ({ file, line: 1, col: 1 });

/** What `makeProject` and `open` created since the last test ended (see `cleanUpAfterEach`). */
const created = { dirs: [] as string[], adapters: [] as DuckDBAdapter[] };

/** After each test of the calling file: close every connection `open` gave, then remove every project folder `makeProject` made. */
export function cleanUpAfterEach(): void {
  afterEach(async () => {
    for (const adapter of created.adapters.splice(0)) await adapter.close();
    for (const dir of created.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
}

/** An input column with default rules. */
export function column(name: string, type: ColumnType, required = false): InputColumn {
  return { name, type, required, loc: loc(`inputs/forecast.yml`) };
}

/** The `forecast` input: one row per account. */
export function forecastInput(columns: InputColumn[] = defaultForecastColumns()): InputTable {
  return { name: 'forecast', key: ['account_id'], columns, scenarios: false, permissions: {}, loc: loc('inputs/forecast.yml') };
}

export function defaultForecastColumns(): InputColumn[] {
  return [
    column('account_id', { kind: 'string' }, true),
    column('amount', { kind: 'decimal', precision: 18, scale: 2 }),
    column('note', { kind: 'text' }),
  ];
}

/** `account_plan`: crm.accounts enriched with forecast columns. */
export function accountPlan(columns: string[] = ['amount']): Model {
  return {
    name: 'account_plan',
    body: { kind: 'enrich', from: { kind: 'source', source: 'crm', table: 'accounts' }, joins: [{ input: 'forecast', on: { account_id: 'id' }, columns }] },
    dependsOn: { models: [], inputs: ['forecast'], sources: [{ source: 'crm', table: 'accounts' }] },
    loc: loc('models/account_plan.yml'),
  };
}

/** `region_totals`: a SQL model over `account_plan`. */
export function regionTotals(): Model {
  const sql = "select region, count(*) as accounts from {{ ref('account_plan') }} group by region";
  return {
    name: 'region_totals',
    body: { kind: 'sql', sql, sqlLoc: loc('models/region_totals.yml') },
    dependsOn: { models: ['account_plan'], inputs: [], sources: [] },
    loc: loc('models/region_totals.yml'),
  };
}

export const ACCOUNTS_CSV = 'id,name,region\n007,Northwind,AMER\n008,Helios,EMEA\n009,Kestrel,EMEA\n';

/** A project in a fresh temp dir with a seed, one input and two models; the DuckDB file lives in it. */
export function makeProject(): Project {
  const dir = mkdtempSync(join(tmpdir(), 'wb-plan-'));
  created.dirs.push(dir);
  mkdirSync(join(dir, 'seeds'));
  writeFileSync(join(dir, 'seeds/accounts.csv'), ACCOUNTS_CSV);
  return {
    dir,
    name: 'plan_test',
    defaultTarget: 'dev',
    targets: { dev: { name: 'dev', type: 'duckdb', path: 'target/warehouse.duckdb' } },
    schemas: { inputs: 'writeback', views: 'planning' },
    sources: {
      crm: {
        name: 'crm',
        tables: { accounts: { source: 'crm', table: 'accounts', database: {}, schema: { dev: 'crm' }, identifier: 'accounts' } },
        loc: loc('project.yml'),
      },
    },
    seeds: [{ file: 'seeds/accounts.csv', into: { source: 'crm', table: 'accounts' }, columnTypes: { id: { kind: 'string' } }, loc: loc('project.yml') }],
    vars: {},
    roles: {},
    inputs: { forecast: forecastInput() },
    models: [accountPlan(), regionTotals()],
    macros: {},
  };
}

/** Path of the project's DuckDB file. */
export const dbPath = (project: Project) => join(project.dir, 'target/warehouse.duckdb');

/** Open the project's DuckDB file read-write. */
export async function open(project: Project): Promise<DuckDBAdapter> {
  const adapter = await DuckDBAdapter.open(dbPath(project), duckdbDialect);
  created.adapters.push(adapter);
  return adapter;
}

/** Plan (failing the test on diagnostics). */
export async function plan(project: Project, adapter: DuckDBAdapter, allowDestructive = false, now?: Date): Promise<Plan> {
  const result = await planProject(project, { targetName: 'dev', adapter, user: 'tester', allowDestructive, ...(now ? { now } : {}) });
  if (!result.ok) throw new Error(`plan failed: ${JSON.stringify(result.diagnostics)}`);
  return result.value;
}

/** Plan and apply; returns the applied plan. */
export async function planAndApply(project: Project, adapter: DuckDBAdapter, allowDestructive = false, now?: Date): Promise<Plan> {
  const p = await plan(project, adapter, allowDestructive, now);
  const applied = await applyPlan(p, adapter);
  if (!applied.ok) throw new Error(`apply failed: ${JSON.stringify(applied.diagnostics)}`);
  return p;
}

/** Kinds of a plan's operations, for compact assertions. */
export const kinds = (p: Plan) => p.operations.map((o) => o.kind);
