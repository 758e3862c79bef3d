import { describe, expect, it } from 'vitest';
import type { SqlValue } from '../../../src/adapters/adapter.js';
import { bigqueryDialect } from '../../../src/dialects/bigquery/bigquery-dialect.js';
import { duckdbDialect } from '../../../src/dialects/duckdb/duckdb-dialect.js';
import { postgresDialect } from '../../../src/dialects/postgres/postgres-dialect.js';
import { snowflakeDialect } from '../../../src/dialects/snowflake/snowflake-dialect.js';
import type { Dialect } from '../../../src/dialects/dialect.js';
import type { InputTable, Project } from '../../../src/ir/types.js';
import { sqlNames } from '../../../src/managed/sql-names.js';
import { planningRelationSql } from '../../../src/write/planning-relation.js';

const loc = { file: 'x.yml', line: 1, col: 1 };
const input: InputTable = {
  name: 'forecast',
  key: ['account_id', 'quarter'],
  columns: [
    { name: 'account_id', type: { kind: 'string' }, required: true, loc },
    { name: 'quarter', type: { kind: 'string' }, required: true, loc },
    { name: 'amount', type: { kind: 'decimal', precision: 18, scale: 2 }, required: false, loc },
  ],
  linksTo: { source: 'crm', table: 'accounts', on: { account_id: 'id' } },
  scenarios: true,
  permissions: {
    planner: { read: true, write: true, delete: false, approve: false, rowFilter: [{ column: 'region', onSource: true, attribute: 'region' }] },
  },
  planning: { rows: 'links_to', across: { column: 'quarter', values: ['2026-Q1', '2026-Q2'] }, layout: 'table' },
  loc,
};
const project = {
  sources: {
    crm: {
      name: 'crm',
      tables: {
        accounts: { source: 'crm', table: 'accounts', database: {}, schema: { dev: 'crm' }, identifier: 'accounts' },
        quarters: { source: 'crm', table: 'quarters', database: {}, schema: { dev: 'crm' }, identifier: 'quarters' },
      },
      loc,
    },
  },
  schemas: { inputs: 'writeback', views: 'planning' },
} as unknown as Project;
const ana = { user: 'ana', role: 'planner', attributes: { region: "EMEA' or 1=1" } };

function relation(d: Dialect, scenario = 'base') {
  const params: SqlValue[] = [];
  const sql = planningRelationSql(sqlNames(project, 'dev', d), input, scenario, ana, params);
  return { sql, params, template: sql.slice(sql.indexOf(' full join ') + ' full join '.length) };
}

describe('planningRelationSql', () => {
  it('full-joins the stored rows with the linked source rows in the row filter × the across values, every value bound (DuckDB)', () => {
    const r = relation(duckdbDialect);
    expect(r.sql).toBe(
      '(select coalesce(v."account_id", t."account_id") as "account_id", coalesce(v."quarter", t."quarter") as "quarter", v."amount", ' +
        'coalesce(v."_scenario", t."_scenario") as "_scenario", coalesce(v."_version", 0) as "_version", v."_updated_by", v."_updated_at", v."account_id" is null as "_template" ' +
        'from (select t."account_id", t."quarter", t."amount", t."_scenario", t."_version", t."_updated_by", t."_updated_at" from "writeback"."forecast" t where t."_scenario" = $1 and not t."_deleted") v ' +
        'full join (select cast(s."id" as VARCHAR) as "account_id", a."quarter", cast($4 as VARCHAR) as "_scenario" from "crm"."accounts" s ' +
        'cross join (select cast($2 as VARCHAR) as "quarter" union all select cast($3 as VARCHAR) as "quarter") a where cast(s."region" as VARCHAR) = $5) t ' +
        'on v."account_id" = t."account_id" and v."quarter" = t."quarter")',
    );
    expect(r.params).toEqual(['base', '2026-Q1', '2026-Q2', 'base', "EMEA' or 1=1"]);
  });

  it('the template side per dialect: parameters, quoting and casts of each warehouse', () => {
    expect(relation(postgresDialect).template).toBe(
      '(select cast(s."id" as TEXT) as "account_id", a."quarter", cast($4 as TEXT) as "_scenario" from "crm"."accounts" s ' +
        'cross join (select cast($2 as TEXT) as "quarter" union all select cast($3 as TEXT) as "quarter") a where cast(s."region" as TEXT) = $5) t ' +
        'on v."account_id" = t."account_id" and v."quarter" = t."quarter")',
    );
    expect(relation(snowflakeDialect).template).toBe(
      '(select cast(s."ID" as VARCHAR) as "ACCOUNT_ID", a."QUARTER", cast(:4 as VARCHAR) as "_SCENARIO" from "CRM"."ACCOUNTS" s ' +
        'cross join (select cast(:2 as VARCHAR) as "QUARTER" union all select cast(:3 as VARCHAR) as "QUARTER") a where cast(s."REGION" as VARCHAR) = :5) t ' +
        'on v."ACCOUNT_ID" = t."ACCOUNT_ID" and v."QUARTER" = t."QUARTER")',
    );
    expect(relation(bigqueryDialect).template).toBe(
      '(select cast(s.`id` as STRING) as `account_id`, a.`quarter`, cast(@p4 as STRING) as `_scenario` from `crm`.`accounts` s ' +
        'cross join (select cast(@p2 as STRING) as `quarter` union all select cast(@p3 as STRING) as `quarter`) a where cast(s.`region` as STRING) = @p5) t ' +
        'on v.`account_id` = t.`account_id` and v.`quarter` = t.`quarter`)',
    );
  });

  it('a table without planning gives its stored rows with _template false', () => {
    const params: SqlValue[] = [];
    const { planning: _, ...plain } = input;
    const sql = planningRelationSql(sqlNames(project, 'dev', duckdbDialect), plain, 'base', ana, params);
    expect(sql).toMatch(/^\(select v\.\*, false as "_template" from \(select .*\) v\)$/);
    expect(params).toEqual(['base']);
  });

  it('across values from a source column: a distinct, ordered, bounded select of that column, nothing spliced', () => {
    const params: SqlValue[] = [];
    const fromSource: InputTable = { ...input, planning: { ...input.planning!, across: { column: 'quarter', values: [], source: { source: 'crm', table: 'quarters', column: 'q' } } } };
    const sql = planningRelationSql(sqlNames(project, 'dev', duckdbDialect), fromSource, 'base', ana, params);
    expect(sql).toContain(
      'cross join (select * from (select distinct cast(x."q" as VARCHAR) as "quarter" from "crm"."quarters" x where x."q" is not null order by 1 limit $2) av) a where cast(s."region" as VARCHAR) = $4) t',
    );
    expect(params).toEqual(['base', 5000, 'base', "EMEA' or 1=1"]);
  });
});
