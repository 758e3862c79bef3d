import { describe, expect, it } from 'vitest';
import { duckdbDialect } from '../../../src/dialects/duckdb/duckdb-dialect.js';
import { postgresDialect } from '../../../src/dialects/postgres/postgres-dialect.js';
import { newChainHeadsSql, operationStatements, versionRecordsSql, type ApplyStamp } from '../../../src/apply/operation-sql.js';
import type { Operation } from '../../../src/plan/operation.js';

const stamp: ApplyStamp = { user: 'ann', at: new Date('2026-11-30T00:00:00Z'), metaSchema: 'writeback' };
const sql = (op: Operation) => operationStatements(duckdbDialect, op, stamp);
const base = { description: '', destructive: false };

describe('operation SQL (duckdb, and postgres where chain heads differ)', () => {
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
    expect(operationStatements(duckdbDialect, op('a', true), stamp, { deferRecords: true }).map((s) => s.sql)).toEqual([
      'create or replace view "planning"."a__v1" as\nselect \'a\' as x',
    ]);
    const many = Array.from({ length: 450 }, (_, i) => op(`m${i}`, true));
    expect(versionRecordsSql(duckdbDialect, many, stamp).map((s) => s.params.length)).toEqual([1200, 1200, 300]);
  });

  it("starts a new input's chain head at (0, '') without reading the log it creates, in its own table where the dialect keeps one", () => {
    const head = { ...base, kind: 'create-chain-head' as const, input: 't', table: { schema: 'wb', name: 't__head' }, log: { schema: 'wb', name: 't__log' }, replace: false };
    const own = (op: Operation) => operationStatements(postgresDialect, op, stamp);
    expect(own({ ...head, newLog: true }).at(-1)).toEqual({
      sql: `insert into "wb"."t__head" ("seq", "head", "updated_at") values (0, '', cast($1 as ${postgresDialect.columnType({ kind: 'system', type: 'timestamp' })}))`,
      params: [stamp.at],
    });
    expect(own(head).at(-1)?.sql).toContain('from (select max("_seq")');
  });

  it("keeps DuckDB's chain heads as rows of _wb_heads: new ones in one insert, seeded from the log, moved from an earlier version's table", () => {
    const head = { ...base, kind: 'create-chain-head' as const, input: 't', table: { schema: 'wb', name: '_wb_heads' }, log: { schema: 'wb', name: 't__log' }, replace: false };
    const into = 'insert into "wb"."_wb_heads" ("table_name", "seq", "head", "updated_at")';
    expect(sql({ ...head, newLog: true })).toEqual([{ sql: `${into} values (cast($1 as VARCHAR), 0, '', cast($2 as TIMESTAMP))`, params: ['t', stamp.at] }]);
    // batched by apply: left out of the operation, then one insert for every new input
    expect(operationStatements(duckdbDialect, { ...head, newLog: true }, stamp, { deferRecords: true })).toEqual([]);
    expect(newChainHeadsSql(duckdbDialect, [{ ...head, newLog: true }, head, { ...head, input: 'u', newLog: true }], stamp)).toEqual([
      { sql: `${into} values (cast($2 as VARCHAR), 0, '', cast($1 as TIMESTAMP)), (cast($3 as VARCHAR), 0, '', cast($1 as TIMESTAMP))`, params: [stamp.at, 't', 'u'] },
    ]);
    expect(newChainHeadsSql(postgresDialect, [{ ...head, newLog: true }], stamp)).toEqual([]);
    const many = Array.from({ length: 1100 }, (_, i) => ({ ...head, input: `t${i}`, newLog: true }));
    expect(newChainHeadsSql(duckdbDialect, many, stamp).map((st) => st.params.length)).toEqual([501, 501, 101]);
    // an existing log: from its last entry; a name used before: its old row goes first
    expect(sql(head)).toEqual([{ sql: expect.stringMatching(/^insert into "wb"."_wb_heads" .* select cast\(\$1 as VARCHAR\), coalesce\(m."last_seq", 0\)/), params: ['t', stamp.at] }]);
    expect(sql({ ...head, newLog: true, replace: true })[0]).toEqual({ sql: 'delete from "wb"."_wb_heads" where "table_name" = $1', params: ['t'] });
    // the head an earlier version kept in t__head moves as it is (verify judges it), then the table goes
    expect(sql({ ...head, legacy: { schema: 'wb', name: 't__head' } })).toEqual([
      { sql: `${into} select cast($1 as VARCHAR), "seq", "head", "updated_at" from "wb"."t__head"`, params: ['t'] },
      { sql: 'drop table "wb"."t__head"', params: [] },
    ]);
    // a row and an earlier version's table both: the row is seeded from the log again, the table dropped
    expect(sql({ ...head, replace: true, legacy: { schema: 'wb', name: 't__head' } }).map((s) => s.sql)).toEqual([
      'delete from "wb"."_wb_heads" where "table_name" = $1',
      expect.stringMatching(/^insert into "wb"."_wb_heads" .* from \(select max\("_seq"\)/),
      'drop table if exists "wb"."t__head"',
    ]);
    expect(sql({ ...head, newLog: true, legacy: { schema: 'wb', name: 't__head' } }).map((s) => s.sql)).toEqual([
      'drop table if exists "wb"."t__head"',
      `${into} values (cast($1 as VARCHAR), 0, '', cast($2 as TIMESTAMP))`,
    ]);
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
