import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAdapter } from '../../../src/adapters/registry.js';
import type { Adapter } from '../../../src/adapters/adapter.js';
import { runTransaction } from '../../../src/adapters/run-transaction.js';
import { UsageError } from '../../../src/adapters/usage-error.js';
import { WarehouseError } from '../../../src/adapters/warehouse-error.js';
import { applyPlan } from '../../../src/apply/apply-plan.js';
import { planProject } from '../../../src/plan/plan-project.js';
import type { Model, Project } from '../../../src/ir/types.js';
import { testProject } from '../write/fixture.js';
import { freePort, postgresUnavailable, startPostgres, type PgServer } from './pg-server.js';

// Clear errors on a real PostgreSQL server: unreachable host, unknown database, missing grants;
// and the typed errors the write path acts on (conflict, retryable, connection lost), by SQLSTATE.
const missing = postgresUnavailable();
let server: PgServer;

const projectOn = (settings: Record<string, string>): Project => {
  const p = testProject('/tmp');
  return { ...p, seeds: [], models: [], defaultTarget: 'pg', targets: { pg: { name: 'pg', type: 'postgres', settings } } };
};

describe.skipIf(Boolean(missing))(`Postgres connection and grant errors${missing ? ` (skipped: ${missing})` : ''}`, () => {
  beforeAll(async () => {
    server = await startPostgres();
    server.createDatabase('wb_errors');
  }, 120_000);
  afterAll(() => server?.stop());

  it('an unreachable host is a UsageError that names host and port', async () => {
    const port = await freePort();
    const p = projectOn({ host: '127.0.0.1', port: String(port), database: 'x', user: 'postgres' });
    const err = await openAdapter(p, p.targets.pg!).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(String(err)).toContain(`cannot reach Postgres at 127.0.0.1:${port}`);
  });

  it('an unknown database is a UsageError that says so', async () => {
    const p = projectOn({ host: '127.0.0.1', port: String(server.port), database: 'nope', user: 'postgres' });
    await expect(openAdapter(p, p.targets.pg!)).rejects.toThrow(/has no database 'nope'/);
  });

  it('a role without grants gets an apply diagnostic that explains the grants it needs', async () => {
    const admin = projectOn({ host: '127.0.0.1', port: String(server.port), database: 'wb_errors', user: 'postgres' });
    const a = await openAdapter(admin, admin.targets.pg!);
    await a.execute('create role wb_reader login');
    await a.execute('revoke create on schema public from public');
    await a.execute('revoke create on database wb_errors from public');
    await a.close();
    const p = projectOn({ host: '127.0.0.1', port: String(server.port), database: 'wb_errors', user: 'wb_reader' });
    const adapter = await openAdapter(p, p.targets.pg!);
    try {
      const plan = await planProject(p, { targetName: 'pg', adapter, user: 'wb_reader' });
      expect(plan.ok).toBe(true);
      if (!plan.ok) return;
      const applied = await applyPlan(plan.value, adapter);
      expect(applied.ok).toBe(false);
      const message = applied.ok ? '' : applied.diagnostics[0]!.message;
      expect(message).toMatch(/lacks a privilege: permission denied for database wb_errors/);
      expect(message).toContain('Least-privilege grants');
      expect(message).toContain('Nothing was changed');
    } finally {
      await adapter.close();
    }
  });

  describe('typed errors by SQLSTATE', () => {
    const open: Adapter[] = [];
    const connect = async () => {
      const p = projectOn({ host: '127.0.0.1', port: String(server.port), database: 'wb_typed', user: 'postgres' });
      const a = await openAdapter(p, p.targets.pg!);
      open.push(a);
      return a;
    };
    const pidOf = async (a: Adapter) => (await a.query<{ pid: number }>('select pg_backend_pid() as pid'))[0]!.pid;
    beforeAll(async () => {
      server.createDatabase('wb_typed');
      const a = await connect();
      await a.execute('create table t (k integer primary key, v integer)');
      await a.execute('insert into t values (1, 0), (2, 0)');
    });
    afterAll(async () => {
      for (const a of open) await a.close();
    });

    it('a taken unique key (23505) is a conflict with the server\'s message', async () => {
      const a = await connect();
      const err = await a.execute('insert into t values (1, 1)').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WarehouseError);
      expect(err).toMatchObject({ kind: 'conflict', code: '23505', message: expect.stringMatching(/duplicate key value violates unique constraint/) });
    });

    it('a deadlock (40P01) is a conflict, and the runner decides the victim again once the other committed', async () => {
      const [a, b] = [await connect(), await connect()];
      const failures: unknown[] = [];
      let locked = () => {};
      const aLocked = new Promise<void>((r) => (locked = r));
      const first = runTransaction(a, async (tx) => {
        await tx.execute('update t set v = v + 1 where k = 1');
        locked();
        await new Promise((r) => setTimeout(r, 50));
        await tx.execute('update t set v = v + 1 where k = 2');
      }, { retries: 3, onRollback: (e) => failures.push(e) });
      await aLocked;
      const second = runTransaction(b, async (tx) => {
        await tx.execute('update t set v = v + 10 where k = 2');
        await tx.execute('update t set v = v + 10 where k = 1');
      }, { retries: 3, onRollback: (e) => failures.push(e) });
      await Promise.all([first, second]);
      // the server picked one of the two as the victim; it was rolled back, retried, and both increments landed
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatchObject({ name: 'WarehouseError', kind: 'conflict', code: '40P01', message: expect.stringMatching(/deadlock detected/) });
      expect(await a.query('select k, v from t order by k')).toEqual([{ k: 1, v: 11 }, { k: 2, v: 11 }]);
    });

    it('a lock not available (55P03) is retryable', async () => {
      const [a, b] = [await connect(), await connect()];
      await b.execute("set lock_timeout = '20ms'");
      let err: unknown;
      await runTransaction(a, async (tx) => {
        await tx.execute('update t set v = v where k = 1');
        err = await b.execute('update t set v = v where k = 1').catch((e: unknown) => e);
      });
      expect(err).toMatchObject({ name: 'WarehouseError', kind: 'retryable', code: '55P03' });
    });

    it('a terminated session is replaced on the next statement, with a new session number and the session settings', async () => {
      const [admin, victim] = [await connect(), await connect()];
      const pid = await pidOf(victim);
      const before = victim.sessionNumber;
      await admin.query('select pg_terminate_backend($1)', [pid]);
      while ((await admin.query('select 1 from pg_stat_activity where pid = $1', [pid])).length > 0) await new Promise((r) => setTimeout(r, 10));
      expect(await pidOf(victim)).not.toBe(pid);
      expect(victim.sessionNumber).toBe(before! + 1);
      expect(await victim.query('show time zone')).toEqual([{ TimeZone: 'UTC' }]);
      expect(await victim.query('show idle_in_transaction_session_timeout')).toEqual([{ idle_in_transaction_session_timeout: '1min' }]);
    });

    it('a session terminated inside a transaction fails the statement as connection-lost and replays nothing; the next transaction runs on a new session', async () => {
      const [admin, victim] = [await connect(), await connect()];
      const pid = await pidOf(victim);
      let attempts = 0;
      const err = await runTransaction(
        victim,
        async (tx) => {
          attempts++;
          await tx.execute('update t set v = v + 1000 where k = 2');
          await admin.query('select pg_terminate_backend($1)', [pid]);
          await tx.execute('update t set v = v + 1000 where k = 2');
        },
        { retries: 5 },
      ).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'WarehouseError', kind: 'connection-lost', commitOutcomeUnknown: false });
      expect(attempts).toBe(1);
      expect(await admin.query('select v from t where k = 2')).toEqual([{ v: 11 }]);
      await runTransaction(victim, (tx) => tx.execute('update t set v = v where k = 2'));
      expect(await pidOf(victim)).not.toBe(pid);
    });

    it('lost during COMMIT a transaction is never retried and says the outcome is unknown', async () => {
      const admin = await connect();

      const other = await connect();
      const pid = await pidOf(other);
      let attempts = 0;
      const err = await runTransaction(
        other,
        async (tx) => {
          attempts++;
          await tx.execute('update t set v = v + 100 where k = 1');
          // the session is killed after its last statement, before COMMIT reaches the server
          await admin.query('select pg_terminate_backend($1)', [pid]);
          while ((await admin.query('select 1 from pg_stat_activity where pid = $1', [pid])).length > 0) await new Promise((r) => setTimeout(r, 10));
        },
        { retries: 5 },
      ).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WarehouseError);
      expect(err).toMatchObject({ kind: 'connection-lost', commitOutcomeUnknown: true });
      expect((err as Error).message).toMatch(/lost during COMMIT, so the transaction may or may not have committed/);
      expect(attempts).toBe(1);
      expect(await admin.query('select v from t where k = 1')).toEqual([{ v: 11 }]); // here it did not commit
    });
  });

  it('a column Postgres does not know is located in the SQL model, at the column', async () => {
    const p = projectOn({ host: '127.0.0.1', port: String(server.port), database: 'wb_errors', user: 'postgres' });
    const sql = "select amount,\n  nope\nfrom {{ input('forecast') }}";
    const model: Model = { name: 'bad', body: { kind: 'sql', sql, sqlLoc: { file: 'models/bad.sql', line: 1, col: 1 } }, dependsOn: { models: [], inputs: ['forecast'], sources: [] }, loc: { file: 'models/bad.sql', line: 1, col: 1 } };
    const adapter = await openAdapter(p, p.targets.pg!);
    try {
      const plan = await planProject({ ...p, models: [model] }, { targetName: 'pg', adapter, user: 'postgres' });
      expect(plan.ok).toBe(true);
      if (!plan.ok) return;
      const applied = await applyPlan(plan.value, adapter);
      expect(applied.ok).toBe(false);
      const d = applied.ok ? undefined : applied.diagnostics[0];
      expect(d?.code).toBe('apply-failed');
      expect(d?.message).toMatch(/column "nope" does not exist/);
      expect(d?.loc).toEqual({ file: 'models/bad.sql', line: 2, col: 3 });
      expect(d?.params).toMatchObject({ line: 3, col: 3 });
    } finally {
      await adapter.close();
    }
  });
});
