import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { call } from '../integration/server/http-client.js';
import { openProject } from '../../src/library/open-project.js';
import { silentLogger } from '../../src/server/logger.js';
import { startServer } from '../../src/server/start-server.js';
import { audit, auditAtWidths } from './axe.js';
import { chromiumMissing, openBrowser, type Browser } from './browser.js';
import { appliedCopy, startFormServer, type FormServer } from './form-server.js';
import { editCell, formLoaded, openAs, rowWith, signIn } from './form-steps.js';

// axe-core over every page and dialog state of the planner pages, at 1280 px and at 390 px wide:
// a serious or critical violation anywhere fails, naming the rule, the state and the element.

const missing = chromiumMissing();
if (missing) console.warn(`skipping the accessibility audit: ${missing}`);

const EXAMPLES = resolve(import.meta.dirname, '../../examples');
const examples = existsSync(EXAMPLES) ? readdirSync(EXAMPLES).filter((n) => existsSync(join(EXAMPLES, n, 'project.yml'))) : [];

/** The URL of an input table's form. */
const form = (base: string, table = 'revenue_forecast') => `${base}/forms/${encodeURIComponent(table)}`;

/** Wait until the toast is shown and its fade-in transition has ended (axe measures the colours drawn). */
async function toastShown(page: Page) {
  await page.locator('#toast.show').waitFor();
  await expect.poll(() => page.evaluate<string>(`getComputedStyle(document.getElementById('toast')).opacity`), { timeout: 30_000 }).toBe('1');
}

describe.skipIf(missing !== undefined)('accessibility audit (axe-core) of the planner pages in headless Chromium', () => {
  let s: FormServer;
  let a: Browser; // ana, planner in EMEA, signed in through the form
  let f: Browser; // fin, finance: deletes and approves
  const api = <T>(method: string, path: string, token: string, body?: unknown) => call<T>(s.server.url, method, path, { token, ...(body !== undefined ? { body } : {}) });

  beforeAll(async () => {
    s = await startFormServer();
    [a, f] = await Promise.all([openBrowser({ width: 1280, height: 800 }), openBrowser({ width: 1280, height: 800 })]);
    // a ceiling for waits only (the machine is shared); no test asserts on time
    for (const b of [a, f]) b.context.setDefaultTimeout(30_000);
    const seed = ['acc_001', 'acc_022', 'acc_023', 'acc_024', 'acc_025'].map((id, i) => ({ account_id: id, quarter: '2026-Q4', amount: `${(i + 1) * 1000}.00`, note: `seeded ${i + 1}` }));
    expect((await api('POST', '/api/v1/inputs/revenue_forecast/rows', s.tokens.fin, { rows: seed })).status).toBe(200);
  });
  afterAll(async () => {
    await a?.close();
    await f?.close();
    await s?.close();
  });

  it('reports what and where on a deliberately broken page (an image without alt text, grey text on white)', async () => {
    const { page } = a;
    await page.setContent('<!doctype html><html lang="en"><title>broken</title><main><h1>Broken</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" id="logo"><p id="faint" style="color:#bbb;background:#fff">Last change</p></main></html>');
    const found = await audit(page, 'broken');
    expect(found).toContainEqual(expect.stringMatching(/^broken: image-alt \(critical\) at #logo: Images must have alternative text\./));
    expect(found).toContainEqual(expect.stringMatching(/^broken: color-contrast \(serious\) at #faint: .*contrast of 1\.9\d/));
    // the same snippet with the problems fixed passes
    await page.setContent('<!doctype html><html lang="en"><title>fixed</title><main><h1>Fixed</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="logo"><p style="color:#5f6b7a;background:#fff">Last change</p></main></html>');
    expect(await audit(page, 'fixed')).toEqual([]);
  });

  it("a planner's pages and dialogs: sign-in, index, form, edits, errors, conflict, paste, history, scenarios, approval, action, toast, 404", async () => {
    const { page } = a;
    const found: string[] = [];
    const check = async (label: string) => { found.push(...(await auditAtWidths(page, label))); };
    const url = form(s.server.url);

    await page.goto(url);
    await page.locator('#token').waitFor();
    await check('sign-in');
    await page.getByLabel('API token').fill('wb_not_a_token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('This token is not valid or was revoked.').waitFor();
    await check('sign-in with an error');
    await signIn(page, url, s.tokens.ana);
    await rowWith(page, 'acc_022', '2026-Q4').waitFor();
    await check('form');

    await page.goto(`${s.server.url}/`);
    await page.locator('.table-card').first().waitFor();
    await check('index');

    await page.goto(url);
    const row = rowWith(page, 'acc_022', '2026-Q4');
    await editCell(page, row, 'amount', '1234');
    await check('form with unsaved edits');
    await row.locator('td[data-col="amount"]').focus();
    for (const key of ['Shift+ArrowDown', 'Shift+ArrowDown', 'Shift+ArrowRight']) await page.keyboard.press(key);
    await page.locator('td.cell.in-range').nth(3).waitFor();
    await check('form with a range of cells selected');
    await editCell(page, rowWith(page, 'acc_023', '2026-Q4'), 'amount', '-5');
    await rowWith(page, 'acc_023', '2026-Q4').locator('.field-error').waitFor();
    await check('form with a client error at a field');
    await page.getByRole('button', { name: 'Discard' }).click();

    await page.getByRole('button', { name: '+ Add row' }).click();
    const fresh = page.locator('tr.row.new').first();
    await editCell(page, fresh, 'account_id', 'acc_999');
    await editCell(page, fresh, 'quarter', '2026-Q4');
    await editCell(page, fresh, 'amount', '10');
    await page.getByRole('button', { name: 'Save 1 row' }).click();
    await fresh.locator('td[data-col="account_id"] .field-error').waitFor();
    await check('form with a server 422 at a field');
    await page.getByRole('button', { name: 'Discard' }).click();

    expect((await api('POST', '/api/v1/inputs/revenue_forecast/rows', s.tokens.fin2, { rows: [{ account_id: 'acc_024', quarter: '2026-Q4', amount: '4444' }] })).status).toBe(200);
    await editCell(page, rowWith(page, 'acc_024', '2026-Q4'), 'amount', '4000.5');
    await page.getByRole('button', { name: 'Save 1 row' }).click();
    await page.locator('tr.conflict-info').waitFor();
    await check('form with the 409 conflict panel');
    await page.getByRole('button', { name: 'Reload their values' }).click();
    await page.locator('tr.conflict-info').waitFor({ state: 'detached' });

    await editCell(page, rowWith(page, 'acc_025', '2026-Q4'), 'note', 'audited');
    await page.getByRole('button', { name: 'Save 1 row' }).click();
    await toastShown(page);
    await check('form with a toast');

    await page.getByRole('button', { name: 'Paste rows' }).click();
    const paste = page.getByRole('dialog', { name: /Paste/ });
    await paste.waitFor();
    await check('paste dialog');
    await page.getByLabel('Rows copied from a spreadsheet (tab-separated)').fill('account_id\tquarter\tamount\nacc_022\t2027-Q1\t10\nacc_023\t2027-Q9\t-1');
    await page.locator('.paste-preview td.invalid').first().waitFor();
    await check('paste dialog with invalid cells');
    await page.keyboard.press('Escape');
    await paste.waitFor({ state: 'detached' });

    await row.getByRole('button', { name: /History of/ }).click();
    const drawer = page.getByRole('dialog', { name: 'History of acc_022 · 2026-Q4' });
    await drawer.locator('li.entry').first().waitFor();
    await check('history drawer');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'New…' }).click();
    const create = page.getByRole('dialog', { name: 'New scenario' });
    await create.waitFor();
    await check('new-scenario dialog');
    await page.getByLabel('Name').fill('Not A Name');
    await page.getByRole('button', { name: 'Create scenario' }).click();
    await create.locator('#scn-error:not(:empty)').waitFor();
    await check('new-scenario dialog with an error');
    await page.getByLabel('Name').fill('a11y_q4');
    await page.getByRole('button', { name: 'Create scenario' }).click();
    await page.waitForURL(/scenario=a11y_q4/);
    await page.locator('#save-status', { hasText: 'All changes saved' }).waitFor();
    await editCell(page, row, 'amount', '175000');
    await page.getByRole('button', { name: 'Save 1 row' }).click();
    await page.locator('#save-status', { hasText: 'Saved 1 row' }).waitFor();
    await check('form in a scenario with an override');

    await page.getByRole('button', { name: 'Compare…' }).click();
    const compare = page.getByRole('dialog', { name: /Compare scenarios/ });
    await compare.locator('#compare-summary').waitFor();
    await check('compare dialog');
    await compare.getByRole('button', { name: 'Close' }).click();

    await page.getByRole('button', { name: 'Promote…' }).click();
    const promote = page.getByRole('dialog', { name: 'Promote a11y_q4 into base' });
    await promote.locator('#promote-summary').waitFor();
    await check('promote preview');
    await promote.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: 'Archive…' }).click();
    const archive = page.getByRole('dialog', { name: 'Archive scenario a11y_q4?' });
    await archive.waitFor();
    await check('archive confirmation');
    await archive.getByRole('button', { name: 'Cancel' }).click();

    await page.goto(url);
    await editCell(page, row, 'amount', '2500000');
    await page.getByRole('button', { name: 'Save 1 row' }).click();
    await page.locator('.pending-item').waitFor();
    await check('pending-approvals panel (proposer)');

    await rowWith(page, 'acc_023', '2026-Q4').getByRole('button', { name: 'Submit: acc_023 · 2026-Q4' }).click();
    const action = page.getByRole('dialog', { name: 'Submit?' });
    await action.waitFor();
    await check('action confirmation');
    await action.getByRole('button', { name: 'Cancel' }).click();

    await page.goto(form(s.server.url, 'no_such_table'));
    await page.locator('.error-state').waitFor();
    await check('404 page of an unknown table');

    expect(found).toEqual([]);
  });

  it("finance's pages and dialogs: approval queue and decision, row selection and the delete confirmation, account_category", async () => {
    const { page } = f;
    const found: string[] = [];
    const check = async (label: string) => { found.push(...(await auditAtWidths(page, label))); };
    await openAs(page, form(s.server.url), s.tokens.fin, 'fin');
    await page.locator('.pending-item').waitFor();
    await check('form with the approval queue (approver)');

    await page.locator('.pending-item').getByRole('button', { name: 'Approve…' }).click();
    const decide = page.getByRole('dialog', { name: /Approve the change by ana/ });
    await decide.waitFor();
    await check('approve dialog');
    await decide.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('checkbox', { name: 'Select acc_001 · 2026-Q4' }).check();
    await check('form with a row selected');
    await page.locator('#delete-rows').click();
    const del = page.getByRole('dialog', { name: 'Delete 1 row?' });
    await del.waitFor();
    await check('delete confirmation');
    await page.keyboard.press('Escape');
    await del.waitFor({ state: 'detached' });

    await page.goto(form(s.server.url, 'account_category'));
    await formLoaded(page);
    await page.getByRole('button', { name: '+ Add row' }).click();
    await check('account_category form with a new row');
    await page.getByRole('button', { name: 'Discard' }).click();
    expect(found).toEqual([]);
  });

  it('the --dev-user pages: index and both forms', async () => {
    const { page } = f;
    const found: string[] = [];
    const check = async (label: string) => { found.push(...(await auditAtWidths(page, label))); };
    await page.goto(`${s.dev.url}/`);
    await page.locator('.table-card').first().waitFor();
    await check('dev index');
    await page.goto(form(s.dev.url));
    await rowWith(page, 'acc_022', '2026-Q4').waitFor();
    await check('dev form revenue_forecast');
    await page.goto(form(s.dev.url, 'account_category'));
    await formLoaded(page);
    await check('dev form account_category');
    expect(found).toEqual([]);
    expect(a.errors).toEqual([]);
    expect(f.errors).toEqual([]);
  });
});

// the demo's revenue_forecast with its planning: declaration (accounts × quarters, pivoted, actuals as context)
describe.skipIf(missing !== undefined)('accessibility audit (axe-core) of the pivoted planning grid in headless Chromium', () => {
  let s: FormServer;
  let a: Browser; // ana, planner in EMEA

  beforeAll(async () => {
    s = await startFormServer({ planning: true });
    a = await openBrowser({ width: 1280, height: 800 });
    a.context.setDefaultTimeout(30_000); // a ceiling for waits only
  });
  afterAll(async () => {
    await a?.close();
    await s?.close();
  });

  it('the pivot: as loaded, after typing a value, with a range selected, with a conflict panel, and in Table view', async () => {
    const { page } = a;
    const found: string[] = [];
    const check = async (label: string) => { found.push(...(await auditAtWidths(page, label))); };
    const cell = (account: number, quarter: number) => page.locator(`#pivot td[data-pivot="${account}:${quarter}"]`);
    await signIn(page, form(s.server.url), s.tokens.ana);
    await page.locator('#pivot tbody tr.row').first().waitFor();
    await check('pivot');

    await cell(1, 1).focus();
    await page.keyboard.type('1250');
    await page.keyboard.press('Tab');
    await page.locator('#pivot td[data-total="1"]', { hasText: '1,250.00' }).waitFor();
    await check('pivot after typing a value');

    await cell(0, 0).focus();
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowDown');
    await page.locator('#pivot td.in-range').nth(3).waitFor();
    await check('pivot with a range selected');

    // fin writes the typed cell's keyed row meanwhile: saving shows the conflict panel under the account
    const [account] = await s.wb.adapter.query<{ id: string }>("select id from crm.accounts where region = 'EMEA' order by id limit 1 offset 1");
    const theirs = await call(s.server.url, 'POST', '/api/v1/inputs/revenue_forecast/rows', { token: s.tokens.fin, body: { rows: [{ account_id: account!.id, quarter: '2026-Q2', amount: '5' }] } });
    expect(theirs.status).toBe(200);
    await page.getByRole('button', { name: 'Save 1 row' }).click();
    await page.locator('#pivot tr.conflict-info').waitFor();
    await check('pivot with a conflict panel');
    await page.locator('#pivot tr.conflict-info').getByRole('button', { name: 'Overwrite with mine' }).click();
    await page.locator('#save-status', { hasText: 'Saved 1 row' }).waitFor();

    await page.locator('#view-table').click();
    await page.locator('table.grid:not(.pivot) tbody tr.row').first().waitFor();
    await check('pivot page in Table view');
    expect(found).toEqual([]);
    expect(a.errors).toEqual([]);
  });
});

describe.skipIf(missing !== undefined)("accessibility audit (axe-core) of the example projects' forms in headless Chromium (--dev-user)", () => {
  for (const name of examples) {
    it(`examples/${name}: the index and every input table's form, empty and with a new row`, async () => {
      const wb = await openProject(await appliedCopy(join(EXAMPLES, name)));
      const dev = await startServer(wb, { port: 0, logger: silentLogger, snapshot: false, discovery: false, devUser: { user: 'demo' }, closeLibrary: false });
      const b = await openBrowser({ width: 1280, height: 800 });
      b.context.setDefaultTimeout(30_000); // a ceiling for waits only
      try {
        const { page } = b;
        const found: string[] = [];
        const check = async (label: string) => { found.push(...(await auditAtWidths(page, `${name} ${label}`))); };
        await page.goto(`${dev.url}/`);
        await page.locator('.table-card').first().waitFor();
        await check('index');
        const tables = await page.locator('.table-card h2').allTextContents();
        expect(tables.length).toBeGreaterThan(0);
        for (const table of tables) {
          await page.goto(form(dev.url, table));
          await formLoaded(page);
          await check(`form ${table}`);
          if ((await page.locator('#add-row').count()) === 0) continue;
          await page.locator('#add-row').click();
          await check(`form ${table} with a new row`);
        }
        expect(found).toEqual([]);
        expect(b.errors).toEqual([]);
      } finally {
        await b.close();
        await dev.close();
        await wb.close();
      }
    });
  }
});
