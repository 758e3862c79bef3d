import { isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, visit, type Document, type Node, type YAMLError } from 'yaml';
import type { Reporter } from '../diagnostics/reporter.js';
import { locateOffset } from '../diagnostics/text-map.js';
import type { SourceLocation } from '../ir/types.js';
import { scalarMap } from './scalar-map.js';
import { nodeLoc, rangeLoc, type YamlDoc } from './yaml-file.js';

/**
 * Parses a YAML file into its documents, with positions. Syntax errors (`yaml-syntax`) and
 * duplicate mapping keys (`duplicate-key`) are reported with `file:line:col`.
 */
export function parseYamlFile(file: string, text: string, report: Reporter): YamlDoc[] {
  const lineCounter = new LineCounter();
  // source tokens let scalarMap locate characters inside a scalar (scalar-map.ts)
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: false, keepSourceTokens: true });
  const docs: YamlDoc[] = [];
  const list: Document.Parsed[] = 'empty' in parsed ? [] : parsed;
  if ('empty' in parsed) {
    for (const e of parsed.errors) report.error('yaml-syntax', { problem: cleanMessage(e.message) }, rangeLoc(file, lineCounter, e.pos[0], e.pos[1]));
  }
  for (const doc of list) {
    const yd: YamlDoc = { file, text, lineCounter, doc };
    syntaxErrors(yd, doc.errors, report);
    duplicateKeys(yd, report);
    docs.push(yd);
  }
  return docs;
}

/**
 * Reports a document's syntax errors where the offending token is. The yaml package places two of
 * them elsewhere: a line indented deeper than its mapping continues the scalar on the line above,
 * which becomes a multi-line key (`MULTILINE_IMPLICIT_KEY`, with `BLOCK_AS_IMPLICIT_KEY` at the same
 * place) located at that scalar; and `BAD_INDENT` is located at the start of the line.
 */
function syntaxErrors(yd: YamlDoc, errors: readonly YAMLError[], report: Reporter): void {
  // both at one offset: a block mapping's line continued by a deeper-indented one
  const at = (code: string) => new Set(errors.filter((e) => e.code === code).map((e) => e.pos[0]));
  const multiline = at('MULTILINE_IMPLICIT_KEY');
  const blockKey = at('BLOCK_AS_IMPLICIT_KEY');
  const overIndented = (offset: number) => multiline.has(offset) && blockKey.has(offset);
  for (const e of errors) {
    if (e.code === 'BLOCK_AS_IMPLICIT_KEY' && overIndented(e.pos[0])) continue;
    if (e.code === 'MULTILINE_IMPLICIT_KEY' && overIndented(e.pos[0])) {
      const over = overIndentedLine(yd, e.pos[0]);
      if (over) {
        report.error('yaml-syntax', { problem: 'over-indented', continues: over.continues }, over.loc);
        continue;
      }
    }
    const loc = e.code === 'BAD_INDENT' ? tokenOnLine(yd, e.pos[0]) : undefined;
    report.error('yaml-syntax', { problem: cleanMessage(e.message) }, loc ?? rangeLoc(yd.file, yd.lineCounter, e.pos[0], e.pos[1]));
  }
}

/** Every node of a document that has a position, keys included. */
function nodesOf(yd: YamlDoc): Node[] {
  const out: Node[] = [];
  visit(yd.doc, (_, n) => {
    if (isNode(n) && n.range) out.push(n);
  });
  return out;
}

/**
 * The line that continues a multi-line key starting at `offset`: where its second line's first
 * character is (through the key scalar's source map), and which line it continues.
 */
function overIndentedLine(yd: YamlDoc, offset: number): { loc: SourceLocation; continues: number } | undefined {
  const key = nodesOf(yd).find((n) => isScalar(n) && n.range?.[0] === offset);
  if (!key || !isScalar(key) || typeof key.value !== 'string') return undefined;
  const map = scalarMap(yd, key);
  const first = map.spans[0];
  const next = map.spans.find((s) => first && s.line > first.line);
  if (!first || !next) return undefined;
  const start = locateOffset(map, next.offset);
  const end = locateOffset(map, key.value.length);
  const loc: SourceLocation = end.line === start.line && end.col > start.col ? { ...start, endLine: end.line, endCol: end.col } : start;
  return { loc, continues: first.line };
}

/** The first node that starts at or after `offset` on the same line (the token a line-start error is about). */
function tokenOnLine(yd: YamlDoc, offset: number): SourceLocation | undefined {
  const line = yd.lineCounter.linePos(offset).line;
  const starts = nodesOf(yd)
    .map((n) => ({ n, start: n.range?.[0] ?? -1 }))
    .filter((x) => x.start >= offset && yd.lineCounter.linePos(x.start).line === line)
    .sort((a, b) => a.start - b.start);
  const first = starts[0];
  return first ? nodeLoc(yd, first.n) : undefined;
}

function cleanMessage(message: string): string {
  return message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim();
}

function duplicateKeys(yd: YamlDoc, report: Reporter): void {
  // a plain walk over collections (cheaper than `visit`, which builds a path for every node)
  const walk = (node: unknown): void => {
    if (isMap(node)) {
      let seen: Map<string, Node> | undefined;
      for (const pair of node.items) {
        if (isScalar(pair.key)) {
          const k = String(pair.key.value);
          seen ??= new Map();
          const first = seen.get(k);
          if (first) {
            const f = nodeLoc(yd, first);
            report.error('duplicate-key', { key: k, line: f.line, col: f.col }, nodeLoc(yd, pair.key));
          } else seen.set(k, pair.key);
        }
      }
      for (const pair of node.items) {
        walk(pair.key);
        walk(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) walk(item);
    } else if (isPair(node)) {
      walk(node.key);
      walk(node.value);
    }
  };
  walk(yd.doc.contents);
}
