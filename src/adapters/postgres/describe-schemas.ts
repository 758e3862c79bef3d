import type { Adapter, TableInfo } from '../adapter.js';

/** Tables and views with their columns, types as `format_type` writes them (`numeric(18,2)`, `timestamp with time zone`). */
export async function describePostgresSchemas(adapter: Pick<Adapter, 'query'>, schemas: string[]): Promise<TableInfo[]> {
  if (schemas.length === 0) return [];
  const rows = await adapter.query<{ schema: string; name: string; kind: string; column: string; data_type: string }>(
    `select n.nspname as schema, c.relname as name, c.relkind as kind, a.attname as column,
            format_type(a.atttypid, a.atttypmod) as data_type
       from pg_catalog.pg_class c
       join pg_catalog.pg_namespace n on n.oid = c.relnamespace
       join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      where n.nspname = any($1::text[]) and c.relkind in ('r', 'p', 'v', 'm', 'f')
      order by n.nspname, c.relname, a.attnum`,
    [`{${schemas.map((s) => `"${s.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`],
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
  return [...tables.values()];
}
