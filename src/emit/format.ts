import { format, type FormatOptionsWithLanguage } from 'sql-formatter';
import type { Dialect } from '../dialects/dialect.js';
import { fillSkeleton, sqlSkeleton } from './sql-skeleton.js';

/**
 * Formats one statement with sql-formatter in the dialect's language and placeholder style.
 * MERGE statements are returned as written: sql-formatter lays them out badly.
 * SQL the formatter cannot parse (an exotic construct in a user's model) is returned as written.
 * Output is cached by the statement's skeleton (see sql-skeleton.ts): statements that differ only
 * in names and string values (every input's log table, every enrich model…) are parsed once.
 */
export function formatSql(dialect: Dialect, sql: string): string {
  if (/^\s*merge\b/i.test(sql)) return sql.trim();
  const skeleton = sqlSkeleton(sql, dialect.quoteIdent('x')[0] ?? '"');
  if (!skeleton) return formatUncached(dialect, sql);
  let cache = CACHES.get(dialect);
  if (!cache) CACHES.set(dialect, (cache = new Map()));
  let formatted = cache.get(skeleton.text);
  if (formatted === undefined) {
    formatted = formatUncached(dialect, skeleton.text);
    if (cache.size >= CACHE_LIMIT) {
      cache.clear();
      FRESH.get(dialect)?.clear();
    }
    cache.set(skeleton.text, formatted);
    let fresh = FRESH.get(dialect);
    if (!fresh) FRESH.set(dialect, (fresh = new Set()));
    fresh.add(skeleton.text);
  }
  return fillSkeleton(formatted, skeleton) ?? formatUncached(dialect, sql);
}

/** Formatted skeletons per dialect (bounded: cleared when full). */
const CACHES = new WeakMap<Dialect, Map<string, string>>();
const CACHE_LIMIT = 2000;
/** Skeletons formatted by sql-formatter in this process (not seeded), per dialect. */
const FRESH = new WeakMap<Dialect, Set<string>>();

/**
 * The skeletons formatted in this process for `dialect` with their layout, to keep for a later
 * process ({@link seedFormatted}); empty when every skeleton came from the seed.
 */
export function freshlyFormatted(dialect: Dialect): [string, string][] {
  const cache = CACHES.get(dialect);
  const fresh = FRESH.get(dialect);
  if (!cache || !fresh) return [];
  return [...fresh].flatMap((k): [string, string][] => {
    const v = cache.get(k);
    return v === undefined ? [] : [[k, v]];
  });
}

/**
 * Seeds the skeleton cache of `dialect` with layouts a previous process made with the same code
 * and formatter (`writeback compile` keeps them in target/parse-cache/): a compile whose statements
 * all have a known skeleton formats nothing.
 */
export function seedFormatted(dialect: Dialect, entries: Iterable<readonly [string, string]>): void {
  let cache = CACHES.get(dialect);
  if (!cache) CACHES.set(dialect, (cache = new Map()));
  for (const [k, v] of entries) if (cache.size < CACHE_LIMIT) cache.set(k, v);
}

function formatUncached(dialect: Dialect, sql: string): string {
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
