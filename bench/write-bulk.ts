/**
 * Bulk write throughput: 100,000 rows in one `inputs.write` call vs a raw DuckDB Appender insert
 * of the same rows into a plain table. Prints rows/s and the ratio (target ≥ 0.2×).
 * Run: npx tsx bench/write-bulk.ts [rows]
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

const N = Number(process.argv[2] ?? 100_000);
const loc = { file: 'inputs/bulk.yml', line: 1, col: 1 };
const bulk: InputTable = {
  name: 'bulk',
  key: ['id'],
  columns: [
    { name: 'id', type: { kind: 'string' }, required: true, loc },
    { name: 'amount', type: { kind: 'decimal', precision: 18, scale: 2 }, required: true, min: 0, loc },
    { name: 'units', type: { kind: 'integer' }, required: false, loc },
    { name: 'confidence', type: { kind: 'enum', values: ['low', 'medium', 'high'] }, required: false, loc },
    { name: 'note', type: { kind: 'text' }, required: false, maxLength: 200, loc },
  ],
  scenarios: false,
  permissions: {},
  loc,
};

const dir = mkdtempSync(join(tmpdir(), 'wb-bench-'));
const dialect = getDialect('duckdb');
const adapter = await DuckDBAdapter.open(join(dir, 'bench.duckdb'), dialect);
const project: Project = {
  dir, name: 'bench', defaultTarget: 'dev', targets: { dev: { name: 'dev', type: 'duckdb', path: 'bench.duckdb' } },
  schemas: { inputs: 'writeback', views: 'planning' }, sources: {}, seeds: [], vars: {}, roles: {}, inputs: { bulk }, models: [], macros: {},
};
for (const sql of [
  ...createSchemaSql(dialect, 'writeback'),
  ...META_TABLES.flatMap((m) => createMetaTableSql(dialect, 'writeback', m)),
  ...createLogTableSql(dialect, 'writeback', bulk),
  ...createStateTableSql(dialect, 'writeback', bulk),
  'create table raw_bulk (id varchar, amount decimal(18,2), units bigint, confidence varchar, note varchar)',
])
  await adapter.execute(sql);

const rows = Array.from({ length: N }, (_, i) => ({
  id: `K${String(i).padStart(7, '0')}`,
  amount: `${i % 100000}.${String(i % 100).padStart(2, '0')}`,
  units: i % 500,
  confidence: ['low', 'medium', 'high'][i % 3]!,
  note: `row ${i}`,
}));

// raw appender baseline
let t = performance.now();
const appender = await adapter.raw.createAppender('raw_bulk');
for (const r of rows) {
  appender.appendVarchar(r.id);
  appender.appendVarchar(r.amount);
  appender.appendBigInt(BigInt(r.units));
  appender.appendVarchar(r.confidence);
  appender.appendVarchar(r.note);
  appender.endRow();
}
appender.closeSync();
const rawMs = performance.now() - t;

const wb = await createWriteback(project, adapter, { targetName: 'dev' });
t = performance.now();
const first = await wb.inputs.write('bulk', rows, { user: 'bench' });
const insertMs = performance.now() - t;
if (!first.ok) throw new Error(JSON.stringify(first.error).slice(0, 500));
const updated = rows.map((r) => ({ ...r, units: r.units + 1 }));
t = performance.now();
const second = await wb.inputs.write('bulk', updated, { user: 'bench' });
const updateMs = performance.now() - t;
if (!second.ok) throw new Error(JSON.stringify(second.error).slice(0, 500));
t = performance.now();
const report = await wb.verify();
const verifyMs = performance.now() - t;

const rate = (ms: number) => Math.round(N / (ms / 1000));
console.log(`rows: ${N}`);
console.log(`raw appender insert:        ${rawMs.toFixed(0)} ms  ${rate(rawMs).toLocaleString('en')} rows/s`);
console.log(`inputs.write (new keys):    ${insertMs.toFixed(0)} ms  ${rate(insertMs).toLocaleString('en')} rows/s  ratio ${(rawMs / insertMs).toFixed(2)}x`);
console.log(`inputs.write (update keys): ${updateMs.toFixed(0)} ms  ${rate(updateMs).toLocaleString('en')} rows/s  ratio ${(rawMs / updateMs).toFixed(2)}x`);
console.log(`verify (${2 * N} log entries): ${verifyMs.toFixed(0)} ms  ok=${report.ok}`);
await wb.close();
await adapter.close();
rmSync(dir, { recursive: true, force: true });
