import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../integration/server/http-client.js';
import { chromiumMissing, openBrowser, resizeViewport, shot, type Browser } from './browser.js';
import { startFormServer, type FormServer } from './form-server.js';
import { openAs, recordPosts, rowWith } from './form-steps.js';

type Row = Record<string, string | number | boolean | null>;
type Rows = { rows: Row[]; next_cursor: string | null };
type ErrorAnswer = { error: { code: string; message: string; details: unknown[] } };

const missing = chromiumMissing();
if (missing) console.warn(`skipping the browser tests: ${missing}`);

describe.skipIf(missing !== undefined)('deleting rows, promoting and archiving scenarios, history kinds in headless Chromium', () => {
  let s: FormServer;
  let f: Browser; // fin, finance: may delete and approve
  let a: Browser; // ana, planner in EMEA: may write, not delete
  const api = <T>(method: string, path: string, token: string, body?: unknown) => call<T>(s.server.url, method, path, { token, ...(body !== undefined ? { body } : {}) });
  const rowsOf = async (scenario?: string) =>
    (await api<Rows>('GET', `/api/v1/inputs/revenue_forecast/rows${scenario ? `?scenario=${scenario}` : ''}`, s.tokens.fin)).body.rows.filter((r) => r.quarter === '2026-Q4');
  const amountOf = async (account: string, scenario?: string) => (await rowsOf(scenario)).find((r) => r.account_id === account)?.amount;
  const form = (scenario?: string) => `${s.server.url}/forms/revenue_forecast${scenario ? `?scenario=${scenario}` : ''}`;

  beforeAll(async () => {
    s = await startFormServer();
    [f, a] = await Promise.all([openBrowser(), openBrowser()]);
    // a ceiling for waits only (the machine is shared); no test asserts on time
    for (const b of [f, a]) b.context.setDefaultTimeout(30_000);
    const seed = ['acc_001', 'acc_002', 'acc_003', 'acc_004', 'acc_005', 'acc_006', 'acc_022', 'acc_023'].map((id, i) => ({ account_id: id, quarter: '2026-Q4', amount: `${(i + 1) * 1000}.00` }));
    const written = await api('POST', '/api/v1/inputs/revenue_forecast/rows', s.tokens.fin, { rows: seed });
    expect(written.status).toBe(200);
  });
  afterAll(async () => {
    await f?.close();
    await a?.close();
    await s?.close();
  });

  it('offers no Delete to roles without `delete` (planner, viewer); row selection only to the planner, for its bulk Submit', async () => {
    const { page } = a;
    await openAs(page, form(), s.tokens.ana, 'ana');
    await rowWith(page, 'acc_022', '2026-Q4').waitFor();
    expect(await page.getByRole('button', { name: '+ Add row' }).isVisible()).toBe(true);
    expect(await page.locator('#delete-rows').count()).toBe(0);
    // the planner may run `submit`: rows can be ticked for it, and the toolbar's only bulk button is Submit
    expect(await page.locator('td.select input').count()).toBeGreaterThan(0);
    expect(await page.locator('#bulk-submit').isDisabled()).toBe(true);
    await openAs(page, form(), s.tokens.vic, 'vic');
    await rowWith(page, 'acc_022', '2026-Q4').waitFor();
    expect(await page.locator('#delete-rows, td.select, #add-row').count()).toBe(0);
    await openAs(page, form(), s.tokens.ana, 'ana');
  });

  it('deletes the selected rows after a confirmation naming how many, in one POST with each `_version`', async () => {
    const { page } = f;
    await openAs(page, form(), s.tokens.fin, 'fin');
    await rowWith(page, 'acc_001', '2026-Q4').waitFor();
    const del = page.locator('#delete-rows');
    expect(await del.textContent()).toBe('Delete');
    expect(await del.isDisabled()).toBe(true);

    // the page's select-all box ticks every saved row shown, and unticks them
    await page.getByRole('checkbox', { name: 'Select all rows on this page' }).check();
    expect(await del.textContent()).toBe('Delete 8 rows');
    await page.getByRole('checkbox', { name: 'Select all rows on this page' }).uncheck();
    expect(await del.textContent()).toBe('Delete');

    // one row ticked with the keyboard (Space on the focused box), one with the mouse
    await page.getByRole('checkbox', { name: 'Select acc_001 · 2026-Q4' }).focus();
    await page.keyboard.press(' ');
    await page.getByRole('checkbox', { name: 'Select acc_002 · 2026-Q4' }).click();
    expect(await del.textContent()).toBe('Delete 2 rows');
    expect(await rowWith(page, 'acc_001', '2026-Q4').getAttribute('class')).toContain('selected');
    expect(await page.locator('#select-page').evaluate((el) => (el as unknown as { indeterminate: boolean }).indeterminate)).toBe(true);

    const posts = recordPosts(page, '/delete');
    await del.click();
    const dialog = page.getByRole('dialog', { name: 'Delete 2 rows?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('They disappear from revenue_forecast (base); the history keeps the old values.');
    expect(await dialog.locator('.delete-keys li').allTextContents()).toEqual(['acc_001 · 2026-Q4', 'acc_002 · 2026-Q4']);
    // the focus starts on Cancel; Escape (or Cancel) deletes nothing
    expect(await page.evaluate<string | null>('document.activeElement.textContent')).toBe('Cancel');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(posts).toHaveLength(0);

    await del.click();
    await shot(page, '20-delete-confirm');
    await dialog.getByRole('button', { name: 'Delete 2 rows' }).click();
    await page.locator('#save-status', { hasText: 'Deleted 2 rows' }).waitFor();
    expect(posts).toEqual([{ keys: [{ account_id: 'acc_001', quarter: '2026-Q4', _version: 1 }, { account_id: 'acc_002', quarter: '2026-Q4', _version: 1 }], confirm: true }]);
    expect(await rowWith(page, 'acc_001', '2026-Q4').count()).toBe(0);
    expect(await rowWith(page, 'acc_002', '2026-Q4').count()).toBe(0);
    expect(await del.textContent()).toBe('Delete');
    expect((await rowsOf()).map((r) => r.account_id)).not.toContain('acc_001');
    const history = await api<{ entries: { op: string; user: string }[] }>('GET', '/api/v1/inputs/revenue_forecast/history?key.account_id=acc_001&key.quarter=2026-Q4', s.tokens.fin);
    expect(history.body.entries.at(-1)).toMatchObject({ op: 'delete', user: 'fin' });
  });

  it('a row changed meanwhile gets the conflict panel: "Delete anyway" deletes it, "Reload their values" keeps it', async () => {
    const { page } = f;
    await page.getByRole('checkbox', { name: 'Select acc_003 · 2026-Q4' }).check();
    await page.getByRole('checkbox', { name: 'Select acc_004 · 2026-Q4' }).check();
    expect((await api('POST', '/api/v1/inputs/revenue_forecast/rows', s.tokens.fin2, { rows: [{ account_id: 'acc_003', quarter: '2026-Q4', amount: '7777' }] })).status).toBe(200);
    await page.locator('#delete-rows').click();
    await page.getByRole('dialog', { name: 'Delete 2 rows?' }).getByRole('button', { name: 'Delete 2 rows' }).click();
    const info = page.locator('tr.conflict-info');
    await info.waitFor();
    expect(await info.textContent()).toContain('fin2 changed this row');
    expect(await info.textContent()).toContain('amount 7,777.00');
    expect(await info.textContent()).toContain('Yours: delete this row');
    expect(await page.locator('#save-status').textContent()).toBe('Not deleted: 1 row was changed by someone else');
    expect(await amountOf('acc_004')).toBe('4000.00'); // the whole batch was refused
    await shot(page, '21-delete-conflict');
    await info.getByRole('button', { name: 'Delete anyway' }).click();
    await page.locator('#save-status', { hasText: 'Deleted 2 rows' }).waitFor();
    expect(await amountOf('acc_003')).toBeUndefined();
    expect(await amountOf('acc_004')).toBeUndefined();

    await page.getByRole('checkbox', { name: 'Select acc_005 · 2026-Q4' }).check();
    expect((await api('POST', '/api/v1/inputs/revenue_forecast/rows', s.tokens.fin2, { rows: [{ account_id: 'acc_005', quarter: '2026-Q4', amount: '5555' }] })).status).toBe(200);
    await page.locator('#delete-rows').click();
    await page.getByRole('dialog', { name: 'Delete 1 row?' }).getByRole('button', { name: 'Delete 1 row' }).click();
    await info.getByRole('button', { name: 'Reload their values' }).click();
    const kept = rowWith(page, 'acc_005', '2026-Q4');
    expect(await kept.locator('td[data-col="amount"]').textContent()).toBe('5,555.00');
    expect(await kept.getByRole('checkbox').isChecked()).toBe(false);
    expect(await page.locator('#delete-rows').isDisabled()).toBe(true);
    expect(await amountOf('acc_005')).toBe('5555.00');
  });

  it('deleting in a scenario hides the row in that scenario only, and the confirmation says so', async () => {
    expect((await api('POST', '/api/v1/scenarios', s.tokens.fin, { name: 'lean_q4' })).status).toBe(201);
    const { page } = f;
    await page.goto(form('lean_q4'));
    const row = rowWith(page, 'acc_006', '2026-Q4');
    await row.waitFor();
    await row.getByRole('checkbox').check();
    const posts = recordPosts(page, '/delete');
    await page.locator('#delete-rows').click();
    const dialog = page.getByRole('dialog', { name: 'Delete 1 row?' });
    expect(await dialog.locator('#delete-where').textContent()).toBe('In scenario lean_q4 only: it is hidden in lean_q4, while base and other scenarios keep it.');
    await dialog.getByRole('button', { name: 'Delete 1 row' }).click();
    await page.locator('#save-status', { hasText: 'Deleted 1 row in lean_q4' }).waitFor();
    expect(posts).toEqual([{ keys: [{ account_id: 'acc_006', quarter: '2026-Q4', _version: 0 }], scenario: 'lean_q4', confirm: true }]);
    expect(await row.count()).toBe(0);
    expect(await amountOf('acc_006', 'lean_q4')).toBeUndefined();
    expect(await amountOf('acc_006')).toBe('6000.00');
  });

  it('promotes a scenario: a dry-run preview per table, then a confirm button that writes into the parent', async () => {
    const override = await api('POST', '/api/v1/inputs/revenue_forecast/rows', s.tokens.fin, {
      scenario: 'lean_q4',
      rows: [{ account_id: 'acc_005', quarter: '2026-Q4', amount: '55555' }, { account_id: 'acc_022', quarter: '2026-Q4', amount: '22222' }],
    });
    expect(override.status).toBe(200);
    const { page } = f;
    await page.goto(form('lean_q4'));
    await rowWith(page, 'acc_005', '2026-Q4').waitFor();
    expect(await rowWith(page, 'acc_005', '2026-Q4').getAttribute('class')).toContain('override');
    const posts = recordPosts(page, '/promote');
    await page.getByRole('button', { name: 'Promote…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Promote lean_q4 into base' });
    await dialog.locator('#promote-summary').waitFor();
    expect(await dialog.locator('#promote-summary').textContent()).toBe('3 rows would be written into base:');
    const table = dialog.locator('section[data-table="revenue_forecast"]');
    expect(await table.locator('h3').textContent()).toBe('revenue_forecast: 2 changed, 1 deleted');
    expect(await table.locator('tr.promote-row').count()).toBe(3);
    expect(posts).toEqual([{ dry_run: true }]);
    expect(await amountOf('acc_005')).toBe('5555.00'); // the preview wrote nothing
    await shot(page, '22-promote-preview');
    await dialog.getByLabel('Comment (optional)').fill('Lean plan agreed');
    await dialog.getByRole('button', { name: 'Promote 3 rows' }).click();
    await page.locator('#save-status', { hasText: 'Promoted 3 rows from lean_q4 into base' }).waitFor();
    // the confirmation names the preview it confirms (the server refuses it if the scenario changed since)
    expect(posts[1]).toEqual({ confirm: true, comment: 'Lean plan agreed', expected_preview: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(await amountOf('acc_005')).toBe('55555.00');
    expect(await amountOf('acc_022')).toBe('22222.00');
    expect(await amountOf('acc_006')).toBeUndefined();
    expect(await rowWith(page, 'acc_005', '2026-Q4').getAttribute('class')).not.toContain('override');

    // the promoted write is in base's history under the promoting user, with the comment
    await page.goto(form());
    await rowWith(page, 'acc_005', '2026-Q4').getByRole('button', { name: /History of/ }).click();
    const drawer = page.getByRole('dialog', { name: 'History of acc_005 · 2026-Q4' });
    const newest = drawer.locator('li.entry').first();
    await newest.waitFor();
    expect(await newest.locator('.user').textContent()).toBe('fin');
    expect(await newest.locator('.comment').textContent()).toBe('“Lean plan agreed”');
    await page.keyboard.press('Escape');
  });

  it("shows the server's refusal of a promote (403) and of an archive inline, with its message", async () => {
    expect((await api('POST', '/api/v1/scenarios', s.tokens.fin, { name: 'amer_push' })).status).toBe(201);
    expect((await api('POST', '/api/v1/scenarios', s.tokens.fin, { name: 'amer_push_child', from: 'amer_push' })).status).toBe(201);
    // finance approves an EMEA forecast, which locks it for planners, then changes it in the scenario
    const key = { account_id: 'acc_023', quarter: '2026-Q4' };
    for (const status of [undefined, 'submitted', 'approved'])
      expect((await api('POST', '/api/v1/inputs/revenue_forecast/rows', s.tokens.fin, { rows: [{ ...key, amount: '1.00', ...(status ? { status } : {}) }] })).status).toBe(200);
    expect((await api('POST', '/api/v1/inputs/revenue_forecast/rows', s.tokens.fin, { scenario: 'amer_push', rows: [{ ...key, amount: '2.00' }] })).status).toBe(200);
    const { page } = a; // ana (EMEA) sees the row but may not change what finance approved
    await page.goto(form('amer_push'));
    await page.locator('#save-status', { hasText: 'All changes saved' }).waitFor();
    const preview = page.waitForResponse((r) => r.url().endsWith('/api/v1/scenarios/amer_push/promote'));
    await page.getByRole('button', { name: 'Promote…' }).click();
    const answer = await preview;
    expect(answer.status()).toBe(403);
    const refused = (await answer.json()) as ErrorAnswer;
    expect(refused.error.message).toContain('nothing was promoted');
    expect(JSON.stringify(refused.error.details)).toContain('locks it');
    const dialog = page.getByRole('dialog', { name: 'Promote amer_push into base' });
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain(refused.error.message);
    expect(await dialog.locator('#promote-confirm').isDisabled()).toBe(true);
    await shot(page, '23-promote-forbidden');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // archive: ana may not archive fin's scenario (GET /scenarios says so), so the page offers no button; she may create one
    expect(await page.locator('#archive-scenario').count()).toBe(0);
    expect(await page.locator('#new-scenario').isVisible()).toBe(true);

    // fin may archive it, but the server refuses while a child scenario is still active: shown in the dialog
    const fin = f.page;
    await fin.goto(form('amer_push'));
    await fin.locator('#save-status', { hasText: 'All changes saved' }).waitFor();
    await fin.getByRole('button', { name: 'Archive…' }).click();
    const archive = fin.getByRole('dialog', { name: 'Archive scenario amer_push?' });
    const archived = fin.waitForResponse((r) => r.url().endsWith('/api/v1/scenarios/amer_push/archive'));
    await archive.getByRole('button', { name: 'Archive amer_push' }).click();
    const no = await archived;
    expect([400, 409]).toContain(no.status());
    const msg = ((await no.json()) as ErrorAnswer).error.message;
    await archive.getByRole('alert').waitFor();
    expect(await archive.getByRole('alert').textContent()).toContain(msg);
    expect(await archive.isVisible()).toBe(true);
    await archive.getByRole('button', { name: 'Cancel' }).click();
    expect(fin.url()).toContain('scenario=amer_push');
  });

  it('archives a scenario after a confirmation and shows its parent', async () => {
    const { page } = f;
    await page.goto(form('lean_q4'));
    await page.locator('#save-status', { hasText: 'All changes saved' }).waitFor();
    await page.getByRole('button', { name: 'Archive…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Archive scenario lean_q4?' });
    expect(await dialog.textContent()).toContain('Nobody can write to lean_q4 any more');
    await dialog.getByRole('button', { name: 'Archive lean_q4' }).click();
    await page.locator('#save-status', { hasText: 'Archived scenario lean_q4' }).waitFor();
    expect(page.url()).not.toContain('scenario=');
    expect(await page.locator('#scenario').inputValue()).toBe('base');
    expect(await page.locator('#scenario option').allTextContents()).not.toContain('lean_q4');
    expect(await page.locator('#promote-scenario, #archive-scenario').count()).toBe(0); // none for base
    const list = await api<{ scenarios: { name: string; archived_by: string | null }[] }>('GET', '/api/v1/scenarios', s.tokens.fin);
    expect(list.body.scenarios.find((x) => x.name === 'lean_q4')?.archived_by).toBe('fin');
  });

  it('names the kinds of history entries (proposed, proposed deletion, rejected, reset) and shows unknown ones by name', async () => {
    const { page } = a;
    const at = '2026-11-30T10:00:00.000Z';
    const entry = (op: string, version: number | null, user: string, changes: { column: string; old: unknown; new: unknown }[], comment: string | null = null) =>
      ({ entry_id: `e-${op}`, seq: 1, op, scenario: 'base', key: { account_id: 'acc_022', quarter: '2026-Q4' }, version, user, at, request_id: null, comment, changes });
    const entries = [ // oldest first, as the API answers
      entry('upsert', 1, 'ana', [{ column: 'amount', old: null, new: '100.00' }]),
      entry('propose_upsert', null, 'ana', [{ column: 'amount', old: '100.00', new: '2000000.00' }], 'big deal <b>soon</b>'),
      entry('reject', null, 'fin', [], 'not yet'),
      entry('propose_delete', null, 'ana', [{ column: 'amount', old: '100.00', new: null }]),
      entry('reset', 2, 'ana', [{ column: 'amount', old: '100.00', new: null }]),
      entry('escalate_to_cfo', null, 'fin', []),
    ];
    const isHistory = (url: URL) => url.pathname === '/api/v1/inputs/revenue_forecast/history';
    await page.route(isHistory, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ entries }) }));
    try {
      await page.goto(form());
      await rowWith(page, 'acc_022', '2026-Q4').getByRole('button', { name: /History of/ }).click();
      const drawer = page.getByRole('dialog', { name: 'History of acc_022 · 2026-Q4' });
      await drawer.locator('li.entry').first().waitFor();
      expect(await drawer.locator('li.entry .op').allTextContents()).toEqual(['escalate to cfo', 'reset to parent', 'proposed deletion', 'rejected', 'proposed', 'created']);
      const proposed = drawer.locator('li.entry[data-op="propose_upsert"]');
      expect(await proposed.getAttribute('class')).toContain('op-proposal');
      expect(await proposed.locator('.comment').textContent()).toBe('“big deal <b>soon</b>”');
      expect(await proposed.locator('b').count()).toBe(0);
      expect(await proposed.locator('table.changes').textContent()).toMatch(/amount\s*100.00\s*→\s*2,000,000.00/);
      expect(await drawer.locator('li.entry[data-op="reject"] table.changes').count()).toBe(0);
      expect(await drawer.locator('li.entry[data-op="reject"] .ver').count()).toBe(0);
      await shot(page, '24-history-kinds');
      await page.keyboard.press('Escape');
    } finally {
      await page.unroute(isHistory);
    }
    expect(a.errors).toEqual([]);
    expect(f.errors).toEqual([]);
  });

  it('keeps the selection column and the scenario buttons within a 400 px wide screen', async () => {
    const { page } = f;
    await resizeViewport(page, { width: 400, height: 760 });
    await page.goto(form('amer_push'));
    await rowWith(page, 'acc_005', '2026-Q4').waitFor();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')).toBeLessThanOrEqual(0);
    await page.locator('#more-menu summary').click();
    for (const id of ['#delete-rows', '#promote-scenario', '#archive-scenario']) expect(await page.locator(id).isVisible()).toBe(true);
    expect(await rowWith(page, 'acc_005', '2026-Q4').getByRole('checkbox').isVisible()).toBe(true);
    await shot(page, '25-narrow-grid');
    await page.getByRole('button', { name: 'Promote…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Promote amer_push into base' });
    await dialog.locator('#promote-summary').waitFor();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')).toBeLessThanOrEqual(0);
    await shot(page, '26-narrow-promote');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });
});
