import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUnavailable, startPostgres, type PgServer } from './pg-server.js';
import { TeamServers } from './team-servers.js';

// Faults a production week brings, injected under real `writeback serve` processes on a throwaway
// PostgreSQL: sessions terminated between requests and inside a write transaction, the server
// restarted, every connection slot taken, and two servers racing bulk writes. Each time the next
// request succeeds or is answered 503 `unavailable` with Retry-After (never another 5xx); the client
// retries with the same Idempotency-Key; every acknowledged write is in the state and the history
// exactly once; `writeback verify` finds every chain intact.
const missing = postgresUnavailable();
const DB = 'faults';
/** Small enough to fill from the test, large enough for two servers (a session per writer + pooled readers). */
const MAX_CONNECTIONS = 40;
let server: PgServer | undefined;
let team: TeamServers | undefined;
let a = '';
let b = '';
let accounts: string[] = [];

type Row = { account_id: string; quarter: string; amount: string };
interface Answer {
  status: number;
  retryAfter: string | null;
  body: Record<string, unknown>;
}
/** Every write answered 2xx: its Idempotency-Key and rows. */
const acknowledged: { key: string; rows: Row[] }[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Rows of fresh keys (never written before in this file): slot → (account, quarter). */
let nextSlot = 0;
function freshRows(n: number, amount: string): Row[] {
  return Array.from({ length: n }, () => {
    const s = nextSlot++;
    return { account_id: accounts[s % accounts.length]!, quarter: `${3000 + Math.floor(s / (accounts.length * 4))}-Q${1 + (Math.floor(s / accounts.length) % 4)}`, amount };
  });
}

async function post(url: string, rows: Row[], key: string): Promise<Answer> {
  const r = await fetch(`${url}/api/v1/inputs/revenue_forecast/rows`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ rows }),
  });
  return { status: r.status, retryAfter: r.headers.get('retry-after'), body: (await r.json()) as Record<string, unknown> };
}

async function getRows(url: string): Promise<Answer> {
  const r = await fetch(`${url}/api/v1/inputs/revenue_forecast/rows?limit=10000`);
  return { status: r.status, retryAfter: r.headers.get('retry-after'), body: (await r.json()) as Record<string, unknown> };
}

/** A refusal a client can act on: 503 `unavailable`, Retry-After, a message saying to retry with the same key. */
function expectRetryable(answer: Answer): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(503);
  expect(answer.retryAfter).toBe('1');
  expect(answer.body).toEqual({
    error: { code: 'unavailable', message: expect.stringMatching(/^the warehouse .*retry the request with the same Idempotency-Key: a write is applied exactly once$/), details: [] },
  });
}

/** What a client does: send, and on a 503 wait Retry-After and send again with the same key, until 200. */
async function write(url: string, rows: Row[], key: string, first?: Answer): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let i = 0; i < 20; i++) {
    const answer = i === 0 && first ? first : await post(url, rows, key);
    answers.push(answer);
    if (answer.status === 200) {
      acknowledged.push({ key, rows });
      return answers;
    }
    expectRetryable(answer);
    await sleep(Number(answer.retryAfter) * 1000);
  }
  throw new Error(`write ${key} never succeeded: ${JSON.stringify(answers.at(-1))}`);
}

/** A read retried the same way. */
async function read(url: string): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let i = 0; i < 20; i++) {
    const answer = await getRows(url);
    answers.push(answer);
    if (answer.status === 200) return answers;
    expectRetryable(answer);
    await sleep(Number(answer.retryAfter) * 1000);
  }
  throw new Error(`read never succeeded: ${JSON.stringify(answers.at(-1))}`);
}

/** Backends of the serve processes (every writeback session names itself `writeback`). */
function writebackBackends(where = ''): number[] {
  const out = server!.psql(`select pid from pg_stat_activity where application_name = 'writeback'${where ? ` and ${where}` : ''}`);
  return out.trim().split('\n').filter(Boolean).map(Number);
}

/** pg_terminate_backend of every session of the serve processes; resolves once they are gone. */
async function terminateAll(): Promise<number> {
  const pids = writebackBackends();
  server!.psql(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'writeback'`);
  while (writebackBackends().length > 0) await sleep(20);
  return pids.length;
}

/** A session of the test's own that takes a lock (released by `rollback`). */
async function lockHolder(sql: string): Promise<pg.Client> {
  const holder = new pg.Client({ host: server!.host, port: server!.port, user: server!.user, database: DB, application_name: 'test-holder' });
  await holder.connect();
  await holder.query('begin');
  await holder.query(sql);
  return holder;
}

if (missing && process.env.CI === 'true') {
  describe('Postgres faults under writeback serve', () => {
    it('needs a PostgreSQL server in CI', () => {
      expect.fail(`${missing}; .ci/run installs it with \`apt-get install -y postgresql\``);
    });
  });
}

describe.skipIf(Boolean(missing))(`Postgres faults under writeback serve${missing ? ` (skipped: ${missing})` : ''}`, () => {
  beforeAll(async () => {
    server = await startPostgres({ maxConnections: MAX_CONNECTIONS });
    server.createDatabase(DB);
    team = new TeamServers(server, DB);
    accounts = readFileSync(join(team.root, 'seeds/accounts.csv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split(',')[0]!);
    const first = team.projectCopy();
    const applied = team.cli(first, ['apply']);
    expect(applied.status, applied.stdout + applied.stderr).toBe(0);
    a = await team.serve(first);
    b = await team.serve(team.projectCopy());
  }, 180_000);

  afterAll(async () => {
    await team?.stop();
    server?.stop();
  });

  it('sessions terminated between requests: the next write and the next read are answered 200 on new sessions', async () => {
    expect((await post(a, freshRows(1, '1.00'), 'between-0')).status).toBe(200);
    acknowledged.push({ key: 'between-0', rows: [] });
    expect((await getRows(a)).status).toBe(200);
    expect(await terminateAll()).toBeGreaterThan(0);

    const answers = await write(a, freshRows(1, '2.00'), 'between-1');
    expect(answers.map((x) => x.status)).toEqual([200]);
    expect((await getRows(a)).status).toBe(200);

    // a read first this time, then a bulk write (more than 32 rows)
    await terminateAll();
    expect((await getRows(a)).status).toBe(200);
    expect((await write(a, freshRows(40, '3.00'), 'between-2')).map((x) => x.status)).toEqual([200]);
  }, 120_000);

  it('a session terminated inside a write transaction: 503 with Retry-After, and the retry with the same key is applied once', async () => {
    // the writer's transaction waits on its log insert while the test holds the log table
    const holder = await lockHolder('lock table writeback."revenue_forecast__log" in share mode');
    const rows = freshRows(40, '4.00');
    const pending = post(a, rows, 'mid-tx-1');
    try {
      while (writebackBackends(`wait_event_type = 'Lock'`).length === 0) await sleep(20);
      await terminateAll();
    } finally {
      await holder.query('rollback');
      await holder.end();
    }
    const first = await pending;
    expectRetryable(first);
    expect((first.body.error as { message: string }).message).toMatch(/was lost and the request was not completed/);
    const answers = await write(a, rows, 'mid-tx-1', first);
    expect(answers.at(-1)!.body).toMatchObject({ replayed: false });
    // the same key again is a replay
    expect((await post(b, rows, 'mid-tx-1')).body).toMatchObject({ replayed: true });
  }, 120_000);

  it('PostgreSQL restarted under both servers: writes and reads go on after at most a retryable answer', async () => {
    server!.restart();
    const answers = await write(a, freshRows(1, '5.00'), 'restart-1');
    expect(answers.at(-1)!.status).toBe(200);
    await read(a);
    await write(b, freshRows(40, '6.00'), 'restart-2');
    await read(b);
  }, 120_000);

  it('every connection slot taken: a write and a read are answered 503 with Retry-After (no hang, no crash); once slots free up the retry is applied once', async () => {
    await terminateAll();
    const holders: pg.Client[] = [];
    try {
      for (;;) {
        const c = new pg.Client({ host: server!.host, port: server!.port, user: server!.user, database: DB, application_name: 'test-filler' });
        try {
          await c.connect();
        } catch (err) {
          expect((err as { code?: string }).code).toBe('53300');
          break;
        }
        holders.push(c);
      }
      expect(holders.length).toBeGreaterThan(0);
      const rows = freshRows(1, '7.00');
      const refused = await post(a, rows, 'full-1');
      expectRetryable(refused);
      expect((refused.body.error as { message: string }).message).toMatch(/busy or out of connections/);
      expectRetryable(await getRows(a));
      // the process is still serving
      expect((await fetch(`${a}/api/v1/openapi.json`)).status).toBe(200);
      for (const c of holders.splice(0)) await c.end();
      const answers = await write(a, rows, 'full-1');
      expect(answers.at(-1)!.body).toMatchObject({ replayed: false });
    } finally {
      for (const c of holders) await c.end().catch(() => undefined);
    }
  }, 120_000);

  it('two servers race bulk writes (> 32 rows each, overlapping keys) without a single 5xx', async () => {
    const shared = freshRows(40, '0.00');
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => post(i % 2 === 0 ? a : b, shared.map((r) => ({ ...r, amount: `${100 + i}.00` })), `race-${i}`)),
    );
    expect(answers.map((x) => x.status)).toEqual(Array(8).fill(200));
    for (let i = 0; i < 8; i++) acknowledged.push({ key: `race-${i}`, rows: [] });
    const final = (await getRows(b)).body.rows as Row[];
    const amounts = new Set(final.filter((r) => shared.some((s) => s.account_id === r.account_id && s.quarter === r.quarter)).map((r) => r.amount));
    // one request's amount won for all 40 rows: each request was applied atomically
    expect(amounts.size).toBe(1);
  }, 120_000);

  it('afterwards every acknowledged write is in the state and, once, in the history; verify finds every chain intact', async () => {
    const state = (await read(a)).at(-1)!.body.rows as Row[];
    const byKey = new Map(state.map((r) => [`${r.account_id}|${r.quarter}`, r.amount]));
    const history = await fetch(`${a}/api/v1/inputs/revenue_forecast/history?limit=100000`).then((r) => r.json() as Promise<{ entries: { request_id: string | null }[] }>);
    const perRequest = new Map<string, number>();
    for (const e of history.entries) if (e.request_id) perRequest.set(e.request_id, (perRequest.get(e.request_id) ?? 0) + 1);
    for (const { key, rows } of acknowledged) {
      for (const r of rows) expect(byKey.get(`${r.account_id}|${r.quarter}`), `${key}: ${r.account_id} ${r.quarter}`).toBe(r.amount);
      if (rows.length > 0) expect(perRequest.get(key), key).toBe(rows.length);
    }
    await team!.stopServes();
    const verify = team!.cli(team!.projectCopy(), ['verify']);
    expect(verify.stdout + verify.stderr).toContain('every hash chain is intact');
    expect(verify.status).toBe(0);
  }, 120_000);
});
