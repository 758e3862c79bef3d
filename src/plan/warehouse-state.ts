import type { Adapter, TableInfo } from '../adapters/adapter.js';
import { CHAIN_HEADS_TABLE, MODEL_VERSIONS_TABLE, SEEDS_TABLE } from '../managed/names.js';
import { CHAIN_HEAD_NAME_COLUMN } from '../managed/chain-head-row.js';

/** A row of `_wb_model_versions`. */
export interface VersionRecord {
  model: string;
  version: number;
  fingerprint: string;
  sql: string;
  appliedAt: string;
  appliedBy: string;
}

/** A row of `_wb_seeds`. */
export interface SeedRecord {
  file: string;
  schema: string;
  table: string;
  fingerprint: string;
}

/** What the warehouse already has, as far as a plan needs to know. */
export interface WarehouseState {
  /** `schema.name` → table or view (with columns, except the views schema's objects: names and kinds only). */
  tables: Map<string, TableInfo>;
  /** Schemas (of those asked for) that exist. */
  schemas: Set<string>;
  versions: VersionRecord[];
  seeds: SeedRecord[];
  /** model → version its alias view currently points at. */
  aliases: Map<string, number>;
  /** Inputs with a row in the shared chain-head table (`Dialect.chainHeads: 'shared'`; empty elsewhere). */
  heads: Set<string>;
}

/** Key of a table in `WarehouseState.tables`. */
export const tableKey = (schema: string, name: string) => `${schema}.${name}`;

/** Read the parts of the warehouse that `plan`, `versions` and `prune` compare against. */
export async function readWarehouseState(
  adapter: Adapter,
  schemas: { inputs: string; views: string; others?: string[] },
): Promise<WarehouseState> {
  const wanted = [...new Set([schemas.inputs, schemas.views, ...(schemas.others ?? [])])];
  // a plan compares columns of input, meta, seed and source tables; of the views schema's objects only names and kinds
  const withColumns = wanted.filter((s) => s !== schemas.views || s === schemas.inputs || (schemas.others ?? []).includes(s));
  const namesOnly = wanted.filter((s) => !withColumns.includes(s));
  const described = await adapter.describeSchemas(withColumns);
  const listed = namesOnly.length === 0 ? [] : adapter.listRelations ? await adapter.listRelations(namesOnly) : await adapter.describeSchemas(namesOnly);
  const infos = [...described, ...listed];
  const tables = new Map(infos.map((t) => [tableKey(t.schema, t.name), t]));
  const d = adapter.dialect;
  const versions: VersionRecord[] = [];
  if (tables.has(tableKey(schemas.inputs, MODEL_VERSIONS_TABLE))) {
    const rows = await adapter.query<{ model: string; version: number; fingerprint: string; sql: string; applied_at: unknown; applied_by: string }>(
      `select model, version, fingerprint, sql, applied_at, applied_by from ${d.qualify(schemas.inputs, MODEL_VERSIONS_TABLE)} order by model, version`,
    );
    for (const r of rows) {
      const at = r.applied_at instanceof Date ? r.applied_at.toISOString() : String(r.applied_at);
      versions.push({ model: r.model, version: Number(r.version), fingerprint: r.fingerprint, sql: r.sql, appliedAt: at, appliedBy: r.applied_by });
    }
  }
  const seeds: SeedRecord[] = [];
  if (tables.has(tableKey(schemas.inputs, SEEDS_TABLE))) {
    const rows = await adapter.query<{ file: string; schema: string; table: string; fingerprint: string }>(
      `select file, ${d.quoteIdent('schema')}, ${d.quoteIdent('table')}, fingerprint
         from ${d.qualify(schemas.inputs, SEEDS_TABLE)}`,
    );
    for (const r of rows) seeds.push({ file: r.file, schema: r.schema, table: r.table, fingerprint: r.fingerprint });
  }
  const heads = new Set<string>();
  if (d.chainHeads === 'shared' && tables.has(tableKey(schemas.inputs, CHAIN_HEADS_TABLE))) {
    const rows = await adapter.query<{ name: string }>(`select ${d.quoteIdent(CHAIN_HEAD_NAME_COLUMN)} as name from ${d.qualify(schemas.inputs, CHAIN_HEADS_TABLE)}`);
    for (const r of rows) heads.add(r.name);
  }
  const aliases = await readAliasTargets(adapter, schemas.views, versions);
  return { tables, schemas: await readSchemas(adapter, wanted), versions, seeds, aliases, heads };
}

/** Which of `names` exist as schemas in the current database. */
async function readSchemas(adapter: Adapter, names: string[]): Promise<Set<string>> {
  if (adapter.listSchemas) return adapter.listSchemas(names);
  const placeholders = names.map((_, i) => adapter.dialect.param(i + 1)).join(', ');
  const rows = await adapter.query<{ name: string }>(
    `select schema_name as name from information_schema.schemata
      where catalog_name = current_database() and schema_name in (${placeholders})`,
    names,
  );
  return new Set(rows.map((r) => r.name));
}

/**
 * Which version each `<model>` view selects from, read from its definition in
 * `information_schema.views` (the alias body is `select * from <views>.<model>__v<N>`).
 */
async function readAliasTargets(adapter: Adapter, viewsSchema: string, versions: VersionRecord[]): Promise<Map<string, number>> {
  const models = new Set(versions.map((v) => v.model));
  const aliases = new Map<string, number>();
  if (models.size === 0) return aliases;
  const rows = adapter.viewDefinitions
    ? [...(await adapter.viewDefinitions(viewsSchema))].map(([name, definition]) => ({ name, definition }))
    : await readViewDefinitions(adapter, viewsSchema);
  for (const r of rows) {
    if (!models.has(r.name) || !r.definition) continue;
    const version = referencedVersion(r.definition, r.name);
    if (version !== undefined) aliases.set(r.name, version);
  }
  return aliases;
}

/** Views of a schema with their definitions, from `information_schema.views`. */
async function readViewDefinitions(adapter: Adapter, viewsSchema: string): Promise<{ name: string; definition: string | null }[]> {
  return adapter.query<{ name: string; definition: string | null }>(
    `select table_name as name, view_definition as definition from information_schema.views
      where table_catalog = current_database() and table_schema = ${adapter.dialect.param(1)}`,
    [viewsSchema],
  );
}

/** The N of the first `<model>__v<N>` a SQL text mentions (quoted or not), if any. */
export function referencedVersion(sql: string, model: string): number | undefined {
  const match = versionPattern(model).exec(sql);
  return match ? Number(match[1]) : undefined;
}

/** Every N of `<model>__v<N>` a SQL text mentions. */
export function referencedVersions(sql: string, model: string): number[] {
  const pattern = new RegExp(versionPattern(model).source, 'gi');
  return [...sql.matchAll(pattern)].map((m) => Number(m[1]));
}

// Model names match ^[a-z][a-z0-9_]*$ without `__`, so `<model>__v<N>` bounded by non-name characters is unambiguous.
const versionPattern = (model: string) => new RegExp(`(?<![A-Za-z0-9_])${model}__v(\\d+)(?![A-Za-z0-9_])`, 'i');
