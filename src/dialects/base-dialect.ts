import type { ColumnType, Scalar } from '../ir/types.js';
import type { Dialect, RetryBudget, SystemType, TableLayout } from './dialect.js';
import type { SqlValue } from './sql-value.js';

/** ANSI names of the portable column types; a dialect spreads this and overrides a few. */
export const ANSI_TYPE_NAMES: Readonly<Record<ColumnType['kind'], string>> = {
  string: 'VARCHAR',
  text: 'VARCHAR',
  integer: 'BIGINT',
  number: 'DOUBLE PRECISION',
  decimal: 'DECIMAL',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  enum: 'VARCHAR',
};

/** ANSI names of the system column types. */
export const ANSI_SYSTEM_TYPE_NAMES: Readonly<Record<SystemType, string>> = {
  string: 'VARCHAR',
  integer: 'INTEGER',
  bigint: 'BIGINT',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMP',
};

/**
 * ANSI-leaning defaults shared by every dialect; a warehouse module overrides only what differs
 * (flags, a type name, a function spelling).
 */
export abstract class BaseDialect implements Dialect {
  abstract readonly name: string;
  abstract readonly formatterLanguage: Dialect['formatterLanguage'];
  /** Default: `?` positional placeholders. */
  readonly formatterParams: Record<string, unknown> = { positional: true };

  /** Default: false. */
  readonly transactionalDdl: boolean = false;
  /** Default: true. */
  readonly replaceViewChangesColumns: boolean = true;
  /** Default: false. */
  readonly replaceViewCopiesGrants: boolean = false;
  /** Default: `merge`. */
  readonly upsertStyle: Dialect['upsertStyle'] = 'merge';
  /** Default: `enforced`. */
  readonly primaryKeys: Dialect['primaryKeys'] = 'enforced';
  /** Default: unsupported. */
  readonly starExcludeKeyword: Dialect['starExcludeKeyword'] = undefined;
  /** Default: false. */
  readonly supportsStarReplace: boolean = false;
  /** Default: false (bare new name). */
  readonly renameToQualified: boolean = false;
  /** Default: false (only `''` escapes a quote). */
  readonly backslashEscapesInStrings: boolean = false;
  /** Default: false. */
  readonly derivedTableNeedsAlias: boolean = false;
  /** Default: false (no `__by_scenario` views for SQL models). */
  readonly lateralJoins: boolean = false;
  /** Default: `as-written`. */
  readonly identifierCase: Dialect['identifierCase'] = 'as-written';
  /** Default: undefined (no practical limit). */
  readonly maxIdentifierLength: number | undefined = undefined;
  /** Default: false (the compare-and-swap alone decides; DuckDB has one writing process). */
  readonly lockChainHeadFirst: boolean = false;
  readonly chainHeads: 'per-input' | 'shared' = 'per-input';
  /** Default: 12 retries from 1 ms, doubling up to 2 s (~8 s in all): transactions of milliseconds (DuckDB, Postgres). */
  readonly writeRetry: RetryBudget = { retries: 12, firstDelayMs: 1, maxDelayMs: 2_000 };
  /** Default: none. */
  readonly sessionSetupSql: readonly string[] = [];
  /** Default: false. */
  readonly logIndexes: boolean = false;
  /** Default: false. */
  readonly stateKeyColumn: boolean = false;
  /** Default: false. */
  readonly valuesRelation: boolean = false;
  /** Default: false. */
  readonly splitMixedUpsert: boolean = false;

  /** Double quotes, embedded `"` doubled. */
  quoteIdent(name: string): string {
    return `"${name.replaceAll('"', '""')}"`;
  }

  /** Quoted `database.schema.name`, the database left out when absent. */
  qualify(schema: string, name: string, database?: string): string {
    const parts = database ? [database, schema, name] : [schema, name];
    return parts.map((p) => this.quoteIdent(p)).join('.');
  }

  /** Default: `?`. */
  param(_index: number): string {
    return '?';
  }

  /** Default: true. */
  readonly boundLimit: boolean = true;

  limitClause(params: SqlValue[], limit: number, offset?: number): string {
    const part = (n: number): string => {
      if (!Number.isSafeInteger(n) || n < 0) throw new Error(`limitClause(): ${String(n)} is not a non-negative integer`);
      if (!this.boundLimit) return String(n);
      params.push(n);
      return this.param(params.length);
    };
    const count = part(limit);
    return offset === undefined ? `limit ${count}` : `limit ${count} offset ${part(offset)}`;
  }

  /** Strings single-quoted (`'` doubled, `\` doubled where it escapes), finite numbers as written, TRUE/FALSE/NULL. */
  literal(value: Scalar): string {
    if (value === null) return 'NULL';
    if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new Error(`literal(): non-finite number ${value}`);
      return String(value);
    }
    const escaped = this.backslashEscapesInStrings ? value.replaceAll('\\', '\\\\') : value;
    return `'${escaped.replaceAll("'", "''")}'`;
  }

  /** SQL type of a portable type; dialects override `typeNames` entries rather than this method. */
  columnType(type: ColumnType | { kind: 'system'; type: SystemType }): string {
    if (type.kind === 'system') return this.systemTypeNames[type.type];
    if (type.kind === 'decimal') return `${this.typeNames.decimal}(${type.precision}, ${type.scale})`;
    return this.typeNames[type.kind];
  }

  /** Default: no layout options. */
  tableLayoutSql(_layout: TableLayout): string {
    return '';
  }

  /** Default: `position(needle in haystack) > 0`. */
  strContains(haystack: string, needle: string): string {
    return `position(${needle} in ${haystack}) > 0`;
  }

  /** SQL type names of the portable types (decimal gets `(p, s)` appended). Default: `ANSI_TYPE_NAMES`. */
  protected readonly typeNames: Record<ColumnType['kind'], string> = ANSI_TYPE_NAMES;
  /** SQL type names of the system column types. Default: `ANSI_SYSTEM_TYPE_NAMES`. */
  protected readonly systemTypeNames: Record<SystemType, string> = ANSI_SYSTEM_TYPE_NAMES;
}
