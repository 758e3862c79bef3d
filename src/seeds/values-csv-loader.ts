import { readFileSync } from 'node:fs';
import type { SqlValue } from '../dialects/sql-value.js';
import type { ColumnType } from '../ir/types.js';
import { csvRecords } from './csv-records.js';
import type { SeedLoader } from './seed-load.js';

/** Bound parameters per INSERT (under Postgres's 65,535, Snowflake's and BigQuery's statement limits). */
const MAX_PARAMS = 10_000;

const PATTERNS: [ColumnType, RegExp][] = [
  [{ kind: 'boolean' }, /^(true|false)$/i],
  [{ kind: 'integer' }, /^[+-]?\d{1,18}$/],
  [{ kind: 'number' }, /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/],
  [{ kind: 'date' }, /^\d{4}-\d\d-\d\d$/],
  [{ kind: 'timestamp' }, /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d(:?\d\d)?)?$/],
];

/** The narrowest portable type every non-null value of a column fits (like DuckDB's `read_csv` sniffing); `string` otherwise. */
export function inferColumnType(values: (string | null)[]): ColumnType {
  const present = values.filter((v): v is string => v !== null);
  if (present.length === 0) return { kind: 'string' };
  for (const [type, pattern] of PATTERNS) if (present.every((v) => pattern.test(v))) return type;
  return { kind: 'string' };
}

/**
 * The portable seed loader for warehouses that cannot read a local file themselves (Postgres,
 * Snowflake, BigQuery): the CLI reads the CSV, infers each column's type (the seed's
 * `column_types` win), creates the table when missing, empties it and inserts the rows as
 * multi-row `VALUES` of bound, cast parameters, chunked under the parameter limits. Emptying
 * instead of dropping keeps the views that read the table valid (Postgres refuses to drop a
 * table that views depend on); a CSV whose columns changed needs the table dropped by hand.
 */
export const valuesCsvLoader: SeedLoader = {
  loadSql(dialect, load) {
    const [header, ...rows] = csvRecords(readFileSync(load.path, 'utf8'));
    if (!header) throw new Error(`seed ${load.file} is empty`);
    const columns = header.map((h, i) => {
      const name = h ?? '';
      const type = load.columnTypes[name] ?? inferColumnType(rows.map((r) => r[i] ?? null));
      return { name, sqlType: dialect.columnType(type) };
    });
    const table = dialect.qualify(load.table.schema, load.table.name);
    const list = columns.map((c) => dialect.quoteIdent(c.name)).join(', ');
    const out: { sql: string; params: SqlValue[] }[] = [
      { sql: `create table if not exists ${table} (${columns.map((c) => `${dialect.quoteIdent(c.name)} ${c.sqlType}`).join(', ')})`, params: [] },
      { sql: `delete from ${table} where true`, params: [] },
    ];
    const perChunk = Math.max(1, Math.floor(MAX_PARAMS / Math.max(1, columns.length)));
    for (let start = 0; start < rows.length; start += perChunk) {
      const params: SqlValue[] = [];
      const tuples = rows.slice(start, start + perChunk).map((r) => {
        const cells = columns.map((c, i) => {
          params.push(r[i] ?? null);
          return `cast(${dialect.param(params.length)} as ${c.sqlType})`;
        });
        return `(${cells.join(', ')})`;
      });
      out.push({ sql: `insert into ${table} (${list}) values ${tuples.join(', ')}`, params });
    }
    return out;
  },
};
