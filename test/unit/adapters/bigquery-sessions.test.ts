import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { BigQueryAdapter } from '../../../src/adapters/bigquery/bigquery-adapter.js';
import { runTransaction } from '../../../src/adapters/run-transaction.js';
import { isWarehouseError } from '../../../src/adapters/warehouse-error.js';
import { bigqueryDialect } from '../../../src/dialects/bigquery/bigquery-dialect.js';
import { createWriteback } from '../../../src/library/writeback.js';
import { logTableName } from '../../../src/managed/names.js';
import { logColumns } from '../../../src/managed/tables.js';
import { sqlNames } from '../../../src/managed/sql-names.js';
import { callWebhook } from '../../../src/workflow/webhook.js';
import { testProject } from '../../integration/write/fixture.js';
import { FakeBigQuery } from './bigquery-fake.js';

// BigQuery sessions against a fake at the SDK boundary (bigquery-fake.ts: one query at a time per
// session, temporary tables per session, sessions that expire). No test here talks to BigQuery.

const HOUR = 3_600_000;

function writeLogTables() {
  const project = testProject('/tmp');
  return Object.values(project.inputs).map((i) => ({
    schema: 'writeback',
    name: logTableName(i.name),
    kind: 'table' as const,
    columns: logColumns(i).map((c) => ({ name: c.name, dataType: bigqueryDialect.columnType(c.type) })),
  }));
}

/** The write path over a BigQuery adapter whose SDK is the fake, with a clock the test moves. */
async function library() {
  const fake = new FakeBigQuery(writeLogTables);
  const clock = { now: Date.parse('2026-06-01T00:00:00Z') };
  const adapter = new BigQueryAdapter(bigqueryDialect, fake, 'proj', { now: () => clock.now });
  const wb = await createWriteback(testProject('/tmp'), adapter, { targetName: 'dev' });
  return { fake, clock, adapter, wb };
}

const notes = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ id: from + i, body: `b${from + i}` }));

describe('BigQuery sessions (mocked SDK)', () => {
  it('mocked: concurrent statements never run two jobs in one session, and the first ones open exactly one session', async () => {
    const fake = new FakeBigQuery();
    const a = new BigQueryAdapter(bigqueryDialect, fake, 'proj');
    await Promise.all([
      ...Array.from({ length: 5 }, (_, i) => a.execute(`insert into \`proj\`.\`d\`.\`t\` (x) values (${i})`)),
      ...Array.from({ length: 5 }, (_, i) => a.query(`select ${i}`)),
      runTransaction(a, (tx) => tx.execute('update `proj`.`d`.`t` set x = 1 where true')),
    ]);
    expect(fake.concurrent).toBe(0);
    expect(fake.sessions.size).toBe(1);
    expect(fake.jobs.filter((j) => j.sql.startsWith('select')).map((j) => j.session)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(fake.jobs.filter((j) => !j.sql.startsWith('select')).every((j) => j.session === 'session-1')).toBe(true);
  });

  it('mocked: the write path under concurrent writes and reads: reads never in a session, no concurrent jobs in a session, the key table used in the session that created it', async () => {
    const { fake, wb } = await library();
    const results = await Promise.all([
      wb.inputs.write('notes', notes(1, 250), { user: 'u' }),
      wb.inputs.write('notes', notes(1000, 3), { user: 'u' }),
      wb.inputs.rows('notes', {}),
      wb.inputs.rows('notes', {}),
      wb.inputs.write('notes', notes(2000, 240), { user: 'v' }),
      wb.inputs.history('notes', {}),
    ]);
    for (const r of results) expect(r.ok).toBe(true);
    await wb.close();
    expect(fake.concurrent).toBe(0);
    const reads = fake.jobs.filter((j) => /^select/i.test(j.sql) && /`notes(__log)?`/.test(j.sql) && !/ join `_wb_keys_/.test(j.sql));
    expect(reads.length).toBeGreaterThan(0);
    // reads in a session are the write transaction's own (between its BEGIN and COMMIT)
    const sessionless = fake.jobs.filter((j) => j.session === undefined).map((j) => j.sql.split(' ')[0]!.toLowerCase());
    expect(new Set(sessionless)).toEqual(new Set(['select']));
    const keyTableUse = fake.jobs.filter((j) => j.sql.includes('`_wb_keys_notes`'));
    expect(keyTableUse.length).toBeGreaterThan(2);
    expect(new Set(keyTableUse.map((j) => j.session)).size).toBe(1);
  });

  it('mocked: a session BigQuery ended fails the statement that met it (connection-lost); the next write opens a new session and creates its key table again', async () => {
    const { fake, wb } = await library();
    expect((await wb.inputs.write('notes', notes(1, 250), { user: 'u' })).ok).toBe(true);
    const first = fake.jobs.find((j) => j.created)!.session!;
    fake.expire(first);
    const lost = await wb.inputs.write('notes', notes(300, 250), { user: 'u' }).then(
      (r) => r,
      (e: unknown) => e,
    );
    expect(isWarehouseError(lost, 'connection-lost')).toBe(true);
    expect((lost as Error).message).toMatch(/BigQuery session ended: Session .* has expired/);
    const before = fake.jobs.length;
    expect((await wb.inputs.write('notes', notes(300, 250), { user: 'u' })).ok).toBe(true);
    const after = fake.jobs.slice(before);
    const second = after.find((j) => j.created)!.session!;
    expect(second).not.toBe(first);
    expect(after.some((j) => j.session === second && /^create temporary table `_wb_keys_notes`/.test(j.sql))).toBe(true);
    expect(after.filter((j) => j.session === first)).toEqual([]);
    await wb.close();
  });

  it('mocked: a session idle for 12 h is replaced before BigQuery would end it (24 h): the next write succeeds at once in a new session', async () => {
    const { fake, clock, wb } = await library();
    expect((await wb.inputs.write('notes', notes(1, 250), { user: 'u' })).ok).toBe(true);
    const first = fake.jobs.find((j) => j.created)!.session!;
    clock.now += 13 * HOUR;
    const before = fake.jobs.length;
    expect((await wb.inputs.write('notes', notes(300, 250), { user: 'u' })).ok).toBe(true);
    const after = fake.jobs.slice(before);
    expect(after.some((j) => j.session === first && j.sql === 'call BQ.ABORT_SESSION()')).toBe(true);
    const second = after.find((j) => j.created)!.session!;
    expect(second).not.toBe(first);
    expect(after.filter((j) => j.session === first && j.sql !== 'call BQ.ABORT_SESSION()')).toEqual([]);
    await wb.close();
  });

  it('mocked: a session that ends during COMMIT leaves the outcome unknown (never retried); the next transaction runs in a new session', async () => {
    const fake = new FakeBigQuery();
    const a = new BigQueryAdapter(bigqueryDialect, fake, 'proj');
    fake.failNext = (job) => (job.sql === 'commit transaction' ? new Error(`Session ${job.session} was terminated`) : undefined);
    const failed = await runTransaction(a, (tx) => tx.execute('update `p`.`d`.`t` set x = 1 where true'), { retries: 5 }).catch((e: unknown) => e);
    expect(failed).toMatchObject({ name: 'WarehouseError', kind: 'connection-lost', commitOutcomeUnknown: true });
    expect(fake.jobs.map((j) => j.sql)).toEqual(['begin transaction', 'update `p`.`d`.`t` set x = 1 where true', 'commit transaction']);
    const number = a.sessionNumber;
    await runTransaction(a, (tx) => tx.execute('update `p`.`d`.`t` set x = 2 where true'));
    expect(fake.jobs.at(-3)).toMatchObject({ sql: 'begin transaction', created: true, session: 'session-2' });
    expect(a.sessionNumber).toBe(number);
    expect(a.sessionNumber).toBe(2);
  });

  it('mocked: close ends the session (BQ.ABORT_SESSION) after its queued jobs', async () => {
    const fake = new FakeBigQuery();
    const a = new BigQueryAdapter(bigqueryDialect, fake, 'proj');
    const pending = a.execute('create temporary table `k` (x INT64)');
    await a.close();
    await pending;
    expect(fake.jobs.map((j) => [j.sql, j.session])).toEqual([
      ['create temporary table `k` (x INT64)', 'session-1'],
      ['call BQ.ABORT_SESSION()', 'session-1'],
    ]);
  });
});

describe('BigQuery parameter types on the write path (mocked SDK)', () => {
  it('mocked: every NULL bound by the write path is typed from its column or cast by the SQL (an untyped NULL is STRING)', async () => {
    const { fake, wb } = await library();
    const rows = [...notes(1, 3).map((r, i) => (i === 1 ? { ...r, body: null } : r)), ...notes(10, 240)];
    expect((await wb.inputs.write('notes', rows, { user: 'u' })).ok).toBe(true);
    expect((await wb.inputs.write('notes', [{ id: 2, body: null }], { user: 'u', requestId: 'r-1' })).ok).toBe(true);
    await wb.close();
    const untyped = fake.jobs.flatMap((j) =>
      Object.entries(j.params)
        .filter(([name, v]) => v === null && j.types[name] === 'STRING' && !j.sql.includes(`cast(@${name} as `))
        .map(([name]) => `${name} in ${j.sql}`),
    );
    expect(untyped).toEqual([]);
  });
});

describe('BigQuery: a webhook call is recorded with typed parameters (mocked SDK)', () => {
  it('mocked: a webhook that never answered records http_status as an INT64 NULL (an untyped NULL would be STRING, refused by the INT64 column)', async () => {
    const fake = new FakeBigQuery();
    const adapter = new BigQueryAdapter(bigqueryDialect, fake, 'proj');
    const names = sqlNames(testProject('/tmp'), 'dev', bigqueryDialect);
    // nothing listens on a port the test just closed: the call fails without an HTTP status
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    await new Promise((r) => server.close(r));
    const outcome = await callWebhook(adapter, names, { url: `http://127.0.0.1:${port}/hook`, retries: 0 }, {
      table: 'notes', action: 'ping', user: 'u', keys: [{ id: 1 }], entry_ids: ['e1'], at: '2026-01-01T00:00:00.000Z', comment: null,
    });
    expect(outcome).toMatchObject({ status: 'failed', httpStatus: null, attempts: 1 });
    const insert = fake.jobs.find((j) => j.sql.startsWith('insert into `writeback`.`_wb_webhook_calls`'))!;
    expect(insert.types).toMatchObject({ p8: 'INT64', p9: 'INT64', p11: 'TIMESTAMP', p12: 'TIMESTAMP' });
    expect(insert.params).toMatchObject({ p8: 1, p9: null });
  });
});
