import { chainHeadTable } from '../managed/chain-head-row.js';
import { archiveLogName, chainHeadTableName, historyViewName, inputOfLog, logTableName, stateTableName, versionViewName } from '../managed/names.js';
import type { Dialect } from '../dialects/dialect.js';
import type { Reporter } from '../diagnostics/reporter.js';
import type { Project } from '../ir/types.js';
import { type ArchiveInputTableOp, type QualifiedName } from './operation.js';
import { referencedVersions, tableKey, type VersionRecord, type WarehouseState } from './warehouse-state.js';

/**
 * Input tables the warehouse has but the project no longer declares: archive the log
 * (renamed, never dropped), drop the state and the model versions that read them.
 */
export function planArchives(
  project: Project,
  state: WarehouseState,
  dialect: Dialect,
  allowDestructive: boolean,
  now: Date,
  report: Reporter,
): ArchiveInputTableOp[] {
  const schema = project.schemas.inputs;
  const ops: ArchiveInputTableOp[] = [];
  for (const table of state.tables.values()) {
    if (table.schema !== schema || table.kind !== 'table') continue;
    const input = inputOfLog(table.name);
    if (input === undefined || Object.hasOwn(project.inputs, input)) continue;
    if (!allowDestructive) {
      report.error('destructive-change-refused', { input, log: `${schema}.${table.name}` });
      continue;
    }
    const stateTable = state.tables.get(tableKey(schema, stateTableName(input)));
    const stateName = stateTable?.kind === 'table' ? { schema, name: stateTableName(input) } : undefined;
    const head = state.tables.has(tableKey(schema, chainHeadTableName(input))) ? { schema, name: chainHeadTableName(input) } : undefined;
    const sharedHead = state.heads.has(input) ? chainHeadTable(dialect, schema, input) : undefined;
    const archiveName = archiveLogName(input, now);
    const history = { schema: project.schemas.views, name: historyViewName(input) };
    const dropViews = [
      ...dependentViews(project, state, dialect, [{ schema, name: logTableName(input) }, ...(stateName ? [stateName] : [])]),
      ...(state.tables.has(tableKey(history.schema, history.name)) ? [history] : []),
    ];
    ops.push({
      kind: 'archive-input-table',
      description:
        `archive input table ${input}: rename ${schema}.${table.name} to ${archiveName}` +
        (stateName ? `, drop ${schema}.${stateName.name}` : '') +
        (head ? `, drop ${schema}.${head.name}` : '') +
        (sharedHead ? `, delete its chain head from ${schema}.${sharedHead.name}` : '') +
        (dropViews.length ? `, drop ${dropViews.map((v) => `${v.schema}.${v.name}`).join(', ')}` : '') +
        ' (DESTRUCTIVE; the log keeps every entry)',
      destructive: true,
      input,
      log: { schema, name: table.name },
      archiveName,
      ...(stateName ? { state: stateName } : {}),
      ...(head ? { head } : {}),
      ...(sharedHead ? { sharedHead } : {}),
      dropViews,
    });
  }
  return ops;
}

/**
 * Existing version views whose SQL reads one of `removed`, directly or through another such
 * version, plus the alias of a model no longer in the project when it points at one of them.
 */
function dependentViews(project: Project, state: WarehouseState, dialect: Dialect, removed: QualifiedName[]): QualifiedName[] {
  const views = project.schemas.views;
  const needles = removed.map((t) => dialect.qualify(t.schema, t.name));
  const dropped = new Set<VersionRecord>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const v of state.versions) {
      if (dropped.has(v)) continue;
      const readsDropped =
        needles.some((n) => v.sql.includes(n)) || [...dropped].some((d) => d.model !== v.model && referencedVersions(v.sql, d.model).includes(d.version));
      if (readsDropped) {
        dropped.add(v);
        grew = true;
      }
    }
  }
  const out: QualifiedName[] = [];
  for (const v of dropped) {
    const name = versionViewName(v.model, v.version);
    if (state.tables.has(tableKey(views, name))) out.push({ schema: views, name });
  }
  const inProject = new Set(project.models.map((m) => m.name));
  for (const [model, version] of state.aliases) {
    if (!inProject.has(model) && [...dropped].some((d) => d.model === model && d.version === version)) out.push({ schema: views, name: model });
  }
  return out;
}
