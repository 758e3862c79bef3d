import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { call } from '../integration/server/http-client.js';
import { chromiumMissing, openBrowser, resizeViewport, type Browser } from './browser.js';
import { startFormServer, type FormServer } from './form-server.js';
import { openAs, rowWith } from './form-steps.js';

// The planner pages with the keyboard alone: every control is reached by Tab, shows a visible focus
// indicator (an outline or box-shadow with a contrast of at least 3:1 against what surrounds it,
// WCAG 2.2 non-text contrast), and every dialog keeps the focus inside and gives it back on close.

const missing = chromiumMissing();
if (missing) console.warn(`skipping the keyboard tests: ${missing}`);

// In-page checks (plain JavaScript: this project's TypeScript has no DOM types).

/** A short description of the focused element: tag#id.class "name". */
const DESCRIBE = `((el) => {
  if (!el || el === document.body) return 'body';
  const name = (el.getAttribute('aria-label') || el.textContent || el.getAttribute('placeholder') || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
  return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.classList.length ? '.' + [...el.classList].join('.') : '') + (name ? ' "' + name + '"' : '');
})(document.activeElement)`;

/** Why the focused element's focus is not visible, or null when it is. */
const FOCUS_PROBLEM = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return 'nothing has the focus';
  const rgba = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = (c) => c.slice(0, 3).map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4)).reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
  const ratio = (a, b) => { const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x); return (hi + 0.05) / (lo + 0.05); };
  const background = (start) => {
    for (let e = start; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c.length >= 3 && (c.length < 4 || c[3] > 0.5)) return c;
    }
    return [255, 255, 255];
  };
  const style = getComputedStyle(el);
  const inner = background(el);                       // behind an inset indicator
  const outer = background(el.parentElement || el);   // behind an indicator drawn outside the box
  const found = [];
  if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1) {
    const behind = parseFloat(style.outlineOffset) < 0 ? inner : outer;
    found.push(['outline', rgba(style.outlineColor), behind]);
  }
  if (style.boxShadow && style.boxShadow !== 'none') {
    for (const part of style.boxShadow.split(/,(?![^(]*\\))/)) {
      const color = part.match(/rgba?\\([^)]*\\)/);
      const lengths = part.replace(/rgba?\\([^)]*\\)/, '').match(/-?[\\d.]+px/g) || [];
      const spread = parseFloat(lengths[3] || '0');
      const x = Math.abs(parseFloat(lengths[0] || '0'));
      if (!color || (spread < 1 && x < 2)) continue;
      found.push(['box-shadow', rgba(color[0]), /inset/.test(part) ? inner : outer]);
    }
  }
  const visible = found.filter(([, c, behind]) => (c.length < 4 || c[3] > 0.5) && ratio(c, behind) >= 3);
  if (visible.length) return null;
  return found.length
    ? 'focus indicator too faint: ' + found.map(([k, c, b]) => k + ' ' + c.join('/') + ' on ' + b.slice(0, 3).join('/') + ' = ' + ratio(c, b).toFixed(2) + ':1').join(', ')
    : 'no outline or box-shadow when focused';
})()`;

/** Visible controls a keyboard user must be able to reach (in the Tab order, not disabled, not inert behind a modal). */
const TAB_STOPS = `[...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
  .filter((el) => el.tabIndex >= 0 && !el.disabled && !el.closest('[inert], [hidden], details:not([open]) > :not(summary)') && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
  .filter((el) => !document.querySelector('dialog[open]') || el.closest('dialog[open]'))
  .map((el, i) => { el.dataset.tabStop = String(i); return i; })`;

/** Tab through the page (or the open dialog) once round; every stop reached, and any stop whose focus is not visible. */
async function tabRound(page: Page, limit = 400): Promise<{ reached: Set<string>; invisible: string[]; stops: number; outside: string[] }> {
  const stops = (await page.evaluate<number[]>(TAB_STOPS)).length;
  const reached = new Set<string>();
  const invisible: string[] = [];
  const outside: string[] = [];
  const inDialog = await page.evaluate<boolean>(`Boolean(document.querySelector('dialog[open]'))`);
  for (let i = 0; i < limit && reached.size < stops; i++) {
    await page.keyboard.press('Tab');
    const [stop, problem, what, contained] = await page.evaluate<[string | null, string | null, string, boolean]>(
      `[document.activeElement?.dataset?.tabStop ?? null, ${FOCUS_PROBLEM}, ${DESCRIBE}, Boolean(document.activeElement?.closest('dialog[open]'))]`);
    if (inDialog && !contained) outside.push(what);
    if (stop === null) continue;
    if (problem && !reached.has(stop)) invisible.push(`${what}: ${problem}`);
    reached.add(stop);
  }
  return { reached, invisible, stops, outside };
}

/** The tab stops never reached, described. */
async function unreached(page: Page, reached: Set<string>): Promise<string[]> {
  return page.evaluate<string[]>(`[...document.querySelectorAll('[data-tab-stop]')].filter((el) => !${JSON.stringify([...reached])}.includes(el.dataset.tabStop))
    .map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' + (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 40) + '"')`);
}

/**
 * Open a dialog from `opener` with the keyboard (focus it, press `key`), check the focus is inside
 * the dialog, stays inside it while tabbing round and is visible on every stop, close it with
 * `close`, and check the focus is back on the opener. Returns the problems found.
 */
async function dialogRoundTrip(page: Page, name: string, opener: Locator, dialog: Locator, close: () => Promise<void>, key = 'Enter'): Promise<string[]> {
  const problems: string[] = [];
  await opener.focus();
  await page.evaluate(`document.activeElement.dataset.opener = '1'`);
  await page.keyboard.press(key);
  await dialog.waitFor();
  if (!(await page.evaluate<boolean>(`Boolean(document.activeElement?.closest('dialog[open]'))`))) problems.push(`${name}: the focus is not in the dialog when it opens (${await page.evaluate<string>(DESCRIBE)})`);
  const round = await tabRound(page);
  if (round.outside.length) problems.push(`${name}: Tab leaves the dialog to ${round.outside.join(', ')}`);
  problems.push(...round.invisible.map((p) => `${name}: ${p}`));
  problems.push(...(await unreached(page, round.reached)).map((u) => `${name}: never reached by Tab: ${u}`));
  await close();
  await dialog.waitFor({ state: 'detached' });
  if (!(await page.evaluate<boolean>(`document.activeElement?.dataset?.opener === '1'`))) problems.push(`${name}: the focus does not return to the opener on close (it is on ${await page.evaluate<string>(DESCRIBE)})`);
  await page.evaluate(`document.querySelectorAll('[data-opener]').forEach((el) => delete el.dataset.opener)`);
  return problems;
}

describe.skipIf(missing !== undefined)('the planner pages with the keyboard alone (headless Chromium)', () => {
  let s: FormServer;
  let f: Browser; // fin, finance: every control of the form (delete, approve, scenarios)
  const api = <T>(method: string, path: string, token: string, body?: unknown) => call<T>(s.server.url, method, path, { token, ...(body !== undefined ? { body } : {}) });
  const form = (scenario?: string) => `${s.server.url}/forms/revenue_forecast${scenario ? `?scenario=${scenario}` : ''}`;

  beforeAll(async () => {
    s = await startFormServer();
    f = await openBrowser({ width: 1280, height: 800 });
    f.context.setDefaultTimeout(30_000); // a ceiling for waits only; no test asserts on time
    const seed = ['acc_001', 'acc_022', 'acc_023'].map((id, i) => ({ account_id: id, quarter: '2026-Q4', amount: `${(i + 1) * 1000}.00` }));
    expect((await api('POST', '/api/v1/inputs/revenue_forecast/rows', s.tokens.fin, { rows: seed })).status).toBe(200);
    // a pending change by ana, so the approver's queue (Approve…/Reject…) is on the page
    expect((await api('POST', '/api/v1/inputs/revenue_forecast/rows', s.tokens.ana, { rows: [{ account_id: 'acc_022', quarter: '2026-Q4', amount: '2500000' }] })).status).toBe(202);
    expect((await api('POST', '/api/v1/scenarios', s.tokens.fin, { name: 'keys_q4' })).status).toBe(201);
    expect((await api('POST', '/api/v1/inputs/revenue_forecast/rows', s.tokens.fin, { scenario: 'keys_q4', rows: [{ account_id: 'acc_023', quarter: '2026-Q4', amount: '3333' }] })).status).toBe(200);
  });
  afterAll(async () => {
    await f?.close();
    await s?.close();
  });

  it('reaches every control of the index page and of the form page (1280 and 390 px) by Tab, each with a visible focus indicator', async () => {
    const { page } = f;
    await openAs(page, `${s.server.url}/`, s.tokens.fin, 'fin');
    await page.locator('.table-card').first().waitFor();
    const index = await tabRound(page);
    expect(index.stops).toBeGreaterThan(3);
    expect(await unreached(page, index.reached)).toEqual([]);
    expect(index.invisible).toEqual([]);

    // base, with the approval queue; then a scenario, with its Promote… and Archive… buttons (at 390 px under More)
    for (const [url, shown, width] of [[form(), '.pending-item', 1280], [form('keys_q4'), '#archive-scenario', 1280], [form('keys_q4'), '#more-menu summary', 390]] as const) {
      await resizeViewport(page, { width, height: 800 });
      await page.goto(url);
      await rowWith(page, 'acc_023', '2026-Q4').waitFor();
      await page.locator(shown).waitFor();
      const grid = await tabRound(page);
      expect(grid.stops).toBeGreaterThan(10); // the page is there (a roving tabindex in the grid may keep one cell in the Tab order)
      expect(await unreached(page, grid.reached)).toEqual([]);
      expect(grid.invisible).toEqual([]);
    }
    await resizeViewport(page, { width: 1280, height: 800 });
  });

  it('operates controls with Enter and Space: sort a column, select a row, add a row, discard', async () => {
    const { page } = f;
    await page.goto(form());
    await rowWith(page, 'acc_001', '2026-Q4').waitFor();
    // the server sorts: the header says so once the sorted page is shown
    await page.getByRole('button', { name: /^amount/ }).focus();
    await page.keyboard.press('Enter');
    await page.locator('th[data-col="amount"][aria-sort="ascending"]').waitFor();
    await page.getByRole('button', { name: /^amount/ }).focus();
    await page.keyboard.press(' ');
    await page.locator('th[data-col="amount"][aria-sort="descending"]').waitFor();
    await page.getByRole('checkbox', { name: 'Select acc_001 · 2026-Q4' }).focus();
    await page.keyboard.press(' ');
    expect(await page.locator('#delete-rows').textContent()).toBe('Delete 1 row');
    await page.getByRole('button', { name: '+ Add row' }).focus();
    await page.keyboard.press(' ');
    expect(await page.locator('tr.row.new').count()).toBe(1);
    await page.getByRole('button', { name: 'Discard' }).focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('tr.row.new').count()).toBe(0);
  });

  it('every dialog takes the focus, keeps it while tabbing, and gives it back to its opener on close', async () => {
    const { page } = f;
    const problems: string[] = [];
    await page.goto(form('keys_q4'));
    const row = rowWith(page, 'acc_023', '2026-Q4');
    await row.waitFor();
    const dialog = (name: string | RegExp) => page.getByRole('dialog', { name });
    const escape = () => page.keyboard.press('Escape');

    problems.push(...(await dialogRoundTrip(page, 'paste', page.getByRole('button', { name: 'Paste rows' }), dialog('Paste rows'), escape)));
    problems.push(...(await dialogRoundTrip(page, 'history', row.getByRole('button', { name: /History of/ }), dialog(/History of/), escape, ' ')));
    problems.push(...(await dialogRoundTrip(page, 'new scenario', page.getByRole('button', { name: 'New…' }), dialog('New scenario'),
      () => dialog('New scenario').getByRole('button', { name: 'Cancel' }).click())));
    problems.push(...(await dialogRoundTrip(page, 'compare', page.getByRole('button', { name: 'Compare…' }), dialog(/Compare scenarios/),
      async () => { await dialog(/Compare scenarios/).locator('#compare-summary').waitFor(); await dialog(/Compare scenarios/).getByRole('button', { name: 'Close' }).press('Enter'); })));
    problems.push(...(await dialogRoundTrip(page, 'promote', page.getByRole('button', { name: 'Promote…' }), dialog(/^Promote keys_q4/),
      async () => { await dialog(/^Promote keys_q4/).locator('#promote-summary').waitFor(); await escape(); })));
    problems.push(...(await dialogRoundTrip(page, 'archive', page.getByRole('button', { name: 'Archive…' }), dialog(/^Archive scenario/), escape)));

    await page.getByRole('checkbox', { name: 'Select acc_001 · 2026-Q4' }).check();
    problems.push(...(await dialogRoundTrip(page, 'delete', page.locator('#delete-rows'), dialog('Delete 1 row?'), escape)));

    await page.goto(form());
    await page.locator('.pending-item').waitFor();
    problems.push(...(await dialogRoundTrip(page, 'approve', page.locator('.pending-item').getByRole('button', { name: 'Approve…' }), dialog(/Approve the change/), escape)));
    problems.push(...(await dialogRoundTrip(page, 'action', rowWith(page, 'acc_001', '2026-Q4').getByRole('button', { name: /^Submit/ }), dialog('Submit?'), escape)));
    expect(problems).toEqual([]);
    expect(f.errors).toEqual([]);
  });
});
