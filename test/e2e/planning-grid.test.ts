import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { call } from '../integration/server/http-client.js';
import { chromiumMissing, openBrowser, shot, type Browser } from './browser.js';
import { startFormServer, type FormServer } from './form-server.js';

type Row = Record<string, string | number | boolean | null>;
type Rows = { rows: Row[]; next_cursor: string | null };
const QUARTERS = ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'];

const missing = chromiumMissing();
if (missing) console.warn(`skipping the browser tests: ${missing}`);

/** Paste `text` as a spreadsheet would, on the focused element. */
async function pasteText(page: Page, text: string) {
  await page.evaluate(
    `(() => { const data = new DataTransfer(); data.setData('text/plain', ${JSON.stringify(text)});` +
      ` document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true })); })()`,
  );
}

const cellOf = (page: Page, account: number, quarter: number) => page.locator(`#pivot td[data-pivot="${account}:${quarter}"]`);
const shown = async (page: Page, account: number, quarter: number) => (await cellOf(page, account, quarter).locator('.v').textContent()) ?? '';

// the demo's revenue_forecast declares planning: crm.accounts × the quarters of fiscal_year, pivoted, actuals as context
describe.skipIf(missing !== undefined)('the prefilled, pivoted planning grid in headless Chromium', () => {
  let s: FormServer;
  let a: Browser; // ana, planner in EMEA
  let emea: { id: string; name: string }[] = [];
  const logCount = async () => (await s.wb.adapter.query<{ n: number }>('select count(*)::integer as n from writeback.revenue_forecast__log'))[0]!.n;
  const stored = async () => (await call<Rows>(s.server.url, 'GET', '/api/v1/inputs/revenue_forecast/rows', { token: s.tokens.fin })).body.rows;

  beforeAll(async () => {
    s = await startFormServer({ planning: true });
    a = await openBrowser();
    emea = await s.wb.adapter.query<{ id: string; name: string }>("select id, name from crm.accounts where region = 'EMEA' order by id");
  });
  afterAll(async () => {
    await a?.close();
    await s?.close();
  });

  it('ana sees her 25 accounts × 4 quarters prefilled, with names and actuals, and nothing is logged', async () => {
    const { page } = a;
    await page.goto(`${s.server.url}/forms/revenue_forecast`);
    await page.getByLabel('API token').fill(s.tokens.ana);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#pivot tbody tr.row').first().waitFor();
    expect(await page.locator('#view-pivot').getAttribute('aria-pressed')).toBe('true');
    // each quarter (and the total) shows the amount, with the actuals under it
    expect(await page.locator('#pivot thead th').allTextContents()).toEqual(['account_id', 'name', ...QUARTERS.map((q) => `${q}Actuals`), 'TotalActuals']);
    expect(await page.locator('#pivot tbody tr.row th[scope="row"]').allTextContents()).toEqual(emea.map((r) => r.id));
    expect(await page.locator('#pivot tbody tr.row td.ctx').allTextContents()).toEqual(emea.map((r) => r.name));
    expect(await page.locator('#pivot tbody td.cell.editable').count()).toBe(25 * 4);
    // the actuals of the first account's 2026-Q1 under its cell
    const [actual] = await s.wb.adapter.query<{ revenue: string }>(`select cast(revenue as varchar) as revenue from finance.actuals where account_id = '${emea[0]!.id}' and quarter = '2026-Q1'`);
    expect(await cellOf(page, 0, 0).locator('.pivot-ctx').textContent()).toBe(Number(actual!.revenue).toLocaleString('en-US', { minimumFractionDigits: 2 }));
    expect(await page.locator('#save').isDisabled()).toBe(true);
    await shot(page, 'planning-01-pivot');
    expect(await logCount()).toBe(0);
    expect(await stored()).toEqual([]);
  });

  it('typing one amount and saving writes exactly that keyed row (one log entry); totals follow the typing', async () => {
    const { page } = a;
    await cellOf(page, 2, 1).focus();
    await page.keyboard.press('Enter');
    await cellOf(page, 2, 1).locator('.control').fill('1500.25');
    // live totals: the row and the column total follow the editor before it is committed
    await page.locator('#pivot td[data-total="2"]', { hasText: '1,500.25' }).waitFor();
    await page.locator('#pivot td[data-col-total="1"]', { hasText: '1,500.25' }).waitFor();
    // Tab commits the cell and moves to the next one
    await page.keyboard.press('Tab');
    expect(await shown(page, 2, 1)).toBe('1,500.25');
    expect(await logCount()).toBe(0);
    await page.getByRole('button', { name: 'Save 1 row' }).click();
    await page.locator('#save-status', { hasText: 'Saved 1 row' }).waitFor();
    expect(await logCount()).toBe(1);
    const rows = await stored();
    expect(rows.map((r) => [r.account_id, r.quarter, r.amount, r._version, r._updated_by])).toEqual([[emea[2]!.id, '2026-Q2', '1500.25', 1, 'ana']]);
    // after the reload the grid is still the whole plan, the typed cell saved
    expect(await page.locator('#pivot tbody td.cell.editable').count()).toBe(100);
    expect(await shown(page, 2, 1)).toBe('1,500.25');
  });

  it('a pasted 2×4 block lands in the keyed rows right and down of the focused cell; row and column totals are the sums', async () => {
    const { page } = a;
    await cellOf(page, 4, 0).focus();
    await pasteText(page, '100\t200\t300\t400\n10.5\t20.5\t30.5\t40.5\n');
    await page.locator('#save-status', { hasText: 'Pasted 8 values' }).waitFor();
    expect([await shown(page, 4, 0), await shown(page, 4, 3), await shown(page, 5, 0), await shown(page, 5, 3)]).toEqual(['100.00', '400.00', '10.50', '40.50']);
    expect(await page.locator('#pivot td[data-total="4"] .v').textContent()).toBe('1,000.00');
    expect(await page.locator('#pivot td[data-total="5"] .v').textContent()).toBe('102.00');
    expect(await page.locator('#pivot td[data-col-total="0"] .v').textContent()).toBe('110.50');
    expect(await page.locator('#pivot td[data-col-total="1"] .v').textContent()).toBe('1,720.75'); // 200 + 20.5 + the saved 1,500.25
    expect(await page.locator('#pivot td[data-col-total="all"] .v').textContent()).toBe('2,602.25');
    await shot(page, 'planning-02-pasted');
    await page.getByRole('button', { name: 'Save 8 rows' }).click();
    await page.locator('#save-status', { hasText: 'Saved 8 rows' }).waitFor();
    expect(await logCount()).toBe(9);
    const byKey = new Map((await stored()).map((r) => [`${r.account_id}/${r.quarter}`, r.amount]));
    expect(byKey.size).toBe(9);
    QUARTERS.forEach((q, j) => {
      expect(byKey.get(`${emea[4]!.id}/${q}`)).toBe(['100.00', '200.00', '300.00', '400.00'][j]);
      expect(byKey.get(`${emea[5]!.id}/${q}`)).toBe(['10.50', '20.50', '30.50', '40.50'][j]);
    });
  });

  it('a cell someone else wrote meanwhile gets the conflict panel under its account; overwriting saves that keyed row', async () => {
    const { page } = a;
    // fin writes acc #7 2026-Q3 after ana loaded the plan (she still has it as a template, _version 0)
    const theirs = await call(s.server.url, 'POST', '/api/v1/inputs/revenue_forecast/rows', { token: s.tokens.fin, body: { rows: [{ account_id: emea[7]!.id, quarter: '2026-Q3', amount: '5' }] } });
    expect(theirs.status).toBe(200);
    await cellOf(page, 7, 2).focus();
    await page.keyboard.press('Enter');
    await cellOf(page, 7, 2).locator('.control').fill('777');
    await page.keyboard.press('Tab');
    await page.getByRole('button', { name: 'Save 1 row' }).click();
    const panel = page.locator('#pivot tr.conflict-info');
    await panel.waitFor();
    expect(await panel.textContent()).toContain('fin changed this row');
    await panel.getByRole('button', { name: 'Overwrite with mine' }).click();
    await page.locator('#save-status', { hasText: 'Saved 1 row' }).waitFor();
    const row = (await stored()).find((r) => r.account_id === emea[7]!.id && r.quarter === '2026-Q3');
    expect([row?.amount, row?._version, row?._updated_by]).toEqual(['777.00', 2, 'ana']);
    expect(await logCount()).toBe(11);
  });

  it('arrows, typing, Enter, Delete and undo on pivot cells; the Table view shows the same keyed rows, templates marked not typed yet', async () => {
    const { page } = a;
    await cellOf(page, 0, 0).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    const focused = () => page.evaluate<string | null | undefined>("document.activeElement?.getAttribute('data-pivot')");
    expect(await focused()).toBe('1:1');
    // typing starts the editor; Enter commits and moves down, as in the flat grid
    await page.keyboard.type('42');
    await page.keyboard.press('Enter');
    expect(await shown(page, 1, 1)).toBe('42.00');
    expect(await focused()).toBe('2:1');
    // Delete clears the cell to an explicit blank; Ctrl+Z gives the typed value back
    await cellOf(page, 1, 1).focus();
    await page.keyboard.press('Delete');
    expect(await shown(page, 1, 1)).toBe('');
    await page.keyboard.press('Control+z');
    expect(await shown(page, 1, 1)).toBe('42.00');
    await page.keyboard.press('Control+z');
    expect(await shown(page, 1, 1)).toBe('');
    expect(await page.locator('#save').isDisabled()).toBe(true);
    await page.locator('#view-table').click();
    expect(await page.locator('#pivot').isHidden()).toBe(true);
    expect(page.url()).toContain('view=table');
    await page.locator('.pager .count', { hasText: 'of 100 rows' }).waitFor();
    const typed = page.locator('tr.row', { has: page.locator('td[data-col="account_id"]', { hasText: emea[2]!.id }) }).filter({ has: page.locator('td[data-col="quarter"]', { hasText: '2026-Q2' }) });
    expect(await typed.locator('td.meta').textContent()).toContain('ana');
    const template = page.locator('tr.row', { has: page.locator('td[data-col="account_id"]', { hasText: emea[0]!.id }) }).first();
    expect(await template.locator('td.meta').textContent()).toBe('not typed yet');
    expect(await template.getByRole('button', { name: /History/ }).count()).toBe(0);
    await page.locator('#view-pivot').click();
    // the pivot pages over accounts: switching loads its page again, then focuses its first cell
    await page.locator('#pivot td.editable:focus').waitFor();
    expect(a.errors).toEqual([]);
    expect(await logCount()).toBe(11);
  });

  it('ranges as in the flat grid: Shift+arrows and a mouse drag select, Ctrl+C copies TSV, one pasted value fills, Ctrl+D fills down, Delete clears, each one undo step', async () => {
    const { page } = a;
    const inRange = () => page.locator('#pivot td.in-range').evaluateAll((tds) => tds.map((td) => td.getAttribute('data-pivot')));
    // what the page puts on the clipboard (a copy listener after the grid's own; the copy event is synchronous)
    const copied = async () => {
      await page.evaluate("window.__copied = null; document.addEventListener('copy', (e) => { window.__copied = e.clipboardData.getData('text/plain'); }, { once: true })");
      await page.keyboard.press('Control+c');
      return page.evaluate<string | null>('window.__copied');
    };
    // accounts #4 and #5 hold the saved 2×4 block: Shift+arrows select 2 accounts × 2 quarters
    await cellOf(page, 4, 0).focus();
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowDown');
    expect(await inRange()).toEqual(['4:0', '4:1', '5:0', '5:1']);
    expect(await page.locator('#pivot').getAttribute('role')).toBe('grid');
    expect(await copied()).toBe('100.00\t200.00\n10.50\t20.50');
    // a mouse drag from account #8 Q1 to account #10 Q3
    await cellOf(page, 8, 0).hover();
    await page.mouse.down();
    await cellOf(page, 9, 1).hover();
    await cellOf(page, 10, 2).hover();
    await page.mouse.up();
    expect((await inRange()).length).toBe(9);
    // one value pasted fills the 9 cells
    await pasteText(page, '12.5');
    for (const [r, q] of [[8, 0], [9, 1], [10, 2]] as const) expect(await shown(page, r, q)).toBe('12.50');
    expect(await page.getByRole('button', { name: 'Save 9 rows' }).count()).toBe(1);
    await page.keyboard.press('Control+z');
    expect(await shown(page, 9, 1)).toBe('');
    expect(await page.locator('#save').isDisabled()).toBe(true);
    // Ctrl+D: the first account's values of the range down the others
    await cellOf(page, 4, 0).focus();
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Control+d');
    expect([await shown(page, 5, 0), await shown(page, 5, 1), await shown(page, 6, 0), await shown(page, 6, 1)]).toEqual(['100.00', '200.00', '100.00', '200.00']);
    expect(await page.locator('#pivot td[data-total="6"] .v').textContent()).toBe('300.00');
    await page.keyboard.press('Control+z');
    expect([await shown(page, 5, 0), await shown(page, 6, 1)]).toEqual(['10.50', '']);
    // Delete clears the range to blanks (one step), Ctrl+Z gives all back
    await cellOf(page, 4, 2).focus();
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Delete');
    expect([await shown(page, 4, 2), await shown(page, 4, 3), await shown(page, 5, 2), await shown(page, 5, 3)]).toEqual(['', '', '', '']);
    expect(await page.getByRole('button', { name: 'Save 4 rows' }).count()).toBe(1);
    await page.keyboard.press('Control+z');
    expect([await shown(page, 4, 2), await shown(page, 4, 3), await shown(page, 5, 2), await shown(page, 5, 3)]).toEqual(['300.00', '400.00', '30.50', '40.50']);
    expect(await page.locator('#save').isDisabled()).toBe(true);
    expect(a.errors).toEqual([]);
    expect(await logCount()).toBe(11);
  });

  it("asks the server for the fiscal year's quarters only; ana's rows of other quarters are counted in the note, not fetched", async () => {
    const { page } = a;
    // two of ana's accounts have a row outside the fiscal year; one row is someone else's (AMER)
    const written = await s.wb.inputs.write('revenue_forecast', [
      { account_id: emea[0]!.id, quarter: '2027-Q1', amount: '1.00' },
      { account_id: emea[1]!.id, quarter: '2025-Q4', amount: '2.00' },
      { account_id: 'acc_001', quarter: '2027-Q1', amount: '3.00' },
    ], { user: 'fin' });
    expect(written.ok).toBe(true);
    const from = a.requests.length;
    await page.reload();
    await page.locator('#pivot tbody tr.row').first().waitFor();
    await expect.poll(() => page.locator('.pivot-note').textContent()).toBe(`2 rows outside ${QUARTERS.join(', ')} or not saved yet: see the Table view.`);
    expect(await page.locator('.pivot-note').isVisible()).toBe(true);
    // the page's request lists the four quarters; a second one only counts (one row, no groups)
    const grids = a.requests.slice(from).filter((u) => u.includes('/grid?')).map((u) => new URL(u).searchParams);
    const paged = grids.find((q) => q.has('group_by'));
    expect(paged?.getAll('filter.quarter')).toEqual(QUARTERS);
    const counted = grids.find((q) => !q.has('group_by'));
    expect([counted?.get('limit'), counted?.getAll('filter.quarter')]).toEqual(['1', []]);
    // the cells are the same 25 × 4, the outside rows only in the Table view
    expect(await page.locator('#pivot tbody td.cell.editable').count()).toBe(25 * 4);
    await page.locator('#view-table').click();
    await expect.poll(() => page.locator('table.grid:not(.pivot) tbody tr').filter({ hasText: '2027-Q1' }).count()).toBe(1);
    await page.locator('#view-pivot').click();
    expect(a.errors).toEqual([]);
  });
});

describe.skipIf(missing !== undefined)('the pivot with its across values read from a source column, in headless Chromium', () => {
  let s: FormServer;
  let a: Browser;
  let quarters: string[] = [];

  beforeAll(async () => {
    s = await startFormServer({ planning: true, acrossFromSource: true });
    a = await openBrowser();
    quarters = (await s.wb.adapter.query<{ q: string }>('select distinct quarter as q from finance.actuals order by 1')).map((r) => r.q);
  });
  afterAll(async () => {
    await a?.close();
    await s?.close();
  });

  it("the columns are the source's quarters in order; a typed cell saves the keyed row of that quarter", async () => {
    const { page } = a;
    await page.goto(`${s.server.url}/forms/revenue_forecast`);
    await page.getByLabel('API token').fill(s.tokens.ana);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#pivot tbody tr.row').first().waitFor();
    expect(quarters.length).toBeGreaterThan(4);
    expect((await page.locator('#pivot thead th.num').allTextContents()).map((t) => t.replace('Actuals', ''))).toEqual([...quarters, 'Total']);
    expect(await page.locator('#pivot tbody td.cell.editable').count()).toBe(25 * quarters.length);
    const last = quarters.length - 1;
    await cellOf(page, 0, last).focus();
    await page.keyboard.type('64');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Save 1 row' }).click();
    await page.locator('#save-status', { hasText: 'Saved 1 row' }).waitFor();
    const rows = (await call<Rows>(s.server.url, 'GET', '/api/v1/inputs/revenue_forecast/rows', { token: s.tokens.fin })).body.rows;
    const [first] = await s.wb.adapter.query<{ id: string }>("select id from crm.accounts where region = 'EMEA' order by id limit 1");
    expect(rows.map((r) => [r.account_id, r.quarter, r.amount])).toEqual([[first!.id, quarters[last], '64.00']]);
    expect(a.errors).toEqual([]);
  });
});
