/** What a warehouse said about a statement it rejected: its message, and where in the statement (1-based) when it said. */
export interface StatementFailure {
  /** The warehouse's message without the excerpt of the statement it may quote. */
  message: string;
  line?: number;
  col?: number;
}

/**
 * Reads where in `sql` a warehouse error points: Postgres errors carry `position` (a 1-based
 * character offset); DuckDB ends its message with `LINE n: <excerpt>` and a caret under the
 * column (the excerpt may be cut to `...` around it). Other warehouses name no position.
 */
export function statementFailure(err: unknown, sql: string): StatementFailure {
  const message = err instanceof Error ? err.message : String(err);
  const position = (err as { position?: unknown } | null)?.position;
  if (typeof position === 'string' && /^\d+$/.test(position)) return { message, ...lineCol(sql, Number(position) - 1) };
  const m = /\n+LINE (\d+): ([^\n]*)\n( *)\^\s*$/.exec(message);
  if (!m) return { message };
  const line = Number(m[1]);
  const excerpt = m[2] ?? '';
  const caret = (m[3] ?? '').length - `LINE ${line}: `.length;
  const rest = message.slice(0, m.index).trimEnd();
  const text = sql.split('\n')[line - 1];
  if (text === undefined || caret < 0) return { message: rest, line };
  if (!excerpt.startsWith('...')) return { message: rest, line, col: caret + 1 };
  const shown = excerpt.slice(3).replace(/\.\.\.$/, '');
  const start = text.indexOf(shown);
  return start < 0 ? { message: rest, line } : { message: rest, line, col: start + caret - 3 + 1 };
}

function lineCol(sql: string, offset: number): { line: number; col: number } {
  const before = sql.slice(0, Math.max(0, offset)).split('\n');
  return { line: before.length, col: (before.at(-1)?.length ?? 0) + 1 };
}
