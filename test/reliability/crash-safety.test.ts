import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject } from '../../src/library/open-project.js';
import { builtArgv } from '../helpers/built.js';
import { appliedDemoProject, LONG, rng, testSeed } from './helpers.js';

const CHILD = resolve(import.meta.dirname, 'crash-server-child.ts');
const ROUNDS = LONG ? 100 : 20;
const SENDERS = 4;

/** Start the server child; resolves with its base URL once it listens. */
function startServerProcess(dir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [...builtArgv(CHILD), dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
  return new Promise((done, fail) => {
    let out = '';
    child.once('exit', (code) => fail(new Error(`server exited (${code}) before ready: ${err}`)));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = out.match(/ready (\d+)/);
      if (m) {
        child.removeAllListeners('exit');
        done({ child, url: `http://127.0.0.1:${m[1]}` });
      }
    });
  });
}

interface Batch {
  id: string;
  rows: { account_id: string; quarter: string; amount: string; note: string }[];
  acked: boolean;
  entryIds: string[];
}

const ACCOUNTS = Array.from({ length: 60 }, (_, i) => `acc_${String(i + 1).padStart(3, '0')}`);
const QUARTERS = ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'];

describe('crash safety: SIGKILL the server while it writes', () => {
  let dir: string;
  const seed = testSeed();
  beforeAll(async () => {
    dir = await appliedDemoProject();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`loses no acknowledged write and applies no batch partially (${ROUNDS} rounds)`, async () => {
    const random = rng(seed);
    const batches: Batch[] = [];
    const why = (round: number, text: string) => `seed ${seed} (replay: WRITEBACK_SEED=${seed}), round ${round}: ${text}`;
    for (let round = 0; round < ROUNDS; round++) {
      const { child, url } = await startServerProcess(dir);
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      let killed = false;
      let firstAck: () => void = () => undefined;
      const acked = new Promise<void>((r) => (firstAck = r));
      const sender = async (s: number) => {
        for (let n = 0; !killed; n++) {
          const size = 1 + random.int(40);
          const id = `r${round}-s${s}-b${n}`;
          const rows = Array.from({ length: size }, (_, i) => ({
            account_id: random.pick(ACCOUNTS),
            quarter: QUARTERS[i % 4]!,
            amount: `${random.int(1_000_000)}.${String(random.int(100)).padStart(2, '0')}`,
            note: id,
          }));
          // one key at most once per batch (duplicates are a validation error)
          const unique = [...new Map(rows.map((r) => [`${r.account_id}|${r.quarter}`, r])).values()];
          const batch: Batch = { id, rows: unique, acked: false, entryIds: [] };
          batches.push(batch);
          try {
            const res = await fetch(`${url}/api/v1/inputs/revenue_forecast/rows`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'idempotency-key': id },
              body: JSON.stringify({ rows: unique, comment: id }),
            });
            const body = (await res.json()) as { entries?: { entry_id: string }[] };
            if (res.status !== 200) throw new Error(why(round, `batch ${id} answered ${res.status}: ${JSON.stringify(body)}`));
            batch.acked = true;
            batch.entryIds = body.entries!.map((e) => e.entry_id);
            firstAck();
          } catch (err) {
            if (!killed) throw err;
            return;
          }
        }
      };
      const sending = Promise.all(Array.from({ length: SENDERS }, (_, s) => sender(s)));
      // kill at a random moment once writes flow (after the round's first acknowledgement, or 10 s)
      await Promise.race([acked, new Promise((r) => setTimeout(r, 10_000))]);
      await new Promise((r) => setTimeout(r, random.int(400)));
      killed = true;
      child.kill('SIGKILL');
      await exited;
      await sending;

      // after the crash: open the file directly (as a restart would) and check
      const wb = await openProject(dir);
      try {
        const logged = await wb.adapter.query<{ rid: string; n: number; ids: string[] }>(
          'select _request_id as rid, count(*)::integer as n, list(_entry_id) as ids from writeback.revenue_forecast__log group by _request_id',
        );
        const byRequest = new Map(logged.map((r) => [r.rid, r]));
        for (const b of batches) {
          const found = byRequest.get(b.id);
          const n = found?.n ?? 0;
          if (b.acked) {
            expect(n, why(round, `acknowledged batch ${b.id} has ${n} of ${b.rows.length} log entries`)).toBe(b.rows.length);
            expect(new Set(found!.ids), why(round, `entry ids of ${b.id}`)).toEqual(new Set(b.entryIds));
          } else {
            expect([0, b.rows.length], why(round, `unacknowledged batch ${b.id} is partially applied (${n} of ${b.rows.length})`)).toContain(n);
          }
        }
        const report = await wb.verify();
        expect(report.problems, why(round, 'verify found problems')).toEqual([]);
        expect(report.ok).toBe(true);
      } finally {
        await wb.close();
      }
    }
    const acked = batches.filter((b) => b.acked).length;
    expect(acked, `seed ${seed}: some batches must have been acknowledged`).toBeGreaterThan(ROUNDS);
  }, LONG ? 1_800_000 : 300_000);
});
