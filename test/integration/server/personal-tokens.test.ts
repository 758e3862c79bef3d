import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { loadProject } from '../../../src/project/load-project.js';
import { openProject } from '../../../src/library/open-project.js';
import type { Writeback } from '../../../src/library/writeback.js';
import { startServer, type RunningHttpServer } from '../../../src/server/start-server.js';
import type { ServerLogger } from '../../../src/server/logger.js';
import { appliedDemoProject, tokenFor } from './demo-project.js';
import { call, type ErrorBody } from './http-client.js';
import { runCli } from '../../helpers/cli.js';

interface TokenInfo {
  tokenId: string;
  user: string;
  role: string;
  attributes: Record<string, string>;
  kind: string;
  name: string | null;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
interface Created {
  token: string;
  info: TokenInfo;
}
interface Listed {
  tokens: TokenInfo[];
  max_lifetime_days: number;
  can_create: boolean;
}

const DAY = 86_400_000;
const EMEA = 'acc_022';
const AMER = 'acc_001';

/** A logger that keeps every line, to read the request log. */
function recordingLogger(lines: Record<string, unknown>[]): ServerLogger {
  const keep = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push({ level, message, ...fields });
  return { info: keep('info'), warn: keep('warn'), error: keep('error') };
}

/**
 * Personal access tokens over HTTP: a person signed in (here with `--dev-user`, a planner of EMEA)
 * creates tokens for their scripts, with their own role and attributes, within the longest lifetime;
 * lists and revokes only their own; a token cannot create tokens; expired tokens answer 401; every
 * request a token signs in is logged with its id; `last_used_at` moves at most once a minute.
 */
describe('personal access tokens (/api/v1/me/tokens)', () => {
  let dir: string;
  let wb: Writeback;
  /** Token-only server. */
  let api: RunningHttpServer;
  /** Signed in as ana (planner, EMEA), as `--dev-user ana --role planner --attr region=EMEA`. */
  let ana: RunningHttpServer;
  /** Signed in as bob (planner, AMER). */
  let bob: RunningHttpServer;
  /** Signed in as an administrator without a role (`--dev-user demo`). */
  let admin: RunningHttpServer;
  const log: Record<string, unknown>[] = [];

  beforeAll(async () => {
    dir = await appliedDemoProject();
    wb = await openProject(dir);
    const common = { port: 0, snapshot: false as const, discovery: false, closeLibrary: false };
    api = await startServer(wb, { ...common, logger: recordingLogger(log) });
    const quiet = recordingLogger([]);
    ana = await startServer(wb, { ...common, logger: quiet, devUser: { user: 'ana', role: 'planner', attributes: { region: 'EMEA' } } });
    bob = await startServer(wb, { ...common, logger: quiet, devUser: { user: 'bob', role: 'planner', attributes: { region: 'AMER' } } });
    admin = await startServer(wb, { ...common, logger: quiet, devUser: { user: 'demo' } });
  });

  afterAll(async () => {
    for (const s of [api, ana, bob, admin]) await s?.close();
    await wb?.close();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  const create = (server: RunningHttpServer, body: unknown, token?: string) => call<Created & ErrorBody>(server.url, 'POST', '/api/v1/me/tokens', { body, ...(token ? { token } : {}) });
  const list = (server: RunningHttpServer, token?: string) => call<Listed & ErrorBody>(server.url, 'GET', '/api/v1/me/tokens', token ? { token } : {});
  const revoke = (server: RunningHttpServer, id: string, token?: string) =>
    call<{ info: TokenInfo } & ErrorBody>(server.url, 'POST', `/api/v1/me/tokens/${encodeURIComponent(id)}/revoke`, token ? { token } : {});

  it('a signed-in person creates a named token with their own role and attributes; the secret is shown once and signs in as them', async () => {
    const before = Date.now();
    const res = await create(ana, { name: 'nightly forecast import', expires_in_days: 30 });
    const after = Date.now();
    expect(res.status).toBe(201);
    expect(res.body.token).toMatch(/^wb_[0-9a-f]{12}_/);
    const info = res.body.info;
    expect(info).toMatchObject({ user: 'ana', role: 'planner', attributes: { region: 'EMEA' }, kind: 'personal', name: 'nightly forecast import', createdBy: 'ana', revokedAt: null, lastUsedAt: null });
    const expires = Date.parse(info.expiresAt ?? '');
    expect(expires).toBeGreaterThanOrEqual(before + 30 * DAY);
    expect(expires).toBeLessThanOrEqual(after + 30 * DAY);
    // the list never shows the secret
    const listed = await list(ana);
    expect(listed.status).toBe(200);
    expect(listed.body.max_lifetime_days).toBe(90);
    expect(listed.body.can_create).toBe(true);
    expect(listed.body.tokens.map((t) => t.tokenId)).toContain(info.tokenId);
    expect(listed.text).not.toContain(res.body.token);
    // the token signs in as ana, planner of EMEA, on a token-only server
    const me = await call<{ user: string; role: string; attributes: Record<string, string> }>(api.url, 'GET', '/api/v1/me', { token: res.body.token });
    expect(me.body).toMatchObject({ user: 'ana', role: 'planner', attributes: { region: 'EMEA' } });
    // and its row filter holds: an EMEA row is hers to write, an AMER row answers like a key that does not exist
    const rows = (account_id: string) => ({ token: res.body.token, body: { rows: [{ account_id, quarter: '2026-Q1', amount: '5.00' }] } });
    expect((await call(api.url, 'POST', '/api/v1/inputs/revenue_forecast/rows', rows(EMEA))).status).toBe(200);
    const amer = await call(api.url, 'POST', '/api/v1/inputs/revenue_forecast/rows', rows(AMER));
    const nowhere = await call(api.url, 'POST', '/api/v1/inputs/revenue_forecast/rows', rows('acc_999'));
    expect(amer.status).toBe(422);
    expect(amer.body.error.message.replace(AMER, 'K')).toBe(nowhere.body.error.message.replace('acc_999', 'K'));
  });

  it('the attributes are the creator’s at creation: a token keeps them', async () => {
    const res = await create(bob, { name: 'bob script' });
    expect(res.status).toBe(201);
    expect(res.body.info.attributes).toEqual({ region: 'AMER' });
    const me = await call<{ attributes: Record<string, string> }>(api.url, 'GET', '/api/v1/me', { token: res.body.token });
    expect(me.body.attributes).toEqual({ region: 'AMER' });
  });

  it('without an expiry a token lives the longest lifetime allowed (90 days by default)', async () => {
    const before = Date.now();
    const res = await create(ana, { name: 'default expiry' });
    expect(res.status).toBe(201);
    expect(Date.parse(res.body.info.expiresAt ?? '')).toBeGreaterThanOrEqual(before + 90 * DAY);
  });

  it('an expiry in the past, beyond the longest lifetime, malformed, or given twice is a 400 naming the limit; nothing is created', async () => {
    const count = async () => (await list(ana)).body.tokens.length;
    const n = await count();
    const beyond = await create(ana, { name: 'x', expires_in_days: 91 });
    expect(beyond.status).toBe(400);
    expect(beyond.body.error.message).toBe('expires_in_days 91 is beyond the longest lifetime of a personal token: 90 days (the default; set it with targets.<target>.auth.personal_tokens.max_lifetime)');
    expect(beyond.body.error.details).toEqual([{ column: 'expires_in_days', message: 'at most 90 days' }]);
    const far = new Date(Date.now() + 91 * DAY).toISOString();
    const farAt = await create(ana, { name: 'x', expires_at: far });
    expect(farAt.status).toBe(400);
    expect(farAt.body.error.message).toMatch(/^expires_at .* is beyond the longest lifetime of a personal token: 90 days \(the default; .*\), so .*Z at the latest$/);
    const past = await create(ana, { name: 'x', expires_at: '2020-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
    expect(past.body.error.message).toBe('expires_at 2020-01-01T00:00:00Z is in the past');
    const bad = await create(ana, { name: 'x', expires_at: 'next tuesday' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('expires_at "next tuesday" is not an ISO 8601 timestamp');
    const both = await create(ana, { name: 'x', expires_in_days: 1, expires_at: new Date(Date.now() + DAY).toISOString() });
    expect(both.status).toBe(400);
    expect(both.body.error.message).toBe('give expires_in_days or expires_at, not both');
    const zero = await create(ana, { name: 'x', expires_in_days: 0 });
    expect(zero.status).toBe(400);
    expect(zero.body.error.details[0]).toMatchObject({ column: 'expires_in_days' });
    const noName = await create(ana, { expires_in_days: 1 });
    expect(noName.status).toBe(400);
    expect(noName.body.error.details[0]).toMatchObject({ column: 'name' });
    const blank = await create(ana, { name: '   ' });
    expect(blank.status).toBe(400);
    expect(blank.body.error.message).toBe('a token needs a name: what script or service it is for');
    const unknown = await create(ana, { name: 'x', role: 'finance' });
    expect(unknown.status).toBe(400);
    expect(await count()).toBe(n);
    const at = new Date(Date.now() + 10 * DAY).toISOString();
    const ok = await create(ana, { name: 'until a date', expires_at: at });
    expect(ok.status).toBe(201);
    expect(ok.body.info.expiresAt).toBe(at);
  });

  it('the longest lifetime comes from personal_tokens.max_lifetime of the served target (project.yml)', async () => {
    const project = wb.project;
    const file = join(dir, 'project.yml');
    const original = readFileSync(file, 'utf8');
    const doc = parseDocument(original);
    doc.setIn(['targets', project.defaultTarget, 'auth'], doc.createNode({
      proxy: { header: 'x-assertion', issuer: 'https://idp.example.com', audience: 'writeback', jwks_url: 'https://idp.example.com/jwks.json' },
      claims: { role: { claim: 'groups' } },
      personal_tokens: { max_lifetime: '7d' },
    }));
    writeFileSync(file, doc.toString());
    const loaded = await loadProject(dir);
    writeFileSync(file, original);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
    // the servers of this test started before the target had `auth:` (with it, --dev-user is refused)
    await wb.reload(loaded.value);
    try {
      expect((await list(ana)).body.max_lifetime_days).toBe(7);
      const res = await create(ana, { name: 'x', expires_in_days: 8 });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(`expires_in_days 8 is beyond the longest lifetime of a personal token: 7 days (targets.${project.defaultTarget}.auth.personal_tokens.max_lifetime)`);
      const ok = await create(ana, { name: 'x', expires_in_days: 7 });
      expect(ok.status).toBe(201);
    } finally {
      await wb.reload(project);
    }
  });

  it('a request signed in with a token cannot create tokens (403), whoever it belongs to', async () => {
    const personal = (await create(ana, { name: 'script' })).body.token;
    const service = await tokenFor(wb, 'fin', 'finance');
    for (const token of [personal, service]) {
      const res = await create(api, { name: 'another' }, token);
      expect(res.status).toBe(403);
      expect(res.body.error).toEqual({ code: 'forbidden', message: 'a token cannot create tokens: sign in to the form (or use `writeback token create`)', details: [] });
      expect((await list(api, token)).body.can_create).toBe(false);
    }
    // an administrator without a role has no role to give a token
    const noRole = await create(admin, { name: 'admin script' });
    expect(noRole.status).toBe(403);
    expect(noRole.body.error.message).toMatch(/^a personal token carries its creator's role, and this user has none/);
    // without any credential: 401
    expect((await create(api, { name: 'anon' })).status).toBe(401);
  });

  it('each person lists and revokes only their own tokens; another person’s id answers exactly like an unknown one', async () => {
    const mine = (await create(ana, { name: 'to revoke' })).body;
    const bobs = (await list(bob)).body.tokens;
    expect(bobs.every((t) => t.user === 'bob')).toBe(true);
    expect(bobs.map((t) => t.tokenId)).not.toContain(mine.info.tokenId);
    // a service token of the same user name is not a personal token of hers
    const service = await wb.tokens.create({ user: 'ana', role: 'planner', attributes: { region: 'EMEA' } });
    if (!service.ok) throw new Error(service.error.message);
    expect((await list(ana)).body.tokens.map((t) => t.tokenId)).not.toContain(service.info.tokenId);

    const other = await revoke(bob, mine.info.tokenId);
    const unknown = await revoke(bob, '0123456789ab');
    expect(other.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(other.body.error.message.replace(mine.info.tokenId, 'ID')).toBe(unknown.body.error.message.replace('0123456789ab', 'ID'));
    expect(other.body.error).toEqual({ code: 'not_found', message: `no token with id '${mine.info.tokenId}'`, details: [] });
    expect((await revoke(ana, service.info.tokenId)).status).toBe(404);
    // still valid after bob's attempt
    expect((await call(api.url, 'GET', '/api/v1/me', { token: mine.token })).status).toBe(200);

    const done = await revoke(ana, mine.info.tokenId);
    expect(done.status).toBe(200);
    expect(done.body.info.tokenId).toBe(mine.info.tokenId);
    expect(done.body.info.revokedAt).not.toBeNull();
    expect((await list(ana)).body.tokens.map((t) => t.tokenId)).not.toContain(mine.info.tokenId);
    const refused = await call(api.url, 'GET', '/api/v1/me', { token: mine.token });
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toBe('invalid or revoked token');
    // revoking again answers the same revoked token
    expect((await revoke(ana, mine.info.tokenId)).status).toBe(200);
  });

  it('a script revokes its own token with it', async () => {
    const { token, info } = (await create(ana, { name: 'self-revoking' })).body;
    expect((await list(api, token)).body.tokens.map((t) => t.tokenId)).toContain(info.tokenId);
    expect((await revoke(api, info.tokenId, token)).status).toBe(200);
    expect((await call(api.url, 'GET', '/api/v1/me', { token })).status).toBe(401);
  });

  it('an expired token answers 401 "token expired"; last_used_at moves at most once a minute; every use is logged with the token id', async () => {
    const { token, info } = (await create(ana, { name: 'short', expires_in_days: 1 })).body;
    const start = Date.now();
    vi.useFakeTimers({ toFake: ['Date'], now: start });
    const me = () => call(api.url, 'GET', '/api/v1/me', { token });
    const lastUsed = async () => (await list(ana)).body.tokens.find((t) => t.tokenId === info.tokenId)?.lastUsedAt ?? null;

    log.length = 0;
    expect((await me()).status).toBe(200);
    const first = await lastUsed();
    expect(first).toBe(new Date(start).toISOString());
    expect(log.filter((l) => l.message === 'request')).toEqual([
      expect.objectContaining({ level: 'info', method: 'GET', path: '/api/v1/me', status: 200, user: 'ana', credential: 'token', token_id: info.tokenId }),
    ]);

    vi.setSystemTime(start + 59_000);
    expect((await me()).status).toBe(200);
    expect(await lastUsed()).toBe(first);
    vi.setSystemTime(start + 61_000);
    expect((await me()).status).toBe(200);
    expect(await lastUsed()).toBe(new Date(start + 61_000).toISOString());
    expect(log.filter((l) => l.message === 'request' && l.token_id === info.tokenId)).toHaveLength(3);

    vi.setSystemTime(Date.parse(info.expiresAt ?? '') + 1000);
    const expired = await me();
    expect(expired.status).toBe(401);
    expect(expired.body.error).toEqual({ code: 'unauthorized', message: 'token expired', details: [] });
    expect(log.filter((l) => l.message === 'sign-in refused').at(-1)).toEqual(
      expect.objectContaining({ level: 'warn', method: 'GET', path: '/api/v1/me', status: 401, token_id: info.tokenId }),
    );
    expect(JSON.stringify(log)).not.toContain(token);
    // still listed, with its expiry, so its owner sees why
    expect(await lastUsed()).toBe(new Date(start + 61_000).toISOString());
  });
});

describe('the writer’s name and e-mail in history (the users directory)', () => {
  let dir: string;
  let wb: Writeback;
  let api: RunningHttpServer;

  beforeAll(async () => {
    dir = await appliedDemoProject();
    wb = await openProject(dir);
    api = await startServer(wb, { port: 0, snapshot: false, discovery: false, closeLibrary: false, logger: recordingLogger([]) });
  });

  afterAll(async () => {
    await api?.close();
    await wb?.close();
  });

  it('history shows the name and e-mail of people who signed in, and only of entries the caller may see', async () => {
    const issuer = 'https://idp.example.com';
    const anaId = await wb.users.recordSignIn({ issuer, subject: 'u-ana', name: 'Ana Lopez', email: 'ana@acme.com' });
    const bobId = await wb.users.recordSignIn({ issuer, subject: 'u-bob', name: 'Bob Secret', email: 'bob@acme.com' });
    expect(anaId).toBe(`${issuer}#u-ana`);
    const w1 = await wb.inputs.write('revenue_forecast', [{ account_id: EMEA, quarter: '2026-Q1', amount: '10.00' }], { user: anaId, role: 'planner', attributes: { region: 'EMEA' } });
    const w2 = await wb.inputs.write('revenue_forecast', [{ account_id: AMER, quarter: '2026-Q1', amount: '20.00' }], { user: bobId, role: 'planner', attributes: { region: 'AMER' } });
    const w3 = await wb.inputs.write('revenue_forecast', [{ account_id: EMEA, quarter: '2026-Q2', amount: '30.00' }], { user: 'script-user', role: 'planner', attributes: { region: 'EMEA' } });
    expect([w1.ok, w2.ok, w3.ok]).toEqual([true, true, true]);

    const planner = await tokenFor(wb, 'ana-token', 'planner', { region: 'EMEA' });
    type History = { entries: { user: string; user_name: string | null; user_email: string | null }[] };
    const history = await call<History>(api.url, 'GET', '/api/v1/inputs/revenue_forecast/history', { token: planner });
    expect(history.status).toBe(200);
    expect(history.body.entries.map((e) => [e.user, e.user_name, e.user_email])).toEqual([
      [anaId, 'Ana Lopez', 'ana@acme.com'],
      ['script-user', null, null],
    ]);
    // bob's entry is outside her row filter: neither his id nor his name reaches her
    expect(history.text).not.toContain('Bob Secret');
    expect(history.text).not.toContain('bob@acme.com');
    const byUser = await call<History>(api.url, 'GET', `/api/v1/inputs/revenue_forecast/history?user=${encodeURIComponent(bobId)}`, { token: planner });
    expect(byUser.body.entries).toEqual([]);
    expect(byUser.text).not.toContain('Bob Secret');

    // a new name from the provider replaces the old one; the first sign-in stays
    const fin = await tokenFor(wb, 'fin', 'finance');
    await wb.users.recordSignIn({ issuer, subject: 'u-ana', name: 'Ana López-Díaz', email: 'ana.lopez@acme.com' });
    const renamed = await call<History>(api.url, 'GET', '/api/v1/inputs/revenue_forecast/history', { token: fin });
    expect(renamed.body.entries.map((e) => [e.user, e.user_name, e.user_email])).toEqual([
      [anaId, 'Ana López-Díaz', 'ana.lopez@acme.com'],
      [bobId, 'Bob Secret', 'bob@acme.com'],
      ['script-user', null, null],
    ]);
    const rows = await wb.query("select user_name, issuer, subject, first_seen_at < last_seen_at as later from writeback._wb_users order by user_name");
    if (!rows.ok) throw new Error(rows.error.message);
    expect(rows.rows).toEqual([
      { user_name: anaId, issuer, subject: 'u-ana', later: true },
      { user_name: bobId, issuer, subject: 'u-bob', later: false },
    ]);
  });
});

describe('a warehouse applied before personal tokens', () => {
  it('`writeback apply` adds the new token columns and the users directory; its tokens keep working as service tokens; `token list` shows kind, expiry and last use', async () => {
    const dir = await appliedDemoProject();
    let wb = await openProject(dir);
    const token = await tokenFor(wb, 'etl', 'finance');
    await wb.close();
    // take the warehouse back to the earlier shape: no kind/name/expires_at/last_used_at, no _wb_users
    const db = await DuckDBInstance.create(join(dir, 'target', 'warehouse.duckdb'));
    const conn = await db.connect();
    for (const c of ['kind', 'name', 'expires_at', 'last_used_at']) await conn.run(`alter table writeback._wb_tokens drop column ${c}`);
    await conn.run('drop table writeback._wb_users');
    conn.closeSync();
    db.closeSync();

    const plan = await runCli(['plan'], { cwd: dir });
    expect(plan.code).toBe(0);
    for (const c of ['kind', 'name', 'expires_at', 'last_used_at']) expect(plan.stdout).toContain(`add column ${c} to writeback._wb_tokens`);
    expect(plan.stdout).toContain('create table writeback._wb_users');
    const applied = await runCli(['apply'], { cwd: dir });
    expect(applied.code, applied.stderr).toBe(0);

    wb = await openProject(dir);
    try {
      expect(wb.deploy.drift.inSync).toBe(true);
      const server = await startServer(wb, { port: 0, snapshot: false, discovery: false, closeLibrary: false, logger: recordingLogger([]) });
      try {
        const me = await call<{ user: string; role: string }>(server.url, 'GET', '/api/v1/me', { token });
        expect(me.status).toBe(200);
        expect(me.body).toMatchObject({ user: 'etl', role: 'finance' });
      } finally {
        await server.close();
      }
    } finally {
      await wb.close();
    }
    const listed = await runCli(['token', 'list'], { cwd: dir });
    expect(listed.code, listed.stderr).toBe(0);
    const [header, row] = listed.stdout.trim().split('\n');
    expect(header!.split(/\s{2,}/)).toEqual(['id', 'kind', 'name', 'user', 'role', 'attributes', 'created', 'by', 'expires', 'last used', 'revoked']);
    expect(row).toMatch(/^[0-9a-f]{12}\s+service\s+etl\s+finance\s+\S+Z\s+etl\s+never\s+\S+Z/);
    const json = await runCli(['token', 'list', '--json'], { cwd: dir });
    const tokens = (JSON.parse(json.stdout) as { tokens: TokenInfo[] }).tokens;
    expect(tokens).toEqual([expect.objectContaining({ user: 'etl', kind: 'service', name: null, expiresAt: null })]);
    expect(tokens[0]!.lastUsedAt).not.toBeNull();

    const created = await runCli(['token', 'create', '--user', 'bi', '--role', 'viewer', '--name', 'dashboard refresh', '--expires-at', '2999-01-01T00:00:00Z', '--json'], { cwd: dir });
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout).info).toMatchObject({ kind: 'service', name: 'dashboard refresh', expiresAt: '2999-01-01T00:00:00.000Z' });
    const past = await runCli(['token', 'create', '--user', 'bi', '--role', 'viewer', '--expires-at', '2001-01-01T00:00:00Z'], { cwd: dir });
    expect(past.code).toBe(1);
    expect(past.stderr).toContain('the expiry 2001-01-01T00:00:00Z is not a time in the future');
  });
});
