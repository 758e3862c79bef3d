import { basename } from 'node:path';
import { didYouMean, formatLocation } from '../diagnostics/message-text.js';
import type { Reporter } from '../diagnostics/reporter.js';
import type { DbtNodeRef, Source, SourceTable } from '../ir/types.js';
import type { SourceEntry } from '../schema/project-file.js';
import { physicalNameProblem } from '../schema/names.js';
import { isBroken, type LoadScope } from '../resolve/scope.js';
import { checkName } from './check-name.js';
import { findNode, readManifest, type ManifestCache } from './read-dbt-manifest.js';
import { keyLoc, pathLoc, type YamlDoc } from './yaml-file.js';

/**
 * A source whose tables are dbt models, seeds or snapshots (`dbt: { manifest }`): each table's
 * relation (database, schema, alias) is read from the manifest of every target, so inputs,
 * values and models use it like any source. `schema`, `database` and `identifier` come from the
 * manifest and may not be written; a table names its node by its own name or `ref:`.
 */
export function readDbtSource(yd: YamlDoc, sourceName: string, entry: SourceEntry, scope: LoadScope, report: Reporter, cache: ManifestCache): Source {
  const base = ['sources', sourceName];
  checkName(report, yd, base, sourceName, 'source');
  for (const key of ['schema', 'database'] as const) if (entry[key] !== undefined) report.error('dbt-source', { problem: 'key', key }, keyLoc(yd, [...base, key]));
  const targetNames = Object.keys(scope.targets);
  const given = entry.dbt!.manifest;
  const manifestPath = (t: string) => (typeof given === 'string' ? given : given[t]);
  const manifestLoc = (t: string) => (typeof given === 'string' ? pathLoc(yd, [...base, 'dbt', 'manifest']) : pathLoc(yd, [...base, 'dbt', 'manifest', t]));
  if (typeof given !== 'string') {
    for (const t of Object.keys(given)) {
      if (!scope.targets[t] && !isBroken(scope.broken.targets, t)) {
        report.error('unknown-target', { target: t, in: `sources.${sourceName}.dbt.manifest`, declared: targetNames }, keyLoc(yd, [...base, 'dbt', 'manifest', t]), didYouMean(t, targetNames));
      }
    }
  }
  // each manifest is read once and its problem reported once, at the first place naming it
  const manifests = new Map<string, ReturnType<typeof readManifest>>();
  const reported = new Set<string>();
  let usable = true;
  for (const t of targetNames) {
    const file = manifestPath(t);
    if (file === undefined) {
      report.error('dbt-manifest', { problem: 'no-target', source: sourceName, target: t }, keyLoc(yd, [...base, 'dbt', 'manifest']));
      usable = false;
      continue;
    }
    const read = readManifest(scope.dir, file, cache);
    manifests.set(t, read);
    if (!read.ok) {
      usable = false;
      if (!reported.has(file)) report.error('dbt-manifest', read.problem, manifestLoc(t));
      reported.add(file);
    }
  }
  if (!usable) scope.broken.sources.add(sourceName);

  const tableEntries: [string, { description?: string | undefined; identifier?: string | undefined; ref?: string | undefined; version?: string | number | undefined } | null][] = Array.isArray(entry.tables)
    ? entry.tables.map((t) => [t, null])
    : Object.entries(entry.tables);
  const tables: Record<string, SourceTable> = {};
  tableEntries.forEach(([table, spec], i) => {
    const tablePath = Array.isArray(entry.tables) ? [...base, 'tables', i] : [...base, 'tables', table];
    checkName(report, yd, tablePath, table, 'table', Array.isArray(entry.tables) ? 'value' : 'key');
    const first = tableEntries.findIndex(([t]) => t === table);
    if (first !== i) {
      report.error('duplicate-name', { what: 'table', name: table, source: sourceName, first: formatLocation(pathLoc(yd, [...base, 'tables', first])) }, pathLoc(yd, tablePath));
      return;
    }
    if (spec?.identifier !== undefined) report.error('dbt-source', { problem: 'key', key: 'identifier' }, keyLoc(yd, [...tablePath, 'identifier']));
    const ref = spec?.ref ?? table;
    const version = spec?.version === undefined ? undefined : String(spec.version);
    const refLoc = spec?.ref !== undefined ? pathLoc(yd, [...tablePath, 'ref']) : pathLoc(yd, tablePath, Array.isArray(entry.tables) ? 'value' : 'key');
    const database: Record<string, string> = {};
    const schema: Record<string, string> = {};
    const aliases = new Map<string, string>();
    let node: DbtNodeRef | undefined;
    let failed = false;
    for (const t of targetNames) {
      if (failed) break;
      const read = manifests.get(t);
      if (!read?.ok) continue;
      const found = findNode(read.manifest, ref, version);
      if (!found.ok) {
        report.error('dbt-node', { ...found.problem, manifest: manifestPath(t)! }, refLoc);
        failed = true;
        continue;
      }
      const n = found.node;
      const alias = n.alias ?? n.name;
      for (const name of [n.schema, alias, ...(n.database ? [n.database] : [])]) {
        const problem = physicalNameProblem(name);
        if (problem) {
          report.error('invalid-name', { what: `relation name from the dbt manifest`, name, problem, physical: true }, refLoc);
          failed = true;
        }
      }
      if (failed) continue;
      if (n.database && !isOwnDuckdbCatalog(scope, t, n.database)) database[t] = n.database;
      schema[t] = n.schema;
      aliases.set(t, alias);
      node ??= { uniqueId: n.unique_id, resourceType: n.resource_type, package: n.package_name, name: n.name, ...(n.version !== null && n.version !== undefined ? { version: String(n.version) } : {}) };
    }
    const distinct = [...new Set(aliases.values())];
    if (distinct.length > 1) {
      report.error('dbt-node', { problem: 'alias-differs', ref, aliases: distinct }, refLoc);
      failed = true;
    }
    // a table that did not resolve stays declared (no follow-on "unknown table" errors); the load fails anyway
    if (failed) scope.broken.sources.add(sourceName);
    tables[table] = {
      source: sourceName,
      table,
      ...(spec?.description ? { description: spec.description } : {}),
      database,
      schema,
      identifier: distinct[0] ?? table,
      ...(node ? { dbt: node } : {}),
    };
  });
  const dbtManifests: Record<string, string> = {};
  for (const t of targetNames) {
    const file = manifestPath(t);
    if (file !== undefined) dbtManifests[t] = file;
  }
  return { name: sourceName, ...(entry.description ? { description: entry.description } : {}), tables, dbtManifests, loc: keyLoc(yd, base) };
}

/**
 * Whether `database` is the catalog of target `t`'s own DuckDB file (dbt-duckdb writing into the
 * same file): then the relation is left unqualified by it, so views over it also work in a copy of
 * the file (the BI snapshot). DuckDB names a file's catalog by its base name up to the first dot
 * (`target/dbt.duckdb` → `dbt`).
 */
function isOwnDuckdbCatalog(scope: LoadScope, t: string, database: string): boolean {
  const target = scope.targets[t];
  if (target?.type !== 'duckdb') return false;
  const catalog = target.path === ':memory:' ? 'memory' : basename(target.path).split('.')[0];
  return catalog === database;
}
