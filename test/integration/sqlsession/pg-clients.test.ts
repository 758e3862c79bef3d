import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../../../src/library/open-project.js';
import type { Writeback } from '../../../src/library/writeback.js';
import type { SqlSession } from '../../../src/sqlsession/types.js';
import { appliedDemoProject } from '../server/demo-project.js';
import { ANA, open, rows } from './session-harness.js';

/**
 * The SQL real clients send on connect and sync (test/fixtures/pg-clients, each file saying where
 * it comes from), replayed verbatim through a planner's session: every statement answers, and the
 * answers list the planner's views with their columns and types — and nothing the planner may not read.
 */
const FIXTURES = resolve(import.meta.dirname, '../../fixtures/pg-clients');

interface Statement {
  sql: string;
  params: string[];
}

function statementsOf(file: string): Statement[] {
  return readFileSync(join(FIXTURES, file), 'utf8')
    .split(/^-- next$/m)
    .map((block) => {
      const params = /^-- params: (.*)$/m.exec(block);
      return { sql: block.replace(/^--.*$/gm, '').trim(), params: params ? (JSON.parse(params[1]!) as string[]) : [] };
    });
}

type Rows = Record<string, string | null>[];

describe('the catalog queries of psql, Metabase and pgjdbc, replayed through a session', () => {
  let wb: Writeback;
  let session: SqlSession;
  const answers = new Map<string, Rows[]>();

  beforeAll(async () => {
    wb = await openProject(await appliedDemoProject());
    session = await open(wb, ANA);
    for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.sql')).sort()) {
      const results: Rows[] = [];
      let oid: string | undefined;
      for (const s of statementsOf(file)) {
        const sql = oid ? s.sql.replace(/'16385'/g, `'${oid}'`) : s.sql;
        try {
          const r = await rows(session, sql, s.params);
          results.push(r.rows);
          if (file === 'psql-d-view.sql' && oid === undefined) oid = r.rows[0]?.oid ?? undefined;
        } catch (err) {
          throw new Error(`${file}: ${(err as Error).message}\n${sql}`);
        }
      }
      answers.set(file, results);
    }
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    await wb?.close();
  });

  it('answers every statement of every fixture', () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.sql'));
    expect([...answers.keys()].sort()).toEqual(files.sort());
  });

  it('psql \\dv lists the views the planner reads, in the views schema, and nothing hidden', () => {
    const [list] = answers.get('psql-dv.sql')!;
    const names = list!.map((r) => `${r.Schema}.${r.Name}`);
    expect(names).toContain('planning.account_forecast');
    expect(names).toContain('planning.revenue_forecast__history');
    expect(list!.every((r) => r.Type === 'view' && r.Owner === 'ana')).toBe(true);
    expect(names.some((n) => /_wb_|__log|writeback\./.test(n))).toBe(false);
  });

  it('psql \\dt lists no tables (everything is a view) and \\dn the schemas the planner sees', () => {
    expect(answers.get('psql-dt.sql')![0]).toEqual([]);
    const schemas = answers.get('psql-dn.sql')![0]!.map((r) => r.Name);
    expect(schemas).toContain('planning');
    expect(schemas).toContain('crm');
    expect(schemas).not.toContain('writeback');
  });

  it('psql \\d planning.account_forecast describes its columns with Postgres types', () => {
    const [found, kind, columns] = answers.get('psql-d-view.sql')!;
    expect(found).toHaveLength(1);
    expect(kind![0]!.relkind).toBe('v');
    const described = Object.fromEntries(columns!.map((c) => [c.attname, c.format_type]));
    expect(described.region).toBe('text');
    expect(described.amount).toBe('numeric(18,2)');
  });

  it('psql \\l lists the one database', () => {
    const [dbs] = answers.get('psql-l.sql')!;
    expect(dbs!.map((r) => r.Name)).toEqual(['revenue_planning']);
    expect(dbs![0]!.Encoding).toBe('UTF8');
  });

  it("Metabase's table sync lists the planner's views as VIEW with their descriptions", () => {
    const [tables] = answers.get('metabase-get-tables.sql')!;
    const forecast = tables!.find((t) => t.name === 'account_forecast');
    expect(forecast).toMatchObject({ schema: 'planning', type: 'VIEW' });
    expect(tables!.every((t) => t.schema === 'planning')).toBe(true);
  });

  it("Metabase's field sync lists each view's columns with their database types", () => {
    const [fields] = answers.get('metabase-describe-fields.sql')!;
    const amount = fields!.find((f) => f['table-name'] === 'account_forecast' && f.name === 'amount');
    expect(amount).toMatchObject({ 'database-type': 'numeric', 'table-schema': 'planning' });
    const history = fields!.filter((f) => f['table-name'] === 'revenue_forecast__history').map((f) => f.name);
    expect(history).toEqual(expect.arrayContaining(['account_id', 'quarter', '_column', '_old_value', '_new_value']));
  });

  it("Metabase's privilege check says the planner may select from each view", () => {
    const [privileges] = answers.get('metabase-table-privileges.sql')!;
    expect(privileges!.find((p) => p.table === 'account_forecast')).toMatchObject({ schema: 'planning', select: 't' });
  });

  it('pgjdbc getSchemas / getTables / getColumns answer as a JDBC client expects', () => {
    // unquoted aliases fold to lower case, as Postgres names them
    expect(answers.get('pgjdbc-get-schemas.sql')![0]!.map((r) => r.table_schem)).toContain('planning');
    const tables = answers.get('pgjdbc-get-tables.sql')![0]!;
    expect(tables.find((t) => t.table_name === 'account_forecast')).toMatchObject({ table_schem: 'planning', table_type: 'VIEW' });
    const columns = answers.get('pgjdbc-get-columns.sql')![0]!;
    expect(columns.map((c) => c.attname)).toContain('amount');
    expect(columns.find((c) => c.attname === 'amount')).toMatchObject({ atttypid: '1700', attnum: expect.any(String) as unknown });
    expect(answers.get('pgjdbc-type-lookup.sql')![0]![0]).toMatchObject({ nspname: 'pg_catalog', typname: 'numeric' });
  });

  it('answers version(), SHOW and SET as a Postgres 16 server', () => {
    const [version, serverVersion, , searchPath] = answers.get('common-connect.sql')!;
    expect(version![0]!.version).toMatch(/^PostgreSQL 16\.0 \(writeback .+ on DuckDB .+\)$/);
    expect(serverVersion![0]!.server_version).toBe('16.0');
    expect(searchPath![0]!.search_path).toBe('planning, public');
    const [, , isolation, catalog, , , timezone] = answers.get('metabase-connect.sql')!;
    expect(isolation![0]!.transaction_isolation).toBe('read committed');
    expect(catalog![0]!.current_catalog).toBe('revenue_planning');
    expect(timezone![0]!.timezone).toBe('UTC');
  });
});
