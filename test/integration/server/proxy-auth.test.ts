import { createServer as createHttpServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportSPKI, type JSONWebKeySet, SignJWT } from 'jose';
import { openProject } from '../../../src/library/open-project.js';
import type { Writeback } from '../../../src/library/writeback.js';
import { silentLogger } from '../../../src/server/logger.js';
import { startServer, type RunningHttpServer, type StartServerOptions } from '../../../src/server/start-server.js';
import { appliedDemoProject, tokenFor } from './demo-project.js';
import { call, type CallOptions, type ErrorBody } from './http-client.js';
import { ANA, AUDIENCE, HEADER, ISSUER, jwks, type Key, newKey, now, addProxyAuth, sign, withProxy } from './proxy-assertions.js';

type Row = Record<string, string | number | boolean | null>;
type Me = { user: string; role: string | null; attributes: Record<string, string> };

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('behind an authenticating proxy: only a signed assertion from the proxy signs a person in', () => {
  let dir: string;
  let wb: Writeback;
  let keyA: Key;
  let stranger: Key;
  let keyC: Key;
  let served: JSONWebKeySet;
  let keyServer: Server;
  let keysUrl: string;
  let keyFetches = 0;
  let viaUrl: RunningHttpServer;
  let viaFile: RunningHttpServer;
  const servers: RunningHttpServer[] = [];
  const proxyWith = (change: Parameters<typeof withProxy>[1]) => withProxy(wb.project.targets.dev?.auth, change);
  const start = async (options: Partial<StartServerOptions>) => {
    const s = await startServer(wb, { port: 0, logger: silentLogger, snapshot: false, discovery: false, closeLibrary: false, checkSync: false, ...options });
    servers.push(s);
    return s;
  };
  const api = <T = ErrorBody>(server: RunningHttpServer, method: string, path: string, assertion: string | undefined, opts: CallOptions = {}) =>
    call<T>(server.url, method, path, { ...opts, headers: { ...(assertion !== undefined ? { [HEADER]: assertion } : {}), ...(opts.headers ?? {}) } });
  /** A 401 naming `reason` whose body never repeats the assertion. */
  async function refused(server: RunningHttpServer, assertion: string | undefined, reason: string, message: RegExp, headers: Record<string, string> = {}) {
    const res = await api(server, 'GET', '/api/v1/me', assertion, { headers });
    expect(res.status, res.text).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
    expect(res.body.error.message).toMatch(message);
    expect(res.body.error.details).toEqual([{ reason, message: expect.stringContaining('sign in through the authenticating proxy') }]);
    if (assertion) for (const part of assertion.split('.').filter((p) => p.length > 8)) expect(res.text).not.toContain(part);
    return res.body.error;
  }

  /** The headers a browser's state-changing request carries: the CSRF cookie `GET /api/v1/me` set, and its token. */
  async function csrfOf(server: RunningHttpServer, assertion: string): Promise<Record<string, string>> {
    const me = await api<{ csrf_token: string }>(server, 'GET', '/api/v1/me', assertion);
    expect(me.status, me.text).toBe(200);
    const cookie = me.headers.getSetCookie().find((c) => c.startsWith('__Host-writeback_csrf='));
    expect(cookie).toMatch(/^__Host-writeback_csrf=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    expect(cookie).toContain(me.body.csrf_token);
    return { cookie: cookie!.split(';')[0]!, 'x-csrf-token': me.body.csrf_token };
  }

  beforeAll(async () => {
    [keyA, stranger, keyC] = await Promise.all([newKey('RS256', 'key-a'), newKey('RS256', 'key-stranger'), newKey('ES256', 'key-c')]);
    served = jwks(keyA);
    keyServer = createHttpServer((req, res) => {
      keyFetches += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(served));
    });
    await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
    keysUrl = `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}/certs`;
    // project.yml: targets.dev.auth.proxy with jwks_url: "{{ env('WB_TEST_PROXY_JWKS_URL') }}", resolved when the server starts
    process.env.WB_TEST_PROXY_JWKS_URL = keysUrl;
    dir = await appliedDemoProject((d) => {
      addProxyAuth(d, { jwks_url: "{{ env('WB_TEST_PROXY_JWKS_URL') }}" });
      writeFileSync(join(d, 'proxy.jwks.json'), JSON.stringify(jwks(keyA)));
    });
    wb = await openProject(dir);
    // the served target's auth comes from project.yml; cooldown 0: a key the cached set lacks fetches the set again at once (the rotation case)
    viaUrl = await start({ proxyKeys: { cooldownMs: 0 } });
    viaFile = await start({ auth: proxyWith({ jwks: { file: 'proxy.jwks.json' } }) });
  });
  afterAll(async () => {
    delete process.env.WB_TEST_PROXY_JWKS_URL;
    for (const s of servers) await s.close();
    await wb?.close();
    await new Promise((resolve) => keyServer?.close(resolve));
  });

  it('signs Ana in from a valid assertion (keys from the JWKS URL and from the jwks_file): her stable id, role and region come from the claims', async () => {
    for (const server of [viaUrl, viaFile]) {
      const res = await api<Me>(server, 'GET', '/api/v1/me', await sign(keyA));
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ user: `${ISSUER}#ana-123`, role: 'planner', attributes: { region: 'EMEA' }, name: 'Ana Lopez', email: 'ana@acme.test', sign_out: null });
    }
    // the second audience of the list is accepted too
    const other = await api<Me>(viaUrl, 'GET', '/api/v1/me', await sign(keyA, ANA, { aud: AUDIENCE[1] }));
    expect(other.status, other.text).toBe(200);
  });

  it('refuses every assertion that is not valid, naming why, without echoing it', async () => {
    for (const server of [viaUrl, viaFile]) {
      await refused(server, undefined, 'missing', /^the identity assertion header 'x-goog-iap-jwt-assertion' is missing$/);
      await refused(server, await sign(keyA, ANA, { iat: now() - 7200, exp: now() - 3600 }), 'expired', /^the identity assertion has expired \(at \d{4}-.*Z\)$/);
      await refused(server, await sign(keyA, ANA, { nbf: now() + 3600 }), 'not_yet_valid', /^the identity assertion is not valid yet \(from .*Z\)$/);
      await refused(server, await sign(keyA, ANA, { aud: 'some-other-app' }), 'wrong_audience', /is meant for another audience \(accepted: \/projects\/1\/global\/backendServices\/2, writeback-test\)$/);
      await refused(server, await sign(keyA, ANA, { iss: 'https://evil.example' }), 'wrong_issuer', /was issued by 'https:\/\/evil.example', not https:\/\/proxy.example.test$/);
      await refused(server, await sign(stranger), 'unknown_key', /signed with a key the proxy's key set does not hold \(kid 'key-stranger'\)$/);
      // a stranger's signature under key A's id
      await refused(server, await sign({ ...stranger, kid: 'key-a' }), 'bad_signature', /signature does not verify$/);
      await refused(server, await sign(keyA, ANA, { iat: undefined }), 'missing_claim', /lacks the claim 'iat'$/);
      await refused(server, await sign(keyA, ANA, { exp: undefined }), 'missing_claim', /lacks the claim 'exp'$/);
      await refused(server, await sign(keyA, { ...ANA, sub: undefined }), 'missing_claim', /lacks the claim 'sub'$/);
      await refused(server, await sign(keyA, ANA, { iat: now() + 3600 }), 'not_yet_valid', /issued in the future/);
      await refused(server, 'not-a-jwt', 'malformed', /is not a well-formed signed JWT$/);
      // alg none: an unsigned token with Ana's claims
      const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...ANA, iss: ISSUER, aud: AUDIENCE[0], iat: now(), exp: now() + 600 })}.`;
      await refused(server, unsigned, 'algorithm', /signed with 'none' that is not accepted \(accepted: RS256, ES256\)$/);
      // the classic confusion: HS256 keyed with the public key's bytes (which anyone can fetch)
      const pem = await exportSPKI(keyA.publicKey);
      const confused = await new SignJWT({ ...ANA, iss: ISSUER, aud: AUDIENCE[0], iat: now(), exp: now() + 600 })
        .setProtectedHeader({ alg: 'HS256', kid: 'key-a' })
        .sign(new TextEncoder().encode(pem));
      await refused(server, confused, 'algorithm', /signed with 'HS256' that is not accepted/);
      const confusedJwk = await new SignJWT({ ...ANA, iss: ISSUER, aud: AUDIENCE[0], iat: now(), exp: now() + 600 })
        .setProtectedHeader({ alg: 'HS256', kid: 'key-a' })
        .sign(new TextEncoder().encode(JSON.stringify(keyA.publicJwk)));
      await refused(server, confusedJwk, 'algorithm', /signed with 'HS256' that is not accepted/);
    }
  });

  it('refuses a browser POST without its CSRF token or from another origin; the token is the cookie, so every server instance takes it', async () => {
    const ana = await sign(keyA);
    const csrf = await csrfOf(viaUrl, ana);
    const body = { rows: [{ account_id: 'acc_034', quarter: '2027-Q1', amount: '1.00' }] };
    const missing = await api(viaUrl, 'POST', '/api/v1/inputs/revenue_forecast/rows', ana, { body, headers: { cookie: csrf.cookie! } });
    expect(missing.status, missing.text).toBe(403);
    expect(missing.body.error.details[0]).toMatchObject({ csrf: true });
    const wrong = await api(viaUrl, 'POST', '/api/v1/inputs/revenue_forecast/rows', ana, { body, headers: { ...csrf, 'x-csrf-token': 'A'.repeat(43) } });
    expect(wrong.status, wrong.text).toBe(403);
    const noCookie = await api(viaUrl, 'POST', '/api/v1/inputs/revenue_forecast/rows', ana, { body, headers: { 'x-csrf-token': csrf['x-csrf-token']! } });
    expect(noCookie.status, noCookie.text).toBe(403);
    const foreign = await api(viaUrl, 'POST', '/api/v1/inputs/revenue_forecast/rows', ana, { body, headers: { ...csrf, origin: 'https://evil.example' } });
    expect(foreign.status, foreign.text).toBe(403);
    expect(foreign.body.error.message).toMatch(/cross-site request refused/);
    const crossSite = await api(viaUrl, 'POST', '/api/v1/inputs/revenue_forecast/rows', ana, { body, headers: { ...csrf, 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status, crossSite.text).toBe(403);
    const rows = await api<{ rows: Row[] }>(viaUrl, 'GET', '/api/v1/inputs/revenue_forecast/rows?filter.account_id=acc_034&filter.quarter=2027-Q1', ana);
    expect(rows.body.rows).toEqual([]);
    // another server instance (its own process state) takes the same browser's token
    const elsewhere = await api(viaFile, 'POST', '/api/v1/inputs/revenue_forecast/rows', ana, { body, headers: csrf });
    expect(elsewhere.status, elsewhere.text).toBe(200);
  });

  it('never takes a bare identity header: X-User, X-Forwarded-User, X-Forwarded-Email alone are 401, and beside a valid assertion they change nothing', async () => {
    const bare = { 'x-user': 'fin', 'x-forwarded-user': 'fin', 'x-forwarded-email': 'fin@acme.test', 'x-auth-request-user': 'fin', 'x-goog-authenticated-user-email': 'accounts.google.com:fin@acme.test' };
    for (const [name, value] of Object.entries(bare)) await refused(viaUrl, undefined, 'missing', /is missing$/, { [name]: value });
    const res = await api<Me>(viaUrl, 'GET', '/api/v1/me', await sign(keyA), { headers: bare });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ user: `${ISSUER}#ana-123`, role: 'planner', attributes: { region: 'EMEA' } });
  });

  it("applies the claims' role and region to reads and writes: Ana sees and writes only EMEA rows, recorded under her stable id", async () => {
    const ana = await sign(keyA);
    const csrf = await csrfOf(viaUrl, ana);
    const read = await api<{ rows: Row[] }>(viaUrl, 'GET', '/api/v1/inputs/revenue_forecast/context', ana);
    expect(read.status, read.text).toBe(200);
    expect(read.body.rows.length).toBeGreaterThan(0);
    expect(new Set(read.body.rows.map((r) => r.region))).toEqual(new Set(['EMEA']));
    const emeaAccount = String(read.body.rows[0]!.id);

    const written = await api<{ entries: { key: Row; op: string }[] }>(viaUrl, 'POST', '/api/v1/inputs/revenue_forecast/rows', ana, {
      body: { rows: [{ account_id: emeaAccount, quarter: '2026-Q4', amount: '125000.00' }], comment: 'via the proxy' },
      headers: csrf,
    });
    expect(written.status, written.text).toBe(200);
    expect(written.body.entries).toEqual([expect.objectContaining({ key: { account_id: emeaAccount, quarter: '2026-Q4' }, op: 'upsert' })]);
    const history = await api<{ entries: { user: string; comment: string }[] }>(viaUrl, 'GET', `/api/v1/inputs/revenue_forecast/history?key.account_id=${emeaAccount}`, ana);
    expect(history.status, history.text).toBe(200);
    expect(history.body.entries[0]).toMatchObject({ user: `${ISSUER}#ana-123`, comment: 'via the proxy' });

    // acc_001 is AMER: outside her row filter, unwritable
    const amer = await api(viaUrl, 'POST', '/api/v1/inputs/revenue_forecast/rows', ana, {
      body: { rows: [{ account_id: 'acc_001', quarter: '2026-Q4', amount: '1.00' }] },
      headers: csrf,
    });
    expect(amer.status, amer.text).toBe(422);
    expect(amer.body.error.details).toEqual([{ row: 0, column: 'account_id', message: "account_id 'acc_001' is not a row of crm.accounts that you may write" }]);
    const rows = await api<{ rows: Row[] }>(viaUrl, 'GET', '/api/v1/inputs/revenue_forecast/rows?filter.account_id=acc_001', ana);
    expect(rows.status, rows.text).toBe(200);
    expect(rows.body.rows).toEqual([]);

    // finance (from the same groups claim, mapped first) sees every region
    const fin = await sign(keyA, { sub: 'fin-9', groups: ['planners', 'fpa'] });
    const finMe = await api<Me>(viaUrl, 'GET', '/api/v1/me', fin);
    expect(finMe.body).toMatchObject({ user: `${ISSUER}#fin-9`, role: 'finance', attributes: {} });
    const all = await api<{ rows: Row[] }>(viaUrl, 'GET', '/api/v1/inputs/revenue_forecast/context', fin);
    expect(new Set(all.body.rows.map((r) => r.region)).size).toBeGreaterThan(1);
  });

  it('a person without a role, or a planner without a region, is 403 naming what is missing', async () => {
    const noRole = await api(viaUrl, 'GET', '/api/v1/me', await sign(keyA, { sub: 'eve-1', email: 'eve@acme.test', groups: ['staff'] }));
    expect(noRole.status, noRole.text).toBe(403);
    expect(noRole.body.error.code).toBe('forbidden');
    expect(noRole.body.error).toEqual({
      code: 'forbidden',
      message: `You have no role in this planning project: the claim 'groups' held "staff", and none of it gives a role.`,
      details: [
        { message: 'You are signed in as <eve@acme.test> (subject "eve-1", issuer https://proxy.example.test).', no_role: 'no_role' },
        { message: `A role comes from the claim 'groups' holding one of: "fpa" gives the role finance; "planners" gives the role planner.` },
        { message: 'Ask your administrator to give you one of these in the identity provider, or to map yours in project.yml (auth.claims.role).' },
      ],
    });

    const noRegion = await api(viaUrl, 'GET', '/api/v1/inputs', await sign(keyA, { sub: 'pat-2', groups: ['planners'] }));
    expect(noRegion.status, noRegion.text).toBe(403);
    expect(noRegion.body.error.message).toBe(
      "Your role planner needs the attribute 'region' (the row filter of account_category, revenue_forecast), and your identity provider did not send the claim 'region'.",
    );
    expect(noRegion.body.error.details).toEqual([
      { message: 'You are signed in as (subject "pat-2", issuer https://proxy.example.test).', no_role: 'missing_attribute' },
      { message: 'Without it you would see no rows of account_category, revenue_forecast.' },
      { message: "Ask your administrator to set 'region' for you in the identity provider (project.yml: auth.claims.attributes.region)." },
    ]);
  });

  it('an API token still signs a script in (it wins over the proxy), and a bad token is not passed on to the proxy check', async () => {
    const token = await tokenFor(wb, 'etl', 'finance');
    const res = await api<Me>(viaUrl, 'GET', '/api/v1/me', undefined, { token });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ user: 'etl', role: 'finance' });
    const bad = await api(viaUrl, 'GET', '/api/v1/me', await sign(keyA), { token: 'wb_000000000000_not-a-real-token-at-all-xxxxxxxxxxxxxxxxxxxxxx' });
    expect(bad.status).toBe(401);
    expect(bad.body.error).toEqual({ code: 'unauthorized', message: 'invalid or revoked token', details: [] });
  });

  it("with the assertion in Authorization (oauth2-proxy's pass_authorization_header), a JWT is the assertion and an API token stays a token", async () => {
    const server = await start({ auth: proxyWith({ jwks: { file: 'proxy.jwks.json' }, header: 'authorization' }) });
    const ana = await call<Me>(server.url, 'GET', '/api/v1/me', { token: await sign(keyA) });
    expect(ana.status, ana.text).toBe(200);
    expect(ana.body).toMatchObject({ user: `${ISSUER}#ana-123`, role: 'planner', attributes: { region: 'EMEA' } });
    const script = await call<Me>(server.url, 'GET', '/api/v1/me', { token: await tokenFor(wb, 'etl2', 'finance') });
    expect(script.body).toMatchObject({ user: 'etl2', role: 'finance' });
    const expired = await call(server.url, 'GET', '/api/v1/me', { token: await sign(keyA, ANA, { iat: now() - 7200, exp: now() - 3600 }) });
    expect(expired.status).toBe(401);
    expect(expired.body.error).toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/^the identity assertion has expired/), details: [expect.objectContaining({ reason: 'expired' })] });
    const none = await call(server.url, 'GET', '/api/v1/me');
    expect(none.body.error.message).toBe("the identity assertion header 'authorization' is missing");
  });

  it('the page shell loads without an assertion; the API behind it answers 401', async () => {
    const page = await fetch(`${viaUrl.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    await refused(viaUrl, undefined, 'missing', /is missing$/);
  });

  it('follows a key rotation: once the key set gains a new key and drops the old one, the new key signs in and the old is refused', async () => {
    const before = await sign(keyA);
    expect((await api(viaUrl, 'GET', '/api/v1/me', before)).status).toBe(200);
    served = jwks(keyC);
    // the new key's id is not in the cached set: the set is fetched again
    const res = await api<Me>(viaUrl, 'GET', '/api/v1/me', await sign(keyC));
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ user: `${ISSUER}#ana-123`, role: 'planner' });
    await refused(viaUrl, before, 'unknown_key', /does not hold \(kid 'key-a'\)$/);
    await refused(viaUrl, await sign(keyA), 'unknown_key', /does not hold \(kid 'key-a'\)$/);
  });

  it("forged key ids do not make the server hammer the proxy's key endpoint: one fetch, then the cooldown", async () => {
    const server = await start({});
    const before = keyFetches;
    for (let i = 0; i < 5; i += 1) await refused(server, await sign({ ...stranger, kid: `forged-${i}` }), 'unknown_key', /does not hold \(kid 'forged-\d'\)$/);
    expect(keyFetches - before).toBe(1);
  });

  it('a key endpoint that cannot be reached is 503 naming it (retry later), not a crash', async () => {
    const dead = createHttpServer();
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(dead.address() as AddressInfo).port}/certs`;
    await new Promise((resolve) => dead.close(resolve));
    const down = await start({ auth: proxyWith({ jwks: { url: deadUrl } }) });
    const res = await api(down, 'GET', '/api/v1/me', await sign(keyA));
    expect(res.status, res.text).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.body.error).toEqual({
      code: 'unavailable',
      message: expect.stringMatching(new RegExp(`^the proxy's signing keys could not be fetched from ${deadUrl.replace(/[.]/g, '\\.')}: .+; retry in a moment$`)),
      details: [],
    });
    // the server keeps answering
    expect((await fetch(`${down.url}/healthz`)).status).toBe(200);
  });

  it("the served target's auth is resolved when the server starts: an unset variable stops it, naming the setting, target and variable", async () => {
    const url = process.env.WB_TEST_PROXY_JWKS_URL;
    delete process.env.WB_TEST_PROXY_JWKS_URL;
    try {
      await expect(start({})).rejects.toThrow("target 'dev': setting 'auth.proxy.jwks_url' reads the environment variable WB_TEST_PROXY_JWKS_URL, which is not set");
    } finally {
      process.env.WB_TEST_PROXY_JWKS_URL = url;
    }
  });

  it('a jwks_file that cannot be used stops the start with the file and the reason', async () => {
    const cases: [string, string, RegExp][] = [
      ['missing.json', '', /proxy\.jwks\.missing\.json: cannot be read \(ENOENT\)$/],
      ['notjson.json', '{keys', /: is not JSON/],
      ['empty.json', '{"keys": []}', /: holds no key$/],
      ['private.json', JSON.stringify({ keys: [{ ...keyA.publicJwk, d: 'AAAA' }] }), /: keys\[0\] holds a private key \("d"\): give only the public keys$/],
      ['secret.json', JSON.stringify({ keys: [{ kty: 'oct', k: 'c2VjcmV0' }] }), /: keys\[0\] is a shared secret/],
      ['shape.json', '[1, 2]', /is not a JSON Web Key Set: expected \{"keys": \[ … \]\}$/],
    ];
    for (const [name, text, message] of cases) {
      const file = `proxy.jwks.${name}`;
      if (name !== 'missing.json') writeFileSync(join(dir, file), text);
      await expect(start({ auth: proxyWith({ jwks: { file } }) })).rejects.toThrow(message);
    }
  });
});
