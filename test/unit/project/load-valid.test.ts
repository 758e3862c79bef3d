import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/project/load-project.js';
import type { Project } from '../../../src/ir/types.js';
import { BASE, writeProject } from './helpers.js';

const fixture = join(import.meta.dirname, '../../fixtures/projects/valid-basic');

async function load(dir: string): Promise<Project> {
  const r = await loadProject(dir);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics, null, 2));
  expect(r.warnings).toEqual([]);
  return r.value;
}

describe('loadProject on valid-basic', () => {
  it('reads project.yml: targets, schemas, vars, roles', async () => {
    const p = await load(fixture);
    expect(p.name).toBe('valid_basic');
    expect(p.dir).toBe(fixture);
    expect(p.defaultTarget).toBe('dev');
    expect(p.targets).toEqual({
      dev: { name: 'dev', type: 'duckdb', path: 'target/dev.duckdb' },
      prod: { name: 'prod', type: 'snowflake', settings: { account: "{{ env('SF_ACCOUNT') }}", warehouse: 'compute_wh', threads: '4' } },
    });
    expect(p.schemas).toEqual({ inputs: 'writeback', views: 'planning' });
    expect(p.vars).toEqual({ fiscal_year: 2026 });
    expect(p.roles).toEqual({
      planner: { name: 'planner', description: 'Regional planners', attributes: ['region'] },
      finance: { name: 'finance', attributes: [] },
    });
  });

  it('expands source schema/database for every target, with the tables list shorthand', async () => {
    const p = await load(fixture);
    expect(p.sources.crm?.tables.accounts).toEqual({
      source: 'crm',
      table: 'accounts',
      description: 'One row per account',
      database: { prod: 'ANALYTICS' },
      schema: { dev: 'crm', prod: 'RAW_CRM' },
      identifier: 'ACCOUNTS',
    });
    expect(p.sources.finance?.tables.actuals).toEqual({ source: 'finance', table: 'actuals', database: {}, schema: { dev: 'fin', prod: 'fin' }, identifier: 'actuals' });
    expect(p.sources.crm?.loc).toMatchObject({ file: 'project.yml', line: 8, col: 3 });
  });

  it('reads seeds, including the string shorthand', async () => {
    const p = await load(fixture);
    expect(p.seeds.map(({ loc: _loc, ...s }) => s)).toEqual([
      { file: 'seeds/accounts.csv', into: { source: 'crm', table: 'accounts' }, columnTypes: { id: { kind: 'string' }, revenue: { kind: 'decimal', precision: 18, scale: 2 } } },
      { file: 'seeds/actuals.csv', into: { source: 'finance', table: 'actuals' }, columnTypes: {} },
    ]);
  });

  it('converts an input table: key columns first and required, types, rules, link, permissions', async () => {
    const p = await load(fixture);
    const t = p.inputs.revenue_forecast;
    expect(t).toBeDefined();
    if (!t) return;
    expect(t.key).toEqual(['account_id', 'quarter']);
    expect(t.columns.map((c) => c.name)).toEqual(['account_id', 'quarter', 'amount', 'confidence', 'category', 'region', 'note']);
    const col = (n: string) => t.columns.find((c) => c.name === n);
    expect(col('account_id')).toMatchObject({ type: { kind: 'string' }, required: true, description: 'Account', loc: { file: 'inputs/revenue_forecast.yml', line: 8, col: 3 } });
    expect(col('quarter')).toMatchObject({ required: true, pattern: '^\\d{4}-Q[1-4]$' });
    expect(col('amount')).toMatchObject({ type: { kind: 'decimal', precision: 18, scale: 2 }, required: true, min: 0 });
    expect(col('confidence')).toMatchObject({ type: { kind: 'enum', values: ['low', 'medium', 'high'] }, required: false, default: 'medium' });
    expect(col('category')?.allowedValues).toEqual({ source: 'crm', table: 'categories', column: 'name' });
    expect(col('region')?.allowedValues).toEqual(['EMEA', 'AMER', 'APAC']);
    expect(col('note')).toMatchObject({ type: { kind: 'text' }, maxLength: 500 });
    expect(t.linksTo).toEqual({ source: 'crm', table: 'accounts', on: { account_id: 'id' } });
    expect(t.scenarios).toBe(true);
    expect(t.permissions).toEqual({
      planner: {
        read: true,
        write: true,
        delete: false,
        approve: false,
        rowFilter: [
          { column: 'region', onSource: false, attribute: 'region' },
          { column: 'region', onSource: true, attribute: 'region' },
        ],
      },
      finance: { read: true, write: true, delete: true, approve: true, rowFilter: [] },
    });
  });

  it('orders models upstream first and fills dependsOn, including references made inside macros', async () => {
    const p = await load(fixture);
    expect(p.models.map((m) => m.name)).toEqual(['plan', 'eur_plan', 'forecast_vs_actuals']);
    const byName = Object.fromEntries(p.models.map((m) => [m.name, m]));
    expect(byName.plan?.dependsOn).toEqual({ models: [], inputs: ['revenue_forecast'], sources: [{ source: 'crm', table: 'accounts' }] });
    // round_money → to_eur → source('finance', 'actuals')
    expect(byName.eur_plan?.dependsOn).toEqual({ models: ['plan'], inputs: [], sources: [{ source: 'finance', table: 'actuals' }] });
    expect(byName.forecast_vs_actuals?.dependsOn).toEqual({ models: ['plan'], inputs: ['revenue_forecast'], sources: [{ source: 'finance', table: 'actuals' }] });
    const sql = byName.forecast_vs_actuals?.body;
    expect(sql?.kind).toBe('sql');
    if (sql?.kind === 'sql') {
      expect(sql.sql.startsWith("select a.*, {{ fiscal_quarter('x.booked_at') }}")).toBe(true);
      expect(sql.sqlLoc).toEqual({ file: 'models/forecast_vs_actuals.yml', line: 3, col: 3 });
    }
    expect(byName.plan?.body).toEqual({
      kind: 'enrich',
      from: { kind: 'source', source: 'crm', table: 'accounts' },
      joins: [{ input: 'revenue_forecast', on: { account_id: 'id' }, columns: ['quarter', 'amount', 'confidence'] }],
    });
  });

  it('reads macros with dialect variants and defaults', async () => {
    const p = await load(fixture);
    const fq = p.macros.fiscal_quarter ?? [];
    expect(fq.map((v) => [v.name, v.dialect, v.params])).toEqual([
      ['fiscal_quarter', undefined, [{ name: 'col' }, { name: 'prefix', default: 'Q' }]],
      ['snowflake__fiscal_quarter', 'snowflake', [{ name: 'col' }, { name: 'prefix', default: 'Q' }]],
    ]);
    expect(fq[0]?.loc).toMatchObject({ file: 'macros/fiscal.sql', line: 2, col: 10 });
    expect(fq[0]?.body).toBe("\n  strftime({{ col }}, '%Y') || '-{{ prefix }}' || quarter({{ col }})\n");
    // `default__round_money` is the default variant of `round_money`
    expect(p.macros.round_money?.[0]).toMatchObject({ name: 'round_money', params: [{ name: 'x' }, { name: 'digits', default: 2 }] });
    expect(p.macros.round_money?.[0]?.dialect).toBeUndefined();
  });
});

describe('loadProject defaults', () => {
  it('defaults targets, schemas, input names, permissions and omitted model columns', async () => {
    const dir = writeProject({
      'project.yml': 'name: tiny\nsources:\n  crm: { tables: [accounts] }\nroles: { viewer: }\n',
      'inputs/notes.yml': 'key: id\ncolumns:\n  id: { type: integer }\n  body: { type: text }\npermissions: { viewer: {} }\n',
      'models/with_notes.yml': 'kind: override\nsource: crm.accounts\ninput: notes\non: { id: id }\n',
      'models/all_notes.yml': 'kind: append\nsource: crm.accounts\ninput: notes\n',
    });
    const p = await load(dir);
    expect(p.targets).toEqual({ dev: { name: 'dev', type: 'duckdb', path: 'target/warehouse.duckdb' } });
    expect(p.defaultTarget).toBe('dev');
    expect(p.schemas).toEqual({ inputs: 'writeback', views: 'analytics' });
    expect(p.sources.crm?.tables.accounts?.schema).toEqual({ dev: 'crm' });
    expect(p.inputs.notes?.key).toEqual(['id']);
    expect(p.inputs.notes?.permissions.viewer).toEqual({ read: true, write: false, delete: false, approve: false, rowFilter: [] });
    const body = (n: string) => p.models.find((m) => m.name === n)?.body;
    expect(body('with_notes')).toMatchObject({ kind: 'override', columns: ['body'] });
    expect(body('all_notes')).toMatchObject({ kind: 'append', columns: ['id', 'body'] });
  });

  it('BASE helper project is valid', async () => {
    const p = await load(writeProject(BASE));
    expect(Object.keys(p.inputs)).toEqual(['forecast']);
  });
});
