import { stringify } from 'yaml';
import { resolveTarget } from '../adapters/registry.js';
import type { Dialect } from '../dialects/dialect.js';
import { getDialect } from '../dialects/registry.js';
import { fingerprintProject } from '../emit/fingerprint.js';
import { hasByScenarioView } from '../emit/model-by-scenario.js';
import { modelColumns } from '../emit/model-columns.js';
import { latestAliasResolver, type RenderContext } from '../emit/render-context.js';
import { Reporter } from '../diagnostics/reporter.js';
import type { ColumnType, InputTable, Model, Project, TargetConfig } from '../ir/types.js';
import type { ManagedColumn } from '../managed/columns.js';
import { byScenarioViewName, historyViewName, pendingViewName, stateTableName, versionViewName } from '../managed/names.js';
import { historyViewColumns, stateColumns } from '../managed/tables.js';
import { mapEnvRefs } from '../schema/env-ref.js';
import type { VersionInfo } from '../plan/versions.js';
import { seedSourceColumns } from '../seeds/seed-columns.js';

/** Options of {@link dbtSources}. */
export interface DbtSourcesOptions {
  /** Target whose warehouse the sources point at (database, column types); default: the project's `default_target`. */
  target?: string;
  /** Name of the dbt source of the views schema; the inputs schema's is `<name>_inputs`. Default `writeback`. */
  sourceName?: string;
  /** The applied model versions (from the warehouse): each existing one becomes a `<model>__v<N>` table. Absent: none. */
  versions?: readonly VersionInfo[];
  /** Add `dbt_utils.unique_combination_of_columns` on composite keys (needs the dbt_utils package). Default false. */
  dbtUtils?: boolean;
  /** Add an exposure: writeback as an application that reads the dbt models, seeds and snapshots its sources name. */
  exposure?: { owner: { name: string } | { email: string }; url?: string };
}

/** One column of a dbt source table. */
export interface DbtColumn {
  name: string;
  description?: string;
  data_type?: string;
  data_tests?: DbtTest[];
}

/**
 * A dbt data test: a generic test's name, or one with its arguments at the test's top level (the
 * form every dbt from 1.8 reads; dbt 1.10 and later also accept them nested under `arguments:`).
 */
export type DbtTest = string | Record<string, Record<string, unknown>>;

/** One table of a dbt source. */
export interface DbtSourceTable {
  name: string;
  /** The name as the warehouse stores it, when it differs from `name` (Snowflake stores lower-case names upper-case). */
  identifier?: string;
  description: string;
  meta: { writeback: Record<string, string | number | boolean> };
  columns?: DbtColumn[];
  data_tests?: DbtTest[];
}

/** One dbt source (one schema). */
export interface DbtSource {
  name: string;
  description: string;
  database?: string;
  schema: string;
  quoting: { schema: true; identifier: true };
  meta: { writeback: Record<string, string> };
  tables: DbtSourceTable[];
}

/** A dbt exposure: something downstream of dbt nodes. */
export interface DbtExposure {
  name: string;
  label: string;
  type: 'application';
  description: string;
  owner: { name: string } | { email: string };
  url?: string;
  depends_on: string[];
  meta: { writeback: { project: string; target: string; reads: Record<string, string[]> } };
}

/** A dbt property file (`version: 2`) declaring writeback's objects as sources. */
export interface DbtPropertyFile {
  version: 2;
  sources: DbtSource[];
  exposures?: DbtExposure[];
}

/**
 * The dbt property file describing what writeback keeps in the warehouse of one target, offline:
 * the views schema (each model's latest view, its `__by_scenario` view, the applied `__v<N>`
 * versions passed in `options.versions`, each input's `__history` and `__pending` views) and the
 * inputs schema (each input's state table). Column types are the target dialect's for the
 * YAML's types; columns a SQL model outputs are unknown offline and left out. Key tests go on the
 * state tables (the only objects with a declared grain). Stable order: inputs and models by name,
 * versions by number; the same project gives the same file.
 */
export function dbtSources(project: Project, options: DbtSourcesOptions = {}): DbtPropertyFile {
  const target = resolveTarget(project, options.target);
  const dialect = getDialect(target.type);
  const sourceName = options.sourceName ?? 'writeback';
  const database = targetDatabase(target);
  const { fingerprints } = fingerprintProject(project, dialect, target.name, { sourceColumns: seedSourceColumns(project) });
  const typeOf = (t: ManagedColumn['type'] | ColumnType) => dialect.columnType(t);
  const managed = (c: ManagedColumn): DbtColumn => ({ name: c.name, ...(c.description ? { description: c.description.trim() } : {}), data_type: typeOf(c.type) });
  const inputs = Object.values(project.inputs).sort(byName);
  const models = [...project.models].sort(byName);
  const origin = { project: project.name, target: target.name };

  const views: DbtSourceTable[] = [];
  for (const model of models) {
    const columns = typedModelColumns(project, model, dialect, target.name);
    const fingerprint = fingerprints.get(model.name);
    const meta = { kind: 'model', model: model.name, ...(fingerprint ? { fingerprint } : {}) };
    views.push({
      name: model.name,
      description: model.description?.trim() ?? `writeback merge model \`${model.name}\` (its latest version).`,
      meta: { writeback: meta },
      ...(columns ? { columns } : {}),
    });
    if (hasByScenarioView(project, model)) {
      views.push({
        name: byScenarioViewName(model.name),
        description: `\`${model.name}\` once per active scenario (\`base\` and every unarchived scenario), with a leading \`_scenario\` column.`,
        meta: { writeback: { kind: 'model-by-scenario', model: model.name } },
        ...(columns ? { columns: [{ name: '_scenario', description: 'Scenario these rows belong to.', data_type: typeOf({ kind: 'system', type: 'string' }) }, ...columns] } : {}),
      });
    }
    const applied = (options.versions ?? []).filter((v) => v.model === model.name && v.exists).sort((a, b) => a.version - b.version);
    for (const v of applied) {
      const current = v.fingerprint === fingerprint;
      views.push({
        name: versionViewName(model.name, v.version),
        description: `Version ${v.version} of \`${model.name}\`: immutable, applied ${v.appliedAt} by ${v.appliedBy}.`,
        meta: { writeback: { kind: 'model-version', model: model.name, version: v.version, fingerprint: v.fingerprint, latest: v.latest } },
        ...(columns && current ? { columns } : {}),
      });
    }
  }
  for (const input of inputs) {
    views.push({
      name: historyViewName(input.name),
      description: `Every change of input table \`${input.name}\`: one row per column changed by a write (who, when, old and new value as text).`,
      meta: { writeback: { kind: 'history', input: input.name } },
      columns: historyViewColumns(input).map(managed),
    });
    if (input.approval) {
      views.push({
        name: pendingViewName(input.name),
        description: `Changes of input table \`${input.name}\` waiting for approval.`,
        meta: { writeback: { kind: 'pending', input: input.name } },
      });
    }
  }
  views.sort(byName);

  const states: DbtSourceTable[] = inputs.map((input) => {
    const keyTests = stateKeyTests(input, options.dbtUtils ?? false);
    const columns = stateColumns(input).map((c) => {
      const col = managed(c);
      const tests = keyTests.columns.get(c.name);
      return tests ? { ...col, data_tests: tests } : col;
    });
    return {
      name: stateTableName(input.name),
      description: input.description?.trim() ?? `Current state of input table \`${input.name}\`: one row per scenario and key (deleted keys stay as tombstones, \`_deleted\`).`,
      meta: { writeback: { kind: 'input-state', input: input.name, key: input.key.join(','), scenarios: input.scenarios } },
      columns,
      ...(keyTests.table.length ? { data_tests: keyTests.table } : {}),
    };
  });

  // dbt quotes schema and identifier as writeback does, with the names as the warehouse stores them
  // (writeback's names never hold a quote character, so the quoted name less its quotes is the name)
  const stored = (name: string) => dialect.quoteIdent(name).slice(1, -1);
  const withIdentifier = (t: DbtSourceTable): DbtSourceTable => {
    const { name, ...rest } = t;
    const id = stored(name);
    return id === name ? t : { name, identifier: id, ...rest };
  };
  const source = (name: string, schema: string, role: string, description: string, tables: DbtSourceTable[]): DbtSource => ({
    name,
    description,
    ...(database !== undefined ? { database } : {}),
    schema: stored(schema),
    quoting: { schema: true, identifier: true },
    meta: { writeback: { ...origin, schema: role } },
    tables: tables.map(withIdentifier),
  });
  const exposure = options.exposure && writebackExposure(project, target.name, options.exposure);
  return {
    version: 2,
    sources: [
      source(sourceName, project.schemas.views, 'views', `Merged views of writeback project \`${project.name}\` (what BI tools and dbt models read).`, views),
      source(`${sourceName}_inputs`, project.schemas.inputs, 'inputs', `Input state tables of writeback project \`${project.name}\` (written only by writeback; read the merged views instead where one exists).`, states),
    ],
    ...(exposure ? { exposures: [exposure] } : {}),
  };
}

/**
 * writeback as a dbt exposure of type `application`: it depends on (reads) each dbt model, seed or
 * snapshot that an input links to or takes values from, or a model merges over — so dbt's lineage
 * shows which dbt nodes the planners' input tables and merged views rely on. Undefined when no
 * such source is read.
 */
function writebackExposure(project: Project, targetName: string, options: NonNullable<DbtSourcesOptions['exposure']>): DbtExposure | undefined {
  const readers = new Map<string, Set<string>>();
  const read = (ref: { source: string; table: string }, by: string) => {
    const node = project.sources[ref.source]?.tables[ref.table]?.dbt;
    if (!node) return;
    const key = `ref('${node.package}', '${node.name}'${node.version !== undefined ? `, v=${/^\d+$/.test(node.version) ? node.version : `'${node.version}'`}` : ''})`;
    if (!readers.has(key)) readers.set(key, new Set());
    readers.get(key)!.add(by);
  };
  for (const input of Object.values(project.inputs)) {
    if (input.linksTo) read(input.linksTo, `input ${input.name}`);
    for (const c of input.columns) if (c.allowedValues && !Array.isArray(c.allowedValues)) read(c.allowedValues, `input ${input.name}`);
  }
  for (const model of project.models) for (const s of model.dependsOn.sources) read(s, `model ${model.name}`);
  if (readers.size === 0) return undefined;
  const dependsOn = [...readers.keys()].sort();
  return {
    name: `writeback_${project.name}`,
    label: `writeback: ${project.name}`,
    type: 'application',
    description: `The input tables and merge models of writeback project \`${project.name}\`: planners write input rows linked to these dbt nodes, and merged views read them.`,
    owner: options.owner,
    ...(options.url !== undefined ? { url: options.url } : {}),
    depends_on: dependsOn,
    meta: { writeback: { project: project.name, target: targetName, reads: Object.fromEntries(dependsOn.map((k) => [k, [...readers.get(k)!].sort()])) } },
  };
}

/** The property file as YAML text, with a header saying how it was made. */
export function dbtSourcesYaml(file: DbtPropertyFile, command: string): string {
  const header = `# Generated by \`${command}\`; do not edit by hand: re-run it after changing the project.\n`;
  return header + stringify(file, { lineWidth: 0, aliasDuplicateObjects: false });
}

/**
 * Key tests of a state table. It holds one row per scenario and key: without scenarios every row
 * is in `base`, so a single-column key is `unique` and `not_null`; a composite key (or a table with
 * scenarios, whose grain is `_scenario` + key) gets `not_null` on each key column and, only when
 * `dbtUtils`, `dbt_utils.unique_combination_of_columns` on the table.
 */
function stateKeyTests(input: InputTable, dbtUtils: boolean): { columns: Map<string, DbtTest[]>; table: DbtTest[] } {
  const grain = input.scenarios ? ['_scenario', ...input.key] : input.key;
  const columns = new Map<string, DbtTest[]>();
  if (grain.length === 1) {
    columns.set(grain[0]!, ['unique', 'not_null']);
    return { columns, table: [] };
  }
  for (const c of input.key) columns.set(c, ['not_null']);
  const table: DbtTest[] = dbtUtils ? [{ 'dbt_utils.unique_combination_of_columns': { combination_of_columns: grain } }] : [];
  return { columns, table };
}

/**
 * Columns of a model's view with their types where the YAML knows them: columns an input
 * provides take the input column's type, seeded source columns their `column_types`, the system
 * columns theirs. Undefined for a SQL model (its columns are known only to the warehouse).
 */
function typedModelColumns(project: Project, model: Model, dialect: Dialect, targetName: string): DbtColumn[] | undefined {
  const ctx: RenderContext = {
    project, model, dialect, targetName, resolveRef: latestAliasResolver(project),
    options: { sourceColumns: seedSourceColumns(project) }, report: new Reporter(),
  };
  const names = modelColumns(ctx, model);
  if (!names) return undefined;
  const typed = columnTypes(project, model);
  return names.map((name) => {
    const t = typed.get(name);
    return { name, ...(t?.description ? { description: t.description.trim() } : {}), ...(t ? { data_type: dialect.columnType(t.type) } : {}) };
  });
}

type Typed = { type: ColumnType | ManagedColumn['type']; description?: string };

/** Column name → type and description, for the columns of a structured model whose type the YAML declares. */
function columnTypes(project: Project, model: Model, seen: Set<string> = new Set()): Map<string, Typed> {
  const out = new Map<string, Typed>();
  const body = model.body;
  if (body.kind === 'sql' || seen.has(model.name)) return out;
  const from = body.from;
  if (from.kind === 'source') {
    for (const seed of project.seeds) {
      if (seed.into.source !== from.source || seed.into.table !== from.table) continue;
      for (const [c, type] of Object.entries(seed.columnTypes)) out.set(c, { type });
    }
  } else {
    const upstream = project.models.find((m) => m.name === from.model);
    if (upstream) for (const [c, t] of columnTypes(project, upstream, new Set([...seen, model.name]))) out.set(c, t);
  }
  const fromInput = (inputName: string, cols: string[]) => {
    const input = project.inputs[inputName];
    for (const c of cols) {
      const col = input?.columns.find((x) => x.name === c);
      if (col) out.set(c, { type: col.type, ...(col.description ? { description: col.description } : {}) });
    }
  };
  if (body.kind === 'enrich') for (const j of body.joins) fromInput(j.input, j.columns);
  if (body.kind === 'override') {
    fromInput(body.input, body.columns);
    out.set('_overridden', { type: { kind: 'system', type: 'string' }, description: 'The columns an input row overrides, comma-separated (null when none).' });
  }
  if (body.kind === 'append') {
    fromInput(body.input, body.columns);
    out.set('_origin', { type: { kind: 'system', type: 'string' }, description: '`source` for a row of the base relation, `input` for a row of the input table.' });
  }
  return out;
}

/**
 * The database (Snowflake database, BigQuery project) writeback's schemas live in: the
 * connection's own; `{{ env('X') }}` becomes dbt's `{{ env_var('X') }}`. None for DuckDB, whose
 * catalog name is the attaching dbt project's choice.
 */
function targetDatabase(target: TargetConfig): string | undefined {
  if (target.type === 'duckdb') return undefined;
  const key = target.type === 'bigquery' ? 'project' : 'database';
  const value = target.settings[key];
  return value === undefined ? undefined : mapEnvRefs(value, (name) => `{{ env_var('${name}') }}`);
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
