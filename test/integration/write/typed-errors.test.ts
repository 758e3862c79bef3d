import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDBAdapter } from '../../../src/adapters/duckdb/duckdb-adapter.js';
import { runTransaction } from '../../../src/adapters/run-transaction.js';
import { UsageError } from '../../../src/adapters/usage-error.js';
import { WarehouseError } from '../../../src/adapters/warehouse-error.js';
import { getDialect } from '../../../src/dialects/registry.js';

// DuckDB's conflicts on a real file, as the write path meets them: typed by the adapter, retried by the runner.
let dir: string;
let db: DuckDBAdapter;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wb-typed-'));
  db = await DuckDBAdapter.open(join(dir, 'x.duckdb'), getDialect('duckdb'));
  await db.execute('create table t (k integer primary key, v integer)');
  await db.execute('insert into t values (1, 0)');
});
afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('DuckDB typed errors and the transaction runner', () => {
  it('a row another connection changed after this transaction read it: a typed conflict, decided again by the runner on fresh reads', async () => {
    const other = await db.fork();
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    let updated = () => {};
    const firstUpdated = new Promise<void>((r) => (updated = r));
    const first = runTransaction(db, async (tx) => {
      await tx.execute('update t set v = v + 1 where k = 1');
      updated();
      await gate;
    });
    await firstUpdated;
    const failures: unknown[] = [];
    let attempts = 0;
    await runTransaction(
      other,
      async (tx) => {
        attempts++;
        const [row] = await tx.query<{ v: number }>('select v from t where k = 1');
        if (attempts === 1) {
          release(); // the first transaction commits after this one read the row
          await first;
        }
        await tx.execute('update t set v = ? where k = 1', [row!.v + 10]);
      },
      { retries: 3, onRollback: (err) => failures.push(err) },
    );
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ name: 'WarehouseError', kind: 'conflict', message: expect.stringMatching(/conflict/i) });
    expect(attempts).toBe(2);
    expect(await db.query('select v from t')).toEqual([{ v: 11 }]); // no increment lost
    await other.close();
  });

  it('a duplicate key is a typed conflict with DuckDB\'s message; other failures pass through untyped; nothing is retried without retries', async () => {
    const err = await db.execute('insert into t values (1, 5)').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WarehouseError);
    expect(err).toMatchObject({ kind: 'conflict', message: expect.stringMatching(/^Constraint Error: Duplicate key "k: 1" violates primary key constraint/) });
    const notNull = await db.execute('insert into t values (null, 5)').catch((e: unknown) => e);
    expect(notNull).not.toBeInstanceOf(WarehouseError);
    let runs = 0;
    await expect(runTransaction(db, async (tx) => (runs++, tx.execute('insert into t values (1, 5)')))).rejects.toMatchObject({ kind: 'conflict' });
    expect(runs).toBe(1);
  });

  it('transactions do not nest on one connection', async () => {
    await expect(runTransaction(db, () => runTransaction(db, async () => 1))).rejects.toThrow(/do not nest/);
    expect(await runTransaction(db, async (tx) => tx.query('select 1 as x'))).toEqual([{ x: 1 }]);
  });

  it('a file another process holds is a UsageError naming the holder and what to do', async () => {
    const path = join(dir, 'held.duckdb');
    // The holder keeps its instance referenced: an unreferenced instance may be collected, which
    // releases the file's lock and lets the open below succeed.
    const script = `import('@duckdb/node-api').then(async ({ DuckDBInstance }) => { globalThis.held = await DuckDBInstance.create(${JSON.stringify(path)}); console.log('ready'); setInterval(() => {}, 1000); })`;
    const holder = spawn(process.execPath, ['-e', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
        holder.once('exit', () => reject(new Error('the holder exited')));
      });
      const err = await DuckDBAdapter.open(path, getDialect('duckdb')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect(String(err)).toContain(`${path} is held by another process (PID ${holder.pid})`);
    } finally {
      holder.kill();
    }
  });
});
