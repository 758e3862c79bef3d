import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBAdapter } from '../../src/adapters/duckdb/duckdb-adapter.js';
import { getDialect } from '../../src/dialects/registry.js';
import { createChainHeadTableSql, createLogTableSql, createMetaTableSql, createSchemaSql, createStateTableSql, seedChainHeadSql } from '../../src/emit/ddl.js';
import { metaTablesOf } from '../../src/managed/meta-tables.js';
import type { InputTable, Project } from '../../src/ir/types.js';

const loc = { file: 'inputs/plan.yml', line: 1, col: 1 };

/** The input table the write benchmarks use: a string key, a decimal, an integer, an enum and a text. */
export const PLAN_INPUT: InputTable = {
  name: 'plan',
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

/** A temp dir with a DuckDB file holding the managed tables of {@link PLAN_INPUT} (as `apply` would create them). */
export async function benchDatabase(prefix: string): Promise<{ dir: string; adapter: DuckDBAdapter; project: Project }> {
  const dir = mkdtempSync(join(tmpdir(), `wb-bench-${prefix}-`));
  const dialect = getDialect('duckdb');
  const adapter = await DuckDBAdapter.open(join(dir, 'bench.duckdb'), dialect);
  const project: Project = {
    dir,
    name: 'bench',
    defaultTarget: 'dev',
    targets: { dev: { name: 'dev', type: 'duckdb', path: 'bench.duckdb' } },
    schemas: { inputs: 'writeback', views: 'planning' },
    sources: {},
    seeds: [],
    vars: {},
    roles: {},
    inputs: { plan: PLAN_INPUT },
    models: [],
    macros: {},
  };
  for (const sql of [
    ...createSchemaSql(dialect, 'writeback'),
    ...metaTablesOf(dialect).flatMap((m) => createMetaTableSql(dialect, 'writeback', m)),
    ...createLogTableSql(dialect, 'writeback', PLAN_INPUT),
    ...createStateTableSql(dialect, 'writeback', PLAN_INPUT),
    ...(dialect.chainHeads === 'per-input' ? createChainHeadTableSql(dialect, 'writeback', PLAN_INPUT.name) : []),
  ])
    await adapter.execute(sql);
  const seed = seedChainHeadSql(dialect, 'writeback', PLAN_INPUT.name, new Date());
  await adapter.execute(seed.sql, seed.params);
  return { dir, adapter, project };
}
