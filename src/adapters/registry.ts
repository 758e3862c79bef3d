import { isAbsolute, join } from 'node:path';
import type { Project, TargetConfig } from '../ir/types.js';
import type { Adapter } from './adapter.js';
import { getDialect } from '../dialects/registry.js';
import { importAdapter, POSTGRES_COPY_SDK, WAREHOUSE_SDKS } from './optional-sdk.js';
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
 * Connect to a target. Each warehouse's adapter, and with it its SDK, is imported here, lazily,
 * only when that target is used — `compile` never reaches this function. The cloud warehouses'
 * SDKs are optional peer dependencies: a missing one is a UsageError naming the install command.
 */
export async function openAdapter(project: Pick<Project, 'dir' | 'schemas'> & Partial<Pick<Project, 'name'>>, target: TargetConfig, options: OpenAdapterOptions = {}): Promise<Adapter> {
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
      const { openPostgres } = await importAdapter(target, WAREHOUSE_SDKS.postgres, () => import('./postgres/open-postgres.js'));
      // after pg, so that a missing pg is named first
      await importAdapter(target, POSTGRES_COPY_SDK, () => import('./postgres/postgres-copy.js'));
      return openPostgres(target.name, settings, dialect, project.dir);
    }
    case 'snowflake': {
      const settings = resolveTargetSettings(target.name, target.settings);
      const { openSnowflake } = await importAdapter(target, WAREHOUSE_SDKS.snowflake, () => import('./snowflake/open-snowflake.js'));
      return openSnowflake(target.name, settings, dialect, project.dir, project.schemas.inputs, project.name);
    }
    case 'bigquery': {
      const settings = resolveTargetSettings(target.name, target.settings);
      const { openBigQuery } = await importAdapter(target, WAREHOUSE_SDKS.bigquery, () => import('./bigquery/open-bigquery.js'));
      return openBigQuery(target.name, settings, dialect, project.dir);
    }
    default:
      throw new UsageError(`target '${(target as TargetConfig).name}' has a type this version cannot connect to`);
  }
}
