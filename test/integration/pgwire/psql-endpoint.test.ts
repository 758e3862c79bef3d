import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../../../src/library/open-project.js';
import type { Writeback } from '../../../src/library/writeback.js';
import { startServer, type RunningHttpServer } from '../../../src/server/start-server.js';
import type { ServerLogger } from '../../../src/server/logger.js';
import { openSqlSession } from '../../../src/sqlsession/open-sql-session.js';
import { appliedDemoProject, demoTokens, tokenFor, type DemoUser } from '../server/demo-project.js';
import { call } from '../server/http-client.js';
import { psql, psqlUnavailable } from './psql.js';

// The Postgres endpoint of a running server (startServer, ephemeral ports) over the demo project,
// met by Debian's psql and by node-postgres. Where psql is missing the suite is skipped with the
// command to install it — except in CI (CI=true), where that is a failure (.ci/run installs it).
const missing = psqlUnavailable();
if (missing && process.env.CI === 'true') {
  describe('Postgres endpoint with psql', () => {
    it('needs psql in CI', () => {
      expect.fail(`${missing} (.ci/run installs it)`);
    });
  });
}

const EMEA = 'acc_022';
const AMER = 'acc_001';

describe.skipIf(Boolean(missing))(`Postgres endpoint with psql and pg${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let wb: Writeback;
  let server: RunningHttpServer;
  let tokens: Record<DemoUser | 'olga', string>;
  let port = 0;
  const lines: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  const logger: ServerLogger = {
    info: (message, fields = {}) => lines.push({ level: 'info', message, fields }),
    warn: (message, fields = {}) => lines.push({ level: 'warn', message, fields }),
    error: (message, fields = {}) => lines.push({ level: 'error', message, fields }),
  };
  const write = (token: string, rows: Record<string, unknown>[]) =>
    call(server.url, 'POST', '/api/v1/inputs/revenue_forecast/rows', { token, body: { rows } });
  const client = async (token: string) => {
    const c = new pg.Client({ host: '127.0.0.1', port, user: 'dashboards', password: token, database: 'revenue_planning', application_name: 'pg-test' });
    await c.connect();
    return c;
  };

  beforeAll(async () => {
    const dir = await appliedDemoProject((d) => {
      // a role that may read nothing
      const file = join(d, 'project.yml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('roles:\n', 'roles:\n  outsider:\n    description: Reads nothing.\n'));
    });
    wb = await openProject(dir);
    tokens = { ...(await demoTokens(wb)), olga: await tokenFor(wb, 'olga', 'outsider') };
    server = await startServer(wb, { port: 0, logger, snapshot: false, postgres: { port: 0 }, sqlSessions: (actor, limits, startup) => openSqlSession(wb, actor, limits, startup) });
    port = server.postgres!.port;
    const r = await write(tokens.fin, [
      { account_id: EMEA, quarter: '2026-Q1', amount: 1000 },
      { account_id: AMER, quarter: '2026-Q1', amount: 2000 },
    ]);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await server?.close();
  });

  it('psql connects with an API token as password; \\dv lists the views; a merged view reads with the written rows', async () => {
    const dv = await psql(port, tokens.fin, ['-c', '\\dv']);
    expect(dv.stderr).toBe('');
    expect(dv.code).toBe(0);
    const views = dv.stdout.trim().split('\n').map((l) => l.split('|').slice(0, 2).join('.'));
    expect(views).toContain('planning.account_forecast');
    const read = await psql(port, tokens.fin, ['-c', `select id, quarter, amount from planning.account_forecast where quarter = '2026-Q1' order by id`]);
    expect(read.stderr).toBe('');
    expect(read.stdout.trim().split('\n')).toEqual([`${AMER}|2026-Q1|2000.00`, `${EMEA}|2026-Q1|1000.00`]);
    const conn = lines.find((l) => l.message === 'postgres connection' && l.fields['user'] === 'fin');
    expect(conn?.fields).toMatchObject({ startup_user: 'bi', application_name: 'psql', role: 'finance' });
    expect(typeof conn?.fields['token']).toBe('string');
  });

  it('the settings announced at start-up are what SHOW answers', async () => {
    const c = new pg.Client({ host: '127.0.0.1', port, user: 'dashboards', password: tokens.vic, database: 'revenue_planning', application_name: 'Metabase v0.62' });
    const announced: Record<string, string> = {};
    (c as unknown as { connection: NodeJS.EventEmitter }).connection.on('parameterStatus', (m: { parameterName: string; parameterValue: string }) => {
      announced[m.parameterName] = m.parameterValue;
    });
    await c.connect();
    try {
      expect(announced).toMatchObject({ server_version: '16.0', client_encoding: 'UTF8', DateStyle: 'ISO, MDY', TimeZone: 'UTC', session_authorization: 'vic' });
      expect(announced['application_name']).toBe('Metabase v0.62');
      for (const name of ['server_version', 'server_encoding', 'client_encoding', 'DateStyle', 'IntervalStyle', 'TimeZone', 'integer_datetimes', 'standard_conforming_strings', 'is_superuser', 'application_name']) {
        const shown = (await c.query(`show ${name}`)).rows[0] as Record<string, string>;
        expect(Object.values(shown)[0], name).toBe(announced[name]);
      }
    } finally {
      await c.end();
    }
  });

  it('an API write is seen by the next query on an already-open connection', async () => {
    const c = await client(tokens.fin);
    try {
      const amount = async () =>
        (await c.query<{ amount: string }>(`select amount::varchar as amount from planning.account_forecast where id = $1 and quarter = '2026-Q1'`, [EMEA])).rows[0]?.amount;
      expect(await amount()).toBe('1000.00');
      const r = await write(tokens.fin, [{ account_id: EMEA, quarter: '2026-Q1', amount: 1234.5 }]);
      expect(r.status).toBe(200);
      expect(await amount()).toBe('1234.50');
    } finally {
      await c.end();
    }
  });

  it('writes and side effects are refused over the wire, and nothing changes', async () => {
    const c = await client(tokens.fin);
    const before = (await c.query('select count(*)::integer as n from planning.account_forecast')).rows[0] as { n: number };
    try {
      const codes: Record<string, string | undefined> = {};
      for (const sql of [
        `insert into planning.account_forecast (account_id) values ('x')`,
        `update planning.account_forecast set amount = 0`,
        `delete from planning.account_forecast`,
        `copy planning.account_forecast to '/tmp/out.csv'`,
        `create table t (x integer)`,
        `attach '/tmp/other.duckdb' as other`,
        `call pragma_version()`,
        `select nextval('s')`,
      ]) {
        codes[sql.split(' ')[0]!] = await c.query(sql).then(
          () => 'ran',
          (e: { code?: string }) => e.code,
        );
      }
      expect(codes).toEqual({ insert: '25006', update: '25006', delete: '25006', copy: '25006', create: '25006', attach: '25006', call: '25006', select: '42501' });
      expect((await c.query('select count(*)::integer as n from planning.account_forecast')).rows[0]).toEqual(before);
    } finally {
      await c.end();
    }
    const insert = await psql(port, tokens.fin, ['-c', `insert into planning.account_forecast (account_id) values ('x')`]);
    expect(insert.code).not.toBe(0);
    expect(insert.stderr).toMatch(/^ERROR: {2}.*read-only/m);
    // psql's FETCH_COUNT reads through a cursor: the error says so, and how to do without
    const paged = await psql(port, tokens.fin, ['-v', 'FETCH_COUNT=10', '-c', 'select 1']);
    expect(paged.code).not.toBe(0);
    expect(paged.stderr).toMatch(/^ERROR: {2}DECLARE: cursors are not supported by writeback's SQL endpoint\nHINT: {2}psql declares one when FETCH_COUNT is set: \\unset FETCH_COUNT/m);
  });

  it('a wrong token is refused with Postgres\' own words; a role that may read nothing is refused at connect', async () => {
    const wrong = await psql(port, `wb_0123456789ab_${'x'.repeat(43)}`, ['-c', 'select 1'], { user: 'mallory' });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('FATAL:  password authentication failed for user "mallory"');
    expect(wrong.stderr).not.toContain('xxxxxxxx');
    expect(lines.find((l) => l.message === 'postgres connection refused' && l.fields['token'] === '0123456789ab')?.fields).toMatchObject({ sqlstate: '28P01', startup_user: 'mallory' });
    const outsider = await psql(port, tokens.olga, ['-c', 'select 1']);
    expect(outsider.code).toBe(2);
    expect(outsider.stderr).toMatch(/FATAL: {2}.*outsider/);
    await expect(client(tokens.olga)).rejects.toMatchObject({ code: '28000' });
  });

  it('row filters apply: a planner sees only the rows of their region', async () => {
    const regions = async (token: string) =>
      (await psql(port, token, ['-c', `select distinct r.region from planning.account_forecast f join crm.accounts r on r.id = f.id order by 1`])).stdout.trim();
    const forecast = async (token: string) =>
      (await psql(port, token, ['-c', `select id from planning.account_forecast where quarter = '2026-Q1' order by 1`])).stdout.trim().split('\n');
    expect(await forecast(tokens.ana)).toEqual([EMEA]);
    expect(await forecast(tokens.bob)).toEqual([AMER]);
    expect(await forecast(tokens.fin)).toEqual([AMER, EMEA]);
    expect(await regions(tokens.ana)).toBe('EMEA');
  });

  it('extended protocol through pg: bound parameters, binary results, row limits; /healthz counts connections', async () => {
    const c = await client(tokens.vic);
    try {
      const r = await c.query<{ id: string; n: number }>({ text: 'select id, count(*)::integer as n from planning.account_forecast where id = $1 and quarter is not null group by 1', values: [EMEA] });
      expect(r.rows).toEqual([{ id: EMEA, n: 1 }]);
      const binary: pg.QueryConfig & { binary: boolean } = { text: 'select 42::integer as n, 2.5::double precision as f, true as b', binary: true };
      expect((await c.query(binary)).rows).toEqual([{ n: 42, f: 2.5, b: true }]);
      const paged = await c.query({ text: 'select * from range(0, 25) t(i)', rows: 10 } as pg.QueryConfig);
      expect(paged.rowCount).toBe(25);
      const health = await call<{ postgres: { url: string; connections: number } }>(server.url, 'GET', '/healthz');
      expect(health.body.postgres).toEqual({ url: server.postgres!.url, connections: 1 });
    } finally {
      await c.end();
    }
  });

  it('a statement is cancelled by a CancelRequest; the connection goes on', async () => {
    const c = await client(tokens.fin);
    try {
      const slow = c.query('select count(*) from range(0, 20000000000) a').then(
        () => undefined,
        (e: { code?: string }) => e,
      );
      let settled = false;
      void slow.then(() => (settled = true));
      // a CancelRequest that arrives before the statement starts cancels nothing (as in Postgres): resend until it ends
      while (!settled) {
        await sendCancel(port, c);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await slow).toMatchObject({ code: '57014' });
      expect((await c.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await c.end();
    }
  });

  it('shutdown closes every session', async () => {
    const c = await client(tokens.fin);
    const ended = new Promise<unknown>((resolve) => c.on('error', resolve));
    await server.close();
    expect(await ended).toMatchObject({ code: '57P01' });
    expect(lines.some((l) => l.message === 'postgres connection closed' && l.fields['user'] === 'fin')).toBe(true);
  });
});

/** A CancelRequest with the BackendKeyData of `c`, as every Postgres client sends it. */
async function sendCancel(port: number, c: pg.Client): Promise<void> {
  const { connect } = await import('node:net');
  const keys = c as unknown as { processID: number; secretKey: number };
  await new Promise<void>((resolve) => {
    const s = connect(port, '127.0.0.1', () => {
      const b = Buffer.alloc(16);
      b.writeInt32BE(16, 0);
      b.writeInt32BE(80877102, 4);
      b.writeInt32BE(keys.processID, 8);
      b.writeInt32BE(keys.secretKey, 12);
      s.write(b);
    });
    s.on('close', () => resolve());
  });
}
