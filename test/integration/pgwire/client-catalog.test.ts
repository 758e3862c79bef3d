import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../../../src/library/open-project.js';
import type { Writeback } from '../../../src/library/writeback.js';
import { startServer, type RunningHttpServer } from '../../../src/server/start-server.js';
import { appliedDemoProject, demoTokens } from '../server/demo-project.js';

// The SQL that Metabase's Postgres driver, pgjdbc and psql send on connect and sync
// (test/fixtures/pg-clients, each file saying where it comes from), sent over the wire by
// node-postgres to a running server's Postgres endpoint as an EMEA planner: statements with
// parameters go through the extended protocol (Parse/Bind/Describe/Execute, as pgjdbc sends
// them), the others as simple queries. Every statement answers, and the answers list the
// planner's views with their columns — and nothing the planner may not read.

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/pg-clients');

function statementsOf(file: string): { sql: string; params: string[] }[] {
  return readFileSync(join(FIXTURES, file), 'utf8')
    .split(/^-- next$/m)
    .map((block) => {
      const params = /^-- params: (.*)$/m.exec(block);
      return { sql: block.replace(/^--.*$/gm, '').trim(), params: params ? (JSON.parse(params[1]!) as string[]) : [] };
    });
}

describe('the catalog queries of Metabase, pgjdbc and psql, over the wire', () => {
  let wb: Writeback;
  let server: RunningHttpServer;
  let client: pg.Client;
  const answers = new Map<string, Record<string, unknown>[][]>();

  beforeAll(async () => {
    wb = await openProject(await appliedDemoProject());
    const tokens = await demoTokens(wb);
    server = await startServer(wb, { port: 0, snapshot: false, postgres: { port: 0 }, logger: { info() {}, warn() {}, error() {} } });
    client = new pg.Client({ host: '127.0.0.1', port: server.postgres!.port, user: 'metabase', password: tokens.ana, database: 'revenue_planning', application_name: 'Metabase' });
    await client.connect();
    for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.sql')).sort()) {
      const results: Record<string, unknown>[][] = [];
      let oid: string | undefined;
      for (const s of statementsOf(file)) {
        const sql = oid ? s.sql.replace(/'16385'/g, `'${oid}'`) : s.sql;
        try {
          const r = s.params.length > 0 ? await client.query(sql, s.params) : await client.query(sql);
          const rows = (Array.isArray(r) ? r.at(-1)! : r).rows as Record<string, unknown>[];
          results.push(rows);
          if (file === 'psql-d-view.sql' && oid === undefined) oid = rows[0]?.['oid'] === undefined ? undefined : String(rows[0]['oid']);
        } catch (err) {
          throw new Error(`${file}: ${(err as Error).message}\n${sql}`);
        }
      }
      answers.set(file, results);
    }
  }, 120_000);

  afterAll(async () => {
    await client?.end().catch(() => undefined);
    await server?.close();
    await wb?.close();
  });

  it('answers every statement of every fixture', () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.sql'));
    expect([...answers.keys()].sort()).toEqual(files.sort());
  });

  it("Metabase's describe-database lists the planner's views, and no hidden relation", () => {
    const listed = answers.get('metabase-get-tables.sql')!.flat().map((r) => `${r['schema']}.${r['name']}:${r['type']}`);
    expect(listed).toContain('planning.account_forecast:VIEW');
    expect(listed).toContain('planning.revenue_forecast__history:VIEW');
    expect(listed.join(' ')).not.toMatch(/_wb_|__log|writeback\./);
  });

  it("pgjdbc's getColumns gives a merged view's columns with their types", () => {
    const columns = answers.get('pgjdbc-get-columns.sql')!.flat();
    const amount = columns.find((c) => c['relname'] === 'account_forecast' && c['attname'] === 'amount');
    expect(amount, JSON.stringify(columns.slice(0, 3))).toBeDefined();
    // numeric(18,2): type oid 1700, typmod ((18 << 16) | 2) + 4 as Postgres encodes it
    expect(amount).toMatchObject({ atttypid: '1700', atttypmod: (18 << 16) + 2 + 4 });
  });

  it("psql's \\dv lists the views", () => {
    const names = answers.get('psql-dv.sql')!.flat().map((r) => r['Name']);
    expect(names).toContain('account_forecast');
    expect(names).toContain('forecast_vs_actuals__v1');
  });
});
