import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Adapter } from '../../../src/adapters/adapter.js';
import { canAppendBulk } from '../../../src/adapters/adapter.js';
import { openAdapter } from '../../../src/adapters/registry.js';
import { runTransaction } from '../../../src/adapters/run-transaction.js';
import type { TargetConfig } from '../../../src/ir/types.js';

// What the mocked-SDK tests (test/unit/adapters/snowflake-*.test.ts) cannot show, on a live
// Snowflake account: a session aborted on the server is replaced on the next call with its
// settings, bound LIMIT is (or is not) refused, the QUERY_TAG is set, and an array-bound bulk
// append of more values than the SDK's default stage threshold stays inside the transaction.
// Runs only with the credentials of cloud-warehouses.test.ts; otherwise skipped, saying why.

const missing = [
  ...['SNOWFLAKE_ACCOUNT', 'SNOWFLAKE_USER', 'SNOWFLAKE_DATABASE', 'SNOWFLAKE_WAREHOUSE'].filter((n) => !process.env[n]),
  ...(process.env.SNOWFLAKE_PASSWORD || process.env.SNOWFLAKE_PRIVATE_KEY_PATH ? [] : ['SNOWFLAKE_PASSWORD or SNOWFLAKE_PRIVATE_KEY_PATH']),
];

const target: TargetConfig = {
  name: 'live',
  type: 'snowflake',
  settings: {
    account: "{{ env('SNOWFLAKE_ACCOUNT') }}",
    user: "{{ env('SNOWFLAKE_USER') }}",
    database: "{{ env('SNOWFLAKE_DATABASE') }}",
    warehouse: "{{ env('SNOWFLAKE_WAREHOUSE') }}",
    ...(process.env.SNOWFLAKE_ROLE ? { role: "{{ env('SNOWFLAKE_ROLE') }}" } : {}),
    ...(process.env.SNOWFLAKE_PRIVATE_KEY_PATH ? { private_key_path: "{{ env('SNOWFLAKE_PRIVATE_KEY_PATH') }}" } : { password: "{{ env('SNOWFLAKE_PASSWORD') }}" }),
  },
};

const schema = `wb_live_sessions_${process.pid}`;

describe.skipIf(missing.length > 0)(`Snowflake sessions, live${missing.length > 0 ? ` (skipped: missing ${missing.join(', ')})` : ''}`, () => {
  let a: Adapter;
  let admin: Adapter;

  beforeAll(async () => {
    const project = { dir: process.cwd(), name: 'live_test', schemas: { inputs: schema, views: schema } };
    admin = await openAdapter(project, target);
    await admin.execute(`create schema if not exists ${admin.dialect.quoteIdent(schema)}`);
    a = await openAdapter(project, target);
  });

  afterAll(async () => {
    await admin?.execute(`drop schema if exists ${admin.dialect.quoteIdent(schema)} cascade`);
    await a?.close();
    await admin?.close();
  });

  it('tags every session: writeback <project> <target>', async () => {
    const rows = await a.query<{ value: string }>("show parameters like 'QUERY_TAG' in session");
    expect(rows[0]?.value).toBe('writeback live_test live');
  });

  it('a session aborted on the server is replaced on the next call, with UTC and the current schema', async () => {
    const [before] = await a.query<{ id: string }>('select current_session() as id');
    await admin.query('select system$abort_session(to_number(:1)) as aborted', [before!.id]);
    const [after] = await a.query<{ id: string; sch: string }>('select current_session() as id, current_schema() as sch');
    expect(after!.id).not.toBe(before!.id);
    expect(after!.sch).toBe(schema.toUpperCase());
    expect(a.sessionNumber).toBe(2);
    const [tz] = await a.query<{ value: string }>("show parameters like 'TIMEZONE' in session");
    expect(tz!.value).toBe('UTC');
  });

  it('records whether Snowflake takes a bound LIMIT (the dialect inlines it either way)', async () => {
    const bound = await a.query('select 1 as x limit :1', [1]).then(
      () => 'accepted',
      (e: unknown) => String(e),
    );
    console.log(`Snowflake, bound LIMIT: ${bound}`);
    expect(await a.query(`select 1 as x ${a.dialect.limitClause([], 1, 0)}`)).toEqual([{ x: 1 }]);
  });

  it('an array-bound append above the SDK default stage threshold stays in the transaction: rolled back, nothing remains', async () => {
    if (!canAppendBulk(a)) throw new Error('the Snowflake adapter has no bulk path');
    const t = `${a.dialect.quoteIdent(schema)}.${a.dialect.quoteIdent('bulk_probe')}`;
    await a.execute(`create or replace table ${t} (${a.dialect.quoteIdent('k')} VARCHAR, ${a.dialect.quoteIdent('n')} NUMBER(38, 10))`);
    const rows = { count: 60_000, value: (r: number, c: number) => (c === 0 ? `k${r}` : `${r}.0000000001`) };
    const columns = [
      { name: 'k', kind: 'varchar' as const, sqlType: 'VARCHAR' },
      { name: 'n', kind: 'varchar' as const, sqlType: 'NUMBER(38, 10)' },
    ];
    await expect(
      runTransaction(a, async (tx) => {
        if (!canAppendBulk(tx)) throw new Error('unreachable');
        await tx.appendBulk({ schema, table: 'bulk_probe' }, columns, rows);
        throw new Error('roll back on purpose');
      }),
    ).rejects.toThrow('roll back on purpose');
    expect(await a.query(`select count(*) as n from ${t}`)).toEqual([{ n: 0 }]);
    await runTransaction(a, async (tx) => {
      if (canAppendBulk(tx)) await tx.appendBulk({ schema, table: 'bulk_probe' }, columns, rows);
    });
    expect(await a.query(`select count(*) as n, max(${a.dialect.quoteIdent('n')}) as m from ${t}`)).toEqual([{ n: 60_000, m: '59999.0000000001' }]);
  });
});
