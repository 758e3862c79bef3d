// Run in a separate OS process: open a snapshot read-only and poll a query until it returns
// `expect` (bounded), then print { seen, ms, tables } as JSON.
import { DuckDBInstance } from '@duckdb/node-api';

const [path, sql, expected, maxTries] = process.argv.slice(2) as [string, string, string, string];
const started = Date.now();
let seen = false;
let tables: string[] = [];
for (let i = 0; i < Number(maxTries) && !seen; i++) {
  try {
    const db = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
    const conn = await db.connect();
    const rows = (await conn.runAndReadAll(sql)).getRows();
    seen = rows.some((r) => String(r[0]) === expected);
    tables = (await conn.runAndReadAll('select table_name from duckdb_tables() order by 1')).getRows().map((r) => String(r[0]));
    conn.closeSync();
    db.closeSync();
  } catch {
    // not published yet
  }
  if (!seen) await new Promise((r) => setTimeout(r, 50));
}
process.stdout.write(JSON.stringify({ seen, ms: Date.now() - started, tables }));
