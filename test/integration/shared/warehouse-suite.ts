import { cpSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Adapter } from '../../../src/adapters/adapter.js';
import { openAdapter } from '../../../src/adapters/registry.js';
import { applyPlan } from '../../../src/apply/apply-plan.js';
import { planProject, type Plan } from '../../../src/plan/plan-project.js';
import { listVersions } from '../../../src/plan/versions.js';
import { loadProject } from '../../../src/project/load-project.js';
import type { Model, Project, TargetConfig } from '../../../src/ir/types.js';
import { sqlNames, type SqlNames } from '../../../src/managed/sql-names.js';
import { createWriteback, type Writeback } from '../../../src/library/writeback.js';
import { forecast, notes, testProject } from '../write/fixture.js';

/**
 * The warehouse-agnostic integration suite: apply (seeds, tables, views, an empty second plan),
 * model versions, writes of every type, conflicts, idempotency, scenarios, history, as-of reads,
 * verify (and tamper detection), a bulk write, tokens, two independent writers (two `serve`
 * processes) racing on one table with no lost update, and the demo project applied and written.
 * Each runner gives it a way to reach one warehouse; everything goes through `openAdapter`, so the
 * registry's lazy SDK import and `{{ env() }}` resolution run too.
 */
export interface WarehouseUnderTest {
  /** Target type (`postgres`, `snowflake`, `bigquery`, `duckdb`). */
  type: TargetConfig['type'];
  /** A target that reaches the warehouse (settings may use `{{ env('X') }}`). */
  target(dir: string): TargetConfig;
  /** Several processes may write at once (false for DuckDB: one writing process per file). */
  multiWriter: boolean;
  /** Called once before the suite (start a server, create a database). */
  before?(): Promise<void>;
  /** Called once after the suite. */
  after?(): Promise<void>;
  /** Drop what the suite created under these schema names (cloud warehouses keep nothing behind). */
  cleanup?(adapter: Adapter, schemas: string[]): Promise<void>;
}

const ROOT = resolve(import.meta.dirname, '../../..');
const key = { account_id: 'A1', quarter: '2026-Q1' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A model over the forecast input and the seeded accounts (a SQL model, so every dialect renders it). */
function totalsModel(extra = ''): Model {
  const loc = { file: 'models/totals.yml', line: 1, col: 1 };
  return {
    name: 'forecast_totals',
    body: {
      kind: 'sql',
      sql: `select f.account_id, a.region, sum(f.amount) as total${extra} from {{ input('forecast') }} f join {{ source('crm', 'accounts') }} a on a.id = f.account_id group by f.account_id, a.region`,
      sqlLoc: loc,
    },
    dependsOn: { models: [], inputs: ['forecast'], sources: [{ source: 'crm', table: 'accounts' }] },
    loc,
  };
}

/** Run the suite against `w` (or skip it, printing why). */
export function warehouseSuite(name: string, w: WarehouseUnderTest | { skip: string }): void {
  if ('skip' in w) {
    describe.skip(`${name}: the shared warehouse suite (skipped: ${w.skip})`, () => {
      it('runs apply, writes, conflicts, idempotency, scenarios, history, as-of, verify', () => undefined);
    });
    return;
  }
  describe(`${name}: the shared warehouse suite`, () => {
    const run = Math.random().toString(36).slice(2, 8);
    const schemas = { inputs: `wb_in_${run}`, views: `wb_views_${run}`, crm: `wb_crm_${run}` };
    let dir = '';
    let project: Project;
    let adapter: Adapter;
    let wb: Writeback;
    let names: SqlNames;

    const planned = async (p: Project, a: Adapter = adapter): Promise<Plan> => {
      const result = await planProject(p, { targetName: 'wh', adapter: a, user: 'tester' });
      if (!result.ok) throw new Error(`plan failed: ${JSON.stringify(result.diagnostics)}`);
      return result.value;
    };
    const apply = async (p: Project, a: Adapter = adapter): Promise<Plan> => {
      const plan = await planned(p, a);
      const applied = await applyPlan(plan, a);
      if (!applied.ok) throw new Error(`apply failed: ${JSON.stringify(applied.diagnostics)}`);
      return plan;
    };
    const count = async (sql: string, params: unknown[] = []) =>
      Number(Object.values((await adapter.query(sql, params as never))[0] ?? { n: 0 })[0]);

    beforeAll(async () => {
      await w.before?.();
      dir = mkdtempSync(join(tmpdir(), `wb-${w.type}-`));
      mkdirSync(join(dir, 'seeds'));
      writeFileSync(join(dir, 'seeds/accounts.csv'), 'id,region,employees\nA1,EMEA,10\nA2,EMEA,20\nB1,AMER,30\nB2,AMER,\n');
      writeFileSync(join(dir, 'seeds/categories.csv'), 'name\nenterprise\nsmb\n');
      const base = testProject(dir);
      const loc = { file: 'project.yml', line: 1, col: 1 };
      const table = (t: string) => ({ source: 'crm', table: t, database: {}, schema: { wh: schemas.crm }, identifier: t });
      project = {
        ...base,
        defaultTarget: 'wh',
        targets: { wh: w.target(dir) },
        schemas: { inputs: schemas.inputs, views: schemas.views },
        sources: { crm: { name: 'crm', tables: { accounts: table('accounts'), categories: table('categories') }, loc } },
        seeds: [
          { file: 'seeds/accounts.csv', into: { source: 'crm', table: 'accounts' }, columnTypes: { id: { kind: 'string' } }, loc },
          { file: 'seeds/categories.csv', into: { source: 'crm', table: 'categories' }, columnTypes: {}, loc },
        ],
        models: [totalsModel()],
      };
      adapter = await openAdapter(project, project.targets.wh!);
      names = sqlNames(project, 'wh', adapter.dialect);
    }, 180_000);

    afterAll(async () => {
      await wb?.close();
      if (adapter) {
        await w.cleanup?.(adapter, Object.values(schemas)).catch(() => undefined);
        await adapter.close();
      }
      if (dir) rmSync(dir, { recursive: true, force: true });
      await w.after?.();
    }, 120_000);

    it('apply: seeds, meta/log/state tables and views; a second plan is empty', async () => {
      const first = await apply(project);
      expect(first.operations.map((o) => o.kind)).toEqual(expect.arrayContaining(['create-schema', 'load-seed', 'create-input-tables', 'create-model-version']));
      expect((await planned(project)).operations).toEqual([]);
      expect(await count(`select count(*) as n from ${adapter.dialect.qualify(schemas.crm, 'accounts')}`)).toBe(4);
      const tables = await adapter.describeSchemas([schemas.inputs, schemas.views]);
      expect(tables.map((t) => `${t.schema}.${t.name}`)).toEqual(
        expect.arrayContaining([`${schemas.inputs}.forecast`, `${schemas.inputs}.forecast__log`, `${schemas.views}.forecast_totals`]),
      );
      wb = await createWriteback(project, adapter, { targetName: 'wh' });
    }, 120_000);

    it('writes every column type and reads it back exactly', async () => {
      const row = {
        ...key,
        amount: '1234567890123456.78',
        confidence: 'high',
        note: "it's \\ \"quoted\"",
        category: 'smb',
        units: 7,
        ratio: 0.25,
        start: '2026-01-31',
        due: '2026-03-31T23:59:58.123Z',
        active: true,
        tier: 'gold',
      };
      const r = await wb.inputs.write('forecast', [row], { user: 'alice', requestId: 'req-1' });
      expect(r.ok, JSON.stringify(r)).toBe(true);
      const rows = await wb.inputs.rows('forecast');
      expect(rows.ok && rows.rows[0]).toMatchObject({ ...row, _scenario: 'base', _version: 1, _updated_by: 'alice' });
      const big = await wb.inputs.write('notes', [{ id: '9007199254740993', region: 'EMEA', body: 'big key' }], { user: 'alice' });
      expect(big.ok).toBe(true);
      const n = await wb.inputs.rows('notes');
      expect(n.ok && n.rows.map((x) => x.id)).toEqual(['9007199254740993']);
    });

    it('validation: a key missing from the linked source and a value outside the source list are rejected, nothing written', async () => {
      const r = await wb.inputs.write('forecast', [{ account_id: 'ZZ', quarter: '2026-Q1', amount: '1.00', category: 'nope' }], { user: 'alice' });
      expect(!r.ok && r.error.code).toBe('validation_failed');
      expect(!r.ok && r.error.details.map((d) => d.column).sort()).toEqual(['account_id', 'category']);
    });

    it('upsert keeps absent columns; an explicit null is a value; delete hides the row', async () => {
      expect((await wb.inputs.write('forecast', [{ account_id: 'A2', quarter: '2026-Q1', amount: '5.00', note: 'x' }], { user: 'bob' })).ok).toBe(true);
      expect((await wb.inputs.write('forecast', [{ account_id: 'A2', quarter: '2026-Q1', note: null }], { user: 'bob' })).ok).toBe(true);
      const rows = await wb.inputs.rows('forecast', { filter: { account_id: 'A2' } });
      expect(rows.ok && rows.rows[0]).toMatchObject({ amount: '5.00', note: null, confidence: 'medium', _version: 2 });
      const del = await wb.inputs.delete('forecast', [{ account_id: 'A2', quarter: '2026-Q1' }], { user: 'bob' });
      expect(del.ok).toBe(true);
      const after = await wb.inputs.rows('forecast', { filter: { account_id: 'A2' } });
      expect(after.ok && after.rows).toEqual([]);
    });

    it('conflicts: a stale _version rejects the whole batch and names who changed the row', async () => {
      const stale = await wb.inputs.write('forecast', [{ ...key, amount: '1.00', _version: 0 }, { account_id: 'B1', quarter: '2026-Q2', amount: '3.00' }], { user: 'carol' });
      expect(!stale.ok && stale.error.code).toBe('conflict');
      expect(!stale.ok && stale.error.details[0]).toMatchObject({ row: 0, key, _version: 1, _updated_by: 'alice' });
      const b1 = await wb.inputs.rows('forecast', { filter: { account_id: 'B1' } });
      expect(b1.ok && b1.rows).toEqual([]);
      const ok = await wb.inputs.write('forecast', [{ ...key, units: 8, _version: 1 }], { user: 'carol' });
      expect(ok.ok && ok.entries[0]!.version).toBe(2);
    });

    it('idempotency: the same request id replays the first result; a different payload is refused', async () => {
      const row = { account_id: 'B1', quarter: '2026-Q3', amount: '9.00' };
      const first = await wb.inputs.write('forecast', [row], { user: 'dave', requestId: 'req-idem' });
      const again = await wb.inputs.write('forecast', [row], { user: 'dave', requestId: 'req-idem' });
      expect(first.ok && again.ok && again.replayed).toBe(true);
      expect(again.ok && first.ok && again.entries).toEqual(first.ok && first.entries);
      const other = await wb.inputs.write('forecast', [{ ...row, amount: '10.00' }], { user: 'dave', requestId: 'req-idem' });
      expect(!other.ok && other.error.code).toBe('idempotency_key_reused');
      expect(await count(`select count(*) as n from ${names.log('forecast')} where ${names.id('_request_id')} = ${adapter.dialect.param(1)}`, ['req-idem'])).toBe(1);
    });

    it('scenarios: overrides fall back to base column by column; a scenario delete hides the key there only', async () => {
      expect((await wb.inputs.write('forecast', [{ ...key, amount: '99.00' }], { user: 'erin', scenario: 'upside' })).ok).toBe(true);
      const up = await wb.inputs.rows('forecast', { scenario: 'upside', filter: { account_id: 'A1' } });
      expect(up.ok && up.rows[0]).toMatchObject({ amount: '99.00', units: 8, tier: 'gold', _scenario: 'upside', _version: 1 });
      const base = await wb.inputs.rows('forecast', { filter: { account_id: 'A1' } });
      expect(base.ok && base.rows[0]).toMatchObject({ amount: '1234567890123456.78', _scenario: 'base' });
      expect((await wb.inputs.delete('forecast', [{ account_id: 'B1', quarter: '2026-Q3' }], { user: 'erin', scenario: 'down' })).ok).toBe(true);
      const down = await wb.inputs.rows('forecast', { scenario: 'down', filter: { account_id: 'B1' } });
      expect(down.ok && down.rows).toEqual([]);
      const b = await wb.inputs.rows('forecast', { filter: { account_id: 'B1' } });
      expect(b.ok && b.rows.map((r) => r.quarter)).toEqual(['2026-Q3']);
    });

    it('grid reads: search, sort, offset, count, sums over every matching row, groups and the parent scenario on this warehouse', async () => {
      const all = await wb.inputs.rows('forecast', { scenario: 'upside' });
      if (!all.ok) throw new Error(all.error.message);
      const cents = (rows: typeof all.rows) => rows.reduce((n, r) => n + (r.amount === null ? 0n : BigInt(String(r.amount).replace('.', ''))), 0n);
      const grid = await wb.inputs.grid('forecast', { scenario: 'upside', sort: [{ column: 'amount', dir: 'desc' }], limit: 1 });
      if (!grid.ok) throw new Error(grid.error.message);
      expect(grid.total).toBe(all.rows.length);
      expect(BigInt(String(grid.totals.amount).replace('.', ''))).toBe(cents(all.rows));
      const top = [...all.rows].filter((r) => r.amount !== null).sort((x, y) => Number(y.amount) - Number(x.amount))[0]!;
      expect(grid.rows.map((r) => [r.account_id, r.quarter])).toEqual([[top.account_id, top.quarter]]);
      // the parent's rows of the page's keys
      expect(grid.parentRows?.map((r) => r._scenario)).toEqual(['base']);
      const searched = await wb.inputs.grid('forecast', { scenario: 'upside', search: 'a1', offset: 0, limit: 100 });
      expect(searched.ok && searched.rows.map((r) => r.account_id)).toEqual(all.rows.filter((r) => String(r.account_id).toLowerCase().includes('a1')).map((r) => r.account_id));
      expect(searched.ok && searched.total).toBe(all.rows.filter((r) => String(r.account_id).toLowerCase().includes('a1')).length);
      const none = await wb.inputs.grid('forecast', { search: "%' or 1=1 --" });
      expect(none.ok && [none.total, none.rows, none.totals.amount]).toEqual([0, [], null]);
      const groups = await wb.inputs.grid('forecast', { groupBy: ['account_id'], limit: 1, offset: 1 });
      if (!groups.ok) throw new Error(groups.error.message);
      const base = await wb.inputs.rows('forecast');
      const accounts = base.ok ? base.rows.map((r) => String(r.account_id)) : [];
      expect(groups.totalGroups).toBeGreaterThanOrEqual(2);
      expect(new Set(groups.rows.map((r) => r.account_id)).size).toBe(1);
      expect(accounts).toContain(groups.rows[0]!.account_id);
      const refused = await wb.inputs.grid('forecast', { sort: [{ column: 'nope', dir: 'asc' }] });
      expect(refused.ok || refused.error.details[0]?.column).toBe('sort');
    });

    it('history lists old → new per changed column; as-of reads the past', async () => {
      const before = new Date();
      await sleep(20);
      expect((await wb.inputs.write('forecast', [{ ...key, note: 'later' }], { user: 'frank', comment: 'why' })).ok).toBe(true);
      const h = await wb.inputs.history('forecast', { key });
      expect(h.ok && h.entries.map((e) => [e.user, e.changes.map((c) => c.column)])).toEqual([
        ['alice', ['account_id', 'quarter', 'amount', 'confidence', 'note', 'category', 'units', 'ratio', 'start', 'due', 'active', 'tier']],
        ['carol', ['units']],
        ['erin', ['account_id', 'quarter', 'amount']],
        ['frank', ['note']],
      ]);
      expect(h.ok && h.entries[3]).toMatchObject({ comment: 'why', changes: [{ column: 'note', old: "it's \\ \"quoted\"", new: 'later' }] });
      const past = await wb.inputs.rows('forecast', { asOf: before, filter: { account_id: 'A1' } });
      expect(past.ok && past.rows[0]).toMatchObject({ note: "it's \\ \"quoted\"", units: 8, _version: 2 });
      const now = await wb.inputs.rows('forecast', { filter: { account_id: 'A1' } });
      expect(now.ok && now.rows[0]).toMatchObject({ note: 'later', _version: 3 });
    });

    it('the merged view reads the written rows, and a model read (streamed where the warehouse streams) gives the same rows', async () => {
      const rows = await adapter.query(`select * from ${adapter.dialect.qualify(schemas.views, 'forecast_totals')} order by 1`);
      expect(rows.length).toBeGreaterThan(0);
      const read = await wb.models.rows('forecast_totals');
      if (!read.ok) throw new Error(read.error.message);
      const streamed: Record<string, unknown>[] = [];
      for await (const chunk of read.rows.chunks()) streamed.push(...chunk);
      const key = (r: Record<string, unknown>) => JSON.stringify(Object.values(r));
      expect(streamed.map(key).sort()).toEqual(rows.map(key).sort());
    });

    it('model versions: a changed model gets __v2, the alias moves, v1 stays readable', async () => {
      const changed = { ...project, models: [totalsModel(', count(*) as entries')] };
      const plan = await apply(changed);
      // and its __by_scenario view (it reads a scenario input) where the dialect has lateral joins
      const byScenario = adapter.dialect.lateralJoins ? ['create-managed-view'] : [];
      expect(plan.operations.map((o) => o.kind)).toEqual(['create-model-version', 'point-model-alias', ...byScenario]);
      const versions = await listVersions(adapter, changed, 'forecast_totals');
      expect(versions.map((v) => [v.version, v.exists, v.latest])).toEqual([
        [1, true, false],
        [2, true, true],
      ]);
      const v1 = await adapter.query(`select * from ${adapter.dialect.qualify(schemas.views, 'forecast_totals__v1')}`);
      const v2 = await adapter.query(`select * from ${adapter.dialect.qualify(schemas.views, 'forecast_totals')}`);
      expect(Object.keys(v2[0] ?? {}).length).toBe(Object.keys(v1[0] ?? {}).length + 1);
      expect((await planned(changed)).operations).toEqual([]);
    }, 120_000);

    it('a bulk request of 5,000 rows commits atomically (chunked inserts, staged key lookup)', async () => {
      const rows = Array.from({ length: 5000 }, (_, i) => ({ id: 1000 + i, region: i % 2 ? 'EMEA' : 'AMER', body: `row ${i}` }));
      const t0 = performance.now();
      const r = await wb.inputs.write('notes', rows, { user: 'bulk' });
      const ms = performance.now() - t0;
      expect(r.ok && r.entries.length).toBe(5000);
      const again = await wb.inputs.write('notes', rows.map((x) => ({ ...x, body: `${x.body}!` })), { user: 'bulk' });
      expect(again.ok && again.entries.every((e) => e.version === 2)).toBe(true);
      console.log(`[${name}] bulk: 5,000 new rows in ${Math.round(ms)} ms (${Math.round(5000 / (ms / 1000))} rows/s)`);
      expect(await count(`select count(*) as n from ${names.state('notes')}`)).toBe(5001);
    }, 300_000);

    it('1,500 concurrent requests with request ids (group commit) all commit; sending them again replays every one', async () => {
      const send = () =>
        Promise.all(Array.from({ length: 1500 }, (_, i) => wb.inputs.write('notes', [{ id: 20_000 + i, body: `g${i}` }], { user: `u${i % 7}`, requestId: `grp-${run}-${i}` })));
      const first = await send();
      expect(first.every((r) => r.ok && !r.replayed)).toBe(true);
      const again = await send();
      expect(again.every((r) => r.ok && r.replayed)).toBe(true);
      expect(await count(`select count(*) as n from ${names.meta('_wb_idempotency')} where table_name = ${adapter.dialect.param(1)}`, ['notes'])).toBeGreaterThanOrEqual(1500);
    }, 300_000);

    it('tokens: created, authenticated, revoked', async () => {
      const created = await wb.tokens.create({ user: 'pat', role: 'planner', attributes: { region: 'EMEA' }, createdBy: 'admin' });
      expect(created.ok).toBe(true);
      if (!created.ok) return;
      expect(await wb.tokens.authenticate(created.token)).toMatchObject({ user: 'pat', role: 'planner' });
      expect((await wb.tokens.revoke(created.info.tokenId)).ok).toBe(true);
      expect(await wb.tokens.authenticate(created.token)).toBeNull();
    });

    it('personal tokens (expiry, own list and revoke, last use) and the users directory (upsert, names in history) on this warehouse', async () => {
      const owner = { user: 'https://idp.example.com#u-pat', role: 'planner', attributes: { region: 'EMEA' } };
      const created = await wb.tokens.createPersonal(owner, { name: 'script', expiresInDays: 7 });
      if (!created.ok) throw new Error(created.error.message);
      expect(created.info).toMatchObject({ kind: 'personal', name: 'script', user: owner.user });
      const signedIn = await wb.tokens.signIn(created.token);
      expect(signedIn).toMatchObject({ ok: true, actor: { user: owner.user, role: 'planner', tokenId: created.info.tokenId } });
      const [listed] = await wb.tokens.listOwn(owner.user);
      expect(listed).toMatchObject({ tokenId: created.info.tokenId, expiresAt: created.info.expiresAt });
      expect(listed!.lastUsedAt).not.toBeNull();
      expect((await wb.tokens.revokeOwn('someone-else', created.info.tokenId)).ok).toBe(false);
      expect((await wb.tokens.revokeOwn(owner.user, created.info.tokenId)).ok).toBe(true);
      expect(await wb.tokens.signIn(created.token)).toEqual({ ok: false, reason: 'invalid' });

      const identity = { issuer: 'https://idp.example.com', subject: 'u-pat', name: "Pat O'Brien", email: 'pat@example.com' };
      await wb.users.recordSignIn(identity, new Date('2026-01-01T00:00:00Z'));
      await wb.users.recordSignIn({ ...identity, name: 'Pat O’Brien-Ng' }, new Date('2026-02-01T00:00:00Z'));
      await wb.users.recordSignIn({ issuer: identity.issuer, subject: 'u-noname' }, new Date('2026-02-01T00:00:00Z'));
      expect(await count(`select count(*) as n from ${names.meta('_wb_users')}`)).toBe(2);
      const found = await wb.users.lookUp([owner.user, `${identity.issuer}#u-noname`, 'nobody']);
      expect(Object.fromEntries(found)).toEqual({ [owner.user]: { name: 'Pat O’Brien-Ng', email: 'pat@example.com' }, [`${identity.issuer}#u-noname`]: { name: null, email: null } });
      const k = { account_id: 'A1', quarter: '2026-Q3' };
      expect((await wb.inputs.write('forecast', [{ ...k, amount: '1.00' }], { user: owner.user })).ok).toBe(true);
      const h = await wb.inputs.history('forecast', { key: k });
      expect(h.ok && h.entries.map((e) => [e.user, e.userName, e.userEmail])).toEqual([[owner.user, 'Pat O’Brien-Ng', 'pat@example.com']]);
    });

    it('approvals and promote go through the log on this warehouse: proposal, approval, one-transaction promote; verify passes', async () => {
      const withApproval: Project = {
        ...project,
        inputs: {
          ...project.inputs,
          forecast: {
            ...forecast,
            approval: { requiredFor: ['planner'], when: { amount: { gt: 1000000 } } },
            permissions: { ...forecast.permissions, finance: { read: true, write: true, delete: true, approve: true, rowFilter: [] } },
          },
        },
      };
      await wb.reload(withApproval);
      try {
        const k = { account_id: 'A2', quarter: '2026-Q4' };
        const big = await wb.inputs.write('forecast', [{ ...k, amount: '2000000.00' }], { user: 'pia', role: 'planner', attributes: { region: 'EMEA' }, comment: 'big one' });
        if (!big.ok || !big.pending) throw new Error(`expected a pending change: ${JSON.stringify(big)}`);
        const hidden = await wb.inputs.rows('forecast', { filter: k });
        expect(hidden.ok && hidden.rows).toEqual([]);
        const approved = await wb.pending.approve('forecast', big.pending.id, { user: 'fay', role: 'finance', comment: 'checked' });
        expect(approved.ok).toBe(true);
        const ops = await adapter.query(`select ${names.id('_op')} as op, ${names.id('_user')} as u from ${names.log('forecast')} where ${names.id('account_id')} = ${adapter.dialect.param(1)} and ${names.id('quarter')} = ${adapter.dialect.param(2)} order by ${names.id('_seq')}`, ['A2', '2026-Q4']);
        expect(ops.map((r) => [r.op, r.u])).toEqual([['propose_upsert', 'pia'], ['upsert', 'fay']]);
        // the 'upside' scenario of an earlier test: its overrides go into base in one transaction
        const promoted = await wb.scenarios.promote('upside', { user: 'fay', confirm: true });
        expect(promoted.ok && promoted.rows).toBeGreaterThan(0);
        const a1 = await wb.inputs.rows('forecast', { filter: { account_id: 'A1' } });
        expect(a1.ok && a1.rows.find((r) => r.quarter === key.quarter)?.amount).toBe('99.00');
        expect((await wb.verify()).problems).toEqual([]);
      } finally {
        await wb.reload(project);
      }
    }, 120_000);

    it.skipIf(!w.multiWriter)('two independent writers (two `serve` processes) racing read-modify-write lose no update', async () => {
      const other = await openAdapter(project, project.targets.wh!);
      const wb2 = await createWriteback(project, other, { targetName: 'wh' });
      try {
        expect((await wb.inputs.write('notes', [{ id: 1, body: '0' }], { user: 'seed' })).ok).toBe(true);
        const increment = async (lib: Writeback, user: string) => {
          for (let attempt = 0; attempt < 200; attempt++) {
            const cur = await lib.inputs.rows('notes', { filter: { id: 1 } });
            if (!cur.ok) throw new Error(JSON.stringify(cur));
            const row = cur.rows[0]!;
            const r = await lib.inputs.write('notes', [{ id: 1, body: String(Number(row.body) + 1), _version: row._version }], { user });
            if (r.ok) return;
            if (r.error.code !== 'conflict') throw new Error(JSON.stringify(r));
            await sleep(Math.random() * 10);
          }
          throw new Error('no progress');
        };
        const each = 8;
        await Promise.all([
          ...Array.from({ length: each }, (_, i) => (async () => increment(wb, `a${i}`))()),
          ...Array.from({ length: each }, (_, i) => (async () => increment(wb2, `b${i}`))()),
        ]);
        const final = await wb.inputs.rows('notes', { filter: { id: 1 } });
        expect(final.ok && final.rows[0]).toMatchObject({ body: String(2 * each), _version: 2 * each + 1 });
        const report = await wb.verify();
        expect(report.problems).toEqual([]);
      } finally {
        await wb2.close();
        await other.close();
      }
    }, 300_000);

    it.skipIf(!w.multiWriter)('two independent writers in parallel without _version: every acknowledged write is in one intact chain', async () => {
      const other = await openAdapter(project, project.targets.wh!);
      const wb2 = await createWriteback(project, other, { targetName: 'wh' });
      try {
        const writes = Array.from({ length: 20 }, (_, i) => ((i % 2 ? wb : wb2).inputs.write('notes', [{ id: 50 + i, body: `p${i}` }], { user: `w${i}` })));
        const results = await Promise.all(writes);
        expect(results.every((r) => r.ok)).toBe(true);
        expect((await wb.verify({ tables: ['notes'] })).problems).toEqual([]);
      } finally {
        await wb2.close();
        await other.close();
      }
    }, 300_000);

    it('verify passes, then detects a log entry edited behind its back', async () => {
      const report = await wb.verify();
      expect(report.problems).toEqual([]);
      expect(report.tables.find((t) => t.table === 'forecast')!.entries).toBeGreaterThan(5);
      const d = adapter.dialect;
      await adapter.execute(`update ${names.log('forecast')} set ${d.quoteIdent('note')} = ${d.param(1)} where ${d.quoteIdent('_seq')} = ${d.param(2)}`, ['tampered', 1n]);
      const bad = await wb.verify({ tables: ['forecast'] });
      expect(bad.ok).toBe(false);
      expect(bad.problems.map((p) => p.kind)).toContain('broken-chain');
    });

    it('the demo project applies (seeds, inputs, models) and takes a write', async () => {
      const demoDir = mkdtempSync(join(tmpdir(), `wb-demo-${w.type}-`));
      try {
        for (const part of ['project.yml', 'inputs', 'models', 'macros', 'seeds']) cpSync(join(ROOT, part), join(demoDir, part), { recursive: true });
        // same project, another target: only the target (and, to share one warehouse, the schema names) change
        const loaded = await loadProject(demoDir);
        if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
        const demo = loaded.value;
        const suffix = `_d${run}`;
        demo.targets = { wh: w.target(demoDir) };
        demo.defaultTarget = 'wh';
        demo.schemas = { inputs: `writeback${suffix}`, views: `planning${suffix}` };
        for (const source of Object.values(demo.sources))
          for (const t of Object.values(source.tables)) t.schema = { wh: `${Object.values(t.schema)[0] ?? source.name}${suffix}` };
        const a = await openAdapter(demo, demo.targets.wh!);
        try {
          await apply(demo, a);
          expect((await planned(demo, a)).operations).toEqual([]);
          for (const model of demo.models) await a.query(`select count(*) as n from ${a.dialect.qualify(demo.schemas.views, model.name)}`);
          const lib = await createWriteback(demo, a, { targetName: 'wh' });
          try {
            const account = readFileSync(join(demoDir, 'seeds/accounts.csv'), 'utf8').split('\n')[1]!.split(',')[0]!;
            const row = { account_id: account, quarter: '2026-Q4', amount: '1000.00', note: 'from the suite' };
            const r = await lib.inputs.write('revenue_forecast', [row], { user: 'planner' });
            expect(r.ok, JSON.stringify(r)).toBe(true);
            const read = await lib.inputs.rows('revenue_forecast', { filter: { account_id: account, quarter: '2026-Q4' } });
            expect(read.ok && read.rows[0]).toMatchObject(row);
            expect((await lib.verify()).problems).toEqual([]);
          } finally {
            await lib.close();
          }
        } finally {
          const schemaNames = [demo.schemas.inputs, demo.schemas.views, ...new Set(Object.values(demo.sources).flatMap((s) => Object.values(s.tables).flatMap((t) => Object.values(t.schema))))];
          await w.cleanup?.(a, schemaNames).catch(() => undefined);
          await a.close();
        }
      } finally {
        rmSync(demoDir, { recursive: true, force: true });
      }
    }, 180_000);
  });
}

export { forecast, notes };
