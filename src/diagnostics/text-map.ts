import type { SourceLocation, TextMap, TextSpan } from '../ir/types.js';

/** Index of the span holding `offset`: the last one starting at or before it (0 when none does). */
function indexAt(spans: readonly TextSpan[], offset: number): number {
  let lo = 0;
  let hi = spans.length - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((spans[mid]?.offset ?? 0) <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function spanAt(spans: readonly TextSpan[], offset: number): TextSpan | undefined {
  return spans[indexAt(spans, offset)];
}

function lineCol(spans: readonly TextSpan[], offset: number): { line: number; col: number } {
  const s = spanAt(spans, offset);
  if (!s) return { line: 1, col: 1 };
  return { line: s.line, col: s.fixed ? s.col : s.col + Math.max(0, offset - s.offset) };
}

/** The file location of the character at `offset` of a mapped text. */
export function locateOffset(map: TextMap, offset: number): SourceLocation {
  return { file: map.file, ...lineCol(map.spans, offset) };
}

/** The file location of `[start, end)` of a mapped text (with its end when it lies after the start). */
export function locateRange(map: TextMap, start: number, end: number = start): SourceLocation {
  const s = lineCol(map.spans, start);
  const e = lineCol(map.spans, end);
  const after = e.line > s.line || (e.line === s.line && e.col > s.col);
  return after ? { file: map.file, ...s, endLine: e.line, endCol: e.col } : { file: map.file, ...s };
}

/**
 * The map of a text whose first character is at `base`, laid out as written: each line after the
 * first starts at `continuationCol` (for a text taken from a plain file, 1).
 */
export function mapOfText(base: SourceLocation, text: string, continuationCol: number = base.col): TextMap {
  const spans: TextSpan[] = [{ offset: 0, line: base.line, col: base.col }];
  let line = base.line;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) spans.push({ offset: i + 1, line: ++line, col: continuationCol });
  return { file: base.file, spans };
}

/** A map whose every character is at `loc` (generated text standing for one place). */
export function fixedMap(loc: SourceLocation): TextMap {
  return { file: loc.file, spans: [{ offset: 0, line: loc.line, col: loc.col, fixed: true }] };
}

/**
 * The spans of `[start, end)` of a mapped text, moved so that `start` lands on `at` (for copying a
 * piece of one text into another). Appends them to `out`.
 */
export function copySpans(spans: readonly TextSpan[], start: number, end: number, at: number, out: TextSpan[]): void {
  if (end <= start) return;
  const first = lineCol(spans, start);
  const s = spanAt(spans, start);
  out.push({ offset: at, ...first, ...(s?.fixed ? { fixed: true as const } : {}) });
  for (let i = indexAt(spans, start) + 1; i < spans.length; i++) {
    const span = spans[i];
    if (!span || span.offset >= end) break;
    if (span.offset > start) out.push({ ...span, offset: at + span.offset - start });
  }
}

/** The spans of a text after its first `cut` characters were removed (a trimmed prefix). */
export function dropPrefix(spans: readonly TextSpan[], cut: number): TextSpan[] {
  if (cut <= 0) return [...spans];
  const out: TextSpan[] = [];
  copySpans(spans, cut, Number.MAX_SAFE_INTEGER, 0, out);
  return out;
}
