import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { openBrowser, shot } from '../e2e/browser.js';
import { ROOT } from './demo-session.js';

/** How many rows demo-data/revenue_forecast.csv has. */
export const DEMO_ROWS = readFileSync(join(ROOT, 'demo-data', 'revenue_forecast.csv'), 'utf8').trim().split('\n').length - 1;

/**
 * Steps 2 and 3 of the README in headless Chromium, on the demo just started: the form lists
 * the demo data to `demo`, and Juniper Learning's amount, typed in, shows as changed until it is
 * saved. That page is the README's screenshot: WRITEBACK_DOCS_SCREENSHOT=1 writes it to
 * docs/form.png. Nothing is saved, so the README's next block writes the same value.
 */
export async function checkReadmeForm(port: number): Promise<void> {
  const browser = await openBrowser({ width: 1366, height: 720 });
  try {
    const { page } = browser;
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.getByRole('link', { name: 'revenue_forecast' }).click();
    expect(await page.locator('#who .user').textContent()).toBe('demo');
    await page.locator('.pager .count', { hasText: `1–${DEMO_ROWS} of ${DEMO_ROWS} rows` }).waitFor();

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
  } finally {
    await browser.close();
  }
}
