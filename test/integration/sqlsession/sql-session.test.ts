import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../../../src/library/open-project.js';
import type { Writeback } from '../../../src/library/writeback.js';
import { openSqlSession } from '../../../src/sqlsession/open-sql-session.js';
import { SqlError, type SqlSession } from '../../../src/sqlsession/types.js';
import { appliedDemoProject } from '../server/demo-project.js';
import { ANA, BOB, open, refusal, rows, VIC } from './session-harness.js';

/**
 * A SQL session as a BI connection meets it, on the demo project in a real DuckDB file: what each
 * role sees, what is refused and how, the limits, and that an API write is read by the next
 * statement of a session already open.
 */

/** Roles added to the demo: one that reads only account_category, one that reads nothing. */
function addRoles(dir: string): void {
  const project = join(dir, 'project.yml');
  writeFileSync(project, readFileSync(project, 'utf8').replace('\n  viewer:\n', '\n  auditor: {}\n  nobody: {}\n  viewer:\n'));
  const category = join(dir, 'inputs', 'account_category.yml');
  writeFileSync(category, readFileSync(category, 'utf8').replace('  viewer:  { read: true }', '  viewer:  { read: true }\n  auditor: { read: true }'));
}

const AUDITOR = { user: 'aud', role: 'auditor' };

describe('a SQL session (one BI connection)', () => {
  let wb: Writeback;
  let admin: SqlSession;
  let ana: SqlSession;
  let bob: SqlSession;
  let vic: SqlSession;
  let auditor: SqlSession;

  beforeAll(async () => {
    wb = await openProject(await appliedDemoProject(addRoles));
    admin = await open(wb, undefined);
    ana = await open(wb, ANA);
    bob = await open(wb, BOB);
    vic = await open(wb, VIC);
    auditor = await open(wb, AUDITOR);
  }, 120_000);

  afterAll(async () => {
    for (const s of [admin, ana, bob, vic, auditor]) await s?.close();
    await wb?.close();
  });

  const names = async (s: SqlSession) => (await rows(s, 'select table_schema, table_name from information_schema.tables order by 1, 2')).rows.map((r) => `${r.table_schema}.${r.table_name}`);

  describe('what a role reads', () => {
    it('a planner reads only the rows of her region, in every view that has one', async () => {
      const views = await names(ana);
      let checked = 0;
      for (const view of views) {
        const [schema, name] = view.split('.') as [string, string];
        const columns = (await rows(ana, `select column_name from information_schema.columns where table_schema = $1 and table_name = $2`, [schema, name])).rows.map((r) => r.column_name);
        if (!columns.includes('region')) continue;
        const regions = (await rows(ana, `select distinct region from ${schema}.${name} where region is not null`)).rows.map((r) => r.region);
        expect(regions.every((r) => r === 'EMEA'), view).toBe(true);
        const mine = (await rows(ana, `select count(*) as n from ${schema}.${name}`)).rows[0]!.n;
        const all = (await rows(admin, `select count(*) as n from ${schema}.${name} where region = 'EMEA'`)).rows[0]!.n;
        expect(mine, view).toBe(all);
        checked++;
      }
      expect(checked).toBeGreaterThanOrEqual(3);
      const amer = (await rows(bob, 'select distinct region from account_forecast')).rows.map((r) => r.region);
      expect(amer).toEqual(['AMER']);
    });

    it("a planner's history shows only her region's accounts", async () => {
      await wb.inputs.write('revenue_forecast', [{ account_id: 'acc_022', quarter: '2026-Q3', amount: '10.00' }], { user: 'fin', role: 'finance' });
      const emea = (await rows(admin, `select id from crm.accounts where region = 'EMEA'`)).rows.map((r) => r.id);
      const seen = (await rows(ana, 'select distinct account_id from revenue_forecast__history')).rows.map((r) => r.account_id);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((a) => emea.includes(a))).toBe(true);
      expect((await rows(bob, `select count(*) as n from revenue_forecast__history where account_id = 'acc_022'`)).rows[0]!.n).toBe('0');
    });

    it('shows the views schema and the linked sources, never the inputs schema, logs or _wb_ tables', async () => {
      const views = await names(ana);
      expect(views).toContain('planning.account_forecast');
      expect(views).toContain('crm.accounts');
      expect(views.some((v) => v.startsWith('writeback.') || v.includes('_wb_') || v.endsWith('__log'))).toBe(false);
      // a source a readable input takes allowed values from: only those columns, as the values API shows them
      const categories = (await rows(ana, `select column_name from information_schema.columns where table_schema = 'crm' and table_name = 'categories'`)).rows.map((r) => r.column_name);
      expect(categories).toEqual(['name']);
      expect((await rows(ana, 'select count(*) as n from crm.categories')).rows[0]!.n).toBe((await rows(admin, 'select count(distinct name) as n from crm.categories')).rows[0]!.n);
      expect(views).not.toContain('crm.opportunities');
      const everything = await names(admin);
      expect(everything).toContain('finance.actuals');
      expect(everything.some((v) => v.startsWith('writeback.'))).toBe(false);
    });

    it('a role that may read no input cannot open a session', async () => {
      const opened = await openSqlSession(wb, { user: 'nob', role: 'nobody' });
      expect(opened.ok).toBe(false);
      if (!opened.ok) expect(opened.error).toMatchObject({ code: 'forbidden', message: expect.stringContaining("role 'nobody' may read no model") as unknown });
    });

    it('a view over an input the role may not read looks exactly like one that does not exist', async () => {
      expect(await names(auditor)).not.toContain('planning.account_forecast');
      const hidden = await refusal(auditor, 'select * from account_forecast');
      const absent = await refusal(auditor, 'select * from account_forecastx');
      expect([hidden.sqlstate, absent.sqlstate]).toEqual(['42P01', '42P01']);
      expect(hidden.message).toBe('relation "account_forecast" does not exist');
      expect(absent.message).toBe('relation "account_forecastx" does not exist');
      const qualified = await refusal(auditor, 'select * from planning.revenue_forecast__history');
      expect(qualified.message).toBe('relation "planning.revenue_forecast__history" does not exist');
      expect((await rows(auditor, 'select count(*) as n from account_category__history')).outcome.tag).toBe('SELECT 1');
    });
  });

  describe('what nobody may name', () => {
    const relations = [
      'select * from warehouse.planning.account_forecast',
      'select * from "warehouse"."writeback"."revenue_forecast__log"',
      'select * from writeback.revenue_forecast__log',
      'select * from writeback.revenue_forecast',
      'select * from writeback._wb_tokens',
      'select * from _wb_tokens',
      'select * from writeback._wb_idempotency',
      'select * from system.main.duckdb_settings',
      'select * from memory.main.t',
      'select * from temp.main.t',
      'select * from wb_internal._params',
      'select * from _params',
      "select * from 'target/warehouse.duckdb'",
      "from '/etc/passwd'",
      "select * from 'x.csv'",
      "select * from 'https://example.com/x.parquet'",
      'select * from (select 1) t, writeback.revenue_forecast__log l',
      'select (select count(*) from writeback._wb_users)',
      'select 1 where exists (select 1 from writeback._wb_sessions)',
      'with a as (select * from b), b as (select 1) select * from a',
      'with duckdb_tables as (select * from duckdb_tables) select * from duckdb_tables',
      'with recursive duckdb_tables as (select * from duckdb_tables union all select * from duckdb_tables) select * from duckdb_tables',
      'select * from (with sqlite_master as (select 1) select * from sqlite_master) y, sqlite_master',
      'select * from account_forecast union all select * from warehouse.planning.account_forecast',
    ];
    for (const sql of relations)
      it(`refuses ${sql} as a relation that does not exist (42P01)`, async () => {
        for (const s of [vic, admin]) expect((await refusal(s, sql)).sqlstate).toBe('42P01');
      });

    const functions = [
      "select * from read_csv('/etc/passwd')",
      "select * from read_csv_auto('/etc/passwd')",
      "select * from read_text('/etc/passwd')",
      "select * from read_blob('/etc/passwd')",
      "select * from read_parquet('x.parquet')",
      "select * from read_json('x.json')",
      "select * from glob('*')",
      "select * from sniff_csv('/etc/passwd')",
      "select * from query('select * from writeback._wb_tokens')",
      "select * from query_table('writeback._wb_tokens')",
      'select * from duckdb_settings()',
      'select * from duckdb_tables()',
      'select * from duckdb_databases()',
      "select * from pragma_table_info('writeback._wb_tokens')",
      "select * from json_execute_serialized_sql('{}')",
      "select json_serialize_plan('select * from writeback._wb_tokens')",
      "select getvariable('x')",
      "select nextval('s')",
      'select setseed(0.5)',
      "select * from parquet_metadata('x.parquet')",
      "select which_secret('s3://x', 's3')",
      "select count(*) from range(3) where getenv('HOME') is not null",
      'select stats(region) from crm.accounts',
      "select count(*) from crm.accounts where error(region) is null",
    ];
    for (const sql of functions)
      it(`refuses ${sql} (42501)`, async () => {
        const err = await refusal(vic, sql);
        expect(err.sqlstate).toBe('42501');
        expect(err.message).toMatch(/^permission denied for function /);
      });

    it("a CTE named like an engine table reads the session's catalog, never the engine's", async () => {
      const own = (await rows(vic, 'select count(*) as n from pg_class')).rows[0]!.n;
      expect((await rows(vic, 'with pg_class as (select * from pg_class) select count(*) as n from pg_class')).rows[0]!.n).toBe(own);
      expect((await rows(vic, 'with recursive pg_class as (select * from pg_class) select count(*) as n from pg_class')).rows[0]!.n).toBe(own);
      expect((await rows(vic, 'with a as (select 1 as x) select a.x as y, a.* from a')).rows).toEqual([{ y: '1', x: '1' }]);
      expect((await rows(vic, 'with sqlite_master as (select 1 as x) select * from (select * from sqlite_master) y')).rows).toEqual([{ x: '1' }]);
    });

    it('answers settings from the session, never from the engine', async () => {
      expect((await refusal(vic, "select current_setting('memory_limit')")).sqlstate).toBe('42704');
      expect((await refusal(vic, "select current_setting('home_directory')")).sqlstate).toBe('42704');
      expect((await rows(vic, "select current_setting('search_path') as p")).rows).toEqual([{ p: 'planning, public' }]);
      expect((await refusal(vic, 'show memory_limit')).sqlstate).toBe('42704');
      expect((await refusal(vic, "set memory_limit = '1GB'")).sqlstate).toBe('42704');
      expect((await refusal(vic, 'set threads = 1')).sqlstate).toBe('42704');
      expect((await rows(vic, 'select name from pg_settings')).rows.map((r) => r.name)).not.toContain('memory_limit');
    });

    it("does not quote the failing value of a data error to a role (a condition may meet a row before the row filter drops it)", async () => {
      const err = await refusal(ana, "select count(*) from crm.accounts where cast(region || 'x' as integer) = 1");
      expect(err.sqlstate).toBe('22P02');
      expect(err.message).toBe('Could not convert string … to INT32');
      expect((await refusal(admin, "select cast('abc' as integer)")).message).toContain("'abc'");
    });

    it('refuses a function of another schema or catalog as one that does not exist (42883)', async () => {
      for (const sql of ['select warehouse.main.version()', 'select planning.fiscal_quarter(1)', 'select system.main.version()']) expect((await refusal(vic, sql)).sqlstate).toBe('42883');
    });

    it('refuses DESCRIBE, SHOW TABLES and SUMMARIZE, which list the engine catalog', async () => {
      for (const sql of ['describe account_forecast', 'summarize account_forecast']) expect((await refusal(vic, sql)).sqlstate).toBe('0A000');
      expect((await refusal(vic, 'show tables')).sqlstate).toBe('42704');
    });
  });

  describe('read-only', () => {
    const writes = [
      "insert into account_forecast (id) values ('x')",
      "insert into writeback.revenue_forecast values ('acc_001', '2026-Q1', 1, 'low', null, 'draft')",
      "update account_forecast set amount = 0",
      'delete from account_forecast',
      'truncate writeback.revenue_forecast',
      'create table t as select 1',
      'create view v as select 1',
      'create schema s',
      'create macro m(x) as x',
      'create sequence s',
      "create secret (type s3, key_id 'k', secret 's')",
      'drop view planning.account_forecast',
      'alter view planning.account_forecast rename to x',
      "copy (select * from account_forecast) to '/tmp/wb-sqls-leak.csv'",
      "copy writeback.revenue_forecast from '/etc/passwd'",
      "attach '/tmp/wb-sqls-other.duckdb' as other",
      'detach warehouse',
      'use warehouse',
      'checkpoint',
      'force checkpoint',
      "export database '/tmp/wb-sqls-export'",
      "import database '/tmp/wb-sqls-export'",
      'install httpfs',
      'load httpfs',
      'pragma version',
      "pragma table_info('writeback._wb_tokens')",
      'call pragma_version()',
      'vacuum',
      'analyze',
      'prepare p as select 1',
      'execute p',
      'explain select 1',
      "set global memory_limit = '1GB'",
      'pivot account_forecast on region using count(*)',
      'update writeback.revenue_forecast set amount = 0 returning *',
    ];
    for (const sql of writes)
      it(`refuses ${sql}`, async () => {
        const err = await refusal(vic, sql);
        expect(['25006', '42704', '42601'], `${err.sqlstate} ${err.message}`).toContain(err.sqlstate);
        if (err.sqlstate === '25006') expect(err.message).toBe("writeback's SQL endpoint is read-only; write through the API");
      });

    it('refuses more than one statement at a time, and changed nothing', async () => {
      expect((await refusal(vic, 'select 1; drop view planning.account_forecast')).sqlstate).toBe('42601');
      expect((await rows(admin, 'select count(*) as n from account_forecast')).rows[0]!.n).not.toBe('0');
      expect(await names(admin)).toContain('planning.account_forecast');
    });
  });

  describe('freshness', () => {
    it('an API write is read by the next statement of a session opened before it', async () => {
      const before = (await rows(ana, `select amount from account_forecast where id = 'acc_023' and quarter = '2026-Q4'`)).rows;
      expect(before).toEqual([]);
      const written = await wb.inputs.write('revenue_forecast', [{ account_id: 'acc_023', quarter: '2026-Q4', amount: '4321.50' }], { ...ANA });
      expect(written.ok).toBe(true);
      const after = (await rows(ana, `select amount from account_forecast where id = 'acc_023' and quarter = '2026-Q4'`)).rows;
      expect(after).toEqual([{ amount: '4321.50' }]);
      expect((await rows(bob, `select count(*) as n from account_forecast where id = 'acc_023'`)).rows[0]!.n).toBe('0');
    });
  });

  describe('SQL a BI tool writes', () => {
    it('runs CTEs, subqueries, joins, unions, lateral joins and window functions', async () => {
      const q = async (sql: string) => (await rows(ana, sql)).rows;
      expect(await q(`with e as (select id from crm.accounts where region = 'EMEA') select count(*) as n from e`)).toEqual([{ n: '25' }]);
      expect(await q(`with recursive r(n) as (select 1 union all select n + 1 from r where n < 3) select sum(n) as s from r`)).toEqual([{ s: '6' }]);
      expect(await q(`select count(*) as n from account_forecast f where f.id in (select id from crm.accounts)`)).toEqual([{ n: (await q('select count(*) as n from account_forecast'))[0]!.n }]);
      expect(await q(`select count(distinct a.id) as n from account_forecast f join crm.accounts a on a.id = f.id`)).toEqual([{ n: '25' }]);
      expect(await q(`select region from account_forecast union select region from crm.accounts`)).toEqual([{ region: 'EMEA' }]);
      expect(await q(`select count(*) as n from crm.accounts a, lateral (select count(*) as c from account_forecast f where f.id = a.id) x where x.c > 0`)).toEqual([{ n: '25' }]);
      const ranked = await q(`select id, row_number() over (order by id) as rn from crm.accounts order by id limit 2`);
      expect(ranked.map((r) => r.rn)).toEqual(['1', '2']);
      expect(await q(`select * from generate_series(1, 3) t(x) where x > 1`)).toEqual([{ x: '2' }, { x: '3' }]);
      expect(await q(`select unnest([1, 2]) as u`)).toEqual([{ u: '1' }, { u: '2' }]);
    });

    it('binds parameters and describes a statement without running it', async () => {
      expect((await rows(ana, 'select id from crm.accounts where id = $1', ['acc_022'])).rows).toEqual([{ id: 'acc_022' }]);
      const d = await ana.describe('select id, count(*) as n from crm.accounts where region = $1 group by id');
      expect(d.columns.map((c) => [c.name, c.type.name])).toEqual([
        ['id', 'text'],
        ['n', 'int8'],
      ]);
      expect(d.paramTypes.map((t) => t.name)).toEqual(['text']);
      expect((await ana.describe('set datestyle to iso')).columns).toEqual([]);
      const open = await ana.describe('select $1 as x');
      expect([open.columns[0]!.type.name, open.paramTypes[0]!.name]).toEqual(['text', 'text']);
      expect((await rows(ana, 'select $1 as x, $2::int + 1 as y', ['a', '41'])).rows).toEqual([{ x: 'a', y: '42' }]);
      expect((await rows(ana, 'select 1 as Total, 2 as "Mixed", count(*) from crm.accounts')).outcome.columns.map((c) => c.name)).toEqual(['total', 'Mixed', 'count']);
    });

    it('writes values in Postgres text format', async () => {
      const [r] = (
        await rows(
          vic,
          `select true as b, 12.50::decimal(10,2) as d, 1.5::double as f, date '2026-01-02' as dt, timestamp '2026-01-02 03:04:05.123456' as ts,
                  timestamptz '2026-01-02 03:04:05+00' as tz, interval '1 year 2 months 3 days 04:05:06' as i, [1, 2] as l, ['a b', null] as s,
                  '\\x00\\xFF'::blob as by, {'k': 1} as st, 9007199254740993::bigint as big, null as n, '{"x": 1}'::json as j`,
        )
      ).rows;
      expect(r).toEqual({
        b: 't',
        d: '12.50',
        f: '1.5',
        dt: '2026-01-02',
        ts: '2026-01-02 03:04:05.123456',
        tz: '2026-01-02 03:04:05+00',
        i: '1 year 2 mons 3 days 04:05:06',
        l: '{1,2}',
        s: '{"a b",NULL}',
        by: '\\x00ff',
        st: '{"k":1}',
        big: '9007199254740993',
        n: null,
        j: '{"x": 1}',
      });
      expect((await vic.describe(`select '{}'::json as j`)).columns[0]!.type.name).toBe('json');
    });

    it('writes values in Postgres binary format when asked', async () => {
      const got: (string | Buffer | null)[][] = [];
      const outcome = await vic.run(`select 7::int as i, 8::bigint as l, true as b, 2.5::double as f, 'x' as t, date '2000-01-02' as d, 12.34::decimal(10,2) as n`, [], (r) => void got.push(r), {
        binaryColumns: [true, true, true, true, true, true, true],
      });
      expect(outcome.columns.map((c) => c.type.oid)).toEqual([23, 20, 16, 701, 25, 1082, 1700]);
      const [i, l, b, f, t, d, n] = got[0] as Buffer[];
      expect(i!.readInt32BE()).toBe(7);
      expect(l!.readBigInt64BE()).toBe(8n);
      expect(b![0]).toBe(1);
      expect(f!.readDoubleBE()).toBe(2.5);
      expect(t!.toString()).toBe('x');
      expect(d!.readInt32BE()).toBe(1);
      expect([...n!]).toEqual([0, 2, 0, 0, 0, 0, 0, 2, 0, 12, 13, 72]);
    });
  });

  describe('limits', () => {
    it('fails a statement that runs past the timeout with 57014', async () => {
      const s = await open(wb, VIC, { statementTimeoutMs: 300 });
      try {
        const err = await refusal(s, 'select count(*) from range(10000000000) a, range(10) b where a.range * b.range = -1');
        expect(err).toMatchObject({ sqlstate: '57014', message: 'canceling statement due to statement timeout' });
        expect((await rows(s, 'select 1 as one')).rows).toEqual([{ one: '1' }]);
      } finally {
        await s.close();
      }
    });

    it('lets SET statement_timeout lower the limit, never raise it', async () => {
      const s = await open(wb, VIC, { statementTimeoutMs: 300 });
      try {
        await rows(s, 'set statement_timeout = 3600000');
        expect((await refusal(s, 'select count(*) from range(10000000000) a, range(10) b where a.range * b.range = -1')).sqlstate).toBe('57014');
        expect((await refusal(s, "set statement_timeout = 'soon'")).sqlstate).toBe('22023');
      } finally {
        await s.close();
      }
    });

    it('cancels a running statement (a CancelRequest) with 57014', async () => {
      const running = vic.run('select count(*) from range(10000000000) a, range(10) b where a.range * b.range = -1', [], () => undefined);
      const refused = running.then(
        () => undefined,
        (e: unknown) => e,
      );
      await new Promise((r) => setImmediate(r));
      setTimeout(() => vic.cancel(), 50);
      const err = await refused;
      expect(err).toBeInstanceOf(SqlError);
      expect(err).toMatchObject({ sqlstate: '57014', message: 'canceling statement due to user request' });
      // a cancel that arrives while the statement is still being checked stops it before it runs
      const early = vic.run('select 1', [], () => undefined);
      vic.cancel();
      await expect(early).rejects.toMatchObject({ sqlstate: '57014' });
      expect((await rows(vic, 'select 2 as two')).rows).toEqual([{ two: '2' }]);
      vic.cancel(); // no statement running: nothing to cancel
      expect((await rows(vic, 'select 3 as three')).rows).toEqual([{ three: '3' }]);
    });

    it('closing a session stops its running statement', async () => {
      const s = await open(wb, VIC);
      const running = s.run('select count(*) from range(10000000000) a, range(10) b where a.range * b.range = -1', [], () => undefined).then(
        () => undefined,
        (e: unknown) => e,
      );
      setTimeout(() => void s.close(), 50);
      expect(await running).toMatchObject({ sqlstate: '57014' });
      expect((await refusal(s, 'select 1')).sqlstate).toBe('08003');
    });

    it('fails a result beyond the row cap with 54000, never truncating it silently', async () => {
      const s = await open(wb, VIC, { maxRows: 10 });
      try {
        expect((await rows(s, 'select * from range(10)')).outcome.tag).toBe('SELECT 10');
        const err = await refusal(s, 'select * from range(11)');
        expect(err.sqlstate).toBe('54000');
        expect(err.message).toBe('the result has more than 10 rows, the most one statement may return');
        expect(err.hint).toBe('aggregate the rows, or add a LIMIT');
        const got: unknown[] = [];
        expect((await s.run('select * from range(10)', [], (r) => void got.push(r), { maxRows: 4 })).tag).toBe('SELECT 4');
        expect(got).toHaveLength(4);
      } finally {
        await s.close();
      }
    });

    it('fails a statement that fails after its first rows were sent (22003), never ending it as a whole result', async () => {
      // DuckDB ends a streamed result that fails midway like a finished one; the session must not
      const late = 'select i, case when i >= $1::bigint then cast(9223372036854775807 as bigint) + i else i end as x from range(200000) t(i)';
      const failure = async (s: SqlSession) => {
        let sent = 0;
        const err = await s.run(late, ['150000'], () => void sent++).then(() => undefined, (e: unknown) => e);
        if (!(err instanceof SqlError)) throw new Error(`expected a SqlError, got ${String(err)}`);
        return { err, sent };
      };
      const { err, sent } = await failure(admin);
      expect(err.sqlstate).toBe('22003');
      expect(err.message).toMatch(/^Overflow in addition of INT64/);
      expect(sent).toBeGreaterThan(0);
      expect(sent).toBeLessThan(150_000);
      expect((await rows(admin, 'select 42 as n')).rows).toEqual([{ n: '42' }]);
      // a role gets the same state
      expect((await failure(vic)).err.sqlstate).toBe('22003');
      // and the same statement that does not fail ends whole
      expect((await admin.run(late, ['300000'], () => undefined)).tag).toBe('SELECT 200000');
    });
  });

  describe('session commands', () => {
    it('emulates BEGIN / COMMIT / ROLLBACK and the aborted-transaction rule', async () => {
      const s = await open(wb, VIC);
      try {
        expect((await rows(s, 'begin')).outcome.tag).toBe('BEGIN');
        expect(s.transactionStatus).toBe('transaction');
        await refusal(s, 'select * from nowhere');
        expect(s.transactionStatus).toBe('error');
        expect((await refusal(s, 'select 1')).sqlstate).toBe('25P02');
        expect((await rows(s, 'rollback')).outcome.tag).toBe('ROLLBACK');
        expect(s.transactionStatus).toBe('idle');
        expect((await rows(s, 'start transaction read only')).outcome.tag).toBe('BEGIN');
        expect((await rows(s, 'commit')).outcome.tag).toBe('COMMIT');
      } finally {
        await s.close();
      }
    });

    it('keeps SET values for SHOW, current_setting and search_path, and reports the ones a client tracks', async () => {
      const s = await open(wb, VIC);
      try {
        expect((await s.run("SET DateStyle = 'ISO, MDY'", [], () => undefined)).parameterStatus).toEqual({ DateStyle: 'ISO, MDY' });
        expect((await s.run("set application_name = 'Metabase'", [], () => undefined)).parameterStatus).toEqual({ application_name: 'Metabase' });
        expect((await rows(s, 'show application_name')).rows).toEqual([{ application_name: 'Metabase' }]);
        await rows(s, "set myapp.tenant = 'x'");
        expect((await rows(s, "select current_setting('myapp.tenant') as t")).rows).toEqual([{ t: 'x' }]);
        expect((await refusal(s, 'set no_such_setting = 1')).sqlstate).toBe('42704');
        expect((await refusal(s, 'set server_version = 1')).sqlstate).toBe('55P02');
        await rows(s, 'set search_path = crm');
        expect((await rows(s, 'select count(*) as n from accounts')).rows[0]!.n).not.toBe('0');
        expect((await refusal(s, 'select * from account_forecast')).sqlstate).toBe('42P01');
        await rows(s, 'reset search_path');
        expect((await rows(s, 'select count(*) as n from account_forecast')).outcome.tag).toBe('SELECT 1');
      } finally {
        await s.close();
      }
    });

    it('answers the identity functions from the session', async () => {
      expect((await rows(ana, 'select current_user, session_user, current_database(), current_schema() as s')).rows).toEqual([
        { current_user: 'ana', session_user: 'ana', current_database: 'revenue_planning', s: 'planning' },
      ]);
      expect((await rows(ana, "select 'planning.account_forecast'::regclass::oid = (select oid from pg_class where relname = 'account_forecast') as same")).rows).toEqual([{ same: 't' }]);
    });

    it('splits a simple-query string into its statements', () => {
      expect(vic.split("select ';'; set x = 1 ; -- ;\n select 2")).toEqual(["select ';'", ' set x = 1 ', ' -- ;\n select 2']);
      expect(vic.split('  ')).toEqual([]);
    });
  });
});
