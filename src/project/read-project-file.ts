import { existsSync } from 'node:fs';
import { basename, extname, isAbsolute, join, normalize } from 'node:path';
import { didYouMean, formatLocation } from '../diagnostics/message-text.js';
import type { Reporter } from '../diagnostics/reporter.js';
import { parseColumnType } from '../schema/column-type.js';
import { parseSourceTableRef } from '../schema/common.js';
import { projectFileSchema, type ProjectFile, type SeedEntry, type SourceEntry, type TargetEntry } from '../schema/project-file.js';
import { salvageObject } from '../schema/salvage.js';
import { checkName, checkPhysicalName } from './check-name.js';
import { isBroken, sourceTableExists, type LoadScope } from '../resolve/scope.js';
import { readPostgresEndpoint } from './read-postgres-endpoint.js';
import { readAuth } from './read-auth.js';
import { readDbtSource } from './read-dbt-source.js';
import type { ManifestCache } from './read-dbt-manifest.js';
import { checkRole } from './read-workflow.js';
import type { ColumnType, Project, ScenarioPermissions, Seed, Source, SourceTable, TargetConfig } from '../ir/types.js';
import { keyLoc, pathLoc, type YamlDoc } from './yaml-file.js';
import { reportZodIssues } from './zod-issues.js';

/** The project-wide part of the IR, read from `project.yml`. */
export type ProjectConfig = Pick<Project, 'name' | 'defaultTarget' | 'targets' | 'schemas' | 'sources' | 'seeds' | 'vars' | 'roles' | 'scenarioPermissions' | 'confirmThreshold' | 'idempotencyRetentionDays'>;

/** The target used when `project.yml` declares none. */
export const DEFAULT_TARGET: TargetConfig = { name: 'dev', type: 'duckdb', path: 'target/warehouse.duckdb' };

/**
 * Validates and converts `project.yml`, filling `scope` (targets, sources, roles, vars) for the
 * checks of the other files. Every problem goes to `report`; valid parts are always kept.
 */
export function readProjectFile(yd: YamlDoc, scope: LoadScope, report: Reporter): ProjectConfig {
  const raw: unknown = yd.doc.toJS();
  const parsed = projectFileSchema.safeParse(raw);
  let file: Partial<ProjectFile>;
  if (parsed.success) file = parsed.data;
  else {
    reportZodIssues(parsed.error.issues, yd, raw, projectFileSchema, report);
    const salvaged = salvageObject(projectFileSchema, raw);
    file = salvaged.value;
    for (const [field, keys] of salvaged.broken) {
      const set = ({ sources: scope.broken.sources, roles: scope.broken.roles, vars: scope.broken.vars, targets: scope.broken.targets } as Record<string, Set<string>>)[field];
      if (set) for (const k of keys) set.add(k);
    }
  }

  const name = file.name ?? 'project';
  if (file.name !== undefined) checkName(report, yd, ['name'], file.name, 'project', 'value');

  scope.targets = readTargets(yd, file.targets, report);
  const defaultTarget = readDefaultTarget(yd, file.default_target, scope, report);

  const schemas = { inputs: file.schemas?.inputs ?? 'writeback', views: file.schemas?.views ?? 'analytics' };
  if (file.schemas?.inputs !== undefined) checkPhysicalName(report, yd, ['schemas', 'inputs'], schemas.inputs, 'schema name');
  if (file.schemas?.views !== undefined) checkPhysicalName(report, yd, ['schemas', 'views'], schemas.views, 'schema name');

  const manifests: ManifestCache = new Map();
  for (const [sourceName, entry] of Object.entries(file.sources ?? {})) {
    const source = entry.dbt ? readDbtSource(yd, sourceName, entry, scope, report, manifests) : readSource(yd, sourceName, entry, scope, report);
    scope.sources[sourceName] = source;
  }

  for (const [roleName, entry] of Object.entries(file.roles ?? {})) {
    checkName(report, yd, ['roles', roleName], roleName, 'role');
    const attributes = entry?.attributes ?? [];
    attributes.forEach((a, i) => checkName(report, yd, ['roles', roleName, 'attributes', i], a, 'user attribute', 'value'));
    scope.roles[roleName] = { name: roleName, ...(entry?.description ? { description: entry.description } : {}), attributes };
  }

  for (const [targetName, entry] of Object.entries(file.targets ?? {})) {
    const target = scope.targets[targetName];
    const auth = entry.auth && target ? readAuth(yd, targetName, entry.auth, scope, report) : undefined;
    if (target && auth) target.auth = auth;
    const endpoint = entry.postgres_endpoint !== undefined && target ? readPostgresEndpoint(yd, target, entry.postgres_endpoint, report) : undefined;
    if (target && endpoint) target.postgresEndpoint = endpoint;
  }

  const scenarioPermissions = readScenarioPermissions(yd, file.scenarios, scope, report);

  for (const [varName, value] of Object.entries(file.vars ?? {})) {
    checkName(report, yd, ['vars', varName], varName, 'var');
    scope.vars[varName] = value;
  }

  const seeds: Seed[] = [];
  (file.seeds ?? []).forEach((entry, i) => {
    const seed = readSeed(yd, i, entry, scope, report);
    if (seed) seeds.push(seed);
  });

  return {
    name, defaultTarget, targets: scope.targets, schemas, sources: scope.sources, seeds, vars: scope.vars, roles: scope.roles,
    ...(scenarioPermissions ? { scenarioPermissions } : {}),
    ...(file.confirm_threshold !== undefined ? { confirmThreshold: file.confirm_threshold } : {}),
    ...(file.idempotency_retention_days !== undefined ? { idempotencyRetentionDays: file.idempotency_retention_days } : {}),
  };
}

/** `scenarios: { create: [...], archive: [...] }`: every role must be declared under `roles:`. */
function readScenarioPermissions(yd: YamlDoc, entry: ProjectFile['scenarios'], scope: LoadScope, report: Reporter): ScenarioPermissions | undefined {
  if (!entry) return undefined;
  const out: ScenarioPermissions = {};
  for (const action of ['create', 'archive'] as const) {
    const roles = entry[action];
    if (!roles) continue;
    roles.forEach((role, i) => checkRole(yd, ['scenarios', action, i], role, scope, report));
    out[action] = [...new Set(roles)];
  }
  return out;
}

function readTargets(yd: YamlDoc, targets: Record<string, TargetEntry> | undefined, report: Reporter): Record<string, TargetConfig> {
  const out: Record<string, TargetConfig> = {};
  if (!targets) return { [DEFAULT_TARGET.name]: DEFAULT_TARGET };
  for (const [name, t] of Object.entries(targets)) {
    checkName(report, yd, ['targets', name], name, 'target');
    if (t.type === 'duckdb') {
      const path = t.path ?? `target/${name}.duckdb`;
      out[name] = { name, type: 'duckdb', path };
    } else {
      const settings: Record<string, string> = {};
      for (const [k, v] of Object.entries(t)) if (k !== 'type' && k !== 'auth' && k !== 'postgres_endpoint' && v !== undefined) settings[k] = String(v);
      out[name] = { name, type: t.type, settings };
    }
  }
  return out;
}

function readDefaultTarget(yd: YamlDoc, given: string | undefined, scope: LoadScope, report: Reporter): string {
  const names = Object.keys(scope.targets);
  if (given !== undefined) {
    if (!scope.targets[given] && !isBroken(scope.broken.targets, given)) {
      report.error('unknown-target', { target: given, in: 'default_target', declared: names }, pathLoc(yd, ['default_target']), didYouMean(given, names));
    }
    return given;
  }
  if (names.length > 1) {
    report.error('missing-default-target', { targets: names }, keyLoc(yd, ['targets']));
  }
  return names[0] ?? DEFAULT_TARGET.name;
}

function readSource(yd: YamlDoc, sourceName: string, entry: SourceEntry, scope: LoadScope, report: Reporter): Source {
  const base = ['sources', sourceName];
  checkName(report, yd, base, sourceName, 'source');
  const targetNames = Object.keys(scope.targets);
  const perTarget = (field: 'schema' | 'database', fallback: string | undefined): Record<string, string> => {
    const given = entry[field];
    const out: Record<string, string> = {};
    if (typeof given === 'string') {
      checkPhysicalName(report, yd, [...base, field], given, field === 'schema' ? 'schema name' : 'database name');
      for (const t of targetNames) out[t] = given;
      return out;
    }
    for (const t of targetNames) if (fallback !== undefined) out[t] = fallback;
    for (const [t, v] of Object.entries(given ?? {})) {
      if (!scope.targets[t] && !isBroken(scope.broken.targets, t)) {
        report.error('unknown-target', { target: t, in: `sources.${sourceName}.${field}`, declared: targetNames }, keyLoc(yd, [...base, field, t]), didYouMean(t, targetNames));
        continue;
      }
      checkPhysicalName(report, yd, [...base, field, t], v, field === 'schema' ? 'schema name' : 'database name');
      out[t] = v;
    }
    return out;
  };
  const schema = perTarget('schema', sourceName);
  const database = perTarget('database', undefined);
  const tables: Record<string, SourceTable> = {};
  const make = (table: string, description?: string, identifier?: string): SourceTable => ({
    source: sourceName,
    table,
    ...(description ? { description } : {}),
    database,
    schema,
    identifier: identifier ?? table,
  });
  if (Array.isArray(entry.tables)) {
    const seen = new Map<string, number>();
    entry.tables.forEach((t, i) => {
      checkName(report, yd, [...base, 'tables', i], t, 'table', 'value');
      const first = seen.get(t);
      if (first !== undefined) {
        report.error('duplicate-name', { what: 'table', name: t, source: sourceName, first: formatLocation(pathLoc(yd, [...base, 'tables', first])) }, pathLoc(yd, [...base, 'tables', i]));
        return;
      }
      seen.set(t, i);
      tables[t] = make(t);
    });
  } else {
    for (const [t, spec] of Object.entries(entry.tables)) {
      checkName(report, yd, [...base, 'tables', t], t, 'table');
      for (const key of ['ref', 'version'] as const) if (spec?.[key] !== undefined) report.error('dbt-source', { problem: 'needs-dbt', key }, keyLoc(yd, [...base, 'tables', t, key]));
      if (spec?.identifier !== undefined) checkPhysicalName(report, yd, [...base, 'tables', t, 'identifier'], spec.identifier, 'table identifier');
      tables[t] = make(t, spec?.description, spec?.identifier);
    }
  }
  return { name: sourceName, ...(entry.description ? { description: entry.description } : {}), tables, loc: keyLoc(yd, base) };
}

function readSeed(yd: YamlDoc, i: number, entry: SeedEntry, scope: LoadScope, report: Reporter): Seed | undefined {
  const path = ['seeds', i];
  const file = typeof entry === 'string' ? entry : entry.file;
  const filePath = typeof entry === 'string' ? path : [...path, 'file'];
  const loc = pathLoc(yd, path);
  const norm = normalize(file);
  if (isAbsolute(file) || norm.startsWith('..')) {
    report.error('invalid-path', { file }, pathLoc(yd, filePath));
    return undefined;
  }
  let ok = true;
  if (!existsSync(join(scope.dir, norm))) {
    report.error('missing-file', { file }, pathLoc(yd, filePath));
    ok = false;
  }
  let into: { source: string; table: string } | undefined;
  if (typeof entry !== 'string' && entry.into !== undefined) {
    into = parseSourceTableRef(entry.into);
    if (!into) {
      report.error('invalid-value', { reason: 'table-ref', key: 'into', found: entry.into }, pathLoc(yd, [...path, 'into']));
      return undefined;
    }
    if (!sourceTableExists(scope, into.source, into.table)) {
      reportUnknownSourceTable(yd, [...path, 'into'], into, scope, report, 'seed target');
      ok = false;
    } else if (scope.sources[into.source]?.dbtManifests) {
      report.error('dbt-source', { problem: 'seed', ...into }, pathLoc(yd, [...path, 'into']));
      ok = false;
    }
  } else {
    const table = basename(file, extname(file));
    const matches = Object.values(scope.sources).flatMap((s) => (s.tables[table] && !s.dbtManifests ? [{ source: s.name, table }] : []));
    if (matches.length === 1) into = matches[0];
    else if (isBroken(scope.broken.sources, '*')) return undefined;
    else {
      if (matches.length === 0) report.error('unknown-source', { missing: 'seed-table', seed: file, table }, pathLoc(yd, filePath));
      else report.error('ambiguous-seed', { seed: file, matches: matches.map((m) => `${m.source}.${m.table}`) }, pathLoc(yd, filePath));
      return undefined;
    }
  }
  const columnTypes: Record<string, ColumnType> = {};
  if (typeof entry !== 'string') {
    for (const [col, typeText] of Object.entries(entry.column_types ?? {})) {
      checkName(report, yd, [...path, 'column_types', col], col, 'column');
      const t = parseColumnType(typeText);
      if (t.ok) columnTypes[col] = t.type;
      else report.error('unknown-type', t.problem, pathLoc(yd, [...path, 'column_types', col]));
    }
  }
  if (!ok || !into) return undefined;
  return { file: norm, into, columnTypes, loc };
}

/** Reports `unknown-source` for a reference to an undeclared source or table, with a hint. */
export function reportUnknownSourceTable(
  yd: YamlDoc,
  path: readonly PropertyKey[],
  ref: { source: string; table: string },
  scope: LoadScope,
  report: Reporter,
  what: string,
): void {
  const source = scope.sources[ref.source];
  if (!source) {
    const names = Object.keys(scope.sources);
    report.error('unknown-source', { missing: 'source', what, ...ref, sources: names }, pathLoc(yd, path), didYouMean(ref.source, names));
    return;
  }
  const tables = Object.keys(source.tables);
  report.error('unknown-source', { missing: 'table', what, ...ref, tables }, pathLoc(yd, path), didYouMean(ref.table, tables));
}

