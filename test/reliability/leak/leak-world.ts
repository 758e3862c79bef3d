import { rmSync } from 'node:fs';
import type { Actor } from '../../../src/auth/actor.js';
import { openProject } from '../../../src/library/open-project.js';
import type { Writeback } from '../../../src/library/writeback.js';
import { silentLogger } from '../../../src/server/logger.js';
import { startServer, type RunningHttpServer } from '../../../src/server/start-server.js';
import type { WriteResult } from '../../../src/write/types.js';
import { recordSignInSql } from '../../../src/auth/users.js';
import { sqlNames } from '../../../src/managed/sql-names.js';
import { resolveTarget } from '../../../src/adapters/registry.js';
import { ACCOUNTS, appliedLeakProject, HIDDEN, SEEN } from './leak-project.js';

/** The attackers: one signed-in user per role, all of the seen region. */
export const ATTACKERS = {
  eve: { role: 'planner' },
  rex: { role: 'reviewer' },
  val: { role: 'viewer' },
} as const;
export type Attacker = keyof typeof ATTACKERS;

/** Users of the seen region who write the rows the attackers may see (never attackers). */
const IAN: Actor = { user: 'ian', role: 'planner', attributes: { region: SEEN } };
const RITA: Actor = { user: 'rita', role: 'reviewer', attributes: { region: SEEN } };
/** The hidden region's users: their names are canaries. */
export const CANARY_PLANNER = 'qzv_amer_planner_7k';
export const CANARY_REVIEWER = 'qzv_amer_reviewer_7k';
const QP: Actor = { user: CANARY_PLANNER, role: 'planner', attributes: { region: HIDDEN } };
const QR: Actor = { user: CANARY_REVIEWER, role: 'reviewer', attributes: { region: HIDDEN } };
const ADMIN = 'setup_admin';

/**
 * The keys the generated cases aim at. `hid*` exist only for the hidden region (world A);
 * `vis*` are the seen region's. Forecast keys are `{ id }`, account_plan keys `{ account_id, period }`.
 */
export const KEYS = {
  forecast: {
    vis: { id: 'fc-e1' },
    visDel: { id: 'fc-e3' },
    /** alive in base (three versions), overridden in whatif, overridden then reset in deep, a pending update, an action */
    hid: { id: 'fc-qzv-k1' },
    /** alive in base, deleted in whatif */
    hidScenDel: { id: 'fc-qzv-k2' },
    /** deleted in base */
    hidDel: { id: 'fc-qzv-k3' },
    /** only in whatif */
    hidScen: { id: 'fc-qzv-k4' },
    /** only in a pending change */
    hidPend: { id: 'fc-qzv-k5' },
    /** alive in base through an approval by the hidden reviewer */
    hidApproved: { id: 'fc-qzv-k6' },
  },
  account_plan: {
    vis: { account_id: 'acc_e01', period: 'P01' },
    visDel: { account_id: 'acc_e02', period: 'P02' },
    hid: { account_id: 'acc_qzv1', period: 'P01' },
    hidScenDel: { account_id: 'acc_qzv2', period: 'P01' },
    hidDel: { account_id: 'acc_qzv1', period: 'P03' },
    hidScen: { account_id: 'acc_qzv2', period: 'P05' },
    hidPend: { account_id: 'acc_qzv3', period: 'P01' },
    hidApproved: { account_id: 'acc_qzv3', period: 'P02' },
  },
} as const;
export type Table = keyof typeof KEYS;
export type Family = keyof (typeof KEYS)['forecast'];
export const TABLES: Table[] = ['forecast', 'account_plan'];
export const ACTION: Record<Table, string> = { forecast: 'submit', account_plan: 'commit' };

/**
 * Whether a family's key is held, in world A, by a hidden row somewhere in a scenario's chain — a
 * row alive there or below, or the tombstone of one — so that an attacker's upsert of it is the
 * documented taken-key case.
 */
export function heldIn(family: Family, scenario: string): boolean {
  switch (family) {
    case 'hid':
    case 'hidApproved':
    case 'hidScenDel':
    case 'hidDel':
      return true;
    case 'hidScen':
      return scenario !== 'base';
    default:
      return false;
  }
}

/** What one world's setup produced that the cases need (ids and times differ between worlds). */
export interface WorldFacts {
  /** Pending change ids by label (`<table>.<label>`). */
  pending: Record<string, string>;
  /** ISO times of seen writes, usable as `as_of` / `since`. */
  times: { early: string; middle: string; late: string };
  /** Ids of personal tokens by label (world A: `token.hid`, the hidden region's planner's). */
  tokens: Record<string, string>;
}

/** The canaries of world A: every trace of the hidden region's rows. */
export interface Canaries {
  /** Exact strings (values, users, comments, keys, ids, times in several spellings). */
  strings: string[];
  /** Hidden entry, pending and webhook-call ids. */
  ids: string[];
}

/** One project, applied, served on an ephemeral port; `withHidden` adds the hidden region's rows. */
export class World {
  wb!: Writeback;
  server!: RunningHttpServer;
  dir!: string;
  readonly tokens = {} as Record<Attacker, string>;
  readonly facts: WorldFacts = { pending: {}, times: { early: '', middle: '', late: '' }, tokens: {} };
  /** Answers by case label (a case may read an earlier answer, e.g. its cursor). */
  readonly answers = new Map<string, { status: number; json: unknown }>();
  /** Strings written by the hidden region's users (all contain `qzv`, or are its amounts). */
  readonly hiddenValues = new Set<string>();

  constructor(
    readonly name: 'A' | 'B',
    readonly withHidden: boolean,
  ) {}

  async start(webhookUrl: string): Promise<void> {
    this.dir = await appliedLeakProject(webhookUrl);
    this.wb = await openProject(this.dir);
    for (const [user, { role }] of Object.entries(ATTACKERS) as [Attacker, { role: string }][]) {
      const made = await this.wb.tokens.create({ user, role, attributes: { region: SEEN } });
      if (!made.ok) throw new Error(made.error.message);
      this.tokens[user] = made.token;
    }
    await this.populate();
    await this.nameUsers();
    this.server = await startServer(this.wb, { port: 0, logger: silentLogger, snapshot: false, discovery: false });
  }

  /**
   * Display names and e-mail addresses in the users directory for the writers of both regions
   * (history shows them): the hidden region's are canaries too, so a name must never reach an
   * attacker where its entry does not.
   */
  private async nameUsers(): Promise<void> {
    const names = sqlNames(this.wb.project, resolveTarget(this.wb.project).name, this.wb.adapter.dialect);
    const at = new Date();
    const people: [string, string, string][] = [
      [IAN.user, 'Ian Seen', 'ian@seen.example'],
      [CANARY_PLANNER, 'Qzv Hidden Planner', 'qzv.planner@hidden.example'],
      [CANARY_REVIEWER, 'Qzv Hidden Reviewer', 'qzv.reviewer@hidden.example'],
    ];
    // ids as the users directory keys them (these users signed in with tokens, so not `<issuer>#<subject>`)
    for (const [user, display, email] of people) await this.wb.adapter.execute(recordSignInSql(names), [user, 'https://idp.example', user, display, email, at, at]);
    for (const [user, display, email] of people) if (user !== IAN.user) this.hiddenValues.add(display).add(email);
    if (!this.withHidden) return;
    // the hidden region's planner has a personal token: attackers never see it, nor revoke it
    const made = await this.wb.tokens.createPersonal({ user: CANARY_PLANNER, role: 'planner', attributes: { region: HIDDEN } }, { name: 'qzv-token-name-5c5c' });
    if (!made.ok) throw new Error(made.error.message);
    this.facts.tokens['token.hid'] = made.info.tokenId;
    this.hiddenValues.add('qzv-token-name-5c5c');
  }

  async close(): Promise<void> {
    await this.server?.close();
    await this.wb?.close();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  private must(what: string, r: WriteResult | { ok: boolean; error?: unknown }): void {
    if (!r.ok) throw new Error(`world ${this.name}: ${what}: ${JSON.stringify('error' in r ? r.error : r)}`);
  }

  /** A seen-region write (both worlds); returns its time. */
  private async seen(what: string, op: 'write' | 'delete', table: Table, rows: Record<string, unknown>[], actor: Actor, extra: { scenario?: string; comment?: string } = {}): Promise<WriteResult> {
    const r = await this.wb.inputs[op](table, rows, { ...actor, ...extra });
    this.must(what, r);
    return r;
  }

  /** A hidden-region write (world A only); every string it writes is remembered as a canary. */
  private async hidden(what: string, op: 'write' | 'delete' | 'reset', table: Table, rows: Record<string, unknown>[], actor: Actor, extra: { scenario?: string; comment?: string; requestId?: string } = {}): Promise<WriteResult | undefined> {
    if (!this.withHidden) return undefined;
    this.remember(rows, extra.comment);
    const r = op === 'reset' ? await this.wb.scenarios.reset(table, rows, { ...actor, scenario: extra.scenario ?? 'base', ...(extra.comment ? { comment: extra.comment } : {}) }) : await this.wb.inputs[op](table, rows, { ...actor, ...extra });
    this.must(what, r);
    return r;
  }

  private remember(rows: Record<string, unknown>[], comment?: string): void {
    for (const row of rows) for (const v of Object.values(row)) if (typeof v === 'string' && (/qzv/i.test(v) || /^\d+\.\d\d$/.test(v))) this.hiddenValues.add(v);
    if (comment) this.hiddenValues.add(comment);
  }

  /** The idempotency key of a hidden write, which an attacker then reuses. */
  static readonly HIDDEN_REQUEST_ID: Record<Table, string> = { forecast: 'qzv-request-forecast-1', account_plan: 'qzv-request-plan-1' };

  /** Propose (a write that needs approval); returns the pending id. */
  private async propose(table: Table, rows: Record<string, unknown>[], actor: Actor, comment: string): Promise<string> {
    const r = await this.wb.inputs.write(table, rows, { ...actor, comment });
    this.must(`proposal on ${table}`, r);
    if (!r.ok || !r.pending) throw new Error(`world ${this.name}: expected a pending change on ${table}`);
    return r.pending.id;
  }

  private async decide(table: Table, id: string, how: 'approve' | 'reject', actor: Actor, comment: string): Promise<void> {
    const r = await this.wb.pending[how](table, id, { ...actor, comment });
    this.must(`${how} ${id}`, r);
  }

  private async act(table: Table, keys: Record<string, unknown>[], actor: Actor, comment?: string): Promise<void> {
    const r = await this.wb.actions.run(table, ACTION[table], { ...actor, keys, confirm: true, ...(comment ? { comment } : {}) });
    this.must(`action on ${table}`, r);
    if (r.ok && r.webhook?.status !== 'ok') throw new Error(`world ${this.name}: webhook of ${table} failed: ${JSON.stringify(r.webhook)}`);
  }

  /**
   * The rows of both regions, interleaved in one order (world B simply skips the hidden ones):
   * several versions, deletes, scenario overrides, deletes and resets, pending, approved and
   * rejected changes, actions with webhook calls.
   */
  private async populate(): Promise<void> {
    const F = KEYS.forecast;
    const P = KEYS.account_plan;
    const withHidden = this.withHidden;
    for (const [name, from] of [['whatif', 'base'], ['deep', 'whatif']] as const) this.must(`scenario ${name}`, await this.wb.scenarios.create({ user: ADMIN, name, from }));

    const e1 = await this.seen('forecast v1', 'write', 'forecast', [
      { ...F.vis, region: SEEN, amount: '100.00', note: 'seen note one' },
      { id: 'fc-e2', region: SEEN, amount: '200.00', note: 'seen note two' },
      { ...F.visDel, region: SEEN, amount: '300.00' },
    ], IAN, { comment: 'ian plans' });
    await this.seen('plan v1', 'write', 'account_plan', [
      { ...P.vis, target: '1000.00', category: 'alpha', reference: 'Northwind Trading', comment: 'seen plan' },
      { account_id: 'acc_e02', period: 'P01', target: '2000.00' },
      { ...P.visDel, target: '3000.00' },
    ], IAN, { comment: 'ian plans accounts' });
    this.facts.times.early = e1.ok ? e1.at : '';

    await this.hidden('forecast h1', 'write', 'forecast', [
      { ...F.hid, region: HIDDEN, amount: '613579.13', note: 'qzv-note-k1-a81f' },
      { ...F.hidScenDel, region: HIDDEN, amount: '702314.29', note: 'qzv-note-k2-c03d' },
      { ...F.hidDel, region: HIDDEN, amount: '559101.77', note: 'qzv-note-k3-9e1b' },
    ], QP, { comment: 'qzv-comment-first-44c1', requestId: World.HIDDEN_REQUEST_ID.forecast });
    await this.hidden('plan h1', 'write', 'account_plan', [
      { ...P.hid, target: '424242.17', category: 'beta', reference: 'Qzv Canary Mining 77ab', comment: 'qzv-plan-c1-71aa' },
      { ...P.hidScenDel, target: '525252.31', comment: 'qzv-plan-c2-0b7e' },
      { ...P.hidDel, target: '626262.43', comment: 'qzv-plan-c3-5d19' },
    ], QP, { comment: 'qzv-comment-plan-18f0', requestId: World.HIDDEN_REQUEST_ID.account_plan });

    const mid = await this.seen('forecast v2', 'write', 'forecast', [{ ...F.vis, amount: '110.00' }], IAN);
    await this.seen('plan v2', 'write', 'account_plan', [{ ...P.vis, target: '1100.00' }], IAN);
    this.facts.times.middle = mid.ok ? mid.at : '';

    await this.hidden('forecast h2', 'write', 'forecast', [{ ...F.hid, amount: '613580.21', note: 'qzv-note-k1-b93c' }], QP, { comment: 'qzv-comment-second-9a02' });
    await this.hidden('forecast h3', 'write', 'forecast', [{ ...F.hid, amount: '613581.35' }], QP, { comment: 'qzv-comment-third-3ff4' });
    await this.hidden('forecast h4', 'delete', 'forecast', [F.hidDel], QR, { comment: 'qzv-comment-delete-6c1e' });
    await this.hidden('plan h2', 'write', 'account_plan', [{ ...P.hid, target: '424243.29', comment: 'qzv-plan-c1-v2-e5a0' }], QP);
    await this.hidden('plan h3', 'delete', 'account_plan', [P.hidDel], QR, { comment: 'qzv-comment-plan-delete-2b8c' });
    await this.seen('forecast v3', 'delete', 'forecast', [F.visDel], IAN);
    await this.seen('plan v3', 'delete', 'account_plan', [P.visDel], IAN);

    // scenarios
    await this.seen('forecast v4', 'write', 'forecast', [{ ...F.vis, amount: '150.00' }, { id: 'fc-e4', region: SEEN, amount: '40.00' }], IAN, { scenario: 'whatif' });
    await this.seen('plan v4', 'write', 'account_plan', [{ ...P.vis, target: '1500.00' }, { account_id: 'acc_e02', period: 'P05', target: '50.00' }], IAN, { scenario: 'whatif' });
    await this.hidden('forecast h5', 'write', 'forecast', [{ ...F.hid, amount: '271828.18', note: 'qzv-note-k1-scen-77d0' }, { ...F.hidScen, region: HIDDEN, amount: '161803.39', note: 'qzv-note-k4-1a2b' }], QP, { scenario: 'whatif', comment: 'qzv-comment-scen-5e6f' });
    await this.hidden('forecast h6', 'delete', 'forecast', [F.hidScenDel], QP, { scenario: 'whatif' });
    await this.hidden('forecast h7', 'write', 'forecast', [{ ...F.hid, amount: '314159.26' }], QP, { scenario: 'deep', comment: 'qzv-comment-deep-0c3d' });
    await this.hidden('forecast h8', 'reset', 'forecast', [F.hid], QP, { scenario: 'deep', comment: 'qzv-comment-reset-ab12' });
    await this.hidden('plan h4', 'write', 'account_plan', [{ ...P.hid, target: '141421.35', comment: 'qzv-plan-scen-4d4d' }, { ...P.hidScen, target: '173205.08' }], QP, { scenario: 'whatif' });
    await this.hidden('plan h5', 'delete', 'account_plan', [P.hidScenDel], QP, { scenario: 'whatif' });
    await this.seen('forecast v5', 'write', 'forecast', [{ id: 'fc-e2', amount: '250.00' }], IAN, { scenario: 'deep' });
    await this.seen('plan v5', 'write', 'account_plan', [{ account_id: 'acc_e02', period: 'P01', target: '2500.00' }], IAN, { scenario: 'deep' });

    // approvals
    this.facts.pending['forecast.seenPending'] = await this.propose('forecast', [{ id: 'fc-e5', region: SEEN, amount: '2000000.00' }], IAN, 'big seen forecast');
    const approved = await this.propose('forecast', [{ id: 'fc-e6', region: SEEN, amount: '3000000.00' }], IAN, 'another big one');
    await this.decide('forecast', approved, 'approve', RITA, 'fine');
    this.facts.pending['forecast.seenApproved'] = approved;
    const rejected = await this.propose('forecast', [{ id: 'fc-e7', region: SEEN, amount: '4000000.00' }], IAN, 'too big');
    await this.decide('forecast', rejected, 'reject', RITA, 'no');
    this.facts.pending['forecast.seenRejected'] = rejected;
    this.facts.pending['account_plan.seenPending'] = await this.propose('account_plan', [{ account_id: 'acc_e03', period: 'P01', target: '2500000.00' }], IAN, 'big seen plan');
    if (withHidden) {
      const rows = (r: Record<string, unknown>[]) => (this.remember(r), r);
      this.facts.pending['forecast.hidPending'] = await this.propose('forecast', rows([{ ...F.hidPend, region: HIDDEN, amount: '5193847.26', note: 'qzv-note-k5-pend' }]), QP, 'qzv-propose-k5-81bc');
      this.facts.pending['forecast.hidPendingUpdate'] = await this.propose('forecast', rows([{ ...F.hid, amount: '4000000.01' }]), QP, 'qzv-propose-k1-2d3e');
      const hApproved = await this.propose('forecast', rows([{ ...F.hidApproved, region: HIDDEN, amount: '6100000.00', note: 'qzv-note-k6' }]), QP, 'qzv-propose-k6-aa01');
      await this.decide('forecast', hApproved, 'approve', QR, 'qzv-approve-k6-bb02');
      this.facts.pending['forecast.hidApproved'] = hApproved;
      const hRejected = await this.propose('forecast', rows([{ id: 'fc-qzv-k7', region: HIDDEN, amount: '7100000.00' }]), QP, 'qzv-propose-k7-cc03');
      await this.decide('forecast', hRejected, 'reject', QR, 'qzv-reject-k7-dd04');
      this.facts.pending['forecast.hidRejected'] = hRejected;
      this.facts.pending['account_plan.hidPending'] = await this.propose('account_plan', rows([{ ...P.hidPend, target: '7300000.00', comment: 'qzv-plan-pend-ee05' }]), QP, 'qzv-propose-plan-ff06');
      const pApproved = await this.propose('account_plan', rows([{ ...P.hidApproved, target: '8300000.00' }]), QP, 'qzv-propose-plan-0a07');
      await this.decide('account_plan', pApproved, 'approve', QR, 'qzv-approve-plan-1b08');
      this.facts.pending['account_plan.hidApproved'] = pApproved;
      this.hiddenValues.add('qzv-approve-k6-bb02').add('qzv-reject-k7-dd04').add('qzv-approve-plan-1b08');
    }

    // actions (webhook calls)
    await this.act('forecast', [{ id: 'fc-e2' }], IAN);
    await this.act('account_plan', [{ account_id: 'acc_e01', period: 'P01' }], IAN);
    if (withHidden) {
      await this.act('forecast', [F.hid], QP, 'qzv-action-comment-9f9f');
      await this.act('account_plan', [P.hid], QP);
      this.hiddenValues.add('qzv-action-comment-9f9f');
    }
    const late = await this.seen('forecast v6', 'write', 'forecast', [{ id: 'fc-e2', note: 'seen note two, later' }], IAN);
    this.facts.times.late = late.ok ? late.at : '';
  }

  /**
   * Every trace of the hidden region's rows, read as the administrator: the values and comments
   * written, the users, the hidden keys and source rows, every hidden log entry's id and time,
   * every hidden pending change's and webhook call's id and times. A time that a seen entry shares is left out
   * (it proves nothing).
   */
  async canaries(): Promise<Canaries> {
    const hiddenUsers = new Set([CANARY_PLANNER, CANARY_REVIEWER]);
    const ids = new Set<string>();
    const hiddenTimes = new Set<string>();
    const seenTimes = new Set<string>();
    const note = (set: Set<string>, t: string | null | undefined) => t && set.add(t);
    for (const table of TABLES) {
      const h = await this.wb.inputs.history(table, { limit: 100_000 });
      if (!h.ok) throw new Error(h.error.message);
      for (const e of h.entries) {
        const hidden = hiddenUsers.has(e.user) || JSON.stringify(e.key).includes('qzv');
        if (hidden) ids.add(e.entryId);
        note(hidden ? hiddenTimes : seenTimes, e.at);
      }
      const p = await this.wb.pending.list(table, { status: 'all' });
      if (!p.ok) throw new Error(p.error.message);
      for (const c of p.changes) {
        const hidden = hiddenUsers.has(c.proposedBy);
        if (hidden) ids.add(c.id);
        note(hidden ? hiddenTimes : seenTimes, c.proposedAt);
        note(hidden ? hiddenTimes : seenTimes, c.decidedAt);
      }
      const calls = await this.wb.actions.calls(table);
      if (!calls.ok) throw new Error(calls.error.message);
      for (const call of calls.calls) {
        const hidden = hiddenUsers.has(String(call.user));
        if (hidden) ids.add(String(call.call_id));
        note(hidden ? hiddenTimes : seenTimes, String(call.created_at));
        note(hidden ? hiddenTimes : seenTimes, String(call.finished_at));
      }
    }
    const strings = new Set<string>([...hiddenUsers, ...this.hiddenValues, ...ids]);
    for (const account of ACCOUNTS) if (account[2] === HIDDEN) for (const v of [account[0], account[1], account[3]]) strings.add(v);
    for (const key of Object.values(KEYS).flatMap((k) => Object.values(k))) for (const v of Object.values(key) as string[]) if (v.includes('qzv')) strings.add(v);
    for (const t of hiddenTimes) {
      if (seenTimes.has(t)) continue;
      const iso = new Date(t).toISOString();
      strings.add(iso);
      strings.add(iso.replace('T', ' ').replace('Z', ''));
      strings.add(String(new Date(t).getTime()));
    }
    return { strings: [...strings], ids: [...ids] };
  }
}
