import { z } from 'zod';
import { resolveTarget } from '../adapters/registry.js';
import { getDialect } from '../dialects/registry.js';
import { fingerprintProject } from '../emit/fingerprint.js';
import { hasByScenarioView } from '../emit/model-by-scenario.js';
import type { InputTable, Model, Project, SourceTable } from '../ir/types.js';
import { byScenarioViewName, historyViewName, logTableName, pendingViewName, stateTableName, versionViewName } from '../managed/names.js';
import type { VersionInfo } from '../plan/versions.js';
import { seedSourceColumns } from '../seeds/seed-columns.js';

/** Version of the export's shape; raised when a field changes meaning or goes away (new fields do not raise it). */
export const LINEAGE_FORMAT_VERSION = 1;

const relation = z
  .object({
    database: z.string().nullable().describe('Database (Snowflake database, BigQuery project); null = the connection\'s own.'),
    schema: z.string(),
    name: z.string(),
    sql: z.string().describe('The qualified, quoted name in the target\'s SQL dialect.'),
  })
  .describe('Where an object is in the target\'s warehouse.');

const nodeId = z.string().describe('`source.<source>.<table>`, `input.<name>` or `model.<name>`.');

const dbtNode = z.object({
  unique_id: z.string(),
  resource_type: z.string(),
  package: z.string(),
  name: z.string(),
  version: z.string().nullable(),
  manifest: z.string().describe('The manifest the relation was read from (relative to the project directory).'),
});

const sourceNode = z.object({
  id: nodeId,
  source: z.string(),
  table: z.string(),
  description: z.string().nullable(),
  relation,
  dbt: dbtNode.nullable().describe('The dbt model, seed or snapshot the table is, when its source is backed by a dbt manifest.'),
  seed: z.string().nullable().describe('The CSV file writeback loads into it, if any.'),
});

const inputColumn = z.object({
  name: z.string(),
  type: z.string().describe('The portable type as written in YAML (`string`, `decimal(18,2)`, `enum`, …).'),
  data_type: z.string().describe('Its SQL type on the target.'),
  description: z.string().nullable(),
  required: z.boolean(),
  key: z.boolean(),
  values: z.array(z.string()).nullable().describe('The allowed values (an enum\'s, or a fixed `values:` list); null when any value or values from a source.'),
  values_from: z.object({ source: z.string(), table: z.string(), column: z.string() }).nullable(),
});

const inputNode = z.object({
  id: nodeId,
  name: z.string(),
  description: z.string().nullable(),
  key: z.array(z.string()),
  scenarios: z.boolean(),
  approval: z.boolean().describe('Whether some writes wait for approval.'),
  columns: z.array(inputColumn),
  links_to: z.object({ source: z.string(), table: z.string(), on: z.record(z.string(), z.string()) }).nullable(),
  permissions: z.array(
    z.object({ role: z.string(), read: z.boolean(), write: z.boolean(), delete: z.boolean(), approve: z.boolean(), row_filter: z.array(z.string()).describe('`column = user.<attribute>` conditions (`source.<column>` on the linked source).') }),
  ),
  reads: z.object({ sources: z.array(nodeId) }).describe('Source tables the input checks writes against (its link, its columns\' allowed values).'),
  relations: z.object({ state: relation, log: relation, history: relation, pending: relation.nullable() }),
});

const modelVersion = z.object({
  version: z.number().int(),
  relation,
  fingerprint: z.string(),
  latest: z.boolean(),
  exists: z.boolean().describe('False once pruned.'),
  applied_at: z.string(),
  applied_by: z.string(),
});

const modelNode = z.object({
  id: nodeId,
  name: z.string(),
  description: z.string().nullable(),
  kind: z.enum(['enrich', 'override', 'append', 'sql']),
  fingerprint: z.string().nullable().describe('Of the current definition (null when it does not compile); an applied version with the same fingerprint is this definition.'),
  relation: relation.describe('The latest alias `<model>`.'),
  by_scenario: relation.nullable().describe('`<model>__by_scenario`, for structured models over inputs with scenarios.'),
  reads: z.object({ inputs: z.array(nodeId), sources: z.array(nodeId), models: z.array(nodeId) }),
  versions: z.array(modelVersion).nullable().describe('Applied versions `<model>__v<N>` (null when the export was made without reading the warehouse).'),
});

/** The lineage export (`writeback lineage`): every source table, input table and model, and what reads what. */
export const lineageSchema = z
  .object({
    format_version: z.literal(LINEAGE_FORMAT_VERSION),
    project: z.string(),
    target: z.object({ name: z.string(), type: z.enum(['duckdb', 'postgres', 'snowflake', 'bigquery']) }),
    schemas: z.object({ inputs: z.string(), views: z.string() }),
    sources: z.array(sourceNode),
    inputs: z.array(inputNode),
    models: z.array(modelNode),
    edges: z.array(z.object({ from: nodeId, to: nodeId })).describe('Every "to reads from" pair, sorted: source → input, source → model, input → model, model → model.'),
  })
  .describe('writeback lineage export');

/** The export's type. */
export type Lineage = z.infer<typeof lineageSchema>;

/** The JSON Schema of the export (draft 2020-12), generated from {@link lineageSchema}. */
export function lineageJsonSchema(): Record<string, unknown> {
  return { title: `writeback lineage export, format ${LINEAGE_FORMAT_VERSION}`, ...z.toJSONSchema(lineageSchema, { io: 'output' }) };
}

/** Options of {@link lineage}. */
export interface LineageOptions {
  /** Target whose relation names are exported; default: the project's `default_target`. */
  target?: string;
  /** Applied versions (from the warehouse); absent: `versions` is null in every model. */
  versions?: readonly VersionInfo[];
}

/**
 * The lineage of a loaded project for one target, offline (the applied versions come from the
 * caller): sources, inputs and models with their relations, and an edge for each read. Sorted by
 * id, so the same project gives the same export.
 */
export function lineage(project: Project, options: LineageOptions = {}): Lineage {
  const target = resolveTarget(project, options.target);
  const dialect = getDialect(target.type);
  const { fingerprints } = fingerprintProject(project, dialect, target.name, { sourceColumns: seedSourceColumns(project) });
  const rel = (schema: string, name: string, database?: string) => ({ database: database ?? null, schema, name, sql: dialect.qualify(schema, name, database) });
  const sourceId = (source: string, table: string) => `source.${source}.${table}`;
  const views = project.schemas.views;
  const inputsSchema = project.schemas.inputs;

  const sources = Object.values(project.sources)
    .flatMap((s) => Object.values(s.tables).map((t) => sourceEntry(s.dbtManifests?.[target.name], t)))
    .sort(byId);
  function sourceEntry(manifest: string | undefined, t: SourceTable) {
    const seed = project.seeds.find((s) => s.into.source === t.source && s.into.table === t.table);
    return {
      id: sourceId(t.source, t.table),
      source: t.source,
      table: t.table,
      description: t.description?.trim() ?? null,
      relation: rel(t.schema[target.name] ?? t.source, t.identifier, t.database[target.name]),
      dbt: t.dbt && manifest !== undefined ? { unique_id: t.dbt.uniqueId, resource_type: t.dbt.resourceType, package: t.dbt.package, name: t.dbt.name, version: t.dbt.version ?? null, manifest } : null,
      seed: seed?.file ?? null,
    };
  }

  const inputs = Object.values(project.inputs).map((input: InputTable) => {
    const read = new Set<string>();
    if (input.linksTo) read.add(sourceId(input.linksTo.source, input.linksTo.table));
    const columns = input.columns.map((c) => {
      const from = c.allowedValues && !Array.isArray(c.allowedValues) ? c.allowedValues : undefined;
      if (from) read.add(sourceId(from.source, from.table));
      return {
        name: c.name,
        type: c.type.kind === 'decimal' ? `decimal(${c.type.precision},${c.type.scale})` : c.type.kind,
        data_type: dialect.columnType(c.type),
        description: c.description?.trim() ?? null,
        required: c.required,
        key: input.key.includes(c.name),
        values: c.type.kind === 'enum' ? c.type.values : Array.isArray(c.allowedValues) ? c.allowedValues : null,
        values_from: from ? { source: from.source, table: from.table, column: from.column } : null,
      };
    });
    return {
      id: `input.${input.name}`,
      name: input.name,
      description: input.description?.trim() ?? null,
      key: input.key,
      scenarios: input.scenarios,
      approval: input.approval !== undefined,
      columns,
      links_to: input.linksTo ? { source: input.linksTo.source, table: input.linksTo.table, on: input.linksTo.on } : null,
      permissions: Object.entries(input.permissions)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([role, p]) => ({
          role, read: p.read, write: p.write, delete: p.delete, approve: p.approve,
          row_filter: p.rowFilter.map((f) => `${f.onSource ? 'source.' : ''}${f.column} = user.${f.attribute}`),
        })),
      reads: { sources: [...read].sort() },
      relations: {
        state: rel(inputsSchema, stateTableName(input.name)),
        log: rel(inputsSchema, logTableName(input.name)),
        history: rel(views, historyViewName(input.name)),
        pending: input.approval ? rel(views, pendingViewName(input.name)) : null,
      },
    };
  }).sort(byId);

  const models = project.models.map((model: Model) => {
    const reads = {
      inputs: [...new Set(model.dependsOn.inputs)].sort().map((i) => `input.${i}`),
      sources: [...new Set(model.dependsOn.sources.map((s) => sourceId(s.source, s.table)))].sort(),
      models: [...new Set(model.dependsOn.models)].sort().map((m) => `model.${m}`),
    };
    const versions = options.versions
      ?.filter((v) => v.model === model.name)
      .sort((a, b) => a.version - b.version)
      .map((v) => ({ version: v.version, relation: rel(views, versionViewName(model.name, v.version)), fingerprint: v.fingerprint, latest: v.latest, exists: v.exists, applied_at: v.appliedAt, applied_by: v.appliedBy }));
    return {
      id: `model.${model.name}`,
      name: model.name,
      description: model.description?.trim() ?? null,
      kind: model.body.kind,
      fingerprint: fingerprints.get(model.name) ?? null,
      relation: rel(views, model.name),
      by_scenario: hasByScenarioView(project, model) ? rel(views, byScenarioViewName(model.name)) : null,
      reads,
      versions: versions ?? null,
    };
  }).sort(byId);

  const edges = [
    ...inputs.flatMap((i) => i.reads.sources.map((from) => ({ from, to: i.id }))),
    ...models.flatMap((m) => [...m.reads.sources, ...m.reads.inputs, ...m.reads.models].map((from) => ({ from, to: m.id }))),
  ].sort((a, b) => (a.from + ' ' + a.to < b.from + ' ' + b.to ? -1 : 1));

  return {
    format_version: LINEAGE_FORMAT_VERSION,
    project: project.name,
    target: { name: target.name, type: target.type },
    schemas: { ...project.schemas },
    sources,
    inputs,
    models,
    edges,
  };
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
