import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { call } from '../integration/server/http-client.js';
import { chromiumMissing, openBrowser, shot, type Browser } from './browser.js';
import { startFormServer, type FormServer } from './form-server.js';

// The grid's spreadsheet keyboard and clipboard model, key by key, with real keystrokes in headless
// Chromium against a real server (signed in automatically as the dev user). Each test works on
// rows of its own quarter and shows only them with the filter box.

type Row = Record<string, string | number | boolean | null>;

const missing = chromiumMissing();
if (missing) console.warn(`skipping the browser grid-keys tests: ${missing}`);

/** The cell of grid row `r` (0 = first row shown) and column `col`. */
const cell = (page: Page, r: number, col: string) => page.locator('tbody tr.row').nth(r).locator(`td.cell[data-col="${col}"]`);

/** The text a cell shows. */
const shown = async (page: Page, r: number, col: string) => (await cell(page, r, col).locator('.v').textContent()) ?? '';

/** Where the keyboard is: `[row index, column]` of the focused cell, or `[-1, tag]`. */
const where = (page: Page) => page.evaluate<[number, string]>(`(() => {
  const el = document.activeElement;
  const rows = [...document.querySelectorAll('tbody tr.row')];
  return el && el.matches('td.cell') ? [rows.indexOf(el.closest('tr')), el.dataset.col] : [-1, el ? el.tagName + (el.id ? '#' + el.id : '') : ''];
})()`);

/** A real paste event holding `text` (text/plain), dispatched at the focused element. */
const paste = (page: Page, text: string) => page.evaluate(`(() => {
  const data = new DataTransfer();
  data.setData('text/plain', ${JSON.stringify(text)});
  document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
})()`);

/** Record what the page puts on the clipboard (a copy listener after the grid's own). */
const listenCopy = (page: Page) => page.evaluate(`window.__copied = null; document.addEventListener('copy', (e) => { window.__copied = e.clipboardData.getData('text/plain'); })`);
const copied = (page: Page) => page.evaluate<string | null>('window.__copied');

/** Classes of every cell of the selected range, as `row:col`. */
const inRange = (page: Page) => page.evaluate<string[]>(`(() => {
  const rows = [...document.querySelectorAll('tbody tr.row')];
  return [...document.querySelectorAll('td.cell[aria-selected="true"]')].map((td) => rows.indexOf(td.closest('tr')) + ':' + td.dataset.col);
})()`);

/** Text in the selected range below 4.5:1 against its cell's background, as `text (ratio)`. */
const LOW_CONTRAST_IN_RANGE = `(() => {
  const rgb = (s) => (s.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
  const lum = (c) => c.map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4)).reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
  const low = [];
  for (const td of document.querySelectorAll('td.cell.in-range')) {
    const bg = lum(rgb(getComputedStyle(td).backgroundColor));
    for (const el of td.querySelectorAll('.v, .field-error')) {
      if (!el.textContent.trim()) continue;
      const fg = lum(rgb(getComputedStyle(el).color));
      const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
      if (ratio < 4.5) low.push(el.textContent + ' (' + ratio.toFixed(2) + ')');
    }
  }
  return low;
})()`;

describe.skipIf(missing !== undefined)('the grid keyboard and clipboard in headless Chromium', () => {
  let s: FormServer;
  let br: Browser;
  const rows = async (quarter: string) => {
    const res = await call<{ rows: Row[] }>(s.server.url, 'GET', '/api/v1/inputs/revenue_forecast/rows?limit=1000', { token: s.tokens.fin });
    expect(res.status).toBe(200);
    return res.body.rows.filter((r) => r.quarter === quarter).sort((a, b) => String(a.account_id).localeCompare(String(b.account_id)));
  };
  /** Write acc_001… for `quarter` (amount 1000, 2000, …) and open the form showing only them. */
  const open = async (quarter: string, n = 6) => {
    const written = await s.wb.inputs.write('revenue_forecast',
      Array.from({ length: n }, (_, i) => ({ account_id: `acc_00${i + 1}`, quarter, amount: `${(i + 1) * 1000}.00` })), { user: 'demo' });
    expect(written.ok).toBe(true);
    const { page } = br;
    await page.goto(`${s.dev.url}/forms/revenue_forecast`);
    await page.locator('tbody tr.row').first().waitFor();
    await page.locator('#filter').fill(quarter);
    await page.locator('.pager .count', { hasText: `of ${n} rows` }).waitFor();
    const keys = await page.locator('tbody tr.row td.cell[data-col="account_id"]').allTextContents();
    expect(keys).toEqual(Array.from({ length: n }, (_, i) => `acc_00${i + 1}`));
    return page;
  };

  beforeAll(async () => {
    s = await startFormServer();
    br = await openBrowser();
  });
  afterAll(async () => {
    await br?.close();
    await s?.close();
  });

  it('the grid is one Tab stop: Tab from the toolbar reaches the first input cell; the row buttons stay reachable', async () => {
    const page = await open('2026-Q1');
    expect(await page.locator('tbody td.cell[tabindex="0"]').count()).toBe(1);
    // from the filter box: the toolbar's buttons, the delete selection boxes (this user may delete), then the grid's one stop
    await page.locator('#filter').focus();
    const stops: string[] = [];
    while ((await where(page))[0] < 0 && stops.length < 30) {
      await page.keyboard.press('Tab');
      stops.push(await page.evaluate<string>("document.activeElement.getAttribute('aria-label') || document.activeElement.textContent"));
    }
    expect(stops).toEqual(['All 6 source columns', '+ Add row', 'Paste rows', 'Select all rows on this page', 'Select acc_001 · 2026-Q1', 'amount: 1,000.00']);
    expect(await where(page)).toEqual([0, 'amount']);
    // arrows and Tab move inside; the new position is the one Tab stop
    await page.keyboard.press('ArrowDown');
    expect(await where(page)).toEqual([1, 'amount']);
    expect(await page.locator('tbody td.cell[tabindex="0"]').count()).toBe(1);
    expect(await cell(page, 1, 'amount').getAttribute('tabindex')).toBe('0');
    // past the last editable cell Tab leaves the grid for the row's buttons
    await cell(page, 5, 'status').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string | null>("document.activeElement.getAttribute('aria-label')")).toBe('History of acc_006 · 2026-Q1');
    // ArrowUp from the first row reaches the column header (sorting), ArrowDown comes back
    await cell(page, 0, 'amount').focus();
    await page.keyboard.press('ArrowUp');
    expect(await page.evaluate<string | null>("document.activeElement.closest('th')?.dataset.col ?? null")).toBe('amount');
    await page.keyboard.press('ArrowDown');
    expect(await where(page)).toEqual([0, 'amount']);

    // a planner (no delete boxes), signed in with a token: from the top of the page to the first amount cell
    expect((await call(s.server.url, 'POST', '/api/v1/inputs/revenue_forecast/rows', { token: s.tokens.ana, body: { rows: [{ account_id: 'acc_022', quarter: '2026-Q1', amount: '10.00' }] } })).status).toBe(200);
    await page.goto(`${s.server.url}/forms/revenue_forecast`);
    await page.getByLabel('API token').fill(s.tokens.ana);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('tbody tr.row').first().waitFor();
    await page.evaluate('document.activeElement.blur()');
    let tabs = 0;
    while ((await where(page))[0] < 0 && tabs < 40) { await page.keyboard.press('Tab'); tabs += 1; }
    expect(await where(page)).toEqual([0, 'amount']);
    console.log(`Tab presses from the top of the page to the first amount cell (planner): ${tabs}`);
    expect(tabs).toBeLessThan(12);
  });

  it('arrows move; Enter/F2 edit with the value; Enter commits and moves down, Shift+Enter up; Tab/Shift+Tab commit and move sideways; Esc cancels', async () => {
    const page = await open('2026-Q2');
    await cell(page, 0, 'amount').focus();
    await page.keyboard.press('ArrowRight');
    expect(await where(page)).toEqual([0, 'confidence']);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    expect(await where(page)).toEqual([0, 'quarter']);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    expect(await where(page)).toEqual([1, 'amount']);

    // Enter edits with the value; Enter commits and moves down without reopening an editor
    await page.keyboard.press('Enter');
    expect(await cell(page, 1, 'amount').locator('.control').inputValue()).toBe('2000.00');
    await cell(page, 1, 'amount').locator('.control').fill('2500');
    await page.keyboard.press('Enter');
    expect(await shown(page, 1, 'amount')).toBe('2,500.00');
    expect(await where(page)).toEqual([2, 'amount']);
    expect(await page.locator('td.editing').count()).toBe(0);
    // F2 edits too; Shift+Enter commits and moves up
    await page.keyboard.press('F2');
    await cell(page, 2, 'amount').locator('.control').fill('3500');
    await page.keyboard.press('Shift+Enter');
    expect(await shown(page, 2, 'amount')).toBe('3,500.00');
    expect(await where(page)).toEqual([1, 'amount']);
    // Tab in the editor commits and moves right; Shift+Tab left
    await page.keyboard.press('Enter');
    await cell(page, 1, 'amount').locator('.control').fill('2600');
    await page.keyboard.press('Tab');
    expect(await shown(page, 1, 'amount')).toBe('2,600.00');
    expect(await where(page)).toEqual([1, 'confidence']);
    await page.keyboard.press('Shift+Tab');
    expect(await where(page)).toEqual([1, 'amount']);
    // Tab on a selected cell at a row's end wraps to the next row's first editable cell
    await cell(page, 1, 'status').focus();
    await page.keyboard.press('Tab');
    expect(await where(page)).toEqual([2, 'amount']);
    await page.keyboard.press('Shift+Tab');
    expect(await where(page)).toEqual([1, 'status']);
    // Esc cancels: the value is restored
    await cell(page, 3, 'amount').focus();
    await page.keyboard.press('Enter');
    await cell(page, 3, 'amount').locator('.control').fill('1');
    await page.keyboard.press('Escape');
    expect(await shown(page, 3, 'amount')).toBe('4,000.00');
    expect(await where(page)).toEqual([3, 'amount']);
    expect(await cell(page, 3, 'amount').getAttribute('class')).not.toContain('dirty');
  });

  it('type 99000, Enter, Tab, Enter, type: each lands in its own cell, and Save writes them', async () => {
    const page = await open('2026-Q3');
    await cell(page, 0, 'amount').focus();
    await page.keyboard.type('99000');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.keyboard.type('high');
    await page.keyboard.press('Enter');
    expect(await shown(page, 0, 'amount')).toBe('99,000.00');
    expect(await shown(page, 0, 'quarter')).toBe('2026-Q3');
    expect(await shown(page, 1, 'amount')).toBe('2,000.00');
    expect(await shown(page, 1, 'confidence')).toBe('high');
    expect(await shown(page, 0, 'confidence')).toBe('medium');
    expect(await where(page)).toEqual([2, 'confidence']);
    // typing on a selected cell replaces its value
    await cell(page, 2, 'note').focus();
    await page.keyboard.type('Budget freeze');
    await page.keyboard.press('Tab');
    expect(await shown(page, 2, 'note')).toBe('Budget freeze');
    await page.keyboard.press('Control+s');
    await page.locator('#save-status', { hasText: 'Saved 3 rows' }).waitFor();
    const saved = await rows('2026-Q3');
    expect(saved.map((r) => [r.account_id, r.amount, r.confidence, r.note])).toEqual([
      ['acc_001', '99000.00', 'medium', null],
      ['acc_002', '2000.00', 'high', null],
      ['acc_003', '3000.00', 'medium', 'Budget freeze'],
      ['acc_004', '4000.00', 'medium', null],
      ['acc_005', '5000.00', 'medium', null],
      ['acc_006', '6000.00', 'medium', null],
    ]);
    await shot(page, 'grid-keys-typed');
  });

  it('type-ahead on dropdowns: confidence, and account_category.category (values from crm.categories); Space toggles a boolean', async () => {
    const page = await open('2026-Q4');
    await cell(page, 0, 'confidence').focus();
    await page.keyboard.type('h');
    expect(await cell(page, 0, 'confidence').locator('select.control').inputValue()).toBe('high');
    await page.keyboard.press('Enter');
    expect(await shown(page, 0, 'confidence')).toBe('high');
    await page.keyboard.type('lo');
    await page.keyboard.press('Enter');
    expect(await shown(page, 1, 'confidence')).toBe('low');

    await page.goto(`${s.dev.url}/forms/account_category`);
    await page.locator('#save-status', { hasText: 'All changes saved' }).waitFor();
    await page.getByRole('button', { name: '+ Add row' }).click();
    const category = page.locator('tr.row.new td[data-col="category"]');
    await category.focus();
    await page.keyboard.type('pu');
    expect(await category.locator('select.control').inputValue()).toBe('public_sector');
    await page.keyboard.press('Enter');
    expect(await category.locator('.v').textContent()).toBe('public_sector');
    await category.focus();
    await page.keyboard.type('co');
    await page.keyboard.press('Tab');
    expect(await category.locator('.v').textContent()).toBe('core');
    const reviewed = page.locator('tr.row.new td[data-col="reviewed"]');
    await reviewed.focus();
    expect(await reviewed.locator('.v').textContent()).toBe('No');
    await page.keyboard.press(' ');
    expect(await reviewed.locator('.v').textContent()).toBe('Yes');
    await page.getByRole('button', { name: 'Discard' }).click();
  });

  it('Delete/Backspace clear to an explicit null; a required column is flagged in place and Save refuses until fixed', async () => {
    const page = await open('2027-Q1');
    await cell(page, 0, 'note').focus();
    await page.keyboard.type('to be cleared');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+s');
    await page.locator('#save-status', { hasText: 'Saved 1 row' }).waitFor();
    expect((await rows('2027-Q1'))[0]!.note).toBe('to be cleared');

    await cell(page, 0, 'note').focus();
    await page.keyboard.press('Delete');
    expect(await shown(page, 0, 'note')).toBe('');
    expect(await cell(page, 0, 'note').getAttribute('class')).toContain('dirty');
    await cell(page, 1, 'amount').focus();
    await page.keyboard.press('Backspace');
    expect(await cell(page, 1, 'amount').locator('.field-error').textContent()).toBe('is required');
    expect(await cell(page, 1, 'amount').getAttribute('aria-invalid')).toBe('true');
    await page.keyboard.press('Control+s');
    await page.locator('#save-status', { hasText: 'Not saved: 1 field needs fixing' }).waitFor();
    // fixed in place by typing on the cell
    await cell(page, 1, 'amount').focus();
    await page.keyboard.type('2100');
    await page.keyboard.press('Enter');
    expect(await cell(page, 1, 'amount').locator('.field-error').count()).toBe(0);
    await page.keyboard.press('Control+s');
    await page.locator('#save-status', { hasText: 'Saved 2 rows' }).waitFor();
    const saved = await rows('2027-Q1');
    expect([saved[0]!.note, saved[1]!.amount]).toEqual([null, '2100.00']);

    // a range is cleared in one go
    await cell(page, 2, 'confidence').focus();
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Delete');
    expect(await Promise.all([1, 2, 3, 4].map((r) => shown(page, r, 'confidence')))).toEqual(['medium', '', '', '']);
    await page.getByRole('button', { name: 'Discard' }).click();

    // a key cell of a new row cleared is flagged with the same message
    await page.getByRole('button', { name: '+ Add row' }).click();
    const key = page.locator('tr.row.new td[data-col="account_id"]');
    await key.focus();
    await page.keyboard.type('acc_009');
    await page.keyboard.press('Tab');
    await key.focus();
    await page.keyboard.press('Delete');
    expect(await key.locator('.field-error').textContent()).toBe('is required');
    await page.getByRole('button', { name: 'Discard' }).click();
  });

  it('range selection: Shift+arrows from the anchor, mouse drag, Shift+click; marked with a class and aria-selected', async () => {
    const page = await open('2027-Q2');
    await cell(page, 1, 'amount').focus();
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowRight');
    expect((await inRange(page)).sort()).toEqual(['1:amount', '1:confidence', '2:amount', '2:confidence', '3:amount', '3:confidence']);
    expect(await page.locator('td.cell.in-range').count()).toBe(6);
    expect(await page.locator('table.grid').getAttribute('role')).toBe('grid');
    expect(await page.locator('table.grid').getAttribute('aria-multiselectable')).toBe('true');
    // the range's tint keeps text readable (WCAG AA 4.5:1), also on a changed and on a flagged cell
    await cell(page, 3, 'amount').focus();
    await page.keyboard.press('Delete');
    await cell(page, 2, 'confidence').focus();
    await page.keyboard.type('h');
    await page.keyboard.press('Enter');
    await cell(page, 1, 'amount').focus();
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowRight');
    expect(await page.locator('td.cell.in-range.invalid').count()).toBe(1);
    expect(await page.locator('td.cell.in-range.dirty').count()).toBe(2);
    expect(await page.evaluate<string[]>(LOW_CONTRAST_IN_RANGE)).toEqual([]);
    // a plain arrow collapses the range to one cell
    await page.keyboard.press('ArrowUp');
    expect(await inRange(page)).toEqual(['2:confidence']);
    expect(await page.locator('td.cell.in-range').count()).toBe(0);

    // drag from (0, amount) to (2, note)
    const box = async (r: number, col: string) => {
      const b = await cell(page, r, col).boundingBox();
      if (!b) throw new Error(`no box for ${r}:${col}`);
      return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
    };
    const from = await box(0, 'amount');
    const to = await box(2, 'note');
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 3 });
    await page.mouse.move(to.x, to.y, { steps: 3 });
    await page.mouse.up();
    expect((await inRange(page)).length).toBe(9);
    expect(await inRange(page)).toContain('2:note');
    expect(await inRange(page)).toContain('0:amount');
    await shot(page, 'grid-keys-range');
    // Shift+click extends from the anchor
    await cell(page, 4, 'amount').click();
    await cell(page, 5, 'confidence').click({ modifiers: ['Shift'] });
    expect((await inRange(page)).sort()).toEqual(['4:amount', '4:confidence', '5:amount', '5:confidence']);
  });

  it('Ctrl+C copies the selected cell or range as TSV of the displayed values', async () => {
    const page = await open('2027-Q3');
    await listenCopy(page);
    await cell(page, 0, 'amount').focus();
    await page.keyboard.press('Control+c');
    expect(await copied(page)).toBe('1,000.00');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Control+c');
    expect(await copied(page)).toBe('1,000.00\tmedium\n2,000.00\tmedium');
    await cell(page, 0, 'account_id').focus();
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Meta+c');
    expect(await copied(page)).toBe('acc_001\t2027-Q3\t1,000.00');
  });

  it("with the browser's clipboard (permission granted): Ctrl+C of a range, then Ctrl+V anchored at another cell", async () => {
    const page = await open('2029-Q1');
    await br.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: s.dev.url });
    await cell(page, 0, 'amount').focus();
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Control+c');
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe('1,000.00\tmedium\n2,000.00\tmedium');
    await cell(page, 4, 'amount').focus();
    await page.keyboard.press('Control+v');
    expect(await Promise.all([3, 4, 5].map((r) => shown(page, r, 'amount')))).toEqual(['4,000.00', '1,000.00', '2,000.00']);
    expect(await page.locator('#save-status').textContent()).toBe('Pasted 4 cells');
    await page.getByRole('button', { name: 'Discard' }).click();
  });

  it('paste: a column of 5 amounts lands in the amount cells; one value fills a range; past the last row without keys is refused with a reason', async () => {
    const page = await open('2027-Q4');
    await cell(page, 1, 'amount').focus();
    await paste(page, '11\n12\n13.5\n14\n15\n');
    expect(await Promise.all([0, 1, 2, 3, 4, 5].map((r) => shown(page, r, 'amount')))).toEqual(['1,000.00', '11.00', '12.00', '13.50', '14.00', '15.00']);
    expect(await page.locator('td.cell.invalid').count()).toBe(0);
    expect(await page.locator('tr.row.new').count()).toBe(0);
    // one value over a selected range fills every cell
    await cell(page, 0, 'confidence').focus();
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    await paste(page, 'low');
    expect(await Promise.all([0, 1, 2, 3].map((r) => shown(page, r, 'confidence')))).toEqual(['low', 'low', 'low', 'medium']);
    // amounts past the last row: no key columns in the block, so no new rows
    await cell(page, 4, 'amount').focus();
    await paste(page, '1\n2\n3');
    expect(await shown(page, 5, 'amount')).toBe('2.00');
    expect(await page.locator('tr.row.new').count()).toBe(0);
    expect(await page.locator('#save-status').textContent()).toContain('1 line past the last row left out: a new row needs the key columns (account_id, quarter)');
    await page.keyboard.press('Control+s');
    await page.locator('#save-status', { hasText: 'Saved 6 rows' }).waitFor();
    expect((await rows('2027-Q4')).map((r) => [r.amount, r.confidence])).toEqual([
      ['1000.00', 'low'], ['11.00', 'low'], ['12.00', 'low'], ['13.50', 'medium'], ['1.00', 'medium'], ['2.00', 'medium'],
    ]);
  });

  it('paste: a keyed block anchored at a cell lands in the right keyed rows, adds rows past the end, flags an invalid value in place, fixed by editing the cell', async () => {
    const page = await open('2028-Q1', 3);
    // anchored at the second row's account_id: keys, then amount and confidence (display order)
    await cell(page, 1, 'account_id').focus();
    await paste(page, [
      'acc_002\t2028-Q1\t2200\thigh',
      'acc_001\t2028-Q1\t1100\tlow',
      'acc_007\t2028-Q1\t-7\thigh',
      'acc_008\t2028-Q1\t8800\tmedium',
    ].join('\n'));
    const row = (key: string) => page.locator('tbody tr.row').filter({ has: page.locator('td[data-col="account_id"]', { hasText: key }) });
    expect(await row('acc_002').locator('td[data-col="amount"] .v').textContent()).toBe('2,200.00');
    expect(await row('acc_001').locator('td[data-col="amount"] .v').textContent()).toBe('1,100.00');
    expect(await row('acc_001').locator('td[data-col="confidence"] .v').textContent()).toBe('low');
    expect(await row('acc_003').locator('td[data-col="amount"] .v').textContent()).toBe('3,000.00');
    expect(await page.locator('tr.row.new').count()).toBe(2);
    const bad = row('acc_007').locator('td[data-col="amount"]');
    expect(await bad.locator('.field-error').textContent()).toBe('-7 is below the minimum 0');
    expect(await bad.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#save-status').textContent()).toContain('1 cell needs fixing');
    await page.keyboard.press('Control+s');
    await page.locator('#save-status', { hasText: 'Not saved' }).waitFor();
    // fixed in place: Enter on the flagged cell, type, Enter
    await bad.focus();
    await page.keyboard.press('Enter');
    await bad.locator('.control').fill('7700');
    await page.keyboard.press('Enter');
    expect(await bad.locator('.field-error').count()).toBe(0);
    await page.keyboard.press('Control+s');
    await page.locator('#save-status', { hasText: 'Saved 4 rows' }).waitFor();
    expect((await rows('2028-Q1')).map((r) => [r.account_id, r.amount, r.confidence])).toEqual([
      ['acc_001', '1100.00', 'low'], ['acc_002', '2200.00', 'high'], ['acc_003', '3000.00', 'medium'],
      ['acc_007', '7700.00', 'high'], ['acc_008', '8800.00', 'medium'],
    ]);
    // whole rows with a header line still open the "Paste rows" preview
    await cell(page, 0, 'amount').focus();
    await paste(page, 'account_id\tquarter\tamount\nacc_009\t2028-Q1\t9');
    await page.getByRole('heading', { name: 'Paste rows' }).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  it('Ctrl+D fills the first row of the range down; Ctrl+Z / Ctrl+Y / Ctrl+Shift+Z undo and redo whole steps; undo after Save changes nothing', async () => {
    const page = await open('2028-Q2');
    await cell(page, 0, 'amount').focus();
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Control+d');
    expect(await Promise.all([0, 1, 2, 3].map((r) => shown(page, r, 'amount')))).toEqual(['1,000.00', '1,000.00', '1,000.00', '4,000.00']);

    // one edit, then a paste of three cells: Ctrl+Z undoes the paste as one step
    await cell(page, 3, 'note').focus();
    await page.keyboard.type('edited');
    await page.keyboard.press('Enter');
    await cell(page, 3, 'amount').focus();
    await paste(page, '40\n50\n60');
    const amounts = () => Promise.all([0, 1, 2, 3, 4, 5].map((r) => shown(page, r, 'amount')));
    expect(await amounts()).toEqual(['1,000.00', '1,000.00', '1,000.00', '40.00', '50.00', '60.00']);
    await page.keyboard.press('Control+z');
    expect(await amounts()).toEqual(['1,000.00', '1,000.00', '1,000.00', '4,000.00', '5,000.00', '6,000.00']);
    expect(await shown(page, 3, 'note')).toBe('edited');
    await page.keyboard.press('Control+z');
    expect(await shown(page, 3, 'note')).toBe('');
    await page.keyboard.press('Control+z');
    expect(await amounts()).toEqual(['1,000.00', '2,000.00', '3,000.00', '4,000.00', '5,000.00', '6,000.00']);
    expect(await page.locator('td.cell.dirty').count()).toBe(0);
    await page.keyboard.press('Control+y');
    expect(await amounts()).toEqual(['1,000.00', '1,000.00', '1,000.00', '4,000.00', '5,000.00', '6,000.00']);
    await page.keyboard.press('Control+Shift+z');
    expect(await shown(page, 3, 'note')).toBe('edited');
    await page.keyboard.press('Control+s');
    await page.locator('#save-status', { hasText: 'Saved 3 rows' }).waitFor();
    await cell(page, 0, 'amount').focus();
    await page.keyboard.press('Control+z');
    expect(await page.locator('#save-status').textContent()).toBe('Nothing to undo');
    expect(await amounts()).toEqual(['1,000.00', '1,000.00', '1,000.00', '4,000.00', '5,000.00', '6,000.00']);
    expect(await page.locator('td.cell.dirty').count()).toBe(0);
    expect((await rows('2028-Q2')).map((r) => [r.amount, r.note])).toEqual([
      ['1000.00', null], ['1000.00', null], ['1000.00', null], ['4000.00', 'edited'], ['5000.00', null], ['6000.00', null],
    ]);
    expect(br.errors).toEqual([]);
  });
});
