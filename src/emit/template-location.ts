import type { SourceLocation } from '../ir/types.js';

/**
 * The project location of `[start, end)` in an embedded text whose first character is at `base`
 * (e.g. a model's `sql:` value). Lines after the first start at `continuationCol`: by default
 * `base.col`, which holds for YAML block scalars (every content line shares one indentation);
 * 1 for text embedded in a plain file (a macro body).
 */
export function locationInText(base: SourceLocation, text: string, start: number, end: number = start, continuationCol: number = base.col): SourceLocation {
  const at = (offset: number) => {
    const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
    const lines = before.split('\n');
    const line = base.line + lines.length - 1;
    const col = (lines.length === 1 ? base.col : continuationCol) + (lines.at(-1)?.length ?? 0);
    return { line, col };
  };
  const s = at(start);
  const e = at(end);
  return { file: base.file, line: s.line, col: s.col, endLine: e.line, endCol: e.col };
}
