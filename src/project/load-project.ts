import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { serialize } from 'node:v8';
import type { Diagnostic, Result } from '../diagnostics/diagnostic.js';
import { formatLocation } from '../diagnostics/message-text.js';
import { orderModels } from '../resolve/graph.js';
import { checkReferences, type MacroDraft, type ModelDraft } from '../resolve/references.js';
import { findFiles } from './find-files.js';
import { Reporter } from '../diagnostics/reporter.js';
import { emptyScope, type LoadScope } from '../resolve/scope.js';
import { readInputFile } from './read-input-file.js';
import { readMacroFile } from './read-macro-file.js';
import { readModelDoc, readSqlModelFile } from './read-model-file.js';
import { type ProjectConfig, readProjectFile } from './read-project-file.js';
import type { InputTable, Model, Project, SourceLocation } from '../ir/types.js';
import { parseYamlFile } from './parse-yaml.js';
import { docStartLoc, pathLoc, type YamlDoc } from './yaml-file.js';
import { ParseCache } from './parse-cache.js';
import { locateOffset } from '../diagnostics/text-map.js';
import type { Template } from '../emit/template.js';

/** Options of `loadProject`. */
export interface LoadOptions {
  /** Called once project.yml is read without errors, before the rest loads (e.g. to start connecting to the target meanwhile). */
  onConfig?: (config: ProjectConfig, dir: string) => void;
  /**
   * Keep what clean files read to in `target/parse-cache/` and reuse it for files whose text (and
   * project context) did not change since (parse-cache.ts). Default false: nothing is written.
   */
  cache?: boolean;
}

/** The project file names looked for, in order. */
export const PROJECT_FILES = ['project.yml', 'project.yaml'] as const;

/**
 * Loads and validates the project in `dir`: `project.yml`, `inputs/**\/*.yml`, `models/**\/*.{yml,sql}`
 * and `macros/**\/*.sql`. Every problem is collected (not only the first) as a diagnostic with a
 * code, a message and `file:line:col`. On success, returns the resolved {@link Project} with models
 * in dependency order and `dependsOn` filled; warnings are returned alongside.
 */
export async function loadProject(dir: string, options: LoadOptions = {}): Promise<Result<Project>> {
  const root = resolve(dir);
  const report = new Reporter();
  const scope = emptyScope(root);

  const projectFile = await readFirst(root, PROJECT_FILES);
  if (!projectFile) {
    report.error('no-project', { dir: root });
    return report.result<Project>(undefined);
  }
  const projectDocs = parseFile(projectFile.file, projectFile.text, report);
  const first = projectDocs[0];
  for (const extra of projectDocs.slice(1)) report.error('multiple-documents', {}, docStartLoc(extra));
  // A file with YAML syntax errors is not validated further: its content is unreliable.
  const projectBroken = hasSyntaxErrors(report, projectFile.file);
  if (projectBroken) markAllBroken(scope);
  else if (!first) report.error('missing-key', { key: 'name', emptyFile: projectFile.file }, { file: projectFile.file, line: 1, col: 1 });
  const config = first && !projectBroken ? readProjectFile(first, scope, report) : undefined;
  if (config && !report.hasErrors) options.onConfig?.(config, root);

  const cache = options.cache && config ? openCache(root, scope) : undefined;
  const macroDrafts = await loadMacros(root, scope, report);
  await loadInputs(root, scope, report, cache);
  const modelDrafts = await loadModels(root, scope, report, cache);
  cache?.save();

  const refs = checkReferences(modelDrafts, macroDrafts, scope, report);
  const refLoc = (from: string, to: string): SourceLocation | undefined => refs.get(from)?.models.find((r) => r.target === to)?.loc;
  const models = orderModels(
    modelDrafts.map((d) => d.model),
    report,
    refLoc,
  );

  const diagnostics = sortDiagnostics(report.all);
  if (report.hasErrors || !config) return { ok: false, diagnostics };
  const project: Project = {
    dir: root,
    ...config,
    inputs: scope.inputs,
    models,
    macros: scope.macros,
  };
  return { ok: true, value: project, warnings: diagnostics };
}

async function loadMacros(root: string, scope: LoadScope, report: Reporter): Promise<MacroDraft[]> {
  const drafts: MacroDraft[] = [];
  const seen = new Map<string, SourceLocation>();
  for (const [file, read] of readAll(root, await findFiles(root, 'macros', ['.sql']))) {
    const text = readText(file, read, report);
    if (text === undefined) continue;
    for (const d of readMacroFile(file, text, report)) {
      const v = d.variant;
      const base = v.dialect === undefined ? v.name : v.name.slice(v.dialect.length + 2);
      const key = `${v.dialect ?? ''}__${base}`;
      const prev = seen.get(key);
      if (prev) {
        report.error('duplicate-name', { what: 'macro', name: v.name, first: formatLocation(prev) }, v.loc);
        continue;
      }
      seen.set(key, v.loc);
      (scope.macros[base] ??= []).push(v);
      drafts.push(d);
    }
  }
  for (const [name, variants] of Object.entries(scope.macros)) {
    const first = variants[0];
    if (first && !variants.some((v) => v.dialect === undefined)) {
      report.warn('missing-default-macro', { macro: name, dialects: variants.flatMap((v) => v.dialect ?? []) }, first.loc);
    }
  }
  return drafts;
}

async function loadInputs(root: string, scope: LoadScope, report: Reporter, cache: ParseCache | undefined): Promise<void> {
  const add = (table: InputTable): void => {
    const prev = scope.inputs[table.name];
    if (prev) {
      report.error('duplicate-name', { what: 'input', name: table.name, first: formatLocation(prev.loc) }, table.loc);
      return;
    }
    scope.inputs[table.name] = table;
  };
  for (const [file, read] of readAll(root, await findFiles(root, 'inputs', ['.yml', '.yaml']))) {
    const text = readText(file, read, report);
    if (text === undefined) continue;
    const cached = cache?.get<InputTable[]>(file, text);
    if (cached) {
      cached.forEach(add);
      continue;
    }
    const mark = fileMark(report, scope);
    const docs = parseFile(file, text, report);
    const fileName = basename(file, extname(file));
    if (docs.length === 0) report.error('empty-file', { file, declares: 'input' }, { file, line: 1, col: 1 });
    if (hasSyntaxErrors(report, file)) {
      scope.broken.inputs.add(fileName);
      continue;
    }
    const tables: InputTable[] = [];
    for (const yd of docs) {
      const table = readInputFile(yd, docs.length === 1 ? fileName : undefined, scope, report);
      if (!table) continue;
      // stored (copied) once the file is read, before anything later fills in the IR
      if (cache && mark.clean()) tables.push(table);
      const dups = report.size;
      add(table);
      mark.skip(report.size - dups);
    }
    if (cache && mark.clean() && tables.length === docs.length) cache.put(file, text, tables);
  }
}

async function loadModels(root: string, scope: LoadScope, report: Reporter, cache: ParseCache | undefined): Promise<ModelDraft[]> {
  const drafts: ModelDraft[] = [];
  const add = (d: ModelDraft | undefined): void => {
    if (!d) return;
    const prev = scope.models.get(d.model.name);
    if (prev) {
      report.error('duplicate-name', { what: 'model', name: d.model.name, first: formatLocation(prev) }, d.model.loc);
      return;
    }
    scope.models.set(d.model.name, d.model.loc);
    drafts.push(d);
  };
  for (const [file, read] of readAll(root, await findFiles(root, 'models', ['.yml', '.yaml', '.sql']))) {
    const text = readText(file, read, report);
    if (text === undefined) continue;
    const fileName = basename(file, extname(file));
    if (file.endsWith('.sql')) {
      const d = readSqlModelFile(file, fileName, text, report);
      if (checkFileName(file, fileName, report)) add(d);
      continue;
    }
    const cached = cache?.get<CachedModel[]>(file, text);
    if (cached) {
      for (const c of cached) add(cachedDraft(file, text, c));
      continue;
    }
    const mark = fileMark(report, scope);
    const docs = parseFile(file, text, report);
    if (docs.length === 0) report.error('empty-file', { file, declares: 'model' }, { file, line: 1, col: 1 });
    if (hasSyntaxErrors(report, file)) {
      scope.broken.models.add(fileName);
      continue;
    }
    const results: CachedModel[] = [];
    docs.forEach((yd, doc) => {
      const d = readModelDoc(yd, docs.length === 1 ? fileName : undefined, scope, report);
      if (d && cache && mark.clean()) results.push({ doc, model: d.model, columnsOmitted: d.columnsOmitted, ...(d.template ? { template: d.template } : {}) });
      const dups = report.size;
      // the draft keeps no YAML document: positions found later come from parsing the file again
      add(d && { ...d, locField: reparsedLocField(file, text, doc, d.model.loc) });
      mark.skip(report.size - dups);
    });
    if (cache && mark.clean() && results.length === docs.length) cache.put(file, text, results);
  }
  return drafts;
}

/** What the parse cache keeps of a model document read without a diagnostic. */
interface CachedModel {
  /** Index of the document among the file's documents. */
  doc: number;
  model: Model;
  columnsOmitted: ModelDraft['columnsOmitted'];
  template?: Template;
}

/**
 * A model draft from the parse cache. SQL positions come from the kept text map; positions of
 * other fields are needed only to report a problem found across files, so the file is parsed
 * again only then.
 */
function cachedDraft(file: string, text: string, c: CachedModel): ModelDraft {
  const locField = reparsedLocField(file, text, c.doc, c.model.loc);
  const body = c.model.body;
  if (body.kind !== 'sql') return { model: c.model, locField, columnsOmitted: c.columnsOmitted };
  const map = { file, spans: body.sqlMap ?? [] };
  return { model: c.model, locField, columnsOmitted: c.columnsOmitted, ...(c.template ? { template: c.template } : {}), locSql: (offset: number) => locateOffset(map, offset) };
}

/**
 * `ModelDraft.locField` of document `doc` of a model file without keeping its YAML document: the
 * file's text is parsed again (with the loader's own parse, so positions are the same) the first
 * time a position is asked for, which happens only when a problem found across files is reported.
 * Keeping every document alive until then made the heap grow with the project (~14 % of a cold load
 * in garbage collection); only the text is kept.
 */
function reparsedLocField(file: string, text: string, doc: number, fallback: SourceLocation): ModelDraft['locField'] {
  let yd: YamlDoc | undefined;
  return (path, which = 'value') => {
    yd ??= parseFile(file, text, new Reporter())[doc];
    return yd ? pathLoc(yd, path, which) : fallback;
  };
}

/** Whether a file read so far reported nothing and marked no name broken (only such files are cached). */
function fileMark(report: Reporter, scope: LoadScope): { clean(): boolean; skip(n: number): void } {
  const brokenCount = () => Object.values(scope.broken).reduce((n: number, set: Set<string>) => n + set.size, 0);
  const broken = brokenCount();
  let expected = report.size;
  return {
    clean: () => report.size === expected && brokenCount() === broken,
    // diagnostics reported across files (a duplicate name) do not make the file itself unclean
    skip: (n: number) => {
      expected += n;
    },
  };
}

/** The parse cache, keyed by what files are read against: the project context from project.yml. */
function openCache(root: string, scope: LoadScope): ParseCache | undefined {
  try {
    const { dir, targets, sources, roles, vars, broken } = scope;
    return ParseCache.open(root, serialize({ dir, targets, sources, roles, vars, broken }));
  } catch {
    return undefined;
  }
}

function checkFileName(file: string, name: string, report: Reporter): boolean {
  if (/^[a-z][a-z0-9_]*$/.test(name) && !name.includes('__') && name.length <= 63) return true;
  report.error('invalid-name', { what: 'model', name, fromFileName: true, problem: 'must match ^[a-z][a-z0-9_]*$, at most 63 characters, without `__`' }, { file, line: 1, col: 1 });
  return false;
}

function parseFile(file: string, text: string, report: Reporter): YamlDoc[] {
  const docs = parseYamlFile(file, text, report);
  return docs.filter((d) => d.doc.contents !== null || docs.length === 1);
}

function hasSyntaxErrors(report: Reporter, file: string): boolean {
  return report.all.some((d) => d.code === 'yaml-syntax' && d.loc?.file === file);
}

function markAllBroken(scope: LoadScope): void {
  for (const set of Object.values(scope.broken)) set.add('*');
}

async function readFirst(root: string, names: readonly string[]): Promise<{ file: string; text: string } | undefined> {
  for (const file of names) {
    try {
      return { file, text: await readFile(resolve(root, file), 'utf8') };
    } catch {
      // try the next name
    }
  }
  return undefined;
}

/** A file's text, or the error reading it. */
type FileRead = { text: string } | { error: unknown };

/**
 * Reads `files` (relative to `root`), in order. Synchronous on purpose: parsing them is synchronous
 * anyway, and one `readFileSync` costs a fraction of a promise `readFile` (which opens a FileHandle,
 * stats, reads and closes through the thread pool: ~5× the CPU, and idle waits between files).
 */
function readAll(root: string, files: string[]): [string, FileRead][] {
  return files.map((file): [string, FileRead] => {
    try {
      return [file, { text: readFileSync(resolve(root, file), 'utf8') }];
    } catch (e) {
      return [file, { error: e }];
    }
  });
}

function readText(file: string, read: FileRead, report: Reporter): string | undefined {
  if ('text' in read) return read.text;
  const e = read.error;
  report.error('unreadable-file', { file, reason: e instanceof Error ? e.message : String(e) }, { file, line: 1, col: 1 });
  return undefined;
}

function sortDiagnostics(diags: Diagnostic[]): Diagnostic[] {
  return diags
    .map((d, i) => ({ d, i }))
    .sort((a, b) => {
      const la = a.d.loc;
      const lb = b.d.loc;
      if (!la || !lb) return la ? 1 : lb ? -1 : a.i - b.i;
      return la.file.localeCompare(lb.file) || la.line - lb.line || la.col - lb.col || a.i - b.i;
    })
    .map((x) => x.d);
}
