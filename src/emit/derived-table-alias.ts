/**
 * Whether a subquery spliced into SQL text (an `input('t')` relation) needs an alias added, for
 * dialects that require one on every derived table (`derivedTableNeedsAlias`, Postgres < 16).
 * It does when the text before it ends with `from`, `join` or `,`, and the text after it does not
 * already start with an alias (`as x`, `x`, `"x"`). Anywhere else (`exists (…)`, `in (…)`) it does not.
 */
export function needsDerivedTableAlias(before: string, after: string): boolean {
  if (!/(\bfrom|\bjoin|,)\s*$/i.test(before)) return false;
  const next = /^\s*("|[a-z_][a-z0-9_$]*)/i.exec(after);
  if (!next) return true;
  const word = (next[1] ?? '').toLowerCase();
  if (word === '"' || word === 'as') return false;
  return FOLLOWING_KEYWORDS.has(word);
}

/** Keywords that may follow a FROM item and are not an alias. */
const FOLLOWING_KEYWORDS = new Set([
  'where', 'group', 'having', 'order', 'limit', 'offset', 'fetch', 'for', 'window', 'qualify',
  'union', 'intersect', 'except', 'join', 'left', 'right', 'full', 'inner', 'cross', 'natural',
  'on', 'using', 'lateral', 'tablesample', 'returning', 'into',
]);
