import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumMissing, openBrowser, type Browser } from './browser.js';
import { startFormServer, type FormServer } from './form-server.js';

// What a planner sees must be readable: every visible piece of text has a contrast ratio of at
// least 4.5:1 against the background it is drawn on (WCAG 2 AA for normal-size text; 3:1 for
// large text), and every column header of a table has a name. Measured in Chromium from the
// computed styles of the rendered page, whatever stylesheet rule put the colours there.

const missing = chromiumMissing();
if (missing) console.warn(`skipping the browser contrast tests: ${missing}`);

// The checks run in the page (plain JavaScript: this project's TypeScript has no DOM types).

/** Text nodes whose contrast is below WCAG AA, as `text (ratio, color on background)`. */
const LOW_CONTRAST = `(() => {
  const rgba = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = (c) => c.slice(0, 3).map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4)).reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
  // the opaque background behind an element: the first ancestor with a non-transparent background (white at the top)
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c.length >= 3 && (c.length < 4 || c[3] > 0.5)) return c;
    }
    return [255, 255, 255];
  };
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = (n.textContent || '').trim();
    const el = n.parentElement;
    if (!text || !el) continue;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || style.visibility === 'hidden' || el.closest('[hidden], .sr-only, option')) continue;
    if (el.closest('button:disabled, [aria-disabled="true"]')) continue; // WCAG exempts inactive controls
    const [hi, lo] = [lum(rgba(style.color)), lum(background(el))].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) found.push(text.slice(0, 40) + ' (' + ratio.toFixed(2) + ':1, ' + style.color + ' on ' + background(el).slice(0, 3).join('/') + ')');
  }
  return found;
})()`;

/** Column headers without a name (no text, no aria-label, no labelled control in them), as `table class: column n`. */
const UNNAMED_HEADERS = `[...document.querySelectorAll('thead th')]
  .filter((th) => !(th.textContent || '').trim() && !th.getAttribute('aria-label') && !th.querySelector('[aria-label]'))
  .map((th) => (th.closest('table') ? th.closest('table').className : 'table') + ': column ' + (th.cellIndex + 1))`;

const lowContrast = (page: Page) => page.evaluate<string[]>(LOW_CONTRAST);
const unnamedHeaders = (page: Page) => page.evaluate<string[]>(UNNAMED_HEADERS);

describe.skipIf(missing !== undefined)('contrast and table headers of the planner form (headless Chromium)', () => {
  let s: FormServer;
  let b: Browser;

  beforeAll(async () => {
    s = await startFormServer();
    b = await openBrowser();
  });
  afterAll(async () => {
    await b?.close();
    await s?.close();
  });

  it('the list of tables, a table with its source columns and last changes, and the paste preview are readable', async () => {
    const { page } = b;
    await page.goto(`${s.dev.url}/forms`);
    await page.locator('.table-card').first().waitFor();
    expect(await lowContrast(page)).toEqual([]);

    // a row, so that its "Last change" cell and the source columns are drawn
    const written = await s.wb.inputs.write('revenue_forecast', [{ account_id: 'acc_001', quarter: '2026-Q4', amount: '5000.00' }], { user: 'demo' });
    expect(written.ok).toBe(true);
    await page.goto(`${s.dev.url}/forms/revenue_forecast`);
    await page.locator('tr.row').first().waitFor();
    expect(await lowContrast(page)).toEqual([]);
    expect(await unnamedHeaders(page)).toEqual([]);

    await page.getByRole('button', { name: 'Paste rows' }).click();
    await page.getByLabel('Rows copied from a spreadsheet (tab-separated)').fill('account_id\tquarter\tamount\nacc_001\t2027-Q1\t10\nacc_002\t2027-Q9\t-1');
    await page.locator('.paste-preview table').waitFor();
    expect(await lowContrast(page)).toEqual([]);
    expect(await unnamedHeaders(page)).toEqual([]);
  });
});
