import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/project/load-project.js';
import { silentLogger } from '../../../src/server/logger.js';
import { startServer, type RunningHttpServer } from '../../../src/server/start-server.js';
import { READ_LIMITS } from '../../../src/write/read-rows.js';
import { openProject } from '../../../src/library/open-project.js';
import type { Writeback } from '../../../src/library/writeback.js';
import { appliedDemoProject } from './demo-project.js';
import { call, type CallOptions, type ErrorBody } from './http-client.js';

type Row = Record<string, string | number | boolean | null>;
type ScenarioList = { scenarios: { name: string; created_by: string | null; permissions: { archive: boolean } }[]; permissions: { create: boolean } };

/**
 * Scenario management permissions (create / archive, declared or default), promote through
 * ordinary writes, scenario names on reads, and query-parameter checks — demo project, real
 * DuckDB file, real HTTP server on an ephemeral port.
 */
describe('scenario permissions and read parameters over HTTP', () => {
  let dir: string;
  let wb: Writeback;
  let server: RunningHttpServer;
  const tokens: Record<'ana' | 'bo' | 'fin' | 'vi', string> = { ana: '', bo: '', fin: '', vi: '' };
  const api = <T = ErrorBody>(who: keyof typeof tokens | 'admin', method: string, path: string, opts: Omit<CallOptions, 'token'> = {}) =>
    call<T>(server.url, method, path, { ...opts, token: who === 'admin' ? server.adminToken : tokens[who] });
  const F = '/api/v1/inputs/revenue_forecast';
  const M = '/api/v1/models/account_forecast/rows';
  const EMEA = 'acc_022';
  const logCount = async () => Number((await wb.adapter.query<{ n: number }>('select count(*)::integer as n from writeback.revenue_forecast__log'))[0]!.n);
  const expectError = (answer: { status: number; body: ErrorBody }, status: number, code: string) => {
    expect(answer.status, JSON.stringify(answer.body)).toBe(status);
    expect(answer.body.error.code).toBe(code);
    return answer.body.error;
  };

  beforeAll(async () => {
    dir = await appliedDemoProject();
    wb = await openProject(dir);
    for (const [name, role, attrs] of [['ana', 'planner', { region: 'EMEA' }], ['bo', 'planner', { region: 'AMER' }], ['fin', 'finance', undefined], ['vi', 'viewer', undefined]] as const) {
      const r = await wb.tokens.create({ user: name, role, ...(attrs ? { attributes: attrs } : {}) });
      if (!r.ok) throw new Error(r.error.message);
      tokens[name] = r.token;
    }
    server = await startServer(wb, { port: 0, logger: silentLogger, snapshot: false, discovery: false });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('default: roles that write a table with scenarios create them; approvers and the creator archive them', async () => {
    const denied = expectError(await api('vi', 'POST', '/api/v1/scenarios', { body: { name: 'viewer_plan' } }), 403, 'forbidden');
    expect(denied.message).toBe("role 'viewer' may not create scenarios (roles that may: finance, planner; the default; declare project.yml scenarios.create to change it)");
    expect((await api('ana', 'POST', '/api/v1/scenarios', { body: { name: 'ana_plan' } })).status).toBe(201);
    expect((await api('fin', 'POST', '/api/v1/scenarios', { body: { name: 'fin_plan' } })).status).toBe(201);

    // what the caller may do, for the form
    const seen = async (who: 'ana' | 'bo' | 'vi' | 'fin') => {
      const list = (await api<ScenarioList>(who, 'GET', '/api/v1/scenarios')).body;
      return { create: list.permissions.create, archive: list.scenarios.filter((s) => s.permissions.archive).map((s) => s.name) };
    };
    expect(await seen('ana')).toEqual({ create: true, archive: ['ana_plan'] });
    expect(await seen('bo')).toEqual({ create: true, archive: [] });
    expect(await seen('vi')).toEqual({ create: false, archive: [] });
    expect(await seen('fin')).toEqual({ create: true, archive: ['ana_plan', 'fin_plan'] });

    const other = expectError(await api('bo', 'POST', '/api/v1/scenarios/ana_plan/archive', { body: {} }), 403, 'forbidden');
    expect(other.message).toContain("role 'planner' may not archive scenario 'ana_plan' (roles that may: finance, and the scenario's creator (ana)");
    expectError(await api('ana', 'POST', '/api/v1/scenarios/fin_plan/archive', { body: {} }), 403, 'forbidden');
    expectError(await api('vi', 'POST', '/api/v1/scenarios/nope/archive', { body: {} }), 404, 'not_found');
    const archived = await api<{ scenario: { archived_by: string } }>('ana', 'POST', '/api/v1/scenarios/ana_plan/archive', { body: {} });
    expect(archived.status).toBe(200);
    expect(archived.body.scenario.archived_by).toBe('ana');
    expect((await api('fin', 'POST', '/api/v1/scenarios/fin_plan/archive', { body: {} })).status).toBe(200);

    // the administrator (admin credential, as the CLI) may do everything; the library enforces the same rules
    expect((await api('admin', 'POST', '/api/v1/admin/scenarios', { body: { name: 'cli_plan', user: 'root' } })).status).toBe(201);
    expect((await wb.scenarios.create({ name: 'lib_plan', user: 'vi', role: 'viewer' })).ok).toBe(false);
    const byRole = await wb.scenarios.archive('cli_plan', { user: 'bo', role: 'planner' });
    expect(!byRole.ok && byRole.error.code).toBe('forbidden');
    expect((await wb.scenarios.archive('cli_plan', 'root')).ok).toBe(true);
  });

  it('promote goes through ordinary writes: a role without write gets 403; rows outside the row filter are not the caller\'s to promote', async () => {
    expect((await api('ana', 'POST', `${F}/rows`, { body: { rows: [{ account_id: EMEA, quarter: '2027-Q1', amount: '100.00' }] } })).status).toBe(200);
    expect((await api('ana', 'POST', '/api/v1/scenarios', { body: { name: 'promo' } })).status).toBe(201);
    expect((await api('ana', 'POST', `${F}/rows`, { body: { scenario: 'promo', rows: [{ account_id: EMEA, quarter: '2027-Q1', amount: '120.00' }] } })).status).toBe(200);
    const before = await logCount();
    const viewer = expectError(await api('vi', 'POST', '/api/v1/scenarios/promo/promote', { body: { confirm: true } }), 403, 'forbidden');
    expect(viewer.message).toContain("role 'viewer' may not write revenue_forecast");
    expect(viewer.message).toContain('nothing was promoted');
    // an EMEA row, bo plans AMER: bo sees nothing to promote, and learns nothing of it
    const bo = await api<{ rows: number; tables: unknown[] }>('bo', 'POST', '/api/v1/scenarios/promo/promote', { body: { dry_run: true } });
    expect(bo.status).toBe(200);
    expect(bo.body).toMatchObject({ rows: 0, tables: [] });
    expect(await logCount()).toBe(before);
    const done = await api<{ rows: number }>('ana', 'POST', '/api/v1/scenarios/promo/promote', { body: { confirm: true } });
    expect(done.status).toBe(200);
    expect(done.body.rows).toBe(1);
  });

  it('reads name scenarios like writes do: an invalid name is 400, an unknown one 404; history only checks the name', async () => {
    const bad = expectError(await api('fin', 'GET', `${F}/rows?scenario=Not-A-Name`), 400, 'bad_request');
    expect(bad.message).toContain("invalid scenario name 'Not-A-Name'");
    expect(bad.details).toEqual([{ column: 'scenario', message: "invalid scenario name 'Not-A-Name'" }]);
    expect(expectError(await api('fin', 'POST', `${F}/rows`, { body: { scenario: 'Not-A-Name', rows: [{ account_id: EMEA, quarter: '2027-Q2', amount: '1.00' }] } }), 400, 'bad_request').message).toBe(bad.message);
    expect(expectError(await api('fin', 'GET', `${F}/rows?scenario=never_made`), 404, 'not_found').message).toBe("no scenario 'never_made'");
    expectError(await api('fin', 'GET', '/api/v1/inputs/account_category/rows?scenario=never_made'), 400, 'bad_request'); // a table without scenarios
    expectError(await api('fin', 'GET', `${F}/history?scenario=Not-A-Name`), 400, 'bad_request');
    expect((await api<{ entries: unknown[] }>('fin', 'GET', `${F}/history?scenario=never_made`)).body.entries).toEqual([]);

    expect(expectError(await api('fin', 'GET', '/api/v1/scenarios/compare?a=base&b=never_made'), 404, 'not_found').details).toEqual([{ column: 'b', message: "no scenario 'never_made' (create it first, or write to it)" }]);
    expect(expectError(await api('fin', 'GET', '/api/v1/scenarios/compare?a=BAD&b=base'), 400, 'bad_request').details[0]).toMatchObject({ column: 'a' });

    expectError(await api('fin', 'GET', `${M}?scenario=Not-A-Name`), 400, 'bad_request');
    expect(expectError(await api('fin', 'GET', `${M}?scenario=never_made`), 404, 'not_found').message).toBe("no scenario 'never_made'");
    expect(expectError(await api('fin', 'GET', `${M}?scenario=ana_plan`), 400, 'bad_request').message).toContain("scenario 'ana_plan' is archived");
    expect((await api('fin', 'GET', `${F}/rows?scenario=ana_plan`)).status).toBe(200); // an archived scenario's rows stay readable
    const promo = await api<{ rows: Row[] }>('fin', 'GET', `${M}?scenario=promo&limit=5`);
    expect(promo.status).toBe(200);

    // a write records a valid scenario that was never created (a child of base); then it reads
    expect((await api('ana', 'POST', `${F}/rows`, { body: { scenario: 'written_first', rows: [{ account_id: EMEA, quarter: '2027-Q3', amount: '5.00' }] } })).status).toBe(200);
    const read = await api<{ rows: Row[] }>('ana', 'GET', `${F}/rows?scenario=written_first&filter.quarter=2027-Q3`);
    expect(read.body.rows.map((r) => [r.account_id, r.amount, r._scenario])).toEqual([[EMEA, '5.00', 'written_first']]);
  });

  it('limit, cursor, as_of and format are checked on input and model reads; 400 names the parameter', async () => {
    for (const path of [`${F}/rows`, M]) {
      for (const limit of ['-1', '0', 'abc', '1e3', '%205', String(READ_LIMITS.max + 1), '99999999999']) {
        const e = expectError(await api('fin', 'GET', `${path}?limit=${limit}`), 400, 'bad_request');
        expect(e.details.map((d) => d.column), `${path} limit=${limit}`).toEqual(['limit']);
      }
      expect((await api('fin', 'GET', `${path}?limit=${READ_LIMITS.max}`)).status).toBe(200);
      expect(expectError(await api('fin', 'GET', `${path}?cursor=zzz`), 400, 'bad_request').details.map((d) => d.column)).toEqual(['cursor']);
    }
    expect(expectError(await api('fin', 'GET', `${M}?format=xml`), 400, 'bad_request').details.map((d) => d.column)).toEqual(['format']);
    expect(expectError(await api('fin', 'GET', `${F}/rows?as_of=yesterday`), 400, 'bad_request').details.map((d) => d.column)).toEqual(['as_of']);
    expect(expectError(await api('fin', 'GET', `${F}/history?limit=-5`), 400, 'bad_request').details.map((d) => d.column)).toEqual(['limit']);
  });

  it('a decimal with a leading or trailing space is 422, naming the row and column', async () => {
    const before = await logCount();
    const e = expectError(
      await api('fin', 'POST', `${F}/rows`, { body: { rows: [{ account_id: EMEA, quarter: '2027-Q4', amount: '1.00' }, { account_id: EMEA, quarter: '2028-Q1', amount: ' 1' }, { account_id: EMEA, quarter: '2028-Q2', amount: '1 ' }] } }),
      422,
      'validation_failed',
    );
    expect(e.details.map((d) => [d.row, d.column])).toEqual([[1, 'amount'], [2, 'amount']]);
    expect(await logCount()).toBe(before);
  });

  it('declared in project.yml: scenarios: { create: [finance], archive: [finance] } is exhaustive', async () => {
    const file = join(dir, 'project.yml');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\nscenarios:\n  create: [finance]\n  archive: [finance]\n`);
    const loaded = await loadProject(dir);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
    await wb.reload(loaded.value);
    const denied = expectError(await api('ana', 'POST', '/api/v1/scenarios', { body: { name: 'ana_two' } }), 403, 'forbidden');
    expect(denied.message).toBe("role 'planner' may not create scenarios (roles that may: finance; project.yml scenarios.create)");
    expect((await api<ScenarioList>('ana', 'GET', '/api/v1/scenarios')).body.permissions.create).toBe(false);
    expect((await api('fin', 'POST', '/api/v1/scenarios', { body: { name: 'fin_two' } })).status).toBe(201);
    expect((await wb.scenarios.create({ name: 'made_for_ana', user: 'ana' })).ok).toBe(true); // by the administrator, recorded as ana
    expectError(await api('ana', 'POST', '/api/v1/scenarios/made_for_ana/archive', { body: {} }), 403, 'forbidden'); // no creator rule when declared
    expect((await api('fin', 'POST', '/api/v1/scenarios/made_for_ana/archive', { body: {} })).status).toBe(200);

    // writing to a scenario that does not exist would create it: only for roles that may create
    const before = await logCount();
    const row = { account_id: EMEA, quarter: '2028-Q3', amount: '7.00' };
    const implicit = expectError(await api('ana', 'POST', `${F}/rows`, { body: { scenario: 'brand_new', rows: [row] } }), 403, 'forbidden');
    expect(implicit.message).toBe("scenario 'brand_new' does not exist and writing to it would create it: role 'planner' may not create scenarios (roles that may: finance; project.yml scenarios.create)");
    expectError(await api('ana', 'POST', `${F}/rows`, { body: { scenario: 'brand_new', rows: [row], dry_run: true } }), 403, 'forbidden');
    expect(await logCount()).toBe(before);
    expect((await wb.scenarios.list()).some((s) => s.name === 'brand_new')).toBe(false);
    expect((await api('ana', 'POST', `${F}/rows`, { body: { scenario: 'fin_two', rows: [row] } })).status).toBe(200); // an existing one: an ordinary write
    expect((await api('fin', 'POST', `${F}/rows`, { body: { scenario: 'brand_new', rows: [row] } })).status).toBe(200); // finance may create: recorded
    expect((await wb.scenarios.list()).find((s) => s.name === 'brand_new')).toMatchObject({ parent: 'base', createdBy: 'fin' });
  });
});
