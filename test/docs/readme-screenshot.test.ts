import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, openBrowser, shot, type Browser } from '../e2e/browser.js';
import { DemoSession, ROOT } from './demo-session.js';

// What the README's five-minute path says the form shows, on a freshly started demo: the demo
// data in the revenue_forecast form, and Juniper Learning's amount being typed. The same page is
// the README's screenshot: WRITEBACK_DOCS_SCREENSHOT=1 writes it to docs/form.png.

const missing = chromiumMissing();
if (missing) console.warn(`skipping the README screenshot test: ${missing}`);

const demoRows = readFileSync(join(ROOT, 'demo-data', 'revenue_forecast.csv'), 'utf8').trim().split('\n').length - 1;

describe.skipIf(missing !== undefined)('the form of a freshly started demo (the README screenshot)', () => {
  let session: DemoSession;
  let browser: Browser;
  beforeAll(async () => {
    session = await DemoSession.start();
    const started = await session.run('npm start');
    if (started.failures.length > 0) throw new Error(`npm start failed:\n${started.output}`);
    browser = await openBrowser({ width: 1366, height: 720 });
  });
  afterAll(async () => {
    await browser?.close();
    await session?.close();
  });

  it('lists the demo data as demo, and shows a typed value as changed until it is saved', async () => {
    const { page } = browser;
    await page.goto(`http://127.0.0.1:${session.port}/`);
    await page.getByRole('link', { name: 'revenue_forecast' }).click();
    expect(await page.locator('#who .user').textContent()).toBe('demo');
    await page.locator('.pager .count', { hasText: `1–${demoRows} of ${demoRows} rows` }).waitFor();

    const row = page.locator('tr.row').filter({ has: page.locator('td', { hasText: 'acc_025' }) });
    const cell = row.locator('td[data-col="amount"]');
    expect(await cell.textContent()).toContain('128,000.00');
    await cell.focus();
    await page.keyboard.press('Enter');
    await cell.locator('.control').fill('142000');
    await page.keyboard.press('Enter');
    await row.locator('td[data-col="confidence"]').focus();
    expect(await cell.getAttribute('class')).toMatch(/\bdirty\b/);
    expect(browser.errors).toEqual([]);

    const path = await shot(page, 'readme-form');
    if (process.env.WRITEBACK_DOCS_SCREENSHOT === '1') copyFileSync(path, join(ROOT, 'docs', 'form.png'));
  });
});
