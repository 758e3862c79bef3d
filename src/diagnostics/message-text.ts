import type { SourceLocation } from '../ir/types.js';

/** Levenshtein edit distance between two strings (small inputs only: names and keys). */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] ?? 0;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] ?? 0;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      prev[j] = Math.min(up + 1, (prev[j - 1] ?? 0) + 1, diag + cost);
      diag = up;
    }
  }
  return prev[b.length] ?? 0;
}

/** The closest candidate to `word` if it is a plausible typo (distance ≤ 1/3 of its length, at least 1), else undefined. */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDist = Infinity;
  const lower = word.toLowerCase();
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDist) {
      best = c;
      bestDist = d;
    }
  }
  const limit = Math.max(1, Math.floor(word.length / 3));
  return best !== undefined && bestDist <= limit ? best : undefined;
}

/** A "did you mean `x`?" hint for a near miss, or undefined. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const m = closestMatch(word, candidates);
  return m === undefined ? undefined : `did you mean \`${m}\`?`;
}

/** Formats a list of names as `a`, `b`, `c` (or "none"). */
export function listNames(names: Iterable<string>): string {
  const all = [...names];
  return all.length === 0 ? '(none)' : all.map((n) => `\`${n}\``).join(', ');
}

/** A short, safe rendering of a user-written name for messages (control characters escaped, long names cut). */
export function showName(name: string): string {
  const escaped = JSON.stringify(name).slice(1, -1);
  return escaped.length > 80 ? `${escaped.slice(0, 77)}...` : escaped;
}

/** `file:line:col` of a location. */
export function formatLocation(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.col}`;
}
