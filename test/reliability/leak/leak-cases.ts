import type { LeakRequest } from './leak-check.js';
import { ACCOUNTS, HIDDEN } from './leak-project.js';
import { ACTION, heldIn, ATTACKERS, type Attacker, CANARY_PLANNER, type Family, KEYS, type Table, TABLES, World } from './leak-world.js';

type Key = Record<string, string>;

/** The same case aimed at a key (or id, or value) that never existed, and how to turn its answer into the hidden one's. */
export interface FreshTwin {
  build(w: World): LeakRequest;
  /** Strings of the fresh answer to replace (fresh → hidden) before comparing. */
  pairs: [string, string][];
}

/** One generated request, sent to both worlds. */
export interface LeakCase {
  label: string;
  /** The operation of the served document the case exercises (checked against the document). */
  op?: string;
  /** The answer's rows come in no specified order (compared sorted). */
  unordered?: true;
  /** The label of an earlier case whose answer this one reads (a next page): it runs after it. */
  follows?: string;
  who: Attacker | 'anonymous';
  build(w: World): LeakRequest;
  /** The case names a hidden key, id or value: its answer must equal the answer for one that never existed. */
  hidden?: { table: Table; family: Family | 'id' | 'value'; fresh(n: number): FreshTwin };
  /**
   * The documented exception may apply: an upsert naming a key held by a row outside the caller's
   * filter is 403 "… cannot be written by you" (the key is taken, as with any unique key). When
   * world A answers 403, the answer must carry no canary, and B (where the key never existed and
   * the upsert would create it) is not asked; any other answer must be B's.
   */
  taken?: boolean;
}

const ROLE_WRITES = (who: Attacker) => ATTACKERS[who].role !== 'viewer';
const qs = (params: Record<string, string | number | undefined>) =>
  Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
const withQuery = (path: string, params: Record<string, string | number | undefined>) => {
  const q = qs(params);
  return q ? `${path}?${q}` : path;
};

/** A key of `table` that never existed in either world (n makes it unique); account_plan alternates an unused hidden-region account and an account the source lacks. */
function freshKey(table: Table, n: number): Key {
  if (table === 'forecast') return { id: `fc-nv-${n}` };
  return { account_id: n % 2 === 1 ? 'acc_qzv9' : `acc_nv${n}`, period: `P${7000 + n}` };
}

/** fresh → hidden, per key column. */
function keyPairs(fresh: Key, hidden: Key): [string, string][] {
  return Object.keys(hidden).map((k) => [fresh[k]!, hidden[k]!]);
}

/** The body of an upsert by an attacker: its own region, small values. */
function payload(table: Table, big = false): Record<string, string> {
  const amount = big ? '2222222.00' : '10.00';
  return table === 'forecast' ? { region: 'EMEA', amount, note: 'attacker note' } : { target: amount, comment: 'attacker comment' };
}

/**
 * The cases that name one key: reads by key (base, scenario, as of), upserts with every kind of
 * `_version`, deletes, resets, actions. Hidden families get a fresh twin; upserts of a key that a
 * hidden row holds where it is written are the documented taken-key case.
 */
function keyCases(who: Attacker, table: Table, family: Family): LeakCase[] {
  const key: Key = KEYS[table][family];
  const isHidden = family.startsWith('hid');
  const base = `/api/v1/inputs/${table}`;
  const out: LeakCase[] = [];
  const add = (op: string, label: string, make: (k: Key, w: World) => LeakRequest, opts: { taken?: boolean } = {}) => {
    const c: LeakCase = { label: `${who} ${table} ${family} ${label}`, op, who, build: (w) => make(key, w) };
    if (opts.taken) c.taken = true;
    else if (isHidden)
      c.hidden = {
        table,
        family,
        fresh: (n) => {
          const k = freshKey(table, n);
          return { build: (w) => make(k, w), pairs: keyPairs(k, key) };
        },
      };
    out.push(c);
  };
  const token = (w: World) => w.tokens[who];
  const filter = (k: Key) => Object.fromEntries(Object.entries(k).map(([c, v]) => [`filter.${c}`, v]));
  const byKey = (k: Key) => Object.fromEntries(Object.entries(k).map(([c, v]) => [`key.${c}`, v]));
  // an upsert naming a key that a hidden row holds where it is written
  const takenIn = (scenario: string) => table === 'forecast' && isHidden && ROLE_WRITES(who) && heldIn(family, scenario);

  for (const scenario of ['base', 'whatif']) add('readRows', `rows ${scenario}`, (k, w) => ({ method: 'GET', url: withQuery(`${base}/rows`, { ...filter(k), scenario: scenario === 'base' ? undefined : scenario }), token: token(w) }));
  add('readRows', 'rows as of', (k, w) => ({ method: 'GET', url: withQuery(`${base}/rows`, { ...filter(k), as_of: w.facts.times.late }), token: token(w) }));
  add('readHistory', 'history', (k, w) => ({ method: 'GET', url: withQuery(`${base}/history`, byKey(k)), token: token(w) }));
  add('readHistory', 'history whatif', (k, w) => ({ method: 'GET', url: withQuery(`${base}/history`, { ...byKey(k), scenario: 'whatif' }), token: token(w) }));

  const versions: Record<string, (number | undefined)[]> = { base: [undefined, 0, 1, 99], whatif: [undefined, 1], deep: [undefined] };
  for (const [scenario, list] of Object.entries(versions))
    for (const v of list)
      add(
        'writeRows',
        `upsert ${scenario} _version ${v ?? 'none'}`,
        (k, w) => ({ method: 'POST', url: `${base}/rows`, token: token(w), body: { rows: [{ ...k, ...payload(table), ...(v === undefined ? {} : { _version: v }) }], ...(scenario === 'base' ? {} : { scenario }) } }),
        { taken: takenIn(scenario) && (v === undefined || v === 0) },
      );
  if (who === 'eve') add('writeRows', 'upsert needing approval', (k, w) => ({ method: 'POST', url: `${base}/rows`, token: token(w), body: { rows: [{ ...k, ...payload(table, true) }] } }), { taken: takenIn('base') });
  if (table === 'forecast') add('writeRows', 'upsert into the hidden region', (k, w) => ({ method: 'POST', url: `${base}/rows`, token: token(w), body: { rows: [{ ...k, ...payload(table), region: HIDDEN }] } }), { taken: takenIn('base') });
  add('writeRows', 'upsert dry run', (k, w) => ({ method: 'POST', url: `${base}/rows`, token: token(w), body: { rows: [{ ...k, ...payload(table) }], dry_run: true } }), { taken: takenIn('base') });
  for (const scenario of ['base', 'whatif'])
    add('runAction', `action ${scenario}`, (k, w) => ({ method: 'POST', url: `${base}/actions/${ACTION[table]}`, token: token(w), body: { keys: [k], confirm: true, ...(scenario === 'base' ? {} : { scenario }) } }), {
      taken: takenIn(scenario),
    });
  for (const scenario of ['whatif', 'deep']) add('resetRows', `reset ${scenario}`, (k, w) => ({ method: 'POST', url: `${base}/reset`, token: token(w), body: { keys: [k], scenario } }));
  const deletes: Record<string, (number | undefined)[]> = { base: [1, 99, undefined], whatif: [1, undefined] };
  for (const [scenario, list] of Object.entries(deletes))
    for (const v of list)
      add('deleteRows', `delete ${scenario} _version ${v ?? 'none'}`, (k, w) => ({
        method: 'POST',
        url: `${base}/delete`,
        token: token(w),
        body: { keys: [{ ...k, ...(v === undefined ? {} : { _version: v }) }], ...(scenario === 'base' ? {} : { scenario }) },
      }));
  return out;
}

/** Cases per operation of the served document (operationId → the cases of one attacker). */
type Generator = (who: Attacker) => LeakCase[];

function one(who: Attacker, label: string, make: (w: World) => LeakRequest): LeakCase {
  return { label: `${who} ${label}`, who, build: make };
}

/** Follow the `next_cursor` of an earlier answer of the same world (a page the attacker did not ask for). */
function nextPage(w: World, label: string, url: string, token: string): LeakRequest {
  const answer = w.answers.get(label)?.json as { next_cursor?: string | null } | undefined;
  const cursor = answer?.next_cursor;
  return { method: 'GET', url: cursor ? `${url}${url.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}` : url, token };
}

const MODELS = ['plan_by_account', 'forecast_totals', 'plan_names'];
const HIDDEN_NAME = ACCOUNTS.find((a) => a[2] === HIDDEN)![1];

/** Pending ids to aim at: the hidden region's (world A's, the same string in both worlds), the seen region's (each world's own). */
function pendingTargets(table: Table, hiddenIds: Record<string, string>): { label: string; id: (w: World) => string; hiddenId?: string }[] {
  const seen = table === 'forecast' ? ['seenPending', 'seenApproved', 'seenRejected'] : ['seenPending'];
  return [
    ...Object.entries(hiddenIds)
      .filter(([label]) => label.startsWith(`${table}.`))
      .map(([label, id]) => ({ label, id: () => id, hiddenId: id })),
    ...seen.map((s) => ({ label: `${table}.${s}`, id: (w: World) => w.facts.pending[`${table}.${s}`]! })),
  ];
}

/** A syntactically valid id of a pending change that never existed. */
function freshId(n: number): string {
  return `01900000-0000-7000-8000-${String(n).padStart(12, '0')}`;
}

/** The generators, by operationId; `hiddenIds` are world A's hidden pending ids. */
export function generators(hiddenIds: Record<string, string>): Record<string, Generator> {
  const t = (w: World, who: Attacker) => w.tokens[who];
  const perTable = (fn: (who: Attacker, table: Table) => LeakCase[]): Generator => (who) => TABLES.flatMap((table) => fn(who, table));
  const families = Object.keys(KEYS.forecast) as Family[];
  /** Every family for reads; a role that may not write is refused before any row is looked at, so a few families show that. */
  const writing = (who: Attacker): Family[] => (ROLE_WRITES(who) ? families : ['vis', 'hid', 'hidDel']);
  return {
    me: (who) => [one(who, 'me', (w) => ({ method: 'GET', url: '/api/v1/me', token: t(w, who) }))],
    listMyTokens: (who) => [one(who, 'my tokens', (w) => ({ method: 'GET', url: '/api/v1/me/tokens', token: t(w, who) }))],
    createMyToken: (who) => [one(who, 'create a token with a token', (w) => ({ method: 'POST', url: '/api/v1/me/tokens', token: t(w, who), body: { name: 'x' } }))],
    // the hidden planner's personal token (world A) answers like a token id that never existed (world B)
    revokeMyToken: (who) =>
      [hiddenIds['token.hid'], '0123456789ab'].filter((id): id is string => id !== undefined).map((id) =>
        one(who, `revoke token ${id === hiddenIds['token.hid'] ? 'of the hidden planner' : 'that never existed'}`, (w) => ({ method: 'POST', url: `/api/v1/me/tokens/${id}/revoke`, token: t(w, who) })),
      ),
    listInputs: (who) => [one(who, 'inputs', (w) => ({ method: 'GET', url: '/api/v1/inputs', token: t(w, who) }))],
    readRows: perTable((who, table) => {
      const url = `/api/v1/inputs/${table}/rows`;
      const guess = table === 'forecast' ? { 'filter.region': HIDDEN } : { 'filter.account_id': 'acc_qzv1' };
      const value = table === 'forecast' ? { 'filter.note': 'qzv-note-k1-a81f' } : { 'filter.comment': 'qzv-plan-c1-71aa' };
      const page1 = `${who} ${table} rows page 1`;
      return [
        ...['base', 'whatif', 'deep'].map((s) => one(who, `${table} rows ${s}`, (w) => ({ method: 'GET', url: withQuery(url, { scenario: s === 'base' ? undefined : s }), token: t(w, who) }))),
        ...(['early', 'middle', 'late'] as const).map((at) => one(who, `${table} rows as of ${at}`, (w) => ({ method: 'GET', url: withQuery(url, { as_of: w.facts.times[at] }), token: t(w, who) }))),
        one(who, `${table} rows as of whatif`, (w) => ({ method: 'GET', url: withQuery(url, { as_of: w.facts.times.late, scenario: 'whatif' }), token: t(w, who) })),
        one(who, `${table} rows filtered on the hidden region`, (w) => ({ method: 'GET', url: withQuery(url, guess), token: t(w, who) })),
        one(who, `${table} rows filtered on a hidden value`, (w) => ({ method: 'GET', url: withQuery(url, value), token: t(w, who) })),
        { label: page1, who, build: (w) => ({ method: 'GET', url: withQuery(url, { limit: 1 }), token: t(w, who) }) },
        { ...one(who, `${table} rows page 2`, (w) => nextPage(w, page1, withQuery(url, { limit: 1 }), t(w, who))), follows: page1 },
        ...families.flatMap((f) => keyCases(who, table, f).filter((c) => c.op === 'readRows')),
        // the planning grid's template rows: one per linked source row in the caller's filter × each period
        ...(table === 'account_plan'
          ? [
              one(who, `${table} rows with template`, (w) => ({ method: 'GET', url: withQuery(url, { template: 'true' }), token: t(w, who) })),
              one(who, `${table} rows with template whatif`, (w) => ({ method: 'GET', url: withQuery(url, { template: 'true', scenario: 'whatif' }), token: t(w, who) })),
              one(who, `${table} rows with template filtered on a hidden account`, (w) => ({ method: 'GET', url: withQuery(url, { template: 'true', 'filter.account_id': 'acc_qzv9' }), token: t(w, who) })),
            ]
          : []),
      ];
    }),
    writeRows: perTable((who, table) => [
      ...writing(who).flatMap((f) => keyCases(who, table, f).filter((c) => c.op === 'writeRows')),
      // the idempotency key of a hidden write, reused
      one(who, `${table} write with a hidden write's idempotency key`, (w) => ({
        method: 'POST',
        url: `/api/v1/inputs/${table}/rows`,
        token: t(w, who),
        headers: { 'idempotency-key': World.HIDDEN_REQUEST_ID[table] },
        body: { rows: [{ ...KEYS[table].vis, ...payload(table) }] },
      })),
      ...(table === 'account_plan'
        ? [
            // a value of the linked source outside the caller's filter, against one the source lacks
            {
              label: `${who} account_plan reference to a hidden account`,
              who,
              build: (w: World) => ({ method: 'POST' as const, url: '/api/v1/inputs/account_plan/rows', token: t(w, who), body: { rows: [{ ...KEYS.account_plan.vis, reference: HIDDEN_NAME }] } }),
              hidden: {
                table,
                family: 'value' as const,
                fresh: (n: number) => ({
                  build: (w: World) => ({ method: 'POST' as const, url: '/api/v1/inputs/account_plan/rows', token: t(w, who), body: { rows: [{ ...KEYS.account_plan.vis, reference: `Never Such Account ${n}` }] } }),
                  pairs: [[`Never Such Account ${n}`, HIDDEN_NAME]] as [string, string][],
                }),
              },
            },
          ]
        : []),
    ]),
    deleteRows: perTable((who, table) => writing(who).flatMap((f) => keyCases(who, table, f).filter((c) => c.op === 'deleteRows'))),
    resetRows: perTable((who, table) => writing(who).flatMap((f) => keyCases(who, table, f).filter((c) => c.op === 'resetRows'))),
    runAction: perTable((who, table) => [
      ...writing(who).flatMap((f) => keyCases(who, table, f).filter((c) => c.op === 'runAction')),
      one(who, `${table} action dry run on a seen key`, (w) => ({ method: 'POST', url: `/api/v1/inputs/${table}/actions/${ACTION[table]}`, token: t(w, who), body: { keys: [KEYS[table].vis], dry_run: true } })),
      one(who, `${table} action without confirmation on many keys`, (w) => ({ method: 'POST', url: `/api/v1/inputs/${table}/actions/${ACTION[table]}`, token: t(w, who), body: { keys: [KEYS[table].vis, KEYS[table].visDel] } })),
    ]),
    readHistory: perTable((who, table) => {
      const url = `/api/v1/inputs/${table}/history`;
      return [
        one(who, `${table} history`, (w) => ({ method: 'GET', url, token: t(w, who) })),
        one(who, `${table} history limit 3`, (w) => ({ method: 'GET', url: withQuery(url, { limit: 3 }), token: t(w, who) })),
        one(who, `${table} history of the hidden user`, (w) => ({ method: 'GET', url: withQuery(url, { user: CANARY_PLANNER }), token: t(w, who) })),
        one(who, `${table} history of a seen user`, (w) => ({ method: 'GET', url: withQuery(url, { user: 'ian' }), token: t(w, who) })),
        ...(['early', 'middle'] as const).map((at) => one(who, `${table} history since ${at}`, (w) => ({ method: 'GET', url: withQuery(url, { since: w.facts.times[at] }), token: t(w, who) }))),
        ...['whatif', 'deep'].map((s) => one(who, `${table} history ${s}`, (w) => ({ method: 'GET', url: withQuery(url, { scenario: s }), token: t(w, who) }))),
        ...families.flatMap((f) => keyCases(who, table, f).filter((c) => c.op === 'readHistory')),
      ];
    }),
    readContext: perTable((who, table) => {
      const url = `/api/v1/inputs/${table}/context`;
      const page1 = `${who} ${table} context page 1`;
      return [
        one(who, `${table} context`, (w) => ({ method: 'GET', url, token: t(w, who) })),
        { label: page1, who, build: (w) => ({ method: 'GET', url: withQuery(url, { limit: 1 }), token: t(w, who) }) },
        { ...one(who, `${table} context page 2`, (w) => nextPage(w, page1, withQuery(url, { limit: 1 }), t(w, who))), follows: page1 },
      ];
    }),
    // the form's grid: a search, a sort, sums, counts, groups and pages computed in the warehouse must see only the caller's rows
    readGrid: perTable((who, table) => {
      const url = `/api/v1/inputs/${table}/grid`;
      const hiddenText = table === 'forecast' ? 'qzv-note-k1-a81f' : 'qzv-plan-c1-71aa';
      const firstKey = table === 'forecast' ? 'id' : 'account_id';
      const guess = table === 'forecast' ? { 'filter.region': HIDDEN } : { 'filter.account_id': 'acc_qzv1' };
      const cases: [string, Record<string, string | undefined>][] = [
        ['grid', {}],
        ['grid whatif', { scenario: 'whatif' }],
        ['grid deep', { scenario: 'deep' }],
        ['grid searching a hidden value', { q: hiddenText }],
        ['grid searching qzv', { q: 'qzv' }],
        ['grid sorted by last change, page 2', { sort: '_updated_at:desc', offset: '1', limit: '1' }],
        ['grid filtered on the hidden region', guess],
        ['grid grouped by the first key column', { group_by: firstKey, limit: '2' }],
        ...(table === 'account_plan'
          ? ([
              ['grid with template rows', { template: 'true' }],
              ['grid with template rows searching qzv', { template: 'true', q: 'qzv' }],
              ['grid with template rows grouped, whatif', { template: 'true', group_by: 'account_id', scenario: 'whatif' }],
            ] as [string, Record<string, string | undefined>][])
          : []),
      ];
      return cases.map(([label, query]) => one(who, `${table} ${label}`, (w) => ({ method: 'GET', url: withQuery(url, query), token: t(w, who) })));
    }),
    // the actuals beside the planning grid: never a value of an account outside the caller's filter
    readPlanningContext: perTable((who, table) => [one(who, `${table} planning context`, (w) => ({ method: 'GET', url: `/api/v1/inputs/${table}/planning-context`, token: t(w, who) }))]),
    readSourceValues: (who) =>
      [
        ['forecast', 'region'],
        ['account_plan', 'category'],
        ['account_plan', 'reference'],
        ['account_plan', 'comment'],
      ].map(([table, column]) => one(who, `${table}.${column} values`, (w) => ({ method: 'GET', url: `/api/v1/inputs/${table}/columns/${column}/values`, token: t(w, who) }))),
    readModelRows: (who) =>
      MODELS.flatMap((m) => {
        const url = `/api/v1/models/${m}/rows`;
        const page1 = `${who} model ${m} page 1`;
        const all = (label: string, make: (w: World) => LeakRequest): LeakCase => ({ ...one(who, label, make), unordered: true });
        return [
          all(`model ${m}`, (w) => ({ method: 'GET', url, token: t(w, who) })),
          all(`model ${m} csv`, (w) => ({ method: 'GET', url: withQuery(url, { format: 'csv' }), token: t(w, who) })),
          all(`model ${m} accept csv`, (w) => ({ method: 'GET', url, token: t(w, who), headers: { accept: 'text/csv' } })),
          all(`model ${m} whatif`, (w) => ({ method: 'GET', url: withQuery(url, { scenario: 'whatif' }), token: t(w, who) })),
          all(`model ${m} whatif csv`, (w) => ({ method: 'GET', url: withQuery(url, { scenario: 'whatif', format: 'csv' }), token: t(w, who) })),
          { label: page1, who, build: (w) => ({ method: 'GET', url: withQuery(url, { limit: 1 }), token: t(w, who) }) },
          { ...one(who, `model ${m} page 2`, (w) => nextPage(w, page1, withQuery(url, { limit: 1 }), t(w, who))), follows: page1 },
        ];
      }),
    listScenarios: (who) => [one(who, 'scenarios', (w) => ({ method: 'GET', url: '/api/v1/scenarios', token: t(w, who) }))],
    createScenario: (who) => [one(who, 'create scenario', (w) => ({ method: 'POST', url: '/api/v1/scenarios', token: t(w, who), body: { name: `atk_${who}`, from: 'whatif' } }))],
    archiveScenario: (who) => [one(who, 'archive own scenario', (w) => ({ method: 'POST', url: `/api/v1/scenarios/atk_${who}/archive`, token: t(w, who), body: {} }))],
    compareScenarios: (who) =>
      [
        { a: 'base', b: 'whatif' },
        { a: 'whatif', b: 'deep' },
        { a: 'base', b: 'deep', table: 'forecast' },
        { a: 'base', b: 'whatif', table: 'account_plan' },
      ].map((p) => one(who, `compare ${JSON.stringify(p)}`, (w) => ({ method: 'GET', url: withQuery('/api/v1/scenarios/compare', p), token: t(w, who) }))),
    promoteScenario: (who) => [
      ...['whatif', 'deep'].map((s) => one(who, `promote ${s} dry run`, (w) => ({ method: 'POST', url: `/api/v1/scenarios/${s}/promote`, token: t(w, who), body: { dry_run: true } }))),
      one(who, 'promote whatif forecast dry run', (w) => ({ method: 'POST', url: '/api/v1/scenarios/whatif/promote', token: t(w, who), body: { dry_run: true, table: 'forecast' } })),
      one(who, 'promote whatif unconfirmed', (w) => ({ method: 'POST', url: '/api/v1/scenarios/whatif/promote', token: t(w, who), body: {} })),
      one(who, 'promote whatif stale preview', (w) => ({ method: 'POST', url: '/api/v1/scenarios/whatif/promote', token: t(w, who), body: { confirm: true, expected_preview: 'stale' } })),
      // the real thing last: it writes the caller's rows of `deep` into `whatif`
      one(who, 'promote deep', (w) => ({ method: 'POST', url: '/api/v1/scenarios/deep/promote', token: t(w, who), body: { confirm: true, comment: 'attacker promotes' } })),
    ],
    listPending: perTable((who, table) =>
      ['pending', 'approved', 'rejected', 'all'].map((status) => one(who, `${table} pending ${status}`, (w) => ({ method: 'GET', url: withQuery(`/api/v1/inputs/${table}/pending`, { status }), token: t(w, who) }))),
    ),
    approvePending: decisions('approve', hiddenIds),
    rejectPending: decisions('reject', hiddenIds),
    approvePendingMany: batchDecisions('approve', hiddenIds),
    rejectPendingMany: batchDecisions('reject', hiddenIds),
    listModels: (who) => [one(who, 'models', (w) => ({ method: 'GET', url: '/api/v1/models', token: t(w, who) }))],
    listWebhookCalls: perTable((who, table) => [one(who, `${table} webhook calls`, (w) => ({ method: 'GET', url: `/api/v1/inputs/${table}/webhook-calls`, token: t(w, who) }))]),
  };
}

function decisions(how: 'approve' | 'reject', hiddenIds: Record<string, string>): Generator {
  return (who) =>
    TABLES.flatMap((table) =>
      pendingTargets(table, hiddenIds)
        // deciding a seen change is a real write: leave the still-pending one to the reviewer's approval
        .filter((p) => p.hiddenId !== undefined || !(p.label.endsWith('seenPending') && how === 'reject'))
        .map((p): LeakCase => {
          const make = (id: string, w: World): LeakRequest => ({ method: 'POST', url: `/api/v1/inputs/${table}/pending/${id}/${how}`, token: w.tokens[who], body: { comment: 'attacker decides' } });
          const c: LeakCase = { label: `${who} ${how} ${p.label}`, who, build: (w) => make(p.id(w), w) };
          const hiddenId = p.hiddenId;
          if (hiddenId !== undefined) c.hidden = { table, family: 'id', fresh: (n) => ({ build: (w) => make(freshId(n), w), pairs: [[freshId(n), hiddenId]] }) };
          return c;
        }),
    );
}

/**
 * Several changes decided at once: a hidden id alone, and after a seen one (the batch is all or
 * none, so the hidden id refuses it and nothing is written), against ids that never existed.
 */
function batchDecisions(how: 'approve' | 'reject', hiddenIds: Record<string, string>): Generator {
  return (who) =>
    TABLES.flatMap((table) => {
      const seen = pendingTargets(table, hiddenIds).find((p) => p.label === `${table}.seenPending`)!;
      return pendingTargets(table, hiddenIds).flatMap((p): LeakCase[] => {
        const hiddenId = p.hiddenId;
        if (hiddenId === undefined) return [];
        const make = (ids: string[], w: World): LeakRequest => ({ method: 'POST', url: `/api/v1/inputs/${table}/pending/${how}`, token: w.tokens[who], body: { ids, comment: 'attacker decides' } });
        return [
          { label: `${who} ${how} batch ${p.label}`, who, build: (w) => make([hiddenId], w), hidden: { table, family: 'id', fresh: (n) => ({ build: (w) => make([freshId(n)], w), pairs: [[freshId(n), hiddenId]] }) } },
          {
            label: `${who} ${how} batch seen + ${p.label}`,
            who,
            build: (w) => make([seen.id(w), hiddenId], w),
            hidden: { table, family: 'id', fresh: (n) => ({ build: (w) => make([seen.id(w), freshId(n)], w), pairs: [[freshId(n), hiddenId]] }) },
          },
        ];
      });
    });
}

/** Operations without a bearer token: the pages, health and the document, called anonymously. */
export const PUBLIC_CASES: LeakCase[] = [
  ['/', 'index'],
  ['/forms', 'forms'],
  ['/forms/forecast', 'form forecast'],
  ['/forms/account_plan', 'form account_plan'],
  ['/forms/nope', 'form nope'],
  ['/models/plan_by_account', 'model page plan_by_account'],
  ['/models/nope', 'model page nope'],
  ['/tokens', 'tokens page'],
  ['/assets/app.js', 'asset'],
  ['/healthz', 'health'],
  ['/api/v1/openapi.json', 'openapi'],
  ['/auth/login?return_to=/forms/forecast', 'sign in'],
  ['/auth/callback?code=x&state=y', 'sign-in callback'],
].map(([url, label]) => ({ label: `anonymous ${label}`, who: 'anonymous' as const, build: () => ({ method: 'GET' as const, url: url! }) }));
PUBLIC_CASES.push({ label: 'anonymous sign out', who: 'anonymous', build: () => ({ method: 'POST', url: '/auth/logout' }) });

/** An administrator route called with an attacker's token: path parameters aim at hidden things. */
export function adminCase(who: Attacker, method: 'GET' | 'POST', path: string, operationId: string, hiddenIds: Record<string, string>): LeakCase {
  const url = `/api/v1${path}`
    .replace('{table}', 'forecast')
    .replace('{id}', Object.values(hiddenIds)[0] ?? 'x')
    .replace('{name}', 'whatif')
    .replace('{action}', 'submit');
  return {
    label: `${who} ${operationId}`,
    who,
    build: (w) => ({ method, url, token: w.tokens[who], ...(method === 'POST' ? { body: { user: who, rows: [KEYS.forecast.hid], keys: [KEYS.forecast.hid], comment: 'x' } } : {}) }),
  };
}
