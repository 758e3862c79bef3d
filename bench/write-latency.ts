/**
 * Small-write latency under concurrency: C concurrent clients each send W single-row writes
 * (a mix of new keys and updates) to one table through the library (group commit on).
 * Prints p50/p95/p99 and writes/s. Run: npx tsx bench/write-latency.ts [clients] [writesPerClient]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBAdapter } from '../src/adapters/duckdb/duckdb-adapter.js';
import { getDialect } from '../src/dialects/registry.js';
import { createLogTableSql, createMetaTableSql, createSchemaSql, createStateTableSql } from '../src/emit/ddl.js';
import { META_TABLES } from '../src/managed/tables.js';
import type { InputTable, Project } from '../src/project/types.js';
import { createWriteback } from '../src/write/writeback.js';

const C = Number(process.argv[2] ?? 16);
const W = Number(process.argv[3] ?? 50);
const loc = { file: 'inputs/plan.yml', line: 1, col: 1 };
const input: InputTable = {
  name: 'plan',
  key: ['id'],
  columns: [
    { name: 'id', type: { kind: 'string' }, required: true, loc },
    { name: 'amount', type: { kind: 'decimal', precision: 18, scale: 2 }, required: true, min: 0, loc },
    { name: 'note', type: { kind: 'text' }, required: false, loc },
  ],
  scenarios: false,
  permissions: {},
  loc,
};
const dir = mkdtempSync(join(tmpdir(), 'wb-lat-'));
const dialect = getDialect('duckdb');
const adapter = await DuckDBAdapter.open(join(dir, 'lat.duckdb'), dialect);
const project: Project = {
  dir, name: 'lat', defaultTarget: 'dev', targets: { dev: { name: 'dev', type: 'duckdb', path: 'lat.duckdb' } },
  schemas: { inputs: 'writeback', views: 'planning' }, sources: {}, seeds: [], vars: {}, roles: {}, inputs: { plan: input }, models: [], macros: {},
};
for (const sql of [
  ...createSchemaSql(dialect, 'writeback'),
  ...META_TABLES.flatMap((m) => createMetaTableSql(dialect, 'writeback', m)),
  ...createLogTableSql(dialect, 'writeback', input),
  ...createStateTableSql(dialect, 'writeback', input),
])
  await adapter.execute(sql);
const wb = await createWriteback(project, adapter, { targetName: 'dev' });
await wb.inputs.write('plan', Array.from({ length: 1000 }, (_, i) => ({ id: `k${i}`, amount: '1.00' })), { user: 'seed' });

const latencies: number[] = [];
const start = performance.now();
await Promise.all(
  Array.from({ length: C }, async (_, c) => {
    for (let w = 0; w < W; w++) {
      const id = w % 2 ? `k${(c * W + w) % 1000}` : `new-${c}-${w}`;
      const t = performance.now();
      const r = await wb.inputs.write('plan', [{ id, amount: `${w}.00`, note: `client ${c}` }], { user: `c${c}`, requestId: `c${c}-w${w}` });
      latencies.push(performance.now() - t);
      if (!r.ok) throw new Error(r.error.message);
    }
  }),
);
const total = performance.now() - start;
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1);
console.log(`${C} clients × ${W} single-row writes: ${latencies.length} writes in ${total.toFixed(0)} ms = ${Math.round(latencies.length / (total / 1000))} writes/s`);
console.log(`latency ms: p50 ${pct(50)}  p95 ${pct(95)}  p99 ${pct(99)}  max ${latencies[latencies.length - 1]!.toFixed(1)}`);
const groups = await adapter.query<{ n: number }>('select count(distinct _at) as n from writeback.plan__log');
console.log(`transactions (distinct _at): ~${groups[0]!.n} for ${latencies.length + 1} requests`);
await wb.close();
await adapter.close();
rmSync(dir, { recursive: true, force: true });
