import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InputTable } from '../../../src/ir/types.js';
import { forecast, setup, type TestEnv } from '../write/fixture.js';

let env: TestEnv;
beforeEach(async () => (env = await setup()));
afterEach(async () => env.done());

const k1 = { account_id: 'A1', quarter: '2026-Q1' };
const k2 = { account_id: 'A2', quarter: '2026-Q1' };
const amountOf = async (scenario: string, key = k1) => {
  const r = await env.wb.inputs.rows('forecast', { scenario, filter: key });
  if (!r.ok) throw new Error(r.error.message);
  return r.rows[0] ? { amount: r.rows[0].amount, note: r.rows[0].note, confidence: r.rows[0].confidence } : undefined;
};

/** Swap in a forecast table with workflow declarations. */
async function withForecast(more: Partial<InputTable>): Promise<void> {
  const input: InputTable = { ...forecast, ...more };
  await env.wb.reload({ ...env.project, inputs: { ...env.project.inputs, forecast: input } });
}

describe('scenarios', () => {
  it('falls back along a chain (scenario of a scenario), hides deletes, and reset follows the parent again', async () => {
    await env.wb.inputs.write('forecast', [{ ...k1, amount: '100.00', note: 'base' }, { ...k2, amount: '50.00' }], { user: 'ana' });
    expect((await env.wb.scenarios.create({ name: 'stretch', user: 'ana' })).ok).toBe(true);
    expect((await env.wb.scenarios.create({ name: 'moonshot', from: 'stretch', user: 'ana' })).ok).toBe(true);
    await env.wb.inputs.write('forecast', [{ ...k1, amount: '150.00' }], { user: 'ana', scenario: 'stretch' });
    await env.wb.inputs.write('forecast', [{ ...k1, note: 'moon' }], { user: 'ana', scenario: 'moonshot' });
    expect(await amountOf('base')).toEqual({ amount: '100.00', note: 'base', confidence: 'medium' });
    expect(await amountOf('stretch')).toEqual({ amount: '150.00', note: 'base', confidence: 'medium' });
    // moonshot: note of its own, amount from stretch, confidence from base
    expect(await amountOf('moonshot')).toEqual({ amount: '150.00', note: 'moon', confidence: 'medium' });
    expect(await amountOf('moonshot', k2)).toEqual({ amount: '50.00', note: null, confidence: 'medium' });
    // a base change shows through where nobody overrides
    await env.wb.inputs.write('forecast', [{ ...k2, amount: '55.00' }], { user: 'ana' });
    expect((await amountOf('moonshot', k2))?.amount).toBe('55.00');
    // delete in moonshot of a key that only base has: hidden there only
    const del = await env.wb.inputs.delete('forecast', [k2], { user: 'ana', scenario: 'moonshot' });
    expect(del.ok).toBe(true);
    expect(await amountOf('moonshot', k2)).toBeUndefined();
    expect((await amountOf('stretch', k2))?.amount).toBe('55.00');
    // reset: the override goes, the key follows stretch again; history shows the reset
    const reset = await env.wb.scenarios.reset('forecast', [k1], { user: 'bo', scenario: 'stretch' });
    expect(reset.ok && reset.entries[0]!.op).toBe('reset');
    expect((await amountOf('stretch'))?.amount).toBe('100.00');
    expect((await amountOf('moonshot'))?.amount).toBe('100.00');
    const h = await env.wb.inputs.history('forecast', { scenario: 'stretch' });
    expect(h.ok && h.entries.map((e) => e.op)).toEqual(['upsert', 'reset']);
    expect(h.ok && h.entries[1]!.changes).toEqual([{ column: 'amount', old: '150.00', new: null }]);
    expect((await env.wb.scenarios.reset('forecast', [k1], { user: 'bo', scenario: 'stretch' })).ok).toBe(false);
    expect((await env.wb.verify()).ok).toBe(true);
    const list = await env.wb.scenarios.list();
    expect(list.map((s) => [s.name, s.parent])).toEqual([['base', null], ['stretch', 'base'], ['moonshot', 'stretch']]);
  });

  it('compares two scenarios with numeric deltas, and promotes a scenario into its parent (preview, confirm, logged)', async () => {
    await env.wb.inputs.write('forecast', [{ ...k1, amount: '100.00' }, { ...k2, amount: '50.00' }], { user: 'ana' });
    await env.wb.scenarios.create({ name: 'stretch', user: 'ana' });
    await env.wb.inputs.write('forecast', [{ ...k1, amount: '130.50', units: 3 }], { user: 'ana', scenario: 'stretch' });
    await env.wb.inputs.delete('forecast', [k2], { user: 'ana', scenario: 'stretch' });
    const cmp = await env.wb.scenarios.compare('base', 'stretch', { table: 'forecast' });
    expect(cmp.ok).toBe(true);
    if (!cmp.ok) return;
    const rows = cmp.tables[0]!.rows;
    expect(rows.find((r) => r.key.account_id === 'A1')).toEqual({
      key: k1,
      status: 'changed',
      changes: [
        { column: 'amount', a: '100.00', b: '130.50', delta: '30.50' },
        { column: 'units', a: null, b: 3, delta: null },
      ],
    });
    expect(rows.find((r) => r.key.account_id === 'A2')?.status).toBe('only_in_a');

    const refused = await env.wb.scenarios.promote('stretch', { user: 'fin' });
    expect(refused.ok || refused.error.code).toBe('confirmation_required');
    const preview = await env.wb.scenarios.promote('stretch', { user: 'fin', dryRun: true });
    expect(preview.ok && preview.rows).toBe(2);
    expect((await amountOf('base'))?.amount).toBe('100.00');
    // a confirmation of a preview that no longer holds (the scenario changed since) writes nothing
    expect((await env.wb.inputs.write('forecast', [{ ...k1, amount: '130.50', note: 'later' }], { user: 'ana', scenario: 'stretch' }))).toMatchObject({ ok: true });
    const stale = await env.wb.scenarios.promote('stretch', { user: 'fin', confirm: true, expectedPreview: preview.ok ? preview.preview : '' });
    expect(stale.ok || [stale.error.code, stale.error.message]).toEqual(['conflict', expect.stringContaining('changed since the preview')]);
    expect((await amountOf('base'))?.amount).toBe('100.00');
    await env.wb.inputs.write('forecast', [{ ...k1, note: null }], { user: 'ana', scenario: 'stretch' });
    const unchanged = await env.wb.scenarios.promote('stretch', { user: 'fin', dryRun: true });
    expect(unchanged.ok && unchanged.preview).toBe(preview.ok && preview.preview);
    const done = await env.wb.scenarios.promote('stretch', { user: 'fin', confirm: true, expectedPreview: unchanged.ok ? unchanged.preview : '' });
    expect(done.ok).toBe(true);
    expect((await amountOf('base'))?.amount).toBe('130.50');
    expect(await amountOf('base', k2)).toBeUndefined();
    const h = await env.wb.inputs.history('forecast', { scenario: 'base', user: 'fin' });
    expect(h.ok && h.entries.map((e) => [e.op, e.user, e.comment])).toEqual([
      ['upsert', 'fin', 'promote scenario stretch into base'],
      ['delete', 'fin', 'promote scenario stretch into base'],
    ]);
    // the overrides now equal base: promoting again finds nothing that differs and writes nothing
    const again = await env.wb.scenarios.promote('stretch', { user: 'fin', confirm: true });
    expect(again.ok && [again.rows, again.tables]).toEqual([0, []]);
    // the promotion committed on its own connection: the table's writer carries on from the moved chain
    expect((await env.wb.inputs.write('forecast', [{ ...k1, amount: '131.00' }], { user: 'ana' })).ok).toBe(true);
    expect((await env.wb.verify()).problems).toEqual([]);
  });

  it('archives a scenario: no more writes to it', async () => {
    await env.wb.scenarios.create({ name: 'old', user: 'ana' });
    expect((await env.wb.scenarios.archive('old', 'ana')).ok).toBe(true);
    const w = await env.wb.inputs.write('forecast', [{ ...k1, amount: '1.00' }], { user: 'ana', scenario: 'old' });
    expect(w.ok || w.error.code).toBe('bad_request');
  });
});

describe('approvals', () => {
  beforeEach(async () => {
    await withForecast({
      approval: { requiredFor: ['planner'], when: { amount: { gt: 1000000 } } },
      permissions: { ...forecast.permissions, finance: { read: true, write: true, delete: true, approve: true, rowFilter: [] } },
    });
    await env.wb.inputs.write('forecast', [{ ...k1, amount: '100.00' }], { user: 'admin' });
  });
  const planner = { user: 'ana', role: 'planner', attributes: { region: 'EMEA' } };
  const finance = { user: 'fred', role: 'finance' };

  it('a write above the threshold is pending: invisible until approved, approved by another user with a comment', async () => {
    const small = await env.wb.inputs.write('forecast', [{ ...k1, amount: '200.00' }], planner);
    expect(small.ok && small.pending).toBeUndefined();
    const big = await env.wb.inputs.write('forecast', [{ ...k1, amount: '2000000.00' }], { ...planner, comment: 'big deal', requestId: 'req-1' });
    expect(big.ok && big.pending?.status).toBe('pending');
    if (!big.ok || !big.pending) return;
    const retry = await env.wb.inputs.write('forecast', [{ ...k1, amount: '2000000.00' }], { ...planner, comment: 'big deal', requestId: 'req-1' });
    expect(retry.ok && [retry.pending?.id, retry.replayed]).toEqual([big.pending.id, true]);
    expect((await amountOf('base'))?.amount).toBe('200.00');
    const list = await env.wb.pending.list('forecast', { actor: finance });
    expect(list.ok && list.changes.map((c) => [c.id, c.proposedBy, c.rows])).toEqual([[big.pending.id, 'ana', [{ ...k1, amount: '2000000.00' }]]]);
    const view = await env.adapter.query(`select * from writeback._wb_pending where status = 'pending'`);
    expect(view).toHaveLength(1);
    // self-approval refused (ana has no approve anyway; a finance user proposing is checked below)
    const noPerm = await env.wb.pending.approve('forecast', big.pending.id, { ...planner, comment: 'ok' });
    expect(noPerm.ok || noPerm.error.code).toBe('forbidden');
    const ok = await env.wb.pending.approve('forecast', big.pending.id, { ...finance, comment: 'checked with sales' });
    expect(ok.ok).toBe(true);
    expect((await amountOf('base'))?.amount).toBe('2000000.00');
    // the log tells the whole story: the proposal by ana, then the approval by fred that applied it
    const h = await env.wb.inputs.history('forecast', { scenario: 'base' });
    const story = h.ok ? h.entries.slice(-2).map((e) => [e.op, e.user, e.comment, e.changes.map((c) => [c.column, c.old, c.new])]) : [];
    expect(story).toEqual([
      ['propose_upsert', 'ana', 'big deal', [['amount', '200.00', '2000000.00']]],
      ['upsert', 'fred', `Approved forecast A1 · 2026-Q1: amount 200.00 → 2000000.00 — proposed by ana at ${list.ok ? list.changes[0]!.proposedAt : ''}. Approval comment: checked with sales`, [['amount', '200.00', '2000000.00']]],
    ]);
    // the change's id is a field of the decision's entries, not part of the prose
    expect(h.ok && h.entries.at(-1)!.requestId).toBe(`approve:${big.pending.id}`);
    expect(h.ok && h.entries.at(-2)!.entryId).toBe(big.pending.id);
    const decided = await env.wb.pending.list('forecast', { status: 'approved' });
    expect(decided.ok && decided.changes[0]).toMatchObject({ decidedBy: 'fred', proposalEntryIds: [big.pending.id], entryIds: [ok.ok && ok.result.ok ? ok.result.entries[0]!.entryId : ''] });
    const state = await env.adapter.query(`select _updated_by from writeback.forecast where _scenario = 'base'`);
    expect(state).toEqual([{ _updated_by: 'fred' }]);
    const again = await env.wb.pending.approve('forecast', big.pending.id, { ...finance, comment: 'again' });
    expect(again.ok || again.error.code).toBe('conflict');
    const report = await env.wb.verify();
    expect(report.problems).toEqual([]);
  });

  it('a rejection is logged in the hash chain with who, when and why; the state never sees the proposal', async () => {
    const big = await env.wb.inputs.write('forecast', [{ ...k1, amount: '3000000.00' }], { ...planner, comment: 'q4 push' });
    if (!big.ok || !big.pending) throw new Error('expected pending');
    const before = await env.adapter.query(`select _version, amount from writeback.forecast`);
    const rej = await env.wb.pending.reject('forecast', big.pending.id, { ...finance, comment: 'not credible' });
    expect(rej.ok).toBe(true);
    expect(await env.adapter.query(`select _version, amount from writeback.forecast`)).toEqual(before);
    const log = await env.adapter.query(`select _op, _user, _version, _comment, amount from writeback.forecast__log order by _seq`);
    expect(log.map((r) => r._op)).toEqual(['upsert', 'propose_upsert', 'reject']);
    expect(log[2]).toMatchObject({ _user: 'fred', _version: 1, _comment: expect.stringMatching(/^Rejected forecast A1 · 2026-Q1: amount 100\.00 → 3000000\.00 — proposed by ana at \S+Z\. Rejection comment: not credible$/), amount: null });
    const change = await env.wb.pending.list('forecast', { status: 'rejected' });
    expect(change.ok && change.changes[0]).toMatchObject({ status: 'rejected', decidedBy: 'fred', decisionComment: 'not credible' });
    // rejected once is final, and tampering with the decision's log entry is detected
    const twice = await env.wb.pending.approve('forecast', big.pending.id, { ...finance, comment: 'changed my mind' });
    expect(twice.ok || twice.error.code).toBe('conflict');
    expect((await env.wb.verify()).ok).toBe(true);
    await env.adapter.execute(`update writeback.forecast__log set _comment = 'fine' where _op = 'reject'`);
    const tampered = await env.wb.verify();
    expect(tampered.problems.map((p) => p.kind)).toContain('broken-chain');
  });

  it('two reviewers deciding the same change at once: exactly one decision is logged', async () => {
    const big = await env.wb.inputs.write('forecast', [{ ...k1, amount: '4000000.00' }], planner);
    if (!big.ok || !big.pending) throw new Error('expected pending');
    const [a, b] = await Promise.all([
      env.wb.pending.approve('forecast', big.pending.id, { ...finance, comment: 'yes' }),
      env.wb.pending.reject('forecast', big.pending.id, { user: 'gina', role: 'finance', comment: 'no' }),
    ]);
    expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
    const log = await env.adapter.query(`select _op from writeback.forecast__log where _op <> 'propose_upsert' order by _seq`);
    expect(log.map((r) => r._op)).toEqual(['upsert', a.ok ? 'upsert' : 'reject']);
    expect((await env.wb.verify()).ok).toBe(true);
  });

  it('refuses self-approval, and approving a row that moved on since is a conflict', async () => {
    await withForecast({
      approval: { when: { amount: { gt: 1000000 } } },
      permissions: { ...forecast.permissions, finance: { read: true, write: true, delete: true, approve: true, rowFilter: [] } },
    });
    const big = await env.wb.inputs.write('forecast', [{ ...k1, amount: '5000000.00' }], finance);
    if (!big.ok || !big.pending) throw new Error('expected pending');
    const self = await env.wb.pending.approve('forecast', big.pending.id, { ...finance, comment: 'mine' });
    expect(self.ok || self.error.code).toBe('forbidden');
    expect(self.ok || self.error.message).toMatch(/four-eyes/);
    await env.wb.inputs.write('forecast', [{ ...k1, amount: '300.00' }], { user: 'admin' });
    const moved = await env.wb.pending.approve('forecast', big.pending.id, { user: 'gina', role: 'finance', comment: 'late' });
    expect(moved.ok || moved.error.code).toBe('conflict');
    const rej = await env.wb.pending.reject('forecast', big.pending.id, { user: 'gina', role: 'finance', comment: 'stale' });
    expect(rej.ok).toBe(true);
    expect((await amountOf('base'))?.amount).toBe('300.00');
  });
});

describe('transitions and actions', () => {
  const withStatus = (more: Partial<InputTable> = {}) =>
    withForecast({
      columns: [
        ...forecast.columns,
        { name: 'status', type: { kind: 'enum', values: ['draft', 'submitted', 'approved'] }, required: false, loc: forecast.loc,
          transitions: { draft: [{ to: 'submitted' }], submitted: [{ to: 'approved', roles: ['finance'] }, { to: 'draft' }] } },
        { name: 'contacted_on', type: { kind: 'date' }, required: false, loc: forecast.loc },
      ],
      ...more,
    });

  it('refuses an undeclared transition naming from and to', async () => {
    await env.adapter.execute('alter table writeback.forecast add column status varchar');
    await env.adapter.execute('alter table writeback.forecast__log add column status varchar');
    await env.adapter.execute('alter table writeback.forecast add column contacted_on date');
    await env.adapter.execute('alter table writeback.forecast__log add column contacted_on date');
    await withStatus();
    expect((await env.wb.inputs.write('forecast', [{ ...k1, amount: '1.00', status: 'draft' }], { user: 'a' })).ok).toBe(true);
    const bad = await env.wb.inputs.write('forecast', [{ ...k1, status: 'approved' }], { user: 'a' });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.error.code).toBe('validation_failed');
    expect(bad.error.details[0]).toMatchObject({ row: 0, column: 'status', from: 'draft', to: 'approved' });
    expect((await env.wb.inputs.write('forecast', [{ ...k1, status: 'submitted' }], { user: 'a' })).ok).toBe(true);
    const role = await env.wb.inputs.write('forecast', [{ ...k1, status: 'approved' }], { user: 'p', role: 'planner', attributes: { region: 'EMEA' } });
    expect(role.ok || role.error.code).toBe('forbidden');
  });

  it('checks transitions inside the write transaction: two simultaneous moves from one status, only one passes', async () => {
    for (const t of ['forecast', 'forecast__log']) {
      await env.adapter.execute(`alter table writeback.${t} add column status varchar`);
      await env.adapter.execute(`alter table writeback.${t} add column contacted_on date`);
    }
    await withStatus();
    expect((await env.wb.inputs.write('forecast', [{ ...k1, amount: '1.00', status: 'submitted' }], { user: 'a' })).ok).toBe(true);
    // from 'submitted' both moves are declared; after either one, the other is not ('approved' is final, draft → approved is undeclared)
    const [up, down] = await Promise.all([
      env.wb.inputs.write('forecast', [{ ...k1, status: 'approved' }], { user: 'fin' }),
      env.wb.inputs.write('forecast', [{ ...k1, status: 'draft' }], { user: 'ana' }),
    ]);
    expect([up.ok, down.ok].filter(Boolean)).toHaveLength(1);
    const loser = up.ok ? down : up;
    expect(loser.ok || [loser.error.code, loser.error.details[0]?.from]).toEqual(['validation_failed', up.ok ? 'approved' : 'draft']);
    const log = await env.adapter.query(`select status from writeback.forecast__log order by _seq`);
    expect(log).toHaveLength(2);
  });

  it('an action is a logged write by the acting user; a failing webhook does not undo it and is logged', async () => {
    await env.adapter.execute('alter table writeback.forecast add column status varchar');
    await env.adapter.execute('alter table writeback.forecast__log add column status varchar');
    await env.adapter.execute('alter table writeback.forecast add column contacted_on date');
    await env.adapter.execute('alter table writeback.forecast__log add column contacted_on date');
    let hits = 0;
    const receiver: Server = createServer((_req, res) => {
      hits++;
      res.statusCode = 500;
      res.end('nope');
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const port = (receiver.address() as AddressInfo).port;
    try {
      await withStatus({
        actions: {
          submit: { name: 'submit', set: { status: 'submitted', contacted_on: 'today' }, roles: ['planner'], confirm: true, commentRequired: true, webhook: { url: `http://127.0.0.1:${port}/hook`, retries: 2 } },
        },
      });
      await env.wb.inputs.write('forecast', [{ ...k1, amount: '1.00', status: 'draft' }], { user: 'a' });
      const actor = { user: 'ana', role: 'planner', attributes: { region: 'EMEA' } };
      const unconfirmed = await env.wb.actions.run('forecast', 'submit', { ...actor, keys: [k1], comment: 'go' });
      expect(unconfirmed.ok || unconfirmed.error.code).toBe('confirmation_required');
      const noComment = await env.wb.actions.run('forecast', 'submit', { ...actor, keys: [k1], confirm: true });
      expect(noComment.ok || noComment.error.code).toBe('validation_failed');
      const res = await env.wb.actions.run('forecast', 'submit', { ...actor, keys: [k1], confirm: true, comment: 'ready' });
      expect(res.ok).toBe(true);
      if (!res.ok) return;
      expect(res.webhook).toMatchObject({ status: 'failed', attempts: 3, httpStatus: 500 });
      expect(hits).toBe(3);
      const row = await env.wb.inputs.rows('forecast', { filter: k1 });
      expect(row.ok && row.rows[0]).toMatchObject({ status: 'submitted', contacted_on: new Date().toISOString().slice(0, 10), _updated_by: 'ana' });
      const h = await env.wb.inputs.history('forecast');
      expect(h.ok && h.entries.at(-1)).toMatchObject({ user: 'ana', comment: 'action submit: ready' });
      const calls = await env.wb.actions.calls('forecast');
      expect(calls.ok && calls.calls).toEqual([expect.objectContaining({ action: 'submit', status: 'failed', attempts: 3, http_status: 500, user: 'ana' })]);
    } finally {
      receiver.close();
    }
  });
});
