import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../../src/adapters/postgres/open-postgres.js';
import type { PostgresAdapter } from '../../../src/adapters/postgres/postgres-adapter.js';
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

  it('an unknown or malformed setting is refused by name', async () => {
    await expect(open({ lock_timeout: 'soon' })).rejects.toThrow("'lock_timeout' must be a whole number, got 'soon'");
  });
});
