import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../../../src/library/open-project.js';
import type { Writeback } from '../../../src/library/writeback.js';
import { applyThroughServer } from '../../../src/server/admin-apply.js';
import { silentLogger, type ServerLogger } from '../../../src/server/logger.js';
import { startServer, type RunningHttpServer } from '../../../src/server/start-server.js';
import { appliedDemoProject } from './demo-project.js';
import { OpenApiChecker, type ApiDocument } from './openapi-check.js';

type ErrorBody = { error: { code: string; message: string; details: { message: string; table?: string; model?: string }[] } };

/**
 * The YAML ahead of the warehouse (a pull without apply, a crash during apply): `serve` starts,
 * says which tables and models are behind and what to run, and answers requests on them 503
 * `apply_required` — never a 500 — while every other table keeps working.
 */
describe('serve when the project is ahead of the warehouse', () => {
  let dir: string;
  let wb: Writeback;
  let server: RunningHttpServer;
  let checker: OpenApiChecker;
  const warnings: string[] = [];
  const errors: string[] = [];
  const logger: ServerLogger = { ...silentLogger, warn: (m) => warnings.push(m), error: (m, f) => errors.push(`${m} ${JSON.stringify(f)}`) };
  const F = '/api/v1/inputs/revenue_forecast';
  const call = (method: string, url: string, opts: Parameters<OpenApiChecker['call']>[3] = {}) => checker.call(server.url, method, url, opts);

  beforeAll(async () => {
    dir = await appliedDemoProject();
    // pulled, not applied: a new column on revenue_forecast and a changed SQL model
    const input = join(dir, 'inputs', 'revenue_forecast.yml');
    writeFileSync(input, readFileSync(input, 'utf8').replace('  note:', "  owner_note: { type: string, description: 'Added after the last apply.' }\n  note:"));
    const model = join(dir, 'models', 'forecast_vs_actuals.yml');
    writeFileSync(model, readFileSync(model, 'utf8').replace('select id as account_id,', 'select id as account_id, 1 as added_column,'));
    wb = await openProject(dir);
    server = await startServer(wb, { port: 0, logger, snapshot: false, discovery: false, devUser: { user: 'dev' }, apply: applyThroughServer(wb, { defaultUser: 'ci' }) });
    checker = new OpenApiChecker((await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as ApiDocument);
  });

  afterAll(async () => {
    await server?.close();
  });

  it('says at start-up which table and model are behind and to run `writeback apply`', () => {
    expect(server.drift.inSync).toBe(false);
    expect(Object.keys(server.drift.inputs)).toEqual(['revenue_forecast']);
    expect(Object.keys(server.drift.models)).toContain('forecast_vs_actuals');
    const line = warnings.find((w) => w.includes('behind the project'));
    expect(line).toMatch(/input table revenue_forecast/);
    expect(line).toMatch(/forecast_vs_actuals/);
    expect(line).toMatch(/run `writeback apply`/);
  });

  it('answers reads and writes of that table 503 apply_required naming it and the command; nothing else changes', async () => {
    const answers = [
      await call('GET', `${F}/rows`),
      await call('POST', `${F}/rows`, { body: { rows: [{ account_id: 'acc_022', quarter: '2026-Q4', amount: '1.00' }] } }),
      await call('POST', `${F}/delete`, { body: { keys: [{ account_id: 'acc_022', quarter: '2026-Q4' }] } }),
      await call('GET', `${F}/history`),
      await call('GET', `${F}/pending`),
      await call('GET', `${F}/context`),
      await call('GET', '/api/v1/scenarios/compare?a=base&b=base'),
    ];
    for (const a of answers) {
      expect(a.status, a.text).toBe(503);
      const body = a.json as ErrorBody;
      expect(body.error.code).toBe('apply_required');
      expect(body.error.message).toContain("input table 'revenue_forecast'");
      expect(body.error.message).toContain('writeback apply');
      expect(body.error.details[0]).toMatchObject({ table: 'revenue_forecast' });
      expect(body.error.details.map((d) => d.message).join(' ')).toContain('owner_note');
    }
    const model = await call('GET', '/api/v1/models/forecast_vs_actuals/rows');
    expect(model.status).toBe(503);
    expect((model.json as ErrorBody).error).toMatchObject({ code: 'apply_required', details: expect.arrayContaining([expect.objectContaining({ model: 'forecast_vs_actuals' })]) });
    expect((model.json as ErrorBody).error.message).toContain("model 'forecast_vs_actuals'");
    expect(errors).toEqual([]);
    const [log] = await wb.adapter.query<{ n: number }>('select count(*)::integer as n from writeback.revenue_forecast__log');
    expect(log!.n).toBe(0);
  });

  it('other tables and models keep working, and health says the warehouse is behind', async () => {
    expect((await call('POST', '/api/v1/inputs/account_category/rows', { body: { rows: [{ account_id: 'acc_001', reason: 'checked' }] } })).status).toBe(200);
    expect((await call('GET', '/api/v1/inputs/account_category/rows')).status).toBe(200);
    expect((await call('GET', '/api/v1/models/account_categories/rows?limit=2')).status).toBe(200);
    expect((await call('GET', '/api/v1/inputs')).status).toBe(200);
    expect((await call('GET', '/healthz')).json).toMatchObject({ in_sync: false });
  });

  it('after `writeback apply` through the server the table answers again', async () => {
    const applied = await call('POST', '/api/v1/admin/apply', { token: server.adminToken, body: { user: 'ci' } });
    expect(applied.status, applied.text).toBe(200);
    expect((await call('GET', '/healthz')).json).toMatchObject({ in_sync: true });
    expect((await call('POST', `${F}/rows`, { body: { rows: [{ account_id: 'acc_022', quarter: '2026-Q4', amount: '1.00', owner_note: 'now' }] } })).status).toBe(200);
    expect((await call('GET', '/api/v1/models/forecast_vs_actuals/rows?limit=1')).status).toBe(200);
  });

  it('every answer matched the OpenAPI document', () => {
    expect(checker.problems).toEqual([]);
  });
});
