import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBAdapter } from '../../../src/adapters/duckdb/duckdb-adapter.js';
import { duckdbDialect } from '../../../src/dialects/duckdb/duckdb-dialect.js';
import { createWriteback, type Writeback } from '../../../src/library/writeback.js';
import { loadProject } from '../../../src/project/load-project.js';
import type { SnapshotPublisher, SnapshotResult } from '../../../src/snapshot/index.js';
import { appliedDemoProject } from '../server/demo-project.js';

/** Log entries written between the two snapshots compared. */
const ENTRIES = 100_000;
/** Keys written again and again: the state stays this many rows while the log grows. */
const KEYS = 1_000;
/**
 * How much the snapshot may grow while the state keeps its rows (the amounts change, so their
 * compressed segments may change size): one DuckDB block (256 KiB) and a margin. 100,000 log
 * entries take about 10 MB in a copy that includes the log.
 */
const SLACK_BYTES = 512 * 1024;

const ACCOUNTS = Array.from({ length: 60 }, (_, i) => `acc_${String(i + 1).padStart(3, '0')}`);
const KEY_ROWS = Array.from({ length: KEYS }, (_, i) => ({
  account_id: ACCOUNTS[i % ACCOUNTS.length]!,
  quarter: `${2000 + Math.floor(i / ACCOUNTS.length / 4)}-Q${(Math.floor(i / ACCOUNTS.length) % 4) + 1}`,
}));

/** One text per relation that two databases answer alike when they hold the same rows: row count and the sorted rows' md5. */
const fingerprintSql = (schema: string, name: string) =>
  `select count(*)::varchar || ':' || coalesce(md5(string_agg(t::varchar, chr(10) order by t::varchar)), '') as f from ${duckdbDialect.qualify(schema, name)} t`;

describe('the BI snapshot copies what BI reads, not the write logs', () => {
  let dir: string;
  let adapter: DuckDBAdapter;
  let wb: Writeback;
  let publisher: SnapshotPublisher;
  let last: SnapshotResult | undefined;
  let path: string;

  const publish = async () => {
    publisher.notify();
    await publisher.flush();
    expect(publisher.status().lastError).toBeUndefined();
    if (!last) throw new Error('nothing published');
    return last;
  };

  /** Open the snapshot read-only in a DuckDB instance of its own (as a BI tool would) and run `fn`. */
  async function inSnapshot<T>(fn: (query: (sql: string) => Promise<string[][]>) => Promise<T>): Promise<T> {
    const db = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
    const conn = await db.connect();
    try {
      return await fn(async (sql) => (await conn.runAndReadAll(sql)).getRows().map((r) => r.map((v) => String(v))));
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  }

  beforeAll(async () => {
    dir = await appliedDemoProject();
    const loaded = await loadProject(dir);
    if (!loaded.ok) throw new Error('the demo must load');
    adapter = await DuckDBAdapter.open(join(dir, 'target', 'warehouse.duckdb'), duckdbDialect);
    wb = await createWriteback(loaded.value, adapter, { targetName: 'dev' });
    path = join(dir, 'target', 'snapshot.duckdb');
    const p = await wb.publishSnapshots({ path, delayMs: 3_600_000, onPublished: (r) => (last = r) });
    if (!p) throw new Error('a DuckDB file must publish snapshots');
    publisher = p;
    // what the scenario and pending views read: a scenario with an override, a change waiting for approval
    const created = await wb.scenarios.create({ name: 'stretch', user: 'fin', role: 'finance' });
    expect(created.ok).toBe(true);
    const planner = { user: 'ana', role: 'planner', attributes: { region: 'EMEA' } };
    const pending = await wb.inputs.write('revenue_forecast', [{ account_id: 'acc_022', quarter: '2026-Q1', amount: '2000000.00' }], planner);
    expect(pending.ok && pending.pending?.status).toBe('pending');
  });

  afterAll(async () => {
    await publisher?.close();
    await wb?.close();
    await adapter?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`keeps its size while ${ENTRIES.toLocaleString('en')} log entries are written, and its views answer as the live ones`, async () => {
    const empty = await publish();
    const round = (n: number) => KEY_ROWS.map((k, i) => ({ ...k, amount: `${(n * 7 + i) % 100_000}.${String(n % 100).padStart(2, '0')}` }));
    const first = await wb.inputs.write('revenue_forecast', round(0), { user: 'admin' });
    expect(first.ok).toBe(true);
    const scenarioRow = await wb.inputs.write('revenue_forecast', [{ ...KEY_ROWS[0]!, amount: '5.00' }], { user: 'admin', scenario: 'stretch' });
    expect(scenarioRow.ok).toBe(true);
    const before = await publish();

    for (let n = 1; n < ENTRIES / KEYS; n++) {
      const r = await wb.inputs.write('revenue_forecast', round(n), { user: 'admin' });
      if (!r.ok) throw new Error(JSON.stringify(r.error));
    }
    const [log] = await adapter.query<{ n: bigint }>('select count(*) as n from writeback.revenue_forecast__log');
    expect(Number(log!.n)).toBeGreaterThanOrEqual(ENTRIES);
    const after = await publish();

    console.log(
      `snapshot: ${empty.bytes} B / ${Math.round(empty.ms)} ms at 0 entries; ${before.bytes} B / ${Math.round(before.ms)} ms with ${KEYS} state rows; ` +
        `${after.bytes} B / ${Math.round(after.ms)} ms after ${Number(log!.n)} log entries`,
    );
    expect(statSync(path).size).toBe(after.bytes);
    expect(after.bytes, `grew from ${before.bytes} to ${after.bytes} bytes while the state kept ${KEYS} rows`).toBeLessThanOrEqual(before.bytes + SLACK_BYTES);

    // every view in the snapshot answers there exactly as the same view does in the warehouse
    const views = await inSnapshot((q) => q("select schema_name, view_name from duckdb_views() where not internal order by all"));
    expect(views.map(([s, v]) => `${s}.${v}`)).toEqual(
      expect.arrayContaining(['planning.account_forecast', 'planning.account_forecast__by_scenario', 'planning.forecast_vs_actuals', 'planning.revenue_forecast__pending']),
    );
    for (const [schema, view] of views) {
      const [live] = await adapter.query<{ f: string }>(fingerprintSql(schema!, view!));
      const [[copy]] = (await inSnapshot((q) => q(fingerprintSql(schema!, view!)))) as [[string]];
      expect(copy, `${schema}.${view}`).toBe(live!.f);
    }
    const scenario = await inSnapshot((q) => q(`select amount from planning.account_forecast__by_scenario where _scenario = 'stretch' and id = 'acc_001' and quarter = '2000-Q1'`));
    expect(scenario).toEqual([['5.00']]);
    const waiting = await inSnapshot((q) => q('select row_count from planning.revenue_forecast__pending'));
    expect(waiting).toEqual([['1']]);
  });

  it('leaves out the logs, the server-private tables and the history views, with no view left broken', async () => {
    const result = await publish();
    expect(result.viewsLeftOut).toEqual(['planning.account_category__history', 'planning.revenue_forecast__history']);
    const { format, tables, views } = await inSnapshot(async (q) => ({
      // the warehouse's storage format: DuckDB 1.2 and later read it (docs/bi.md)
      format: (await q("select tags['storage_version'] from duckdb_databases() where database_name = current_database()"))[0]![0],
      tables: (await q("select schema_name || '.' || table_name from duckdb_tables() order by 1")).map(([t]) => t),
      views: (await q("select schema_name || '.' || view_name from duckdb_views() where not internal order by 1")).map(([v]) => v),
    }));
    expect(format).toBe('v1.2.0+');
    expect(tables).toEqual([
      'crm.accounts',
      'crm.categories',
      'crm.opportunities',
      'finance.actuals',
      'writeback._wb_pending',
      'writeback._wb_scenario_paths',
      'writeback._wb_scenarios',
      'writeback.account_category',
      'writeback.revenue_forecast',
    ]);
    expect(views.filter((v) => v!.endsWith('__history'))).toEqual([]);
    // every view left in the file answers when it is opened read-only
    for (const v of views) {
      await expect(inSnapshot((q) => q(`select count(*) from ${v}`)), v).resolves.toHaveLength(1);
    }
    expect(views.length).toBe(result.views);
  });
});
