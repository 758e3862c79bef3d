import { writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenApiChecker, type ApiDocument } from '../integration/server/openapi-check.js';
import { adminCase, generators, type LeakCase, PUBLIC_CASES } from './leak/leak-cases.js';
import { canariesIn, type LeakAnswer, type LeakRequest, normalized, send, substitute } from './leak/leak-check.js';
import { ATTACKERS, type Attacker, type Canaries, TABLES, World } from './leak/leak-world.js';

/**
 * The generated leak test. Two worlds run the same adversarial project (project, worlds and cases:
 * test/reliability/leak/): world A holds the rows of two regions, world B only the attackers'
 * region — the same rows, written in the same order, with the hidden region's rows, versions,
 * deletes, scenario overrides, resets, pending changes, decisions and webhook calls left out.
 * For every operation of the served OpenAPI document, each attacker role (all of the seen region)
 * sends the generated requests to both worlds. A request fails the test when:
 *  - world A's answer (status line, headers, body) carries a canary the request did not: a hidden
 *    value, key, user, comment, entry / pending / webhook-call id, or the time of a hidden write;
 *  - A's answer differs from B's (ids and timestamps aside): then something of the hidden rows —
 *    a count, a version, a sequence number, a digest, an order — shows through;
 *  - it names a hidden key, id or value and A's answer differs from the answer for one that never
 *    existed (after substituting it) — except an upsert of a key held by a hidden row (alive, in a
 *    parent scenario, or deleted), which is 403 "… cannot be written by you" (the key is taken, as
 *    with any unique key) and must carry no canary.
 * Reads must answer 200 (a read failing alike in both worlds would hide nothing), and afterwards
 * the hidden region's rows, pending changes and webhook calls must be as they were.
 * `WRITEBACK_LEAK_REPORT=<file>` writes every problem found to that file (the failure shows 40).
 */

/** Operations in the order an attacker tries them: reads, then writes, then workflow decisions and promote. */
const ORDER = [
  'me',
  'listInputs',
  'listScenarios',
  'readRows',
  'readGrid',
  'readHistory',
  'readContext',
  'readPlanningContext',
  'readSourceValues',
  'readModelRows',
  'listModels',
  'listPending',
  'listWebhookCalls',
  'compareScenarios',
  'writeRows',
  'runAction',
  'resetRows',
  'deleteRows',
  'approvePending',
  'rejectPending',
  'approvePendingMany',
  'rejectPendingMany',
  'createScenario',
  'archiveScenario',
  'promoteScenario',
];

/** Some 3,000 requests: room for a machine busy with the rest of the suite. */
const LONG_TIMEOUT = 300_000;

/** How many reads run at once. */
const CONCURRENT_READS = 4;

/** Reads every attacker may make: they must answer 200. */
const MUST_READ = new Set(['me', 'listInputs', 'listModels', 'listScenarios', 'readRows', 'readGrid', 'readHistory', 'readContext', 'readPlanningContext', 'readModelRows', 'listPending', 'listWebhookCalls', 'compareScenarios']);

type Operation = { operationId: string; tags?: string[]; security?: unknown[] };

describe('a row outside the caller’s row filter leaves no trace in any answer (generated leak test)', () => {
  let receiver: Server;
  const A = new World('A', true);
  const B = new World('B', false);
  let canaries: Canaries;
  let checker: OpenApiChecker;
  const problems: string[] = [];
  /** operationId → attackers (or 'anonymous') that exercised it. */
  const exercised = new Map<string, Set<string>>();
  let uncovered: string[] = [];
  /** Operations without sign-in (pages, health, the document). */
  const publicOps = new Set<string>();
  let hiddenBefore = '';
  let sent = 0;

  beforeAll(async () => {
    receiver = createHttpServer((req, res) => {
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    await Promise.all([A.start(hook), B.start(hook)]);
    canaries = await A.canaries();
    hiddenBefore = await hiddenState(A);
    const res = await fetch(`${A.server.url}/api/v1/openapi.json`);
    checker = new OpenApiChecker((await res.json()) as ApiDocument);
  }, LONG_TIMEOUT);

  afterAll(async () => {
    await A.close();
    await B.close();
    receiver?.close();
  });

  it('the worlds differ exactly by the hidden rows, and world A has canaries of every kind', () => {
    expect(canaries.ids.length).toBeGreaterThan(20);
    expect(canaries.strings.some((s) => /^\d{4}-\d\d-\d\dT/.test(s)), 'times of hidden writes').toBe(true);
    expect(A.facts.pending['forecast.hidPending']).toBeDefined();
    expect(B.facts.pending['forecast.hidPending']).toBeUndefined();
  });

  it('the planning context and template rows show the seen region, so their cases aim at real answers', async () => {
    const get = async (path: string) => (await send(A.server.url, { method: 'GET', url: path, token: A.tokens.eve })).text;
    const context = JSON.parse(await get('/api/v1/inputs/account_plan/planning-context')) as { rows: { account_id: string }[] };
    expect(new Set(context.rows.map((r) => r.account_id))).toEqual(new Set(['acc_e01', 'acc_e02', 'acc_e03', 'acc_e09']));
    const template = JSON.parse(await get('/api/v1/inputs/account_plan/rows?template=true')) as { rows: { account_id: string; _template: boolean }[] };
    expect(template.rows.some((r) => r._template && r.account_id === 'acc_e09')).toBe(true);
  });

  it('every answer to every attacker is the answer of a world without the hidden rows', async () => {
    const hiddenIds = Object.fromEntries(Object.entries({ ...A.facts.pending, ...A.facts.tokens }).filter(([k]) => k.includes('.hid')));
    const gens = generators(hiddenIds);
    const operations: { method: 'GET' | 'POST'; path: string; op: Operation }[] = [];
    for (const [path, item] of Object.entries(checker.doc.paths))
      for (const method of ['get', 'post'] as const) {
        const op = item[method] as Operation | undefined;
        if (op) operations.push({ method: method.toUpperCase() as 'GET' | 'POST', path, op });
      }
    const isAdmin = (o: Operation) => o.tags?.includes('admin') === true;
    const isPublic = (o: Operation) => !o.security || o.security.length === 0;
    for (const { op } of operations) if (isPublic(op)) publicOps.add(op.operationId);
    uncovered = operations.filter(({ op }) => !isAdmin(op) && !isPublic(op) && !gens[op.operationId]).map(({ op }) => op.operationId);
    const known = new Set(operations.map(({ op }) => op.operationId));
    const order = [...ORDER.filter((id) => known.has(id)), ...[...known].filter((id) => !ORDER.includes(id) && gens[id])];

    const cases: LeakCase[] = [...PUBLIC_CASES];
    for (const who of Object.keys(ATTACKERS) as Attacker[]) {
      for (const id of order) for (const c of gens[id]!(who)) cases.push({ ...c, op: c.op ?? id });
      for (const { method, path, op } of operations) if (isAdmin(op)) cases.push({ ...adminCase(who, method, path, op.operationId, hiddenIds), op: op.operationId });
    }

    const revealed = new Set<string>();
    /** Hidden keys an attacker created itself (then they are its own: not canaries any more). */
    const owned = new Set<string>();
    let fresh = 0;
    const runCase = async (c: LeakCase): Promise<void> => {
      const where = c.label;
      const reqA = c.build(A);
      const note = (req: LeakRequest) => {
        const found = checker.operationOf(req.method, req.url);
        const id = found?.op.operationId ?? `(undocumented ${req.method} ${req.url})`;
        if (c.op && found && found.op.operationId !== c.op) problems.push(`${where}: aimed at ${c.op} but reached ${found.op.operationId}`);
        const who = exercised.get(id) ?? new Set<string>();
        who.add(c.who);
        exercised.set(id, who);
      };
      const scan = (answer: LeakAnswer, req: LeakRequest, what: string) => {
        const leaked = canariesIn(answer, req, canaries.strings, [...owned]);
        if (leaked.length > 0) problems.push(`${where}${what}: ${answer.status} shows ${leaked.slice(0, 5).map((s) => JSON.stringify(s)).join(', ')}\n    ${req.method} ${req.url} ${req.body ? JSON.stringify(req.body) : ''}\n    → ${answer.text.slice(0, 400)}`);
      };
      note(reqA);
      let first: LeakAnswer | undefined;
      if (c.taken) {
        // the documented exception may apply; a 403 is then all the attacker learns (and B, where
        // the key never existed, would create it)
        first = await send(A.server.url, reqA);
        sent++;
        if (first.status === 403) {
          A.answers.set(c.label, { status: first.status, json: parse(first.text) });
          scan(first, reqA, '');
          return;
        }
      }
      const reqB = c.build(B);
      const [a, b] = await Promise.all([first ?? send(A.server.url, reqA), send(B.server.url, reqB)]);
      sent += first ? 1 : 2;
      // a hidden key the attacker created (where no hidden row was in the way) is the attacker's own from now on
      if (c.hidden && reqA.method === 'POST' && a.status < 300 && b.status < 300) for (const [, v] of keyStrings(c)) owned.add(v);
      // so is an idempotency key it wrote with (the same string as a hidden write's is still its own)
      const requestId = reqA.headers?.['idempotency-key'];
      if (requestId && a.status < 300 && b.status < 300) owned.add(requestId);
      A.answers.set(c.label, { status: a.status, json: parse(a.text) });
      B.answers.set(c.label, { status: b.status, json: parse(b.text) });
      scan(a, reqA, '');
      // a read that fails in both worlds alike would hide nothing: reads must succeed
      if (reqA.method === 'GET' && c.op && MUST_READ.has(c.op) && a.status !== 200) problems.push(`${where}: answered ${a.status}, not 200: it tests nothing — ${a.text.slice(0, 300)}`);
      const na = normalized(a, c.unordered);
      const nb = normalized(b, c.unordered);
      if (na !== nb) problems.push(`${where}: differs from the world without hidden rows\n${difference(na, nb)}`);
      if (c.hidden) {
        const mark = `${c.hidden.table} ${c.hidden.family}`;
        if (!revealed.has(mark)) {
          const twin = c.hidden.fresh(++fresh);
          const twinA = twin.build(A);
          const fa = await send(A.server.url, twinA);
          sent++;
          scan(fa, twinA, ' (never-existing twin)');
          const nf = substitute(normalized(fa), twin.pairs);
          if (nf !== na) problems.push(`${where}: differs from the answer for a key/id/value that never existed\n${difference(na, nf)}`);
          // a twin that wrote something is sent to B too, so that the worlds stay the same
          if (fa.status < 300 && twinA.method === 'POST') {
            const fb = await send(B.server.url, twin.build(B));
            sent++;
            if (normalized(fa) !== normalized(fb)) problems.push(`${where} (never-existing twin): differs between the worlds\n${difference(normalized(fa), normalized(fb))}`);
          }
          // once the attacker created the key (where no hidden row held it), a never-existing key is no twin of it
          if (reqA.method === 'POST' && a.status < 300 && c.hidden.family !== 'id' && c.hidden.family !== 'value') revealed.add(mark);
        }
      }
    };
    // reads change nothing: consecutive ones run a few at a time (a page that follows another waits for it)
    let reads: LeakCase[] = [];
    const flush = async () => {
      for (let i = 0; i < reads.length; i += CONCURRENT_READS) await Promise.all(reads.slice(i, i + CONCURRENT_READS).map(runCase));
      reads = [];
    };
    for (const c of cases) {
      if (!c.taken && !c.follows && c.build(A).method === 'GET') {
        reads.push(c);
        continue;
      }
      await flush();
      await runCase(c);
    }
    await flush();
    if (process.env.WRITEBACK_LEAK_REPORT) writeFileSync(process.env.WRITEBACK_LEAK_REPORT, problems.join('\n\n'));
    expect(sent).toBeGreaterThan(500);
    expect(problems.length, `${problems.length} leak(s):\n${problems.slice(0, 40).join('\n\n')}`).toBe(0);
  }, LONG_TIMEOUT);

  it('every documented operation was exercised: each attacker on every signed-in route, anonymously on the public ones', () => {
    expect(uncovered, 'operations of the document without generated cases').toEqual([]);
    const missing: string[] = [];
    for (const id of checker.operationIds()) {
      const who = exercised.get(id);
      const needed = publicOps.has(id) ? ['anonymous'] : Object.keys(ATTACKERS);
      for (const w of needed) if (!who?.has(w)) missing.push(`${id} by ${w}`);
    }
    expect(missing).toEqual([]);
    expect([...exercised.keys()].filter((k) => k.startsWith('(undocumented'))).toEqual([]);
  });

  it('nothing the attackers sent changed a row, a pending change or a webhook call of the hidden region', async () => {
    expect(await hiddenState(A)).toBe(hiddenBefore);
  });
});

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Where two texts first differ, with some context of each (one line each). */
function difference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 200);
  const show = (t: string) => JSON.stringify(t.slice(from, i + 240));
  return `    with hidden rows: …${show(a)}…\n    without:          …${show(b)}…`;
}

/** The key values a case names (hidden keys contain the canary marker). */
function keyStrings(c: LeakCase): [string, string][] {
  if (!c.hidden || c.hidden.family === 'id' || c.hidden.family === 'value') return [];
  return c.hidden.fresh(0).pairs.filter(([, hidden]) => hidden.includes('qzv'));
}

/**
 * The hidden region's rows in every scenario, its pending changes and webhook calls, as the
 * administrator reads them (keys an attacker created where no hidden row held them left out).
 */
async function hiddenState(w: World): Promise<string> {
  const out: unknown[] = [];
  for (const table of TABLES) {
    for (const scenario of ['base', 'whatif', 'deep']) {
      const r = await w.wb.inputs.rows(table, { scenario, limit: 10_000 });
      if (!r.ok) throw new Error(r.error.message);
      out.push(r.rows.filter((row) => JSON.stringify(row).includes('qzv') && row._updated_by !== 'eve' && row._updated_by !== 'rex'));
    }
    const p = await w.wb.pending.list(table, { status: 'all' });
    if (!p.ok) throw new Error(p.error.message);
    out.push(p.changes.filter((c) => c.proposedBy.includes('qzv')));
    const calls = await w.wb.actions.calls(table);
    if (!calls.ok) throw new Error(calls.error.message);
    out.push(calls.calls.filter((c) => String(c.user).includes('qzv')));
  }
  return JSON.stringify(out);
}
