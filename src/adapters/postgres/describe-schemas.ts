import type { Adapter, TableInfo } from '../adapter.js';

/**
 * Tables and views with their columns, types as `format_type` writes them (`numeric(18,2)`,
 * `timestamp with time zone`), and the key columns of each table's plain indexes (see {@link readIndexes}).
 */
export async function describePostgresSchemas(adapter: Pick<Adapter, 'query'>, schemas: string[]): Promise<TableInfo[]> {
  if (schemas.length === 0) return [];
  const schemaArray = `{${schemas.map((s) => `"${s.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
  const rows = await adapter.query<{ schema: string; name: string; kind: string; column: string; data_type: string }>(
    `select n.nspname as schema, c.relname as name, c.relkind as kind, a.attname as column,
            format_type(a.atttypid, a.atttypmod) as data_type
       from pg_catalog.pg_class c
       join pg_catalog.pg_namespace n on n.oid = c.relnamespace
       join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      where n.nspname = any($1::text[]) and c.relkind in ('r', 'p', 'v', 'm', 'f')
      order by n.nspname, c.relname, a.attnum`,
    [schemaArray],
  );
  const tables = new Map<string, TableInfo>();
  for (const r of rows) {
    const id = `${r.schema}.${r.name}`;
    let table = tables.get(id);
    if (!table) {
      table = { schema: r.schema, name: r.name, kind: r.kind === 'v' || r.kind === 'm' ? 'view' : 'table', columns: [] };
      tables.set(id, table);
    }
    table.columns.push({ name: r.column, dataType: r.data_type });
  }
  for (const t of tables.values()) if (t.kind === 'table') t.indexes = [];
  for (const r of await readIndexes(adapter, schemaArray)) tables.get(`${r.schema}.${r.name}`)?.indexes?.push(r.columns);
  return [...tables.values()];
}

/** Key columns of every index on a table of these schemas (a Postgres text array literal), except partial and expression indexes. */
function readIndexes(adapter: Pick<Adapter, 'query'>, schemaArray: string): Promise<{ schema: string; name: string; columns: string[] }[]> {
  return adapter.query<{ schema: string; name: string; columns: string[] }>(
    `select n.nspname as schema, c.relname as name,
            array(select a.attname::text
                    from unnest(i.indkey::int2[]) with ordinality as k(attnum, pos)
                    join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
                   where k.pos <= i.indnkeyatts
                   order by k.pos) as columns
       from pg_catalog.pg_index i
       join pg_catalog.pg_class c on c.oid = i.indrelid
       join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = any($1::text[]) and i.indpred is null and i.indexprs is null
      order by n.nspname, c.relname, i.indexrelid`,
    [schemaArray],
  );
}
