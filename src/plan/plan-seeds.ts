import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Dialect } from '../dialects/dialect.js';
import type { Reporter } from '../diagnostics/reporter.js';
import type { Project, Seed } from '../ir/types.js';
import { seedLoaderFor } from '../seeds/seed-loader.js';
import type { LoadSeedOp, QualifiedName } from './operation.js';
import { tableKey, type WarehouseState } from './warehouse-state.js';

/** sha256 (hex) of a file's bytes. */
export function fileFingerprint(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

const reason = (recorded: string | undefined, now: string) =>
  recorded === undefined ? '' : recorded === now ? ' (its table is missing)' : ' (file changed)';

/** Where a seed lands on a target: its source table's schema and physical name. */
export function seedTable(project: Project, seed: Seed, targetName: string): QualifiedName | undefined {
  const table = project.sources[seed.into.source]?.tables[seed.into.table];
  const schema = table?.schema[targetName];
  return table && schema ? { schema, name: table.identifier } : undefined;
}

/** Schemas the seeds of a project fill on a target. */
export function seedSchemas(project: Project, targetName: string): string[] {
  return [...new Set(project.seeds.flatMap((s) => seedTable(project, s, targetName)?.schema ?? []))];
}

/** A `load-seed` for each seed whose file changed since it was loaded (or whose table is gone). */
export function planSeeds(
  project: Project,
  state: WarehouseState,
  dialect: Dialect,
  targetName: string,
  report: Reporter,
): LoadSeedOp[] {
  const ops: LoadSeedOp[] = [];
  if (project.seeds.length === 0) return ops;
  if (!seedLoaderFor(dialect)) {
    report.warn('seeds-not-supported', { target: targetName, dialect: dialect.name });
    return ops;
  }
  for (const seed of project.seeds) {
    const table = seedTable(project, seed, targetName);
    if (!table) {
      report.error('seed-target-unknown', { seed: seed.file, ...seed.into, target: targetName }, seed.loc);
      continue;
    }
    const path = join(project.dir, seed.file);
    let fingerprint: string;
    try {
      fingerprint = fileFingerprint(path);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      report.error('seed-file-unreadable', { seed: seed.file, reason }, seed.loc);
      continue;
    }
    const record = state.seeds.find((r) => r.file === seed.file);
    const loaded = record && record.fingerprint === fingerprint && record.schema === table.schema && record.table === table.name;
    if (loaded && state.tables.has(tableKey(table.schema, table.name))) continue;
    ops.push({
      kind: 'load-seed',
      description: `${record ? 'reload' : 'load'} seed ${seed.file} into ${table.schema}.${table.name}${reason(record?.fingerprint, fingerprint)}`,
      destructive: false,
      file: seed.file,
      path,
      table,
      columnTypes: seed.columnTypes,
      fingerprint,
    });
  }
  return ops;
}
