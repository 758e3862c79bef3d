import { readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { serialize } from 'pg-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../../../src/library/open-project.js';
import type { Writeback } from '../../../src/library/writeback.js';
import { openSqlSession } from '../../../src/sqlsession/open-sql-session.js';
import { startServer, type RunningHttpServer } from '../../../src/server/start-server.js';
import type { ServerLogger } from '../../../src/server/logger.js';
import { appliedDemoProject, demoTokens, type DemoUser } from '../server/demo-project.js';
import { call } from '../server/http-client.js';

// An attacker with a valid token (a planner of EMEA, a viewer) meets the Postgres endpoint of a
// running server through node-postgres: what the endpoint promises must hold against statements
// written to get around it. Each case is one attack that once worked, or a probe that held.

const EMEA = 'acc_022';
const AMER = 'acc_001';
const quiet: ServerLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The messages a backend sent, as type letters ('D' with its first text value, 'E' with its SQLSTATE). */
function backendMessages(buf: Buffer): string[] {
  const out: string[] = [];
  for (let at = 0; at + 5 <= buf.length; ) {
    const type = String.fromCharCode(buf[at]!);
    const len = buf.readInt32BE(at + 1);
    const body = buf.subarray(at + 5, at + 1 + len);
    if (type === 'E') out.push(`E:${/C([0-9A-Z]{5})\0/.exec(body.toString('latin1'))?.[1] ?? '?'}`);
    else out.push(type);
    at += 1 + len;
  }
  return out;
}

/**
 * A raw protocol client: signs in with `token`, then runs each step (bytes to send, then how long
 * to wait for answers) and returns what the backend sent after sign-in, step by step.
 */
async function rawSession(port: number, token: string, steps: { send: Buffer; waitMs: number }[]): Promise<string[][]> {
  const socket = connect(port, '127.0.0.1');
  let received = Buffer.alloc(0);
  socket.on('data', (d: Buffer) => {
    received = Buffer.concat([received, d]);
  });
  const until = async (done: () => boolean) => {
    while (!done()) await new Promise((r) => setTimeout(r, 20));
  };
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(serialize.startup({ user: 'attacker', database: 'revenue_planning' }));
  await until(() => received.includes(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3])));
  received = Buffer.alloc(0);
  socket.write(serialize.password(token));
  await until(() => received.includes(Buffer.from([0x5a, 0, 0, 0, 5])));
  received = Buffer.alloc(0);
  const answers: string[][] = [];
  for (const step of steps) {
    socket.write(step.send);
    await new Promise((r) => setTimeout(r, step.waitMs));
    answers.push(backendMessages(received));
    received = Buffer.alloc(0);
  }
  socket.destroy();
  return answers;
}

describe('Postgres endpoint under attack', () => {
  let wb: Writeback;
  let server: RunningHttpServer;
  let tokens: Record<DemoUser, string>;
  let port = 0;

  const client = async (token: string) => {
    const c = new pg.Client({ host: '127.0.0.1', port, user: 'attacker', password: token, database: 'revenue_planning' });
    await c.connect();
    return c;
  };
  /** The rows of `sql`, or the SQLSTATE and message it failed with. */
  const attempt = async (c: pg.Client, sql: string, params: unknown[] = []) =>
    c.query(sql, params).then(
      (r) => ({ rows: r.rows as Record<string, unknown>[] }),
      (e: { code?: string; message?: string }) => ({ code: e.code, message: e.message }),
    );

  beforeAll(async () => {
    // the endpoint as project.yml declares it, with the engine's memory bounded
    const dir = await appliedDemoProject((d) => {
      const file = join(d, 'project.yml');
      const yml = readFileSync(file, 'utf8');
      const dev = '  dev: { type: duckdb, path: target/warehouse.duckdb }\n';
      if (!yml.includes(dev)) throw new Error('the demo project.yml no longer declares its dev target on one line');
      writeFileSync(file, yml.replace(dev, '  dev: { type: duckdb, path: target/warehouse.duckdb, postgres_endpoint: { port: 0, memory_limit: 512MB } }\n'));
    });
    wb = await openProject(dir);
    tokens = await demoTokens(wb);
    server = await startServer(wb, { port: 0, logger: quiet, snapshot: false, sqlSessions: (actor, limits) => openSqlSession(wb, actor, limits) });
    port = server.postgres!.port;
    const r = await call(server.url, 'POST', '/api/v1/inputs/revenue_forecast/rows', {
      token: tokens.fin,
      body: {
        rows: [
          { account_id: EMEA, quarter: '2026-Q1', amount: 1000 },
          { account_id: AMER, quarter: '2026-Q1', amount: 987654.32 },
        ],
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await server?.close();
  });

  it("stats() does not tell a planner the values of other regions' rows (min/max of the hidden rows)", async () => {
    const c = await client(tokens.ana);
    try {
      const seen = await attempt(c, 'select stats(region) as r, stats(amount) as a from planning.account_forecast limit 1');
      expect(JSON.stringify(seen)).not.toMatch(/AMER|987654/);
      expect(seen).toMatchObject({ code: '42501' });
    } finally {
      await c.end();
    }
  });

  it('the row filter holds under DuckDB syntax: aggregates, FROM-first, COLUMNS, EXCLUDE, positional and ASOF joins, TABLESAMPLE, UNPIVOT', async () => {
    const c = await client(tokens.ana);
    try {
      for (const sql of [
        'select min(region) as lo, max(region) as hi, approx_count_distinct(region)::integer as n from planning.account_forecast',
        'from planning.account_forecast select distinct region',
        "select distinct columns(c -> c = 'region') from planning.account_forecast",
        'select distinct * exclude (id, name, segment, owner, industry, category, quarter, amount, confidence) from planning.account_forecast',
        'select distinct a.region from planning.account_forecast a positional join crm.accounts b',
        'select distinct b.region from planning.account_forecast a positional join crm.accounts b',
        'select distinct region from planning.account_forecast tablesample 100 percent',
        'select distinct v from (unpivot planning.account_forecast on region into name k value v)',
        'select distinct region from planning.forecast_vs_actuals',
        'select distinct region from crm.accounts',
      ]) {
        const r = await attempt(c, sql);
        expect(JSON.stringify(r), sql).not.toMatch(/AMER|APAC/);
        expect('rows' in r, `${sql}: ${JSON.stringify(r)}`).toBe(true);
      }
      // a predicate that fails on a hidden row would name its values: the row filter is applied first
      for (const sql of [
        `select * from crm.accounts where id = '${AMER}' and name::integer = 1`,
        `select * from planning.account_forecast where id = '${AMER}' and (name || region)::integer = 1`,
        `select * from planning.revenue_forecast__history where account_id = '${AMER}' and _new_value::integer = 1`,
      ])
        expect(await attempt(c, sql), sql).toEqual({ rows: [] });
      const history = await attempt(c, 'select distinct account_id, _new_value from planning.revenue_forecast__history');
      expect(JSON.stringify(history)).not.toMatch(/acc_001|987654/);
    } finally {
      await c.end();
    }
  });

  it("a CTE naming itself does not reach the engine's own catalog (duckdb_tables, duckdb_databases, duckdb_views, DuckDB's pg_class)", async () => {
    const c = await client(tokens.vic);
    try {
      const leaks = /_wb_|warehouse|wb_s_|wb_internal|writeback\b/;
      for (const sql of [
        'with duckdb_tables as (select * from duckdb_tables) select * from duckdb_tables',
        'with duckdb_databases as (select * from duckdb_databases) select * from duckdb_databases',
        'with duckdb_views as (select * from duckdb_views) select * from duckdb_views',
        'with recursive duckdb_tables as (select * from duckdb_tables union all select * from duckdb_tables) select * from duckdb_tables limit 5',
        'with recursive duckdb_tables as (select * from duckdb_tables) select * from duckdb_tables',
        'with duckdb_views as (select 1 as x) select * from (with duckdb_views as (select * from duckdb_views) select * from duckdb_views) t',
        'with a as (select * from duckdb_databases), duckdb_databases as (select 1) select * from a',
      ]) {
        const r = await attempt(c, sql);
        expect(JSON.stringify(r), sql).not.toMatch(leaks);
        if ('code' in r) expect(r.code, sql).toBe('42P01');
      }
      // DuckDB's own pg_class lists every table of the instance; the session's lists what the viewer reads
      const own = await attempt(c, 'select count(*)::integer as n from pg_class');
      expect(await attempt(c, 'with pg_class as (select * from pg_class) select count(*)::integer as n from pg_class')).toEqual(own);
      // a recursive CTE still reads itself
      expect(await attempt(c, 'with recursive t(n) as (select 1 union all select n + 1 from t where n < 3) select sum(n)::integer as s from t')).toEqual({ rows: [{ s: 6 }] });
    } finally {
      await c.end();
    }
  });

  it('files, settings, the engine catalog, other catalogs and hidden objects stay out of reach, and look absent', async () => {
    const c = await client(tokens.vic);
    try {
      const cases: [string, string][] = [
        ["select * from read_text('/etc/passwd')", '42501'],
        ["from '/etc/passwd'", '42P01'],
        ["select * from glob('*')", '42501'],
        ["select getenv('HOME')", '42501'],
        ["select main.getenv('HOME')", '42501'],
        ["select system.main.getenv('HOME')", '42883'],
        ["select * from query('select 1')", '42501'],
        ["select * from query_table('planning.account_forecast')", '42501'],
        ['select * from duckdb_databases()', '42501'],
        ['select * from duckdb_settings()', '42501'],
        ["select which_secret('s3://b/x', 's3')", '42501'],
        ["select current_setting('memory_limit')", '42704'],
        ['select * from inputs.revenue_forecast', '42P01'],
        ['select * from planning._wb_log', '42P01'],
        ['select * from system.main.duckdb_tables', '42P01'],
        ['select * from memory.main.x', '42P01'],
        ['select * from temp.main.x', '42P01'],
        ['select * from wb_internal._params', '42P01'],
        ['summarize planning.account_forecast', '0A000'],
        ['explain analyze select * from planning.account_forecast', '25006'],
        ['pragma database_list', '25006'],
      ];
      for (const [sql, code] of cases) expect(await attempt(c, sql), sql).toMatchObject({ code });
      // a hidden relation answers as a nonexistent one, word for word
      const hidden = await attempt(c, 'select * from inputs.revenue_forecast');
      const absent = await attempt(c, 'select * from inputs.no_such_table');
      expect((hidden as { message: string }).message.replace('revenue_forecast', 'X')).toBe((absent as { message: string }).message.replace('no_such_table', 'X'));
      // catalog views show the session's relations only, and no view SQL
      const names = await attempt(c, "select string_agg(relname, ',') as n from pg_class");
      expect(JSON.stringify(names)).not.toMatch(/_wb_|_params|_settings|revenue_forecast"|wb_s_/);
      const defs = await attempt(c, "select string_agg(coalesce(definition, ''), '') as d from pg_views");
      expect(defs).toEqual({ rows: [{ d: '' }] });
    } finally {
      await c.end();
    }
  });

  it('DuckDB list and struct literals, 1e2 and TABLESAMPLE n PERCENT are read', async () => {
    const c = await client(tokens.vic);
    try {
      const r = await attempt(c, "select [1, 2] as l, {'a': 1} as s, list_transform([1, 2], x -> x + 1) as t");
      expect(r).toEqual({ rows: [{ l: [1, 2], s: { a: 1 }, t: [2, 3] }] });
      // double constants written with a fraction or exponent stay doubles through the rewrite
      expect(await attempt(c, 'select 1e2 as d, count(*)::integer as n from planning.account_forecast tablesample 100 percent')).toEqual({ rows: [{ d: '100.0', n: 60 }] });
    } finally {
      await c.end();
    }
  });

  it('a statement interrupted by its timeout while its rows stream fails with 57014; it never completes with part of its rows', async () => {
    // a portal suspended after one row, resumed after the (lowered) statement timeout has passed
    const answers = await rawSession(port, tokens.vic, [
      { send: serialize.query("set statement_timeout = '1s'"), waitMs: 500 },
      {
        send: Buffer.concat([serialize.parse({ text: 'select i from range(0, 100000) t(i)' }), serialize.bind({}), serialize.execute({ rows: 1 }), serialize.flush()]),
        waitMs: 2500,
      },
      { send: Buffer.concat([serialize.execute({}), serialize.sync()]), waitMs: 2000 },
    ]);
    expect(answers[1]).toEqual(['1', '2', 'D', 's']);
    const rest = answers[2]!;
    expect(rest.filter((m) => m !== 'D')).toEqual(['E:57014', 'Z']);
  });

  // A single statement could use as much memory as the machine has (DuckDB's default memory_limit,
  // 80% of RAM, for the whole instance): a viewer grew the server by gigabytes. The endpoint bounds
  // the engine (postgres_endpoint.memory_limit, default half the machine's), so it fails with 53200.
  it('a statement that builds a gigabyte is refused with 53200 out_of_memory, and the server goes on', async () => {
    const c = await client(tokens.vic);
    try {
      expect(await attempt(c, 'select len(list(repeat(chr(120), 1000000))) as n from range(1000)')).toMatchObject({ code: '53200' });
      expect((await c.query('select count(*)::int as n from planning.account_forecast')).rows[0]).toMatchObject({ n: expect.any(Number) });
    } finally {
      await c.end();
    }
  });
});
