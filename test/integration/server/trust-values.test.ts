import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../../../src/library/open-project.js';
import type { Writeback } from '../../../src/library/writeback.js';
import { startServer, type RunningHttpServer } from '../../../src/server/start-server.js';
import { silentLogger } from '../../../src/server/logger.js';
import { runCli } from '../../helpers/cli.js';
import { appliedDemoProject, tokenFor } from './demo-project.js';
import { call, type CallOptions, type ErrorBody } from './http-client.js';

type Row = Record<string, string | number | boolean | null>;
type Written = { entries: { entry_id: string; key: Row; version: number; op: string }[] };

// Values the warehouse cannot hold exactly are refused at the field (never changed silently); the
// status workflow binds new rows and locked rows; tokens carry what their row filters need;
// idempotency keys belong to their caller.
describe('values, status workflow, tokens and idempotency as a client meets them', () => {
  let dir: string;
  let wb: Writeback;
  let server: RunningHttpServer;
  const tokens = { ana: '', ana2: '', bob: '', fin: '' };
  const api = <T = ErrorBody>(method: string, path: string, opts?: CallOptions) => call<T>(server.url, method, path, opts);
  const logCount = async () => (await wb.adapter.query<{ n: number }>('select count(*)::integer as n from writeback.revenue_forecast__log'))[0]!.n;
  const write = (token: string, rows: Row[], extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    api<ErrorBody & Written>('POST', '/api/v1/inputs/revenue_forecast/rows', { token, body: { rows, ...extra }, headers });
  /** A refusal: status, code, the field named, nothing written. */
  async function refused(status: number, code: string, send: () => ReturnType<typeof write>) {
    const before = await logCount();
    const res = await send();
    expect(res.status, res.text).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(await logCount()).toBe(before);
    return res.body.error;
  }

  beforeAll(async () => {
    dir = await appliedDemoProject();
    wb = await openProject(dir);
    tokens.ana = await tokenFor(wb, 'ana', 'planner', { region: 'EMEA' });
    tokens.ana2 = await tokenFor(wb, 'ana', 'planner', { region: 'EMEA' });
    tokens.bob = await tokenFor(wb, 'bob', 'planner', { region: 'EMEA' });
    tokens.fin = await tokenFor(wb, 'fin', 'finance');
    server = await startServer(wb, { port: 0, logger: silentLogger, snapshot: false });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('refuses a lone UTF-16 surrogate in a value, a key, a comment, with 422 at the field, and verify stays clean', async () => {
    const note = await refused(422, 'validation_failed', () => write(tokens.ana, [{ account_id: 'acc_022', quarter: '2026-Q1', amount: '1.00', note: 'x\ud800y' }]));
    expect(note.details).toEqual([{ row: 0, column: 'note', message: 'contains an unpaired UTF-16 surrogate (\\ud800) at character 2: send well-formed Unicode text' }]);
    // two different keys that a UTF-8 warehouse would store as the same U+FFFD key
    const keys = await refused(422, 'validation_failed', () =>
      write(tokens.fin, [
        { account_id: 'acc_022', quarter: '2026-Q1\ud800', amount: '1.00' },
        { account_id: 'acc_022', quarter: '2026-Q1\udbff', amount: '1.00' },
      ]),
    );
    expect(keys.details.map((d) => [d.row, d.column])).toEqual([
      [0, 'quarter'],
      [1, 'quarter'],
    ]);
    const comment = await refused(422, 'validation_failed', () => write(tokens.ana, [{ account_id: 'acc_022', quarter: '2026-Q1', amount: '1.00' }], { comment: 'ok \udc00' }));
    expect(comment.details).toEqual([expect.objectContaining({ column: 'comment' })]);
    await refused(422, 'validation_failed', () => write(tokens.ana, [{ account_id: 'acc_022', quarter: '2026-Q1', amount: '1.00', note: 'nul\u0000' }]));
    // well-formed text outside the BMP is fine and comes back exactly
    const ok = await write(tokens.ana, [{ account_id: 'acc_022', quarter: '2026-Q1', amount: '1.00', note: 'plan 📈 ok' }], { comment: 'émoji 🎯' });
    expect(ok.status, ok.text).toBe(200);
    const rows = await api<{ rows: Row[] }>('GET', '/api/v1/inputs/revenue_forecast/rows?filter.quarter=2026-Q1&filter.account_id=acc_022', { token: tokens.ana });
    expect(rows.body.rows[0]?.note).toBe('plan 📈 ok');
    expect((await wb.verify()).problems).toEqual([]);
  });

  it('a new row starts in its initial status: a planner cannot create it as approved', async () => {
    const err = await refused(422, 'validation_failed', () => write(tokens.ana, [{ account_id: 'acc_023', quarter: '2026-Q2', amount: '10.00', status: 'approved' }]));
    expect(err.details).toEqual([expect.objectContaining({ row: 0, column: 'status', message: "a new row's status must start as 'draft', not 'approved'", from: null, to: 'approved' })]);
    // without a status it starts with the default
    const created = await write(tokens.ana, [{ account_id: 'acc_023', quarter: '2026-Q2', amount: '10.00' }]);
    expect(created.status, created.text).toBe(200);
    const row = await api<{ rows: Row[] }>('GET', '/api/v1/inputs/revenue_forecast/rows?filter.account_id=acc_023&filter.quarter=2026-Q2', { token: tokens.ana });
    expect(row.body.rows[0]?.status).toBe('draft');
    // nor through a scenario row, which starts with no status (defaults are base's), and then "moves" from nothing
    expect((await api('POST', '/api/v1/scenarios', { token: tokens.ana, body: { name: 'from_nothing' } })).status).toBe(201);
    const fresh = await write(tokens.ana, [{ account_id: 'acc_023', quarter: '2027-Q1', amount: '10.00' }], { scenario: 'from_nothing' });
    expect(fresh.status, fresh.text).toBe(200);
    const skip = await refused(422, 'validation_failed', () => write(tokens.ana, [{ account_id: 'acc_023', quarter: '2027-Q1', status: 'approved' }], { scenario: 'from_nothing' }));
    expect(skip.details).toEqual([expect.objectContaining({ column: 'status', from: null, to: 'approved' })]);
  });

  it('an approved row is locked for planners on every route (write, action, promote), and finance may still change it', async () => {
    const key = { account_id: 'acc_024', quarter: '2026-Q3' };
    for (const [token, status] of [
      [tokens.ana, undefined],
      [tokens.ana, 'submitted'],
      [tokens.fin, 'approved'],
    ] as const) {
      const r = await write(token, [{ ...key, amount: '100.00', ...(status ? { status } : {}) }]);
      expect(r.status, r.text).toBe(200);
    }
    const edit = await refused(403, 'forbidden', () => write(tokens.ana, [{ ...key, amount: '999.00' }]));
    expect(edit.details).toEqual([expect.objectContaining({ row: 0, column: 'status', message: "the row is status 'approved', which locks it (only finance may change it)" })]);
    // an action is a write like any other
    const action = await api<ErrorBody>('POST', '/api/v1/inputs/revenue_forecast/actions/submit', { token: tokens.ana, body: { keys: [key], confirm: true } });
    expect(action.status, action.text).toBe(403);
    // a promote of a planner's scenario onto the approved row is refused for that row
    const scenario = await api('POST', '/api/v1/scenarios', { token: tokens.ana, body: { name: 'lock_probe' } });
    expect(scenario.status, scenario.text).toBe(201);
    const override = await write(tokens.ana, [{ ...key, amount: '5.00' }], { scenario: 'lock_probe' });
    expect(override.status, override.text).toBe(200);
    const promote = await api<ErrorBody>('POST', '/api/v1/scenarios/lock_probe/promote', { token: tokens.ana, body: { confirm: true } });
    expect(promote.status, promote.text).toBe(403);
    expect(promote.text).toContain('locks it');
    const after = await api<{ rows: Row[] }>('GET', `/api/v1/inputs/revenue_forecast/rows?filter.account_id=${key.account_id}&filter.quarter=${key.quarter}`, { token: tokens.fin });
    expect(after.body.rows[0]).toMatchObject({ amount: '100.00', status: 'approved' });
    const fin = await write(tokens.fin, [{ ...key, amount: '120.00' }]);
    expect(fin.status, fin.text).toBe(200);
  });

  it('refuses a token whose role needs an attribute it lacks, naming the attribute (CLI and admin API)', async () => {
    const cli = await runCli(['token', 'create', '--user', 'bob2', '--role', 'planner', '--project', dir], { env: { WRITEBACK_SERVER_WAIT_MS: '0' } });
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toContain("role 'planner' needs the attribute 'region' (the row filter of account_category, revenue_forecast)");
    const http = await api<ErrorBody>('POST', '/api/v1/admin/tokens', { headers: { authorization: `Bearer ${server.adminToken}` }, body: { user: 'bob2', role: 'planner' } });
    expect(http.status, http.text).toBe(400);
    expect(http.body.error.details).toEqual([{ column: 'region', message: 'required by the row filter of account_category, revenue_forecast' }]);
    expect((await wb.tokens.list()).some((t) => t.user === 'bob2')).toBe(false);
  });

  it('refuses a --dev-user whose role needs an attribute it lacks, before serving anything', async () => {
    const other = await appliedDemoProject();
    const r = await runCli(['serve', '--dev-user', 'zed', '--role', 'planner', '--port', '0', '--no-snapshot', '--project', other]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("role 'planner' needs the attribute 'region'");
    expect(r.stderr).toContain('--attr region=');
  });

  it('scopes idempotency keys to the caller: another user reusing a key writes their own request, and learns nothing', async () => {
    const headers = { 'idempotency-key': 'shared-key-1' };
    const first = await write(tokens.ana, [{ account_id: 'acc_025', quarter: '2026-Q1', amount: '1.00' }], {}, headers);
    expect(first.status, first.text).toBe(200);
    const other = await write(tokens.bob, [{ account_id: 'acc_026', quarter: '2026-Q1', amount: '2.00' }], {}, headers);
    expect(other.status, other.text).toBe(200);
    expect(other.body).toMatchObject({ replayed: false });
    // the same caller (any of their tokens) retrying gets the first answer
    const retry = await write(tokens.ana2, [{ account_id: 'acc_025', quarter: '2026-Q1', amount: '1.00' }], {}, headers);
    expect(retry.body).toMatchObject({ replayed: true, entries: first.body.entries });
    const reused = await refused(422, 'idempotency_key_reused', () => write(tokens.ana, [{ account_id: 'acc_027', quarter: '2026-Q1', amount: '3.00' }], {}, headers));
    expect(reused.message).toBe("request id 'shared-key-1' was already used by you for a different request; use a new id for new data");
  });
});
