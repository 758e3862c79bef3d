import type { ColumnType, Scalar } from '../../ir/types.js';
import type { SystemType, TableLayout } from '../dialect.js';
import { BaseDialect } from '../base-dialect.js';

/** Largest NUMERIC scale and integer digits; beyond them a decimal becomes BIGNUMERIC. */
const NUMERIC_MAX_SCALE = 9;
const NUMERIC_MAX_INTEGER_DIGITS = 29;
/** BigQuery clusters by at most four columns, and not by FLOAT64 ones. */
const MAX_CLUSTER_COLUMNS = 4;

/**
 * BigQuery: backtick-quoted names (`project`.`dataset`.`table`), `@p1` named parameters,
 * `* except/replace`, QUALIFY (only beside WHERE/GROUP BY/HAVING), MERGE, keys written `not enforced`, no DDL inside multi-statement
 * transactions on permanent tables, backslash escapes in strings. Dataset and table names are
 * case-sensitive, column names are not. TIMESTAMP is an absolute instant (UTC).
 */
export class BigQueryDialect extends BaseDialect {
  readonly name = 'bigquery';
  readonly formatterLanguage = 'bigquery' as const;
  override readonly formatterParams = { named: ['@'] };
  override readonly primaryKeys = 'not-enforced' as const;
  override readonly starExcludeKeyword = 'except' as const;
  override readonly supportsStarReplace = true;
  override readonly backslashEscapesInStrings = true;
  override readonly maxIdentifierLength = 300;
  /**
   * A write transaction is ~8–10 query jobs (~5–15 s) and a concurrent one that mutates the same
   * table is aborted: 8 retries from 1 s up to 30 s (~2 min in all), enough to outlast a queue.
   */
  override readonly writeRetry = { retries: 8, firstDelayMs: 1_000, maxDelayMs: 30_000 };
  protected override readonly typeNames = {
    string: 'STRING',
    text: 'STRING',
    integer: 'INT64',
    number: 'FLOAT64',
    decimal: 'NUMERIC',
    boolean: 'BOOL',
    date: 'DATE',
    timestamp: 'TIMESTAMP',
    enum: 'STRING',
  };
  protected override readonly systemTypeNames = { string: 'STRING', integer: 'INT64', bigint: 'INT64', boolean: 'BOOL', timestamp: 'TIMESTAMP' };

  /** Backticks; a backtick or backslash inside the name is backslash-escaped. */
  override quoteIdent(name: string): string {
    return `\`${name.replaceAll('\\', '\\\\').replaceAll('`', '\\`')}\``;
  }

  override param(index: number): string {
    return `@p${index}`;
  }

  /** Strings escape backslashes, quotes and line breaks with a backslash (BigQuery has no `''` and no raw newlines in '…'). */
  override literal(value: Scalar): string {
    if (typeof value !== 'string') return super.literal(value);
    const escaped = value.replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\n', '\\n').replaceAll('\r', '\\r');
    return `'${escaped}'`;
  }

  /** NUMERIC(p, s) while s ≤ 9 and p − s ≤ 29, else BIGNUMERIC(p, s). */
  override columnType(type: ColumnType | { kind: 'system'; type: SystemType }): string {
    if (type.kind !== 'decimal') return super.columnType(type);
    const fits = type.scale <= NUMERIC_MAX_SCALE && type.precision - type.scale <= NUMERIC_MAX_INTEGER_DIGITS;
    return `${fits ? 'NUMERIC' : 'BIGNUMERIC'}(${type.precision}, ${type.scale})`;
  }

  /**
   * ` partition by date(<ts>) cluster by <cols>`: a query that filters on the day reads only its
   * partitions, one that filters on the cluster columns only their blocks (on-demand pricing bills
   * the bytes read). Up to four clusterable columns; FLOAT64 ones are left out.
   */
  override tableLayoutSql(layout: TableLayout): string {
    const parts: string[] = [];
    if (layout.partitionByDay) parts.push(`partition by date(${this.quoteIdent(layout.partitionByDay)})`);
    const cluster = (layout.clusterBy ?? []).filter((c) => this.columnType(c.type) !== 'FLOAT64').slice(0, MAX_CLUSTER_COLUMNS);
    if (cluster.length > 0) parts.push(`cluster by ${cluster.map((c) => this.quoteIdent(c.name)).join(', ')}`);
    return parts.length > 0 ? ` ${parts.join(' ')}` : '';
  }

  override strContains(haystack: string, needle: string): string {
    return `strpos(${haystack}, ${needle}) > 0`;
  }
}

/** The shared BigQuery dialect instance. */
export const bigqueryDialect = new BigQueryDialect();
