import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { openBrowser, shot } from '../e2e/browser.js';
import { ROOT } from './demo-session.js';

/** How many rows demo-data/revenue_forecast.csv has. */
export const DEMO_ROWS = readFileSync(join(ROOT, 'demo-data', 'revenue_forecast.csv'), 'utf8').trim().split('\n').length - 1;

/**
 * Steps 2 and 3 of the README in headless Chromium, on the demo just started: the form shows the
 * demo's planning grid (every account × the quarters of the fiscal year, pivoted) with the demo
 * data's forecasts in it, and Juniper Learning's 2026-Q4 amount, typed in, shows as changed until
 * it is saved. That page is the README's screenshot: WRITEBACK_DOCS_SCREENSHOT=1 writes it to
 * docs/form.png. Nothing is saved, so the README's next block writes the same value.
 */
export async function checkReadmeForm(port: number): Promise<void> {
  const browser = await openBrowser({ width: 1366, height: 720 });
  try {
    const { page } = browser;
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.getByRole('link', { name: 'revenue_forecast' }).click();
    expect(await page.locator('#who .user').textContent()).toBe('demo');
    await page.locator('#pivot tbody tr.row').first().waitFor();
    // the demo data are 2026-Q4 forecasts: each is one filled cell of the plan
    expect(await page.locator('#pivot tbody td.cell .v:not(.null)').count()).toBe(DEMO_ROWS);

    const row = page.locator('#pivot tr.row').filter({ has: page.locator('th', { hasText: 'acc_025' }) });
    const cell = row.locator('td[data-pivot$=":3"]');
    expect(await cell.textContent()).toContain('128,000.00');
    // the README's keystrokes, as a person types them: click the cell, type (replacing the value), Enter
    await cell.click();
    await page.keyboard.type('142000');
    await page.keyboard.press('Enter');
    expect(await cell.locator('.v').textContent()).toContain('142,000.00');
    await row.locator('td[data-pivot$=":2"]').focus();
    expect(await cell.getAttribute('class')).toMatch(/\bdirty\b/);
    expect(browser.errors).toEqual([]);

    const path = await shot(page, 'readme-form');
    if (process.env.WRITEBACK_DOCS_SCREENSHOT === '1') copyFileSync(path, join(ROOT, 'docs', 'form.png'));
  } finally {
    await browser.close();
  }
}
