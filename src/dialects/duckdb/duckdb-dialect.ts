import { ANSI_TYPE_NAMES, BaseDialect } from '../base-dialect.js';

/** DuckDB: `$n` placeholders, `* exclude/replace`, QUALIFY, transactional DDL, enforced keys. Timestamps are UTC by convention. */
export class DuckDBDialect extends BaseDialect {
  readonly name = 'duckdb';
  readonly formatterLanguage = 'duckdb' as const;
  override readonly formatterParams = { numbered: ['$'] };
  override readonly transactionalDdl = true;
  override readonly upsertStyle = 'on-conflict' as const;
  override readonly starExcludeKeyword = 'exclude' as const;
  override readonly supportsStarReplace = true;
  override readonly lateralJoins = true;
  override readonly stateKeyColumn = true;
  override readonly valuesRelation = true;
  override readonly splitMixedUpsert = true;
  override readonly chainHeads = 'shared' as const;
  protected override readonly typeNames = { ...ANSI_TYPE_NAMES, number: 'DOUBLE' };

  override param(index: number): string {
    return `$${index}`;
  }

  override strContains(haystack: string, needle: string): string {
    return `contains(${haystack}, ${needle})`;
  }
}

/** The shared DuckDB dialect instance. */
export const duckdbDialect = new DuckDBDialect();
