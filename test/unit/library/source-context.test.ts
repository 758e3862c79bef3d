import { describe, expect, it } from 'vitest';
import { contextSql } from '../../../src/library/source-context.js';
import { duckdbDialect } from '../../../src/dialects/duckdb/duckdb-dialect.js';
import { sqlNames } from '../../../src/managed/sql-names.js';
import type { InputTable, Project } from '../../../src/ir/types.js';

const loc = { file: 'x.yml', line: 1, col: 1 };
const input: InputTable = {
  name: 'revenue_forecast',
  key: ['account_id', 'quarter'],
  columns: [
    { name: 'account_id', type: { kind: 'string' }, required: true, loc },
    { name: 'quarter', type: { kind: 'string' }, required: true, loc },
  ],
  linksTo: { source: 'crm', table: 'accounts', on: { account_id: 'id' } },
  scenarios: false,
  permissions: {
    planner: { read: true, write: true, delete: false, approve: false, rowFilter: [{ column: 'region', onSource: true, attribute: 'region' }] },
    keyed: { read: true, write: false, delete: false, approve: false, rowFilter: [{ column: 'account_id', onSource: false, attribute: 'acc' }] },
    odd: { read: true, write: false, delete: false, approve: false, rowFilter: [{ column: 'quarter', onSource: false, attribute: 'q' }] },
  },
  loc,
};
const project = {
  sources: { crm: { name: 'crm', tables: { accounts: { source: 'crm', table: 'accounts', database: {}, schema: { dev: 'crm' }, identifier: 'accounts' } }, loc } },
  schemas: { inputs: 'writeback', views: 'planning' },
} as unknown as Project;
const names = sqlNames(project, 'dev', duckdbDialect);
const page = { limit: 10, offset: 20 };

describe('contextSql', () => {
  it('reads the linked source with the row filter as a bound parameter', () => {
    const q = contextSql(input, { user: 'ana', role: 'planner', attributes: { region: "EMEA' or 1=1" } }, names, page);
    expect(q).toEqual({
      ok: true,
      sql: 'select s.* from "crm"."accounts" s where cast(s."region" as VARCHAR) = $1 order by s."id" limit $2 offset $3',
      params: ["EMEA' or 1=1", 11, 20],
    });
  });
  it('maps a filter on a link key column to its source column', () => {
    const q = contextSql(input, { user: 'k', role: 'keyed', attributes: { acc: 'acc_1' } }, names, page);
    expect(q.ok && q.sql).toContain('cast(s."id" as VARCHAR) = $1');
  });
  it('reads nothing when the attribute is missing, and refuses a filter it cannot place', () => {
    const missing = contextSql(input, { user: 'ana', role: 'planner' }, names, page);
    expect(missing.ok && missing.sql).toContain('where 1 = 0');
    expect(contextSql(input, { user: 'o', role: 'odd', attributes: { q: 'x' } }, names, page).ok).toBe(false);
  });
  it('an administrator reads every row', () => {
    const q = contextSql(input, { user: 'root' }, names, page);
    expect(q.ok && q.sql).toBe('select s.* from "crm"."accounts" s order by s."id" limit $1 offset $2');
  });
  it("binds each linked key once, as an `in` list: a grouped grid page's thousands of rows name a few accounts", () => {
    const rows = Array.from({ length: 3000 }, (_, i) => ({ account_id: `acc_${i % 3}`, quarter: `2026-Q${(i % 4) + 1}` }));
    const q = contextSql(input, { user: 'root' }, names, page, [...rows, { account_id: null, quarter: 'x' }]);
    expect(q).toEqual({
      ok: true,
      sql: 'select s.* from "crm"."accounts" s where s."id" in (cast($1 as VARCHAR), cast($2 as VARCHAR), cast($3 as VARCHAR)) order by s."id" limit $4 offset $5',
      params: ['acc_0', 'acc_1', 'acc_2', 11, 20],
    });
    // no key, or only keys linking nowhere (a null link value): no source row
    expect(contextSql(input, { user: 'root' }, names, page, [])).toMatchObject({ sql: expect.stringContaining('where 1 = 0') });
    expect(contextSql(input, { user: 'root' }, names, page, [{ account_id: null, quarter: 'x' }])).toMatchObject({ sql: expect.stringContaining('where 1 = 0') });
  });
  it('a link of two columns: one equality pair per distinct pair of values', () => {
    const two: InputTable = { ...input, linksTo: { source: 'crm', table: 'accounts', on: { account_id: 'id', quarter: 'q' } } };
    const q = contextSql(two, { user: 'root' }, names, page, [
      { account_id: 'a', quarter: '1' },
      { account_id: 'a', quarter: '1' },
      { account_id: 'a', quarter: '2' },
    ]);
    expect(q.ok && q.sql).toContain('where ((s."id" = cast($1 as VARCHAR) and s."q" = cast($2 as VARCHAR)) or (s."id" = cast($3 as VARCHAR) and s."q" = cast($4 as VARCHAR)))');
    expect(q.ok && q.params).toEqual(['a', '1', 'a', '2', 11, 20]);
  });
});
