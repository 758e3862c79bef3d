import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../../../src/library/open-project.js';
import type { Writeback } from '../../../src/library/writeback.js';
import { silentLogger } from '../../../src/server/logger.js';
import { startServer, type RunningHttpServer } from '../../../src/server/start-server.js';
import { appliedDemoProject, demoTokens } from './demo-project.js';
import { call, type ErrorBody } from './http-client.js';

type Row = Record<string, string | number | boolean | null>;
type Grid = { rows: Row[]; parent_rows?: Row[]; total: number; totals: Record<string, string | null>; total_groups?: number; context?: { source: string; link: Record<string, string>; rows: Row[] } | null };

const QUARTERS = ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'];
const ACCOUNTS = Array.from({ length: 40 }, (_, i) => `acc_${String(i + 1).padStart(3, '0')}`);
/** acc_001–acc_021 are AMER, acc_022–acc_028 and acc_030–acc_039 EMEA, acc_029 and acc_040 APAC (seeds/accounts.csv). */
const EMEA = ACCOUNTS.filter((a) => (a >= 'acc_022' && a <= 'acc_039' && a !== 'acc_029'));
const amountOf = (a: number, q: number) => `${(a + 1) * 100 + q}.25`;
/** Sum of decimal strings with two places, exactly (in cents). */
const sum = (values: string[]) => {
  const cents = values.reduce((s, v) => s + BigInt(v.replace('.', '')), 0n);
  return `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
};

describe('GET /api/v1/inputs/{t}/grid (demo project, real server)', () => {
  let wb: Writeback;
  let server: RunningHttpServer;
  const tokens = { ana: '', bob: '', fin: '' };
  const grid = (query: string, token = tokens.fin) => call<Grid>(server.url, 'GET', `/api/v1/inputs/revenue_forecast/grid${query}`, { token });
  const bad = (query: string, token = tokens.fin) => call<ErrorBody>(server.url, 'GET', `/api/v1/inputs/revenue_forecast/grid${query}`, { token });
  const all: { account_id: string; quarter: string; amount: string; note: string | null }[] = [];

  beforeAll(async () => {
    const dir = await appliedDemoProject();
    wb = await openProject(dir);
    ACCOUNTS.forEach((account_id, a) =>
      QUARTERS.forEach((quarter, q) => all.push({ account_id, quarter, amount: amountOf(a, q), note: account_id === 'acc_005' && quarter === '2026-Q2' ? 'Zebra deal (AMER only)' : null })),
    );
    const written = await wb.inputs.write('revenue_forecast', all, { user: 'seeder' });
    if (!written.ok) throw new Error(written.error.message);
    // a scenario overriding two EMEA rows
    const upside = await wb.inputs.write('revenue_forecast', [
      { account_id: 'acc_022', quarter: '2026-Q1', amount: '1000000.00' },
      { account_id: 'acc_023', quarter: '2026-Q1', amount: '2000000.00' },
    ], { user: 'fin', scenario: 'upside' });
    if (!upside.ok) throw new Error(upside.error.message);
    Object.assign(tokens, await demoTokens(wb));
    server = await startServer(wb, { port: 0, logger: silentLogger, discovery: false, snapshot: false });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('pages every row by offset with the total and the sum over every row, ordered by key by default', async () => {
    const first = await grid('?limit=50');
    expect(first.status, first.text).toBe(200);
    expect(first.body.total).toBe(160);
    expect(first.body.rows).toHaveLength(50);
    expect(first.body.rows[0]).toMatchObject({ account_id: 'acc_001', quarter: '2026-Q1', amount: '100.25', _scenario: 'base', _version: 1, _updated_by: 'seeder' });
    expect(first.body.totals).toEqual({ amount: sum(all.map((r) => r.amount)) });
    const last = await grid('?limit=50&offset=150');
    expect(last.body.rows.map((r) => `${r.account_id}/${r.quarter}`)).toEqual(all.slice(150).map((r) => `${r.account_id}/${r.quarter}`));
    expect((await grid('?offset=1000')).body).toMatchObject({ rows: [], total: 160 });
  });

  it('sorts by a column (key columns break ties) and by system columns', async () => {
    const desc = await grid('?sort=amount:desc&limit=3');
    expect(desc.body.rows.map((r) => r.amount)).toEqual(['4003.25', '4002.25', '4001.25']);
    const byQuarter = await grid('?sort=quarter:desc,account_id:desc&limit=2');
    expect(byQuarter.body.rows.map((r) => `${r.account_id}/${r.quarter}`)).toEqual(['acc_040/2026-Q4', 'acc_039/2026-Q4']);
    const ties = await grid('?sort=quarter&limit=3');
    expect(ties.body.rows.map((r) => r.account_id)).toEqual(['acc_001', 'acc_002', 'acc_003']);
    expect((await grid('?sort=_updated_by:desc,_updated_at&limit=1')).status).toBe(200);
  });

  it('searches key and input columns case-insensitively, with count and sums over the matches', async () => {
    const res = await grid('?q=zEBRA');
    expect(res.body.total).toBe(1);
    expect(res.body.rows.map((r) => r.account_id)).toEqual(['acc_005']);
    expect(res.body.totals).toEqual({ amount: amountOf(4, 1) });
    const byKey = await grid('?q=acc_03&sort=amount:asc&limit=5');
    expect(byKey.body.total).toBe(40);
    expect(byKey.body.rows[0]).toMatchObject({ account_id: 'acc_030', quarter: '2026-Q1' });
    expect((await grid('?q=SEEDER')).body.total).toBe(160);
    // wildcards are text, not patterns
    expect((await grid(`?q=${encodeURIComponent('%')}`)).body.total).toBe(0);
    expect((await grid(`?q=${encodeURIComponent("acc_0' or 1=1 --")}`)).body.total).toBe(0);
  });

  it('combines equality filters with the search', async () => {
    const res = await grid('?filter.quarter=2026-Q3&q=acc_00');
    expect(res.body.total).toBe(9);
    expect(res.body.rows.every((r) => r.quarter === '2026-Q3')).toBe(true);
  });

  it('matches any of the values of a filter given more than once (the pivot asks for the fiscal year this way)', async () => {
    const two = await grid('?filter.quarter=2026-Q1&filter.quarter=2026-Q3&limit=500');
    expect(two.status, two.text).toBe(200);
    expect(two.body.total).toBe(ACCOUNTS.length * 2);
    expect(new Set(two.body.rows.map((r) => r.quarter))).toEqual(new Set(['2026-Q1', '2026-Q3']));
    expect(two.body.totals).toEqual({ amount: sum(all.filter((r) => r.quarter === '2026-Q1' || r.quarter === '2026-Q3').map((r) => r.amount)) });
    // with the other filters, the search, the row filter, template rows and groups
    const pivot = await grid('?template=true&group_by=account_id&filter.quarter=2026-Q2&filter.quarter=2026-Q4&filter.account_id=acc_022&filter.account_id=acc_058&limit=5', tokens.ana);
    expect(pivot.status, pivot.text).toBe(200);
    expect(pivot.body).toMatchObject({ total: 4, total_groups: 2 });
    expect(pivot.body.rows.map((r) => `${r.account_id}/${r.quarter}/${r._template}`)).toEqual(['acc_022/2026-Q2/false', 'acc_022/2026-Q4/false', 'acc_058/2026-Q2/true', 'acc_058/2026-Q4/true']);
    // an account outside ana's row filter stays outside, whichever values are asked for
    expect((await grid('?filter.account_id=acc_001&filter.account_id=acc_002', tokens.ana)).body.total).toBe(0);
    // a value is a bound parameter, never SQL; a value given twice counts once
    expect((await grid(`?filter.quarter=2026-Q1&filter.quarter=${encodeURIComponent("x' or 1=1 --")}`)).body.total).toBe(ACCOUNTS.length);
    expect((await grid('?filter.quarter=2026-Q1&filter.quarter=2026-Q1')).body.total).toBe(ACCOUNTS.length);
    // values nobody designed for (accents, emoji, quotes, a backslash, a reserved word) are values: the one noted row, whole
    const odd = ['Zebra deal (AMER only)', 'Ça coûte 🙂', `it's "select"`, 'a\\b', 'NULL', 'order'];
    const noted = await grid(`?${odd.map((v) => `filter.note=${encodeURIComponent(v)}`).join('&')}`);
    expect(noted.status, noted.text).toBe(200);
    expect(noted.body).toMatchObject({ total: 1, totals: { amount: amountOf(4, 1) } });
    expect(noted.body.rows).toEqual([expect.objectContaining({ account_id: 'acc_005', quarter: '2026-Q2', note: 'Zebra deal (AMER only)', _scenario: 'base' })]);
    // null in a list (library) is a missing value: the one row with a note, or any without one
    const notes = await wb.inputs.grid('revenue_forecast', { filter: { note: [null, 'Zebra deal (AMER only)'] }, limit: 1 });
    expect(notes.ok && notes.total).toBe(all.length);
    const onlyNoted = await wb.inputs.grid('revenue_forecast', { filter: { note: ['Zebra deal (AMER only)'] }, limit: 1 });
    expect(onlyNoted.ok && onlyNoted.total).toBe(1);
    // the same through the library; a list too long or empty is refused by name
    const lib = await wb.inputs.grid('revenue_forecast', { filter: { quarter: ['2026-Q4', '2026-Q2'] }, limit: 1 });
    expect(lib.ok && lib.total).toBe(ACCOUNTS.length * 2);
    const many = (n: number) => Array.from({ length: n }, (_, i) => `${2000 + Math.floor(i / 4)}-Q${(i % 4) + 1}`);
    for (const filter of [{ quarter: many(5_001) }, { quarter: [] }, { account_id: ACCOUNTS, quarter: many(4_961) }] as Record<string, string[]>[]) {
      const refused = await wb.inputs.grid('revenue_forecast', { filter });
      expect(refused.ok ? 'ok' : refused.error.code).toBe('bad_request');
      expect(refused.ok ? '' : refused.error.message).toContain('quarter');
    }
    // 5,000 values in all are read
    const most = await wb.inputs.grid('revenue_forecast', { filter: { account_id: ACCOUNTS, quarter: many(4_960) }, limit: 1 });
    expect(most.ok && most.total).toBe(all.length);
  });

  it("holds the caller's row filter for rows, search, total and totals", async () => {
    const emea = await grid('?limit=1000', tokens.ana);
    expect(emea.body.total).toBe(EMEA.length * 4);
    expect(new Set(emea.body.rows.map((r) => r.account_id))).toEqual(new Set(EMEA));
    const emeaAmounts = all.filter((r) => EMEA.includes(r.account_id)).map((r) => r.amount);
    expect(emea.body.totals).toEqual({ amount: sum(emeaAmounts) });
    // a value that exists only in AMER: the EMEA planner finds nothing and sums nothing
    const zebra = await grid('?q=zebra', tokens.ana);
    expect(zebra.status).toBe(200);
    expect(zebra.body).toMatchObject({ rows: [], total: 0, totals: { amount: null } });
    expect((await grid('?q=acc_005', tokens.ana)).body.total).toBe(0);
    expect((await grid('?q=zebra', tokens.bob)).body.total).toBe(1);
  });

  it("sums a scenario's rows with its overrides and the base rows it falls back to", async () => {
    const res = await grid('?scenario=upside&filter.quarter=2026-Q1&limit=3', tokens.ana);
    expect(res.status, res.text).toBe(200);
    const q1 = all.filter((r) => EMEA.includes(r.account_id) && r.quarter === '2026-Q1' && r.account_id !== 'acc_022' && r.account_id !== 'acc_023');
    expect(res.body.totals).toEqual({ amount: sum([...q1.map((r) => r.amount), '1000000.00', '2000000.00']) });
    expect(res.body.rows[0]).toMatchObject({ account_id: 'acc_022', amount: '1000000.00', _scenario: 'upside' });
    // the parent's values of the keys on the page, to show what the scenario overrides
    expect(res.body.parent_rows?.map((r) => [r.account_id, r.amount, r._scenario])).toEqual(
      expect.arrayContaining([['acc_022', amountOf(21, 0), 'base'], ['acc_023', amountOf(22, 0), 'base']]),
    );
    expect(res.body.parent_rows).toHaveLength(3);
    const base = await grid('?filter.quarter=2026-Q1&limit=1', tokens.ana);
    expect(base.body.parent_rows).toBeUndefined();
    expect(base.body.rows[0]).toMatchObject({ account_id: 'acc_022', amount: amountOf(21, 0), _scenario: 'base' });
  });

  it('pages over groups: every row of the groups on the page, and the number of groups', async () => {
    const res = await grid('?group_by=account_id&limit=2&offset=1&sort=quarter:desc', tokens.ana);
    expect(res.status, res.text).toBe(200);
    expect(res.body.total_groups).toBe(EMEA.length);
    expect(res.body.total).toBe(EMEA.length * 4);
    expect(res.body.rows.map((r) => `${r.account_id}/${r.quarter}`)).toEqual([
      ...[...QUARTERS].reverse().map((q) => `acc_023/${q}`),
      ...[...QUARTERS].reverse().map((q) => `acc_024/${q}`),
    ]);
    const desc = await grid('?group_by=account_id&sort=account_id:desc&limit=1', tokens.ana);
    expect(new Set(desc.body.rows.map((r) => r.account_id))).toEqual(new Set(['acc_039']));
  });

  it('reads the template rows of planning: through the same relation, paged by account', async () => {
    // the demo plans every linked account in the caller's filter × the fiscal year's quarters: 25 EMEA accounts, 17 of them written
    const res = await grid('?template=true&group_by=account_id&limit=5&offset=20', tokens.ana);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ total: 100, total_groups: 25 });
    expect(res.body.rows).toHaveLength(20);
    const templates = res.body.rows.filter((r) => r._template === true);
    expect(templates.length).toBeGreaterThan(0);
    expect(templates.every((r) => r._version === 0 && r.amount === null && r._updated_by === null)).toBe(true);
    expect(res.body.totals).toEqual({ amount: sum(all.filter((r) => EMEA.includes(r.account_id)).map((r) => r.amount)) });
    const filtered = await grid('?template=true&filter.account_id=acc_058', tokens.ana);
    expect(filtered.body.rows.map((r) => [r.quarter, r._template])).toEqual(QUARTERS.map((q) => [q, true]));
    expect((await grid('?template=true&q=acc_005', tokens.ana)).body.total).toBe(0);
  });

  it("carries the linked source's rows of the page, under the row filter", async () => {
    const res = await grid('?limit=8', tokens.ana);
    expect(res.body.context?.source).toBe('crm.accounts');
    expect(res.body.context?.link).toEqual({ account_id: 'id' });
    expect(res.body.context?.rows.map((r) => r.id)).toEqual(['acc_022', 'acc_023']);
    expect(res.body.context?.rows[0]).toMatchObject({ name: expect.any(String), region: 'EMEA' });
  });

  it('refuses bad parameters with 400 naming the parameter, 404 an unknown table or scenario', async () => {
    const cases: [string, string][] = [
      ['?nope=1', 'nope'],
      ['?sort=nope:desc', 'sort'],
      ['?sort=amount:down', 'sort'],
      ['?group_by=nope', 'group_by'],
      ['?offset=-1', 'offset'],
      ['?limit=0', 'limit'],
      ['?limit=10001', 'limit'],
      ['?filter.nope=1', 'nope'],
      ['?filter.amount=abc', 'amount'],
      ['?filter.amount=1.00&filter.amount=abc', 'amount'],
      ['?scenario=Bad-Name', 'scenario'],
      ['?q=a&q=b', 'q'],
    ];
    for (const [query, named] of cases) {
      const res = await bad(query);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code, query).toBe('bad_request');
      expect(JSON.stringify(res.body.error), query).toContain(named);
    }
    // names an object's prototype has are names like any other
    for (const [query, says] of [['?filter.constructor=1', "unknown column 'constructor'"], ['?constructor=1', 'Unrecognized key']]) {
      const proto = await bad(query!);
      expect(proto.status, query).toBe(400);
      expect(JSON.stringify(proto.body.error), query).toContain(says);
      expect(JSON.stringify(proto.body.error), query).not.toContain('given twice');
    }
    // a key names one row: `key.<column>` given twice is refused, not read as a list
    const twice = await call<ErrorBody>(server.url, 'GET', '/api/v1/inputs/revenue_forecast/history?key.account_id=acc_001&key.account_id=acc_002', { token: tokens.fin });
    expect(twice.status).toBe(400);
    expect(JSON.stringify(twice.body.error)).toContain('key.account_id');
    expect((await call<ErrorBody>(server.url, 'GET', '/api/v1/inputs/nope/grid', { token: tokens.fin })).status).toBe(404);
    expect((await bad('?scenario=never_made')).status).toBe(404);
    expect((await call<ErrorBody>(server.url, 'GET', '/api/v1/inputs/revenue_forecast/grid')).status).toBe(401);
  });

  it('searches text it was not designed around: accents and case beyond ASCII, emoji, quotes, backslashes, a reserved word', async () => {
    const notes = ['Zürich café — ÉTÉ 🚀', 'O\'Brien said "select * from x"; \\n', 'order by group'];
    const written = await wb.inputs.write('revenue_forecast', notes.map((note, i) => ({ account_id: `acc_04${i}`, quarter: '2026-Q4', amount: '1.00', note })), { user: 'odd' });
    if (!written.ok) throw new Error(written.error.message);
    const found = async (q: string) => (await grid(`?q=${encodeURIComponent(q)}&filter.quarter=2026-Q4`)).body.rows.map((r) => r.note);
    expect(await found('ZÜRICH CAFÉ')).toEqual([notes[0]]);
    expect(await found('été')).toEqual([notes[0]]);
    expect(await found('🚀')).toEqual([notes[0]]);
    expect(await found("o'brien")).toEqual([notes[1]]);
    expect(await found('"SELECT *')).toEqual([notes[1]]);
    expect(await found('\\n')).toEqual([notes[1]]);
    expect(await found('ORDER BY')).toEqual([notes[2]]);
    // a planner finds it only when the account is in her region
    const [account] = await wb.adapter.query<{ region: string }>("select region from crm.accounts where id = 'acc_040'");
    for (const [who, region] of [['ana', 'EMEA'], ['bob', 'AMER']] as const) {
      const seen = (await grid(`?q=${encodeURIComponent('zürich')}`, tokens[who])).body.rows.map((r) => r.account_id);
      expect(seen, who).toEqual(account?.region === region ? ['acc_040'] : []);
    }
  });

  it('is documented in the OpenAPI document', async () => {
    const spec = await call<{ paths: Record<string, { get?: { operationId: string; parameters: { name: string }[] } }> }>(server.url, 'GET', '/api/v1/openapi.json');
    const op = spec.body.paths['/inputs/{table}/grid']?.get;
    expect(op?.operationId).toBe('readGrid');
    expect(op?.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['q', 'sort', 'offset', 'limit', 'group_by', 'scenario']));
  });
});
