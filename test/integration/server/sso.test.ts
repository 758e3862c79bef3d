import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openProject } from '../../../src/library/open-project.js';
import type { Writeback } from '../../../src/library/writeback.js';
import { startServer, type RunningHttpServer } from '../../../src/server/start-server.js';
import { silentLogger } from '../../../src/server/logger.js';
import { CookieClient, loginAtProvider } from '../../helpers/cookie-client.js';
import { TEST_CLIENT, freePort, startOidcProvider, testAuthConfig, type TestOidcProvider } from '../../helpers/oidc-provider.js';
import { appliedDemoProject } from './demo-project.js';
import { OpenApiChecker, type ApiDocument } from './openapi-check.js';

const F = '/api/v1/inputs/revenue_forecast';

/**
 * OpenID Connect sign-in at the HTTP level against a real OpenID provider (oidc-provider, in this
 * process): every answer of /auth/login, /auth/callback and /auth/logout, the cookies' flags, the
 * refusals of a wrong state, a replayed code and a return path on another origin, CSRF on every
 * POST of a session, and every answer checked against the served OpenAPI document.
 */
describe('OpenID Connect sign-in over HTTP, against oidc-provider', () => {
  let wb: Writeback;
  let idp: TestOidcProvider;
  let server: RunningHttpServer;
  let url: string;
  let checker: OpenApiChecker;

  /** Sign in as `login` from a fresh client; the client holds the session cookie afterwards. */
  async function signedIn(login: string, returnTo = '/forms/revenue_forecast'): Promise<{ client: CookieClient; callback: string; landed: Response | { status: number; headers: Headers } }> {
    const client = new CookieClient();
    const start = await client.request(`${url}/auth/login?return_to=${encodeURIComponent(returnTo)}`);
    expect(start.status).toBe(302);
    const callback = await loginAtProvider(client, start.headers.get('location')!, login, `${url}/auth/callback`);
    const landed = await client.request(callback);
    return { client, callback, landed };
  }

  async function me(client: CookieClient): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await client.request(`${url}/api/v1/me`);
    return { status: res.status, body: JSON.parse(res.text) as Record<string, unknown> };
  }

  beforeAll(async () => {
    const dir = await appliedDemoProject();
    wb = await openProject(dir);
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    idp = await startOidcProvider({ redirectUris: [`${url}/auth/callback`], postLogoutRedirectUris: [`${url}/`] });
    server = await startServer(wb, { port, logger: silentLogger, snapshot: false, discovery: false, auth: testAuthConfig(idp.issuer, url) });
    checker = new OpenApiChecker((await (await fetch(`${url}/api/v1/openapi.json`)).json()) as ApiDocument);
  });

  afterAll(async () => {
    await server?.close();
    await idp?.close();
  });

  it('signs a planner in: login cookie, provider, callback, session cookie with its flags, /me with name, e-mail, role and region from the claims', async () => {
    const client = new CookieClient();
    const start = await client.request(`${url}/auth/login?return_to=%2Fforms%2Frevenue_forecast`);
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.origin).toBe(idp.issuer);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${url}/auth/callback`);
    const loginCookie = start.headers.getSetCookie().find((c) => c.startsWith('writeback_login='))!;
    expect(loginCookie).toMatch(/HttpOnly/);
    expect(loginCookie).toMatch(/SameSite=Lax/);
    expect(loginCookie).toMatch(/Path=\//);
    expect(loginCookie).toMatch(/Max-Age=600/);
    expect(loginCookie).not.toContain(authorize.searchParams.get('code_challenge')!); // the verifier, not the challenge, and only inside the HttpOnly cookie

    const callback = await loginAtProvider(client, authorize.href, 'ana', `${url}/auth/callback`);
    const landed = await client.request(callback);
    expect(landed.status).toBe(302);
    expect(landed.headers.get('location')).toBe('/forms/revenue_forecast');
    const session = landed.headers.getSetCookie().find((c) => c.startsWith('writeback_session='))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);
    expect(session).toMatch(/Path=\//);
    expect(session).toMatch(/Max-Age=3600/);
    expect(session).not.toMatch(/Secure/); // http on loopback; https gives __Host-writeback_session; Secure
    const who = await me(client);
    expect(who.status).toBe(200);
    expect(who.body).toMatchObject({
      user: `${idp.issuer}#ana`,
      role: 'planner',
      attributes: { region: 'EMEA' },
      name: 'Ana Lopez',
      email: 'ana@acme.test',
      sign_out: '/auth/logout',
      dev_user: false,
    });
    expect(who.body.csrf_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('a session writes with its CSRF token; without it, with a wrong one, or from another origin it is refused and nothing is written', async () => {
    const { client } = await signedIn('ana');
    const csrf = String((await me(client)).body.csrf_token);
    const row = { account_id: 'acc_022', quarter: '2027-Q1', amount: '10.00' };
    const post = (headers: Record<string, string>, body: unknown = { rows: [row] }) =>
      client.request(`${url}${F}/rows`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

    const none = await post({});
    expect(none.status).toBe(403);
    expect(JSON.parse(none.text)).toMatchObject({ error: { code: 'forbidden', message: expect.stringContaining('missing or wrong CSRF token'), details: [{ csrf: true }] } });
    expect((await post({ 'x-csrf-token': `${csrf.slice(0, -1)}${csrf.endsWith('A') ? 'B' : 'A'}` })).status).toBe(403); // one character off
    const crossSite = await post({ 'x-csrf-token': csrf, origin: 'http://evil.test' });
    expect(crossSite.status).toBe(403);
    expect(JSON.parse(crossSite.text).error.message).toContain('cross-site request refused');
    expect((await post({ 'x-csrf-token': csrf, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await post({ 'x-csrf-token': csrf, origin: 'null' })).status).toBe(403);
    expect((await post({ 'x-csrf-token': csrf, 'sec-fetch-site': 'same-site', origin: url })).status).toBe(403); // another port of 127.0.0.1
    expect((await post({ 'x-csrf-token': csrf, 'sec-fetch-site': 'none' })).status).toBe(403);
    const read = await client.request(`${F.replace('/api', `${url}/api`)}/rows?filter.quarter=2027-Q1`);
    expect(JSON.parse(read.text).rows).toEqual([]);

    const ok = await post({ 'x-csrf-token': csrf, origin: url });
    expect(ok.status).toBe(200);
    // a form post of the pages themselves: Referrer-Policy no-referrer makes the browser send Origin: null
    expect((await post({ 'x-csrf-token': csrf, 'sec-fetch-site': 'same-origin', origin: 'null' }, { rows: [{ ...row, amount: '11.00', _version: 1 }] })).status).toBe(200);
    const history = await client.request(`${url}${F}/history?key.account_id=acc_022&key.quarter=2027-Q1`);
    expect(JSON.parse(history.text).entries[0]).toMatchObject({ user: `${idp.issuer}#ana` });
  });

  it("the region from the claims is the row filter: another region's row is invisible and unwritable", async () => {
    const { client } = await signedIn('ana');
    const csrf = String((await me(client)).body.csrf_token);
    const rows = JSON.parse((await client.request(`${url}/api/v1/inputs/revenue_forecast/context?limit=500`)).text) as { rows: Record<string, unknown>[] };
    expect(rows.rows.length).toBeGreaterThan(0);
    expect(rows.rows.map((r) => r.account_id)).not.toContain('acc_001'); // AMER
    const write = await client.request(`${url}${F}/rows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify({ rows: [{ account_id: 'acc_001', quarter: '2027-Q1', amount: '1.00' }] }),
    });
    expect(write.status).toBe(422);
  });

  it('signing in again replaces the session: the previous cookie no longer signs in', async () => {
    const { client } = await signedIn('ana');
    const host = new URL(url).host;
    const first = client.cookie(host, 'writeback_session')!;
    const again = await client.request(`${url}/auth/login`);
    const landed = await client.request(await loginAtProvider(client, again.headers.get('location')!, 'ana', `${url}/auth/callback`));
    expect(landed.status).toBe(302);
    expect(client.cookie(host, 'writeback_session')).not.toBe(first);
    expect((await me(client)).status).toBe(200);
    expect((await fetch(`${url}/api/v1/me`, { headers: { cookie: `writeback_session=${first}` } })).status).toBe(401);
  });

  it('the next person to sign in on a shared browser never lands in the last one\'s session, even without a role', async () => {
    const { client: ana } = await signedIn('ana');
    const host = new URL(url).host;
    const anaSession = ana.cookie(host, 'writeback_session')!;
    // the same browser, its provider session gone (Ana signed out there), Mallory signs in: no role
    const browser = new CookieClient();
    browser.setCookie(host, 'writeback_session', anaSession);
    const start = await browser.request(`${url}/auth/login`);
    const refused = await browser.request(await loginAtProvider(browser, start.headers.get('location')!, 'mallory', `${url}/auth/callback`));
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('You have no role here');
    expect(browser.cookie(host, 'writeback_session')).toBeUndefined();
    expect((await me(browser)).status).toBe(401);
    expect((await fetch(`${url}/api/v1/me`, { headers: { cookie: `writeback_session=${anaSession}` } })).status).toBe(401);
    // the page's sign-out (a same-origin form post without a session) still goes on to the provider
    const out = await browser.request(`${url}/auth/logout`, { method: 'POST', headers: { 'sec-fetch-site': 'same-origin' } });
    expect(out.status).toBe(303);
    expect(new URL(out.headers.get('location')!).origin).toBe(idp.issuer);
  });

  it('never sends the browser to another host after sign-in, whatever return_to normalizes to', async () => {
    for (const bad of ['/.//evil.test/x', '/..//evil.test', '/%2e//evil.test/x', '/a/..//evil.test']) {
      const res = await fetch(`${url}/auth/login?return_to=${encodeURIComponent(bad)}`, { redirect: 'manual' });
      expect(res.status, bad).toBe(400);
    }
  });

  it('a session creates a personal token only soon after signing in: a copied cookie cannot mint a long-lived token', async () => {
    const { client } = await signedIn('ana');
    const csrf = String((await me(client)).body.csrf_token);
    const create = (name: string) =>
      client.request(`${url}/api/v1/me/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf, 'sec-fetch-site': 'same-origin' }, body: JSON.stringify({ name, expires_in_days: 7 }) });
    const fresh = await create('fresh');
    expect(fresh.status, fresh.text).toBe(201);
    expect(JSON.parse(fresh.text)).toMatchObject({ info: { user: `${idp.issuer}#ana`, role: 'planner', attributes: { region: 'EMEA' } } });
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 16 * 60 * 1000);
      const stale = await create('stale');
      expect(stale.status, stale.text).toBe(403);
      expect(JSON.parse(stale.text)).toMatchObject({ error: { code: 'forbidden', message: expect.stringContaining('sign in again to create a token'), details: [{ sign_in: '/auth/login?return_to=%2Ftokens' }] } });
      expect((await me(client)).status).toBe(200); // the session itself goes on
    } finally {
      vi.useRealTimers();
    }
  });

  it('a bearer token wins over the cookie and needs no CSRF token', async () => {
    const { client } = await signedIn('ana');
    const created = await wb.tokens.create({ user: 'script', role: 'finance' });
    if (!created.ok) throw new Error(created.error.message);
    const res = await client.request(`${url}/api/v1/me`, { headers: { authorization: `Bearer ${created.token}` } });
    expect(JSON.parse(res.text)).toMatchObject({ user: 'script', role: 'finance', csrf_token: null, sign_out: null, name: null });
    const post = await client.request(`${url}${F}/rows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${created.token}`, origin: 'http://evil.test' },
      body: JSON.stringify({ rows: [{ account_id: 'acc_001', quarter: '2027-Q2', amount: '1.00' }] }),
    });
    expect(post.status).toBe(200);
  });

  it('not signed in: 401 naming where to sign in', async () => {
    const res = await fetch(`${url}/api/v1/me`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthorized', details: [{ sign_in: '/auth/login' }] } });
    const forged = await fetch(`${url}/api/v1/me`, { headers: { cookie: 'writeback_session=wbs_' + 'A'.repeat(43) } });
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { error: { message: string } }).error.message).toContain('sign in again');
  });

  it('refuses a return_to on another origin, a callback with a wrong state, without the login cookie, and a replayed code', async () => {
    for (const bad of ['https://evil.test/x', '//evil.test/x', '/\\evil.test', 'javascript:alert(1)', 'forms/x']) {
      const res = await fetch(`${url}/auth/login?return_to=${encodeURIComponent(bad)}`, { redirect: 'manual' });
      expect(res.status, bad).toBe(400);
      expect(res.headers.get('location')).toBeNull();
    }

    const client = new CookieClient();
    const start = await client.request(`${url}/auth/login`);
    const callback = await loginAtProvider(client, start.headers.get('location')!, 'ana', `${url}/auth/callback`);
    const wrong = new URL(callback);
    wrong.searchParams.set('state', 'not-the-state');
    const loginCookie = client.cookie(new URL(url).host, 'writeback_login')!;
    const wrongState = await client.request(wrong.href);
    expect(wrongState.status).toBe(400);
    expect(wrongState.headers.get('content-type')).toContain('text/html');
    expect(wrongState.text).toContain('Sign-in did not complete');
    expect(wrongState.headers.getSetCookie().some((c) => c.startsWith('writeback_session='))).toBe(false);

    const noCookie = await fetch(callback, { redirect: 'manual' });
    expect(noCookie.status).toBe(400);
    expect(await noCookie.text()).toContain('did not start on this server');

    client.setCookie(new URL(url).host, 'writeback_login', loginCookie);
    const first = await client.request(callback);
    expect(first.status).toBe(302);
    client.setCookie(new URL(url).host, 'writeback_login', loginCookie);
    const replay = await new CookieClient().request(callback, { headers: { cookie: `writeback_login=${loginCookie}` } });
    expect(replay.status).toBe(400);
    expect(replay.text).toContain('Sign-in did not complete');
    expect(replay.headers.getSetCookie().some((c) => c.startsWith('writeback_session='))).toBe(false);
  });

  it('a user whose claims give no role, or no region, gets a 403 page naming what is missing, and no session', async () => {
    for (const [login, expected] of [
      ['mallory', 'groups'],
      ['nora', 'region'],
    ] as const) {
      const { landed } = await signedIn(login);
      expect(landed.status, login).toBe(403);
      const page = (landed as { text?: string }).text ?? '';
      expect(page, login).toContain(expected);
      expect(landed.headers.get('content-type')).toContain('text/html');
      expect(landed.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(landed.headers.getSetCookie().some((c) => c.startsWith('writeback_session='))).toBe(false);
      expect(page).toContain('action="/auth/logout"');
    }
    // what the provider sent is shown as text, never as markup
    const { landed } = await signedIn('eve');
    const page = (landed as { text?: string }).text ?? '';
    expect(landed.status).toBe(403);
    expect(page).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<img');
  });

  it("sign-out needs the CSRF token, revokes the session, clears the cookie, and goes to the provider's end-session", async () => {
    const { client } = await signedIn('fin');
    const csrf = String((await me(client)).body.csrf_token);
    const form = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
      client.request(`${url}/auth/logout`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields).toString() });
    const secret = client.cookie(new URL(url).host, 'writeback_session')!;
    expect((await form({})).status).toBe(403);
    expect((await form({ csrf_token: csrf }, { origin: 'http://evil.test' })).status).toBe(403);
    expect((await me(client)).status).toBe(200);
    const out = await form({ csrf_token: csrf }, { origin: url });
    expect(out.status).toBe(303);
    const end = new URL(out.headers.get('location')!);
    expect(end.origin).toBe(idp.issuer);
    expect(end.searchParams.get('client_id')).toBe('writeback');
    expect(end.searchParams.get('post_logout_redirect_uri')).toBe(`${url}/`);
    expect(out.headers.getSetCookie().find((c) => c.startsWith('writeback_session='))).toMatch(/Max-Age=0/);
    const stale = await fetch(`${url}/api/v1/me`, { headers: { cookie: `writeback_session=${secret}` } });
    expect(stale.status).toBe(401);
    // without a session, another site cannot send the browser on to sign out of the provider; the pages can
    const post = (headers: Record<string, string>) => fetch(`${url}/auth/logout`, { method: 'POST', redirect: 'manual', headers });
    expect((await post({ 'sec-fetch-site': 'cross-site' })).headers.get('location')).toBe('/');
    expect((await post({ origin: 'http://evil.test' })).headers.get('location')).toBe('/');
    expect(new URL((await post({ 'sec-fetch-site': 'same-origin' })).headers.get('location')!).origin).toBe(idp.issuer);
  });

  it('sessions that ended a month ago are deleted (what the server does when it starts)', async () => {
    const ended = await wb.sessions.create({ identity: { issuer: idp.issuer, subject: 'old' }, user: `${idp.issuer}#old`, role: 'finance', attributes: {}, lifetimeSeconds: 60 });
    const live = await wb.sessions.create({ identity: { issuer: idp.issuer, subject: 'live' }, user: `${idp.issuer}#live`, role: 'finance', attributes: {}, lifetimeSeconds: 90 * 86_400 });
    const count = async (hash: string) => {
      const r = await wb.query(`select count(*) as n from writeback._wb_sessions where session_hash = '${hash}'`);
      if (!r.ok) throw new Error(r.error.message);
      return r.rows[0]?.n;
    };
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 31 * 86_400_000);
      await wb.sessions.purgeEnded();
    } finally {
      vi.useRealTimers();
    }
    expect(Number(await count(ended.session.sessionId))).toBe(0);
    expect(Number(await count(live.session.sessionId))).toBe(1);
  });

  it('a session ends at its lifetime and after its idle timeout', async () => {
    const { client } = await signedIn('ana');
    const secret = client.cookie(new URL(url).host, 'writeback_session')!;
    const short = await wb.sessions.create({ identity: { issuer: idp.issuer, subject: 'ana' }, user: `${idp.issuer}#ana`, role: 'planner', attributes: { region: 'EMEA' }, lifetimeSeconds: 1 });
    expect(await wb.sessions.authenticate(secret, 1800)).not.toBeNull();
    expect(await wb.sessions.authenticate(short.secret, 1800)).not.toBeNull();
    await new Promise((r) => setTimeout(r, 1100));
    expect(await wb.sessions.authenticate(secret, 1)).toBeNull(); // idle longer than 1 s
    expect(await wb.sessions.authenticate(secret, 1800)).not.toBeNull();
    expect(await wb.sessions.authenticate(short.secret, 1800)).toBeNull(); // past its lifetime
    const expired = await fetch(`${url}/api/v1/me`, { headers: { cookie: `writeback_session=${short.secret}` } });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ error: { code: 'unauthorized', details: [{ sign_in: '/auth/login' }] } });
  });

  it('every answer above matches the OpenAPI document', async () => {
    for (const path of ['/auth/login', '/auth/login?return_to=https://evil.test', '/auth/callback', '/auth/callback?state=x&code=y']) {
      const res = await checker.call(url, 'GET', path, {});
      expect([302, 400]).toContain(res.status);
    }
    expect((await checker.call(url, 'POST', '/auth/logout', {})).status).toBe(303);
    expect(checker.problems).toEqual([]);
  });
});

describe('OpenID Connect sign-in configured in project.yml', () => {
  it("signs people in as the target the library is connected to says, and never together with a dev user", async () => {
    const dir = await appliedDemoProject();
    const options = { port: 0, logger: silentLogger, snapshot: false as const, discovery: false, closeLibrary: false, checkSync: false };
    // the demo's `sso` target (same warehouse file) has auth.oidc
    const sso = await openProject(dir, { target: 'sso' });
    try {
      await expect(startServer(sso, { ...options, devUser: { user: 'anyone', role: 'finance' } })).rejects.toThrow(/--dev-user cannot be used with target 'sso'/);
      const served = await startServer(sso, { ...options, targetName: 'dev' });
      try {
        const res = await fetch(`${served.url}/api/v1/me`);
        expect(res.status).toBe(401);
        expect(await res.json()).toMatchObject({ error: { details: [{ sign_in: '/auth/login' }] } });
      } finally {
        await served.close();
      }
    } finally {
      await sso.close();
    }
    const dev = await openProject(dir);
    try {
      await expect(startServer(dev, { ...options, devUser: { user: 'anyone' }, auth: testAuthConfig('http://127.0.0.1:1', 'http://127.0.0.1:2') })).rejects.toThrow(/dev user cannot be served together with sign-in/);
    } finally {
      await dev.close();
    }
  });

  it("serves the target's auth: with the client secret from the environment, and refuses to start when the variable is unset", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const idp = await startOidcProvider({ redirectUris: [`${url}/auth/callback`], postLogoutRedirectUris: [`${url}/`] });
    const dir = await appliedDemoProject((d) => {
      const file = join(d, 'project.yml');
      const auth = [
        '  dev:',
        '    type: duckdb',
        '    path: target/warehouse.duckdb',
        '    auth:',
        '      oidc:',
        `        issuer: ${idp.issuer}`,
        `        client_id: ${TEST_CLIENT.id}`,
        `        client_secret: "{{ env('WB_TEST_OIDC_SECRET') }}"`,
        `        redirect_url: ${url}/auth/callback`,
        '        scopes: [openid, profile, email, groups]',
        '      claims:',
        '        role:',
        '          claim: groups',
        '          map:',
        '            planning-admins: finance',
        '            planners: planner',
        '        attributes:',
        '          region: region',
        '      session: { lifetime: 2h, idle_timeout: 20m }',
      ].join('\n');
      writeFileSync(file, readFileSync(file, 'utf8').replace('  dev: { type: duckdb, path: target/warehouse.duckdb }', auth));
    });
    const wb = await openProject(dir);
    const options = { port, logger: silentLogger, snapshot: false as const, discovery: false, closeLibrary: false };
    try {
      delete process.env.WB_TEST_OIDC_SECRET;
      await expect(startServer(wb, options)).rejects.toThrow(/WB_TEST_OIDC_SECRET/);
      process.env.WB_TEST_OIDC_SECRET = TEST_CLIENT.secret;
      const server = await startServer(wb, options);
      try {
        const client = new CookieClient();
        const start = await client.request(`${url}/auth/login`);
        const callback = await loginAtProvider(client, start.headers.get('location')!, 'fin', `${url}/auth/callback`);
        const landed = await client.request(callback);
        expect(landed.status).toBe(302);
        expect(landed.headers.getSetCookie().find((c) => c.startsWith('writeback_session='))).toMatch(/Max-Age=7200/);
        const me = JSON.parse((await client.request(`${url}/api/v1/me`)).text) as Record<string, unknown>;
        expect(me).toMatchObject({ user: `${idp.issuer}#fin`, role: 'finance', name: 'Finn Berg' });
      } finally {
        await server.close();
      }
    } finally {
      delete process.env.WB_TEST_OIDC_SECRET;
      await wb.close();
      await idp.close();
    }
  });
});

describe('OpenID Connect sign-in behind a TLS proxy (https redirect URL)', () => {
  it('uses __Host- cookies with Secure, and accepts POSTs from the public https origin only', async () => {
    const publicUrl = 'https://writeback.test';
    const idp = await startOidcProvider({ redirectUris: [`${publicUrl}/auth/callback`], postLogoutRedirectUris: [`${publicUrl}/`] });
    const wb = await openProject(await appliedDemoProject());
    const server = await startServer(wb, { port: 0, logger: silentLogger, snapshot: false, discovery: false, auth: testAuthConfig(idp.issuer, publicUrl) });
    try {
      const client = new CookieClient();
      const host = new URL(server.url).host;
      const start = await client.request(`${server.url}/auth/login?return_to=/forms/revenue_forecast`);
      expect(start.headers.getSetCookie().find((c) => c.startsWith('__Host-writeback_login='))).toMatch(/; Secure/);
      // the proxy would send the provider's redirect to this server: replay its query on the server's own address
      const callback = new URL(await loginAtProvider(client, start.headers.get('location')!, 'ana', `${publicUrl}/auth/callback`));
      const landed = await client.request(`${server.url}/auth/callback${callback.search}`);
      expect(landed.status).toBe(302);
      const session = landed.headers.getSetCookie().find((c) => c.startsWith('__Host-writeback_session='))!;
      expect(session).toMatch(/; Secure/);
      expect(session).toMatch(/; HttpOnly/);
      expect(session).toMatch(/; Path=\//);
      expect(session).not.toMatch(/Domain=/i);
      const me = JSON.parse((await client.request(`${server.url}/api/v1/me`)).text) as { csrf_token: string; user: string };
      expect(me.user).toBe(`${idp.issuer}#ana`);
      expect(client.cookie(host, 'writeback_session')).toBeUndefined();
      const post = (origin: string) =>
        client.request(`${server.url}/api/v1/inputs/revenue_forecast/rows`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrf_token, origin },
          body: JSON.stringify({ rows: [{ account_id: 'acc_022', quarter: '2028-Q1', amount: '1.00' }], dry_run: true }),
        });
      expect((await post(publicUrl)).status).toBe(200);
      expect((await post('https://evil.test')).status).toBe(403);
      expect((await post('http://writeback.test.evil.test')).status).toBe(403);
    } finally {
      await server.close();
      await idp.close();
    }
  });
});
