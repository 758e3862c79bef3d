import { BaseDialect } from '../base-dialect.js';

/**
 * Postgres: `$1` placeholders, no QUALIFY and no `* exclude/replace`, `insert … on conflict`,
 * transactional DDL, enforced keys, views dropped and re-created when their columns change,
 * an alias on every subquery in FROM (required before Postgres 16), names cut at 63 bytes.
 * Timestamps are TIMESTAMPTZ (absolute instants); sessions run with `time zone 'UTC'`.
 */
export class PostgresDialect extends BaseDialect {
  readonly name = 'postgres';
  readonly formatterLanguage = 'postgresql' as const;
  override readonly formatterParams = { numbered: ['$'] };
  override readonly transactionalDdl = true;
  override readonly replaceViewChangesColumns = false;
  override readonly upsertStyle = 'on-conflict' as const;
  override readonly derivedTableNeedsAlias = true;
  override readonly lateralJoins = true;
  override readonly maxIdentifierLength = 63;
  override readonly lockChainHeadFirst = true;
  override readonly sessionSetupSql = ["set time zone 'UTC'"];
  override readonly logIndexes = true;
  protected override readonly typeNames = {
    string: 'TEXT',
    text: 'TEXT',
    integer: 'BIGINT',
    number: 'DOUBLE PRECISION',
    decimal: 'NUMERIC',
    boolean: 'BOOLEAN',
    date: 'DATE',
    timestamp: 'TIMESTAMPTZ',
    enum: 'TEXT',
  };
  protected override readonly systemTypeNames = { string: 'TEXT', integer: 'INTEGER', bigint: 'BIGINT', boolean: 'BOOLEAN', timestamp: 'TIMESTAMPTZ' };

  override param(index: number): string {
    return `$${index}`;
  }

  override strContains(haystack: string, needle: string): string {
    return `strpos(${haystack}, ${needle}) > 0`;
  }
}

/** The shared Postgres dialect instance. */
export const postgresDialect = new PostgresDialect();
