import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../../../src/library/open-project.js';
import type { Writeback } from '../../../src/library/writeback.js';
import { startServer, type RunningHttpServer } from '../../../src/server/start-server.js';
import { silentLogger } from '../../../src/server/logger.js';
import { appliedDemoProject } from './demo-project.js';
import { call, type CallOptions, type ErrorBody } from './http-client.js';

type Row = Record<string, string | number | boolean | null>;
type Written = { entries: { entry_id: string | null; key: Row; version: number; op: string }[]; replayed: boolean };
type History = { entries: { op: string; changes: { column: string; old: unknown; new: unknown }[] }[] };

// A write that changes nothing is answered but not logged; an explicit null over a never-set
// column is a change (it overrides the source); a scenario's inherited rows carry `_version: 0`.
describe('writes that change nothing, as a client meets them', () => {
  let dir: string;
  let wb: Writeback;
  let server: RunningHttpServer;
  let fin = '';
  const api = <T = ErrorBody>(method: string, path: string, opts?: CallOptions) => call<T>(server.url, method, path, opts);
  const logCount = async () => (await wb.adapter.query<{ n: number }>('select count(*)::integer as n from writeback.revenue_forecast__log'))[0]!.n;
  const write = (rows: Row[], extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    api<ErrorBody & Written>('POST', '/api/v1/inputs/revenue_forecast/rows', { token: fin, body: { rows, ...extra }, headers });
  const history = async (quarter: string) =>
    (await api<History>('GET', `/api/v1/inputs/revenue_forecast/history?key.account_id=acc_001&key.quarter=${quarter}`, { token: fin })).body.entries;

  beforeAll(async () => {
    dir = await appliedDemoProject();
    wb = await openProject(dir);
    const t = await wb.tokens.create({ user: 'fin', role: 'finance' });
    if (!t.ok) throw new Error(t.error.message);
    fin = t.token;
    server = await startServer(wb, { port: 0, logger: silentLogger, snapshot: false });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('the same row written twice: the second answer is `unchanged`, no entry, the version stays', async () => {
    const row = { account_id: 'acc_001', quarter: '2031-Q1', amount: '10.00', note: 'first' };
    const first = await write([row]);
    expect(first.status, first.text).toBe(200);
    expect(first.body.entries).toEqual([{ entry_id: expect.any(String), key: { account_id: 'acc_001', quarter: '2031-Q1' }, version: 1, op: 'upsert' }]);
    const before = await logCount();
    // the same values, spelt as the wire allows (a decimal as a number exact at its scale)
    const again = await write([{ ...row, amount: 10, _version: 1 }]);
    expect(again.status, again.text).toBe(200);
    expect(again.body.entries).toEqual([{ entry_id: null, key: { account_id: 'acc_001', quarter: '2031-Q1' }, version: 1, op: 'unchanged' }]);
    expect(await logCount()).toBe(before);
    expect((await history('2031-Q1')).length).toBe(1);
    // a stale `_version` is still a conflict, even when the values would change nothing
    const stale = await write([{ ...row, _version: 7 }]);
    expect(stale.status, stale.text).toBe(409);
    expect((await wb.verify()).problems).toEqual([]);
  });

  it('blanking a column that was never set records an explicit null once; blanking it again changes nothing', async () => {
    const key = { account_id: 'acc_001', quarter: '2031-Q2' };
    expect((await write([{ ...key, amount: '5.00' }])).status).toBe(200);
    const blank = await write([{ ...key, note: null }]);
    expect(blank.body.entries.map((e) => [e.op, e.version])).toEqual([['upsert', 2]]);
    const [latest] = (await history('2031-Q2')).slice(-1);
    expect(latest?.changes).toEqual([{ column: 'note', old: null, new: null }]);
    const again = await write([{ ...key, note: null }]);
    expect(again.body.entries.map((e) => [e.op, e.version])).toEqual([['unchanged', 2]]);
    expect((await history('2031-Q2')).length).toBe(2);
  });

  it('a batch logs only the rows it changes, and its replay answers the same', async () => {
    const a = { account_id: 'acc_001', quarter: '2031-Q3', amount: '1.00' };
    const b = { account_id: 'acc_001', quarter: '2031-Q4', amount: '2.00' };
    expect((await write([a])).status).toBe(200);
    const before = await logCount();
    const headers = { 'Idempotency-Key': 'unchanged-batch-1' };
    const mixed = await write([a, b], {}, headers);
    expect(mixed.body.entries.map((e) => [e.key.quarter, e.op, e.version, e.entry_id === null])).toEqual([
      ['2031-Q3', 'unchanged', 1, true],
      ['2031-Q4', 'upsert', 1, false],
    ]);
    expect(await logCount()).toBe(before + 1);
    const replay = await write([a, b], {}, headers);
    expect(replay.body.replayed).toBe(true);
    expect(replay.body.entries).toEqual(mixed.body.entries);
    // a request that changes nothing at all is recorded too: its retry is a replay, not a new write
    const noop = { 'Idempotency-Key': 'unchanged-batch-2' };
    expect((await write([a], {}, noop)).body.entries.map((e) => e.op)).toEqual(['unchanged']);
    expect((await write([{ ...a, amount: '3.00' }], {}, { 'Idempotency-Key': 'someone-else' })).status).toBe(200);
    const retried = await write([a], {}, noop);
    expect(retried.body.replayed).toBe(true);
    const rows = await api<{ rows: Row[] }>('GET', '/api/v1/inputs/revenue_forecast/rows?filter.account_id=acc_001&filter.quarter=2031-Q3', { token: fin });
    expect(rows.body.rows[0]?.amount).toBe('3.00');
  });

  it("in a scenario, an inherited row reads as `_version: 0`; writing base's value there pins it (a change), then is unchanged", async () => {
    const key = { account_id: 'acc_001', quarter: '2031-Q1' };
    expect((await api('POST', '/api/v1/scenarios', { token: fin, body: { name: 'pin_test' } })).status).toBe(201);
    const read = await api<{ rows: Row[] }>('GET', '/api/v1/inputs/revenue_forecast/rows?scenario=pin_test&filter.account_id=acc_001&filter.quarter=2031-Q1', { token: fin });
    expect(read.body.rows[0]).toMatchObject({ ...key, amount: '10.00', _version: 0 });
    // the version a scenario write is based on is the scenario's own row's: 0 for an inherited row
    const pin = await write([{ ...key, amount: '10.00', _version: 0 }], { scenario: 'pin_test' });
    expect(pin.body.entries.map((e) => [e.op, e.version])).toEqual([['upsert', 1]]);
    const again = await write([{ ...key, amount: '10.00', _version: 1 }], { scenario: 'pin_test' });
    expect(again.body.entries.map((e) => [e.op, e.version])).toEqual([['unchanged', 1]]);
    // pinned: a base change no longer shows through in the scenario
    expect((await write([{ ...key, amount: '11.00' }])).status).toBe(200);
    const after = await api<{ rows: Row[] }>('GET', '/api/v1/inputs/revenue_forecast/rows?scenario=pin_test&filter.account_id=acc_001&filter.quarter=2031-Q1', { token: fin });
    expect(after.body.rows[0]).toMatchObject({ amount: '10.00', _version: 1 });
  });
});
