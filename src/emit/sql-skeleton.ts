/**
 * The "shape" of a SQL text, for caching formatter output: every quoted identifier and string
 * literal keeps its quotes and its length but its content becomes `x…x`. sql-formatter lays
 * tokens out by their kind and length only (it never looks inside a quoted token, nor changes
 * one), so two statements with the same skeleton format to the same layout, and the formatted
 * text of one is the other's with the quoted tokens put back, in order.
 */
export interface SqlSkeleton {
  /** The text with the content of each replaceable quoted token masked. */
  text: string;
  /** The original text of each masked token, in order of appearance. */
  originals: string[];
  /** The masked form of each of them (same order). */
  masks: string[];
}

/**
 * The skeleton of `sql`, masking tokens quoted with `'` or with `identQuote`; undefined when the
 * text holds something this scanner does not model like the formatter does (backslashes, `$`
 * dollar quoting or parameters, `#` comments, backticks in a dialect that quotes with `"`, an
 * unterminated quote or comment, a nested block comment): format those directly.
 * A quoted token whose content contains its own quote (a doubled-quote escape) is kept as written.
 */
export function sqlSkeleton(sql: string, identQuote: string): SqlSkeleton | undefined {
  if (/[\\$#]/.test(sql)) return undefined;
  // a backtick where it does not quote identifiers may not quote anything for the formatter
  if (identQuote !== '`' && sql.includes('`')) return undefined;
  const originals: string[] = [];
  const masks: string[] = [];
  let text = '';
  let from = 0;
  const tokens = quotedTokens(sql);
  if (!tokens) return undefined;
  for (const [start, end] of tokens) {
    const quote = sql[start]!;
    if (quote !== "'" && quote !== identQuote) continue;
    const inner = sql.slice(start + 1, end - 1);
    if (inner.includes(quote)) continue;
    const mask = `${quote}${'x'.repeat(inner.length)}${quote}`;
    text += sql.slice(from, start) + mask;
    from = end;
    originals.push(sql.slice(start, end));
    masks.push(mask);
  }
  text += sql.slice(from);
  return { text, originals, masks };
}

/**
 * The formatted skeleton with the original quoted tokens put back, or undefined when its quoted
 * tokens are not exactly the masks in order (the formatter did not keep them: format directly).
 */
export function fillSkeleton(formatted: string, skeleton: SqlSkeleton): string | undefined {
  const tokens = quotedTokens(formatted);
  if (!tokens) return undefined;
  let out = '';
  let from = 0;
  let i = 0;
  for (const [start, end] of tokens) {
    const token = formatted.slice(start, end);
    if (i < skeleton.masks.length && token === skeleton.masks[i]) {
      out += formatted.slice(from, start) + skeleton.originals[i];
      from = end;
      i++;
    } else if (/^(['"`])x*\1$/.test(token) && token.length > 2) {
      return undefined; // a mask out of order
    }
  }
  if (i !== skeleton.masks.length) return undefined;
  return out + formatted.slice(from);
}

/** [start, end) of every `'…'`, `"…"` and `` `…` `` token outside comments; undefined if one is unterminated or a block comment nests. */
function quotedTokens(sql: string): [number, number][] | undefined {
  const out: [number, number][] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      // unterminated, or nested (some dialects nest block comments): leave it to the formatter
      if (end < 0 || sql.slice(i + 2, end).includes('/*')) return undefined;
      i = end + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      for (;;) {
        const k = sql.indexOf(c, j);
        if (k < 0) return undefined;
        if (sql[k + 1] === c) {
          j = k + 2;
          continue;
        }
        j = k + 1;
        break;
      }
      out.push([i, j]);
      i = j;
    } else {
      i++;
    }
  }
  return out;
}
