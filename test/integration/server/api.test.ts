import { statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:net';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../../../src/library/open-project.js';
import type { Writeback } from '../../../src/library/writeback.js';
import { startServer, type RunningHttpServer } from '../../../src/server/start-server.js';
import { createServer } from '../../../src/server/create-server.js';
import { silentLogger, type ServerLogger } from '../../../src/server/logger.js';
import { findRunningServer } from '../../../src/runtime/find-running-server.js';
import { adminRequest } from '../../../src/runtime/admin-client.js';
import { builtArgv } from '../../helpers/built.js';
import { appliedDemoProject, demoTokens } from './demo-project.js';
import { canStream } from '../../../src/adapters/adapter.js';
import { MAX_STREAMS } from '../../../src/adapters/duckdb/duckdb-adapter.js';
import { STREAMS_PER_USER } from '../../../src/server/routes/models.js';
import { call, type CallOptions, type ErrorBody } from './http-client.js';

const run = promisify(execFile);
type Row = Record<string, string | number | boolean | null>;
type Page = { rows: Row[]; next_cursor: string | null };
type Written = { entries: { entry_id: string; key: Row; version: number; op: string }[]; at: string; replayed: boolean; dry_run: boolean };

// EMEA accounts: acc_021 … ; AMER: acc_001 … (seeds/accounts.csv)
const EMEA = 'acc_022';
const AMER = 'acc_001';
const BODY_LIMIT = 64 * 1024;

describe('HTTP API on the demo project', () => {
  let dir: string;
  let wb: Writeback;
  let server: RunningHttpServer;
  const errors: string[] = [];
  const requests: { path: string; status: number }[] = [];
  const logger: ServerLogger = {
    ...silentLogger,
    info: (m, f) => void (m === 'request' && requests.push({ path: String(f?.['path']), status: Number(f?.['status']) })),
    error: (m, f) => errors.push(`${m} ${JSON.stringify(f)}`),
  };
  const tokens: Record<'ana' | 'bob' | 'fin' | 'fin2' | 'vic', string> = { ana: '', bob: '', fin: '', fin2: '', vic: '' };

  const api = <T = ErrorBody>(method: string, path: string, opts?: CallOptions) => call<T>(server.url, method, path, opts);
  const logCount = async (table = 'revenue_forecast') => {
    const [row] = await wb.adapter.query<{ n: number }>(`select count(*)::integer as n from writeback.${table}__log`);
    return row!.n;
  };
  /** Assert a rejection: status, error code, the documented shape, and that the log did not grow. */
  async function rejected(status: number, code: string, send: () => Promise<{ status: number; body: ErrorBody }>) {
    const before = await logCount();
    const res = await send();
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(typeof res.body.error.message).toBe('string');
    expect(Array.isArray(res.body.error.details)).toBe(true);
    expect(await logCount()).toBe(before);
    return res.body.error;
  }

  beforeAll(async () => {
    dir = await appliedDemoProject();
    wb = await openProject(dir);
    Object.assign(tokens, await demoTokens(wb));
    server = await startServer(wb, { port: 0, logger, bodyLimitBytes: BODY_LIMIT, confirmThreshold: 100, snapshot: { delayMs: 100 } });
  });

  afterAll(async () => {
    await server?.close();
    expect(existsSync(join(dir, 'target', 'server.json'))).toBe(false);
  });

  it('answers /healthz and serves the OpenAPI document', async () => {
    const health = await api<{ ok: boolean; snapshot: { path: string } }>('GET', '/healthz');
    expect(health.status).toBe(200);
    expect(health.body.ok).toBe(true);
    // no absolute path of the machine to a caller who has not signed in
    expect(health.body.snapshot.path).toBe(join('target', 'snapshot.duckdb'));
    const spec = await api<{ openapi: string; paths: Record<string, unknown> }>('GET', '/api/v1/openapi.json');
    expect(spec.body.openapi).toBe('3.1.0');
    expect(Object.keys(spec.body.paths)).toContain('/inputs/{table}/rows');
  });

  it('lists input tables with columns, rules, key and the caller\'s permissions', async () => {
    type Inputs = { inputs: { name: string; key: string[]; columns: { name: string; type: string; pattern?: string; values?: string[] }[]; permissions: Record<string, unknown> }[] };
    const res = await api<Inputs>('GET', '/api/v1/inputs', { token: tokens.ana });
    expect(res.status).toBe(200);
    const forecast = res.body.inputs.find((t) => t.name === 'revenue_forecast')!;
    expect(forecast.key).toEqual(['account_id', 'quarter']);
    expect(forecast.columns.find((c) => c.name === 'amount')).toMatchObject({ type: 'decimal(18,2)', required: true, min: 0 });
    expect(forecast.columns.find((c) => c.name === 'confidence')).toMatchObject({ type: 'enum', values: ['low', 'medium', 'high'], default: 'medium' });
    expect(forecast.permissions).toEqual({ read: true, write: true, delete: false, approve: false, row_filter: { 'source.region': 'EMEA' } });
  });

  it('401: no token, a malformed header, an unknown token, a revoked token', async () => {
    const body = { rows: [{ account_id: EMEA, quarter: '2026-Q1', amount: '1.00' }] };
    await rejected(401, 'unauthorized', () => api('POST', '/api/v1/inputs/revenue_forecast/rows', { body }));
    await rejected(401, 'unauthorized', () => api('POST', '/api/v1/inputs/revenue_forecast/rows', { body, headers: { authorization: 'Basic abc' } }));
    await rejected(401, 'unauthorized', () => api('POST', '/api/v1/inputs/revenue_forecast/rows', { body, token: 'wb_not_a_token' }));
    await rejected(401, 'unauthorized', () => api('GET', '/api/v1/inputs'));

    const created = await adminRequest(findRunningServer(dir)!, 'POST', 'tokens', { user: 'temp', role: 'finance' });
    expect(created.status).toBe(201);
    const { token, info } = created.body as { token: string; info: { tokenId: string } };
    expect((await api('GET', '/api/v1/inputs', { token })).status).toBe(200);
    const revoked = await adminRequest(findRunningServer(dir)!, 'POST', `tokens/${info.tokenId}/revoke`);
    expect(revoked.status).toBe(200);
    await rejected(401, 'unauthorized', () => api('POST', '/api/v1/inputs/revenue_forecast/rows', { body, token }));
  });

  it('400: malformed JSON, wrong content type, unknown field, missing rows, bad query, bad Idempotency-Key', async () => {
    const path = '/api/v1/inputs/revenue_forecast/rows';
    const t = tokens.fin;
    await rejected(400, 'bad_request', () => api('POST', path, { token: t, rawBody: '{"rows": [ {"account_id": ' }));
    await rejected(400, 'unsupported_media_type', () => api('POST', path, { token: t, rawBody: 'account_id=x', contentType: 'application/x-www-form-urlencoded' }));
    const unknown = await rejected(400, 'bad_request', () => api('POST', path, { token: t, body: { rows: [{ account_id: AMER, quarter: '2026-Q1', amount: '1' }], colour: 'red' } }));
    expect(JSON.stringify(unknown.details)).toContain('colour');
    await rejected(400, 'bad_request', () => api('POST', path, { token: t, body: { row: [] } }));
    await rejected(400, 'bad_request', () => api('POST', path, { token: t, body: { rows: [] } }));
    await rejected(400, 'bad_request', () => api('GET', `${path}?limit=many`, { token: t }));
    await rejected(400, 'bad_request', () => api('GET', `${path}?as_of=yesterday`, { token: t }));
    await rejected(400, 'bad_request', () => api('GET', `${path}?colour=red`, { token: t }));
    const offset = await rejected(400, 'bad_request', () => api('GET', '/api/v1/inputs/revenue_forecast/grid?offset=9007199254740991', { token: t }));
    expect(JSON.stringify(offset)).toContain('at most 15 digits');
    await rejected(400, 'bad_request', () => api('POST', path, { token: t, body: { rows: [{ account_id: AMER, quarter: '2026-Q1', amount: '1' }] }, headers: { 'idempotency-key': 'x'.repeat(201) } }));
  });

  it('422, never 500: a value nested thousands of levels deep, with an Idempotency-Key, on every write route', async () => {
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const key = `"account_id":"${AMER}","quarter":"2026-Q1"`;
    const sends: [string, string][] = [
      ['/api/v1/inputs/revenue_forecast/rows', `{"rows":[{${key},"amount":"1.00","note":${deep}}]}`],
      ['/api/v1/inputs/revenue_forecast/delete', `{"keys":[{"account_id":${deep},"quarter":"2026-Q1"}]}`],
      ['/api/v1/inputs/revenue_forecast/reset', `{"scenario":"upside","keys":[{"account_id":${deep},"quarter":"2026-Q1"}]}`],
    ];
    for (const [path, rawBody] of sends) {
      const res = await api('POST', path, { token: tokens.fin, rawBody, headers: { 'idempotency-key': `deep-${path}` } });
      expect(res.status, `${path}: ${JSON.stringify(res.body).slice(0, 300)}`).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
      // an error that names what is wrong, never the stack overflow
      expect(res.body.error.code, path).not.toBe('internal');
      expect(res.body.error.message, path).not.toMatch(/stack|Maximum call/i);
    }
    const e = await rejected(422, 'validation_failed', () => api('POST', sends[0]![0], { token: tokens.fin, rawBody: sends[0]![1], headers: { 'idempotency-key': 'deep-again' } }));
    expect(e.details).toEqual([expect.objectContaining({ row: 0, column: 'note', message: expect.stringContaining('got an array') })]);
  });

  it('a decimal sent as a JSON number of more than 15 digits is told to be sent as a string, without quoting digits it may never have had', async () => {
    const e = await rejected(422, 'validation_failed', () =>
      api('POST', '/api/v1/inputs/revenue_forecast/rows', { token: tokens.fin, rawBody: `{"rows":[{"account_id":"${AMER}","quarter":"2026-Q1","amount":12345678901234567890}]}` }),
    );
    expect(e.details).toEqual([expect.objectContaining({ row: 0, column: 'amount', message: 'a JSON number of more than 15 digits is not exact; send decimals as strings' })]);
  });

  it('a client that closes the connection halfway through its body is answered 400 in the log, not a server error', async () => {
    const { port } = new URL(server.url);
    const before = errors.length;
    const earlier = requests.length;
    const path = '/api/v1/inputs/revenue_forecast/delete';
    await new Promise<void>((closed) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${tokens.fin}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"keys":[`);
        setTimeout(() => socket.destroy(), 100);
      });
      socket.on('error', () => undefined);
      socket.on('close', () => closed());
    });
    const logged = () => requests.slice(earlier).find((r) => r.path === path);
    while (!logged()) await new Promise((r) => setTimeout(r, 10));
    expect(logged()!.status).toBe(400);
    // the same with a chunked body (read as a stream, not by its declared length)
    const chunked = requests.length;
    await new Promise<void>((closed) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${tokens.fin}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n9\r\n{"keys":[\r\n`);
        setTimeout(() => socket.destroy(), 100);
      });
      socket.on('error', () => undefined);
      socket.on('close', () => closed());
    });
    while (!requests.slice(chunked).some((r) => r.path === path)) await new Promise((r) => setTimeout(r, 10));
    expect(requests.slice(chunked).find((r) => r.path === path)!.status).toBe(400);
    expect(errors.slice(before)).toEqual([]);
  });

  it('404: unknown table, unknown model, unknown route', async () => {
    const e = await rejected(404, 'not_found', () => api('POST', '/api/v1/inputs/no_such_table/rows', { token: tokens.fin, body: { rows: [{ a: 1 }] } }));
    expect(e.message).toContain('no_such_table');
    await rejected(404, 'not_found', () => api('GET', '/api/v1/inputs/no_such_table/rows', { token: tokens.fin }));
    await rejected(404, 'not_found', () => api('GET', '/api/v1/models/no_such_model/rows', { token: tokens.fin }));
    await rejected(404, 'not_found', () => api('GET', '/api/v1/nothing/here', { token: tokens.fin }));
    await rejected(404, 'not_found', () => api('DELETE', '/api/v1/inputs/revenue_forecast/rows', { token: tokens.fin }));
  });

  it('422: every bad row and column is listed; nothing is written', async () => {
    const e = await rejected(422, 'validation_failed', () =>
      api('POST', '/api/v1/inputs/revenue_forecast/rows', {
        token: tokens.fin,
        body: { rows: [{ account_id: AMER, quarter: '2026-Q1', amount: '10.00' }, { account_id: AMER, quarter: 'Q5', amount: '-1' }] },
      }),
    );
    expect(e.details).toEqual(expect.arrayContaining([expect.objectContaining({ row: 1, column: 'quarter' }), expect.objectContaining({ row: 1, column: 'amount' })]));
    expect(e.details.some((d) => d.row === 0)).toBe(false);
  });

  it('413: a body above the documented limit', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => ({ account_id: AMER, quarter: '2026-Q1', amount: '1.00', note: `n${i}` }));
    const e = await rejected(413, 'payload_too_large', () => api('POST', '/api/v1/inputs/revenue_forecast/rows', { token: tokens.fin, body: { rows, confirm: true } }));
    expect(e.message).toContain(String(BODY_LIMIT));
  });

  it('403 for a role without the permission; a row outside the row filter answers as a row that does not exist', async () => {
    const path = '/api/v1/inputs/revenue_forecast/rows';
    await rejected(403, 'forbidden', () => api('POST', path, { token: tokens.vic, body: { rows: [{ account_id: EMEA, quarter: '2026-Q1', amount: '1.00' }] } }));
    const outside = await rejected(422, 'validation_failed', () => api('POST', path, { token: tokens.ana, body: { rows: [{ account_id: EMEA, quarter: '2026-Q1', amount: '1.00' }, { account_id: AMER, quarter: '2026-Q1', amount: '1.00' }] } }));
    const missing = await rejected(422, 'validation_failed', () => api('POST', path, { token: tokens.ana, body: { rows: [{ account_id: EMEA, quarter: '2026-Q1', amount: '1.00' }, { account_id: 'acc_999', quarter: '2026-Q1', amount: '1.00' }] } }));
    expect(JSON.stringify(missing).replace('acc_999', AMER)).toBe(JSON.stringify(outside));
    await rejected(403, 'forbidden', () => api('POST', '/api/v1/inputs/revenue_forecast/delete', { token: tokens.ana, body: { keys: [{ account_id: EMEA, quarter: '2026-Q1' }] } }));
  });

  it('writes within the row filter and reads back only the caller\'s rows', async () => {
    const ok = await api<Written>('POST', '/api/v1/inputs/revenue_forecast/rows', { token: tokens.ana, body: { rows: [{ account_id: EMEA, quarter: '2026-Q2', amount: '500.00' }], comment: 'first' } });
    expect(ok.status).toBe(200);
    expect(ok.body.entries).toEqual([expect.objectContaining({ key: { account_id: EMEA, quarter: '2026-Q2' }, version: 1, op: 'upsert' })]);
    const bob = await api<Written>('POST', '/api/v1/inputs/revenue_forecast/rows', { token: tokens.bob, body: { rows: [{ account_id: AMER, quarter: '2026-Q2', amount: '700.00' }] } });
    expect(bob.status).toBe(200);

    const anaRows = await api<Page>('GET', '/api/v1/inputs/revenue_forecast/rows', { token: tokens.ana });
    expect(anaRows.status).toBe(200);
    expect(anaRows.body.rows.map((r) => r.account_id)).toEqual([EMEA]);
    expect(anaRows.body.rows[0]).toMatchObject({ amount: '500.00', confidence: 'medium', _version: 1, _updated_by: 'ana' });
    const finRows = await api<Page>('GET', '/api/v1/inputs/revenue_forecast/rows', { token: tokens.fin });
    expect(finRows.body.rows.map((r) => r.account_id).sort()).toEqual([AMER, EMEA]);
  });

  it('two clients edit the same row from the same _version: one 200, one 409 naming who changed it', async () => {
    const key = { account_id: AMER, quarter: '2026-Q3' };
    const first = await api<Written>('POST', '/api/v1/inputs/revenue_forecast/rows', { token: tokens.fin, body: { rows: [{ ...key, amount: '100.00' }] } });
    expect(first.status).toBe(200);
    const version = first.body.entries[0]!.version;
    const before = await logCount();
    const send = (token: string, amount: string) =>
      api<Written & ErrorBody>('POST', '/api/v1/inputs/revenue_forecast/rows', { token, body: { rows: [{ ...key, amount, _version: version }] } });
    const [a, b] = await Promise.all([send(tokens.fin, '111.00'), send(tokens.fin2, '222.00')]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const [winner, loser] = a.status === 200 ? [a, b] : [b, a];
    const winnerUser = winner === a ? 'fin' : 'fin2';
    expect(loser.body.error.code).toBe('conflict');
    expect(loser.body.error.details[0]).toMatchObject({ _updated_by: winnerUser, _version: version + 1 });
    expect(await logCount()).toBe(before + 1);
    const history = await api<{ entries: { user: string; changes: { column: string; old: unknown; new: unknown }[] }[] }>(
      'GET',
      `/api/v1/inputs/revenue_forecast/history?key.account_id=${AMER}&key.quarter=2026-Q3`,
      { token: tokens.fin },
    );
    expect(history.status).toBe(200);
    expect(history.body.entries.map((e) => e.user)).toEqual(['fin', winnerUser]);
    expect(history.body.entries[1]!.changes).toEqual([{ column: 'amount', old: '100.00', new: winnerUser === 'fin' ? '111.00' : '222.00' }]);
  });

  it('an Idempotency-Key retry returns the first result and writes nothing twice; another payload is 422', async () => {
    const path = '/api/v1/inputs/revenue_forecast/rows';
    const body = { rows: [{ account_id: EMEA, quarter: '2026-Q4', amount: '42.00' }] };
    const headers = { 'idempotency-key': 'retry-me-1' };
    const before = await logCount();
    const first = await api<Written>('POST', path, { token: tokens.ana, body, headers });
    const again = await api<Written>('POST', path, { token: tokens.ana, body, headers });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body.replayed).toBe(true);
    expect(again.body.entries).toEqual(first.body.entries);
    expect(await logCount()).toBe(before + 1);
    await rejected(422, 'idempotency_key_reused', () => api('POST', path, { token: tokens.ana, body: { rows: [{ ...body.rows[0], amount: '43.00' }] }, headers }));
  });

  it('deletes, with explicit null, and a bulk change needs confirm', async () => {
    const path = '/api/v1/inputs/revenue_forecast';
    const blank = await api<Written>('POST', `${path}/rows`, { token: tokens.fin, body: { rows: [{ account_id: EMEA, quarter: '2026-Q2', note: null }] } });
    expect(blank.status).toBe(200);
    const del = await api<Written>('POST', `${path}/delete`, { token: tokens.fin, body: { keys: [{ account_id: EMEA, quarter: '2026-Q4' }] } });
    expect(del.status).toBe(200);
    expect(del.body.entries[0]!.op).toBe('delete');
    const many = Array.from({ length: 101 }, (_, i) => ({ account_id: AMER, quarter: `20${30 + Math.floor(i / 4)}-Q${(i % 4) + 1}`, amount: '1.00' }));
    await rejected(400, 'confirmation_required', () => api('POST', `${path}/rows`, { token: tokens.fin, body: { rows: many } }));
    const dry = await api<Written>('POST', `${path}/rows`, { token: tokens.fin, body: { rows: many, dry_run: true } });
    expect(dry.status).toBe(200);
    expect(dry.body.dry_run).toBe(true);
  });

  it('streams a model as JSON and CSV, pages it, and applies row filters', async () => {
    // Enough forecast rows for several DuckDB chunks (2048 rows each).
    const accounts = Array.from({ length: 60 }, (_, i) => `acc_${String(i + 1).padStart(3, '0')}`);
    const quarters = Array.from({ length: 48 }, (_, i) => `${2030 + Math.floor(i / 4)}-Q${(i % 4) + 1}`);
    const rows = accounts.flatMap((account_id) => quarters.map((quarter) => ({ account_id, quarter, amount: '10.00' })));
    for (let i = 0; i < rows.length; i += 500) {
      const bulk = await api<Written>('POST', '/api/v1/inputs/revenue_forecast/rows', { token: tokens.fin, body: { rows: rows.slice(i, i + 500), confirm: true } });
      expect(bulk.status, bulk.text.slice(0, 300)).toBe(200);
    }

    const all = await api<Page>('GET', '/api/v1/models/account_forecast/rows', { token: tokens.fin });
    expect(all.status).toBe(200);
    expect(all.body.rows.length).toBeGreaterThan(2880);
    expect(all.body.next_cursor).toBeNull();

    const csv = await call<unknown>(server.url, 'GET', '/api/v1/models/account_forecast/rows', { token: tokens.fin, headers: { accept: 'text/csv' } });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines.length).toBe(all.body.rows.length + 1);
    expect(lines[0]!.split(',')).toEqual(Object.keys(all.body.rows[0]!));

    const paged: Row[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = `?limit=1000${cursor ? `&cursor=${cursor}` : ''}`;
      const page: { status: number; text: string; body: Page } = await api<Page>('GET', `/api/v1/models/account_forecast/rows${q}`, { token: tokens.fin });
      expect(page.status, `${page.text.slice(0, 300)} ${errors.join('\n')}`).toBe(200);
      paged.push(...page.body.rows);
      cursor = page.body.next_cursor;
      pages++;
    } while (cursor && pages < 20);
    expect(paged.length).toBe(all.body.rows.length);
    expect(new Set(paged.map((r) => JSON.stringify(r))).size).toBe(paged.length);

    const emea = await api<Page>('GET', '/api/v1/models/account_forecast/rows', { token: tokens.ana });
    expect(emea.status).toBe(200);
    expect(emea.body.rows.length).toBeGreaterThan(0);
    expect(new Set(emea.body.rows.map((r) => r.region))).toEqual(new Set(['EMEA']));
    await rejected(400, 'bad_request', () => api('GET', '/api/v1/models/account_forecast/rows?cursor=zzz', { token: tokens.fin }));
  });

  it('503 with Retry-After, not memory without bound, when every stream of the DuckDB file is taken; reads go on once one ends', async () => {
    const adapter = wb.adapter;
    if (!canStream(adapter)) throw new Error('the DuckDB adapter streams');
    const held = [];
    for (let i = 0; i < MAX_STREAMS; i++) held.push(await adapter.stream('select * from range(100000)'));
    try {
      const busy = await api('GET', '/api/v1/models/account_forecast/rows', { token: tokens.fin });
      expect(busy.status, busy.text.slice(0, 300)).toBe(503);
      expect(busy.headers.get('retry-after')).toBe('1');
      expect(busy.body.error.code).toBe('unavailable');
      held.pop()!.close();
      expect((await api('GET', '/api/v1/models/account_forecast/rows?limit=5', { token: tokens.fin })).status).toBe(200);
    } finally {
      for (const s of held) s.close();
    }
  });

  it('one user streams at most STREAMS_PER_USER model reads at once (503 with Retry-After beyond); others are not held up by them', async () => {
    const app = createServer(wb, { logger });
    const read = (token: string) =>
      app.fetch(new Request('http://local/api/v1/models/account_forecast/rows', { headers: { authorization: `Bearer ${token}` } }));
    // bodies nobody reads: each read stays open after its first rows
    const held = await Promise.all(Array.from({ length: STREAMS_PER_USER }, () => read(tokens.fin)));
    try {
      expect(held.map((r) => r.status)).toEqual(held.map(() => 200));
      const busy = await read(tokens.fin);
      expect(busy.status).toBe(503);
      expect(busy.headers.get('retry-after')).toBe('1');
      expect(((await busy.json()) as ErrorBody).error).toMatchObject({ code: 'unavailable', message: expect.stringContaining(`${STREAMS_PER_USER} model reads streaming already`) });
      const other = await read(tokens.ana);
      expect(other.status).toBe(200);
      await other.body!.cancel();
      // a read that ends gives its place back
      await held.pop()!.body!.cancel();
      const again = await read(tokens.fin);
      expect(again.status).toBe(200);
      expect(((await again.json()) as Page).rows.length).toBeGreaterThan(0);
    } finally {
      for (const r of held) await r.body!.cancel();
    }
  });

  it('survives a client that abandons a stream, and concurrent reads and writes', async () => {
    const controller = new AbortController();
    const res = await fetch(`${server.url}/api/v1/models/account_forecast/rows`, { headers: { authorization: `Bearer ${tokens.fin}` }, signal: controller.signal });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    await reader.read().catch(() => undefined);
    const calls = Array.from({ length: 12 }, (_, i) =>
      i % 3 === 0
        ? api<Written>('POST', '/api/v1/inputs/revenue_forecast/rows', { token: tokens.bob, body: { rows: [{ account_id: AMER, quarter: `2029-Q${(i % 4) + 1}`, amount: `${i}.00` }] } })
        : i % 3 === 1
          ? api<Page>('GET', '/api/v1/inputs/revenue_forecast/rows?limit=50', { token: tokens.ana })
          : api<Page>('GET', '/api/v1/models/account_forecast/rows?limit=50', { token: tokens.bob }),
    );
    const answers = await Promise.all(calls);
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
  });

  it('publishes a snapshot that another process reads while the server holds the file', async () => {
    const res = await api<Written>('POST', '/api/v1/inputs/revenue_forecast/rows', { token: tokens.ana, body: { rows: [{ account_id: EMEA, quarter: '2026-Q1', amount: '777.77' }] } });
    expect(res.status).toBe(200);
    const acknowledged = Date.now();
    const child = join(import.meta.dirname, 'read-snapshot-child.ts');
    const sql = `select amount from planning.account_forecast where id = '${EMEA}' and quarter = '2026-Q1'`;
    const { stdout } = await run(process.execPath, [...builtArgv(child), server.snapshot!.status().path, sql, '777.77', '400']);
    const seen = JSON.parse(stdout) as { seen: boolean; tables: string[] };
    expect(seen.seen).toBe(true);
    expect(seen.tables).not.toContain('_wb_tokens');
    expect(seen.tables).not.toContain('_wb_idempotency');
    console.log(`demo snapshot: visible to another process ${Date.now() - acknowledged} ms after the acknowledgement (incl. process start); one copy took ${server.snapshot!.status().lastDurationMs} ms`);
  });

  it('publishes the snapshot after a scenario is created or archived (no write needed)', async () => {
    const child = join(import.meta.dirname, 'read-snapshot-child.ts');
    const created = await api('POST', '/api/v1/scenarios', { token: tokens.fin, body: { name: 'bi_sees_me' } });
    expect(created.status).toBe(201);
    const sql = "select count(*) from writeback._wb_scenarios where name = 'bi_sees_me' and archived_at is not null";
    const before = JSON.parse((await run(process.execPath, [...builtArgv(child), server.snapshot!.status().path, "select count(*) from writeback._wb_scenarios where name = 'bi_sees_me'", '1', '400'])).stdout) as { seen: boolean };
    expect(before.seen).toBe(true);
    expect((await api('POST', '/api/v1/scenarios/bi_sees_me/archive', { token: tokens.fin, body: {} })).status).toBe(200);
    const after = JSON.parse((await run(process.execPath, [...builtArgv(child), server.snapshot!.status().path, sql, '1', '400'])).stdout) as { seen: boolean };
    expect(after.seen).toBe(true);
  });

  it('lets the CLI go through the server: discovery file, admin write, history, verify', async () => {
    const file = join(dir, 'target', 'server.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const running = findRunningServer(dir)!;
    expect(running).toMatchObject({ pid: process.pid, port: server.port, url: server.url });
    const written = await adminRequest(running, 'POST', 'inputs/account_category/rows', { user: 'cli-user', rows: [{ account_id: AMER, category: 'growth', reason: 'checked' }] });
    expect(written.status).toBe(200);
    const history = await adminRequest(running, 'GET', `inputs/account_category/history?key.account_id=${AMER}`);
    expect((history.body as { entries: { user: string }[] }).entries.map((e) => e.user)).toEqual(['cli-user']);
    const verify = await adminRequest(running, 'POST', 'verify');
    expect(verify.body).toMatchObject({ ok: true, problems: [] });
    const listed = await adminRequest(running, 'GET', 'tokens');
    expect((listed.body as { tokens: { user: string }[] }).tokens.map((t) => t.user)).toContain('ana');
    const noApply = await adminRequest(running, 'POST', 'apply', {});
    expect(noApply.status).toBe(404);
    const wrong = await call(server.url, 'GET', '/api/v1/admin/tokens', { token: tokens.fin });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('unauthorized');
  });

  it('dev-user mode signs every request in without a token', async () => {
    const dev = createServer(wb, { devUser: { user: 'dev', role: 'planner', attributes: { region: 'EMEA' } }, logger: silentLogger });
    const res = await dev.fetch(new Request('http://local/api/v1/inputs/revenue_forecast/rows'));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Page;
    expect(body.rows.length).toBeGreaterThan(0);
    expect(body.rows.some((r) => r.account_id === AMER)).toBe(false);
    const admin = createServer(wb, { devUser: { user: 'root' }, logger: silentLogger });
    const all = (await (await admin.fetch(new Request('http://local/api/v1/inputs'))).json()) as { inputs: { permissions: { delete: boolean } }[] };
    expect(all.inputs.every((t) => t.permissions.delete)).toBe(true);
  });

  it('refuses a port that is in use with a clear message', async () => {
    await expect(startServer(wb, { port: server.port, discovery: false, snapshot: false, closeLibrary: false, logger })).rejects.toThrow(/already in use/);
    expect(findRunningServer(dir)?.port).toBe(server.port);
  });

  it('maps an unexpected failure to 500 internal without leaking it, and logs it', async () => {
    const broken = {
      project: wb.project,
      tokens: wb.tokens,
      sessions: wb.sessions,
      users: wb.users,
      verify: wb.verify.bind(wb),
      reload: wb.reload.bind(wb),
      quiesce: wb.quiesce.bind(wb),
      close: async () => {},
      models: wb.models,
      sources: wb.sources,
      deploy: wb.deploy,
      targetName: wb.targetName,
      publishSnapshots: wb.publishSnapshots.bind(wb),
      inputs: { ...wb.inputs, rows: async () => { throw new Error('boom in /secret/path'); } },
    };
    const app = createServer(broken, { devUser: { user: 'dev' }, logger });
    const res = await app.fetch(new Request('http://local/api/v1/inputs/revenue_forecast/rows'));
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'internal' } });
    expect(text).not.toContain('secret');
    expect(errors.some((e) => e.includes('boom in /secret/path'))).toBe(true);
  });
});
