import { describe, expect, it } from 'vitest';
import { dbtSources } from '../../../src/library/dbt-sources.js';
import { loadProject } from '../../../src/project/load-project.js';
import { writeProject } from '../project/helpers.js';

/** A one-input, one-model project with one target of each warehouse. */
async function project() {
  const dir = writeProject({
    'project.yml': [
      'name: plan',
      'default_target: dev',
      'targets:',
      '  dev: { type: duckdb }',
      '  pg: { type: postgres, host: db, database: analytics, user: u }',
      "  sf: { type: snowflake, account: a, user: u, database: \"{{ env('SF_DATABASE') }}\" }",
      '  bq: { type: bigquery, project: acme-data }',
      'schemas: { inputs: wb, views: planning }',
      'sources:',
      '  crm: { tables: [accounts] }',
      'roles: { planner: {} }',
      '',
    ].join('\n'),
    'inputs/targets.yml': [
      'key: [account_id]',
      'links_to: { source: crm.accounts, on: { account_id: id } }',
      'columns:',
      '  account_id: { type: string }',
      '  amount: { type: "decimal(18,2)" }',
      '  at: { type: timestamp }',
      'permissions:',
      '  planner: { read: true, write: true }',
      '',
    ].join('\n'),
    'models/targets_view.yml': 'kind: append\nsource: crm.accounts\ninput: targets\ncolumns: [account_id, amount]\n',
  });
  const r = await loadProject(dir);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.value;
}

describe('dbtSources per target: database, stored names and column types of each warehouse (offline)', () => {
  it.each([
    ['dev', undefined, 'planning', 'wb', undefined, 'DECIMAL(18, 2)', 'TIMESTAMP'],
    ['pg', 'analytics', 'planning', 'wb', undefined, 'NUMERIC(18, 2)', 'TIMESTAMPTZ'],
    // Snowflake stores writeback's lower-case names upper-case; dbt's env_var stands for writeback's env
    ['sf', "{{ env_var('SF_DATABASE') }}", 'PLANNING', 'WB', 'TARGETS_VIEW', 'NUMBER(18, 2)', 'TIMESTAMP_NTZ'],
    ['bq', 'acme-data', 'planning', 'wb', undefined, 'NUMERIC(18, 2)', 'TIMESTAMP'],
  ])('%s', async (target, database, views, inputs, identifier, decimal, timestamp) => {
    const file = dbtSources(await project(), { target });
    const [v, i] = file.sources;
    expect(v!.database).toBe(database);
    expect(i!.database).toBe(database);
    expect([v!.schema, i!.schema]).toEqual([views, inputs]);
    expect(v!.quoting).toEqual({ schema: true, identifier: true });
    const model = v!.tables.find((t) => t.name === 'targets_view')!;
    expect(model.identifier).toBe(identifier);
    expect(model.columns?.find((c) => c.name === 'amount')?.data_type).toBe(decimal);
    expect(i!.tables[0]!.columns!.find((c) => c.name === 'at')?.data_type).toBe(timestamp);
    expect(model.meta.writeback['fingerprint']).toMatch(/^[0-9a-f]{64}$/);
  });
});
