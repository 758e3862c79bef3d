import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { call } from '../integration/server/http-client.js';
import { chromiumMissing, openBrowser, resizeViewport, shot, type Browser } from './browser.js';
import { startFormServer, type FormServer } from './form-server.js';

const missing = chromiumMissing();
if (missing) console.warn(`skipping the browser tests: ${missing}`);

const N = 100_000;
/** The 60 accounts of seeds/accounts.csv. */
const ACCOUNTS = Array.from({ length: 60 }, (_, i) => `acc_${String(i + 1).padStart(3, '0')}`);
/** Written last, and the only row of its quarter: past the first 5,000 rows in key order (the last one). */
const NEEDLE = { account_id: 'acc_060', quarter: '9999-Q4' };

/** Row i of the seed: every account × quarters from year 1000 on, amounts spread over 0–999,999.99. */
function seedRow(i: number) {
  if (i === N - 1) return { ...NEEDLE, amount: '123.45' };
  const q = Math.floor(i / ACCOUNTS.length);
  return {
    account_id: ACCOUNTS[i % ACCOUNTS.length]!,
    quarter: `${1000 + Math.floor(q / 4)}-Q${(q % 4) + 1}`,
    amount: `${(i * 7919) % 1_000_000}.${String(i % 100).padStart(2, '0')}`,
  };
}

const grid = (page: Page) => page.locator('table.grid');
const count = (page: Page) => page.locator('.pager .count');
const numbers = (texts: string[]) => texts.map((t) => t.replace(/,/g, ''));

describe.skipIf(missing !== undefined)('the planner grid over 100,000 rows in headless Chromium', () => {
  let s: FormServer;
  let b: Browser;
  const rows = Array.from({ length: N }, (_, i) => seedRow(i));

  beforeAll(async () => {
    s = await startFormServer();
    const written = await s.wb.inputs.write('revenue_forecast', rows, { user: 'seeder' });
    if (!written.ok) throw new Error(written.error.message);
    b = await openBrowser();
  });
  afterAll(async () => {
    await b?.close();
    await s?.close();
  });

  it('counts every row, filters on the server to a row past the first 5,000, and pages to the last page', async () => {
    const { page } = b;
    await page.goto(`${s.dev.url}/forms/revenue_forecast`);
    await count(page).filter({ hasText: 'of 100,000 rows' }).waitFor();
    expect(await count(page).textContent()).toBe('1–50 of 100,000 rows');
    expect(await page.locator('tr.row').count()).toBe(50);
    expect(await page.locator('.banner').isHidden()).toBe(true);

    await page.locator('#filter').fill(NEEDLE.quarter);
    await count(page).filter({ hasText: '1–1 of 1 row' }).waitFor();
    const only = page.locator('tr.row');
    expect(await only.count()).toBe(1);
    expect(await only.locator('td[data-col="account_id"]').textContent()).toBe(NEEDLE.account_id);
    expect(await only.locator('td[data-col="quarter"]').textContent()).toBe(NEEDLE.quarter);

    await page.locator('#filter').fill('');
    await count(page).filter({ hasText: '1–50 of 100,000 rows' }).waitFor();
    await page.getByRole('button', { name: 'Last page' }).click();
    await count(page).filter({ hasText: '99,951–100,000 of 100,000 rows' }).waitFor();
    expect(await page.locator('.pager .page-no').textContent()).toBe('Page 2,000 of 2,000');
    const last = page.locator('tr.row').last();
    expect(await last.locator('td[data-col="account_id"]').textContent()).toBe(NEEDLE.account_id);
    expect(await last.locator('td[data-col="quarter"]').textContent()).toBe(NEEDLE.quarter);
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await count(page).filter({ hasText: '99,901–99,950 of 100,000 rows' }).waitFor();
    await page.locator('#page-size').selectOption('500');
    await count(page).filter({ hasText: '1–500 of 100,000 rows' }).waitFor();
    expect(await page.locator('tr.row').count()).toBe(500);
    await page.getByRole('button', { name: 'First page' }).waitFor();
    expect(b.errors).toEqual([]);
  });

  it('sorts by amount on the server: the largest amount of all 100,000 rows first', async () => {
    const { page } = b;
    await page.goto(`${s.dev.url}/forms/revenue_forecast`);
    await count(page).filter({ hasText: 'of 100,000 rows' }).waitFor();
    const largest = [...rows].sort((x, y) => Number(y.amount) - Number(x.amount)).slice(0, 3).map((r) => r.amount);
    await page.getByRole('button', { name: /^amount/ }).click();
    await page.locator('th[data-col="amount"][aria-sort="ascending"]').waitFor();
    await page.getByRole('button', { name: /^amount/ }).click();
    await page.locator('th[data-col="amount"][aria-sort="descending"]').waitFor();
    await expect.poll(async () => numbers([(await page.locator('tr.row').first().locator('td[data-col="amount"]').textContent()) ?? ''])[0]).toBe(largest[0]);
    const shown = numbers(await page.locator('tr.row td[data-col="amount"]').allTextContents());
    expect(shown.slice(0, 3)).toEqual(largest);
    // the last change is sortable too (on the server, by _updated_at)
    await page.getByRole('button', { name: /^Last change/ }).click();
    await page.locator('th[data-col="_updated_at"][aria-sort="ascending"]').waitFor();
    expect(await page.locator('th[data-col="amount"]').getAttribute('aria-sort')).toBeNull();
  });

  it('totals every matching row in a footer, equal to the API, and keeps unsaved edits across pages', async () => {
    const { page } = b;
    await page.goto(`${s.dev.url}/forms/revenue_forecast`);
    await count(page).filter({ hasText: 'of 100,000 rows' }).waitFor();
    const api = await call<{ totals: { amount: string }; total: number }>(s.server.url, 'GET', '/api/v1/inputs/revenue_forecast/grid?limit=1', { token: s.tokens.fin });
    const cents = rows.reduce((sum, r) => sum + BigInt(r.amount.replace('.', '')), 0n);
    expect(api.body.totals.amount).toBe(`${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`);
    const foot = grid(page).locator('tfoot tr.totals');
    expect(await foot.locator('.total-label').textContent()).toBe('Total (100,000 rows)');
    expect(numbers([await foot.locator('td[data-col="amount"]').textContent() ?? ''])).toEqual([api.body.totals.amount]);

    // the total follows the filter
    await page.locator('#filter').fill('acc_060');
    await count(page).filter({ hasText: 'of 1,667 rows' }).waitFor();
    const filtered = await call<{ totals: { amount: string } }>(s.server.url, 'GET', '/api/v1/inputs/revenue_forecast/grid?limit=1&q=acc_060', { token: s.tokens.fin });
    expect(await foot.locator('.total-label').textContent()).toBe('Total (1,667 rows)');
    expect(numbers([await foot.locator('td[data-col="amount"]').textContent() ?? ''])).toEqual([filtered.body.totals.amount]);

    // an unsaved edit survives paging away and back
    const firstAmount = page.locator('tr.row').first().locator('td[data-col="amount"]');
    await firstAmount.focus();
    await page.keyboard.press('Enter');
    await firstAmount.locator('.control').fill('777');
    await page.keyboard.press('Enter');
    await page.locator('#save', { hasText: 'Save 1 row' }).waitFor();
    await page.getByRole('button', { name: 'Next page' }).click();
    await count(page).filter({ hasText: '51–100 of 1,667 rows' }).waitFor();
    await page.getByRole('button', { name: 'Previous page' }).click();
    await count(page).filter({ hasText: '1–50 of 1,667 rows' }).waitFor();
    expect(await page.locator('tr.row').first().locator('td[data-col="amount"]').getAttribute('class')).toContain('dirty');
    expect(await page.locator('tr.row').first().locator('td[data-col="amount"]').textContent()).toBe('777.00');
    expect(await page.locator('#save').textContent()).toBe('Save 1 row');
    await page.locator('#discard').click();
  });

  it('at 390 px keeps the account id in view when the grid scrolls to the amount, and the toolbar compact', async () => {
    const { page } = b;
    await resizeViewport(page, { width: 390, height: 760 });
    await page.goto(`${s.dev.url}/forms/revenue_forecast`);
    await count(page).filter({ hasText: 'of 100,000 rows' }).waitFor();
    const toolbar = await page.locator('.toolbar').boundingBox();
    expect(toolbar!.height).toBeLessThan(120);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')).toBeLessThanOrEqual(0);
    // the secondary actions are one keyboard step away, under "More"
    const more = page.locator('#more-menu summary');
    await more.focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('#paste-rows').isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    expect(await page.locator('#paste-rows').isVisible()).toBe(false);

    const row = page.locator('tr.row').first();
    const wrap = page.locator('.grid-wrap');
    // focus on the amount (as moving along the row with the keyboard does) scrolls the grid right
    await row.locator('td[data-col="amount"]').focus();
    expect(await wrap.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
    const frame = (await wrap.boundingBox())!;
    const account = (await row.locator('td[data-col="account_id"]').boundingBox())!;
    const amount = (await row.locator('td[data-col="amount"]').boundingBox())!;
    expect(account.x).toBeGreaterThanOrEqual(frame.x);
    expect(amount.x).toBeGreaterThanOrEqual(account.x + account.width - 1);
    expect(amount.x + amount.width).toBeLessThanOrEqual(frame.x + frame.width + 1);
    // nothing scrolled underneath shows through the pinned cell: it is the one drawn at its centre
    const onTop = await page.evaluate<string | undefined>(`document.elementFromPoint(${account.x + account.width / 2}, ${account.y + account.height / 2})?.closest('td')?.dataset.col`);
    expect(onTop).toBe('account_id');
    await shot(page, 'grid-big-narrow');
  });
});
