import { isAbsolute, join } from 'node:path';
import type { Project, TargetConfig } from '../ir/types.js';
import type { Adapter } from './adapter.js';
import { getDialect } from '../dialects/registry.js';
import { resolveTargetSettings } from './target-settings.js';
import { UsageError } from './usage-error.js';

export { UsageError } from './usage-error.js';

/** Options for connecting to a target. */
export interface OpenAdapterOptions {
  /** Open without write access (DuckDB: several processes may read one file). */
  readOnly?: boolean;
}

/** The target a command should use: the named one, or the project's default. */
export function resolveTarget(project: Project, name?: string): TargetConfig {
  const targetName = name ?? project.defaultTarget;
  const target = project.targets[targetName];
  if (!target) {
    const known = Object.keys(project.targets).join(', ');
    throw new UsageError(`unknown target '${targetName}' (project.yml declares: ${known})`);
  }
  return target;
}

/** Absolute path of a DuckDB target's file. */
export function duckdbPath(project: Pick<Project, 'dir'>, target: TargetConfig & { type: 'duckdb' }): string {
  return isAbsolute(target.path) || target.path === ':memory:' ? target.path : join(project.dir, target.path);
}

/**
 * Connect to a target. Each warehouse's SDK is imported here, lazily, only when
 * that target is used — `compile` never reaches this function.
 */
export async function openAdapter(project: Pick<Project, 'dir' | 'schemas'>, target: TargetConfig, options: OpenAdapterOptions = {}): Promise<Adapter> {
  const dialect = getDialect(target.type);
  switch (target.type) {
    case 'duckdb': {
      const { DuckDBAdapter } = await import('./duckdb/duckdb-adapter.js');
      const path = duckdbPath(project, target);
      return DuckDBAdapter.open(path, dialect, options);
    }
    // settings are resolved before the SDK is imported: a missing variable costs no SDK load
    case 'postgres': {
      const settings = resolveTargetSettings(target.name, target.settings);
      const { openPostgres } = await import('./postgres/open-postgres.js');
      return openPostgres(target.name, settings, dialect);
    }
    case 'snowflake': {
      const settings = resolveTargetSettings(target.name, target.settings);
      const { openSnowflake } = await import('./snowflake/open-snowflake.js');
      return openSnowflake(target.name, settings, dialect, project.dir, project.schemas.inputs);
    }
    case 'bigquery': {
      const settings = resolveTargetSettings(target.name, target.settings);
      const { openBigQuery } = await import('./bigquery/open-bigquery.js');
      return openBigQuery(target.name, settings, dialect, project.dir);
    }
    default:
      throw new UsageError(`target '${(target as TargetConfig).name}' has a type this version cannot connect to`);
  }
}
