import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningHttpServer } from '../../src/server/start-server.js';
import { silentLogger } from '../../src/server/logger.js';
import { openProject } from '../../src/library/open-project.js';
import type { Writeback } from '../../src/library/writeback.js';
import { appliedDemoProject, isErrorShape, LONG, rng, testSeed } from './helpers.js';

const CLIENTS = 32;
const ATTEMPTS = LONG ? 40 : 12;
const HOT = Array.from({ length: 10 }, (_, i) => ({ account_id: `acc_${String(i + 1).padStart(3, '0')}`, quarter: '2026-Q1' }));
const keyOf = (k: { account_id: string; quarter: string }) => `${k.account_id}|${k.quarter}`;

interface Ack {
  key: string;
  /** The `_version` the client read and sent. */
  basedOn: number;
  version: number;
  amount: string;
  entryId: string;
  client: number;
}

describe('races: 32 clients on 10 hot rows with _version', () => {
  let dir: string;
  let wb: Writeback;
  let server: RunningHttpServer;
  const tokens: string[] = [];
  const seed = testSeed();

  beforeAll(async () => {
    dir = await appliedDemoProject();
    wb = await openProject(dir);
    for (let c = 0; c < CLIENTS; c++) {
      const made = await wb.tokens.create({ user: `racer${c}`, role: 'finance' });
      if (!made.ok) throw new Error(made.error.message);
      tokens.push(made.token);
    }
    const seeded = await wb.inputs.write('revenue_forecast', HOT.map((k) => ({ ...k, amount: '0.00' })), { user: 'seed' });
    if (!seeded.ok) throw new Error(seeded.error.message);
    server = await startServer(wb, { port: 0, logger: silentLogger, snapshot: false });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses no update, every loser gets 409, and the log holds exactly the acknowledged writes', async () => {
    const random = rng(seed);
    const acks: Ack[] = [];
    const otherStatuses: string[] = [];
    let conflicts = 0;
    const call = async (c: number, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${tokens[c]}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        for (let a = 0; a < ATTEMPTS; a++) {
          const hot = HOT[random.int(HOT.length)]!;
          const read = await call(c, 'GET', `/api/v1/inputs/revenue_forecast/rows?filter.account_id=${hot.account_id}&filter.quarter=${hot.quarter}`);
          const row = (read.body.rows as { _version: number }[])[0]!;
          const amount = `${c + 1}${String(a).padStart(3, '0')}.${String(random.int(100)).padStart(2, '0')}`;
          const res = await call(c, 'POST', '/api/v1/inputs/revenue_forecast/rows', { rows: [{ ...hot, amount, _version: row._version }] });
          if (res.status === 200) {
            const entry = (res.body.entries as { entry_id: string; version: number }[])[0]!;
            acks.push({ key: keyOf(hot), basedOn: row._version, version: entry.version, amount, entryId: entry.entry_id, client: c });
          } else if (res.status === 409 && isErrorShape(res.body) && (res.body.error as { code: string }).code === 'conflict') {
            conflicts++;
          } else {
            otherStatuses.push(`${res.status} ${JSON.stringify(res.body)}`);
          }
        }
      }),
    );
    const why = `seed ${seed} (replay: WRITEBACK_SEED=${seed})`;
    expect(otherStatuses, `${why}: every loser must get 409 conflict`).toEqual([]);
    expect(acks.length + conflicts).toBe(CLIENTS * ATTEMPTS);
    // no lost update: every acknowledged write was based on the version it replaced
    expect(acks.filter((a) => a.version !== a.basedOn + 1).map((a) => `${a.key} v${a.basedOn} → v${a.version}`), `${why}: writes acknowledged over a newer version`).toEqual([]);
    expect(conflicts, `${why}: 32 clients on 10 rows must collide`).toBeGreaterThan(0);

    const state = await wb.inputs.rows('revenue_forecast', { limit: 10000 });
    if (!state.ok) throw new Error(state.error.message);
    const log = await wb.adapter.query<{ account_id: string; quarter: string; amount: string; _version: number; _entry_id: string; _user: string }>(
      `select account_id, quarter, amount::varchar as amount, _version, _entry_id, _user from writeback.revenue_forecast__log where _user <> 'seed' order by _seq`,
    );
    for (const hot of HOT) {
      const key = keyOf(hot);
      const mine = acks.filter((a) => a.key === key).sort((x, y) => x.version - y.version);
      // no lost update: the acknowledged versions of a key are exactly 2, 3, …, n+1 (each based on the one before)
      expect(mine.map((a) => a.version), `${why}: versions of ${key}`).toEqual(mine.map((_, i) => i + 2));
      // final state = the last acknowledged write
      const current = state.rows.find((r) => r.account_id === hot.account_id && r.quarter === hot.quarter)!;
      const last = mine.at(-1);
      expect(current._version, `${why}: version of ${key}`).toBe(last ? last.version : 1);
      if (last) expect(current.amount, `${why}: amount of ${key}`).toBe(last.amount);
    }
    // the log holds exactly the acknowledged writes (same entry ids, values and versions)
    expect(log.map((e) => e._entry_id).sort(), `${why}: log entries`).toEqual(acks.map((a) => a.entryId).sort());
    const byId = new Map(acks.map((a) => [a.entryId, a]));
    for (const e of log) {
      const a = byId.get(e._entry_id)!;
      expect(`${e.account_id}|${e.quarter}`).toBe(a.key);
      expect(e.amount).toBe(a.amount);
      expect(e._version).toBe(a.version);
      expect(e._user).toBe(`racer${a.client}`);
    }
    const report = await wb.verify();
    expect(report.problems).toEqual([]);
  });
});
