import { describe, expect, it } from 'vitest';
import { duckdbDialect as d } from '../../../src/dialects/duckdb/duckdb-dialect.js';
import { getDialect } from '../../../src/dialects/registry.js';
import {
  addColumnSql,
  createLogTableSql,
  createMetaTableSql,
  createSchemaSql,
  createStateTableSql,
  createTableSql,
  createViewSql,
  dropColumnSql,
  dropTableSql,
  dropViewSql,
  renameTableSql,
} from '../../../src/emit/ddl.js';
import { META_TABLES } from '../../../src/managed/meta-tables.js';
import { type ManagedColumn } from '../../../src/managed/columns.js';
import { fixtureProject } from './fixture-project.js';
import { withFlags } from './with-flags.js';

const cols: ManagedColumn[] = [
  { name: 'id', type: { kind: 'string' }, nullable: false, description: '' },
  { name: 'amount', type: { kind: 'decimal', precision: 18, scale: 2 }, nullable: true, description: '' },
];

describe('duckdb DDL', () => {
  it('creates schemas and tables', () => {
    expect(createSchemaSql(d, 'writeback')).toEqual(['create schema if not exists "writeback"']);
    expect(createTableSql(d, 'w', 't', cols)).toEqual(['create table "w"."t" ("id" VARCHAR not null, "amount" DECIMAL(18, 2))']);
    expect(createTableSql(d, 'w', 't', cols, { primaryKey: ['id'], ifNotExists: true })).toEqual([
      'create table if not exists "w"."t" ("id" VARCHAR not null, "amount" DECIMAL(18, 2), primary key ("id"))',
    ]);
  });

  it('alters tables', () => {
    expect(addColumnSql(d, 'w', 't', cols[1]!)).toEqual(['alter table "w"."t" add column "amount" DECIMAL(18, 2)']);
    expect(dropColumnSql(d, 'w', 't', 'amount')).toEqual(['alter table "w"."t" drop column "amount"']);
    expect(renameTableSql(d, 'w', 't__log', 't__log__archived_20261130_010203')).toEqual([
      'alter table "w"."t__log" rename to "t__log__archived_20261130_010203"',
    ]);
    expect(dropTableSql(d, 'w', 't', { ifExists: true })).toEqual(['drop table if exists "w"."t"']);
  });

  it('creates and drops views', () => {
    expect(createViewSql(d, 'planning', 'm', 'select 1 as x')).toEqual(['create or replace view "planning"."m" as\nselect 1 as x']);
    expect(dropViewSql(d, 'planning', 'm__v1')).toEqual(['drop view "planning"."m__v1"']);
    expect(dropViewSql(d, 'planning', 'm__v1', { ifExists: true })).toEqual(['drop view if exists "planning"."m__v1"']);
  });

  it('keys the state table by one column `_key` (scenario and key as one text: DuckDB reads by index only on one column), leaves the log unkeyed', () => {
    const input = fixtureProject().inputs['revenue_forecast']!;
    const [state] = createStateTableSql(d, 'writeback', input);
    expect(state).toMatch(/"_entry_id" VARCHAR not null, "_key" VARCHAR not null, primary key \("_key"\)\)$/);
    // a warehouse that reads a composite key by index keeps (scenario, key columns)
    const [pgState] = createStateTableSql(getDialect('postgres'), 'writeback', input);
    expect(pgState).toMatch(/"_entry_id" TEXT not null, primary key \("_scenario", "account_id", "quarter"\)\)$/);
    const [log] = createLogTableSql(d, 'writeback', input);
    expect(log).toMatch(/^create table "writeback"\."revenue_forecast__log" \("_entry_id" VARCHAR not null, /);
    expect(log).not.toMatch(/primary key/);
  });

  it('creates every meta table if missing, keyed', () => {
    const names = META_TABLES.map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining(['_wb_model_versions', '_wb_seeds']));
    const [sql] = createMetaTableSql(d, 'writeback', META_TABLES.find((m) => m.name === '_wb_model_versions')!);
    expect(sql).toBe(
      'create table if not exists "writeback"."_wb_model_versions" ("model" VARCHAR not null, "version" INTEGER not null, ' +
        '"fingerprint" VARCHAR not null, "sql" VARCHAR not null, "applied_at" TIMESTAMP not null, "applied_by" VARCHAR not null, ' +
        'primary key ("model", "version"))',
    );
  });
});

describe('DDL follows capability flags, not dialect names', () => {
  it('writes informational keys as `not enforced`, and none where keys do not exist', () => {
    expect(createTableSql(withFlags(d, { primaryKeys: 'not-enforced' }), 'w', 't', cols, { primaryKey: ['id'] })[0]).toMatch(
      /primary key \("id"\) not enforced\)$/,
    );
    expect(createTableSql(withFlags(d, { primaryKeys: 'none' }), 'w', 't', cols, { primaryKey: ['id'] })[0]).not.toMatch(/primary key/);
  });

  it('drops and re-creates a view where `create or replace` cannot change columns', () => {
    expect(createViewSql(withFlags(d, { replaceViewChangesColumns: false }), 'p', 'm', 'select 1')).toEqual([
      'drop view if exists "p"."m"',
      'create view "p"."m" as\nselect 1',
    ]);
  });

  it('qualifies the new name of a rename where the warehouse wants it', () => {
    expect(renameTableSql(withFlags(d, { renameToQualified: true }), 'w', 'a', 'b')).toEqual(['alter table "w"."a" rename to "w"."b"']);
  });
});
