import type { Command } from 'commander';
import { adminOrFail } from '../admin-call.js';
import { globals, UsageError } from '../context.js';
import { formatTable, groupDigits, paint, paintErr, plural, printJson } from '../output.js';
import { examples } from '../help.js';
import { wholeNumber } from '../options.js';
import { QUERY_LIMITS } from '../../library/read-query.js';

interface QueryAnswer {
  columns: { name: string; type: string }[];
  rows: Record<string, unknown>[];
  row_count: number;
  truncated: boolean;
}

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL)/i;

/** A cell as text: null stays distinguishable from an empty string in tables. */
function text(v: unknown, nullText: string): string {
  if (v === null || v === undefined) return nullText;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** One CSV field (RFC 4180: quoted when it holds a comma, quote or line break). */
function csvField(v: unknown): string {
  const t = text(v, '');
  return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

export function registerQuery(program: Command): void {
  const cmd = program
    .command('query <sql>')
    .description(
      'run one read-only SQL statement (SELECT, WITH … SELECT, FROM, DESCRIBE, SHOW) on the warehouse and print the rows — ' +
        'through the running server when one holds the project; an administrator command (no row filters apply)',
    )
    .option('--limit <n>', `print at most this many rows (1 to ${groupDigits(QUERY_LIMITS.max)})`, String(QUERY_LIMITS.default))
    .option('--csv', 'print CSV (a header line, then the rows)')
    .action(async (sql: string, flags: { limit: string; csv?: boolean }, command: Command) => {
      const opts = globals(command);
      if (flags.csv && opts.json) throw new UsageError('--csv and --json exclude each other');
      if (sql.trim() === '') throw new UsageError('give the SQL statement to run, e.g. writeback query "select * from planning.account_forecast"');
      const limit = wholeNumber(flags.limit, '--limit', 1, QUERY_LIMITS.max);
      const res = await adminOrFail<QueryAnswer>(opts, 'POST', 'query', { sql, limit }, { readOnly: true });
      const more = res.truncated ? `first ${plural(res.rows.length, 'row')} of ${groupDigits(res.row_count)}; --limit ${Math.min(res.row_count, QUERY_LIMITS.max)} shows ${res.row_count > QUERY_LIMITS.max ? 'more' : 'all'}` : '';
      if (opts.json) return printJson(res);
      if (flags.csv) {
        const lines = [res.columns.map((c) => csvField(c.name)).join(','), ...res.rows.map((r) => res.columns.map((c) => csvField(r[c.name])).join(','))];
        process.stdout.write(lines.join('\r\n') + '\r\n');
        if (res.truncated) process.stderr.write(paintErr('yellow', `truncated: ${more}`) + '\n');
        return;
      }
      const right = new Set(res.columns.flatMap((c, i) => (NUMERIC.test(c.type) ? [i] : [])));
      console.log(
        formatTable(
          res.columns.map((c) => c.name),
          res.rows.map((r) => res.columns.map((c) => text(r[c.name], 'NULL'))),
          { right },
        ),
      );
      console.log(paint('dim', res.truncated ? `(${more})` : `(${plural(res.row_count, 'row')})`));
    });
  examples(cmd, [
    ['writeback query "select * from planning.account_forecast limit 5"', 'a merged view, as a table'],
    ["writeback query \"select quarter, sum(amount) from planning.account_forecast group by all\" --csv > totals.csv", 'CSV for a spreadsheet'],
    ['writeback query "describe planning.account_forecast" --json', 'the columns of a view, as JSON'],
  ]);
}
