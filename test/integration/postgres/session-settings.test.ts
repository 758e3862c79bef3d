import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, postgresOptions } from '../../../src/adapters/postgres/open-postgres.js';
import { PostgresAdapter } from '../../../src/adapters/postgres/postgres-adapter.js';
import { UsageError } from '../../../src/adapters/usage-error.js';
import { WarehouseError } from '../../../src/adapters/warehouse-error.js';
import { postgresDialect } from '../../../src/dialects/postgres/postgres-dialect.js';
import { postgresUnavailable, startPostgres, type PgServer } from './pg-server.js';

// What a writeback session sets on a real PostgreSQL server, whatever the server's and the
// database's defaults say: the isolation level its transactions are designed for, and bounds
// that keep a stuck client from holding locks forever.
const missing = postgresUnavailable();
let server: PgServer | undefined;
const opened: PostgresAdapter[] = [];

if (missing && process.env.CI === 'true') {
  describe('Postgres session settings', () => {
    it('needs a PostgreSQL server in CI', () => {
      expect.fail(`${missing}; .ci/run installs it with \`apt-get install -y postgresql\``);
    });
  });
}

describe.skipIf(Boolean(missing))(`Postgres session settings${missing ? ` (skipped: ${missing})` : ''}`, () => {
  const open = async (extra: Record<string, string> = {}) => {
    const adapter = await openPostgres('wh', { host: server!.host, port: String(server!.port), database: 'wb_session', user: server!.user, ...extra }, postgresDialect);
    opened.push(adapter);
    return adapter;
  };

  beforeAll(async () => {
    server = await startPostgres();
    server.createDatabase('wb_session');
    const admin = await open();
    // a database whose default would change how writeback's transactions behave
    await admin.execute(`alter database wb_session set default_transaction_isolation = 'serializable'`);
  }, 120_000);

  afterAll(async () => {
    for (const a of opened) await a.close().catch(() => undefined);
    server?.stop();
  });

  it('a transaction runs at READ COMMITTED even where the database defaults to SERIALIZABLE', async () => {
    const adapter = await open();
    expect(await adapter.query('show transaction_isolation')).toEqual([{ transaction_isolation: 'serializable' }]);
    await adapter.begin();
    expect(await adapter.query('show transaction_isolation')).toEqual([{ transaction_isolation: 'read committed' }]);
    await adapter.rollback();
  });

  it('a session ends an idle transaction after a minute by default; statement and lock bounds are the target’s to set', async () => {
    const plain = await open();
    expect(await plain.query('show idle_in_transaction_session_timeout')).toEqual([{ idle_in_transaction_session_timeout: '1min' }]);
    expect(await plain.query('show statement_timeout')).toEqual([{ statement_timeout: '0' }]);

    const bounded = await open({ statement_timeout: '1', lock_timeout: '2', idle_in_transaction_timeout: '300' });
    expect(await bounded.query('show lock_timeout')).toEqual([{ lock_timeout: '2s' }]);
    expect(await bounded.query('show idle_in_transaction_session_timeout')).toEqual([{ idle_in_transaction_session_timeout: '5min' }]);
    const slow = bounded.query('select pg_sleep(3)');
    await expect(slow).rejects.toThrow(/statement timeout/);
  });

  it('a lock wait beyond lock_timeout is a retryable warehouse error (the write path retries it)', async () => {
    const holder = await open();
    const waiter = await open({ lock_timeout: '1' });
    await holder.execute('create table if not exists held (id integer primary key)');
    await holder.begin();
    await holder.execute('lock table held in access exclusive mode');
    try {
      const error = await waiter.query('select * from held').then(() => undefined, (err: unknown) => err);
      expect(error).toBeInstanceOf(WarehouseError);
      expect((error as WarehouseError).kind).toBe('retryable');
    } finally {
      await holder.rollback();
    }
  });

  it('sslmode prefer (the default) connects in plain text to a server without TLS; require refuses it with a clear error', async () => {
    const variants: Record<string, string>[] = [{}, { sslmode: 'prefer' }];
    for (const settings of variants) {
      const adapter = await open(settings);
      expect(await adapter.query('select ssl from pg_stat_ssl where pid = pg_backend_pid()')).toEqual([{ ssl: false }]);
      // its forks and pooled readers skip the TLS attempt and work the same
      const fork = await adapter.fork();
      opened.push(fork);
      expect(await fork.query('select 1 as one')).toEqual([{ one: 1 }]);
      const reader = await adapter.forkReader();
      expect(await reader.query('select 1 as one')).toEqual([{ one: 1 }]);
      await reader.close();
    }
    for (const sslmode of ['require', 'verify-full']) {
      const err = await open({ sslmode }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).toBe(
        `Postgres at 127.0.0.1:${server!.port} does not accept TLS connections, which sslmode '${sslmode}' requires: ` +
          'turn ssl on in the server, or set sslmode: prefer (TLS when offered) or disable in the target',
      );
    }
    await expect(open({ sslmode: 'allow' })).rejects.toThrow("target 'wh': sslmode must be one of disable, prefer, require, verify-ca, verify-full, got 'allow'");
  });

  it('readers share a pool of at most pool_size sessions, each with the session settings; a terminated pooled session is replaced', async () => {
    const admin = await open();
    const adapter = await open({ pool_size: '2', lock_timeout: '3' });
    const reader = await adapter.forkReader();
    try {
      const rows = await Promise.all(
        Array.from({ length: 8 }, () => reader.query<{ pid: number; tz: string; lt: string }>(`select pg_backend_pid() as pid, current_setting('TimeZone') as tz, current_setting('lock_timeout') as lt, pg_sleep(0.05)`)),
      );
      const pids = new Set(rows.map((r) => r[0]!.pid));
      expect(pids.size).toBeLessThanOrEqual(2);
      expect(new Set(rows.map((r) => `${r[0]!.tz} ${r[0]!.lt}`))).toEqual(new Set(['UTC 3s']));
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where pid = any($1::int[])', [`{${[...pids].join(',')}}`]);
      while ((await admin.query('select 1 from pg_stat_activity where pid = any($1::int[])', [`{${[...pids].join(',')}}`])).length > 0) await new Promise((r) => setTimeout(r, 10));
      const after = await reader.query<{ pid: number }>('select pg_backend_pid() as pid');
      expect(pids.has(after[0]!.pid)).toBe(false);
      await expect(reader.begin()).rejects.toThrow(/runs no transactions/);
    } finally {
      await reader.close();
    }
  });

  it('a server with no free connection slot is a retryable warehouse error naming max_connections, for a fork and for the readers', async () => {
    const admin = await open();
    await admin.execute(`do $$ begin if not exists (select from pg_roles where rolname = 'limited') then create role limited login connection limit 1; end if; end $$`);
    const adapter = await open({ user: 'limited' });
    const fork = await adapter.fork();
    opened.push(fork);
    const err = await fork.query('select 1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WarehouseError);
    expect(err).toMatchObject({ kind: 'retryable', code: '53300', message: expect.stringMatching(/^Postgres at 127\.0\.0\.1:\d+ has no free connection slot \(max_connections, or a connection limit of the role or database, reached\): too many connections for role "limited"/) });
    const reader = await adapter.forkReader();
    await expect(reader.query('select 1')).rejects.toMatchObject({ kind: 'retryable', code: '53300' });
    await reader.close();
    // once the slot is free, the fork connects
    await adapter.close();
    expect(await fork.query('select 1 as one')).toEqual([{ one: 1 }]);
  });

  it('a forked session (a table writer’s) opens at its first statement and closes when unused; the next statement opens a new one', async () => {
    const admin = await open();
    const settings = { host: server!.host, port: String(server!.port), database: 'wb_session', user: server!.user };
    const main = await PostgresAdapter.open({ ...postgresOptions('wh', settings), idleSessionCloseMs: 50, applicationName: 'wb-idle-test' }, postgresDialect);
    opened.push(main);
    const fork = await main.fork();
    opened.push(fork);
    const sessions = async () => (await admin.query<{ n: number }>(`select count(*)::int as n from pg_stat_activity where application_name = 'wb-idle-test'`))[0]!.n;
    expect(await sessions()).toBe(1);
    const first = (await fork.query<{ pid: number }>('select pg_backend_pid() as pid'))[0]!.pid;
    const number = fork.sessionNumber;
    while ((await admin.query('select 1 from pg_stat_activity where pid = $1', [first])).length > 0) await new Promise((r) => setTimeout(r, 20));
    expect(await sessions()).toBe(1);
    expect(fork.sessionNumber).toBe(number! + 1);
    const second = (await fork.query<{ pid: number; tz: string }>(`select pg_backend_pid() as pid, current_setting('TimeZone') as tz`))[0]!;
    expect(second.pid).not.toBe(first);
    expect(second.tz).toBe('UTC');
    expect(fork.sessionNumber).toBe(number! + 1);
  });

  it('an unknown or malformed setting is refused by name', async () => {
    await expect(open({ lock_timeout: 'soon' })).rejects.toThrow("'lock_timeout' must be a whole number, got 'soon'");
  });
});
