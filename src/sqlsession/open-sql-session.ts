import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Actor } from '../auth/actor.js';
import { isAdmin } from '../auth/permissions.js';
import type { Writeback } from '../library/writeback.js';
import { failure, type Outcome } from '../rules/outcome.js';
import { buildPgCatalog } from './pg-catalog.js';
import { buildSessionCatalog, EMPTY_SCHEMA, INFO_SCHEMA, PG_SCHEMA, sessionCatalogName } from './session-catalog.js';
import { defaultSettings, SERVER_VERSION, STARTUP_SETTINGS } from './session-commands.js';
import { DuckDBSqlSession } from './sql-session.js';
import { DEFAULT_SQL_LIMITS, type SqlSession, type SqlSessionLimits } from './types.js';


/** An adapter that hands out raw connections of its instance (the DuckDB adapter). */
interface SessionCapable {
  sessionConnection(): Promise<DuckDBConnection>;
}

function canOpenSessions(adapter: unknown): adapter is SessionCapable {
  return typeof (adapter as { sessionConnection?: unknown }).sessionConnection === 'function';
}

function productVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

let nextPid = 10_000;

/**
 * DuckDB's own macros that read its catalog or settings (e.g. `pg_get_viewdef` over
 * `duckdb_views()`): a statement may not call them, as they would see past the session catalog.
 */
async function engineCatalogMacros(con: DuckDBConnection): Promise<Set<string>> {
  const rows = await con.runAndReadAll(
    `select distinct lower(function_name) as f from duckdb_functions()
      where database_name = 'system' and function_type in ('macro', 'table_macro')
        and (macro_definition ilike '%from%' or macro_definition ilike '%duckdb_%' or macro_definition ilike '%setting%' or macro_definition ilike '%getvariable%')`,
  );
  return new Set(rows.getRowObjectsJS().map((r) => String(r.f)));
}

/**
 * Open a SQL session for `actor` (undefined: the administrator) over the project `wb` serves: a
 * dedicated connection of the server's own DuckDB instance and a session catalog holding only
 * what the actor may read. A role that may read nothing is `forbidden`; a target other than
 * DuckDB is `bad_request` (BI tools connect to that warehouse itself).
 */
export async function openSqlSession(
  wb: Writeback,
  actor: Actor | undefined,
  limits?: Partial<SqlSessionLimits>,
  startup: Readonly<Record<string, string>> = {},
): Promise<Outcome<{ session: SqlSession }>> {
  const adapter = wb.adapter;
  if (!canOpenSessions(adapter))
    return failure('bad_request', `SQL sessions read the embedded DuckDB warehouse; target '${wb.targetName}' is ${adapter.dialect.name}: connect BI tools to that warehouse itself`);
  const project = wb.project;
  const con = await adapter.sessionConnection();
  const name = sessionCatalogName();
  try {
    const catalog = await buildSessionCatalog(con, { project, targetName: wb.targetName, dialect: adapter.dialect, actor, catalog: name });
    if (!isAdmin(actor) && catalog.relations.length === 0) {
      await con.run(`detach "${name}"`).catch(() => undefined);
      con.closeSync();
      return failure('forbidden', `role '${actor?.role}' may read no model, history or source of project '${project.name}': a SQL connection needs read permission on an input table`);
    }
    const duckdb = String((await con.runAndReadAll('select version() as v')).getRowObjects()[0]!.v);
    const user = actor?.user ?? 'admin';
    const settings = defaultSettings(project.schemas.views, SERVER_VERSION);
    for (const name of STARTUP_SETTINGS) if (Object.hasOwn(startup, name)) settings.set(name, startup[name]!);
    const pid = nextPid++;
    await buildPgCatalog(con, catalog, { user, database: project.name, serverVersion: SERVER_VERSION, versionText: `PostgreSQL ${SERVER_VERSION} (writeback ${productVersion()} on DuckDB ${duckdb})`, pid }, settings);
    const listed = async (schema: string) =>
      new Set(
        (await con.runAndReadAll(`select lower(view_name) as n from duckdb_views() where database_name = $1 and schema_name = $2`, [name, schema])).getRowObjectsJS().map((r) => String(r.n)),
      );
    const pgNames = await listed(PG_SCHEMA);
    const infoNames = await listed(INFO_SCHEMA);
    const macros = await engineCatalogMacros(con);
    await con.run(`use "${name}"."${EMPTY_SCHEMA}"`);
    const session = new DuckDBSqlSession(con, catalog, settings, { ...DEFAULT_SQL_LIMITS, ...limits }, macros, pgNames, infoNames, user, project.name, !isAdmin(actor));
    return { ok: true, session };
  } catch (err) {
    await con.run(`detach "${name}"`).catch(() => undefined);
    con.closeSync();
    throw err;
  }
}

/**
 * Bound the memory of the server's DuckDB instance, which every SQL session's statements share
 * with the server's own writes: DuckDB limits memory per instance, not per connection, so this is
 * what keeps one statement from growing the server until the system kills it — beyond it the
 * statement fails (53200 out_of_memory) and large sorts and joins spill to disk.
 */
export async function limitEngineMemory(wb: Writeback, bytes: number): Promise<void> {
  const adapter = wb.adapter;
  if (!canOpenSessions(adapter)) return;
  const con = await adapter.sessionConnection();
  try {
    // a whole number of MiB we computed, never text from a request
    await con.run(`set memory_limit = '${Math.max(64, Math.floor(bytes / 1024 ** 2))}MiB'`);
  } finally {
    con.closeSync();
  }
}

