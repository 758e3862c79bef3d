import { isScalar, Scalar, type Node } from 'yaml';
import { fixedMap } from '../diagnostics/text-map.js';
import type { TextMap, TextSpan } from '../ir/types.js';
import { nodeLoc, type YamlDoc } from './yaml-file.js';

/**
 * Where each character of a string scalar's value (e.g. the SQL of `sql:`) sits in its YAML file.
 * The yaml package resolves quotes, escapes, line folding and block indentation but keeps no
 * position per character, so this retraces that resolution over the scalar's CST source (the
 * document is parsed with `keepSourceTokens`) and keeps the result only when it spells exactly the
 * value the package resolved. Otherwise (or for a non-string node) every character maps to the
 * scalar's start.
 */
export function scalarMap(yd: YamlDoc, node: Node | undefined): TextMap {
  const fallback = fixedMap(nodeLoc(yd, node));
  if (!node || !isScalar(node) || typeof node.value !== 'string' || node.value === '') return fallback;
  const traced = trace(node);
  if (!traced || traced.value !== node.value) return fallback;
  return { file: yd.file, spans: toSpans(yd, traced.offsets) };
}

/** A value as retraced from source, with the file offset each of its characters comes from. */
interface Traced {
  value: string;
  offsets: number[];
}

function trace(node: Scalar): Traced | undefined {
  const token = node.srcToken;
  if (!token || !node.range) return undefined;
  if (token.type === 'block-scalar') {
    const contentStart = node.range[1] - token.source.length;
    return node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED ? blockValue(token.source, contentStart, node.value as string) : undefined;
  }
  switch (token.type) {
    case 'scalar':
      return unfold(token.source, token.offset);
    case 'single-quoted-scalar': {
      const inner = unfold(token.source.slice(1, -1), token.offset + 1);
      return collapseQuotes(inner);
    }
    case 'double-quoted-scalar':
      return doubleQuoted(token.source, token.offset);
    default:
      return undefined;
  }
}

/** Collects characters with their source offsets. */
class Out implements Traced {
  value = '';
  offsets: number[] = [];
  push(text: string, at: number | ((i: number) => number)): void {
    for (let i = 0; i < text.length; i++) this.offsets.push(typeof at === 'number' ? at : at(i));
    this.value += text;
  }
}

/**
 * Plain and single-quoted scalars: the first line keeps its leading space, inner lines are trimmed,
 * a single line break becomes a space and each further empty line a `\n` (the package's `unfoldLines`).
 */
function unfold(source: string, base: number): Traced {
  const out = new Out();
  const lines: { start: number; text: string }[] = [];
  let start = 0;
  for (let nl = source.indexOf('\n', start); nl >= 0; nl = source.indexOf('\n', start)) {
    lines.push({ start, text: source.slice(start, source[nl - 1] === '\r' ? nl - 1 : nl) });
    start = nl + 1;
  }
  if (lines.length === 0) {
    out.push(source, (i) => base + i);
    return out;
  }
  const first = lines[0] ?? { start: 0, text: '' };
  const firstText = first.text.replace(/[ \t]+$/, '');
  out.push(firstText, (i) => base + i);
  let sep = ' ';
  let sepAt = base + first.start + first.text.length;
  for (const line of lines.slice(1)) {
    const lead = line.text.length - line.text.replace(/^[ \t]+/, '').length;
    const text = line.text.slice(lead).replace(/[ \t]+$/, '');
    if (text === '') {
      if (sep === '\n') out.push('\n', base + line.start);
      else sep = '\n';
    } else {
      out.push(sep, sepAt);
      out.push(text, (i) => base + line.start + lead + i);
      sep = ' ';
    }
    sepAt = base + line.start + line.text.length;
  }
  const rest = source.slice(start);
  const lead = rest.length - rest.replace(/^[ \t]*/, '').length;
  out.push(sep, sepAt);
  out.push(rest.slice(lead), (i) => base + start + lead + i);
  return out;
}

/** `''` in a single-quoted scalar is one quote (kept at the first quote's offset). */
function collapseQuotes(t: Traced): Traced {
  const out = new Out();
  for (let i = 0; i < t.value.length; i++) {
    const ch = t.value[i] ?? '';
    out.push(ch, t.offsets[i] ?? 0);
    if (ch === "'" && t.value[i + 1] === "'") i++;
  }
  return out;
}

const ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
  N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029', ' ': ' ', '"': '"', '/': '/', '\\': '\\', '\t': '\t',
};

/** A double-quoted scalar (`source` with its quotes): escapes, trimmed line ends, folded line breaks. */
function doubleQuoted(source: string, base: number): Traced | undefined {
  const out = new Out();
  for (let i = 1; i < source.length - 1; ++i) {
    const ch = source[i] ?? '';
    if (ch === '\r' && source[i + 1] === '\n') continue;
    if (ch === '\n') {
      const at = base + i;
      let fold = '';
      let next = source[i + 1];
      while (next === ' ' || next === '\t' || next === '\n' || next === '\r') {
        if (next === '\r' && source[i + 2] !== '\n') break;
        if (next === '\n') fold += '\n';
        i += 1;
        next = source[i + 1];
      }
      out.push(fold || ' ', at);
    } else if (ch === '\\') {
      const at = base + i;
      let next = source[++i] ?? '';
      const escaped = ESCAPES[next];
      if (escaped !== undefined) out.push(escaped, at);
      else if (next === '\n' || (next === '\r' && source[i + 1] === '\n')) {
        if (next === '\r') i++;
        next = source[i + 1] ?? '';
        while (next === ' ' || next === '\t') next = source[++i + 1] ?? '';
      } else if (next === 'x' || next === 'u' || next === 'U') {
        const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
        const hex = source.substr(i + 1, length);
        if (hex.length !== length || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
        const code = parseInt(hex, 16);
        if (code > 0x10ffff) return undefined;
        out.push(String.fromCodePoint(code), at);
        i += length;
      } else return undefined;
    } else if (ch === ' ' || ch === '\t') {
      const wsStart = i;
      let next = source[i + 1];
      while (next === ' ' || next === '\t') next = source[++i + 1];
      if (next !== '\n' && !(next === '\r' && source[i + 2] === '\n')) out.push(source.slice(wsStart, i + 1), (k) => base + wsStart + k);
    } else out.push(ch, base + i);
  }
  return out;
}

/**
 * A literal (`|`) or folded (`>`) block: every content line, less the block's indentation, appears
 * in the value in order, joined by line breaks or (folded) spaces that map to the end of the line
 * before. `value` is the package's resolution, which the lines are found in.
 */
function blockValue(source: string, contentStart: number, value: string): Traced | undefined {
  const lines: { start: number; text: string }[] = [];
  let start = 0;
  while (start < source.length) {
    const nl = source.indexOf('\n', start);
    const end = nl < 0 ? source.length : nl;
    lines.push({ start, text: source.slice(start, source[end - 1] === '\r' ? end - 1 : end) });
    start = end + 1;
  }
  const firstContent = lines.find((l) => l.text.trim().length > 0);
  const indent = firstContent ? firstContent.text.length - firstContent.text.trimStart().length : 0;
  const out = new Out();
  let lastEnd = contentStart;
  for (const line of lines) {
    const text = line.text.length > indent ? line.text.slice(indent) : '';
    if (text.trim() === '' && text.length === 0) {
      lastEnd = contentStart + line.start + line.text.length;
      continue;
    }
    const at = value.indexOf(text, out.value.length);
    if (at < 0 || !/^[\n ]*$/.test(value.slice(out.value.length, at))) return undefined;
    out.push(value.slice(out.value.length, at), lastEnd);
    out.push(text, (i) => contentStart + line.start + indent + i);
    lastEnd = contentStart + line.start + line.text.length;
  }
  out.push(value.slice(out.value.length), lastEnd);
  return out;
}

/** Offsets per character → spans of consecutive characters on one line. */
function toSpans(yd: YamlDoc, offsets: readonly number[]): TextSpan[] {
  const spans: TextSpan[] = [];
  let prev = -2;
  offsets.forEach((offset, i) => {
    if (offset === prev + 1 && yd.text[prev] !== '\n') {
      prev = offset;
      return;
    }
    const pos = yd.lineCounter.linePos(offset);
    spans.push({ offset: i, line: pos.line, col: pos.col });
    prev = offset;
  });
  if (spans.length === 0) {
    const pos = yd.lineCounter.linePos(offsets[0] ?? 0);
    spans.push({ offset: 0, line: pos.line, col: pos.col });
  }
  return spans;
}
