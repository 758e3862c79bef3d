import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../../../src/library/open-project.js';
import type { Writeback } from '../../../src/library/writeback.js';
import { createServer } from '../../../src/server/create-server.js';
import { startServer, type RunningHttpServer } from '../../../src/server/start-server.js';
import { silentLogger } from '../../../src/server/logger.js';
import { applyThroughServer } from '../../../src/server/admin-apply.js';
import { BROKEN_MODEL, appliedDemoProject, demoTokens } from './demo-project.js';
import { OpenApiChecker, type ApiDocument } from './openapi-check.js';


/**
 * Every route of the server — user and admin, API and pages — called with real requests against
 * a real server on an ephemeral port; every answer (status, media type, JSON body) validated
 * against the OpenAPI document the server serves, with third-party validators. Fails on a route
 * served but not documented, on an operation never called, and on any answer the document
 * contradicts.
 */
describe('the served OpenAPI document matches every answer of the server', () => {
  let dir: string;
  let wb: Writeback;
  let server: RunningHttpServer;
  let receiver: Server;
  let checker: OpenApiChecker;
  const tokens: Record<'ana' | 'bob' | 'fin' | 'fin2' | 'vic', string> = { ana: '', bob: '', fin: '', fin2: '', vic: '' };
  const F = '/api/v1/inputs/revenue_forecast';
  const A = '/api/v1/admin';
  const call = (method: string, url: string, opts: Parameters<OpenApiChecker['call']>[3] = {}) => checker.call(server.url, method, url, opts);
  const admin = (method: string, url: string, opts: Parameters<OpenApiChecker['call']>[3] = {}) => call(method, `${A}${url}`, { token: server.adminToken, ...opts });

  beforeAll(async () => {
    receiver = createHttpServer((req, res) => {
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const port = (receiver.address() as AddressInfo).port;
    dir = await appliedDemoProject((d) => writeFileSync(join(d, 'models', 'broken_total.yml'), BROKEN_MODEL));
    const file = join(dir, 'inputs', 'revenue_forecast.yml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('actions:\n', `actions:\n  reopen:\n    set: { status: draft }\n    webhook: { url: 'http://127.0.0.1:${port}/hook', retries: 0 }\n`));
    wb = await openProject(dir);
    Object.assign(tokens, await demoTokens(wb));
    server = await startServer(wb, { port: 0, logger: silentLogger, snapshot: false, discovery: false, bodyLimitBytes: 64 * 1024, apply: applyThroughServer(wb, { defaultUser: 'ci' }) });
    const res = await fetch(`${server.url}/api/v1/openapi.json`);
    checker = new OpenApiChecker((await res.json()) as ApiDocument);
  });

  afterAll(async () => {
    await server?.close();
    receiver?.close();
  });

  it('the document is valid OpenAPI 3.1 (third-party validator)', async () => {
    expect(await OpenApiChecker.validateDocument(checker.doc)).toEqual([]);
    expect((await call('GET', '/api/v1/openapi.json')).status).toBe(200);
  });

  it('documents exactly the routes the server registers', () => {
    const app = createServer(wb, { logger: silentLogger });
    const served = new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path.replace(/:([A-Za-z_]\w*)/g, '{$1}')}`));
    const documented = new Set<string>();
    for (const [path, item] of Object.entries(checker.doc.paths)) {
      const prefix = item.servers?.[0]?.url ?? checker.doc.servers[0]!.url;
      for (const method of ['get', 'post']) if (item[method]) documented.add(`${method.toUpperCase()} ${prefix === '/' ? path : `${prefix}${path}`}`);
    }
    expect([...served].filter((r) => !documented.has(r)), 'served but not documented').toEqual([]);
    expect([...documented].filter((r) => !served.has(r)), 'documented but not served').toEqual([]);
  });

  it('pages, health, sign-in', async () => {
    expect((await call('GET', '/healthz')).status).toBe(200);
    expect((await call('GET', '/')).status).toBe(200);
    expect((await call('GET', '/forms')).status).toBe(302);
    expect((await call('GET', '/forms/revenue_forecast')).status).toBe(200);
    expect((await call('GET', '/forms/nope')).status).toBe(404);
    expect((await call('GET', '/models/account_forecast')).status).toBe(200);
    expect((await call('GET', '/models/nope')).status).toBe(404);
    expect((await call('GET', '/tokens')).status).toBe(200);
    expect((await call('GET', '/assets/app.js')).status).toBe(200);
    expect((await call('GET', '/assets/app.css')).status).toBe(200);
    expect((await call('GET', '/assets/favicon.svg')).status).toBe(200);
    expect((await call('GET', '/assets/nope.js')).status).toBe(404);
    expect((await call('GET', '/api/v1/me', { token: tokens.ana })).status).toBe(200);
    expect((await call('GET', '/api/v1/me')).status).toBe(401);
    // this server has no OpenID Connect sign-in (test/integration/server/sso.test.ts has one, checked against the same document)
    expect((await call('GET', '/auth/login?return_to=/forms/revenue_forecast')).status).toBe(404);
    expect((await call('GET', '/auth/callback?code=x&state=y')).status).toBe(404);
    expect((await call('POST', '/auth/logout')).status).toBe(404);
    const models = await call('GET', '/api/v1/models', { token: tokens.ana });
    expect(models.status).toBe(200);
    expect((models.json as { models: { name: string }[] }).models.map((m) => m.name)).toContain('account_categories');
    expect((await call('GET', '/api/v1/models')).status).toBe(401);
    expect((await call('GET', '/api/v1/inputs', { token: 'nope' })).status).toBe(401);
    expect((await call('GET', '/api/v1/inputs', { token: tokens.ana })).status).toBe(200);
  });

  it('input rows, writes, deletes and history: successes and every kind of refusal', async () => {
    const row = { account_id: 'acc_022', quarter: '2026-Q4', amount: '150000.00' };
    expect((await call('POST', `${F}/rows`, { token: tokens.ana, body: { rows: [row], comment: 'plan' }, headers: { 'idempotency-key': 'k-1' } })).status).toBe(200);
    expect((await call('POST', `${F}/rows`, { token: tokens.ana, body: { rows: [row], comment: 'plan' }, headers: { 'idempotency-key': 'k-1' } })).status).toBe(200);
    expect((await call('POST', `${F}/rows`, { token: tokens.ana, body: { rows: [{ ...row, amount: '1.00' }] }, headers: { 'idempotency-key': 'k-1' } })).status).toBe(422);
    expect((await call('POST', `${F}/rows`, { token: tokens.ana, body: { rows: [{ ...row, amount: '2.00', _version: 0 }] } })).status).toBe(409);
    expect((await call('POST', `${F}/rows`, { token: tokens.ana, body: { rows: [{ ...row, amount: '-5' }] } })).status).toBe(422);
    expect((await call('POST', `${F}/rows`, { token: tokens.ana, body: { rows: [{ account_id: 'acc_001', quarter: '2026-Q4', amount: '1.00' }] } })).status).toBe(422); // an account outside ana's region is one she cannot name
    expect((await call('POST', `${F}/rows`, { token: tokens.vic, body: { rows: [row] } })).status).toBe(403);
    expect((await call('POST', `${F}/rows`, { token: tokens.ana, body: { rows: [{ account_id: 'acc_023', quarter: '2026-Q4', amount: '2500000.00' }] } })).status).toBe(202);
    expect((await call('POST', `${F}/rows`, { token: tokens.ana, body: { rows: [row], dry_run: true } })).status).toBe(200);
    expect((await call('POST', `${F}/rows`, { token: tokens.ana, rawBody: '{"rows": [' })).status).toBe(400);
    expect((await call('POST', `${F}/rows`, { token: tokens.ana, rawBody: 'rows', contentType: 'text/plain' })).status).toBe(400);
    expect((await call('POST', `${F}/rows`, { token: tokens.ana, body: { rows: [row], colour: 'red' } })).status).toBe(400);
    expect((await call('POST', `${F}/rows`, { token: tokens.ana, body: { rows: [row] }, headers: { 'idempotency-key': ' ' } })).status).toBe(400);
    expect((await call('POST', `${F}/rows`, { token: tokens.ana, body: { rows: [{ ...row, note: 'x'.repeat(70 * 1024) }] } })).status).toBe(413);
    const many = Array.from({ length: 101 }, (_, i) => ({ account_id: 'acc_022', quarter: `${2030 + Math.floor(i / 4)}-Q${(i % 4) + 1}`, amount: '1.00' }));
    expect((await call('POST', `${F}/rows`, { token: tokens.fin, body: { rows: many } })).status).toBe(400);
    expect((await call('POST', '/api/v1/inputs/nope/rows', { token: tokens.fin, body: { rows: [row] } })).status).toBe(404);
    expect((await call('POST', `${F}/rows`, { body: { rows: [row] } })).status).toBe(401);

    expect((await call('GET', `${F}/rows?limit=5&filter.quarter=2026-Q4`, { token: tokens.ana })).status).toBe(200);
    expect((await call('GET', `${F}/rows?as_of=2020-01-01T00:00:00Z`, { token: tokens.fin })).status).toBe(200);
    expect((await call('GET', `${F}/rows?limit=0`, { token: tokens.ana })).status).toBe(400);
    expect((await call('GET', `${F}/rows?scenario=nope`, { token: tokens.ana })).status).toBe(404);
    expect((await call('GET', '/api/v1/inputs/nope/rows', { token: tokens.ana })).status).toBe(404);
    expect((await call('GET', `${F}/grid?q=acc&sort=amount:desc&limit=5&filter.quarter=2026-Q4`, { token: tokens.ana })).status).toBe(200);
    expect((await call('GET', `${F}/grid?group_by=account_id&limit=2`, { token: tokens.fin })).status).toBe(200);
    expect((await call('GET', `${F}/grid?sort=nope`, { token: tokens.ana })).status).toBe(400);
    expect((await call('GET', `${F}/grid?scenario=nope`, { token: tokens.ana })).status).toBe(404);

    expect((await call('POST', `${F}/delete`, { token: tokens.fin, body: { keys: [{ account_id: 'acc_022', quarter: '2026-Q4' }] } })).status).toBe(200);
    expect((await call('POST', `${F}/delete`, { token: tokens.ana, body: { keys: [{ account_id: 'acc_022', quarter: '2026-Q4' }] } })).status).toBe(403);
    expect((await call('POST', `${F}/delete`, { token: tokens.fin, body: { keys: [] } })).status).toBe(400);

    expect((await call('GET', `${F}/history?key.account_id=acc_022&limit=10`, { token: tokens.fin })).status).toBe(200);
    expect((await call('GET', `${F}/history?since=yesterday`, { token: tokens.fin })).status).toBe(400);
    expect((await call('GET', '/api/v1/inputs/nope/history', { token: tokens.fin })).status).toBe(404);
  });

  it('form data routes: context and source values', async () => {
    expect((await call('GET', `${F}/context?limit=2`, { token: tokens.ana })).status).toBe(200);
    expect((await call('GET', `${F}/context?limit=0`, { token: tokens.ana })).status).toBe(400);
    expect((await call('GET', `${F}/context?cursor=bad`, { token: tokens.ana })).status).toBe(400);
    expect((await call('GET', '/api/v1/inputs/nope/context', { token: tokens.ana })).status).toBe(404);
    expect((await call('GET', `${F}/planning-context`, { token: tokens.ana })).status).toBe(200);
    expect((await call('GET', '/api/v1/inputs/nope/planning-context', { token: tokens.ana })).status).toBe(404);
    expect((await call('GET', `${F}/rows?template=true&limit=3`, { token: tokens.ana })).status).toBe(200);
    expect((await call('GET', '/api/v1/inputs/account_category/columns/category/values', { token: tokens.ana })).status).toBe(200);
    expect((await call('GET', '/api/v1/inputs/account_category/columns/reason/values', { token: tokens.ana })).status).toBe(404);
  });

  it('model reads: JSON, CSV, pages, refusals and a model whose SQL fails', async () => {
    expect((await call('GET', '/api/v1/models/account_forecast/rows?limit=3', { token: tokens.ana })).status).toBe(200);
    expect((await call('GET', '/api/v1/models/account_forecast/rows?format=csv', { token: tokens.fin })).status).toBe(200);
    expect((await call('GET', '/api/v1/models/account_forecast/rows', { token: tokens.fin, headers: { accept: 'text/csv' } })).status).toBe(200);
    expect((await call('GET', '/api/v1/models/account_forecast/rows?cursor=bad', { token: tokens.fin })).status).toBe(400);
    expect((await call('GET', '/api/v1/models/nope/rows', { token: tokens.fin })).status).toBe(404);
    const failed = await call('GET', '/api/v1/models/broken_total/rows', { token: tokens.fin });
    expect(failed.status).toBe(502);
    expect(failed.json).toMatchObject({ error: { code: 'model_failed' } });
  });

  it('scenarios, resets, compare, promote', async () => {
    expect((await call('GET', '/api/v1/scenarios', { token: tokens.ana })).status).toBe(200);
    expect((await call('POST', '/api/v1/scenarios', { token: tokens.ana, body: { name: 'stretch', description: 'what if' } })).status).toBe(201);
    expect((await call('POST', '/api/v1/scenarios', { token: tokens.ana, body: { name: 'stretch' } })).status).toBe(409);
    expect((await call('POST', '/api/v1/scenarios', { token: tokens.vic, body: { name: 'other' } })).status).toBe(403);
    expect((await call('POST', '/api/v1/scenarios', { token: tokens.ana, body: { name: 'x', user: 'me' } })).status).toBe(400);
    const row = { account_id: 'acc_024', quarter: '2026-Q4', amount: '10.00' };
    expect((await call('POST', `${F}/rows`, { token: tokens.ana, body: { rows: [row], scenario: 'stretch' } })).status).toBe(200);
    expect((await call('GET', '/api/v1/scenarios/compare?a=base&b=stretch', { token: tokens.ana })).status).toBe(200);
    expect((await call('GET', '/api/v1/scenarios/compare?a=base', { token: tokens.ana })).status).toBe(400);
    expect((await call('GET', '/api/v1/scenarios/compare?a=base&b=nope', { token: tokens.ana })).status).toBe(404);
    expect((await call('POST', `${F}/reset`, { token: tokens.ana, body: { keys: [{ account_id: 'acc_024', quarter: '2026-Q4' }], scenario: 'stretch' } })).status).toBe(200);
    expect((await call('POST', `${F}/rows`, { token: tokens.fin, body: { rows: [row], scenario: 'stretch' } })).status).toBe(200);
    expect((await call('POST', '/api/v1/scenarios/stretch/promote', { token: tokens.fin, body: { dry_run: true } })).status).toBe(200);
    expect((await call('POST', '/api/v1/scenarios/stretch/promote', { token: tokens.fin, body: {} })).status).toBe(400);
    expect((await call('POST', '/api/v1/scenarios/stretch/promote', { token: tokens.fin, body: { confirm: true, expected_preview: 'stale' } })).status).toBe(409);
    expect((await call('POST', '/api/v1/scenarios/stretch/promote', { token: tokens.fin, body: { confirm: true } })).status).toBe(200);
    expect((await call('POST', '/api/v1/scenarios/nope/promote', { token: tokens.fin, body: { dry_run: true } })).status).toBe(404);
    expect((await call('POST', '/api/v1/scenarios/stretch/archive', { token: tokens.vic, body: {} })).status).toBe(403);
    expect((await call('POST', '/api/v1/scenarios/stretch/archive', { token: tokens.fin, body: {} })).status).toBe(200);
    expect((await call('POST', '/api/v1/scenarios/nope/archive', { token: tokens.fin, body: {} })).status).toBe(404);
    expect((await call('GET', '/api/v1/models/account_forecast/rows?scenario=stretch', { token: tokens.fin })).status).toBe(400);
  });

  it('approvals, actions and webhook calls', async () => {
    const proposed = await call('POST', `${F}/rows`, { token: tokens.ana, body: { rows: [{ account_id: 'acc_025', quarter: '2026-Q4', amount: '3000000.00' }] } });
    expect(proposed.status).toBe(202);
    const id = (proposed.json as { pending: { id: string } }).pending.id;
    expect((await call('GET', `${F}/pending`, { token: tokens.fin })).status).toBe(200);
    expect((await call('GET', `${F}/pending?status=all`, { token: tokens.ana })).status).toBe(200);
    expect((await call('GET', `${F}/pending?status=maybe`, { token: tokens.fin })).status).toBe(400);
    expect((await call('POST', `${F}/pending/${id}/approve`, { token: tokens.ana, body: { comment: 'me' } })).status).toBe(403);
    expect((await call('POST', `${F}/pending/${id}/approve`, { token: tokens.fin, body: {} })).status).toBe(400);
    expect((await call('POST', `${F}/pending/nope/approve`, { token: tokens.fin, body: { comment: 'x' } })).status).toBe(404);
    expect((await call('POST', `${F}/pending/${id}/approve`, { token: tokens.fin, body: { comment: 'checked' } })).status).toBe(200);
    expect((await call('POST', `${F}/pending/${id}/reject`, { token: tokens.fin2, body: { comment: 'late' } })).status).toBe(409);
    const other = await call('POST', `${F}/rows`, { token: tokens.ana, body: { rows: [{ account_id: 'acc_026', quarter: '2026-Q4', amount: '4000000.00' }] } });
    const otherId = (other.json as { pending: { id: string } }).pending.id;
    expect((await call('POST', `${F}/pending/${otherId}/reject`, { token: tokens.fin, body: { comment: 'no' } })).status).toBe(200);
    const batch: string[] = [];
    for (const account of ['acc_030', 'acc_031']) {
      const p = await call('POST', `${F}/rows`, { token: tokens.ana, body: { rows: [{ account_id: account, quarter: '2026-Q4', amount: '6000000.00' }] } });
      batch.push((p.json as { pending: { id: string } }).pending.id);
    }
    expect((await call('POST', `${F}/pending/approve`, { token: tokens.ana, body: { ids: batch, comment: 'mine' } })).status).toBe(403);
    expect((await call('POST', `${F}/pending/approve`, { token: tokens.fin, body: { ids: [], comment: 'x' } })).status).toBe(400);
    expect((await call('POST', `${F}/pending/approve`, { token: tokens.fin, body: { ids: [...batch, 'nope'], comment: 'x' } })).status).toBe(404);
    expect((await call('POST', `${F}/pending/approve`, { token: tokens.fin, body: { ids: batch, comment: 'both fine' } })).status).toBe(200);
    expect((await call('POST', `${F}/pending/reject`, { token: tokens.fin, body: { ids: batch, comment: 'late' } })).status).toBe(409);

    const key = { account_id: 'acc_027', quarter: '2026-Q4' };
    expect((await call('POST', `${F}/rows`, { token: tokens.ana, body: { rows: [{ ...key, amount: '10.00' }] } })).status).toBe(200);
    expect((await call('POST', `${F}/actions/submit`, { token: tokens.ana, body: { keys: [key] } })).status).toBe(400);
    expect((await call('POST', `${F}/actions/submit`, { token: tokens.ana, body: { keys: [key], confirm: true } })).status).toBe(200);
    expect((await call('POST', `${F}/actions/submit`, { token: tokens.vic, body: { keys: [key], confirm: true } })).status).toBe(403);
    expect((await call('POST', `${F}/actions/nope`, { token: tokens.ana, body: { keys: [key] } })).status).toBe(404);
    const reopened = await call('POST', `${F}/actions/reopen`, { token: tokens.fin, body: { keys: [key] } });
    expect(reopened.status).toBe(200);
    expect(reopened.json).toMatchObject({ webhook: { status: 'ok' } });
    expect((await call('GET', `${F}/webhook-calls`, { token: tokens.fin })).status).toBe(200);
    expect((await call('GET', '/api/v1/inputs/nope/webhook-calls', { token: tokens.fin })).status).toBe(404);
  });

  it('admin routes (the CLI through a running server)', async () => {
    const row = { account_id: 'acc_001', quarter: '2026-Q4', amount: '5.00' };
    expect((await admin('POST', '/inputs/revenue_forecast/rows', { body: { rows: [row], user: 'cli' } })).status).toBe(200);
    expect((await admin('POST', '/inputs/revenue_forecast/rows', { body: { rows: [row] } })).status).toBe(400);
    expect((await admin('POST', '/inputs/revenue_forecast/rows', { token: 'wrong', body: { rows: [row], user: 'cli' } })).status).toBe(401);
    expect((await admin('GET', '/inputs/revenue_forecast/rows?limit=2')).status).toBe(200);
    expect((await admin('GET', '/inputs/revenue_forecast/history?key.account_id=acc_001')).status).toBe(200);
    expect((await admin('POST', '/inputs/revenue_forecast/delete', { body: { keys: [{ account_id: 'acc_001', quarter: '2026-Q4' }], user: 'cli' } })).status).toBe(200);
    expect((await admin('GET', '/scenarios')).status).toBe(200);
    expect((await admin('POST', '/scenarios', { body: { name: 'cli_plan', user: 'cli' } })).status).toBe(201);
    expect((await admin('POST', '/scenarios', { body: { name: 'cli_plan2' } })).status).toBe(400);
    expect((await admin('POST', '/inputs/revenue_forecast/rows', { body: { rows: [row], user: 'cli', scenario: 'cli_plan' } })).status).toBe(200);
    expect((await admin('GET', '/scenarios/compare?a=base&b=cli_plan')).status).toBe(200);
    expect((await admin('POST', '/inputs/revenue_forecast/reset', { body: { keys: [{ account_id: 'acc_001', quarter: '2026-Q4' }], scenario: 'cli_plan', user: 'cli' } })).status).toBe(200);
    expect((await admin('POST', '/scenarios/cli_plan/promote', { body: { dry_run: true, user: 'cli' } })).status).toBe(200);
    expect((await admin('POST', '/scenarios/cli_plan/archive', { body: { user: 'cli' } })).status).toBe(200);
    const proposed = await call('POST', `${F}/rows`, { token: tokens.ana, body: { rows: [{ account_id: 'acc_028', quarter: '2026-Q4', amount: '5000000.00' }] } });
    const id = (proposed.json as { pending: { id: string } }).pending.id;
    expect((await admin('GET', '/inputs/revenue_forecast/pending')).status).toBe(200);
    expect((await admin('POST', `/inputs/revenue_forecast/pending/${id}/reject`, { body: { comment: 'no', user: 'cli' } })).status).toBe(200);
    expect((await admin('POST', `/inputs/revenue_forecast/pending/${id}/approve`, { body: { comment: 'yes', user: 'cli' } })).status).toBe(409);
    expect((await admin('POST', '/inputs/revenue_forecast/pending/approve', { body: { ids: [id], comment: 'yes', user: 'cli' } })).status).toBe(409);
    const again = await call('POST', `${F}/rows`, { token: tokens.ana, body: { rows: [{ account_id: 'acc_032', quarter: '2026-Q4', amount: '5000000.00' }] } });
    const againId = (again.json as { pending: { id: string } }).pending.id;
    expect((await admin('POST', '/inputs/revenue_forecast/pending/reject', { body: { ids: [againId], comment: 'no', user: 'cli' } })).status).toBe(200);
    expect((await admin('POST', '/inputs/revenue_forecast/actions/submit', { body: { keys: [{ account_id: 'acc_022', quarter: '2026-Q4' }], confirm: true, user: 'cli' } })).status).toBeGreaterThanOrEqual(200);
    expect((await admin('GET', '/inputs/revenue_forecast/webhook-calls')).status).toBe(200);
    expect((await admin('POST', '/verify', { body: {} })).status).toBe(200);
    expect((await admin('POST', '/verify')).status).toBe(200);
    expect((await admin('GET', '/tokens')).status).toBe(200);
    const created = await admin('POST', '/tokens', { body: { user: 'zoe', role: 'viewer' } });
    expect(created.status).toBe(201);
    expect((await admin('POST', '/tokens', { body: { user: 'zoe', role: 'nope' } })).status).toBe(400);
    expect((await admin('POST', `/tokens/${(created.json as { info: { tokenId: string } }).info.tokenId}/revoke`)).status).toBe(200);
    expect((await admin('POST', '/tokens/nope/revoke')).status).toBe(404);
    expect((await admin('POST', '/apply', { body: { dry_run: true } })).status).toBe(200);
    expect((await admin('POST', '/apply', { body: { colour: 'red' } })).status).toBe(400);
    expect((await admin('GET', '/versions')).status).toBe(200);
    expect((await admin('GET', '/versions?model=nope')).status).toBe(404);
    expect((await admin('POST', '/prune', { body: { keep: 1, dry_run: true } })).status).toBe(200);
    expect((await admin('POST', '/prune', { body: { keep: 0 } })).status).toBe(400);
    expect((await admin('POST', '/query', { body: { sql: 'select 1 as one', limit: 1 } })).status).toBe(200);
    expect((await admin('POST', '/query', { body: { sql: 'drop table writeback._wb_tokens' } })).status).toBe(400);
  });

  it('personal access tokens: create (as a signed-in person), list, revoke, and every refusal', async () => {
    const dev = await startServer(wb, { port: 0, logger: silentLogger, snapshot: false, discovery: false, closeLibrary: false, devUser: { user: 'ana', role: 'planner', attributes: { region: 'EMEA' } } });
    try {
      const me = (method: string, url: string, opts: Parameters<OpenApiChecker['call']>[3] = {}) => checker.call(dev.url, method, `/api/v1/me/tokens${url}`, opts);
      const created = await me('POST', '', { body: { name: 'nightly import', expires_in_days: 7 } });
      expect(created.status).toBe(201);
      const { token, info } = created.json as { token: string; info: { tokenId: string } };
      expect((await me('POST', '', { body: { name: 'x', expires_in_days: 365 } })).status).toBe(400);
      expect((await me('POST', '', { body: { name: 'x', colour: 'red' } })).status).toBe(400);
      expect((await me('GET', '')).status).toBe(200);
      expect((await call('GET', '/api/v1/me/tokens', { token })).status).toBe(200);
      expect((await call('GET', '/api/v1/me/tokens')).status).toBe(401);
      expect((await call('POST', '/api/v1/me/tokens', { token, body: { name: 'from a token' } })).status).toBe(403);
      expect((await call('POST', '/api/v1/me/tokens/0123456789ab/revoke', { token: tokens.bob })).status).toBe(404);
      expect((await me('POST', `/${info.tokenId}/revoke`)).status).toBe(200);
    } finally {
      await dev.close();
    }
  });

  it('called every documented operation, and no answer contradicted the document', () => {
    const never = checker.operationIds().filter((id) => !checker.seen.has(id));
    expect(never, 'operations never called').toEqual([]);
    expect(checker.problems).toEqual([]);
  });
});
