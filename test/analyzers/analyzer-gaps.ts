import type { AnalyzerKind } from './analyzer.js';

/**
 * Constructs we emit that an analyzer's grammar lacks although the warehouse accepts them, each
 * with why and a rewrite that keeps the rest of the statement checked. Every gap listed must be hit
 * by the suite, so the list cannot go stale.
 */
export interface AnalyzerGap {
  analyzer: AnalyzerKind;
  construct: string;
  why: string;
  matches: RegExp;
  rewrite: (sql: string) => string;
}

/** Every gap, per analyzer. */
export const ANALYZER_GAPS: AnalyzerGap[] = [
  {
    analyzer: 'snowflake',
    construct: 'numbered binds :1, :2 …',
    why: "the variant's grammar has only ? and @name parameters; Snowflake's drivers bind :N by position (they become @pN, declared alike)",
    matches: /:\d+\b/,
    rewrite: (sql) => sql.replace(/(?<![:\w]):(\d+)\b/g, '@p$1'),
  },
  {
    analyzer: 'snowflake',
    construct: 'CREATE OR REPLACE VIEW … COPY GRANTS AS',
    why: "the variant's grammar has no COPY GRANTS; Snowflake keeps the replaced view's grants with it",
    matches: /^create or replace view \S+ copy grants as\b/i,
    rewrite: (sql) => sql.replace(/^(create or replace view \S+) copy grants as\b/i, '$1 as'),
  },
  {
    analyzer: 'snowflake',
    construct: 'NUMBER(p, s) with p > 29 or s > 9',
    why: "the variant maps NUMBER to GoogleSQL's NUMERIC (at most 29 digits, 9 after the point); Snowflake's NUMBER takes 38 (checked as NUMBER(min(p, 29), min(s, 9)))",
    matches: /\bnumber\((3\d|29), \d+\)/i,
    rewrite: (sql) =>
      sql.replace(/\bnumber\((\d+), (\d+)\)/gi, (_, p: string, s: string) => `NUMBER(${Math.min(Number(p), 29)}, ${Math.min(Number(s), 9)})`),
  },
  {
    analyzer: 'bigquery',
    construct: 'cast(… as integer) (the demo macro fiscal_year_of)',
    why: 'BigQuery takes INTEGER as an alias of INT64; the analyzer knows only INT64 (checked as INT64)',
    matches: /\bas integer\)/i,
    rewrite: (sql) => sql.replace(/\bas integer\)/gi, 'as INT64)'),
  },
];

/**
 * Defects the analyzers found that are not fixed yet: each statement it matches is reported (by
 * name and count) instead of failing the suite. Every entry must still be hit.
 */
export interface KnownDefect {
  analyzer: AnalyzerKind;
  defect: string;
  matches: RegExp;
}

/** Every known, unfixed defect. */
export const KNOWN_DEFECTS: KnownDefect[] = [];
