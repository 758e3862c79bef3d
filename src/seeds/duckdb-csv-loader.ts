import type { SeedLoader } from './seed-load.js';

/**
 * DuckDB reads the CSV itself: `read_csv` with a header and inferred types, overridden by the
 * seed's `column_types`. The file path is a bound parameter (DuckDB accepts one in
 * `create table … as select … from read_csv($1, …)`); column names and types come from
 * project YAML and are written as literals by the dialect.
 */
export const duckdbCsvLoader: SeedLoader = {
  loadSql(dialect, load) {
    const overrides = Object.entries(load.columnTypes).map(
      ([column, type]) => `${dialect.literal(column)}: ${dialect.literal(dialect.columnType(type))}`,
    );
    const types = overrides.length > 0 ? `, types = {${overrides.join(', ')}}` : '';
    const table = dialect.qualify(load.table.schema, load.table.name);
    return [
      {
        sql: `create or replace table ${table} as select * from read_csv(${dialect.param(1)}, header = true${types})`,
        params: [load.path],
      },
    ];
  },
};
