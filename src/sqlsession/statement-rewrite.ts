import { SESSION_FUNCTIONS } from './pg-catalog.js';
import { INFO_SCHEMA, PG_SCHEMA } from './session-catalog.js';
import { SqlError } from './types.js';

/**
 * The rewrite of one SELECT, on the statement tree DuckDB serialized (`json_serialize_sql`): every
 * relation it names is resolved against the session catalog and qualified with it — a name the
 * session does not hold (hidden or absent alike) is 42P01; table functions are allow-listed and
 * functions that read the engine's state or have side effects are refused (42501); Postgres
 * functions and casts the session answers itself are pointed at its own macros. Nothing is decided
 * on SQL text: DuckDB parsed it, and DuckDB turns the rewritten tree back into SQL.
 */

/** Where the session finds relations. */
export interface RelationResolver {
  /** The session catalog's (random) name. */
  catalog: string;
  /** What the client knows the database as (a catalog part naming it is accepted). */
  database: string;
  /** The session's relations by lower-case `schema` → lower-case `name` → stored names. */
  relations: ReadonlyMap<string, ReadonlyMap<string, { schema: string; name: string }>>;
  /** Emulated catalog relations: lower-case name → exists in `pg_catalog` / `information_schema`. */
  pgCatalog: ReadonlySet<string>;
  infoSchema: ReadonlySet<string>;
  /** Schemas searched for an unqualified name, in order (after pg_catalog). */
  searchPath: readonly string[];
}

/** Table functions a statement may call: they compute rows from their arguments alone. */
const TABLE_FUNCTIONS = new Set(['range', 'generate_series', 'unnest', 'generate_subscripts']);

/** Functions that read files, settings, the engine's catalog or state, or change something. */
const DENIED_FUNCTIONS = new Set([
  'nextval',
  'currval',
  'setseed',
  'getvariable',
  'getenv',
  'set_config',
  'query',
  'query_table',
  'json_execute_serialized_sql',
  'json_serialize_plan',
  'sniff_csv',
  'glob',
  'pg_read_file',
  'pg_read_binary_file',
  'pg_ls_dir',
  'pg_stat_file',
  'lo_import',
  'lo_export',
  'pg_sleep',
  'sleep_ms',
  'get_block_size',
  'current_setting_internal',
  'enable_logging',
  'disable_logging',
  'truncate_duckdb_logs',
  'checkpoint',
  'force_checkpoint',
  // statistics of the stored column (min/max of every row, not only the rows the role reads)
  'stats',
  // a message of the caller's choosing, raised wherever the engine evaluates it
  'error',
]);
const DENIED_PREFIXES = ['duckdb_', 'pragma_', 'read_', 'parquet_', 'iceberg_', 'delta_', 'st_read', 'pg_read_', 'pg_ls_', 'pg_stat_', 'sqlite_', 'postgres_', 'mysql_', 'http_'];

/** Whether a function is refused; `engineMacros` are DuckDB's built-in macros that read its catalog or settings. */
export function deniedFunction(name: string, engineMacros: ReadonlySet<string>): boolean {
  const n = name.toLowerCase();
  return DENIED_FUNCTIONS.has(n) || n.includes('secret') || DENIED_PREFIXES.some((p) => n.startsWith(p)) || engineMacros.has(n);
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
/** The CTEs of one WITH: lower-case name → the name it is given in the rewritten statement. */
type Scope = ReadonlyMap<string, string>;
type Obj = { [k: string]: Json };

const isObj = (v: Json | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const REG_CASTS = new Set(['regclass', 'regtype', 'regnamespace', 'regproc', 'regprocedure', 'regrole', 'regoper']);
const TEXT_CASTS = new Set(['name', 'char', '"char"', 'bpchar', 'unknown']);
const KEYWORD_FUNCTIONS = new Set(['current_user', 'session_user', 'user', 'current_role', 'current_catalog', 'current_schema']);
const TABLE_REFS = new Set(['BASE_TABLE', 'SUBQUERY', 'JOIN', 'TABLE_FUNCTION', 'EXPRESSION_LIST', 'EMPTY', 'PIVOT']);

/** `relation "x" does not exist` at the 1-based character position of the name. */
function undefinedRelation(name: string, location: Json | undefined): SqlError {
  return new SqlError('42P01', `relation "${name}" does not exist`, undefined, undefined, position(location));
}

function position(location: Json | undefined): number | undefined {
  return typeof location === 'number' && location < 1e15 ? location + 1 : undefined;
}

function functionNode(catalog: string, schema: string, name: string, children: Json[], location: Json | undefined): Obj {
  return {
    class: 'FUNCTION',
    type: 'FUNCTION',
    alias: '',
    query_location: location ?? 0,
    function_name: name,
    schema,
    children,
    filter: null,
    order_bys: { type: 'ORDER_MODIFIER', orders: [] },
    distinct: false,
    is_operator: false,
    export_state: false,
    catalog,
  };
}

/** Rewrite one serialized statement in place (see the module comment); throws SqlError. */
export function rewriteStatement(statement: Json, resolver: RelationResolver, engineMacros: ReadonlySet<string>, quotedNames: ReadonlySet<string> = new Set()): Json {
  const session = (name: string) => SESSION_FUNCTIONS.includes(name);

  // CTEs get names no catalog holds, so a reference the engine would not bind to the CTE fails instead of reaching a catalog table
  let cteCount = 0;
  const resolve = (ref: Obj, ctes: readonly Scope[]): void => {
    const catalog = String(ref.catalog_name ?? '');
    const schema = String(ref.schema_name ?? '');
    const table = String(ref.table_name ?? '');
    const written = [catalog, schema, table].filter((p) => p !== '').join('.');
    const t = table.toLowerCase();
    if (catalog === '' && schema === '') {
      const scope = [...ctes].reverse().find((s) => s.has(t));
      if (scope) {
        ref.table_name = scope.get(t)!;
        if (ref.alias === '' || ref.alias === undefined) ref.alias = table;
        return;
      }
    }
    if (catalog !== '' && catalog.toLowerCase() !== resolver.database.toLowerCase()) throw undefinedRelation(written, ref.query_location);
    const point = (s: string, name: string) => {
      ref.catalog_name = resolver.catalog;
      ref.schema_name = s;
      ref.table_name = name;
    };
    const inSchema = (s: string): boolean => {
      const ls = s.toLowerCase();
      if (ls === 'pg_catalog') return resolver.pgCatalog.has(t) ? (point(PG_SCHEMA, t), true) : false;
      if (ls === 'information_schema') return resolver.infoSchema.has(t) ? (point(INFO_SCHEMA, t), true) : false;
      const found = resolver.relations.get(ls)?.get(t);
      return found ? (point(found.schema, found.name), true) : false;
    };
    if (schema !== '') {
      if (!inSchema(schema)) throw undefinedRelation(written, ref.query_location);
      return;
    }
    for (const s of ['pg_catalog', ...resolver.searchPath]) if (inSchema(s)) return;
    throw undefinedRelation(written, ref.query_location);
  };

  const fn = (node: Obj): void => {
    const name = String(node.function_name ?? '');
    const lower = name.toLowerCase();
    if (node.is_operator === true) return;
    const catalog = String(node.catalog ?? '');
    const schema = String(node.schema ?? '');
    const qualified = [catalog, schema, name].filter((p) => p !== '').join('.');
    if (catalog !== '' || (schema !== '' && !['pg_catalog', 'main'].includes(schema.toLowerCase()))) throw new SqlError('42883', `function ${qualified}() does not exist`, undefined, undefined, position(node.query_location));
    if (session(lower)) {
      node.catalog = resolver.catalog;
      node.schema = PG_SCHEMA;
      node.function_name = lower;
      return;
    }
    if (deniedFunction(lower, engineMacros)) throw new SqlError('42501', `permission denied for function ${name}`, undefined, undefined, position(node.query_location));
    node.schema = '';
  };

  const walk = (value: Json, ctes: readonly Scope[]): Json => {
    if (Array.isArray(value)) return value.map((v) => walk(v, ctes));
    if (!isObj(value)) return value;
    // a query node: a CTE is in scope for the CTEs after it and for the body; a recursive one also in its recursive part
    if (isObj(value.cte_map) && Array.isArray(value.cte_map.map)) {
      const names = new Map<string, string>();
      for (const entry of value.cte_map.map) {
        if (!isObj(entry)) continue;
        const lower = String(entry.key).toLowerCase();
        const id = `wb_cte_${cteCount++}`;
        const before = [...ctes, new Map(names)];
        const node = isObj(entry.value) && isObj(entry.value.query) && isObj(entry.value.query.node) ? entry.value.query.node : undefined;
        if (node?.type === 'RECURSIVE_CTE_NODE') {
          const withSelf = [...ctes, new Map([...names, [lower, id]])];
          for (const [k, v] of Object.entries(node)) node[k] = k === 'right' ? walk(v, withSelf) : walk(v, before);
          node.cte_name = id;
          for (const [k, v] of Object.entries(entry.value as Obj)) if (k !== 'query') (entry.value as Obj)[k] = walk(v, before);
        } else entry.value = walk(entry.value ?? null, before);
        names.set(lower, id);
        entry.key = id;
      }
      const scope = [...ctes, names];
      for (const [k, v] of Object.entries(value)) if (k !== 'cte_map') value[k] = walk(v, scope);
      return value;
    }
    const type = typeof value.type === 'string' ? value.type : '';
    // a table reference (expressions carry a `class`, table references do not)
    if (value.class === undefined && 'sample' in value && 'alias' in value) {
      if (!TABLE_REFS.has(type)) throw new SqlError('0A000', 'DESCRIBE, SHOW and SUMMARIZE are not supported here: query information_schema or pg_catalog', undefined, undefined, position(value.query_location));
      if (type === 'BASE_TABLE') resolve(value, ctes);
      if (type === 'TABLE_FUNCTION' && isObj(value.function)) {
        const f = value.function;
        const name = String(f.function_name ?? '').toLowerCase();
        if (String(f.catalog ?? '') !== '' || String(f.schema ?? '') !== '' || !TABLE_FUNCTIONS.has(name))
          throw new SqlError('42501', `permission denied for function ${String(f.function_name)}`, undefined, undefined, position(f.query_location));
        f.children = walk(f.children ?? [], ctes);
        for (const [k, v] of Object.entries(value)) if (k !== 'function') value[k] = walk(v, ctes);
        return value;
      }
    }
    if (value.class === 'COLUMN_REF' && Array.isArray(value.column_names) && value.column_names.length === 1 && KEYWORD_FUNCTIONS.has(String(value.column_names[0]).toLowerCase())) {
      const name = String(value.column_names[0]).toLowerCase();
      const call = functionNode(resolver.catalog, PG_SCHEMA, name, [], value.query_location);
      call.alias = value.alias ?? '';
      return call;
    }
    if (value.class === 'COLLATE') return walk(value.child ?? null, ctes);
    if (value.class === 'CAST' && isObj(value.cast_type) && value.cast_type.id === 'UNBOUND' && isObj(value.cast_type.type_info)) {
      const info = value.cast_type.type_info;
      const typeName = String(info.name ?? '').toLowerCase();
      const typeSchema = String(info.schema ?? '').toLowerCase();
      if (String(info.catalog ?? '') !== '' || (typeSchema !== '' && typeSchema !== 'pg_catalog')) throw new SqlError('42704', `type "${String(info.name)}" does not exist`, undefined, undefined, position(value.query_location));
      const child = walk(value.child ?? null, ctes);
      if (REG_CASTS.has(typeName)) {
        const call = functionNode(resolver.catalog, PG_SCHEMA, `wb_${typeName === 'regprocedure' || typeName === 'regoper' ? 'regproc' : typeName}`, [child], value.query_location);
        call.alias = String(value.alias ?? '');
        return call;
      }
      if (TEXT_CASTS.has(typeName)) return { ...value, child, cast_type: { id: 'VARCHAR', type_info: null } };
      info.schema = '';
      return { ...value, child };
    }
    if (value.class === 'FUNCTION' || value.class === 'WINDOW') fn(value);
    for (const [k, v] of Object.entries(value)) value[k] = walk(v, ctes);
    return value;
  };

  const rewritten = walk(statement, []);
  if (isObj(rewritten) && isObj(rewritten.node)) nameColumns(rewritten.node, quotedNames);
  return rewritten;
}

/**
 * Output names as Postgres gives them: an alias folded to lower case unless the statement quotes
 * it (`quotedNames`: the quoted identifiers of the statement's text); where the statement names
 * none, a function's name (`count`, `version`), `?column?` for a constant.
 */
function nameColumns(node: Obj, quotedNames: ReadonlySet<string>): void {
  if (node.type === 'SET_OPERATION_NODE' && isObj(node.left)) return nameColumns(node.left, quotedNames);
  if (node.type !== 'SELECT_NODE' || !Array.isArray(node.select_list)) return;
  for (const expr of node.select_list) {
    if (!isObj(expr)) continue;
    if (typeof expr.alias === 'string' && expr.alias !== '' && !quotedNames.has(expr.alias)) expr.alias = expr.alias.toLowerCase();
    if (expr.alias !== '') continue;
    if ((expr.class === 'FUNCTION' || expr.class === 'WINDOW' || expr.class === 'AGGREGATE') && expr.is_operator !== true) {
      const name = String(expr.function_name ?? '').toLowerCase();
      expr.alias = name === 'count_star' ? 'count' : name;
    } else if (expr.class === 'CONSTANT' || (expr.class === 'FUNCTION' && expr.is_operator === true)) expr.alias = '?column?';
    else if (expr.class === 'CAST' && isObj(expr.child) && expr.child.class === 'COLUMN_REF' && Array.isArray(expr.child.column_names)) expr.alias = String(expr.child.column_names[expr.child.column_names.length - 1]);
  }
}
