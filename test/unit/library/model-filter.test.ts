import { describe, expect, it } from 'vitest';
import { duckdbDialect } from '../../../src/dialects/duckdb/duckdb-dialect.js';
import type { InputTable, Model, Project } from '../../../src/ir/types.js';
import type { SqlValue } from '../../../src/adapters/adapter.js';
import { inputsOfModel, modelScope, modelSelectSql } from '../../../src/library/model-filter.js';
import { decodeCursor, encodeCursor } from '../../../src/library/page-cursor.js';

const loc = { file: 'x.yml', line: 1, col: 1 };
const forecast: InputTable = {
  name: 'revenue_forecast',
  key: ['account_id', 'quarter'],
  columns: [],
  linksTo: { source: 'crm', table: 'accounts', on: { account_id: 'id' } },
  scenarios: true,
  permissions: {
    planner: { read: true, write: true, delete: false, approve: false, rowFilter: [{ column: 'region', onSource: true, attribute: 'region' }] },
    owner: { read: true, write: true, delete: false, approve: false, rowFilter: [{ column: 'account_id', onSource: false, attribute: 'account' }] },
    viewer: { read: false, write: false, delete: false, approve: false, rowFilter: [] },
  },
  loc,
};
const plan: Model = {
  name: 'account_plan',
  body: { kind: 'enrich', from: { kind: 'source', source: 'crm', table: 'accounts' }, joins: [{ input: 'revenue_forecast', on: { account_id: 'id' }, columns: ['amount'] }] },
  dependsOn: { models: [], inputs: ['revenue_forecast'], sources: [{ source: 'crm', table: 'accounts' }] },
  loc,
};
const summary: Model = {
  name: 'summary',
  body: { kind: 'sql', sql: 'select 1', sqlLoc: loc },
  dependsOn: { models: ['account_plan'], inputs: [], sources: [] },
  loc,
};
const project = { inputs: { revenue_forecast: forecast }, models: [plan, summary] } as unknown as Project;
const scopeOf = (model: Model, actor: Parameters<typeof modelScope>[2], columns: string[]) => {
  const params: SqlValue[] = [];
  const r = modelScope(project, model, actor, columns, duckdbDialect, 'm', params);
  return r.ok ? { where: r.where, params } : r;
};

describe('model reads', () => {
  it('finds inputs through upstream models', () => {
    expect(inputsOfModel(project, summary).map((i) => i.name)).toEqual(['revenue_forecast']);
  });

  it('administrators read unfiltered', () => {
    expect(scopeOf(plan, { user: 'cli' }, ['id'])).toEqual({ where: [], params: [] });
  });

  it('turns a source row filter into a condition on the output column', () => {
    const r = scopeOf(plan, { user: 'p', role: 'planner', attributes: { region: 'EMEA' } }, ['id', 'region', 'amount']);
    expect(r).toEqual({ where: ['cast(m."region" as VARCHAR) = $1'], params: ['EMEA'] });
  });

  it('maps an input key column to the base column it is joined on', () => {
    const r = scopeOf(plan, { user: 'o', role: 'owner', attributes: { account: 'A1' } }, ['id', 'amount']);
    expect(r).toEqual({ where: ['cast(m."id" as VARCHAR) = $1'], params: ['A1'] });
  });

  it('refuses what it cannot filter and a role without read; a caller without the attribute reads nothing', () => {
    const noColumn = scopeOf(summary, { user: 'p', role: 'planner', attributes: { region: 'EMEA' } }, ['total']);
    const noRead = scopeOf(plan, { user: 'v', role: 'viewer' }, ['region']);
    for (const r of [noColumn, noRead]) expect('error' in r && r.error.code).toBe('forbidden');
    expect(scopeOf(plan, { user: 'p', role: 'planner', attributes: {} }, ['region'])).toEqual({ where: ['1 = 0'], params: [] });
  });

  it('builds the select with quoted identifiers and bound values', () => {
    const view = { schema: 'planning', name: 'account_plan', columns: ['id', 'region'] };
    expect(modelSelectSql(duckdbDialect, view, ['cast(m."region" as VARCHAR) = $1'], ["EM'EA"])).toEqual({
      sql: 'select * from "planning"."account_plan" m where cast(m."region" as VARCHAR) = $1',
      params: ["EM'EA"],
    });
    expect(modelSelectSql(duckdbDialect, view, [], [], { limit: 10, offset: 20 })).toEqual({
      sql: 'select * from "planning"."account_plan" m order by 1, 2 limit $1 offset $2',
      params: [11, 20],
    });
  });

  it('round-trips cursors and rejects foreign ones', () => {
    expect(decodeCursor(encodeCursor(300))).toBe(300);
    expect(decodeCursor('not-a-cursor')).toBeUndefined();
    expect(decodeCursor(Buffer.from('{"o":-1}').toString('base64url'))).toBeUndefined();
  });
});
