import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBAdapter } from '../../src/adapters/duckdb/duckdb-adapter.js';
import { getDialect } from '../../src/dialects/registry.js';
import { generateProject } from './generate-project.js';

/** A generated project of `n` inputs + `n` models in a temp dir, with its source tables created in its DuckDB file. */
export async function scaleProject(n: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `wb-bench-scale-${n}-`));
  const { sourceDdl } = generateProject(dir, n);
  mkdirSync(join(dir, 'target'), { recursive: true });
  const adapter = await DuckDBAdapter.open(join(dir, 'target', 'warehouse.duckdb'), getDialect('duckdb'));
  for (const sql of sourceDdl) await adapter.execute(sql);
  await adapter.close();
  return dir;
}
