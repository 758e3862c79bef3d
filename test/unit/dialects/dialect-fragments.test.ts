import { describe, expect, it } from 'vitest';
import type { Dialect } from '../../../src/dialects/dialect.js';
import { bigqueryDialect } from '../../../src/dialects/bigquery/bigquery-dialect.js';
import { duckdbDialect } from '../../../src/dialects/duckdb/duckdb-dialect.js';
import { postgresDialect } from '../../../src/dialects/postgres/postgres-dialect.js';
import { getDialect, listDialects } from '../../../src/dialects/registry.js';
import { snowflakeDialect } from '../../../src/dialects/snowflake/snowflake-dialect.js';
import { createTableSql, createViewSql, renameTableSql } from '../../../src/emit/ddl.js';
import type { ManagedColumn } from '../../../src/managed/columns.js';
import type { ColumnType } from '../../../src/ir/types.js';

// SQL fragments of every dialect, stated inline side by side (STYLE: Kysely).
const ALL = { duckdb: duckdbDialect, snowflake: snowflakeDialect, bigquery: bigqueryDialect, postgres: postgresDialect };
type Name = keyof typeof ALL;
const each = (f: (d: Dialect) => unknown) => Object.fromEntries(Object.entries(ALL).map(([n, d]) => [n, f(d)])) as Record<Name, unknown>;

describe('registry', () => {
  it('registers every warehouse dialect under its target type', () => {
    for (const [name, d] of Object.entries(ALL)) expect(getDialect(name)).toBe(d);
    expect(listDialects().map((d) => d.name).sort()).toEqual(['bigquery', 'duckdb', 'postgres', 'snowflake']);
  });
});

describe('identifiers', () => {
  it('quotes names; Snowflake writes all-lower-case names upper-case (as it stores unquoted ones)', () => {
    expect(each((d) => d.quoteIdent('revenue_forecast'))).toEqual({ duckdb: '"revenue_forecast"', snowflake: '"REVENUE_FORECAST"', bigquery: '`revenue_forecast`', postgres: '"revenue_forecast"' });
    expect(each((d) => d.quoteIdent('Accounts'))).toEqual({ duckdb: '"Accounts"', snowflake: '"Accounts"', bigquery: '`Accounts`', postgres: '"Accounts"' });
    expect(each((d) => d.quoteIdent('ACCOUNTS'))).toEqual({ duckdb: '"ACCOUNTS"', snowflake: '"ACCOUNTS"', bigquery: '`ACCOUNTS`', postgres: '"ACCOUNTS"' });
    expect(each((d) => d.quoteIdent('we"ird`'))).toEqual({ duckdb: '"we""ird`"', snowflake: '"we""ird`"', bigquery: '`we"ird\\``', postgres: '"we""ird`"' });
  });

  it('qualifies database.schema.name (BigQuery: project.dataset.table)', () => {
    expect(each((d) => d.qualify('crm', 'accounts', 'my-project'))).toEqual({
      duckdb: '"my-project"."crm"."accounts"',
      snowflake: '"my-project"."CRM"."ACCOUNTS"',
      bigquery: '`my-project`.`crm`.`accounts`',
      postgres: '"my-project"."crm"."accounts"',
    });
  });

  it('declares the identifier case and length limits', () => {
    expect(each((d) => [d.identifierCase, d.maxIdentifierLength])).toEqual({
      duckdb: ['as-written', undefined],
      snowflake: ['upper', 255],
      bigquery: ['as-written', 300],
      postgres: ['as-written', 63],
    });
  });
});

describe('literals and parameters', () => {
  it('escapes quotes and backslashes per warehouse', () => {
    expect(each((d) => d.literal("it's C:\\x"))).toEqual({
      duckdb: "'it''s C:\\x'",
      snowflake: "'it''s C:\\\\x'",
      bigquery: "'it\\'s C:\\\\x'",
      postgres: "'it''s C:\\x'",
    });
    expect(bigqueryDialect.literal('a\nb')).toBe("'a\\nb'");
    expect(each((d) => [d.literal(1.5), d.literal(true), d.literal(null)])).toEqual({
      duckdb: ['1.5', 'TRUE', 'NULL'],
      snowflake: ['1.5', 'TRUE', 'NULL'],
      bigquery: ['1.5', 'TRUE', 'NULL'],
      postgres: ['1.5', 'TRUE', 'NULL'],
    });
  });

  it('numbers placeholders', () => {
    expect(each((d) => [d.param(1), d.param(12)])).toEqual({ duckdb: ['$1', '$12'], snowflake: [':1', ':12'], bigquery: ['@p1', '@p12'], postgres: ['$1', '$12'] });
  });
});

describe('types', () => {
  const types: [string, ColumnType | { kind: 'system'; type: 'integer' | 'timestamp' }][] = [
    ['string', { kind: 'string' }],
    ['integer', { kind: 'integer' }],
    ['number', { kind: 'number' }],
    ['decimal(18,2)', { kind: 'decimal', precision: 18, scale: 2 }],
    ['decimal(38,10)', { kind: 'decimal', precision: 38, scale: 10 }],
    ['boolean', { kind: 'boolean' }],
    ['date', { kind: 'date' }],
    ['timestamp', { kind: 'timestamp' }],
    ['system integer', { kind: 'system', type: 'integer' }],
    ['system timestamp', { kind: 'system', type: 'timestamp' }],
  ];
  it('maps portable and system types', () => {
    const table = Object.fromEntries(types.map(([label, t]) => [label, each((d) => d.columnType(t))]));
    expect(table).toEqual({
      string: { duckdb: 'VARCHAR', snowflake: 'VARCHAR', bigquery: 'STRING', postgres: 'TEXT' },
      integer: { duckdb: 'BIGINT', snowflake: 'NUMBER(38, 0)', bigquery: 'INT64', postgres: 'BIGINT' },
      number: { duckdb: 'DOUBLE', snowflake: 'FLOAT', bigquery: 'FLOAT64', postgres: 'DOUBLE PRECISION' },
      'decimal(18,2)': { duckdb: 'DECIMAL(18, 2)', snowflake: 'NUMBER(18, 2)', bigquery: 'NUMERIC(18, 2)', postgres: 'NUMERIC(18, 2)' },
      'decimal(38,10)': { duckdb: 'DECIMAL(38, 10)', snowflake: 'NUMBER(38, 10)', bigquery: 'BIGNUMERIC(38, 10)', postgres: 'NUMERIC(38, 10)' },
      boolean: { duckdb: 'BOOLEAN', snowflake: 'BOOLEAN', bigquery: 'BOOL', postgres: 'BOOLEAN' },
      date: { duckdb: 'DATE', snowflake: 'DATE', bigquery: 'DATE', postgres: 'DATE' },
      timestamp: { duckdb: 'TIMESTAMP', snowflake: 'TIMESTAMP_NTZ', bigquery: 'TIMESTAMP', postgres: 'TIMESTAMPTZ' },
      'system integer': { duckdb: 'INTEGER', snowflake: 'NUMBER(38, 0)', bigquery: 'INT64', postgres: 'INTEGER' },
      'system timestamp': { duckdb: 'TIMESTAMP', snowflake: 'TIMESTAMP_NTZ', bigquery: 'TIMESTAMP', postgres: 'TIMESTAMPTZ' },
    });
  });

  it('uses BigQuery NUMERIC while scale ≤ 9 and integer digits ≤ 29, else BIGNUMERIC', () => {
    const bq = (precision: number, scale: number) => bigqueryDialect.columnType({ kind: 'decimal', precision, scale });
    expect([bq(29, 0), bq(38, 9), bq(30, 0), bq(10, 10)]).toEqual(['NUMERIC(29, 0)', 'NUMERIC(38, 9)', 'BIGNUMERIC(30, 0)', 'BIGNUMERIC(10, 10)']);
  });
});

describe('functions, sessions and capabilities', () => {
  it('tests string containment (null when the haystack is null)', () => {
    expect(each((d) => d.strContains('h', "'|a|'"))).toEqual({
      duckdb: "contains(h, '|a|')",
      snowflake: "contains(h, '|a|')",
      bigquery: "strpos(h, '|a|') > 0",
      postgres: "strpos(h, '|a|') > 0",
    });
  });

  it('sets sessions to UTC where the timestamp type depends on it', () => {
    expect(each((d) => d.sessionSetupSql)).toEqual({ duckdb: [], snowflake: ["alter session set timezone = 'UTC'"], bigquery: [], postgres: ["set time zone 'UTC'"] });
  });

  it('declares its capabilities', () => {
    const flags = (d: Dialect) => ({
      ddlInTx: d.transactionalDdl,
      replaceView: d.replaceViewChangesColumns,
      upsert: d.upsertStyle,
      keys: d.primaryKeys,
      exclude: d.starExcludeKeyword,
      replace: d.supportsStarReplace,
      renameQualified: d.renameToQualified,
      backslash: d.backslashEscapesInStrings,
      derivedAlias: d.derivedTableNeedsAlias,
      lateral: d.lateralJoins,
    });
    expect(each(flags)).toEqual({
      duckdb: { ddlInTx: true, replaceView: true, upsert: 'on-conflict', keys: 'enforced', exclude: 'exclude', replace: true, renameQualified: false, backslash: false, derivedAlias: false, lateral: true },
      snowflake: { ddlInTx: false, replaceView: true, upsert: 'merge', keys: 'not-enforced', exclude: 'exclude', replace: true, renameQualified: true, backslash: true, derivedAlias: false, lateral: false },
      bigquery: { ddlInTx: false, replaceView: true, upsert: 'merge', keys: 'not-enforced', exclude: 'except', replace: true, renameQualified: false, backslash: true, derivedAlias: false, lateral: false },
      postgres: { ddlInTx: true, replaceView: false, upsert: 'on-conflict', keys: 'enforced', exclude: undefined, replace: false, renameQualified: false, backslash: false, derivedAlias: true, lateral: true },
    });
  });
});

describe('DDL through the flags', () => {
  const cols: ManagedColumn[] = [{ name: 'id', type: { kind: 'string' }, nullable: false, description: '' }];
  it('writes keys per dialect', () => {
    expect(each((d) => createTableSql(d, 'wb', 't', cols, { primaryKey: ['id'] }))).toEqual({
      duckdb: ['create table "wb"."t" ("id" VARCHAR not null, primary key ("id"))'],
      snowflake: ['create table "WB"."T" ("ID" VARCHAR not null, primary key ("ID") not enforced)'],
      bigquery: ['create table `wb`.`t` (`id` STRING not null, primary key (`id`) not enforced)'],
      postgres: ['create table "wb"."t" ("id" TEXT not null, primary key ("id"))'],
    });
  });

  it('re-creates a view where create-or-replace cannot change its columns', () => {
    expect(each((d) => createViewSql(d, 'v', 'm', 'select 1 as x'))).toEqual({
      duckdb: ['create or replace view "v"."m" as\nselect 1 as x'],
      snowflake: ['create or replace view "V"."M" copy grants as\nselect 1 as x'],
      bigquery: ['create or replace view `v`.`m` as\nselect 1 as x'],
      postgres: ['drop view if exists "v"."m"', 'create view "v"."m" as\nselect 1 as x'],
    });
  });

  it('renames with a qualified new name on Snowflake only', () => {
    expect(each((d) => renameTableSql(d, 'wb', 'a', 'b'))).toEqual({
      duckdb: ['alter table "wb"."a" rename to "b"'],
      snowflake: ['alter table "WB"."A" rename to "WB"."B"'],
      bigquery: ['alter table `wb`.`a` rename to `b`'],
      postgres: ['alter table "wb"."a" rename to "b"'],
    });
  });
});
