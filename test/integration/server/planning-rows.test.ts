import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../../../src/library/open-project.js';
import type { Writeback } from '../../../src/library/writeback.js';
import { startServer, type RunningHttpServer } from '../../../src/server/start-server.js';
import { silentLogger } from '../../../src/server/logger.js';
import { appliedDemoProject, demoTokens } from './demo-project.js';
import { call, type CallOptions } from './http-client.js';

type Row = Record<string, string | number | boolean | null>;
type Page = { rows: Row[]; next_cursor: string | null };
const QUARTERS = ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'];

// the demo's revenue_forecast declares planning: crm.accounts × the four quarters of fiscal_year (2026)
describe('template rows of a planning input (GET rows?template=true)', () => {
  let wb: Writeback;
  let server: RunningHttpServer;
  const tokens = { ana: '', bob: '', fin: '' };
  let emea: string[] = [];
  const api = <T>(method: string, path: string, opts?: CallOptions) => call<T>(server.url, method, path, opts);
  const logCount = async () => {
    const [row] = await wb.adapter.query<{ n: number }>('select count(*)::integer as n from writeback.revenue_forecast__log');
    return row!.n;
  };
  const readAll = async (token: string, query = '') => {
    const rows: Row[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: Page } = await api<Page>('GET', `/api/v1/inputs/revenue_forecast/rows?template=true&limit=37${query}${cursor ? `&cursor=${cursor}` : ''}`, { token });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      rows.push(...res.body.rows);
      cursor = res.body.next_cursor;
    } while (cursor);
    return rows;
  };

  beforeAll(async () => {
    const dir = await appliedDemoProject();
    wb = await openProject(dir);
    Object.assign(tokens, await demoTokens(wb));
    emea = (await wb.adapter.query<{ id: string }>("select id from crm.accounts where region = 'EMEA' order by id")).map((r) => r.id);
    server = await startServer(wb, { port: 0, logger: silentLogger, confirmThreshold: 100 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('an EMEA planner gets her accounts × the four quarters, every one a template, and nothing is logged', async () => {
    const before = await logCount();
    const rows = await readAll(tokens.ana);
    expect(emea.length).toBe(25);
    expect(rows.map((r) => `${r.account_id}/${r.quarter}`)).toEqual(emea.flatMap((a) => QUARTERS.map((q) => `${a}/${q}`)));
    expect(rows[0]).toEqual({
      account_id: emea[0],
      quarter: '2026-Q1',
      amount: null,
      confidence: null,
      note: null,
      status: null,
      _scenario: 'base',
      _version: 0,
      _updated_by: null,
      _updated_at: null,
      _template: true,
    });
    expect(await logCount()).toBe(before);
    // without template=true the read is unchanged: no rows yet
    const plain = await api<Page>('GET', '/api/v1/inputs/revenue_forecast/rows', { token: tokens.ana });
    expect(plain.body.rows).toEqual([]);
  });

  it('stored rows are merged into their template key (and kept when outside the template); typing one cell logs one entry', async () => {
    const before = await logCount();
    const written = await api<{ entries: { version: number }[] }>('POST', '/api/v1/inputs/revenue_forecast/rows', {
      token: tokens.ana,
      body: { rows: [{ account_id: emea[1], quarter: '2026-Q2', amount: '1200.50', _version: 0 }] },
    });
    expect(written.status, JSON.stringify(written.body)).toBe(200);
    expect(await logCount()).toBe(before + 1);
    const other = await api('POST', '/api/v1/inputs/revenue_forecast/rows', { token: tokens.ana, body: { rows: [{ account_id: emea[1], quarter: '2025-Q4', amount: '7' }] } });
    expect(other.status).toBe(200);
    const rows = await readAll(tokens.ana);
    expect(rows.length).toBe(101);
    const typed = rows.filter((r) => r._template === false);
    expect(typed.map((r) => [r.account_id, r.quarter, r.amount, r._version, r._updated_by])).toEqual([
      [emea[1], '2025-Q4', '7.00', 1, 'ana'],
      [emea[1], '2026-Q2', '1200.50', 1, 'ana'],
    ]);
    expect(rows.filter((r) => r.account_id === emea[1] && r.quarter === '2026-Q2')).toHaveLength(1);
  });

  it('another region and finance see their own rows; a filter narrows the template', async () => {
    const bob = await readAll(tokens.bob);
    expect(bob.some((r) => emea.includes(String(r.account_id)))).toBe(false);
    expect(bob.length % 4).toBe(0);
    const fin = await readAll(tokens.fin, `&filter.account_id=${emea[1]}`);
    expect(fin.length).toBe(5);
    expect(fin.every((r) => r.account_id === emea[1])).toBe(true);
    const all = await readAll(tokens.fin);
    const accounts = await wb.adapter.query<{ n: number }>('select count(*)::integer as n from crm.accounts');
    expect(all.length).toBe(accounts[0]!.n * 4 + 1);
  });

  it('a scenario overlays base (inherited rows at _version 0) and its own rows; its templates carry the scenario name', async () => {
    const w = await api('POST', '/api/v1/inputs/revenue_forecast/rows', {
      token: tokens.ana,
      body: { scenario: 'upside', rows: [{ account_id: emea[2], quarter: '2026-Q4', amount: '99' }] },
    });
    expect(w.status, JSON.stringify(w.body)).toBe(200);
    const rows = await readAll(tokens.ana, '&scenario=upside');
    expect(rows.length).toBe(101);
    const stored = rows.filter((r) => r._template === false).map((r) => [r.account_id, r.quarter, r.amount, r._scenario, r._version]);
    expect(stored).toEqual([
      [emea[1], '2025-Q4', '7.00', 'upside', 0],
      [emea[1], '2026-Q2', '1200.50', 'upside', 0],
      [emea[2], '2026-Q4', '99.00', 'upside', 1],
    ]);
    expect(rows.find((r) => r._template === true)?._scenario).toBe('upside');
  });

  it('the planning context: actuals of her accounts for the planned quarters, and the declaration in GET /inputs', async () => {
    type Ctx = { source: string; label: string; rows: Row[]; truncated: boolean };
    const res = await api<Ctx>('GET', '/api/v1/inputs/revenue_forecast/planning-context', { token: tokens.ana });
    expect(res.status).toBe(200);
    expect(res.body.source).toBe('finance.actuals');
    expect(res.body.label).toBe('Actuals');
    const expected = await wb.adapter.query<{ account_id: string; quarter: string; value: string }>(
      "select a.account_id, a.quarter, cast(a.revenue as varchar) as value from finance.actuals a join crm.accounts s on s.id = a.account_id where s.region = 'EMEA' and a.quarter like '2026-%' order by 1, 2",
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(res.body.rows).toEqual(expected.map((r) => ({ account_id: r.account_id, quarter: r.quarter, value: r.value })));
    const inputs = await api<{ inputs: { name: string; planning?: unknown }[] }>('GET', '/api/v1/inputs', { token: tokens.ana });
    expect(inputs.body.inputs.find((t) => t.name === 'revenue_forecast')?.planning).toEqual({
      rows: 'links_to',
      across: { column: 'quarter', values: QUARTERS },
      layout: 'pivot',
      value: 'amount',
      label: 'name',
      context: { source: 'finance.actuals', label: 'Actuals' },
    });
  });

  it('400 on a table without planning, and for a bad template value', async () => {
    const none = await api<{ error: { code: string; message: string } }>('GET', '/api/v1/inputs/account_category/rows?template=true', { token: tokens.fin });
    expect(none.status).toBe(400);
    expect(none.body.error.message).toContain('declares no planning');
    const bad = await api<{ error: { code: string } }>('GET', '/api/v1/inputs/revenue_forecast/rows?template=yes', { token: tokens.fin });
    expect(bad.status).toBe(400);
  });
});

// the same table with its across values read from a source column: every quarter finance.actuals holds
describe('template rows and planning context with across values from a source column', () => {
  let wb: Writeback;
  let server: RunningHttpServer;
  let ana = '';
  let emea: string[] = [];
  let quarters: string[] = [];

  beforeAll(async () => {
    const dir = await appliedDemoProject((d) => {
      const file = join(d, 'inputs/revenue_forecast.yml');
      const text = readFileSync(file, 'utf8');
      const declared = /    values:\n(      - .*\n)+/;
      expect(text).toMatch(declared);
      writeFileSync(file, text.replace(declared, '    values: { source: finance.actuals, column: quarter }\n'));
    });
    wb = await openProject(dir);
    const r = await wb.tokens.create({ user: 'ana', role: 'planner', attributes: { region: 'EMEA' } });
    if (!r.ok) throw new Error(r.error.message);
    ana = r.token;
    emea = (await wb.adapter.query<{ id: string }>("select id from crm.accounts where region = 'EMEA' order by id")).map((x) => x.id);
    quarters = (await wb.adapter.query<{ q: string }>('select distinct quarter as q from finance.actuals where quarter is not null order by 1')).map((x) => x.q);
    server = await startServer(wb, { port: 0, logger: silentLogger, confirmThreshold: 100 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('the form learns where the values come from; the template rows are her accounts × each distinct quarter of the source, in order', async () => {
    expect(quarters.length).toBeGreaterThan(4);
    const inputs = await call<{ inputs: { name: string; planning?: { across: unknown } }[] }>(server.url, 'GET', '/api/v1/inputs', { token: ana });
    expect(inputs.body.inputs.find((i) => i.name === 'revenue_forecast')?.planning?.across).toEqual({ column: 'quarter', values: [], source: 'finance.actuals.quarter' });
    const res = await call<Page>(server.url, 'GET', '/api/v1/inputs/revenue_forecast/rows?template=true&limit=1000', { token: ana });
    expect(res.status).toBe(200);
    expect(res.body.rows.map((r) => `${r.account_id}/${r.quarter}`)).toEqual(emea.flatMap((a) => quarters.map((q) => `${a}/${q}`)));
    expect(res.body.rows.every((r) => r._template === true)).toBe(true);
  });

  it('the planning context covers the same quarters, only for her accounts', async () => {
    const res = await call<{ rows: Row[] }>(server.url, 'GET', '/api/v1/inputs/revenue_forecast/planning-context', { token: ana });
    expect(res.status).toBe(200);
    expect(new Set(res.body.rows.map((r) => r.quarter))).toEqual(new Set(quarters));
    expect(res.body.rows.length).toBeGreaterThan(0);
    expect(res.body.rows.every((r) => emea.includes(String(r.account_id)))).toBe(true);
  });
});
