import type { Dialect } from '../dialects/dialect.js';
import type { Reporter } from '../diagnostics/reporter.js';
import type { Model, Project } from '../ir/types.js';
import { renderModelMapped, type SourceColumnsLookup } from '../emit/model-sql.js';
import { fingerprintModel } from '../emit/fingerprint.js';
import { seedSourceColumns } from '../seeds/seed-columns.js';
import { versionViewName } from '../managed/names.js';
import { type Operation, type QualifiedName } from './operation.js';
import { tableKey, type WarehouseState } from './warehouse-state.js';

/**
 * Version every model, upstream first: a model whose fingerprint (its definition and its
 * upstream's, see emit/fingerprint.ts) is already registered keeps that version; otherwise
 * it gets max(version)+1. Its SQL pins each `ref()` to the upstream's resolved `__vN`. The alias `<model>` is re-pointed only when its target changes.
 */
export function planModels(
  project: Project,
  state: WarehouseState,
  dialect: Dialect,
  targetName: string,
  report: Reporter,
): Operation[] {
  const views = project.schemas.views;
  const ops: Operation[] = [];
  const resolved = new Map<string, number>();
  const fingerprints = new Map<string, string>();
  const resolveRef = (name: string): QualifiedName => {
    const version = resolved.get(name);
    // Models arrive in dependency order, so an upstream is always resolved first.
    if (version === undefined) throw new Error(`planModels: ref('${name}') before its model was versioned`);
    return { schema: views, name: versionViewName(name, version) };
  };
  const sourceColumns = sourceColumnsLookup(project, state, targetName);
  const versionsOf = new Map<string, WarehouseState['versions']>();
  for (const v of state.versions) {
    const list = versionsOf.get(v.model);
    if (list) list.push(v);
    else versionsOf.set(v.model, [v]);
  }
  for (const model of project.models) {
    const fp = fingerprintModel(project, model, dialect, targetName, fingerprints, { sourceColumns });
    if (!fp.ok) {
      report.add(...fp.diagnostics);
      continue;
    }
    const fingerprint = fp.value;
    fingerprints.set(model.name, fingerprint);
    const records = versionsOf.get(model.name) ?? [];
    const known = records.find((v) => v.fingerprint === fingerprint);
    const version = known?.version ?? Math.max(0, ...records.map((v) => v.version)) + 1;
    resolved.set(model.name, version);
    const view = { schema: views, name: versionViewName(model.name, version) };
    if (nameTakenByTable(state, views, model)) {
      report.error('model-name-taken', { model: model.name, views }, model.loc);
      continue;
    }
    const createView = !known || !state.tables.has(tableKey(views, view.name));
    // The pinned SQL is only needed when the version view is (re-)created; the fingerprint's
    // render already reported the model's problems and warnings (refs aside, it is the same render).
    if (!createView) report.add(...fp.warnings);
    else {
      const rendered = renderModelMapped(project, model, dialect, targetName, resolveRef, { sourceColumns });
      if (!rendered.ok) {
        report.add(...rendered.diagnostics);
        continue;
      }
      report.add(...rendered.warnings);
      ops.push({
        kind: 'create-model-version',
        description: known
          ? `re-create view ${views}.${view.name} (registered version ${version}, its view was dropped)`
          : `create view ${views}.${view.name} (model ${model.name}, version ${version})`,
        destructive: false,
        model: model.name,
        version,
        view,
        sql: rendered.value.sql,
        source: rendered.value.map,
        fingerprint,
        record: !known,
      });
    }
    const previous = state.aliases.get(model.name);
    if (previous !== version || !state.tables.has(tableKey(views, model.name))) {
      ops.push({
        kind: 'point-model-alias',
        description:
          previous === undefined
            ? `create view ${views}.${model.name} -> ${view.name}`
            : `point view ${views}.${model.name} at ${view.name} (was ${versionViewName(model.name, previous)})`,
        destructive: false,
        model: model.name,
        version,
        alias: { schema: views, name: model.name },
        target: view,
        ...(previous !== undefined ? { previousVersion: previous } : {}),
      });
    }
  }
  return ops;
}

/** True when a table (not a view) already uses a model's alias name in the views schema. */
function nameTakenByTable(state: WarehouseState, views: string, model: Model): boolean {
  const alias = state.tables.get(tableKey(views, model.name));
  return alias !== undefined && alias.kind !== 'view';
}

/**
 * Columns of source tables (for dialects without `select * exclude/replace`): as the warehouse
 * describes them, else from a seed's CSV header (a seed loaded by this same apply).
 */
export function sourceColumnsLookup(project: Project, state: WarehouseState, targetName: string): SourceColumnsLookup {
  const fromSeeds = seedSourceColumns(project);
  return (source, table) => {
    const st = project.sources[source]?.tables[table];
    const described = st && state.tables.get(tableKey(st.schema[targetName] ?? source, st.identifier));
    return described ? described.columns.map((c) => c.name) : fromSeeds(source, table);
  };
}
