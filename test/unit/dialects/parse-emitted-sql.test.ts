import { Parser } from 'node-sql-parser';
import { describe, expect, it } from 'vitest';
import { emittedStatements } from './emitted-statements.js';
import { PARSER_GAPS, type ParserGap } from './parser-gaps.js';
import { compileOn, PROJECTS, REMOTE_TYPES } from './remote-projects.js';

// Every statement the compiler emits for Snowflake, BigQuery and Postgres (compile output and every
// apply operation, for the demo and both examples) parses with node-sql-parser in the matching mode.
// Where the parser lacks a construct (parser-gaps.ts), the construct is removed and the rest parsed,
// or — when it cannot be removed — the statement is skipped, by name, and counted.

const DATABASE = { snowflake: 'snowflake', bigquery: 'bigquery', postgres: 'postgresql' } as const;
const parser = new Parser();

type Outcome =
  | { status: 'parsed' }
  | { status: 'rewritten'; gaps: ParserGap[] }
  | { status: 'skipped'; gaps: ParserGap[] }
  | { status: 'failed'; error: string; gaps: ParserGap[] };

function parseError(sql: string, database: string): string | undefined {
  try {
    parser.astify(sql, { database });
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function check(sql: string, database: ParserGap['database']): Outcome {
  const error = parseError(sql, database);
  if (error === undefined) return { status: 'parsed' };
  const gaps = PARSER_GAPS.filter((g) => g.database === database && g.matches.test(sql));
  if (gaps.length === 0) return { status: 'failed', error, gaps };
  if (gaps.some((g) => !g.rewrite)) return { status: 'skipped', gaps };
  const rewritten = gaps.reduce((s, g) => (g.rewrite ? g.rewrite(s) : s), sql);
  const after = parseError(rewritten, database);
  return after === undefined ? { status: 'rewritten', gaps } : { status: 'failed', error: `${after}\n(after removing: ${gaps.map((g) => g.construct).join('; ')})\n${rewritten}`, gaps };
}

const names = (gaps: ParserGap[]) => gaps.map((g) => `${g.construct} — ${g.why}`).join('; ');

describe.each(REMOTE_TYPES)('%s: every emitted statement parses', async (type) => {
  const database = DATABASE[type];
  const results: { project: string; origin: string; sql: string; outcome: Outcome }[] = [];
  for (const [project, dir] of Object.entries(PROJECTS)) {
    const { project: p, dialect, objects } = await compileOn(dir, type);
    for (const s of emittedStatements(p, dialect, objects)) results.push({ project, ...s, outcome: check(s.sql, database) });
  }

  for (const r of results) {
    const title = `${r.project}: ${r.origin}`;
    const o = r.outcome;
    if (o.status === 'skipped') it.skip(`${title} — SKIPPED, parser lacks: ${names(o.gaps)}`, () => {});
    else if (o.status === 'rewritten') it(`${title} (parsed without: ${o.gaps.map((g) => g.construct).join('; ')})`, () => {});
    else it(title, () => expect(o.status === 'failed' ? `${o.error}\n${r.sql}` : undefined).toBeUndefined());
  }

  it('hits every gap listed for this mode, and skips only statements a listed gap names', () => {
    const hit = new Set(results.flatMap((r) => (r.outcome.status === 'parsed' ? [] : r.outcome.gaps)));
    expect(PARSER_GAPS.filter((g) => g.database === database && !hit.has(g)).map((g) => g.construct)).toEqual([]);
    const count = (status: Outcome['status']) => results.filter((r) => r.outcome.status === status).length;
    const skippedBy = new Map<string, number>();
    for (const r of results) if (r.outcome.status === 'skipped') for (const g of r.outcome.gaps) skippedBy.set(g.construct, (skippedBy.get(g.construct) ?? 0) + 1);
    console.info(
      `${type} (${database} mode): ${results.length} statements — ${count('parsed')} parsed as emitted, ` +
        `${count('rewritten')} parsed after removing a construct the parser lacks, ${count('skipped')} skipped` +
        (skippedBy.size > 0 ? ` (${[...skippedBy].map(([c, n]) => `${c}: ${n}`).join(', ')})` : ''),
    );
    expect(count('parsed') + count('rewritten') + count('skipped') + count('failed')).toBe(results.length);
    expect(count('failed')).toBe(0);
  });
});
