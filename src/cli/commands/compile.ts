import { lstatSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { Command } from 'commander';
import type { Project } from '../../ir/types.js';
import { globals, loadOrExit, reportDiagnostics, ReportedFailure } from '../context.js';
import { paint, plural, printJson } from '../output.js';
import { examples } from '../help.js';

export function registerCompile(program: Command): void {
  const cmd = program
    .command('compile')
    .description('write the formatted SQL of every managed table and model to target/compiled/<dialect>/ (offline)')
    .option('-o, --out <dir>', 'output directory (default: target/compiled/<dialect>)')
    .action(async (options: { out?: string }, command: Command) => {
      const opts = globals(command);
      const project = await loadOrExit(opts);
      // the SQL formatter is loaded only by the commands that write SQL
      const { compile } = await import('../../library/compile.js');
      const formats = await formatCache(project.dir, opts.target, project);
      const compiled = compile(project, { target: opts.target });
      formats?.save();
      if (!compiled.ok) {
        reportDiagnostics(compiled.diagnostics, opts, project.dir);
        throw new ReportedFailure(1);
      }
      const { dialect, objects } = compiled.value;
      const out = options.out ?? join(project.dir, 'target', 'compiled', dialect);
      writeTree(out, objects.map((o) => [o.file, o.sql.endsWith('\n') ? o.sql : o.sql + '\n']));
      if (opts.json) return printJson({ ok: true, dialect, out, files: objects.map((o) => o.file) });
      console.log(`${paint('green', '✓')} compiled ${plural(objects.length, 'object')} for ${dialect} into ${relative(process.cwd(), out) || '.'}`);
    });
  examples(cmd, [
    ['writeback compile', 'the SQL of the default target into target/compiled/<dialect>/'],
    ['writeback compile --target prod --out build/sql', 'a target declared in project.yml, in its dialect (no connection or credentials needed)'],
  ]);
}

/** The file of target/parse-cache/ that keeps sql-formatter's layouts of statement skeletons, per dialect. */
const FORMATS_FILE = 'formats.bin';
/** At most this many layouts are kept per dialect (the formatter's in-memory cache holds as many). */
const FORMATS_KEPT = 2000;

/**
 * Seeds the formatter's skeleton cache for the compiled target's dialect from the layouts a previous
 * compile kept (src/emit/format.ts): statements of a known shape are not formatted again.
 * `save()` keeps what this run added.
 * Undefined when the target is unknown (compile reports it).
 */
async function formatCache(root: string, target: string | undefined, project: Project): Promise<{ save(): void } | undefined> {
  const [{ resolveTarget }, { getDialect }, { freshlyFormatted, seedFormatted }, { readStamped, writeStamped }] = await Promise.all([
    import('../../adapters/registry.js'),
    import('../../dialects/registry.js'),
    import('../../emit/format.js'),
    import('../../project/parse-cache.js'),
  ]);
  let dialect;
  try {
    dialect = getDialect(resolveTarget(project, target).type);
  } catch {
    return undefined;
  }
  const stored = readStamped(root, FORMATS_FILE);
  const all = stored instanceof Map ? (stored as Map<string, [string, string][]>) : new Map<string, [string, string][]>();
  seedFormatted(dialect, all.get(dialect.name) ?? []);
  return {
    save() {
      const fresh = freshlyFormatted(dialect);
      if (fresh.length === 0) return;
      // bounded as the in-memory cache is: the newest layouts are kept
      all.set(dialect.name, [...(all.get(dialect.name) ?? []), ...fresh].slice(-FORMATS_KEPT));
      writeStamped(root, FORMATS_FILE, all);
    },
  };
}

/**
 * Makes `out` hold exactly `files` (path relative to `out` → text): a file already there with the
 * same text is left alone, others are written, and every other file under `out` is removed (with
 * the folders that become empty). Cheaper than removing the tree and writing it again: a repeated
 * compile mostly reads.
 */
function writeTree(out: string, files: [string, string][]): void {
  const stale = new Set<string>();
  if (lstatSync(out, { throwIfNoEntry: false })?.isDirectory() === false) rmSync(out, { force: true });
  try {
    for (const e of readdirSync(out, { withFileTypes: true, recursive: true })) {
      if (!e.isDirectory()) stale.add(relative(out, join(e.parentPath, e.name)));
    }
  } catch {
    // no output folder yet
  }
  const made = new Set<string>();
  for (const [path, text] of files) {
    const file = join(out, path);
    if (stale.delete(relative(out, file)) && sameText(file, text)) continue;
    const folder = dirname(file);
    if (!made.has(folder)) {
      mkdirSync(folder, { recursive: true });
      made.add(folder);
    }
    writeFileSync(file, text);
  }
  for (const path of stale) {
    rmSync(join(out, path), { force: true });
    removeEmptyFolders(out, dirname(join(out, path)));
  }
}

function sameText(file: string, text: string): boolean {
  try {
    return readFileSync(file, 'utf8') === text;
  } catch {
    return false;
  }
}

/** Removes `folder` and its parents up to (not including) `out` while they are empty. */
function removeEmptyFolders(out: string, folder: string): void {
  for (let f = folder; f.startsWith(out + sep); f = dirname(f)) {
    try {
      rmdirSync(f);
    } catch {
      return; // not empty
    }
  }
}
