import { describe, expect, it } from 'vitest';
import { sourceValuesSql, valuesSource } from '../../../src/library/source-values.js';
import { duckdbDialect } from '../../../src/dialects/duckdb/duckdb-dialect.js';
import { sqlNames } from '../../../src/managed/sql-names.js';
import type { InputColumn, InputTable, Project } from '../../../src/ir/types.js';

const loc = { file: 'x.yml', line: 1, col: 1 };
const column = (name: string, allowedValues?: InputColumn['allowedValues']): InputColumn => ({
  name, type: { kind: 'string' }, required: false, ...(allowedValues ? { allowedValues } : {}), loc,
} as InputColumn);
const input = {
  name: 'account_category',
  key: ['account_id'],
  columns: [column('account_id'), column('category', { source: 'crm', table: 'categories', column: 'name' }), column('tier', ['a', 'b'])],
  scenarios: false,
  permissions: {},
  loc,
} as unknown as InputTable;
const project = {
  sources: { crm: { name: 'crm', tables: { categories: { source: 'crm', table: 'categories', database: {}, schema: { dev: 'crm_dev' }, identifier: 'Categories' } }, loc } },
  schemas: { inputs: 'writeback', views: 'planning' },
} as unknown as Project;

describe('source values', () => {
  it('finds only columns whose values come from a source', () => {
    expect(valuesSource(input, 'category')).toEqual({ source: 'crm', table: 'categories', column: 'name' });
    expect(valuesSource(input, 'tier')).toBeUndefined();
    expect(valuesSource(input, 'account_id')).toBeUndefined();
    expect(valuesSource(input, 'nope')).toBeUndefined();
  });
  it("reads the source table of the target's schema, distinct and ordered, with the limit bound", () => {
    const q = sourceValuesSql(input, valuesSource(input, 'category')!, { user: 'u', role: 'planner', attributes: { region: 'EMEA' } }, sqlNames(project, 'dev', duckdbDialect), 5000);
    expect(q).toEqual({
      sql: 'select distinct cast(s."name" as VARCHAR) as "value" from "crm_dev"."Categories" s where s."name" is not null order by 1 limit $1',
      params: [5001],
    });
  });
  it("applies the caller's row filter when the values come from the source the input links to", () => {
    const linked = {
      ...input,
      linksTo: { source: 'crm', table: 'categories', on: { account_id: 'name' } },
      permissions: { planner: { read: true, write: true, delete: false, approve: false, rowFilter: [{ column: 'region', onSource: true, attribute: 'region' }] } },
    } as unknown as InputTable;
    const q = sourceValuesSql(linked, valuesSource(linked, 'category')!, { user: 'u', role: 'planner', attributes: { region: 'EMEA' } }, sqlNames(project, 'dev', duckdbDialect), 10);
    expect(q).toEqual({
      sql: 'select distinct cast(s."name" as VARCHAR) as "value" from "crm_dev"."Categories" s where s."name" is not null and cast(s."region" as VARCHAR) = $1 order by 1 limit $2',
      params: ['EMEA', 11],
    });
  });
});
