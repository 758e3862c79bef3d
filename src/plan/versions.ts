import type { Adapter } from '../adapters/adapter.js';
import { runTransaction } from '../adapters/run-transaction.js';
import { dropViewSql } from '../emit/ddl.js';
import type { Project } from '../ir/types.js';
import { versionViewName } from '../managed/names.js';
import { type QualifiedName } from './operation.js';
import { readWarehouseState, referencedVersions, tableKey, type VersionRecord, type WarehouseState } from './warehouse-state.js';

/** One registered version of a model, as `writeback versions` lists it. */
export interface VersionInfo {
  model: string;
  version: number;
  fingerprint: string;
  /** ISO time it was applied (UTC). */
  appliedAt: string;
  appliedBy: string;
  /** The version's view, `<views>.<model>__v<N>`. */
  view: QualifiedName;
  /** False once pruned (the registry row stays as history). */
  exists: boolean;
  /** The alias `<model>` points at this version (normally the newest). */
  latest: boolean;
}

/** Every registered version (of one model when `model` is given), ordered by model then version. */
export async function listVersions(adapter: Adapter, project: Project, model?: string): Promise<VersionInfo[]> {
  const state = await readWarehouseState(adapter, project.schemas);
  return state.versions.filter((v) => model === undefined || v.model === model).map((v) => toInfo(project, state, v));
}

/** Options of `pruneVersions`. */
export interface PruneOptions {
  /** How many of the newest versions of each model to keep (at least 1). */
  keep: number;
  /** Report what would be dropped without dropping it (default false). */
  dryRun?: boolean;
}

/** A version view `pruneVersions` dropped (or would drop). */
export interface PrunedVersion {
  model: string;
  version: number;
  view: QualifiedName;
}

/**
 * Drop version views beyond the newest `keep` of each model. Never drops the version an alias
 * points at, nor a version that a kept version reads (refs are pinned to versions).
 * Only views are dropped; registry rows, input tables and logs are untouched.
 * Warehouse errors are thrown (nothing is dropped where DDL is transactional).
 */
export async function pruneVersions(adapter: Adapter, project: Project, options: PruneOptions): Promise<PrunedVersion[]> {
  // Callers validate user input; a bad `keep` here is a bug.
  if (!Number.isInteger(options.keep) || options.keep < 1) throw new RangeError(`pruneVersions: keep must be an integer >= 1, got ${options.keep}`);
  const state = await readWarehouseState(adapter, project.schemas);
  const existing = state.versions.filter((v) => state.tables.has(tableKey(project.schemas.views, versionViewName(v.model, v.version))));
  const kept = new Set<VersionRecord>();
  const byModel = new Map<string, VersionRecord[]>();
  for (const v of existing) byModel.set(v.model, [...(byModel.get(v.model) ?? []), v]);
  for (const [model, versions] of byModel) {
    const newest = [...versions].sort((a, b) => b.version - a.version).slice(0, options.keep);
    for (const v of versions) if (newest.includes(v) || state.aliases.get(model) === v.version) kept.add(v);
  }
  // Keep whatever a kept version reads, transitively.
  const queue = [...kept];
  for (let v = queue.pop(); v !== undefined; v = queue.pop()) {
    for (const other of existing) {
      if (kept.has(other) || other.model === v.model) continue;
      if (referencedVersions(v.sql, other.model).includes(other.version)) {
        kept.add(other);
        queue.push(other);
      }
    }
  }
  const dropped: PrunedVersion[] = existing
    .filter((v) => !kept.has(v))
    .map((v) => ({ model: v.model, version: v.version, view: { schema: project.schemas.views, name: versionViewName(v.model, v.version) } }));
  if (options.dryRun || dropped.length === 0) return dropped;
  const run = async (db: Adapter) => {
    for (const { view } of dropped) for (const sql of dropViewSql(db.dialect, view.schema, view.name, { ifExists: true })) await db.execute(sql);
  };
  if (adapter.dialect.transactionalDdl) await runTransaction(adapter, run);
  else await run(adapter);
  return dropped;
}

function toInfo(project: Project, state: WarehouseState, v: VersionRecord): VersionInfo {
  const view = { schema: project.schemas.views, name: versionViewName(v.model, v.version) };
  return {
    model: v.model,
    version: v.version,
    fingerprint: v.fingerprint,
    appliedAt: v.appliedAt,
    appliedBy: v.appliedBy,
    view,
    exists: state.tables.has(tableKey(view.schema, view.name)),
    latest: state.aliases.get(v.model) === v.version,
  };
}
