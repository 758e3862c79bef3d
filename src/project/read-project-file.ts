import { existsSync } from 'node:fs';
import { basename, extname, isAbsolute, join, normalize } from 'node:path';
import { error } from '../diagnostics/diagnostic.js';
import { didYouMean, listNames } from '../diagnostics/did-you-mean.js';
import { parseColumnType } from '../schema/column-type.js';
import { parseSourceTableRef } from '../schema/common.js';
import { projectFileSchema, type ProjectFile, type SeedEntry, type SourceEntry, type TargetEntry } from '../schema/project-file.js';
import { salvageObject } from '../schema/salvage.js';
import { zodIssuesToDiagnostics } from './zod-issues.js';
import { checkName, checkPhysicalName } from './check-name.js';
import type { DiagnosticSink } from '../diagnostics/reporter.js';
import { isBroken, sourceTableExists, type LoadScope } from '../resolve/scope.js';
import { checkRole } from './read-workflow.js';
import type { ColumnType, Project, ScenarioPermissions, Seed, Source, SourceTable, TargetConfig } from '../ir/types.js';
import { keyLoc, pathLoc, type YamlDoc } from './yaml-file.js';

/** The project-wide part of the IR, read from `project.yml`. */
export type ProjectConfig = Pick<Project, 'name' | 'defaultTarget' | 'targets' | 'schemas' | 'sources' | 'seeds' | 'vars' | 'roles' | 'scenarioPermissions' | 'confirmThreshold'>;

/** The target used when `project.yml` declares none. */
export const DEFAULT_TARGET: TargetConfig = { name: 'dev', type: 'duckdb', path: 'target/warehouse.duckdb' };

/**
 * Validates and converts `project.yml`, filling `scope` (targets, sources, roles, vars) for the
 * checks of the other files. Every problem goes to `sink`; valid parts are always kept.
 */
export function readProjectFile(yd: YamlDoc, scope: LoadScope, sink: DiagnosticSink): ProjectConfig {
  const raw: unknown = yd.doc.toJS();
  const parsed = projectFileSchema.safeParse(raw);
  let file: Partial<ProjectFile>;
  if (parsed.success) file = parsed.data;
  else {
    sink.add(...zodIssuesToDiagnostics(parsed.error.issues, yd, raw, projectFileSchema));
    const salvaged = salvageObject(projectFileSchema, raw);
    file = salvaged.value;
    for (const [field, keys] of salvaged.broken) {
      const set = ({ sources: scope.broken.sources, roles: scope.broken.roles, vars: scope.broken.vars, targets: scope.broken.targets } as Record<string, Set<string>>)[field];
      if (set) for (const k of keys) set.add(k);
    }
  }

  const name = file.name ?? 'project';
  if (file.name !== undefined) checkName(sink, yd, ['name'], file.name, 'project', 'value');

  scope.targets = readTargets(yd, file.targets, sink);
  const defaultTarget = readDefaultTarget(yd, file.default_target, scope, sink);

  const schemas = { inputs: file.schemas?.inputs ?? 'writeback', views: file.schemas?.views ?? 'analytics' };
  if (file.schemas?.inputs !== undefined) checkPhysicalName(sink, yd, ['schemas', 'inputs'], schemas.inputs, 'schema name');
  if (file.schemas?.views !== undefined) checkPhysicalName(sink, yd, ['schemas', 'views'], schemas.views, 'schema name');

  for (const [sourceName, entry] of Object.entries(file.sources ?? {})) {
    const source = readSource(yd, sourceName, entry, scope, sink);
    scope.sources[sourceName] = source;
  }

  for (const [roleName, entry] of Object.entries(file.roles ?? {})) {
    checkName(sink, yd, ['roles', roleName], roleName, 'role');
    const attributes = entry?.attributes ?? [];
    attributes.forEach((a, i) => checkName(sink, yd, ['roles', roleName, 'attributes', i], a, 'user attribute', 'value'));
    scope.roles[roleName] = { name: roleName, ...(entry?.description ? { description: entry.description } : {}), attributes };
  }

  const scenarioPermissions = readScenarioPermissions(yd, file.scenarios, scope, sink);

  for (const [varName, value] of Object.entries(file.vars ?? {})) {
    checkName(sink, yd, ['vars', varName], varName, 'var');
    scope.vars[varName] = value;
  }

  const seeds: Seed[] = [];
  (file.seeds ?? []).forEach((entry, i) => {
    const seed = readSeed(yd, i, entry, scope, sink);
    if (seed) seeds.push(seed);
  });

  return {
    name, defaultTarget, targets: scope.targets, schemas, sources: scope.sources, seeds, vars: scope.vars, roles: scope.roles,
    ...(scenarioPermissions ? { scenarioPermissions } : {}),
    ...(file.confirm_threshold !== undefined ? { confirmThreshold: file.confirm_threshold } : {}),
  };
}

/** `scenarios: { create: [...], archive: [...] }`: every role must be declared under `roles:`. */
function readScenarioPermissions(yd: YamlDoc, entry: ProjectFile['scenarios'], scope: LoadScope, sink: DiagnosticSink): ScenarioPermissions | undefined {
  if (!entry) return undefined;
  const out: ScenarioPermissions = {};
  for (const action of ['create', 'archive'] as const) {
    const roles = entry[action];
    if (!roles) continue;
    roles.forEach((role, i) => checkRole(yd, ['scenarios', action, i], role, scope, sink));
    out[action] = [...new Set(roles)];
  }
  return out;
}

function readTargets(yd: YamlDoc, targets: Record<string, TargetEntry> | undefined, sink: DiagnosticSink): Record<string, TargetConfig> {
  const out: Record<string, TargetConfig> = {};
  if (!targets) return { [DEFAULT_TARGET.name]: DEFAULT_TARGET };
  for (const [name, t] of Object.entries(targets)) {
    checkName(sink, yd, ['targets', name], name, 'target');
    if (t.type === 'duckdb') {
      const path = t.path ?? `target/${name}.duckdb`;
      out[name] = { name, type: 'duckdb', path };
    } else {
      const settings: Record<string, string> = {};
      for (const [k, v] of Object.entries(t)) if (k !== 'type' && v !== undefined) settings[k] = String(v);
      out[name] = { name, type: t.type, settings };
    }
  }
  return out;
}

function readDefaultTarget(yd: YamlDoc, given: string | undefined, scope: LoadScope, sink: DiagnosticSink): string {
  const names = Object.keys(scope.targets);
  if (given !== undefined) {
    if (!scope.targets[given] && !isBroken(scope.broken.targets, given)) {
      sink.add(error('unknown-target', `default_target \`${given}\` is not a declared target; targets: ${listNames(names)}`, pathLoc(yd, ['default_target']), didYouMean(given, names)));
    }
    return given;
  }
  if (names.length > 1) {
    sink.add(error('missing-default-target', `default_target is required when several targets are declared (${listNames(names)})`, keyLoc(yd, ['targets'])));
  }
  return names[0] ?? DEFAULT_TARGET.name;
}

function readSource(yd: YamlDoc, sourceName: string, entry: SourceEntry, scope: LoadScope, sink: DiagnosticSink): Source {
  const base = ['sources', sourceName];
  checkName(sink, yd, base, sourceName, 'source');
  const targetNames = Object.keys(scope.targets);
  const perTarget = (field: 'schema' | 'database', fallback: string | undefined): Record<string, string> => {
    const given = entry[field];
    const out: Record<string, string> = {};
    if (typeof given === 'string') {
      checkPhysicalName(sink, yd, [...base, field], given, field === 'schema' ? 'schema name' : 'database name');
      for (const t of targetNames) out[t] = given;
      return out;
    }
    for (const t of targetNames) if (fallback !== undefined) out[t] = fallback;
    for (const [t, v] of Object.entries(given ?? {})) {
      if (!scope.targets[t] && !isBroken(scope.broken.targets, t)) {
        sink.add(error('unknown-target', `\`${t}\` in \`sources.${sourceName}.${field}\` is not a declared target; targets: ${listNames(targetNames)}`, keyLoc(yd, [...base, field, t]), didYouMean(t, targetNames)));
        continue;
      }
      checkPhysicalName(sink, yd, [...base, field, t], v, field === 'schema' ? 'schema name' : 'database name');
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
      checkName(sink, yd, [...base, 'tables', i], t, 'table', 'value');
      const first = seen.get(t);
      if (first !== undefined) {
        const f = pathLoc(yd, [...base, 'tables', first]);
        sink.add(error('duplicate-name', `table \`${t}\` is listed twice in source \`${sourceName}\` (first at ${f.file}:${f.line}:${f.col})`, pathLoc(yd, [...base, 'tables', i])));
        return;
      }
      seen.set(t, i);
      tables[t] = make(t);
    });
  } else {
    for (const [t, spec] of Object.entries(entry.tables)) {
      checkName(sink, yd, [...base, 'tables', t], t, 'table');
      if (spec?.identifier !== undefined) checkPhysicalName(sink, yd, [...base, 'tables', t, 'identifier'], spec.identifier, 'table identifier');
      tables[t] = make(t, spec?.description, spec?.identifier);
    }
  }
  return { name: sourceName, ...(entry.description ? { description: entry.description } : {}), tables, loc: keyLoc(yd, base) };
}

function readSeed(yd: YamlDoc, i: number, entry: SeedEntry, scope: LoadScope, sink: DiagnosticSink): Seed | undefined {
  const path = ['seeds', i];
  const file = typeof entry === 'string' ? entry : entry.file;
  const filePath = typeof entry === 'string' ? path : [...path, 'file'];
  const loc = pathLoc(yd, path);
  const norm = normalize(file);
  if (isAbsolute(file) || norm.startsWith('..')) {
    sink.add(error('invalid-path', `seed file \`${file}\` must be a relative path inside the project directory`, pathLoc(yd, filePath)));
    return undefined;
  }
  let ok = true;
  if (!existsSync(join(scope.dir, norm))) {
    sink.add(error('missing-file', `seed file \`${file}\` does not exist`, pathLoc(yd, filePath)));
    ok = false;
  }
  let into: { source: string; table: string } | undefined;
  if (typeof entry !== 'string' && entry.into !== undefined) {
    into = parseSourceTableRef(entry.into);
    if (!into) {
      sink.add(error('invalid-value', `\`into\` must be \`<source>.<table>\`, found \`${entry.into}\``, pathLoc(yd, [...path, 'into'])));
      return undefined;
    }
    if (!sourceTableExists(scope, into.source, into.table)) {
      reportUnknownSourceTable(yd, [...path, 'into'], into, scope, sink, 'seed target');
      ok = false;
    }
  } else {
    const table = basename(file, extname(file));
    const matches = Object.values(scope.sources).flatMap((s) => (s.tables[table] ? [{ source: s.name, table }] : []));
    if (matches.length === 1) into = matches[0];
    else if (isBroken(scope.broken.sources, '*')) return undefined;
    else {
      const msg =
        matches.length === 0
          ? `no source declares a table \`${table}\` for seed \`${file}\`; declare it under \`sources:\` or write \`into: <source>.<table>\``
          : `seed \`${file}\` matches several source tables (${matches.map((m) => `${m.source}.${m.table}`).join(', ')}); write \`into: <source>.<table>\``;
      sink.add(error(matches.length === 0 ? 'unknown-source' : 'ambiguous-seed', msg, pathLoc(yd, filePath)));
      return undefined;
    }
  }
  const columnTypes: Record<string, ColumnType> = {};
  if (typeof entry !== 'string') {
    for (const [col, typeText] of Object.entries(entry.column_types ?? {})) {
      checkName(sink, yd, [...path, 'column_types', col], col, 'column');
      const t = parseColumnType(typeText);
      if (t.ok) columnTypes[col] = t.type;
      else sink.add(error('unknown-type', t.message, pathLoc(yd, [...path, 'column_types', col])));
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
  sink: DiagnosticSink,
  what: string,
): void {
  const source = scope.sources[ref.source];
  if (!source) {
    const names = Object.keys(scope.sources);
    sink.add(error('unknown-source', `${what} \`${ref.source}.${ref.table}\`: source \`${ref.source}\` is not declared in project.yml; sources: ${listNames(names)}`, pathLoc(yd, path), didYouMean(ref.source, names)));
    return;
  }
  const tables = Object.keys(source.tables);
  sink.add(error('unknown-source', `${what} \`${ref.source}.${ref.table}\`: source \`${ref.source}\` has no table \`${ref.table}\`; tables: ${listNames(tables)}`, pathLoc(yd, path), didYouMean(ref.table, tables)));
}

