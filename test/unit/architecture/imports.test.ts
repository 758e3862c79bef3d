import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The layering of src/, read from the imports themselves (value and type imports, re-exports and
 * dynamic imports alike). A folder may import its own files and folders of a strictly lower rank;
 * there is no circle of files. Each folder's CONTEXT.md states its rank and contract.
 */
const RANKS: Readonly<Record<string, number>> = {
  ir: 0,
  diagnostics: 1,
  rules: 1,
  schema: 2,
  dialects: 3,
  managed: 4,
  emit: 5,
  resolve: 6,
  project: 7,
  adapters: 8,
  seeds: 9,
  plan: 10,
  apply: 11,
  auth: 12,
  write: 13,
  workflow: 14,
  snapshot: 15,
  library: 16,
  runtime: 16,
  sqlsession: 17,
  http: 18,
  forms: 19,
  pgwire: 20,
  server: 21,
  cli: 22,
};

/** Folders that reach the warehouse only through the library. */
const NO_WAREHOUSE = ['server', 'forms', 'http'];
const WAREHOUSE = ['adapters', 'plan', 'apply', 'emit', 'dialects'];

const SRC = resolve(import.meta.dirname, '../../../src');
/** The planner pages' browser modules, served as they are: not part of the Node program. */
const ASSETS = join(SRC, 'forms', 'assets');
/** Engine modules the pages load unchanged (see forms/static-assets.ts). */
const SHARED_WITH_BROWSER = ['rules/column-rules.js', 'rules/status-rules.js', 'rules/scenario-name.js'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return path === ASSETS ? [] : sourceFiles(path);
    return /\.(ts|js)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

interface Edge {
  from: string;
  to: string;
  line: number;
}

/** Every relative import of a file, resolved to a file under src/ (`.js` specifiers name `.ts` sources). */
function importsOf(file: string): Edge[] {
  const text = readFileSync(file, 'utf8');
  const info = ts.preProcessFile(text, true, true);
  return info.importedFiles
    .filter((f) => f.fileName.startsWith('.'))
    .map((f) => {
      const target = resolve(dirname(file), f.fileName);
      const to = existsSync(target) ? target : target.replace(/\.js$/, '.ts');
      const line = text.slice(0, f.pos).split('\n').length;
      return { from: file, to, line };
    });
}

/** `rules` for src/rules/x.ts; '' for src/index.ts. */
function folderOf(file: string): string {
  const rel = relative(SRC, file).split('/');
  return rel.length > 1 ? rel[0]! : '';
}

const files = sourceFiles(SRC);
const edges = files.flatMap(importsOf);
const where = (e: Edge) => `${relative(SRC, e.from)}:${e.line} → ${relative(SRC, e.to)}`;

describe('the layering of src/ (read from the imports)', () => {
  it('gives every folder a rank and a CONTEXT.md', () => {
    const folders = readdirSync(SRC).filter((n) => statSync(join(SRC, n)).isDirectory());
    expect(folders.filter((f) => RANKS[f] === undefined)).toEqual([]);
    expect(folders.filter((f) => !existsSync(join(SRC, f, 'CONTEXT.md')))).toEqual([]);
  });

  it('points every import down: a folder imports itself or folders of a lower rank', () => {
    const up = edges.filter((e) => {
      const a = folderOf(e.from);
      const b = folderOf(e.to);
      if (a === '' || a === b) return false;
      return !(RANKS[b]! < RANKS[a]!);
    });
    expect(up.map((e) => `${where(e)} (${folderOf(e.from)} ${RANKS[folderOf(e.from)]} → ${folderOf(e.to)} ${RANKS[folderOf(e.to)]})`)).toEqual([]);
  });

  it('keeps the HTTP layer off the warehouse: server/, forms/, http/ go through library/', () => {
    const direct = edges.filter((e) => NO_WAREHOUSE.includes(folderOf(e.from)) && WAREHOUSE.includes(folderOf(e.to)));
    expect(direct.map(where)).toEqual([]);
  });

  it('keeps the write path below the workflows: write/ never imports workflow/', () => {
    expect(edges.filter((e) => folderOf(e.from) === 'write' && folderOf(e.to) === 'workflow').map(where)).toEqual([]);
  });

  it('names every import literally (a computed import() or a require() would slip past the rules above)', () => {
    const hidden: string[] = [];
    for (const file of files) {
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node): void => {
        if (ts.isCallExpression(node)) {
          const dynamic = node.expression.kind === ts.SyntaxKind.ImportKeyword;
          const required = ts.isIdentifier(node.expression) && (node.expression.text === 'require' || node.expression.text === 'createRequire');
          const literal = node.arguments[0] !== undefined && ts.isStringLiteralLike(node.arguments[0]);
          if (required || (dynamic && !literal)) hidden.push(`${relative(SRC, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(hidden).toEqual([]);
  }, 60_000); // parses every source file with the TypeScript compiler: seconds on a loaded machine

  it('has no circle of files', () => {
    const graph = new Map<string, string[]>(files.map((f) => [f, []]));
    for (const e of edges) graph.get(e.from)?.push(e.to);
    // Tarjan's strongly connected components
    let next = 0;
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const circles: string[][] = [];
    const visit = (v: string) => {
      index.set(v, next);
      low.set(v, next++);
      stack.push(v);
      onStack.add(v);
      for (const w of graph.get(v) ?? []) {
        if (!graph.has(w)) continue;
        if (!index.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
      if (low.get(v) === index.get(v)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(relative(SRC, w));
        } while (w !== v);
        if (component.length > 1) circles.push(component.sort());
      }
    };
    for (const f of files) if (!index.has(f)) visit(f);
    expect(circles).toEqual([]);
  });

  it('serves the browser the engine\'s own rule modules, which import nothing so they run there unchanged', () => {
    for (const shared of SHARED_WITH_BROWSER) expect(importsOf(join(SRC, shared)), shared).toEqual([]);
    const pages = readdirSync(ASSETS).filter((n) => n.endsWith('.js'));
    const served = new Set([...pages, ...SHARED_WITH_BROWSER.map((s) => s.split('/').pop()!)]);
    const outside = pages.flatMap((page) =>
      ts
        .preProcessFile(readFileSync(join(ASSETS, page), 'utf8'), true, true)
        .importedFiles.map((f) => f.fileName)
        .filter((name) => !(name.startsWith('./') && served.has(name.slice(2))))
        .map((name) => `${page} → ${name}`),
    );
    expect(outside).toEqual([]);
  });
});
