import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../../src/library/open-project.js';
import type { Writeback } from '../../src/library/writeback.js';
import { silentLogger } from '../../src/server/logger.js';
import { startServer, type RunningHttpServer } from '../../src/server/start-server.js';
import { appliedDemoProject } from '../integration/server/demo-project.js';
import { ANA, HEADER, ISSUER, jwks, type Key, newKey, now, addProxyAuth, sign } from '../integration/server/proxy-assertions.js';
import { chromiumMissing, openBrowser, shot, type Browser } from './browser.js';
import { addAndSaveRow, formLoaded } from './form-steps.js';

const missing = chromiumMissing();
if (missing) console.warn(`skipping the browser tests: ${missing}`);

// The proxy adds its assertion to every request of the browser; here Chromium's extra headers do.
describe.skipIf(missing !== undefined)('the planner form behind an authenticating proxy, in headless Chromium', () => {
  let wb: Writeback;
  let server: RunningHttpServer;
  let key: Key;
  let browser: Browser | undefined;

  async function openAs(assertion: string | undefined) {
    await browser?.close();
    browser = await openBrowser();
    if (assertion) await browser.context.setExtraHTTPHeaders({ [HEADER]: assertion });
    await browser.page.goto(`${server.url}/`);
    return browser.page;
  }

  beforeAll(async () => {
    key = await newKey('ES256', 'iap-1');
    const dir = await appliedDemoProject((d) => {
      addProxyAuth(d, { jwks_file: 'keys.jwks.json' });
      writeFileSync(join(d, 'keys.jwks.json'), JSON.stringify(jwks(key)));
    });
    wb = await openProject(dir);
    server = await startServer(wb, { port: 0, logger: silentLogger, snapshot: false, discovery: false, checkSync: false });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("signs Ana in from the proxy's assertion: her role and region from the claims, her inputs listed", async () => {
    const page = await openAs(await sign(key));
    await expect.poll(() => page.locator('#who').textContent()).toContain('planner · region=EMEA');
    expect(await page.locator('#who .user').textContent()).toBe('Ana Lopez · ana@acme.test');
    expect(await page.locator('#who .user').getAttribute('title')).toBe(`${ISSUER}#ana-123`);
    // she may create tokens for her scripts; signing out is the proxy's, so no button pretends to
    expect(await page.locator('#who a.tokens-link').count()).toBe(1);
    expect(await page.locator('#who').getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    await expect.poll(() => page.locator('main').textContent()).toContain('revenue_forecast');
    await shot(page, 'proxy-signed-in');
    expect(browser!.errors).toEqual([]);
  });

  it('saves a row from the form: the CSRF token of its HttpOnly __Host- cookie goes with the POST', async () => {
    const page = await openAs(await sign(key));
    await page.goto(`${server.url}/forms/revenue_forecast?view=table`);
    await formLoaded(page);
    await addAndSaveRow(page, { account_id: 'acc_034', quarter: '2027-Q2', amount: '5000' });
    const cookie = (await browser!.context.cookies()).find((c) => c.name === '__Host-writeback_csrf');
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
    const rows = await wb.inputs.rows('revenue_forecast', { filter: { account_id: 'acc_034', quarter: '2027-Q2' } });
    expect(rows.ok && rows.rows.map((r) => [r.amount, r._updated_by])).toEqual([['5000.00', `${ISSUER}#ana-123`]]);
  });

  it('without an assertion the page says why it is not signed in (no token form)', async () => {
    const page = await openAs(undefined);
    const card = page.getByRole('alert');
    await expect.poll(() => card.textContent()).toContain('You are not signed in');
    expect(await card.textContent()).toContain(`the identity assertion header '${HEADER}' is missing`);
    expect(await card.textContent()).toContain('sign in through the authenticating proxy in front of writeback (reload the page)');
    expect(await page.locator('#token').count()).toBe(0);
  });

  it('an expired assertion is named as such', async () => {
    const page = await openAs(await sign(key, ANA, { iat: now() - 7200, exp: now() - 3600 }));
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('the identity assertion has expired');
  });

  it('a person without a role sees what is missing', async () => {
    const page = await openAs(await sign(key, { sub: 'eve-1', name: 'Eve Stone', groups: ['staff'] }));
    const card = page.getByRole('alert');
    await expect.poll(() => card.textContent()).toContain('You have no role here');
    const text = await card.textContent();
    expect(text).toContain(`You have no role in this planning project: the claim 'groups' held "staff"`);
    expect(text).toContain('You are signed in as Eve Stone (subject "eve-1", issuer https://proxy.example.test).');
    expect(text).toContain(`"fpa" gives the role finance; "planners" gives the role planner`);
    await shot(page, 'proxy-no-role');
  });
});
