/**
 * JSON with numbers kept digit for digit: DuckDB's serialized statements hold 64-bit integers
 * (query locations, big constants) that a JavaScript number would round. Long number tokens are
 * parsed as marked strings and written back as the same digits.
 */

// a lone surrogate: no string of a statement (valid UTF-8) can spell it, so no constant can pass for a number
const MARK = `\ud800n${crypto.randomUUID()}:`;

/** Parse JSON, keeping every number of more than 15 characters, and every one with a fraction or exponent (DuckDB reads `100.0` as a double, `100` not), as its exact text. */
export function parseExactJson(text: string): unknown {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (ch === '-' || (ch >= '0' && ch <= '9')) {
      let j = i + 1;
      while (j < text.length && /[0-9eE+\-.]/.test(text[j]!)) j++;
      const token = text.slice(i, j);
      out += token.length > 15 || /[.eE]/.test(token) ? JSON.stringify(MARK + token) : token;
      i = j;
    } else {
      out += ch;
      i++;
    }
  }
  return JSON.parse(out);
}

/** Write JSON parsed by `parseExactJson`, restoring the exact numbers. */
export function stringifyExactJson(value: unknown): string {
  const marked = new RegExp(`"${MARK.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&').replace('\ud800', '\\\\ud800')}([^"]*)"`, 'g');
  return JSON.stringify(value).replace(marked, '$1');
}
