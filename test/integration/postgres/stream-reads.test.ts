import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canStream, type Row, type StreamingAdapter } from '../../../src/adapters/adapter.js';
import { isWarehouseError } from '../../../src/adapters/warehouse-error.js';
import { openPostgres } from '../../../src/adapters/postgres/open-postgres.js';
import type { PostgresAdapter } from '../../../src/adapters/postgres/postgres-adapter.js';
import { STREAM_CHUNK_ROWS } from '../../../src/adapters/postgres/postgres-pool.js';
import { postgresDialect } from '../../../src/dialects/postgres/postgres-dialect.js';
import { postgresUnavailable, startPostgres, type PgServer } from './pg-server.js';

// Large reads on a Postgres target (a model's rows) through the readers' pool: a cursor in a
// read-only transaction, fetched a chunk at a time, on a real throwaway PostgreSQL server.
const missing = postgresUnavailable();
let server: PgServer | undefined;
let adapter: PostgresAdapter | undefined;
let reader: StreamingAdapter;

if (missing && process.env.CI === 'true') {
  describe('Postgres streamed reads', () => {
    it('needs a PostgreSQL server in CI', () => {
      expect.fail(`${missing}; .ci/run installs it with \`apt-get install -y postgresql\``);
    });
  });
}

/** Every chunk's length and every row of a stream. */
async function drain(stream: Awaited<ReturnType<StreamingAdapter['stream']>>): Promise<{ sizes: number[]; rows: Row[] }> {
  const sizes: number[] = [];
  const rows: Row[] = [];
  for await (const chunk of stream.chunks()) {
    sizes.push(chunk.length);
    rows.push(...chunk);
  }
  return { sizes, rows };
}

describe.skipIf(Boolean(missing))(`Postgres streamed reads${missing ? ` (skipped: ${missing})` : ''}`, () => {
  beforeAll(async () => {
    server = await startPostgres();
    server.createDatabase('wb_stream');
    // two pooled sessions: a read that kept its session would soon leave none
    adapter = await openPostgres('wh', { host: server.host, port: String(server.port), database: 'wb_stream', user: server.user, pool_size: '2', connect_timeout: '2' }, postgresDialect);
    const pool = await adapter.forkReader();
    if (!canStream(pool)) throw new Error('the Postgres reader pool does not stream');
    reader = pool;
  }, 120_000);

  afterAll(async () => {
    await reader?.close().catch(() => undefined);
    await adapter?.close().catch(() => undefined);
    server?.stop();
  });

  it('reads every row a chunk at a time, with bound parameters and the columns known first', async () => {
    const stream = await reader.stream(`select i, 'row ' || i as label from generate_series(1, $1::int) i order by i`, [5000]);
    expect(stream.columns).toEqual(['i', 'label']);
    const { sizes, rows } = await drain(stream);
    expect(sizes).toEqual([STREAM_CHUNK_ROWS, STREAM_CHUNK_ROWS, 5000 - 2 * STREAM_CHUNK_ROWS]);
    expect(rows).toHaveLength(5000);
    expect(rows[0]).toEqual({ i: 1, label: 'row 1' });
    expect(rows[4999]).toEqual({ i: 5000, label: 'row 5000' });
    // an empty result: its columns, no chunk
    const empty = await reader.stream('select i from generate_series(1, 0) i');
    expect(empty.columns).toEqual(['i']);
    expect((await drain(empty)).sizes).toEqual([]);
  });

  it('a failure after the first chunks is thrown where the rows stop, never a shorter result', async () => {
    const stream = await reader.stream('select i, case when i > 4500 then (i * 1000000000)::int else i end as x from generate_series(1, 5000) i');
    let read = 0;
    const failure = await (async () => {
      for await (const chunk of stream.chunks()) read += chunk.length;
    })().then(() => undefined, (e: unknown) => e);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/integer out of range/);
    expect(read).toBeGreaterThanOrEqual(STREAM_CHUNK_ROWS);
    expect(read).toBeLessThan(5000);
  });

  it('a failure before the first row rejects the stream; reads abandoned midway or closed give their session back', async () => {
    await expect(reader.stream('select nope from generate_series(1, 3) i')).rejects.toThrow(/column "nope" does not exist/);
    for (let k = 0; k < 6; k++) {
      const stream = await reader.stream('select i from generate_series(1, 10000) i');
      if (k % 2 === 0) {
        for await (const chunk of stream.chunks()) {
          expect(chunk).toHaveLength(STREAM_CHUNK_ROWS);
          break;
        }
      } else stream.close();
    }
    // with two sessions in each pool, this waits forever if any read above kept its own
    expect(await reader.query('select count(*)::int as n from generate_series(1, 7)')).toEqual([{ n: 7 }]);
    const again = await drain(await reader.stream('select 1 as one'));
    expect(again.rows).toEqual([{ one: 1 }]);
  });

  it('a session that dies between two chunks fails the read as a lost connection; the process and the pool carry on', async () => {
    const stream = await reader.stream('select i from generate_series(1, 10000) i');
    const chunks = stream.chunks();
    expect((await chunks.next()).value).toHaveLength(STREAM_CHUNK_ROWS);
    // the stream's backend, idle in its transaction between two FETCHes, is terminated
    server!.psql("select pg_terminate_backend(pid) from pg_stat_activity where datname = 'wb_stream' and query like 'FETCH FORWARD%' and state = 'idle in transaction'");
    await new Promise((r) => setTimeout(r, 200));
    const failure = await chunks.next().then(() => undefined, (e: unknown) => e);
    expect(isWarehouseError(failure, 'connection-lost')).toBe(true);
    expect((await drain(await reader.stream('select i from generate_series(1, 3) i'))).rows).toEqual([{ i: 1 }, { i: 2 }, { i: 3 }]);
  });

  it('a session that dies during a plain read is replaced and the read runs again; the process carries on', async () => {
    const unhandled: unknown[] = [];
    const onUncaught = (e: unknown) => unhandled.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      const running = "from pg_stat_activity where datname = 'wb_stream' and query like 'select pg_sleep(1.5)%' and state = 'active'";
      const read = reader.query('select pg_sleep(1.5)::text as slept');
      for (let i = 0; i < 100 && server!.psql(`select count(*) ${running}`).trim() !== '1'; i++) await new Promise((r) => setTimeout(r, 20));
      // the read's backend is terminated while its statement runs: the pool gets the session's end after the statement's error
      expect(server!.psql(`select count(*) from (select pg_terminate_backend(pid) ${running}) t`).trim()).toBe('1');
      expect(await read).toEqual([{ slept: '' }]);
      await new Promise((r) => setTimeout(r, 200));
      expect(unhandled).toEqual([]);
      expect(await reader.query('select 3 as three')).toEqual([{ three: 3 }]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  }, 30_000);

  it('a stream whose session dies before its first rows is opened again on another session', async () => {
    const running = "from pg_stat_activity where datname = 'wb_stream' and query like 'FETCH FORWARD%' and state = 'active'";
    const opening = reader.stream('select s.slept, i from (select pg_sleep(1)::text as slept) s, generate_series(1, 3) i');
    for (let i = 0; i < 100 && server!.psql(`select count(*) ${running}`).trim() !== '1'; i++) await new Promise((r) => setTimeout(r, 20));
    // the first FETCH runs the statement: its backend is terminated meanwhile
    expect(server!.psql(`select count(*) from (select pg_terminate_backend(pid) ${running}) t`).trim()).toBe('1');
    expect((await drain(await opening)).rows).toEqual([1, 2, 3].map((i) => ({ slept: '', i })));
  }, 30_000);

  it('streams do not take the readers\' sessions: with both stream sessions held, reads go on, and a third stream is told to try again', async () => {
    const held = [await reader.stream('select i from generate_series(1, 10000) i'), await reader.stream('select i from generate_series(1, 10000) i')];
    try {
      expect(await reader.query('select 2 as two')).toEqual([{ two: 2 }]);
      const third = await reader.stream('select 1').then(() => undefined, (e: unknown) => e);
      expect(isWarehouseError(third, 'retryable')).toBe(true);
      expect((third as Error).message).toMatch(/every session for streamed reads is busy \(2, the target's pool_size\)/);
    } finally {
      for (const s of held) s.close();
    }
  }, 30_000);
});
