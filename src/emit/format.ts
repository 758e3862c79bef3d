import { format, type FormatOptionsWithLanguage } from 'sql-formatter';
import type { Dialect } from '../dialects/dialect.js';

/**
 * Formats one statement with sql-formatter in the dialect's language and placeholder style.
 * MERGE statements are returned as written: sql-formatter lays them out badly (STACK.md).
 * SQL the formatter cannot parse (an exotic construct in a user's model) is returned as written.
 */
export function formatSql(dialect: Dialect, sql: string): string {
  if (/^\s*merge\b/i.test(sql)) return sql.trim();
  const options: FormatOptionsWithLanguage = {
    language: dialect.formatterLanguage,
    paramTypes: dialect.formatterParams,
    tabWidth: 2,
    keywordCase: 'lower',
    linesBetweenQueries: 1,
  };
  try {
    return format(sql, options).trim();
  } catch {
    return sql.trim();
  }
}

/** Formats statements and joins them as a script: each ends with `;`, a blank line between. */
export function formatScript(dialect: Dialect, statements: string[]): string {
  return statements.map((s) => `${formatSql(dialect, s)};`).join('\n\n') + '\n';
}
