import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { logCount, setup, type TestEnv } from './fixture.js';

let env: TestEnv;
beforeEach(async () => (env = await setup()));
afterEach(async () => env.done());

const emea = { user: 'pat', role: 'planner', attributes: { region: 'EMEA' } };
const amer = { user: 'sam', role: 'planner', attributes: { region: 'AMER' } };

describe('permissions', () => {
  it('a filter on a linked-source column limits reads and writes (a row outside looks like no row at all, nothing written)', async () => {
    await env.wb.inputs.write(
      'forecast',
      ['A1', 'A2', 'B1'].map((a) => ({ account_id: a, quarter: '2026-Q1', amount: '1.00' })),
      { user: 'admin' },
    );
    const mine = await env.wb.inputs.rows('forecast', { actor: emea });
    expect(mine.ok && mine.rows.map((r) => r.account_id)).toEqual(['A1', 'A2']);
    const theirs = await env.wb.inputs.rows('forecast', { actor: amer });
    expect(theirs.ok && theirs.rows.map((r) => r.account_id)).toEqual(['B1']);
    const noAttr = await env.wb.inputs.rows('forecast', { actor: { user: 'x', role: 'planner' } });
    expect(noAttr.ok && noAttr.rows).toEqual([]);

    const before = await logCount(env, 'forecast');
    const w = await env.wb.inputs.write('forecast', [{ account_id: 'A1', quarter: '2026-Q2', amount: '2.00' }, { account_id: 'B2', quarter: '2026-Q2', amount: '2.00' }], emea);
    expect(w.ok).toBe(false);
    if (w.ok) return;
    expect(w.error.code).toBe('validation_failed');
    expect(w.error.details).toEqual([{ row: 1, column: 'account_id', message: "account_id 'B2' is not a row of crm.accounts that you may write" }]);
    expect(JSON.stringify(w.error)).not.toContain('AMER');
    // the same answer as for an account that does not exist at all
    const none = await env.wb.inputs.write('forecast', [{ account_id: 'A1', quarter: '2026-Q2', amount: '2.00' }, { account_id: 'Z9', quarter: '2026-Q2', amount: '2.00' }], emea);
    expect(JSON.stringify(!none.ok && none.error).replace('Z9', 'B2')).toBe(JSON.stringify(w.error));
    expect(await logCount(env, 'forecast')).toBe(before);
    // a required column left out says nothing either: the existing EMEA row (A1) and a key with no row (A2) answer alike
    const existing = await env.wb.inputs.write('forecast', [{ account_id: 'A1', quarter: '2026-Q1', note: 'x' }], amer);
    const absent = await env.wb.inputs.write('forecast', [{ account_id: 'A2', quarter: '2026-Q1', note: 'x' }], amer);
    expect(JSON.stringify(!absent.ok && absent.error).replaceAll('A2', 'A1')).toBe(JSON.stringify(!existing.ok && existing.error));
    expect(!existing.ok && existing.error.details.map((d) => d.column)).toEqual(['account_id', 'amount']);
    const allowed = await env.wb.inputs.write('forecast', [{ account_id: 'A1', quarter: '2026-Q2', amount: '2.00' }], emea);
    expect(allowed.ok).toBe(true);
    const h = await env.wb.inputs.history('forecast', { actor: amer });
    expect(h.ok && h.entries.map((e) => e.key.account_id)).toEqual(['B1']);
  });

  it('a filter on an input column checks current and new values', async () => {
    await env.wb.inputs.write('notes', [{ id: 1, region: 'EMEA', body: 'e' }, { id: 2, region: 'AMER', body: 'a' }], { user: 'admin' });
    const eu = { user: 'eve', role: 'regional', attributes: { region: 'EMEA' } };
    const read = await env.wb.inputs.rows('notes', { actor: eu });
    expect(read.ok && read.rows.map((r) => r.id)).toEqual([1]);
    const before = await logCount(env, 'notes');
    const moveOut = await env.wb.inputs.write('notes', [{ id: 1, region: 'AMER' }], eu);
    expect(!moveOut.ok && moveOut.error.code).toBe('forbidden');
    // a row outside the filter is, to eve, a row that does not exist: nothing of it is shown
    const touchOther = await env.wb.inputs.write('notes', [{ id: 2, region: 'EMEA' }], eu);
    expect(!touchOther.ok && touchOther.error).toEqual({ code: 'forbidden', message: "1 row(s) are outside what role 'regional' may write", details: [{ row: 0, message: 'notes {"id":2} cannot be written by you' }] });
    const delOther = await env.wb.inputs.delete('notes', [{ id: 2 }], eu);
    const delNone = await env.wb.inputs.delete('notes', [{ id: 99 }], eu);
    expect(!delOther.ok && delOther.error).toEqual({ code: 'not_found', message: '1 key(s) do not exist; nothing was deleted', details: [{ row: 0, message: `notes {"id":2} does not exist in scenario 'base'` }] });
    expect(JSON.stringify(!delNone.ok && delNone.error).replace('99', '2')).toBe(JSON.stringify(!delOther.ok && delOther.error));
    const stale = await env.wb.inputs.write('notes', [{ id: 2, body: 'x', _version: 1 }], eu);
    const staleNone = await env.wb.inputs.write('notes', [{ id: 99, body: 'x', _version: 1 }], eu);
    expect(JSON.stringify(!staleNone.ok && staleNone.error).replaceAll('99', '2')).toBe(JSON.stringify(!stale.ok && stale.error));
    expect(await logCount(env, 'notes')).toBe(before);
    const fine = await env.wb.inputs.write('notes', [{ id: 1, body: 'edited' }, { id: 3, region: 'EMEA' }], eu);
    expect(fine.ok).toBe(true);
    // a row that comes into eve's filter keeps its past to itself: history shows no old value of the time it was out
    await env.wb.inputs.write('notes', [{ id: 7, region: 'AMER', body: 'us only plan' }], { user: 'admin' });
    await env.wb.inputs.write('notes', [{ id: 7, region: 'EMEA', body: 'shared now' }], { user: 'admin' });
    const h = await env.wb.inputs.history('notes', { key: { id: 7 }, actor: eu });
    expect(h.ok && h.entries.map((e) => e.changes)).toEqual([
      [
        { column: 'region', old: null, new: 'EMEA' },
        { column: 'body', old: null, new: 'shared now' },
      ],
    ]);
    expect(JSON.stringify(h)).not.toMatch(/AMER|us only plan/);
  });

  it('roles without a grant are forbidden; the admin (no role) may do everything', async () => {
    const viewerWrite = await env.wb.inputs.write('forecast', [{ account_id: 'A1', quarter: '2026-Q1', amount: '1.00' }], { user: 'v', role: 'viewer' });
    expect(!viewerWrite.ok && viewerWrite.error.code).toBe('forbidden');
    const stranger = await env.wb.inputs.rows('forecast', { actor: { user: 'x', role: 'regional' } });
    expect(!stranger.ok && stranger.error.code).toBe('forbidden');
    expect(env.wb.inputs.list({ user: 'x', role: 'regional' }).map((t) => t.name)).toEqual(['notes']);
    expect(env.wb.inputs.list().map((t) => t.name)).toEqual(['forecast', 'notes']);
  });
});

describe('tokens', () => {
  it('creates (secret shown once, only its hash stored), authenticates, lists and revokes', async () => {
    const created = await env.wb.tokens.create({ user: 'pat', role: 'planner', attributes: { region: 'EMEA' }, createdBy: 'admin' });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(created.token).toMatch(/^wb_[0-9a-f]{12}_/);
    const stored = await env.adapter.query('select * from writeback._wb_tokens');
    expect(JSON.stringify(stored)).not.toContain(created.token.slice('wb_'.length + 12 + 1));
    const actor = await env.wb.tokens.authenticate(created.token);
    expect(actor).toEqual({ user: 'pat', role: 'planner', attributes: { region: 'EMEA' }, tokenId: created.info.tokenId });
    expect(await env.wb.tokens.authenticate(`${created.token.slice(0, -1)}x`)).toBeNull();
    expect(await env.wb.tokens.authenticate('garbage')).toBeNull();
    const list = await env.wb.tokens.list();
    expect(list.map((t) => [t.tokenId, t.user, t.revokedAt])).toEqual([[created.info.tokenId, 'pat', null]]);
    const revoked = await env.wb.tokens.revoke(created.info.tokenId);
    expect(revoked.ok && revoked.info.revokedAt).toMatch(/Z$/);
    expect(await env.wb.tokens.authenticate(created.token)).toBeNull();
    const unknown = await env.wb.tokens.revoke('000000000000');
    expect(!unknown.ok && unknown.error.code).toBe('not_found');
  });

  it('rejects unknown roles and attributes', async () => {
    const role = await env.wb.tokens.create({ user: 'x', role: 'boss' });
    expect(!role.ok && role.error.code).toBe('bad_request');
    const attr = await env.wb.tokens.create({ user: 'x', role: 'finance', attributes: { region: 'EMEA' } });
    expect(!attr.ok && attr.error.code).toBe('bad_request');
  });
});
