import { isScalar, Scalar, type Node } from 'yaml';
import type { SourceLocation } from '../ir/types.js';
import { nodeLoc, rangeLoc, type YamlDoc } from './yaml-file.js';

/**
 * Maps an offset inside a scalar's *value* (e.g. the SQL of a `sql: |` block) to its
 * `file:line:col` in the YAML source. Exact for block literals (`|`, the usual way to write SQL)
 * and for single-line plain or quoted scalars without escapes; otherwise falls back to the
 * scalar's own start.
 */
export function scalarLocator(yd: YamlDoc, node: Node | undefined): (offset: number) => SourceLocation {
  const fallback = nodeLoc(yd, node);
  if (!node || !isScalar(node) || typeof node.value !== 'string' || !node.range) return () => fallback;
  const value = node.value;
  const [start, end] = node.range;
  const at = (offset: number): SourceLocation => rangeLoc(yd.file, yd.lineCounter, offset);
  if (node.type === Scalar.BLOCK_LITERAL) {
    const lineOffsets = blockLineOffsets(yd.text, start, end, value);
    if (!lineOffsets) return () => fallback;
    const valueLineStarts = lineStarts(value);
    return (offset) => {
      let i = valueLineStarts.length - 1;
      while (i > 0 && (valueLineStarts[i] ?? 0) > offset) i--;
      const base = lineOffsets[i];
      return base === undefined ? fallback : at(base + offset - (valueLineStarts[i] ?? 0));
    };
  }
  const quote = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE ? 1 : 0;
  if (yd.text.slice(start + quote, start + quote + value.length) === value) return (offset) => at(start + quote + offset);
  return () => fallback;
}

function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') out.push(i + 1);
  return out;
}

/** Source offsets of the first content character of each value line of a literal block scalar. */
function blockLineOffsets(text: string, start: number, end: number, value: string): number[] | undefined {
  const headerEnd = text.indexOf('\n', start);
  if (headerEnd < 0 || headerEnd >= end) return undefined;
  const sourceLines: { offset: number; text: string }[] = [];
  let pos = headerEnd + 1;
  while (pos < end) {
    const nl = text.indexOf('\n', pos);
    const lineEnd = nl < 0 || nl > end ? end : nl;
    sourceLines.push({ offset: pos, text: text.slice(pos, lineEnd) });
    pos = lineEnd + 1;
  }
  const firstContent = sourceLines.find((l) => l.text.trim().length > 0);
  const indent = firstContent ? firstContent.text.length - firstContent.text.trimStart().length : 0;
  const valueLines = value.split('\n');
  const out: number[] = [];
  for (let i = 0; i < valueLines.length; i++) {
    const src = sourceLines[i];
    if (!src) {
      out.push(end);
      continue;
    }
    out.push(src.offset + Math.min(indent, src.text.length));
  }
  return out;
}
