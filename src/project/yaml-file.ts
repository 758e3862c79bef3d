import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { SourceLocation } from '../ir/types.js';

/** One YAML document of a project file, with what is needed to turn offsets into `file:line:col`. */
export interface YamlDoc {
  /** Path relative to the project directory. */
  file: string;
  text: string;
  lineCounter: LineCounter;
  doc: Document.Parsed;
}

/** A path into a YAML document, as zod reports it (`['columns', 'amount', 'min']`). */
export type YamlPath = readonly PropertyKey[];

/** The location of an offset range of the file. */
export function rangeLoc(file: string, lineCounter: LineCounter, start: number, end?: number): SourceLocation {
  const s = lineCounter.linePos(start);
  const loc: SourceLocation = { file, line: s.line, col: s.col };
  if (end !== undefined && end > start) {
    const e = lineCounter.linePos(end);
    loc.endLine = e.line;
    loc.endCol = e.col;
  }
  return loc;
}

/** The location of a YAML node (its value range), or of the document start when it has none. */
export function nodeLoc(yd: YamlDoc, node: Node | null | undefined): SourceLocation {
  const r = node?.range;
  if (!r) return docStartLoc(yd);
  return rangeLoc(yd.file, yd.lineCounter, r[0], r[1]);
}

/** The location of the start of the document's content (or 1:1). */
export function docStartLoc(yd: YamlDoc): SourceLocation {
  const contents = yd.doc.contents;
  const start = contents?.range?.[0] ?? yd.doc.range[0];
  return rangeLoc(yd.file, yd.lineCounter, start);
}

/** What a path resolves to: the deepest node reached, and whether the whole path exists. */
export interface PathTarget {
  node: Node | undefined;
  exact: boolean;
}

/**
 * Resolves `path` in the document. With `which: 'key'` a final map segment resolves to the
 * pair's key node (so `unknown-key` points at the key itself). A missing segment stops at the
 * deepest existing node with `exact: false`.
 */
export function resolvePath(yd: YamlDoc, path: YamlPath, which: 'key' | 'value' = 'value'): PathTarget {
  let node: Node | undefined = yd.doc.contents ?? undefined;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return { node, exact: false };
      if (last && which === 'key' && isScalar(pair.key)) return { node: pair.key, exact: true };
      const value = pair.value;
      if (value === null || value === undefined || !isNodeLike(value)) return { node: isNodeLike(pair.key) ? pair.key : node, exact: last };
      node = value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (!isNodeLike(item)) return { node, exact: false };
      node = item;
    } else {
      return { node, exact: false };
    }
  }
  return { node, exact: true };
}

/** The location of the value (or key) at `path`, falling back to the deepest existing node. */
export function pathLoc(yd: YamlDoc, path: YamlPath, which: 'key' | 'value' = 'value'): SourceLocation {
  return nodeLoc(yd, resolvePath(yd, path, which).node);
}

/** The location of the key at `path` if it is a map key, else of its value. */
export function keyLoc(yd: YamlDoc, path: YamlPath): SourceLocation {
  return pathLoc(yd, path, 'key');
}

function isNodeLike(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && 'range' in v;
}
