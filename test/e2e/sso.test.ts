import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../../src/library/open-project.js';
import type { Writeback } from '../../src/library/writeback.js';
import { startServer, type RunningHttpServer } from '../../src/server/start-server.js';
import { silentLogger } from '../../src/server/logger.js';
import { freePort, startOidcProvider, testAuthConfig, type TestOidcProvider } from '../helpers/oidc-provider.js';
import { call } from '../integration/server/http-client.js';
import { tokenFor } from '../integration/server/demo-project.js';
import { auditAtWidths } from './axe.js';
import { chromiumMissing, openBrowser, shot, type Browser } from './browser.js';
import { appliedDemo } from './form-server.js';
import { addAndSaveRow, editCell, formLoaded, rowWith } from './form-steps.js';

const missing = chromiumMissing();
if (missing) console.warn(`skipping the browser tests: ${missing}`);

const F = '/api/v1/inputs/revenue_forecast';

/** Fill the provider's own login form (oidc-provider's built-in one: any password). */
async function loginAtProvider(page: Page, login: string): Promise<void> {
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
}

/**
 * Single sign-on in real Chromium against a real OpenID provider (oidc-provider on 127.0.0.1):
 * the form sends the planner to the provider's login form and back, the role and region from
 * the claims govern what she reads and writes, a forged cross-site POST and a POST without the
 * CSRF header are refused, an expired session keeps unsaved edits, sign-out ends the provider's
 * session too, and a user without a role gets a page saying what is missing.
 */
describe.skipIf(missing !== undefined)('single sign-on in headless Chromium, against oidc-provider', () => {
  let wb: Writeback;
  let idp: TestOidcProvider;
  let server: RunningHttpServer;
  let short: RunningHttpServer; // same warehouse, sessions of a few seconds
  let evil: Server; // another origin (same site: 127.0.0.1 on another port) that forges POSTs
  let evilUrl: string;
  let fin: string;
  let a: Browser;

  beforeAll(async () => {
    const dir = await appliedDemo(false, false);
    wb = await openProject(dir);
    fin = await tokenFor(wb, 'fin', 'finance');
    const [port, shortPort] = [await freePort(), await freePort()];
    const url = `http://127.0.0.1:${port}`;
    const shortUrl = `http://127.0.0.1:${shortPort}`;
    idp = await startOidcProvider({ redirectUris: [`${url}/auth/callback`, `${shortUrl}/auth/callback`], postLogoutRedirectUris: [`${url}/`, `${shortUrl}/`] });
    const common = { logger: silentLogger, snapshot: false as const, discovery: false, closeLibrary: false };
    server = await startServer(wb, { ...common, port, auth: testAuthConfig(idp.issuer, url) });
    short = await startServer(wb, { ...common, port: shortPort, auth: testAuthConfig(idp.issuer, shortUrl, { lifetimeSeconds: 6 }) });
    evil = createServer((req, res) => {
      const target = `${url}${F}/rows`;
      const body = JSON.stringify({ rows: [{ account_id: 'acc_022', quarter: '2031-Q1', amount: '666.00' }] });
      // a form post (top-level navigation, carries the Lax cookie: same site) and a no-cors fetch with the cookie
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>Win a prize</title>
<form id="f" method="post" action="${target}" enctype="text/plain"><input type="hidden" name='${body.slice(0, -2)}' value='"}'><button>Claim</button></form>
<script>fetch(${JSON.stringify(target)}, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body: ${JSON.stringify(body)} }).finally(() => { document.title = 'sent'; });</script>`);
    });
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
    evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
    a = await openBrowser();
  });

  afterAll(async () => {
    await a?.close();
    evil?.close();
    await short?.close();
    await server?.close();
    await idp?.close();
    await wb?.close();
  });

  it("signs in through the provider's login form and shows the name, e-mail, role and region from the claims", async () => {
    // fin (finance) writes an AMER row first: ana, a planner in EMEA, must never see it
    expect((await call(server.url, 'POST', `${F}/rows`, { token: fin, body: { rows: [{ account_id: 'acc_001', quarter: '2026-Q4', amount: '5000.00' }] } })).status).toBe(200);
    const { page } = a;
    await page.goto(`${server.url}/forms/revenue_forecast`);
    await page.waitForURL((u) => u.origin === idp.issuer);
    await shot(page, 'sso-01-provider-login');
    await loginAtProvider(page, 'ana');
    await page.waitForURL(`${server.url}/forms/revenue_forecast`);
    await page.locator('#who .user').waitFor();
    expect(await page.locator('#who .user').textContent()).toBe('Ana Lopez · ana@acme.test');
    expect(await page.locator('#who .user').getAttribute('title')).toBe(`${idp.issuer}#ana`);
    expect(await page.locator('#who .role').textContent()).toBe('planner · region=EMEA');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByRole('link', { name: 'Access tokens' }).waitFor();
    // the session is an HttpOnly cookie: nothing in storage, nothing readable by script
    expect(await page.evaluate<number>('sessionStorage.length + localStorage.length')).toBe(0);
    expect(await page.evaluate<string>('document.cookie')).toBe('');
    const cookie = (await a.context.cookies(server.url)).find((c) => c.name === 'writeback_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    await formLoaded(page);
    await shot(page, 'sso-02-signed-in');
    expect(await page.content()).not.toContain('acc_001');
    expect(await auditAtWidths(page, 'signed in with SSO (header with name, e-mail, sign-out form)')).toEqual([]);
  });

  it("writes in her region with the claims' region; another region's row is invisible and unwritable; history shows her stable id", async () => {
    const { page } = a;
    await addAndSaveRow(page, { account_id: 'acc_022', quarter: '2026-Q4', amount: '125000' });

    // writing acc_001 (AMER) from her own page, with the CSRF token the page uses: refused as a key she cannot name
    const refused = await page.evaluate(async (rows) => {
      const me = (await (await fetch('/api/v1/me')).json()) as { csrf_token: string };
      const res = await fetch('/api/v1/inputs/revenue_forecast/rows', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrf_token }, body: JSON.stringify({ rows }) });
      return { status: res.status, body: await res.json() };
    }, [{ account_id: 'acc_001', quarter: '2026-Q4', amount: '1.00' }]);
    expect(refused.status).toBe(422);
    const amer = await call<{ rows: { amount: string }[] }>(server.url, 'GET', `${F}/rows?filter.account_id=acc_001`, { token: fin });
    expect(amer.body.rows.map((r) => r.amount)).toEqual(['5000.00']);

    await rowWith(page, 'acc_022', '2026-Q4').getByRole('button', { name: /History of/ }).click();
    const drawer = page.getByRole('dialog', { name: 'History of acc_022 · 2026-Q4' });
    await drawer.locator('li.entry').first().waitFor();
    // the users directory's name and e-mail (recorded at sign-in), the stable id under them
    const entry = drawer.locator('li.entry').first();
    expect(await entry.locator('.user').textContent()).toBe('Ana Lopez');
    expect(await entry.locator('.user-email').textContent()).toBe('· ana@acme.test');
    expect(await entry.locator('.user-id').textContent()).toBe(`${idp.issuer}#ana`);
    await shot(page, 'sso-03-history');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
  });

  it('refuses a POST without the CSRF header, and POSTs forged by a page of another origin', async () => {
    const { page } = a;
    const noHeader = await page.evaluate(async () => {
      const res = await fetch('/api/v1/inputs/revenue_forecast/rows', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rows: [{ account_id: 'acc_022', quarter: '2031-Q2', amount: '1.00' }] }) });
      return { status: res.status, body: (await res.json()) as { error: { message: string } } };
    });
    expect(noHeader.status).toBe(403);
    expect(noHeader.body.error.message).toContain('missing or wrong CSRF token');

    const forged = await a.context.newPage();
    const statuses: number[] = [];
    forged.on('response', (r) => {
      if (r.url().endsWith(`${F}/rows`)) statuses.push(r.status());
    });
    await forged.goto(evilUrl);
    await forged.waitForFunction("document.title === 'sent'");
    await forged.getByRole('button', { name: 'Claim' }).click();
    await forged.waitForURL(`${server.url}${F}/rows`);
    expect(await forged.content()).toContain('cross-site request refused');
    expect(statuses).toEqual([403, 403]);
    await forged.close();
    const written = await call<{ rows: unknown[] }>(server.url, 'GET', `${F}/rows?filter.quarter=2031-Q1`, { token: fin });
    expect(written.body.rows).toEqual([]);
    expect(a.errors).toEqual([]);
  });

  it("a user whose groups give no role sees a page naming what is missing, with the provider's sign-out", async () => {
    const b = await openBrowser();
    try {
      await b.page.goto(`${server.url}/`);
      await b.page.waitForURL((u) => u.origin === idp.issuer);
      await loginAtProvider(b.page, 'mallory');
      await b.page.getByRole('heading', { name: 'You have no role here' }).waitFor();
      const text = (await b.page.locator('main').textContent()) ?? '';
      expect(text).toContain('groups');
      expect(text).toContain('marketing');
      await b.page.getByRole('button', { name: 'Sign out of the identity provider' }).waitFor();
      await b.page.getByRole('link', { name: 'Try again' }).waitFor();
      await shot(b.page, 'sso-04-no-role');
      expect(await auditAtWidths(b.page, 'no-role page')).toEqual([]);
      expect((await b.context.cookies(server.url)).some((c) => c.name === 'writeback_session')).toBe(false);
    } finally {
      await b.close();
    }
  });

  it('an expired session keeps the unsaved edit, offers signing in again in a new tab, and saves after it', async () => {
    const b = await openBrowser();
    try {
      const { page } = b;
      await page.goto(`${short.url}/forms/revenue_forecast`);
      await page.waitForURL((u) => u.origin === idp.issuer);
      await loginAtProvider(page, 'ana');
      await page.waitForURL(`${short.url}/forms/revenue_forecast`);
      await formLoaded(page);
      const row = rowWith(page, 'acc_022', '2026-Q4');
      await editCell(page, row, 'amount', '130000');
      // the session lasts 6 s: wait until the server no longer knows it
      const secret = (await b.context.cookies(short.url)).find((c) => c.name === 'writeback_session')!.value;
      await expect.poll(async () => (await fetch(`${short.url}/api/v1/me`, { headers: { cookie: `writeback_session=${secret}` } })).status, { timeout: 20_000, interval: 500 }).toBe(401);
      await page.getByRole('button', { name: 'Save 1 row' }).click();
      const notice = page.locator('#session-expired');
      await notice.waitFor();
      expect(await notice.textContent()).toContain('Your session expired — sign in again (your unsaved changes stay on this page until you leave it)');
      expect(await row.locator('td[data-col="amount"]').getAttribute('class')).toContain('dirty');
      expect(await row.locator('td[data-col="amount"]').textContent()).toBe('130,000.00');
      await shot(page, 'sso-05-session-expired');
      expect(await auditAtWidths(page, 'session-expired notice')).toEqual([]);
      const [tab] = await Promise.all([b.context.waitForEvent('page'), notice.getByRole('link', { name: 'Sign in again in a new tab' }).click()]);
      // the provider still knows her: it sends the new tab straight back, signed in
      await tab.waitForURL(`${short.url}/forms/revenue_forecast`);
      await tab.locator('#who .user').waitFor();
      await tab.close();
      await page.getByRole('button', { name: 'Save 1 row' }).click();
      await page.locator('#save-status', { hasText: 'Saved 1 row' }).waitFor();
      await notice.waitFor({ state: 'detached' });
      expect(await rowWith(page, 'acc_022', '2026-Q4').locator('td[data-col="amount"]').textContent()).toBe('130,000.00');
      expect(b.errors).toEqual([]);
    } finally {
      await b.close();
    }
  });

  it("signs out: the session ends, the provider's end-session signs out there too, and the next visit asks for the login again", async () => {
    const { page } = a;
    await page.goto(`${server.url}/forms/revenue_forecast`);
    await page.locator('#who .user').waitFor();
    const secret = (await a.context.cookies(server.url)).find((c) => c.name === 'writeback_session')!.value;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((u) => u.origin === idp.issuer);
    await shot(page, 'sso-06-provider-sign-out');
    // oidc-provider asks to confirm signing out of the provider itself
    await page.locator('button[autofocus], button[type="submit"]').first().click();
    // back at writeback's index, signed out: the page sends the browser to sign in, and the provider asks for a login again
    await page.waitForURL((u) => u.origin === idp.issuer && !u.pathname.includes('session/end'));
    await page.locator('input[name="login"]').waitFor();
    expect((await a.context.cookies(server.url)).some((c) => c.name === 'writeback_session')).toBe(false);
    expect((await fetch(`${server.url}/api/v1/me`, { headers: { cookie: `writeback_session=${secret}` } })).status).toBe(401);
  });
});
