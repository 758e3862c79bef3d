import type { DuckDBConnection } from '@duckdb/node-api';
import type { SqlValue } from '../adapters/adapter.js';
import type { Actor } from '../auth/actor.js';
import { checkPermission, isAdmin } from '../auth/permissions.js';
import { onInputRows, onSourceRows, rowScope } from '../auth/row-filter.js';
import type { Dialect } from '../dialects/dialect.js';
import type { InputTable, Model, Project } from '../ir/types.js';
import { modelScope } from '../library/model-filter.js';
import { byScenarioViewName, historyViewName, pendingViewName } from '../managed/names.js';
import { sqlNames } from '../managed/sql-names.js';
import { pgTypeOfName } from './pg-types.js';
import type { PgType } from './types.js';

/**
 * The session catalog: an in-memory database attached to the server's instance under a random
 * name, holding one view per relation the actor may read. Each view selects from the warehouse's
 * real relation under the actor's row filter; the filter's conditions come from the row-filter
 * module (auth/row-filter.ts) and the model-read scope (library/model-filter.ts), and the actor's
 * values live in the session's `_params` table: no value is ever in SQL text.
 */

/** The session catalog's schema for its own tables (parameters, settings, the catalog's rows). */
export const INTERNAL_SCHEMA = 'wb_internal';
/** The (empty) schema a session's connection uses, so that no unqualified name resolves by accident. */
export const EMPTY_SCHEMA = 'wb_empty';
/** Where the emulated pg_catalog and information_schema live (DuckDB reserves the real names). */
export const PG_SCHEMA = 'wb_pg_catalog';
export const INFO_SCHEMA = 'wb_information_schema';

/** One column of a relation the session shows. */
export interface SessionColumn {
  name: string;
  type: PgType;
  description?: string;
}

/** One relation the session shows (a view in the session catalog). */
export interface SessionRelation {
  oid: number;
  schema: string;
  name: string;
  description?: string;
  columns: SessionColumn[];
}

/** What a session may read. */
export interface SessionCatalog {
  /** The attached database's name (random; never shown to the client). */
  name: string;
  /** The schemas the session shows, the views schema first. */
  schemas: string[];
  relations: SessionRelation[];
}

/** A random catalog name: `wb_s_` and 16 hex digits. */
export function sessionCatalogName(): string {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return `wb_s_${Buffer.from(bytes).toString('hex')}`;
}

/** The DuckDB dialect with values read from the session's `_params` table and relations qualified with the warehouse's catalog. */
function sessionDialect(base: Dialect, catalog: string, warehouse: string): Dialect {
  const q = (s: string) => base.quoteIdent(s);
  return Object.create(base, {
    param: { value: (n: number) => `(select v from ${q(catalog)}.${q(INTERNAL_SCHEMA)}._params where i = ${Number(n)})` },
    qualify: { value: (schema: string, name: string, database?: string) => base.qualify(schema, name, database ?? warehouse) },
  }) as Dialect;
}

interface Planned {
  schema: string;
  name: string;
  from: string;
  where: string[];
  description?: string;
  columnDescriptions?: Record<string, string>;
}

function inputColumnDescriptions(input: InputTable): Record<string, string> {
  return Object.fromEntries(input.columns.flatMap((c) => (c.description ? [[c.name, c.description]] : [])));
}

/** The model a view of the views schema belongs to (`<m>`, `<m>__by_scenario`, `<m>__v<N>`). */
function modelOfView(project: Project, view: string): Model | undefined {
  return project.models.find((m) => view === m.name || view === byScenarioViewName(m.name) || new RegExp(`^${m.name.replace(/[^\w]/g, '\\$&')}__v\\d+$`).test(view));
}

/** The input a history or pending view belongs to. */
function inputOfView(project: Project, view: string): InputTable | undefined {
  return Object.values(project.inputs).find((i) => view === historyViewName(i.name) || view === pendingViewName(i.name));
}

/**
 * Build the session catalog for `actor` on `con` (a connection of the warehouse's instance):
 * attach it, fill `_params`, create the views. Returns what it holds.
 */
export async function buildSessionCatalog(
  con: DuckDBConnection,
  opts: { project: Project; targetName: string; dialect: Dialect; actor: Actor | undefined; catalog: string },
): Promise<SessionCatalog> {
  const { project, targetName, actor, catalog } = opts;
  const warehouse = String((await con.runAndReadAll('select current_database() as d')).getRowObjects()[0]!.d);
  const d = sessionDialect(opts.dialect, catalog, warehouse);
  const q = (s: string) => d.quoteIdent(s);
  const names = sqlNames(project, targetName, d);
  const params: SqlValue[] = [];
  const planned: Planned[] = [];
  const viewsSchema = project.schemas.views;

  const views = await con.runAndReadAll(
    `select v.view_name as name, list(c.column_name order by c.column_index) as columns
       from duckdb_views() v join duckdb_columns() c on c.database_name = v.database_name and c.schema_name = v.schema_name and c.table_name = v.view_name
      where v.database_name = $1 and v.schema_name = $2 and not v.internal group by v.view_name order by v.view_name`,
    [warehouse, viewsSchema],
  );
  for (const row of views.getRowObjectsJS()) {
    const view = String(row.name);
    const columns = (row.columns as unknown[]).map(String);
    const from = d.qualify(viewsSchema, view);
    const model = modelOfView(project, view);
    if (model) {
      const scope = modelScope(project, model, actor, columns, d, 'm', params);
      if (scope.ok) planned.push({ schema: viewsSchema, name: view, from, where: scope.where, ...(model.description ? { description: model.description } : {}) });
      continue;
    }
    const input = inputOfView(project, view);
    if (input) {
      if (checkPermission(input, actor, 'read')) continue;
      const present = new Set(columns);
      const place = onInputRows(input, names, 'm');
      const where = rowScope(input, actor).where(d, params, (f, matches) => (f.onSource || present.has(f.column) ? place(f, matches) : undefined));
      if (where) planned.push({ schema: viewsSchema, name: view, from, where, ...(input.description ? { description: input.description } : {}), columnDescriptions: inputColumnDescriptions(input) });
      continue;
    }
    if (isAdmin(actor)) planned.push({ schema: viewsSchema, name: view, from, where: [] });
  }

  // Sources: every declared one for the administrator; for a role, those its readable inputs link to, under each input's filter.
  const sourceWhere = new Map<string, string[] | undefined>();
  const sourceKey = (source: string, table: string) => `${source}\u0000${table}`;
  if (isAdmin(actor)) {
    for (const s of Object.values(project.sources)) for (const t of Object.keys(s.tables)) sourceWhere.set(sourceKey(s.name, t), []);
  } else {
    for (const input of Object.values(project.inputs)) {
      const link = input.linksTo;
      if (!link || checkPermission(input, actor, 'read')) continue;
      const key = sourceKey(link.source, link.table);
      const where = rowScope(input, actor).where(d, params, onSourceRows(input, d, 'm'));
      const before = sourceWhere.has(key) ? sourceWhere.get(key) : [];
      sourceWhere.set(key, before === undefined || where === undefined ? undefined : [...before, ...where]);
    }
  }
  for (const [key, where] of sourceWhere) {
    if (!where) continue;
    const [source, table] = key.split('\u0000') as [string, string];
    const st = project.sources[source]?.tables[table];
    if (!st || st.database[targetName] !== undefined) continue;
    planned.push({ schema: st.schema[targetName] ?? source, name: st.identifier, from: names.source(source, table), where, ...(st.description ? { description: st.description } : {}) });
  }
  // A role's other sources: only the columns its readable inputs take allowed values from (`values: { source, column }`), as the values API shows them.
  if (!isAdmin(actor)) {
    const valueColumns = new Map<string, Set<string>>();
    for (const input of Object.values(project.inputs)) {
      if (checkPermission(input, actor, 'read')) continue;
      for (const c of input.columns) {
        const from = c.allowedValues;
        if (!from || Array.isArray(from) || sourceWhere.has(sourceKey(from.source, from.table))) continue;
        const key = sourceKey(from.source, from.table);
        valueColumns.set(key, new Set([...(valueColumns.get(key) ?? []), from.column]));
      }
    }
    for (const [key, columns] of valueColumns) {
      const [source, table] = key.split('\u0000') as [string, string];
      const st = project.sources[source]?.tables[table];
      if (!st || st.database[targetName] !== undefined) continue;
      const list = [...columns].sort().map((c) => `m.${q(c)}`).join(', ');
      planned.push({ schema: st.schema[targetName] ?? source, name: st.identifier, from: `(select distinct ${list} from ${names.source(source, table)} m)`, where: [], ...(st.description ? { description: st.description } : {}) });
    }
  }

  await con.run(`attach ':memory:' as ${q(catalog)}`);
  await con.run(`create schema ${q(catalog)}.${q(INTERNAL_SCHEMA)}`);
  await con.run(`create schema ${q(catalog)}.${q(EMPTY_SCHEMA)}`);
  await con.run(`create table ${q(catalog)}.${q(INTERNAL_SCHEMA)}._params (i integer primary key, v varchar)`);
  for (let i = 0; i < params.length; i++) await con.run(`insert into ${q(catalog)}.${q(INTERNAL_SCHEMA)}._params values ($1, $2)`, [i + 1, params[i] === null ? null : String(params[i])]);

  const schemas = [...new Set(planned.map((p) => p.schema))].sort((a, b) => (a === viewsSchema ? -1 : b === viewsSchema ? 1 : a.localeCompare(b)));
  for (const schema of schemas) await con.run(`create schema ${q(catalog)}.${q(schema)}`);
  const relations: SessionRelation[] = [];
  const descriptionsOf = new Map<SessionRelation, Record<string, string> | undefined>();
  for (const p of planned) {
    const target = `${q(catalog)}.${q(p.schema)}.${q(p.name)}`;
    const where = p.where.length > 0 ? ` where ${p.where.join(' and ')}` : '';
    try {
      await con.run(`create view ${target} as select * from ${p.from} m${where}`);
    } catch {
      continue; // a view the warehouse cannot bind (e.g. a filter's column missing) is left out: nothing unfiltered is shown
    }
    const rel: SessionRelation = { oid: 0, schema: p.schema, name: p.name, ...(p.description ? { description: p.description } : {}), columns: [] };
    relations.push(rel);
    descriptionsOf.set(rel, p.columnDescriptions);
  }
  const columns = await con.runAndReadAll(
    `select v.schema_name as s, v.view_name as n, v.view_oid as oid, c.column_name as c, c.data_type as t
       from duckdb_views() v join duckdb_columns() c on c.database_name = v.database_name and c.schema_name = v.schema_name and c.table_name = v.view_name
      where v.database_name = $1 order by v.schema_name, v.view_name, c.column_index`,
    [catalog],
  );
  for (const row of columns.getRowObjectsJS()) {
    const rel = relations.find((r) => r.schema === row.s && r.name === row.n);
    if (!rel) continue;
    rel.oid = Number(row.oid);
    const description = descriptionsOf.get(rel)?.[String(row.c)];
    rel.columns.push({ name: String(row.c), type: pgTypeOfName(String(row.t)), ...(description ? { description } : {}) });
  }
  return { name: catalog, schemas, relations: relations.filter((r) => r.columns.length > 0) };
}
