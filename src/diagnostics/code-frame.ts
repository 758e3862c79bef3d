import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Diagnostic } from './diagnostic.js';

/** Options of {@link formatDiagnostics}. */
export interface FormatOptions {
  /** ANSI colors (default false). */
  color?: boolean;
  /** Lines of context above and below the problem line (default 2). */
  context?: number;
  /** Returns a file's text (path relative to the project); default: read it from `projectDir`. */
  readFile?: (file: string) => string | undefined;
}

const ANSI = { red: 31, yellow: 33, cyan: 36, gray: 90, bold: 1 } as const;

/**
 * Formats diagnostics for people: grouped by file (project-wide problems first), each as
 * `file:line:col  code  message`, then a code frame (context lines with line numbers, a `>` on
 * the problem line and a caret under the column range) and the hint. Returns the text;
 * prints nothing. Files that cannot be read get no frame.
 */
export function formatDiagnostics(diags: readonly Diagnostic[], projectDir: string, options: FormatOptions = {}): string {
  const color = options.color ?? false;
  const context = options.context ?? 2;
  const paint = (c: keyof typeof ANSI, s: string): string => (color ? `\u001b[${ANSI[c]}m${s}\u001b[0m` : s);
  const read = options.readFile ?? ((file: string) => safeRead(resolve(projectDir, file)));
  const cache = new Map<string, string[] | undefined>();
  const linesOf = (file: string): string[] | undefined => {
    if (!cache.has(file)) {
      const text = read(file);
      cache.set(file, text === undefined ? undefined : text.split(/\r?\n/));
    }
    return cache.get(file);
  };

  const groups = new Map<string, Diagnostic[]>();
  for (const d of diags) {
    const key = d.loc?.file ?? '';
    const list = groups.get(key) ?? [];
    list.push(d);
    groups.set(key, list);
  }
  const files = [...groups.keys()].sort((a, b) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b)));
  const blocks: string[] = [];
  for (const file of files) {
    const list = [...(groups.get(file) ?? [])].sort((a, b) => (a.loc?.line ?? 0) - (b.loc?.line ?? 0) || (a.loc?.col ?? 0) - (b.loc?.col ?? 0));
    const out: string[] = [paint('bold', file === '' ? 'project' : file)];
    for (const d of list) {
      const sevColor = d.severity === 'error' ? 'red' : 'yellow';
      const where = d.loc ? `${d.loc.file}:${d.loc.line}:${d.loc.col}` : '(project)';
      const code = d.severity === 'warning' ? `${d.code} (warning)` : d.code;
      out.push(`  ${where}  ${paint(sevColor, paint('bold', code))}  ${d.message}`);
      const lines = d.loc ? linesOf(d.loc.file) : undefined;
      if (d.loc && lines) out.push(...frame(lines, d.loc.line, d.loc.col, d.loc.endLine, d.loc.endCol, context, paint, sevColor));
      if (d.hint) out.push(`    ${paint('cyan', 'hint:')} ${d.hint}`);
    }
    blocks.push(out.join('\n'));
  }
  return blocks.join('\n\n');
}

function frame(
  lines: string[],
  line: number,
  col: number,
  endLine: number | undefined,
  endCol: number | undefined,
  context: number,
  paint: (c: keyof typeof ANSI, s: string) => string,
  sevColor: keyof typeof ANSI,
): string[] {
  if (line < 1 || line > lines.length) return [];
  const first = Math.max(1, line - context);
  const last = Math.min(lines.length, line + context);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const text = (lines[n - 1] ?? '').replace(/\t/g, ' ');
    const marker = n === line ? paint(sevColor, '>') : ' ';
    out.push(`  ${marker} ${paint('gray', `${String(n).padStart(width)} |`)}${text ? ` ${text}` : ''}`);
    if (n === line) {
      const span = endLine === line && endCol !== undefined && endCol > col ? endCol - col : 1;
      const maxSpan = Math.max(1, text.length - col + 1);
      out.push(`    ${paint('gray', `${' '.repeat(width)} |`)} ${' '.repeat(Math.max(0, col - 1))}${paint(sevColor, '^'.repeat(Math.min(span, maxSpan)))}`);
    }
  }
  return out;
}

function safeRead(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
