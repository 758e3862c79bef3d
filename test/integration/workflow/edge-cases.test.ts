import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InputTable, TablePermission } from '../../../src/ir/types.js';
import { forecast, notes, setup, type TestEnv } from '../write/fixture.js';

/** Approvals and scenarios at their edges: concurrent reviewers, archived scenarios, row filters through a scenario chain. */
let env: TestEnv;
beforeEach(async () => (env = await setup()));
afterEach(async () => env.done());

const k1 = { account_id: 'A1', quarter: '2026-Q1' };
const planner = { user: 'ana', role: 'planner', attributes: { region: 'EMEA' } };
const perm = (p: Partial<TablePermission>): TablePermission => ({ read: true, write: true, delete: true, approve: false, rowFilter: [], ...p });

async function withTables(more: { forecast?: Partial<InputTable>; notes?: Partial<InputTable> }): Promise<void> {
  const inputs = { forecast: { ...forecast, ...more.forecast }, notes: { ...notes, ...more.notes } };
  await env.wb.reload({ ...env.project, inputs });
}

describe('approvals at the edges', () => {
  beforeEach(async () => {
    await withTables({
      forecast: {
        approval: { requiredFor: ['planner'], when: { amount: { gt: 1000000 } } },
        // finance approves, but only the accounts of its own region (a filter on the linked source)
        permissions: { ...forecast.permissions, finance: perm({ approve: true, rowFilter: [{ column: 'region', onSource: true, attribute: 'region' }] }) },
      },
    });
    await env.wb.inputs.write('forecast', [{ ...k1, amount: '100.00' }], { user: 'admin' });
  });
  const fred = { user: 'fred', role: 'finance', attributes: { region: 'EMEA' } };
  const gina = { user: 'gina', role: 'finance', attributes: { region: 'EMEA' } };

  it('a dry run of a write that needs approval says so and logs nothing', async () => {
    const dry = await env.wb.inputs.write('forecast', [{ ...k1, amount: '2000000.00' }], { ...planner, dryRun: true });
    expect(dry).toMatchObject({ ok: true, dryRun: true, needsApproval: true, entries: [] });
    expect(await env.count('select count(*) as n from writeback.forecast__log')).toBe(1);
    expect(await env.count('select count(*) as n from writeback._wb_pending')).toBe(0);
  });

  it('two approvers at once: one decision is logged, the other is told who decided', async () => {
    for (const comments of [['ok', 'fine'], ['same', 'same']]) {
      const big = await env.wb.inputs.write('forecast', [{ ...k1, amount: `${comments[0] === 'ok' ? 2 : 3}000000.00` }], planner);
      if (!big.ok || !big.pending) throw new Error('expected a pending change');
      const [a, b] = await Promise.all([
        env.wb.pending.approve('forecast', big.pending.id, { ...fred, comment: comments[0]! }),
        env.wb.pending.approve('forecast', big.pending.id, { ...gina, comment: comments[1]! }),
      ]);
      expect([a.ok, b.ok].sort()).toEqual([false, true]);
      const loser = a.ok ? b : a;
      expect(loser.ok || [loser.error.code, /already approved by (fred|gina)/.test(loser.error.message)]).toEqual(['conflict', true]);
    }
    const approvals = await env.adapter.query(`select _user from writeback.forecast__log where _request_id like 'approve:%'`);
    expect(approvals).toHaveLength(2);
    expect((await env.wb.verify()).ok).toBe(true);
  });

  it('an approver may approve only rows inside their own row filter', async () => {
    const big = await env.wb.inputs.write('forecast', [{ ...k1, amount: '2000000.00' }], planner);
    if (!big.ok || !big.pending) throw new Error('expected a pending change');
    const amer = await env.wb.pending.approve('forecast', big.pending.id, { user: 'hal', role: 'finance', attributes: { region: 'AMER' }, comment: 'ok' });
    // a change outside the approver's filter is, to them, a change that does not exist
    expect(amer.ok || amer.error).toEqual({ code: 'not_found', message: `no pending change '${big.pending.id}' on forecast`, details: [] });
    const listed = await env.wb.pending.list('forecast', { actor: { user: 'hal', role: 'finance', attributes: { region: 'AMER' } } });
    expect(listed.ok && listed.changes).toEqual([]);
    expect(await env.count(`select count(*) as n from writeback._wb_pending where status = 'pending'`)).toBe(1);
    expect((await env.wb.pending.approve('forecast', big.pending.id, { ...fred, comment: 'ok' })).ok).toBe(true);
  });

  it('a role the table grants nothing learns nothing of its pending changes, decided or not', async () => {
    const big = await env.wb.inputs.write('forecast', [{ ...k1, amount: '3000000.00' }], planner);
    if (!big.ok || !big.pending) throw new Error('expected a pending change');
    expect((await env.wb.pending.reject('forecast', big.pending.id, { ...fred, comment: 'no' })).ok).toBe(true);
    const stranger = { user: 'rita', role: 'regional', attributes: { region: 'EMEA' }, comment: 'mine now' };
    const tried = await env.wb.pending.approve('forecast', big.pending.id, stranger);
    expect(tried.ok || tried.error.code).toBe('forbidden');
    expect(JSON.stringify(tried)).not.toMatch(/fred|rejected|\d{4}-\d{2}-\d{2}T/);
    const listed = await env.wb.pending.list('forecast', { status: 'all', actor: stranger });
    expect(listed.ok || listed.error.code).toBe('forbidden');
  });

  it('a pending change of an archived scenario can still be rejected', async () => {
    expect((await env.wb.scenarios.create({ name: 'stretch', user: 'admin' })).ok).toBe(true);
    const big = await env.wb.inputs.write('forecast', [{ ...k1, amount: '5000000.00' }], { ...planner, scenario: 'stretch' });
    if (!big.ok || !big.pending) throw new Error('expected a pending change');
    expect((await env.wb.scenarios.archive('stretch', 'admin')).ok).toBe(true);
    const approve = await env.wb.pending.approve('forecast', big.pending.id, { ...fred, comment: 'too late' });
    expect(approve.ok || approve.error.message).toMatch(/archived/);
    const reject = await env.wb.pending.reject('forecast', big.pending.id, { ...fred, comment: 'scenario closed' });
    expect(reject.ok).toBe(true);
    expect(await env.count(`select count(*) as n from writeback._wb_pending where status = 'pending'`)).toBe(0);
  });
});

describe('row filters through a scenario chain', () => {
  // notes: `regional` may touch only rows whose own `region` column is theirs
  const emea = { user: 'rita', role: 'regional', attributes: { region: 'EMEA' } };
  beforeEach(async () => {
    await withTables({ notes: { scenarios: true } });
    await env.wb.inputs.write('notes', [{ id: 1, region: 'AMER', body: 'us deal' }, { id: 2, region: 'EMEA', body: 'eu deal' }], { user: 'admin' });
    expect((await env.wb.scenarios.create({ name: 'what_if', user: 'admin' })).ok).toBe(true);
  });

  it('a row the scenario inherits is checked as its readers see it: outside the filter it is a row that does not exist', async () => {
    const del = await env.wb.inputs.delete('notes', [{ id: 1 }], { ...emea, scenario: 'what_if' });
    expect(del.ok || del.error).toEqual({ code: 'not_found', message: '1 key(s) do not exist; nothing was deleted', details: [{ row: 0, message: `notes {"id":1} does not exist in scenario 'what_if'` }] });
    const edit = await env.wb.inputs.write('notes', [{ id: 1, body: 'mine now' }], { ...emea, scenario: 'what_if' });
    expect(edit.ok || edit.error.code).toBe('forbidden');
    expect(JSON.stringify(edit)).not.toMatch(/AMER|us deal|admin/);
    // inside the filter: an edit of an inherited row needs no region of its own, and a delete hides it in the scenario only
    expect((await env.wb.inputs.write('notes', [{ id: 2, body: 'eu, revised' }], { ...emea, scenario: 'what_if' })).ok).toBe(true);
    expect((await env.wb.inputs.delete('notes', [{ id: 2 }], { ...emea, scenario: 'what_if' })).ok).toBe(true);
    const base = await env.wb.inputs.rows('notes', { filter: { id: 2 } });
    expect(base.ok && base.rows.map((r) => r.body)).toEqual(['eu deal']);
  });

  it('a reset may not move a row out of the caller\'s filter: the parent row it would leave is outside', async () => {
    // the administrator brings the AMER row into EMEA in the scenario; rita sees it there
    expect((await env.wb.inputs.write('notes', [{ id: 1, region: 'EMEA', body: 'now ours' }], { user: 'admin', scenario: 'what_if' })).ok).toBe(true);
    const seen = await env.wb.inputs.rows('notes', { scenario: 'what_if', actor: emea });
    expect(seen.ok && seen.rows.map((r) => r.id)).toEqual([1, 2]);
    const reset = await env.wb.scenarios.reset('notes', [{ id: 1 }], { ...emea, scenario: 'what_if' });
    expect(reset.ok || reset.error).toEqual({ code: 'forbidden', message: "1 row(s) are outside what role 'regional' may write", details: [{ row: 0, message: 'notes {"id":1} cannot be reset by you' }] });
    const still = await env.wb.inputs.rows('notes', { scenario: 'what_if', filter: { id: 1 } });
    expect(still.ok && still.rows[0]).toMatchObject({ region: 'EMEA', body: 'now ours' });
  });
});

describe('a scenario nobody created', () => {
  it('is recorded by the first write that commits to it, and not by a refused one', async () => {
    await withTables({ notes: { scenarios: true } });
    const refused = await env.wb.inputs.write('forecast', [{ ...k1, amount: '1.00', _version: 5 }], { user: 'admin', scenario: 'fresh' });
    expect(refused.ok || refused.error.code).toBe('conflict');
    expect((await env.wb.scenarios.list()).map((s) => s.name)).toEqual(['base']);
    const [a, b] = await Promise.all([
      env.wb.inputs.write('forecast', [{ ...k1, amount: '2.00' }], { user: 'ann', scenario: 'fresh' }),
      env.wb.inputs.write('notes', [{ id: 9, region: 'EMEA', body: 'x' }], { user: 'bob', scenario: 'fresh' }),
    ]);
    expect([a.ok, b.ok]).toEqual([true, true]);
    const fresh = (await env.wb.scenarios.list()).filter((s) => s.name === 'fresh');
    expect(fresh).toEqual([expect.objectContaining({ name: 'fresh', parent: 'base' })]);
    expect(await env.count(`select count(*) as n from writeback._wb_scenario_paths where scenario = 'fresh'`)).toBe(2);
  });
});

describe('as-of reads take dates as they are', () => {
  it('a day that does not exist is a bad request, not a roll-over into March', async () => {
    const r = await env.wb.inputs.rows('forecast', { asOf: '2026-02-30' });
    expect(r.ok || r.error.code).toBe('bad_request');
    expect((await env.wb.inputs.rows('forecast', { asOf: '2026-02-28' })).ok).toBe(true);
  });
});
