import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../integration/server/http-client.js';
import { chromiumMissing, openBrowser, resizeViewport, shot, type Browser } from './browser.js';
import { startFormServer, type FormServer } from './form-server.js';
import { rowWith } from './form-steps.js';
import { auditAtWidths } from './axe.js';

const missing = chromiumMissing();
if (missing) console.warn(`skipping the browser tests: ${missing}`);

type Me = { user: string; role: string; attributes: Record<string, string> };
type Listed = { tokens: { tokenId: string; name: string; lastUsedAt: string | null }[] };

describe.skipIf(missing !== undefined)('the access tokens page (/tokens) in headless Chromium', () => {
  let s: FormServer;
  let b: Browser;
  let secret = '';

  beforeAll(async () => {
    // the dev server signs every page in as ana, a planner of EMEA (as `--dev-user ana --role planner --attr region=EMEA`)
    s = await startFormServer({ devUser: { user: 'ana', role: 'planner', attributes: { region: 'EMEA' } } });
    b = await openBrowser();
    // a ceiling for waits only (the machine is shared); no test asserts on time
    b.context.setDefaultTimeout(30_000);
    await b.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: s.dev.url });
  });
  afterAll(async () => {
    await b?.close();
    await s?.close();
  });

  it('is linked from the header; creates a named token with the keyboard and shows its secret once, with a warning and a copy button', async () => {
    const { page } = b;
    await page.goto(`${s.dev.url}/`);
    const link = page.locator('#who').getByRole('link', { name: 'Access tokens' });
    await link.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Your access tokens' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/tokens');
    expect(await page.getByText('You have no tokens.').isVisible()).toBe(true);
    expect(await page.getByLabel('Expires after').locator('option').allTextContents()).toEqual(['7 days', '30 days', '90 days']);

    // keyboard only: type the name, Tab to the expiry, choose 7 days, submit with Enter from the name field
    await page.getByLabel('Name').focus();
    await page.keyboard.type('nightly import');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.id')).toBe('token-expiry');
    await page.getByLabel('Expires after').selectOption('7');
    await page.getByLabel('Name').focus();
    await page.keyboard.press('Enter');

    const shown = page.locator('#token-secret');
    await shown.waitFor();
    secret = await shown.inputValue();
    expect(secret).toMatch(/^wb_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(await page.getByText('Copy it now: this is the only time it is shown.', { exact: false }).isVisible()).toBe(true);
    expect(await page.evaluate('document.activeElement?.id')).toBe('token-secret');
    await page.getByRole('button', { name: 'Copy token' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Copied.').waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(secret);
    await shot(page, 'tokens-created');
    // the page with its form, the secret and the list passes axe at desktop and phone widths
    expect(await auditAtWidths(page, 'tokens page')).toEqual([]);
    await resizeViewport(page, { width: 1366, height: 800 });

    // the list has it, named, expiring, never used
    const row = page.locator('table.tokens tbody tr', { hasText: 'nightly import' });
    await row.waitFor();
    expect(await row.locator('td').nth(2).textContent()).toBe('never');

    // the secret signs in as ana, planner of EMEA, on the token-only server
    const me = await call<Me>(s.server.url, 'GET', '/api/v1/me', { token: secret });
    expect(me.body).toMatchObject({ user: 'ana', role: 'planner', attributes: { region: 'EMEA' } });

    // Done takes the secret off the page
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.locator('#token-secret').count()).toBe(0);
  });

  it('never shows the secret again: a reload lists the token (now with its last use) but not its secret', async () => {
    const { page } = b;
    await page.reload();
    const row = page.locator('table.tokens tbody tr', { hasText: 'nightly import' });
    await row.waitFor();
    expect(await page.locator('#token-secret').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
    expect(await row.locator('td').nth(2).textContent()).not.toBe('never');
    const listed = await call<Listed>(s.dev.url, 'GET', '/api/v1/me/tokens');
    expect(listed.text).not.toContain(secret);
    expect(listed.body.tokens.map((t) => t.name)).toEqual(['nightly import']);
  });

  it('revokes a token after a confirmation; its next request gets 401', async () => {
    const { page } = b;
    const revoke = page.getByRole('button', { name: 'Revoke nightly import' });
    await revoke.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Revoke “nightly import”?' });
    await dialog.waitFor();
    // Escape cancels: nothing revoked
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect((await call(s.server.url, 'GET', '/api/v1/me', { token: secret })).status).toBe(200);

    await revoke.click();
    await dialog.getByRole('button', { name: 'Revoke token' }).click();
    await page.getByText('You have no tokens.').waitFor();
    const refused = await call<{ error: { message: string } }>(s.server.url, 'GET', '/api/v1/me', { token: secret });
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toBe('invalid or revoked token');
    expect(b.errors).toEqual([]);
  });

  it('builds the page from text nodes only (no innerHTML): a token name with markup shows as text', async () => {
    const source = readFileSync(resolve(import.meta.dirname, '../../src/forms/assets/tokens-page.js'), 'utf8');
    expect(source).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML/);
    const { page } = b;
    const created = await call<{ info: { tokenId: string } }>(s.dev.url, 'POST', '/api/v1/me/tokens', { body: { name: '<img src=x onerror=alert(1)>' } });
    expect(created.status).toBe(201);
    await page.reload();
    await page.locator('table.tokens tbody th', { hasText: '<img src=x onerror=alert(1)>' }).waitFor();
    expect(await page.locator('table.tokens img').count()).toBe(0);
  });

  it("the row history shows the writer's name and e-mail from the users directory, with the stable id under them", async () => {
    const issuer = 'https://idp.example.com';
    const id = await s.wb.users.recordSignIn({ issuer, subject: 'u-ana', name: 'Ana Lopez', email: 'ana@acme.com' });
    const written = await s.wb.inputs.write('revenue_forecast', [{ account_id: 'acc_022', quarter: '2026-Q3', amount: '120.00' }], { user: id, role: 'planner', attributes: { region: 'EMEA' } });
    expect(written.ok).toBe(true);
    const { page } = b;
    await page.goto(`${s.dev.url}/forms/revenue_forecast`);
    await rowWith(page, 'acc_022', '2026-Q3').getByRole('button', { name: /History of/ }).click();
    const newest = page.getByRole('dialog', { name: 'History of acc_022 · 2026-Q3' }).locator('li.entry').first();
    await newest.waitFor();
    expect(await newest.locator('.user').textContent()).toBe('Ana Lopez');
    expect(await newest.locator('.user-email').textContent()).toBe('· ana@acme.com');
    expect(await newest.locator('.user-id').textContent()).toBe(`${issuer}#u-ana`);
    await page.keyboard.press('Escape');
  });
});
