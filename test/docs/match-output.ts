/**
 * Compare what a command block printed with the output block the page shows.
 *
 * Both sides are normalised first: colours and trailing spaces removed, runs of spaces and tabs
 * collapsed to one (so a column aligned for a placeholder still matches), blank lines at either
 * end dropped. The page's text must then match the whole output, where
 *
 * | in the page | matches |
 * |---|---|
 * | `…` on a line of its own | any number of lines (also none) |
 * | `…` inside a line | any text on that line |
 * | `<time>` | an ISO 8601 UTC timestamp (`2026-12-06T13:25:59.427Z`) |
 * | `<date>` | a date (`2026-12-06`) |
 * | `<id>` | a generated id (entry ids are UUIDv7; token ids) |
 * | `<token>` | an API token as `token create` prints it |
 * | `<n>` | a number |
 */

const PLACEHOLDERS: Record<string, string> = {
  '<time>': String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z`,
  '<date>': String.raw`\d{4}-\d\d-\d\d`,
  '<id>': String.raw`[0-9A-Za-z][0-9A-Za-z_-]{5,}`,
  '<token>': String.raw`wb_[0-9A-Za-z_-]+`,
  '<n>': String.raw`-?\d+(?:[.,]\d+)*`,
};

const TOKEN = new RegExp(`(…|${Object.keys(PLACEHOLDERS).map(escape).join('|')})`);

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Colours off, no carriage returns, no trailing spaces, space runs collapsed, outer blank lines gone. */
export function normalise(text: string): string {
  return text
    .replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/[ \t]+/g, ' ').trimEnd())
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
}

/** The regular expression an output block stands for (over normalised output). */
export function outputPattern(expected: string): RegExp {
  const lines = normalise(expected).split('\n');
  let source = '';
  let afterLeadingEllipsis = false;
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '…') {
      // leading: whole lines before the next one; elsewhere: further lines after the previous one
      source += lines.length === 1 ? String.raw`[\s\S]*` : i === 0 ? String.raw`(?:[^\n]*\n)*?` : String.raw`(?:\n[^\n]*)*?`;
      afterLeadingEllipsis = i === 0;
      continue;
    }
    const parts = line.split(TOKEN).map((part) => (part === '…' ? '[^\\n]*?' : PLACEHOLDERS[part] ?? escape(part)));
    source += (i === 0 || afterLeadingEllipsis ? '' : '\n') + parts.join('');
    afterLeadingEllipsis = false;
  }
  return new RegExp(`^${source}$`);
}

/** Whether `actual` is what the page shows as `expected`. */
export function outputMatches(actual: string, expected: string): boolean {
  return outputPattern(expected).test(normalise(actual));
}
