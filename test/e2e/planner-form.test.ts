import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../integration/server/http-client.js';
import { chromiumMissing, openBrowser, resizeViewport, shot, type Browser } from './browser.js';
import { startFormServer, type FormServer } from './form-server.js';
import { editCell, rowWith, signIn } from './form-steps.js';

type Row = Record<string, string | number | boolean | null>;
type Page_ = { rows: Row[]; next_cursor: string | null };

const missing = chromiumMissing();
if (missing) console.warn(`skipping the browser tests: ${missing}`);

describe.skipIf(missing !== undefined)('the planner form in headless Chromium', () => {
  let s: FormServer;
  let a: Browser; // ana, planner in EMEA
  let b: Browser; // fin, finance (a second profile: its own sessionStorage)
  const api = <T>(method: string, path: string, token: string, body?: unknown) => call<T>(s.server.url, method, path, { token, ...(body !== undefined ? { body } : {}) });
  const merged = async (token: string) => (await api<Page_>('GET', '/api/v1/models/account_forecast/rows', token)).body.rows;

  beforeAll(async () => {
    s = await startFormServer();
    [a, b] = await Promise.all([openBrowser(), openBrowser()]);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await s?.close();
  });

  it('signs in with a token, shows who and the role, and shows only rows of the row filter', async () => {
    // bob (AMER) and fin write rows first; ana (EMEA) must never receive the AMER row.
    expect((await api('POST', '/api/v1/inputs/revenue_forecast/rows', s.tokens.bob, { rows: [{ account_id: 'acc_001', quarter: '2026-Q4', amount: '5000.00' }] })).status).toBe(200);
    const { page } = a;
    await page.goto(`${s.server.url}/forms/revenue_forecast`);
    await expect(page.getByRole('heading', { name: 'Sign in' }).isVisible()).resolves.toBe(true);
    await page.getByLabel('API token').fill('wb_not_a_token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('This token is not valid or was revoked.').waitFor();
    await shot(page, '01-sign-in');
    await signIn(page, `${s.server.url}/forms/revenue_forecast`, s.tokens.ana);
    expect(await page.locator('#who .user').textContent()).toBe('ana');
    expect(await page.locator('#who .role').textContent()).toBe('planner · region=EMEA');
    expect(await page.evaluate<string | null>("sessionStorage.getItem('writeback.token')")).toBe(s.tokens.ana);
    expect(await page.evaluate<number>('localStorage.length')).toBe(0);
    await page.getByText('No rows yet in scenario base').waitFor();
    expect(await page.content()).not.toContain('acc_001'.concat('</td>'));
  });

  it('adds and edits a forecast with the keyboard and sees it in the merged view', async () => {
    const { page } = a;
    await page.getByRole('button', { name: '+ Add row' }).click();
    const fresh = page.locator('tr.row.new').first();
    await editCell(page, fresh, 'account_id', 'acc_022');
    await editCell(page, fresh, 'quarter', '2026-Q4');
    await editCell(page, fresh, 'amount', '125000');
    expect(await fresh.locator('td[data-col="account_id"]').getAttribute('class')).toContain('dirty');
    // context columns from the linked source appear as soon as the key is known
    expect(await fresh.locator('td.ctx').first().textContent()).toBe('Nordhavn Marine');
    await page.getByRole('button', { name: 'Save 1 row' }).click();
    await page.locator('#save-status', { hasText: 'Saved 1 row' }).waitFor();
    const row = rowWith(page, 'acc_022', '2026-Q4');
    expect(await row.locator('td[data-col="amount"]').textContent()).toBe('125,000.00');
    expect(await row.locator('td[data-col="confidence"]').textContent()).toBe('medium');

    // Tab moves between cells; Esc cancels an edit; Enter confirms.
    await row.locator('td[data-col="amount"]').focus();
    await page.keyboard.press('Enter');
    await row.locator('td[data-col="amount"] .control').fill('999');
    await page.keyboard.press('Escape');
    expect(await row.locator('td[data-col="amount"]').textContent()).toBe('125,000.00');
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string | null>("document.activeElement.getAttribute('data-col')")).toBe('confidence');
    await editCell(page, row, 'amount', '130000.50');
    expect(await row.locator('td[data-col="amount"]').getAttribute('class')).toContain('dirty');
    await page.keyboard.press('Control+s');
    await page.locator('#save-status', { hasText: 'Saved 1 row' }).waitFor();
    const mine = (await merged(s.tokens.ana)).filter((r) => r.id === 'acc_022' && r.quarter === '2026-Q4');
    expect(mine.map((r) => r.amount)).toEqual(['130000.50']);
    await shot(page, '02-form-edited');
  });

  it('shows client and server validation errors next to the field', async () => {
    const { page } = a;
    const row = rowWith(page, 'acc_022', '2026-Q4');
    await editCell(page, row, 'amount', '-5');
    const err = row.locator('td[data-col="amount"] .field-error');
    expect(await err.textContent()).toBe('-5 is below the minimum 0');
    expect(await row.locator('td[data-col="amount"]').getAttribute('aria-invalid')).toBe('true');
    await page.getByRole('button', { name: 'Discard' }).click();
    // A key the linked source does not have: only the server knows (422), shown at account_id.
    await page.getByRole('button', { name: '+ Add row' }).click();
    const fresh = page.locator('tr.row.new').first();
    await editCell(page, fresh, 'account_id', 'acc_999');
    await editCell(page, fresh, 'quarter', '2026-Q4');
    await editCell(page, fresh, 'amount', '10');
    await page.getByRole('button', { name: 'Save 1 row' }).click();
    const serverErr = fresh.locator('td[data-col="account_id"] .field-error');
    await serverErr.waitFor();
    expect(await serverErr.textContent()).toContain("account_id 'acc_999' is not a row of crm.accounts that you may write");
    expect(await page.locator('#save-status').textContent()).toContain('Not saved');
    await shot(page, '03-field-error');
    await page.getByRole('button', { name: 'Discard' }).click();
  });

  it('a conflict between two browsers names who changed the row and lets the user overwrite deliberately', async () => {
    {
      await signIn(b.page, `${s.server.url}/forms/revenue_forecast`, s.tokens.fin);
      const theirs = rowWith(b.page, 'acc_022', '2026-Q4');
      const mine = rowWith(a.page, 'acc_022', '2026-Q4');
      await a.page.reload();
      await mine.waitFor();
      await editCell(b.page, theirs, 'amount', '140000');
      await b.page.getByRole('button', { name: 'Save 1 row' }).click();
      await b.page.locator('#save-status', { hasText: 'Saved 1 row' }).waitFor();

      await editCell(a.page, mine, 'amount', '150000');
      await a.page.getByRole('button', { name: 'Save 1 row' }).click();
      const info = a.page.locator('tr.conflict-info');
      await info.waitFor();
      expect(await info.textContent()).toContain('fin changed this row');
      expect(await info.textContent()).toContain('amount 140,000.00');
      expect(await info.textContent()).toContain('Yours: amount 150,000.00');
      await shot(a.page, '04-conflict');
      await a.page.getByRole('button', { name: 'Overwrite with mine' }).click();
      await a.page.locator('#save-status', { hasText: 'Saved 1 row' }).waitFor();
      expect((await merged(s.tokens.fin)).find((r) => r.id === 'acc_022' && r.quarter === '2026-Q4')?.amount).toBe('150000.00');

      // The other way: b is now behind and chooses to reload their values.
      await editCell(b.page, theirs, 'amount', '1');
      await b.page.getByRole('button', { name: 'Save 1 row' }).click();
      await b.page.getByRole('button', { name: 'Reload their values' }).click();
      expect(await theirs.locator('td[data-col="amount"]').textContent()).toBe('150,000.00');
    }
  });

  it('bulk-pastes 50 rows: preview, invalid cells flagged, confirmation with the count, one batch', async () => {
    {
      const { page } = b;
      await page.goto(`${s.server.url}/forms/revenue_forecast`);
      const lines = Array.from({ length: 50 }, (_, i) => `acc_${String(i + 1).padStart(3, '0')}\t2027-Q1\t${(i + 1) * 1000}.5\thigh\tpasted ${i + 1}`);
      await page.getByRole('button', { name: 'Paste rows' }).click();
      const area = page.getByLabel('Rows copied from a spreadsheet (tab-separated)');
      await area.fill(['account_id\tquarter\tamount\tconfidence\tnote', ...lines.slice(0, 49), 'acc_050\t2027-Q5\t-1\tsure\tbad'].join('\n'));
      const summary = page.locator('#paste-summary');
      expect(await summary.textContent()).toContain('50 rows: 50 new, 0 updates — 1 row has invalid cells');
      expect(await page.locator('.paste-preview td.invalid').count()).toBe(3);
      expect(await page.locator('#paste-confirm').isDisabled()).toBe(true);
      await shot(page, '05-paste-preview');
      await area.fill(['account_id\tquarter\tamount\tconfidence\tnote', ...lines].join('\n'));
      expect(await summary.textContent()).toBe('50 rows: 50 new, 0 updates. Scenario: base.');
      const before = await s.wb.adapter.query<{ n: number; at: number }>(`select count(*)::integer as n from writeback.revenue_forecast__log`);
      const posts: string[] = [];
      page.on('request', (r) => { if (r.method() === 'POST') posts.push(r.postData() ?? ''); });
      await page.getByRole('button', { name: 'Write 50 rows' }).click();
      await page.locator('#save-status', { hasText: 'Saved 50 pasted rows' }).waitFor();
      expect(posts).toHaveLength(1);
      const sent = JSON.parse(posts[0]!) as { rows: Row[]; confirm: boolean };
      expect(sent.rows).toHaveLength(50);
      expect(sent.confirm).toBe(true);
      const [after] = await s.wb.adapter.query<{ n: number; batches: number }>(
        `select count(*)::integer as n, count(distinct _request_id)::integer as batches from writeback.revenue_forecast__log where quarter = '2027-Q1'`,
      );
      expect(after!.n).toBe(50);
      expect(before[0]!.n + 50).toBe((await s.wb.adapter.query<{ n: number }>(`select count(*)::integer as n from writeback.revenue_forecast__log`))[0]!.n);
      await page.locator('#filter').fill('2027-Q1');
      await page.locator('.pager .count', { hasText: '1–50 of 50 rows' }).waitFor();
    }
  });

  it('shows a stored <script> value as text and never runs it', async () => {
    const evil = `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">`;
    expect((await api('POST', '/api/v1/inputs/revenue_forecast/rows', s.tokens.ana, { rows: [{ account_id: 'acc_023', quarter: '2026-Q4', amount: '1.00', note: evil }] })).status).toBe(200);
    const { page } = a;
    await page.reload();
    const cell = rowWith(page, 'acc_023', '2026-Q4').locator('td[data-col="note"]');
    expect(await cell.textContent()).toBe(evil);
    expect(await page.evaluate<unknown>('window.__pwned')).toBeUndefined();
    expect(await page.locator('main img, main script').count()).toBe(0);
    expect(a.errors).toEqual([]);
  });

  it('shows the history of a row: who, when, old → new per column', async () => {
    const { page } = a;
    await rowWith(page, 'acc_022', '2026-Q4').getByRole('button', { name: /History of/ }).click();
    const drawer = page.getByRole('dialog', { name: 'History of acc_022 · 2026-Q4' });
    await drawer.locator('li.entry').first().waitFor();
    const entries = drawer.locator('li.entry');
    expect(await entries.count()).toBe(4);
    const newest = await entries.first().textContent();
    expect(newest).toContain('ana');
    expect(newest).toMatch(/amount\s*140,000.00\s*→\s*150,000.00/);
    expect(await entries.nth(1).textContent()).toMatch(/fin.*amount\s*130,000.50\s*→\s*140,000.00/s);
    expect(await entries.last().textContent()).toContain('created');
    await shot(page, '06-history');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
  });

  it('derives typed controls from the column types and sorts by a column', async () => {
    const { page } = a;
    await page.goto(`${s.server.url}/forms/revenue_forecast`);
    const row = rowWith(page, 'acc_022', '2026-Q4');
    const amount = row.locator('td[data-col="amount"]');
    await amount.focus();
    await page.keyboard.press('Enter');
    const number = amount.locator('input');
    expect(await number.evaluate((el) => [el.getAttribute('type'), el.getAttribute('min'), el.getAttribute('step'), el.getAttribute('aria-label')])).toEqual(['number', '0', '0.01', 'amount of acc_022 · 2026-Q4']);
    await page.keyboard.press('Escape');
    const note = row.locator('td[data-col="note"]');
    await note.focus();
    await page.keyboard.press('Enter');
    await note.locator('input').fill('Two new vessels');
    expect(await note.locator('.counter').textContent()).toBe('15/500');
    expect(await note.locator('input').getAttribute('maxlength')).toBe('500');
    await page.keyboard.press('Escape');
    expect(await note.getAttribute('class')).not.toContain('dirty');

    // sorted on the server: the header says so once the sorted page is shown
    await page.getByRole('button', { name: /^amount/ }).click();
    await page.locator('th[data-col="amount"][aria-sort="ascending"]').waitFor();
    const amounts = async () => (await page.locator('tr.row td[data-col="amount"]').allTextContents()).map((t) => Number(t.replace(/,/g, '')));
    const asc = await amounts();
    expect(asc).toEqual([...asc].sort((x, y) => x - y));
    await page.getByRole('button', { name: /^amount/ }).click();
    await page.locator('th[data-col="amount"][aria-sort="descending"]').waitFor();
    const desc = await amounts();
    expect(desc).toEqual([...desc].sort((x, y) => y - x));

    // a boolean column is a checkbox (account_category.reviewed, as finance)
    await b.page.goto(`${s.server.url}/forms/account_category`);
    await b.page.getByRole('button', { name: '+ Add row' }).click();
    const reviewed = b.page.locator('tr.row.new td[data-col="reviewed"]');
    expect(await reviewed.textContent()).toBe('No');
    await reviewed.focus();
    await b.page.keyboard.press(' ');
    expect(await reviewed.textContent()).toBe('Yes');
    await reviewed.focus();
    await b.page.keyboard.press('Enter');
    expect(await reviewed.locator('input').getAttribute('type')).toBe('checkbox');
    await b.page.keyboard.press('Escape');
    await b.page.getByRole('button', { name: 'Discard' }).click();
  });

  it('creates a scenario, writes an override, compares it with base and resets it to the parent', async () => {
    const { page } = a;
    await page.goto(`${s.server.url}/forms/revenue_forecast`);
    await rowWith(page, 'acc_022', '2026-Q4').waitFor();
    await page.getByRole('button', { name: 'New…' }).click();
    await page.getByLabel('Name').fill('stretch_q4');
    await page.getByLabel('Starts from').selectOption('base');
    await page.getByRole('button', { name: 'Create scenario' }).click();
    await page.waitForURL(/scenario=stretch_q4/);
    await page.locator('#save-status', { hasText: 'All changes saved' }).waitFor();
    expect(await page.locator('#scenario').inputValue()).toBe('stretch_q4');
    const row = rowWith(page, 'acc_022', '2026-Q4');
    expect(await row.locator('td[data-col="amount"]').textContent()).toBe('150,000.00'); // falls back to base
    await editCell(page, row, 'amount', '175000');
    await page.getByRole('button', { name: 'Save 1 row' }).click();
    await page.locator('#save-status', { hasText: 'Saved 1 row' }).waitFor();
    expect(await row.getAttribute('class')).toContain('override');
    expect(await row.locator('td[data-col="amount"]').getAttribute('class')).toContain('overridden');
    expect(await row.locator('td[data-col="confidence"]').getAttribute('class')).not.toContain('overridden');
    const stretch = (await api<Page_>('GET', '/api/v1/inputs/revenue_forecast/rows?scenario=stretch_q4&filter.account_id=acc_022&filter.quarter=2026-Q4', s.tokens.ana)).body.rows;
    expect(stretch[0]?.amount).toBe('175000.00');
    const base = (await api<Page_>('GET', '/api/v1/inputs/revenue_forecast/rows?filter.account_id=acc_022&filter.quarter=2026-Q4', s.tokens.ana)).body.rows;
    expect(base[0]?.amount).toBe('150000.00');

    await page.getByRole('button', { name: 'Compare…' }).click();
    const cmp = page.getByRole('dialog', { name: /Compare scenarios/ });
    await cmp.locator('#compare-summary').waitFor();
    expect(await cmp.locator('#compare-summary').textContent()).toBe('1 row differs between base and stretch_q4.');
    expect(await cmp.locator('td.diff').first().textContent()).toBe('150,000.00 → 175,000.00 +25,000.00');
    await shot(page, '10-compare');
    await cmp.getByRole('button', { name: 'Close' }).click();

    await row.getByRole('button', { name: /Reset acc_022 · 2026-Q4 to parent/ }).click();
    await page.locator('#save-status', { hasText: 'follows base again' }).waitFor();
    expect(await row.locator('td[data-col="amount"]').textContent()).toBe('150,000.00');
    expect(await row.getAttribute('class')).not.toContain('override');
    await page.locator('#scenario').selectOption('base');
    await page.waitForURL((u) => !u.search.includes('scenario='));
  });

  it('a large planner forecast waits for approval; a finance approver approves it with a comment', async () => {
    const { page } = a;
    await page.goto(`${s.server.url}/forms/revenue_forecast`);
    const row = rowWith(page, 'acc_022', '2026-Q4');
    await editCell(page, row, 'amount', '2500000');
    await page.getByRole('button', { name: 'Save 1 row' }).click();
    await page.locator('#save-status', { hasText: 'Sent 1 row for approval' }).waitFor();
    expect(await row.locator('td[data-col="amount"]').textContent()).toBe('150,000.00');
    expect(await row.getAttribute('class')).toContain('pending');
    expect(await page.locator('.pending-item').textContent()).toContain('Waiting for an approver (nobody approves their own change).');
    expect(await page.getByRole('button', { name: 'Approve…' }).count()).toBe(0);

    {
      await b.page.goto(`${s.server.url}/forms/revenue_forecast`);
      const item = b.page.locator('.pending-item');
      await item.waitFor();
      expect(await item.textContent()).toMatch(/ana.*proposed 1 row.*amount 150,000.00 → 2,500,000.00/s);
      await shot(b.page, '11-approval-queue');
      await item.getByRole('button', { name: 'Approve…' }).click();
      await b.page.getByLabel('Comment (required)').fill('Signed LOI attached');
      await b.page.locator('#decide-ok').click();
      await b.page.locator('#save-status', { hasText: 'Approved the change by ana' }).waitFor();
      const approved = rowWith(b.page, 'acc_022', '2026-Q4');
      expect(await approved.locator('td[data-col="amount"]').textContent()).toBe('2,500,000.00');
      // the approval is logged as the approver's entry (the proposal stays in the log as ana's)
      expect(await approved.locator('td.meta .by').textContent()).toBe('fin');
      expect(await b.page.locator('.pending-item').count()).toBe(0);
    }
    expect((await merged(s.tokens.ana)).find((r) => r.id === 'acc_022' && r.quarter === '2026-Q4')?.amount).toBe('2500000.00');
  });

  it('runs a one-click action with its confirmation, and offers only permitted status transitions', async () => {
    const { page } = a;
    await page.reload();
    const row = rowWith(page, 'acc_023', '2026-Q4');
    expect(await row.locator('td[data-col="status"]').textContent()).toBe('draft');
    await row.getByRole('button', { name: 'Submit: acc_023 · 2026-Q4' }).click();
    const dialog = page.getByRole('dialog', { name: 'Submit?' });
    expect(await dialog.textContent()).toContain('Sets status = submitted on acc_023 · 2026-Q4.');
    await dialog.getByRole('button', { name: 'Submit' }).click();
    await page.locator('#save-status', { hasText: 'Submit: done' }).waitFor();
    expect(await row.locator('td[data-col="status"]').textContent()).toBe('submitted');
    const history = (await api<{ entries: { user: string; changes: { column: string; old: unknown; new: unknown }[] }[] }>('GET', '/api/v1/inputs/revenue_forecast/history?key.account_id=acc_023&key.quarter=2026-Q4', s.tokens.ana)).body.entries;
    expect(history.at(-1)).toMatchObject({ user: 'ana', changes: [{ column: 'status', old: 'draft', new: 'submitted' }] });
    // submitted → draft is open to planners; submitted → approved needs finance
    const cell = row.locator('td[data-col="status"]');
    await cell.focus();
    await page.keyboard.press('Enter');
    expect(await cell.locator('option').allTextContents()).toEqual(['draft', 'submitted']);
    await page.keyboard.press('Escape');
    // once finance approved it, the row is locked for ana: no Submit, no editable cell, no status choice
    expect((await api('POST', '/api/v1/inputs/revenue_forecast/rows', s.tokens.fin, { rows: [{ account_id: 'acc_023', quarter: '2026-Q4', status: 'approved' }] })).status).toBe(200);
    await page.reload();
    await row.waitFor();
    expect(await row.getByRole('button', { name: /^Submit/ }).count()).toBe(0);
    expect(await row.locator('td.cell.editable').count()).toBe(0);
    expect(await row.locator('td[data-col="status"]').getAttribute('class')).toContain('readonly');
    // finance reopens it (approved → draft is theirs to make)
    expect((await api('POST', '/api/v1/inputs/revenue_forecast/rows', s.tokens.fin, { rows: [{ account_id: 'acc_023', quarter: '2026-Q4', status: 'draft' }] })).status).toBe(200);
  });

  it('signs in automatically in --dev-user mode and makes no external request', async () => {
    const { page } = a;
    await page.goto(`${s.dev.url}/`);
    await page.locator('#who .user').waitFor();
    expect(await page.locator('#who .user').textContent()).toBe('demo');
    expect(await page.locator('#who .badge').textContent()).toBe('dev mode');
    // the list of tables comes from its own request (GET /api/v1/inputs), which may answer after /me
    await page.getByRole('link', { name: 'revenue_forecast' }).first().waitFor();
    expect(await page.getByRole('link', { name: 'revenue_forecast' }).count()).toBe(1);
    await shot(page, '07-index');
    const hosts = new Set(a.requests.map((u) => new URL(u).host));
    expect([...hosts].every((h) => h.startsWith('127.0.0.1:'))).toBe(true);
  });

  it('works on a narrow screen, and on a page of forecasts with one cell being changed', async () => {
    const { page } = a;
    await resizeViewport(page, { width: 400, height: 760 });
    await page.goto(`${s.dev.url}/forms/revenue_forecast`);
    await rowWith(page, 'acc_022', '2026-Q4').waitFor();
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await page.locator('#more-menu summary').click();
    expect(await page.getByRole('button', { name: 'Paste rows' }).isVisible()).toBe(true);
    await shot(page, '08-narrow');
    await page.keyboard.press('Escape');
    // Planner ana's EMEA forecasts for 2026-Q4, one cell being changed.
    const scene: [string, string, string, string][] = [
      ['acc_022', '385000.00', 'high', 'Renewal signed in October; two new vessels onboarding'],
      ['acc_023', '42500.00', 'medium', 'Flat on Q3; tariff review pending'],
      ['acc_024', '61000.00', 'medium', 'Expansion to the Toulouse plant'],
      ['acc_025', '128000.00', 'low', 'Budget freeze until the new fiscal year'],
      ['acc_026', '74250.00', 'high', 'Holiday peak; contract volume confirmed'],
      ['acc_027', '96800.00', 'medium', 'Trial of the analytics add-on'],
      ['acc_028', '55300.00', 'medium', ''],
      ['acc_030', '18900.00', 'low', 'Public tender; decision in December'],
      ['acc_031', '23400.00', 'high', 'Upsell to 40 seats agreed'],
      ['acc_032', '47150.00', 'medium', 'Seasonal; same as last year'],
      ['acc_033', '58900.00', 'high', ''],
      ['acc_034', '21750.00', 'medium', 'New security package'],
      ['acc_035', '39600.00', 'medium', ''],
      ['acc_036', '112400.00', 'high', 'Core banking migration phase 2'],
    ];
    const written = await s.wb.inputs.write(
      'revenue_forecast',
      scene.map(([account_id, amount, confidence, note]) => ({ account_id, quarter: '2026-Q4', amount, confidence, note: note || null })),
      { user: 'ana', role: 'planner', attributes: { region: 'EMEA' }, comment: 'Q4 plan' },
    );
    expect(written.ok).toBe(true);
    await resizeViewport(page, { width: 1366, height: 720 });
    await page.goto(`${s.server.url}/forms/revenue_forecast`);
    await page.locator('#filter').fill('2026-Q4');
    await page.locator('.pager .count', { hasText: '1–14 of 14 rows' }).waitFor();
    await editCell(page, rowWith(page, 'acc_025', '2026-Q4'), 'amount', '142000');
    await rowWith(page, 'acc_025', '2026-Q4').locator('td[data-col="confidence"]').focus();
    await shot(page, '09-forecasts');
  });

  it('offers the values of a source column (account_category.category) as a select', async () => {
    const categories = readFileSync(resolve(import.meta.dirname, '../../seeds/categories.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]!);
    const { page } = b;
    await page.goto(`${s.dev.url}/forms/account_category`);
    await page.getByRole('button', { name: '+ Add row' }).click();
    const cell = page.locator('tr.row.new td[data-col="category"]');
    await cell.focus();
    await page.keyboard.press('Enter');
    const select = cell.locator('select.control');
    await select.waitFor();
    const options = await select.locator('option').evaluateAll((els) => els.map((el) => el.getAttribute('value')));
    expect(options).toEqual(['', ...[...categories].sort()]);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Discard' }).click();
  });
});
