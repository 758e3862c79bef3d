import { ANSI_SYSTEM_TYPE_NAMES, ANSI_TYPE_NAMES, BaseDialect } from '../base-dialect.js';

/** A name Snowflake would store upper-case if written unquoted (all lower case, digits, `_`, `$`). */
const FOLDABLE = /^[a-z_][a-z0-9_$]*$/;

/**
 * Snowflake: `:1` placeholders, `* exclude/replace`, QUALIFY, MERGE, keys declared but not enforced,
 * DDL commits the open transaction, backslash escapes in strings, `rename to` needs a qualified name.
 *
 * Case: Snowflake stores unquoted names upper-case. We always quote, so an all-lower-case name
 * (every project name; `crm`, `accounts` in sources) is written upper-case (`"ACCOUNTS"`): it is the
 * table a user created unquoted, and SQL models may name our columns unquoted. A physical name
 * with any upper-case letter (`Accounts`, `ACCOUNTS`) is used exactly as written.
 * Timestamps are TIMESTAMP_NTZ holding UTC; sessions run with `timezone = 'UTC'`.
 * LIMIT and OFFSET are inlined whole numbers, never bound.
 */
export class SnowflakeDialect extends BaseDialect {
  readonly name = 'snowflake';
  readonly formatterLanguage = 'snowflake' as const;
  override readonly formatterParams = { numbered: [':'] };
  override readonly replaceViewCopiesGrants = true;
  override readonly primaryKeys = 'not-enforced' as const;
  override readonly starExcludeKeyword = 'exclude' as const;
  override readonly supportsStarReplace = true;
  override readonly renameToQualified = true;
  override readonly backslashEscapesInStrings = true;
  override readonly identifierCase = 'upper' as const;
  override readonly maxIdentifierLength = 255;
  override readonly lockChainHeadFirst = true;
  /**
   * Transactions take ~0.3–2 s, DML on a table runs one at a time and more than 20 statements
   * waiting on its lock fail (000625): 10 retries from 250 ms up to 8 s (~50 s in all).
   */
  override readonly writeRetry = { retries: 10, firstDelayMs: 250, maxDelayMs: 8_000 };
  /** LIMIT/OFFSET "must be a non-negative integer constant" (Snowflake's LIMIT reference); drivers report `Invalid row count '?' in limit clause`. */
  override readonly boundLimit = false;
  override readonly sessionSetupSql = ["alter session set timezone = 'UTC'"];
  protected override readonly typeNames = {
    ...ANSI_TYPE_NAMES,
    integer: 'NUMBER(38, 0)',
    number: 'FLOAT',
    decimal: 'NUMBER',
    timestamp: 'TIMESTAMP_NTZ',
  };
  protected override readonly systemTypeNames = { ...ANSI_SYSTEM_TYPE_NAMES, integer: 'NUMBER(38, 0)', bigint: 'NUMBER(38, 0)', timestamp: 'TIMESTAMP_NTZ' };

  override quoteIdent(name: string): string {
    return super.quoteIdent(FOLDABLE.test(name) ? name.toUpperCase() : name);
  }

  override param(index: number): string {
    return `:${index}`;
  }

  override strContains(haystack: string, needle: string): string {
    return `contains(${haystack}, ${needle})`;
  }
}

/** The shared Snowflake dialect instance. */
export const snowflakeDialect = new SnowflakeDialect();
