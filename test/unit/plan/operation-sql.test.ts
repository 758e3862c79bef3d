import { describe, expect, it } from 'vitest';
import { duckdbDialect } from '../../../src/dialects/duckdb/duckdb-dialect.js';
import { operationStatements, versionRecordsSql, type ApplyStamp } from '../../../src/apply/operation-sql.js';
import type { Operation } from '../../../src/plan/operation.js';

const stamp: ApplyStamp = { user: 'ann', at: new Date('2026-11-30T00:00:00Z'), metaSchema: 'writeback' };
const sql = (op: Operation) => operationStatements(duckdbDialect, op, stamp);
const base = { description: '', destructive: false };

describe('operation SQL (duckdb)', () => {
  it('loads a seed with the path bound and column types as literals, then records it', () => {
    const statements = sql({
      ...base,
      kind: 'load-seed',
      file: 'seeds/a.csv',
      path: "/p/it's/a.csv",
      table: { schema: 'crm', name: 'accounts' },
      columnTypes: { id: { kind: 'string' }, amount: { kind: 'decimal', precision: 18, scale: 2 } },
      fingerprint: 'f1',
    });
    expect(statements).toEqual([
      {
        sql: `create or replace table "crm"."accounts" as select * from read_csv($1, header = true, types = {'id': 'VARCHAR', 'amount': 'DECIMAL(18, 2)'})`,
        params: ["/p/it's/a.csv"],
      },
      { sql: `delete from "writeback"."_wb_seeds" where "file" = $1`, params: ['seeds/a.csv'] },
      {
        sql: `insert into "writeback"."_wb_seeds" ("file", "schema", "table", "fingerprint", "loaded_at") values ($1, $2, $3, $4, $5)`,
        params: ['seeds/a.csv', 'crm', 'accounts', 'f1', stamp.at],
      },
    ]);
  });

  it('creates a version view and records it with bound values; the alias selects from the version', () => {
    const view = { schema: 'planning', name: 'm__v2' };
    expect(sql({ ...base, kind: 'create-model-version', model: 'm', version: 2, view, sql: 'select 1 as x', fingerprint: 'fp', record: true })).toEqual([
      { sql: 'create or replace view "planning"."m__v2" as\nselect 1 as x', params: [] },
      {
        sql: 'insert into "writeback"."_wb_model_versions" ("model", "version", "fingerprint", "sql", "applied_at", "applied_by") values ($1, $2, $3, $4, $5, $6)',
        params: ['m', 2, 'fp', 'select 1 as x', stamp.at, 'ann'],
      },
    ]);
    expect(sql({ ...base, kind: 'point-model-alias', model: 'm', version: 2, alias: { schema: 'planning', name: 'm' }, target: view })).toEqual([
      { sql: 'create or replace view "planning"."m" as\nselect * from "planning"."m__v2"', params: [] },
    ]);
  });

  it('records the new versions of many models in multi-row inserts with every value bound', () => {
    const op = (model: string, record: boolean): Operation => ({
      ...base,
      kind: 'create-model-version',
      model,
      version: 1,
      view: { schema: 'planning', name: `${model}__v1` },
      sql: `select '${model}' as x`,
      fingerprint: `fp-${model}`,
      record,
    });
    const statements = versionRecordsSql(duckdbDialect, [op('a', true), op('b', false), op('c', true)], stamp);
    expect(statements).toEqual([
      {
        sql: 'insert into "writeback"."_wb_model_versions" ("model", "version", "fingerprint", "sql", "applied_at", "applied_by") values ($1, $2, $3, $4, $5, $6), ($7, $8, $9, $10, $11, $12)',
        params: ['a', 1, 'fp-a', "select 'a' as x", stamp.at, 'ann', 'c', 1, 'fp-c', "select 'c' as x", stamp.at, 'ann'],
      },
    ]);
    expect(operationStatements(duckdbDialect, op('a', true), stamp, { deferVersionRecords: true }).map((s) => s.sql)).toEqual([
      'create or replace view "planning"."a__v1" as\nselect \'a\' as x',
    ]);
    const many = Array.from({ length: 450 }, (_, i) => op(`m${i}`, true));
    expect(versionRecordsSql(duckdbDialect, many, stamp).map((s) => s.params.length)).toEqual([1200, 1200, 300]);
  });

  it("starts a new input's chain head at (0, '') without reading the log it creates", () => {
    const head = { ...base, kind: 'create-chain-head' as const, input: 't', table: { schema: 'wb', name: 't__head' }, log: { schema: 'wb', name: 't__log' }, replace: false };
    expect(sql({ ...head, newLog: true }).at(-1)).toEqual({
      sql: `insert into "wb"."t__head" ("seq", "head", "updated_at") values (0, '', cast($1 as TIMESTAMP))`,
      params: [stamp.at],
    });
    expect(sql(head).at(-1)?.sql).toContain('from (select max("_seq")');
  });

  it('archives an input: drops dependent views and the state, renames the log', () => {
    const statements = sql({
      ...base,
      destructive: true,
      kind: 'archive-input-table',
      input: 't',
      log: { schema: 'wb', name: 't__log' },
      archiveName: 't__log__archived_20261130_000000',
      state: { schema: 'wb', name: 't' },
      dropViews: [{ schema: 'planning', name: 'm__v1' }],
    }).map((s) => s.sql);
    expect(statements).toEqual([
      'drop view if exists "planning"."m__v1"',
      'drop table "wb"."t"',
      'alter table "wb"."t__log" rename to "t__log__archived_20261130_000000"',
    ]);
  });
});
