/**
 * A small SQL lexer for what the engine's parser does not take: Postgres' `OPERATOR(pg_catalog.~)`
 * and `::pg_catalog.type` spellings (psql sends both), and the words of the session commands
 * (SET, SHOW, BEGIN, …) the session answers itself. It decides no permission: every statement that
 * reaches the engine is parsed and checked there.
 */

export interface Token {
  kind: 'word' | 'quoted' | 'string' | 'number' | 'symbol';
  text: string;
  /** The token's value: an identifier folded to lower case, a string without its quotes. */
  value: string;
  start: number;
  end: number;
}

/** The tokens of `sql` (comments and white space dropped). */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (sql.startsWith('--', i)) {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end + 1;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else if (ch === "'" || ((ch === 'E' || ch === 'e') && sql[i + 1] === "'")) {
      const startQuote = ch === "'" ? i : i + 1;
      let j = startQuote + 1;
      let value = '';
      while (j < sql.length) {
        if (sql[j] === "'" && sql[j + 1] === "'") {
          value += "'";
          j += 2;
        } else if (sql[j] === "'") break;
        else if (ch !== "'" && sql[j] === '\\' && j + 1 < sql.length) {
          value += sql[j + 1];
          j += 2;
        } else value += sql[j++];
      }
      tokens.push({ kind: 'string', text: sql.slice(i, j + 1), value, start: i, end: j + 1 });
      i = j + 1;
    } else if (ch === '"') {
      let j = i + 1;
      let value = '';
      while (j < sql.length) {
        if (sql[j] === '"' && sql[j + 1] === '"') {
          value += '"';
          j += 2;
        } else if (sql[j] === '"') break;
        else value += sql[j++];
      }
      tokens.push({ kind: 'quoted', text: sql.slice(i, j + 1), value, start: i, end: j + 1 });
      i = j + 1;
    } else if (ch === '$' && /[A-Za-z_]/.test(sql[i + 1] ?? '') && /^\$([A-Za-z_]\w*)?\$/.test(sql.slice(i))) {
      const tag = /^\$([A-Za-z_]\w*)?\$/.exec(sql.slice(i))![0];
      const end = sql.indexOf(tag, i + tag.length);
      const stop = end < 0 ? sql.length : end + tag.length;
      tokens.push({ kind: 'string', text: sql.slice(i, stop), value: sql.slice(i + tag.length, end < 0 ? sql.length : end), start: i, end: stop });
      i = stop;
    } else if (/[A-Za-z_\u0080-\uffff]/.test(ch)) {
      let j = i + 1;
      while (j < sql.length && /[\w$\u0080-\uffff]/.test(sql[j]!)) j++;
      const text = sql.slice(i, j);
      tokens.push({ kind: 'word', text, value: text.toLowerCase(), start: i, end: j });
      i = j;
    } else if (/[0-9.]/.test(ch) && /[0-9]/.test(ch === '.' ? (sql[i + 1] ?? '') : ch)) {
      let j = i + 1;
      while (j < sql.length && /[0-9.eE]/.test(sql[j]!)) j++;
      tokens.push({ kind: 'number', text: sql.slice(i, j), value: sql.slice(i, j), start: i, end: j });
      i = j;
    } else {
      const two = sql.slice(i, i + 2);
      const text = ['::', '<>', '!=', '>=', '<=', '!~', '~*'].includes(two) ? two : ch;
      tokens.push({ kind: 'symbol', text, value: text, start: i, end: i + text.length });
      i += text.length;
    }
  }
  return tokens;
}

/**
 * Postgres spellings DuckDB's parser does not take, rewritten to ones it does (outside strings,
 * quoted names and comments): `OPERATOR(pg_catalog.~)` → `~`, `::pg_catalog.text` → `::text`.
 */
export function normalizePostgresSpellings(sql: string): string {
  const tokens = tokenize(sql);
  const cuts: { start: number; end: number; text: string }[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind === 'word' && t.value === 'operator' && tokens[k + 1]?.text === '(') {
      let j = k + 2;
      if (tokens[j]?.kind === 'word' && tokens[j + 1]?.text === '.') j += 2;
      let op = '';
      while (j < tokens.length && tokens[j]!.text !== ')' && tokens[j]!.kind === 'symbol') op += tokens[j++]!.text;
      if (op !== '' && tokens[j]?.text === ')') {
        cuts.push({ start: t.start, end: tokens[j]!.end, text: ` ${op} ` });
        k = j;
      }
    } else if (t.text === '::' && tokens[k + 1]?.kind === 'word' && tokens[k + 1]!.value === 'pg_catalog' && tokens[k + 2]?.text === '.') {
      cuts.push({ start: tokens[k + 1]!.start, end: tokens[k + 2]!.end, text: '' });
    }
  }
  let out = sql;
  for (const c of cuts.reverse()) out = out.slice(0, c.start) + c.text + out.slice(c.end);
  return out;
}
