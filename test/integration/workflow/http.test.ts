import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../../../src/library/open-project.js';
import type { Writeback } from '../../../src/library/writeback.js';
import { startServer, type RunningHttpServer } from '../../../src/server/start-server.js';
import { silentLogger } from '../../../src/server/logger.js';
import { appliedDemoProject } from '../server/demo-project.js';
import { call, type CallOptions, type ErrorBody } from '../server/http-client.js';

type Row = Record<string, string | number | boolean | null>;
type Written = { entries: { entry_id: string; key: Row; version: number; op: string }[]; at: string; dry_run: boolean; pending?: { id: string; status: string; rows: number }; webhook?: Record<string, unknown> };

/** The demo (scenarios, approvals, transitions, the `submit` action) plus an action whose webhook goes to a local receiver. */
describe('planning workflows over HTTP (demo project, real server)', () => {
  let dir: string;
  let wb: Writeback;
  let server: RunningHttpServer;
  let receiver: Server;
  const hooks: string[] = [];
  const tokens: Record<'ana' | 'fin' | 'fin2', string> = { ana: '', fin: '', fin2: '' };
  const api = <T = ErrorBody>(method: string, path: string, opts?: CallOptions) => call<T>(server.url, method, path, opts);
  const F = '/api/v1/inputs/revenue_forecast';
  const logCount = async () => Number((await wb.adapter.query<{ n: number }>('select count(*)::integer as n from writeback.revenue_forecast__log'))[0]!.n);

  beforeAll(async () => {
    receiver = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        hooks.push(body);
        res.statusCode = 503;
        res.end('down');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const port = (receiver.address() as AddressInfo).port;
    dir = await appliedDemoProject();
    // add a second action with a webhook to the applied copy (no new columns: no re-apply needed)
    const file = join(dir, 'inputs', 'revenue_forecast.yml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('actions:\n', `actions:\n  back_to_draft:\n    set: { status: draft }\n    comment: required\n    webhook: { url: 'http://127.0.0.1:${port}/hook', retries: 1 }\n`));
    wb = await openProject(dir);
    for (const [name, user, role, attrs] of [['ana', 'ana', 'planner', { region: 'EMEA' }], ['fin', 'fin', 'finance', undefined], ['fin2', 'fin2', 'finance', undefined]] as const) {
      const r = await wb.tokens.create({ user, role, ...(attrs ? { attributes: attrs } : {}) });
      if (!r.ok) throw new Error(r.error.message);
      tokens[name] = r.token;
    }
    server = await startServer(wb, { port: 0, logger: silentLogger, snapshot: false, discovery: false });
  });

  afterAll(async () => {
    await server?.close();
    receiver?.close();
  });

  it('scenarios: create a chain, fall back and reset; compare; the __by_scenario view filtered like a BI tool', async () => {
    const w = await api<Written>('POST', `${F}/rows`, { token: tokens.ana, body: { rows: [{ account_id: 'acc_022', quarter: '2026-Q4', amount: '150000.00' }, { account_id: 'acc_023', quarter: '2026-Q4', amount: '40000.00' }] } });
    expect(w.status).toBe(200);
    expect((await api('POST', '/api/v1/scenarios', { token: tokens.ana, body: { name: 'stretch' } })).status).toBe(201);
    expect((await api('POST', '/api/v1/scenarios', { token: tokens.ana, body: { name: 'stretch_eu', from: 'stretch' } })).status).toBe(201);
    expect((await api('POST', '/api/v1/scenarios', { token: tokens.ana, body: { name: 'stretch' } })).status).toBe(409);
    const list = await api<{ scenarios: { name: string; parent: string | null; created_by: string | null }[] }>('GET', '/api/v1/scenarios', { token: tokens.fin });
    expect(list.body.scenarios.map((s) => [s.name, s.parent, s.created_by])).toEqual([['base', null, null], ['stretch', 'base', 'ana'], ['stretch_eu', 'stretch', 'ana']]);
    await api('POST', `${F}/rows`, { token: tokens.ana, body: { scenario: 'stretch', rows: [{ account_id: 'acc_022', quarter: '2026-Q4', amount: '180000.00' }] } });
    const read = async (scenario: string) =>
      (await api<{ rows: Row[] }>('GET', `${F}/rows?scenario=${scenario}&filter.account_id=acc_022&filter.quarter=2026-Q4`, { token: tokens.ana })).body.rows[0]?.amount;
    expect(await read('stretch_eu')).toBe('180000.00'); // two levels up
    expect(await read('base')).toBe('150000.00');

    const cmp = await api<{ tables: { table: string; rows: { key: Row; status: string; changes: { column: string; a: unknown; b: unknown; delta?: unknown }[] }[] }[] }>(
      'GET', '/api/v1/scenarios/compare?a=base&b=stretch_eu&table=revenue_forecast', { token: tokens.fin });
    expect(cmp.status).toBe(200);
    expect(cmp.body.tables[0]!.rows).toEqual([{ key: { account_id: 'acc_022', quarter: '2026-Q4' }, status: 'changed', changes: [{ column: 'amount', a: '150000.00', b: '180000.00', delta: '30000.00' }] }]);

    // a BI tool: one row per scenario and account, filtered on _scenario
    const bi = async (scenario: string) =>
      wb.adapter.query<{ id: string; amount: unknown; _scenario: string }>(
        `select _scenario, id, cast(amount as varchar) as amount from planning.account_forecast__by_scenario where _scenario = '${scenario}' and quarter = '2026-Q4' order by id`);
    expect((await bi('stretch_eu')).map((r) => [r.id, r.amount])).toEqual([['acc_022', '180000.00'], ['acc_023', '40000.00']]);
    expect((await bi('base')).map((r) => [r.id, r.amount])).toEqual([['acc_022', '150000.00'], ['acc_023', '40000.00']]);
    const counts = await wb.adapter.query<{ n: number }>(`select count(*)::integer as n from planning.account_forecast where quarter = '2026-Q4'`);
    expect(counts[0]!.n).toBe(2); // <model> stays base only: no double counting

    const reset = await api<Written>('POST', `${F}/reset`, { token: tokens.ana, body: { scenario: 'stretch', keys: [{ account_id: 'acc_022', quarter: '2026-Q4' }] } });
    expect(reset.status).toBe(200);
    expect(reset.body.entries[0]!.op).toBe('reset');
    expect(await read('stretch_eu')).toBe('150000.00');
  });

  it('promote: preview, refused without confirmation, then written by the promoting user', async () => {
    await api('POST', `${F}/rows`, { token: tokens.fin, body: { scenario: 'stretch', rows: [{ account_id: 'acc_023', quarter: '2026-Q4', amount: '45000.00' }] } });
    const refused = await api('POST', '/api/v1/scenarios/stretch/promote', { token: tokens.fin, body: {} });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('confirmation_required');
    const preview = await api<{ dry_run: boolean; rows: number }>('POST', '/api/v1/scenarios/stretch/promote', { token: tokens.fin, body: { dry_run: true } });
    expect(preview.body).toMatchObject({ dry_run: true, rows: 1 });
    // the preview names each row with the parent's values before and the scenario's after
    expect(preview.body).toMatchObject({ tables: [{ table: 'revenue_forecast', upserts: [{ account_id: 'acc_023', quarter: '2026-Q4', amount: '45000.00' }], before: [{ account_id: 'acc_023', quarter: '2026-Q4', amount: '40000.00' }] }] });
    const done = await api<{ dry_run: boolean; rows: number }>('POST', '/api/v1/scenarios/stretch/promote', { token: tokens.fin, body: { confirm: true } });
    expect(done.body).toMatchObject({ dry_run: false, rows: 1 });
    const h = await api<{ entries: { user: string; scenario: string; comment: string }[] }>('GET', `${F}/history?key.account_id=acc_023&scenario=base`, { token: tokens.fin });
    expect(h.body.entries.at(-1)).toMatchObject({ user: 'fin', scenario: 'base', comment: 'promote scenario stretch into base' });
  });

  it('approvals: a large planner forecast is pending (202), invisible until a different finance user approves it', async () => {
    const big = await api<Written>('POST', `${F}/rows`, { token: tokens.ana, body: { rows: [{ account_id: 'acc_024', quarter: '2026-Q4', amount: '2500000.00' }], comment: 'LOI signed' } });
    expect(big.status).toBe(202);
    const id = big.body.pending!.id;
    const state = await api<{ rows: Row[] }>('GET', `${F}/rows?filter.account_id=acc_024&filter.quarter=2026-Q4`, { token: tokens.fin });
    expect(state.body.rows).toEqual([]);
    const merged = await wb.adapter.query(`select * from planning.account_forecast where id = 'acc_024' and quarter = '2026-Q4'`);
    expect(merged).toEqual([]);
    const view = await wb.adapter.query<{ pending_id: string; proposed_by: string }>('select pending_id, proposed_by from planning.revenue_forecast__pending');
    expect(view).toEqual([{ pending_id: id, proposed_by: 'ana' }]);
    const listed = await api<{ changes: { id: string; status: string; rows: Row[] }[] }>('GET', `${F}/pending`, { token: tokens.fin });
    expect(listed.body.changes.map((c) => [c.id, c.status, c.rows])).toEqual([[id, 'pending', [{ account_id: 'acc_024', quarter: '2026-Q4', amount: '2500000.00' }]]]);
    expect((await api('POST', `${F}/pending/${id}/approve`, { token: tokens.ana, body: { comment: 'me' } })).status).toBe(403);
    expect((await api('POST', `${F}/pending/${id}/approve`, { token: tokens.fin, body: {} })).status).toBe(400);
    const ok = await api<{ change: { status: string; decided_by: string; decision_comment: string }; entries: unknown[] }>('POST', `${F}/pending/${id}/approve`, { token: tokens.fin, body: { comment: 'checked' } });
    expect(ok.status).toBe(200);
    expect(ok.body.change).toMatchObject({ status: 'approved', decided_by: 'fin', decision_comment: 'checked' });
    const after = await api<{ rows: Row[] }>('GET', `${F}/rows?filter.account_id=acc_024&filter.quarter=2026-Q4`, { token: tokens.fin });
    expect(after.body.rows[0]).toMatchObject({ amount: '2500000.00', _updated_by: 'fin' });
    const history = await api<{ entries: { op: string; user: string }[] }>('GET', `${F}/history?key.account_id=acc_024&key.quarter=2026-Q4`, { token: tokens.fin });
    expect(history.body.entries.map((e) => [e.op, e.user])).toEqual([['propose_upsert', 'ana'], ['upsert', 'fin']]);
  });

  it('approvals in a batch: one transaction, all or none; each change checked as a single approval', async () => {
    const propose = async (account: string) =>
      (await api<Written>('POST', `${F}/rows`, { token: tokens.ana, body: { rows: [{ account_id: account, quarter: '2027-Q1', amount: '2600000.00' }] } })).body.pending!.id;
    const [one, two, three] = [await propose('acc_026'), await propose('acc_027'), await propose('acc_028')];
    // the third row moves on before the batch: the whole batch is refused and nothing is decided
    await api('POST', `${F}/rows`, { token: tokens.fin, body: { rows: [{ account_id: 'acc_028', quarter: '2027-Q1', amount: '1.00' }] } });
    const refused = await api('POST', `${F}/pending/approve`, { token: tokens.fin2, body: { ids: [one, two, three], comment: 'all three' } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(`change ${three} cannot be approved`);
    expect(refused.body.error.message).toContain('nothing was decided');
    const stillPending = await api<{ changes: { id: string }[] }>('GET', `${F}/pending`, { token: tokens.fin });
    expect(stillPending.body.changes.map((c) => c.id)).toEqual(expect.arrayContaining([one, two, three]));
    expect((await api('POST', `${F}/pending/approve`, { token: tokens.fin, body: { ids: [one, one], comment: 'twice' } })).status).toBe(400);
    const ok = await api<{ changes: { change: { id: string; status: string; decided_by: string }; entries: { key: Row; op: string }[] }[] }>(
      'POST', `${F}/pending/approve`, { token: tokens.fin2, body: { ids: [one, two], comment: 'both checked' } });
    expect(ok.status).toBe(200);
    expect(ok.body.changes.map((c) => [c.change.id, c.change.status, c.change.decided_by, c.entries.map((e) => e.key.account_id)])).toEqual([
      [one, 'approved', 'fin2', ['acc_026']],
      [two, 'approved', 'fin2', ['acc_027']],
    ]);
    const rej = await api<{ changes: { change: { status: string } }[] }>('POST', `${F}/pending/reject`, { token: tokens.fin2, body: { ids: [three], comment: 'superseded' } });
    expect(rej.body.changes.map((c) => c.change.status)).toEqual(['rejected']);
    const h = await api<{ entries: { op: string; comment: string; request_id: string }[] }>('GET', `${F}/history?key.account_id=acc_026&key.quarter=2027-Q1`, { token: tokens.fin });
    expect(h.body.entries.at(-1)).toMatchObject({ op: 'upsert', request_id: `approve:${one}` });
    expect(h.body.entries.at(-1)!.comment).toMatch(/^Approved revenue_forecast acc_026 · 2027-Q1: amount new → 2600000\.00 — proposed by ana at \S+Z\. Approval comment: both checked$/);
  });

  it('approvals: self-approval is refused; approving a row that moved on since is 409', async () => {
    // finance has no approval rule of its own in the demo: ana proposes, fin edits meanwhile, fin2 approves too late
    const big = await api<Written>('POST', `${F}/rows`, { token: tokens.ana, body: { rows: [{ account_id: 'acc_025', quarter: '2026-Q4', amount: '3000000.00' }] } });
    const id = big.body.pending!.id;
    await api('POST', `${F}/rows`, { token: tokens.fin, body: { rows: [{ account_id: 'acc_025', quarter: '2026-Q4', amount: '90000.00' }] } });
    const late = await api('POST', `${F}/pending/${id}/approve`, { token: tokens.fin2, body: { comment: 'ok' } });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('conflict');
    const rej = await api<{ change: { status: string } }>('POST', `${F}/pending/${id}/reject`, { token: tokens.fin2, body: { comment: 'superseded' } });
    expect(rej.body.change.status).toBe('rejected');
    // self-approval: a finance user proposing through a table rule that covers finance
    const self = await wb.pending.approve('revenue_forecast', id, { user: 'ana', role: 'finance', comment: 'x' });
    expect(self.ok).toBe(false);
  });

  it('an undeclared status transition is 422 naming from and to', async () => {
    await api('POST', `${F}/rows`, { token: tokens.ana, body: { rows: [{ account_id: 'acc_026', quarter: '2026-Q4', amount: '70000.00' }] } });
    const bad = await api('POST', `${F}/rows`, { token: tokens.fin, body: { rows: [{ account_id: 'acc_026', quarter: '2026-Q4', status: 'approved' }] } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0]).toMatchObject({ row: 0, column: 'status', from: 'draft', to: 'approved' });
    const role = await api('POST', `${F}/rows`, { token: tokens.ana, body: { rows: [{ account_id: 'acc_026', quarter: '2026-Q4', status: 'submitted' }] } });
    expect(role.status).toBe(200);
    const needsFinance = await api('POST', `${F}/rows`, { token: tokens.ana, body: { rows: [{ account_id: 'acc_026', quarter: '2026-Q4', status: 'approved' }] } });
    expect(needsFinance.status).toBe(403);
  });

  it("an action is a logged write by the acting user; its failing webhook does not undo it and is logged", async () => {
    const key = { account_id: 'acc_027', quarter: '2026-Q4' };
    await api('POST', `${F}/rows`, { token: tokens.ana, body: { rows: [{ ...key, amount: '10.00' }] } });
    const unconfirmed = await api('POST', `${F}/actions/submit`, { token: tokens.ana, body: { keys: [key] } });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body.error.code).toBe('confirmation_required');
    const submit = await api<Written>('POST', `${F}/actions/submit`, { token: tokens.ana, body: { keys: [key], confirm: true } });
    expect(submit.status).toBe(200);
    const h = await api<{ entries: { user: string; comment: string; changes: { column: string; old: unknown; new: unknown }[] }[] }>('GET', `${F}/history?key.account_id=acc_027`, { token: tokens.ana });
    expect(h.body.entries.at(-1)).toMatchObject({ user: 'ana', comment: 'action submit', changes: [{ column: 'status', old: 'draft', new: 'submitted' }] });

    const before = await logCount();
    const noComment = await api('POST', `${F}/actions/back_to_draft`, { token: tokens.fin, body: { keys: [key] } });
    expect(noComment.status).toBe(422);
    const back = await api<Written>('POST', `${F}/actions/back_to_draft`, { token: tokens.fin, body: { keys: [key], comment: 'needs rework' } });
    expect(back.status).toBe(200);
    expect(back.body.webhook).toMatchObject({ status: 'failed', attempts: 2, http_status: 503 });
    expect(await logCount()).toBe(before + 1);
    expect(hooks).toHaveLength(2);
    expect(JSON.parse(hooks[0]!)).toMatchObject({ table: 'revenue_forecast', action: 'back_to_draft', user: 'fin', keys: [key] });
    const row = await api<{ rows: Row[] }>('GET', `${F}/rows?filter.account_id=acc_027`, { token: tokens.fin });
    expect(row.body.rows[0]).toMatchObject({ status: 'draft', _updated_by: 'fin' });
    const calls = await api<{ calls: Record<string, unknown>[] }>('GET', `${F}/webhook-calls`, { token: tokens.fin });
    expect(calls.body.calls).toEqual([expect.objectContaining({ action: 'back_to_draft', status: 'failed', attempts: 2, http_status: 503, user: 'fin' })]);
  });

  it('a bulk change above confirm_threshold (100 in the demo) without confirmation is refused with the count', async () => {
    const rows = Array.from({ length: 101 }, (_, i) => ({ account_id: 'acc_022', quarter: `${2030 + Math.floor(i / 4)}-Q${(i % 4) + 1}`, amount: '1.00' }));
    const before = await logCount();
    const refused = await api('POST', `${F}/rows`, { token: tokens.fin, body: { rows } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('confirmation_required');
    expect(refused.body.error.details[0]).toMatchObject({ count: 101, threshold: 100 });
    const dry = await api<Written>('POST', `${F}/rows`, { token: tokens.fin, body: { rows, dry_run: true } });
    expect(dry.body.entries).toHaveLength(101);
    expect(await logCount()).toBe(before);
    const ok = await api<Written>('POST', `${F}/rows`, { token: tokens.fin, body: { rows, confirm: true } });
    expect(ok.status).toBe(200);
    expect(await logCount()).toBe(before + 101);
  });
});
