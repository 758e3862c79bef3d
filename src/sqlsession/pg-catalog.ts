import type { DuckDBConnection } from '@duckdb/node-api';
import { INFO_SCHEMA, INTERNAL_SCHEMA, PG_SCHEMA, type SessionCatalog } from './session-catalog.js';
import { formatType, pgTypeRows } from './pg-types.js';

/**
 * The pg_catalog and information_schema a session shows, built from the session catalog alone
 * (never from DuckDB's own catalog, which lists every attached database and setting): tables of
 * rows in the session's internal schema, filled with bound inserts, and views and macros over them
 * in the schemas the statement rewrite maps `pg_catalog.x` / `information_schema.x` onto.
 */

/** Namespace OIDs as Postgres has them for its own schemas; the session's start at 16384. */
const PG_CATALOG_OID = 11;
const PUBLIC_OID = 2200;
const INFORMATION_SCHEMA_OID = 13_000;
/** OIDs Postgres gives its catalog tables (pgjdbc and Metabase compare `classoid` with `'pg_class'::regclass`). */
export const SYSTEM_RELATION_OIDS: Readonly<Record<string, number>> = {
  pg_type: 1247,
  pg_attribute: 1249,
  pg_proc: 1255,
  pg_class: 1259,
  pg_namespace: 2615,
  pg_database: 1262,
  pg_description: 2609,
  pg_constraint: 2606,
};

/** Functions the session answers itself (rewritten to its own macros), by name. */
export const SESSION_FUNCTIONS: readonly string[] = [
  'version',
  'current_database',
  'current_catalog',
  'current_schema',
  'current_schemas',
  'current_user',
  'session_user',
  'current_role',
  'user',
  'current_setting',
  'pg_backend_pid',
  'pg_get_userbyid',
  'pg_table_is_visible',
  'pg_type_is_visible',
  'pg_function_is_visible',
  'format_type',
  'pg_get_expr',
  'pg_encoding_to_char',
  'obj_description',
  'col_description',
  'shobj_description',
  'has_table_privilege',
  'has_schema_privilege',
  'has_database_privilege',
  'has_column_privilege',
  'has_any_column_privilege',
  'has_function_privilege',
  'pg_has_role',
  'pg_get_viewdef',
  'pg_get_constraintdef',
  'pg_get_indexdef',
  'pg_get_triggerdef',
  'pg_get_partkeydef',
  'pg_get_serial_sequence',
  'pg_get_function_identity_arguments',
  'pg_postmaster_start_time',
  'pg_is_in_recovery',
  'pg_total_relation_size',
  'pg_relation_size',
  'pg_table_size',
  'to_regclass',
  'format',
  'txid_current',
  'array_upper',
  'array_lower',
  'wb_regclass',
  'wb_regtype',
  'wb_regnamespace',
  'wb_regproc',
  'wb_regrole',
];

/** The session's identity and connection facts the macros answer from. */
export interface SessionFacts {
  user: string;
  database: string;
  serverVersion: string;
  versionText: string;
  pid: number;
}

/** Create the emulated catalog in `catalog` on `con`. */
export async function buildPgCatalog(con: DuckDBConnection, cat: SessionCatalog, facts: SessionFacts, settings: ReadonlyMap<string, string>): Promise<void> {
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const c = q(cat.name);
  const i = `${c}.${q(INTERNAL_SCHEMA)}`;
  const pg = `${c}.${q(PG_SCHEMA)}`;
  const info = `${c}.${q(INFO_SCHEMA)}`;
  const run = (sql: string, params?: (string | number | boolean | null)[]) => con.run(sql, params);

  await run(`create schema ${pg}`);
  await run(`create schema ${info}`);
  await run(`create table ${i}._session (k varchar primary key, v varchar)`);
  for (const [k, v] of Object.entries({ user: facts.user, database: facts.database, version: facts.versionText, pid: String(facts.pid) })) await run(`insert into ${i}._session values ($1, $2)`, [k, v]);
  await run(`create table ${i}._settings (name varchar primary key, setting varchar)`);
  for (const [k, v] of settings) await run(`insert into ${i}._settings values ($1, $2)`, [k, v]);
  await run(`create table ${i}._nsp (oid bigint, nspname varchar)`);
  const nsp = new Map<string, number>([['pg_catalog', PG_CATALOG_OID], ['information_schema', INFORMATION_SCHEMA_OID], ['public', PUBLIC_OID]]);
  cat.schemas.forEach((s, n) => nsp.has(s) || nsp.set(s, 16_384 + n));
  for (const [name, oid] of nsp) await run(`insert into ${i}._nsp values ($1, $2)`, [oid, name]);
  await run(`create table ${i}._rel (oid bigint, nspoid bigint, nspname varchar, relname varchar, description varchar)`);
  await run(`create table ${i}._att (attrelid bigint, attname varchar, attnum integer, atttypid bigint, atttypmod integer, typname varchar, formatted varchar, description varchar)`);
  for (const rel of cat.relations) {
    await run(`insert into ${i}._rel values ($1, $2, $3, $4, $5)`, [rel.oid, nsp.get(rel.schema)!, rel.schema, rel.name, rel.description ?? null]);
    for (const [n, col] of rel.columns.entries())
      await run(`insert into ${i}._att values ($1, $2, $3, $4, $5, $6, $7, $8)`, [rel.oid, col.name, n + 1, col.type.oid, col.type.modifier, col.type.name, formatType(col.type), col.description ?? null]);
  }
  await run(`create table ${i}._type (oid bigint, typname varchar, typlen integer, typelem bigint, formatted varchar)`);
  for (const row of pgTypeRows()) await run(`insert into ${i}._type values ($1, $2, $3, $4, $5)`, [row.type.oid, row.type.name, row.type.size, row.elem, row.format]);

  const fact = (k: string) => `(select v from ${i}._session where k = '${k}')`;
  const setting = (expr: string) => `(select setting from ${i}._settings where name = lower(${expr}))`;
  const visible = `list_contains(string_split(replace(replace(${setting("'search_path'")}, '"', ''), ' ', ''), ','), (select nspname from ${i}._rel where oid = x))`;
  const macros: Record<string, string> = {
    version: `() as ${fact('version')}`,
    current_database: `() as ${fact('database')}`,
    current_catalog: `() as ${fact('database')}`,
    current_user: `() as ${fact('user')}`,
    session_user: `() as ${fact('user')}`,
    current_role: `() as ${fact('user')}`,
    user: `() as ${fact('user')}`,
    current_schema: `() as (select s from unnest(string_split(replace(replace(${setting("'search_path'")}, '"', ''), ' ', ''), ',')) with ordinality t(s, o) where s in (select nspname from ${i}._nsp) order by o limit 1)`,
    current_schemas: `(b) as (select list(s order by o) from unnest(string_split(replace(replace(${setting("'search_path'")}, '"', ''), ' ', ''), ',')) with ordinality t(s, o) where s in (select nspname from ${i}._nsp))`,
    current_setting: `(p_name) as coalesce(${setting('p_name')}, error('unrecognized configuration parameter "' || p_name || '"')), (p_name, p_missing_ok) as ${setting('p_name')}`,
    pg_backend_pid: `() as cast(${fact('pid')} as integer)`,
    pg_get_userbyid: `(x) as ${fact('user')}`,
    pg_table_is_visible: `(x) as coalesce(${visible}, false)`,
    pg_type_is_visible: `(x) as true`,
    pg_function_is_visible: `(x) as true`,
    format_type: `(t, m) as coalesce((select any_value(formatted) from ${i}._att where atttypid = t and atttypmod is not distinct from m), (select formatted from ${i}._type where oid = t))`,
    pg_get_expr: `(a, b) as cast(null as varchar), (a, b, c) as cast(null as varchar)`,
    pg_encoding_to_char: `(x) as 'UTF8'`,
    obj_description: `(o) as (select description from ${i}._rel where oid = o), (o, c) as (select description from ${i}._rel where oid = o)`,
    col_description: `(o, n) as (select description from ${i}._att where attrelid = o and attnum = n)`,
    shobj_description: `(o, c) as cast(null as varchar)`,
    has_table_privilege: `(a, b) as true, (a, b, c) as true`,
    has_schema_privilege: `(a, b) as true, (a, b, c) as true`,
    has_database_privilege: `(a, b) as true, (a, b, c) as true`,
    has_column_privilege: `(a, b, c) as true, (a, b, c, d) as true`,
    has_any_column_privilege: `(a, b) as true, (a, b, c) as true`,
    has_function_privilege: `(a, b) as false, (a, b, c) as false`,
    pg_has_role: `(a, b) as true, (a, b, c) as true`,
    pg_get_viewdef: `(o) as cast(null as varchar), (o, p) as cast(null as varchar)`,
    pg_get_constraintdef: `(o) as cast(null as varchar), (o, p) as cast(null as varchar)`,
    pg_get_indexdef: `(o) as cast(null as varchar), (o, c, p) as cast(null as varchar)`,
    pg_get_triggerdef: `(o) as cast(null as varchar), (o, p) as cast(null as varchar)`,
    pg_get_partkeydef: `(o) as cast(null as varchar)`,
    pg_get_serial_sequence: `(t, c) as cast(null as varchar)`,
    pg_get_function_identity_arguments: `(o) as ''`,
    pg_postmaster_start_time: `() as current_timestamp`,
    pg_is_in_recovery: `() as false`,
    pg_total_relation_size: `(x) as cast(0 as bigint)`,
    pg_relation_size: `(x) as cast(0 as bigint), (x, f) as cast(0 as bigint)`,
    pg_table_size: `(x) as cast(0 as bigint)`,
    to_regclass: `(x) as wb_regclass(x)`,
    format: `(f) as f, (f, a) as printf(replace(replace(f, '%I', '%s'), '%L', '''%s'''), a), (f, a, b) as printf(replace(replace(f, '%I', '%s'), '%L', '''%s'''), a, b), (f, a, b, c) as printf(replace(replace(f, '%I', '%s'), '%L', '''%s'''), a, b, c)`,
    txid_current: `() as cast(1 as bigint)`,
    array_upper: `(a, d) as len(a)`,
    array_lower: `(a, d) as case when len(a) > 0 then 1 end`,
    wb_regclass: `(x) as coalesce(
        try_cast(x as bigint),
        (select oid from ${i}._rel r where lower(r.relname) = lower(split_part(cast(x as varchar), '.', -1)) and (strpos(cast(x as varchar), '.') = 0 or lower(r.nspname) = lower(split_part(cast(x as varchar), '.', 1))) limit 1),
        (map {${Object.entries(SYSTEM_RELATION_OIDS).map(([k, v]) => `'${k}': ${v}`).join(', ')}})[replace(lower(cast(x as varchar)), 'pg_catalog.', '')])`,
    wb_regtype: `(x) as coalesce((select formatted from ${i}._type where oid = try_cast(x as bigint)), cast(x as varchar))`,
    wb_regnamespace: `(x) as coalesce(try_cast(x as bigint), (select oid from ${i}._nsp where nspname = lower(cast(x as varchar))))`,
    wb_regproc: `(x) as cast(x as varchar)`,
    wb_regrole: `(x) as cast(x as varchar)`,
  };
  // wb_regclass first: to_regclass calls it
  const order = ['wb_regclass', ...Object.keys(macros).filter((m) => m !== 'wb_regclass')];
  for (const name of order) await run(`create macro ${pg}.${q(name)}${macros[name]!.replace(/wb_regclass\(x\)/g, name === 'wb_regclass' ? 'wb_regclass(x)' : `${pg}.wb_regclass(x)`)}`);

  const views: Record<string, string> = {
    pg_namespace: `select oid, nspname, cast(10 as bigint) as nspowner, cast(null as varchar[]) as nspacl from ${i}._nsp`,
    pg_class: `select r.oid, r.relname, r.nspoid as relnamespace, cast(0 as bigint) as reltype, cast(0 as bigint) as reloftype, cast(10 as bigint) as relowner,
        cast(0 as bigint) as relam, cast(0 as bigint) as relfilenode, cast(0 as bigint) as reltablespace, 0 as relpages, cast(-1 as real) as reltuples,
        0 as relallvisible, cast(0 as bigint) as reltoastrelid, false as relhasindex, false as relisshared, 'p' as relpersistence, 'v' as relkind,
        cast((select count(*) from ${i}._att a where a.attrelid = r.oid) as smallint) as relnatts, cast(0 as smallint) as relchecks, true as relhasrules,
        false as relhastriggers, false as relhassubclass, false as relrowsecurity, false as relforcerowsecurity, true as relispopulated,
        'n' as relreplident, false as relispartition, cast(0 as bigint) as relrewrite, cast(0 as bigint) as relfrozenxid, cast(0 as bigint) as relminmxid,
        cast(null as varchar[]) as relacl, cast(null as varchar[]) as reloptions, cast(null as varchar) as relpartbound
      from ${i}._rel r`,
    pg_attribute: `select a.attrelid, a.attname, a.atttypid, -1 as attstattarget, cast(coalesce((select typlen from ${i}._type t where t.oid = a.atttypid), -1) as smallint) as attlen,
        cast(a.attnum as smallint) as attnum, 0 as attndims, -1 as attcacheoff, a.atttypmod, false as attbyval, 'i' as attalign, 'x' as attstorage, '' as attcompression,
        false as attnotnull, false as atthasdef, false as atthasmissing, '' as attidentity, '' as attgenerated, false as attisdropped, true as attislocal,
        0 as attinhcount, cast(0 as bigint) as attcollation, cast(null as varchar[]) as attacl, cast(null as varchar[]) as attoptions,
        cast(null as varchar[]) as attfdwoptions, cast(null as varchar) as attmissingval
      from ${i}._att a`,
    pg_type: `select oid, typname, cast(${PG_CATALOG_OID} as bigint) as typnamespace, cast(10 as bigint) as typowner, cast(typlen as smallint) as typlen, typlen > 0 as typbyval,
        case when typelem <> 0 then 'b' else 'b' end as typtype, case when typelem <> 0 then 'A' else 'U' end as typcategory, false as typispreferred, true as typisdefined,
        ',' as typdelim, cast(0 as bigint) as typrelid, typelem, cast(coalesce((select a.oid from ${i}._type a where a.typelem = t.oid), 0) as bigint) as typarray,
        typname || 'in' as typinput, typname || 'out' as typoutput, typname || 'recv' as typreceive, typname || 'send' as typsend, '-' as typmodin, '-' as typmodout,
        '-' as typanalyze, 'i' as typalign, 'p' as typstorage, false as typnotnull, cast(0 as bigint) as typbasetype, -1 as typtypmod, 0 as typndims,
        cast(0 as bigint) as typcollation, cast(null as varchar) as typdefaultbin, cast(null as varchar) as typdefault, cast(null as varchar[]) as typacl
      from ${i}._type t`,
    pg_database: `select cast(16384 as bigint) as oid, ${fact('database')} as datname, cast(10 as bigint) as datdba, 6 as encoding, 'c' as datlocprovider,
        false as datistemplate, true as datallowconn, -1 as datconnlimit, cast(0 as bigint) as datfrozenxid, cast(0 as bigint) as datminmxid,
        cast(1663 as bigint) as dattablespace, 'C.UTF-8' as datcollate, 'C.UTF-8' as datctype, cast(null as varchar) as daticulocale,
        cast(null as varchar) as datcollversion, cast(null as varchar[]) as datacl`,
    pg_description: `select oid as objoid, cast(1259 as bigint) as classoid, 0 as objsubid, description from ${i}._rel where description is not null
      union all select attrelid, cast(1259 as bigint), attnum, description from ${i}._att where description is not null`,
    pg_settings: `select name, setting, cast(null as varchar) as unit, 'Ungrouped' as category, '' as short_desc, cast(null as varchar) as extra_desc, 'user' as context,
        'string' as vartype, 'session' as source, cast(null as varchar) as min_val, cast(null as varchar) as max_val, cast(null as varchar[]) as enumvals,
        setting as boot_val, setting as reset_val, cast(null as varchar) as sourcefile, cast(null as integer) as sourceline, false as pending_restart
      from ${i}._settings`,
    pg_roles: `select ${fact('user')} as rolname, false as rolsuper, true as rolinherit, false as rolcreaterole, false as rolcreatedb, true as rolcanlogin,
        false as rolreplication, -1 as rolconnlimit, '********' as rolpassword, cast(null as timestamptz) as rolvaliduntil, false as rolbypassrls,
        cast(null as varchar[]) as rolconfig, cast(10 as bigint) as oid`,
    pg_user: `select ${fact('user')} as usename, cast(10 as bigint) as usesysid, false as usecreatedb, false as usesuper, false as userepl, false as usebypassrls,
        '********' as passwd, cast(null as timestamptz) as valuntil, cast(null as varchar[]) as useconfig`,
    pg_am: `select * from (values (cast(2 as bigint), 'heap', 'heap_tableam_handler', 't'), (cast(403 as bigint), 'btree', 'bthandler', 'i')) t(oid, amname, amhandler, amtype)`,
    pg_attrdef: `select cast(0 as bigint) as oid, cast(0 as bigint) as adrelid, cast(0 as smallint) as adnum, cast(null as varchar) as adbin where false`,
    pg_collation: `select cast(100 as bigint) as oid, 'default' as collname, cast(${PG_CATALOG_OID} as bigint) as collnamespace, cast(10 as bigint) as collowner, 'd' as collprovider, true as collisdeterministic, -1 as collencoding, cast(null as varchar) as collcollate, cast(null as varchar) as collctype`,
    pg_index: `select cast(0 as bigint) as indexrelid, cast(0 as bigint) as indrelid, cast(0 as smallint) as indnatts, false as indisunique, false as indisprimary, cast([] as smallint[]) as indkey, cast(null as varchar) as indexprs, cast(null as varchar) as indpred where false`,
    pg_constraint: `select cast(0 as bigint) as oid, '' as conname, cast(0 as bigint) as connamespace, '' as contype, cast(0 as bigint) as conrelid, cast(0 as bigint) as confrelid, cast([] as smallint[]) as conkey, cast([] as smallint[]) as confkey where false`,
    pg_inherits: `select cast(0 as bigint) as inhrelid, cast(0 as bigint) as inhparent, 0 as inhseqno where false`,
    pg_proc: `select cast(0 as bigint) as oid, '' as proname, cast(0 as bigint) as pronamespace, cast(0 as bigint) as prorettype, '' as prokind where false`,
    pg_trigger: `select cast(0 as bigint) as oid, cast(0 as bigint) as tgrelid, '' as tgname where false`,
    pg_rewrite: `select cast(0 as bigint) as oid, '' as rulename, cast(0 as bigint) as ev_class where false`,
    pg_enum: `select cast(0 as bigint) as oid, cast(0 as bigint) as enumtypid, cast(0 as real) as enumsortorder, '' as enumlabel where false`,
    pg_range: `select cast(0 as bigint) as rngtypid, cast(0 as bigint) as rngsubtype where false`,
    pg_extension: `select cast(0 as bigint) as oid, '' as extname, cast(0 as bigint) as extnamespace, '' as extversion where false`,
    pg_tablespace: `select cast(1663 as bigint) as oid, 'pg_default' as spcname, cast(10 as bigint) as spcowner`,
    pg_matviews: `select '' as schemaname, '' as matviewname, '' as matviewowner, '' as definition where false`,
    pg_tables: `select '' as schemaname, '' as tablename, '' as tableowner, cast(null as varchar) as tablespace, false as hasindexes, false as hasrules, false as hastriggers, false as rowsecurity where false`,
    pg_views: `select nspname as schemaname, relname as viewname, ${fact('user')} as viewowner, cast(null as varchar) as definition from ${i}._rel`,
    pg_foreign_table: `select cast(0 as bigint) as ftrelid, cast(0 as bigint) as ftserver where false`,
    pg_partitioned_table: `select cast(0 as bigint) as partrelid where false`,
    pg_stat_user_tables: `select oid as relid, nspname as schemaname, relname, cast(null as bigint) as n_live_tup, cast(null as bigint) as n_dead_tup from ${i}._rel where false`,
    pg_statio_user_tables: `select oid as relid, nspname as schemaname, relname from ${i}._rel where false`,
    pg_indexes: `select '' as schemaname, '' as tablename, '' as indexname, cast(null as varchar) as tablespace, '' as indexdef where false`,
    pg_sequences: `select '' as schemaname, '' as sequencename where false`,
    pg_stat_activity: `select cast(16384 as bigint) as datid, ${fact('database')} as datname, cast(${fact('pid')} as integer) as pid, ${fact('user')} as usename, 'active' as state`,
  };
  for (const [name, sql] of Object.entries(views)) await run(`create view ${pg}.${q(name)} as ${sql}`);

  const infoViews: Record<string, string> = {
    schemata: `select ${fact('database')} as catalog_name, nspname as schema_name, ${fact('user')} as schema_owner, cast(null as varchar) as default_character_set_catalog,
        cast(null as varchar) as default_character_set_schema, cast(null as varchar) as default_character_set_name, cast(null as varchar) as sql_path from ${i}._nsp`,
    tables: `select ${fact('database')} as table_catalog, nspname as table_schema, relname as table_name, 'VIEW' as table_type, cast(null as varchar) as self_referencing_column_name,
        cast(null as varchar) as reference_generation, cast(null as varchar) as user_defined_type_catalog, cast(null as varchar) as user_defined_type_schema,
        cast(null as varchar) as user_defined_type_name, 'NO' as is_insertable_into, 'NO' as is_typed, cast(null as varchar) as commit_action from ${i}._rel`,
    views: `select ${fact('database')} as table_catalog, nspname as table_schema, relname as table_name, cast(null as varchar) as view_definition, 'NONE' as check_option,
        'NO' as is_updatable, 'NO' as is_insertable_into, 'NO' as is_trigger_updatable, 'NO' as is_trigger_deletable, 'NO' as is_trigger_insertable_into from ${i}._rel`,
    table_constraints: `select ${fact('database')} as constraint_catalog, '' as constraint_schema, '' as constraint_name, ${fact('database')} as table_catalog, '' as table_schema, '' as table_name, '' as constraint_type, 'NO' as is_deferrable, 'NO' as initially_deferred, 'YES' as enforced where false`,
    key_column_usage: `select ${fact('database')} as constraint_catalog, '' as constraint_schema, '' as constraint_name, ${fact('database')} as table_catalog, '' as table_schema, '' as table_name, '' as column_name, 0 as ordinal_position, cast(null as integer) as position_in_unique_constraint where false`,
    referential_constraints: `select '' as constraint_catalog, '' as constraint_schema, '' as constraint_name where false`,
    routines: `select '' as routine_catalog, '' as routine_schema, '' as routine_name, '' as routine_type where false`,
    columns: `select ${fact('database')} as table_catalog, r.nspname as table_schema, r.relname as table_name, a.attname as column_name, a.attnum as ordinal_position,
        cast(null as varchar) as column_default, 'YES' as is_nullable,
        coalesce((select formatted from ${i}._type t where t.oid = a.atttypid), a.typname) as data_type,
        cast(null as integer) as character_maximum_length, cast(null as integer) as character_octet_length,
        case when a.atttypmod >= 4 and a.typname = 'numeric' then (a.atttypmod - 4) >> 16 end as numeric_precision, cast(case when a.typname = 'numeric' then 10 end as integer) as numeric_precision_radix,
        case when a.atttypmod >= 4 and a.typname = 'numeric' then (a.atttypmod - 4) & 65535 end as numeric_scale, cast(null as integer) as datetime_precision,
        ${fact('database')} as udt_catalog, 'pg_catalog' as udt_schema, a.typname as udt_name, 'NO' as is_identity, 'NEVER' as is_generated, 'NO' as is_updatable
      from ${i}._att a join ${i}._rel r on r.oid = a.attrelid`,
  };
  for (const [name, sql] of Object.entries(infoViews)) await run(`create view ${info}.${q(name)} as ${sql}`);
}
