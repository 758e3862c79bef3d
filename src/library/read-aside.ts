import { canStream, type Adapter, type Row, type SqlValue } from '../adapters/adapter.js';

/** Run a small read on a connection of its own when the adapter has them (never inside a writer's transaction). */
export async function queryAside(adapter: Adapter, sql: string, params: SqlValue[]): Promise<Row[]> {
  if (!canStream(adapter)) return adapter.query(sql, params);
  const stream = await adapter.stream(sql, params);
  const rows: Row[] = [];
  for await (const chunk of stream.chunks()) rows.push(...chunk);
  return rows;
}
